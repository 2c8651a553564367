/**
 * A local emulator of the AWS SSO portal API (`portal.sso.<region>.amazonaws.com`), for
 * tests: a real `node:http` server on a loopback port, keep-alive enabled, speaking the
 * service's restJson1 wire.
 *
 * - `POST /logout`: a seeded, live token (header `x-amz-sso_bearer_token`) → 200, empty
 *   body; the token is then dead. A missing, unknown or logged-out token → 401
 *   `UnauthorizedException`, body exactly
 *   `{"message":"Session token not found or invalid","__type":"com.amazonaws.switchboard.portal#UnauthorizedException"}`
 *   (the same 401 for every operation).
 * - `GET /assignment/accounts` (`next_token`, `max_result`) → `{ accountList, nextToken? }`.
 * - `GET /assignment/roles` (`account_id`, `next_token`, `max_result`) → `{ roleList, nextToken? }`.
 * - `GET /federation/credentials` (`role_name`, `account_id`) → `{ roleCredentials }`, with
 *   `expiration` in epoch milliseconds, one hour ahead.
 * - An account or role not assigned to the token → 403 `ForbiddenException` "No access".
 * - A missing required query parameter, a `max_result` outside 1..100 or a foreign
 *   `next_token` → 400 `InvalidRequestException`. Page tokens are opaque; the last page has
 *   no `nextToken`; the default page size is 20.
 * - Unknown path → 404, known path with the wrong method → 405 with `Allow`; both
 *   `com.amazon.coral.service#UnknownOperationException`.
 *
 * Every response carries `x-amzn-RequestId` (a random UUID) and `content-type:
 * application/json`; errors also carry `x-amzn-ErrorType`. Request bodies are drained and
 * ignored. The emulator never logs, and never throws.
 *
 * @since 0.1.0
 */
import type * as TE from 'fp-ts/lib/TaskEither.js'
import * as E from 'fp-ts/lib/Either.js'
import { randomUUID } from 'node:crypto'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { makeState, route, type EmulatorResponse, type TokenSeed } from './operations.js'

/**
 * What a seeded token can see (re-exported from `fp-aws/sso/emulator/operations`).
 *
 * @category model
 * @since 0.1.0
 */
export type { AccountSeed, TokenSeed } from './operations.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * How to start the emulator.
 *
 * @category model
 * @since 0.1.0
 */
export interface EmulatorOptions {
  /** The port to listen on; `0` (the default) picks a free one. */
  readonly port?: number
  /** The address to listen on; default `127.0.0.1`. */
  readonly host?: string
  /** The access tokens the emulator accepts, and what each can see. */
  readonly tokens?: Readonly<Record<string, TokenSeed>>
}

/**
 * A running emulator.
 *
 * @category model
 * @since 0.1.0
 */
export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:54321`, with no trailing slash. */
  readonly url: string
  /** Stops listening and closes every connection, idle keep-alive ones included. Resolves even if already closed. */
  readonly close: () => Promise<void>
  /** Whether a seeded token has been logged out (`false` for a token never seeded). */
  readonly isLoggedOut: (token: string) => boolean
  /** How many `POST /logout` requests carried this token, whatever their outcome. */
  readonly logoutCount: (token: string) => number
  /** How many HTTP requests the emulator has received, on any path. */
  readonly requestCount: () => number
}

/**
 * The emulator could not start (bad port, port in use, unknown host, …).
 *
 * @category model
 * @since 0.1.0
 */
export interface EmulatorError {
  readonly _tag: 'EmulatorError'
  readonly message: string
}

/**
 * Builds an `EmulatorError`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const emulatorError = (message: string): EmulatorError => ({ _tag: 'EmulatorError', message })

// -------------------------------------------------------------------------------------
// server
// -------------------------------------------------------------------------------------

const TOKEN_HEADER = 'x-amz-sso_bearer_token'

/** How long `close()` lets in-flight requests finish before cutting their sockets. */
const CLOSE_GRACE_MS = 1000

const bearerToken = (req: http.IncomingMessage): string | undefined => {
  const h = req.headers[TOKEN_HEADER]
  return Array.isArray(h) ? h[0] : h
}

const parseTarget = (rawUrl: string | undefined): { path: string; query: URLSearchParams } => {
  try {
    const u = new URL(rawUrl ?? '/', 'http://emulator.invalid')
    return { path: u.pathname, query: u.searchParams }
  } catch {
    return { path: '', query: new URLSearchParams() }
  }
}

const write = (res: http.ServerResponse, r: EmulatorResponse, closing: boolean): void => {
  if (res.headersSent || res.destroyed) return
  const body = r.body === undefined ? '' : JSON.stringify(r.body)
  res.writeHead(r.status, {
    ...r.headers,
    ...(closing ? { connection: 'close' } : {}),
    'x-amzn-RequestId': randomUUID(),
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body))
  })
  res.end(body)
}

const formatUrl = (host: string, port: number): string =>
  `http://${host.includes(':') ? `[${host}]` : host}:${port}`

