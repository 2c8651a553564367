import { describe, expect, it } from 'vitest'
import {
  DEMO_SEED,
  DEMO_TOKEN,
  decodeSeedFile,
  parseSeedFile,
  startEmulator,
  throttled,
  type Emulator,
  type EmulatorOptions
} from '../../src/emulator/index.js'
import { call, useEmulators, type Reply } from '../util/emulator.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const PORTAL = 'com.amazonaws.switchboard.portal'
const TOKEN = 'tok-secret-4f1c'

const accounts = [
  { accountId: '111111111111', accountName: 'dev', emailAddress: 'dev@example.com', roles: ['Admin', 'ReadOnly'] }
]

/** Starts an emulator that knows TOKEN, unless `options` has its own `tokens`. */
const start = (options: EmulatorOptions = {}): Promise<Emulator> => startRaw({ tokens: { [TOKEN]: { accounts } }, ...options })

/** Starts an emulator with exactly `options` (no `tokens`: the demo seed). */
const startRaw = useEmulators()

const logout = (emu: Emulator, token = TOKEN, timeoutMs?: number): Promise<Reply> =>
  call(emu, 'POST', '/logout', timeoutMs === undefined ? { token } : { token, timeoutMs })

const listAccounts = (emu: Emulator, token = TOKEN): Promise<Reply> =>
  call(emu, 'GET', '/assignment/accounts', { token })

const expectWire = (r: Reply): void => {
  expect(r.headers['x-amzn-requestid']).toMatch(UUID)
  expect(r.rawHeaders).toContain('x-amzn-RequestId')
  expect(r.headers['content-type']).toBe('application/json')
}

describe('demo seed', () => {
  it('seeds DEMO_TOKEN with two accounts and a few roles each when no tokens are given', async () => {
    const emu = await startRaw({})
    const accountsReply = await listAccounts(emu, DEMO_TOKEN)
    expect(accountsReply.status).toBe(200)
    const list = (JSON.parse(accountsReply.body) as { accountList: Array<{ accountId: string }> }).accountList
    expect(list.map((a) => a.accountId)).toEqual(['123456789012', '210987654321'])
    for (const { accountId } of list) {
      const roles = await call(emu, 'GET', `/assignment/roles?account_id=${accountId}`, { token: DEMO_TOKEN })
      expect((JSON.parse(roles.body) as { roleList: unknown[] }).roleList.length).toBeGreaterThanOrEqual(2)
    }
    const creds = await call(emu, 'GET', '/federation/credentials?account_id=123456789012&role_name=ReadOnly', {
      token: DEMO_TOKEN
    })
    expect(creds.status).toBe(200)
    expect((await logout(emu, DEMO_TOKEN)).status).toBe(200)
    expect(emu.isLoggedOut(DEMO_TOKEN)).toBe(true)
  })

  it('exports the seed frozen, and an explicit empty seed accepts no token', async () => {
    expect(Object.keys(DEMO_SEED)).toEqual([DEMO_TOKEN])
    expect(Object.isFrozen(DEMO_SEED[DEMO_TOKEN]?.accounts?.[0]?.roles)).toBe(true)
    const emu = await start({ tokens: {} })
    expect((await listAccounts(emu, DEMO_TOKEN)).status).toBe(401)
  })
})

