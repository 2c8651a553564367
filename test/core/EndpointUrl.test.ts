/**
 * Custom endpoint URLs with a query, a fragment or user-info are refused, from every source,
 * before anything is sent; a base path is kept. Through a real server on 127.0.0.1.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { pipe } from 'fp-ts/lib/function.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fromEnvironment, loggingHook, newEnv, send, type Env } from '../../src/index.js'
import { Logout, newLogout } from '../../src/services/sso/index.js'
import { scriptedServer, type Scripted } from '../util/scripted.js'

let s: Scripted
let home: string
beforeAll(async () => {
  s = await scriptedServer([{ status: 200 }])
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-endpoint-'))
})
afterAll(async () => {
  await s.close()
  fs.rmSync(home, { recursive: true, force: true })
})

const TOKEN = 'endpoint-url-token-0123456789'

const logout = (env: Env) => pipe(newLogout(TOKEN), send(Logout))(env)()

/** What each bad endpoint must not echo. */
const bad = (): ReadonlyArray<readonly [string, string, string]> => [
  ['a query', `${s.url}?q=1`, 'q=1'],
  ['a query after a path', `${s.url}/base?secret=abc`, 'secret=abc'],
  ['an empty query', `${s.url}/?`, '?'],
  ['a fragment', `${s.url}/#zzsecretzz`, 'zzsecretzz'],
  ['an empty fragment', `${s.url}#`, '#'],
  ['user-info', s.url.replace('//', '//user:pa55word@'), 'pa55word'],
  ['a user name alone', s.url.replace('//', '//someone@'), 'someone'],
  ['an empty user-info', s.url.replace('//', '//@'), '@']
]

describe('custom endpoints with a query, fragment or user-info', () => {
  it('newEnv({ endpoint }): an EndpointError that does not echo it; nothing sent, nothing logged', async () => {
    for (const [what, url, secret] of bad()) {
      const lines: Array<string> = []
      const seen: Array<string> = []
      const r = await logout(
        newEnv({ endpoint: url, hooks: [loggingHook((l) => lines.push(l)), { beforeRequest: (v) => seen.push(v.url) }] })
      )
      expect(r._tag, what).toBe('Left')
      if (r._tag === 'Left') {
        expect(r.left._tag, what).toBe('EndpointError')
        expect(r.left.message, what).not.toContain(secret)
        expect(r.left.message, what).not.toContain(url)
      }
      expect([lines, seen], what).toStrictEqual([[], []])
    }
    expect(s.requests).toHaveLength(0)
  })

  it('from AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_SSO, endpoint_url and the services section: the same', async () => {
    const config = path.join(home, 'config')
    for (const [what, url, secret] of bad()) {
      fs.writeFileSync(config, `[default]\nendpoint_url = ${url}\n[profile svc]\nservices = s\n[services s]\nsso =\n  endpoint_url = ${url}\n`)
      const sources: ReadonlyArray<Record<string, string>> = [
        { AWS_ENDPOINT_URL: url },
        { AWS_ENDPOINT_URL_SSO: url },
        { AWS_CONFIG_FILE: config },
        { AWS_CONFIG_FILE: config, AWS_PROFILE: 'svc' }
      ]
      for (const env of sources) {
        const e = await fromEnvironment({ env: { AWS_REGION: 'us-east-1', ...env }, homedir: home })()
        const label = `${what} via ${Object.keys(env).join('+')}`
        if (e._tag === 'Left') {
          // refused while reading the configuration is fine too, if it does not echo
          expect(JSON.stringify(e.left), label).not.toContain(secret)
          continue
        }
        const r = await logout(e.right)
        expect(r._tag === 'Left' && r.left._tag, label).toBe('EndpointError')
        expect(JSON.stringify(r), label).not.toContain(secret)
      }
    }
    expect(s.requests).toHaveLength(0)
  })

  it('a non-http(s) scheme is an EndpointError too', async () => {
    for (const url of ['ftp://127.0.0.1/', 'file:///etc/passwd', 'javascript:alert(1)', 'data:,x', '127.0.0.1:80']) {
      const r = await logout(newEnv({ endpoint: url }))
      expect(r._tag === 'Left' && r.left._tag, url).toBe('EndpointError')
    }
    expect(s.requests).toHaveLength(0)
  })
})

describe('a base path in the endpoint is kept', () => {
  it.each([
    ['', '/logout'],
    ['/', '/logout'],
    ['/base', '/base/logout'],
    ['/base/', '/base/logout'],
    ['/a/b', '/a/b/logout']
  ])('endpoint %j sends POST %s', async (suffix, sent) => {
    const before = s.requests.length
    const r = await logout(newEnv({ endpoint: `${s.url}${suffix}` }))
    expect(r._tag).toBe('Right')
    expect(s.requests.slice(before).map((q) => `${q.method} ${q.url}`)).toStrictEqual([`POST ${sent}`])
  })
})

describe('white space around an endpoint', () => {
  it('is dropped, as the URL parser and the environment reading do: the call is sent, not a TransportError', async () => {
    for (const url of [` ${s.url} `, `\t${s.url}/base\n`, `${s.url}\r\n`]) {
      const before = s.requests.length
      const r = await logout(newEnv({ endpoint: url }))
      expect(r._tag, JSON.stringify(url)).toBe('Right')
      expect(s.requests.slice(before).map((q) => `${q.method} ${q.url}`), JSON.stringify(url)).toStrictEqual([
        url.includes('/base') ? 'POST /base/logout' : 'POST /logout'
      ])
    }
  })

  it('is dropped before the URL is checked: a query, fragment or user-info behind a control character is refused too', async () => {
    for (const [what, url, secret] of bad()) {
      for (const padded of [`\u0001${url}`, ` ${url}\u001f`]) {
        const r = await logout(newEnv({ endpoint: padded }))
        expect(r._tag === 'Left' && r.left._tag, `${what} ${JSON.stringify(padded)}`).toBe('EndpointError')
        expect(r._tag === 'Left' && r.left.message, what).not.toContain(secret)
      }
    }
    expect(s.requests.filter((q) => q.url.includes('?') || q.url.includes('#'))).toHaveLength(0)
  })
})
