/**
 * A local emulator of the AWS SSO portal API (`portal.sso.<region>.amazonaws.com`), for
 * tests: a real `node:http` server on a loopback port, keep-alive enabled, speaking the
 * service's restJson1 wire.
 *
 * - `POST /logout`: a seeded, live token (header `x-amz-sso_bearer_token`) → 200, empty
 *   body; the token is then dead. A missing, unknown or logged-out token → 401
 *   `UnauthorizedException`, body exactly
 *   `{"message":"Session token not found or invalid","__type":"com.amazonaws.switchboard.portal#UnauthorizedException"}`
 *   (the same 401 for every operation).
 * - `GET /assignment/accounts` (`next_token`, `max_result`) → `{ accountList, nextToken? }`.
 * - `GET /assignment/roles` (`account_id`, `next_token`, `max_result`) → `{ roleList, nextToken? }`.
 * - `GET /federation/credentials` (`role_name`, `account_id`) → `{ roleCredentials }`, with
 *   `expiration` in epoch milliseconds, one hour ahead.
 * - An account or role not assigned to the token → 403 `ForbiddenException` "No access".
 * - A missing required query parameter, a `max_result` outside 1..100 or a foreign
 *   `next_token` → 400 `InvalidRequestException`. Page tokens are opaque; the last page has
 *   no `nextToken`; the default page size is 20.
 * - Unknown path → 404, known path with the wrong method → 405 with `Allow`; both
 *   `com.amazon.coral.service#UnknownOperationException`.
 *
 * Since 0.2.0 the same server also answers SSO OIDC (`oidc.<region>.amazonaws.com`), so it
 * is a local IAM Identity Center: `POST /client/register`, `POST /device_authorization`,
 * `POST /token` (device code, authorization code with PKCE, refresh token with rotation),
 * `GET /authorize`, and approval pages at `/device` and `/approval` (see
 * `fp-aws/emulator/oidc`). The access tokens a login issues are live portal tokens with the
 * `identity` option's accounts; portal `Logout` kills them and their refresh tokens.
 * `approve(userCode)` and `deny(userCode)` decide a pending login.
 *
 * Every response carries `x-amzn-RequestId` (a random UUID) and `content-type:
 * application/json`; errors also carry `x-amzn-ErrorType`. Portal request bodies are drained and
 * ignored. The emulator never logs, and never throws.
 *
 * Without a `tokens` option it starts with {@link DEMO_SEED}: the public demo token
 * {@link DEMO_TOKEN}, assigned two accounts. For tests, it can misbehave on demand
 * ({@link Fault}: scripted statuses, delays, dropped connections, hangs; see
 * `fp-aws/emulator/faults`), and it keeps a log of the requests it received, with no
 * token in it.
 *
 * @since 0.1.0
 */
import type * as TE from 'fp-ts/lib/TaskEither.js'
import * as E from 'fp-ts/lib/Either.js'
import { randomUUID } from 'node:crypto'
import * as http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { readOptions } from '../core/Args.js'
import { REDACTED } from '../core/Sensitive.js'
import { faultKind, statusResponse, takeFault, validateFaults, type Fault, type FaultKind, type RawResponse } from './faults.js'
import {
  findOperation,
  logoutsOf,
  makeState,
  operations,
  recordLogout,
  route,
  type EmulatorResponse,
  type TokenSeed
} from './operations.js'
import {
  decide,
  handleOidc,
  isOidcPath,
  ISSUED_SECRET,
  makeOidcState,
  OIDC_ROUTES,
  oidcStats,
  readOidcOptions,
  type OidcStats
} from './oidc.js'
import { DEMO_SEED, DEMO_TOKEN } from './seed.js'

export * from './faults.js'
export * from './seed.js'

export {
  /**
   * How many distinct tokens never seeded the emulator counts logouts for (10,000); past
   * that the least recently counted is forgotten, so {@link Emulator.logoutCount} of an old
   * unknown token reads 0 again. Only a digest of such a token is kept.
   *
   * @category constants
   * @since 0.2.0
   */
  MAX_UNKNOWN_TOKENS
} from './operations.js'

/**
 * What a seeded token can see (re-exported from `fp-aws/emulator/operations`).
 *
 * @category model
 * @since 0.1.0
 */
