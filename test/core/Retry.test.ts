import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import {
  type AWSError,
  type ServiceError,
  type TransportReason,
  endpointError,
  serializeError,
  transportError,
  validationError
} from '../../src/core/Error.js'
import {
  type Decision,
  type RetryPolicy,
  type RetryQuota,
  backoffDelay,
  classify,
  decide,
  defaultRetryPolicy,
  newQuotaRef,
  newRetryQuota,
  onSuccess,
  retryAfterMs,
  throttlingErrorCodes,
  transientErrorCodes,
  validatePolicy
} from '../../src/core/Retry.js'

// -------------------------------------------------------------------------------------
// helpers
// -------------------------------------------------------------------------------------

const serviceError = (status: number, code: string, headers: Record<string, string> = {}): ServiceError => ({
  _tag: 'ServiceError',
  code,
  message: code,
  status,
  requestId: undefined,
  headers
})

const NOW = Date.UTC(2015, 9, 21, 7, 28, 0) // Wed, 21 Oct 2015 07:28:00 GMT

const retryable = new Set([...throttlingErrorCodes, ...transientErrorCodes])

const allReasons: ReadonlyArray<TransportReason> = [
  'ConnectionRefused',
  'ConnectionReset',
  'DnsFailure',
  'Timeout',
  'TotalTimeout',
  'Aborted',
  'Redirect',
  'BodyTooLarge',
  'Other'
]

// -------------------------------------------------------------------------------------
// arbitraries
// -------------------------------------------------------------------------------------

const policyArb: fc.Arbitrary<RetryPolicy> = fc
  .record({
    maxAttempts: fc.integer({ min: 1, max: 10 }),
    baseDelayMs: fc.integer({ min: 0, max: 1_000 }),
    throttlingBaseDelayMs: fc.integer({ min: 0, max: 2_000 }),
    maxBackoffMs: fc.integer({ min: 0, max: 30_000 }),
    quotaCapacity: fc.integer({ min: 0, max: 600 }),
    throttlingCost: fc.integer({ min: 0, max: 20 }),
    transientCost: fc.integer({ min: 0, max: 20 }),
    noRetryIncrement: fc.integer({ min: 0, max: 5 })
  })
  .map((p) => {
    const v = validatePolicy(p)
    if (E.isLeft(v)) throw new Error(v.left)
    return v.right
  })

const retryAfterHeaderArb: fc.Arbitrary<Record<string, string>> = fc.oneof(
  fc.constant({}),
  fc.integer({ min: 0, max: 60 }).map((s) => ({ 'retry-after': String(s) })),
  fc.integer({ min: -60, max: 60 }).map((s) => ({ 'retry-after': new Date(NOW + s * 1000).toUTCString() })),
  fc.integer({ min: 0, max: 60_000 }).map((ms) => ({ 'x-amz-retry-after': String(ms) })),
  fc.string().map((s) => ({ 'retry-after': s })),
  fc.string().map((s) => ({ 'x-amz-retry-after': s }))
)

const codeArb = fc.oneof(
  fc.constantFrom(...throttlingErrorCodes),
  fc.constantFrom(...transientErrorCodes),
  fc.constantFrom('AccessDeniedException', 'ResourceNotFoundException', 'UnauthorizedException', 'InvalidRequestException'),
  fc.string()
)

const serviceErrorArb: fc.Arbitrary<ServiceError> = fc
  .record({ status: fc.integer({ min: 400, max: 599 }), code: codeArb, headers: retryAfterHeaderArb })
  .map(({ status, code, headers }) => serviceError(status, code, headers))

const errorArb: fc.Arbitrary<AWSError> = fc.oneof(
  { arbitrary: serviceErrorArb, weight: 4 },
  { arbitrary: fc.constantFrom(...allReasons).map((r) => transportError(r, r)), weight: 3 },
  { arbitrary: fc.constant(validationError('Op', 'field', 'bad')), weight: 1 },
  { arbitrary: fc.integer({ min: 200, max: 599 }).map((s) => serializeError('bad body', s)), weight: 1 },
  { arbitrary: fc.constant(endpointError('no endpoint')), weight: 1 }
)

