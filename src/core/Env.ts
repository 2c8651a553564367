/**
 * `Env` is everything a call needs from the outside world: region and endpoint, retry
 * policy and its quota, timeouts, cancellation, hooks, the HTTP client, and the clock,
 * sleep and randomness (so that tests can pin them). `newEnv` builds one from options
 * without reading any ambient state; `fromEnvironment` reads the AWS conventions.
 *
 * The model and `newEnv` live in `fp-aws/core/EnvCore` (re-exported here), which imports
 * no Node built-in; `fromEnvironment` is Node only (files, `os.homedir()`).
 *
 * @since 0.1.0
 */
import * as os from 'node:os'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { readEnv, readOptions } from './Args.js'
import { configError, nodeReadFile, resolveConfig, type ConfigError, type ReadFile } from './Config.js'
import { newEnv, type Env, type EnvOptions } from './EnvCore.js'
import { describeReadFailure, readBounded } from './File.js'
import { holdsPemCertificate } from './Http.js'
import { normalizeProxyUrl, type ProxyOptions } from './Proxy.js'

export * from './EnvCore.js'

/**
 * Where `fromEnvironment` reads from; every field defaults to the real process.
 *
 * @category model
 * @since 0.1.0
 */
export interface FromEnvironmentOptions {
  /** Environment variables (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** The home directory (default `os.homedir()`). */
  readonly homedir?: string
  readonly readFile?: ReadFile
  /** Service ids whose configured endpoints are resolved (default `['SSO']`). */
  readonly services?: ReadonlyArray<string>
  /** Options applied on top of what the environment says. */
  readonly overrides?: EnvOptions
}

/** What a JavaScript caller passed, checked: a `ConfigError` rather than a throw. */
const checkOptions = (options: unknown): E.Either<ConfigError, FromEnvironmentOptions> => {
  const bad = (what: string) => E.left(configError('fromEnvironment', `the options of fromEnvironment: ${what}`))
  const read = readOptions(options, ['env', 'homedir', 'readFile', 'services', 'overrides'])
  if (E.isLeft(read)) return bad(read.left)
  const o = read.right
  let env: Readonly<Record<string, string>> | undefined
  if (o.env !== undefined) {
    const e = readEnv(o.env)
    if (E.isLeft(e)) return bad(`env ${e.left}`)
    env = e.right
  }
  if (o.homedir !== undefined && typeof o.homedir !== 'string') return bad('homedir must be a string')
  if (o.readFile !== undefined && typeof o.readFile !== 'function') return bad('readFile must be a function')
  let services: ReadonlyArray<string> | undefined
  if (o.services !== undefined) {
    try {
      if (!Array.isArray(o.services) || !o.services.every((x: unknown) => typeof x === 'string')) {
        return bad('services must be an array of strings')
      }
      services = [...(o.services as ReadonlyArray<string>)]
    } catch {
      return bad('services cannot be read')
    }
  }
  if (o.overrides !== undefined && (typeof o.overrides !== 'object' || o.overrides === null)) {
    return bad('overrides must be an object')
  }
  return E.right({
    ...(o as FromEnvironmentOptions),
    ...(env === undefined ? {} : { env }),
    ...(o.homedir === undefined ? {} : { homedir: o.homedir }),
    ...(o.readFile === undefined ? {} : { readFile: o.readFile as ReadFile }),
    ...(services === undefined ? {} : { services }),
    ...(o.overrides === undefined ? {} : { overrides: o.overrides as EnvOptions })
  })
}

/**
 * The largest CA bundle read, in bytes: 4 MiB (Mozilla's whole bundle is about 220 KB).
 *
 * @category constants
 * @since 0.2.0
 */
export const MAX_CA_BUNDLE_BYTES = 4 * 1024 * 1024

type EnvMap = Readonly<Record<string, string | undefined>>

/** A variable as the AWS CLI (Python's `getproxies`) reads it: lower case first; empty is unset. */
const proxyVar = (env: Readonly<Record<string, string>>, name: string): readonly [string, string] | undefined => {
  for (const n of [name.toLowerCase(), name]) {
    const v = env[n]
    if (typeof v === 'string' && v.trim() !== '') return [n, v.trim()]
  }
  return undefined
}

/**
 * The proxies an environment names: `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY`, each in
 * lower or upper case (lower case first), as the AWS CLI reads them. A proxy URL that is
 * not an http(s) URL is a `ConfigError` naming the variable, never quoting its value; so is
 * an environment that is not an object of strings (`source` `proxyFromEnv`).
 *
 * @example
 * import { proxyFromEnv } from 'fp-aws/core/Env'
 *
 * const r = proxyFromEnv({ https_proxy: 'http://proxy.corp:3128', NO_PROXY: 'localhost' })
 * assert.deepStrictEqual(r, { _tag: 'Right', right: { https: 'http://proxy.corp:3128', noProxy: 'localhost' } })
 * assert.deepStrictEqual(proxyFromEnv({}), { _tag: 'Right', right: undefined })
 *
 * @category constructors
 * @since 0.2.0
 */
export const proxyFromEnv = (env: EnvMap): E.Either<ConfigError, ProxyOptions | undefined> => {
  const read = readEnv(env)
  if (E.isLeft(read)) return E.left(configError('proxyFromEnv', `the environment given to proxyFromEnv ${read.left}`))
  return proxiesOf(read.right)
}

