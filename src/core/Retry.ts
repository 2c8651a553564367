/**
 * The AWS SDK "standard" retry mode, as pure functions: error classification, full-jitter
 * exponential backoff, the retry quota (a token bucket shared by the calls of one `Env`) and
 * the `retry-after` / `x-amz-retry-after` hints. Nothing here reads a clock, draws a random
 * number or sleeps: the caller passes `random` and `nowMs` in and does the waiting itself.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { readOptions } from './Args.js'
import type { AWSError } from './Error.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * How an error bears on retrying: `throttling` and `transient` errors are retried (at
 * different prices), `final` ones never are.
 *
 * @category model
 * @since 0.1.0
 */
export type RetryClass = 'throttling' | 'transient' | 'final'

/**
 * The knobs of the standard retry mode. Build one with {@link validatePolicy}.
 *
 * @category model
 * @since 0.1.0
 */
export interface RetryPolicy {
  /** Total attempts, the first one included: `1` means no retry. An integer `>= 1`. */
  readonly maxAttempts: number
  /** Backoff base for transient errors, in ms. */
  readonly baseDelayMs: number
  /** Backoff base for throttling errors, in ms. */
  readonly throttlingBaseDelayMs: number
  /** No delay (backoff or `retry-after`) ever exceeds this, in ms. */
  readonly maxBackoffMs: number
  /** Size of the retry quota (token bucket). */
  readonly quotaCapacity: number
  /** Tokens a retry after a throttling error takes from the quota. */
  readonly throttlingCost: number
  /** Tokens a retry after a transient error takes from the quota. */
  readonly transientCost: number
  /** Tokens a success that needed no retry gives back to the quota. */
  readonly noRetryIncrement: number
}

/**
 * The current state of a retry quota: `0 <= available <= capacity`.
 *
 * @category model
 * @since 0.1.0
 */
export interface RetryQuota {
  readonly available: number
  readonly capacity: number
}

/**
 * The one mutable cell of the retry machinery: the quota shared by all the calls of one
 * `Env`. Everything else in this module is pure.
 *
 * @category model
 * @since 0.1.0
 */
export interface QuotaRef {
  readonly get: () => RetryQuota
  readonly set: (q: RetryQuota) => void
}

/**
 * What to do after a failed attempt: wait `delayMs` then retry (the quota, once paid `cost`,
 * is `quota`), or stop and surface the error.
 *
 * @category model
 * @since 0.1.0
 */
export type Decision =
  | { readonly _tag: 'Retry'; readonly delayMs: number; readonly cost: number; readonly quota: RetryQuota }
  | { readonly _tag: 'Stop'; readonly reason: 'final' | 'max-attempts' | 'quota-exhausted' }

// -------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------

/**
 * The standard mode's defaults: 3 attempts, 100 ms base (500 ms when throttled), 20 s cap,
 * a quota of 500 tokens, 5 per throttling retry, 10 per transient retry, 1 back per
 * first-try success.
 *
 * @example
 * import { defaultRetryPolicy } from 'fp-aws/core/Retry'
 *
 * assert.strictEqual(defaultRetryPolicy.maxAttempts, 3)
 * assert.strictEqual(defaultRetryPolicy.quotaCapacity, 500)
 *
 * @category constants
 * @since 0.1.0
 */
export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 100,
  throttlingBaseDelayMs: 500,
  maxBackoffMs: 20_000,
  quotaCapacity: 500,
  throttlingCost: 5,
  transientCost: 10,
  noRetryIncrement: 1
}

/**
 * Service error codes that mean "slow down": retried as throttling whatever the status.
 *
 * @category constants
 * @since 0.1.0
 */
export const throttlingErrorCodes: ReadonlyArray<string> = [
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'RequestThrottled',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException'
]

/**
 * Service error codes that mean "try again": retried as transient whatever the status
 * (S3 answers `RequestTimeout` with a 400, for instance).
 *
 * @category constants
 * @since 0.1.0
 */
export const transientErrorCodes: ReadonlyArray<string> = [
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'InternalError',
  'InternalFailure',
  'InternalServerError',
  'InternalServerException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'IDPCommunicationError'
]