export type {
  /**
   * @category model
   * @since 0.1.0
   */
  AccountSeed,
  /**
   * @category model
   * @since 0.1.0
   */
  TokenSeed
} from './operations.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * How to start the emulator.
 *
 * @category model
 * @since 0.1.0
 */
export interface EmulatorOptions {
  /** The port to listen on; `0` (the default) picks a free one. */
  readonly port?: number
  /** The address to listen on; default `127.0.0.1`. */
  readonly host?: string
  /**
   * The access tokens the emulator accepts, and what each can see. Default: {@link DEMO_SEED}
   * (pass `{}` for no token at all).
   */
  readonly tokens?: Readonly<Record<string, TokenSeed>>
  /** Faults queued from the start (see {@link Fault}); they target the portal's operations only. */
  readonly faults?: ReadonlyArray<Fault>
  /**
   * What a login (SSO OIDC `CreateToken`) grants on the portal: accounts and roles, as a
   * token seed. Default: the accounts of {@link DEMO_SEED} (since 0.2.0).
   */
  readonly identity?: TokenSeed
  /** Approve every device authorization and authorization request at once (default `false`; since 0.2.0). */
  readonly autoApprove?: boolean
  /** Lifetime of the access tokens a login issues, seconds (default 3600; since 0.2.0). */
  readonly accessTokenTtlSeconds?: number
  /** Lifetime of refresh tokens, seconds (default 28800; since 0.2.0). */
  readonly refreshTokenTtlSeconds?: number
  /** Lifetime of device codes, and of pending authorization requests, seconds (default 600; since 0.2.0). */
  readonly deviceCodeTtlSeconds?: number
  /** Lifetime of client registrations, seconds (default 7776000, 90 days; since 0.2.0). */
  readonly registrationTtlSeconds?: number
  /** The device flow's polling interval, seconds (default 1; since 0.2.0). */
  readonly pollIntervalSeconds?: number
  /** Rotate refresh tokens: each refresh issues a new one and refuses the old (default `true`; since 0.2.0). */
  readonly rotateRefreshTokens?: boolean
  /** The clock, epoch milliseconds (default `Date.now`; since 0.2.0): every lifetime and the request log follow it. */
  readonly clock?: () => number
}

/**
 * One request the emulator received, as {@link Emulator.requests} reports it. It holds no
 * token: only whether one was sent. Every seeded token, and the request's own bearer token,
 * is replaced by `<redacted>` wherever it appears in the method, the path (also when
 * percent-encoded) and the query keys and values; so is every secret the OIDC side issues
 * (client secrets, device codes, authorization codes, access and refresh tokens, approval
 * ids), and the value of a query key that names a secret (`code`, `id`, `client_secret`,
 * `device_code`, `refresh_token`, `code_verifier`, `access_token`, and their camelCase forms;
 * since 0.2.0). OIDC request bodies are never logged. A path, a query key or a query value is
 * cut after {@link LOG_FIELD_MAX_CHARS} characters (ending in `…`), and at most
 * {@link LOG_QUERY_MAX_KEYS} query keys are kept.
 *
 * @category model
 * @since 0.1.0
 */
export interface RequestRecord {
  /** When the request had been read, epoch milliseconds. */
  readonly at: number
  readonly method: string
  /** The path without the query string. */
  readonly path: string
  /** The query parameters, the first value of each (any token in them shows as `<redacted>`). */
  readonly query: Readonly<Record<string, string>>
  /** The operation addressed (`Logout`, …), `undefined` for an unknown path or a wrong method. */
  readonly operation: string | undefined
  /** Whether a non-empty `x-amz-sso_bearer_token` header was sent. */
  readonly hasToken: boolean
  /** The kind of fault applied to this request, if any. */
  readonly fault: FaultKind | undefined
}

/**
 * A running emulator.
 *
 * @category model
 * @since 0.1.0
 */
