/**
 * The access token of an SSO session, refreshed when it comes close to its expiry (Node
 * only): what `fromSSO` and the `fp-aws sso` commands get their token from.
 *
 * - Outside the refresh window ({@link REFRESH_WINDOW_MS}, botocore's 15 minutes: the token
 *   is refreshed when less than that is left) the cached token is returned, with no call.
 * - Inside it, an `sso-session` token holding `refreshToken`, `clientId`, `clientSecret` and
 *   an unexpired `registrationExpiresAt` is refreshed with SSO OIDC `CreateToken` (the
 *   `refresh_token` grant), and written back atomically, as AWS CLI v2 writes it: the
 *   registration fields kept, the new refresh token when the service rotated it (the old one
 *   when it did not). A legacy token (a profile's own `sso_start_url`) is never refreshed.
 * - A failed refresh falls back to the cached token while it is still valid; an error asks
 *   to log in again only when no valid token is left.
 * - Across processes, the refresh holds a lock on the cache file (`proper-lockfile`: a
 *   `<file>.lock` directory, refreshed while held, taken over once it is
 *   {@link LOCK_STALE_MS} old, so that a process that died holding it does not block the
 *   others for long). Holding the lock, the cache is read again: a token another process
 *   already refreshed is used as it is, with no call; so a refresh token is sent once, and
 *   never after it was rotated away.
 * - Within a process, callers refreshing the same cache file share one refresh.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import lockfile from 'proper-lockfile'
import { send } from '../../core/AWSRequest.js'
import { readEnv, readOptions } from '../../core/Args.js'
import { configError, type ConfigError, type ReadFile } from '../../core/Config.js'
import { fromEnvironment, type Env } from '../../core/Env.js'
import { reveal, type Sensitive } from '../../core/Sensitive.js'
import { CreateToken, newCreateToken } from '../../services/sso-oidc/CreateToken.js'
import { formatTimestamp } from './Codec.js'
import type { SSOTokenError } from './fromSSO.js'
import { cliTokenText } from './Login.js'
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
import { isTokenExpired, readToken, tokenCacheFile, type SSOToken } from './Token.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Whose token: a profile's session, or an `sso-session` section by name.
 *
 * @category model
 * @since 0.2.0
 */
export type TokenTarget = SessionTarget

/**
 * What {@link fromSSOToken} needs.
 *
 * @category model
 * @since 0.2.0
 */
export interface FromSSOTokenOptions {
  /** The home directory (token cache, and `~/.aws/config` unless `AWS_CONFIG_FILE`). */
  readonly homedir: string
  /** The environment variables (`AWS_CONFIG_FILE`, `AWS_ENDPOINT_URL_SSO_OIDC`, …). */
  readonly env: Readonly<Record<string, string | undefined>>
  /** The clock, epoch milliseconds (default `Date.now`). */
  readonly now?: () => number
  /** How the config file is read (default `nodeReadFile`). */
  readonly readFile?: ReadFile
  /**
   * The `Env` of the `CreateToken` call in the SSO region. Default: `fromEnvironment` with
   * this `env`, `homedir` and `readFile`, for the service `SSO OIDC` (so
   * `AWS_ENDPOINT_URL_SSO_OIDC` applies), the region overridden, and this `now`.
   */
  readonly envForRegion?: (region: string) => TE.TaskEither<ConfigError, Env>
}

/**
 * Why a token inside the refresh window was not refreshed:
 * - `Legacy`: a legacy profile's token (never refreshed);
 * - `NotRefreshable`: the token lacks `refreshToken`, `clientId`, `clientSecret` or
 *   `registrationExpiresAt`;
 * - `RegistrationExpired`: the client registration has expired;
 * - `ServiceFailed`: `CreateToken` failed (`code`: the service's error code, or the kind of
 *   failure);
 * - `InvalidResponse`: `CreateToken` answered without an access token;
 * - `LockFailed`: the lock on the cache file could not be taken.
 *
 * @category model
 * @since 0.2.0
 */
