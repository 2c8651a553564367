/**
 * Parity with the official client: `@aws-sdk/client-sso-oidc` and fp-aws send each operation
 * (every `CreateToken` grant type included) to the same scripted loopback server, which must
 * receive the same method, path, content type and JSON body (parsed: member order aside), and
 * both read the same answers and the same modelled errors from it.
 */
import {
  CreateTokenCommand,
  RegisterClientCommand,
  SSOOIDCClient,
  SSOOIDCServiceException,
  StartDeviceAuthorizationCommand
} from '@aws-sdk/client-sso-oidc'
import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import { describe, expect, it } from 'vitest'
import { send, type AWSRequest } from '../../../src/index.js'
import { reveal } from '../../../src/core/Sensitive.js'
import {
  CreateToken,
  createToken_code,
  createToken_codeVerifier,
  createToken_deviceCode,
  createToken_redirectUri,
  createToken_refreshToken,
  createToken_scope,
  newCreateToken,
  newRegisterClient,
  newStartDeviceAuthorization,
  RegisterClient,
  registerClient_grantTypes,
  registerClient_issuerUrl,
  registerClient_redirectUris,
  registerClient_scopes,
  StartDeviceAuthorization
} from '../../../src/services/sso-oidc/index.js'
import { envFor, useScriptedServers } from '../../util/harness.js'
import type { Recorded, Scripted, Step } from '../../util/scripted.js'

const serve = useScriptedServers()

const REGION = 'us-east-1'
const CLIENT_ID = 'Tbu3TVwkM1oVLWIF7zMfdHVzLWVhc3QtMQ'
const CLIENT_SECRET = 'eyJraWQiOiJrZXktMTU2NDAyODA5OSIsImFsZyI6IkhTMzg0In0.client-secret'
const START_URL = 'https://d-1234567890.awsapps.com/start'
const REDIRECT_URI = 'http://127.0.0.1:49152/oauth/callback'
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'

const sdkOn = (s: Scripted): SSOOIDCClient => new SSOOIDCClient({ region: REGION, endpoint: s.url, maxAttempts: 1 })

/** What both clients must agree on: the request line, the content type and the parsed body. */
const wire = (r: Recorded) => ({
  method: r.method,
  path: r.url,
  contentType: r.headers['content-type'],
  authorization: r.headers['authorization'],
  body: JSON.parse(r.body) as unknown
})

interface Case {
  readonly name: string
  readonly answer: string
  readonly ours: () => Promise<unknown>
  readonly theirs: (sdk: SSOOIDCClient) => Promise<unknown>
}

const callOurs = <Rq, Rs, C extends string>(op: AWSRequest<Rq, Rs, C>, rq: Rq, s: Scripted) =>
  pipe(rq, send(op))(envFor(s.url, { region: REGION, maxAttempts: 1 }))()

const cases = (s: () => Scripted): ReadonlyArray<Case> => [
  {
    name: 'RegisterClient, required members only',
    answer: JSON.stringify({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      clientIdIssuedAt: 1735689600,
      clientSecretExpiresAt: 1743465600
    }),
    ours: () => callOurs(RegisterClient, newRegisterClient('fp-aws', 'public'), s()),
    theirs: (sdk) => sdk.send(new RegisterClientCommand({ clientName: 'fp-aws', clientType: 'public' }))
  },
  {
    name: 'RegisterClient, with lists and the issuer',
    answer: JSON.stringify({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      clientIdIssuedAt: 1735689600,
      clientSecretExpiresAt: 1743465600,
      authorizationEndpoint: 'https://oidc.us-east-1.amazonaws.com/authorize',
      tokenEndpoint: 'https://oidc.us-east-1.amazonaws.com/token'
    }),
    ours: () =>
      callOurs(
        RegisterClient,
        pipe(
          newRegisterClient('fp-aws', 'public'),
          registerClient_scopes.set(['sso:account:access']),
          registerClient_redirectUris.set([REDIRECT_URI]),
          registerClient_grantTypes.set(['authorization_code', 'refresh_token']),
          registerClient_issuerUrl.set(O.some('https://identitycenter.amazonaws.com/ssoins-1111222233334444'))
        ),
        s()
      ),
    theirs: (sdk) =>
      sdk.send(
        new RegisterClientCommand({
          clientName: 'fp-aws',
          clientType: 'public',
          scopes: ['sso:account:access'],
          redirectUris: [REDIRECT_URI],
          grantTypes: ['authorization_code', 'refresh_token'],
          issuerUrl: 'https://identitycenter.amazonaws.com/ssoins-1111222233334444'
        })
      )
  },
  {
    name: 'StartDeviceAuthorization',
    answer: JSON.stringify({
      deviceCode: 'device-code-PyqT5Yh',
      userCode: 'ABCD-EFGH',
      verificationUri: 'https://device.sso.us-east-1.amazonaws.com/',
      verificationUriComplete: 'https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH',
      expiresIn: 600,
      interval: 1
    }),
    ours: () =>
      callOurs(StartDeviceAuthorization, newStartDeviceAuthorization(CLIENT_ID, CLIENT_SECRET, START_URL), s()),
    theirs: (sdk) =>
      sdk.send(
        new StartDeviceAuthorizationCommand({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, startUrl: START_URL })
      )
  },
  {
    name: 'CreateToken, device code grant',
    answer: JSON.stringify({
      accessToken: 'access-token',
      tokenType: 'Bearer',
      expiresIn: 28800,
      refreshToken: 'refresh-token'
    }),
    ours: () =>
      callOurs(
        CreateToken,
        pipe(
          newCreateToken(CLIENT_ID, CLIENT_SECRET, DEVICE_GRANT),
          createToken_deviceCode.set(O.some('device-code-PyqT5Yh'))
        ),
        s()
      ),
    theirs: (sdk) =>
      sdk.send(
        new CreateTokenCommand({
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          grantType: DEVICE_GRANT,
          deviceCode: 'device-code-PyqT5Yh'
        })
      )
  },
  {
    name: 'CreateToken, authorization code grant with PKCE',
    answer: JSON.stringify({
      accessToken: 'access-token',
      tokenType: 'Bearer',
      expiresIn: 3600,
      refreshToken: 'refresh-token',
      idToken: 'id-token'
    }),
    ours: () =>
      callOurs(
        CreateToken,
        pipe(
          newCreateToken(CLIENT_ID, CLIENT_SECRET, 'authorization_code'),
          createToken_code.set(O.some('authorization-code')),
          createToken_redirectUri.set(O.some(REDIRECT_URI)),
          createToken_codeVerifier.set(O.some('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'))
        ),
        s()
      ),
    theirs: (sdk) =>
      sdk.send(
        new CreateTokenCommand({
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          grantType: 'authorization_code',
          code: 'authorization-code',
          redirectUri: REDIRECT_URI,
          codeVerifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'
        })
      )
  },
  {
    name: 'CreateToken, refresh token grant with a scope',
    answer: JSON.stringify({ accessToken: 'access-token-2', tokenType: 'Bearer', expiresIn: 28800 }),
    ours: () =>
      callOurs(
        CreateToken,
        pipe(
          newCreateToken(CLIENT_ID, CLIENT_SECRET, 'refresh_token'),
          createToken_refreshToken.set(O.some('refresh-token')),
          createToken_scope.set(['sso:account:access'])
        ),
        s()
      ),
    theirs: (sdk) =>
      sdk.send(
        new CreateTokenCommand({
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          grantType: 'refresh_token',
          refreshToken: 'refresh-token',
          scope: ['sso:account:access']
        })
      )
  }
]

