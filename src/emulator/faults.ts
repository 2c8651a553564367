/**
 * Fault injection for the SSO portal emulator: scripted misbehaviour for tests of retries,
 * timeouts and broken connections, on the real wire.
 *
 * A fault targets one operation (`operation: 'Logout'`, …) or any request (no `operation`,
 * or `'*'`). Faults wait in a queue, in order; each request takes the first fault that
 * targets it, and only that one; once no fault targets a request, the emulator behaves
 * normally. So `[{ status: 500 }, { status: 500 }]` answers two requests with 500, then the
 * third normally.
 *
 * | fault | the answer | does the operation run? |
 * |---|---|---|
 * | `{ status, body?, headers?, code?, message? }` | that status, in the portal's error shape | no |
 * | `{ delayMs }` | the normal answer, `delayMs` later | yes, after the delay |
 * | `{ drop: 'before-response' }` | the connection is reset (TCP RST); nothing is sent | no |
 * | `{ drop: 'mid-body' }` | the normal status line and headers, half the body, then the connection closes | yes |
 * | `{ hangs: true }` | nothing, ever (until `close()`) | no |
 *
 * A status fault's body is `body` verbatim if given; else, for a status of 400 or more, the
 * portal's error body `{"message":…,"__type":"com.amazonaws.switchboard.portal#<code>"}`
 * with the header `x-amzn-ErrorType`, where `code` defaults by status (429
 * `TooManyRequestsException`, 500 `InternalServerException`, …); else it is empty.
 * `headers` are added to (and may replace) the usual ones, except `content-length`,
 * `transfer-encoding` and `connection`.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as RA from 'fp-ts/lib/ReadonlyArray.js'
import { errorResponse } from './operations.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Which requests a fault applies to: an operation name (`'Logout'`, `'ListAccounts'`,
 * `'ListAccountRoles'`, `'GetRoleCredentials'`), or `'*'` (the default) for any request,
 * unknown paths included.
 *
 * @category model
 * @since 0.1.0
 */
export interface FaultTarget {
  readonly operation?: string
}

/**
 * Answer with this status instead of running the operation.
 *
 * @category model
 * @since 0.1.0
 */
export interface StatusFault extends FaultTarget {
  /** An HTTP status in 200..599. */
  readonly status: number
  /** The body, sent verbatim (no JSON encoding). */
  readonly body?: string
  /** Extra headers; they may replace `content-type` or `x-amzn-RequestId`. */
  readonly headers?: Readonly<Record<string, string>>
  /** The short error code put in `__type` and `x-amzn-ErrorType`, e.g. `TooManyRequestsException`. */
  readonly code?: string
  /** The `message` of the error body; a default per code otherwise. */
  readonly message?: string
}

/**
 * Answer normally, `delayMs` milliseconds late (the operation runs after the delay).
 *
 * @category model
 * @since 0.1.0
 */
export interface DelayFault extends FaultTarget {
  readonly delayMs: number
}

/**
 * Lose the connection: `before-response` resets it before anything is sent (the operation
 * does not run); `mid-body` sends the normal status line and headers and half the body, then
 * closes it (the operation runs). An empty body is announced as chunked and never finished.
 *
 * @category model
 * @since 0.1.0
 */
export interface DropFault extends FaultTarget {
  readonly drop: 'before-response' | 'mid-body'
}

/**
 * Never answer (the operation does not run); the client must time out. `close()` cuts the
 * connection.
 *
 * @category model
 * @since 0.1.0
 */
export interface HangFault extends FaultTarget {
  readonly hangs: true
}

/**
 * One scripted misbehaviour, used by one request.
 *
 * @category model
 * @since 0.1.0
 */
export type Fault = StatusFault | DelayFault | DropFault | HangFault

/**
 * The kind of a fault, as recorded in the emulator's request log.
 *
 * @category model
 * @since 0.1.0
 */
export type FaultKind = 'status' | 'delay' | 'drop' | 'hang'

/**
 * The wire form of a status fault: status, headers and the exact body.
 *
 * @category model
 * @since 0.1.0
 */
export interface RawResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * A throttling fault: 429 `TooManyRequestsException`, as the portal answers when its rate
 * limit is hit.
 *
 * @example
 * import { throttled } from 'fp-aws/emulator'
 *
 * assert.deepStrictEqual(throttled('Logout'), { operation: 'Logout', status: 429, code: 'TooManyRequestsException' })
 *
 * @category constructors
 * @since 0.1.0
 */
