/**
 * The SSO session lifecycle, hand-written over the `fp-aws/sso` and `fp-aws/sso-oidc`
 * clients (Node only): `login` (what `fp-aws sso login` runs: PKCE or device code, cached as
 * the AWS CLI v2 caches it), the caches of the AWS CLI v2 and the SDKs on disk (the token
 * cache `~/.aws/sso/cache`, the CLI credential cache `~/.aws/cli/cache`), client-side logout
 * (`logoutAll`, `logoutSession`: what `fp-aws sso logout` runs), `fromSSOToken` (the session's
 * access token, refreshed across processes) and `fromSSO` (credentials
 * from an SSO profile, with `memoizeCredentials`). The home directory is always an argument; nothing here reads
 * `HOME` or the environment.
 *
 * @since 0.1.0
 */
export * from './ClientLogout.js'
export * from './Codec.js'
export * from './Credentials.js'
export * from './File.js'
export * from './fromSSO.js'
export * from './Refresh.js'
export * from './Login.js'
export * from './Secure.js'
export * from './Session.js'
export * from './Sessions.js'
export * from './Token.js'