const throttlingCodes: ReadonlySet<string> = new Set(throttlingErrorCodes)
const transientCodes: ReadonlySet<string> = new Set(transientErrorCodes)
const transientStatuses: ReadonlySet<number> = new Set([500, 502, 503, 504])

// -------------------------------------------------------------------------------------
// classification
// -------------------------------------------------------------------------------------

/**
 * Sorts an error into `throttling` (status 429 or a throttling code), `transient` (status
 * 500/502/503/504, a transient code, or a refused/reset/timed-out connection) or `final`
 * (everything else: other 4xx, bad input, unreadable output, endpoint errors, cancellation,
 * the total timeout, redirects, oversized bodies, DNS failures).
 *
 * @example
 * import { classify } from 'fp-aws/core/Retry'
 * import { transportError, validationError } from 'fp-aws/core/Error'
 *
 * assert.strictEqual(classify(transportError('ConnectionReset', 'socket hang up')), 'transient')
 * assert.strictEqual(classify(transportError('Aborted', 'cancelled')), 'final')
 * assert.strictEqual(classify(validationError('Logout', 'accessToken', 'empty')), 'final')
 *
 * @category classification
 * @since 0.1.0
 */
export const classify = (e: AWSError): RetryClass => {
  switch (e._tag) {
    case 'ServiceError':
      if (e.status === 429 || throttlingCodes.has(e.code)) return 'throttling'
      if (transientStatuses.has(e.status) || transientCodes.has(e.code)) return 'transient'
      return 'final'
    case 'TransportError':
      switch (e.reason) {
        case 'ConnectionRefused':
        case 'ConnectionReset':
        case 'Timeout':
          return 'transient'
        default:
          return 'final'
      }
    default:
      return 'final'
  }
}

// -------------------------------------------------------------------------------------
// quota
// -------------------------------------------------------------------------------------

const sanitizeCapacity = (capacity: number): number =>
  typeof capacity === 'number' && Number.isFinite(capacity) && capacity >= 0 ? capacity : 0

const clampQuota = (available: number, capacity: number): RetryQuota => ({
  available: available >= 0 ? Math.min(available, capacity) : 0,
  capacity
})

/**
 * A full retry quota. A negative or `NaN` capacity gives an empty one.
 *
 * @example
 * import { newRetryQuota } from 'fp-aws/core/Retry'
 *
 * assert.deepStrictEqual(newRetryQuota(500), { available: 500, capacity: 500 })
 *
 * @category constructors
 * @since 0.1.0
 */
export const newRetryQuota = (capacity: number): RetryQuota => {
  const c = sanitizeCapacity(capacity)
  return { available: c, capacity: c }
}

/**
 * A fresh mutable cell holding a full retry quota, to be shared by the calls of one `Env`.
 *
 * @example
 * import { newQuotaRef } from 'fp-aws/core/Retry'
 *
 * const ref = newQuotaRef(500)
 * ref.set({ available: 490, capacity: 500 })
 * assert.strictEqual(ref.get().available, 490)
 *
 * @category constructors
 * @since 0.1.0
 */
export const newQuotaRef = (capacity: number): QuotaRef => {
  let current = newRetryQuota(capacity)
  return {
    get: () => current,
    set: (q) => {
      current = q
    }
  }
}

/**
 * The quota after a successful attempt: the cost of the retry that led to it is refunded,
 * or, when it succeeded at the first try, `noRetryIncrement` is added; never above capacity.
 *
 * @example
 * import { defaultRetryPolicy, onSuccess } from 'fp-aws/core/Retry'
 *
 * const q = { available: 480, capacity: 500 }
 * assert.strictEqual(onSuccess(defaultRetryPolicy, q, 10).available, 490)
 * assert.strictEqual(onSuccess(defaultRetryPolicy, q, undefined).available, 481)
 * assert.strictEqual(onSuccess(defaultRetryPolicy, { available: 500, capacity: 500 }, undefined).available, 500)
 *
 * @category quota
 * @since 0.1.0
 */
export const onSuccess = (policy: RetryPolicy, quota: RetryQuota, lastRetryCost: number | undefined): RetryQuota => {
  const refund = lastRetryCost === undefined ? policy.noRetryIncrement : lastRetryCost
  return clampQuota(quota.available + (refund > 0 ? refund : 0), quota.capacity)
}

// -------------------------------------------------------------------------------------
// retry-after
// -------------------------------------------------------------------------------------