describe('status faults', () => {
  it('answers 500, 500, then normally (plain fetch), and the operation does not run meanwhile', async () => {
    const emu = await start({ tokens: { [TOKEN]: {} }, faults: [{ status: 500 }, { status: 500 }] })
    const post = (): Promise<Response> =>
      fetch(`${emu.url}/logout`, { method: 'POST', headers: { 'x-amz-sso_bearer_token': TOKEN } })
    for (let i = 0; i < 2; i++) {
      const r = await post()
      expect(r.status).toBe(500)
      expect(r.headers.get('content-type')).toBe('application/json')
      expect(r.headers.get('x-amzn-requestid')).toMatch(UUID)
      expect(r.headers.get('x-amzn-errortype')).toMatch(/^InternalServerException:/)
      expect(await r.text()).toBe(`{"message":"Internal server error","__type":"${PORTAL}#InternalServerException"}`)
      expect(emu.isLoggedOut(TOKEN)).toBe(false)
    }
    const ok = await post()
    expect(ok.status).toBe(200)
    expect(await ok.text()).toBe('')
    expect(emu.isLoggedOut(TOKEN)).toBe(true)
    expect(emu.logoutCount(TOKEN)).toBe(3)
    expect(emu.pendingFaults()).toBe(0)
  })

  it('throttles with 429 TooManyRequestsException', async () => {
    const emu = await startRaw({ faults: [throttled()] })
    const r = await listAccounts(emu, DEMO_TOKEN)
    expect(r.status).toBe(429)
    expectWire(r)
    expect(JSON.parse(r.body)).toEqual({ message: 'Too many requests', __type: `${PORTAL}#TooManyRequestsException` })
    expect(Object.keys(JSON.parse(r.body) as object)).toEqual(['message', '__type'])
    expect((await listAccounts(emu, DEMO_TOKEN)).status).toBe(200)
  })

  it('sends a custom code, message, verbatim body and headers', async () => {
    const emu = await startRaw({
      faults: [
        { status: 400, code: 'InvalidRequestException', message: 'bad' },
        { status: 502, body: '<html>bad gateway</html>', headers: { 'Content-Type': 'text/html', 'retry-after': '1' } },
        { status: 503, code: 'SlowDown', headers: { 'x-amzn-RequestId': 'fixed-id' } }
      ]
    })
    const a = await listAccounts(emu, DEMO_TOKEN)
    expect(a.body).toBe(`{"message":"bad","__type":"${PORTAL}#InvalidRequestException"}`)
    const b = await listAccounts(emu, DEMO_TOKEN)
    expect(b.status).toBe(502)
    expect(b.body).toBe('<html>bad gateway</html>')
    expect(b.headers['content-type']).toBe('text/html')
    expect(b.rawHeaders.filter((h) => h.toLowerCase() === 'content-type')).toHaveLength(1)
    expect(b.headers['retry-after']).toBe('1')
    const c = await listAccounts(emu, DEMO_TOKEN)
    expect(c.headers['x-amzn-requestid']).toBe('fixed-id')
    expect(JSON.parse(c.body)).toEqual({ message: 'SlowDown', __type: `${PORTAL}#SlowDown` })
  })

  it('applies a fault only to the operation it targets, in order', async () => {
    const emu = await start({
      faults: [{ operation: 'ListAccounts', status: 503 }, { operation: 'Logout', status: 500 }, { status: 429 }]
    })
    expect((await logout(emu)).status).toBe(500)
    expect((await call(emu, 'GET', '/nowhere')).status).toBe(429) // only the '*' fault targets it
    expect((await listAccounts(emu)).status).toBe(503)
    expect((await listAccounts(emu)).status).toBe(200)
    expect((await logout(emu)).status).toBe(200)
  })
})