const randomArb = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })

/** A call's outcomes, attempt by attempt; past the end of the errors, the attempt succeeds. */
const callArb = fc.record({
  errors: fc.array(errorArb, { maxLength: 12 }),
  randoms: fc.array(randomArb, { minLength: 12, maxLength: 12 })
})

// -------------------------------------------------------------------------------------
// simulation
// -------------------------------------------------------------------------------------

interface Step {
  readonly attempt: number
  readonly error: AWSError
  readonly random: number
  readonly quotaBefore: RetryQuota
  readonly decision: Decision
}

interface Run {
  readonly attempts: number
  readonly steps: ReadonlyArray<Step>
  readonly succeeded: boolean
  readonly quotas: ReadonlyArray<RetryQuota>
}

/** Runs one call's retry loop as the runtime would, against the shared quota cell. */
const simulate = (
  policy: RetryPolicy,
  ref: { get: () => RetryQuota; set: (q: RetryQuota) => void },
  errors: ReadonlyArray<AWSError>,
  randoms: ReadonlyArray<number>
): Run => {
  const steps: Array<Step> = []
  const quotas: Array<RetryQuota> = [ref.get()]
  let lastCost: number | undefined = undefined
  for (let attempt = 1; ; attempt++) {
    const error = errors[attempt - 1]
    if (error === undefined) {
      ref.set(onSuccess(policy, ref.get(), lastCost))
      quotas.push(ref.get())
      return { attempts: attempt, steps, succeeded: true, quotas }
    }
    const random = randoms[(attempt - 1) % randoms.length] ?? 0
    const quotaBefore = ref.get()
    const decision = decide(policy, quotaBefore, attempt, error, random, NOW)
    steps.push({ attempt, error, random, quotaBefore, decision })
    if (decision._tag === 'Stop') return { attempts: attempt, steps, succeeded: false, quotas }
    ref.set(decision.quota)
    quotas.push(decision.quota)
    lastCost = decision.cost
  }
}

const retries = (run: Run): ReadonlyArray<Step> => run.steps.filter((s) => s.decision._tag === 'Retry')

// -------------------------------------------------------------------------------------
// properties
// -------------------------------------------------------------------------------------

