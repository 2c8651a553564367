/**
 * The closed error union of fp-aws. Every failure of `send` is one of these, told apart by
 * `_tag`; none is ever thrown, and none holds a secret.
 *
 * @since 0.1.0
 */

/**
 * Bad input, found before any I/O: nothing was sent.
 *
 * @category model
 * @since 0.1.0
 */
export interface ValidationError {
  readonly _tag: 'ValidationError'
  /** The operation whose input was rejected, e.g. `Logout`. */
  readonly operation: string
  /** The offending field, e.g. `accessToken`. */
  readonly field: string
  /** What is wrong with it (never the value itself). */
  readonly message: string
}

/**
 * Why a transport attempt failed.
 *
 * @category model
 * @since 0.1.0
 */
export type TransportReason =
  | 'ConnectionRefused'
  | 'ConnectionReset'
  | 'DnsFailure'
  | 'Timeout'
  | 'TotalTimeout'
  | 'Aborted'
  | 'Redirect'
  /**
   * The proxy refused to carry the request (a `CONNECT` answered other than 200, a 407):
   * its answer is never read as the service's.
   */
  | 'ProxyRefused'
  /** Reported by an `HttpClient`; `send` turns it into a `SerializeError`. */
  | 'BodyTooLarge'
  | 'Other'

/**
 * The request could not be completed at the HTTP level: no connection, a reset, a timeout,
 * a cancellation, or a redirect (never followed: a token must not travel to another host).
 *
 * @category model
 * @since 0.1.0
 */
export interface TransportError {
  readonly _tag: 'TransportError'
  readonly reason: TransportReason
  readonly message: string
  /** The system error code where there was one (`ECONNRESET`, …). */
  readonly code: string | undefined
  /** The HTTP status where a response was received (a 3xx for `Redirect`). */
  readonly status: number | undefined
}

/**
 * A response came back but could not be read as the operation's output: not of the
 * expected shape, or larger than `maxResponseBytes` (cut off there, never read whole).
 *
 * @category model
 * @since 0.1.0
 */
export interface SerializeError {
  readonly _tag: 'SerializeError'
  readonly message: string
  /** The HTTP status (0 when the HTTP client did not report it). */
  readonly status: number
}

/**
 * The service answered with an error. `C` is the literal union of the operation's modelled
 * error codes; an unmodelled code still comes back here, as a plain string.
 *
 * @category model
 * @since 0.1.0
 */
export interface ServiceError<C extends string = string> {
  readonly _tag: 'ServiceError'
  readonly code: C | (string & {})
  readonly message: string
  readonly status: number
  readonly requestId: string | undefined
  /** The response headers, lower-cased, with secret-bearing ones redacted. */
  readonly headers: Readonly<Record<string, string>>
}

/**
 * The endpoint could not be resolved from the configuration (region, FIPS, dual-stack,
 * custom endpoint). The message is the endpoint rule set's own.
 *
 * @category model
 * @since 0.1.0
 */
export interface EndpointError {
  readonly _tag: 'EndpointError'
  readonly message: string
}

/**
 * Every way a call can fail.
 *
 * @category model
 * @since 0.1.0
 */
export type AWSError<C extends string = string> =
  | ValidationError
  | TransportError
  | SerializeError
  | ServiceError<C>
  | EndpointError

/**
 * @category constructors
 * @since 0.1.0
 */
export const validationError = (operation: string, field: string, message: string): ValidationError => ({
  _tag: 'ValidationError',
  operation,
  field,
  message
})

/**
 * @category constructors
 * @since 0.1.0
 */
export const transportError = (
  reason: TransportReason,
  message: string,
  code?: string,
  status?: number
): TransportError => ({ _tag: 'TransportError', reason, message, code, status })

/**
 * @category constructors
 * @since 0.1.0
 */
export const serializeError = (message: string, status: number): SerializeError => ({
  _tag: 'SerializeError',
  message,
  status
})

/**
 * @category constructors
 * @since 0.1.0
 */
export const endpointError = (message: string): EndpointError => ({ _tag: 'EndpointError', message })

/**
 * Folds an `AWSError` by its tag.
 *
 * @example
 * import { matchError, validationError } from 'fp-aws/core/Error'
 *
 * const describe = matchError({
 *   ValidationError: (e) => `bad ${e.field}`,
 *   TransportError: (e) => e.reason,
 *   SerializeError: (e) => e.message,
 *   ServiceError: (e) => e.code,
 *   EndpointError: (e) => e.message
 * })
 * assert.strictEqual(describe(validationError('Logout', 'accessToken', 'empty')), 'bad accessToken')
 *
 * @category destructors
 * @since 0.1.0
 */
export const matchError =
  <C extends string, B>(cases: {
    readonly ValidationError: (e: ValidationError) => B
    readonly TransportError: (e: TransportError) => B
    readonly SerializeError: (e: SerializeError) => B
    readonly ServiceError: (e: ServiceError<C>) => B
    readonly EndpointError: (e: EndpointError) => B
  }) =>
  (e: AWSError<C>): B => {
    switch (e._tag) {
      case 'ValidationError':
        return cases.ValidationError(e)
      case 'TransportError':
        return cases.TransportError(e)
      case 'SerializeError':
        return cases.SerializeError(e)
      case 'ServiceError':
        return cases.ServiceError(e)
      case 'EndpointError':
        return cases.EndpointError(e)
    }
  }
