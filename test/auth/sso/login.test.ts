/**
 * `login` against scripted SSO OIDC servers on 127.0.0.1 and real temporary homes: the exact
 * requests of both grants, the loopback listener, the registration cache and the token file
 * as AWS CLI v2 writes them.
 */
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { newEnv } from '../../../src/index.js'
import {
  codeChallenge,
  codeVerifier,
  cliCacheJson,
  fromSSO,
  login,
  logoutSession,
  readToken,
  tokenCacheFile,
  type LoginOptions,
  type LoginPrompt,
  type LoginTarget
} from '../../../src/auth/sso/index.js'
import { closedPort, scriptedServer, type Recorded, type Scripted, type Step } from '../../util/scripted.js'
import { makeHome, start, type Home } from './helpers.js'

const sha1 = (s: string): string => createHash('sha1').update(s, 'utf8').digest('hex')

const START_URL = 'https://corp.awsapps.com/start'
const NOW = Date.UTC(2026, 10, 29, 12, 0, 0, 250)
const REG_EXPIRES = Math.floor(NOW / 1000) + 90 * 86400

const CONFIG = [
  '[profile dev]',
  'sso_session = corp',
  'sso_account_id = 123456789012',
  'sso_role_name = ReadOnly',
  '[sso-session corp]',
  `sso_start_url = ${START_URL}`,
  'sso_region = eu-west-1',
  '[profile old]',
  'sso_start_url = https://old.awsapps.com/start',
  'sso_region = us-east-1',
  'sso_account_id = 123456789012',
  'sso_role_name = ReadOnly',
  '[sso-session scoped]',
  `sso_start_url = ${START_URL}`,
  'sso_region = eu-west-1',
  'sso_registration_scopes = sso:account:access , codewhisperer:completions,',
  '[sso-session noregion]',
  `sso_start_url = ${START_URL}`,
  ''
].join('\n')

const json = (status: number, body: unknown): Step => ({ status, body: JSON.stringify(body) })
const oauthError = (error: string): Step => json(400, { error, error_description: `${error} happened` })
const registered = (id = 'client-1'): Step =>
  json(200, { clientId: id, clientSecret: 'client-secret-1', clientIdIssuedAt: REG_EXPIRES - 90 * 86400, clientSecretExpiresAt: REG_EXPIRES })
const tokenOk = (refresh = true): Step =>
  json(200, { accessToken: 'access-token-1', tokenType: 'Bearer', expiresIn: 28800, ...(refresh ? { refreshToken: 'refresh-token-1' } : {}) })

/** A scripted OIDC server: the answer of each path comes from its own list (the last repeats). */
const oidc = (script: Readonly<Record<string, ReadonlyArray<Step>>>): Promise<Scripted> => {
  const seen: Record<string, number> = {}
  return scriptedServer((req: Recorded) => {
    const p = req.url.split('?')[0] as string
    const steps = script[p]
    if (steps === undefined) return json(404, { error: 'not_found' })
    const i = seen[p] ?? 0
    seen[p] = i + 1
    return steps[Math.min(i, steps.length - 1)] as Step
  })
}

let home: Home
let server: Scripted | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
  ;(home as Home | undefined)?.cleanup()
})

const setup = async (script: Readonly<Record<string, ReadonlyArray<Step>>>): Promise<Scripted> => {
  home = makeHome()
  home.config(CONFIG)
  server = await oidc(script)
  return server
}

const bodies = (s: Scripted): Array<[string, unknown]> => s.requests.map((r) => [r.url, JSON.parse(r.body) as unknown])

/** A browser that follows the authorization URL by hitting the redirect URI as the IdP would. */
const browser =
  (answer: (q: URLSearchParams) => string, pages: Array<{ status: number; text: string }> = []) =>
  async (url: string): Promise<boolean> => {
    const q = new URL(url).searchParams
    const res = await fetch(`${q.get('redirect_uri') as string}?${answer(q)}`)
    pages.push({ status: res.status, text: await res.text() })
    return true
  }

const run = (target: LoginTarget, s: Scripted, more: Partial<LoginOptions> = {}, prompts: Array<LoginPrompt> = []) =>
  login(target, {
    homedir: home.home,
    env: { AWS_ENDPOINT_URL_SSO_OIDC: s.url },
    prompt: (p) => prompts.push(p),
    now: () => NOW,
    ...more
  })()

