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
import type { Env } from './Env.js'
import {
  transportError,
  validationError,
  type AWSError,
  type SerializeError,
  type ServiceError,
  type TransportError,
  type ValidationError
} from './Error.js'
import { runHooks, type RequestView } from './Hooks.js'
import { ATTEMPT_TIMEOUT } from './Http.js'
import { pathAndQuery, redactHeaders, revealHeaders, type HttpRequest, type HttpResponse } from './Request.js'
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

const isNonNegativeInt = (n: number | undefined): boolean => n === undefined || (Number.isInteger(n) && n >= 0)

const checkEnv = (operation: string, env: Env): ValidationError | undefined => {
  const r = env.retry
  if (!Number.isInteger(r.maxAttempts) || r.maxAttempts < 1)
    return validationError(operation, 'maxAttempts', 'maxAttempts must be an integer of at least 1')
  if (![r.baseDelayMs, r.throttlingBaseDelayMs, r.maxBackoffMs].every((n) => Number.isFinite(n) && n >= 0))
    return validationError(operation, 'retry', 'retry delays must be finite numbers of at least 0')
  if (!isNonNegativeInt(env.attemptTimeoutMs) || env.attemptTimeoutMs === 0)
    return validationError(operation, 'attemptTimeoutMs', 'attemptTimeoutMs must be a positive integer')
  if (!isNonNegativeInt(env.totalTimeoutMs) || env.totalTimeoutMs === 0)
    return validationError(operation, 'totalTimeoutMs', 'totalTimeoutMs must be a positive integer')
  if (!Number.isInteger(env.maxResponseBytes) || env.maxResponseBytes < 0)
    return validationError(operation, 'maxResponseBytes', 'maxResponseBytes must be an integer of at least 0')
  return undefined
}

const joinUrl = (base: string, path: string): string => (base.endsWith('/') ? base.slice(0, -1) : base) + path

/** Replaces every occurrence of a secret in a string the server sent back. */
const scrub = (s: string, secrets: ReadonlyArray<string>): string =>
  secrets.reduce((acc, secret) => (secret.length > 0 ? acc.split(secret).join('<redacted>') : acc), s)

const scrubHeaders = (h: Readonly<Record<string, string>>, secrets: ReadonlyArray<string>): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const k of Object.keys(h)) out[scrub(k, secrets)] = scrub(h[k] as string, secrets)
  return out
}

const scrubServiceError = <C extends string>(e: ServiceError<C>, secrets: ReadonlyArray<string>): ServiceError<C> => ({
  ...e,
  code: scrub(e.code, secrets),
  message: scrub(e.message, secrets),
  requestId: e.requestId === undefined ? undefined : scrub(e.requestId, secrets),
  headers: scrubHeaders(e.headers, secrets)
})

type Outcome<C extends string, Rs> =
  | { readonly _tag: 'Done'; readonly value: Rs }
  | { readonly _tag: 'Failed'; readonly error: AWSError<C> }

/** Links an attempt's controller to the caller's signal and to a deadline. */
const attemptSignal = (
  parent: AbortSignal | undefined,
  timeoutMs: number | undefined
): { readonly signal: AbortSignal; readonly done: () => void } => {
  const ac = new AbortController()
  const onAbort = () => ac.abort(parent?.reason)
  parent?.addEventListener('abort', onAbort, { once: true })
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => ac.abort(ATTEMPT_TIMEOUT), timeoutMs)
  return {
    signal: ac.signal,
    done: () => {
      if (timer !== undefined) clearTimeout(timer)
      parent?.removeEventListener('abort', onAbort)
    }
  }
}

/** Read through a call so the check is not narrowed away across `await`s. */
const isAborted = (signal: AbortSignal | undefined): boolean => signal?.aborted === true

const aborted = (method: string): TransportError => transportError('Aborted', `call aborted (${method})`)