describe('delay, drop and hang', () => {
  it('delays the normal answer', async () => {
    const emu = await start({ faults: [{ delayMs: 150 }] })
    const t0 = Date.now()
    const r = await listAccounts(emu)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140)
    expect(r.status).toBe(200)
    expectWire(r)
    const t1 = Date.now()
    expect((await listAccounts(emu)).status).toBe(200)
    expect(Date.now() - t1).toBeLessThan(140)
  })

  it('drops before the response: the client sees a reset, and the operation does not run', async () => {
    const emu = await start({ faults: [{ drop: 'before-response' }] })
    await expect(logout(emu)).rejects.toMatchObject({ code: 'ECONNRESET' })
    expect(emu.isLoggedOut(TOKEN)).toBe(false)
    expect(emu.logoutCount(TOKEN)).toBe(1)
    expect((await logout(emu)).status).toBe(200)
  })

  it('drops before the response: fetch fails too', async () => {
    const emu = await start({ faults: [{ drop: 'before-response' }] })
    await expect(fetch(`${emu.url}/assignment/accounts`, { headers: { 'x-amz-sso_bearer_token': TOKEN } })).rejects.toThrow()
  })

  it('drops mid-body: status and headers arrive, then a truncated body and an error', async () => {
    const emu = await start({ faults: [{ drop: 'mid-body', operation: 'ListAccounts' }] })
    const err = (await listAccounts(emu).then(
      () => undefined,
      (e: unknown) => e
    )) as { code?: string; partial?: string; status?: number } | undefined
    expect(err).toBeDefined()
    expect(['ABORTED', 'ECONNRESET']).toContain(err?.code)
    if (err?.code === 'ABORTED') {
      expect(err.status).toBe(200)
      expect(err.partial?.startsWith('{"accountList":[')).toBe(true)
      expect(() => JSON.parse(err.partial ?? '')).toThrow()
    }
    expect((await listAccounts(emu)).status).toBe(200)
  })

  it('drops mid-body with fetch: the body read fails; the operation ran', async () => {
    const emu = await start({ faults: [{ drop: 'mid-body' }, { drop: 'mid-body' }] })
    const r = await fetch(`${emu.url}/assignment/accounts`, { headers: { 'x-amz-sso_bearer_token': TOKEN } })
    expect(r.status).toBe(200)
    expect(r.headers.get('x-amzn-requestid')).toMatch(UUID)
    await expect(r.text()).rejects.toThrow()
    // an empty body (Logout) is announced as chunked and never finished
    const l = await fetch(`${emu.url}/logout`, { method: 'POST', headers: { 'x-amz-sso_bearer_token': TOKEN } })
    expect(l.status).toBe(200)
    await expect(l.text()).rejects.toThrow()
    expect(emu.isLoggedOut(TOKEN)).toBe(true)
  })

  it('hangs: the client times out on its own; close() still returns promptly', async () => {
    const emu = await start({ faults: [{ hangs: true }] })
    const t0 = Date.now()
    await expect(logout(emu, TOKEN, 200)).rejects.toMatchObject({ code: 'CLIENT_TIMEOUT' })
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190)
    expect(emu.isLoggedOut(TOKEN)).toBe(false)
    // a second hang, still open when the emulator closes
    expect(emu.inject([{ hangs: true }])._tag).toBe('Right')
    const pending = logout(emu).catch((e: unknown) => e)
    await new Promise((r) => setTimeout(r, 50))
    const t1 = Date.now()
    await emu.close()
    expect(Date.now() - t1).toBeLessThan(500)
    expect(await pending).toMatchObject({ code: 'ECONNRESET' })
  })

  it('close() answers a delayed request at once', async () => {
    const emu = await start({ faults: [{ delayMs: 60_000 }] })
    const pending = listAccounts(emu)
    await new Promise((r) => setTimeout(r, 50))
    const t0 = Date.now()
    await emu.close()
    expect(Date.now() - t0).toBeLessThan(500)
    const r = await pending
    expect(r.status).toBe(200)
    expect(r.headers['connection']).toBe('close')
  })
})