const proxiesOf = (env: Readonly<Record<string, string>>): E.Either<ConfigError, ProxyOptions | undefined> => {
  const https = proxyVar(env, 'HTTPS_PROXY')
  const http = proxyVar(env, 'HTTP_PROXY')
  const noProxy = proxyVar(env, 'NO_PROXY')
  for (const p of [https, http])
    if (p !== undefined && normalizeProxyUrl(p[1]) === undefined)
      return E.left(configError(p[0], `${p[0]} is not a valid http(s) proxy URL`))
  if (https === undefined && http === undefined) return E.right(undefined)
  return E.right({
    ...(https !== undefined ? { https: https[1] } : {}),
    ...(http !== undefined ? { http: http[1] } : {}),
    ...(noProxy !== undefined ? { noProxy: noProxy[1] } : {})
  })
}

/**
 * Reads a CA bundle (PEM) with bounds: a regular file (opened non-blocking, so a FIFO
 * cannot hang it), at most {@link MAX_CA_BUNDLE_BYTES}, holding at least one certificate.
 * Any failure is a `ConfigError` with `source` (the variable, or the config file); a
 * `path` that is not a non-empty string is one too (`source` `readCaBundle` when `source`
 * is not a string).
 *
 * @category constructors
 * @since 0.2.0
 */
export const readCaBundle =
  (path: string, source: string): TE.TaskEither<ConfigError, string> =>
  async () => {
    const from = typeof source === 'string' ? source : 'readCaBundle'
    if (typeof path !== 'string' || path === '') return E.left(configError(from, 'the CA bundle path is not a non-empty string'))
    const fail = (why: string): E.Either<ConfigError, string> => E.left(configError(from, `the CA bundle ${path} ${why}`))
    // a regular file (links followed, as the AWS CLI does), read without blocking and bounded
    const text = await readBounded(path, { followSymlinks: true, maxBytes: MAX_CA_BUNDLE_BYTES })()
    if (E.isLeft(text)) return fail(describeReadFailure(text.left))
    return holdsPemCertificate(text.right) ? text : fail('holds no PEM certificate')
  }

/**
 * Builds an `Env` from the AWS conventions: `AWS_REGION` / `AWS_DEFAULT_REGION`,
 * `AWS_PROFILE` and `~/.aws/config` (`AWS_CONFIG_FILE`), `AWS_ENDPOINT_URL_<SERVICE>`,
 * the profile's `services` section, `AWS_ENDPOINT_URL`, the profile's `endpoint_url`,
 * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`, `AWS_USE_FIPS_ENDPOINT`,
 * `AWS_USE_DUALSTACK_ENDPOINT` and `AWS_MAX_ATTEMPTS`; for the default HTTP client,
 * `HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY` (either case; see {@link proxyFromEnv}) and
 * `AWS_CA_BUNDLE` / the profile's `ca_bundle` (see {@link readCaBundle}), as the AWS CLI
 * does. A bad value is a `ConfigError`.
 *
 * @example
 * import { fromEnvironment } from 'fp-aws'
 *
 * async function main() {
 *   const env = await fromEnvironment({
 *     env: { AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_SSO: 'http://127.0.0.1:4566', AWS_MAX_ATTEMPTS: '5' },
 *     homedir: '/nonexistent'
 *   })()
 *   assert.ok(env._tag === 'Right')
 *   if (env._tag === 'Right') {
 *     assert.strictEqual(env.right.region, 'eu-west-1')
 *     assert.strictEqual(env.right.endpoints['SSO'], 'http://127.0.0.1:4566')
 *     assert.strictEqual(env.right.retry.maxAttempts, 5)
 *   }
 *   const bad = await fromEnvironment({ env: { AWS_MAX_ATTEMPTS: 'many' }, homedir: '/nonexistent' })()
 *   assert.ok(bad._tag === 'Left' && bad.left.source === 'AWS_MAX_ATTEMPTS')
 * }
 * main()
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromEnvironment = (options: FromEnvironmentOptions = {}): TE.TaskEither<ConfigError, Env> => {
  const checked = checkOptions(options)
  if (E.isLeft(checked)) return TE.left(checked.left)
  options = checked.right
  const input = {
    env: options.env ?? process.env,
    homedir: options.homedir ?? os.homedir(),
    readFile: options.readFile ?? nodeReadFile
  }
  const services = options.services ?? ['SSO']
  const first = services[0] ?? ''
  return pipe(
    TE.Do,
    TE.bind('base', () => resolveConfig({ ...input, serviceId: first })),
    TE.bind('endpoints', () =>
      pipe(
        services,
        TE.traverseSeqArray((id) =>
          pipe(
            resolveConfig({ ...input, serviceId: id }),
            TE.map((c) => [id, c.endpoint] as const)
          )
        ),
        TE.map((pairs) => {
          const out: Record<string, string> = {}
          for (const [id, url] of pairs) if (url !== undefined) out[id] = url
          return out
        })
      )
    ),
    TE.bind('proxy', () => TE.fromEither(proxyFromEnv(input.env))),
    TE.bind('caBundle', ({ base }) =>
      base.caBundle === undefined ? TE.right(undefined) : readCaBundle(base.caBundle.path, base.caBundle.source)
    ),
    TE.map(({ base, endpoints, proxy, caBundle }) => {
      const o = options.overrides ?? {}
      return newEnv({
        ...(proxy !== undefined ? { proxy } : {}),
        ...(caBundle !== undefined ? { caBundle } : {}),
        ...(base.region !== undefined ? { region: base.region } : {}),
        ...(base.useFIPS !== undefined ? { useFIPS: base.useFIPS } : {}),
        ...(base.useDualStack !== undefined ? { useDualStack: base.useDualStack } : {}),
        ...(base.maxAttempts !== undefined ? { maxAttempts: base.maxAttempts } : {}),
        endpoints,
        ...o
      })
    })
  )
}