const regFileName = (scopes: string, session: string): string =>
  `${sha1(`{"region": "eu-west-1", "scopes": ${scopes}, "session_name": ${session}, "startUrl": "${START_URL}", "tool": "botocore"}`)}.json`

describe('login: authorization code with PKCE (sso-session)', () => {
  it('registers, opens the authorization URL, takes the redirect, exchanges the code and writes both caches as the AWS CLI does', async () => {
    const s = await setup({ '/client/register': [registered()], '/token': [tokenOk()] })
    const opened: Array<string> = []
    const pages: Array<{ status: number; text: string }> = []
    const prompts: Array<LoginPrompt> = []
    const follow = browser((q) => `code=the-code&state=${q.get('state') as string}`, pages)
    const r = await run({ profile: 'dev' }, s, { openBrowser: (u) => (opened.push(u), follow(u)) }, prompts)
    expect(r._tag).toBe('Right')
    if (r._tag !== 'Right') return
    // the exact requests, in order
    const [reg, tok] = bodies(s)
    expect(s.requests.map((q) => `${q.method} ${q.url}`)).toEqual(['POST /client/register', 'POST /token'])
    expect(reg?.[1]).toEqual({
      clientName: 'botocore-client-corp',
      clientType: 'public',
      scopes: ['sso:account:access'],
      redirectUris: ['http://127.0.0.1/oauth/callback'],
      grantTypes: ['authorization_code', 'refresh_token'],
      issuerUrl: START_URL
    })
    // the authorization URL: the OIDC origin, the CLI's parameters, in its order
    expect(prompts).toEqual([{ _tag: 'AuthorizationCode', authorizeUrl: opened[0] }])
    const url = new URL(opened[0] as string)
    expect(url.origin + url.pathname).toBe(`${s.url}/authorize`)
    expect([...url.searchParams.keys()]).toEqual([
      'response_type', 'client_id', 'redirect_uri', 'state', 'code_challenge_method', 'scopes', 'code_challenge'
    ])
    const q = url.searchParams
    expect(q.get('response_type')).toBe('code')
    expect(q.get('client_id')).toBe('client-1')
    expect(q.get('code_challenge_method')).toBe('S256')
    expect(q.get('scopes')).toBe('sso:account:access')
    expect(q.get('state')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    const redirectUri = q.get('redirect_uri') as string
    expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/)
    const body = tok?.[1] as Record<string, string>
    expect(body).toEqual({
      clientId: 'client-1',
      clientSecret: 'client-secret-1',
      grantType: 'authorization_code',
      code: 'the-code',
      redirectUri,
      codeVerifier: body['codeVerifier']
    })
    expect(body['codeVerifier']).toMatch(/^[A-Za-z0-9._~-]{64}$/)
    expect(q.get('code_challenge')).toBe(codeChallenge(body['codeVerifier'] as string))
    // the page the browser got
    expect(pages).toHaveLength(1)
    expect(pages[0]?.status).toBe(200)
    expect(pages[0]?.text).toContain('You may close this tab')
    // the token file, byte for byte as `_sso_json_dumps` writes it, mode 0600, under sha1('corp')
    const tokenFile = path.join(home.tokens, `${sha1('corp')}.json`)
    expect(r.right.tokenFile).toBe(tokenFile)
    expect(fs.readFileSync(tokenFile, 'utf8')).toBe(
      `{"startUrl": "${START_URL}", "region": "eu-west-1", "accessToken": "access-token-1", ` +
        `"expiresAt": "2026-11-29T20:00:00Z", "clientId": "client-1", "clientSecret": "client-secret-1", ` +
        `"registrationExpiresAt": "${new Date(REG_EXPIRES * 1000).toISOString().replace('.000Z', 'Z')}", "refreshToken": "refresh-token-1"}`
    )
    expect(fs.statSync(tokenFile).mode & 0o777).toBe(0o600)
    // the registration file: the CLI's key and format
    const regFile = path.join(home.tokens, regFileName('null', '"corp"'))
    expect(r.right.registrationFile).toBe(regFile)
    expect(fs.readFileSync(regFile, 'utf8')).toBe(
      `{"clientId": "client-1", "clientSecret": "client-secret-1", "expiresAt": "${new Date(REG_EXPIRES * 1000)
        .toISOString()
        .replace('.000Z', 'Z')}", "scopes": ["sso:account:access"], "grantTypes": ["authorization_code", "refresh_token"]}`
    )
    expect(fs.statSync(regFile).mode & 0o777).toBe(0o600)
    // what fromSSO and logout read
    const read = await readToken(tokenFile)()
    expect(read._tag === 'Right' && read.right.expiresAt.getTime()).toBe(Date.UTC(2026, 10, 29, 20, 0, 0))
    // no secret in the printable result
    const printed = JSON.stringify(r.right)
    for (const secret of ['access-token-1', 'refresh-token-1', 'client-secret-1', body['codeVerifier'] as string]) {
      expect(printed).not.toContain(secret)
    }
    expect(r.right).toMatchObject({ flow: 'AuthorizationCode', profile: 'dev', ssoSession: 'corp', registrationReused: false })
  })

  it('reuses a cached registration until 15 minutes before it expires, and never a device-code one', async () => {
    const s = await setup({ '/client/register': [registered('client-1'), registered('client-2')], '/token': [tokenOk()] })
    const follow = browser((q) => `code=c&state=${q.get('state') as string}`)
    const first = await run({ ssoSession: 'corp' }, s, { openBrowser: follow })
    expect(first._tag === 'Right' && first.right.registrationReused).toBe(false)
    const second = await run({ ssoSession: 'corp' }, s, { openBrowser: follow })
    expect(second._tag === 'Right' && second.right.registrationReused).toBe(true)
    expect(s.requests.map((q) => q.url)).toEqual(['/client/register', '/token', '/token'])
    // 15 minutes before the expiry: registered again
    const late = await run({ ssoSession: 'corp' }, s, { openBrowser: follow, now: () => REG_EXPIRES * 1000 - 15 * 60_000 + 1 })
    expect(late._tag === 'Right' && late.right.registrationReused).toBe(false)
    expect(s.requests.map((q) => q.url)).toEqual(['/client/register', '/token', '/token', '/client/register', '/token'])
    expect(JSON.parse(s.requests[4]?.body ?? '{}')).toMatchObject({ clientId: 'client-2' })
    // a device-code registration under the same key (no grantTypes) is not used for PKCE
    const regFile = path.join(home.tokens, regFileName('null', '"corp"'))
    fs.writeFileSync(regFile, cliCacheJson({ clientId: 'device-client', clientSecret: 'x', expiresAt: '2999-01-01T00:00:00Z' }))
    const again = await run({ ssoSession: 'corp' }, s, { openBrowser: follow })
    expect(again._tag === 'Right' && again.right.registrationReused).toBe(false)
  })

  it('uses sso_registration_scopes, parsed as the AWS CLI does, in the registration, the URL and the cache key', async () => {
    const s = await setup({ '/client/register': [registered()], '/token': [tokenOk()] })
    const opened: Array<string> = []
    const follow = browser((q) => `code=c&state=${q.get('state') as string}`)
    const r = await run({ ssoSession: 'scoped' }, s, { openBrowser: (u) => (opened.push(u), follow(u)) })
    expect(r._tag).toBe('Right')
    expect((bodies(s)[0]?.[1] as Record<string, unknown>)['scopes']).toEqual(['sso:account:access', 'codewhisperer:completions'])
    expect(opened[0]).toContain('&scopes=sso%3Aaccount%3Aaccess%20codewhisperer%3Acompletions&')
    expect(fs.existsSync(path.join(home.tokens, regFileName('["sso:account:access", "codewhisperer:completions"]', '"scoped"')))).toBe(true)
  })

  it('refuses a redirect whose state is not the one sent, and exchanges nothing', async () => {
    const s = await setup({ '/client/register': [registered()], '/token': [tokenOk()] })
    const pages: Array<{ status: number; text: string }> = []
    const r = await run({ profile: 'dev' }, s, { openBrowser: browser(() => 'code=c&state=forged', pages) })
    expect(r._tag === 'Left' && r.left._tag === 'LoginFailure' && r.left.reason).toBe('StateMismatch')
    expect(s.requests.map((q) => q.url)).toEqual(['/client/register'])
    expect(fs.existsSync(path.join(home.tokens, `${sha1('corp')}.json`))).toBe(false)
  })

  it('is Denied when the redirect says access_denied', async () => {
    const s = await setup({ '/client/register': [registered()], '/token': [tokenOk()] })
    const pages: Array<{ status: number; text: string }> = []
    const r = await run({ profile: 'dev' }, s, { openBrowser: browser(() => 'error=access_denied', pages) })
    expect(r._tag === 'Left' && r.left._tag === 'LoginFailure' && r.left.reason).toBe('Denied')
    expect(pages[0]?.text).toContain('You may close this tab')
    expect(s.requests.map((q) => q.url)).toEqual(['/client/register'])
  })

  it('times out when the browser never comes back, and closes the listener', async () => {
    const s = await setup({ '/client/register': [registered()], '/token': [tokenOk()] })
    const prompts: Array<LoginPrompt> = []
    const r = await run({ profile: 'dev' }, s, { timeoutMs: 50 }, prompts)
    expect(r._tag === 'Left' && r.left._tag === 'LoginFailure' && r.left.reason).toBe('TimedOut')
    const p = prompts[0]
    const redirect = p?._tag === 'AuthorizationCode' ? (new URL(p.authorizeUrl).searchParams.get('redirect_uri') as string) : ''
    await expect(fetch(redirect)).rejects.toThrow()
  })

  it('listens on the given port; other paths and incomplete callbacks do not end the wait', async () => {
    const s = await setup({ '/client/register': [registered()], '/token': [tokenOk()] })
    const port = await closedPort()
    const seen: Array<number> = []
    const r = await run({ profile: 'dev' }, s, {
      redirectPort: port,
      openBrowser: async (url) => {
        const q = new URL(url).searchParams
        expect(q.get('redirect_uri')).toBe(`http://127.0.0.1:${port}/oauth/callback`)
        seen.push((await fetch(`http://127.0.0.1:${port}/elsewhere?code=c&state=${q.get('state') as string}`)).status)
        seen.push((await fetch(`http://127.0.0.1:${port}/oauth/callback?code=c`)).status)
        seen.push((await fetch(`http://127.0.0.1:${port}/oauth/callback?code=c&state=${q.get('state') as string}`)).status)
        return true
      }
    })
    expect(seen).toEqual([404, 400, 200])
    expect(r._tag).toBe('Right')
  })

  it('fails with ListenerFailed when the port is taken', async () => {
    const s = await setup({ '/client/register': [registered()], '/token': [tokenOk()] })
    const port = Number(new URL(s.url).port)
    const r = await run({ profile: 'dev' }, s, { redirectPort: port })
    expect(r._tag === 'Left' && r.left._tag === 'LoginFailure' && r.left).toMatchObject({ reason: 'ListenerFailed', code: 'EADDRINUSE' })
    expect(s.requests).toHaveLength(0)
  })

  it('maps a refused code to AuthorizationFailed, with no secret in the error', async () => {
    const s = await setup({ '/client/register': [registered()], '/token': [oauthError('invalid_grant')] })
    const r = await run({ profile: 'dev' }, s, { openBrowser: browser((q) => `code=the-code&state=${q.get('state') as string}`) })
    expect(r._tag === 'Left' && r.left._tag === 'LoginFailure' && r.left.reason).toBe('AuthorizationFailed')
    const printed = JSON.stringify(r)
    expect(printed).not.toContain('client-secret-1')
    expect(printed).not.toContain('the-code')
  })
})