export const throttled = (operation = '*'): StatusFault => ({ operation, status: 429, code: 'TooManyRequestsException' })

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/**
 * The kind of a (valid) fault.
 *
 * @example
 * import { faultKind } from 'fp-aws/emulator'
 *
 * assert.strictEqual(faultKind({ status: 500 }), 'status')
 * assert.strictEqual(faultKind({ hangs: true }), 'hang')
 *
 * @category destructors
 * @since 0.1.0
 */
export const faultKind = (f: Fault): FaultKind =>
  'status' in f ? 'status' : 'delayMs' in f ? 'delay' : 'drop' in f ? 'drop' : 'hang'

const DEFAULT_CODES: Readonly<Record<number, string>> = {
  400: 'InvalidRequestException',
  401: 'UnauthorizedException',
  403: 'ForbiddenException',
  404: 'ResourceNotFoundException',
  429: 'TooManyRequestsException',
  500: 'InternalServerException',
  502: 'BadGatewayException',
  503: 'ServiceUnavailableException',
  504: 'GatewayTimeoutException'
}

const DEFAULT_MESSAGES: Readonly<Record<string, string>> = {
  InvalidRequestException: 'Invalid request',
  UnauthorizedException: 'Session token not found or invalid',
  ForbiddenException: 'No access',
  ResourceNotFoundException: 'Resource not found',
  TooManyRequestsException: 'Too many requests',
  InternalServerException: 'Internal server error',
  BadGatewayException: 'Bad gateway',
  ServiceUnavailableException: 'Service unavailable',
  GatewayTimeoutException: 'Gateway timeout'
}

/**
 * The response a status fault stands for (before the server adds `x-amzn-RequestId`,
 * `content-type` and `content-length`).
 *
 * @example
 * import { statusResponse } from 'fp-aws/emulator'
 *
 * const r = statusResponse({ status: 429 })
 * assert.strictEqual(r.body, '{"message":"Too many requests","__type":"com.amazonaws.switchboard.portal#TooManyRequestsException"}')
 * assert.strictEqual(statusResponse({ status: 503, body: '<html/>' }).body, '<html/>')
 *
 * @category destructors
 * @since 0.1.0
 */
export const statusResponse = (f: StatusFault): RawResponse => {
  const code = f.code ?? (f.status >= 400 ? (DEFAULT_CODES[f.status] ?? (f.status >= 500 ? 'InternalServerException' : 'InvalidRequestException')) : undefined)
  if (code === undefined) return { status: f.status, headers: { ...f.headers }, body: f.body ?? '' }
  const shaped = errorResponse(f.status, code, f.message ?? DEFAULT_MESSAGES[code] ?? code)
  return {
    status: f.status,
    headers: { ...shaped.headers, ...f.headers },
    body: f.body ?? JSON.stringify(shaped.body)
  }
}

// -------------------------------------------------------------------------------------
// validation
// -------------------------------------------------------------------------------------

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/
const RESERVED_HEADERS = ['content-length', 'transfer-encoding', 'connection']
const CODE = /^[A-Za-z][A-Za-z0-9_.]*$/
/** `setTimeout`'s largest delay. */
const MAX_DELAY_MS = 2_147_483_647

const KEYS: Readonly<Record<FaultKind, ReadonlyArray<string>>> = {
  status: ['operation', 'status', 'body', 'headers', 'code', 'message'],
  delay: ['operation', 'delayMs'],
  drop: ['operation', 'drop'],
  hang: ['operation', 'hangs']
}

const checkHeaders = (h: unknown): string | undefined => {
  if (h === undefined) return undefined
  if (typeof h !== 'object' || h === null || Array.isArray(h)) return 'headers must be an object of strings'
  for (const [k, v] of Object.entries(h)) {
    if (!TOKEN.test(k)) return 'a header name is not a valid HTTP token'
    if (RESERVED_HEADERS.includes(k.toLowerCase())) return `header ${k} cannot be set by a fault`
    if (typeof v !== 'string' || !FIELD_VALUE.test(v)) return `header ${k} must be a string without control characters`
  }
  return undefined
}

