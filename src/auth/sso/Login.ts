/**
 * Logging in to IAM Identity Center (Node only), as `aws sso login` (AWS CLI v2) does, over
 * the `fp-aws/sso-oidc` client: the authorization code grant with PKCE for `sso-session`
 * profiles (the default of the AWS CLI v2 since 2.22), the device code grant for legacy
 * profiles or when asked. The client registration and the token are cached in
 * `<home>/.aws/sso/cache` under the AWS CLI's file names and in its JSON format, so that
 * the AWS CLI uses an fp-aws login and fp-aws uses an `aws sso login`.
 *
 * The reference is `awscli/customizations/sso/utils.py` and `awscli/botocore/utils.py`
 * (`BaseSSOTokenFetcher`, `SSOTokenFetcher`, `SSOTokenFetcherAuth`, `AuthCodeFetcher`,
 * `JSONFileCache`) of aws-cli v2; what is copied from it is said where it is done.
 *
 * Nothing ambient is read: the home directory, the environment, the clock, the sleep and
 * the randomness are options.
 *
 * @since 0.2.0
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as nodePath from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { onAbort } from '../../core/Abort.js'
import { send } from '../../core/AWSRequest.js'
import { readEnv, readOptions } from '../../core/Args.js'
import { type ConfigError, type ConfigFile, type ReadFile } from '../../core/Config.js'
import { fromEnvironment, type Env } from '../../core/Env.js'
import type { AWSError } from '../../core/Error.js'
import { reveal, sensitive, type Sensitive } from '../../core/Sensitive.js'
import { SensitiveString } from '../../services/sso/Types.js'
import { CreateToken, newCreateToken, type CreateTokenResponse } from '../../services/sso-oidc/CreateToken.js'
import { newRegisterClient, RegisterClient } from '../../services/sso-oidc/RegisterClient.js'
import { ssoOidc } from '../../services/sso-oidc/Service.js'
import {
  newStartDeviceAuthorization,
  StartDeviceAuthorization
} from '../../services/sso-oidc/StartDeviceAuthorization.js'
import * as t from 'io-ts'
import { formatCliTimestamp, optional, TimestampCodec } from './Codec.js'
import type { FileError } from './File.js'
import { resolveSecure, writeFileSecure } from './Secure.js'
import {
  loadConfigFile,
  readSessionTarget,
  sessionCacheId,
  ssoProfile,
  ssoSession,
  type SessionTarget,
  type SSOConfigError,
  type SSOSessionRef
} from './Session.js'
import { readJsonFile, sha1Hex, tokenCacheDir, tokenCacheFile, type SSOToken } from './Token.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Whom to log in: the SSO session of a profile, or an `sso-session` section by name.
 *
 * @category model
 * @since 0.2.0
 */
export type LoginTarget = SessionTarget

/**
 * What the user is shown: the verification URI and user code of the device code grant, or
 * the authorization URL of the authorization code grant.
 *
 * @category model
 * @since 0.2.0
 */
export type LoginPrompt =
  | {
      readonly _tag: 'DeviceCode'
      readonly verificationUri: string
      readonly verificationUriComplete: string
      readonly userCode: string
    }
  | { readonly _tag: 'AuthorizationCode'; readonly authorizeUrl: string }

/**
 * Opens a URL in a browser: `true` when it did. A rejection, a throw or a `Left` counts as
 * `false`; the login goes on either way (the prompt shows the URL).
 *
 * @category model
 * @since 0.2.0
 */
export type OpenBrowser = (url: string) => Promise<boolean> | TE.TaskEither<unknown, boolean>

/**
 * What {@link login} needs.
 *
 * @category model
 * @since 0.2.0
 */
export interface LoginOptions {
  /** The home directory (the caches, and `~/.aws/config` unless `AWS_CONFIG_FILE`). */
  readonly homedir: string
  /** The environment variables (`AWS_CONFIG_FILE`, `AWS_ENDPOINT_URL_SSO_OIDC`, …). */
  readonly env: Readonly<Record<string, string | undefined>>
  /** Shows the user what to open (and the user code). Called once, before `openBrowser`. */
  readonly prompt: (info: LoginPrompt) => void
  /** Opens the URL in a browser (default: none, the prompt alone). */
  readonly openBrowser?: OpenBrowser
  /** The device code grant even for an `sso-session` (default `false`). */
  readonly useDeviceCode?: boolean
  /** The port of the loopback listener of the authorization code grant (default: a random one). */
  readonly redirectPort?: number
  /** How long to wait for the browser's redirect, in ms (default {@link DEFAULT_LOGIN_TIMEOUT_MS}). */
  readonly timeoutMs?: number
  /** The clock, epoch milliseconds (default `Date.now`). */
  readonly now?: () => number
  /** Waits between two polls of the device code grant (default: a timer). */
  readonly sleep?: (ms: number) => Promise<void>
  /**
   * `n` random bytes (default `crypto.randomBytes`): the PKCE verifier and the `state`. One
   * that throws or gives no `Uint8Array` of `n` bytes is replaced by `crypto.randomBytes`.
   */
  readonly randomBytes?: (n: number) => Uint8Array
  /** How the config file is read (default `nodeReadFile`). */
  readonly readFile?: ReadFile
  /** Aborting it stops the login (the wait for the browser, the polling, a call in flight): `Aborted`. */
  readonly signal?: AbortSignal
  /**
   * The `Env` of the SSO OIDC calls in the SSO region. Default: `fromEnvironment` with this
   * `env` (its `AWS_PROFILE` set to the profile), `homedir` and `readFile`, for the service
   * `SSO OIDC`, the region overridden and this `now`.
   */
  readonly envForRegion?: (region: string) => TE.TaskEither<ConfigError, Env>
}