export interface RefreshFailure {
  readonly reason: 'Legacy' | 'NotRefreshable' | 'RegistrationExpired' | 'ServiceFailed' | 'InvalidResponse' | 'LockFailed'
  readonly code?: string | undefined
  readonly message: string
}

/**
 * Every way {@link fromSSOToken} can fail.
 *
 * @category model
 * @since 0.2.0
 */
export type FromSSOTokenError = ConfigError | SSOConfigError | SSOTokenError

/**
 * The refresh window: a token with less than this left before its expiry is refreshed
 * (botocore's `_REFRESH_WINDOW`, 15 minutes).
 *
 * @category constants
 * @since 0.2.0
 */
export const REFRESH_WINDOW_MS = 15 * 60_000

/**
 * How old the lock on a token cache file may grow before another process takes it over
 * (10 seconds). A process holding it touches it every half of that.
 *
 * @category constants
 * @since 0.2.0
 */
export const LOCK_STALE_MS = 10_000

/**
 * Who asked, for the messages: a profile or an `sso-session`.
 *
 * @category model
 * @since 0.2.0
 */
export type TokenOwner = { readonly profile: string; readonly ssoSession?: undefined } | { readonly ssoSession: string; readonly profile?: undefined }

// -------------------------------------------------------------------------------------
// fromSSOToken
// -------------------------------------------------------------------------------------

const loginCommand = (who: TokenOwner): string =>
  who.profile !== undefined
    ? `run \`fp-aws sso login --profile ${who.profile}\` (or \`aws sso login --profile ${who.profile}\`)`
    : `run \`fp-aws sso login --sso-session ${who.ssoSession}\` (or \`aws sso login --sso-session ${who.ssoSession}\`)`

const describeOwner = (who: TokenOwner): string =>
  who.profile !== undefined ? `profile '${who.profile}'` : `sso-session '${who.ssoSession}'`

const tokenError = (
  who: TokenOwner,
  file: string,
  reason: SSOTokenError['reason'],
  what: string,
  refresh?: RefreshFailure
): SSOTokenError => ({
  _tag: 'SSOTokenError',
  reason,
  ...(who.profile !== undefined ? { profile: who.profile } : { ssoSession: who.ssoSession }),
  file,
  message: `${what}${refresh === undefined ? '' : ` (${refresh.message})`}: log in again: ${loginCommand(who)}`,
  ...(refresh === undefined ? {} : { refresh })
})

/**
 * The access token of an SSO session: of a profile (`{ profile }`, its `sso_session` or
 * legacy `sso_start_url`) or of an `sso-session` section (`{ ssoSession }`). The cached
 * token while it has more than {@link REFRESH_WINDOW_MS} left; else refreshed, across
 * processes and callers at most once (see the module's description); a failed refresh
 * falls back to the cached token while it is valid. Never rejects; no error holds a secret.
 *
 * @example
 * import * as fs from 'node:fs'
 * import * as os from 'node:os'
 * import * as path from 'node:path'
 * import { fromSSOToken } from 'fp-aws/auth/sso'
 *
 * const home = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-doc-'))
 * fs.mkdirSync(path.join(home, '.aws', 'sso', 'cache'), { recursive: true })
 * fs.writeFileSync(path.join(home, '.aws', 'config'), '[sso-session demo]\nsso_start_url = https://demo.awsapps.com/start\nsso_region = us-east-1\n')
 * // sha1('demo')
 * fs.writeFileSync(
 *   path.join(home, '.aws', 'sso', 'cache', '89e495e7941cf9e40e6980d14a16bf023ccd4c91.json'),
 *   JSON.stringify({ startUrl: 'https://demo.awsapps.com/start', region: 'us-east-1', accessToken: 'secret', expiresAt: '2999-01-01T00:00:00Z' })
 * )
 * void fromSSOToken({ ssoSession: 'demo' }, { homedir: home, env: {} })().then((r) => {
 *   assert.ok(r._tag === 'Right' && !JSON.stringify(r).includes('secret'))
 *   fs.rmSync(home, { recursive: true })
 * })
 *
 * @category constructors
 * @since 0.2.0
 */
