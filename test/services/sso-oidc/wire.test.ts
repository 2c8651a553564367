/**
 * `fp-aws/sso-oidc` on the wire: every operation against scripted loopback servers (real
 * node:http on 127.0.0.1). The exact request of each operation and grant type, every modelled
 * error in the shape the real service answers with (and in the bare OAuth 2.0 shape), the
 * response fields with their secrets kept `Sensitive`, and bad input from JavaScript callers.
 */
import * as util from 'node:util'
import axios from 'axios'
import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import { describe, expect, it } from 'vitest'
import { loggingHook, send, type AWSError, type AWSRequest, type Env, type Hooks } from '../../../src/index.js'
import { fromAxios } from '../../../src/core/Http.js'
import { isSensitive, sensitive } from '../../../src/core/Sensitive.js'
import {
  CreateToken,
  createToken_code,
  createToken_codeVerifier,
  createToken_deviceCode,
  createToken_redirectUri,
  createToken_refreshToken,
  createToken_scope,
  createTokenResponse_accessToken,
  createTokenResponse_expiresIn,
  createTokenResponse_idToken,
  createTokenResponse_refreshToken,
  createTokenResponse_tokenType,
  CreateTokenResponseShow,
  CreateTokenShow,
  newCreateToken,
  newRegisterClient,
  newStartDeviceAuthorization,
  RegisterClient,
  registerClient_entitledApplicationArn,
  registerClient_grantTypes,
  registerClient_issuerUrl,
  registerClient_redirectUris,
  registerClient_scopes,
  registerClientResponse_authorizationEndpoint,
  registerClientResponse_clientId,
  registerClientResponse_clientIdIssuedAt,
  registerClientResponse_clientSecret,
  registerClientResponse_clientSecretExpiresAt,
  registerClientResponse_tokenEndpoint,
  RegisterClientResponseShow,
  RegisterClientShow,
  StartDeviceAuthorization,
  startDeviceAuthorizationResponse_deviceCode,
  startDeviceAuthorizationResponse_expiresIn,
  startDeviceAuthorizationResponse_interval,
  startDeviceAuthorizationResponse_userCode,
  startDeviceAuthorizationResponse_verificationUri,
  startDeviceAuthorizationResponse_verificationUriComplete,
  StartDeviceAuthorizationResponseShow,
  StartDeviceAuthorizationShow,
  type CreateToken as CreateTokenRq,
  type RegisterClient as RegisterClientRq
} from '../../../src/services/sso-oidc/index.js'
import { envFor, useScriptedServers } from '../../util/harness.js'
import { scriptedServer, type Recorded, type Scripted, type Step } from '../../util/scripted.js'

const serve = useScriptedServers()

// -------------------------------------------------------------------------------------
// secrets and what may show them
// -------------------------------------------------------------------------------------

/** Every secret of these tests: distinctive, long enough to be scrubbed, never to be seen. */
const SECRET = {
  clientSecret: 'SeCrEt-client-secret-eyJraWQiOiJrZXktMTU2',
  deviceCode: 'SeCrEt-device-code-2bM3u7Fq9xL0',
  code: 'SeCrEt-authorization-code-Zq8Kp',
  codeVerifier: 'SeCrEt-code-verifier-dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
  refreshToken: 'SeCrEt-refresh-token-aorvJYubGpU6i91',
  accessToken: 'SeCrEt-access-token-aoaAAAAAGgyZ9Zk',
  idToken: 'SeCrEt-id-token-eyJhbGciOiJSUzI1NiJ9.e30',
  issuedSecret: 'SeCrEt-issued-client-secret-eyJraWQi',
  issuedDeviceCode: 'SeCrEt-issued-device-code-PyqT5Yh'
} as const
const SECRETS: ReadonlyArray<string> = Object.values(SECRET)

/** Everything a value can be turned into text by: none of it may hold a secret. */
const renderings = (v: unknown): ReadonlyArray<string> => [
  JSON.stringify(v) ?? '',
  String(v),
  util.inspect(v, { depth: Infinity, showHidden: true }),
  util.format('%o %O %j %s', v, v, v, v)
]

const expectNoSecret = (texts: ReadonlyArray<string>): void => {
  for (const text of texts) for (const s of SECRETS) expect(text).not.toContain(s)
}

