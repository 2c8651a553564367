/**
 * The AWS shared configuration, read the way the AWS CLI v2 and the SDKs read it: the INI
 * format of `~/.aws/config` and `~/.aws/credentials`, the `AWS_*` environment variables,
 * and the precedence between them (including service-specific endpoints).
 *
 * Nothing here reads ambient state: the environment, the home directory and the file
 * system all come in as arguments. Error messages name a variable, a key or a line number,
 * never a value — values may be secrets.
 *
 * @since 0.1.0
 */
import * as nodePath from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { readEnv, readOptions } from './Args.js'
import { describeReadFailure, readBounded } from './File.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * The shared configuration could not be read or holds a bad value. `source` is the
 * environment variable or the file the problem comes from; the message never holds a value.
 *
 * @category model
 * @since 0.1.0
 */
export interface ConfigError {
  readonly _tag: 'ConfigError'
  readonly message: string
  /** The environment variable name or file path the problem comes from. */
  readonly source: string
}

/**
 * The properties of one section, by key (keys are case-sensitive). In a profile, a nested
 * sub-property (`s3 =` followed by indented `key = value` lines) is stored as `parent.key`.
 *
 * @category model
 * @since 0.1.0
 */
export type Section = ReadonlyMap<string, string>

/**
 * A `[services NAME]` section: normalised service id (see {@link serviceConfigKey}) to the
 * sub-properties given for that service, e.g. `sso` → `endpoint_url` → `http://…`.
 *
 * @category model
 * @since 0.1.0
 */
export type ServicesSection = ReadonlyMap<string, Section>

/**
 * A parsed shared config (or credentials) file.
 *
 * @category model
 * @since 0.1.0
 */
export interface ConfigFile {
  /** `[default]` and `[profile NAME]` sections (every `[NAME]` section of a credentials file). */
  readonly profiles: ReadonlyMap<string, Section>
  /** `[sso-session NAME]` sections. */
  readonly ssoSessions: ReadonlyMap<string, Section>
  /** `[services NAME]` sections. */
  readonly services: ReadonlyMap<string, ServicesSection>
}

/**
 * Reads a file: `None` when it does not exist.
 *
 * @category model
 * @since 0.1.0
 */
export type ReadFile = (path: string) => TE.TaskEither<ConfigError, O.Option<string>>

/**
 * Everything {@link resolveConfig} needs, passed explicitly.
 *
 * @category model
 * @since 0.1.0
 */
export interface ResolveConfigInput {
  /** The environment, e.g. `process.env`. */
  readonly env: Readonly<Record<string, string | undefined>>
  /** The user's home directory, e.g. `os.homedir()`. */
  readonly homedir: string
  /** The service id as the service model spells it, e.g. `SSO`. */
  readonly serviceId: string
  /** How to read the config file, e.g. {@link nodeReadFile}. */
  readonly readFile: ReadFile
}

/**
 * The configuration in effect for one service client.
 *
 * @category model
 * @since 0.1.0
 */
