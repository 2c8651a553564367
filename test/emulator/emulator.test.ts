import { describe, it, expect } from 'vitest'
import * as http from 'node:http'
import * as net from 'node:net'
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js'
import { call, useEmulators, type Reply } from '../util/emulator.js'

const UNAUTHORIZED_BODY =
  '{"message":"Session token not found or invalid","__type":"com.amazonaws.switchboard.portal#UnauthorizedException"}'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const startWith = useEmulators()

const accounts = [
  { accountId: '111111111111', accountName: 'dev', emailAddress: 'dev@example.com', roles: ['Admin', 'ReadOnly', 'Billing'] },
  { accountId: '222222222222', accountName: 'prod', emailAddress: 'prod@example.com', roles: ['ReadOnly'] },
  { accountId: '333333333333', accountName: 'sandbox', emailAddress: 'sb@example.com', roles: [] }
]

const seeded: EmulatorOptions = { tokens: { 'tok-a': { accounts }, 'tok-b': {} } }

const start = (options: EmulatorOptions = seeded): Promise<Emulator> => startWith(options)

const json = (r: Reply): Record<string, unknown> => JSON.parse(r.body) as Record<string, unknown>

const expectStandardHeaders = (r: Reply): void => {
  expect(r.headers['x-amzn-requestid']).toMatch(UUID)
  expect(r.rawHeaders).toContain('x-amzn-RequestId')
  expect(r.headers['content-type']).toBe('application/json')
}

const expectUnauthorized = (r: Reply): void => {
  expect(r.status).toBe(401)
  expect(r.body).toBe(UNAUTHORIZED_BODY)
  expectStandardHeaders(r)
}

const expectError = (r: Reply, status: number, type: string): string => {
  expect(r.status).toBe(status)
  expectStandardHeaders(r)
  const body = json(r)
  expect(body['__type']).toBe(type)
  expect(typeof body['message']).toBe('string')
  return body['message'] as string
}

describe('Logout', () => {
  it('logs a seeded token out with 200 and an empty body, then rejects it with the exact 401', async () => {
    const emu = await start()
    const first = await call(emu, 'POST', '/logout', { token: 'tok-a' })
    expect(first.status).toBe(200)
    expect(first.body).toBe('')
    expectStandardHeaders(first)
    expect(emu.isLoggedOut('tok-a')).toBe(true)
    expect(emu.isLoggedOut('tok-b')).toBe(false)

    expectUnauthorized(await call(emu, 'POST', '/logout', { token: 'tok-a' }))
    expect(emu.logoutCount('tok-a')).toBe(2)
  })

  it('rejects a logged-out token on every operation', async () => {
    const emu = await start()
    expect((await call(emu, 'POST', '/logout', { token: 'tok-a' })).status).toBe(200)
    expectUnauthorized(await call(emu, 'GET', '/assignment/accounts', { token: 'tok-a' }))
    expectUnauthorized(await call(emu, 'GET', '/assignment/roles?account_id=111111111111', { token: 'tok-a' }))
    expectUnauthorized(
      await call(emu, 'GET', '/federation/credentials?account_id=111111111111&role_name=Admin', { token: 'tok-a' })
    )
  })

  it('answers an unknown token with 401', async () => {
    const emu = await start()
    expectUnauthorized(await call(emu, 'POST', '/logout', { token: 'nope' }))
    expect(emu.isLoggedOut('nope')).toBe(false)
    expect(emu.logoutCount('nope')).toBe(1)
  })

  it('answers a missing or empty header with 401', async () => {
    const emu = await start()
    expectUnauthorized(await call(emu, 'POST', '/logout'))
    expectUnauthorized(await call(emu, 'POST', '/logout', { token: '' }))
    expectUnauthorized(await call(emu, 'GET', '/assignment/accounts'))
  })

  it('counts logouts per token', async () => {
    const emu = await start()
    expect(emu.logoutCount('tok-b')).toBe(0)
    await call(emu, 'POST', '/logout', { token: 'tok-b' })
    await call(emu, 'POST', '/logout', { token: 'tok-b' })
    await call(emu, 'POST', '/logout', { token: 'tok-b' })
    expect(emu.logoutCount('tok-b')).toBe(3)
    expect(emu.logoutCount('tok-a')).toBe(0)
  })

  it('drains and ignores a request body', async () => {
    const emu = await start()
    const r = await call(emu, 'POST', '/logout', { token: 'tok-b', body: 'x'.repeat(200_000) })
    expect(r.status).toBe(200)
    expect(emu.isLoggedOut('tok-b')).toBe(true)
  })
})