describe('login: device code', () => {
  const clock = (): { now: () => number; sleep: (ms: number) => Promise<void>; sleeps: Array<number> } => {
    let t = NOW
    const sleeps: Array<number> = []
    return {
      now: () => t,
      sleep: async (ms) => {
        sleeps.push(ms)
        t += ms
      },
      sleeps
    }
  }
  const authorized = (interval?: number, expiresIn = 600): Step =>
    json(200, {
      deviceCode: 'device-code-1',
      userCode: 'ABCD-EFGH',
      verificationUri: 'https://device.sso.eu-west-1.amazonaws.com/',
      verificationUriComplete: 'https://device.sso.eu-west-1.amazonaws.com/?user_code=ABCD-EFGH',
      expiresIn,
      ...(interval === undefined ? {} : { interval })
    })

  it('polls a legacy profile at the interval, adds 5 s on SlowDown, and writes the token as the AWS CLI does', async () => {
    const s = await setup({
      '/client/register': [registered()],
      '/device_authorization': [authorized(1)],
      '/token': [
        oauthError('authorization_pending'),
        oauthError('authorization_pending'),
        oauthError('slow_down'),
        oauthError('authorization_pending'),
        tokenOk(false)
      ]
    })
    const c = clock()
    const prompts: Array<LoginPrompt> = []
    const opened: Array<string> = []
    const r = await run({ profile: 'old' }, s, { now: c.now, sleep: c.sleep, openBrowser: async (u) => (opened.push(u), false) }, prompts)
    expect(r._tag).toBe('Right')
    // the first attempt comes before the prompt (a pre-authorized client needs none), then one per interval
    expect(c.sleeps).toEqual([1000, 1000, 6000, 6000])
    expect(prompts).toEqual([
      {
        _tag: 'DeviceCode',
        verificationUri: 'https://device.sso.eu-west-1.amazonaws.com/',
        verificationUriComplete: 'https://device.sso.eu-west-1.amazonaws.com/?user_code=ABCD-EFGH',
        userCode: 'ABCD-EFGH'
      }
    ])
    expect(opened).toEqual(['https://device.sso.eu-west-1.amazonaws.com/?user_code=ABCD-EFGH'])
    const b = bodies(s)
    expect(b.map(([u]) => u)).toEqual(['/client/register', '/device_authorization', '/token', '/token', '/token', '/token', '/token'])
    expect(b[0]?.[1]).toEqual({ clientName: `botocore-client-${Math.floor(NOW / 1000)}`, clientType: 'public' })
    expect(b[1]?.[1]).toEqual({ clientId: 'client-1', clientSecret: 'client-secret-1', startUrl: 'https://old.awsapps.com/start' })
    for (const [, body] of b.slice(2)) {
      expect(body).toEqual({
        clientId: 'client-1',
        clientSecret: 'client-secret-1',
        grantType: 'urn:ietf:params:oauth:grant-type:device_code',
        deviceCode: 'device-code-1'
      })
    }
    // a legacy profile: cached under sha1(start URL), no refresh token; the clock at the last poll is NOW + 14 s
    const tokenFile = tokenCacheFile(home.home, { _tag: 'StartUrl', startUrl: 'https://old.awsapps.com/start' })
    expect(path.basename(tokenFile)).toBe(`${sha1('https://old.awsapps.com/start')}.json`)
    const regExp = new Date(REG_EXPIRES * 1000).toISOString().replace('.000Z', 'Z')
    expect(fs.readFileSync(tokenFile, 'utf8')).toBe(
      `{"startUrl": "https://old.awsapps.com/start", "region": "us-east-1", "accessToken": "access-token-1", ` +
        `"expiresAt": "2026-11-29T20:00:14Z", "clientId": "client-1", "clientSecret": "client-secret-1", "registrationExpiresAt": "${regExp}"}`
    )
    expect(fs.statSync(tokenFile).mode & 0o777).toBe(0o600)
    const regFile = path.join(
      home.tokens,
      `${sha1('{"region": "us-east-1", "scopes": null, "session_name": null, "startUrl": "https://old.awsapps.com/start", "tool": "botocore"}')}.json`
    )
    expect(fs.readFileSync(regFile, 'utf8')).toBe(`{"clientId": "client-1", "clientSecret": "client-secret-1", "expiresAt": "${regExp}"}`)
    expect(r._tag === 'Right' && r.right).toMatchObject({ flow: 'DeviceCode', profile: 'old', ssoSession: undefined })
  })

  it('polls every 5 s when the service gives no interval, and stops at the device code expiry', async () => {
    const s = await setup({
      '/client/register': [registered()],
      '/device_authorization': [authorized(undefined, 12)],
      '/token': [oauthError('authorization_pending')]
    })
    const c = clock()
    const r = await run({ profile: 'old' }, s, { now: c.now, sleep: c.sleep })
    expect(r._tag === 'Left' && r.left._tag === 'LoginFailure' && r.left.reason).toBe('Expired')
    expect(c.sleeps).toEqual([5000, 5000])
    expect(s.requests.filter((q) => q.url === '/token')).toHaveLength(3)
  })

  it('is Denied on AccessDenied and Expired on ExpiredToken', async () => {
    for (const [error, reason] of [
      ['access_denied', 'Denied'],
      ['expired_token', 'Expired']
    ] as const) {
      const s = await setup({
        '/client/register': [registered()],
        '/device_authorization': [authorized(1)],
        '/token': [oauthError('authorization_pending'), oauthError(error)]
      })
      const c = clock()
      const r = await run({ profile: 'old' }, s, { now: c.now, sleep: c.sleep })
      expect(r._tag === 'Left' && r.left._tag === 'LoginFailure' && r.left.reason).toBe(reason)
      expect(JSON.stringify(r)).not.toContain('client-secret-1')
      expect(JSON.stringify(r)).not.toContain('device-code-1')
      await s.close()
      server = undefined
      home.cleanup()
    }
    home = makeHome()
  })

  it('uses the device code grant for an sso-session with useDeviceCode, cached under the session name, and reuses that registration', async () => {
    const s = await setup({
      '/client/register': [registered()],
      '/device_authorization': [authorized(1)],
      '/token': [tokenOk()]
    })
    const prompts: Array<LoginPrompt> = []
    const r = await run({ profile: 'dev' }, s, { useDeviceCode: true }, prompts)
    expect(r._tag === 'Right' && r.right.tokenFile).toBe(path.join(home.tokens, `${sha1('corp')}.json`))
    // pre-authorized: the first attempt succeeded, nobody was prompted
    expect(prompts).toEqual([])
    expect(bodies(s)[0]?.[1]).toEqual({ clientName: 'botocore-client-corp', clientType: 'public' })
    const again = await run({ profile: 'dev' }, s, { useDeviceCode: true })
    expect(again._tag === 'Right' && again.right.registrationReused).toBe(true)
    expect(s.requests.filter((q) => q.url === '/client/register')).toHaveLength(1)
  })
})

