/**
 * The HTTP client: the only module that touches axios. A client is a function from a
 * resolved call to a `Promise` that never rejects; every failure is a `TransportError`
 * built here, so an axios error (whose `config.headers` hold the token) never escapes.
 *
 * @since 0.1.0
 */
import * as http from 'node:http'
import * as https from 'node:https'
import axios, { type AxiosError, type AxiosInstance, type AxiosResponse } from 'axios'
import * as E from 'fp-ts/lib/Either.js'
import { transportError, type TransportError, type TransportReason } from './Error.js'
import type { HttpResponse } from './Request.js'

/**
 * One attempt, fully resolved: absolute URL, headers with secrets revealed.
 *
 * @category model
 * @since 0.1.0
 */
export interface HttpCall {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | undefined
  /** Cancels the attempt; its `reason` tells a timeout from a user abort. */
  readonly signal: AbortSignal | undefined
  /** A larger response body fails with `BodyTooLarge`. */
  readonly maxResponseBytes: number
}

/**
 * Sends one attempt. Never rejects.
 *
 * @category model
 * @since 0.1.0
 */
export type HttpClient = (call: HttpCall) => Promise<E.Either<TransportError, HttpResponse>>

/**
 * Options of the default axios-based client.
 *
 * @category model
 * @since 0.1.0
 */
export interface AxiosClientOptions {
  /** Most sockets per host (default 256). */
  readonly maxSockets?: number
  /** Keep connections open between calls (default `true`). */
  readonly keepAlive?: boolean
}

/**
 * Thrown into an attempt's `AbortSignal` when the per-attempt deadline passes.
 *
 * @category model
 * @since 0.1.0
 */
export const ATTEMPT_TIMEOUT = 'fp-aws:attempt-timeout'

const SYSTEM_CODES: Readonly<Record<string, TransportReason>> = {
  ECONNREFUSED: 'ConnectionRefused',
  ECONNRESET: 'ConnectionReset',
  EPIPE: 'ConnectionReset',
  ECONNABORTED: 'ConnectionReset',
  ERR_STREAM_PREMATURE_CLOSE: 'ConnectionReset',
  ETIMEDOUT: 'Timeout',
  ENOTFOUND: 'DnsFailure',
  EAI_AGAIN: 'DnsFailure'
}

const describe: Readonly<Record<TransportReason, string>> = {
  ConnectionRefused: 'connection refused',
  ConnectionReset: 'connection reset',
  DnsFailure: 'host name could not be resolved',
  Timeout: 'attempt timed out',
  TotalTimeout: 'call timed out',
  Aborted: 'call aborted',
  Redirect: 'redirect refused',
  BodyTooLarge: 'response body larger than the configured limit',
  Other: 'transport failure'
}

const hostOf = (url: string): string => {
  try {
    return new URL(url).host
  } catch {
    return 'endpoint'
  }
}

/**
 * Maps anything axios (or Node) rejected with to a `TransportError`, keeping only the
 * system error code: the original error, its config and its headers are dropped.
 *
 * @category transport
 * @since 0.1.0
 */
export const toTransportError = (err: unknown, call: HttpCall): TransportError => {
  const e = err as Partial<AxiosError> & { cause?: { code?: string } }
  const signalReason: unknown = call.signal?.aborted === true ? call.signal.reason : undefined
  const code = typeof e.code === 'string' ? e.code : typeof e.cause?.code === 'string' ? e.cause.code : undefined
  let reason: TransportReason
  if (signalReason !== undefined) {
    reason = signalReason === ATTEMPT_TIMEOUT ? 'Timeout' : 'Aborted'
  } else if (typeof e.message === 'string' && e.message.startsWith('maxContentLength')) {
    reason = 'BodyTooLarge'
  } else if (typeof e.message === 'string' && e.message === 'stream has been aborted') {
    reason = 'ConnectionReset'
  } else {
    reason = (code !== undefined ? SYSTEM_CODES[code] : undefined) ?? 'Other'
  }
  const sysCode = code !== undefined && /^E[A-Z_]+$/.test(code) ? code : undefined
  return transportError(reason, `${describe[reason]} (${call.method} ${hostOf(call.url)})`, sysCode)
}

const lowerHeaders = (h: AxiosResponse['headers']): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(h as Record<string, unknown>)) {
    if (v === undefined || v === null) continue
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v)
  }
  return out
}

const EMPTY = new Uint8Array(0)

/**
 * An `HttpClient` over an axios instance: keep-alive agents, no redirects followed, every
 * status returned as data, bodies as raw bytes, a response size limit.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromAxios =
  (instance: AxiosInstance): HttpClient =>
  (call) =>
    instance
      .request<ArrayBuffer>({
        method: call.method,
        url: call.url,
        // `false` keeps axios from adding its form content type to a body-less POST
        headers: call.body === undefined ? { ...call.headers, 'Content-Type': false } : call.headers,
        data: call.body,
        signal: call.signal,
        maxContentLength: call.maxResponseBytes
      })
      .then(
        (res): E.Either<TransportError, HttpResponse> =>
          E.right({
            status: res.status,
            headers: lowerHeaders(res.headers),
            body: res.data === undefined || res.data === null ? EMPTY : new Uint8Array(res.data)
          }),
        (err: unknown) => E.left(toTransportError(err, call))
      )

/**
 * The default client: axios with keep-alive `node:http`/`node:https` agents.
 *
 * @category constructors
 * @since 0.1.0
 */
export const axiosClient = (options: AxiosClientOptions = {}): HttpClient => {
  const keepAlive = options.keepAlive ?? true
  const maxSockets = options.maxSockets ?? 256
  return fromAxios(
    axios.create({
      httpAgent: new http.Agent({ keepAlive, maxSockets }),
      httpsAgent: new https.Agent({ keepAlive, maxSockets }),
      headers: { common: { Accept: 'application/json' } },
      maxRedirects: 0,
      proxy: false,
      validateStatus: () => true,
      responseType: 'arraybuffer',
      transformResponse: [],
      transformRequest: [],
      decompress: true
    })
  )
}

let shared: HttpClient | undefined

/**
 * The client every `Env` uses unless told otherwise, created on first use.
 *
 * @category constructors
 * @since 0.1.0
 */
export const defaultHttpClient: HttpClient = (call) => {
  if (shared === undefined) shared = axiosClient()
  return shared(call)
}