describe('lifecycle', () => {
  it('gives distinct ports for port 0, on 127.0.0.1', async () => {
    const a = await start()
    const b = await start()
    expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(a.url).not.toBe(b.url)
  })

  it('closes twice, then refuses connections', async () => {
    const emu = await start()
    await emu.close()
    await emu.close()
    await expect(call(emu, 'POST', '/logout', { token: 'tok-a' })).rejects.toMatchObject({ code: 'ECONNREFUSED' })
  })

  it('keeps connections alive, and close() closes idle keep-alive sockets', async () => {
    const emu = await start()
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const one = await call(emu, 'GET', '/assignment/accounts', { token: 'tok-a', agent })
      const two = await call(emu, 'GET', '/assignment/accounts', { token: 'tok-a', agent })
      expect(one.reusedSocket).toBe(false)
      expect(two.reusedSocket).toBe(true)
      const t0 = Date.now()
      await emu.close()
      expect(Date.now() - t0).toBeLessThan(500)
    } finally {
      agent.destroy()
    }
  })

  it('works with fetch (keep-alive) and still closes promptly', async () => {
    const emu = await start()
    const ok = await fetch(`${emu.url}/logout`, { method: 'POST', headers: { 'x-amz-sso_bearer_token': 'tok-a' } })
    expect(ok.status).toBe(200)
    expect(await ok.text()).toBe('')
    const again = await fetch(`${emu.url}/logout`, { method: 'POST', headers: { 'x-amz-sso_bearer_token': 'tok-a' } })
    expect(again.status).toBe(401)
    expect(again.headers.get('content-type')).toBe('application/json')
    expect(again.headers.get('x-amzn-requestid')).toMatch(UUID)
    expect(await again.text()).toBe(UNAUTHORIZED_BODY)
    const t0 = Date.now()
    await emu.close()
    expect(Date.now() - t0).toBeLessThan(500)
  })

  it('answers a request in flight when close() is called', async () => {
    const emu = await start()
    const reply = new Promise<Reply>((resolve, reject) => {
      const req = http.request(
        `${emu.url}/logout`,
        { method: 'POST', headers: { 'x-amz-sso_bearer_token': 'tok-a' }, agent: false },
        (res) => {
          res.resume()
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: [], body: '', reusedSocket: false })
          )
        }
      )
      req.on('error', reject)
      req.write('partial body')
      setTimeout(() => {
        void emu.close()
        setTimeout(() => req.end(), 20)
      }, 20)
    })
    const r = await reply
    expect(r.status).toBe(200)
    expect(r.headers['connection']).toBe('close')
    await emu.close()
  })

  it('fails with an EmulatorError when the port is in use', async () => {
    const emu = await start()
    const port = Number(new URL(emu.url).port)
    const r = await startEmulator({ port })()
    expect(r._tag).toBe('Left')
    if (r._tag === 'Left') {
      expect(r.left._tag).toBe('EmulatorError')
      expect(r.left.message).toContain('EADDRINUSE')
    }
  })

  it('fails with an EmulatorError on an invalid port, without throwing', async () => {
    for (const port of [-1, 65536, 1.5, Number.NaN]) {
      const r = await startEmulator({ port })()
      expect(r._tag).toBe('Left')
    }
  })

  it('counts every request', async () => {
    const emu = await start()
    await call(emu, 'POST', '/logout', { token: 'nope' })
    await call(emu, 'GET', '/nowhere')
    await call(emu, 'GET', '/assignment/accounts', { token: 'tok-a' })
    expect(emu.requestCount()).toBe(3)
  })
})