/**
 * A login that did not succeed, without a secret in it:
 *
 * - `InvalidOptions`: what was passed to {@link login} cannot be used;
 * - `RegistrationFailed`: `RegisterClient` failed (`cause`);
 * - `Denied`: the user denied the request (`AccessDeniedException`, or the redirect's
 *   `error=access_denied`);
 * - `Expired`: the device code or the authorization code expired before it was used;
 * - `TimedOut`: the browser did not come back to the loopback listener in time;
 * - `StateMismatch`: the redirect's `state` is not the one sent (nothing is exchanged);
 * - `AuthorizationFailed`: the redirect carries an `error` or no code, or the code was
 *   refused (`InvalidGrantException`);
 * - `ListenerFailed`: the loopback listener cannot listen (`code`, e.g. `EADDRINUSE`);
 * - `CacheWriteFailed`: the registration or the token cannot be written (`file`);
 * - `ServiceFailed`: `StartDeviceAuthorization` or `CreateToken` failed otherwise (`cause`);
 * - `InvalidResponse`: a response lacks a member the login needs;
 * - `Aborted`: the `signal` of the options aborted.
 *
 * @category model
 * @since 0.2.0
 */
export interface LoginFailure {
  readonly _tag: 'LoginFailure'
  readonly reason:
    | 'InvalidOptions'
    | 'RegistrationFailed'
    | 'Denied'
    | 'Expired'
    | 'TimedOut'
    | 'StateMismatch'
    | 'AuthorizationFailed'
    | 'ListenerFailed'
    | 'CacheWriteFailed'
    | 'ServiceFailed'
    | 'InvalidResponse'
    | 'Aborted'
  readonly message: string
  /** The operation that failed, for `RegistrationFailed`, `ServiceFailed`, `InvalidResponse`, …. */
  readonly operation?: string | undefined
  /** The call's error, for the failures of a call. */
  readonly cause?: AWSError | undefined
  /** The file, for `CacheWriteFailed`. */
  readonly file?: string | undefined
  /** The write's error, for `CacheWriteFailed`. */
  readonly fileError?: FileError | undefined
  /** The system error code, for `ListenerFailed`. */
  readonly code?: string | undefined
}

/**
 * Every way {@link login} can fail.
 *
 * @category model
 * @since 0.2.0
 */
export type LoginError = ConfigError | SSOConfigError | LoginFailure

/**
 * A login that succeeded. The token's secrets are `Sensitive`: printing or serializing a
 * result shows none.
 *
 * @category model
 * @since 0.2.0
 */
export interface LoginResult {
  readonly flow: 'AuthorizationCode' | 'DeviceCode'
  /** The profile logged in, when the target was one. */
  readonly profile: string | undefined
  /** The `sso-session` name (`undefined` for a legacy profile). */
  readonly ssoSession: string | undefined
  readonly startUrl: string
  readonly region: string
  /** The token cache file written. */
  readonly tokenFile: string
  /** The registration cache file. */
  readonly registrationFile: string
  /** Whether a cached client registration was used (no `RegisterClient` call). */
  readonly registrationReused: boolean
  readonly expiresAt: Date
  /** The token, as written. */
  readonly token: SSOToken
}

/**
 * How long the authorization code grant waits for the browser: 10 minutes, the AWS CLI's
 * `AuthCodeFetcher._OVERALL_TIMEOUT`.
 *
 * @category constants
 * @since 0.2.0
 */
export const DEFAULT_LOGIN_TIMEOUT_MS = 10 * 60_000

/**
 * The polling interval of the device code grant when the service gives none: 5 s
 * (`SSOTokenFetcher._DEFAULT_INTERVAL`, from RFC 8628).
 *
 * @category constants
 * @since 0.2.0
 */
export const DEFAULT_POLL_INTERVAL_MS = 5_000

/**
 * What a `SlowDownException` adds to the interval: 5 s (`SSOTokenFetcher._SLOW_DOWN_DELAY`,
 * RFC 8628 section 3.5).
 *
 * @category constants
 * @since 0.2.0
 */
export const SLOW_DOWN_DELAY_MS = 5_000

/**
 * The scope of the authorization code grant when the `sso-session` sets no
 * `sso_registration_scopes` (`SSOTokenFetcherAuth._AUTH_GRANT_DEFAULT_SCOPE`).
 *
 * @category constants
 * @since 0.2.0
 */
export const DEFAULT_AUTH_SCOPE = 'sso:account:access'

/**
 * The redirect URI registered for the authorization code grant, without a port
 * (`AuthCodeFetcher.redirect_uri_without_port`: loopback redirects match any port, RFC
 * 8252 section 7.3).
 *
 * @category constants
 * @since 0.2.0
 */
export const REGISTERED_REDIRECT_URI = 'http://127.0.0.1/oauth/callback'

/** A cached registration no longer used this close to its expiry (`BaseSSOTokenFetcher._EXPIRY_WINDOW`). */
const EXPIRY_WINDOW_MS = 15 * 60_000

const AUTH_GRANT_TYPES = ['authorization_code', 'refresh_token'] as const

// -------------------------------------------------------------------------------------
// the AWS CLI's cache formats
// -------------------------------------------------------------------------------------

/**
 * Serializes JSON as Python's `json.dumps` does by default (what the AWS CLI's
 * `JSONFileCache` writes): `", "` and `": "` separators, keys in insertion order, every
 * character outside printable ASCII escaped (`\uXXXX`, lower-case hex).
 *
 * @example
 * import { cliCacheJson } from 'fp-aws/auth/sso'
 *
 * assert.strictEqual(cliCacheJson({ a: ['x', 1], b: null, c: 'é\n' }), '{"a": ["x", 1], "b": null, "c": "\\u00e9\\n"}')
 *
 * @category cache
 * @since 0.2.0
 */
