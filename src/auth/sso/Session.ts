/**
 * SSO settings from the shared config file, as the AWS CLI v2 reads them: a profile either
 * names an `[sso-session NAME]` section (`sso_session`, the session holding `sso_start_url`
 * and `sso_region`), or is a legacy profile with `sso_start_url` and `sso_region` of its
 * own; either way `sso_account_id` and `sso_role_name` pick the role.
 *
 * @since 0.1.0
 */
import * as nodePath from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { readEnv, readOptions } from '../../core/Args.js'
import {
  configError,
  emptyConfigFile,
  expandHome,
  guardReadFile,
  nodeReadFile,
  parseConfigFile,
  type ConfigError,
  type ConfigFile,
  type ReadFile,
  type Section
} from '../../core/Config.js'
import type { TokenCacheId } from './Token.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Where the shared config file is, explicitly.
 *
 * @category model
 * @since 0.1.0
 */
export interface ConfigInput {
  /** The environment (`AWS_CONFIG_FILE` is read from it). */
  readonly env: Readonly<Record<string, string | undefined>>
  /** The home directory. */
  readonly homedir: string
  /** How to read the file (default: `nodeReadFile`). */
  readonly readFile?: ReadFile
}

/**
 * The config file does not describe the SSO profile, session or start URL asked for.
 *
 * - `ProfileNotFound` / `SessionNotFound`: no such section;
 * - `NotSSO`: the profile has neither `sso_session` nor `sso_start_url`;
 * - `MissingSetting`: a setting needed is absent (`setting` names it);
 * - `Mismatch`: a profile with `sso_session` also sets `sso_start_url` or `sso_region`,
 *   to a value other than the session's.
 *
 * @category model
 * @since 0.1.0
 */
export interface SSOConfigError {
  readonly _tag: 'SSOConfigError'
  readonly reason: 'ProfileNotFound' | 'SessionNotFound' | 'NotSSO' | 'MissingSetting' | 'Mismatch'
  /** The config file. */
  readonly source: string
  readonly setting?: string | undefined
  readonly message: string
}

/**
 * The SSO session a profile uses: an `sso-session` section, or the legacy settings of the
 * profile itself.
 *
 * @category model
 * @since 0.1.0
 */
export type SSOSessionRef =
  | {
      readonly _tag: 'SSOSession'
      readonly name: string
      readonly startUrl: string | undefined
      readonly region: string | undefined
    }
  | { readonly _tag: 'Legacy'; readonly startUrl: string; readonly region: string | undefined }

/**
 * What a token is asked for: a profile, or an `[sso-session]` by name.
 *
 * @category model
 * @since 0.2.0
 */
export type SessionTarget = { readonly profile: string } | { readonly ssoSession: string }

/**
 * Reads a {@link SessionTarget} a JavaScript caller passed: exactly one of `profile` and
 * `ssoSession`, a string; otherwise what is wrong with it (never the value).
 *
 * @example
 * import { readSessionTarget } from 'fp-aws/auth/sso/Session'
 *
 * assert.deepStrictEqual(readSessionTarget({ profile: 'dev' }), { _tag: 'Right', right: { profile: 'dev' } })
 * assert.strictEqual(readSessionTarget({ profile: 'dev', ssoSession: 'corp' })._tag, 'Left')
 *
 * @category config
 * @since 0.2.0
 */
export const readSessionTarget = (target: unknown): E.Either<string, SessionTarget> => {
  const read = readOptions(target, ['profile', 'ssoSession'])
  if (E.isLeft(read)) return E.left(`the target ${read.left}`)
  const { profile, ssoSession } = read.right
  if ((profile === undefined) === (ssoSession === undefined)) return E.left('the target needs either a profile or an ssoSession')
  if (typeof (profile ?? ssoSession) !== 'string') return E.left('the profile or ssoSession must be a string')
  return E.right(profile !== undefined ? { profile: profile as string } : { ssoSession: ssoSession as string })
}

/**
 * The SSO settings of one profile.
 *
 * @category model
 * @since 0.1.0
 */
export interface SSOProfile {
  readonly profile: string
  readonly session: SSOSessionRef
  readonly accountId: string | undefined
  readonly roleName: string | undefined
}

// -------------------------------------------------------------------------------------
// config file
// -------------------------------------------------------------------------------------

