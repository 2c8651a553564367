/**
 * `AWSRequest` is the type-class-like dictionary of an operation: how its request record
 * becomes an HTTP request, and how an HTTP response becomes its output. `send` is the one
 * runtime for every operation of every service: endpoint, validation, I/O, retries,
 * timeouts, cancellation, hooks and error mapping.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { ReaderTaskEither } from 'fp-ts/lib/ReaderTaskEither.js'
import type { Endpoint } from './Endpoint.js'
import type { Env } from './EnvCore.js'
import {
  serializeError,
  transportError,
  type EndpointError,
  validationError,
  type AWSError,
  type SerializeError,
  type ServiceError,
  type TransportError,
  type ValidationError
} from './Error.js'
import { runHooks, type Hooks, type RequestView } from './Hooks.js'
import { isAbortSignal, onAbort } from './Abort.js'
import { ATTEMPT_TIMEOUT, hasNativeDeadline } from './Http.js'
import { pathAndQuery, redactHeaders, type HeaderValue, type HttpRequest, type HttpResponse } from './Request.js'
import { decide, onSuccess, type RetryQuota } from './Retry.js'
import { isSensitive, reveal, type Sensitive } from './Sensitive.js'
import { redactResponseHeaders, type Service } from './Service.js'
import { VERSION } from './version.js'

/**
 * The dictionary of one operation. `C` is the literal union of its modelled error codes.
 *
 * @category model
 * @since 0.1.0
 */
export interface AWSRequest<Rq, Rs, C extends string = string> {
  readonly service: Service
  /** The operation's name, e.g. `Logout`. */
  readonly operation: string
  /** The modelled error codes. */
  readonly errorCodes: ReadonlyArray<C>
  /** Validates the request and encodes it; a `Left` means nothing is sent. */
  readonly toRequest: (rq: Rq) => E.Either<ValidationError, HttpRequest>
  /** Reads a 2xx response. */
  readonly parseResponse: (res: HttpResponse) => E.Either<SerializeError, Rs>
}

/**
 * The `user-agent` every request carries.
 *
 * @category constants
 * @since 0.1.0
 */
export const USER_AGENT = `fp-aws/${VERSION}`

/** The longest delay a Node or browser timer keeps (2^31 - 1 ms, about 24.8 days): a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1

const isNonNegativeInt = (n: number | undefined): boolean => n === undefined || (Number.isInteger(n) && n >= 0 && n <= MAX_TIMER_MS)

const isDelay = (n: number): boolean => Number.isFinite(n) && n >= 0 && n <= MAX_TIMER_MS

const checkEnv = (operation: string, env: Env): ValidationError | undefined => {
  if (typeof env !== 'object' || env === null) return validationError(operation, 'env', 'the Env must be an object (see newEnv)')
  if (env.invalidOptions !== undefined) return validationError(operation, 'env', env.invalidOptions)
  if (!Array.isArray(env.hooks) || env.hooks.some((h: unknown) => typeof h !== 'object' || h === null))
    return validationError(operation, 'hooks', 'hooks must be an array of hook objects')
  // `null` is no signal, as JavaScript callers use it
  if (env.signal !== undefined && env.signal !== null && !isAbortSignal(env.signal))
    return validationError(operation, 'signal', 'signal must be an AbortSignal')
  const r = env.retry
  if (typeof r !== 'object' || r === null) return validationError(operation, 'retry', 'retry must be an object')
  if (![r.quotaCapacity, r.throttlingCost, r.transientCost, r.noRetryIncrement].every((n) => Number.isSafeInteger(n) && n >= 0))
    return validationError(operation, 'retry', 'retry quota sizes and costs must be integers of at least 0')
  if (!Number.isInteger(r.maxAttempts) || r.maxAttempts < 1)
    return validationError(operation, 'maxAttempts', 'maxAttempts must be an integer of at least 1')
  if (!isDelay(r.baseDelayMs) || !isDelay(r.throttlingBaseDelayMs) || !isDelay(r.maxBackoffMs))
    return validationError(operation, 'retry', `retry delays must be numbers from 0 to ${MAX_TIMER_MS} (ms)`)
  if (!isNonNegativeInt(env.attemptTimeoutMs) || env.attemptTimeoutMs === 0)
    return validationError(operation, 'attemptTimeoutMs', `attemptTimeoutMs must be an integer from 1 to ${MAX_TIMER_MS} (ms)`)
  if (!isNonNegativeInt(env.totalTimeoutMs) || env.totalTimeoutMs === 0)
    return validationError(operation, 'totalTimeoutMs', `totalTimeoutMs must be an integer from 1 to ${MAX_TIMER_MS} (ms)`)
  if (!Number.isInteger(env.maxResponseBytes) || env.maxResponseBytes < 0)
    return validationError(operation, 'maxResponseBytes', 'maxResponseBytes must be an integer of at least 0')
  return undefined
}

const joinUrl = (base: string, path: string): string => (base.endsWith('/') ? base.slice(0, -1) : base) + path

/** Replaces every occurrence of a secret in a string the server sent back. */
const scrub = (s: string, secrets: ReadonlyArray<string>): string =>
  secrets.reduce((acc, secret) => (secret.length >= MIN_SCRUB_LENGTH ? acc.split(secret).join('<redacted>') : acc), s)

