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
export type { HttpCall, HttpClient } from './core/Http.js'
export { axiosClient } from './core/Http.js'
export type { HttpRequest, HttpResponse, HeaderValue } from './core/Request.js'
export type { QuotaRef, RetryPolicy, RetryQuota } from './core/Retry.js'
export { defaultRetryPolicy } from './core/Retry.js'
export * from './core/Sensitive.js'
export type { Service } from './core/Service.js'
export type { Endpoint, EndpointParams } from './core/Endpoint.js'
export { VERSION } from './core/version.js'