/** A decoded answer as plain JSON: secrets revealed, `None` and SDK metadata left out. */
const plain = (v: unknown): unknown => {
  if (typeof v !== 'object' || v === null) return v
  const out: Record<string, unknown> = {}
  for (const [k, x] of Object.entries(v)) {
    if (k === '$metadata' || x === undefined) continue
    const o = x as { readonly _tag?: string; readonly value?: unknown }
    if (o._tag === 'None') continue
    const inner = o._tag === 'Some' ? o.value : x
    out[k] = (inner as { readonly _tag?: string })._tag === 'Sensitive' ? reveal(inner as never) : inner
  }
  return out
}

describe('fp-aws and @aws-sdk/client-sso-oidc on the same server', () => {
  let current: Scripted | undefined
  const server = (): Scripted => current as Scripted

  it.each(cases(server).map((c) => [c.name, c] as const))('%s: the same request, the same answer', async (_name, c) => {
    current = await serve([{ status: 200, body: c.answer }])
    const ours = await c.ours()
    const theirs = await c.theirs(sdkOn(server()))
    expect(server().requests).toHaveLength(2)
    const [a, b] = server().requests as [Recorded, Recorded]
    expect(wire(a)).toStrictEqual(wire(b))
    expect(wire(a).contentType).toBe('application/json')
    expect(wire(a).authorization).toBeUndefined()
    expect(ours).toMatchObject({ _tag: 'Right' })
    const right = (ours as { readonly right: unknown }).right
    // the SDK leaves out what the answer leaves out; fp-aws stands in the model's defaults
    const sdk = plain(theirs) as Record<string, unknown>
    const mine = plain(right) as Record<string, unknown>
    for (const k of Object.keys(sdk)) expect(mine[k]).toStrictEqual(sdk[k])
    for (const k of Object.keys(mine)) if (!(k in sdk)) expect(mine[k]).toBe(0)
  })

  const errors: ReadonlyArray<readonly [string, number, string]> = [
    ['AuthorizationPendingException', 400, 'authorization_pending'],
    ['SlowDownException', 400, 'slow_down'],
    ['ExpiredTokenException', 400, 'expired_token'],
    ['InvalidGrantException', 400, 'invalid_grant'],
    ['InvalidClientException', 401, 'invalid_client'],
    ['AccessDeniedException', 400, 'access_denied'],
    ['InternalServerException', 500, 'server_error']
  ]

  it.each(errors)('CreateToken: %s reads the same from the service’s answer', async (code, status, oauth) => {
    const step: Step = {
      status,
      headers: { 'x-amzn-errortype': `${code}:http://internal.amazon.com/coral/com.amazonaws.ssooidc/` },
      body: JSON.stringify({ error: oauth, error_description: `about ${code}` })
    }
    current = await serve([step])
    const rq = {
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      grantType: DEVICE_GRANT,
      deviceCode: 'device-code-PyqT5Yh'
    }
    const ours = await callOurs(
      CreateToken,
      pipe(newCreateToken(CLIENT_ID, CLIENT_SECRET, DEVICE_GRANT), createToken_deviceCode.set(O.some(rq.deviceCode))),
      server()
    )
    const theirs: unknown = await sdkOn(server())
      .send(new CreateTokenCommand(rq))
      .then(
        () => undefined,
        (e: unknown) => e
      )
    expect(theirs).toBeInstanceOf(SSOOIDCServiceException)
    const e = theirs as SSOOIDCServiceException & { readonly error?: string; readonly error_description?: string }
    expect(ours).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'ServiceError', code: e.name, status: e.$metadata.httpStatusCode }
    })
    // the SDK keeps `error_description` in its own member; fp-aws makes it the message
    expect(e.error).toBe(oauth)
    expect(ours).toMatchObject({ left: { message: e.error_description } })
  })
})