const nonEmptyEnv = (env: Readonly<Record<string, string | undefined>>, name: string): string | undefined => {
  const v = env[name]
  return v === undefined || v === '' ? undefined : v
}

/** Whether a value is a parsed config file (its three maps), read without throwing. */
const isConfigFile = (u: unknown): u is ConfigFile => {
  try {
    const f = u as Partial<ConfigFile> | null | undefined
    return typeof f === 'object' && f !== null && f.profiles instanceof Map && f.ssoSessions instanceof Map && f.services instanceof Map
  } catch {
    return false
  }
}

/**
 * The path of the shared config file: `AWS_CONFIG_FILE` (`~` expanded against `homedir`),
 * else `<homedir>/.aws/config`.
 *
 * @example
 * import { configFilePath } from 'fp-aws/auth/sso'
 *
 * assert.strictEqual(configFilePath({}, '/home/ana'), '/home/ana/.aws/config')
 * assert.strictEqual(configFilePath({ AWS_CONFIG_FILE: '~/cfg' }, '/home/ana'), '/home/ana/cfg')
 *
 * @category config
 * @since 0.1.0
 */
export const configFilePath = (env: Readonly<Record<string, string | undefined>>, homedir: string): string => {
  if (typeof homedir !== 'string') homedir = ''
  let configured: string | undefined
  try {
    const v: unknown = nonEmptyEnv(env, 'AWS_CONFIG_FILE')
    configured = typeof v === 'string' ? v : undefined
  } catch {
    configured = undefined
  }
  return configured === undefined ? nodePath.join(homedir, '.aws', 'config') : expandHome(configured, homedir)
}

/**
 * Reads and parses the shared config file; a missing file reads as empty.
 *
 * @category config
 * @since 0.1.0
 */
export const loadConfigFile = (
  input: ConfigInput
): TE.TaskEither<ConfigError, { readonly path: string; readonly file: ConfigFile }> => {
  const read = readOptions(input, ['env', 'homedir', 'readFile'])
  if (E.isLeft(read)) return TE.left(configError('config file', `the input of loadConfigFile ${read.left}`))
  const env = readEnv(read.right.env)
  if (E.isLeft(env)) return TE.left(configError('config file', `the env of loadConfigFile ${env.left}`))
  const { homedir, readFile } = read.right
  if (typeof homedir !== 'string') return TE.left(configError('config file', 'the homedir of loadConfigFile must be a string'))
  if (readFile !== undefined && typeof readFile !== 'function') {
    return TE.left(configError('config file', 'the readFile of loadConfigFile must be a function'))
  }
  const path = configFilePath(env.right, homedir)
  return pipe(
    (readFile === undefined ? nodeReadFile : guardReadFile(readFile as ReadFile))(path),
    TE.chainEitherK(
      O.match(
        () => E.right<ConfigError, ConfigFile>(emptyConfigFile),
        (text) => parseConfigFile(text, path)
      )
    ),
    TE.map((file) => ({ path, file }))
  )
}

// -------------------------------------------------------------------------------------
// resolution
// -------------------------------------------------------------------------------------

const ssoConfigError = (
  source: string,
  reason: SSOConfigError['reason'],
  message: string,
  setting?: string
): SSOConfigError => ({ _tag: 'SSOConfigError', reason, source, setting, message })

const get = (section: Section | undefined, key: string): string | undefined => {
  const v = section?.get(key)?.trim()
  return v === undefined || v === '' ? undefined : v
}

/**
 * The token cache id of a session: its name, or the start URL of a legacy profile.
 *
 * @category config
 * @since 0.1.0
 */
export const sessionCacheId = (ref: SSOSessionRef): TokenCacheId =>
  ref._tag === 'SSOSession' ? { _tag: 'SSOSession', name: ref.name } : { _tag: 'StartUrl', startUrl: ref.startUrl }

/**
 * The `sso-session` section `name`, as a session reference.
 *
 * @category config
 * @since 0.1.0
 */
export const ssoSession = (file: ConfigFile, name: string, source: string): E.Either<SSOConfigError, SSOSessionRef> => {
  if (typeof source !== 'string') source = 'config file'
  if (typeof name !== 'string' || !isConfigFile(file)) {
    return E.left(ssoConfigError(source, 'SessionNotFound', `the sso-session is not in the config file ${source}`))
  }
  const section = file.ssoSessions.get(name)
  return section === undefined
    ? E.left(ssoConfigError(source, 'SessionNotFound', `the sso-session '${name}' is not in the config file ${source}`))
    : E.right({ _tag: 'SSOSession', name, startUrl: get(section, 'sso_start_url'), region: get(section, 'sso_region') })
}