export interface ResolvedConfig {
  /** The profile in use: `AWS_PROFILE`, else `default`. */
  readonly profile: string
  readonly region: string | undefined
  /** A configured endpoint URL, unless configured endpoints are ignored. */
  readonly endpoint: string | undefined
  readonly useFIPS: boolean | undefined
  readonly useDualStack: boolean | undefined
  readonly maxAttempts: number | undefined
  /**
   * The CA bundle to trust besides the default roots: `AWS_CA_BUNDLE`, else the profile's
   * `ca_bundle` (`~` expanded), with where it was set.
   *
   * @since 0.2.0
   */
  readonly caBundle?: { readonly path: string; readonly source: string } | undefined
  /** The parsed config file (empty when there is none). */
  readonly configFile: ConfigFile
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * @category constructors
 * @since 0.1.0
 */
export const configError = (source: string, message: string): ConfigError => ({
  _tag: 'ConfigError',
  message: typeof message === 'string' ? message : 'invalid configuration',
  source: typeof source === 'string' ? source : 'unknown'
})

/**
 * A config file with no sections: what a missing file reads as.
 *
 * @category constructors
 * @since 0.1.0
 */
export const emptyConfigFile: ConfigFile = {
  profiles: new Map(),
  ssoSessions: new Map(),
  services: new Map()
}

// -------------------------------------------------------------------------------------
// parsing
// -------------------------------------------------------------------------------------

type FileKind = 'config' | 'credentials'

type Target =
  | { readonly kind: 'none' }
  | { readonly kind: 'ignored' }
  | { readonly kind: 'props'; readonly props: Map<string, string> }
  | { readonly kind: 'services'; readonly services: Map<string, Map<string, string>> }

interface Pending {
  readonly key: string
  /** `empty`: value was empty, an indented line starts sub-properties; `value`: continuation. */
  mode: 'empty' | 'value' | 'subs'
}

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t'

/** Cuts an inline comment: `#` or `;` preceded by a blank. */
const stripInlineComment = (s: string): string => {
  for (let i = 1; i < s.length; i++) {
    const c = s[i]
    if ((c === '#' || c === ';') && isBlank(s[i - 1])) {
      return s.slice(0, i)
    }
  }
  return s
}

const getOrCreate = <K, V>(m: Map<K, V>, k: K, make: () => V): V => {
  const found = m.get(k)
  if (found !== undefined) {
    return found
  }
  const v = make()
  m.set(k, v)
  return v
}

const sectionPattern = /^(profile|sso-session|services)[ \t]+(.+)$/

const parseIni = (text: string, kind: FileKind, source: string): E.Either<ConfigError, ConfigFile> => {
  const profiles = new Map<string, Map<string, string>>()
  const bareDefault = new Map<string, string>()
  let sawBareDefault = false
  const ssoSessions = new Map<string, Map<string, string>>()
  const services = new Map<string, Map<string, Map<string, string>>>()

  const fail = (line: number, what: string): E.Either<ConfigError, ConfigFile> =>
    E.left(configError(source, `line ${line}: ${what}`))

  const headerTarget = (name: string): Target => {
    if (kind === 'credentials') {
      return { kind: 'props', props: getOrCreate(profiles, name, () => new Map()) }
    }
    if (name === 'default') {
      sawBareDefault = true
      return { kind: 'props', props: bareDefault }
    }
    const m = sectionPattern.exec(name)
    const prefix = m?.[1]
    const rest = m?.[2]?.trim()
    if (prefix === undefined || rest === undefined || rest === '') {
      return { kind: 'ignored' }
    }
    switch (prefix) {
      case 'profile':
        return { kind: 'props', props: getOrCreate(profiles, rest, () => new Map()) }
      case 'sso-session':
        return { kind: 'props', props: getOrCreate(ssoSessions, rest, () => new Map()) }
      default:
        return { kind: 'services', services: getOrCreate(services, rest, () => new Map()) }
    }
  }

  const body = text.startsWith('\uFEFF') ? text.slice(1) : text
  const lines = body.split(/\r\n|\n|\r/)
  let target: Target = { kind: 'none' }
  let pending: Pending | undefined = undefined

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1
    const raw = lines[i] ?? ''
    const trimmed = raw.trim()
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) {
      continue
    }

    // An indented line right after a property: a continuation or a sub-property.
    if (isBlank(raw[0]) && pending !== undefined) {
      const p: Pending = pending
      if (p.mode === 'value') {
        if (target.kind === 'props') {
          target.props.set(p.key, `${target.props.get(p.key) ?? ''}\n${trimmed}`)
        }
        continue
      }
      const eq = trimmed.indexOf('=')
      if (eq < 0) {
        return fail(lineNo, `expected a 'key = value' sub-property of '${p.key}'`)
      }
      const subKey = trimmed.slice(0, eq).trim()
      if (subKey === '') {
        return fail(lineNo, `sub-property of '${p.key}' has no name`)
      }
      const subValue = stripInlineComment(trimmed.slice(eq + 1)).trim()
      if (target.kind === 'props') {
        if (p.mode === 'empty' && target.props.get(p.key) === '') {
          target.props.delete(p.key)
        }
        target.props.set(`${p.key}.${subKey}`, subValue)
      } else if (target.kind === 'services') {
        getOrCreate(target.services, p.key, () => new Map()).set(subKey, subValue)
      }
      p.mode = 'subs'
      continue
    }
    pending = undefined