/**
 * Starts an emulator. Fails with an `EmulatorError` (never throws) if it cannot listen.
 *
 * @example
 * import { startEmulator } from 'fp-aws/sso/emulator'
 *
 * void startEmulator({ tokens: { 'my-token': {} } })().then(async (result) => {
 *   assert.strictEqual(result._tag, 'Right')
 *   if (result._tag === 'Right') {
 *     const emulator = result.right
 *     const res = await fetch(`${emulator.url}/logout`, {
 *       method: 'POST',
 *       headers: { 'x-amz-sso_bearer_token': 'my-token' }
 *     })
 *     assert.strictEqual(res.status, 200)
 *     assert.strictEqual(emulator.isLoggedOut('my-token'), true)
 *     await emulator.close()
 *   }
 * })
 *
 * @category constructors
 * @since 0.1.0
 */
export const startEmulator =
  (options: EmulatorOptions = {}): TE.TaskEither<EmulatorError, Emulator> =>
  () =>
    new Promise((resolve) => {
      const port = options.port ?? 0
      const host = options.host ?? '127.0.0.1'
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        return resolve(E.left(emulatorError(`invalid port ${String(port)}: expected an integer in 0..65535`)))
      }
      if (typeof host !== 'string' || host === '') {
        return resolve(E.left(emulatorError('invalid host: expected a non-empty string')))
      }
      const seeded = E.tryCatch(
        () => makeState(options.tokens ?? {}),
        () => emulatorError('invalid tokens: each seed needs accounts with a roles array')
      )
      if (E.isLeft(seeded)) return resolve(seeded)
      const state = seeded.right
      let closing: Promise<void> | undefined

      const server = http.createServer((req, res) => {
        state.requests += 1
        req.on('error', () => undefined)
        res.on('error', () => undefined)
        req.on('end', () => {
          const { path, query } = parseTarget(req.url)
          write(
            res,
            route({ method: req.method ?? '', path, query, token: bearerToken(req), now: Date.now() }, state),
            closing !== undefined
          )
        })
        req.resume()
      })
      server.keepAliveTimeout = 5000

      const onListenError = (e: NodeJS.ErrnoException): void => {
        server.close(() => undefined)
        resolve(E.left(emulatorError(`cannot listen on ${formatUrl(host, port)}: ${e.code ?? e.message}`)))
      }
      server.once('error', onListenError)

      const close = (): Promise<void> => {
        if (closing === undefined) {
          closing = new Promise<void>((done) => {
            const timer = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS)
            timer.unref()
            server.close(() => {
              clearTimeout(timer)
              done()
            })
            server.closeIdleConnections()
          })
        }
        return closing
      }

      try {
        server.listen({ port, host }, () => {
          server.off('error', onListenError)
          server.on('error', () => undefined)
          const address = server.address() as AddressInfo
          resolve(
            E.right({
              url: formatUrl(host, address.port),
              close,
              isLoggedOut: (token) => state.tokens.get(token)?.loggedOut ?? false,
              logoutCount: (token) => state.logouts.get(token) ?? 0,
              requestCount: () => state.requests
            })
          )
        })
      } catch (e) {
        server.off('error', onListenError)
        resolve(E.left(emulatorError(`cannot listen: ${e instanceof Error ? e.message : String(e)}`)))
      }
    })
