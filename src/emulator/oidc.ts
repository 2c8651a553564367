/**
 * The SSO OIDC side of the emulator (`oidc.<region>.amazonaws.com`, `AWSSSOOIDCService`,
 * restJson1): client registration, the device authorization grant, the authorization code
 * grant with PKCE, and refresh tokens; with the approval pages a person (or a test) uses to
 * allow or deny a login. Pure: no sockets; `index.ts` owns the server and calls
 * {@link handleOidc}, which answers the paths below and nothing else.
 *
 * - `POST /client/register` → `clientId`, `clientSecret`, `clientIdIssuedAt`,
 *   `clientSecretExpiresAt` (epoch seconds), and with the `authorization_code` grant
 *   `authorizationEndpoint` and `tokenEndpoint`.
 * - `POST /device_authorization` → `deviceCode`, `userCode`, `verificationUri`,
 *   `verificationUriComplete`, `expiresIn`, `interval`.
 * - `POST /token` with `grantType` `urn:ietf:params:oauth:grant-type:device_code`,
 *   `authorization_code` or `refresh_token` → `accessToken`, `tokenType` (`Bearer`),
 *   `expiresIn`, and `refreshToken` when the client may use the `refresh_token` grant.
 * - `GET /authorize` (`response_type=code`, `client_id`, `redirect_uri`, `state`,
 *   `code_challenge`, `code_challenge_method=S256`, `scopes`) → the approval page, then a
 *   302 to `redirect_uri` with `code` and `state` (or `error=access_denied` and `state`).
 * - `GET /device[?user_code=…]` (the verification URI) → the approval page of that code.
 * - `POST /approval` (form: `id`, `decision=allow|deny`) → decides; `GET /approval?id=…`
 *   re-shows a pending authorization request, or redirects once it is decided.
 *
 * Errors have the service's shape: status 400 (401 for `InvalidClientException`, 500 for
 * `InternalServerException`), body `{"error":"authorization_pending","error_description":"…"}`
 * and header `x-amzn-ErrorType: AuthorizationPendingException:http://internal.amazon.com/coral/com.amazonaws.ssooidc/`.
 *
 * Every table is bounded ({@link MAX_OIDC_ENTRIES}); expired entries are dropped first, then
 * the oldest. Every secret the emulator issues (client secrets, device codes, authorization
 * codes, access and refresh tokens, approval ids) matches {@link ISSUED_SECRET}, so a log can
 * scrub them all by pattern.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { RawResponse } from './faults.js'
import type { AccountSeed, EmulatorState, TokenSeed } from './operations.js'
import { approvalPage, donePage, page, userCodePage } from './pages.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * How the OIDC side behaves: lifetimes, polling interval, rotation, and what a login grants.
 * Every member is required here; {@link readOidcOptions} fills the defaults.
 *
 * @category model
 * @since 0.2.0
 */
export interface OidcOptions {
  /** What a login grants on the portal: accounts and roles. */
  readonly identity: TokenSeed
  /** Approve every device authorization and authorization request at once. */
  readonly autoApprove: boolean
  readonly accessTokenTtlSeconds: number
  readonly refreshTokenTtlSeconds: number
  readonly deviceCodeTtlSeconds: number
  readonly registrationTtlSeconds: number
  readonly pollIntervalSeconds: number
  /** Issue a new refresh token at each refresh, and refuse the old one. */
  readonly rotateRefreshTokens: boolean
}

/**
 * The default lifetimes, in seconds, the default interval, and rotation on.
 *
 * @category constants
 * @since 0.2.0
 */
export const OIDC_DEFAULTS = Object.freeze({
  autoApprove: false,
  accessTokenTtlSeconds: 3600,
  refreshTokenTtlSeconds: 8 * 3600,
  deviceCodeTtlSeconds: 600,
  registrationTtlSeconds: 90 * 24 * 3600,
  pollIntervalSeconds: 1,
  rotateRefreshTokens: true
})

/**
 * How long an authorization code lives: 60 seconds.
 *
 * @category constants
 * @since 0.2.0
 */
export const AUTHORIZATION_CODE_TTL_SECONDS = 60

/**
 * How many entries each OIDC table keeps at most (10,000): clients, device authorizations,
 * authorization requests, codes, refresh tokens, and issued access tokens.
 *
 * @category constants
 * @since 0.2.0
 */
export const MAX_OIDC_ENTRIES = 10_000

/**
 * What every secret the emulator issues looks like: a three-letter kind (`aoa` access token,
 * `aor` refresh token, `ocs` client secret, `odc` device code, `oac` authorization code,
 * `oap` approval id) and 64 base64url characters.
 *
 * @category constants
 * @since 0.2.0
 */
export const ISSUED_SECRET = /(?:aoa|aor|ocs|odc|oac|oap)[A-Za-z0-9_-]{64}/g

/** The grant types. */
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'
const CODE_GRANT = 'authorization_code'
const REFRESH_GRANT = 'refresh_token'
const GRANTS = [DEVICE_GRANT, CODE_GRANT, REFRESH_GRANT]

/** One login: its access tokens die with it (portal `Logout`), and so do its refresh tokens. */
interface Session {
  ended: boolean
}

interface Client {
  readonly clientId: string
  readonly secret: string
  readonly name: string
  readonly grants: ReadonlyArray<string>
  readonly redirectUris: ReadonlyArray<string>
  readonly scopes: ReadonlyArray<string>
  readonly expiresAt: number
}