    if (trimmed.startsWith('[')) {
      const close = trimmed.indexOf(']')
      if (close < 0) {
        return fail(lineNo, "section header has no closing ']'")
      }
      const after = trimmed.slice(close + 1).trim()
      if (after !== '' && !after.startsWith('#') && !after.startsWith(';')) {
        return fail(lineNo, "unexpected text after the section header's ']'")
      }
      const name = trimmed.slice(1, close).trim()
      if (name === '') {
        return fail(lineNo, 'section header has an empty name')
      }
      target = headerTarget(name)
      continue
    }

    const eq = trimmed.indexOf('=')
    if (eq < 0) {
      return fail(lineNo, "expected a '[section]' header or a 'key = value' property")
    }
    const key = trimmed.slice(0, eq).trim()
    if (key === '') {
      return fail(lineNo, 'property has no name')
    }
    const value = stripInlineComment(trimmed.slice(eq + 1)).trim()
    switch (target.kind) {
      case 'none':
        return fail(lineNo, 'property before any section header')
      case 'ignored':
        break
      case 'props':
        target.props.set(key, value)
        break
      case 'services':
        if (value === '') {
          getOrCreate(target.services, serviceConfigKey(key), () => new Map())
        }
        break
    }
    pending = { key: target.kind === 'services' ? serviceConfigKey(key) : key, mode: value === '' ? 'empty' : 'value' }
  }

  // `[profile default]` wins over `[default]`; `[default]` is ignored when both are present.
  if (sawBareDefault && !profiles.has('default')) {
    profiles.set('default', bareDefault)
  }
  return E.right({ profiles, ssoSessions, services })
}

const parseChecked = (text: unknown, kind: FileKind, source: unknown): E.Either<ConfigError, ConfigFile> => {
  const where = typeof source === 'string' ? source : `${kind} file`
  return typeof text === 'string' ? parseIni(text, kind, where) : E.left(configError(where, 'the text to parse is not a string'))
}

/**
 * Parses a shared config file (`~/.aws/config`): `[default]`, `[profile NAME]`,
 * `[sso-session NAME]` and `[services NAME]` sections (others are ignored), `key = value`
 * properties, `#`/`;` comments (inline ones after a blank), continuation lines and nested
 * sub-properties. `source` (the file path) goes into errors; no value ever does.
 *
 * @example
 * import { parseConfigFile, profileSection, servicesSection } from 'fp-aws/core/Config'
 * import * as E from 'fp-ts/lib/Either.js'
 * import * as O from 'fp-ts/lib/Option.js'
 *
 * const text = [
 *   '[profile dev] # work',
 *   'region = eu-west-1',
 *   'services = local',
 *   '[services local]',
 *   'SSO =',
 *   '  endpoint_url = http://localhost:4566'
 * ].join('\n')
 * const file = parseConfigFile(text)
 * assert.ok(E.isRight(file))
 * if (E.isRight(file)) {
 *   const dev = profileSection(file.right, 'dev')
 *   assert.deepStrictEqual(O.map((s: ReadonlyMap<string, string>) => s.get('region'))(dev), O.some('eu-west-1'))
 *   const local = servicesSection(file.right, 'local')
 *   assert.deepStrictEqual(
 *     O.map((s: ReadonlyMap<string, ReadonlyMap<string, string>>) => s.get('sso')?.get('endpoint_url'))(local),
 *     O.some('http://localhost:4566')
 *   )
 * }
 * assert.ok(E.isLeft(parseConfigFile('[default]\nnot a property')))
 *
 * @category parsing
 * @since 0.1.0
 */
export const parseConfigFile = (text: string, source = 'config file'): E.Either<ConfigError, ConfigFile> =>
  parseChecked(text, 'config', source)

/**
 * Parses a shared credentials file (`~/.aws/credentials`): every `[NAME]` section is the
 * profile `NAME`, taken literally (no `profile ` prefix, no `sso-session`/`services`).
 *
 * @example
 * import { parseCredentialsFile, profileSection } from 'fp-aws/core/Config'
 * import * as E from 'fp-ts/lib/Either.js'
 * import * as O from 'fp-ts/lib/Option.js'
 *
 * const file = parseCredentialsFile('[dev]\naws_access_key_id = AKIDEXAMPLE')
 * assert.ok(E.isRight(file) && O.isSome(profileSection(file.right, 'dev')))
 *
 * @category parsing
 * @since 0.1.0
 */
export const parseCredentialsFile = (text: string, source = 'credentials file'): E.Either<ConfigError, ConfigFile> =>
  parseChecked(text, 'credentials', source)

