/**
 * What the SSO token cache holds, for a person (Node only): {@link listSessions} lists every
 * cached session (what `fp-aws sso sessions` shows) and {@link profileStatus} tells whether a
 * profile's session is usable or needs a login (what `fp-aws sso status` shows). Neither
 * calls anything, and neither result holds a token or a secret: only names, start URLs,
 * regions, dates and file paths.
 *
 * A session can be refreshed ({@link isRefreshable}) as the AWS CLI v2 refreshes one: an
 * `sso-session` token (never a legacy one) with a refresh token, a client id and secret,
 * and a client registration that has not expired.
 *
 * @since 0.2.0
 */
import * as nodePath from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { isPlainObject, readEnv, readOptions } from '../../core/Args.js'
import { configError, type ConfigError, type ReadFile } from '../../core/Config.js'
import { isSensitive } from '../../core/Sensitive.js'
import { decodeWith } from './Codec.js'
import { describeReadFailure, listDir, readBounded } from './File.js'
import { resolveSecure } from './Secure.js'
import { loadConfigFile, sessionCacheId, ssoProfile, ssoProfiles, type SSOConfigError, type SSOSessionRef } from './Session.js'
import { isTokenExpired, readToken, sha1Hex, SSOTokenCodec, tokenCacheDir, tokenCacheFile, type SSOToken } from './Token.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * One cached session, as {@link listSessions} describes it: no token in it.
 *
 * - `kind`: `SSOSession` when the file is that of an `[sso-session]` of the config file
 *   (`ssoSession` names it), `Legacy` when it is that of a legacy profile's start URL,
 *   `Unknown` when no section of the config file names it.
 *
 * @category model
 * @since 0.2.0
 */
export interface CachedSession {
  readonly file: string
  readonly kind: 'SSOSession' | 'Legacy' | 'Unknown'
  readonly ssoSession?: string | undefined
  readonly startUrl: string
  readonly region: string
  readonly expiresAt: Date
  readonly expired: boolean
  readonly refreshable: boolean
  /** When the client registration expires, if the token has one. */
  readonly registrationExpiresAt?: Date | undefined
  /** The profiles of the config file that use this session, in the file's order. */
  readonly profiles: ReadonlyArray<string>
}

/**
 * A cache entry that looks like a token (or cannot be read) but is not a usable one; or a
 * cache that was refused (`reason` `UnsafeDirectory`). The message names the file and why,
 * never a value.
 *
 * @category model
 * @since 0.2.0
 */
export interface SessionProblem {
  readonly file: string
  readonly reason: string
  readonly message: string
}

/**
 * What {@link listSessions} found.
 *
 * @category model
 * @since 0.2.0
 */
export interface SessionListing {
  readonly sessions: ReadonlyArray<CachedSession>
  readonly problems: ReadonlyArray<SessionProblem>
}

/**
 * What {@link listSessions} and {@link profileStatus} read.
 *
 * @category model
 * @since 0.2.0
 */
export interface SessionsOptions {
  readonly homedir: string
  /** The environment (`AWS_CONFIG_FILE`). */
  readonly env: Readonly<Record<string, string | undefined>>
  /** The clock, epoch milliseconds. */
  readonly now: () => number
  readonly readFile?: ReadFile
}

/**
 * The state of a profile's session, as {@link profileStatus} tells it:
 *
 * - `Valid`: the access token has not expired (`expiresAt`);
 * - `Refreshable`: it has, but the session can be refreshed (see {@link isRefreshable});
 * - `Expired`: it has, and cannot be refreshed;
 * - `Missing`: no token is cached;
 * - `Invalid`: the cache file cannot be read as a token (`message` says why);
 * - `Refused`: the cache could be changed by another user (not read; `message` says why).
 *
 * Only `Valid` and `Refreshable` are usable without a login.
 *
 * @category model
 * @since 0.2.0
 */
export interface ProfileStatus {
  readonly profile: string
  readonly state: 'Valid' | 'Refreshable' | 'Expired' | 'Missing' | 'Invalid' | 'Refused'
  readonly session: SSOSessionRef
  readonly file: string
  readonly expiresAt?: Date | undefined
  readonly refreshable?: boolean | undefined
  readonly registrationExpiresAt?: Date | undefined
  readonly message?: string | undefined
}

// -------------------------------------------------------------------------------------
// refreshable
// -------------------------------------------------------------------------------------

const before = (d: Date | undefined, nowMs: number): boolean => {
  const t = d instanceof Date ? d.getTime() : NaN
  return typeof nowMs === 'number' && t > nowMs
}