/** Hooks that keep everything they are shown, and the logging hook's lines. */
const recorder = (): { readonly hooks: ReadonlyArray<Hooks>; readonly seen: () => ReadonlyArray<string> } => {
  const views: Array<unknown> = []
  const lines: Array<string> = []
  const keep = (v: unknown): void => {
    views.push(v)
  }
  return {
    hooks: [{ beforeRequest: keep, afterResponse: keep, onError: keep }, loggingHook((line) => lines.push(line))],
    seen: () => [...views.flatMap(renderings), ...lines]
  }
}

const REGION = 'us-east-1'

const envOn = (s: Scripted, hooks: ReadonlyArray<Hooks> = []): Env =>
  envFor(s.url, { region: REGION, hooks: [...hooks] })

const call = <Rq, Rs, C extends string>(op: AWSRequest<Rq, Rs, C>, rq: Rq, env: Env) => pipe(rq, send(op))(env)()

// -------------------------------------------------------------------------------------
// the requests
// -------------------------------------------------------------------------------------

const header = (r: Recorded, name: string): string | undefined => {
  const v = r.headers[name]
  return Array.isArray(v) ? v.join(', ') : v
}

/** What every SSO OIDC request is: a JSON POST with no credentials of any kind. */
const expectUnsignedJsonPost = (r: Recorded, path: string): void => {
  expect(r.method).toBe('POST')
  expect(r.url).toBe(path)
  expect(header(r, 'content-type')).toBe('application/json')
  for (const h of [
    'authorization',
    'x-amz-sso_bearer_token',
    'x-amz-security-token',
    'x-amz-date',
    'x-amz-content-sha256',
    'cookie'
  ])
    expect(header(r, h)).toBeUndefined()
  expect(header(r, 'content-length')).toBe(String(Buffer.byteLength(r.body)))
}

const CLIENT_ID = 'Tbu3TVwkM1oVLWIF7zMfdHVzLWVhc3QtMQ'
const START_URL = 'https://d-1234567890.awsapps.com/start'
const REDIRECT_URI = 'http://127.0.0.1:49152/oauth/callback'
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'

const tokenResponse = JSON.stringify({
  accessToken: SECRET.accessToken,
  tokenType: 'Bearer',
  expiresIn: 28800,
  refreshToken: SECRET.refreshToken,
  idToken: SECRET.idToken
})