describe('Retry: properties of the retry loop', () => {
  it('never makes more than maxAttempts attempts', () => {
    fc.assert(
      fc.property(policyArb, callArb, (policy, { errors, randoms }) => {
        const run = simulate(policy, newQuotaRef(policy.quotaCapacity), errors, randoms)
        expect(run.attempts).toBeLessThanOrEqual(policy.maxAttempts)
        expect(retries(run).length).toBeLessThanOrEqual(policy.maxAttempts - 1)
      })
    )
  })

  it('keeps each delay within [0, min(cap, base * 2^(n-1))], or at the capped retry-after when larger', () => {
    fc.assert(
      fc.property(policyArb, callArb, (policy, { errors, randoms }) => {
        const run = simulate(policy, newQuotaRef(policy.quotaCapacity), errors, randoms)
        for (const s of run.steps) {
          if (s.decision._tag !== 'Retry') continue
          const cls = classify(s.error)
          const base = cls === 'throttling' ? policy.throttlingBaseDelayMs : policy.baseDelayMs
          const bound = Math.min(policy.maxBackoffMs, base * 2 ** (s.attempt - 1))
          const hint = s.error._tag === 'ServiceError' ? retryAfterMs(s.error.headers, NOW) : undefined
          const jittered = backoffDelay(policy, cls === 'throttling' ? 'throttling' : 'transient', s.attempt, s.random)
          expect(jittered).toBeGreaterThanOrEqual(0)
          expect(jittered).toBeLessThanOrEqual(bound)
          const d = s.decision.delayMs
          expect(d).toBeGreaterThanOrEqual(0)
          expect(d).toBeLessThanOrEqual(policy.maxBackoffMs)
          if (hint !== undefined && Math.min(hint, policy.maxBackoffMs) > jittered) {
            expect(d).toBe(Math.min(hint, policy.maxBackoffMs))
          } else {
            expect(d).toBe(jittered)
            expect(d).toBeLessThanOrEqual(bound)
          }
        }
      })
    )
  })

  it('keeps the shared quota within [0, capacity] over many calls, and charges exactly the cost', () => {
    fc.assert(
      fc.property(policyArb, fc.array(callArb, { minLength: 1, maxLength: 20 }), (policy, calls) => {
        const ref = newQuotaRef(policy.quotaCapacity)
        for (const { errors, randoms } of calls) {
          const run = simulate(policy, ref, errors, randoms)
          for (const q of run.quotas) {
            expect(q.capacity).toBe(policy.quotaCapacity)
            expect(q.available).toBeGreaterThanOrEqual(0)
            expect(q.available).toBeLessThanOrEqual(q.capacity)
          }
          for (const s of retries(run)) {
            if (s.decision._tag !== 'Retry') continue
            const expected = classify(s.error) === 'throttling' ? policy.throttlingCost : policy.transientCost
            expect(s.decision.cost).toBe(expected)
            expect(s.decision.quota.available).toBe(s.quotaBefore.available - expected)
          }
        }
      })
    )
  })

  it('stops with the right reason, in the right order', () => {
    fc.assert(
      fc.property(policyArb, callArb, (policy, { errors, randoms }) => {
        const run = simulate(policy, newQuotaRef(policy.quotaCapacity), errors, randoms)
        const last = run.steps[run.steps.length - 1]
        if (run.succeeded || last === undefined) return
        expect(last.decision._tag).toBe('Stop')
        if (last.decision._tag !== 'Stop') return
        const cls = classify(last.error)
        if (cls === 'final') expect(last.decision.reason).toBe('final')
        else if (last.attempt >= policy.maxAttempts) expect(last.decision.reason).toBe('max-attempts')
        else {
          expect(last.decision.reason).toBe('quota-exhausted')
          const cost = cls === 'throttling' ? policy.throttlingCost : policy.transientCost
          expect(last.quotaBefore.available).toBeLessThan(cost)
        }
      })
    )
  })

  it('never retries a 4xx other than 429 or a throttling/transient code', () => {
    const plain4xx = fc
      .record({
        status: fc.integer({ min: 400, max: 499 }).filter((s) => s !== 429),
        code: fc.string().filter((c) => !retryable.has(c)),
        headers: retryAfterHeaderArb
      })
      .map(({ status, code, headers }) => serviceError(status, code, headers))
    fc.assert(
      fc.property(policyArb, plain4xx, fc.integer({ min: 1, max: 10 }), randomArb, (policy, e, attempt, r) => {
        expect(classify(e)).toBe('final')
        expect(decide(policy, newRetryQuota(policy.quotaCapacity), attempt, e, r, NOW)).toEqual({
          _tag: 'Stop',
          reason: 'final'
        })
      })
    )
  })

  it('never retries Aborted, TotalTimeout nor any other final transport reason', () => {
    const finalReason = fc.constantFrom<TransportReason>(
      'Aborted',
      'TotalTimeout',
      'Redirect',
      'BodyTooLarge',
      'DnsFailure',
      'Other'
    )
    fc.assert(
      fc.property(policyArb, finalReason, fc.integer({ min: 1, max: 10 }), randomArb, (policy, reason, attempt, r) => {
        const d = decide(policy, newRetryQuota(policy.quotaCapacity), attempt, transportError(reason, 'x'), r, NOW)
        expect(d).toEqual({ _tag: 'Stop', reason: 'final' })
      })
    )
  })

  it('makes exactly one attempt when maxAttempts is 1', () => {
    fc.assert(
      fc.property(callArb, ({ errors, randoms }) => {
        const policy = { ...defaultRetryPolicy, maxAttempts: 1 }
        const run = simulate(policy, newQuotaRef(500), errors, randoms)
        expect(run.attempts).toBe(1)
      })
    )
  })

  it('backoffDelay stays within its bound for any inputs, NaN and out-of-range randoms included', () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.constantFrom<'throttling' | 'transient'>('throttling', 'transient'),
        fc.integer({ min: -5, max: 2_000 }),
        fc.double(),
        (policy, cls, attempt, r) => {
          const d = backoffDelay(policy, cls, attempt, r)
          const base = cls === 'throttling' ? policy.throttlingBaseDelayMs : policy.baseDelayMs
          expect(Number.isFinite(d)).toBe(true)
          expect(d).toBeGreaterThanOrEqual(0)
          expect(d).toBeLessThanOrEqual(Math.min(policy.maxBackoffMs, base * 2 ** Math.min(Math.max(1, attempt) - 1, 64)))
        }
      )
    )
  })

  it('retryAfterMs never throws and never returns a negative or non-finite value', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('retry-after', 'x-amz-retry-after', 'Retry-After', 'x'), fc.string()), fc.double(), (h, now) => {
        const v = retryAfterMs(h, now)
        if (v !== undefined) {
          expect(Number.isFinite(v)).toBe(true)
          expect(v).toBeGreaterThanOrEqual(0)
        }
      })
    )
  })
})