/** Replaces every secret in a URL, as written and as a path or a query string encodes it. */
const scrubUrl = (url: string, secrets: ReadonlyArray<string>): string =>
  scrub(
    url,
    secrets.flatMap((s) => [s, encodeURIComponent(s), new URLSearchParams({ s }).toString().slice(2)])
  )

/**
 * Secrets shorter than this are not scrubbed out of what a server sends back: they occur
 * by chance in ordinary text (a token `p` is in `UnauthorizedException`), and scrubbing
 * them would corrupt codes and messages. Real access tokens are hundreds of characters.
 */
const MIN_SCRUB_LENGTH = 8

const scrubHeaders = (h: Readonly<Record<string, string>>, secrets: ReadonlyArray<string>): Record<string, string> => {
  // header names arrive lower-cased: a secret echoed in a name is looked for lower-cased too
  const nameSecrets = [...secrets, ...secrets.map((s) => s.toLowerCase())]
  const out: Record<string, string> = {}
  for (const k of Object.keys(h)) out[scrub(k, nameSecrets)] = scrub(h[k] as string, secrets)
  return out
}

const scrubServiceError = <C extends string>(
  e: ServiceError<C>,
  secrets: ReadonlyArray<string>,
  modelled: ReadonlyArray<C>
): ServiceError<C> => ({
  ...e,
  code: (modelled as ReadonlyArray<string>).includes(e.code) ? e.code : scrub(e.code, secrets),
  message: scrub(e.message, secrets),
  requestId: e.requestId === undefined ? undefined : scrub(e.requestId, secrets),
  headers: scrubHeaders(e.headers, secrets)
})

/** The secrets a request carries, in its headers and its body, revealed: only to scrub them out of what comes back. */
const secretsOf = (req: HttpRequest): ReadonlyArray<string> => {
  const out: Array<string> = []
  const keep = (v: unknown): void => {
    if (isSensitive(v)) {
      const s: unknown = reveal(v)
      if (typeof s === 'string') out.push(s)
    }
  }
  for (const v of Object.values(req.headers)) keep(v)
  if (Array.isArray(req.secrets)) for (const v of req.secrets as ReadonlyArray<unknown>) keep(v)
  return out
}

/** The wire body, revealed if it holds secrets. */
const wireBody = (req: HttpRequest): string | undefined => {
  const b: unknown = req.body
  if (isSensitive(b)) {
    const s: unknown = reveal(b)
    return typeof s === 'string' ? s : undefined
  }
  return typeof b === 'string' ? b : undefined
}

/** The wire headers: the user agent, then the request's own with secrets revealed. */
const wireHeaders = (req: HttpRequest): Record<string, string> => {
  const out: Record<string, string> = { 'user-agent': USER_AGENT }
  const h = req.headers
  for (const k in h) {
    const v = h[k] as HeaderValue
    out[k] = typeof v === 'string' ? v : isSensitive(v) ? reveal(v as Sensitive<string>) : (v as string)
  }
  return out
}

/** Links an attempt's controller to the caller's signal and to a deadline. */
const attemptSignal = (
  parent: AbortSignal | undefined,
  timeoutMs: number | undefined
): { readonly signal: AbortSignal; readonly done: () => void } => {
  const ac = new AbortController()
  const off = parent === undefined ? undefined : onAbort(parent, () => ac.abort(parent.reason))
  if (parent?.aborted === true) ac.abort(parent.reason)
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => ac.abort(ATTEMPT_TIMEOUT), timeoutMs)
  return {
    signal: ac.signal,
    done: () => {
      if (timer !== undefined) clearTimeout(timer)
      off?.()
    }
  }
}

/** Read through a call so the check is not narrowed away across `await`s. */
const isAborted = (signal: AbortSignal | undefined): boolean => signal?.aborted === true

