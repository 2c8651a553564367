/**
 * `login` end to end against the emulator's SSO OIDC side, in real temporary homes: both
 * grants through approval, denial, expiry, slow down, a forged `state` and a replayed code;
 * after each login, the token file as AWS CLI v2 writes it, `fromSSO` with that token on the
 * emulator's portal, and `fp-aws sso logout` ending it there. The browser of the
 * authorization code grant is played with plain HTTP (a real one: login.browser.test.ts).
 */
import * as fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { fromSSO, login, tokenCacheFile, type LoginOptions, type LoginPrompt, type LoginResult, type LoginTarget } from '../../../src/auth/sso/index.js'
import type { Emulator, EmulatorOptions } from '../../../src/emulator/index.js'
import { runCli } from '../../util/cli.js'
import { call, useEmulators } from '../../util/emulator.js'
import { useHomes, type Home } from './helpers.js'

const START_URL = 'https://corp.awsapps.com/start'
const OLD_URL = 'https://old.awsapps.com/start'
const ACCOUNT = '123456789012'
const ROLE = 'ReadOnly'

const CONFIG = [
  '[profile dev]',
  'sso_session = corp',
  `sso_account_id = ${ACCOUNT}`,
  `sso_role_name = ${ROLE}`,
  '[sso-session corp]',
  `sso_start_url = ${START_URL}`,
  'sso_region = eu-west-1',
  '[profile old]',
  `sso_start_url = ${OLD_URL}`,
  'sso_region = us-east-1',
  `sso_account_id = ${ACCOUNT}`,
  `sso_role_name = ${ROLE}`,
  ''
].join('\n')

const emulator = useEmulators()
const newHome = useHomes()

/** One clock for the login and the emulator: the injected sleep moves it (nothing really waits). */
interface Clock {
  readonly now: () => number
  readonly sleep: (ms: number) => Promise<void>
  readonly sleeps: Array<number>
  /** What each sleep does to the clock (default: moves it by the time asked), and a hook run at each. */
  onSleep: (ms: number, i: number) => number
}
const makeClock = (): Clock => {
  // whole seconds, so that the expiry written (a second's precision) is exact
  let t = Math.floor(Date.now() / 1000) * 1000
  const c: Clock = {
    now: () => t,
    sleeps: [],
    onSleep: (ms) => ms,
    sleep: async (ms) => {
      c.sleeps.push(ms)
      t += c.onSleep(ms, c.sleeps.length - 1)
    }
  }
  return c
}

interface World {
  readonly home: Home
  readonly emu: Emulator
  readonly clock: Clock
  readonly env: Record<string, string>
  readonly prompts: Array<LoginPrompt>
  readonly run: (target: LoginTarget, more?: Partial<LoginOptions>) => ReturnType<ReturnType<typeof login>>
}

const world = async (options: EmulatorOptions = {}): Promise<World> => {
  const clock = makeClock()
  const emu = await emulator({ clock: clock.now, ...options })
  const home = newHome()
  home.config(CONFIG)
  const env = { AWS_ENDPOINT_URL_SSO_OIDC: emu.url, AWS_ENDPOINT_URL_SSO: emu.url }
  const prompts: Array<LoginPrompt> = []
  return {
    home,
    emu,
    clock,
    env,
    prompts,
    run: (target, more = {}) =>
      login(target, { homedir: home.home, env, prompt: (p) => prompts.push(p), now: clock.now, sleep: clock.sleep, ...more })()
  }
}

const operations = (emu: Emulator): Array<string> => emu.requests().map((r) => `${r.method} ${r.path}`)

const reason = (r: Awaited<ReturnType<World['run']>>): string | undefined =>
  r._tag === 'Left' && r.left._tag === 'LoginFailure' ? r.left.reason : `not a LoginFailure: ${JSON.stringify(r)}`

const rightOf = (r: Awaited<ReturnType<World['run']>>): LoginResult => {
  if (r._tag === 'Left') throw new Error(`login failed: ${JSON.stringify(r.left)}`)
  return r.right
}

const ISO = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z'
const ESC = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

/**
 * After a login: the token file is AWS CLI v2's (its keys, in its order, its timestamps, mode
 * 0600), `fromSSO` gets role credentials with it from the emulator's portal, and
 * `fp-aws sso logout` ends it there: the portal refuses it afterwards.
 */
const checkSession = async (w: World, ok: LoginResult, profile: string, refresh: boolean): Promise<void> => {
  const session = profile === 'dev'
  const startUrl = session ? START_URL : OLD_URL
  const region = session ? 'eu-west-1' : 'us-east-1'
  expect(ok.tokenFile).toBe(tokenCacheFile(w.home.home, session ? { _tag: 'SSOSession', name: 'corp' } : { _tag: 'StartUrl', startUrl }))
  const text = fs.readFileSync(ok.tokenFile, 'utf8')
  const expiresAt = new Date(w.clock.now() + 3600_000).toISOString().replace('.000Z', 'Z')
  expect(text).toMatch(
    new RegExp(
      `^\\{"startUrl": "${ESC(startUrl)}", "region": "${region}", "accessToken": "aoa[A-Za-z0-9_-]{64}", "expiresAt": "${expiresAt}", ` +
        `"clientId": "[^"]+", "clientSecret": "ocs[A-Za-z0-9_-]{64}", "registrationExpiresAt": "${ISO}"` +
        (refresh ? `, "refreshToken": "aor[A-Za-z0-9_-]{64}"` : '') +
        '\\}$'
    )
  )
  expect(fs.statSync(ok.tokenFile).mode & 0o777).toBe(0o600)
  const accessToken = (JSON.parse(text) as { accessToken: string }).accessToken
  expect(JSON.stringify(ok)).not.toContain(accessToken)

  const creds = await fromSSO({ profile, homedir: w.home.home, env: w.env, now: w.clock.now })()
  expect(creds._tag === 'Right' && creds.right.accessKeyId).toMatch(/^ASIA/)
  const portal = `/federation/credentials?account_id=${ACCOUNT}&role_name=${ROLE}`
  expect((await call(w.emu, 'GET', portal, { token: accessToken })).status).toBe(200)

  const out = await runCli(['sso', 'logout', '--profile', profile, '--json'], { ...w.env, HOME: w.home.home })
  expect(out.code).toBe(0)
  expect(w.emu.isLoggedOut(accessToken)).toBe(true)
  expect((await call(w.emu, 'GET', portal, { token: accessToken })).status).toBe(401)
  expect(fs.existsSync(ok.tokenFile)).toBe(false)
}