// -------------------------------------------------------------------------------------
// units
// -------------------------------------------------------------------------------------

describe('Retry: retryAfterMs', () => {
  it('reads integer seconds', () => {
    expect(retryAfterMs({ 'retry-after': '0' }, NOW)).toBe(0)
    expect(retryAfterMs({ 'retry-after': '5' }, NOW)).toBe(5000)
    expect(retryAfterMs({ 'retry-after': ' 120 ' }, NOW)).toBe(120_000)
  })

  it('reads an IMF-fixdate, an RFC 850 date and an asctime date, relative to nowMs', () => {
    expect(retryAfterMs({ 'retry-after': 'Wed, 21 Oct 2015 07:28:30 GMT' }, NOW)).toBe(30_000)
    expect(retryAfterMs({ 'retry-after': 'Wednesday, 21-Oct-15 07:29:00 GMT' }, NOW)).toBe(60_000)
    expect(retryAfterMs({ 'retry-after': 'Wed Oct 21 07:28:10 2015' }, NOW)).toBe(10_000)
    expect(retryAfterMs({ 'retry-after': 'Sun Nov  6 08:49:37 1994' }, Date.UTC(1994, 10, 6, 8, 49, 30))).toBe(7000)
    expect(retryAfterMs({ 'retry-after': new Date(NOW + 42_000).toUTCString() }, NOW)).toBe(42_000)
    expect(retryAfterMs({ 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }, NOW)).toBe(0)
  })

  it('reads x-amz-retry-after in milliseconds, in preference to retry-after', () => {
    expect(retryAfterMs({ 'x-amz-retry-after': '1500' }, NOW)).toBe(1500)
    expect(retryAfterMs({ 'x-amz-retry-after': '1500', 'retry-after': '9' }, NOW)).toBe(1500)
    expect(retryAfterMs({ 'x-amz-retry-after': 'nope', 'retry-after': '9' }, NOW)).toBe(9000)
  })

  it('matches header names case-insensitively', () => {
    expect(retryAfterMs({ 'Retry-After': '3' }, NOW)).toBe(3000)
    expect(retryAfterMs({ 'X-Amz-Retry-After': '30' }, NOW)).toBe(30)
  })

  it('ignores garbage, negative and past values', () => {
    const none: ReadonlyArray<Record<string, string>> = [
      {},
      { 'retry-after': '' },
      { 'retry-after': 'soon' },
      { 'retry-after': '-1' },
      { 'retry-after': '1.5' },
      { 'retry-after': '1e3' },
      { 'retry-after': '0x10' },
      { 'retry-after': 'Infinity' },
      { 'retry-after': '9'.repeat(400) },
      { 'retry-after': 'Wed, 21 Oct 2015 07:27:59 GMT' }, // past
      { 'retry-after': 'Wed, 32 Oct 2015 07:28:30 GMT' },
      { 'retry-after': 'Wed, 30 Feb 2015 07:28:30 GMT' },
      { 'retry-after': 'Wed, 21 Foo 2015 07:28:30 GMT' },
      { 'retry-after': 'Wed, 21 Oct 2015 25:28:30 GMT' },
      { 'retry-after': 'Wed, 21 Oct 2015 07:28:30 PST' },
      { 'retry-after': '2015-10-21T07:28:30Z' },
      { 'x-amz-retry-after': '-5' },
      { 'x-amz-retry-after': 'abc' },
      { 'x-amz-retry-after': '1.5' },
      { 'x-amz-retry-after': '' },
      { 'x-retry-after': '5' }
    ]
    for (const h of none) expect(retryAfterMs(h, NOW), JSON.stringify(h)).toBeUndefined()
  })

  it('ignores an HTTP-date when nowMs is not a number', () => {
    expect(retryAfterMs({ 'retry-after': 'Wed, 21 Oct 2015 07:28:30 GMT' }, NaN)).toBeUndefined()
    expect(retryAfterMs({ 'retry-after': '2' }, NaN)).toBe(2000)
  })
})

