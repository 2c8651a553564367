/**
 * `login` end to end against the emulator's SSO OIDC side, in real temporary homes: both
 * grants through approval, denial, expiry, slow down, a forged `state` and a replayed code;
 * after each login, the token file as AWS CLI v2 writes it, `fromSSO` with that token on the
 * emulator's portal, and `fp-aws sso logout` ending it there. The browser of the
 * authorization code grant is played with plain HTTP (a real one: login.browser.test.ts).
 */
import * as fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  codeChallenge,
  fromSSO,
  login,
  tokenCacheFile,
  type LoginOptions,
  type LoginPrompt,
  type LoginResult,
  type LoginTarget
} from '../../../src/auth/sso/index.js'
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
    run: (target, more = {}) => {
      controller = new AbortController()
      const signal = controller.signal
      return login(target, {
        homedir: home.home,
        env,
        prompt: (p) => prompts.push(p),
        now: clock.now,
        sleep: clock.sleep,
        signal,
        ...more
      })()
    }
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
  expect(ok.tokenFile).toBe(
    tokenCacheFile(w.home.home, session ? { _tag: 'SSOSession', name: 'corp' } : { _tag: 'StartUrl', startUrl })
  )
  const text = fs.readFileSync(ok.tokenFile, 'utf8')
  const expiresAt = new Date(w.clock.now() + 3600_000).toISOString().replace('.000Z', 'Z')
  expect(text).toMatch(
    new RegExp(
      `^\\{"startUrl": "${ESC(
        startUrl
      )}", "region": "${region}", "accessToken": "aoa[A-Za-z0-9_-]{64}", "expiresAt": "${expiresAt}", ` +
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
    expect(ok).toMatchObject({
      flow: 'DeviceCode',
      profile: 'old',
      startUrl: OLD_URL,
      region: 'us-east-1',
      registrationReused: false
    })
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
    expect(p?._tag === 'DeviceCode' && p.verificationUriComplete).toBe(
      `${w.emu.url}/device?user_code=${p?._tag === 'DeviceCode' ? p.userCode : ''}`
    )
    expect(opened).toEqual([p?._tag === 'DeviceCode' ? p.verificationUriComplete : ''])
    // one pending attempt before the prompt, one interval, the token
    expect(w.clock.sleeps).toEqual([2000])
    expect(operations(w.emu)).toEqual([
      'POST /client/register',
      'POST /device_authorization',
      'POST /token',
      'POST /token'
    ])
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
    const r = await w.run(
      { profile: 'old' },
      { prompt: (p) => void (p._tag === 'DeviceCode' && w.emu.deny(p.userCode)) }
    )
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

// -------------------------------------------------------------------------------------
// authorization code with PKCE
// -------------------------------------------------------------------------------------

/** What the played browser saw, step by step. */
interface Visit {
  readonly authorizeStatus: number
  readonly buttons: ReadonlyArray<string>
  readonly redirect: string | undefined
  readonly callbackStatus: number | undefined
  readonly callbackPage: string | undefined
}

/**
 * A browser played with plain HTTP: loads the authorization URL (the emulator's approval
 * page), submits the form of the button `click` names, and follows the 302 to the loopback
 * listener, after `tamper` has had its way with the redirect URL.
 */
const playBrowser =
  (emu: Emulator, click: 'Allow' | 'Deny', visits: Array<Visit>, tamper: (redirect: URL) => void = () => undefined) =>
  (url: string): Promise<boolean> =>
    visit(emu, click, visits, tamper, url).finally(() => {
      // a browser that did not get back to the listener ends the wait (Aborted) rather than the test's timeout
      if (visits.at(-1)?.callbackStatus === undefined) controller?.abort()
    })

/** The abort of the login in progress. */
let controller: AbortController | undefined

const visit = async (
  emu: Emulator,
  click: 'Allow' | 'Deny',
  visits: Array<Visit>,
  tamper: (redirect: URL) => void,
  url: string
): Promise<boolean> => {
  const page = await fetch(url, { redirect: 'manual' })
  const html = await page.text()
  const forms = [...html.matchAll(/<form method="post" action="([^"]+)">(.*?)<\/form>/g)].map((m) => ({
    action: m[1] as string,
    fields: Object.fromEntries(
      [...(m[2] as string).matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((f) => [f[1], f[2]])
    ),
    button: /<button[^>]*>([^<]*)<\/button>/.exec(m[2] as string)?.[1] ?? ''
  }))
  const form = forms.find((f) => f.button === click)
  if (form === undefined) {
    console.log(html)
    visits.push({
      authorizeStatus: page.status,
      buttons: forms.map((f) => f.button),
      redirect: undefined,
      callbackStatus: undefined,
      callbackPage: undefined
    })
    return true
  }
  const posted = await fetch(new URL(form.action, emu.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: emu.url },
    body: new URLSearchParams(form.fields as Record<string, string>).toString()
  })
  await posted.text()
  const location = posted.headers.get('location') ?? undefined
  let callbackStatus: number | undefined
  let callbackPage: string | undefined
  if (posted.status === 302 && location !== undefined) {
    const target = new URL(location)
    tamper(target)
    const cb = await fetch(target)
    callbackStatus = cb.status
    callbackPage = await cb.text()
  }
  visits.push({
    authorizeStatus: page.status,
    buttons: forms.map((f) => f.button),
    redirect: location,
    callbackStatus,
    callbackPage
  })
  return true
}

