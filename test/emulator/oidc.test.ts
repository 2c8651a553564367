/**
 * The emulator's SSO OIDC side through real HTTP on loopback: every endpoint and error, the
 * approval pages, the portal serving the tokens a login issues, and portal Logout ending
 * them. Lifetimes are crossed with the emulator's injected clock.
 */
import { createHash, randomBytes } from 'node:crypto'
import * as http from 'node:http'
import { describe, expect, it } from 'vitest'
import { DEMO_SEED, DEMO_TOKEN, startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js'
import { handleOidc, makeOidcState, MAX_OIDC_ENTRIES, OIDC_DEFAULTS, oidcStats } from '../../src/emulator/oidc.js'
import { makeState, route } from '../../src/emulator/operations.js'
import { useEmulators } from '../util/emulator.js'

const start = useEmulators()

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'
const START_URL = 'https://d-1234567890.awsapps.com/start'
const ISSUER = 'https://identitycenter.amazonaws.com/ssoins-1234567890abcdef'
const REDIRECT = 'http://127.0.0.1:49152/oauth/callback'

interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly json: Record<string, unknown>
}

const read = async (res: Response): Promise<Answer> => {
  const text = await res.text()
  let json: Record<string, unknown> = {}
  try {
    json = JSON.parse(text) as Record<string, unknown>
  } catch {
    json = {}
  }
  return { status: res.status, headers: res.headers, text, json }
}