// -------------------------------------------------------------------------------------
// lookups
// -------------------------------------------------------------------------------------

/** A section of a parsed file, `None` for anything that is not one (never throws). */
const lookup = <K extends keyof ConfigFile>(
  file: ConfigFile,
  which: K,
  name: string
): O.Option<ConfigFile[K] extends ReadonlyMap<string, infer V> ? V : never> => {
  try {
    const m: unknown = file[which]
    return m instanceof Map ? O.fromNullable(m.get(name)) : O.none
  } catch {
    return O.none
  }
}

/**
 * The section of a profile (`default` is `[default]` or `[profile default]`).
 *
 * @example
 * import { parseConfigFile, profileSection } from 'fp-aws/core/Config'
 * import * as E from 'fp-ts/lib/Either.js'
 * import * as O from 'fp-ts/lib/Option.js'
 *
 * const file = parseConfigFile('[profile dev]\nsso_session = corp')
 * assert.ok(E.isRight(file) && O.isSome(profileSection(file.right, 'dev')))
 * assert.ok(E.isRight(file) && O.isNone(profileSection(file.right, 'prod')))
 *
 * @category lookups
 * @since 0.1.0
 */
export const profileSection = (file: ConfigFile, name: string): O.Option<Section> =>
  lookup(file, 'profiles', name)

/**
 * The `[sso-session NAME]` section.
 *
 * @example
 * import { parseConfigFile, ssoSessionSection } from 'fp-aws/core/Config'
 * import * as E from 'fp-ts/lib/Either.js'
 * import * as O from 'fp-ts/lib/Option.js'
 *
 * const file = parseConfigFile('[sso-session corp]\nsso_region = us-east-1')
 * assert.ok(E.isRight(file) && O.isSome(ssoSessionSection(file.right, 'corp')))
 *
 * @category lookups
 * @since 0.1.0
 */
export const ssoSessionSection = (file: ConfigFile, name: string): O.Option<Section> =>
  lookup(file, 'ssoSessions', name)

/**
 * The `[services NAME]` section.
 *
 * @category lookups
 * @since 0.1.0
 */
export const servicesSection = (file: ConfigFile, name: string): O.Option<ServicesSection> =>
  lookup(file, 'services', name)

/**
 * The key a service id has in a `[services NAME]` section: lowercased, spaces and dashes
 * to underscores.
 *
 * @example
 * import { serviceConfigKey } from 'fp-aws/core/Config'
 *
 * assert.strictEqual(serviceConfigKey('SSO'), 'sso')
 * assert.strictEqual(serviceConfigKey('Elastic Beanstalk'), 'elastic_beanstalk')
 *
 * @category lookups
 * @since 0.1.0
 */
export const serviceConfigKey = (serviceId: string): string =>
  String(typeof serviceId === 'string' ? serviceId : '').trim().toLowerCase().replace(/[ -]/g, '_')

/**
 * The service-specific endpoint variable of a service id: `AWS_ENDPOINT_URL_` and the id
 * uppercased, spaces and dashes to underscores.
 *
 * @example
 * import { endpointEnvVar } from 'fp-aws/core/Config'
 *
 * assert.strictEqual(endpointEnvVar('SSO'), 'AWS_ENDPOINT_URL_SSO')
 * assert.strictEqual(endpointEnvVar('Elastic Beanstalk'), 'AWS_ENDPOINT_URL_ELASTIC_BEANSTALK')
 *
 * @category lookups
 * @since 0.1.0
 */
export const endpointEnvVar = (serviceId: string): string =>
  `AWS_ENDPOINT_URL_${(typeof serviceId === 'string' ? serviceId : '').trim().toUpperCase().replace(/[ -]/g, '_')}`

/**
 * Expands a leading `~` (alone, or followed by a separator) against `homedir`.
 *
 * @example
 * import { expandHome } from 'fp-aws/core/Config'
 *
 * assert.strictEqual(expandHome('~/.aws/config', '/home/ana'), '/home/ana/.aws/config')
 * assert.strictEqual(expandHome('/etc/aws', '/home/ana'), '/etc/aws')
 *
 * @category lookups
 * @since 0.1.0
 */