interface Decision {
  decision: 'pending' | 'approved' | 'denied'
}

interface DeviceAuth extends Decision {
  readonly deviceCode: string
  readonly userCode: string
  readonly clientId: string
  readonly approvalId: string
  readonly expiresAt: number
  lastPollAt: number | undefined
}

interface AuthRequest extends Decision {
  readonly approvalId: string
  readonly clientId: string
  readonly redirectUri: string
  readonly state: string | undefined
  readonly challenge: string
  readonly scopes: ReadonlyArray<string>
  readonly expiresAt: number
}

interface AuthCode {
  readonly clientId: string
  readonly redirectUri: string
  readonly challenge: string
  readonly scopes: ReadonlyArray<string>
  readonly expiresAt: number
}

interface Refresh {
  readonly clientId: string
  readonly session: Session
  readonly scopes: ReadonlyArray<string>
  readonly expiresAt: number
}

/**
 * The OIDC side's mutable state, beside the portal's {@link EmulatorState} (which holds the
 * access tokens a login issues, so that the portal serves them).
 *
 * @category model
 * @since 0.2.0
 */
export interface OidcState {
  readonly options: OidcOptions
  readonly portal: EmulatorState
  /** Registered clients, by client id. */
  readonly clients: Map<string, Client>
  /** Device authorizations, by device code. */
  readonly devices: Map<string, DeviceAuth>
  /** User code → device code. */
  readonly userCodes: Map<string, string>
  /** Approval id (of a device authorization's page) → device code. */
  readonly approvals: Map<string, string>
  /** Pending authorization requests (`GET /authorize`), by approval id. */
  readonly authRequests: Map<string, AuthRequest>
  /** Authorization codes not yet exchanged. */
  readonly codes: Map<string, AuthCode>
  /** Live refresh tokens. */
  readonly refreshTokens: Map<string, Refresh>
  /** Access tokens issued (also in the portal's tokens) → expiry, oldest first. */
  readonly issued: Map<string, number>
}

/**
 * The sizes of the OIDC tables.
 *
 * @category model
 * @since 0.2.0
 */
export interface OidcStats {
  readonly clients: number
  readonly deviceAuthorizations: number
  readonly authorizationRequests: number
  readonly authorizationCodes: number
  readonly refreshTokens: number
  readonly issuedTokens: number
}

/**
 * A request for the OIDC side: what the server read.
 *
 * @category model
 * @since 0.2.0
 */
export interface OidcRequest {
  readonly method: string
  readonly path: string
  readonly query: URLSearchParams
  /** The body, as text (`undefined` when it was larger than the server reads). */
  readonly body: string | undefined
  /** The `Origin` header, if any. */
  readonly origin: string | undefined
  /** The `Host` header, if any: a form posted from `http://<host>` is same-origin too. */
  readonly host?: string | undefined
  /** The emulator's base URL, e.g. `http://127.0.0.1:54321`. */
  readonly base: string
  /** Current time, epoch milliseconds. */
  readonly now: number
}

// -------------------------------------------------------------------------------------
// options
// -------------------------------------------------------------------------------------

const TTL_KEYS = [
  'accessTokenTtlSeconds',
  'refreshTokenTtlSeconds',
  'deviceCodeTtlSeconds',
  'registrationTtlSeconds',
  'pollIntervalSeconds'
] as const

/** The largest lifetime accepted: ten years, in seconds. */
const MAX_SECONDS = 10 * 365 * 24 * 3600

/**
 * Checks the OIDC options of `startEmulator` and fills the defaults. Lifetimes and the
 * interval are integers of seconds, at least 1 (at most ten years); the flags are booleans;
 * `identity` a token seed. `Left` names the first bad option (never its value).
 *
 * @example
 * import { readOidcOptions } from 'fp-aws/emulator/oidc'
 *
 * const r = readOidcOptions({ accessTokenTtlSeconds: 2 }, {})
 * assert.strictEqual(r._tag === 'Right' && r.right.accessTokenTtlSeconds, 2)
 * assert.strictEqual(r._tag === 'Right' && r.right.rotateRefreshTokens, true)
 * assert.strictEqual(readOidcOptions({ pollIntervalSeconds: 0 }, {})._tag, 'Left')
 *
 * @category options
 * @since 0.2.0
 */
export const readOidcOptions = (
  o: Readonly<Record<string, unknown>>,
  defaultIdentity: TokenSeed
): E.Either<string, OidcOptions> => {
  try {
    return readChecked(typeof o === 'object' && o !== null ? o : {}, copySeed(defaultIdentity) ?? Object.freeze({ accounts: [] }))
  } catch {
    return E.left('the options cannot be read (a member threw)')
  }
}

const readChecked = (o: Readonly<Record<string, unknown>>, defaultIdentity: TokenSeed): E.Either<string, OidcOptions> => {
  const out: Record<string, unknown> = { ...OIDC_DEFAULTS, identity: defaultIdentity }
  for (const k of TTL_KEYS) {
    const v = o[k]
    if (v === undefined) continue
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_SECONDS) {
      return E.left(`invalid ${k}: expected an integer of seconds in 1..${MAX_SECONDS}`)
    }
    out[k] = v
  }
  for (const k of ['autoApprove', 'rotateRefreshTokens'] as const) {
    const v = o[k]
    if (v === undefined) continue
    if (typeof v !== 'boolean') return E.left(`invalid ${k}: expected a boolean`)
    out[k] = v
  }
  if (o['identity'] !== undefined) {
    const seed = copySeed(o['identity'])
    if (seed === undefined) return E.left('invalid identity: expected a token seed ({ accounts: [{ accountId, accountName, emailAddress, roles }] })')
    out['identity'] = seed
  }
  return E.right(out as unknown as OidcOptions)
}

