/**
 * The sweep keeps several `Logout` calls in flight, shares one retry quota, and stops
 * calling a region whose endpoint cannot be reached: real temporary homes, real loopback
 * servers and closed ports.
 */
import * as fs from 'node:fs'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { newEnv, type Env } from '../../../src/index.js'
import { isLogoutSuccessful, logoutAll, logoutSession, type LogoutReport } from '../../../src/auth/sso/index.js'
import { runCli } from '../../util/cli.js'
import { closedPort, envTo, tokenJson, useHomes, type Home } from './helpers.js'

const home = useHomes()

interface Portal {
  readonly url: string
  /** The tokens of the Logout calls, in the order they came. */
  readonly seen: Array<string>
  /** The most calls the server held at once. */
  readonly maxInFlight: () => number
  readonly close: () => Promise<void>
}

type Answer = { readonly status: number; readonly type?: string }

const servers: Array<Portal> = []
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close()
})

/**
 * A portal that answers `Logout` with `answer(token)`. With `holdUntil`, it holds the calls
 * until that many are in flight (or all `expected` came), then answers them all: a sweep
 * that keeps fewer in flight would never be answered.
 */
const portal = async (
  answer: (token: string) => Answer,
  hold?: { readonly holdUntil: number; readonly expected: number }
): Promise<Portal> => {
  const seen: Array<string> = []
  let inFlight = 0
  let max = 0
  let held: Array<() => void> = []
  const server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const token = String(req.headers['x-amz-sso_bearer_token'])
      seen.push(token)
      inFlight++
      max = Math.max(max, inFlight)
      const reply = (): void => {
        inFlight--
        const a = answer(token)
        const headers: Record<string, string> = { 'content-type': 'application/json' }
        if (a.type !== undefined) headers['x-amzn-errortype'] = a.type
        res.writeHead(a.status, headers).end(a.type === undefined ? '' : JSON.stringify({ message: 'no' }))
      }
      if (hold === undefined) return reply()
      held.push(reply)
      if (held.length >= hold.holdUntil || seen.length >= hold.expected) {
        const now = held
        held = []
        for (const r of now) r()
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const p: Portal = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    maxInFlight: () => max,
    close: () => new Promise((resolve) => server.close(() => resolve()))
  }
  servers.push(p)
  return p
}

const ok: Answer = { status: 200 }
const name = (i: number): string => `tok-${String(i).padStart(4, '0')}`

/** `count` token files `tok-NNNN.json` of `region`, holding the token `<prefix>NNNN`. */
const tokens = (h: Home, count: number, region = 'us-east-1', prefix = 'tok-'): ReadonlyArray<string> =>
  Array.from({ length: count }, (_, i) =>
    h.token(
      `${prefix}${String(i).padStart(4, '0')}.json`,
      tokenJson(`${prefix}${String(i).padStart(4, '0')}`, { region })
    )
  )

/** A report with every path made relative to its home, to compare the reports of two homes. */
const relative = (h: Home, r: LogoutReport): unknown => JSON.parse(JSON.stringify(r).split(h.home).join('~'))