export const expandHome = (path: string, homedir: string): string => {
  if (typeof path !== 'string' || typeof homedir !== 'string') return typeof path === 'string' ? path : ''
  if (path === '~') {
    return homedir
  }
  if (path.startsWith('~/') || path.startsWith('~\\')) {
    return nodePath.join(homedir, path.slice(2))
  }
  return path
}

// -------------------------------------------------------------------------------------
// resolution
// -------------------------------------------------------------------------------------

interface Setting {
  readonly raw: string
  readonly source: string
  /** How the message names it: the variable, or the key and where it is. */
  readonly label: string
}

const firstSetting = (...settings: ReadonlyArray<Setting | undefined>): Setting | undefined =>
  settings.find((s): s is Setting => s !== undefined)

const parseBoolean = (s: Setting): E.Either<ConfigError, boolean> => {
  const v = s.raw.trim().toLowerCase()
  return v === 'true'
    ? E.right(true)
    : v === 'false'
      ? E.right(false)
      : E.left(configError(s.source, `${s.label} must be 'true' or 'false'`))
}

const optional =
  <A>(f: (s: Setting) => E.Either<ConfigError, A>) =>
  (s: Setting | undefined): E.Either<ConfigError, A | undefined> =>
    s === undefined ? E.right(undefined) : f(s)

const parsePositiveInt = (s: Setting): E.Either<ConfigError, number> => {
  const v = s.raw.trim()
  const n = Number(v)
  return /^[0-9]+$/.test(v) && Number.isSafeInteger(n) && n > 0
    ? E.right(n)
    : E.left(configError(s.source, `${s.label} must be a positive integer`))
}

const parseEndpoint = (s: Setting): E.Either<ConfigError, string> => {
  const v = s.raw.trim()
  const url = URL.canParse(v) ? new URL(v) : undefined
  return url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
    ? E.right(v)
    : E.left(configError(s.source, `${s.label} is not a valid http(s) URL`))
}

const caBundleOf = (s: Setting | undefined, homedir: string): ResolvedConfig['caBundle'] =>
  s === undefined || s.raw.trim() === '' ? undefined : { path: expandHome(s.raw.trim(), homedir), source: s.source }

const resolveFromFile = (
  input: ResolveConfigInput,
  file: ConfigFile,
  path: string,
  profile: string
): E.Either<ConfigError, ResolvedConfig> => {
  const envVar = (name: string): Setting | undefined => {
    const v = input.env[name]
    return v === undefined || v === '' ? undefined : { raw: v, source: name, label: name }
  }
  const section = file.profiles.get(profile)
  if (section === undefined && profile !== 'default') {
    return E.left(configError('AWS_PROFILE', `the profile '${profile}' is not in the config file ${path}`))
  }
  const fromProfile = (key: string): Setting | undefined => {
    const v = section?.get(key)
    return v === undefined || v === '' ? undefined : { raw: v, source: path, label: `'${key}' of profile '${profile}'` }
  }

  const fromServicesSection = (): E.Either<ConfigError, Setting | undefined> => {
    const name = fromProfile('services')?.raw.trim()
    if (name === undefined) {
      return E.right(undefined)
    }
    const services = file.services.get(name)
    if (services === undefined) {
      return E.left(
        configError(path, `profile '${profile}' refers to the services section '${name}', which does not exist`)
      )
    }
    const id = serviceConfigKey(input.serviceId)
    const v = services.get(id)?.get('endpoint_url')
    return E.right(
      v === undefined || v === ''
        ? undefined
        : { raw: v, source: path, label: `'endpoint_url' of '${id}' in services section '${name}'` }
    )
  }

  const endpoint: E.Either<ConfigError, string | undefined> = pipe(
    optional(parseBoolean)(
      firstSetting(envVar('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'), fromProfile('ignore_configured_endpoint_urls'))
    ),
    E.chain((ignore) => {
      if (ignore === true) {
        return E.right(undefined)
      }
      const specific = envVar(endpointEnvVar(input.serviceId))
      return pipe(
        specific === undefined ? fromServicesSection() : E.right(specific),
        E.map((s) => firstSetting(s, envVar('AWS_ENDPOINT_URL'), fromProfile('endpoint_url'))),
        E.chain(optional(parseEndpoint))
      )
    })
  )

  return pipe(
    E.Do,
    E.bind('endpoint', () => endpoint),
    E.bind('useFIPS', () =>
      optional(parseBoolean)(firstSetting(envVar('AWS_USE_FIPS_ENDPOINT'), fromProfile('use_fips_endpoint')))
    ),
    E.bind('useDualStack', () =>
      optional(parseBoolean)(firstSetting(envVar('AWS_USE_DUALSTACK_ENDPOINT'), fromProfile('use_dualstack_endpoint')))
    ),
    E.bind('maxAttempts', () =>
      optional(parsePositiveInt)(firstSetting(envVar('AWS_MAX_ATTEMPTS'), fromProfile('max_attempts')))
    ),
    E.map(
      ({ endpoint, useFIPS, useDualStack, maxAttempts }): ResolvedConfig => ({
        profile,
        region: firstSetting(envVar('AWS_REGION'), envVar('AWS_DEFAULT_REGION'), fromProfile('region'))?.raw.trim(),
        endpoint,
        useFIPS,
        useDualStack,
        maxAttempts,
        caBundle: caBundleOf(firstSetting(envVar('AWS_CA_BUNDLE'), fromProfile('ca_bundle')), input.homedir),
        configFile: file
      })
    )
  )
}

