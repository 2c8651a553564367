/**
 * The untouched official clients against the emulator: `@aws-sdk/client-sso-oidc` registers
 * a client, runs the device flow (pending, slow down, approve, token), the PKCE token
 * exchange (the authorization endpoint driven with plain HTTP, as a browser would) and the
 * refresh with rotation, with the results the real service documents (the modelled
 * exceptions, `error` members and statuses). Then `@aws-sdk/client-sso` uses the access
 * token on the portal, and portal Logout kills it and its refresh token.
 */
import { ListAccountsCommand, LogoutCommand, SSOClient } from '@aws-sdk/client-sso'
import {
  AccessDeniedException,
  AuthorizationPendingException,
  CreateTokenCommand,
  ExpiredTokenException,
  InvalidClientException,
  InvalidGrantException,
  InvalidRedirectUriException,
  InvalidScopeException,
  RegisterClientCommand,
  SlowDownException,
  SSOOIDCClient,
  StartDeviceAuthorizationCommand
} from '@aws-sdk/client-sso-oidc'
import { createHash, randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { Emulator, EmulatorOptions } from '../../src/emulator/index.js'
import { useEmulators } from '../util/emulator.js'

const start = useEmulators()
const clients: Array<{ destroy: () => void }> = []
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy()
})

const REGION = 'us-east-1'
const START_URL = 'https://d-1234567890.awsapps.com/start'
const ISSUER = 'https://identitycenter.amazonaws.com/ssoins-1234567890abcdef'
const REDIRECT = 'http://127.0.0.1:49152/oauth/callback'
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'

const setup = async (options: EmulatorOptions = {}) => {
  let t = Date.UTC(2026, 0, 1)
  const emu = await start({ clock: () => t, ...options })
  const oidc = new SSOOIDCClient({ region: REGION, endpoint: emu.url, maxAttempts: 1 })
  const sso = new SSOClient({ region: REGION, endpoint: emu.url, maxAttempts: 1 })
  clients.push(oidc, sso)
  return { emu, oidc, sso, advance: (ms: number) => (t += ms), now: () => t }
}

/** The rejection of `p`: its class, `error`, status; fails the test if `p` resolves. */
const rejection = async (p: Promise<unknown>) => {
  try {
    await p
  } catch (e) {
    const x = e as { name: string; error?: string; $metadata?: { httpStatusCode?: number } }
    return { e, name: x.name, error: x.error, status: x.$metadata?.httpStatusCode }
  }
  throw new Error('expected a rejection')
}

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url')
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') }
}

/** GET the authorization page, POST Allow (or Deny), and read the 302's location. */
const authorize = async (emu: Emulator, clientId: string, challenge: string, state: string, decision: 'allow' | 'deny' = 'allow') => {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    scopes: 'sso:account:access'
  })
  const page = await (await fetch(`${emu.url}/authorize?${q.toString()}`)).text()
  const id = /name="id" value="([^"]+)"/.exec(page)?.[1] ?? ''
  const res = await fetch(`${emu.url}/approval`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: emu.url },
    body: new URLSearchParams({ id, decision }).toString(),
    redirect: 'manual'
  })
  expect(res.status).toBe(302)
  return new URL(res.headers.get('location') ?? '')
}

