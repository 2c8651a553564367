import { pipe } from 'fp-ts/lib/function.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collectItems, loggingHook, newEnv, send, type ErrorView, type RequestView, type ResponseView } from '../../src/index.js'
import { ListAccounts, listAccountsPager, Logout, newListAccounts, newLogout } from '../../src/services/sso/index.js'
import { scriptedServer, type Scripted } from '../util/scripted.js'

let s: Scripted
beforeAll(async () => {
  s = await scriptedServer([{ status: 503 }, { status: 200 }])
})
afterAll(() => s.close())

describe('hooks', () => {
  it('see every attempt through redacted views; a throwing hook breaks nothing; the logging hook prints one line per attempt', async () => {
    const before: Array<RequestView> = []
    const after: Array<ResponseView> = []
    const errors: Array<ErrorView> = []
    const lines: Array<string> = []
    let t = 1_000
    const env = newEnv({
      endpoint: s.url,
      now: () => (t += 5),
      sleep: () => Promise.resolve(true),
      random: () => 0,
      hooks: [
        { beforeRequest: (v) => before.push(v), afterResponse: (v) => after.push(v), onError: (v) => errors.push(v) },
        {
          beforeRequest: () => {
            throw new Error('a broken hook')
          }
        },
        loggingHook((l) => lines.push(l))
      ]
    })
    const r = await pipe(newLogout('hook-secret-token'), send(Logout))(env)()
    expect(r._tag).toBe('Right')
    expect(before.map((v) => v.attempt)).toStrictEqual([1, 2])
    expect(before[0]?.headers['x-amz-sso_bearer_token']).toBe('<redacted>')
    expect(before[0]?.method).toBe('POST')
    expect(before[0]?.url).toBe(`${s.url}/logout`)
    expect(after.map((v) => v.status)).toStrictEqual([503, 200])
    expect(errors).toHaveLength(1)
    expect(errors[0]?.willRetry).toBe(true)
    expect(lines[0]).toBe(`[fp-aws] SSO.Logout POST ${s.url}/logout 503 attempt=1 5ms`)
    expect(lines[1]).toBe('[fp-aws] SSO.Logout retrying after UnknownError attempt=1')
    expect(lines[2]).toBe(`[fp-aws] SSO.Logout POST ${s.url}/logout 200 attempt=2 5ms`)
    expect(JSON.stringify([before, after, errors, lines])).not.toContain('hook-secret-token')
  })
})

