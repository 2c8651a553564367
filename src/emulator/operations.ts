/**
 * The pure core of the SSO portal emulator: the emulator's state, the wire-level request and
 * response it deals in, and one handler per operation of the SSO portal API
 * (`SWBPortalService`, 2019-06-10, restJson1). No sockets here: `index.ts` owns the server
 * and calls {@link route}. To add an operation, add a handler and a row to {@link operations}.
 *
 * Order of checks, for every operation: routing (404 / 405), then the bearer token (401),
 * then the input (400, all validation errors at once, Coral style), then access (403).
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { createHash, randomBytes } from 'node:crypto'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * An AWS account assigned to a token, with the roles the token may assume in it.
 *
 * @category model
 * @since 0.1.0
 */
export interface AccountSeed {
  readonly accountId: string
  readonly accountName: string
  readonly emailAddress: string
  readonly roles: ReadonlyArray<string>
}

/**
 * What a seeded access token can see.
 *
 * @category model
 * @since 0.1.0
 */
export interface TokenSeed {
  readonly accounts?: ReadonlyArray<AccountSeed>
}

/**
 * The emulator's view of one seeded token.
 *
 * @category model
 * @since 0.1.0
 */
export interface TokenState {
  readonly accounts: ReadonlyArray<AccountSeed>
  loggedOut: boolean
  /** When the token stops working, epoch milliseconds (tokens a login issued; since 0.2.0). */
  readonly expiresAt?: number
  /**
   * The login that issued the token (since 0.2.0): `Logout` ends it, which kills every
   * access token and refresh token of that login.
   */
  readonly session?: { ended: boolean }
}

/**
 * The emulator's mutable state. Tokens are kept in memory only and are never logged.
 *
 * @category model
 * @since 0.1.0
 */
export interface EmulatorState {
  /** Seeded tokens. */
  readonly tokens: Map<string, TokenState>
  /** `POST /logout` requests per seeded token, whatever the outcome. */
  readonly logouts: Map<string, number>
  /**
   * `POST /logout` requests per token never seeded, by SHA-256 digest of the token (the
   * token itself is not kept), for the last {@link MAX_UNKNOWN_TOKENS} distinct ones: the
   * oldest is forgotten first, so hostile traffic cannot grow it (since 0.2.0).
   */
  readonly unknownLogouts: Map<string, number>
  /** Every HTTP request received. */
  requests: number
}

/**
 * A request as the emulator sees it once the server has parsed it.
 *
 * @category model
 * @since 0.1.0
 */
export interface EmulatorRequest {
  readonly method: string
  /** The path without the query string. */
  readonly path: string
  readonly query: URLSearchParams
  /** The `x-amz-sso_bearer_token` header, if any. */
  readonly token: string | undefined
  /** Current time, epoch milliseconds. */
  readonly now: number
}

/**
 * A response before the server adds `x-amzn-RequestId`, `content-type` and `content-length`.
 *
 * @category model
 * @since 0.1.0
 */
export interface EmulatorResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  /** A JSON value to serialize, or `undefined` for an empty body. */
  readonly body: unknown
}

/**
 * One operation: where it lives on the wire and what it does.
 *
 * @category model
 * @since 0.1.0
 */