describe('the exact request of every operation', () => {
  it('RegisterClient with only its required members: POST /client/register, two members', async () => {
    const s = await serve([
      { status: 200, body: JSON.stringify({ clientId: CLIENT_ID, clientSecret: SECRET.issuedSecret }) }
    ])
    const r = await call(RegisterClient, newRegisterClient('fp-aws', 'public'), envOn(s))
    expect(r._tag).toBe('Right')
    expect(s.requests).toHaveLength(1)
    const req = s.requests[0] as Recorded
    expectUnsignedJsonPost(req, '/client/register')
    expect(req.body).toBe('{"clientName":"fp-aws","clientType":"public"}')
  })

  it('RegisterClient with every member: lists as JSON arrays, in the model order', async () => {
    const s = await serve([
      { status: 200, body: JSON.stringify({ clientId: CLIENT_ID, clientSecret: SECRET.issuedSecret }) }
    ])
    const rq: RegisterClientRq = pipe(
      newRegisterClient('fp-aws', 'public'),
      registerClient_scopes.set(['sso:account:access', 'codewhisperer:completions']),
      registerClient_redirectUris.set([REDIRECT_URI]),
      registerClient_grantTypes.set(['authorization_code', 'refresh_token']),
      registerClient_issuerUrl.set(O.some('https://identitycenter.amazonaws.com/ssoins-1111222233334444')),
      registerClient_entitledApplicationArn.set(O.some('arn:aws:sso::111122223333:application/ssoins-1/apl-1'))
    )
    const r = await call(RegisterClient, rq, envOn(s))
    expect(r._tag).toBe('Right')
    const req = s.requests[0] as Recorded
    expectUnsignedJsonPost(req, '/client/register')
    expect(req.body).toBe(
      JSON.stringify({
        clientName: 'fp-aws',
        clientType: 'public',
        scopes: ['sso:account:access', 'codewhisperer:completions'],
        redirectUris: [REDIRECT_URI],
        grantTypes: ['authorization_code', 'refresh_token'],
        issuerUrl: 'https://identitycenter.amazonaws.com/ssoins-1111222233334444',
        entitledApplicationArn: 'arn:aws:sso::111122223333:application/ssoins-1/apl-1'
      })
    )
  })

  it('StartDeviceAuthorization: POST /device_authorization with the client and the start URL', async () => {
    const s = await serve([
      { status: 200, body: JSON.stringify({ deviceCode: SECRET.issuedDeviceCode, userCode: 'ABCD-EFGH' }) }
    ])
    const rec = recorder()
    const r = await call(
      StartDeviceAuthorization,
      newStartDeviceAuthorization(CLIENT_ID, SECRET.clientSecret, START_URL),
      envOn(s, rec.hooks)
    )
    expect(r._tag).toBe('Right')
    const req = s.requests[0] as Recorded
    expectUnsignedJsonPost(req, '/device_authorization')
    expect(JSON.parse(req.body)).toStrictEqual({
      clientId: CLIENT_ID,
      clientSecret: SECRET.clientSecret,
      startUrl: START_URL
    })
    expect(req.body).toBe(
      JSON.stringify({ clientId: CLIENT_ID, clientSecret: SECRET.clientSecret, startUrl: START_URL })
    )
    expectNoSecret(rec.seen())
  })

  const grants: ReadonlyArray<readonly [string, CreateTokenRq, Readonly<Record<string, unknown>>]> = [
    [
      'the device code grant',
      pipe(
        newCreateToken(CLIENT_ID, SECRET.clientSecret, DEVICE_GRANT),
        createToken_deviceCode.set(O.some(SECRET.deviceCode))
      ),
      { clientId: CLIENT_ID, clientSecret: SECRET.clientSecret, grantType: DEVICE_GRANT, deviceCode: SECRET.deviceCode }
    ],
    [
      'the authorization code grant (PKCE)',
      pipe(
        newCreateToken(CLIENT_ID, SECRET.clientSecret, 'authorization_code'),
        createToken_code.set(O.some(SECRET.code)),
        createToken_redirectUri.set(O.some(REDIRECT_URI)),
        createToken_codeVerifier.set(O.some(SECRET.codeVerifier))
      ),
      {
        clientId: CLIENT_ID,
        clientSecret: SECRET.clientSecret,
        grantType: 'authorization_code',
        code: SECRET.code,
        redirectUri: REDIRECT_URI,
        codeVerifier: SECRET.codeVerifier
      }
    ],
    [
      'the refresh token grant, with scopes',
      pipe(
        newCreateToken(CLIENT_ID, SECRET.clientSecret, 'refresh_token'),
        createToken_refreshToken.set(O.some(SECRET.refreshToken)),
        createToken_scope.set(['sso:account:access'])
      ),
      {
        clientId: CLIENT_ID,
        clientSecret: SECRET.clientSecret,
        grantType: 'refresh_token',
        refreshToken: SECRET.refreshToken,
        scope: ['sso:account:access']
      }
    ]
  ]

  it.each(grants)('CreateToken, %s: POST /token with exactly the grant members', async (_name, rq, body) => {
    const s = await serve([{ status: 200, body: tokenResponse }])
    const rec = recorder()
    const r = await call(CreateToken, rq, envOn(s, rec.hooks))
    expect(r._tag).toBe('Right')
    expect(s.requests).toHaveLength(1)
    const req = s.requests[0] as Recorded
    expectUnsignedJsonPost(req, '/token')
    // exactly these members, in the model's order: absent ones left out, not null
    expect(req.body).toBe(JSON.stringify(body))
    expectNoSecret(rec.seen())
    expectNoSecret([...renderings(rq), CreateTokenShow.show(rq)])
  })

  it('the same bytes go out through a client that keeps no deadline of its own (fromAxios)', async () => {
    const s = await serve([{ status: 200, body: tokenResponse }])
    const rq = pipe(
      newCreateToken(CLIENT_ID, SECRET.clientSecret, DEVICE_GRANT),
      createToken_deviceCode.set(O.some(SECRET.deviceCode))
    )
    const r = await call(CreateToken, rq, envFor(s.url, { region: REGION, http: fromAxios(axios.create()) }))
    expect(r._tag).toBe('Right')
    const req = s.requests[0] as Recorded
    expectUnsignedJsonPost(req, '/token')
    expect(req.body).toBe(
      JSON.stringify({
        clientId: CLIENT_ID,
        clientSecret: SECRET.clientSecret,
        grantType: DEVICE_GRANT,
        deviceCode: SECRET.deviceCode
      })
    )
  })

  it('the endpoint keeps its base path, and the request carries no query string', async () => {
    const s = await serve([{ status: 200, body: tokenResponse }])
    const rq = pipe(
      newCreateToken(CLIENT_ID, SECRET.clientSecret, DEVICE_GRANT),
      createToken_deviceCode.set(O.some(SECRET.deviceCode))
    )
    const r = await call(CreateToken, rq, envFor(`${s.url}/oidc/`, { region: REGION }))
    expect(r._tag).toBe('Right')
    expect((s.requests[0] as Recorded).url).toBe('/oidc/token')
  })
})