export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:54321`, with no trailing slash. */
  readonly url: string
  /**
   * Stops listening and closes every connection, idle keep-alive ones included: a delayed
   * request is answered at once, a hanging one is cut, others get up to a second to finish.
   * Resolves even if already closed.
   */
  readonly close: () => Promise<void>
  /** Whether a seeded token has been logged out (`false` for a token never seeded). */
  readonly isLoggedOut: (token: string) => boolean
  /** How many `POST /logout` requests carried this token, whatever their outcome, faults included. */
  readonly logoutCount: (token: string) => number
  /** How many HTTP requests the emulator has received, on any path. */
  readonly requestCount: () => number
  /** Queues more faults, after those already waiting. `Left` (nothing queued) if one is invalid. */
  readonly inject: (faults: ReadonlyArray<Fault>) => E.Either<EmulatorError, void>
  /** Drops every fault still waiting. */
  readonly clearFaults: () => void
  /** How many faults are still waiting. */
  readonly pendingFaults: () => number
  /** The requests received, oldest first (the last {@link REQUEST_LOG_SIZE}), with no token in them. */
  readonly requests: () => ReadonlyArray<RequestRecord>
  /** The sizes of what the emulator keeps in memory (since 0.2.0). */
  readonly stats: () => EmulatorStats
  /**
   * Approves a pending login (since 0.2.0), addressed by the user code of a device
   * authorization (case-insensitive), or else by the `state` of a pending `GET /authorize`
   * request. `true` when one was pending. An approved authorization request redirects with
   * its code when its page is next loaded or submitted (the page reloads itself).
   */
  readonly approve: (code: string) => boolean
  /** Denies a pending login, addressed as {@link Emulator.approve} (since 0.2.0). `true` when one was pending. */
  readonly deny: (code: string) => boolean
}

/**
 * The sizes of what a running emulator keeps in memory: each is bounded, whatever clients
 * send (the faults are the test's own).
 *
 * @category model
 * @since 0.2.0
 */
export interface EmulatorStats {
  /** HTTP requests received so far (a counter). */
  readonly requests: number
  /** Seeded tokens (fixed at start). */
  readonly seededTokens: number
  /** The SSO OIDC tables: each at most `MAX_OIDC_ENTRIES` of `fp-aws/emulator/oidc` (since 0.2.0). */
  readonly oidc: OidcStats
  /** Tokens never seeded whose logouts are counted: at most {@link MAX_UNKNOWN_TOKENS}. */
  readonly unknownTokens: number
  /** Records in the request log: at most {@link REQUEST_LOG_SIZE}. */
  readonly logEntries: number
  /** Faults waiting. */
  readonly pendingFaults: number
  /** Answers held back by a delay fault. */
  readonly delayedAnswers: number
  /** Connections held open by a hang fault. */
  readonly hangingConnections: number
}

// -------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------

/**
 * How many requests the request log keeps: the last 1000 (a ring buffer).
 *
 * @category constants
 * @since 0.2.0
 */
export const REQUEST_LOG_SIZE = 1000

/**
 * The longest path, query key or query value the request log keeps, in characters (1024);
 * a longer one is cut and ends in `…`.
 *
 * @category constants
 * @since 0.2.0
 */
export const LOG_FIELD_MAX_CHARS = 1024

/**
 * The most query keys a request log record keeps (50); the others are left out.
 *
 * @category constants
 * @since 0.2.0
 */
export const LOG_QUERY_MAX_KEYS = 50

/**
 * The emulator could not start (bad port, port in use, unknown host, …), or a fault was
 * invalid.
 *
 * @category model
 * @since 0.1.0
 */
export interface EmulatorError {
  readonly _tag: 'EmulatorError'
  readonly message: string
}

/**
 * Builds an `EmulatorError`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const emulatorError = (message: string): EmulatorError => ({ _tag: 'EmulatorError', message })

// -------------------------------------------------------------------------------------
// server
// -------------------------------------------------------------------------------------

const TOKEN_HEADER = 'x-amz-sso_bearer_token'

/** The largest request body read on the OIDC paths (64 KiB); a larger one is refused. */
const MAX_BODY_BYTES = 64 * 1024

/** How long `close()` lets in-flight requests finish before cutting their sockets. */
const CLOSE_GRACE_MS = 1000

const OPERATION_NAMES = operations.map((o) => o.name)

/** Faults checked against the operations, whether given at start or injected later (`validateFaults` never throws). */
const checkFaults = (faults: ReadonlyArray<Fault>): E.Either<EmulatorError, ReadonlyArray<Fault>> => {
  const checked = validateFaults(faults, OPERATION_NAMES)
  return E.isLeft(checked) ? E.left(emulatorError(`invalid faults: ${checked.left}`)) : checked
}

const bearerToken = (req: http.IncomingMessage): string | undefined => {
  const h = req.headers[TOKEN_HEADER]
  return Array.isArray(h) ? h[0] : h
}

const parseTarget = (rawUrl: string | undefined): { path: string; search: string; query: URLSearchParams } => {
  try {
    const u = new URL(rawUrl ?? '/', 'http://emulator.invalid')
    return { path: u.pathname, search: u.search, query: u.searchParams }
  } catch {
    return { path: '', search: '', query: new URLSearchParams() }
  }
}

/**
 * Replaces every seeded token (and `extra`, the request's own bearer token) in a string by
 * `<redacted>`, each also as a query string decodes it when sent unencoded (every `+` a
 * space). Tokens are found through an index of their first characters, so a string is
 * scanned once whatever the number of seeded tokens.
 */
type Scrub = (s: string, extra: string | undefined) => string

/** A token, and what a query string makes of it sent unencoded (`+` read as a space). */
const forms = (t: string): ReadonlyArray<string> => (t.includes('+') ? [t, t.replace(/\+/g, ' ')] : [t])

const makeScrubber = (tokens: Iterable<string>): Scrub => {
  const all = [...tokens].filter((t) => t.length > 0).flatMap(forms)
  // a loop, not Math.min(...): a seed may hold more tokens than a call has room for arguments
  let k = 8
  for (const t of all) if (t.length < k) k = t.length
  const index = new Map<string, Array<string>>()
  for (const t of all) {
    const key = t.slice(0, k)
    const list = index.get(key)
    if (list === undefined) index.set(key, [t])
    else list.push(t)
  }
  for (const list of index.values()) list.sort((a, b) => b.length - a.length)
  return (input, extra) => {
    const s = extra === undefined || extra === '' ? input : forms(extra).reduce((acc, f) => acc.split(f).join(REDACTED), input)
    if (all.length === 0) return s
    let out = ''
    let from = 0
    let i = 0
    while (i + k <= s.length) {
      const hit = index.get(s.slice(i, i + k))?.find((t) => s.startsWith(t, i))
      if (hit === undefined) {
        i += 1
      } else {
        out += s.slice(from, i) + REDACTED
        i += hit.length
        from = i
      }
    }
    return from === 0 ? s : out + s.slice(from)
  }
}

/** Query keys whose values are secrets of a login: their values are never logged. */
const SECRET_KEYS = new Set([
  'access_token',
  'accesstoken',
  'client_secret',
  'clientsecret',
  'code',
  'code_verifier',
  'codeverifier',
  'device_code',
  'devicecode',
  'id',
  'refresh_token',
  'refreshtoken'
])

/** `scrub`, and every secret the OIDC side issues, wherever it appears. */
const withIssued =
  (scrub: Scrub): Scrub =>
  (s, extra) =>
    scrub(s, extra).replace(ISSUED_SECRET, REDACTED)

const cut = (s: string): string => (s.length > LOG_FIELD_MAX_CHARS ? `${s.slice(0, LOG_FIELD_MAX_CHARS)}…` : s)

const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/**
 * Decodes every run of valid percent-escapes, leaving a malformed one (`%zz`, a lone `%`) as
 * it is: one bad escape does not keep the rest of the path encoded.
 */
const lenientDecode = (s: string): string => s.replace(/(?:%[0-9a-f]{2})+/gi, safeDecode)

/** The path as logged: scrubbed; decoded first when a token hides in its percent-encoding. */
const loggedPath = (path: string, scrub: Scrub, token: string | undefined): string => {
  const decoded = lenientDecode(path)
  const scrubbedDecoded = scrub(decoded, token)
  return cut(scrubbedDecoded !== decoded ? scrubbedDecoded : scrub(path, token))
}

/**
 * The query as logged. The raw query string is scrubbed before it is parsed (a token sent
 * unencoded has its `+` read as a space and may be cut at an `=`), then each key and value.
 */
const loggedQuery = (search: string, scrub: Scrub, token: string | undefined): Readonly<Record<string, string>> => {
  const query = new URLSearchParams(scrub(search, token))
  const out: Record<string, string> = {}
  let keys = 0
  for (const [rawKey, v] of query) {
    const k = cut(scrub(rawKey, token))
    if (Object.prototype.hasOwnProperty.call(out, k)) continue
    if (keys === LOG_QUERY_MAX_KEYS) break
    keys += 1
    out[k] = SECRET_KEYS.has(rawKey.toLowerCase()) && v !== '' ? REDACTED : cut(scrub(v, token))
  }
  return Object.freeze(out)
}

const serialize = (r: EmulatorResponse): RawResponse => ({
  status: r.status,
  headers: r.headers,
  body: r.body === undefined ? '' : JSON.stringify(r.body)
})

/** The usual headers, then `r.headers` (replacing any of the same name, in any case), then framing. */
const headersOf = (r: RawResponse, closing: boolean, framing: Readonly<Record<string, string>>): Record<string, string> => {
  const out: Record<string, string> = { 'x-amzn-RequestId': randomUUID(), 'content-type': 'application/json' }
  for (const [k, v] of Object.entries(r.headers)) {
    for (const existing of Object.keys(out)) if (existing.toLowerCase() === k.toLowerCase()) delete out[existing]
    out[k] = v
  }
  return { ...out, ...(closing ? { connection: 'close' } : {}), ...framing }
}

const write = (res: http.ServerResponse, r: RawResponse, closing: boolean): void => {
  if (res.headersSent || res.destroyed) return
  res.writeHead(r.status, headersOf(r, closing, { 'content-length': String(Buffer.byteLength(r.body)) }))
  res.end(r.body)
}

/**
 * Sends the status line, the headers and half the body straight to the socket, then closes
 * it. An empty body is announced as chunked, and no chunk follows.
 */
const writeHalf = (socket: Socket, r: RawResponse): void => {
  if (socket.destroyed) return
  const body = Buffer.from(r.body, 'utf8')
  const framing: Record<string, string> =
    body.length === 0 ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(body.length) }
  const head =
    `HTTP/1.1 ${r.status} ${http.STATUS_CODES[r.status] ?? 'Unknown'}\r\n` +
    Object.entries(headersOf(r, false, framing))
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('') +
    '\r\n'
  socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body.subarray(0, Math.floor(body.length / 2))]), () =>
    socket.destroy()
  )
}

const reset = (socket: Socket): void => {
  if (socket.destroyed) return
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy()
  else socket.destroy()
}

const formatUrl = (host: string, port: number): string =>
  `http://${host.includes(':') ? `[${host}]` : host}:${port}`