const post = async (emu: Emulator, path: string, body: unknown): Promise<Answer> =>
  read(await fetch(`${emu.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }))

const get = async (url: string): Promise<Answer> => read(await fetch(url, { redirect: 'manual' }))

const form = async (emu: Emulator, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> =>
  read(
    await fetch(`${emu.url}/approval`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual'
    })
  )

const portal = async (emu: Emulator, token: string): Promise<Answer> =>
  read(await fetch(`${emu.url}/assignment/accounts`, { headers: { 'x-amz-sso_bearer_token': token } }))

const logout = async (emu: Emulator, token: string): Promise<number> =>
  (await fetch(`${emu.url}/logout`, { method: 'POST', headers: { 'x-amz-sso_bearer_token': token } })).status

/** The error's shape: status, `error`, and the `x-amzn-errortype` header's code. */
const errorOf = (a: Answer): readonly [number, unknown, string | undefined] => [
  a.status,
  a.json['error'],
  a.headers.get('x-amzn-errortype')?.split(':')[0]
]

/** A manual clock. */
const manualClock = () => {
  let t = Date.UTC(2026, 0, 1)
  return { clock: () => t, advance: (ms: number) => (t += ms) }
}

interface Registered {
  readonly clientId: string
  readonly clientSecret: string
}

const registerDevice = async (emu: Emulator, extra: Record<string, unknown> = {}): Promise<Registered> => {
  const r = await post(emu, '/client/register', { clientName: 'test', clientType: 'public', ...extra })
  expect(r.status).toBe(200)
  return r.json as unknown as Registered
}

const registerCode = (emu: Emulator): Promise<Registered> =>
  registerDevice(emu, {
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: [REDIRECT],
    issuerUrl: ISSUER,
    scopes: ['sso:account:access']
  })

const startDevice = async (emu: Emulator, c: Registered): Promise<Record<string, unknown>> => {
  const r = await post(emu, '/device_authorization', { ...c, startUrl: START_URL })
  expect(r.status).toBe(200)
  return r.json
}

const poll = (emu: Emulator, c: Registered, deviceCode: unknown): Promise<Answer> =>
  post(emu, '/token', { ...c, grantType: DEVICE_GRANT, deviceCode })

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url')
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') }
}

const authorizeUrl = (emu: Emulator, clientId: string, challenge: string, state: string, redirect = REDIRECT): string =>
  `${emu.url}/authorize?` +
  new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirect,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    scopes: 'sso:account:access'
  }).toString()

const approvalId = (html: string): string => {
  const m = /name="id" value="([^"]+)"/.exec(html)
  if (m?.[1] === undefined) throw new Error('no approval id in the page')
  return m[1]
}

/** Drives /authorize like a browser: GET the page, POST the decision; the 302's location. */
const authorizeBy = async (emu: Emulator, url: string, decision: 'allow' | 'deny'): Promise<URL> => {
  const page = await get(url)
  expect(page.status).toBe(200)
  const r = await form(emu, { id: approvalId(page.text), decision }, { origin: emu.url })
  expect(r.status).toBe(302)
  return new URL(r.headers.get('location') ?? '')
}

describe('POST /client/register', () => {
  it('issues a client: id, secret, issued at and expiry (registrationTtlSeconds), in epoch seconds', async () => {
    const { clock } = manualClock()
    const emu = await start({ clock, registrationTtlSeconds: 1000 })
    const r = await post(emu, '/client/register', { clientName: 'test', clientType: 'public' })
    expect(r.status).toBe(200)
    expect(Object.keys(r.json).sort()).toStrictEqual(['clientId', 'clientIdIssuedAt', 'clientSecret', 'clientSecretExpiresAt'])
    expect(r.json['clientIdIssuedAt']).toBe(clock() / 1000)
    expect(r.json['clientSecretExpiresAt']).toBe(clock() / 1000 + 1000)
    expect(emu.stats().oidc.clients).toBe(1)
  })

  it('with the authorization_code grant: the authorization and token endpoints', async () => {
    const emu = await start({})
    const r = await post(emu, '/client/register', {
      clientName: 'test',
      clientType: 'public',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: [REDIRECT],
      issuerUrl: ISSUER,
      scopes: ['sso:account:access']
    })
    expect(r.json['authorizationEndpoint']).toBe(`${emu.url}/authorize`)
    expect(r.json['tokenEndpoint']).toBe(`${emu.url}/token`)
  })

  it('refuses bad metadata, redirect URIs and scopes with the service errors', async () => {
    const emu = await start({})
    const reg = (extra: Record<string, unknown>) => post(emu, '/client/register', { clientName: 'test', clientType: 'public', ...extra })
    expect(errorOf(await post(emu, '/client/register', { clientType: 'public' }))).toStrictEqual([400, 'invalid_request', 'InvalidRequestException'])
    expect(errorOf(await reg({ clientType: 'confidential' }))).toStrictEqual([400, 'invalid_client_metadata', 'InvalidClientMetadataException'])
    expect(errorOf(await reg({ grantTypes: ['password'] }))).toStrictEqual([400, 'invalid_client_metadata', 'InvalidClientMetadataException'])
    expect(errorOf(await reg({ issuerUrl: 'not a url' }))).toStrictEqual([400, 'invalid_client_metadata', 'InvalidClientMetadataException'])
    expect(errorOf(await reg({ grantTypes: ['authorization_code'], redirectUris: ['https://evil.example/cb'], issuerUrl: ISSUER }))).toStrictEqual([
      400,
      'invalid_redirect_uri',
      'InvalidRedirectUriException'
    ])
    expect(errorOf(await reg({ grantTypes: ['authorization_code'], issuerUrl: ISSUER }))).toStrictEqual([400, 'invalid_redirect_uri', 'InvalidRedirectUriException'])
    expect(errorOf(await reg({ scopes: ['not a scope'] }))).toStrictEqual([400, 'invalid_scope', 'InvalidScopeException'])
    const bad = await reg({ clientType: 'x' })
    expect(bad.headers.get('x-amzn-errortype')).toBe('InvalidClientMetadataException:http://internal.amazon.com/coral/com.amazonaws.ssooidc/')
    expect(Object.keys(bad.json)).toStrictEqual(['error', 'error_description'])
    expect(emu.stats().oidc.clients).toBe(0)
  })

  it('a body that is not JSON, or too large, is an InvalidRequestException', async () => {
    const emu = await start({})
    const raw = async (body: string) =>
      errorOf(await read(await fetch(`${emu.url}/client/register`, { method: 'POST', body })))
    expect(await raw('{not json')).toStrictEqual([400, 'invalid_request', 'InvalidRequestException'])
    expect(await raw(JSON.stringify({ clientName: 'x'.repeat(70_000), clientType: 'public' }))).toStrictEqual([
      400,
      'invalid_request',
      'InvalidRequestException'
    ])
  })
})

describe('POST /device_authorization', () => {
  it('starts a device authorization', async () => {
    const emu = await start({ deviceCodeTtlSeconds: 120, pollIntervalSeconds: 2 })
    const d = await startDevice(emu, await registerDevice(emu))
    expect(d['userCode']).toMatch(/^[A-Z]{4}-[A-Z]{4}$/)
    expect(d['verificationUri']).toBe(`${emu.url}/device`)
    expect(d['verificationUriComplete']).toBe(`${emu.url}/device?user_code=${String(d['userCode'])}`)
    expect(d['expiresIn']).toBe(120)
    expect(d['interval']).toBe(2)
    expect(typeof d['deviceCode']).toBe('string')
  })

  it('an unknown client, a wrong secret or an expired registration is a 401 InvalidClientException', async () => {
    const { clock, advance } = manualClock()
    const emu = await start({ clock, registrationTtlSeconds: 10 })
    const c = await registerDevice(emu)
    const go = async (body: Record<string, unknown>) => errorOf(await post(emu, '/device_authorization', { startUrl: START_URL, ...body }))
    const invalidClient = [401, 'invalid_client', 'InvalidClientException']
    expect(await go({ clientId: 'nope', clientSecret: c.clientSecret })).toStrictEqual(invalidClient)
    expect(await go({ clientId: c.clientId, clientSecret: `${c.clientSecret}x` })).toStrictEqual(invalidClient)
    expect(await go({ clientId: c.clientId })).toStrictEqual([400, 'invalid_request', 'InvalidRequestException'])
    expect(await go({ ...c, startUrl: 'nope' })).toStrictEqual([400, 'invalid_request', 'InvalidRequestException'])
    advance(10_000)
    expect(await go({ ...c })).toStrictEqual(invalidClient)
  })

  it('a client registered for the authorization code grant only is an UnauthorizedClientException', async () => {
    const emu = await start({})
    const c = await registerDevice(emu, { grantTypes: ['authorization_code'], redirectUris: [REDIRECT], issuerUrl: ISSUER })
    expect(errorOf(await post(emu, '/device_authorization', { ...c, startUrl: START_URL }))).toStrictEqual([
      400,
      'unauthorized_client',
      'UnauthorizedClientException'
    ])
  })
})

describe('POST /token, device_code grant', () => {
  it('pending, slow down, pending, approved: a token that works on the portal; the device code is then spent', async () => {
    const { clock, advance } = manualClock()
    const emu = await start({ clock, pollIntervalSeconds: 5, accessTokenTtlSeconds: 100 })
    const c = await registerDevice(emu)
    const d = await startDevice(emu, c)
    expect(errorOf(await poll(emu, c, d['deviceCode']))).toStrictEqual([400, 'authorization_pending', 'AuthorizationPendingException'])
    advance(4_999)
    expect(errorOf(await poll(emu, c, d['deviceCode']))).toStrictEqual([400, 'slow_down', 'SlowDownException'])
    advance(5_000)
    expect(errorOf(await poll(emu, c, d['deviceCode']))).toStrictEqual([400, 'authorization_pending', 'AuthorizationPendingException'])
    expect(emu.approve(String(d['userCode']).toLowerCase())).toBe(true)
    expect(emu.approve(String(d['userCode']))).toBe(false)
    const t = await poll(emu, c, d['deviceCode'])
    expect(t.status).toBe(200)
    expect(t.json['tokenType']).toBe('Bearer')
    expect(t.json['expiresIn']).toBe(100)
    // a legacy registration (no scopes, no grant types) gets no refresh token, as with the service
    expect(t.json['refreshToken']).toBeUndefined()
    const accounts = await portal(emu, String(t.json['accessToken']))
    expect(accounts.status).toBe(200)
    expect((accounts.json['accountList'] as ReadonlyArray<unknown>).length).toBe(DEMO_SEED[DEMO_TOKEN]?.accounts?.length)
    expect(errorOf(await poll(emu, c, d['deviceCode']))).toStrictEqual([400, 'invalid_grant', 'InvalidGrantException'])
    // the access token expires
    advance(100_000)
    expect((await portal(emu, String(t.json['accessToken']))).status).toBe(401)
  })

  it('denied: AccessDeniedException; expired: ExpiredTokenException; another client: InvalidGrantException', async () => {
    const { clock, advance } = manualClock()
    const emu = await start({ clock, deviceCodeTtlSeconds: 2 })
    const c = await registerDevice(emu)
    const other = await registerDevice(emu)
    const denied = await startDevice(emu, c)
    expect(emu.deny(String(denied['userCode']))).toBe(true)
    expect(emu.approve(String(denied['userCode']))).toBe(false)
    expect(errorOf(await poll(emu, c, denied['deviceCode']))).toStrictEqual([400, 'access_denied', 'AccessDeniedException'])
    const late = await startDevice(emu, c)
    expect(errorOf(await poll(emu, other, late['deviceCode']))).toStrictEqual([400, 'invalid_grant', 'InvalidGrantException'])
    advance(2_000)
    expect(emu.approve(String(late['userCode']))).toBe(false)
    expect(errorOf(await poll(emu, c, late['deviceCode']))).toStrictEqual([400, 'expired_token', 'ExpiredTokenException'])
    expect(errorOf(await poll(emu, c, 'odc-unknown'))).toStrictEqual([400, 'invalid_grant', 'InvalidGrantException'])
    expect(errorOf(await post(emu, '/token', { ...c, grantType: 'password' }))).toStrictEqual([
      400,
      'unsupported_grant_type',
      'UnsupportedGrantTypeException'
    ])
    expect(errorOf(await post(emu, '/token', { ...c, grantType: 'refresh_token', refreshToken: 'x' }))).toStrictEqual([
      400,
      'unauthorized_client',
      'UnauthorizedClientException'
    ])
  })

  it('autoApprove: the first poll gets the token', async () => {
    const emu = await start({ autoApprove: true })
    const c = await registerDevice(emu)
    const d = await startDevice(emu, c)
    expect(emu.approve(String(d['userCode']))).toBe(false)
    expect((await get(String(d['verificationUriComplete']))).text).toContain('Request approved')
    expect((await poll(emu, c, d['deviceCode'])).status).toBe(200)
  })

  it('a login grants the identity option, not the demo seed', async () => {
    const identity = { accounts: [{ accountId: '111122223333', accountName: 'mine', emailAddress: 'a@b.c', roles: ['R'] }] }
    const emu = await start({ autoApprove: true, identity })
    const c = await registerDevice(emu)
    const t = await poll(emu, c, (await startDevice(emu, c))['deviceCode'])
    expect((await portal(emu, String(t.json['accessToken']))).json['accountList']).toStrictEqual([
      { accountId: '111122223333', accountName: 'mine', emailAddress: 'a@b.c' }
    ])
    const creds = await read(
      await fetch(`${emu.url}/federation/credentials?account_id=111122223333&role_name=R`, {
        headers: { 'x-amz-sso_bearer_token': String(t.json['accessToken']) }
      })
    )
    expect(creds.status).toBe(200)
  })
})

describe('the verification page', () => {
  it('shows the user code with Allow and Deny, no secret, everything escaped; Allow approves', async () => {
    const emu = await start({})
    const c = await registerDevice(emu, { clientName: '<script>alert(1)</script>' })
    const d = await startDevice(emu, c)
    const page = await get(String(d['verificationUriComplete']))
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.text).toContain(String(d['userCode']))
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(page.text).not.toContain('<script>')
    for (const s of [c.clientSecret, c.clientId, String(d['deviceCode'])]) expect(page.text).not.toContain(s)
    expect(page.text).toContain('value="allow"')
    expect(page.text).toContain('value="deny"')
    // a cross-origin post is refused; an unknown id changes nothing
    expect((await form(emu, { id: approvalId(page.text), decision: 'allow' }, { origin: 'http://evil.example' })).status).toBe(403)
    expect((await form(emu, { id: 'nope', decision: 'allow' })).status).toBe(404)
    // the origin as the browser names it (the Host it used) is the same origin
    const port = new URL(emu.url).port
    const viaLocalhost = await new Promise<number>((resolve, reject) => {
      const body = 'id=nope&decision=allow'
      const req = http.request(
        `${emu.url}/approval`,
        {
          method: 'POST',
          agent: false,
          headers: { host: `localhost:${port}`, origin: `http://localhost:${port}`, 'content-type': 'application/x-www-form-urlencoded' }
        },
        (res) => {
          res.resume()
          res.on('end', () => resolve(res.statusCode ?? 0))
        }
      )
      req.on('error', reject)
      req.end(body)
    })
    expect(viaLocalhost).toBe(404)
    expect(errorOf(await poll(emu, c, d['deviceCode']))[1]).toBe('authorization_pending')
    const done = await form(emu, { id: approvalId(page.text), decision: 'allow' }, { origin: emu.url })
    expect(done.status).toBe(200)
    expect(done.text).toContain('Request approved')
    // decided: the page says so and offers nothing
    const decided = await get(String(d['verificationUriComplete']))
    expect([decided.status, decided.text.includes('Request approved'), decided.text.includes('<form')]).toStrictEqual([200, true, false])
    expect((await poll(emu, c, d['deviceCode'])).status).toBe(200)
    // used: the code is gone
    expect((await get(String(d['verificationUriComplete']))).status).toBe(404)
  })

  it('Deny denies; without a code, the page asks for one', async () => {
    const emu = await start({})
    const c = await registerDevice(emu)
    const d = await startDevice(emu, c)
    const ask = await get(`${emu.url}/device`)
    expect(ask.text).toContain('name="user_code"')
    const page = await get(`${emu.url}/device?user_code=${String(d['userCode']).toLowerCase()}`)
    expect((await form(emu, { id: approvalId(page.text), decision: 'deny' })).text).toContain('Request denied')
    expect(errorOf(await poll(emu, c, d['deviceCode']))[2]).toBe('AccessDeniedException')
  })
})