describe('Retry: classify', () => {
  const table: ReadonlyArray<readonly [string, AWSError, 'throttling' | 'transient' | 'final']> = [
    ['429', serviceError(429, 'Whatever'), 'throttling'],
    ...throttlingErrorCodes.map(
      (c) => [`${c} (400)`, serviceError(400, c), 'throttling'] as const
    ),
    ['SlowDown (503)', serviceError(503, 'SlowDown'), 'throttling'],
    ['ThrottlingException (500)', serviceError(500, 'ThrottlingException'), 'throttling'],
    ['500', serviceError(500, 'Boom'), 'transient'],
    ['502', serviceError(502, 'BadGateway'), 'transient'],
    ['503', serviceError(503, 'Unavailable'), 'transient'],
    ['504', serviceError(504, 'GatewayTimeout'), 'transient'],
    ['RequestTimeout (400)', serviceError(400, 'RequestTimeout'), 'transient'],
    ['RequestTimeoutException (408)', serviceError(408, 'RequestTimeoutException'), 'transient'],
    ['InternalError (400)', serviceError(400, 'InternalError'), 'transient'],
    ['501', serviceError(501, 'NotImplemented'), 'final'],
    ['505', serviceError(505, 'HTTPVersionNotSupported'), 'final'],
    ['400', serviceError(400, 'ValidationException'), 'final'],
    ['401', serviceError(401, 'UnauthorizedException'), 'final'],
    ['403', serviceError(403, 'AccessDeniedException'), 'final'],
    ['404', serviceError(404, 'ResourceNotFoundException'), 'final'],
    ['408 unknown code', serviceError(408, 'Whatever'), 'final'],
    ['lower-case throttling code', serviceError(400, 'throttling'), 'final'],
    ['ConnectionRefused', transportError('ConnectionRefused', 'x', 'ECONNREFUSED'), 'transient'],
    ['ConnectionReset', transportError('ConnectionReset', 'x', 'ECONNRESET'), 'transient'],
    ['Timeout', transportError('Timeout', 'x'), 'transient'],
    ['Aborted', transportError('Aborted', 'x'), 'final'],
    ['TotalTimeout', transportError('TotalTimeout', 'x'), 'final'],
    ['Redirect', transportError('Redirect', 'x', undefined, 301), 'final'],
    ['BodyTooLarge', transportError('BodyTooLarge', 'x'), 'final'],
    ['DnsFailure', transportError('DnsFailure', 'x', 'ENOTFOUND'), 'final'],
    ['Other', transportError('Other', 'x'), 'final'],
    ['ValidationError', validationError('Logout', 'accessToken', 'empty'), 'final'],
    ['SerializeError', serializeError('bad json', 500), 'final'],
    ['EndpointError', endpointError('no region'), 'final']
  ]
  it.each(table)('%s', (_, e, cls) => {
    expect(classify(e)).toBe(cls)
  })
})

