import * as fs from 'node:fs'
import * as path from 'node:path'
import { pipe } from 'fp-ts/lib/function.js'
import { afterEach, describe, expect, it } from 'vitest'
import { newEnv, send, type EnvOptions } from '../../src/index.js'
import { Logout, newLogout, newLogoutResponse } from '../../src/services/sso/index.js'
import { closedPort, scriptedServer, type Scripted, type Step } from '../util/scripted.js'

const TOKEN = 'aoaAAAAAGg-test-token-0123456789'
const servers: Array<Scripted> = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const serve = async (script: ReadonlyArray<Step>): Promise<Scripted> => {
  const s = await scriptedServer(script)
  servers.push(s)
  return s
}

/** Real server, real sockets; only the backoff wait is recorded instead of slept. */
const envFor = (url: string, extra: EnvOptions = {}) => {
  const sleeps: Array<number> = []
  const env = newEnv({
    endpoint: url,
    sleep: (ms) => {
      sleeps.push(ms)
      return Promise.resolve(true)
    },
    random: () => 0.5,
    ...extra
  })
  return { env, sleeps }
}

const logout = (token: string, env: ReturnType<typeof newEnv>) => pipe(newLogout(token), send(Logout))(env)()

const errorBody = (type: string, message: string) =>
  JSON.stringify({ message, __type: `com.amazonaws.switchboard.portal#${type}` })

