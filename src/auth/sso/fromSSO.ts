/**
 * AWS credentials from an SSO profile (Node only), as the AWS CLI v2 and the SDKs get them:
 * the profile's `sso_session` (or legacy `sso_start_url`), `sso_region`, `sso_account_id`
 * and `sso_role_name` from the config file, the token `aws sso login` cached under
 * `<home>/.aws/sso/cache`, then `GetRoleCredentials`. Plus {@link memoizeCredentials}, which
 * keeps credentials until shortly before they expire.
 *
 * Nothing ambient is read: the home directory and the environment are arguments, and the
 * clock is `now` (default `Date.now`, like `newEnv`). The token comes from `sessionToken`
 * (see `fromSSOToken`): refreshed when it comes close to its expiry, so credentials keep
 * coming for as long as the session lives; when no valid token is left, an `SSOTokenError`
 * asks to log in again.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { send } from '../../core/AWSRequest.js'
import { readEnv, readOptions } from '../../core/Args.js'
import { configError, type ConfigError, type ReadFile } from '../../core/Config.js'
import { fromEnvironment, type Env } from '../../core/Env.js'
import { serializeError, type AWSError } from '../../core/Error.js'
import { reveal, type Sensitive } from '../../core/Sensitive.js'
import { sessionToken, type RefreshFailure } from './Refresh.js'
import { loadConfigFile, ssoProfile, type SSOConfigError } from './Session.js'
import { GetRoleCredentials, newGetRoleCredentials, type GetRoleCredentialsErrorCode } from '../../services/sso/GetRoleCredentials.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Short-term AWS credentials. The secret access key and the session token are
 * `Sensitive`.
 *
 * @category model
 * @since 0.1.0
 */
export interface AwsCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: Sensitive<string>
  readonly sessionToken: Sensitive<string>
  readonly expiration: Date
}

/**
 * The cached SSO token is missing, unreadable or expired (and could not be refreshed), or
 * its cache was refused (`UnsafeDirectory`: a directory or symbolic link on its path could
 * be changed by another user than root or the running user, see `resolveSecure`; the file
 * is not read). The message says what to do; it holds no token.
 *
 * @category model
 * @since 0.1.0
 */
export interface SSOTokenError {
  readonly _tag: 'SSOTokenError'
  readonly reason: 'Missing' | 'Invalid' | 'Expired' | 'UnsafeDirectory'
  /** The profile asked for (absent when an `sso-session` was asked for by name). */
  readonly profile?: string | undefined
  /** The `sso-session` asked for by name (since 0.2.0). */
  readonly ssoSession?: string | undefined
  /** The token cache file. */
  readonly file: string
  readonly message: string
  /** Why an expired token was not refreshed (since 0.2.0). */
  readonly refresh?: RefreshFailure | undefined
}

/**
 * Every way {@link fromSSO} can fail.
 *
 * @category model
 * @since 0.1.0
 */
export type FromSSOError = ConfigError | SSOConfigError | SSOTokenError | AWSError<GetRoleCredentialsErrorCode>

/**
 * What {@link fromSSO} needs.
 *
 * @category model
 * @since 0.1.0
 */
export interface FromSSOOptions {
  /** The profile (default: `AWS_PROFILE` from `env`, else `default`). */
  readonly profile?: string
  /** The home directory (token cache, and `~/.aws/config` unless `AWS_CONFIG_FILE`). */
  readonly homedir: string
  /** The environment variables (`AWS_PROFILE`, `AWS_CONFIG_FILE`, endpoint settings, …). */
  readonly env: Readonly<Record<string, string | undefined>>
  /** The clock, epoch milliseconds (default `Date.now`). */
  readonly now?: () => number
  /** How the config file is read (default `nodeReadFile`). */
  readonly readFile?: ReadFile
  /**
   * The `Env` of the `GetRoleCredentials` call in the SSO region. Default: `fromEnvironment`
   * with this `env` (its `AWS_PROFILE` set to the profile), `homedir` and `readFile`, the
   * region overridden, and this `now`; so `AWS_ENDPOINT_URL_SSO` and the profile's endpoint
   * settings apply.
   */
  readonly envForRegion?: (region: string) => TE.TaskEither<ConfigError, Env>
}

// -------------------------------------------------------------------------------------
// fromSSO
// -------------------------------------------------------------------------------------

const missingSetting = (source: string, profile: string, setting: string): SSOConfigError => ({
  _tag: 'SSOConfigError',
  reason: 'MissingSetting',
  source,
  setting,
  message: `the SSO profile '${profile}' has no '${setting}'`
})