const isString = (u: unknown): u is string => typeof u === 'string' && u !== ''

/** A frozen copy of a token seed, or `undefined` when it is not one. */
const copySeed = (u: unknown): TokenSeed | undefined => {
  try {
    if (typeof u !== 'object' || u === null) return undefined
    const accounts = (u as { accounts?: unknown }).accounts
    if (accounts === undefined) return Object.freeze({ accounts: Object.freeze([]) })
    if (!Array.isArray(accounts)) return undefined
    const out: Array<AccountSeed> = []
    for (const a of accounts as ReadonlyArray<Record<string, unknown>>) {
      if (typeof a !== 'object' || a === null) return undefined
      const roles = a['roles']
      if (!isString(a['accountId']) || !isString(a['accountName']) || !isString(a['emailAddress'])) return undefined
      if (!Array.isArray(roles) || !roles.every(isString)) return undefined
      out.push(
        Object.freeze({
          accountId: a['accountId'],
          accountName: a['accountName'],
          emailAddress: a['emailAddress'],
          roles: Object.freeze([...(roles as ReadonlyArray<string>)])
        })
      )
    }
    return Object.freeze({ accounts: Object.freeze(out) })
  } catch {
    return undefined
  }
}

/**
 * A fresh OIDC state beside the portal's.
 *
 * @example
 * import { makeState } from 'fp-aws/emulator/operations'
 * import { makeOidcState, OIDC_DEFAULTS, oidcStats } from 'fp-aws/emulator/oidc'
 *
 * const st = makeOidcState({ ...OIDC_DEFAULTS, identity: {} }, makeState({}))
 * assert.strictEqual(oidcStats(st).clients, 0)
 *
 * @category constructors
 * @since 0.2.0
 */
export const makeOidcState = (options: OidcOptions, portal: EmulatorState): OidcState => ({
  options,
  portal,
  clients: new Map(),
  devices: new Map(),
  userCodes: new Map(),
  approvals: new Map(),
  authRequests: new Map(),
  codes: new Map(),
  refreshTokens: new Map(),
  issued: new Map()
})

/**
 * The sizes of the OIDC tables (each at most {@link MAX_OIDC_ENTRIES}).
 *
 * @category destructors
 * @since 0.2.0
 */
export const oidcStats = (st: OidcState): OidcStats => {
  const size = (m: unknown): number => (m instanceof Map ? m.size : 0)
  try {
    return {
      clients: size(st.clients),
      deviceAuthorizations: size(st.devices),
      authorizationRequests: size(st.authRequests),
      authorizationCodes: size(st.codes),
      refreshTokens: size(st.refreshTokens),
      issuedTokens: size(st.issued)
    }
  } catch {
    return { clients: 0, deviceAuthorizations: 0, authorizationRequests: 0, authorizationCodes: 0, refreshTokens: 0, issuedTokens: 0 }
  }
}

// -------------------------------------------------------------------------------------
// decisions
// -------------------------------------------------------------------------------------

/**
 * Decides a pending request, addressed by the user code of a device authorization, or else
 * by the `state` of an authorization request (`GET /authorize`; the oldest pending one with
 * that state). `true` when one was pending (and is now decided), `false` otherwise.
 *
 * @example
 * import { makeState } from 'fp-aws/emulator/operations'
 * import { decide, makeOidcState, OIDC_DEFAULTS } from 'fp-aws/emulator/oidc'
 *
 * const st = makeOidcState({ ...OIDC_DEFAULTS, identity: {} }, makeState({}))
 * assert.strictEqual(decide(st, 'BCDF-GHJK', true, Date.now()), false)
 *
 * @category decisions
 * @since 0.2.0
 */
export const decide = (st: OidcState, code: string, approve: boolean, now: number): boolean => {
  try {
    return decideChecked(st, code, approve === true, typeof now === 'number' ? now : Date.now())
  } catch {
    return false
  }
}

const decideChecked = (st: OidcState, code: string, approve: boolean, now: number): boolean => {
  if (typeof code !== 'string') return false
  const deviceCode = st.userCodes.get(code.toUpperCase())
  const device = deviceCode === undefined ? undefined : st.devices.get(deviceCode)
  if (device !== undefined && device.decision === 'pending' && now < device.expiresAt) {
    device.decision = approve ? 'approved' : 'denied'
    return true
  }
  for (const a of st.authRequests.values()) {
    if (a.state === code && a.decision === 'pending' && now < a.expiresAt) {
      a.decision = approve ? 'approved' : 'denied'
      return true
    }
  }
  return false
}

// -------------------------------------------------------------------------------------
// wire
// -------------------------------------------------------------------------------------

const NAMESPACE = 'com.amazonaws.ssooidc'