describe('login: abort', () => {
  it('an abort ends the wait for the browser and the polling: Aborted, nothing exchanged or written', async () => {
    const s = await setup({
      '/client/register': [registered()],
      '/device_authorization': [
        json(200, { deviceCode: 'd', userCode: 'U', verificationUri: 'https://v/', verificationUriComplete: 'https://v/?u', expiresIn: 600, interval: 1 })
      ],
      '/token': [oauthError('authorization_pending')]
    })
    const pkce = new AbortController()
    const r1 = await run({ profile: 'dev' }, s, { signal: pkce.signal, openBrowser: async () => (pkce.abort(), true) })
    expect(r1._tag === 'Left' && r1.left._tag === 'LoginFailure' && r1.left.reason).toBe('Aborted')
    expect(s.requests.map((q) => q.url)).toEqual(['/client/register'])
    const device = new AbortController()
    let sleeps = 0
    const r2 = await run({ profile: 'old' }, s, {
      signal: device.signal,
      // the first sleep is cut short by the abort, and never ends by itself
      sleep: () => ((sleeps += 1), device.abort(), new Promise<void>(() => undefined))
    })
    expect(r2._tag === 'Left' && r2.left._tag === 'LoginFailure' && r2.left.reason).toBe('Aborted')
    expect(sleeps).toBe(1)
    expect(s.requests.filter((q) => q.url === '/token')).toHaveLength(1)
    expect(home.ls(home.tokens).filter((f) => f === `${sha1('corp')}.json` || f === `${sha1('https://old.awsapps.com/start')}.json`)).toEqual([])
  })
})