// -------------------------------------------------------------------------------------
// device code
// -------------------------------------------------------------------------------------

describe('login e2e: the device code grant against the emulator', () => {
  it('auto-approved: logged in at the first attempt, nobody prompted; the session works and logs out', async () => {
    const w = await world({ autoApprove: true })
    const ok = rightOf(await w.run({ profile: 'old' }))
    expect(ok).toMatchObject({ flow: 'DeviceCode', profile: 'old', startUrl: OLD_URL, region: 'us-east-1', registrationReused: false })
    expect(w.prompts).toEqual([])
    expect(w.clock.sleeps).toEqual([])
    expect(operations(w.emu)).toEqual(['POST /client/register', 'POST /device_authorization', 'POST /token'])
    await checkSession(w, ok, 'old', false)
  })

  it('approved from the prompt with emu.approve(userCode): polled at the interval until then', async () => {
    const w = await world({ pollIntervalSeconds: 2 })
    let opened: Array<string> = []
    const ok = rightOf(
      await w.run(
        { profile: 'old' },
        {
          prompt: (p) => {
            w.prompts.push(p)
            // the page the user is sent to shows this user code, with Allow and Deny
            if (p._tag === 'DeviceCode') expect(w.emu.approve(p.userCode)).toBe(true)
          },
          openBrowser: async (u) => ((opened = [...opened, u]), false)
        }
      )
    )
    const p = w.prompts[0]
    expect(w.prompts).toHaveLength(1)
    expect(p?._tag === 'DeviceCode' && p.verificationUriComplete).toBe(`${w.emu.url}/device?user_code=${p?._tag === 'DeviceCode' ? p.userCode : ''}`)
    expect(opened).toEqual([p?._tag === 'DeviceCode' ? p.verificationUriComplete : ''])
    // one pending attempt before the prompt, one interval, the token
    expect(w.clock.sleeps).toEqual([2000])
    expect(operations(w.emu)).toEqual(['POST /client/register', 'POST /device_authorization', 'POST /token', 'POST /token'])
    await checkSession(w, ok, 'old', false)
  })

  it('an sso-session with useDeviceCode: cached under the session name (no refresh token: no scopes registered)', async () => {
    const w = await world({ autoApprove: true })
    const ok = rightOf(await w.run({ profile: 'dev' }, { useDeviceCode: true }))
    expect(ok).toMatchObject({ flow: 'DeviceCode', ssoSession: 'corp' })
    await checkSession(w, ok, 'dev', false)
  })

  it('denied with emu.deny(userCode): Denied, no token written', async () => {
    const w = await world()
    const r = await w.run({ profile: 'old' }, { prompt: (p) => void (p._tag === 'DeviceCode' && w.emu.deny(p.userCode)) })
    expect(reason(r)).toBe('Denied')
    expect(fs.existsSync(tokenCacheFile(w.home.home, { _tag: 'StartUrl', startUrl: OLD_URL }))).toBe(false)
  })

  it('never approved: Expired at the device code expiry (the login stops before it)', async () => {
    const w = await world({ deviceCodeTtlSeconds: 5, pollIntervalSeconds: 1 })
    const r = await w.run({ profile: 'old' })
    expect(reason(r)).toBe('Expired')
    expect(w.clock.sleeps).toEqual([1000, 1000, 1000, 1000, 1000])
    expect(fs.existsSync(tokenCacheFile(w.home.home, { _tag: 'StartUrl', startUrl: OLD_URL }))).toBe(false)
  })

  it("Expired when the emulator says ExpiredTokenException (its clock is ahead of the login's)", async () => {
    const w = await world({ deviceCodeTtlSeconds: 5, pollIntervalSeconds: 1 })
    // each sleep of the login lets 3 s pass on the service's side
    w.clock.onSleep = () => 3000
    const r = await w.run({ profile: 'old' })
    expect(reason(r)).toBe('Expired')
    expect(w.clock.sleeps).toEqual([1000, 1000])
    expect(operations(w.emu).filter((o) => o === 'POST /token')).toHaveLength(3)
  })

  it('polled faster than the interval: SlowDown, and the login adds 5 s to its interval', async () => {
    const w = await world({ pollIntervalSeconds: 2 })
    // the first sleep comes back early (after half the time); approved during the third
    w.clock.onSleep = (ms, i) => {
      if (i === 2) w.emu.approve((w.prompts[0] as Extract<LoginPrompt, { _tag: 'DeviceCode' }>).userCode)
      return i === 0 ? ms / 2 : ms
    }
    const ok = rightOf(await w.run({ profile: 'old' }))
    expect(w.clock.sleeps).toEqual([2000, 7000, 7000])
    await checkSession(w, ok, 'old', false)
  })
})