export const cliCacheJson = (value: unknown): string => {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null'
  if (typeof value === 'string') return pythonString(value)
  if (Array.isArray(value)) return `[${value.map(cliCacheJson).join(', ')}]`
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    return `{${entries.map(([k, v]) => `${pythonString(k)}: ${cliCacheJson(v)}`).join(', ')}}`
  }
  return 'null'
}

const PY_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '"': '\\"', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/** Python's `ESCAPE_ASCII`: `[\\"]|[^\ -~]`, each UTF-16 unit of the rest as `\uXXXX`. */
const pythonString = (s: string): string =>
  `"${s.replace(/[\\"]|[^ -~]/g, (c) => PY_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`

/**
 * The cache key of a client registration, as the AWS CLI v2 computes it
 * (`BaseSSOTokenFetcher._registration_cache_key`): the SHA-1 (hex) of
 * `json.dumps({tool: 'botocore', startUrl, region, scopes, session_name}, sort_keys=True)`;
 * `scopes` and `session_name` are `null` when absent.
 *
 * @example
 * import { registrationCacheKey } from 'fp-aws/auth/sso'
 *
 * assert.match(registrationCacheKey({ startUrl: 'https://x.awsapps.com/start', region: 'eu-west-1', scopes: undefined, sessionName: 'my-sso' }), /^[0-9a-f]{40}$/)
 *
 * @category cache
 * @since 0.2.0
 */
export const registrationCacheKey = (p: {
  readonly startUrl: string
  readonly region: string
  readonly scopes: ReadonlyArray<string> | undefined
  readonly sessionName: string | undefined
}): string =>
  sha1Hex(
    cliCacheJson({
      region: p.region,
      scopes: p.scopes === undefined ? null : p.scopes,
      session_name: p.sessionName === undefined ? null : p.sessionName,
      startUrl: p.startUrl,
      tool: 'botocore'
    })
  )

/**
 * A cached client registration, as the AWS CLI v2 writes it: `clientId`, `clientSecret`,
 * `expiresAt`, and `scopes` and `grantTypes` (the latter only for the authorization code
 * grant).
 *
 * @category model
 * @since 0.2.0
 */
export interface ClientRegistration {
  readonly clientId: string
  readonly clientSecret: Sensitive<string>
  readonly expiresAt: Date
  readonly scopes?: ReadonlyArray<string> | undefined
  readonly grantTypes?: ReadonlyArray<string> | undefined
}

/**
 * io-ts codec of a cached client registration (unknown fields dropped).
 *
 * @category codecs
 * @since 0.2.0
 */
export const ClientRegistrationCodec = t.intersection([
  t.strict({ clientId: t.string, clientSecret: SensitiveString, expiresAt: TimestampCodec }),
  t.exact(t.partial({ scopes: optional(t.array(t.string)), grantTypes: optional(t.array(t.string)) }))
])

/** The bytes of a registration file, in `_register_client`'s key order. */
const registrationText = (r: ClientRegistration): string =>
  cliCacheJson({
    clientId: r.clientId,
    clientSecret: reveal(r.clientSecret),
    expiresAt: formatCliTimestamp(r.expiresAt),
    scopes: r.scopes,
    grantTypes: r.grantTypes
  })

/**
 * The bytes of a token file as the AWS CLI v2 writes it (`_create_token_attempt`,
 * `_create_token_`, then `JSONFileCache` with `_sso_json_dumps`): `startUrl`, `region`,
 * `accessToken`, `expiresAt`, `clientId`, `clientSecret`, `registrationExpiresAt`, then
 * `refreshToken` when there is one.
 *
 * @category cache
 * @since 0.2.0
 */
export const cliTokenText = (token: SSOToken): string =>
  cliCacheJson({
    startUrl: token.startUrl,
    region: token.region,
    accessToken: reveal(token.accessToken),
    expiresAt: formatCliTimestamp(token.expiresAt),
    clientId: token.clientId,
    clientSecret: token.clientSecret === undefined ? undefined : reveal(token.clientSecret),
    registrationExpiresAt: token.registrationExpiresAt === undefined ? undefined : formatCliTimestamp(token.registrationExpiresAt),
    refreshToken: token.refreshToken === undefined ? undefined : reveal(token.refreshToken)
  })

// -------------------------------------------------------------------------------------
// PKCE
// -------------------------------------------------------------------------------------

/**
 * `n` bytes from `bytes`, or from `crypto.randomBytes` when it is not a function, throws, or
 * gives anything but a `Uint8Array` of `n` bytes (a promise it gives is left to settle, its
 * rejection handled).
 */
const safeBytes = (bytes: (n: number) => Uint8Array, n: number): Uint8Array => {
  try {
    const got: unknown = typeof bytes === 'function' ? bytes(n) : undefined
    if (got instanceof Uint8Array && got.length >= n) return got.subarray(0, n)
    if (typeof (got as PromiseLike<unknown> | null | undefined)?.then === 'function') {
      void Promise.resolve(got).catch(() => undefined)
    }
  } catch {
    // replaced below
  }
  return randomBytes(n)
}

const VERIFIER_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~'

