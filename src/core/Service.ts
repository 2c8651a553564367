/**
 * A `Service` record describes one AWS service to the runtime: its names, how to resolve
 * its endpoint, and how to read its error responses (the restJson1 rules here).
 *
 * @since 0.1.0
 */
import type { Either } from 'fp-ts/lib/Either.js'
import type { Endpoint, EndpointParams } from './Endpoint.js'
import type { EndpointError, ServiceError } from './Error.js'
import type { HttpResponse } from './Request.js'
import { SECRET_HEADERS } from './Request.js'
import { REDACTED } from './Sensitive.js'

/**
 * One AWS service, as the runtime needs to know it.
 *
 * @category model
 * @since 0.1.0
 */
export interface Service {
  /** Short name, e.g. `SSO`. */
  readonly abbrev: string
  /** Smithy `sdkId`, used for `AWS_ENDPOINT_URL_<ID>` and `services` config sections. */
  readonly serviceId: string
  readonly endpointPrefix: string
  readonly signingName: string
  /** API version, e.g. `2019-06-10`. */
  readonly version: string
  readonly resolveEndpoint: (params: EndpointParams) => Either<EndpointError, Endpoint>
  readonly parseError: (res: HttpResponse) => ServiceError
}

const decoder = new TextDecoder('utf-8', { fatal: false })

const parseJsonObject = (body: Uint8Array): Readonly<Record<string, unknown>> => {
  if (body.length === 0) return {}
  try {
    const v: unknown = JSON.parse(decoder.decode(body))
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

/**
 * Normalises a restJson1 error code: keeps the part before `:` and after the last `#`.
 *
 * @example
 * import { sanitizeErrorCode } from 'fp-aws/core/Service'
 *
 * assert.strictEqual(
 *   sanitizeErrorCode('com.amazonaws.switchboard.portal#UnauthorizedException:http://internal'),
 *   'UnauthorizedException'
 * )
 *
 * @category protocol
 * @since 0.1.0
 */
export const sanitizeErrorCode = (raw: string): string => {
  if (typeof raw !== 'string') return ''
  const beforeColon = raw.split(':', 1)[0] ?? ''
  const hash = beforeColon.lastIndexOf('#')
  return (hash >= 0 ? beforeColon.slice(hash + 1) : beforeColon).trim()
}

const str = (u: unknown): string | undefined => (typeof u === 'string' && u.length > 0 ? u : undefined)

/**
 * Response headers with every secret-bearing one shown as `<redacted>`.
 *
 * @category protocol
 * @since 0.1.0
 */
export const redactResponseHeaders = (headers: Readonly<Record<string, string>>): Record<string, string> => {
  const out: Record<string, string> = {}
  if (typeof headers !== 'object' || headers === null) return out
  try {
    for (const k of Object.keys(headers)) out[k] = SECRET_HEADERS.has(k) ? REDACTED : (headers[k] as string)
  } catch {
    // headers that cannot be read: none kept
  }
  return out
}

/**
 * Reads a restJson1 error response: the code from the `x-amzn-errortype` header, else the
 * body's `code`, else its `__type` (the order of the AWS SDKs), else an OAuth 2.0 `error`
 * (RFC 6749 §5.2, RFC 8628 §3.5, RFC 7591 §3.2.2); the message from `message`, else
 * `Message`, else an OAuth `error_description`; the request id from `x-amzn-requestid`.
 * Total: an unreadable body still gives a `ServiceError`.
 *
 * An OAuth `error` in snake_case is named as the Smithy error shapes that model it are:
 * `slow_down` is `SlowDownException`, `authorization_pending` is
 * `AuthorizationPendingException`, and RFC 6749's `server_error` is
 * `InternalServerException`. Any other `error` value counts as absent. The official SDKs
 * (aws-sdk-js-v3, botocore) stop at `__type` and answer such a body with an unknown error
 * whose message is not the `error_description`; services that answer this way also send the
 * header, which wins.
 *
 * @example
 * import { parseRestJsonError } from 'fp-aws/core/Service'
 *
 * const body = new TextEncoder().encode(
 *   '{"message":"Session token not found or invalid","__type":"com.amazonaws.switchboard.portal#UnauthorizedException"}'
 * )
 * const e = parseRestJsonError({ status: 401, headers: { 'x-amzn-requestid': 'r-1' }, body })
 * assert.strictEqual(e.code, 'UnauthorizedException')
 * assert.strictEqual(e.requestId, 'r-1')
 *
 * const oauth = new TextEncoder().encode('{"error":"slow_down","error_description":"Client is polling too quickly"}')
 * const s = parseRestJsonError({ status: 400, headers: {}, body: oauth })
 * assert.strictEqual(s.code, 'SlowDownException')
 * assert.strictEqual(s.message, 'Client is polling too quickly')
 *
 * @category protocol
 * @since 0.1.0
 */
export const parseRestJsonError = (res: HttpResponse): ServiceError => {
  try {
    return parseChecked(res)
  } catch {
    return { _tag: 'ServiceError', code: 'UnknownError', message: 'the error response cannot be read', status: 0, requestId: undefined, headers: {} }
  }
}

/** An OAuth 2.0 error code: lower-case words joined by `_`. */
const OAUTH_ERROR = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/

/** The Smithy name of an OAuth 2.0 `error`: `slow_down` is `SlowDownException`. */
const oauthErrorCode = (error: string | undefined): string | undefined => {
  if (error === undefined || !OAUTH_ERROR.test(error)) return undefined
  if (error === 'server_error') return 'InternalServerException'
  return `${error
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('')}Exception`
}

const parseChecked = (res: HttpResponse): ServiceError => {
  const json = parseJsonObject(res.body)
  const raw = str(res.headers['x-amzn-errortype']) ?? str(json['code']) ?? str(json['__type'])
  const code = raw === undefined ? (oauthErrorCode(str(json['error'])) ?? '') : sanitizeErrorCode(raw)
  return {
    _tag: 'ServiceError',
    code: code === '' ? 'UnknownError' : code,
    message: str(json['message']) ?? str(json['Message']) ?? str(json['error_description']) ?? `HTTP ${res.status}`,
    status: res.status,
    requestId: str(res.headers['x-amzn-requestid']),
    headers: redactResponseHeaders(res.headers)
  }
}