describe('Retry: backoffDelay', () => {
  it('doubles from the base and caps at maxBackoffMs', () => {
    const p = defaultRetryPolicy
    expect([1, 2, 3, 4].map((n) => backoffDelay(p, 'transient', n, 0.5))).toEqual([50, 100, 200, 400])
    expect([1, 2, 3].map((n) => backoffDelay(p, 'throttling', n, 0.5))).toEqual([250, 500, 1000])
    expect(backoffDelay(p, 'transient', 30, 0.5)).toBe(10_000)
    expect(backoffDelay(p, 'transient', 5000, 0.999)).toBeLessThanOrEqual(20_000)
    expect(backoffDelay(p, 'transient', 1, 0)).toBe(0)
  })
})

describe('Retry: decide', () => {
  const q = newRetryQuota(500)

  it('honours retry-after when longer than the jittered delay, capped at maxBackoffMs', () => {
    const e = serviceError(503, 'ServiceUnavailable', { 'retry-after': '2' })
    expect(decide(defaultRetryPolicy, q, 1, e, 0.5, NOW)).toEqual({
      _tag: 'Retry',
      delayMs: 2000,
      cost: 10,
      quota: { available: 490, capacity: 500 }
    })
    const long = serviceError(429, 'TooManyRequestsException', { 'retry-after': '3600' })
    expect(decide(defaultRetryPolicy, q, 1, long, 0.5, NOW)).toMatchObject({ _tag: 'Retry', delayMs: 20_000, cost: 5 })
    const short = serviceError(429, 'TooManyRequestsException', { 'x-amz-retry-after': '1' })
    expect(decide(defaultRetryPolicy, q, 2, short, 0.5, NOW)).toMatchObject({ _tag: 'Retry', delayMs: 500 })
  })

  it('ignores retry-after on a final error', () => {
    const e = serviceError(400, 'ValidationException', { 'retry-after': '1' })
    expect(decide(defaultRetryPolicy, q, 1, e, 0.5, NOW)).toEqual({ _tag: 'Stop', reason: 'final' })
  })

  it('stops at maxAttempts', () => {
    const e = transportError('Timeout', 'x')
    expect(decide(defaultRetryPolicy, q, 2, e, 0.5, NOW)._tag).toBe('Retry')
    expect(decide(defaultRetryPolicy, q, 3, e, 0.5, NOW)).toEqual({ _tag: 'Stop', reason: 'max-attempts' })
  })

  it('stops when the quota cannot pay, but a cheaper throttling retry may still go', () => {
    const low = { available: 9, capacity: 500 }
    expect(decide(defaultRetryPolicy, low, 1, serviceError(500, 'Boom'), 0.5, NOW)).toEqual({
      _tag: 'Stop',
      reason: 'quota-exhausted'
    })
    expect(decide(defaultRetryPolicy, low, 1, serviceError(429, 'Throttling'), 0.5, NOW)).toMatchObject({
      _tag: 'Retry',
      cost: 5,
      quota: { available: 4, capacity: 500 }
    })
  })
})