/**
 * Gets role credentials for an SSO profile: resolves its session (`sso_session` →
 * `[sso-session]` with `sso_start_url` and `sso_region`, or the legacy `sso_start_url` and
 * `sso_region` of the profile), `sso_account_id` and `sso_role_name`; reads the cached
 * token (`<homedir>/.aws/sso/cache/<sha1>.json`), refreshed inside the refresh window as
 * `fromSSOToken` does; fails with an `SSOTokenError` when it is missing, unreadable, or
 * expired and not refreshed; calls `GetRoleCredentials` in the SSO region.
 *
 * @example
 * import * as fs from 'node:fs'
 * import * as os from 'node:os'
 * import * as path from 'node:path'
 * import { fromSSO } from 'fp-aws/auth/sso'
 * import { DEMO_TOKEN, startEmulator } from 'fp-aws/emulator'
 *
 * void startEmulator()().then(async (started) => {
 *   if (started._tag === 'Left') return
 *   const emulator = started.right
 *   const home = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-doc-'))
 *   fs.mkdirSync(path.join(home, '.aws', 'sso', 'cache'), { recursive: true })
 *   fs.writeFileSync(
 *     path.join(home, '.aws', 'config'),
 *     '[profile dev]\nsso_session = demo\nsso_account_id = 123456789012\nsso_role_name = ReadOnly\n' +
 *       '[sso-session demo]\nsso_start_url = https://demo.awsapps.com/start\nsso_region = us-east-1\n'
 *   )
 *   // sha1('demo')
 *   fs.writeFileSync(
 *     path.join(home, '.aws', 'sso', 'cache', '89e495e7941cf9e40e6980d14a16bf023ccd4c91.json'),
 *     JSON.stringify({ startUrl: 'https://demo.awsapps.com/start', region: 'us-east-1', accessToken: DEMO_TOKEN, expiresAt: '2999-01-01T00:00:00Z' })
 *   )
 *   const creds = await fromSSO({ profile: 'dev', homedir: home, env: { AWS_ENDPOINT_URL_SSO: emulator.url } })()
 *   assert.ok(creds._tag === 'Right' && creds.right.accessKeyId.length > 0)
 *   const other = await fromSSO({ profile: 'nope', homedir: home, env: {} })()
 *   assert.ok(other._tag === 'Left' && other.left._tag === 'SSOConfigError')
 *   fs.rmSync(home, { recursive: true })
 *   await emulator.close()
 * })
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromSSO = (options: FromSSOOptions): TE.TaskEither<FromSSOError, AwsCredentials> => {
  const bad = (what: string): TE.TaskEither<FromSSOError, AwsCredentials> =>
    TE.left(configError('fromSSO', `the options of fromSSO: ${what}`))
  const read = readOptions(options, ['profile', 'homedir', 'env', 'now', 'readFile', 'envForRegion'])
  if (E.isLeft(read)) return bad(read.left)
  const o = read.right
  const env = readEnv(o.env)
  if (E.isLeft(env)) return bad(`env ${env.left}`)
  if (typeof o.homedir !== 'string') return bad('homedir must be a string')
  if (o.profile !== undefined && typeof o.profile !== 'string') return bad('profile must be a string')
  for (const k of ['now', 'readFile', 'envForRegion'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'function') return bad(`${k} must be a function`)
  }
  const checked = {
    ...(o as Partial<FromSSOOptions>),
    homedir: o.homedir,
    env: env.right,
    ...(o.profile === undefined ? {} : { profile: o.profile }),
    ...(o.now === undefined ? {} : { now: o.now as () => number }),
    // guarded where it is called (loadConfigFile, resolveConfig), as every readFile is
    ...(o.readFile === undefined ? {} : { readFile: o.readFile as ReadFile }),
    ...(o.envForRegion === undefined ? {} : { envForRegion: o.envForRegion as FromSSOOptions['envForRegion'] })
  }
  const run = fromCheckedOptions(checked)
  // a function the caller gave (now, envForRegion) may throw: a Left, never a rejection
  return () => run().catch(() => E.left(configError('fromSSO', 'a function given in the options of fromSSO failed')))
}

const fromCheckedOptions = (options: FromSSOOptions): TE.TaskEither<FromSSOError, AwsCredentials> => {
  const envProfile = options.env['AWS_PROFILE']
  const profile = options.profile ?? (envProfile === undefined || envProfile === '' ? 'default' : envProfile)
  const now = options.now ?? Date.now
  const envForRegion =
    options.envForRegion ??
    ((region: string) =>
      fromEnvironment({
        env: { ...options.env, AWS_PROFILE: profile },
        homedir: options.homedir,
        ...(options.readFile === undefined ? {} : { readFile: options.readFile }),
        overrides: { region, now }
      }))
  return pipe(
    loadConfigFile({ env: options.env, homedir: options.homedir, readFile: options.readFile }),
    TE.chainEitherKW(({ path, file }) =>
      pipe(
        ssoProfile(file, profile, path),
        E.chain((p) => {
          const { session, accountId, roleName } = p
          if (session.startUrl === undefined) return E.left(missingSetting(path, profile, 'sso_start_url'))
          if (session.region === undefined) return E.left(missingSetting(path, profile, 'sso_region'))
          if (accountId === undefined) return E.left(missingSetting(path, profile, 'sso_account_id'))
          if (roleName === undefined) return E.left(missingSetting(path, profile, 'sso_role_name'))
          return E.right({ session, region: session.region, accountId, roleName })
        })
      )
    ),
    TE.bindW('token', ({ session }) =>
      sessionToken(session, { profile }, {
        homedir: options.homedir,
        env: options.env,
        now,
        ...(options.readFile === undefined ? {} : { readFile: options.readFile })
      })
    ),
    TE.bindW('env', ({ region }) => envForRegion(region)),
    TE.chainW(({ accountId, roleName, token, env }) =>
      pipe(
        send(GetRoleCredentials)(newGetRoleCredentials(roleName, accountId, reveal(token.accessToken)))(env),
        TE.chainEitherKW((rs) =>
          pipe(
            rs.roleCredentials,
            O.chain((rc) =>
              pipe(
                O.Do,
                O.bind('accessKeyId', () => rc.accessKeyId),
                O.bind('secretAccessKey', () => rc.secretAccessKey),
                O.bind('sessionToken', () => rc.sessionToken),
                O.map((c): AwsCredentials => ({ ...c, expiration: new Date(rc.expiration) }))
              )
            ),
            E.fromOption(() =>
              serializeError('GetRoleCredentials: the response lacks accessKeyId, secretAccessKey or sessionToken', 200)
            )
          )
        )
      )
    )
  )
}

// -------------------------------------------------------------------------------------
// memoizeCredentials
// -------------------------------------------------------------------------------------

/**
 * How {@link memoizeCredentials} refreshes.
 *
 * @category model
 * @since 0.1.0
 */