/**
 * A PKCE code verifier: 64 characters drawn uniformly from `[A-Za-z0-9-._~]`, as
 * `SSOTokenFetcherAuth` draws it (RFC 7636 allows 43 to 128). `bytes` gives random bytes
 * (one that gives no `Uint8Array` is replaced by `crypto.randomBytes`); bytes that would
 * bias the draw are rejected.
 *
 * @example
 * import { codeVerifier } from 'fp-aws/auth/sso'
 *
 * assert.match(codeVerifier(), /^[A-Za-z0-9._~-]{64}$/)
 *
 * @category pkce
 * @since 0.2.0
 */
export const codeVerifier = (bytes: (n: number) => Uint8Array = randomBytes): string => {
  const limit = 256 - (256 % VERIFIER_ALPHABET.length)
  let out = ''
  // a source that keeps giving rejected bytes (a test's constant) falls back to the system's
  for (let round = 0; out.length < 64; round++) {
    for (const b of round < 16 ? safeBytes(bytes, 64) : randomBytes(64)) {
      if (b < limit && out.length < 64) out += VERIFIER_ALPHABET[b % VERIFIER_ALPHABET.length]
    }
  }
  return out
}

/**
 * The S256 code challenge of a verifier: base64url of its SHA-256, without padding.
 *
 * @example
 * import { codeChallenge } from 'fp-aws/auth/sso'
 *
 * // RFC 7636, appendix B
 * assert.strictEqual(codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')
 *
 * @category pkce
 * @since 0.2.0
 */
export const codeChallenge = (verifier: string): string =>
  createHash('sha256').update(verifier, 'ascii').digest('base64url')

/** RFC 3986 percent-encoding, unreserved characters kept (Python's `quote(s, safe='-_.~')`). */
const percentEncode = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

/**
 * The authorization URL of the authorization code grant, as `_get_authorization_uri` builds
 * it: `<OIDC origin>/authorize?response_type=code&client_id=…&redirect_uri=…&state=…`
 * `&code_challenge_method=S256&scopes=…&code_challenge=…`, the scopes joined by spaces.
 *
 * @example
 * import { authorizeUrl } from 'fp-aws/auth/sso'
 *
 * const url = authorizeUrl({
 *   origin: 'https://oidc.eu-west-1.amazonaws.com',
 *   clientId: 'c',
 *   redirectUri: 'http://127.0.0.1:5000/oauth/callback',
 *   state: 's',
 *   challenge: 'x',
 *   scopes: ['sso:account:access']
 * })
 * assert.strictEqual(new URL(url).searchParams.get('scopes'), 'sso:account:access')
 *
 * @category pkce
 * @since 0.2.0
 */
export const authorizeUrl = (p: {
  readonly origin: string
  readonly clientId: string
  readonly redirectUri: string
  readonly state: string
  readonly challenge: string
  readonly scopes: ReadonlyArray<string>
}): string =>
  `${p.origin}/authorize?` +
  [
    ['response_type', 'code'],
    ['client_id', p.clientId],
    ['redirect_uri', p.redirectUri],
    ['state', p.state],
    ['code_challenge_method', 'S256'],
    ['scopes', p.scopes.join(' ')],
    ['code_challenge', p.challenge]
  ]
    .map(([k, v]) => `${k}=${percentEncode(v as string)}`)
    .join('&')

// -------------------------------------------------------------------------------------
// the loopback listener
// -------------------------------------------------------------------------------------

/**
 * The page the loopback listener answers the browser's redirect with.
 *
 * @category pkce
 * @since 0.2.0
 */
export const callbackPage = (ok: boolean): string =>
  [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8"><title>fp-aws sso login</title></head>',
    '<body style="font-family: sans-serif; margin: 3em">',
    ok
      ? '<h1>Request approved</h1><p>fp-aws has received the authorization. You may close this tab and return to the terminal.</p>'
      : '<h1>Request not approved</h1><p>fp-aws did not receive an authorization. You may close this tab and return to the terminal.</p>',
    '</body></html>',
    ''
  ].join('\n')

type Callback =
  | { readonly _tag: 'Code'; readonly code: string; readonly state: string }
  | { readonly _tag: 'Error'; readonly error: string }
  | { readonly _tag: 'TimedOut' }
  | { readonly _tag: 'Aborted' }

interface Listener {
  readonly port: number
  /** Waits for the redirect (or the timeout); the listener is closed when it resolves. */
  readonly wait: (timeoutMs: number, signal: AbortSignal | undefined) => Promise<Callback>
  readonly close: () => Promise<void>
}

/**
 * Listens on 127.0.0.1 (`port` 0: a random one) for `GET /oauth/callback`. The first
 * redirect with `code` and `state`, or with `error`, ends the wait (as `OAuthCallbackHandler`
 * does); a request to another path is a 404, one without them a 400, and the wait goes on.
 */