describe('Retry: quota', () => {
  it('refunds the cost of the retry that led to a success', () => {
    const p = defaultRetryPolicy
    const first = decide(p, newRetryQuota(500), 1, serviceError(500, 'Boom'), 0.1, NOW)
    expect(first._tag).toBe('Retry')
    if (first._tag !== 'Retry') return
    expect(first.quota.available).toBe(490)
    expect(onSuccess(p, first.quota, first.cost)).toEqual({ available: 500, capacity: 500 })

    const throttled = decide(p, newRetryQuota(500), 1, serviceError(429, 'Throttling'), 0.1, NOW)
    if (throttled._tag !== 'Retry') throw new Error('expected a retry')
    expect(throttled.quota.available).toBe(495)
    expect(onSuccess(p, throttled.quota, throttled.cost).available).toBe(500)
  })

  it('adds noRetryIncrement on a first-try success, never above capacity', () => {
    const p = defaultRetryPolicy
    expect(onSuccess(p, { available: 400, capacity: 500 }, undefined)).toEqual({ available: 401, capacity: 500 })
    expect(onSuccess(p, { available: 500, capacity: 500 }, undefined)).toEqual({ available: 500, capacity: 500 })
    expect(onSuccess(p, { available: 495, capacity: 500 }, 10)).toEqual({ available: 500, capacity: 500 })
  })

  it('is exhausted after 500/10 = 50 transient retries', () => {
    const p = { ...defaultRetryPolicy, maxAttempts: 1_000 }
    const ref = newQuotaRef(p.quotaCapacity)
    const run = simulate(p, ref, Array.from({ length: 100 }, () => serviceError(503, 'Unavailable')), [0.5])
    expect(retries(run).length).toBe(50)
    expect(run.attempts).toBe(51)
    expect(run.steps[50]?.decision).toEqual({ _tag: 'Stop', reason: 'quota-exhausted' })
    expect(ref.get()).toEqual({ available: 0, capacity: 500 })
  })

  it('is exhausted across calls sharing one QuotaRef, then recovers with successes', () => {
    const p = defaultRetryPolicy
    const ref = newQuotaRef(p.quotaCapacity)
    const failing = [serviceError(500, 'Boom'), serviceError(500, 'Boom'), serviceError(500, 'Boom')]
    // each failing call spends 2 retries = 20 tokens: 25 calls drain the bucket
    for (let i = 0; i < 25; i++) expect(simulate(p, ref, failing, [0.5]).attempts).toBe(3)
    expect(ref.get().available).toBe(0)
    const starved = simulate(p, ref, failing, [0.5])
    expect(starved.attempts).toBe(1)
    expect(starved.steps[0]?.decision).toEqual({ _tag: 'Stop', reason: 'quota-exhausted' })
    // ten first-try successes put 10 tokens back: exactly one transient retry affordable
    for (let i = 0; i < 10; i++) simulate(p, ref, [], [0.5])
    expect(ref.get().available).toBe(10)
    const run = simulate(p, ref, [serviceError(500, 'Boom')], [0.5])
    expect(run.succeeded).toBe(true)
    expect(ref.get().available).toBe(10)
  })

  it('newRetryQuota gives an empty quota for a negative or NaN capacity', () => {
    expect(newRetryQuota(-1)).toEqual({ available: 0, capacity: 0 })
    expect(newRetryQuota(NaN)).toEqual({ available: 0, capacity: 0 })
  })
})

describe('Retry: validatePolicy', () => {
  it('merges with the defaults', () => {
    expect(validatePolicy({})).toEqual(E.right(defaultRetryPolicy))
    expect(validatePolicy({ maxAttempts: 1 })).toEqual(E.right({ ...defaultRetryPolicy, maxAttempts: 1 }))
    expect(validatePolicy({ maxAttempts: undefined } as Partial<RetryPolicy>)).toEqual(E.right(defaultRetryPolicy))
    expect(validatePolicy({ quotaCapacity: Infinity })).toEqual(E.right({ ...defaultRetryPolicy, quotaCapacity: Infinity }))
  })

  it('rejects bad values with a message naming the field', () => {
    const bad: ReadonlyArray<Partial<RetryPolicy>> = [
      { maxAttempts: 0 },
      { maxAttempts: -1 },
      { maxAttempts: 1.5 },
      { maxAttempts: NaN },
      { maxAttempts: Infinity },
      { baseDelayMs: -1 },
      { throttlingBaseDelayMs: NaN },
      { maxBackoffMs: Infinity },
      { quotaCapacity: -1 },
      { quotaCapacity: NaN },
      { throttlingCost: -5 },
      { transientCost: NaN },
      { noRetryIncrement: -1 },
      { maxAttempts: '3' as unknown as number }
    ]
    for (const p of bad) {
      const r = validatePolicy(p)
      expect(E.isLeft(r), JSON.stringify(p)).toBe(true)
      if (E.isLeft(r)) expect(r.left).toContain(Object.keys(p)[0] ?? '')
    }
  })
})