describe('routing', () => {
  it('answers an unknown path with 404 UnknownOperationException', async () => {
    const emu = await start()
    expectError(await call(emu, 'GET', '/nowhere', { token: 'tok-a' }), 404, 'com.amazon.coral.service#UnknownOperationException')
    expectError(await call(emu, 'POST', '/logout/', { token: 'tok-a' }), 404, 'com.amazon.coral.service#UnknownOperationException')
    expect(emu.isLoggedOut('tok-a')).toBe(false)
  })

  it('answers a wrong method with 405 and Allow', async () => {
    const emu = await start()
    const r = await call(emu, 'GET', '/logout', { token: 'tok-a' })
    expectError(r, 405, 'com.amazon.coral.service#UnknownOperationException')
    expect(r.headers['allow']).toBe('POST')
    expect(emu.isLoggedOut('tok-a')).toBe(false)
    expect((await call(emu, 'DELETE', '/assignment/accounts', { token: 'tok-a' })).headers['allow']).toBe('GET')
  })

  it('survives garbage on the socket and keeps serving', async () => {
    const emu = await start()
    const { port } = new URL(emu.url)
    const reply = await new Promise<string>((resolve) => {
      const s = net.connect(Number(port), '127.0.0.1', () => s.write('\u0000\u00ffNOT HTTP AT ALL\r\n\r\n'))
      let data = ''
      s.on('data', (c: Buffer) => (data += c.toString('latin1')))
      s.on('close', () => resolve(data))
      s.on('error', () => resolve(data))
    })
    expect(reply).toMatch(/^HTTP\/1\.1 400/)
    const weird = await call(emu, 'GET', '/assignment/accounts?max_result=%ZZ&next_token=%%%', { token: 'tok-a' })
    expect(weird.status).toBe(400)
    expect((await call(emu, 'GET', '/assignment/accounts', { token: 'tok-a' })).status).toBe(200)
  })
})

describe('ListAccounts', () => {
  it('pages through every account with max_result=1', async () => {
    const emu = await start()
    const seen: unknown[] = []
    let next: string | undefined
    let pages = 0
    do {
      const q = new URLSearchParams({ max_result: '1' })
      if (next !== undefined) q.set('next_token', next)
      const r = await call(emu, 'GET', `/assignment/accounts?${q.toString()}`, { token: 'tok-a' })
      expect(r.status).toBe(200)
      expectStandardHeaders(r)
      const body = json(r)
      seen.push(...(body['accountList'] as unknown[]))
      next = body['nextToken'] as string | undefined
      if (next !== undefined) expect(next).not.toMatch(/^\d+$/)
      pages += 1
    } while (next !== undefined && pages < 10)
    expect(pages).toBe(3)
    expect(seen).toEqual(accounts.map(({ accountId, accountName, emailAddress }) => ({ accountId, accountName, emailAddress })))
  })

  it('returns everything on one page by default, without nextToken', async () => {
    const emu = await start()
    const body = json(await call(emu, 'GET', '/assignment/accounts', { token: 'tok-a' }))
    expect(Object.keys(body)).toEqual(['accountList'])
    expect((body['accountList'] as unknown[]).length).toBe(3)
    expect(json(await call(emu, 'GET', '/assignment/accounts', { token: 'tok-b' }))).toEqual({ accountList: [] })
  })

  it('rejects max_result outside 1..100 and non-integers with 400', async () => {
    const emu = await start()
    for (const v of ['0', '101', '-5', 'abc', '1.5', '99999999999999999999']) {
      const msg = expectError(
        await call(emu, 'GET', `/assignment/accounts?max_result=${v}`, { token: 'tok-a' }),
        400,
        'com.amazonaws.switchboard.portal#InvalidRequestException'
      )
      expect(msg).toContain('maxResults')
    }
    expect((await call(emu, 'GET', '/assignment/accounts?max_result=100', { token: 'tok-a' })).status).toBe(200)
  })

  it('rejects a forged or foreign next_token with 400', async () => {
    const emu = await start()
    expectError(
      await call(emu, 'GET', '/assignment/accounts?next_token=garbage', { token: 'tok-a' }),
      400,
      'com.amazonaws.switchboard.portal#InvalidRequestException'
    )
    const roles = json(await call(emu, 'GET', '/assignment/roles?account_id=111111111111&max_result=1', { token: 'tok-a' }))
    const foreign = encodeURIComponent(roles['nextToken'] as string)
    expectError(
      await call(emu, 'GET', `/assignment/accounts?next_token=${foreign}`, { token: 'tok-a' }),
      400,
      'com.amazonaws.switchboard.portal#InvalidRequestException'
    )
  })
})

