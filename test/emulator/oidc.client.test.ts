/**
 * The generated `fp-aws/sso-oidc` client against the emulator: registration, the device flow
 * (pending, slow down, approve, token), the PKCE exchange and the refresh with rotation, and
 * the issued token on the portal through `fp-aws/sso`, until Logout.
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import { createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { newEnv, send, type Env } from '../../src/index.js'
import { reveal } from '../../src/core/Sensitive.js'
import {
  CreateToken,
  createToken_code,
  createToken_codeVerifier,
  createToken_deviceCode,
  createToken_redirectUri,
  createToken_refreshToken,
  newCreateToken,
  newRegisterClient,
  newStartDeviceAuthorization,
  RegisterClient,
  registerClient_grantTypes,
  registerClient_issuerUrl,
  registerClient_redirectUris,
  registerClient_scopes,
  StartDeviceAuthorization
} from '../../src/services/sso-oidc/index.js'
import { ListAccounts, Logout, newListAccounts, newLogout } from '../../src/services/sso/index.js'
import { useEmulators } from '../util/emulator.js'

const start = useEmulators()

const START_URL = 'https://d-1234567890.awsapps.com/start'
const ISSUER = 'https://identitycenter.amazonaws.com/ssoins-1234567890abcdef'
const REDIRECT = 'http://127.0.0.1:49152/oauth/callback'
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'

/** The value of a `Right`, else the test fails with the error's tag and code. */
const right = <A>(r: { _tag: 'Left'; left: unknown } | { _tag: 'Right'; right: A }): A => {
  if (r._tag === 'Left') throw new Error(`expected a Right, got ${JSON.stringify(r.left)}`)
  return r.right
}

/** The service error code of a `Left`. */
const codeOf = (r: { _tag: string; left?: unknown }): unknown =>
  r._tag === 'Left' ? (r.left as { _tag: string; code?: string }).code : 'Right'

const setup = async () => {
  let t = Date.UTC(2026, 0, 1)
  const emu = await start({ clock: () => t, pollIntervalSeconds: 5 })
  const env: Env = newEnv({ region: 'us-east-1', endpoint: emu.url, maxAttempts: 1 })
  return { emu, env, advance: (ms: number) => (t += ms) }
}

const value = <A>(o: O.Option<A>): A => {
  if (O.isNone(o)) throw new Error('expected Some')
  return o.value
}

describe('fp-aws/sso-oidc against the emulator', () => {
  it('the device flow, then the portal until Logout; the refresh token dies with it', async () => {
    const { emu, env, advance } = await setup()
    const reg = right(await pipe(newRegisterClient('fp-aws', 'public'), registerClient_scopes.set(['sso:account:access']), send(RegisterClient))(env)())
    const clientId = value(reg.clientId)
    const clientSecret = reveal(value(reg.clientSecret))
    const dev = right(await pipe(newStartDeviceAuthorization(clientId, clientSecret, START_URL), send(StartDeviceAuthorization))(env)())
    const deviceCode = reveal(value(dev.deviceCode))
    const pollOnce = () =>
      pipe(newCreateToken(clientId, clientSecret, DEVICE_GRANT), createToken_deviceCode.set(O.some(deviceCode)), send(CreateToken))(env)()
    expect(codeOf(await pollOnce())).toBe('AuthorizationPendingException')
    expect(codeOf(await pollOnce())).toBe('SlowDownException')
    advance(5_000)
    expect(emu.approve(value(dev.userCode))).toBe(true)
    const token = right(await pollOnce())
    expect(token.tokenType).toStrictEqual(O.some('Bearer'))
    expect(token.expiresIn).toBe(3600)
    const accessToken = reveal(value(token.accessToken))
    const refreshToken = reveal(value(token.refreshToken))

    const accounts = right(await pipe(newListAccounts(accessToken), send(ListAccounts))(env)())
    expect(accounts.accountList).toHaveLength(2)
    right(await pipe(newLogout(accessToken), send(Logout))(env)())
    expect(codeOf(await pipe(newListAccounts(accessToken), send(ListAccounts))(env)())).toBe('UnauthorizedException')
    const refresh = await pipe(
      newCreateToken(clientId, clientSecret, 'refresh_token'),
      createToken_refreshToken.set(O.some(refreshToken)),
      send(CreateToken)
    )(env)()
    expect(codeOf(refresh)).toBe('InvalidGrantException')
  })

  it('the PKCE exchange and the refresh with rotation', async () => {
    const { emu, env } = await setup()
    const reg = right(
      await pipe(
        newRegisterClient('fp-aws', 'public'),
        registerClient_grantTypes.set(['authorization_code', 'refresh_token']),
        registerClient_redirectUris.set([REDIRECT]),
        registerClient_issuerUrl.set(O.some(ISSUER)),
        registerClient_scopes.set(['sso:account:access']),
        send(RegisterClient)
      )(env)()
    )
    const clientId = value(reg.clientId)
    const clientSecret = reveal(value(reg.clientSecret))
    const verifier = randomBytes(32).toString('base64url')
    const challenge = createHash('sha256').update(verifier).digest('base64url')
    const r = await fetch(
      `${emu.url}/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: clientId,
        redirect_uri: REDIRECT,
        state: 's1',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        scopes: 'sso:account:access'
      }).toString()}`
    )
    expect(emu.approve('s1')).toBe(true)
    const id = /name="id" value="([^"]+)"/.exec(await r.text())?.[1] ?? ''
    const back = await fetch(`${emu.url}/approval?id=${id}`, { redirect: 'manual' })
    const code = new URL(back.headers.get('location') ?? '').searchParams.get('code') ?? ''
    const exchange = pipe(
      newCreateToken(clientId, clientSecret, 'authorization_code'),
      createToken_code.set(O.some(code)),
      createToken_redirectUri.set(O.some(REDIRECT)),
      createToken_codeVerifier.set(O.some(verifier)),
      send(CreateToken)
    )(env)
    const first = right(await exchange())
    expect(codeOf(await exchange())).toBe('InvalidGrantException')
    const refresh = (token: string) =>
      pipe(newCreateToken(clientId, clientSecret, 'refresh_token'), createToken_refreshToken.set(O.some(token)), send(CreateToken))(env)()
    const old = reveal(value(first.refreshToken))
    const second = right(await refresh(old))
    expect(reveal(value(second.refreshToken))).not.toBe(old)
    expect(codeOf(await refresh(old))).toBe('InvalidGrantException')
    expect(right(await pipe(newListAccounts(reveal(value(second.accessToken))), send(ListAccounts))(env)()).accountList).toHaveLength(2)
  })
})