const listen = (port: number): Promise<E.Either<{ code: string | undefined }, Listener>> =>
  new Promise((resolve) => {
    let settle: ((c: Callback) => void) | undefined
    let received: Callback | undefined
    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const headers = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'" }
      if (req.method !== 'GET' || url.pathname !== '/oauth/callback') {
        res.writeHead(404, headers).end(callbackPage(false))
        return
      }
      const code = url.searchParams.get('code')
      const state = url.searchParams.get('state')
      const error = url.searchParams.get('error')
      let got: Callback | undefined
      if (error !== null) got = { _tag: 'Error', error }
      else if (code !== null && state !== null) got = { _tag: 'Code', code, state }
      if (got === undefined || received !== undefined) {
        res.writeHead(400, headers).end(callbackPage(false))
        return
      }
      received = got
      res.writeHead(200, headers).end(callbackPage(got._tag === 'Code'), () => settle?.(got))
    })
    const close = (): Promise<void> =>
      new Promise((done) => {
        server.closeAllConnections()
        server.close(() => done())
      })
    server.once('error', (e: NodeJS.ErrnoException) => resolve(E.left({ code: typeof e.code === 'string' ? e.code : undefined })))
    server.listen(port, '127.0.0.1', () => {
      // once listening, a server error (rare) must not crash the process: the wait still ends
      server.on('error', () => undefined)
      const address = server.address() as AddressInfo
      resolve(
        E.right({
          port: address.port,
          close,
          wait: (timeoutMs, signal) =>
            new Promise<Callback>((done) => {
              let finished = false
              const timer = setTimeout(() => finish({ _tag: 'TimedOut' }), timeoutMs)
              const off = signal === undefined ? undefined : onAbort(signal, () => finish({ _tag: 'Aborted' }))
              const finish = (c: Callback): void => {
                if (finished) return
                finished = true
                clearTimeout(timer)
                off?.()
                settle = undefined
                void close().then(() => done(c))
              }
              if (received !== undefined) finish(received)
              else if (signal?.aborted === true) finish({ _tag: 'Aborted' })
              else settle = finish
            })
        })
      )
    })
  })

// -------------------------------------------------------------------------------------
// login
// -------------------------------------------------------------------------------------

const failure = (reason: LoginFailure['reason'], message: string, more: Partial<LoginFailure> = {}): LoginFailure => ({
  _tag: 'LoginFailure',
  reason,
  message,
  ...more
})

interface Resolved {
  readonly profile: string | undefined
  readonly sessionName: string | undefined
  readonly ref: SSOSessionRef
  readonly startUrl: string
  readonly region: string
  /** `sso_registration_scopes` of the `sso-session`, parsed (`parse_sso_registration_scopes`). */
  readonly scopes: ReadonlyArray<string> | undefined
}

const resolveTarget = (file: ConfigFile, path: string, target: LoginTarget): E.Either<SSOConfigError, Resolved> => {
  const profile = 'profile' in target ? target.profile : undefined
  return pipe(
    profile !== undefined
      ? pipe(
          ssoProfile(file, profile, path),
          E.map((p) => p.session)
        )
      : ssoSession(file, (target as { ssoSession: string }).ssoSession, path),
    E.chain((ref) => {
      const missing = (setting: string): E.Either<SSOConfigError, never> =>
        E.left({
          _tag: 'SSOConfigError',
          reason: 'MissingSetting',
          source: path,
          setting,
          message: `the ${profile !== undefined ? `profile '${profile}'` : `sso-session '${ref._tag === 'SSOSession' ? ref.name : ''}'`} has no '${setting}'`
        })
      if (ref.startUrl === undefined) return missing('sso_start_url')
      if (ref.region === undefined) return missing('sso_region')
      const sessionName = ref._tag === 'SSOSession' ? ref.name : undefined
      const raw = sessionName === undefined ? undefined : file.ssoSessions.get(sessionName)?.get('sso_registration_scopes')
      const scopes = raw === undefined ? undefined : raw.split(',').map((s) => s.trim()).filter((s) => s !== '')
      return E.right({ profile, sessionName, ref, startUrl: ref.startUrl, region: ref.region, scopes })
    })
  )
}

/**
 * Logs in to IAM Identity Center and caches the token where `aws sso login` does. An
 * `sso-session` uses the authorization code grant with PKCE unless `useDeviceCode`; a
 * legacy profile (`sso_start_url` on the profile) uses the device code grant. Never rejects.
 *
 * @example
 * import * as fs from 'node:fs'
 * import * as os from 'node:os'
 * import * as path from 'node:path'
 * import { login } from 'fp-aws/auth/sso'
 *
 * const home = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-doc-'))
 * void login({ profile: 'nope' }, { homedir: home, env: {}, prompt: () => undefined })().then((r) => {
 *   assert.ok(r._tag === 'Left' && r.left._tag === 'SSOConfigError' && r.left.reason === 'ProfileNotFound')
 *   fs.rmSync(home, { recursive: true })
 * })
 *
 * @category login
 * @since 0.2.0
 */
export const login = (target: LoginTarget, options: LoginOptions): TE.TaskEither<LoginError, LoginResult> => {
  const bad = (what: string): TE.TaskEither<LoginError, LoginResult> =>
    TE.left(failure('InvalidOptions', `the options of login: ${what}`))
  const checkedTarget = readSessionTarget(target)
  if (E.isLeft(checkedTarget)) return bad(checkedTarget.left)
  const read = readOptions(options, [
    'homedir', 'env', 'prompt', 'openBrowser', 'useDeviceCode', 'redirectPort', 'timeoutMs', 'now', 'sleep',
    'randomBytes', 'readFile', 'envForRegion', 'signal'
  ])
  if (E.isLeft(read)) return bad(read.left)
  const o = read.right
  const env = readEnv(o.env)
  if (E.isLeft(env)) return bad(`env ${env.left}`)
  if (typeof o.homedir !== 'string') return bad('homedir must be a string')
  if (typeof o.prompt !== 'function') return bad('prompt must be a function')
  for (const k of ['openBrowser', 'now', 'sleep', 'randomBytes', 'readFile', 'envForRegion'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'function') return bad(`${k} must be a function`)
  }
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) return bad('signal must be an AbortSignal')
  if (o.useDeviceCode !== undefined && typeof o.useDeviceCode !== 'boolean') return bad('useDeviceCode must be a boolean')
  if (o.redirectPort !== undefined && !(Number.isInteger(o.redirectPort) && (o.redirectPort as number) >= 0 && (o.redirectPort as number) <= 65535)) {
    return bad('redirectPort must be an integer from 0 to 65535')
  }
  if (o.timeoutMs !== undefined && !(typeof o.timeoutMs === 'number' && o.timeoutMs > 0 && o.timeoutMs <= 2 ** 31 - 1)) {
    return bad('timeoutMs must be a positive number of milliseconds')
  }
  const checked = { ...(o as unknown as LoginOptions), env: env.right, homedir: o.homedir }
  const run = loginChecked(checkedTarget.right, checked)
  // a function the caller gave (prompt, now, sleep, …) may throw: a Left, never a rejection
  return () => run().catch(() => E.left(failure('InvalidOptions', 'a function given in the options of login failed')))
}