/**
 * Resolves the configuration of one service client as the AWS CLI v2 does.
 *
 * - profile: `AWS_PROFILE`, else `default`; a named profile missing from the file is an error;
 * - file: `AWS_CONFIG_FILE` (`~` expanded), else `<homedir>/.aws/config`; a missing file is empty;
 * - region: `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the profile's `region`;
 * - endpoint: none if `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (else the profile's
 *   `ignore_configured_endpoint_urls`) is true; else `AWS_ENDPOINT_URL_<SERVICE>`, else the
 *   profile's `services` section entry, else `AWS_ENDPOINT_URL`, else the profile's `endpoint_url`;
 * - `AWS_USE_FIPS_ENDPOINT` / `use_fips_endpoint`, `AWS_USE_DUALSTACK_ENDPOINT` /
 *   `use_dualstack_endpoint`: `true` or `false`; `AWS_MAX_ATTEMPTS` / `max_attempts`: a
 *   positive integer;
 * - CA bundle: `AWS_CA_BUNDLE`, else the profile's `ca_bundle` (a path, `~` expanded).
 *
 * An environment variable always wins over the profile; an empty one counts as unset.
 *
 * @example
 * import { resolveConfig } from 'fp-aws/core/Config'
 * import * as E from 'fp-ts/lib/Either.js'
 * import * as O from 'fp-ts/lib/Option.js'
 * import * as TE from 'fp-ts/lib/TaskEither.js'
 *
 * const files: Record<string, string> = {
 *   '/home/ana/.aws/config': '[default]\nregion = eu-west-1\nendpoint_url = http://localhost:4566'
 * }
 * resolveConfig({
 *   env: { AWS_ENDPOINT_URL_SSO: 'https://sso.example.com' },
 *   homedir: '/home/ana',
 *   serviceId: 'SSO',
 *   readFile: (path) => TE.right(O.fromNullable(files[path]))
 * })().then((r) => {
 *   assert.ok(E.isRight(r))
 *   if (E.isRight(r)) {
 *     assert.strictEqual(r.right.region, 'eu-west-1')
 *     assert.strictEqual(r.right.endpoint, 'https://sso.example.com')
 *   }
 * })
 *
 * @category resolution
 * @since 0.1.0
 */
export const resolveConfig = (input: ResolveConfigInput): TE.TaskEither<ConfigError, ResolvedConfig> => {
  const read = readOptions(input, ['env', 'homedir', 'serviceId', 'readFile'])
  if (E.isLeft(read)) return TE.left(configError('resolveConfig', `the input of resolveConfig ${read.left}`))
  const environment = readEnv(read.right.env)
  if (E.isLeft(environment)) return TE.left(configError('resolveConfig', `the env of resolveConfig ${environment.left}`))
  const { homedir, serviceId, readFile } = read.right
  if (typeof homedir !== 'string') return TE.left(configError('resolveConfig', 'the homedir of resolveConfig must be a string'))
  if (typeof serviceId !== 'string') return TE.left(configError('resolveConfig', 'the serviceId of resolveConfig must be a string'))
  if (typeof readFile !== 'function') return TE.left(configError('resolveConfig', 'the readFile of resolveConfig must be a function'))
  input = { env: environment.right, homedir, serviceId, readFile: guardReadFile(readFile as ReadFile) }
  const env = (name: string): string | undefined => {
    const v = input.env[name]
    return v === undefined || v === '' ? undefined : v
  }
  const profile = env('AWS_PROFILE') ?? 'default'
  const configured = env('AWS_CONFIG_FILE')
  const path =
    configured === undefined ? nodePath.join(input.homedir, '.aws', 'config') : expandHome(configured, input.homedir)
  return pipe(
    input.readFile(path),
    TE.chainEitherK(
      O.match(
        () => E.right<ConfigError, ConfigFile>(emptyConfigFile),
        (text) => parseConfigFile(text, path)
      )
    ),
    TE.chainEitherK((file) => resolveFromFile(input, file, path, profile))
  )
}

