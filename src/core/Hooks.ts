/**
 * Hooks see every attempt of every call (amazonka's `Hooks`, the Rust SDK's interceptors).
 * They receive redacted views: fp-aws itself never puts a token, key or session token in
 * one (the `Sensitive` headers and `authorization`, `x-amz-security-token`, `cookie` and
 * `set-cookie` show as `<redacted>`). What a server echoes back in its response headers or
 * in an error is scrubbed of the request's secrets (its bearer token) only when a secret is
 * at least 8 characters long: a shorter one is left in place, as it occurs by chance in
 * ordinary text (see the README's "Secrets: what is guaranteed").
 * A hook may return a promise, which is not awaited. A hook that throws, or whose promise
 * rejects, is ignored; it cannot break a call, nor leave an unhandled rejection behind.
 *
 * @since 0.1.0
 */
import type { AWSError } from './Error.js'
import { escapeControl } from './Text.js'

/**
 * A request as a hook sees it: secrets are `<redacted>`.
 *
 * @category model
 * @since 0.1.0
 */
export interface RequestView {
  readonly service: string
  readonly operation: string
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  /** 1-based. */
  readonly attempt: number
}

/**
 * A response as a hook sees it.
 *
 * @category model
 * @since 0.1.0
 */
export interface ResponseView {
  readonly request: RequestView
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly durationMs: number
}

/**
 * A failed attempt as a hook sees it.
 *
 * @category model
 * @since 0.1.0
 */
export interface ErrorView {
  readonly request: RequestView
  readonly error: AWSError
  readonly durationMs: number
  /** Whether the runtime will try again. */
  readonly willRetry: boolean
}

/**
 * A set of hooks; every field is optional.
 *
 * @category model
 * @since 0.1.0
 */
export interface Hooks {
  readonly beforeRequest?: (view: RequestView) => void
  readonly afterResponse?: (view: ResponseView) => void
  readonly onError?: (view: ErrorView) => void
}

const ignore = (): void => undefined

/** Whatever a hook returned: a rejected promise (or a thenable that throws) is swallowed. */
const contain = (result: unknown): void => {
  if ((typeof result === 'object' && result !== null) || typeof result === 'function')
    Promise.resolve(result).then(ignore, ignore)
}

/**
 * Calls one kind of hook on every hook set, ignoring any that throws or rejects (a
 * returned promise is not awaited).
 *
 * @category combinators
 * @since 0.1.0
 */
export const runHooks = <K extends keyof Hooks>(
  hooks: ReadonlyArray<Hooks>,
  kind: K,
  view: Parameters<NonNullable<Hooks[K]>>[0]
): void => {
  let list: ReadonlyArray<unknown>
  try {
    list = Array.isArray(hooks) ? [...(hooks as ReadonlyArray<unknown>)] : []
  } catch {
    return
  }
  for (const h of list) {
    try {
      const f: unknown = (h as Partial<Hooks> | null | undefined)?.[kind]
      if (typeof f === 'function') contain((f as (v: typeof view) => unknown)(view))
    } catch {
      // a hook cannot break a call (nor can a hook set that is not an object)
    }
  }
}

/**
 * A ready logging hook: one line per attempt with method, URL, status (or error), attempt
 * and duration, its control characters escaped (see `escapeControl`). `write` may be async;
 * its rejection is ignored.
 *
 * @example
 * import { loggingHook } from 'fp-aws/core/Hooks'
 *
 * const lines: Array<string> = []
 * const hook = loggingHook((l) => lines.push(l))
 * const request = { service: 'SSO', operation: 'Logout', method: 'POST', url: 'http://127.0.0.1/logout', headers: {}, attempt: 1 }
 * hook.afterResponse?.({ request, status: 200, headers: {}, durationMs: 3 })
 * assert.strictEqual(lines[0], '[fp-aws] SSO.Logout POST http://127.0.0.1/logout 200 attempt=1 3ms')
 *
 * @category hooks
 * @since 0.1.0
 */
export const loggingHook = (sink: (line: string) => void): Hooks => {
  // a line holds an endpoint URL and a server's error code: neither may forge a line or drive a terminal
  const write = (line: string): void => sink(escapeControl(line))
  return {
    afterResponse: (v) =>
      write(
        `[fp-aws] ${v.request.service}.${v.request.operation} ${v.request.method} ${v.request.url} ${v.status} attempt=${v.request.attempt} ${Math.round(v.durationMs)}ms`
      ),
    onError: (v) => {
      if (v.error._tag === 'TransportError') {
        return write(
          `[fp-aws] ${v.request.service}.${v.request.operation} ${v.request.method} ${v.request.url} ${v.error.reason} attempt=${v.request.attempt} ${Math.round(v.durationMs)}ms${v.willRetry ? ' (will retry)' : ''}`
        )
      } else if (v.willRetry) {
        return write(
          `[fp-aws] ${v.request.service}.${v.request.operation} retrying after ${v.error._tag === 'ServiceError' ? v.error.code : v.error._tag} attempt=${v.request.attempt}`
        )
      }
      return undefined
    }
  }
}