const ERROR_OF: Readonly<Record<string, string>> = {
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

const STATUS_OF: Readonly<Record<string, number>> = { InvalidClientException: 401, InternalServerException: 500 }

/**
 * An error in the SSO OIDC service's shape: status 400 (401 for `InvalidClientException`,
 * 500 for `InternalServerException`), body `{"error","error_description"}`, header
 * `x-amzn-ErrorType`.
 *
 * @example
 * import { oidcError } from 'fp-aws/emulator/oidc'
 *
 * const r = oidcError('SlowDownException', 'Client is polling too fast')
 * assert.strictEqual(r.status, 400)
 * assert.strictEqual(r.body, '{"error":"slow_down","error_description":"Client is polling too fast"}')
 * assert.strictEqual(r.headers['x-amzn-ErrorType'], 'SlowDownException:http://internal.amazon.com/coral/com.amazonaws.ssooidc/')
 *
 * @category wire
 * @since 0.2.0
 */
export const oidcError = (code: string, description: string): RawResponse => {
  const c = typeof code === 'string' && Object.prototype.hasOwnProperty.call(ERROR_OF, code) ? code : 'InternalServerException'
  return {
    status: STATUS_OF[c] ?? 400,
    headers: { 'x-amzn-ErrorType': `${c}:http://internal.amazon.com/coral/${NAMESPACE}/` },
    body: JSON.stringify({ error: ERROR_OF[c] ?? 'server_error', error_description: typeof description === 'string' ? description : c })
  }
}

const json = (body: unknown): RawResponse => ({
  status: 200,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  body: JSON.stringify(body)
})

const redirect = (location: string): RawResponse => ({
  status: 302,
  headers: { location, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  body: ''
})

type Result<A> = E.Either<RawResponse, A>

const invalidRequest = (d: string): RawResponse => oidcError('InvalidRequestException', d)

/** The JSON object body of an operation, else `InvalidRequestException`. */
const jsonBody = (body: string | undefined): Result<Record<string, unknown>> => {
  if (body === undefined) return E.left(invalidRequest('Request body too large'))
  if (body.trim() === '') return E.right({})
  try {
    const u = JSON.parse(body) as unknown
    return typeof u === 'object' && u !== null && !Array.isArray(u)
      ? E.right(u as Record<string, unknown>)
      : E.left(invalidRequest('Request body must be a JSON object'))
  } catch {
    return E.left(invalidRequest('Request body is not valid JSON'))
  }
}

const str = (o: Record<string, unknown>, k: string): string | undefined => {
  const v = o[k]
  return typeof v === 'string' && v !== '' ? v : undefined
}

const strList = (o: Record<string, unknown>, k: string): Result<ReadonlyArray<string> | undefined> => {
  const v = o[k]
  if (v === undefined || v === null) return E.right(undefined)
  return Array.isArray(v) && v.every((x) => typeof x === 'string') && v.length <= 100
    ? E.right(v as ReadonlyArray<string>)
    : E.left(invalidRequest(`Invalid ${k}`))
}

// -------------------------------------------------------------------------------------
// secrets
// -------------------------------------------------------------------------------------

const secret = (kind: 'aoa' | 'aor' | 'ocs' | 'odc' | 'oac' | 'oap'): string => kind + randomBytes(48).toString('base64url')

/** Letters hard to confuse, as user codes use. */
const USER_CODE_LETTERS = 'BCDFGHJKLMNPQRSTVWXZ'

const userCode = (): string => {
  const b = randomBytes(8)
  const c = Array.from(b, (x) => USER_CODE_LETTERS[x % USER_CODE_LETTERS.length] ?? 'B').join('')
  return `${c.slice(0, 4)}-${c.slice(4)}`
}

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a, 'utf8')
  const y = Buffer.from(b, 'utf8')
  return x.length === y.length && timingSafeEqual(x, y)
}

const s256 = (verifier: string): string => createHash('sha256').update(verifier, 'ascii').digest('base64url')

// -------------------------------------------------------------------------------------
// bounds
// -------------------------------------------------------------------------------------

/** Drops expired entries, then the oldest, until `map` has room for one more. */
const makeRoom = <V>(map: Map<string, V>, expiresAt: (v: V) => number, now: number, onDrop: (k: string, v: V) => void): void => {
  if (map.size < MAX_OIDC_ENTRIES) return
  for (const [k, v] of map) {
    if (expiresAt(v) <= now) {
      map.delete(k)
      onDrop(k, v)
    }
  }
  while (map.size >= MAX_OIDC_ENTRIES) {
    const first = map.entries().next()
    if (first.done === true) break
    map.delete(first.value[0])
    onDrop(first.value[0], first.value[1])
  }
}

const nothing = (): void => undefined

/** Forgets what points at a device authorization. */
const dropDevice = (st: OidcState) => (_: string, d: DeviceAuth): void => {
  st.userCodes.delete(d.userCode)
  st.approvals.delete(d.approvalId)
}

// -------------------------------------------------------------------------------------
// clients
// -------------------------------------------------------------------------------------

const SCOPE = /^(?:openid|[A-Za-z0-9_-]+(?::[A-Za-z0-9_.*-]+){1,3})$/

/** A loopback `http` URL (the only redirect a public client may register). */
const isLoopbackRedirect = (u: string): boolean => {
  try {
    const url = new URL(u)
    return url.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname) && url.hash === ''
  } catch {
    return false
  }
}

/**
 * Whether a requested redirect URI is a registered one: the same URI, or, for a loopback IP
 * literal, the same but for the port (RFC 8252 7.3: the AWS CLI registers
 * `http://127.0.0.1/oauth/callback` and asks for its listener's random port).
 */