const DIGITS = /^\d+$/

const MONTHS: ReadonlyArray<string> = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const MONTH = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)'
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})'
/** `Sun, 06 Nov 1994 08:49:37 GMT` */
const IMF_FIXDATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`)
/** `Sunday, 06-Nov-94 08:49:37 GMT` */
const RFC850_DATE = new RegExp(
  `^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`
)
/** `Sun Nov  6 08:49:37 1994` */
const ASCTIME_DATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${MONTH} ( \\d|\\d{2}) ${TIME} (\\d{4})$`)

const toEpochMs = (
  year: number,
  month: string | undefined,
  day: number,
  hour: number,
  minute: number,
  second: number
): number | undefined => {
  const m = month === undefined ? -1 : MONTHS.indexOf(month)
  if (m < 0 || hour > 23 || minute > 59 || second > 60) return undefined
  const ms = Date.UTC(year, m, day, hour, minute, second)
  if (!Number.isFinite(ms)) return undefined
  // rejects 31 Feb and the like, and years Date.UTC would reinterpret (0..99)
  const d = new Date(ms)
  return d.getUTCFullYear() === year && d.getUTCMonth() === m && d.getUTCDate() === day ? ms : undefined
}

/** Parses the three HTTP-date formats of RFC 9110 §5.6.7, strictly; `undefined` otherwise. */
const parseHttpDate = (s: string): number | undefined => {
  const imf = IMF_FIXDATE.exec(s)
  if (imf !== null) {
    return toEpochMs(Number(imf[3]), imf[2], Number(imf[1]), Number(imf[4]), Number(imf[5]), Number(imf[6]))
  }
  const rfc850 = RFC850_DATE.exec(s)
  if (rfc850 !== null) {
    const yy = Number(rfc850[3])
    return toEpochMs(
      yy < 70 ? 2000 + yy : 1900 + yy,
      rfc850[2],
      Number(rfc850[1]),
      Number(rfc850[4]),
      Number(rfc850[5]),
      Number(rfc850[6])
    )
  }
  const asc = ASCTIME_DATE.exec(s)
  if (asc !== null) {
    return toEpochMs(Number(asc[6]), asc[1], Number(asc[2]), Number(asc[3]), Number(asc[4]), Number(asc[5]))
  }
  return undefined
}

const header = (headers: Readonly<Record<string, string>>, name: string): string | undefined => {
  const exact: unknown = Object.prototype.hasOwnProperty.call(headers, name) ? headers[name] : undefined
  if (typeof exact === 'string') return exact
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === name) {
      const v: unknown = headers[key]
      if (typeof v === 'string') return v
    }
  }
  return undefined
}

const parseXAmzRetryAfter = (raw: string | undefined): number | undefined => {
  if (raw === undefined) return undefined
  const s = raw.trim()
  if (!DIGITS.test(s)) return undefined
  const ms = Number(s)
  return Number.isFinite(ms) ? ms : undefined
}

const parseRetryAfter = (raw: string | undefined, nowMs: number): number | undefined => {
  if (raw === undefined) return undefined
  const s = raw.trim()
  if (DIGITS.test(s)) {
    const ms = Number(s) * 1000
    return Number.isFinite(ms) ? ms : undefined
  }
  if (!Number.isFinite(nowMs)) return undefined
  const at = parseHttpDate(s)
  if (at === undefined) return undefined
  const ms = at - nowMs
  return ms >= 0 ? ms : undefined
}

/**
 * The server's own wait hint, in ms: `x-amz-retry-after` (milliseconds) if present and
 * valid, else `retry-after` (integer seconds, or an HTTP-date taken relative to `nowMs`).
 * Header names match case-insensitively; negative, past or unreadable values count as absent,
 * and so do headers that are not an object of strings.
 *
 * @example
 * import { retryAfterMs } from 'fp-aws/core/Retry'
 *
 * const now = Date.UTC(2015, 9, 21, 7, 28, 0)
 * assert.strictEqual(retryAfterMs({ 'retry-after': '2' }, now), 2000)
 * assert.strictEqual(retryAfterMs({ 'retry-after': 'Wed, 21 Oct 2015 07:28:30 GMT' }, now), 30000)
 * assert.strictEqual(retryAfterMs({ 'x-amz-retry-after': '1500' }, now), 1500)
 * assert.strictEqual(retryAfterMs({ 'retry-after': 'soon' }, now), undefined)
 *
 * @category retry-after
 * @since 0.1.0
 */
