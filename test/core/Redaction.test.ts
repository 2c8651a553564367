import * as util from 'node:util'
import fc from 'fast-check'
import { pipe } from 'fp-ts/lib/function.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { endpointError, loggingHook, newEnv, send, type AWSRequest, type Hooks } from '../../src/index.js'
import { parseRestJsonError, type Service } from '../../src/core/Service.js'
import { sensitive } from '../../src/core/Sensitive.js'
import { Logout, LogoutShow, newLogout } from '../../src/services/sso/index.js'
import { closedPort, scriptedServer, type Scripted } from '../util/scripted.js'

/** Distinctive tokens, so that finding one in an output cannot be a coincidence. */
const token = fc
  .string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.'.split('')), minLength: 16, maxLength: 80 })
  .map((s) => `tok${s}`)

let ok: Scripted, echo: Scripted, reset: Scripted, redirect: Scripted, refused: string
beforeAll(async () => {
  ok = await scriptedServer([{ status: 200 }])
  // a hostile server that echoes the token back in its body and headers
  echo = await scriptedServer((req) => {
    const t = String(req.headers['x-amz-sso_bearer_token'])
    return {
      status: 401,
      headers: { 'x-echo': t, 'x-amzn-errortype': `Unauthorized${t}Exception`, 'x-amzn-requestid': t },
      body: JSON.stringify({ message: `token ${t} is invalid`, __type: `ns#${t}` })
    }
  })
  reset = await scriptedServer([{ reset: true }])
  redirect = await scriptedServer((req) => ({
    status: 302,
    headers: { location: `http://127.0.0.1:1/steal?t=${String(req.headers['x-amz-sso_bearer_token'])}` }
  }))
  refused = `http://127.0.0.1:${await closedPort()}`
})
afterAll(async () => {
  await Promise.all([ok, echo, reset, redirect].map((s) => s.close()))
})

describe('no output path ever contains the token', () => {
  it('success, service error, hostile echo, reset, refused, redirect, bad input, hooks and logs', async () => {
    await fc.assert(
      fc.asyncProperty(token, async (tok) => {
        const outputs: Array<string> = []
        const capture: Hooks = {
          beforeRequest: (v) => outputs.push(JSON.stringify(v), util.inspect(v, { depth: 10 })),
          afterResponse: (v) => outputs.push(JSON.stringify(v), util.inspect(v, { depth: 10 })),
          onError: (v) => outputs.push(JSON.stringify(v), util.inspect(v, { depth: 10 }))
        }
        const written: Array<string> = []
        const origOut = process.stdout.write.bind(process.stdout)
        const origErr = process.stderr.write.bind(process.stderr)
        const grab = (chunk: unknown) => {
          written.push(String(chunk))
          return true
        }
        process.stdout.write = grab as typeof process.stdout.write
        process.stderr.write = grab as typeof process.stderr.write
        try {
          const hooks = [capture, loggingHook((l) => outputs.push(l))]
          const env = (url: string) => newEnv({ endpoint: url, hooks, sleep: () => Promise.resolve(true) })
          const rq = newLogout(tok)
          outputs.push(LogoutShow.show(rq), JSON.stringify(rq), util.inspect(rq, { depth: 10, showHidden: true }), String(rq.accessToken))
          for (const url of [ok.url, echo.url, reset.url, redirect.url, refused]) {
            const r = await pipe(rq, send(Logout))(env(url))()
            outputs.push(JSON.stringify(r), util.inspect(r, { depth: 10, showHidden: true }))
            if (r._tag === 'Left') outputs.push(r.left.message, String(r.left))
          }
          const bad = await pipe(newLogout(`${tok}\r\n`), send(Logout))(env(ok.url))()
          outputs.push(JSON.stringify(bad), util.inspect(bad, { depth: 10 }))
        } finally {
          process.stdout.write = origOut
          process.stderr.write = origErr
        }
        for (const o of [...outputs, ...written]) expect(o).not.toContain(tok)
        expect(outputs.some((o) => o.includes('<redacted>'))).toBe(true)
      }),
      { numRuns: 15 }
    )
  })

  it('a short token that occurs by chance in a reply does not corrupt the error code or message', async () => {
    const s = await scriptedServer([
      { status: 401, body: JSON.stringify({ message: 'Session token not found or invalid', __type: 'ns#UnauthorizedException' }) }
    ])
    try {
      for (const tok of ['p', 'n', 'Exc']) {
        const r = await pipe(newLogout(tok), send(Logout))(newEnv({ endpoint: s.url }))()
        expect(r._tag === 'Left' && r.left._tag === 'ServiceError' && [r.left.code, r.left.message, r.left.headers['content-type']]).toStrictEqual([
          'UnauthorizedException',
          'Session token not found or invalid',
          'application/json'
        ])
      }
    } finally {
      await s.close()
    }
  })

  it('a secret written into a JSON body (HttpRequest.secrets) is scrubbed out of what comes back', async () => {
    // a service that names no real one: its requests carry the secret in the body only
    const service: Service = {
      abbrev: 'Test',
      serviceId: 'Test',
      endpointPrefix: 'test',
      signingName: 'test',
      version: '2020-01-01',
      resolveEndpoint: (p) => (p.Endpoint === undefined ? E.left(endpointError('no endpoint')) : E.right({ url: p.Endpoint })),
      parseError: parseRestJsonError
    }
    const Op: AWSRequest<string, unknown> = {
      service,
      operation: 'Exchange',
      errorCodes: [],
      toRequest: (secret) =>
        E.right({
          method: 'POST',
          path: '/exchange',
          query: [],
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ clientId: 'c', clientSecret: secret }),
          secrets: [sensitive(secret)]
        }),
      parseResponse: () => E.right(undefined)
    }
    const s = await scriptedServer((req) => {
      const t = (JSON.parse(req.body) as { readonly clientSecret: string }).clientSecret
      return {
        status: 400,
        headers: { 'x-echo': t, 'x-amzn-errortype': `Bad${t}Exception`, 'x-amzn-requestid': t },
        body: JSON.stringify({ error: 'invalid_client', error_description: `client secret ${t} is invalid` })
      }
    })
    try {
      await fc.assert(
        fc.asyncProperty(token, async (secret) => {
          const outputs: Array<string> = []
          const capture: Hooks = {
            beforeRequest: (v) => outputs.push(JSON.stringify(v), util.inspect(v, { depth: 10 })),
            afterResponse: (v) => outputs.push(JSON.stringify(v), util.inspect(v, { depth: 10 })),
            onError: (v) => outputs.push(JSON.stringify(v), util.inspect(v, { depth: 10 }))
          }
          const env = newEnv({ endpoint: s.url, hooks: [capture, loggingHook((l) => outputs.push(l))], maxAttempts: 1 })
          const r = await pipe(secret, send(Op))(env)()
          expect(r._tag === 'Left' && r.left._tag === 'ServiceError' && r.left.message).toBe('client secret <redacted> is invalid')
          outputs.push(JSON.stringify(r), util.inspect(r, { depth: 10, showHidden: true }))
          for (const o of outputs) expect(o).not.toContain(secret)
          // the server did receive it
          expect(s.requests.at(-1)?.body).toContain(secret)
        }),
        { numRuns: 15 }
      )
    } finally {
      await s.close()
    }
  })

  it('the hostile server did receive the token (the test is not vacuous)', () => {
    expect(echo.requests.length).toBeGreaterThan(0)
    expect(String(echo.requests[0]?.headers['x-amz-sso_bearer_token'])).toMatch(/^tok/)
  })
})