const aborted = (method: string): TransportError => transportError('Aborted', `call aborted (${method})`)

/**
 * The last endpoint each service resolved, and from what: endpoint rule sets are pure, and
 * an `Env` makes every call with the same parameters.
 */
interface ResolvedEndpoint {
  readonly region: string | undefined
  readonly custom: string | undefined
  readonly useFIPS: boolean
  readonly useDualStack: boolean
  readonly result: E.Either<EndpointError, Endpoint>
}

const endpoints = new WeakMap<Service, ResolvedEndpoint>()

const resolveEndpoint = (service: Service, env: Env): E.Either<EndpointError, Endpoint> => {
  const region = env.region
  const custom = env.endpoint ?? env.endpoints[service.serviceId]
  const last = endpoints.get(service)
  if (
    last !== undefined &&
    last.region === region &&
    last.custom === custom &&
    last.useFIPS === env.useFIPS &&
    last.useDualStack === env.useDualStack
  )
    return last.result
  const result = service.resolveEndpoint({
    ...(region !== undefined ? { Region: region } : {}),
    ...(custom !== undefined ? { Endpoint: custom } : {}),
    UseFIPS: env.useFIPS,
    UseDualStack: env.useDualStack
  })
  endpoints.set(service, { region, custom, useFIPS: env.useFIPS, useDualStack: env.useDualStack, result })
  return result
}

/** Whether a hook of the list has a `kind` member to call (or one that cannot be read: then `runHooks` decides). */
const wants = (hooks: ReadonlyArray<Hooks>, kind: keyof Hooks): boolean => {
  try {
    for (let i = 0; i < hooks.length; i++) if (typeof (hooks[i] as Partial<Hooks>)[kind] === 'function') return true
  } catch {
    return true
  }
  return false
}