const checkOne = (u: unknown, operationNames: ReadonlyArray<string>): string | undefined => {
  if (typeof u !== 'object' || u === null || Array.isArray(u)) return 'not an object'
  const f = u as Record<string, unknown>
  const kinds = (['status', 'delayMs', 'drop', 'hangs'] as const).filter((k) => k in f)
  if (kinds.length !== 1) return 'needs exactly one of status, delayMs, drop, hangs'
  const op = f['operation']
  if (op !== undefined && op !== '*' && !(typeof op === 'string' && operationNames.includes(op))) {
    return `operation must be '*' or one of ${operationNames.join(', ')}`
  }
  const kind = faultKind(f as unknown as Fault)
  const extra = Object.keys(f).filter((k) => !KEYS[kind].includes(k))
  if (extra.length > 0) return `unexpected field${extra.length === 1 ? '' : 's'} ${extra.join(', ')} in a ${kind} fault`
  switch (kind) {
    case 'status': {
      const s = f['status']
      if (typeof s !== 'number' || !Number.isInteger(s) || s < 200 || s > 599) return 'status must be an integer in 200..599'
      if (f['body'] !== undefined && typeof f['body'] !== 'string') return 'body must be a string'
      if (f['message'] !== undefined && typeof f['message'] !== 'string') return 'message must be a string'
      const c = f['code']
      if (c !== undefined && !(typeof c === 'string' && CODE.test(c))) return 'code must be a short error code, e.g. TooManyRequestsException'
      return checkHeaders(f['headers'])
    }
    case 'delay': {
      const d = f['delayMs']
      return typeof d === 'number' && Number.isFinite(d) && d >= 0 && d <= MAX_DELAY_MS
        ? undefined
        : `delayMs must be a number in 0..${MAX_DELAY_MS}`
    }
    case 'drop':
      return f['drop'] === 'before-response' || f['drop'] === 'mid-body'
        ? undefined
        : "drop must be 'before-response' or 'mid-body'"
    case 'hang':
      return f['hangs'] === true ? undefined : 'hangs must be true'
  }
}

/**
 * Checks faults before they are queued, against the names of the operations they may
 * target. `Left` names the first bad fault (counting from 1) and what is wrong with it;
 * `Right` holds frozen copies.
 *
 * @example
 * import { validateFaults } from 'fp-aws/emulator'
 *
 * assert.strictEqual(validateFaults([{ status: 500 }, { delayMs: 10, operation: 'Logout' }], ['Logout'])._tag, 'Right')
 * assert.deepStrictEqual(validateFaults([{ status: 99 }], ['Logout']), {
 *   _tag: 'Left',
 *   left: 'fault #1: status must be an integer in 200..599'
 * })
 *
 * @category validation
 * @since 0.1.0
 */
export const validateFaults = (
  faults: ReadonlyArray<Fault>,
  operationNames: ReadonlyArray<string>
): E.Either<string, ReadonlyArray<Fault>> => {
  try {
    if (!Array.isArray(faults)) return E.left('faults must be an array')
    if (!Array.isArray(operationNames)) return E.left('the operation names must be an array')
    return checkAll([...(faults as ReadonlyArray<unknown>)], operationNames)
  } catch {
    return E.left('the faults cannot be read')
  }
}

const checkAll = (faults: ReadonlyArray<unknown>, operationNames: ReadonlyArray<string>): E.Either<string, ReadonlyArray<Fault>> =>
  pipe(
    faults as ReadonlyArray<unknown>,
    RA.traverseWithIndex(E.Applicative)((i, u) => {
      const problem = checkOne(u, operationNames)
      if (problem !== undefined) return E.left(`fault #${i + 1}: ${problem}`)
      const f = u as Fault
      return E.right(
        Object.freeze(
          'status' in f && f.headers !== undefined ? { ...f, headers: Object.freeze({ ...f.headers }) } : { ...f }
        ) as Fault
      )
    })
  )

// -------------------------------------------------------------------------------------
// queue
// -------------------------------------------------------------------------------------

/**
 * Whether a fault applies to a request for `operation` (`undefined`: an unknown path or a
 * wrong method, which only `'*'` faults target).
 *
 * @category queue
 * @since 0.1.0
 */
export const targets = (f: Fault, operation: string | undefined): boolean =>
  f.operation === undefined || f.operation === '*' || f.operation === operation

/**
 * Takes the first fault in `queue` that targets `operation`: the fault and the queue
 * without it, or `undefined` when none does.
 *
 * @example
 * import { takeFault } from 'fp-aws/emulator'
 *
 * const taken = takeFault([{ operation: 'ListAccounts', status: 500 }, { status: 429 }], 'Logout')
 * assert.deepStrictEqual(taken, { fault: { status: 429 }, rest: [{ operation: 'ListAccounts', status: 500 }] })
 *
 * @category queue
 * @since 0.1.0
 */
export const takeFault = (
  queue: ReadonlyArray<Fault>,
  operation: string | undefined
): { readonly fault: Fault; readonly rest: ReadonlyArray<Fault> } | undefined => {
  const i = queue.findIndex((f) => targets(f, operation))
  const fault = queue[i]
  return fault === undefined ? undefined : { fault, rest: [...queue.slice(0, i), ...queue.slice(i + 1)] }
}