export interface Operation {
  readonly name: string
  readonly method: string
  readonly path: string
  readonly handle: (req: EmulatorRequest, state: EmulatorState) => EmulatorResponse
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * Builds a fresh state from seeds. Seeds are copied, so later changes to them do not leak in.
 *
 * @example
 * import { makeState } from 'fp-aws/emulator/operations'
 *
 * const state = makeState({ t: {} })
 * assert.strictEqual(state.tokens.get('t')?.loggedOut, false)
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeState = (tokens: Readonly<Record<string, TokenSeed>>): EmulatorState => {
  if (typeof tokens !== 'object' || tokens === null) tokens = {}
  const map = new Map<string, TokenState>()
  for (const [token, seed] of Object.entries(tokens)) {
    const accounts = (seed.accounts ?? []).map((a) =>
      Object.freeze({
        accountId: a.accountId,
        accountName: a.accountName,
        emailAddress: a.emailAddress,
        roles: Object.freeze([...a.roles])
      })
    )
    map.set(token, { accounts: Object.freeze(accounts), loggedOut: false })
  }
  return { tokens: map, logouts: new Map(), unknownLogouts: new Map(), requests: 0 }
}

// -------------------------------------------------------------------------------------
// logout counts
// -------------------------------------------------------------------------------------

/**
 * How many distinct tokens never seeded the emulator counts logouts for: 10,000. Past
 * that, the one least recently counted is forgotten (its count reads 0 again).
 *
 * @category logout counts
 * @since 0.2.0
 */
export const MAX_UNKNOWN_TOKENS = 10_000

/** Whether a value is an emulator state (its three maps), read without throwing. */
const isState = (u: unknown): u is EmulatorState => {
  try {
    const st = u as Partial<EmulatorState> | null | undefined
    return typeof st === 'object' && st !== null && st.tokens instanceof Map && st.logouts instanceof Map && st.unknownLogouts instanceof Map
  } catch {
    return false
  }
}

const digest = (token: string): string => createHash('sha256').update(token, 'utf8').digest('base64')

/**
 * Counts one `POST /logout` carrying `token`: in {@link EmulatorState.logouts} for a seeded
 * token, else in the bounded {@link EmulatorState.unknownLogouts} (by digest).
 *
 * @example
 * import { logoutsOf, makeState, recordLogout } from 'fp-aws/emulator/operations'
 *
 * const state = makeState({ t: {} })
 * recordLogout(state, 't')
 * recordLogout(state, 'never-seeded')
 * assert.strictEqual(logoutsOf(state, 't'), 1)
 * assert.strictEqual(logoutsOf(state, 'never-seeded'), 1)
 * assert.strictEqual(state.unknownLogouts.has('never-seeded'), false)
 *
 * @category logout counts
 * @since 0.2.0
 */
export const recordLogout = (state: EmulatorState, token: string): void => {
  if (typeof token !== 'string' || !isState(state)) return
  if (state.tokens.has(token)) {
    state.logouts.set(token, (state.logouts.get(token) ?? 0) + 1)
    return
  }
  const key = digest(token)
  const count = (state.unknownLogouts.get(key) ?? 0) + 1
  // delete, then set: the key moves to the end, so the first key is the least recently counted
  state.unknownLogouts.delete(key)
  state.unknownLogouts.set(key, count)
  while (state.unknownLogouts.size > MAX_UNKNOWN_TOKENS) {
    const oldest = state.unknownLogouts.keys().next()
    if (oldest.done === true) break
    state.unknownLogouts.delete(oldest.value)
  }
}

/**
 * How many `POST /logout` requests carried `token` (for a token never seeded: 0 once it is
 * forgotten, see {@link MAX_UNKNOWN_TOKENS}).
 *
 * @category logout counts
 * @since 0.2.0
 */
export const logoutsOf = (state: EmulatorState, token: string): number =>
  typeof token !== 'string' || !isState(state)
    ? 0
    : state.tokens.has(token)
      ? (state.logouts.get(token) ?? 0)
      : (state.unknownLogouts.get(digest(token)) ?? 0)

/** The service namespace the portal reports in `__type`. */
const NAMESPACE = 'com.amazonaws.switchboard.portal'

/**
 * An error response in the portal's restJson1 shape: body `{"message","__type"}` (in that
 * order) and an `x-amzn-ErrorType` header.
 *
 * @example
 * import { errorResponse } from 'fp-aws/emulator/operations'
 *
 * const r = errorResponse(403, 'ForbiddenException', 'No access')
 * assert.deepStrictEqual(r.body, { message: 'No access', __type: 'com.amazonaws.switchboard.portal#ForbiddenException' })
 *
 * @category constructors
 * @since 0.1.0
 */
export const errorResponse = (
  status: number,
  code: string,
  message: string,
  namespace: string = NAMESPACE,
  headers: Readonly<Record<string, string>> = {}
): EmulatorResponse => {
  const text = (u: unknown, fallback: string): string => (typeof u === 'string' ? u : fallback)
  const c = text(code, 'InternalServerException')
  const ns = text(namespace, NAMESPACE)
  let extra: Readonly<Record<string, string>> = {}
  try {
    extra = typeof headers === 'object' && headers !== null ? { ...headers } : {}
  } catch {
    extra = {}
  }
  return {
    status: typeof status === 'number' && Number.isInteger(status) ? status : 500,
    headers: { ...extra, 'x-amzn-ErrorType': `${c}:http://internal.amazon.com/coral/${ns}/` },
    body: { message: text(message, c), __type: `${ns}#${c}` }
  }
}

const ok = (body: unknown): EmulatorResponse => ({ status: 200, headers: {}, body })

const unauthorized = (): EmulatorResponse =>
  errorResponse(401, 'UnauthorizedException', 'Session token not found or invalid')

const forbidden = (): EmulatorResponse => errorResponse(403, 'ForbiddenException', 'No access')

const invalidRequest = (message: string): EmulatorResponse => errorResponse(400, 'InvalidRequestException', message)

// -------------------------------------------------------------------------------------
// input
// -------------------------------------------------------------------------------------

/** The default page size when `max_result` is absent (what the real service appears to use). */
const DEFAULT_PAGE_SIZE = 20

/** A value and the Coral-style validation errors found so far. */
type Checked<A> = { readonly value: A; readonly errors: ReadonlyArray<string> }

const validationMessage = (errors: ReadonlyArray<string>): string =>
  `${errors.length} validation error${errors.length === 1 ? '' : 's'} detected: ${errors.join('; ')}`

const queryValue = (query: URLSearchParams, name: string): string | undefined => {
  const v = query.get(name)
  return v === null || v === '' ? undefined : v
}

const required = (query: URLSearchParams, name: string, member: string): Checked<string> => {
  const v = queryValue(query, name)
  return v === undefined
    ? { value: '', errors: [`Value null at '${member}' failed to satisfy constraint: Member must not be null`] }
    : { value: v, errors: [] }
}

const pageSize = (query: URLSearchParams): Checked<number> => {
  const raw = queryValue(query, 'max_result')
  if (raw === undefined) return { value: DEFAULT_PAGE_SIZE, errors: [] }
  if (!/^-?\d+$/.test(raw)) {
    return { value: 0, errors: [`Value at 'maxResults' failed to satisfy constraint: Member must be an integer`] }
  }
  const n = Number(raw)
  const shown = raw.length <= 12 ? `Value '${n}'` : 'Value'
  if (n < 1) {
    return {
      value: 0,
      errors: [`${shown} at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1`]
    }
  }
  if (n > 100) {
    return {
      value: 0,
      errors: [`${shown} at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100`]
    }
  }
  return { value: n, errors: [] }
}

/**
 * Encodes a page token: base64url of `{ o: offset, q: scope, s: salt }`. The salt makes
 * tokens opaque and unpredictable; the scope ties a token to the listing that issued it.
 *
 * @category paging
 * @since 0.1.0
 */
export const encodePageToken = (offset: number, scope: string): string =>
  Buffer.from(JSON.stringify({ o: offset, q: scope, s: randomBytes(9).toString('base64url') }), 'utf8').toString(
    'base64url'
  )

/**
 * Decodes a page token issued by {@link encodePageToken} for `scope`; `Left` on anything else.
 *
 * @example
 * import { decodePageToken, encodePageToken } from 'fp-aws/emulator/operations'
 *
 * assert.deepStrictEqual(decodePageToken(encodePageToken(3, 'ListAccounts'), 'ListAccounts'), { _tag: 'Right', right: 3 })
 * assert.strictEqual(decodePageToken('garbage', 'ListAccounts')._tag, 'Left')
 *
 * @category paging
 * @since 0.1.0
 */
export const decodePageToken = (token: string, scope: string): E.Either<string, number> =>
  pipe(
    E.tryCatch(
      () => JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown,
      () => 'The nextToken is invalid'
    ),
    E.chain((u) => {
      if (typeof u !== 'object' || u === null) return E.left('The nextToken is invalid')
      const o = (u as Record<string, unknown>)['o']
      const q = (u as Record<string, unknown>)['q']
      return typeof o === 'number' && Number.isSafeInteger(o) && o >= 0 && q === scope
        ? E.right(o)
        : E.left('The nextToken is invalid')
    })
  )

/**
 * One page of `items` and the token for the next, if there is one.
 */
const paginate = <A>(
  items: ReadonlyArray<A>,
  query: URLSearchParams,
  size: number,
  scope: string
): E.Either<EmulatorResponse, { readonly page: ReadonlyArray<A>; readonly nextToken: string | undefined }> => {
  const raw = queryValue(query, 'next_token')
  return pipe(
    raw === undefined ? E.right(0) : decodePageToken(raw, scope),
    E.mapLeft(invalidRequest),
    E.map((offset) => {
      const end = offset + size
      return { page: items.slice(offset, end), nextToken: end < items.length ? encodePageToken(end, scope) : undefined }
    })
  )
}

// -------------------------------------------------------------------------------------
// handlers
// -------------------------------------------------------------------------------------

/**
 * The token state of a live (seeded, not logged out) bearer token, else a 401.
 */
const authenticate = (req: EmulatorRequest, state: EmulatorState): E.Either<EmulatorResponse, TokenState> => {
  const t = req.token === undefined ? undefined : state.tokens.get(req.token)
  return t === undefined || t.loggedOut || t.session?.ended === true || (t.expiresAt !== undefined && req.now >= t.expiresAt)
    ? E.left(unauthorized())
    : E.right(t)
}

const validated = <A>(checked: Checked<A>): E.Either<EmulatorResponse, A> =>
  checked.errors.length === 0 ? E.right(checked.value) : E.left(invalidRequest(validationMessage(checked.errors)))

const combine = <A, B>(a: Checked<A>, b: Checked<B>): Checked<readonly [A, B]> => ({
  value: [a.value, b.value],
  errors: [...a.errors, ...b.errors]
})

const assigned = (t: TokenState, accountId: string): E.Either<EmulatorResponse, AccountSeed> => {
  const account = t.accounts.find((a) => a.accountId === accountId)
  return account === undefined ? E.left(forbidden()) : E.right(account)
}

const merge = E.getOrElse((r: EmulatorResponse) => r)

/** `POST /logout`: 200 with an empty body, once per token; 401 afterwards. */
const logout: Operation['handle'] = (req, state) => {
  if (req.token !== undefined) recordLogout(state, req.token)
  return pipe(
    authenticate(req, state),
    E.map((t) => {
      t.loggedOut = true
      if (t.session !== undefined) t.session.ended = true
      return { status: 200, headers: {}, body: undefined }
    }),
    merge
  )
}

/** `GET /assignment/accounts`: `{ accountList, nextToken? }`. */
const listAccounts: Operation['handle'] = (req, state) =>
  pipe(
    authenticate(req, state),
    E.chain((t) =>
      pipe(
        validated(pageSize(req.query)),
        E.chain((size) => paginate(t.accounts, req.query, size, 'ListAccounts'))
      )
    ),
    E.map(({ page, nextToken }) =>
      ok({
        accountList: page.map((a) => ({ accountId: a.accountId, accountName: a.accountName, emailAddress: a.emailAddress })),
        ...(nextToken === undefined ? {} : { nextToken })
      })
    ),
    merge
  )

/** `GET /assignment/roles`: `{ roleList, nextToken? }`; 403 for an account not assigned. */
const listAccountRoles: Operation['handle'] = (req, state) =>
  pipe(
    authenticate(req, state),
    E.chain((t) =>
      pipe(
        validated(combine(pageSize(req.query), required(req.query, 'account_id', 'accountId'))),
        E.chain(([size, accountId]) =>
          pipe(
            assigned(t, accountId),
            E.chain((account) =>
              paginate(account.roles, req.query, size, `ListAccountRoles:${account.accountId}`)
            ),
            E.map(({ page, nextToken }) =>
              ok({
                roleList: page.map((roleName) => ({ roleName, accountId })),
                ...(nextToken === undefined ? {} : { nextToken })
              })
            )
          )
        )
      )
    ),
    merge
  )

const ALNUM_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

const accessKeyId = (): string =>
  'ASIA' +
  Array.from(randomBytes(16), (b) => ALNUM_UPPER[b % ALNUM_UPPER.length] ?? 'A').join('')

/** How long role credentials last. */
const CREDENTIALS_TTL_MS = 60 * 60 * 1000

/** `GET /federation/credentials`: `{ roleCredentials }`, expiring in 1 h (epoch ms); 403 for a role not assigned. */
const getRoleCredentials: Operation['handle'] = (req, state) =>
  pipe(
    authenticate(req, state),
    E.chain((t) =>
      pipe(
        validated(
          combine(required(req.query, 'role_name', 'roleName'), required(req.query, 'account_id', 'accountId'))
        ),
        E.chain(([roleName, accountId]) =>
          pipe(
            assigned(t, accountId),
            E.chain((account) => (account.roles.includes(roleName) ? E.right(account) : E.left(forbidden())))
          )
        )
      )
    ),
    E.map(() =>
      ok({
        roleCredentials: {
          accessKeyId: accessKeyId(),
          secretAccessKey: randomBytes(30).toString('base64'),
          sessionToken: randomBytes(192).toString('base64'),
          expiration: req.now + CREDENTIALS_TTL_MS
        }
      })
    ),
    merge
  )

/**
 * Every operation of the SSO portal API.
 *
 * @example
 * import { operations } from 'fp-aws/emulator/operations'
 *
 * assert.deepStrictEqual(
 *   operations.map((o) => o.name),
 *   ['GetRoleCredentials', 'ListAccountRoles', 'ListAccounts', 'Logout']
 * )
 *
 * @category operations
 * @since 0.1.0
 */
export const operations: ReadonlyArray<Operation> = [
  { name: 'GetRoleCredentials', method: 'GET', path: '/federation/credentials', handle: getRoleCredentials },
  { name: 'ListAccountRoles', method: 'GET', path: '/assignment/roles', handle: listAccountRoles },
  { name: 'ListAccounts', method: 'GET', path: '/assignment/accounts', handle: listAccounts },
  { name: 'Logout', method: 'POST', path: '/logout', handle: logout }
]

/**
 * The operation a request addresses, by method and path (`undefined` for an unknown path or
 * a wrong method).
 *
 * @example
 * import { findOperation } from 'fp-aws/emulator/operations'
 *
 * assert.strictEqual(findOperation('POST', '/logout')?.name, 'Logout')
 * assert.strictEqual(findOperation('GET', '/logout'), undefined)
 *
 * @category operations
 * @since 0.1.0
 */
export const findOperation = (
  method: string,
  path: string,
  table: ReadonlyArray<Operation> = operations
): Operation | undefined => {
  try {
    return Array.isArray(table) ? table.find((o) => o.path === path && o.method === method) : undefined
  } catch {
    return undefined
  }
}

const CORAL = 'com.amazon.coral.service'

/**
 * Dispatches a request. An unknown path is a 404 `UnknownOperationException`; a known path
 * with the wrong method is a 405 `UnknownOperationException` with an `Allow` header (both in
 * the generic `com.amazon.coral.service` namespace). Never throws: a handler that does
 * yields a 500 `InternalServerException`.
 *
 * @example
 * import { makeState, route } from 'fp-aws/emulator/operations'
 *
 * const state = makeState({ t: {} })
 * const r = route({ method: 'POST', path: '/logout', query: new URLSearchParams(), token: 't', now: Date.now() }, state)
 * assert.strictEqual(r.status, 200)
 * assert.strictEqual(state.tokens.get('t')?.loggedOut, true)
 *
 * @category operations
 * @since 0.1.0
 */
export const route = (
  req: EmulatorRequest,
  state: EmulatorState,
  table: ReadonlyArray<Operation> = operations
): EmulatorResponse => {
  try {
    return dispatch(req, state, table)
  } catch {
    return errorResponse(500, 'InternalServerException', 'Internal server error', CORAL)
  }
}

const dispatch = (req: EmulatorRequest, state: EmulatorState, table: ReadonlyArray<Operation>): EmulatorResponse => {
  const atPath = table.filter((o) => o.path === req.path)
  if (atPath.length === 0) return errorResponse(404, 'UnknownOperationException', 'Unknown operation', CORAL)
  const op = atPath.find((o) => o.method === req.method)
  if (op === undefined) {
    return errorResponse(405, 'UnknownOperationException', 'Method not allowed', CORAL, {
      Allow: atPath.map((o) => o.method).join(', ')
    })
  }
  try {
    return op.handle(req, state)
  } catch {
    return errorResponse(500, 'InternalServerException', 'Internal server error', CORAL)
  }
}
