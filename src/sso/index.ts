/**
 * The AWS SSO portal API (IAM Identity Center): flat re-exports of its operations, the
 * service record and its endpoint resolver.
 *
 * @since 0.1.0
 */
export * from './Endpoint.js'
export * from './Logout.js'
export * from './Service.js'
export { SensitiveString, validateAccessToken } from './Types.js'