describe('async hooks', () => {
  it('a hook that returns a rejected promise is contained like a throw: no unhandled rejection', async () => {
    const s2 = await scriptedServer([{ status: 503 }, { status: 200 }])
    const unhandled: Array<unknown> = []
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    try {
      const rejecting = (): Promise<void> => Promise.reject(new Error('async hook failed'))
      const thenable = (): PromiseLike<void> => ({
        then: () => {
          throw new Error('a thenable that throws')
        }
      })
      const env = newEnv({
        endpoint: s2.url,
        sleep: () => Promise.resolve(true),
        random: () => 0,
        hooks: [
          { beforeRequest: rejecting, afterResponse: rejecting, onError: rejecting },
          { beforeRequest: thenable, afterResponse: thenable, onError: thenable },
          loggingHook(async () => Promise.reject(new Error('log sink down')))
        ]
      })
      const r = await pipe(newLogout('async-hook-token'), send(Logout))(env)()
      expect(r._tag).toBe('Right')
      expect(s2.requests).toHaveLength(2)
      // let every pending rejection surface
      for (let i = 0; i < 5; i++) await new Promise((res) => setImmediate(res))
      expect(unhandled).toStrictEqual([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
      await s2.close()
    }
  })
})

describe('the logging hook', () => {
  it('escapes control characters: neither an endpoint (CR, LF, ESC in its path) nor a server error code can forge a line or drive a terminal', async () => {
    const hostile = await scriptedServer([
      { status: 503, headers: { 'content-type': 'application/json' }, body: '{"__type":"Busy\\u001b[2J\\nforged line"}' },
      { status: 200 }
    ])
    try {
      const lines: Array<string> = []
      const env = newEnv({
        endpoint: `${hostile.url}/a\r\nforged: 1\u001b]0;title\u0007/`,
        sleep: () => Promise.resolve(true),
        random: () => 0,
        hooks: [loggingHook((l) => lines.push(l))]
      })
      const r = await pipe(newLogout('hook-secret-token'), send(Logout))(env)()
      expect(r._tag).toBe('Right')
      expect(lines).toHaveLength(3)
      // eslint-disable-next-line no-control-regex
      for (const l of lines) expect(l).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/)
      expect(lines[1]).toContain('retrying after Busy\\x1b[2J\\nforged line')
    } finally {
      await hostile.close()
    }
  })
})

describe('a page token that is the bearer token', () => {
  it('a server handing back the bearer token as nextToken cannot make it show in the next request URL of a hook view or a log line', async () => {
    const token = 'echoed+bearer/token=0123456789'
    const echo = await scriptedServer((req, i) =>
      i === 0
        ? {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ accountList: [], nextToken: req.headers['x-amz-sso_bearer_token'] })
          }
        : { status: 200, headers: { 'content-type': 'application/json' }, body: '{"accountList":[]}' }
    )
    try {
      const lines: Array<string> = []
      const urls: Array<string> = []
      const env = newEnv({ endpoint: echo.url, hooks: [loggingHook((l) => lines.push(l)), { beforeRequest: (v) => urls.push(v.url) }] })
      const r = await collectItems(ListAccounts, listAccountsPager)(newListAccounts(token))(env)()
      expect(r._tag).toBe('Right')
      // the server got what it asked for, on the wire
      expect(echo.requests[1]?.url).toBe(`/assignment/accounts?next_token=${encodeURIComponent(token)}`)
      expect(urls).toEqual([`${echo.url}/assignment/accounts`, `${echo.url}/assignment/accounts?next_token=<redacted>`])
      for (const s of [...lines, ...urls]) {
        expect(s).not.toContain(token)
        expect(s).not.toContain(encodeURIComponent(token))
      }
    } finally {
      await echo.close()
    }
  })
})

describe('hooks of one kind', () => {
  it('an onError-only or afterResponse-only hook gets the same redacted, scrubbed view as any other, one view an attempt', async () => {
    const token = 'echoed+bearer/token=0123456789'
    const echo = await scriptedServer((req, i) =>
      i === 0
        ? {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ accountList: [], nextToken: req.headers['x-amz-sso_bearer_token'] })
          }
        : { status: 503 }
    )
    try {
      const errors: Array<ErrorView> = []
      const after: Array<ResponseView> = []
      const env = newEnv({
        endpoint: echo.url,
        maxAttempts: 2,
        sleep: () => Promise.resolve(true),
        hooks: [{ onError: (v) => errors.push(v) }, { afterResponse: (v) => after.push(v) }]
      })
      const r = await collectItems(ListAccounts, listAccountsPager)(newListAccounts(token))(env)()
      expect(r._tag).toBe('Left')
      expect(after.map((v) => [v.status, v.request.attempt])).toEqual([
        [200, 1],
        [503, 1],
        [503, 2]
      ])
      expect(errors.map((v) => [v.request.attempt, v.willRetry])).toEqual([
        [1, true],
        [2, false]
      ])
      // the hooks of one attempt see one view
      expect(errors[0]?.request).toBe(after[1]?.request)
      expect(errors[1]?.request).toBe(after[2]?.request)
      for (const v of errors) {
        expect(v.request.url).toBe(`${echo.url}/assignment/accounts?next_token=<redacted>`)
        expect(v.request.headers['x-amz-sso_bearer_token']).toBe('<redacted>')
      }
      const seen = JSON.stringify([errors, after])
      expect(seen).not.toContain(token)
      expect(seen).not.toContain(encodeURIComponent(token))
    } finally {
      await echo.close()
    }
  })
})