describe('login: configuration and options', () => {
  it('reports a missing profile, session or setting, and bad options, as values', async () => {
    const s = await setup({ '/client/register': [registered()], '/token': [tokenOk()] })
    const r1 = await run({ profile: 'nope' }, s)
    expect(r1._tag === 'Left' && r1.left._tag === 'SSOConfigError' && r1.left.reason).toBe('ProfileNotFound')
    const r2 = await run({ ssoSession: 'nope' }, s)
    expect(r2._tag === 'Left' && r2.left._tag === 'SSOConfigError' && r2.left.reason).toBe('SessionNotFound')
    const r6 = await run({ ssoSession: 'noregion' }, s)
    expect(r6._tag === 'Left' && r6.left._tag === 'SSOConfigError' && r6.left).toMatchObject({ reason: 'MissingSetting', setting: 'sso_region' })
    const r3 = await run({ profile: 'dev', ssoSession: 'corp' } as unknown as LoginTarget, s)
    expect(r3._tag === 'Left' && r3.left._tag === 'LoginFailure' && r3.left.reason).toBe('InvalidOptions')
    const r4 = await run({ profile: 'dev' }, s, { redirectPort: 70000 })
    expect(r4._tag === 'Left' && r4.left._tag === 'LoginFailure' && r4.left.reason).toBe('InvalidOptions')
    const r5 = await run({ profile: 'dev' }, s, {
      prompt: () => {
        throw new Error('boom')
      }
    })
    expect(r5._tag === 'Left' && r5.left._tag === 'LoginFailure' && r5.left.reason).toBe('InvalidOptions')
    expect(s.requests.filter((q) => q.url === '/token')).toHaveLength(0)
  })
})