/**
 * The SSO settings of a profile. The session is the profile's `sso_session` (which must
 * exist; a `sso_start_url` / `sso_region` also set on the profile must agree with it), else
 * the profile's own `sso_start_url` (legacy). `sso_account_id` and `sso_role_name` are
 * returned as found (they are checked by who needs them).
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { parseConfigFile } from 'fp-aws/core/Config'
 * import { ssoProfile } from 'fp-aws/auth/sso'
 *
 * const file = parseConfigFile([
 *   '[profile dev]',
 *   'sso_session = corp',
 *   'sso_account_id = 123456789012',
 *   'sso_role_name = ReadOnly',
 *   '[sso-session corp]',
 *   'sso_start_url = https://corp.awsapps.com/start',
 *   'sso_region = eu-west-1'
 * ].join('\n'))
 * assert.ok(E.isRight(file))
 * if (E.isRight(file)) {
 *   const dev = ssoProfile(file.right, 'dev', 'config')
 *   assert.ok(E.isRight(dev) && dev.right.session._tag === 'SSOSession' && dev.right.session.region === 'eu-west-1')
 *   const nope = ssoProfile(file.right, 'prod', 'config')
 *   assert.ok(E.isLeft(nope) && nope.left.reason === 'ProfileNotFound')
 * }
 *
 * @category config
 * @since 0.1.0
 */
export const ssoProfile = (file: ConfigFile, profile: string, source: string): E.Either<SSOConfigError, SSOProfile> => {
  if (typeof source !== 'string') source = 'config file'
  if (typeof profile !== 'string' || !isConfigFile(file)) {
    return E.left(ssoConfigError(source, 'ProfileNotFound', `the profile is not in the config file ${source}`))
  }
  const section = file.profiles.get(profile)
  if (section === undefined) {
    return E.left(ssoConfigError(source, 'ProfileNotFound', `the profile '${profile}' is not in the config file ${source}`))
  }
  const accountId = get(section, 'sso_account_id')
  const roleName = get(section, 'sso_role_name')
  const sessionName = get(section, 'sso_session')
  const ownStartUrl = get(section, 'sso_start_url')
  const ownRegion = get(section, 'sso_region')
  if (sessionName !== undefined) {
    return pipe(
      ssoSession(file, sessionName, source),
      E.chain((session) => {
        if (session._tag !== 'SSOSession') return E.right(session)
        for (const [key, own, theirs] of [
          ['sso_start_url', ownStartUrl, session.startUrl],
          ['sso_region', ownRegion, session.region]
        ] as const) {
          if (own !== undefined && theirs !== undefined && own !== theirs) {
            return E.left(
              ssoConfigError(
                source,
                'Mismatch',
                `the '${key}' of profile '${profile}' differs from that of its sso-session '${sessionName}'`,
                key
              )
            )
          }
        }
        return E.right<SSOConfigError, SSOSessionRef>({
          ...session,
          startUrl: session.startUrl ?? ownStartUrl,
          region: session.region ?? ownRegion
        })
      }),
      E.map((session) => ({ profile, session, accountId, roleName }))
    )
  }
  if (ownStartUrl !== undefined) {
    return E.right({ profile, session: { _tag: 'Legacy', startUrl: ownStartUrl, region: ownRegion }, accountId, roleName })
  }
  return E.left(
    ssoConfigError(source, 'NotSSO', `the profile '${profile}' has neither 'sso_session' nor 'sso_start_url'`)
  )
}

/**
 * Every SSO profile of the config file (profiles that fail to resolve are left out),
 * in the file's order.
 *
 * @category config
 * @since 0.1.0
 */
export const ssoProfiles = (file: ConfigFile, source: string): ReadonlyArray<SSOProfile> => {
  if (!isConfigFile(file)) return []
  const out: Array<SSOProfile> = []
  for (const name of file.profiles.keys()) {
    const p = ssoProfile(file, name, source)
    if (E.isRight(p)) out.push(p.right)
  }
  return out
}