const registeredRedirect = (registered: ReadonlyArray<string>, requested: string): boolean =>
  registered.some((r) => {
    if (r === requested) return true
    try {
      const a = new URL(r)
      const b = new URL(requested)
      return (
        ['127.0.0.1', '[::1]'].includes(a.hostname) &&
        a.protocol === b.protocol &&
        a.hostname === b.hostname &&
        a.pathname === b.pathname &&
        a.search === b.search &&
        a.hash === b.hash &&
        a.username === b.username &&
        a.password === b.password
      )
    } catch {
      return false
    }
  })

const isUrl = (u: string): boolean => {
  try {
    const url = new URL(u)
    return url.protocol === 'https:' || url.protocol === 'http:'
  } catch {
    return false
  }
}

/** The client a request authenticates as, else `InvalidClientException`. */
const authenticateClient = (st: OidcState, o: Record<string, unknown>, now: number): Result<Client> => {
  const id = str(o, 'clientId')
  const sec = str(o, 'clientSecret')
  if (id === undefined || sec === undefined) return E.left(invalidRequest('clientId and clientSecret are required'))
  const c = st.clients.get(id)
  if (c === undefined || !sameSecret(c.secret, sec)) return E.left(oidcError('InvalidClientException', 'Invalid client credentials'))
  if (now >= c.expiresAt) return E.left(oidcError('InvalidClientException', 'Client registration has expired'))
  return E.right(c)
}

const register = (st: OidcState, req: OidcRequest): RawResponse => {
  const body = jsonBody(req.body)
  if (E.isLeft(body)) return body.left
  const o = body.right
  const name = str(o, 'clientName')
  const type = str(o, 'clientType')
  if (name === undefined || type === undefined) return invalidRequest('clientName and clientType are required')
  if (name.length > 256) return oidcError('InvalidClientMetadataException', 'clientName is too long')
  if (type !== 'public') return oidcError('InvalidClientMetadataException', 'clientType must be public')
  const lists = [strList(o, 'grantTypes'), strList(o, 'redirectUris'), strList(o, 'scopes')] as const
  for (const l of lists) if (E.isLeft(l)) return l.left
  const [grantTypes, redirectUris, scopes] = lists.map((l) => (E.isRight(l) ? l.right : undefined))
  if (grantTypes !== undefined && (grantTypes.length === 0 || !grantTypes.every((g) => GRANTS.includes(g)))) {
    return oidcError('InvalidClientMetadataException', 'Invalid grantTypes')
  }
  if (scopes !== undefined && !scopes.every((s) => SCOPE.test(s))) return oidcError('InvalidScopeException', 'Invalid scope')
  if (redirectUris !== undefined && !redirectUris.every(isLoopbackRedirect)) {
    return oidcError('InvalidRedirectUriException', 'Redirect URIs must be loopback http URLs')
  }
  const issuerUrl = o['issuerUrl']
  if (issuerUrl !== undefined && !(typeof issuerUrl === 'string' && isUrl(issuerUrl))) {
    return oidcError('InvalidClientMetadataException', 'Invalid issuerUrl')
  }
  const grants = grantTypes ?? (scopes !== undefined && scopes.length > 0 ? [DEVICE_GRANT, REFRESH_GRANT] : [DEVICE_GRANT])
  const redirects = redirectUris ?? []
  if (grants.includes(CODE_GRANT) && redirects.length === 0) {
    return oidcError('InvalidRedirectUriException', 'The authorization_code grant needs redirectUris')
  }
  if (grants.includes(CODE_GRANT) && issuerUrl === undefined) {
    return oidcError('InvalidClientMetadataException', 'The authorization_code grant needs an issuerUrl')
  }
  if (redirects.length > 0 && !grants.includes(CODE_GRANT)) {
    return oidcError('InvalidClientMetadataException', 'redirectUris need the authorization_code grant')
  }
  const now = req.now
  makeRoom(st.clients, (c) => c.expiresAt, now, nothing)
  const client: Client = {
    clientId: randomBytes(24).toString('base64url'),
    secret: secret('ocs'),
    name,
    grants: [...grants],
    redirectUris: [...redirects],
    scopes: [...(scopes ?? [])],
    expiresAt: now + st.options.registrationTtlSeconds * 1000
  }
  st.clients.set(client.clientId, client)
  return json({
    clientId: client.clientId,
    clientSecret: client.secret,
    clientIdIssuedAt: Math.floor(now / 1000),
    clientSecretExpiresAt: Math.floor(client.expiresAt / 1000),
    ...(grants.includes(CODE_GRANT)
      ? { authorizationEndpoint: `${req.base}/authorize`, tokenEndpoint: `${req.base}/token` }
      : {})
  })
}

// -------------------------------------------------------------------------------------
// device authorization
// -------------------------------------------------------------------------------------

const startDeviceAuthorization = (st: OidcState, req: OidcRequest): RawResponse => {
  const body = jsonBody(req.body)
  if (E.isLeft(body)) return body.left
  const client = authenticateClient(st, body.right, req.now)
  if (E.isLeft(client)) return client.left
  const startUrl = str(body.right, 'startUrl')
  if (startUrl === undefined || !isUrl(startUrl)) return invalidRequest('Missing or invalid startUrl')
  if (!client.right.grants.includes(DEVICE_GRANT)) {
    return oidcError('UnauthorizedClientException', 'The client may not use the device code grant')
  }
  makeRoom(st.devices, (d) => d.expiresAt, req.now, dropDevice(st))
  let code = userCode()
  while (st.userCodes.has(code)) code = userCode()
  const device: DeviceAuth = {
    deviceCode: secret('odc'),
    userCode: code,
    clientId: client.right.clientId,
    approvalId: secret('oap'),
    expiresAt: req.now + st.options.deviceCodeTtlSeconds * 1000,
    lastPollAt: undefined,
    decision: st.options.autoApprove ? 'approved' : 'pending'
  }
  st.devices.set(device.deviceCode, device)
  st.userCodes.set(device.userCode, device.deviceCode)
  st.approvals.set(device.approvalId, device.deviceCode)
  return json({
    deviceCode: device.deviceCode,
    userCode: device.userCode,
    verificationUri: `${req.base}/device`,
    verificationUriComplete: `${req.base}/device?user_code=${device.userCode}`,
    expiresIn: st.options.deviceCodeTtlSeconds,
    interval: st.options.pollIntervalSeconds
  })
}