describe('login: the token works for fromSSO and logout, and an AWS CLI registration is reused', () => {
  it('fromSSO gets credentials with an fp-aws login, logoutSession invalidates it', async () => {
    const emu = await start({
      tokens: {
        'access-token-1': {
          accounts: [{ accountId: '123456789012', accountName: 'acct', emailAddress: 'a@example.com', roles: ['ReadOnly'] }]
        }
      }
    })
    try {
      const s = await setup({ '/client/register': [registered()], '/token': [tokenOk()] })
      const r = await run({ profile: 'dev' }, s, {
        now: Date.now,
        openBrowser: browser((q) => `code=c&state=${q.get('state') as string}`)
      })
      expect(r._tag).toBe('Right')
      const creds = await fromSSO({ profile: 'dev', homedir: home.home, env: { AWS_ENDPOINT_URL_SSO: emu.url } })()
      expect(creds._tag === 'Right' && creds.right.accessKeyId.length > 0).toBe(true)
      const out = await logoutSession({
        homedir: home.home,
        env: {},
        target: { _tag: 'Profile', profile: 'dev' },
        envForRegion: (region) => newEnv({ region, endpoint: emu.url })
      })()
      expect(out._tag).toBe('Right')
      expect(emu.isLoggedOut('access-token-1')).toBe(true)
    } finally {
      await emu.close()
    }
  })

  it("reuses a registration in the older AWS CLI form ('…UTC' timestamps)", async () => {
    const s = await setup({ '/client/register': [registered()], '/token': [tokenOk()] })
    fs.mkdirSync(home.tokens, { recursive: true })
    fs.writeFileSync(
      path.join(home.tokens, regFileName('null', '"corp"')),
      '{"clientId": "cli-client", "clientSecret": "cli-secret", "expiresAt": "2999-01-01T00:00:00UTC", ' +
        '"scopes": ["sso:account:access"], "grantTypes": ["authorization_code", "refresh_token"]}'
    )
    const r = await run({ profile: 'dev' }, s, { openBrowser: browser((q) => `code=c&state=${q.get('state') as string}`) })
    expect(r._tag === 'Right' && r.right.registrationReused).toBe(true)
    expect(s.requests.map((q) => q.url)).toEqual(['/token'])
    expect(JSON.parse(s.requests[0]?.body ?? '{}')).toMatchObject({ clientId: 'cli-client', clientSecret: 'cli-secret' })
  })
})