/**
 * Starts an emulator. Fails with an `EmulatorError` (never throws) if it cannot listen or
 * a fault in `options.faults` is invalid.
 *
 * @example
 * import { startEmulator } from 'fp-aws/emulator'
 *
 * void startEmulator({ tokens: { 'my-token': {} } })().then(async (result) => {
 *   assert.strictEqual(result._tag, 'Right')
 *   if (result._tag === 'Right') {
 *     const emulator = result.right
 *     const res = await fetch(`${emulator.url}/logout`, {
 *       method: 'POST',
 *       headers: { 'x-amz-sso_bearer_token': 'my-token' }
 *     })
 *     assert.strictEqual(res.status, 200)
 *     assert.strictEqual(emulator.isLoggedOut('my-token'), true)
 *     await emulator.close()
 *   }
 * })
 *
 * @example
 * import { DEMO_TOKEN, startEmulator, throttled } from 'fp-aws/emulator'
 *
 * // no tokens: the demo seed; one throttled answer, then the normal one
 * void startEmulator({ faults: [throttled('ListAccounts')] })().then(async (result) => {
 *   if (result._tag === 'Right') {
 *     const emulator = result.right
 *     const list = () =>
 *       fetch(`${emulator.url}/assignment/accounts`, { headers: { 'x-amz-sso_bearer_token': DEMO_TOKEN } })
 *     const first = await list()
 *     assert.strictEqual(first.status, 429)
 *     assert.strictEqual(((await first.json()) as { __type: string }).__type, 'com.amazonaws.switchboard.portal#TooManyRequestsException')
 *     const second = await list()
 *     assert.strictEqual(((await second.json()) as { accountList: unknown[] }).accountList.length, 2)
 *     assert.deepStrictEqual(emulator.requests().map((r) => [r.operation, r.hasToken, r.fault]), [
 *       ['ListAccounts', true, 'status'],
 *       ['ListAccounts', true, undefined]
 *     ])
 *     await emulator.close()
 *   }
 * })
 *
 * @category constructors
 * @since 0.1.0
 */