export interface MemoizeOptions {
  /** The clock, epoch milliseconds. */
  readonly now: () => number
  /** Refresh this long before expiration (default 5 minutes). */
  readonly refreshMarginMs?: number
}

/**
 * The default refresh margin of {@link memoizeCredentials}: 5 minutes.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000

/**
 * Keeps the credentials a provider returns, and calls it again only when they are within
 * `refreshMarginMs` of their expiration (or past it). Concurrent calls share one refresh.
 * A failed refresh is not kept: if the old credentials have not expired yet they are
 * returned (the refresh is retried on the next call), else the failure is.
 *
 * @example
 * import * as TE from 'fp-ts/lib/TaskEither.js'
 * import { sensitive } from 'fp-aws/core/Sensitive'
 * import { memoizeCredentials } from 'fp-aws/auth/sso'
 *
 * let t = 0
 * let calls = 0
 * const provider = TE.fromTask(async () => {
 *   calls += 1
 *   return { accessKeyId: `AKID${calls}`, secretAccessKey: sensitive('s'), sessionToken: sensitive('t'), expiration: new Date(t + 3_600_000) }
 * })
 * const creds = memoizeCredentials(provider, { now: () => t })
 * void (async () => {
 *   await creds()
 *   t = 3_600_000 - 300_001 // just outside the 5-minute margin
 *   assert.ok((await creds())._tag === 'Right' && calls === 1)
 *   t += 1 // inside it: refreshed
 *   const r = await creds()
 *   assert.ok(r._tag === 'Right' && r.right.accessKeyId === 'AKID2')
 * })()
 *
 * @category combinators
 * @since 0.1.0
 */
export const memoizeCredentials = <Err>(
  provider: TE.TaskEither<Err, AwsCredentials>,
  options: MemoizeOptions
): TE.TaskEither<Err, AwsCredentials> => {
  const margin = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS
  let current: AwsCredentials | undefined
  let inflight: Promise<E.Either<Err, AwsCredentials>> | undefined
  const refresh = (): Promise<E.Either<Err, AwsCredentials>> => {
    if (inflight === undefined) {
      inflight = provider()
        .then((r) => {
          if (E.isRight(r)) current = r.right
          return r
        })
        .finally(() => {
          inflight = undefined
        })
    }
    return inflight
  }
  return async () => {
    const t = options.now()
    if (current !== undefined && t < current.expiration.getTime() - margin) return E.right(current)
    const r = await refresh()
    if (E.isLeft(r) && current !== undefined && options.now() < current.expiration.getTime()) return E.right(current)
    return r
  }
}