describe('codeVerifier', () => {
  it('draws 64 characters, and falls back to crypto.randomBytes for a source that gives no usable bytes', () => {
    expect(codeVerifier(() => new Uint8Array(64).fill(0))).toBe('A'.repeat(64))
    // 255 is always rejected (it would bias the draw): the loop ends on the system's bytes
    expect(codeVerifier(() => new Uint8Array(64).fill(255))).toMatch(/^[A-Za-z0-9._~-]{64}$/)
    const rejecting = (() => Promise.reject(new Error('no bytes'))) as unknown as (n: number) => Uint8Array
    expect(codeVerifier(rejecting)).toMatch(/^[A-Za-z0-9._~-]{64}$/)
    expect(codeVerifier(undefined)).toMatch(/^[A-Za-z0-9._~-]{64}$/)
  })
})

describe('cliCacheJson', () => {
  it("writes what Python's json.dumps writes (the reference below is its output)", () => {
    const value = { a: 'é\u0000\u001f\u007f"\\/\n\t\b\f\r', b: ['😀', 'x'], c: null, d: 12, e: '\u2028' }
    expect(cliCacheJson(value)).toBe(
      String.raw`{"a": "\u00e9\u0000\u001f\u007f\"\\/\n\t\b\f\r", "b": ["\ud83d\ude00", "x"], "c": null, "d": 12, "e": "\u2028"}`
    )
  })
})