export const fromSSOToken = (target: TokenTarget, options: FromSSOTokenOptions): TE.TaskEither<FromSSOTokenError, Sensitive<string>> => {
  const bad = (what: string): TE.TaskEither<FromSSOTokenError, Sensitive<string>> =>
    TE.left(configError('fromSSOToken', `the options of fromSSOToken: ${what}`))
  const checkedTarget = readSessionTarget(target)
  if (E.isLeft(checkedTarget)) return bad(checkedTarget.left)
  const read = readOptions(options, ['homedir', 'env', 'now', 'readFile', 'envForRegion'])
  if (E.isLeft(read)) return bad(read.left)
  const o = read.right
  const env = readEnv(o.env)
  if (E.isLeft(env)) return bad(`env ${env.left}`)
  if (typeof o.homedir !== 'string') return bad('homedir must be a string')
  for (const k of ['now', 'readFile', 'envForRegion'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'function') return bad(`${k} must be a function`)
  }
  const checked: FromSSOTokenOptions = {
    homedir: o.homedir,
    env: env.right,
    ...(o.now === undefined ? {} : { now: o.now as () => number }),
    ...(o.readFile === undefined ? {} : { readFile: o.readFile as ReadFile }),
    ...(o.envForRegion === undefined ? {} : { envForRegion: o.envForRegion as FromSSOTokenOptions['envForRegion'] })
  }
  const who: TokenOwner = checkedTarget.right
  const run = pipe(
    loadConfigFile({ env: checked.env, homedir: checked.homedir, readFile: checked.readFile }),
    TE.chainEitherKW(({ path, file }) =>
      who.profile !== undefined
        ? pipe(
            ssoProfile(file, who.profile, path),
            E.map((p) => p.session)
          )
        : ssoSession(file, who.ssoSession, path)
    ),
    TE.chainW((ref) => sessionToken(ref, who, checked)),
    TE.map((token) => token.accessToken)
  )
  // a function the caller gave (now, readFile, envForRegion) may throw: a Left, never a rejection
  return () => run().catch(() => E.left(configError('fromSSOToken', 'a function given in the options of fromSSOToken failed')))
}

// -------------------------------------------------------------------------------------
// the session's token
// -------------------------------------------------------------------------------------

/** Refreshes in flight in this process, by cache file. */
const inflight = new Map<string, Promise<E.Either<FromSSOTokenError, SSOToken>>>()

const inWindow = (token: SSOToken, nowMs: number): boolean => !(token.expiresAt.getTime() - nowMs >= REFRESH_WINDOW_MS)

/** Why a token cannot be refreshed, if it cannot. */
const notRefreshable = (ref: SSOSessionRef, token: SSOToken, nowMs: number): RefreshFailure | undefined => {
  if (ref._tag === 'Legacy') return { reason: 'Legacy', message: 'a legacy profile’s token is not refreshed' }
  if (token.refreshToken === undefined || token.clientId === undefined || token.clientSecret === undefined || token.registrationExpiresAt === undefined) {
    return { reason: 'NotRefreshable', message: 'the cached token cannot be refreshed' }
  }
  if (!(token.registrationExpiresAt.getTime() > nowMs)) {
    return {
      reason: 'RegistrationExpired',
      message: `the client registration expired at ${formatTimestamp(token.registrationExpiresAt)}`
    }
  }
  return undefined
}

/**
 * The token of a session reference (as `fromSSO` resolves it from a profile), refreshed as
 * {@link fromSSOToken} does; `who` names the profile or `sso-session` in messages.
 *
 * @category constructors
 * @since 0.2.0
 */
