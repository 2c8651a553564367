/**
 * fp-aws: the service-agnostic runtime. `newEnv` / `fromEnvironment` build an `Env`,
 * `send` runs an operation's `AWSRequest` in it, and every failure is an `AWSError`.
 *
 * @since 0.1.0
 */
export * from './core/AWSRequest.js'
export * from './core/Env.js'
export * from './core/Error.js'
export * from './core/Hooks.js'
export type {
  /**
   * @category model
   * @since 0.1.0
   */
  HttpCall,
  /**
   * @category model
   * @since 0.1.0
   */
  HttpClient
} from './core/Http.js'
export {
  /**
   * @category constructors
   * @since 0.1.0
   */
  axiosClient
} from './core/Http.js'
export type {
  /**
   * @category model
   * @since 0.1.0
   */
  HttpRequest,
  /**
   * @category model
   * @since 0.1.0
   */
  HttpResponse,
  /**
   * @category model
   * @since 0.1.0
   */
  HeaderValue
} from './core/Request.js'
export type {
  /**
   * @category model
   * @since 0.1.0
   */
  QuotaRef,
  /**
   * @category model
   * @since 0.1.0
   */
  RetryPolicy,
  /**
   * @category model
   * @since 0.1.0
   */
  RetryQuota
} from './core/Retry.js'
export {
  /**
   * @category constants
   * @since 0.1.0
   */
  defaultRetryPolicy
} from './core/Retry.js'
export * from './core/Sensitive.js'
export type {
  /**
   * @category model
   * @since 0.1.0
   */
  Service
} from './core/Service.js'
export type {
  /**
   * @category model
   * @since 0.1.0
   */
  Endpoint,
  /**
   * @category model
   * @since 0.1.0
   */
  EndpointParams
} from './core/Endpoint.js'
export {
  /**
   * @category constants
   * @since 0.1.0
   */
  VERSION
} from './core/version.js'
export * from './core/Pager.js'
