/**
 * `Env` is everything a call needs from the outside world: region and endpoint, retry
 * policy and its quota, timeouts, cancellation, hooks, the HTTP client, and the clock,
 * sleep and randomness (so that tests can pin them). `newEnv` builds one from options
 * without reading any ambient state; `fromEnvironment` reads the AWS conventions.
 *
 * @since 0.1.0
 */
import * as os from 'node:os'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { nodeReadFile, resolveConfig, type ConfigError, type ReadFile } from './Config.js'
import type { Hooks } from './Hooks.js'
import { defaultHttpClient, type HttpClient } from './Http.js'
import { defaultRetryPolicy, newQuotaRef, type QuotaRef, type RetryPolicy } from './Retry.js'

/**
 * Waits `ms` milliseconds; resolves `false` at once if `signal` aborts first.
 *
 * @category model
 * @since 0.1.0
 */
export type Sleep = (ms: number, signal: AbortSignal | undefined) => Promise<boolean>

/**
 * The runtime environment of every call.
 *
 * @category model
 * @since 0.1.0
 */
export interface Env {
  readonly region: string | undefined
  /** A custom endpoint URL for every service; when set it is used as is. */
  readonly endpoint: string | undefined
  /** Configured endpoint URLs by service id (e.g. `SSO`), below `endpoint` in precedence. */
  readonly endpoints: Readonly<Record<string, string>>
  readonly useFIPS: boolean
  readonly useDualStack: boolean
  readonly retry: RetryPolicy
  /** The retry quota, shared by every call made with this `Env`. */
  readonly retryQuota: QuotaRef
  /** Deadline of one attempt in ms (`undefined`: none). */
  readonly attemptTimeoutMs: number | undefined
  /** Deadline of the whole call, retries and waits included (`undefined`: none). */
  readonly totalTimeoutMs: number | undefined
  /** The largest response body read, in bytes. */
  readonly maxResponseBytes: number
  /** Cancels every call made with this `Env`. */
  readonly signal: AbortSignal | undefined
  readonly hooks: ReadonlyArray<Hooks>
  readonly http: HttpClient
  /** Milliseconds since the epoch. */
  readonly now: () => number
  readonly sleep: Sleep
  /** A number in `[0, 1)`. */
  readonly random: () => number
}

/**
 * What `newEnv` accepts; every field is optional.
 *
 * @category model
 * @since 0.1.0
 */
export interface EnvOptions {
  readonly region?: string
  readonly endpoint?: string
  readonly endpoints?: Readonly<Record<string, string>>
  readonly useFIPS?: boolean
  readonly useDualStack?: boolean
  /** Shorthand for `retry.maxAttempts`. */
  readonly maxAttempts?: number
  readonly retry?: Partial<RetryPolicy>
  readonly attemptTimeoutMs?: number
  readonly totalTimeoutMs?: number
  readonly maxResponseBytes?: number
  readonly signal?: AbortSignal
  readonly hooks?: ReadonlyArray<Hooks>
  readonly http?: HttpClient
  readonly now?: () => number
  readonly sleep?: Sleep
  readonly random?: () => number
}

/**
 * The default per-attempt deadline: 30 s.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 30_000

/**
 * The default response body limit: 10 MiB.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024

/**
 * The real `setTimeout`-based sleep, cut short by an abort.
 *
 * @category constructors
 * @since 0.1.0
 */
export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted === true) return resolve(false)
    const onAbort = () => {
      clearTimeout(timer)
      resolve(false)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve(true)
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })

/**
 * Builds an `Env` from options alone; reads no environment variable, file or clock.
 * Values are checked when a call is made (a bad one gives a `ValidationError`).
 *
 * @example
 * import { newEnv } from 'fp-aws'
 *
 * const env = newEnv({ region: 'eu-west-1', maxAttempts: 5 })
 * assert.strictEqual(env.region, 'eu-west-1')
 * assert.strictEqual(env.retry.maxAttempts, 5)
 *
 * @category constructors
 * @since 0.1.0
 */
export const newEnv = (options: EnvOptions = {}): Env => {
  const retry: RetryPolicy = {
    ...defaultRetryPolicy,
    ...options.retry,
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {})
  }
  return {
    region: options.region,
    endpoint: options.endpoint,
    endpoints: options.endpoints ?? {},
    useFIPS: options.useFIPS ?? false,
    useDualStack: options.useDualStack ?? false,
    retry,
    retryQuota: newQuotaRef(retry.quotaCapacity),
    attemptTimeoutMs: 'attemptTimeoutMs' in options ? options.attemptTimeoutMs : DEFAULT_ATTEMPT_TIMEOUT_MS,
    totalTimeoutMs: options.totalTimeoutMs,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    signal: options.signal,
    hooks: options.hooks ?? [],
    http: options.http ?? defaultHttpClient,
    now: options.now ?? Date.now,
    sleep: options.sleep ?? realSleep,
    random: options.random ?? Math.random
  }
}

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

/**
 * Builds an `Env` from the AWS conventions: `AWS_REGION` / `AWS_DEFAULT_REGION`,
 * `AWS_PROFILE` and `~/.aws/config` (`AWS_CONFIG_FILE`), `AWS_ENDPOINT_URL_<SERVICE>`,
 * the profile's `services` section, `AWS_ENDPOINT_URL`, the profile's `endpoint_url`,
 * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`, `AWS_USE_FIPS_ENDPOINT`,
 * `AWS_USE_DUALSTACK_ENDPOINT` and `AWS_MAX_ATTEMPTS`. A bad value is a `ConfigError`.
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
    TE.map(({ base, endpoints }) => {
      const o = options.overrides ?? {}
      return newEnv({
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