// -------------------------------------------------------------------------------------
// tokens
// -------------------------------------------------------------------------------------

/** Issues an access token (a live portal token with the identity's accounts) and maybe a refresh token. */
const issue = (st: OidcState, client: Client, session: Session, scopes: ReadonlyArray<string>, now: number, refresh: string | undefined): RawResponse => {
  const o = st.options
  const accessToken = secret('aoa')
  const expiresAt = now + o.accessTokenTtlSeconds * 1000
  if (st.issued.size >= MAX_OIDC_ENTRIES) {
    makeRoom(st.issued, (e) => e, now, (token) => {
      st.portal.tokens.delete(token)
      st.portal.logouts.delete(token)
    })
  }
  st.issued.set(accessToken, expiresAt)
  st.portal.tokens.set(accessToken, { accounts: o.identity.accounts ?? [], loggedOut: false, expiresAt, session })
  let refreshToken = refresh
  if (refreshToken === undefined && client.grants.includes(REFRESH_GRANT)) {
    makeRoom(st.refreshTokens, (r) => r.expiresAt, now, nothing)
    refreshToken = secret('aor')
    st.refreshTokens.set(refreshToken, {
      clientId: client.clientId,
      session,
      scopes,
      expiresAt: now + o.refreshTokenTtlSeconds * 1000
    })
  }
  return json({
    accessToken,
    tokenType: 'Bearer',
    expiresIn: o.accessTokenTtlSeconds,
    ...(refreshToken === undefined ? {} : { refreshToken })
  })
}

const requestedScopes = (client: Client, o: Record<string, unknown>, granted: ReadonlyArray<string>): Result<ReadonlyArray<string>> => {
  const s = strList(o, 'scope')
  if (E.isLeft(s)) return s
  const asked = s.right ?? granted
  const allowed = client.scopes.length === 0 ? granted : client.scopes
  return asked.every((x) => allowed.includes(x) || (client.scopes.length === 0 && granted.length === 0 && SCOPE.test(x)))
    ? E.right(asked)
    : E.left(oidcError('InvalidScopeException', 'Invalid scope requested'))
}

const deviceToken = (st: OidcState, client: Client, o: Record<string, unknown>, now: number): RawResponse => {
  const code = str(o, 'deviceCode')
  if (code === undefined) return invalidRequest('Missing deviceCode')
  const d = st.devices.get(code)
  if (d === undefined || d.clientId !== client.clientId) return oidcError('InvalidGrantException', 'Invalid device code provided')
  if (now >= d.expiresAt) return oidcError('ExpiredTokenException', 'Device code has expired')
  if (d.decision === 'denied') return oidcError('AccessDeniedException', 'Authorization request was denied')
  const last = d.lastPollAt
  d.lastPollAt = now
  if (d.decision === 'pending') {
    return last !== undefined && now - last < st.options.pollIntervalSeconds * 1000
      ? oidcError('SlowDownException', 'Client is polling too fast')
      : oidcError('AuthorizationPendingException', 'Authorization is still pending')
  }
  const scopes = requestedScopes(client, o, client.scopes)
  if (E.isLeft(scopes)) return scopes.left
  st.devices.delete(d.deviceCode)
  dropDevice(st)(d.deviceCode, d)
  return issue(st, client, { ended: false }, scopes.right, now, undefined)
}

const codeToken = (st: OidcState, client: Client, o: Record<string, unknown>, now: number): RawResponse => {
  const code = str(o, 'code')
  const redirectUri = str(o, 'redirectUri')
  const verifier = str(o, 'codeVerifier')
  if (code === undefined || redirectUri === undefined || verifier === undefined) {
    return invalidRequest('code, redirectUri and codeVerifier are required')
  }
  const c = st.codes.get(code)
  if (c === undefined || c.clientId !== client.clientId) return oidcError('InvalidGrantException', 'Invalid authorization code')
  // single use: spent by any exchange by its client, successful or not
  st.codes.delete(code)
  if (now >= c.expiresAt) return oidcError('InvalidGrantException', 'Authorization code has expired')
  if (redirectUri !== c.redirectUri) return oidcError('InvalidGrantException', 'redirectUri does not match the authorization request')
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || !sameSecret(s256(verifier), c.challenge)) {
    return oidcError('InvalidGrantException', 'Code verifier does not match the code challenge')
  }
  return issue(st, client, { ended: false }, c.scopes, now, undefined)
}