describe('GET /authorize and the authorization_code grant with PKCE', () => {
  it('Allow redirects with code and state; the code is exchanged once, with the verifier and the same redirect URI', async () => {
    const emu = await start({})
    const c = await registerCode(emu)
    const { verifier, challenge } = pkce()
    const page = await get(authorizeUrl(emu, c.clientId, challenge, 'st-1'))
    expect(page.text).toContain('sso:account:access')
    expect(page.text).not.toContain(c.clientSecret)
    const loc = await authorizeBy(emu, authorizeUrl(emu, c.clientId, challenge, 'st-1'), 'allow')
    expect(`${loc.origin}${loc.pathname}`).toBe(REDIRECT)
    expect(loc.searchParams.get('state')).toBe('st-1')
    const code = loc.searchParams.get('code')
    const exchange = (extra: Record<string, unknown>) =>
      post(emu, '/token', { ...c, grantType: 'authorization_code', code, redirectUri: REDIRECT, codeVerifier: verifier, ...extra })
    const t = await exchange({})
    expect(t.status).toBe(200)
    expect(typeof t.json['refreshToken']).toBe('string')
    expect((await portal(emu, String(t.json['accessToken']))).status).toBe(200)
    expect(errorOf(await exchange({}))).toStrictEqual([400, 'invalid_grant', 'InvalidGrantException'])
  })

  it('a wrong verifier, a wrong redirect URI or an expired code is an InvalidGrantException, and spends the code', async () => {
    const { clock, advance } = manualClock()
    const emu = await start({ clock })
    const c = await registerCode(emu)
    const codeFor = async (challenge: string) =>
      (await authorizeBy(emu, authorizeUrl(emu, c.clientId, challenge, 's'), 'allow')).searchParams.get('code')
    const { verifier, challenge } = pkce()
    const ex = async (code: string | null, extra: Record<string, unknown> = {}) =>
      errorOf(await post(emu, '/token', { ...c, grantType: 'authorization_code', code, redirectUri: REDIRECT, codeVerifier: verifier, ...extra }))
    const invalidGrant = [400, 'invalid_grant', 'InvalidGrantException']
    const wrongVerifier = await codeFor(challenge)
    expect(await ex(wrongVerifier, { codeVerifier: pkce().verifier })).toStrictEqual(invalidGrant)
    expect(await ex(wrongVerifier)).toStrictEqual(invalidGrant)
    expect(await ex(await codeFor(challenge), { redirectUri: 'http://127.0.0.1:1/other' })).toStrictEqual(invalidGrant)
    const expired = await codeFor(challenge)
    advance(60_000)
    expect(await ex(expired)).toStrictEqual(invalidGrant)
    advance(-60_000)
    expect(await ex(await codeFor(challenge), { codeVerifier: undefined })).toStrictEqual([400, 'invalid_request', 'InvalidRequestException'])
  })

  it('Deny redirects with error=access_denied and the state', async () => {
    const emu = await start({})
    const c = await registerCode(emu)
    const loc = await authorizeBy(emu, authorizeUrl(emu, c.clientId, pkce().challenge, 'st-deny'), 'deny')
    expect(loc.searchParams.get('error')).toBe('access_denied')
    expect(loc.searchParams.get('state')).toBe('st-deny')
    expect(loc.searchParams.get('code')).toBeNull()
  })

  it('an unknown client or an unregistered redirect URI is an error page, never a redirect; other errors redirect', async () => {
    const emu = await start({})
    const c = await registerCode(emu)
    const { challenge } = pkce()
    expect((await get(authorizeUrl(emu, 'nope', challenge, 's'))).status).toBe(400)
    expect((await get(authorizeUrl(emu, c.clientId, challenge, 's', 'http://127.0.0.1:1/evil'))).status).toBe(400)
    const noChallenge = await get(authorizeUrl(emu, c.clientId, '', 's'))
    expect(noChallenge.status).toBe(302)
    expect(new URL(noChallenge.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_request')
    const plain = await get(authorizeUrl(emu, c.clientId, challenge, 's').replace('S256', 'plain'))
    expect(new URL(plain.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_request')
  })

  it('a loopback redirect URI registered without a port matches any port (RFC 8252 7.3), as the AWS CLI registers it', async () => {
    const emu = await start({})
    const c = await registerDevice(emu, {
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: ['http://127.0.0.1/oauth/callback'],
      issuerUrl: ISSUER
    })
    const { verifier, challenge } = pkce()
    const withPort = 'http://127.0.0.1:54321/oauth/callback'
    const loc = await authorizeBy(emu, authorizeUrl(emu, c.clientId, challenge, 'st-port', withPort), 'allow')
    expect(`${loc.origin}${loc.pathname}`).toBe(withPort)
    const code = loc.searchParams.get('code')
    const t = await post(emu, '/token', { ...c, grantType: 'authorization_code', code, redirectUri: withPort, codeVerifier: verifier })
    expect(t.status).toBe(200)
    // the path, the host and the scheme still have to be the registered ones
    for (const other of ['http://127.0.0.1:54321/other', 'http://localhost:54321/oauth/callback', 'http://[::1]:54321/oauth/callback']) {
      expect((await get(authorizeUrl(emu, c.clientId, challenge, 's', other))).status).toBe(400)
    }
  })

  it('emu.approve(state) decides a pending request; the page, reloaded, redirects with the code', async () => {
    const emu = await start({})
    const c = await registerCode(emu)
    const page = await get(authorizeUrl(emu, c.clientId, pkce().challenge, 'by-state'))
    expect(page.text).toMatch(/http-equiv="refresh"/)
    expect(emu.stats().oidc.authorizationRequests).toBe(1)
    const id = approvalId(page.text)
    expect((await get(`${emu.url}/approval?id=${id}`)).status).toBe(200)
    expect(emu.approve('by-state')).toBe(true)
    expect(emu.approve('by-state')).toBe(false)
    const done = await get(`${emu.url}/approval?id=${id}`)
    expect(done.status).toBe(302)
    expect(new URL(done.headers.get('location') ?? '').searchParams.get('code')).toMatch(/^oac/)
    expect(emu.stats().oidc.authorizationRequests).toBe(0)
  })

  it('autoApprove redirects at once', async () => {
    const emu = await start({ autoApprove: true })
    const c = await registerCode(emu)
    const r = await get(authorizeUrl(emu, c.clientId, pkce().challenge, 'auto'))
    expect(r.status).toBe(302)
    expect(new URL(r.headers.get('location') ?? '').searchParams.get('state')).toBe('auto')
  })
})

describe('POST /token, refresh_token grant', () => {
  const login = async (emu: Emulator, c: Registered) => {
    const { verifier, challenge } = pkce()
    const loc = await authorizeBy(emu, authorizeUrl(emu, c.clientId, challenge, 's'), 'allow')
    const t = await post(emu, '/token', {
      ...c,
      grantType: 'authorization_code',
      code: loc.searchParams.get('code'),
      redirectUri: REDIRECT,
      codeVerifier: verifier
    })
    return t.json as { accessToken: string; refreshToken: string }
  }
  const refresh = (emu: Emulator, c: Registered, refreshToken: string) =>
    post(emu, '/token', { ...c, grantType: 'refresh_token', refreshToken })

  it('rotation (the default): a new access token and a new refresh token; the old one is then refused', async () => {
    const emu = await start({})
    const c = await registerCode(emu)
    const first = await login(emu, c)
    const r = await refresh(emu, c, first.refreshToken)
    expect(r.status).toBe(200)
    expect(r.json['accessToken']).not.toBe(first.accessToken)
    expect(r.json['refreshToken']).not.toBe(first.refreshToken)
    expect((await portal(emu, String(r.json['accessToken']))).status).toBe(200)
    expect(errorOf(await refresh(emu, c, first.refreshToken))).toStrictEqual([400, 'invalid_grant', 'InvalidGrantException'])
    expect((await refresh(emu, c, String(r.json['refreshToken']))).status).toBe(200)
    // another client cannot use it
    const other = await registerCode(emu)
    expect(errorOf(await refresh(emu, other, String(r.json['refreshToken'])))[2]).toBe('InvalidGrantException')
  })

  it('without rotation the same refresh token keeps working, until it expires', async () => {
    const { clock, advance } = manualClock()
    const emu = await start({ clock, rotateRefreshTokens: false, refreshTokenTtlSeconds: 2 })
    const c = await registerCode(emu)
    const first = await login(emu, c)
    const a = await refresh(emu, c, first.refreshToken)
    expect(a.json['refreshToken']).toBe(first.refreshToken)
    expect((await refresh(emu, c, first.refreshToken)).status).toBe(200)
    advance(2_000)
    expect(errorOf(await refresh(emu, c, first.refreshToken))[2]).toBe('InvalidGrantException')
  })

  it('portal Logout kills the access tokens of the login and its refresh token', async () => {
    const emu = await start({})
    const c = await registerCode(emu)
    const first = await login(emu, c)
    const second = (await refresh(emu, c, first.refreshToken)).json as { accessToken: string; refreshToken: string }
    const unrelated = await login(emu, c)
    expect(await logout(emu, second.accessToken)).toBe(200)
    expect(emu.isLoggedOut(second.accessToken)).toBe(true)
    expect((await portal(emu, second.accessToken)).status).toBe(401)
    expect((await portal(emu, first.accessToken)).status).toBe(401)
    expect(errorOf(await refresh(emu, c, second.refreshToken))[2]).toBe('InvalidGrantException')
    expect(await logout(emu, first.accessToken)).toBe(401)
    // another login is untouched
    expect((await portal(emu, unrelated.accessToken)).status).toBe(200)
    expect((await refresh(emu, c, unrelated.refreshToken)).status).toBe(200)
  })
})

describe('routing, options, log, bounds', () => {
  it('a wrong method on an OIDC path is a 405 with Allow; portal paths are unchanged', async () => {
    const emu = await start({})
    const r = await get(`${emu.url}/token`)
    expect(r.status).toBe(405)
    expect(r.headers.get('allow')).toBe('POST')
    expect((await portal(emu, DEMO_TOKEN)).status).toBe(200)
  })

  it('a failure inside a handler is a 500 InternalServerException in the service shape', () => {
    const st = makeOidcState({ ...OIDC_DEFAULTS, identity: {} }, makeState({}))
    const r = handleOidc(st, { method: 'GET', path: '/authorize', query: null as never, body: '', origin: undefined, base: 'http://x', now: 0 })
    expect(r.status).toBe(500)
    expect(JSON.parse(r.body)).toStrictEqual({ error: 'server_error', error_description: 'Internal server error' })
    expect(r.headers['x-amzn-ErrorType']).toBe('InternalServerException:http://internal.amazon.com/coral/com.amazonaws.ssooidc/')
  })

  it('every bad option is an EmulatorError', async () => {
    const bad: ReadonlyArray<EmulatorOptions> = [
      { accessTokenTtlSeconds: 0 },
      { refreshTokenTtlSeconds: 1.5 },
      { deviceCodeTtlSeconds: -1 },
      { registrationTtlSeconds: Number.NaN },
      { pollIntervalSeconds: '1' as unknown as number },
      { autoApprove: 'yes' as unknown as boolean },
      { rotateRefreshTokens: 1 as unknown as boolean },
      { identity: { accounts: [{ accountId: 1 }] } as never },
      { identity: 'x' as never },
      { clock: 5 as unknown as () => number }
    ]
    for (const options of bad) {
      const r = await startEmulator(options)()
      expect(r._tag).toBe('Left')
      if (r._tag === 'Left') expect(r.left._tag).toBe('EmulatorError')
      else await r.right.close()
    }
  })

  it('the request log holds no client secret, device code, authorization code, token or approval id', async () => {
    const emu = await start({})
    const c = await registerCode(emu)
    const d = await startDevice(emu, await registerDevice(emu))
    const { verifier, challenge } = pkce()
    const page = await get(authorizeUrl(emu, c.clientId, challenge, 'log'))
    const id = approvalId(page.text)
    const loc = await authorizeBy(emu, authorizeUrl(emu, c.clientId, challenge, 'log'), 'allow')
    const code = loc.searchParams.get('code') ?? ''
    const t = (await post(emu, '/token', { ...c, grantType: 'authorization_code', code, redirectUri: REDIRECT, codeVerifier: verifier }))
      .json as { accessToken: string; refreshToken: string }
    // secrets sent where a careless client might put them: the query and the path
    await get(`${emu.url}/token?code=${code}&refresh_token=${t.refreshToken}&client_secret=${c.clientSecret}&code_verifier=${verifier}`)
    await get(`${emu.url}/approval?id=${id}`)
    await get(`${emu.url}/${t.accessToken}/${String(d['deviceCode'])}`)
    await portal(emu, t.accessToken)
    const log = JSON.stringify(emu.requests())
    for (const s of [c.clientSecret, String(d['deviceCode']), code, t.accessToken, t.refreshToken, verifier, id]) {
      expect(log).not.toContain(s)
    }
    expect(emu.requests().map((r) => r.operation)).toContain('CreateToken')
  })

  it('every OIDC table stays bounded, whatever clients send', () => {
    const portalState = makeState({})
    const st = makeOidcState({ ...OIDC_DEFAULTS, identity: {}, autoApprove: true }, portalState)
    const call = (path: string, body: unknown) =>
      handleOidc(st, { method: 'POST', path, query: new URLSearchParams(), body: JSON.stringify(body), origin: undefined, base: 'http://x', now: 0 })
    const n = MAX_OIDC_ENTRIES + 50
    for (let i = 0; i < n; i++) call('/client/register', { clientName: 'a', clientType: 'public' })
    expect(oidcStats(st).clients).toBe(MAX_OIDC_ENTRIES)
    const c = JSON.parse(call('/client/register', { clientName: 'a', clientType: 'public', scopes: ['sso:account:access'] }).body) as Registered
    // device authorizations never polled, then logins: each with an access and a refresh token
    for (let i = 0; i < n; i++) call('/device_authorization', { ...c, startUrl: START_URL })
    expect(oidcStats(st).deviceAuthorizations).toBe(MAX_OIDC_ENTRIES)
    for (let i = 0; i < n; i++) {
      const d = JSON.parse(call('/device_authorization', { ...c, startUrl: START_URL }).body) as { deviceCode?: string }
      const t = call('/token', { ...c, grantType: DEVICE_GRANT, deviceCode: d.deviceCode })
      expect(t.status).toBe(200)
      // each login logged out: the portal counts logouts per token it knows
      const token = (JSON.parse(t.body) as { accessToken: string }).accessToken
      expect(route({ method: 'POST', path: '/logout', query: new URLSearchParams(), token, now: 0 }, portalState).status).toBe(200)
    }
    expect(portalState.logouts.size).toBeLessThanOrEqual(MAX_OIDC_ENTRIES)
    const stats = oidcStats(st)
    for (const v of Object.values(stats)) expect(v).toBeLessThanOrEqual(MAX_OIDC_ENTRIES)
    expect(stats.issuedTokens).toBe(MAX_OIDC_ENTRIES)
    expect(stats.refreshTokens).toBe(MAX_OIDC_ENTRIES)
    expect(portalState.tokens.size).toBe(MAX_OIDC_ENTRIES)
    expect(st.userCodes.size).toBe(st.devices.size)
    expect(st.approvals.size).toBe(st.devices.size)
  }, 60_000)
})