// -------------------------------------------------------------------------------------
// errors
// -------------------------------------------------------------------------------------

/** The OAuth `error` value the real service sends with each exception (the model's docs). */
const OAUTH_ERROR: Readonly<Record<string, string>> = {
  AccessDeniedException: 'access_denied',
  AuthorizationPendingException: 'authorization_pending',
  ExpiredTokenException: 'expired_token',
  InternalServerException: 'server_error',
  InvalidClientException: 'invalid_client',
  InvalidClientMetadataException: 'invalid_client_metadata',
  InvalidGrantException: 'invalid_grant',
  InvalidRedirectUriException: 'invalid_redirect_uri',
  InvalidRequestException: 'invalid_request',
  InvalidScopeException: 'invalid_scope',
  SlowDownException: 'slow_down',
  UnauthorizedClientException: 'unauthorized_client',
  UnsupportedGrantTypeException: 'unsupported_grant_type'
}

/** The model's `@httpError` of each exception. */
const statusOf = (code: string): number =>
  code === 'InvalidClientException' ? 401 : code === 'InternalServerException' ? 500 : 400

const ERRORTYPE_SUFFIX = ':http://internal.amazon.com/coral/com.amazonaws.ssooidc/'

/** An error as the real service answers it: the OAuth body and the x-amzn-errortype header. */
const serviceError = (code: string, withHeader: boolean): Step => ({
  status: statusOf(code),
  headers: {
    'x-amzn-requestid': 'd6f0a0e4-5b1c-4c4a-9a0e-000000000001',
    ...(withHeader ? { 'x-amzn-errortype': `${code}${ERRORTYPE_SUFFIX}` } : {})
  },
  body: JSON.stringify({ error: OAUTH_ERROR[code], error_description: `what ${code} means` })
})

/** Attempts the runtime makes by default: 3 for a 500, 1 for every 4xx of this service. */
const attemptsFor = (code: string): number => (code === 'InternalServerException' ? 3 : 1)

type AnyOp = AWSRequest<never, unknown, string>

const operations: ReadonlyArray<readonly [string, AnyOp, () => unknown]> = [
  ['RegisterClient', RegisterClient as unknown as AnyOp, () => newRegisterClient('fp-aws', 'public')],
  [
    'StartDeviceAuthorization',
    StartDeviceAuthorization as unknown as AnyOp,
    () => newStartDeviceAuthorization(CLIENT_ID, SECRET.clientSecret, START_URL)
  ],
  [
    'CreateToken',
    CreateToken as unknown as AnyOp,
    () =>
      pipe(
        newCreateToken(CLIENT_ID, SECRET.clientSecret, DEVICE_GRANT),
        createToken_deviceCode.set(O.some(SECRET.deviceCode))
      )
  ]
]

const errorCases = operations.flatMap(([name, op, make]) =>
  op.errorCodes.flatMap((code) => [
    [name, code, 'with x-amzn-errortype', op, make, true] as const,
    [name, code, 'OAuth body only', op, make, false] as const
  ])
)