const refreshToken = (st: OidcState, client: Client, o: Record<string, unknown>, now: number): RawResponse => {
  const token = str(o, 'refreshToken')
  if (token === undefined) return invalidRequest('Missing refreshToken')
  const r = st.refreshTokens.get(token)
  if (r === undefined || r.clientId !== client.clientId || r.session.ended || now >= r.expiresAt) {
    if (r !== undefined && r.clientId === client.clientId) st.refreshTokens.delete(token)
    return oidcError('InvalidGrantException', 'Invalid refresh token provided')
  }
  const scopes = requestedScopes(client, o, r.scopes)
  if (E.isLeft(scopes)) return scopes.left
  if (st.options.rotateRefreshTokens) {
    st.refreshTokens.delete(token)
    return issue(st, client, r.session, scopes.right, now, undefined)
  }
  return issue(st, client, r.session, scopes.right, now, token)
}

const createToken = (st: OidcState, req: OidcRequest): RawResponse => {
  const body = jsonBody(req.body)
  if (E.isLeft(body)) return body.left
  const o = body.right
  const client = authenticateClient(st, o, req.now)
  if (E.isLeft(client)) return client.left
  const grant = str(o, 'grantType')
  if (grant === undefined) return invalidRequest('Missing grantType')
  if (!GRANTS.includes(grant)) return oidcError('UnsupportedGrantTypeException', `Unsupported grant type: ${grant.slice(0, 100)}`)
  if (!client.right.grants.includes(grant)) return oidcError('UnauthorizedClientException', 'The client may not use this grant type')
  return grant === DEVICE_GRANT
    ? deviceToken(st, client.right, o, req.now)
    : grant === CODE_GRANT
      ? codeToken(st, client.right, o, req.now)
      : refreshToken(st, client.right, o, req.now)
}

// -------------------------------------------------------------------------------------
// authorization endpoint and pages
// -------------------------------------------------------------------------------------

const withParams = (uri: string, params: Readonly<Record<string, string | undefined>>): string => {
  const url = new URL(uri)
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v)
  return url.toString()
}

/** The redirect ending an authorization request: a fresh code, or `error=access_denied`. */
const finish = (st: OidcState, a: AuthRequest, now: number): RawResponse => {
  st.authRequests.delete(a.approvalId)
  if (a.decision === 'denied') return redirect(withParams(a.redirectUri, { error: 'access_denied', state: a.state }))
  makeRoom(st.codes, (c) => c.expiresAt, now, nothing)
  const code = secret('oac')
  st.codes.set(code, {
    clientId: a.clientId,
    redirectUri: a.redirectUri,
    challenge: a.challenge,
    scopes: a.scopes,
    expiresAt: now + AUTHORIZATION_CODE_TTL_SECONDS * 1000
  })
  return redirect(withParams(a.redirectUri, { code, state: a.state }))
}

const first = (q: URLSearchParams, k: string): string | undefined => {
  const v = q.get(k)
  return v === null || v === '' ? undefined : v
}