describe('Logout over a real loopback server', () => {
  it('sends exactly POST /logout with the bearer header, no body, and succeeds on 200', async () => {
    const s = await serve([{ status: 200, body: '' }])
    const r = await logout(TOKEN, envFor(s.url).env)
    expect(r).toStrictEqual({ _tag: 'Right', right: newLogoutResponse() })
    expect(s.requests).toHaveLength(1)
    const req = s.requests[0]!
    expect(req.method).toBe('POST')
    expect(req.url).toBe('/logout')
    expect(req.headers['x-amz-sso_bearer_token']).toBe(TOKEN)
    expect(req.body).toBe('')
    expect(req.headers['user-agent']).toMatch(/^fp-aws\/\d+\.\d+\.\d+/)
    expect(req.headers['authorization']).toBeUndefined()
  })

  it('matches the golden request fixture', async () => {
    const s = await serve([{ status: 200 }])
    await logout(TOKEN, envFor(s.url).env)
    const req = s.requests[0]!
    const { host: _host, ...headers } = req.headers
    const golden = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/logout-request.json'), 'utf8'))
    expect({ method: req.method, url: req.url, headers, body: req.body }).toStrictEqual(golden)
  })

  it('treats any 2xx as success and ignores the body', async () => {
    const s = await serve([{ status: 204 }, { status: 202, body: 'not json at all' }])
    const { env } = envFor(s.url)
    expect((await logout(TOKEN, env))._tag).toBe('Right')
    expect((await logout(TOKEN, env))._tag).toBe('Right')
  })

  it.each([
    [400, 'InvalidRequestException'],
    [401, 'UnauthorizedException'],
    [404, 'ResourceNotFoundException']
  ])('maps HTTP %i %s to a ServiceError without retrying', async (status, code) => {
    const s = await serve([
      { status, headers: { 'x-amzn-RequestId': 'req-123' }, body: errorBody(code, 'Session token not found or invalid') }
    ])
    const r = await logout(TOKEN, envFor(s.url).env)
    expect(r._tag).toBe('Left')
    if (r._tag === 'Left' && r.left._tag === 'ServiceError') {
      expect(r.left.code).toBe(code)
      expect(r.left.status).toBe(status)
      expect(r.left.message).toBe('Session token not found or invalid')
      expect(r.left.requestId).toBe('req-123')
      expect(r.left.headers['content-type']).toBe('application/json')
    } else expect.fail(`expected a ServiceError, got ${JSON.stringify(r)}`)
    expect(s.requests).toHaveLength(1)
  })

  it('retries a 500 and then succeeds', async () => {
    const s = await serve([{ status: 500, body: errorBody('InternalServerException', 'boom') }, { status: 200 }])
    const { env, sleeps } = envFor(s.url)
    expect((await logout(TOKEN, env))._tag).toBe('Right')
    expect(s.requests).toHaveLength(2)
    expect(sleeps).toHaveLength(1)
    expect(sleeps[0]).toBe(50) // random 0.5 × base 100 ms
  })

  it('gives up after maxAttempts transient failures with the last error', async () => {
    const s = await serve([{ status: 503, body: '' }])
    const { env, sleeps } = envFor(s.url, { maxAttempts: 4 })
    const r = await logout(TOKEN, env)
    expect(r._tag === 'Left' && r.left._tag === 'ServiceError' && r.left.status).toBe(503)
    expect(s.requests).toHaveLength(4)
    expect(sleeps).toHaveLength(3)
  })

  it('maxAttempts 1 means no retry', async () => {
    const s = await serve([{ status: 500 }, { status: 200 }])
    const r = await logout(TOKEN, envFor(s.url, { maxAttempts: 1 }).env)
    expect(r._tag).toBe('Left')
    expect(s.requests).toHaveLength(1)
  })

  it('honours retry-after on a 429 TooManyRequestsException', async () => {
    const s = await serve([
      { status: 429, headers: { 'retry-after': '2' }, body: errorBody('TooManyRequestsException', 'slow down') },
      { status: 200 }
    ])
    const { env, sleeps } = envFor(s.url)
    expect((await logout(TOKEN, env))._tag).toBe('Right')
    expect(sleeps).toStrictEqual([2000])
  })

  it('a 429 TooManyRequestsException that persists ends as that ServiceError after maxAttempts', async () => {
    const s = await serve([{ status: 429, body: errorBody('TooManyRequestsException', 'slow down') }])
    const { env, sleeps } = envFor(s.url)
    const r = await logout(TOKEN, env)
    expect(r._tag === 'Left' && r.left._tag === 'ServiceError' && [r.left.status, r.left.code]).toStrictEqual([
      429,
      'TooManyRequestsException'
    ])
    expect(s.requests).toHaveLength(3)
    expect(sleeps).toStrictEqual([250, 500]) // 0.5 × 500 ms, then 0.5 × 1000 ms
  })

  it('uses the throttling base delay on a 429 without retry-after', async () => {
    const s = await serve([{ status: 429, body: errorBody('TooManyRequestsException', 'slow down') }, { status: 200 }])
    const { env, sleeps } = envFor(s.url)
    expect((await logout(TOKEN, env))._tag).toBe('Right')
    expect(sleeps).toStrictEqual([250]) // random 0.5 × 500 ms
  })

  it('retries a connection reset, then reports it', async () => {
    const s = await serve([{ reset: true }])
    const r = await logout(TOKEN, envFor(s.url).env)
    expect(r._tag === 'Left' && r.left._tag === 'TransportError' && r.left.reason).toBe('ConnectionReset')
    expect(s.requests).toHaveLength(3)
  })

  it('recovers from a connection reset', async () => {
    const s = await serve([{ reset: true }, { status: 200 }])
    expect((await logout(TOKEN, envFor(s.url).env))._tag).toBe('Right')
    expect(s.requests).toHaveLength(2)
  })

  it('reports a refused connection after retrying', async () => {
    const port = await closedPort()
    const { env, sleeps } = envFor(`http://127.0.0.1:${port}`)
    const r = await logout(TOKEN, env)
    expect(r._tag === 'Left' && r.left._tag === 'TransportError' && r.left.reason).toBe('ConnectionRefused')
    expect(sleeps).toHaveLength(2)
  })

  it('times out an attempt whose headers never come, and retries it', async () => {
    const s = await serve([{ hang: true }])
    const r = await logout(TOKEN, envFor(s.url, { attemptTimeoutMs: 100, maxAttempts: 2 }).env)
    expect(r._tag === 'Left' && r.left._tag === 'TransportError' && r.left.reason).toBe('Timeout')
    expect(s.requests).toHaveLength(2)
  })

  it('stops at the overall deadline with TotalTimeout and no further attempt', async () => {
    const s = await serve([{ hang: true }])
    const r = await logout(TOKEN, envFor(s.url, { attemptTimeoutMs: 5_000, totalTimeoutMs: 150 }).env)
    expect(r._tag === 'Left' && r.left._tag === 'TransportError' && r.left.reason).toBe('TotalTimeout')
    expect(s.requests).toHaveLength(1)
  })

  it('an abort during the attempt stops everything: no retry, nothing more sent', async () => {
    const s = await serve([{ hang: true }])
    const ac = new AbortController()
    const p = logout(TOKEN, envFor(s.url, { signal: ac.signal }).env)
    setTimeout(() => ac.abort(), 50)
    const r = await p
    expect(r._tag === 'Left' && r.left._tag === 'TransportError' && r.left.reason).toBe('Aborted')
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(s.requests).toHaveLength(1)
  })

  it('an abort during the backoff wait stops the retry', async () => {
    const s = await serve([{ status: 500 }])
    const ac = new AbortController()
    const env = newEnv({ endpoint: s.url, signal: ac.signal, random: () => 0.99 })
    const p = logout(TOKEN, env)
    setTimeout(() => ac.abort(), 30)
    const r = await p
    expect(r._tag === 'Left' && r.left._tag === 'TransportError' && r.left.reason).toBe('Aborted')
    expect(s.requests).toHaveLength(1)
  })

  it('an already-aborted signal sends nothing', async () => {
    const s = await serve([{ status: 200 }])
    const r = await logout(TOKEN, envFor(s.url, { signal: AbortSignal.abort() }).env)
    expect(r._tag === 'Left' && r.left._tag === 'TransportError' && r.left.reason).toBe('Aborted')
    expect(s.requests).toHaveLength(0)
  })

  it('refuses a redirect: the token never reaches the other host', async () => {
    const other = await serve([{ status: 200 }])
    const s = await serve([{ status: 307, headers: { location: `${other.url}/logout` } }])
    const r = await logout(TOKEN, envFor(s.url).env)
    expect(r._tag === 'Left' && r.left._tag === 'TransportError' && r.left.reason).toBe('Redirect')
    expect(r._tag === 'Left' && r.left._tag === 'TransportError' && r.left.status).toBe(307)
    expect(other.requests).toHaveLength(0)
    expect(s.requests).toHaveLength(1)
  })

  it.each([
    ['empty', ''],
    ['CR LF', 'abc\r\nX-Evil: 1'],
    ['LF', 'abc\ndef'],
    ['NUL', 'abc\u0000def'],
    ['other control character', 'abc\u0007def'],
    ['DEL', 'abc\u007fdef'],
    ['non-Latin-1', 'abc\u2028def'],
    ['leading space', ' abc'],
    ['trailing tab', 'abc\t']
  ])('rejects a %s token with a ValidationError and sends nothing', async (_name, token) => {
    const s = await serve([{ status: 200 }])
    const r = await logout(token, envFor(s.url).env)
    expect(r).toStrictEqual({
      _tag: 'Left',
      left: { _tag: 'ValidationError', operation: 'Logout', field: 'accessToken', message: expect.any(String) }
    })
    expect(s.requests).toHaveLength(0)
  })

  it('rejects a bad environment value with a ValidationError and sends nothing', async () => {
    const s = await serve([{ status: 200 }])
    const r = await logout(TOKEN, envFor(s.url, { maxAttempts: 0 }).env)
    expect(r._tag === 'Left' && r.left._tag).toBe('ValidationError')
    expect(s.requests).toHaveLength(0)
  })

  it('an endpoint that cannot be resolved is an EndpointError and nothing is sent', async () => {
    const r = await logout(TOKEN, newEnv({}))
    expect(r).toStrictEqual({
      _tag: 'Left',
      left: { _tag: 'EndpointError', message: 'Invalid Configuration: Missing Region' }
    })
  })

  it('a response body over the limit fails without being read whole', async () => {
    const s = await serve([{ status: 401, body: 'x'.repeat(64 * 1024) }])
    const r = await logout(TOKEN, envFor(s.url, { maxResponseBytes: 1024 }).env)
    expect(r._tag === 'Left' && r.left).toStrictEqual({
      _tag: 'SerializeError',
      message: 'response body larger than maxResponseBytes (1024 bytes)',
      status: 401
    })
    expect(s.requests).toHaveLength(1)
  })
})
