/**
 * HTTP requests and responses as plain data. An operation's `AWSRequest` turns its record
 * into an `HttpRequest`; the runtime sends it and hands back an `HttpResponse`.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { validationError, type ValidationError } from './Error.js'
import { isSensitive, REDACTED, reveal, type Sensitive } from './Sensitive.js'

/**
 * A header value: plain, or a secret that stays wrapped until the header is written.
 *
 * @category model
 * @since 0.1.0
 */
export type HeaderValue = string | Sensitive<string>

/**
 * An HTTP request, relative to the service endpoint.
 *
 * @category model
 * @since 0.1.0
 */
export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD' | 'PATCH'
  /** Path, starting with `/`, already percent-encoded. */
  readonly path: string
  /** Query parameters in order, not yet encoded. */
  readonly query: ReadonlyArray<readonly [string, string]>
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, HeaderValue>>
  /**
   * `undefined` means no body at all. A body that holds a secret is `Sensitive` as a whole,
   * revealed only when it is written on the wire.
   */
  readonly body: string | Sensitive<string> | undefined
  /**
   * The secrets written into `body`, kept wrapped: the runtime scrubs them out of whatever
   * comes back (error messages, headers, what hooks see), as it does the secret headers.
   */
  readonly secrets?: ReadonlyArray<Sensitive<string>>
}

/**
 * An HTTP response as the runtime received it.
 *
 * @category model
 * @since 0.1.0
 */
export interface HttpResponse {
  readonly status: number
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array
}

/**
 * Builds a request with no query, no headers and no body.
 *
 * @example
 * import { httpRequest } from 'fp-aws/core/Request'
 *
 * assert.deepStrictEqual(httpRequest('POST', '/logout').query, [])
 *
 * @category constructors
 * @since 0.1.0
 */
export const httpRequest = (method: HttpRequest['method'], path: string): HttpRequest => ({
  method,
  path,
  query: [],
  headers: {},
  body: undefined
})

/**
 * Percent-encodes like the AWS SDKs: `encodeURIComponent` plus `!'()*`.
 *
 * @example
 * import { percentEncode } from 'fp-aws/core/Request'
 *
 * assert.strictEqual(percentEncode("a b!'()*"), 'a%20b%21%27%28%29%2A')
 *
 * @category encoding
 * @since 0.1.0
 */
export const percentEncode = (s: string): string => {
  // most names and values (ids, role names, numbers) need no escape at all
  if (typeof s === 'string' && UNRESERVED.test(s)) return s
  const e = encodeURIComponent(s)
  return SUB_DELIMS.test(e) ? e.replace(SUB_DELIMS_G, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`) : e
}

/** Characters `percentEncode` leaves as they are (RFC 3986 unreserved). */
const UNRESERVED = /^[A-Za-z0-9\-._~]*$/
/** What `encodeURIComponent` leaves unescaped and the AWS SDKs escape. */
const SUB_DELIMS = /[!'()*]/
const SUB_DELIMS_G = /[!'()*]/g

/**
 * The path and encoded query string of a request.
 *
 * @example
 * import { httpRequest, pathAndQuery } from 'fp-aws/core/Request'
 *
 * const r = { ...httpRequest('GET', '/assignment/accounts'), query: [['max_result', '5'] as const] }
 * assert.strictEqual(pathAndQuery(r), '/assignment/accounts?max_result=5')
 *
 * @category encoding
 * @since 0.1.0
 */
export const pathAndQuery = (r: HttpRequest): string => {
  const q = r.query
  if (q.length === 0) return r.path
  let out = r.path
  for (let i = 0; i < q.length; i++) {
    const [k, v] = q[i] as readonly [string, string]
    out += `${i === 0 ? '?' : '&'}${percentEncode(k)}=${percentEncode(v)}`
  }
  return out
}

/**
 * The headers with every secret revealed: only for writing them on the wire.
 *
 * @category destructors
 * @since 0.1.0
 */
export const revealHeaders = (headers: HttpRequest['headers']): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const k of Object.keys(headers)) {
    const v = headers[k] as HeaderValue
    out[k] = isSensitive(v) ? reveal(v as Sensitive<string>) : (v as string)
  }
  return out
}

/**
 * The headers with every secret shown as `<redacted>`: safe to log or hand to a hook. A
 * value that is not a string is left out, and headers that cannot be read show as `{}`.
 *
 * @example
 * import { redactHeaders } from 'fp-aws/core/Request'
 * import { sensitive } from 'fp-aws/core/Sensitive'
 *
 * assert.deepStrictEqual(redactHeaders({ a: 'b', t: sensitive('x') }), { a: 'b', t: '<redacted>' })
 *
 * @category destructors
 * @since 0.1.0
 */
export const redactHeaders = (headers: HttpRequest['headers']): Record<string, string> => {
  if (typeof headers !== 'object' || headers === null) return {}
  const out: Record<string, string> = {}
  try {
    for (const k of Object.keys(headers)) {
      const v = headers[k] as HeaderValue
      if (isSensitive(v) || SECRET_HEADERS.has(k.toLowerCase())) out[k] = REDACTED
      else if (typeof v === 'string') out[k] = v
    }
  } catch {
    return {}
  }
  return out
}

/**
 * Header names whose values are always secret, in either direction.
 *
 * @category constants
 * @since 0.1.0
 */
export const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'x-amz-sso_bearer_token',
  'authorization',
  'x-amz-security-token',
  'cookie',
  'set-cookie'
])

/**
 * Makes an operation's encoder total: a request that cannot be read (a JavaScript caller's
 * hand-made record with a getter that throws, a revoked proxy, …) is a `ValidationError` on
 * `request`, never a throw.
 *
 * @example
 * import { totalEncoder } from 'fp-aws/core/Request'
 *
 * const encode = totalEncoder('Logout', (): never => {
 *   throw new Error('unreadable')
 * })
 * assert.deepStrictEqual(encode({}), {
 *   _tag: 'Left',
 *   left: { _tag: 'ValidationError', operation: 'Logout', field: 'request', message: 'the request cannot be read (build it with newLogout)' }
 * })
 *
 * @category combinators
 * @since 0.2.0
 */
export const totalEncoder =
  <Rq>(operation: string, encode: (rq: Rq) => E.Either<ValidationError, HttpRequest>) =>
  (rq: Rq): E.Either<ValidationError, HttpRequest> => {
    try {
      return encode(rq)
    } catch {
      const name = typeof operation === 'string' ? operation : 'the operation'
      return E.left(validationError(name, 'request', `the request cannot be read (build it with new${name})`))
    }
  }