describe('every modelled error', () => {
  it('covers the thirteen exceptions the operations declare', () => {
    expect(new Set(operations.flatMap(([, op]) => op.errorCodes))).toStrictEqual(new Set(Object.keys(OAUTH_ERROR)))
    expect(operations.map(([, op]) => op.errorCodes.length)).toStrictEqual([7, 5, 11])
  })

  it.each(errorCases)('%s: %s (%s)', async (_name, code, _how, op, make, withHeader) => {
    const s = await serve([serviceError(code, withHeader)])
    const rec = recorder()
    const r = await call(op, make() as never, envOn(s, rec.hooks))
    expect(r._tag).toBe('Left')
    const e = (r as { readonly left: AWSError }).left
    expect(e).toMatchObject({
      _tag: 'ServiceError',
      code,
      message: `what ${code} means`,
      status: statusOf(code),
      requestId: 'd6f0a0e4-5b1c-4c4a-9a0e-000000000001'
    })
    // SlowDown and AuthorizationPending are the caller's polling loop's to handle: one request
    expect(s.requests).toHaveLength(attemptsFor(code))
    expectNoSecret([...rec.seen(), ...renderings(e)])
  })

  it('a modelled error code is typed by the operation', async () => {
    const s = await serve([serviceError('AuthorizationPendingException', true)])
    const rq = pipe(
      newCreateToken(CLIENT_ID, SECRET.clientSecret, DEVICE_GRANT),
      createToken_deviceCode.set(O.some(SECRET.deviceCode))
    )
    const r = await call(CreateToken, rq, envOn(s))
    if (r._tag === 'Right' || r.left._tag !== 'ServiceError') throw new Error('expected a ServiceError')
    const pending: boolean = r.left.code === 'AuthorizationPendingException'
    expect(pending).toBe(true)
  })

  it('a polling loop sees AuthorizationPending, then SlowDown, then the tokens, one request each', async () => {
    const s = await serve([
      serviceError('AuthorizationPendingException', true),
      serviceError('SlowDownException', true),
      { status: 200, body: tokenResponse }
    ])
    const env = envOn(s)
    const rq = pipe(
      newCreateToken(CLIENT_ID, SECRET.clientSecret, DEVICE_GRANT),
      createToken_deviceCode.set(O.some(SECRET.deviceCode))
    )
    const seen: Array<string> = []
    for (let i = 0; i < 5; i++) {
      const r = await call(CreateToken, rq, env)
      if (r._tag === 'Right') {
        seen.push('tokens')
        break
      }
      seen.push(r.left._tag === 'ServiceError' ? r.left.code : r.left._tag)
    }
    expect(seen).toStrictEqual(['AuthorizationPendingException', 'SlowDownException', 'tokens'])
    expect(s.requests).toHaveLength(3)
  })

  it('an error description that echoes a secret of the request is scrubbed', async () => {
    const echo = (req: Recorded): Step => {
      const sent = JSON.parse(req.body) as Readonly<Record<string, string>>
      return {
        status: 400,
        headers: {
          'x-amzn-errortype': `InvalidGrantException${ERRORTYPE_SUFFIX}`,
          'x-echo': `${sent['deviceCode']} ${sent['clientSecret']}`
        },
        body: JSON.stringify({
          error: 'invalid_grant',
          error_description: `device code ${sent['deviceCode']} of client secret ${sent['clientSecret']} is invalid`
        })
      }
    }
    const s = await scriptedServer(echo)
    const rec = recorder()
    const rq = pipe(
      newCreateToken(CLIENT_ID, SECRET.clientSecret, DEVICE_GRANT),
      createToken_deviceCode.set(O.some(SECRET.deviceCode))
    )
    const r = await call(CreateToken, rq, envOn(s, rec.hooks)).finally(s.close)
    expect(s.requests).toHaveLength(1)
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ServiceError', code: 'InvalidGrantException' } })
    expectNoSecret([...renderings(r), ...rec.seen()])
  })
})

// -------------------------------------------------------------------------------------
// responses
// -------------------------------------------------------------------------------------

