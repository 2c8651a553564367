/**
 * A model test of the emulator's SSO OIDC state machine: random sequences of registrations,
 * device authorizations, polls, approvals and denials, waits (on the injected clock),
 * refreshes (with the current or a rotated-out refresh token), portal calls and portal
 * logouts run against a real emulator over loopback HTTP, and each answer must be the one a
 * small model of the documented behaviour predicts.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'
const TTL = { access: 4, refresh: 8, device: 5, registration: 20, interval: 2 }

interface Client {
  readonly clientId: string
  readonly clientSecret: string
  readonly refresh: boolean
  readonly expiresAt: number
}
interface Device {
  readonly client: Client
  readonly deviceCode: string
  readonly userCode: string
  readonly expiresAt: number
  decision: 'pending' | 'approved' | 'denied'
  lastPoll: number | undefined
  done: boolean
}
interface Session {
  readonly client: Client
  readonly tokens: Array<{ readonly token: string; readonly expiresAt: number }>
  refresh: { readonly token: string; readonly expiresAt: number } | undefined
  readonly old: Array<string>
  ended: boolean
}
interface Model {
  now: number
  readonly clients: Array<Client>
  readonly devices: Array<Device>
  readonly sessions: Array<Session>
}
interface Real {
  readonly emu: Emulator
  readonly advance: (ms: number) => void
}

interface Answer {
  readonly status: number
  readonly code: string | undefined
  readonly json: Record<string, unknown>
}

const post = async (emu: Emulator, path: string, body: unknown): Promise<Answer> => {
  const res = await fetch(`${emu.url}${path}`, { method: 'POST', body: JSON.stringify(body) })
  const json = (await res.json()) as Record<string, unknown>
  return { status: res.status, code: res.headers.get('x-amzn-errortype')?.split(':')[0], json }
}

const pick = <A>(xs: ReadonlyArray<A>, i: number): A | undefined => (xs.length === 0 ? undefined : xs[i % xs.length])

const live = (m: Model, c: Client): boolean => m.now < c.expiresAt

type Cmd = fc.AsyncCommand<Model, Real>

class Register implements Cmd {
  constructor(readonly withScopes: boolean) {}
  check = (): boolean => true
  async run(m: Model, r: Real): Promise<void> {
    const a = await post(r.emu, '/client/register', {
      clientName: 'model',
      clientType: 'public',
      ...(this.withScopes ? { scopes: ['sso:account:access'] } : {})
    })
    expect(a.status).toBe(200)
    m.clients.push({
      clientId: String(a.json['clientId']),
      clientSecret: String(a.json['clientSecret']),
      refresh: this.withScopes,
      expiresAt: m.now + TTL.registration * 1000
    })
  }
  toString = (): string => `Register(${this.withScopes})`
}

class StartDevice implements Cmd {
  constructor(readonly i: number) {}
  check = (m: Readonly<Model>): boolean => m.clients.length > 0
  async run(m: Model, r: Real): Promise<void> {
    const client = pick(m.clients, this.i)
    if (client === undefined) return
    const a = await post(r.emu, '/device_authorization', { clientId: client.clientId, clientSecret: client.clientSecret, startUrl: 'https://x.awsapps.com/start' })
    if (!live(m, client)) {
      expect([a.status, a.code]).toStrictEqual([401, 'InvalidClientException'])
      return
    }
    expect(a.status).toBe(200)
    expect([a.json['expiresIn'], a.json['interval']]).toStrictEqual([TTL.device, TTL.interval])
    m.devices.push({
      client,
      deviceCode: String(a.json['deviceCode']),
      userCode: String(a.json['userCode']),
      expiresAt: m.now + TTL.device * 1000,
      decision: 'pending',
      lastPoll: undefined,
      done: false
    })
  }
  toString = (): string => `StartDevice(${this.i})`
}

class Poll implements Cmd {
  constructor(readonly i: number) {}
  check = (m: Readonly<Model>): boolean => m.devices.length > 0
  async run(m: Model, r: Real): Promise<void> {
    const d = pick(m.devices, this.i)
    if (d === undefined) return
    const a = await post(r.emu, '/token', {
      clientId: d.client.clientId,
      clientSecret: d.client.clientSecret,
      grantType: DEVICE_GRANT,
      deviceCode: d.deviceCode
    })
    const expected = ((): string => {
      if (!live(m, d.client)) return 'InvalidClientException'
      if (d.done) return 'InvalidGrantException'
      if (m.now >= d.expiresAt) return 'ExpiredTokenException'
      if (d.decision === 'denied') return 'AccessDeniedException'
      const last = d.lastPoll
      d.lastPoll = m.now
      if (d.decision === 'approved') return 'ok'
      return last !== undefined && m.now - last < TTL.interval * 1000 ? 'SlowDownException' : 'AuthorizationPendingException'
    })()
    if (expected !== 'ok') {
      expect(a.code).toBe(expected)
      expect(a.status).toBe(expected === 'InvalidClientException' ? 401 : 400)
      return
    }
    expect(a.status).toBe(200)
    expect(a.json['expiresIn']).toBe(TTL.access)
    d.done = true
    expect(typeof a.json['refreshToken']).toBe(d.client.refresh ? 'string' : 'undefined')
    m.sessions.push({
      client: d.client,
      tokens: [{ token: String(a.json['accessToken']), expiresAt: m.now + TTL.access * 1000 }],
      refresh: d.client.refresh ? { token: String(a.json['refreshToken']), expiresAt: m.now + TTL.refresh * 1000 } : undefined,
      old: [],
      ended: false
    })
  }
  toString = (): string => `Poll(${this.i})`
}

class Decide implements Cmd {
  constructor(
    readonly i: number,
    readonly approve: boolean
  ) {}
  check = (m: Readonly<Model>): boolean => m.devices.length > 0
  async run(m: Model, r: Real): Promise<void> {
    const d = pick(m.devices, this.i)
    if (d === undefined) return
    const pending = d.decision === 'pending' && m.now < d.expiresAt
    expect(this.approve ? r.emu.approve(d.userCode) : r.emu.deny(d.userCode)).toBe(pending)
    if (pending) d.decision = this.approve ? 'approved' : 'denied'
    return Promise.resolve()
  }
  toString = (): string => `${this.approve ? 'Approve' : 'Deny'}(${this.i})`
}

class Wait implements Cmd {
  constructor(readonly ms: number) {}
  check = (): boolean => true
  async run(m: Model, r: Real): Promise<void> {
    m.now += this.ms
    r.advance(this.ms)
    return Promise.resolve()
  }
  toString = (): string => `Wait(${this.ms})`
}

class Refresh implements Cmd {
  constructor(
    readonly i: number,
    readonly useOld: boolean
  ) {}
  check = (m: Readonly<Model>): boolean => m.sessions.some((s) => s.client.refresh)
  async run(m: Model, r: Real): Promise<void> {
    const s = pick(
      m.sessions.filter((x) => x.client.refresh),
      this.i
    )
    if (s === undefined) return
    const old = this.useOld ? s.old[s.old.length - 1] : undefined
    const token = old ?? s.refresh?.token ?? s.old[s.old.length - 1] ?? ''
    const a = await post(r.emu, '/token', {
      clientId: s.client.clientId,
      clientSecret: s.client.clientSecret,
      grantType: 'refresh_token',
      refreshToken: token
    })
    if (!live(m, s.client)) {
      expect(a.code).toBe('InvalidClientException')
      return
    }
    const current = s.refresh
    if (current === undefined || token !== current.token || s.ended || m.now >= current.expiresAt) {
      expect([a.status, a.code]).toStrictEqual([400, 'InvalidGrantException'])
      // a refresh token refused is gone for good
      if (current !== undefined && token === current.token) {
        s.old.push(current.token)
        s.refresh = undefined
      }
      return
    }
    expect(a.status).toBe(200)
    expect(a.json['refreshToken']).not.toBe(current.token)
    s.old.push(current.token)
    s.refresh = { token: String(a.json['refreshToken']), expiresAt: m.now + TTL.refresh * 1000 }
    s.tokens.push({ token: String(a.json['accessToken']), expiresAt: m.now + TTL.access * 1000 })
  }
  toString = (): string => `Refresh(${this.i}, ${this.useOld ? 'old' : 'current'})`
}

/** A portal call with one of a session's access tokens: ListAccounts, or Logout. */
class Portal implements Cmd {
  constructor(
    readonly i: number,
    readonly j: number,
    readonly logout: boolean
  ) {}
  check = (m: Readonly<Model>): boolean => m.sessions.length > 0
  async run(m: Model, r: Real): Promise<void> {
    const s = pick(m.sessions, this.i)
    const t = s === undefined ? undefined : pick(s.tokens, this.j)
    if (s === undefined || t === undefined) return
    const res = await fetch(`${r.emu.url}${this.logout ? '/logout' : '/assignment/accounts'}`, {
      method: this.logout ? 'POST' : 'GET',
      headers: { 'x-amz-sso_bearer_token': t.token }
    })
    await res.arrayBuffer()
    const ok = !s.ended && m.now < t.expiresAt
    expect(res.status).toBe(ok ? 200 : 401)
    if (ok && this.logout) s.ended = true
  }
  toString = (): string => `${this.logout ? 'Logout' : 'ListAccounts'}(${this.i}, ${this.j})`
}