const authorize = (st: OidcState, req: OidcRequest): RawResponse => {
  const q = req.query
  const clientId = first(q, 'client_id')
  const redirectUri = first(q, 'redirect_uri')
  const client = clientId === undefined ? undefined : st.clients.get(clientId)
  // no redirect to an unverified redirect_uri: an error page instead
  if (client === undefined || req.now >= client.expiresAt) return page(400, 'Invalid client', '<p>Unknown or expired client_id.</p>')
  if (redirectUri === undefined || !registeredRedirect(client.redirectUris, redirectUri)) {
    return page(400, 'Invalid redirect URI', '<p>redirect_uri is not one the client registered.</p>')
  }
  const state = first(q, 'state')
  const fail = (error: string, description: string): RawResponse =>
    redirect(withParams(redirectUri, { error, error_description: description, state }))
  if (q.get('response_type') !== 'code') return fail('unsupported_response_type', 'response_type must be code')
  if (!client.grants.includes(CODE_GRANT)) return fail('unauthorized_client', 'The client may not use the authorization_code grant')
  const challenge = first(q, 'code_challenge')
  if (challenge === undefined || !/^[A-Za-z0-9_-]{43}$/.test(challenge)) return fail('invalid_request', 'code_challenge is required')
  if (q.get('code_challenge_method') !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256')
  const scopes = q.getAll('scopes').flatMap((s) => s.split(/[\s,]+/)).filter((s) => s !== '')
  if (!scopes.every((s) => SCOPE.test(s) && (client.scopes.length === 0 || client.scopes.includes(s)))) {
    return fail('invalid_scope', 'Invalid scope requested')
  }
  makeRoom(st.authRequests, (a) => a.expiresAt, req.now, nothing)
  const request: AuthRequest = {
    approvalId: secret('oap'),
    clientId: client.clientId,
    redirectUri,
    state,
    challenge,
    scopes,
    expiresAt: req.now + st.options.deviceCodeTtlSeconds * 1000,
    decision: st.options.autoApprove ? 'approved' : 'pending'
  }
  if (st.options.autoApprove) return finish(st, request, req.now)
  st.authRequests.set(request.approvalId, request)
  return approvalPage({
    id: request.approvalId,
    userCode: undefined,
    clientName: client.name,
    scopes,
    refreshSeconds: st.options.pollIntervalSeconds
  })
}

const devicePage = (st: OidcState, req: OidcRequest): RawResponse => {
  const code = first(req.query, 'user_code')
  if (code === undefined) return userCodePage(undefined)
  const deviceCode = st.userCodes.get(code.trim().toUpperCase())
  const d = deviceCode === undefined ? undefined : st.devices.get(deviceCode)
  if (d === undefined || req.now >= d.expiresAt) {
    return userCodePage('That code is not pending: it is unknown, expired or already used.', 404)
  }
  // already decided (by the page, the emulator's API, or --auto-approve): say so, offer nothing
  if (d.decision !== 'pending') return donePage(d.decision === 'approved')
  const client = st.clients.get(d.clientId)
  return approvalPage({
    id: d.approvalId,
    userCode: d.userCode,
    clientName: client?.name ?? 'an application',
    scopes: client?.scopes ?? [],
    refreshSeconds: undefined
  })
}

const notPending = (): RawResponse =>
  page(404, 'Request not found', '<p>This request is unknown, expired or already decided.</p>')

/** `GET /approval?id=…`: a pending authorization request shown again, a decided one finished. */
const approvalStatus = (st: OidcState, req: OidcRequest): RawResponse => {
  const id = first(req.query, 'id')
  const a = id === undefined ? undefined : st.authRequests.get(id)
  if (a === undefined || req.now >= a.expiresAt) return notPending()
  if (a.decision !== 'pending') return finish(st, a, req.now)
  const client = st.clients.get(a.clientId)
  return approvalPage({
    id: a.approvalId,
    userCode: undefined,
    clientName: client?.name ?? 'an application',
    scopes: a.scopes,
    refreshSeconds: st.options.pollIntervalSeconds
  })
}

/** `POST /approval` (form `id`, `decision`): decides the pending request the id names. */
const approve = (st: OidcState, req: OidcRequest): RawResponse => {
  const sameOrigin = req.origin === req.base || (req.host !== undefined && req.origin === `http://${req.host}`)
  if (req.origin !== undefined && !sameOrigin) return page(403, 'Forbidden', '<p>Cross-origin request refused.</p>')
  if (req.body === undefined) return page(413, 'Too large', '<p>The form is too large.</p>')
  const form = new URLSearchParams(req.body)
  const id = form.get('id') ?? ''
  const decision = form.get('decision')
  if (decision !== 'allow' && decision !== 'deny') return page(400, 'Bad request', '<p>decision must be allow or deny.</p>')
  const deviceCode = st.approvals.get(id)
  const d = deviceCode === undefined ? undefined : st.devices.get(deviceCode)
  if (d !== undefined) {
    if (d.decision !== 'pending' || req.now >= d.expiresAt) return notPending()
    d.decision = decision === 'allow' ? 'approved' : 'denied'
    return donePage(decision === 'allow')
  }
  const a = st.authRequests.get(id)
  if (a === undefined || req.now >= a.expiresAt) return notPending()
  // an authorization request decided by the emulator's API meanwhile keeps that decision
  if (a.decision === 'pending') a.decision = decision === 'allow' ? 'approved' : 'denied'
  return finish(st, a, req.now)
}

// -------------------------------------------------------------------------------------
// routing
// -------------------------------------------------------------------------------------

/**
 * The OIDC endpoints: path, method, and the operation name the request log shows.
 *
 * @category routing
 * @since 0.2.0
 */
export const OIDC_ROUTES: ReadonlyArray<{ readonly path: string; readonly method: string; readonly name: string }> = [
  { path: '/client/register', method: 'POST', name: 'RegisterClient' },
  { path: '/device_authorization', method: 'POST', name: 'StartDeviceAuthorization' },
  { path: '/token', method: 'POST', name: 'CreateToken' },
  { path: '/authorize', method: 'GET', name: 'Authorize' },
  { path: '/device', method: 'GET', name: 'VerificationPage' },
  { path: '/approval', method: 'GET', name: 'ApprovalStatus' },
  { path: '/approval', method: 'POST', name: 'Approval' }
]

/**
 * Whether a path belongs to the OIDC side.
 *
 * @example
 * import { isOidcPath } from 'fp-aws/emulator/oidc'
 *
 * assert.strictEqual(isOidcPath('/token'), true)
 * assert.strictEqual(isOidcPath('/logout'), false)
 *
 * @category routing
 * @since 0.2.0
 */
export const isOidcPath = (path: string): boolean => typeof path === 'string' && OIDC_ROUTES.some((r) => r.path === path)

/**
 * Answers a request on an OIDC path (see {@link isOidcPath}); a wrong method is a 405 with
 * `Allow`. Never throws: a failure is a 500 `InternalServerException`.
 *
 * @category routing
 * @since 0.2.0
 */
export const handleOidc = (st: OidcState, req: OidcRequest): RawResponse => {
  try {
    const route = OIDC_ROUTES.find((r) => r.path === req.path && r.method === req.method)
    if (route === undefined) {
      return {
        ...oidcError('InvalidRequestException', 'Method not allowed'),
        status: 405,
        headers: {
          ...oidcError('InvalidRequestException', '').headers,
          Allow: OIDC_ROUTES.filter((r) => r.path === req.path)
            .map((r) => r.method)
            .join(', ')
        }
      }
    }
    switch (route.name) {
      case 'RegisterClient':
        return register(st, req)
      case 'StartDeviceAuthorization':
        return startDeviceAuthorization(st, req)
      case 'CreateToken':
        return createToken(st, req)
      case 'Authorize':
        return authorize(st, req)
      case 'VerificationPage':
        return devicePage(st, req)
      case 'ApprovalStatus':
        return approvalStatus(st, req)
      default:
        return approve(st, req)
    }
  } catch {
    return oidcError('InternalServerException', 'Internal server error')
  }
}