export const sessionToken = (ref: SSOSessionRef, who: TokenOwner, options: FromSSOTokenOptions): TE.TaskEither<FromSSOTokenError, SSOToken> => {
  const now = options.now ?? Date.now
  const file = tokenCacheFile(options.homedir, sessionCacheId(ref))
  return pipe(
    readCached(file, who),
    TE.chainW(({ token, path }) => {
      const t = now()
      if (!inWindow(token, t)) return TE.right(token)
      const why = notRefreshable(ref, token, t)
      if (why !== undefined) return TE.fromEither(fallback(token, t, who, file, why))
      return () => shared(path, () => refreshLocked(ref, who, file, path, token, options))
    })
  )
}

/** The cached token, from the file resolved safely. */
const readCached = (file: string, who: TokenOwner): TE.TaskEither<SSOTokenError, { readonly token: SSOToken; readonly path: string }> => {
  const missing = tokenError(who, file, 'Missing', `no cached SSO token for ${describeOwner(who)} (${file})`)
  return pipe(
    // resolved once, every directory and link on the way checked; the file itself is then
    // read at the resolved path, without following a link
    resolveSecure(file, 'file'),
    TE.mapLeft(
      (u): SSOTokenError => ({
        _tag: 'SSOTokenError',
        reason: 'UnsafeDirectory',
        ...(who.profile !== undefined ? { profile: who.profile } : { ssoSession: who.ssoSession }),
        file,
        message: `the SSO token cache of ${describeOwner(who)} is refused: ${u.message}; fix its ownership or permissions`
      })
    ),
    TE.chainW((r) =>
      r._tag === 'Missing'
        ? TE.left(missing)
        : pipe(
            readToken(r.path),
            TE.bimap(
              (e) =>
                e.reason === 'NotFound'
                  ? missing
                  : tokenError(who, file, 'Invalid', `the cached SSO token of ${describeOwner(who)} is unusable: ${e.message}`),
              (token) => ({ token, path: r.path })
            )
          )
    )
  )
}

/** The token while it is valid, else the "log in again" error. */
const fallback = (token: SSOToken, nowMs: number, who: TokenOwner, file: string, why: RefreshFailure): E.Either<SSOTokenError, SSOToken> =>
  isTokenExpired(token, nowMs)
    ? E.left(tokenError(who, file, 'Expired', `the SSO session of ${describeOwner(who)} expired at ${formatTimestamp(token.expiresAt)}`, why))
    : E.right(token)

/** One refresh per cache file at a time in this process: later callers share the one in flight. */
const shared = (key: string, run: () => Promise<E.Either<FromSSOTokenError, SSOToken>>): Promise<E.Either<FromSSOTokenError, SSOToken>> => {
  const running = inflight.get(key)
  if (running !== undefined) return running
  const p = run()
    .catch(() => E.left(configError('fromSSOToken', 'the token refresh failed unexpectedly')))
    .finally(() => inflight.delete(key))
  inflight.set(key, p)
  return p
}

type Release = () => Promise<void>

/** Takes the lock on the cache file: retried for about twice {@link LOCK_STALE_MS}, a stale lock taken over. */
const acquire = async (path: string): Promise<E.Either<RefreshFailure, Release>> => {
  try {
    const release = await lockfile.lock(path, {
      realpath: false,
      stale: LOCK_STALE_MS,
      retries: { retries: 400, factor: 1.2, minTimeout: 5, maxTimeout: 60, randomize: true },
      // the default throws from a timer; a lock lost while held only ends the hold
      onCompromised: () => undefined
    })
    return E.right(async () => {
      try {
        await release()
      } catch {
        // released already (compromised): nothing to do
      }
    })
  } catch (e) {
    const code = typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : undefined
    return E.left({ reason: 'LockFailed', code, message: `the lock on the token cache could not be taken${code === undefined ? '' : ` (${code})`}` })
  }
}

/** The same token: the same access token and the same refresh token. */
const sameToken = (a: SSOToken, b: SSOToken): boolean =>
  reveal(a.accessToken) === reveal(b.accessToken) &&
  (a.refreshToken === undefined ? b.refreshToken === undefined : b.refreshToken !== undefined && reveal(a.refreshToken) === reveal(b.refreshToken))

