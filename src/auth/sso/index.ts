/**
 * The SSO caches of the AWS CLI v2 and the SDKs, on disk (Node only): the token cache
 * (`~/.aws/sso/cache`), the CLI credential cache (`~/.aws/cli/cache`), and client-side
 * logout (`logoutAll`, `logoutSession`: what `fp-aws sso logout` runs). The home directory
 * is always an argument; nothing here reads `HOME`, the environment or the clock.
 *
 * @since 0.1.0
 */
export * from './ClientLogout.js'
export * from './Codec.js'
export * from './Credentials.js'
export * from './File.js'
export * from './Secure.js'
export * from './Session.js'
export * from './Token.js'