describe('ListAccountRoles', () => {
  it('pages through the roles of an account', async () => {
    const emu = await start()
    const seen: unknown[] = []
    let next: string | undefined
    let pages = 0
    do {
      const q = new URLSearchParams({ account_id: '111111111111', max_result: '2' })
      if (next !== undefined) q.set('next_token', next)
      const body = json(await call(emu, 'GET', `/assignment/roles?${q.toString()}`, { token: 'tok-a' }))
      seen.push(...(body['roleList'] as unknown[]))
      next = body['nextToken'] as string | undefined
      pages += 1
    } while (next !== undefined && pages < 10)
    expect(pages).toBe(2)
    expect(seen).toEqual([
      { roleName: 'Admin', accountId: '111111111111' },
      { roleName: 'ReadOnly', accountId: '111111111111' },
      { roleName: 'Billing', accountId: '111111111111' }
    ])
  })

  it('answers 400 without account_id and 403 for an account not assigned', async () => {
    const emu = await start()
    const msg = expectError(
      await call(emu, 'GET', '/assignment/roles', { token: 'tok-a' }),
      400,
      'com.amazonaws.switchboard.portal#InvalidRequestException'
    )
    expect(msg).toContain('accountId')
    const r = await call(emu, 'GET', '/assignment/roles?account_id=999999999999', { token: 'tok-a' })
    expect(expectError(r, 403, 'com.amazonaws.switchboard.portal#ForbiddenException')).toBe('No access')
  })
})

describe('GetRoleCredentials', () => {
  it('returns credentials expiring in one hour, in epoch milliseconds', async () => {
    const emu = await start()
    const before = Date.now()
    const r = await call(emu, 'GET', '/federation/credentials?role_name=Admin&account_id=111111111111', {
      token: 'tok-a'
    })
    const after = Date.now()
    expect(r.status).toBe(200)
    expectStandardHeaders(r)
    const body = json(r)
    expect(Object.keys(body)).toEqual(['roleCredentials'])
    const c = body['roleCredentials'] as Record<string, unknown>
    expect(Object.keys(c).sort()).toEqual(['accessKeyId', 'expiration', 'secretAccessKey', 'sessionToken'])
    expect(c['accessKeyId']).toMatch(/^ASIA[A-Z2-7]{16}$/)
    expect(typeof c['secretAccessKey']).toBe('string')
    expect(typeof c['sessionToken']).toBe('string')
    expect(c['expiration']).toBeGreaterThanOrEqual(before + 3_600_000)
    expect(c['expiration']).toBeLessThanOrEqual(after + 3_600_000)
  })

  it('answers 403 No access for a role or account not assigned', async () => {
    const emu = await start()
    for (const q of [
      'role_name=Admin&account_id=222222222222',
      'role_name=Nope&account_id=111111111111',
      'role_name=Admin&account_id=999999999999'
    ]) {
      const r = await call(emu, 'GET', `/federation/credentials?${q}`, { token: 'tok-a' })
      expect(expectError(r, 403, 'com.amazonaws.switchboard.portal#ForbiddenException')).toBe('No access')
    }
  })

  it('answers 400 for missing required parameters, listing every one', async () => {
    const emu = await start()
    const msg = expectError(
      await call(emu, 'GET', '/federation/credentials', { token: 'tok-a' }),
      400,
      'com.amazonaws.switchboard.portal#InvalidRequestException'
    )
    expect(msg).toMatch(/^2 validation errors detected/)
    expect(msg).toContain('roleName')
    expect(msg).toContain('accountId')
  })

  it('checks the token before the input', async () => {
    const emu = await start()
    expectUnauthorized(await call(emu, 'GET', '/federation/credentials', { token: 'nope' }))
  })
})