const loginChecked = (target: LoginTarget, options: LoginOptions): TE.TaskEither<LoginError, LoginResult> => {
  const now = options.now ?? Date.now
  return pipe(
    loadConfigFile({ env: options.env, homedir: options.homedir, readFile: options.readFile }),
    TE.chainEitherKW(({ path, file }) => resolveTarget(file, path, target)),
    TE.bindTo('target'),
    TE.bindW('env', ({ target: r }) =>
      (options.envForRegion ??
        ((region: string) =>
          fromEnvironment({
            env: r.profile === undefined ? options.env : { ...options.env, AWS_PROFILE: r.profile },
            homedir: options.homedir,
            ...(options.readFile === undefined ? {} : { readFile: options.readFile }),
            services: ['SSO OIDC'],
            overrides: { region, now, ...(options.signal === undefined ? {} : { signal: options.signal }) }
          })))(r.region)
    ),
    TE.chainW(({ target: r, env }) =>
      r.sessionName !== undefined && options.useDeviceCode !== true
        ? authorizationCodeFlow(r, env, options)
        : deviceCodeFlow(r, env, options)
    )
  )
}

/** The registration cache: read when it is usable for this flow, else a new registration, written. */
const registration = (
  r: Resolved,
  env: Env,
  options: LoginOptions,
  flow: LoginResult['flow']
): TE.TaskEither<LoginFailure, { readonly registration: ClientRegistration; readonly file: string; readonly reused: boolean }> => {
  const now = options.now ?? Date.now
  const file = nodePath.join(
    tokenCacheDir(options.homedir),
    `${registrationCacheKey({ startUrl: r.startUrl, region: r.region, scopes: r.scopes, sessionName: r.sessionName })}.json`
  )
  const forAuthCode = (g: ClientRegistration): boolean => g.grantTypes?.includes('authorization_code') === true
  const cached: TE.TaskEither<unknown, ClientRegistration> = pipe(
    resolveSecure(file, 'file'),
    TE.chainW(
      (found): TE.TaskEither<unknown, ClientRegistration> =>
        found._tag === 'Missing' ? TE.left('missing') : readJsonFile(ClientRegistrationCodec)(found.path)
    ),
    TE.filterOrElseW(
      // `_registration`: reused when not within 15 minutes of its expiry, and for the same grant
      (g) => g.expiresAt.getTime() - now() >= EXPIRY_WINDOW_MS && forAuthCode(g) === (flow === 'AuthorizationCode'),
      () => 'unusable'
    )
  )
  const fresh: TE.TaskEither<LoginFailure, ClientRegistration> = pipe(
    // `_generate_client_name`: the session name, or the time for a legacy profile
    newRegisterClient(`botocore-client-${r.sessionName ?? String(Math.floor(now() / 1000))}`, 'public'),
    (rq) =>
      flow === 'AuthorizationCode'
        ? {
            ...rq,
            grantTypes: [...AUTH_GRANT_TYPES],
            redirectUris: [REGISTERED_REDIRECT_URI],
            issuerUrl: O.some(r.startUrl),
            scopes: r.scopes ?? [DEFAULT_AUTH_SCOPE]
          }
        : { ...rq, scopes: r.scopes ?? [] },
    (rq) => send(RegisterClient)(rq)(env),
    TE.mapLeft((cause) =>
      failure('RegistrationFailed', `RegisterClient failed: ${cause.message}`, { operation: 'RegisterClient', cause })
    ),
    TE.chainEitherK((rs) =>
      O.isSome(rs.clientId) && O.isSome(rs.clientSecret)
        ? E.right<LoginFailure, ClientRegistration>({
            clientId: rs.clientId.value,
            clientSecret: rs.clientSecret.value,
            expiresAt: new Date(rs.clientSecretExpiresAt * 1000),
            ...(flow === 'AuthorizationCode'
              ? { scopes: r.scopes ?? [DEFAULT_AUTH_SCOPE], grantTypes: [...AUTH_GRANT_TYPES] }
              : r.scopes !== undefined && r.scopes.length > 0
                ? { scopes: r.scopes }
                : {})
          })
        : E.left(failure('InvalidResponse', 'RegisterClient returned no clientId or clientSecret', { operation: 'RegisterClient' }))
    ),
    TE.chainFirst((g) => writeCache(file, registrationText(g)))
  )
  type Got = { readonly registration: ClientRegistration; readonly file: string; readonly reused: boolean }
  return pipe(
    cached,
    TE.map((g): Got => ({ registration: g, file, reused: true })),
    TE.orElse(() =>
      pipe(
        fresh,
        TE.map((g): Got => ({ registration: g, file, reused: false }))
      )
    )
  )
}

const writeCache = (file: string, text: string): TE.TaskEither<LoginFailure, void> =>
  pipe(
    writeFileSecure(file, text),
    TE.mapLeft((e) => failure('CacheWriteFailed', e.message, { file, fileError: e }))
  )