export const startEmulator =
  (options: EmulatorOptions = {}): TE.TaskEither<EmulatorError, Emulator> =>
  () =>
    new Promise((resolve) => {
      const read = readOptions(options, [
        'port',
        'host',
        'tokens',
        'faults',
        'identity',
        'autoApprove',
        'accessTokenTtlSeconds',
        'refreshTokenTtlSeconds',
        'deviceCodeTtlSeconds',
        'registrationTtlSeconds',
        'pollIntervalSeconds',
        'rotateRefreshTokens',
        'clock'
      ])
      if (E.isLeft(read)) return resolve(E.left(emulatorError(`invalid options: ${read.left}`)))
      options = read.right as EmulatorOptions
      const port = options.port ?? 0
      const host = options.host ?? '127.0.0.1'
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        return resolve(
          E.left(emulatorError(`invalid port ${typeof port === 'number' ? String(port) : typeof port}: expected an integer in 0..65535`))
        )
      }
      if (typeof host !== 'string' || host === '') {
        return resolve(E.left(emulatorError('invalid host: expected a non-empty string')))
      }
      const seeded = E.tryCatch(
        () => makeState(options.tokens ?? DEMO_SEED),
        () => emulatorError('invalid tokens: each seed needs accounts with a roles array')
      )
      if (E.isLeft(seeded)) return resolve(seeded)
      const faultsChecked = checkFaults(options.faults ?? [])
      if (E.isLeft(faultsChecked)) return resolve(faultsChecked)
      const oidcOptions = readOidcOptions(read.right, DEMO_SEED[DEMO_TOKEN] ?? {})
      if (E.isLeft(oidcOptions)) return resolve(E.left(emulatorError(oidcOptions.left)))
      const clock = options.clock ?? Date.now
      if (typeof clock !== 'function') return resolve(E.left(emulatorError('invalid clock: expected a function')))
      /** The clock's time, or the system's when it fails or returns something else than a finite number. */
      const now = (): number => {
        try {
          const t = clock()
          return typeof t === 'number' && Number.isFinite(t) ? t : Date.now()
        } catch {
          return Date.now()
        }
      }
      const state = seeded.right
      const oidc = makeOidcState(oidcOptions.right, state)
      let queue: ReadonlyArray<Fault> = faultsChecked.right
      const scrub = withIssued(makeScrubber(state.tokens.keys()))
      let base = ''
      /** The request log: a ring buffer of REQUEST_LOG_SIZE records; `logged` counts every record ever added. */
      const log: Array<RequestRecord> = []
      let logged = 0
      /** Answers waiting on a delay fault: run at once on close. */
      const delayed = new Map<NodeJS.Timeout, () => void>()
      /** Sockets of requests that hang: destroyed on close. */
      const hanging = new Set<Socket>()
      let closing: Promise<void> | undefined

      const countLogout = (operation: string | undefined, token: string | undefined): void => {
        if (operation === 'Logout' && token !== undefined) recordLogout(state, token)
      }

      const record = (r: RequestRecord): void => {
        log[logged % REQUEST_LOG_SIZE] = r
        logged += 1
      }

      const requests = (): ReadonlyArray<RequestRecord> =>
        logged <= REQUEST_LOG_SIZE
          ? [...log]
          : [...log.slice(logged % REQUEST_LOG_SIZE), ...log.slice(0, logged % REQUEST_LOG_SIZE)]

      const handle = (req: http.IncomingMessage, res: http.ServerResponse, body: string | undefined): void => {
        const { path, search, query } = parseTarget(req.url)
        const method = req.method ?? ''
        const token = bearerToken(req)
        if (isOidcPath(path)) {
          const at = now()
          record(
            Object.freeze({
              at,
              method: cut(scrub(method, token)),
              path: loggedPath(path, scrub, token),
              query: loggedQuery(search, scrub, token),
              operation: OIDC_ROUTES.find((r) => r.path === path && r.method === method)?.name,
              hasToken: token !== undefined && token !== '',
              fault: undefined
            })
          )
          const origin = req.headers.origin
          return write(
            res,
            handleOidc(oidc, { method, path, query, body, origin, host: req.headers.host, base, now: at }),
            closing !== undefined
          )
        }
        const operation = findOperation(method, path)?.name
        const taken = takeFault(queue, operation)
        if (taken !== undefined) queue = taken.rest
        const fault = taken?.fault
        record(
          Object.freeze({
            at: now(),
            method: cut(scrub(method, token)),
            path: loggedPath(path, scrub, token),
            query: loggedQuery(search, scrub, token),
            operation,
            hasToken: token !== undefined && token !== '',
            fault: fault === undefined ? undefined : faultKind(fault)
          })
        )
        const answer = (): RawResponse => serialize(route({ method, path, query, token, now: now() }, state))

        if (fault === undefined) return write(res, answer(), closing !== undefined)
        if ('status' in fault) {
          countLogout(operation, token)
          return write(res, statusResponse(fault), closing !== undefined)
        }
        if ('delayMs' in fault) {
          const fire = (): void => {
            delayed.delete(timer)
            write(res, answer(), closing !== undefined)
          }
          const timer = setTimeout(fire, fault.delayMs)
          delayed.set(timer, fire)
          return
        }
        if ('drop' in fault) {
          if (fault.drop === 'mid-body') return writeHalf(req.socket, answer())
          countLogout(operation, token)
          return reset(req.socket)
        }
        countLogout(operation, token)
        const socket = req.socket
        hanging.add(socket)
        socket.once('close', () => hanging.delete(socket))
      }

      const server = http.createServer((req, res) => {
        state.requests += 1
        req.on('error', () => undefined)
        res.on('error', () => undefined)
        // bodies are read only on the OIDC paths, up to MAX_BODY_BYTES (larger: `undefined`)
        const reading = isOidcPath(parseTarget(req.url).path)
        const chunks: Array<Buffer> = []
        let size = 0
        req.on('data', (c: Buffer) => {
          if (!reading) return
          size += c.length
          if (size <= MAX_BODY_BYTES) chunks.push(c)
        })
        req.on('end', () => handle(req, res, size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')))
      })
      server.keepAliveTimeout = 5000

      const onListenError = (e: NodeJS.ErrnoException): void => {
        server.close(() => undefined)
        resolve(E.left(emulatorError(`cannot listen on ${formatUrl(host, port)}: ${e.code ?? e.message}`)))
      }
      server.once('error', onListenError)

      const close = (): Promise<void> => {
        if (closing === undefined) {
          closing = new Promise<void>((done) => {
            const timer = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS)
            timer.unref()
            server.close(() => {
              clearTimeout(timer)
              done()
            })
            for (const [t, fire] of [...delayed]) {
              clearTimeout(t)
              fire()
            }
            for (const socket of [...hanging]) socket.destroy()
            server.closeIdleConnections()
          })
        }
        return closing
      }

      const inject = (faults: ReadonlyArray<Fault>): E.Either<EmulatorError, void> => {
        const checked = checkFaults(faults)
        if (E.isLeft(checked)) return checked
        queue = [...queue, ...checked.right]
        return E.right(undefined)
      }

      try {
        server.listen({ port, host }, () => {
          server.off('error', onListenError)
          server.on('error', () => undefined)
          const address = server.address() as AddressInfo
          base = formatUrl(host, address.port)
          resolve(
            E.right({
              url: base,
              close,
              isLoggedOut: (token) => state.tokens.get(token)?.loggedOut ?? false,
              logoutCount: (token) => logoutsOf(state, token),
              requestCount: () => state.requests,
              inject,
              clearFaults: () => {
                queue = []
              },
              pendingFaults: () => queue.length,
              requests,
              stats: () => ({
                requests: state.requests,
                seededTokens: state.tokens.size - oidc.issued.size,
                oidc: oidcStats(oidc),
                unknownTokens: state.unknownLogouts.size,
                logEntries: log.length,
                pendingFaults: queue.length,
                delayedAnswers: delayed.size,
                hangingConnections: hanging.size
              }),
              approve: (code) => decide(oidc, code, true, now()),
              deny: (code) => decide(oidc, code, false, now())
            })
          )
        })
      } catch (e) {
        server.off('error', onListenError)
        resolve(E.left(emulatorError(`cannot listen: ${e instanceof Error ? e.message : String(e)}`)))
      }
    })