describe('the response fields', () => {
  it('RegisterClient: every member decoded, the client secret Sensitive', async () => {
    const s = await serve([
      {
        status: 200,
        body: JSON.stringify({
          clientId: CLIENT_ID,
          clientSecret: SECRET.issuedSecret,
          clientIdIssuedAt: 1735689600,
          clientSecretExpiresAt: 1743465600,
          authorizationEndpoint: 'https://oidc.us-east-1.amazonaws.com/authorize',
          tokenEndpoint: 'https://oidc.us-east-1.amazonaws.com/token',
          unknownMember: 'ignored'
        })
      }
    ])
    const rec = recorder()
    const r = await call(RegisterClient, newRegisterClient('fp-aws', 'public'), envOn(s, rec.hooks))
    if (r._tag === 'Left') throw new Error(r.left.message)
    const a = r.right
    expect(registerClientResponse_clientId.get(a)).toStrictEqual(O.some(CLIENT_ID))
    expect(registerClientResponse_clientSecret.get(a)).toStrictEqual(O.some(SECRET.issuedSecret))
    expect(registerClientResponse_clientIdIssuedAt.get(a)).toBe(1735689600)
    expect(registerClientResponse_clientSecretExpiresAt.get(a)).toBe(1743465600)
    expect(registerClientResponse_authorizationEndpoint.get(a)).toStrictEqual(
      O.some('https://oidc.us-east-1.amazonaws.com/authorize')
    )
    expect(registerClientResponse_tokenEndpoint.get(a)).toStrictEqual(
      O.some('https://oidc.us-east-1.amazonaws.com/token')
    )
    expect(O.isSome(a.clientSecret) && isSensitive(a.clientSecret.value)).toBe(true)
    expect(Object.keys(a).sort()).toStrictEqual(
      [
        'authorizationEndpoint',
        'clientId',
        'clientIdIssuedAt',
        'clientSecret',
        'clientSecretExpiresAt',
        'tokenEndpoint'
      ].sort()
    )
    const shown = RegisterClientResponseShow.show(a)
    expect(shown).toContain(CLIENT_ID)
    expectNoSecret([...renderings(r), shown, ...rec.seen()])
  })

  it('StartDeviceAuthorization: every member decoded, the device code Sensitive', async () => {
    const s = await serve([
      {
        status: 200,
        body: JSON.stringify({
          deviceCode: SECRET.issuedDeviceCode,
          userCode: 'ABCD-EFGH',
          verificationUri: 'https://device.sso.us-east-1.amazonaws.com/',
          verificationUriComplete: 'https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH',
          expiresIn: 600,
          interval: 1
        })
      }
    ])
    const rec = recorder()
    const r = await call(
      StartDeviceAuthorization,
      newStartDeviceAuthorization(CLIENT_ID, SECRET.clientSecret, START_URL),
      envOn(s, rec.hooks)
    )
    if (r._tag === 'Left') throw new Error(r.left.message)
    const a = r.right
    expect(startDeviceAuthorizationResponse_deviceCode.get(a)).toStrictEqual(O.some(SECRET.issuedDeviceCode))
    expect(startDeviceAuthorizationResponse_userCode.get(a)).toStrictEqual(O.some('ABCD-EFGH'))
    expect(startDeviceAuthorizationResponse_verificationUri.get(a)).toStrictEqual(
      O.some('https://device.sso.us-east-1.amazonaws.com/')
    )
    expect(startDeviceAuthorizationResponse_verificationUriComplete.get(a)).toStrictEqual(
      O.some('https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH')
    )
    expect(startDeviceAuthorizationResponse_expiresIn.get(a)).toBe(600)
    expect(startDeviceAuthorizationResponse_interval.get(a)).toBe(1)
    expect(O.isSome(a.deviceCode) && isSensitive(a.deviceCode.value)).toBe(true)
    const shown = StartDeviceAuthorizationResponseShow.show(a)
    expect(shown).toContain('ABCD-EFGH')
    expectNoSecret([...renderings(r), shown, ...rec.seen()])
  })

  it('CreateToken: every member decoded, the access, refresh and id tokens Sensitive', async () => {
    const s = await serve([{ status: 200, body: tokenResponse }])
    const rec = recorder()
    const rq = pipe(
      newCreateToken(CLIENT_ID, SECRET.clientSecret, 'refresh_token'),
      createToken_refreshToken.set(O.some(SECRET.refreshToken))
    )
    const r = await call(CreateToken, rq, envOn(s, rec.hooks))
    if (r._tag === 'Left') throw new Error(r.left.message)
    const a = r.right
    expect(createTokenResponse_accessToken.get(a)).toStrictEqual(O.some(SECRET.accessToken))
    expect(createTokenResponse_tokenType.get(a)).toStrictEqual(O.some('Bearer'))
    expect(createTokenResponse_expiresIn.get(a)).toBe(28800)
    expect(createTokenResponse_refreshToken.get(a)).toStrictEqual(O.some(SECRET.refreshToken))
    expect(createTokenResponse_idToken.get(a)).toStrictEqual(O.some(SECRET.idToken))
    for (const m of [a.accessToken, a.refreshToken, a.idToken]) expect(O.isSome(m) && isSensitive(m.value)).toBe(true)
    const shown = CreateTokenResponseShow.show(a)
    expect(shown).toContain('Bearer')
    expectNoSecret([...renderings(r), shown, ...rec.seen()])
  })

  it('absent members are None, and the model defaults stand in for absent numbers', async () => {
    const s = await serve([{ status: 200, body: '{"accessToken":null,"expiresIn":null}' }])
    const rq = pipe(
      newCreateToken(CLIENT_ID, SECRET.clientSecret, DEVICE_GRANT),
      createToken_deviceCode.set(O.some(SECRET.deviceCode))
    )
    const r = await call(CreateToken, rq, envOn(s))
    expect(r).toStrictEqual({
      _tag: 'Right',
      right: { accessToken: O.none, tokenType: O.none, expiresIn: 0, refreshToken: O.none, idToken: O.none }
    })
  })

  it('a token of the wrong type is a SerializeError that names the member, not the value', async () => {
    const s = await serve([
      { status: 200, body: JSON.stringify({ accessToken: [SECRET.accessToken], expiresIn: 3600 }) }
    ])
    const rq = pipe(
      newCreateToken(CLIENT_ID, SECRET.clientSecret, DEVICE_GRANT),
      createToken_deviceCode.set(O.some(SECRET.deviceCode))
    )
    const r = await call(CreateToken, rq, envOn(s))
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'SerializeError', status: 200 } })
    expect(JSON.stringify(r)).toContain('accessToken')
    expectNoSecret(renderings(r))
  })

  it('the request records keep their secrets Sensitive, and Show redacts them', () => {
    const sda = newStartDeviceAuthorization(CLIENT_ID, SECRET.clientSecret, START_URL)
    const ct = pipe(
      newCreateToken(CLIENT_ID, SECRET.clientSecret, 'authorization_code'),
      createToken_code.set(O.some(SECRET.code)),
      createToken_codeVerifier.set(O.some(SECRET.codeVerifier)),
      createToken_refreshToken.set(O.some(SECRET.refreshToken)),
      createToken_deviceCode.set(O.some(SECRET.deviceCode))
    )
    expect(StartDeviceAuthorizationShow.show(sda)).toContain(CLIENT_ID)
    expect(CreateTokenShow.show(ct)).toContain(CLIENT_ID)
    expectNoSecret([
      ...renderings(sda),
      ...renderings(ct),
      StartDeviceAuthorizationShow.show(sda),
      CreateTokenShow.show(ct)
    ])
    expectNoSecret([RegisterClientShow.show(newRegisterClient('fp-aws', 'public'))])
    // the encoded requests hold them wrapped: their bodies are Sensitive, their secrets listed beside them
    const encoded = [CreateToken.toRequest(ct), StartDeviceAuthorization.toRequest(sda)]
    for (const e of encoded) {
      if (e._tag === 'Left') throw new Error(e.left.message)
      expect(isSensitive(e.right.body)).toBe(true)
      expect(e.right.secrets?.every(isSensitive)).toBe(true)
      expectNoSecret(renderings(e))
    }
    expect(encoded.map((e) => (e._tag === 'Right' ? e.right.secrets?.length : -1))).toStrictEqual([5, 1])
    // a body without a secret stays a plain string
    const rc = RegisterClient.toRequest(newRegisterClient('fp-aws', 'public'))
    expect(rc._tag === 'Right' && rc.right.body).toBe('{"clientName":"fp-aws","clientType":"public"}')
    expect(rc._tag === 'Right' && rc.right.secrets).toBeUndefined()
  })
})