/** Builds the token from `CreateToken`'s answer and writes it; `issuedAt` is when it was asked for. */
const saveToken = (
  r: Resolved,
  options: LoginOptions,
  flow: LoginResult['flow'],
  reg: { readonly registration: ClientRegistration; readonly file: string; readonly reused: boolean },
  rs: CreateTokenResponse,
  issuedAt: number
): TE.TaskEither<LoginFailure, LoginResult> => {
  if (O.isNone(rs.accessToken)) {
    return TE.left(failure('InvalidResponse', 'CreateToken returned no accessToken', { operation: 'CreateToken' }))
  }
  const token: SSOToken = {
    startUrl: r.startUrl,
    region: r.region,
    accessToken: rs.accessToken.value,
    // `self._time_fetcher() + expires_in`, written to the second
    expiresAt: new Date(Math.floor((issuedAt + rs.expiresIn * 1000) / 1000) * 1000),
    clientId: reg.registration.clientId,
    clientSecret: reg.registration.clientSecret,
    registrationExpiresAt: reg.registration.expiresAt,
    ...(O.isSome(rs.refreshToken) ? { refreshToken: rs.refreshToken.value } : {})
  }
  const tokenFile = tokenCacheFile(options.homedir, sessionCacheId(r.ref))
  return pipe(
    writeCache(tokenFile, cliTokenText(token)),
    TE.map(() => ({
      flow,
      profile: r.profile,
      ssoSession: r.sessionName,
      startUrl: r.startUrl,
      region: r.region,
      tokenFile,
      registrationFile: reg.file,
      registrationReused: reg.reused,
      expiresAt: token.expiresAt,
      token
    }))
  )
}

/** The failure of a `CreateToken` call that ends the login. */
const createTokenFailure = (cause: AWSError): LoginFailure => {
  if (cause._tag === 'ServiceError') {
    switch (cause.code) {
      case 'AccessDeniedException':
        return failure('Denied', 'the login was denied', { operation: 'CreateToken', cause })
      case 'ExpiredTokenException':
        return failure('Expired', 'the authorization expired before it was approved: log in again', { operation: 'CreateToken', cause })
      case 'InvalidGrantException':
        return failure('AuthorizationFailed', `the authorization was refused: ${cause.message}`, { operation: 'CreateToken', cause })
    }
  }
  return failure('ServiceFailed', `CreateToken failed: ${cause.message}`, { operation: 'CreateToken', cause })
}