describe('login e2e: the authorization code grant with PKCE against the emulator', () => {
  it('Allow on the approval page: redirected to the listener with a code, exchanged; the session works and logs out', async () => {
    const w = await world()
    const visits: Array<Visit> = []
    const ok = rightOf(await w.run({ profile: 'dev' }, { openBrowser: playBrowser(w.emu, 'Allow', visits) }))
    expect(ok).toMatchObject({
      flow: 'AuthorizationCode',
      profile: 'dev',
      ssoSession: 'corp',
      startUrl: START_URL,
      region: 'eu-west-1'
    })
    const authorizeUrl = w.prompts[0]?._tag === 'AuthorizationCode' ? new URL(w.prompts[0].authorizeUrl) : undefined
    expect(authorizeUrl?.origin).toBe(w.emu.url)
    const redirectUri = authorizeUrl?.searchParams.get('redirect_uri') as string
    expect(visits).toHaveLength(1)
    expect(visits[0]).toMatchObject({ authorizeStatus: 200, buttons: ['Allow', 'Deny'], callbackStatus: 200 })
    const back = new URL(visits[0]?.redirect as string)
    expect(back.origin + back.pathname).toBe(redirectUri)
    expect(back.searchParams.get('state')).toBe(authorizeUrl?.searchParams.get('state'))
    expect(back.searchParams.get('code')).toMatch(/^oac/)
    expect(visits[0]?.callbackPage).toContain('You may close this tab')
    expect(operations(w.emu)).toEqual(['POST /client/register', 'GET /authorize', 'POST /approval', 'POST /token'])
    await checkSession(w, ok, 'dev', true)
  })

  it('Deny on the approval page: Denied, the listener still shows its page, nothing exchanged', async () => {
    const w = await world()
    const visits: Array<Visit> = []
    const r = await w.run({ profile: 'dev' }, { openBrowser: playBrowser(w.emu, 'Deny', visits) })
    expect(reason(r)).toBe('Denied')
    expect(new URL(visits[0]?.redirect as string).searchParams.get('error')).toBe('access_denied')
    expect(visits[0]?.callbackPage).toContain('You may close this tab')
    expect(operations(w.emu)).toEqual(['POST /client/register', 'GET /authorize', 'POST /approval'])
    expect(fs.existsSync(tokenCacheFile(w.home.home, { _tag: 'SSOSession', name: 'corp' }))).toBe(false)
  })

  it('a redirect whose state was tampered with: StateMismatch, and the code is never exchanged', async () => {
    const w = await world()
    const visits: Array<Visit> = []
    const tamper = (u: URL): void => u.searchParams.set('state', `${u.searchParams.get('state') as string}x`)
    const r = await w.run({ profile: 'dev' }, { openBrowser: playBrowser(w.emu, 'Allow', visits, tamper) })
    expect(reason(r)).toBe('StateMismatch')
    expect(new URL(visits[0]?.redirect as string).searchParams.get('code')).toMatch(/^oac/)
    expect(operations(w.emu)).toEqual(['POST /client/register', 'GET /authorize', 'POST /approval'])
    expect(fs.existsSync(tokenCacheFile(w.home.home, { _tag: 'SSOSession', name: 'corp' }))).toBe(false)
  })

  it('the code of a login replayed to /token, with the very same request: InvalidGrantException', async () => {
    const w = await world()
    const visits: Array<Visit> = []
    // a constant random source: the verifier the login sent is known ('H' is the 8th character)
    const bytes = (n: number): Uint8Array => new Uint8Array(n).fill(7)
    const ok = rightOf(
      await w.run({ profile: 'dev' }, { openBrowser: playBrowser(w.emu, 'Allow', visits), randomBytes: bytes })
    )
    const back = new URL(visits[0]?.redirect as string)
    const sent =
      w.prompts[0]?._tag === 'AuthorizationCode'
        ? new URL(w.prompts[0].authorizeUrl).searchParams.get('code_challenge')
        : undefined
    expect(sent).toBe(codeChallenge('H'.repeat(64)))
    const cached = JSON.parse(fs.readFileSync(ok.tokenFile, 'utf8')) as { clientId: string; clientSecret: string }
    const replay = await fetch(`${w.emu.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        clientId: cached.clientId,
        clientSecret: cached.clientSecret,
        grantType: 'authorization_code',
        code: back.searchParams.get('code'),
        redirectUri: `${back.origin}${back.pathname}`,
        codeVerifier: 'H'.repeat(64)
      })
    })
    expect(replay.status).toBe(400)
    expect(replay.headers.get('x-amzn-errortype')?.split(':')[0]).toBe('InvalidGrantException')
    expect(((await replay.json()) as { error: string }).error).toBe('invalid_grant')
    expect(operations(w.emu)).toEqual([
      'POST /client/register',
      'GET /authorize',
      'POST /approval',
      'POST /token',
      'POST /token'
    ])
    await checkSession(w, ok, 'dev', true)
  })
})

// -------------------------------------------------------------------------------------
// the command line
// -------------------------------------------------------------------------------------

describe('login e2e: fp-aws sso login against the emulator', () => {
  it('--no-browser --use-device-code --json, auto-approved: exit 0, a report without secrets; the token works', async () => {
    const w = await world({ autoApprove: true })
    const env = { ...w.env, HOME: w.home.home }
    const out = await runCli(['sso', 'login', '--profile', 'old', '--no-browser', '--use-device-code', '--json'], env)
    expect(out.code).toBe(0)
    expect(out.err).toBe('')
    const file = tokenCacheFile(w.home.home, { _tag: 'StartUrl', startUrl: OLD_URL })
    const report = JSON.parse(out.out) as Record<string, unknown>
    expect(report).toMatchObject({
      flow: 'DeviceCode',
      profile: 'old',
      startUrl: OLD_URL,
      region: 'us-east-1',
      tokenFile: file,
      registrationReused: false
    })
    expect(Object.keys(report).sort()).toEqual([
      'expiresAt',
      'flow',
      'profile',
      'region',
      'registrationReused',
      'startUrl',
      'tokenFile'
    ])
    const cached = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>
    for (const secret of [cached['accessToken'], cached['clientSecret']]) expect(out.out).not.toContain(secret)
    expect(out.out).not.toMatch(/aoa|aor|ocs|odc|oac/)
    const creds = await fromSSO({ profile: 'old', homedir: w.home.home, env: w.env })()
    expect(creds._tag).toBe('Right')
  })

  it('--no-browser --use-device-code --json, approved on the emulator from the printed code: the prompt on stderr, no secret anywhere', async () => {
    const w = await world({ clock: Date.now, pollIntervalSeconds: 1 })
    const env = { ...w.env, HOME: w.home.home }
    let err = ''
    const out = await runCli(
      ['sso', 'login', '--sso-session', 'corp', '--no-browser', '--use-device-code', '--json'],
      env,
      {
        stderr: (s) => {
          err += s
          // the user reads the code and approves it
          const code = /Then enter the code:\n\n(\S+)\n/.exec(err)?.[1]
          if (code !== undefined) w.emu.approve(code)
        }
      }
    )
    expect(out.code).toBe(0)
    expect(err).toContain(`${w.emu.url}/device\n`)
    expect(err).toContain('Browser will not be automatically opened.')
    const report = JSON.parse(out.out) as Record<string, unknown>
    expect(report).toMatchObject({ flow: 'DeviceCode', ssoSession: 'corp', startUrl: START_URL })
    const cached = JSON.parse(fs.readFileSync(report['tokenFile'] as string, 'utf8')) as Record<string, string>
    for (const secret of [cached['accessToken'], cached['clientSecret']]) expect(out.out + err).not.toContain(secret)
    expect(out.out + err).not.toMatch(/aoa|aor|ocs|odc|oac/)
  })

  it('a denied login: exit 1, the failure as JSON', async () => {
    const w = await world({ pollIntervalSeconds: 1 })
    let err = ''
    const out = await runCli(
      ['sso', 'login', '--profile', 'old', '--no-browser', '--json'],
      { ...w.env, HOME: w.home.home },
      {
        stderr: (s) => {
          err += s
          const code = /Then enter the code:\n\n(\S+)\n/.exec(err)?.[1]
          if (code !== undefined) w.emu.deny(code)
        }
      }
    )
    expect(out.code).toBe(1)
    expect(JSON.parse(out.out)).toMatchObject({ error: { type: 'LoginFailure' } })
    expect(out.out).toContain('Denied')
  })
})
