/**
 * The AWS SSO portal API (IAM Identity Center): flat re-exports of its operations, their
 * shared shapes, the service record and its endpoint resolver.
 *
 * @since 0.1.0
 */
export * from './Endpoint.js'
export * from './GetRoleCredentials.js'
export * from './ListAccountRoles.js'
export * from './ListAccounts.js'
export * from './Logout.js'
export * from './Service.js'
export * from './Types.js'