const openQuietly = async (open: OpenBrowser | undefined, url: string): Promise<void> => {
  if (open === undefined) return
  try {
    const r: unknown = open(url)
    // a TaskEither is a function returning a promise; a Promise is awaited as is
    await (typeof r === 'function' ? (r as () => Promise<unknown>)() : r)
  } catch {
    // `OpenBrowserHandler`: a browser that fails to open is not an error, the prompt shows the URL
  }
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

const isAborted = (signal: AbortSignal | undefined): boolean => signal?.aborted === true

const aborted = (): LoginFailure => failure('Aborted', 'the login was aborted')

/** `sleep(ms)`, cut short by an abort (the sleep's own timer is left to end). */
const sleepUnlessAborted = (sleep: (ms: number) => Promise<void>, ms: number, signal: AbortSignal | undefined): Promise<void> => {
  if (signal === undefined) return sleep(ms)
  if (signal.aborted) return Promise.resolve()
  let off: (() => void) | undefined
  // listening first: a sleep that aborts as it starts is heard too
  const abort = new Promise<void>((resolve) => (off = onAbort(signal, resolve)))
  return Promise.race([abort, sleep(ms)]).finally(() => off?.())
}

/**
 * The device code grant (`SSOTokenFetcher._poll_for_token`): register, start the device
 * authorization, one `CreateToken` attempt before prompting (a pre-authorized client needs
 * no prompt), then poll at the interval; `SlowDownException` adds 5 s, `ExpiredTokenException`
 * or the device code's expiry ends it as `Expired`, `AccessDeniedException` as `Denied`.
 */
const deviceCodeFlow = (r: Resolved, env: Env, options: LoginOptions): TE.TaskEither<LoginFailure, LoginResult> => {
  const now = options.now ?? Date.now
  const sleep = options.sleep ?? defaultSleep
  return pipe(
    registration(r, env, options, 'DeviceCode'),
    TE.bindTo('reg'),
    TE.bind('auth', ({ reg }) =>
      pipe(
        send(StartDeviceAuthorization)(
          newStartDeviceAuthorization(reg.registration.clientId, reveal(reg.registration.clientSecret), r.startUrl)
        )(env),
        TE.mapLeft((cause) =>
          failure('ServiceFailed', `StartDeviceAuthorization failed: ${cause.message}`, { operation: 'StartDeviceAuthorization', cause })
        ),
        TE.chainEitherK((rs) =>
          O.isSome(rs.deviceCode) && O.isSome(rs.userCode) && O.isSome(rs.verificationUri)
            ? E.right({
                deviceCode: rs.deviceCode.value,
                userCode: rs.userCode.value,
                verificationUri: rs.verificationUri.value,
                verificationUriComplete: O.getOrElse(() => (rs.verificationUri as O.Some<string>).value)(rs.verificationUriComplete),
                expiresAtMs: now() + rs.expiresIn * 1000,
                intervalMs: rs.interval > 0 ? rs.interval * 1000 : DEFAULT_POLL_INTERVAL_MS
              })
            : E.left(
                failure('InvalidResponse', 'StartDeviceAuthorization returned no deviceCode, userCode or verificationUri', {
                  operation: 'StartDeviceAuthorization'
                })
              )
        )
      )
    ),
    TE.chainW(({ reg, auth }) => async () => {
      const rq = {
        ...newCreateToken(reg.registration.clientId, reveal(reg.registration.clientSecret), 'urn:ietf:params:oauth:grant-type:device_code'),
        deviceCode: O.some(auth.deviceCode)
      }
      let interval = auth.intervalMs
      let prompted = false
      for (;;) {
        if (isAborted(options.signal)) return E.left(aborted())
        const issuedAt = now()
        const res = await send(CreateToken)(rq)(env)()
        if (E.isRight(res)) return saveToken(r, options, 'DeviceCode', reg, res.right, issuedAt)()
        if (isAborted(options.signal)) return E.left(aborted())
        const e = res.left
        if (e._tag === 'ServiceError' && e.code === 'SlowDownException') interval += SLOW_DOWN_DELAY_MS
        else if (!(e._tag === 'ServiceError' && e.code === 'AuthorizationPendingException')) return E.left(createTokenFailure(e))
        if (!prompted) {
          prompted = true
          const { verificationUri, verificationUriComplete, userCode } = auth
          options.prompt({ _tag: 'DeviceCode', verificationUri, verificationUriComplete, userCode })
          await openQuietly(options.openBrowser, verificationUriComplete)
        }
        if (now() + interval > auth.expiresAtMs) {
          return E.left(failure('Expired', 'the device code expired before the login was approved: log in again', { operation: 'CreateToken' }))
        }
        await sleepUnlessAborted(sleep, interval, options.signal)
      }
    })
  )
}

/**
 * The authorization code grant with PKCE (`SSOTokenFetcherAuth._get_new_token`): listen on
 * 127.0.0.1, register (redirect URI without port, issuer the start URL), prompt and open
 * the authorization URL, wait for the redirect, check `state`, then `CreateToken` with the
 * code, the redirect URI with its port and the verifier.
 */
const authorizationCodeFlow = (r: Resolved, env: Env, options: LoginOptions): TE.TaskEither<LoginFailure, LoginResult> => {
  const now = options.now ?? Date.now
  const bytes = options.randomBytes ?? randomBytes
  const endpoint = ssoOidc.resolveEndpoint({
    Region: r.region,
    ...((env.endpoint ?? env.endpoints[ssoOidc.serviceId]) !== undefined ? { Endpoint: env.endpoint ?? env.endpoints[ssoOidc.serviceId] } : {}),
    UseFIPS: env.useFIPS,
    UseDualStack: env.useDualStack
  })
  if (E.isLeft(endpoint)) {
    return TE.left(failure('ServiceFailed', `the SSO OIDC endpoint cannot be resolved: ${endpoint.left.message}`, { cause: endpoint.left }))
  }
  // `_get_base_authorization_uri`: the scheme and host of the resolved endpoint
  const origin = new URL(endpoint.right.url).origin
  return async () => {
    const listening = await listen(options.redirectPort ?? 0)
    if (E.isLeft(listening)) {
      return E.left(
        failure('ListenerFailed', `cannot listen on 127.0.0.1:${options.redirectPort ?? 0} (${listening.left.code ?? 'error'})`, {
          code: listening.left.code
        })
      )
    }
    const listener = listening.right
    try {
      const reg = await registration(r, env, options, 'AuthorizationCode')()
      if (E.isLeft(reg)) return reg
      const verifier = codeVerifier(bytes)
      // `uuid.uuid4()` in the AWS CLI: a random UUID from the given bytes
      const state = uuidFromBytes(safeBytes(bytes, 16))
      const redirectUri = `http://127.0.0.1:${listener.port}/oauth/callback`
      const url = authorizeUrl({
        origin,
        clientId: reg.right.registration.clientId,
        redirectUri,
        state,
        challenge: codeChallenge(verifier),
        scopes: r.scopes ?? [DEFAULT_AUTH_SCOPE]
      })
      options.prompt({ _tag: 'AuthorizationCode', authorizeUrl: url })
      await openQuietly(options.openBrowser, url)
      const cb = await listener.wait(options.timeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS, options.signal)
      if (cb._tag === 'Aborted') return E.left(aborted())
      if (cb._tag === 'TimedOut') return E.left(failure('TimedOut', 'the browser did not complete the login in time'))
      if (cb._tag === 'Error') {
        return E.left(
          cb.error === 'access_denied'
            ? failure('Denied', 'the login was denied')
            : failure('AuthorizationFailed', `the authorization failed (${cb.error.replace(/[^\w.-]/g, '').slice(0, 64)})`)
        )
      }
      if (cb.state !== state) return E.left(failure('StateMismatch', 'the state of the redirect is not the one sent: nothing was exchanged'))
      const rq = {
        ...newCreateToken(reg.right.registration.clientId, reveal(reg.right.registration.clientSecret), 'authorization_code'),
        code: O.some(sensitive(cb.code)),
        redirectUri: O.some(redirectUri),
        codeVerifier: O.some(sensitive(verifier))
      }
      const issuedAt = now()
      const res = await send(CreateToken)(rq)(env)()
      if (E.isLeft(res)) return E.left(isAborted(options.signal) ? aborted() : createTokenFailure(res.left))
      return await saveToken(r, options, 'AuthorizationCode', reg.right, res.right, issuedAt)()
    } finally {
      await listener.close()
    }
  }
}

/** A version 4 UUID from 16 random bytes (RFC 9562 section 5.4). */
const uuidFromBytes = (b: Uint8Array): string => {
  if (b.length < 16) return randomUUID()
  const x = Array.from(b.slice(0, 16))
  x[6] = ((x[6] as number) & 0x0f) | 0x40
  x[8] = ((x[8] as number) & 0x3f) | 0x80
  const h = x.map((n) => n.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}