export const retryAfterMs = (headers: Readonly<Record<string, string>>, nowMs: number): number | undefined => {
  if (typeof headers !== 'object' || headers === null) return undefined
  try {
    return parseXAmzRetryAfter(header(headers, 'x-amz-retry-after')) ?? parseRetryAfter(header(headers, 'retry-after'), nowMs)
  } catch {
    // headers whose members cannot be read
    return undefined
  }
}

// -------------------------------------------------------------------------------------
// backoff
// -------------------------------------------------------------------------------------

/**
 * Full-jitter exponential backoff before the retry that follows failed attempt `attempt`
 * (1-based): `floor(random * min(maxBackoffMs, base * 2^(attempt - 1)))`, where `base` is
 * `throttlingBaseDelayMs` for throttling and `baseDelayMs` otherwise. `random` is clamped
 * to `[0, 1)` (`NaN` counts as 0).
 *
 * @example
 * import { backoffDelay, defaultRetryPolicy } from 'fp-aws/core/Retry'
 *
 * assert.strictEqual(backoffDelay(defaultRetryPolicy, 'transient', 1, 0.5), 50)
 * assert.strictEqual(backoffDelay(defaultRetryPolicy, 'transient', 3, 0.5), 200)
 * assert.strictEqual(backoffDelay(defaultRetryPolicy, 'throttling', 1, 0.5), 250)
 * assert.strictEqual(backoffDelay(defaultRetryPolicy, 'throttling', 20, 0.5), 10000)
 *
 * @category backoff
 * @since 0.1.0
 */
export const backoffDelay = (
  policy: RetryPolicy,
  cls: 'throttling' | 'transient',
  attempt: number,
  random: number
): number => {
  const base = cls === 'throttling' ? policy.throttlingBaseDelayMs : policy.baseDelayMs
  const n = attempt >= 1 ? Math.floor(attempt) : 1
  // the exponent is capped so that a zero base never meets an infinite power (0 × ∞ = NaN)
  const ceiling = Math.max(0, Math.min(policy.maxBackoffMs, base * 2 ** Math.min(n - 1, 64)))
  const r = random > 0 ? Math.min(random, 1) : 0
  const delay = Math.floor(r * ceiling)
  // r = 1 (or rounding) may reach the ceiling itself; keep within [0, ceiling]
  return Number.isFinite(delay) ? Math.min(delay, ceiling) : 0
}

// -------------------------------------------------------------------------------------
// decision
// -------------------------------------------------------------------------------------

/**
 * Decides what follows failed attempt `attempt` (1-based): stop if the error is final, if
 * `maxAttempts` attempts have been made, or if the quota cannot pay the retry's cost;
 * otherwise retry after the jittered backoff, or after the server's `retry-after` hint when
 * that is longer (both capped at `maxBackoffMs`), with the cost taken from the quota.
 * `random` is a draw from `[0, 1)`, `nowMs` the current time (for HTTP-date hints).
 *
 * @example
 * import { decide, defaultRetryPolicy, newRetryQuota } from 'fp-aws/core/Retry'
 * import { transportError } from 'fp-aws/core/Error'
 *
 * const quota = newRetryQuota(500)
 * const reset = transportError('ConnectionReset', 'socket hang up')
 * assert.deepStrictEqual(decide(defaultRetryPolicy, quota, 1, reset, 0.5, 0), {
 *   _tag: 'Retry',
 *   delayMs: 50,
 *   cost: 10,
 *   quota: { available: 490, capacity: 500 }
 * })
 * assert.deepStrictEqual(decide(defaultRetryPolicy, quota, 3, reset, 0.5, 0), { _tag: 'Stop', reason: 'max-attempts' })
 * assert.deepStrictEqual(decide(defaultRetryPolicy, quota, 1, transportError('Aborted', 'cancelled'), 0.5, 0), {
 *   _tag: 'Stop',
 *   reason: 'final'
 * })
 *
 * @category decision
 * @since 0.1.0
 */