/**
 * Whether a cached token can be refreshed at `nowMs`, as the AWS CLI v2 decides it: a token
 * of an `sso-session` (`legacy` false; a legacy profile's token never is) that has a
 * `refreshToken`, a `clientId`, a `clientSecret` and a `registrationExpiresAt` after now.
 * Whether the access token itself has expired does not matter.
 *
 * @example
 * import { sensitive } from 'fp-aws/core/Sensitive'
 * import { isRefreshable } from 'fp-aws/auth/sso'
 *
 * const token = {
 *   startUrl: 'https://x.awsapps.com/start',
 *   region: 'eu-west-1',
 *   accessToken: sensitive('t'),
 *   expiresAt: new Date(0),
 *   clientId: 'c',
 *   clientSecret: sensitive('s'),
 *   refreshToken: sensitive('r'),
 *   registrationExpiresAt: new Date(2000)
 * }
 * assert.strictEqual(isRefreshable(token, 1000), true)
 * assert.strictEqual(isRefreshable(token, 2000), false)
 * assert.strictEqual(isRefreshable(token, 1000, true), false)
 * assert.strictEqual(isRefreshable({ ...token, refreshToken: undefined }, 1000), false)
 *
 * @category destructors
 * @since 0.2.0
 */
export const isRefreshable = (token: SSOToken, nowMs: number, legacy = false): boolean => {
  try {
    return (
      legacy !== true &&
      typeof token === 'object' &&
      token !== null &&
      isSensitive(token.refreshToken) &&
      isSensitive(token.clientSecret) &&
      typeof token.clientId === 'string' &&
      token.clientId !== '' &&
      before(token.registrationExpiresAt, nowMs)
    )
  } catch {
    return false
  }
}

/** The options checked as a JavaScript caller may pass anything: `Left` says what is wrong. */
const checkOptions = (options: unknown, who: string): E.Either<ConfigError, SessionsOptions> => {
  const bad = (what: string): E.Either<ConfigError, SessionsOptions> => E.left(configError(who, `the options of ${who}: ${what}`))
  const read = readOptions(options, ['homedir', 'env', 'now', 'readFile'])
  if (E.isLeft(read)) return bad(read.left)
  const o = read.right
  const env = readEnv(o.env)
  if (E.isLeft(env)) return bad(`env ${env.left}`)
  if (typeof o.homedir !== 'string') return bad('homedir must be a string')
  if (typeof o.now !== 'function') return bad('now must be a function')
  if (o.readFile !== undefined && typeof o.readFile !== 'function') return bad('readFile must be a function')
  return E.right({
    homedir: o.homedir,
    env: env.right,
    now: o.now as () => number,
    ...(o.readFile === undefined ? {} : { readFile: o.readFile as ReadFile })
  })
}

/** Runs a task of checked options; a function the caller gave (`now`, `readFile`) that throws is a `Left`, never a rejection. */
const guarded =
  <Err, A>(who: string, options: unknown, run: (o: SessionsOptions) => TE.TaskEither<Err, A>): TE.TaskEither<Err | ConfigError, A> =>
  async () => {
    const o = checkOptions(options, who)
    if (E.isLeft(o)) return o
    try {
      return await run(o.right)()
    } catch {
      return E.left(configError(who, `a function given in the options of ${who} failed`))
    }
  }

// -------------------------------------------------------------------------------------
// listSessions
// -------------------------------------------------------------------------------------

/** What the config file says of each cache file name: the session and its profiles. */
interface Known {
  readonly kind: 'SSOSession' | 'Legacy'
  readonly ssoSession?: string
  readonly profiles: Array<string>
}

/**
 * Lists every session cached under `<homedir>/.aws/sso/cache`: each file holding a JSON
 * object with an `accessToken` (client registrations and other files are not sessions),
 * matched with the config file's `sso-session` sections and legacy profiles by its name
 * (the SHA-1 of the session name or start URL). The cache is resolved and checked first
 * (`resolveSecure`): one another user could change is refused, nothing in it read, and
 * reported in `problems`. Each file is read bounded, without following a link; one that
 * cannot be read, is not JSON, or is not a valid token is reported in `problems`, not
 * fatal. Temporary files (names starting with a dot) are skipped. Sessions are listed in
 * name order. Fails only when the config file cannot be read or parsed.
 *
 * @category sessions
 * @since 0.2.0
 */
export const listSessions = (options: SessionsOptions): TE.TaskEither<ConfigError, SessionListing> =>
  guarded('listSessions', options, listChecked)