describe('@aws-sdk/client-sso-oidc against the emulator', () => {
  it('RegisterClient and StartDeviceAuthorization: every documented member', async () => {
    const { oidc, now, emu } = await setup({ registrationTtlSeconds: 3600, deviceCodeTtlSeconds: 300 })
    const reg = await oidc.send(new RegisterClientCommand({ clientName: 'fp-aws', clientType: 'public', scopes: ['sso:account:access'] }))
    expect(reg.$metadata.httpStatusCode).toBe(200)
    expect(reg.clientIdIssuedAt).toBe(now() / 1000)
    expect(reg.clientSecretExpiresAt).toBe(now() / 1000 + 3600)
    expect(typeof reg.clientId).toBe('string')
    expect(typeof reg.clientSecret).toBe('string')
    const dev = await oidc.send(
      new StartDeviceAuthorizationCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, startUrl: START_URL })
    )
    expect(dev.userCode).toMatch(/^[A-Z]{4}-[A-Z]{4}$/)
    expect(dev.verificationUri).toBe(`${emu.url}/device`)
    expect(dev.verificationUriComplete).toBe(`${emu.url}/device?user_code=${dev.userCode ?? ''}`)
    expect(dev.expiresIn).toBe(300)
    expect(dev.interval).toBe(1)
    const bad = await rejection(
      oidc.send(new StartDeviceAuthorizationCommand({ clientId: reg.clientId, clientSecret: 'wrong', startUrl: START_URL }))
    )
    expect(bad.e).toBeInstanceOf(InvalidClientException)
    expect([bad.error, bad.status]).toStrictEqual(['invalid_client', 401])
  })

  it('registration errors are the modelled exceptions', async () => {
    const { oidc } = await setup()
    const redirect = await rejection(
      oidc.send(
        new RegisterClientCommand({
          clientName: 'x',
          clientType: 'public',
          grantTypes: ['authorization_code'],
          redirectUris: ['https://evil.example/cb'],
          issuerUrl: ISSUER
        })
      )
    )
    expect(redirect.e).toBeInstanceOf(InvalidRedirectUriException)
    const scope = await rejection(oidc.send(new RegisterClientCommand({ clientName: 'x', clientType: 'public', scopes: ['bad scope'] })))
    expect(scope.e).toBeInstanceOf(InvalidScopeException)
    expect([scope.error, scope.status]).toStrictEqual(['invalid_scope', 400])
  })

  it('the device flow: pending, slow down, approve, token; the token works on the portal and Logout kills it and its refresh token', async () => {
    const { oidc, sso, emu, advance } = await setup({ pollIntervalSeconds: 5 })
    const reg = await oidc.send(new RegisterClientCommand({ clientName: 'fp-aws', clientType: 'public', scopes: ['sso:account:access'] }))
    const client = { clientId: reg.clientId, clientSecret: reg.clientSecret }
    const dev = await oidc.send(new StartDeviceAuthorizationCommand({ ...client, startUrl: START_URL }))
    const pollOnce = () => oidc.send(new CreateTokenCommand({ ...client, grantType: DEVICE_GRANT, deviceCode: dev.deviceCode }))
    const pending = await rejection(pollOnce())
    expect(pending.e).toBeInstanceOf(AuthorizationPendingException)
    expect([pending.error, pending.status]).toStrictEqual(['authorization_pending', 400])
    const slow = await rejection(pollOnce())
    expect(slow.e).toBeInstanceOf(SlowDownException)
    expect([slow.error, slow.status]).toStrictEqual(['slow_down', 400])
    advance(5_000)
    expect((await rejection(pollOnce())).e).toBeInstanceOf(AuthorizationPendingException)
    expect(emu.approve(dev.userCode ?? '')).toBe(true)
    const token = await pollOnce()
    expect(token.tokenType).toBe('Bearer')
    expect(token.expiresIn).toBe(3600)
    expect(typeof token.accessToken).toBe('string')
    expect(typeof token.refreshToken).toBe('string')

    const accounts = await sso.send(new ListAccountsCommand({ accessToken: token.accessToken }))
    expect(accounts.accountList?.map((a) => a.accountId)).toStrictEqual(['123456789012', '210987654321'])
    await sso.send(new LogoutCommand({ accessToken: token.accessToken }))
    const dead = await rejection(sso.send(new ListAccountsCommand({ accessToken: token.accessToken })))
    expect([dead.name, dead.status]).toStrictEqual(['UnauthorizedException', 401])
    const refresh = await rejection(
      oidc.send(new CreateTokenCommand({ ...client, grantType: 'refresh_token', refreshToken: token.refreshToken }))
    )
    expect(refresh.e).toBeInstanceOf(InvalidGrantException)
    expect([refresh.error, refresh.status]).toStrictEqual(['invalid_grant', 400])
  })

  it('the device flow denied, and expired', async () => {
    const { oidc, emu, advance } = await setup({ deviceCodeTtlSeconds: 2 })
    const reg = await oidc.send(new RegisterClientCommand({ clientName: 'fp-aws', clientType: 'public' }))
    const client = { clientId: reg.clientId, clientSecret: reg.clientSecret }
    const denied = await oidc.send(new StartDeviceAuthorizationCommand({ ...client, startUrl: START_URL }))
    expect(emu.deny(denied.userCode ?? '')).toBe(true)
    const no = await rejection(oidc.send(new CreateTokenCommand({ ...client, grantType: DEVICE_GRANT, deviceCode: denied.deviceCode })))
    expect(no.e).toBeInstanceOf(AccessDeniedException)
    expect([no.error, no.status]).toStrictEqual(['access_denied', 400])
    const late = await oidc.send(new StartDeviceAuthorizationCommand({ ...client, startUrl: START_URL }))
    advance(2_000)
    const expired = await rejection(oidc.send(new CreateTokenCommand({ ...client, grantType: DEVICE_GRANT, deviceCode: late.deviceCode })))
    expect(expired.e).toBeInstanceOf(ExpiredTokenException)
    expect([expired.error, expired.status]).toStrictEqual(['expired_token', 400])
  })

  it('the PKCE token exchange, the code single-use; the refresh with rotation, the old refresh token then refused', async () => {
    const { oidc, sso, emu } = await setup()
    const reg = await oidc.send(
      new RegisterClientCommand({
        clientName: 'fp-aws',
        clientType: 'public',
        grantTypes: ['authorization_code', 'refresh_token'],
        redirectUris: [REDIRECT],
        issuerUrl: ISSUER,
        scopes: ['sso:account:access']
      })
    )
    expect(reg.authorizationEndpoint).toBe(`${emu.url}/authorize`)
    expect(reg.tokenEndpoint).toBe(`${emu.url}/token`)
    const client = { clientId: reg.clientId, clientSecret: reg.clientSecret }
    const { verifier, challenge } = pkce()
    const loc = await authorize(emu, reg.clientId ?? '', challenge, 'state-123')
    expect(loc.searchParams.get('state')).toBe('state-123')
    const exchange = new CreateTokenCommand({
      ...client,
      grantType: 'authorization_code',
      code: loc.searchParams.get('code') ?? '',
      redirectUri: REDIRECT,
      codeVerifier: verifier
    })
    const first = await oidc.send(exchange)
    expect(first.tokenType).toBe('Bearer')
    expect(typeof first.refreshToken).toBe('string')
    expect((await rejection(oidc.send(exchange))).e).toBeInstanceOf(InvalidGrantException)

    const second = await oidc.send(new CreateTokenCommand({ ...client, grantType: 'refresh_token', refreshToken: first.refreshToken }))
    expect(second.accessToken).not.toBe(first.accessToken)
    expect(second.refreshToken).not.toBe(first.refreshToken)
    const old = await rejection(oidc.send(new CreateTokenCommand({ ...client, grantType: 'refresh_token', refreshToken: first.refreshToken })))
    expect(old.e).toBeInstanceOf(InvalidGrantException)
    expect((await sso.send(new ListAccountsCommand({ accessToken: second.accessToken }))).accountList).toHaveLength(2)

    const denied = await authorize(emu, reg.clientId ?? '', pkce().challenge, 'state-456', 'deny')
    expect([denied.searchParams.get('error'), denied.searchParams.get('state')]).toStrictEqual(['access_denied', 'state-456'])
  })
})