export const decide = (
  policy: RetryPolicy,
  quota: RetryQuota,
  attempt: number,
  error: AWSError,
  random: number,
  nowMs: number
): Decision => {
  const cls = classify(error)
  if (cls === 'final') return { _tag: 'Stop', reason: 'final' }
  if (attempt >= policy.maxAttempts) return { _tag: 'Stop', reason: 'max-attempts' }
  const cost = cls === 'throttling' ? policy.throttlingCost : policy.transientCost
  if (!(quota.available >= cost)) return { _tag: 'Stop', reason: 'quota-exhausted' }
  const jittered = backoffDelay(policy, cls, attempt, random)
  const hint = error._tag === 'ServiceError' ? retryAfterMs(error.headers, nowMs) : undefined
  const delayMs = hint === undefined ? jittered : Math.max(0, Math.min(Math.max(jittered, hint), policy.maxBackoffMs))
  return { _tag: 'Retry', delayMs, cost, quota: clampQuota(quota.available - cost, quota.capacity) }
}

// -------------------------------------------------------------------------------------
// validation
// -------------------------------------------------------------------------------------

type Check = readonly [keyof RetryPolicy, (n: number) => boolean, string]

const isNonNegative = (n: number): boolean => Number.isFinite(n) && n >= 0

const checks: ReadonlyArray<Check> = [
  ['maxAttempts', (n) => Number.isSafeInteger(n) && n >= 1, 'an integer >= 1'],
  ['baseDelayMs', isNonNegative, 'a finite number >= 0'],
  ['throttlingBaseDelayMs', isNonNegative, 'a finite number >= 0'],
  ['maxBackoffMs', isNonNegative, 'a finite number >= 0'],
  ['quotaCapacity', (n) => n >= 0, 'a number >= 0 (Infinity disables the quota)'],
  ['throttlingCost', isNonNegative, 'a finite number >= 0'],
  ['transientCost', isNonNegative, 'a finite number >= 0'],
  ['noRetryIncrement', isNonNegative, 'a finite number >= 0']
]

/**
 * Completes a partial policy with {@link defaultRetryPolicy} (absent or `undefined` fields
 * take the default) and checks it: `maxAttempts` an integer `>= 1`, delays, costs and the
 * increment finite and `>= 0`, `quotaCapacity` `>= 0`. `Left` names the first bad field.
 *
 * @example
 * import { defaultRetryPolicy, validatePolicy } from 'fp-aws/core/Retry'
 * import * as E from 'fp-ts/lib/Either.js'
 *
 * assert.deepStrictEqual(validatePolicy({ maxAttempts: 5 }), E.right({ ...defaultRetryPolicy, maxAttempts: 5 }))
 * assert.strictEqual(E.isLeft(validatePolicy({ maxAttempts: 0 })), true)
 * assert.strictEqual(E.isLeft(validatePolicy({ baseDelayMs: -1 })), true)
 *
 * @category constructors
 * @since 0.1.0
 */
export const validatePolicy = (p: Partial<RetryPolicy>): E.Either<string, RetryPolicy> => {
  // the members of a policy: those of the default one
  const read = readOptions(p, Object.keys(defaultRetryPolicy) as ReadonlyArray<keyof RetryPolicy>)
  if (E.isLeft(read)) return E.left(`the retry policy ${read.left}`)
  const given: Partial<Record<keyof RetryPolicy, unknown>> = read.right
  const pick = (k: keyof RetryPolicy): unknown => (given[k] === undefined ? defaultRetryPolicy[k] : given[k])
  const policy: RetryPolicy = {
    maxAttempts: pick('maxAttempts') as number,
    baseDelayMs: pick('baseDelayMs') as number,
    throttlingBaseDelayMs: pick('throttlingBaseDelayMs') as number,
    maxBackoffMs: pick('maxBackoffMs') as number,
    quotaCapacity: pick('quotaCapacity') as number,
    throttlingCost: pick('throttlingCost') as number,
    transientCost: pick('transientCost') as number,
    noRetryIncrement: pick('noRetryIncrement') as number
  }
  for (const [key, ok, what] of checks) {
    const v: unknown = policy[key]
    if (typeof v !== 'number' || !ok(v)) return E.left(`RetryPolicy.${key} must be ${what}, got ${String(v)}`)
  }
  return E.right(policy)
}