const listChecked = (options: SessionsOptions): TE.TaskEither<ConfigError, SessionListing> =>
  pipe(
    loadConfigFile({ env: options.env, homedir: options.homedir, readFile: options.readFile }),
    TE.chain(({ path, file }) => async () => {
      const known = new Map<string, Known>()
      for (const name of file.ssoSessions.keys()) known.set(`${sha1Hex(name)}.json`, { kind: 'SSOSession', ssoSession: name, profiles: [] })
      for (const p of ssoProfiles(file, path)) {
        const key = nodePath.basename(tokenCacheFile(options.homedir, sessionCacheId(p.session)))
        const k = known.get(key) ?? { kind: p.session._tag === 'Legacy' ? 'Legacy' : 'SSOSession', profiles: [] }
        k.profiles.push(p.profile)
        known.set(key, k)
      }
      const sessions: Array<CachedSession> = []
      const problems: Array<SessionProblem> = []
      const requested = tokenCacheDir(options.homedir)
      const resolved = await resolveSecure(requested, 'directory')()
      if (E.isLeft(resolved)) {
        problems.push({ file: requested, reason: 'UnsafeDirectory', message: `refused the cache: ${resolved.left.message}` })
        return E.right({ sessions, problems })
      }
      if (resolved.right._tag === 'Missing') return E.right({ sessions, problems })
      const dir = resolved.right.path
      const listed = await listDir(dir)()
      if (E.isLeft(listed)) {
        problems.push({ file: requested, reason: 'Unlistable', message: listed.left.message })
        return E.right({ sessions, problems })
      }
      const now = options.now()
      for (const entry of listed.right) {
        if (entry.name.startsWith('.')) continue
        const shown = nodePath.join(requested, entry.name)
        const problem = (reason: string, what: string): void => void problems.push({ file: shown, reason, message: `${shown} ${what}` })
        if (entry.kind === 'directory') continue
        if (entry.kind === 'symlink' || entry.kind === 'other') {
          const f = { _tag: entry.kind === 'symlink' ? 'Symlink' : 'NotAFile' } as const
          problem(f._tag, describeReadFailure(f))
          continue
        }
        if (entry.undecodable === true) {
          problem('Unreadable', 'has a name that is not valid UTF-8: it cannot be read by name')
          continue
        }
        const text = await readBounded(entry.path)()
        if (E.isLeft(text)) {
          if (text.left._tag !== 'NotFound') problem(text.left._tag, describeReadFailure(text.left))
          continue
        }
        let json: unknown
        try {
          json = JSON.parse(text.right)
        } catch {
          problem('NotJson', 'is not valid JSON')
          continue
        }
        if (!isPlainObject(json)) {
          problem('NotAnObject', 'is JSON but not an object')
          continue
        }
        // a client registration, or something else: not a session
        if (!Object.prototype.hasOwnProperty.call(json, 'accessToken')) continue
        const token = decodeWith(SSOTokenCodec)(json)
        if (E.isLeft(token)) {
          problem('Invalid', `is not a valid token file (${token.left})`)
          continue
        }
        const t = token.right
        const k = known.get(entry.name)
        const kind = k?.kind ?? 'Unknown'
        sessions.push({
          file: shown,
          kind,
          ...(k?.ssoSession === undefined ? {} : { ssoSession: k.ssoSession }),
          startUrl: t.startUrl,
          region: t.region,
          expiresAt: t.expiresAt,
          expired: isTokenExpired(t, now),
          // refreshed through its sso-session only
          refreshable: kind === 'SSOSession' && isRefreshable(t, now),
          ...(t.registrationExpiresAt === undefined ? {} : { registrationExpiresAt: t.registrationExpiresAt }),
          profiles: k?.profiles ?? []
        })
      }
      return E.right({ sessions, problems })
    })
  )

// -------------------------------------------------------------------------------------
// profileStatus
// -------------------------------------------------------------------------------------

/**
 * The state of a profile's SSO session (see {@link ProfileStatus}), from the config file and
 * the token cache alone: nothing is called, nothing written. Fails when the config file
 * cannot be read (`ConfigError`) or does not describe the profile as an SSO profile
 * (`SSOConfigError`).
 *
 * @category sessions
 * @since 0.2.0
 */
export const profileStatus = (
  profile: string,
  options: SessionsOptions
): TE.TaskEither<ConfigError | SSOConfigError, ProfileStatus> =>
  typeof profile !== 'string'
    ? TE.left(configError('profileStatus', 'the profile of profileStatus must be a string'))
    : guarded('profileStatus', options, (o) => statusChecked(profile, o))

const statusChecked = (profile: string, options: SessionsOptions): TE.TaskEither<ConfigError | SSOConfigError, ProfileStatus> =>
  pipe(
    loadConfigFile({ env: options.env, homedir: options.homedir, readFile: options.readFile }),
    TE.chainEitherKW(({ path, file }) => ssoProfile(file, profile, path)),
    TE.chainW((p) => async () => {
      const file = tokenCacheFile(options.homedir, sessionCacheId(p.session))
      const base = { profile, session: p.session, file }
      const resolved = await resolveSecure(file, 'file')()
      if (E.isLeft(resolved)) {
        return E.right<never, ProfileStatus>({ ...base, state: 'Refused', message: `refused the cache: ${resolved.left.message}` })
      }
      if (resolved.right._tag === 'Missing') return E.right<never, ProfileStatus>({ ...base, state: 'Missing' })
      const token = await readToken(resolved.right.path)()
      if (E.isLeft(token)) {
        return E.right<never, ProfileStatus>(
          token.left.reason === 'NotFound' ? { ...base, state: 'Missing' } : { ...base, state: 'Invalid', message: token.left.message }
        )
      }
      const now = options.now()
      const t = token.right
      const refreshable = isRefreshable(t, now, p.session._tag === 'Legacy')
      return E.right<never, ProfileStatus>({
        ...base,
        state: !isTokenExpired(t, now) ? 'Valid' : refreshable ? 'Refreshable' : 'Expired',
        expiresAt: t.expiresAt,
        refreshable,
        ...(t.registrationExpiresAt === undefined ? {} : { registrationExpiresAt: t.registrationExpiresAt })
      })
    })
  )