const ignore = (): void => undefined

/**
 * A {@link ReadFile} that never throws nor rejects whatever `readFile` does: a throw, a
 * rejection or an answer that is not an `Either` of an `Option` of a string becomes a
 * `ConfigError` with the path as its source.
 *
 * @example
 * import { guardReadFile } from 'fp-aws/core/Config'
 *
 * const broken = guardReadFile(() => {
 *   throw new Error('boom')
 * })
 * void broken('/cfg')().then((r) => assert.ok(r._tag === 'Left' && r.left.source === '/cfg'))
 *
 * @category resolution
 * @since 0.2.0
 */
export const guardReadFile =
  (readFile: ReadFile): ReadFile =>
  (path) =>
  async () => {
    if (typeof path !== 'string') return E.left(configError('config file', 'the config file path is not a string'))
    const failed = configError(path, `cannot read the file ${path}: the readFile function failed`)
    try {
      const task: unknown = readFile(path)
      if (typeof task !== 'function') {
        // not a task: if it is a promise (an async function where a task was expected), its rejection is ours to handle
        if (typeof task === 'object' && task !== null) Promise.resolve(task).then(ignore, ignore)
        return E.left(failed)
      }
      const r: unknown = await (task as () => Promise<unknown>)()
      if (typeof r !== 'object' || r === null) return E.left(failed)
      const e = r as E.Either<unknown, unknown>
      if (e._tag === 'Left') {
        const l = e.left as Partial<ConfigError> | null | undefined
        return E.left(
          typeof l === 'object' && l !== null && l._tag === 'ConfigError' && typeof l.message === 'string' && typeof l.source === 'string'
            ? configError(l.source, l.message)
            : failed
        )
      }
      if (e._tag !== 'Right') return E.left(failed)
      const o = e.right as O.Option<unknown> | null | undefined
      if (typeof o !== 'object' || o === null) return E.left(failed)
      if (o._tag === 'None') return E.right(O.none)
      return o._tag === 'Some' && typeof o.value === 'string' ? E.right(O.some(o.value)) : E.left(failed)
    } catch {
      return E.left(failed)
    }
  }

/**
 * The largest shared config or credentials file read: 4 MiB. Real ones are a few
 * kilobytes; the limit only keeps a device or a runaway file from filling memory.
 *
 * @category constants
 * @since 0.2.0
 */
export const DEFAULT_MAX_CONFIG_FILE_BYTES = 4 * 1024 * 1024

/**
 * A {@link ReadFile} on `node:fs`, bounded: a missing file (`ENOENT`, `ENOTDIR`) is `None`;
 * a file that is not a regular file (a directory, a FIFO, a device such as `/dev/urandom`),
 * one larger than {@link DEFAULT_MAX_CONFIG_FILE_BYTES}, one that is not UTF-8 text, and any
 * other failure are a `ConfigError` with the path as its source (never with the content).
 * The file is opened without blocking (a FIFO with no writer does not hang) and at most one
 * byte more than the limit is read. A symbolic link is followed, as the AWS CLI does.
 *
 * @category resolution
 * @since 0.1.0
 */
export const nodeReadFile: ReadFile = (path) => async () => {
  if (typeof path !== 'string') return E.left(configError('config file', 'the config file path is not a string'))
  const r = await readBounded(path, { maxBytes: DEFAULT_MAX_CONFIG_FILE_BYTES, followSymlinks: true })()
  if (E.isRight(r)) return E.right(O.some(r.right))
  return r.left._tag === 'NotFound'
    ? E.right(O.none)
    : E.left(configError(path, `cannot read the file ${path}: it ${describeReadFailure(r.left)}`))
}