/**
 * Under the lock: read the cache again, refresh if still needed, write the new token. `seen`
 * is the token read before the lock: a different one in the cache now was written by
 * another process's refresh, and is used as it is, even when the service's tokens live
 * shorter than the window (refreshing it again would make one refresh per process).
 */
const refreshLocked = async (
  ref: SSOSessionRef,
  who: TokenOwner,
  file: string,
  path: string,
  seen: SSOToken,
  options: FromSSOTokenOptions
): Promise<E.Either<FromSSOTokenError, SSOToken>> => {
  const now = options.now ?? Date.now
  const lock = await acquire(path)
  if (E.isLeft(lock)) {
    const again = await readCached(file, who)()
    return E.isLeft(again) ? again : fallback(again.right.token, now(), who, file, lock.left)
  }
  try {
    const again = await readCached(file, who)()
    if (E.isLeft(again)) return again
    const token = again.right.token
    const t = now()
    // refreshed by another process meanwhile: its token, and no call
    if (!sameToken(token, seen) || !inWindow(token, t)) return E.right(token)
    const why = notRefreshable(ref, token, t)
    if (why !== undefined) return fallback(token, t, who, file, why)
    const refreshed = await createToken(token, options)()
    if (E.isLeft(refreshed)) return fallback(token, now(), who, file, refreshed.left)
    // a failed write still gives the new token; the next refresh then finds the old file
    await writeFileSecure(path, cliTokenText(refreshed.right))()
    return E.right(refreshed.right)
  } finally {
    await lock.right()
  }
}

/** `CreateToken` with the `refresh_token` grant; the new token keeps the registration. */
const createToken = (token: SSOToken, options: FromSSOTokenOptions): TE.TaskEither<RefreshFailure, SSOToken> => {
  const now = options.now ?? Date.now
  const envForRegion =
    options.envForRegion ??
    ((region: string) =>
      fromEnvironment({
        env: options.env,
        homedir: options.homedir,
        ...(options.readFile === undefined ? {} : { readFile: options.readFile }),
        services: ['SSO OIDC'],
        overrides: { region, now }
      }))
  const { clientId, clientSecret, refreshToken } = token
  if (clientId === undefined || clientSecret === undefined || refreshToken === undefined) {
    return TE.left({ reason: 'NotRefreshable', message: 'the cached token cannot be refreshed' })
  }
  const issuedAt = now()
  return pipe(
    envForRegion(token.region),
    TE.mapLeft((e): RefreshFailure => ({ reason: 'ServiceFailed', code: e._tag, message: `the refresh could not be set up: ${e.message}` })),
    TE.chainW((env) =>
      pipe(
        send(CreateToken)({
          ...newCreateToken(clientId, reveal(clientSecret), 'refresh_token'),
          refreshToken: O.some(refreshToken)
        })(env),
        TE.mapLeft(
          (e): RefreshFailure => ({
            reason: 'ServiceFailed',
            code: e._tag === 'ServiceError' ? e.code : e._tag,
            message: `the refresh failed: ${e._tag === 'ServiceError' ? e.code : e._tag}`
          })
        )
      )
    ),
    TE.chainEitherK((rs) =>
      O.isNone(rs.accessToken)
        ? E.left<RefreshFailure, SSOToken>({ reason: 'InvalidResponse', message: 'the refresh returned no access token' })
        : E.right({
            startUrl: token.startUrl,
            region: token.region,
            accessToken: rs.accessToken.value,
            // `self._now() + expires_in`, written to the second
            expiresAt: new Date(Math.floor((issuedAt + rs.expiresIn * 1000) / 1000) * 1000),
            clientId,
            clientSecret,
            registrationExpiresAt: token.registrationExpiresAt,
            refreshToken: O.isSome(rs.refreshToken) ? rs.refreshToken.value : refreshToken
          })
    )
  )
}