const run = async <Rq, Rs, C extends string>(
  op: AWSRequest<Rq, Rs, C>,
  rq: Rq,
  env: Env
): Promise<E.Either<AWSError<C>, Rs>> => {
  const bad = checkEnv(op.operation, env)
  if (bad !== undefined) return E.left(bad)
  const custom = env.endpoint ?? env.endpoints[op.service.serviceId]
  const endpoint = op.service.resolveEndpoint({
    ...(env.region !== undefined ? { Region: env.region } : {}),
    ...(custom !== undefined ? { Endpoint: custom } : {}),
    UseFIPS: env.useFIPS,
    UseDualStack: env.useDualStack
  })
  if (E.isLeft(endpoint)) return endpoint
  const encoded = op.toRequest(rq)
  if (E.isLeft(encoded)) return encoded
  const req = encoded.right
  const url = joinUrl(endpoint.right.url, pathAndQuery(req))
  const secrets: Array<string> = []
  for (const v of Object.values(req.headers)) if (isSensitive(v)) secrets.push(reveal(v as Sensitive<string>))
  const headers = { 'user-agent': USER_AGENT, ...revealHeaders(req.headers) }
  const viewHeaders = { 'user-agent': USER_AGENT, ...redactHeaders(req.headers) }

  const start = env.now()
  const deadline = env.totalTimeoutMs === undefined ? undefined : start + env.totalTimeoutMs
  let lastCost: number | undefined
  for (let attempt = 1; ; attempt++) {
    if (isAborted(env.signal)) return E.left(aborted(req.method))
    const remaining = deadline === undefined ? undefined : deadline - env.now()
    if (remaining !== undefined && remaining <= 0)
      return E.left(transportError('TotalTimeout', `call timed out (${req.method})`))
    const totalBound = remaining !== undefined && (env.attemptTimeoutMs === undefined || remaining < env.attemptTimeoutMs)
    const timeoutMs = totalBound ? remaining : env.attemptTimeoutMs
    const view: RequestView = {
      service: op.service.abbrev,
      operation: op.operation,
      method: req.method,
      url,
      headers: viewHeaders,
      attempt
    }
    runHooks(env.hooks, 'beforeRequest', view)
    const t0 = env.now()
    const guard = attemptSignal(env.signal, timeoutMs)
    const res = await env.http({
      method: req.method,
      url,
      headers,
      body: req.body,
      signal: guard.signal,
      maxResponseBytes: env.maxResponseBytes
    })
    guard.done()
    const durationMs = env.now() - t0

    let outcome: Outcome<C, Rs>
    if (E.isLeft(res)) {
      const e = res.left
      outcome = {
        _tag: 'Failed',
        error: e.reason === 'Timeout' && totalBound ? { ...e, reason: 'TotalTimeout', message: `call timed out (${req.method})` } : e
      }
    } else {
      const r = res.right
      if (env.hooks.length > 0) {
        const headers = scrubHeaders(redactResponseHeaders(r.headers), secrets)
        runHooks(env.hooks, 'afterResponse', { request: view, status: r.status, headers, durationMs })
      }
      if (r.status >= 200 && r.status < 300) {
        const parsed = op.parseResponse(r)
        outcome = E.isRight(parsed) ? { _tag: 'Done', value: parsed.right } : { _tag: 'Failed', error: parsed.left }
      } else if (r.status >= 300 && r.status < 400) {
        outcome = {
          _tag: 'Failed',
          error: transportError('Redirect', `redirect refused: HTTP ${r.status} (${req.method})`, undefined, r.status)
        }
      } else {
        outcome = { _tag: 'Failed', error: scrubServiceError(op.service.parseError(r) as ServiceError<C>, secrets) }
      }
    }

    if (outcome._tag === 'Done') {
      env.retryQuota.set(onSuccess(env.retry, env.retryQuota.get(), lastCost))
      return E.right(outcome.value)
    }
    const error = outcome.error
    if (isAborted(env.signal)) {
      runHooks(env.hooks, 'onError', { request: view, error, durationMs, willRetry: false })
      return E.left(error._tag === 'TransportError' ? error : aborted(req.method))
    }
    const quota: RetryQuota = env.retryQuota.get()
    const decision = decide(env.retry, quota, attempt, error, env.random(), env.now())
    const fitsDeadline =
      decision._tag === 'Retry' && (deadline === undefined || env.now() + decision.delayMs < deadline)
    runHooks(env.hooks, 'onError', { request: view, error, durationMs, willRetry: fitsDeadline })
    if (decision._tag === 'Stop' || !fitsDeadline) return E.left(error)
    env.retryQuota.set(decision.quota)
    lastCost = decision.cost
    const slept = await env.sleep(decision.delayMs, env.signal)
    if (!slept || isAborted(env.signal)) return E.left(aborted(req.method))
  }
}

/**
 * Sends a request: `send(Logout)(newLogout(token))` is a
 * `ReaderTaskEither<Env, AWSError<LogoutErrorCode>, LogoutResponse>`. Never throws and
 * never rejects: every failure is a `Left`.
 *
 * @example
 * import { pipe } from 'fp-ts/function'
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
    run(op, rq, env).catch((): E.Either<AWSError<C>, Rs> => E.left(transportError('Other', 'unexpected failure')))