const poll = fc.nat(20).map((i) => new Poll(i))
const refresh = fc.tuple(fc.nat(20), fc.boolean()).map(([i, b]) => new Refresh(i, b))
const portal = fc.tuple(fc.nat(20), fc.nat(20), fc.boolean()).map(([i, j, b]) => new Portal(i, j, b))
/** Weighted by repetition: the commands that move a login forward come more often. */
const commands = [
  fc.boolean().map((b) => new Register(b)),
  fc.nat(20).map((i) => new StartDevice(i)),
  poll,
  poll,
  fc.tuple(fc.nat(20), fc.constantFrom(true, true, true, false)).map(([i, b]) => new Decide(i, b)),
  fc.constantFrom(500, 1000, 2000, 3000).map((ms) => new Wait(ms)),
  refresh,
  refresh,
  portal,
  portal
]

describe('the OIDC state machine against its model', () => {
  it('every answer is the one the model predicts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 80, size: 'max' }), async (cmds) => {
        let t = Date.UTC(2026, 0, 1)
        const started = await startEmulator({
          clock: () => t,
          accessTokenTtlSeconds: TTL.access,
          refreshTokenTtlSeconds: TTL.refresh,
          deviceCodeTtlSeconds: TTL.device,
          registrationTtlSeconds: TTL.registration,
          pollIntervalSeconds: TTL.interval
        })()
        if (started._tag === 'Left') throw new Error(started.left.message)
        const emu = started.right
        try {
          await fc.asyncModelRun(
            () => ({
              model: { now: t, clients: [], devices: [], sessions: [] },
              real: { emu, advance: (ms: number) => (t += ms) }
            }),
            cmds
          )
        } finally {
          await emu.close()
        }
      }),
      { numRuns: 60 }
    )
  }, 120_000)
})