// -------------------------------------------------------------------------------------
// validation
// -------------------------------------------------------------------------------------

const device = (): CreateTokenRq =>
  pipe(
    newCreateToken(CLIENT_ID, SECRET.clientSecret, DEVICE_GRANT),
    createToken_deviceCode.set(O.some(SECRET.deviceCode))
  )

const badInput: ReadonlyArray<readonly [string, AnyOp, unknown, string]> = [
  ['a number as clientId', CreateToken as unknown as AnyOp, { ...device(), clientId: 42 }, 'clientId'],
  [
    'a plain string as clientSecret',
    CreateToken as unknown as AnyOp,
    { ...device(), clientSecret: SECRET.clientSecret },
    'clientSecret'
  ],
  ['a missing grantType', CreateToken as unknown as AnyOp, { ...device(), grantType: undefined }, 'grantType'],
  [
    'a plain string as deviceCode',
    CreateToken as unknown as AnyOp,
    { ...device(), deviceCode: SECRET.deviceCode },
    'deviceCode'
  ],
  [
    'a Some of a plain string as deviceCode',
    CreateToken as unknown as AnyOp,
    { ...device(), deviceCode: O.some(SECRET.deviceCode) },
    'deviceCode'
  ],
  [
    'a Sensitive number as refreshToken',
    CreateToken as unknown as AnyOp,
    { ...device(), refreshToken: O.some(sensitive(7)) },
    'refreshToken'
  ],
  ['a string as scope', CreateToken as unknown as AnyOp, { ...device(), scope: 'sso:account:access' }, 'scope'],
  ['null as redirectUri', CreateToken as unknown as AnyOp, { ...device(), redirectUri: null }, 'redirectUri'],
  [
    'a plain string as codeVerifier',
    CreateToken as unknown as AnyOp,
    { ...device(), codeVerifier: O.some(SECRET.codeVerifier) },
    'codeVerifier'
  ],
  ['no request at all', CreateToken as unknown as AnyOp, null, 'request'],
  [
    'a number in scopes',
    RegisterClient as unknown as AnyOp,
    { ...newRegisterClient('fp-aws', 'public'), scopes: ['sso:account:access', 3] },
    'scopes'
  ],
  [
    'a number as clientName',
    RegisterClient as unknown as AnyOp,
    { ...newRegisterClient('fp-aws', 'public'), clientName: 1 },
    'clientName'
  ],
  [
    'a plain string as issuerUrl',
    RegisterClient as unknown as AnyOp,
    { ...newRegisterClient('fp-aws', 'public'), issuerUrl: 'https://x' },
    'issuerUrl'
  ],
  [
    'a plain string as clientSecret',
    StartDeviceAuthorization as unknown as AnyOp,
    { ...newStartDeviceAuthorization(CLIENT_ID, SECRET.clientSecret, START_URL), clientSecret: SECRET.clientSecret },
    'clientSecret'
  ],
  [
    'a missing startUrl',
    StartDeviceAuthorization as unknown as AnyOp,
    { clientId: CLIENT_ID, clientSecret: sensitive(SECRET.clientSecret) },
    'startUrl'
  ],
  [
    'a throwing getter as clientId',
    StartDeviceAuthorization as unknown as AnyOp,
    Object.defineProperty({ clientSecret: sensitive(SECRET.clientSecret), startUrl: START_URL }, 'clientId', {
      enumerable: true,
      get: () => {
        throw new Error(SECRET.clientSecret)
      }
    }),
    'request'
  ]
]

describe('bad input from a JavaScript caller', () => {
  it.each(badInput)('%s is a ValidationError on the field, and nothing is sent', async (_name, op, rq, field) => {
    const s = await serve([{ status: 200, body: '{}' }])
    const rec = recorder()
    const r = await call(op, rq as never, envOn(s, rec.hooks))
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ValidationError', operation: op.operation, field } })
    expect(s.requests).toHaveLength(0)
    expect(rec.seen()).toStrictEqual([])
    expectNoSecret(renderings(r))
  })
})
