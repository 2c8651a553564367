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
 * body's `code`, else its `__type`; the message from `message` or `Message`; the request
 * id from `x-amzn-requestid`. Total: an unreadable body still gives a `ServiceError`.
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

const parseChecked = (res: HttpResponse): ServiceError => {
  const json = parseJsonObject(res.body)
  const raw = str(res.headers['x-amzn-errortype']) ?? str(json['code']) ?? str(json['__type'])
  const code = raw === undefined ? '' : sanitizeErrorCode(raw)
  return {
    _tag: 'ServiceError',
    code: code === '' ? 'UnknownError' : code,
    message: str(json['message']) ?? str(json['Message']) ?? `HTTP ${res.status}`,
    status: res.status,
    requestId: str(res.headers['x-amzn-requestid']),
    headers: redactResponseHeaders(res.headers)
  }
}