describe('logoutAll: several calls in flight', () => {
  it('never more than `concurrency` calls in flight, and that many at once', async () => {
    const h = home()
    tokens(h, 40)
    const p = await portal(() => ok, { holdUntil: 4, expected: 40 })
    const r = await logoutAll({ homedir: h.home, envForRegion: envTo(p.url), concurrency: 4 })()
    expect(p.maxInFlight()).toBe(4)
    expect(p.seen).toHaveLength(40)
    expect(r.invalidated.map((i) => i.outcome)).toEqual(Array(40).fill('LoggedOut'))
    expect(h.ls(h.tokens)).toEqual([])
  })

  it('16 in flight by default', async () => {
    const h = home()
    tokens(h, 48)
    const p = await portal(() => ok, { holdUntil: 16, expected: 48 })
    const r = await logoutAll({ homedir: h.home, envForRegion: envTo(p.url) })()
    expect(p.maxInFlight()).toBe(16)
    expect(isLogoutSuccessful(r)).toBe(true)
  })

  it('concurrency 1: one call at a time, in name order, as a one-at-a-time sweep', async () => {
    const h = home()
    const files = tokens(h, 30)
    const p = await portal(() => ok)
    const r = await logoutAll({ homedir: h.home, envForRegion: envTo(p.url), concurrency: 1 })()
    expect(p.maxInFlight()).toBe(1)
    expect(p.seen).toEqual(Array.from({ length: 30 }, (_, i) => name(i)))
    expect(r.invalidated.map((i) => i.file)).toEqual(files)
    expect(r.deleted.map((d) => d.file)).toEqual(files)
  })

  it('mixed answers (200, 401, 500, 429): each file its own outcome; the report in name order, the same at 1 and 16', async () => {
    const answer = (token: string): Answer => {
      const n = Number(token.slice(-4)) % 4
      return n === 0
        ? ok
        : n === 1
        ? { status: 401, type: 'UnauthorizedException' }
        : n === 2
        ? { status: 500, type: 'InternalServerException' }
        : { status: 429, type: 'TooManyRequestsException' }
    }
    const sweep = async (concurrency: number): Promise<{ h: Home; r: LogoutReport; files: ReadonlyArray<string> }> => {
      const h = home()
      const files = tokens(h, 60)
      h.cred('c.json', { ProviderType: 'sso' })
      const p = await portal(answer)
      const r = await logoutAll({ homedir: h.home, envForRegion: envTo(p.url), concurrency })()
      expect(p.maxInFlight()).toBeLessThanOrEqual(concurrency)
      return { h, r, files }
    }
    const wide = await sweep(16)
    const { h, r, files } = wide
    const gone = files.filter((_, i) => i % 4 < 2)
    const left = files.filter((_, i) => i % 4 >= 2)
    expect(r.invalidated.map((i) => [i.file, i.outcome, i.status])).toEqual(
      gone.map((f, j) => [f, j % 2 === 0 ? 'LoggedOut' : 'AlreadyInvalid', j % 2 === 0 ? undefined : 401])
    )
    expect(r.deleted.map((d) => d.file)).toEqual([...gone, path.join(h.creds, 'c.json')])
    expect(r.kept.map((k) => [k.file, k.reason])).toEqual(left.map((f) => [f, 'InvalidationFailed']))
    expect(r.errors.map((e) => [e.file, e.error])).toEqual(
      left.map((f, j) => [
        f,
        j % 2 === 0 ? 'ServiceError/InternalServerException' : 'ServiceError/TooManyRequestsException'
      ])
    )
    expect(h.ls(h.tokens)).toEqual(left.map((f) => path.basename(f)))
    const narrow = await sweep(1)
    expect(relative(narrow.h, narrow.r)).toEqual(relative(h, r))
  })

  it('one retry quota for the whole sweep: a failing endpoint costs at most its capacity in retries', async () => {
    const h = home()
    tokens(h, 100)
    const p = await portal(() => ({ status: 500, type: 'InternalServerException' }))
    // each call has an Env of its own, with a quota of its own (500 tokens, 10 a retry)
    const r = await logoutAll({ homedir: h.home, envForRegion: envTo(p.url) })()
    expect(r.kept).toHaveLength(100)
    // 100 first attempts, then 50 retries (500 / 10), not 2 retries for each file
    expect(p.seen).toHaveLength(150)
  })

  it('a region whose endpoint cannot be reached: its sessions are kept, unsent; the other region is logged out', async () => {
    const h = home()
    const port = await closedPort()
    const down = tokens(h, 1000, 'eu-west-1', 'down-')
    const up = tokens(h, 50, 'us-east-1', 'up-')
    const p = await portal(() => ok)
    let attemptsDown = 0
    const envForRegion = (region: string): Env =>
      region === 'eu-west-1'
        ? newEnv({
            region,
            endpoint: `http://127.0.0.1:${port}`,
            sleep: async () => true,
            hooks: [{ beforeRequest: () => void attemptsDown++ }]
          })
        : envTo(p.url)(region)
    const r = await logoutAll({ homedir: h.home, envForRegion })()
    // the calls in flight when the first one failed to connect, no more; no retry series
    expect(attemptsDown).toBeGreaterThan(0)
    expect(attemptsDown).toBeLessThanOrEqual(16)
    expect(h.ls(h.tokens)).toEqual(down.map((f) => path.basename(f)))
    expect(p.seen).toHaveLength(50)
    expect(r.invalidated.map((i) => i.file)).toEqual(up)
    expect(r.kept.map((k) => k.file)).toEqual(down)
    const reasons = r.kept.map((k) => k.reason)
    expect(reasons.filter((k) => k === 'InvalidationFailed')).toHaveLength(1)
    expect(reasons.filter((k) => k === 'EndpointUnreachable')).toHaveLength(999)
    expect(r.errors).toHaveLength(1000)
    expect(r.errors.filter((e) => e.error === 'TransportError/ConnectionRefused')).toHaveLength(1)
    const unreachable = r.errors.filter((e) => e.error === 'EndpointUnreachable')
    expect(unreachable).toHaveLength(999)
    expect(unreachable[0]?.message).toMatch(
      /^could not invalidate the session of https:\/\/corp\.awsapps\.com\/start in eu-west-1: not sent, the endpoint of eu-west-1 is unreachable \(network error \(ConnectionRefused.*\) on an earlier call\); the token file is kept$/
    )
    expect(isLogoutSuccessful(r)).toBe(false)
  })

  it("with the caller's signal in the Env: an unreachable region still cancels its own calls, the caller's abort every call", async () => {
    const h = home()
    const port = await closedPort()
    const down = tokens(h, 200, 'eu-west-1', 'down-')
    const up = tokens(h, 40, 'us-east-1', 'up-')
    const p = await portal(() => ok, { holdUntil: 1000, expected: 1000 })
    const caller = new AbortController()
    let attemptsDown = 0
    const envForRegion = (region: string): Env =>
      region === 'eu-west-1'
        ? newEnv({
            region,
            endpoint: `http://127.0.0.1:${port}`,
            sleep: async () => true,
            signal: caller.signal,
            hooks: [{ beforeRequest: () => void attemptsDown++ }]
          })
        : newEnv({
            region,
            endpoint: p.url,
            signal: caller.signal,
            // the portal holds every call: the caller gives up once the other region is settled
            hooks: [{ beforeRequest: () => void (attemptsDown >= 1 && setTimeout(() => caller.abort(), 50)) }]
          })
    const r = await logoutAll({ homedir: h.home, envForRegion })()
    expect(attemptsDown).toBeGreaterThan(0)
    expect(attemptsDown).toBeLessThanOrEqual(16)
    expect(r.invalidated).toEqual([])
    expect(r.kept.map((k) => k.file)).toEqual([...down, ...up])
    expect(r.kept.filter((k) => k.reason === 'EndpointUnreachable')).toHaveLength(199)
    expect(r.errors.filter((e) => e.error === 'TransportError/Aborted').map((e) => e.file)).toEqual(up)
  })

  it('concurrency must be an integer in 1..256', async () => {
    const h = home()
    const file = tokens(h, 1)[0] as string
    for (const concurrency of [0, 257, 1.5, -1, NaN, '4']) {
      const r = await logoutAll({ homedir: h.home, envForRegion: envTo('http://127.0.0.1:9'), concurrency } as never)()
      expect(r.errors).toEqual([
        expect.objectContaining({
          error: 'ValidationError',
          message: 'the concurrency of logoutAll must be an integer in 1..256'
        })
      ])
      const s = await logoutSession({
        homedir: h.home,
        envForRegion: envTo('http://127.0.0.1:9'),
        target: { _tag: 'StartUrl', startUrl: 'https://corp.awsapps.com/start' },
        concurrency
      } as never)()
      expect(s._tag).toBe('Left')
    }
    expect(fs.existsSync(file)).toBe(true)
  })
})

describe('fp-aws sso logout --concurrency', () => {
  it('is honoured', async () => {
    const h = home()
    tokens(h, 12)
    const p = await portal(() => ok, { holdUntil: 3, expected: 12 })
    const r = await runCli(['sso', 'logout', '--concurrency', '3'], { HOME: h.home, AWS_ENDPOINT_URL_SSO: p.url })
    expect(r.code).toBe(0)
    expect(p.maxInFlight()).toBe(3)
    expect(h.ls(h.tokens)).toEqual([])
  })

  it('anything but an integer in 1..256 is a usage error (exit 2), and nothing is touched', async () => {
    const h = home()
    tokens(h, 1)
    for (const n of ['0', '257', '1.5', '-1', 'x', ' 4', '1000', '0x10']) {
      const r = await runCli(['sso', 'logout', `--concurrency=${n}`], {
        HOME: h.home,
        AWS_ENDPOINT_URL_SSO: 'http://127.0.0.1:9'
      })
      expect(r.code).toBe(2)
      expect(r.err).toContain('--concurrency must be an integer in 1..256')
    }
    expect(h.ls(h.tokens)).toHaveLength(1)
  })
})