describe('inject and clearFaults', () => {
  it('queues faults at run time, after those waiting, and clears them', async () => {
    const emu = await start({ faults: [{ status: 500 }] })
    expect(emu.inject([{ status: 503 }, throttled()])._tag).toBe('Right')
    expect(emu.pendingFaults()).toBe(3)
    expect((await listAccounts(emu)).status).toBe(500)
    expect((await listAccounts(emu)).status).toBe(503)
    emu.clearFaults()
    expect(emu.pendingFaults()).toBe(0)
    expect((await listAccounts(emu)).status).toBe(200)
    expect(emu.inject([{ status: 429 }])._tag).toBe('Right')
    expect((await listAccounts(emu)).status).toBe(429)
    expect((await listAccounts(emu)).status).toBe(200)
  })

  it('rejects invalid faults without queueing any', async () => {
    const emu = await start()
    const bad: ReadonlyArray<unknown> = [
      { status: 99 },
      { status: 500, delayMs: 1 },
      {},
      { delayMs: -1 },
      { drop: 'sometimes' },
      { hangs: false },
      { status: 500, operation: 'Nope' },
      { status: 500, headers: { 'content-length': '3' } },
      { status: 500, headers: { 'x-a': 'line\r\nbreak' } },
      { status: 500, code: 'not a code' },
      { status: 500, extra: 1 },
      null
    ]
    for (const f of bad) {
      const r = emu.inject([{ status: 500 }, f as never])
      expect(r._tag).toBe('Left')
      if (r._tag === 'Left') expect(r.left.message).toMatch(/^invalid faults: fault #2: /)
    }
    expect(emu.pendingFaults()).toBe(0)
    const r = await startEmulator({ faults: [{ delayMs: Number.NaN }] })()
    expect(r._tag).toBe('Left')
  })
})

describe('requests()', () => {
  it('logs method, path, query, operation, token presence and fault, never the token', async () => {
    const emu = await start({ faults: [{ operation: 'ListAccountRoles', status: 500 }] })
    await call(emu, 'GET', `/assignment/roles?account_id=111111111111&max_result=5`, { token: TOKEN })
    await call(emu, 'GET', `/assignment/accounts?next_token=${TOKEN}`, { token: TOKEN })
    await call(emu, 'POST', '/logout')
    await call(emu, 'GET', '/nowhere', { token: '' })
    const log = emu.requests()
    expect(log.map(({ at: _at, ...r }) => r)).toEqual([
      {
        method: 'GET',
        path: '/assignment/roles',
        query: { account_id: '111111111111', max_result: '5' },
        operation: 'ListAccountRoles',
        hasToken: true,
        fault: 'status'
      },
      {
        method: 'GET',
        path: '/assignment/accounts',
        query: { next_token: '<redacted>' },
        operation: 'ListAccounts',
        hasToken: true,
        fault: undefined
      },
      { method: 'POST', path: '/logout', query: {}, operation: 'Logout', hasToken: false, fault: undefined },
      { method: 'GET', path: '/nowhere', query: {}, operation: undefined, hasToken: false, fault: undefined }
    ])
    expect(JSON.stringify(log)).not.toContain(TOKEN)
    expect(log.every((r) => typeof r.at === 'number')).toBe(true)
    expect(emu.requestCount()).toBe(4)
  })
})

describe('seed files', () => {
  it('decodes a valid file', () => {
    expect(parseSeedFile(JSON.stringify({ tokens: { [TOKEN]: { accounts }, other: {} } }))).toEqual({
      _tag: 'Right',
      right: { [TOKEN]: { accounts }, other: {} }
    })
  })

  it('reports each problem by place, never quoting a token or a value', () => {
    const r = decodeSeedFile({
      tokens: {
        fine: {},
        [TOKEN]: { accounts: [{ accountId: 12, accountName: '', emailAddress: 'e', roles: ['a', 3] }], [`x${TOKEN}`]: 1 }
      }
    })
    expect(r._tag).toBe('Left')
    if (r._tag === 'Left') {
      const text = r.left.join('\n')
      expect(text).not.toContain(TOKEN)
      expect(text).toContain('tokens[<token #2>]: 1 unknown field')
      expect(decodeSeedFile({ tokens: { [TOKEN]: { accounts: [{ accountId: 12, accountName: '', emailAddress: 'e', roles: ['a', 3] }] } } })).toEqual({
        _tag: 'Left',
        left: [
          'tokens[<token #1>].accounts[0].accountId: expected a non-empty string',
          'tokens[<token #1>].accounts[0].accountName: expected a non-empty string',
          'tokens[<token #1>].accounts[0].roles[1]: expected a non-empty string'
        ]
      })
    }
    expect(decodeSeedFile([])).toEqual({ _tag: 'Left', left: ['the file: expected an object with a "tokens" field'] })
    expect(decodeSeedFile({ [TOKEN]: {} })._tag).toBe('Left')
    expect(JSON.stringify(decodeSeedFile({ [TOKEN]: {} }))).not.toContain(TOKEN)
    expect(parseSeedFile(`{"tokens":{"${TOKEN}":`)).toEqual({ _tag: 'Left', left: ['the file is not valid JSON'] })
  })
})
