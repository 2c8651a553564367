/**
 * Codecs shared by the SSO caches: the timestamps of cache files (`…Z`, `….sssZ` and the
 * older `…UTC` form that `new Date()` cannot parse), optional fields (absent or `null`),
 * and a description of decoding errors that names fields, never values.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'

// -------------------------------------------------------------------------------------
// timestamps
// -------------------------------------------------------------------------------------

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|UTC|[+-]\d{2}:?\d{2})$/

/**
 * Parses a cache timestamp: `2026-11-22T13:46:47Z`, `2026-11-22T13:46:47.123Z`, the AWS
 * CLI's older `2026-11-22T13:46:47UTC`, or an explicit offset (`+00:00`, `+0100`). Every
 * field is range-checked (no 31st of February, no 25th hour). `None` is `undefined`.
 *
 * @example
 * import { parseTimestamp } from 'fp-aws/auth/sso'
 *
 * assert.strictEqual(parseTimestamp('2026-11-22T13:46:47UTC')?.toISOString(), '2026-11-22T13:46:47.000Z')
 * assert.strictEqual(parseTimestamp('2026-11-22T13:46:47.5Z')?.toISOString(), '2026-11-22T13:46:47.500Z')
 * assert.strictEqual(parseTimestamp('2026-11-22T14:46:47+01:00')?.toISOString(), '2026-11-22T13:46:47.000Z')
 * assert.strictEqual(parseTimestamp('2026-02-31T00:00:00Z'), undefined)
 * assert.strictEqual(parseTimestamp('tomorrow'), undefined)
 *
 * @category timestamps
 * @since 0.1.0
 */
export const parseTimestamp = (s: string): Date | undefined => {
  const m = typeof s === 'string' ? TIMESTAMP.exec(s) : null
  if (m === null) return undefined
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number
  ]
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000)
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined
  const daysInMonth = new Date(Date.UTC(2000 + (year % 400), month, 0)).getUTCDate()
  if (day < 1 || day > daysInMonth) return undefined
  const zone = m[8] ?? 'Z'
  let offsetMinutes = 0
  if (zone !== 'Z' && zone !== 'z' && zone !== 'UTC') {
    const digits = zone.slice(1).replace(':', '')
    const oh = Number(digits.slice(0, 2))
    const om = Number(digits.slice(2))
    if (oh > 23 || om > 59) return undefined
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om)
  }
  // setUTCFullYear, not Date.UTC: the latter maps years 0..99 to 1900..1999
  const d = new Date(0)
  d.setUTCFullYear(year, month - 1, day)
  d.setUTCHours(hour, minute, second, ms)
  const out = new Date(d.getTime() - offsetMinutes * 60_000)
  return Number.isNaN(out.getTime()) ? undefined : out
}

/**
 * Formats a date as the AWS CLI writes cache timestamps: `2026-11-22T13:46:47Z`, with
 * milliseconds only when there are some.
 *
 * @example
 * import { formatTimestamp } from 'fp-aws/auth/sso'
 *
 * assert.strictEqual(formatTimestamp(new Date(Date.UTC(2026, 10, 22, 13, 46, 47))), '2026-11-22T13:46:47Z')
 *
 * @category timestamps
 * @since 0.1.0
 */
export const formatTimestamp = (d: Date): string => d.toISOString().replace('.000Z', 'Z')

/**
 * Formats a date as the AWS CLI v2 writes the SSO caches: `%Y-%m-%dT%H:%M:%SZ`, whole
 * seconds (`_serialize_utc_timestamp` in `awscli/customizations/sso/utils.py`).
 *
 * @example
 * import { formatCliTimestamp } from 'fp-aws/auth/sso'
 *
 * assert.strictEqual(formatCliTimestamp(new Date(Date.UTC(2026, 10, 22, 13, 46, 47, 999))), '2026-11-22T13:46:47Z')
 *
 * @category cache
 * @since 0.2.0
 */
export const formatCliTimestamp = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z')

/**
 * io-ts codec of a cache timestamp (see {@link parseTimestamp}) as a `Date`; `encode`
 * writes {@link formatTimestamp}.
 *
 * @example
 * import { TimestampCodec } from 'fp-aws/auth/sso'
 *
 * const r = TimestampCodec.decode('2019-11-14T04:05:45UTC')
 * assert.ok(r._tag === 'Right' && r.right.getTime() === Date.UTC(2019, 10, 14, 4, 5, 45))
 * assert.strictEqual(TimestampCodec.decode('2019-11-14')._tag, 'Left')
 *
 * @category codecs
 * @since 0.1.0
 */
export const TimestampCodec: t.Type<Date, string, unknown> = new t.Type<Date, string, unknown>(
  'Timestamp',
  (u): u is Date => u instanceof Date && !Number.isNaN(u.getTime()),
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c, 'expected a timestamp string')
    const d = parseTimestamp(u)
    return d === undefined ? t.failure(u, c, 'expected a timestamp like 2026-11-22T13:46:47Z') : t.success(d)
  },
  formatTimestamp
)

// -------------------------------------------------------------------------------------
// optional fields
// -------------------------------------------------------------------------------------

/**
 * `codec` or absent: `null` decodes as `undefined` too (some writers store `null`), and
 * `undefined` encodes as `undefined` (dropped by `JSON.stringify`).
 *
 * @category codecs
 * @since 0.1.0
 */
export const optional = <A, O>(codec: t.Type<A, O, unknown>): t.Type<A | undefined, O | undefined, unknown> =>
  new t.Type<A | undefined, O | undefined, unknown>(
    `${codec.name} | undefined`,
    (u): u is A | undefined => u === undefined || codec.is(u),
    (u, c) => (u === undefined || u === null ? t.success(undefined) : codec.validate(u, c)),
    (a) => (a === undefined ? undefined : codec.encode(a))
  )

// -------------------------------------------------------------------------------------
// errors
// -------------------------------------------------------------------------------------

/**
 * Describes io-ts errors by field path and expectation only (`expiresAt: expected a
 * timestamp like …`); never a value, which could be a secret.
 *
 * @category destructors
 * @since 0.1.0
 */
export const describeErrors = (errors: t.Errors): string => {
  const lines = errors.map((e) => {
    const path = e.context
      .map((c) => c.key)
      .filter((k) => k !== '' && !/^\d+$/.test(k))
      .join('.')
    const last = e.context[e.context.length - 1]
    return `${path === '' ? 'the file' : path}: ${e.message ?? `expected ${last?.type.name ?? 'something else'}`}`
  })
  return [...new Set(lines)].slice(0, 5).join('; ')
}

/**
 * Decodes with `codec`, the error described by {@link describeErrors}.
 *
 * @category destructors
 * @since 0.1.0
 */
export const decodeWith =
  <A, O>(codec: t.Type<A, O, unknown>) =>
  (u: unknown): E.Either<string, A> =>
    E.mapLeft(describeErrors)(codec.decode(u))
