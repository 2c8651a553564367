/**
 * `fromAxios` keeps the default client's contract whatever axios instance it is given:
 * no redirect followed, statuses mapped the same, the same body limits. Two real servers
 * on 127.0.0.1: the second one, on another port, is "another host".
 */
import { createRequire } from 'node:module'
import { pipe } from 'fp-ts/lib/function.js'
import axios, { type AxiosInstance } from 'axios'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newEnv, send } from '../../src/index.js'
import { fromAxios } from '../../src/core/Http.js'
import { Logout, newLogout } from '../../src/services/sso/index.js'
import { scriptedServer, type Scripted, type Step } from '../util/scripted.js'

/** axios's own dependency: a transport that follows redirects. */
const followRedirects = createRequire(`${process.cwd()}/`)('follow-redirects') as { readonly http: unknown }

const TOKEN = 'from-axios-token-0123456789'

let other: Scripted
let portal: Scripted
beforeAll(async () => {
  other = await scriptedServer([{ status: 200 }])
  portal = await scriptedServer((req): Step => {
    switch (req.url) {
      case '/redirect/logout':
        return { status: 302, headers: { location: `${other.url}/steal` } }
      case '/redirect307/logout':
        return { status: 307, headers: { location: `${other.url}/steal` } }
      case '/unauthorized/logout':
        return {
          status: 401,
          headers: { 'x-amzn-errortype': 'UnauthorizedException' },
          body: '{"message":"Session token not found or invalid"}'
        }
      case '/big/logout':
        return { status: 200, body: 'x'.repeat(4096) }
      case '/big-error/logout':
        return { status: 500, body: 'x'.repeat(4096) }
      default:
        return { status: 200 }
    }
  })
})
afterAll(() => Promise.all([other.close(), portal.close()]))

const withInterceptors = (): AxiosInstance => {
  const i = axios.create({ maxRedirects: 10, validateStatus: (s) => s < 300, maxContentLength: -1, timeout: 0 })
  i.interceptors.request.use((c) => {
    c.headers.set('x-seen-by-interceptor', 'yes')
    return c
  })
  // the common pattern: a response interceptor that rethrows errors
  i.interceptors.response.use(
    (r) => r,
    (e: unknown) => Promise.reject(e)
  )
  return i
}

const instances: ReadonlyArray<readonly [string, () => AxiosInstance]> = [
  ['plain axios', () => axios],
  ['axios.create()', () => axios.create()],
  ['axios.create({ responseType: "json", transformResponse }) ', () => axios.create({ responseType: 'json', transformResponse: [(d: unknown) => d] })],
  ['an instance with interceptors and lax defaults', withInterceptors],
  ['an instance whose transport follows redirects', () => axios.create({ transport: followRedirects.http, params: { leak: 'x' } })]
]

describe.each(instances)('fromAxios(%s)', (_, make) => {
  const env = (path: string, maxResponseBytes = 1024 * 1024) =>
    newEnv({ endpoint: `${portal.url}/${path}`, http: fromAxios(make()), maxResponseBytes, maxAttempts: 1 })
  const logout = (path: string, max?: number) => pipe(newLogout(TOKEN), send(Logout))(env(path, max))()

  it('never follows a redirect to another host: a TransportError Redirect; the other host sees nothing', async () => {
    for (const path of ['redirect', 'redirect307']) {
      const r = await logout(path)
      expect(r._tag === 'Left' && r.left._tag === 'TransportError' && r.left.reason).toBe('Redirect')
    }
    expect(other.requests).toHaveLength(0)
  })

  it('a 401 is a ServiceError', async () => {
    const r = await logout('unauthorized')
    expect(r._tag === 'Left' && r.left._tag === 'ServiceError' && r.left.code).toBe('UnauthorizedException')
  })

  it('a body over maxResponseBytes is a SerializeError, 2xx or not', async () => {
    for (const path of ['big', 'big-error']) {
      const r = await logout(path, 1024)
      expect(r._tag === 'Left' && r.left._tag, path).toBe('SerializeError')
    }
  })

  it('a 200 is a Right', async () => {
    const r = await logout('ok')
    expect(r._tag).toBe('Right')
    expect(portal.requests.at(-1)?.headers['x-amz-sso_bearer_token']).toBe(TOKEN)
    // the instance's default params are not appended
    expect(portal.requests.at(-1)?.url).toBe('/ok/logout')
  })
})
