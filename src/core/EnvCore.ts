/**
 * The platform-neutral half of `Env`: the model, its options and `newEnv`. Nothing here
 * reads the process, the file system or the environment, and nothing imports a Node
 * built-in, so a browser bundle of an operation can use it; `fp-aws/core/Env` adds
 * `fromEnvironment` (Node only) and re-exports all of this.
 *
 * @since 0.1.0
 */
import { onAbort } from './Abort.js'
import * as E from 'fp-ts/lib/Either.js'
import { readOptions } from './Args.js'
import type { Hooks } from './Hooks.js'
import { axiosClient, defaultHttpClient, type HttpClient } from './Http.js'
import { hasProxy, type ProxyOptions } from './Proxy.js'
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
  /**
   * Why the options given to `newEnv` could not be used (not an object, a member whose
   * read threw): every call made with this `Env` is then a `ValidationError` saying so.
   * (since 0.2.0)
   */
  readonly invalidOptions?: string
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
  /** The HTTP client (default: {@link defaultHttpClient}, or one with `proxy` and `caBundle`). */
  readonly http?: HttpClient
  /**
   * Proxies for the default client (Node only; ignored when `http` is given): see
   * `ProxyOptions`. `fromEnvironment` fills it from `HTTPS_PROXY`, `HTTP_PROXY` and
   * `NO_PROXY`. Default: none. The proxy URLs, credentials included, stay inside the
   * client: they are not kept on the `Env`, and never printed.
   *
   * @since 0.2.0
   */
  readonly proxy?: ProxyOptions
  /**
   * Extra trusted CA certificates, PEM text, for the default client (Node only; ignored
   * when `http` is given): added to Node's default roots. `fromEnvironment` reads it from
   * the file named by `AWS_CA_BUNDLE` or the profile's `ca_bundle`. Default: none.
   *
   * @since 0.2.0
   */
  readonly caBundle?: string
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
    const timer = setTimeout(() => {
      off?.()
      resolve(true)
    }, ms)
    const off =
      signal === undefined
        ? undefined
        : onAbort(signal, () => {
            clearTimeout(timer)
            resolve(false)
          })
  })

/** The shared default client, unless a proxy or a CA bundle asks for a client of their own. */
const httpClientFor = (proxy: ProxyOptions | undefined, caBundle: string | undefined): HttpClient =>
  hasProxy(proxy) || typeof caBundle === 'string'
    ? axiosClient({
        ...(hasProxy(proxy) ? { proxy } : {}),
        ...(typeof caBundle === 'string' ? { ca: caBundle } : {})
      })
    : defaultHttpClient

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
  const keys = [
    'region', 'endpoint', 'endpoints', 'useFIPS', 'useDualStack', 'maxAttempts', 'retry', 'attemptTimeoutMs',
    'totalTimeoutMs', 'maxResponseBytes', 'signal', 'hooks', 'http', 'proxy', 'caBundle', 'now', 'sleep', 'random'
  ] as const
  // A JavaScript caller can pass anything: read each member once, never throw.
  const read = readOptions(options, keys)
  const o = (E.isRight(read) ? read.right : {}) as EnvOptions
  let hasAttemptTimeout = false
  try {
    hasAttemptTimeout = typeof options === 'object' && options !== null && 'attemptTimeoutMs' in options
  } catch {
    // unreadable: invalidOptions says so
  }
  // the members of a retry policy: those of the default one
  const retryOptions = readOptions(o.retry, Object.keys(defaultRetryPolicy) as ReadonlyArray<keyof RetryPolicy>)
  const retry: RetryPolicy = {
    ...defaultRetryPolicy,
    ...(E.isRight(retryOptions) ? (retryOptions.right as Partial<RetryPolicy>) : {}),
    ...(o.maxAttempts !== undefined ? { maxAttempts: o.maxAttempts } : {})
  }
  const problem = !E.isRight(read)
    ? `the options of newEnv ${read.left}`
    : !E.isRight(retryOptions)
      ? `the retry options of newEnv ${retryOptions.left}`
      : undefined
  return {
    region: o.region,
    endpoint: o.endpoint,
    endpoints: o.endpoints ?? {},
    useFIPS: o.useFIPS ?? false,
    useDualStack: o.useDualStack ?? false,
    retry,
    retryQuota: newQuotaRef(Number.isSafeInteger(retry.quotaCapacity) ? retry.quotaCapacity : defaultRetryPolicy.quotaCapacity),
    attemptTimeoutMs: hasAttemptTimeout ? o.attemptTimeoutMs : DEFAULT_ATTEMPT_TIMEOUT_MS,
    totalTimeoutMs: o.totalTimeoutMs,
    maxResponseBytes: o.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    signal: o.signal,
    hooks: o.hooks ?? [],
    http: o.http ?? httpClientFor(o.proxy, o.caBundle),
    now: o.now ?? Date.now,
    sleep: o.sleep ?? realSleep,
    random: o.random ?? Math.random,
    ...(problem === undefined ? {} : { invalidOptions: problem })
  }
}