const run = async <Rq, Rs, C extends string>(
  op: AWSRequest<Rq, Rs, C>,
  rq: Rq,
  env: Env
): Promise<E.Either<AWSError<C>, Rs>> => {
  let bad: ValidationError | undefined
  try {
    bad = checkEnv(op.operation, env)
  } catch {
    bad = validationError(op.operation, 'env', 'the Env cannot be read')
  }
  if (bad !== undefined) return E.left(bad)
  const endpoint = resolveEndpoint(op.service, env)
  if (E.isLeft(endpoint)) return endpoint
  const encoded = op.toRequest(rq)
  if (E.isLeft(encoded)) return encoded
  const req = encoded.right
  const url = joinUrl(endpoint.right.url, pathAndQuery(req))
  const headers = wireHeaders(req)
  const body = wireBody(req)
  const hooks = env.hooks
  const withHooks = hooks.length > 0
  // which kinds of hook there are: a view is built only for a hook that will see it
  const before = withHooks && wants(hooks, 'beforeRequest')
  const after = withHooks && wants(hooks, 'afterResponse')
  const onError = withHooks && wants(hooks, 'onError')
  let secrets: ReadonlyArray<string> | undefined
  // Hooks see a redacted copy of the headers and a URL without the secrets (a server may hand
  // one back as a page token, sent in the next query), each built once, on first need.
  let viewHeaders: Record<string, string> | undefined
  let viewUrl: string | undefined
  const requestView = (attempt: number): RequestView => ({
    service: op.service.abbrev,
    operation: op.operation,
    method: req.method,
    url: (viewUrl ??= scrubUrl(url, (secrets ??= secretsOf(req)))),
    headers: (viewHeaders ??= { 'user-agent': USER_AGENT, ...redactHeaders(req.headers) }),
    attempt
  })
  // A client that keeps the deadline itself gets the caller's signal as is: no controller
  // and no timer of ours per attempt.
  const native = hasNativeDeadline(env.http)

  const deadline = env.totalTimeoutMs === undefined ? undefined : env.now() + env.totalTimeoutMs
  let lastCost: number | undefined
  for (let attempt = 1; ; attempt++) {
    if (isAborted(env.signal)) return E.left(aborted(req.method))
    const remaining = deadline === undefined ? undefined : deadline - env.now()
    if (remaining !== undefined && remaining <= 0)
      return E.left(transportError('TotalTimeout', `call timed out (${req.method})`))
    const totalBound = remaining !== undefined && (env.attemptTimeoutMs === undefined || remaining < env.attemptTimeoutMs)
    const timeoutMs = totalBound ? remaining : env.attemptTimeoutMs
    // one view an attempt, the same object for each of its hooks
    let view: RequestView | undefined
    if (before) runHooks(hooks, 'beforeRequest', (view ??= requestView(attempt)))
    const t0 = withHooks ? env.now() : 0
    let res: E.Either<TransportError, HttpResponse>
    if (native) {
      res = await env.http({
        method: req.method,
        url,
        headers,
        body,
        signal: env.signal,
        maxResponseBytes: env.maxResponseBytes,
        timeoutMs
      })
    } else {
      const guard = attemptSignal(env.signal, timeoutMs)
      res = await env.http({
        method: req.method,
        url,
        headers,
        body,
        signal: guard.signal,
        maxResponseBytes: env.maxResponseBytes
      })
      guard.done()
    }
    const durationMs = withHooks ? env.now() - t0 : 0

    let error: AWSError<C>
    if (E.isLeft(res)) {
      const e = res.left
      error =
        e.reason === 'Timeout' && totalBound
          ? { ...e, reason: 'TotalTimeout', message: `call timed out (${req.method})` }
          : e.reason === 'BodyTooLarge'
            ? // the response came, but cannot be read within the limit
              serializeError(`response body larger than maxResponseBytes (${env.maxResponseBytes} bytes)`, e.status ?? 0)
            : e
    } else {
      const r = res.right
      if (after) {
        const responseHeaders = scrubHeaders(redactResponseHeaders(r.headers), (secrets ??= secretsOf(req)))
        runHooks(hooks, 'afterResponse', {
          request: (view ??= requestView(attempt)),
          status: r.status,
          headers: responseHeaders,
          durationMs
        })
      }
      if (r.status >= 200 && r.status < 300) {
        const parsed = op.parseResponse(r)
        if (E.isRight(parsed)) {
          const quota = env.retryQuota.get()
          // a full quota stays full: nothing to refund
          if (quota.available !== quota.capacity) env.retryQuota.set(onSuccess(env.retry, quota, lastCost))
          return parsed
        }
        error = parsed.left
      } else if (r.status >= 300 && r.status < 400) {
        error = transportError('Redirect', `redirect refused: HTTP ${r.status} (${req.method})`, undefined, r.status)
      } else {
        error = scrubServiceError(op.service.parseError(r) as ServiceError<C>, (secrets ??= secretsOf(req)), op.errorCodes)
      }
    }

    if (isAborted(env.signal)) {
      if (onError) runHooks(hooks, 'onError', { request: (view ??= requestView(attempt)), error, durationMs, willRetry: false })
      return E.left(error._tag === 'TransportError' ? error : aborted(req.method))
    }
    const quota: RetryQuota = env.retryQuota.get()
    const decision = decide(env.retry, quota, attempt, error, env.random(), env.now())
    const fitsDeadline =
      decision._tag === 'Retry' && (deadline === undefined || env.now() + decision.delayMs < deadline)
    if (onError)
      runHooks(hooks, 'onError', { request: (view ??= requestView(attempt)), error, durationMs, willRetry: fitsDeadline })
    if (decision._tag === 'Stop' || !fitsDeadline) return E.left(error)
    env.retryQuota.set(decision.quota)
    lastCost = decision.cost
    const slept = await env.sleep(decision.delayMs, env.signal)
    if (!slept || isAborted(env.signal)) return E.left(aborted(req.method))
  }
}

/** The one failure `run` does not foresee: a bug, reported as a `Left` rather than thrown. */
const unexpected = (): E.Either<TransportError, never> => E.left(transportError('Other', 'unexpected failure'))

/**
 * Sends a request: `send(Logout)(newLogout(token))` is a
 * `ReaderTaskEither<Env, AWSError<LogoutErrorCode>, LogoutResponse>`. Never throws and
 * never rejects: every failure is a `Left`.
 *
 * @example
 * import { pipe } from 'fp-ts/lib/function.js'
 * import { newEnv, send } from 'fp-aws'
 * import { Logout, newLogout } from 'fp-aws/sso'
 *
 * async function main() {
 *   // an empty token is refused before anything is sent
 *   const r = await pipe(newLogout(''), send(Logout))(newEnv({ region: 'us-east-1' }))()
 *   assert.ok(r._tag === 'Left' && r.left._tag === 'ValidationError')
 * }
 * main()
 *
 * @category runtime
 * @since 0.1.0
 */
export const send =
  <Rq, Rs, C extends string>(op: AWSRequest<Rq, Rs, C>) =>
  (rq: Rq): ReaderTaskEither<Env, AWSError<C>, Rs> =>
  (env) =>
  () =>
    run(op, rq, env).catch(unexpected as () => E.Either<AWSError<C>, Rs>)
