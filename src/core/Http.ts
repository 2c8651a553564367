/**
 * The HTTP client: the only module that touches axios. A client is a function from a
 * resolved call to a `Promise` that never rejects; every failure is a `TransportError`
 * built here, so an axios error (whose `config.headers` hold the token) never escapes.
 *
 * The default client is axios's adapter contract without axios's per-request pipeline:
 *
 * - on Node, {@link nodeHttpAdapter}'s exchange, a lean axios adapter over `node:http` /
 *   `node:https` keep-alive agents. Node's modules are reached through
 *   `process.getBuiltinModule`, never a static import, so a browser bundle of this module
 *   pulls no Node built-in;
 * - elsewhere (browsers, workers), {@link fetchAdapter}'s exchange over `fetch`, with
 *   `redirect: 'manual'`.
 *
 * Each call goes to the exchange with a prebuilt config: no config merging, header objects
 * or transforms per request, and axios itself is not even loaded. `fromAxios` runs any
 * axios instance, interceptors and all; the lean adapters plug into one with
 * `axios.create({ ...axiosDefaults, adapter: nodeHttpAdapter() })`.
 *
 * @since 0.1.0
 */
import type {
  AxiosAdapter,
  AxiosError,
  AxiosInstance,
  AxiosRequestConfig,
  AxiosResponse,
  CreateAxiosDefaults,
  InternalAxiosRequestConfig
} from 'axios'
import * as E from 'fp-ts/lib/Either.js'
import { isAbortSignal, onAbort } from './Abort.js'
import { readOptions } from './Args.js'
import { bypassesProxy, hasProxy, normalizeProxyUrl, type ProxyOptions } from './Proxy.js'
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
  /**
   * The attempt's deadline in ms, for a client that keeps deadlines itself (one marked
   * with {@link NATIVE_DEADLINE}); `send` then passes the caller's own signal, or none,
   * instead of a per-attempt one. Other clients get `undefined` here and a signal that
   * aborts with {@link ATTEMPT_TIMEOUT}.
   *
   * @since 0.1.0
   */
  readonly timeoutMs?: number | undefined
}

/**
 * Sends one attempt. Never rejects, whatever it is given: what is not an `HttpCall` is a
 * `TransportError` (`Other`), and nothing is sent.
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
  /**
   * `http`: {@link nodeHttpAdapter} (the default on Node); `fetch`: axios's fetch adapter
   * (the default where there is no `node:http`).
   *
   * @since 0.1.0
   */
  readonly adapter?: 'http' | 'fetch'
  /**
   * Proxies (Node only): `CONNECT` tunnels for `https:` URLs, absolute-URL requests for
   * `http:` ones, hosts in `noProxy` reached directly. Default: none. The proxy module is
   * loaded on the first proxied call only.
   *
   * @since 0.2.0
   */
  readonly proxy?: ProxyOptions
  /**
   * Extra trusted CA certificates, PEM (Node only): added to Node's default roots, for
   * `https:` services and `https:` proxies alike. Default: the default roots alone.
   *
   * @since 0.2.0
   */
  readonly ca?: string
}

/**
 * Thrown into an attempt's `AbortSignal` when the per-attempt deadline passes.
 *
 * @category model
 * @since 0.1.0
 */
export const ATTEMPT_TIMEOUT = 'fp-aws:attempt-timeout'

/**
 * Marks an `HttpClient` that keeps the per-attempt deadline itself (`HttpCall.timeoutMs`):
 * `send` then spares the attempt its own `AbortController` and timer.
 *
 * @category model
 * @since 0.1.0
 */
export const NATIVE_DEADLINE: unique symbol = Symbol.for('fp-aws/http/native-deadline')

/**
 * Whether a client keeps deadlines itself (see {@link NATIVE_DEADLINE}); `false` for a
 * value that is not a function.
 *
 * @category refinements
 * @since 0.1.0
 */
export const hasNativeDeadline = (client: HttpClient): boolean => {
  if (typeof client !== 'function') return false
  try {
    return (client as unknown as { readonly [NATIVE_DEADLINE]?: unknown })[NATIVE_DEADLINE] === true
  } catch {
    return false
  }
}

const markNative = (client: HttpClient): HttpClient => {
  Object.defineProperty(client, NATIVE_DEADLINE, { value: true })
  return client
}

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
  ProxyRefused: 'the proxy refused the connection',
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

const SYS_CODE = /^E[A-Z_]+$/

/** OpenSSL's and Node's codes for a server certificate that is not trusted. */
const TLS_CODES: ReadonlySet<string> = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID'
])

const failure = (reason: TransportReason, code: string | undefined, call: HttpCall): TransportError => {
  const tls = code !== undefined && TLS_CODES.has(code)
  return transportError(
    reason,
    tls
      ? `the server's TLS certificate is not trusted (${code}; extra CAs go in AWS_CA_BUNDLE) (${call.method} ${hostOf(call.url)})`
      : `${describe[reason]} (${call.method} ${hostOf(call.url)})`,
    code !== undefined && (SYS_CODE.test(code) || tls) ? code : undefined
  )
}

/**
 * Maps anything axios (or Node) rejected with to a `TransportError`, keeping only the
 * system error code: the original error, its config and its headers are dropped. An error
 * or a call that cannot be read is an `Other` failure that names neither.
 *
 * @category transport
 * @since 0.1.0
 */
export const toTransportError = (err: unknown, call: HttpCall): TransportError => {
  try {
    return transportErrorOf(err, call)
  } catch {
    return transportError('Other', describe.Other)
  }
}

const transportErrorOf = (err: unknown, call: HttpCall): TransportError => {
  const e = (typeof err === 'object' && err !== null ? err : {}) as Partial<AxiosError> & { cause?: { code?: string } }
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
  return failure(reason, code, call)
}

/** What a client answers for a value that is not an `HttpCall`: nothing was sent. */
const notACall = (): E.Either<TransportError, HttpResponse> =>
  E.left(transportError('Other', 'the HTTP client was given something that is not an HttpCall: nothing was sent'))

const isTimeout = (n: unknown): boolean => n === undefined || (typeof n === 'number' && Number.isFinite(n) && n >= 0)

/**
 * The call a client is given, each member read once and checked (a JavaScript caller can
 * pass anything, and a client never rejects); `undefined` when it is not an `HttpCall`.
 */
const readCall = (given: HttpCall): HttpCall | undefined => {
  if (typeof given !== 'object' || given === null) return undefined
  try {
    const { method, url, headers, body, signal, maxResponseBytes, timeoutMs } = given
    return typeof method === 'string' &&
      typeof url === 'string' &&
      typeof headers === 'object' &&
      headers !== null &&
      (body === undefined || typeof body === 'string') &&
      (signal === undefined || signal === null || isAbortSignal(signal)) &&
      typeof maxResponseBytes === 'number' &&
      !Number.isNaN(maxResponseBytes) &&
      isTimeout(timeoutMs)
      ? { method, url, headers, body, signal: signal ?? undefined, maxResponseBytes, timeoutMs }
      : undefined
  } catch {
    return undefined
  }
}

const lowerHeaders = (h: AxiosResponse['headers'] | Record<string, unknown>): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(h as Record<string, unknown>)) {
    if (v === undefined || v === null) continue
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v)
  }
  return out
}

const EMPTY = new Uint8Array(0)

const refuseRedirect = (): never => {
  throw new Error('redirect refused')
}

/**
 * What `fromAxios` sets on every request, over whatever the instance was created with:
 * the default client's contract (see {@link axiosDefaults}).
 */
const perRequest: AxiosRequestConfig = {
  maxRedirects: 0,
  // axios's own transports, never the instance's (one that follows redirects, say) …
  transport: null,
  // … and for one that follows them all the same
  beforeRedirect: refuseRedirect,
  validateStatus: () => true,
  responseType: 'arraybuffer',
  transformRequest: [],
  transformResponse: [],
  maxBodyLength: -1,
  allowAbsoluteUrls: true,
  // the instance's default `params` must not be appended to the call's URL
  paramsSerializer: { serialize: () => '' }
}

const toBytes = (data: unknown): Uint8Array | undefined =>
  data === undefined || data === null || data === ''
    ? EMPTY
    : data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : ArrayBuffer.isView(data)
        ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
        : typeof data === 'string'
          ? new TextEncoder().encode(data)
          : undefined

/** A response however it came (resolved, or carried by a rejection), checked like the default client's. */
const checkResponse = (res: Partial<AxiosResponse>, call: HttpCall): E.Either<TransportError, HttpResponse> => {
  const status = res.status
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599)
    return E.left(failure('Other', undefined, call))
  // a redirect followed anyway (a custom transport or adapter) is refused after the fact
  const req = res.request as { readonly _redirectCount?: unknown; readonly res?: { readonly responseUrl?: unknown } } | undefined
  const redirects = req?._redirectCount
  const finalUrl = req?.res?.responseUrl
  if ((typeof redirects === 'number' && redirects > 0) || (typeof finalUrl === 'string' && finalUrl !== call.url))
    return E.left({ ...failure('Redirect', undefined, call), status })
  const body = toBytes(res.data)
  if (body === undefined) return E.left({ ...failure('Other', undefined, call), status })
  if (call.maxResponseBytes >= 0 && body.byteLength > call.maxResponseBytes)
    return E.left({ ...failure('BodyTooLarge', undefined, call), status })
  const headers = res.headers
  return E.right({ status, headers: typeof headers === 'object' && headers !== null ? lowerHeaders(headers) : {}, body })
}

/**
 * An `HttpClient` over any axios instance (plain `axios`, `axios.create(…)`, a custom
 * adapter, interceptors): whatever the instance was created with, each request overrides
 * it with the default client's contract (see {@link axiosDefaults}): no redirect followed,
 * every status returned as data, raw bytes, the response size limit. What comes back is
 * checked too: a redirect followed all the same is a `TransportError` `Redirect`, a body
 * over the limit `BodyTooLarge`, and an error response that an interceptor rejected with
 * is read as the response it is.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromAxios =
  (instance: AxiosInstance): HttpClient =>
  (given) => {
    const call = readCall(given)
    if (call === undefined) return Promise.resolve(notACall())
    let pending: Promise<AxiosResponse<ArrayBuffer>>
    try {
      pending = instance.request<ArrayBuffer>({
        ...perRequest,
        method: call.method,
        url: call.url,
        // `false` keeps axios from adding its form content type to a body-less POST
        headers: call.body === undefined ? { ...call.headers, 'Content-Type': false } : call.headers,
        data: call.body,
        signal: call.signal,
        maxContentLength: call.maxResponseBytes
      })
    } catch (err) {
      return Promise.resolve(E.left(toTransportError(err, call)))
    }
    // what the instance resolves or rejects with is read defensively too: an interceptor's
    // own value may be anything
    return Promise.resolve(pending).then(
      (res) => {
        try {
          return checkResponse(res, call)
        } catch {
          return E.left(failure('Other', undefined, call))
        }
      },
      (err: unknown) => {
        const e = toTransportError(err, call)
        try {
          const response = (err as { readonly response?: unknown } | null)?.response
          return typeof response === 'object' && response !== null && (e.reason === 'Other' || e.reason === 'Redirect')
            ? checkResponse(response as Partial<AxiosResponse>, call)
            : E.left(e)
        } catch {
          return E.left(e)
        }
      }
    )
  }

/**
 * The instance configuration fp-aws gives axios: JSON accepted, redirects never followed,
 * no proxy, every status returned as data, raw bytes in and out, bodies decompressed.
 *
 * @example
 * import { axiosDefaults } from 'fp-aws/core/Http'
 *
 * assert.strictEqual(axiosDefaults.maxRedirects, 0)
 *
 * @category constants
 * @since 0.1.0
 */
export const axiosDefaults: CreateAxiosDefaults & {
  readonly maxRedirects: 0
  readonly headers: { readonly Accept: 'application/json' }
} = {
  headers: { Accept: 'application/json' },
  maxRedirects: 0,
  proxy: false,
  validateStatus: () => true,
  responseType: 'arraybuffer',
  transformResponse: [],
  transformRequest: [],
  decompress: true
}

// -------------------------------------------------------------------------------------
// one exchange, over node:http or fetch
// -------------------------------------------------------------------------------------

/** One request, resolved and ready for the wire; built once per attempt. */
interface Spec {
  readonly url: string
  readonly method: string
  /** The wire headers, `Accept` and `Accept-Encoding` included. */
  readonly headers: Record<string, string>
  readonly body: string | Uint8Array | undefined
  /** A larger body fails with `too-large`; negative: no limit. */
  readonly maxBytes: number
  readonly decompress: boolean
  readonly signal: AbortSignal | undefined
  readonly timeoutMs: number | undefined
}

/** A complete response: headers lower-cased and flat, the body read whole (and decoded). */
interface Exchanged {
  readonly status: number
  readonly statusText: string
  readonly headers: Record<string, string>
  readonly body: Uint8Array
  readonly request: unknown
}

/** Why an exchange failed, before it is told as a `TransportError` or an axios error. */
interface Failure {
  readonly kind: 'timeout' | 'abort' | 'too-large' | 'redirect' | 'bad-url' | 'system' | 'proxy' | 'bad-proxy' | 'bad-ca'
  /** The HTTP status, where a response had begun (`too-large`). */
  readonly status?: number
  readonly error?: { readonly code?: string; readonly message?: string; readonly cause?: unknown }
}

type Done = (failure: Failure | undefined, result: Exchanged | undefined) => void

const TIMEOUT: Failure = { kind: 'timeout' }
const ABORT: Failure = { kind: 'abort' }
const tooLarge = (status: number): Failure => ({ kind: 'too-large', status })
const BAD_URL: Failure = { kind: 'bad-url' }
const RESET: Failure = { kind: 'system', error: { code: 'ECONNRESET', message: 'socket hang up' } }
const ACCEPT_ENCODING = 'gzip, compress, deflate, br'

/**
 * Calls `settle` once, on the first of: the exchange's own end, the caller's signal, the
 * deadline. `cancel` tears the request down after a signal or the deadline.
 */
const guard = (spec: Spec, done: Done): { readonly settle: Done; readonly start: (cancel: () => void) => boolean } => {
  let settled = false
  let timer: ReturnType<typeof setTimeout> | undefined
  let cancel: (() => void) | undefined
  let off: (() => void) | undefined
  const signal = spec.signal
  const aborted = (): void => {
    settle(ABORT, undefined)
    cancel?.()
  }
  const settle: Done = (f, r) => {
    if (settled) return
    settled = true
    if (timer !== undefined) clearTimeout(timer)
    off?.()
    done(f, r)
  }
  return {
    settle,
    start: (c) => {
      cancel = c
      if (signal?.aborted === true) {
        aborted()
        return false
      }
      if (signal !== undefined) off = onAbort(signal, aborted)
      if (spec.timeoutMs !== undefined)
        timer = setTimeout(() => {
          settle(TIMEOUT, undefined)
          c()
        }, spec.timeoutMs)
      return true
    }
  }
}

// ------------------------------------------------------------------- node:http (Node)

// Node's types, for the implementation only: nothing exported mentions them, so the
// declarations stay usable without @types/node.
type NodeHttp = typeof import('node:http')
type NodeZlib = typeof import('node:zlib')
type Agent = import('node:http').Agent
type IncomingHttpHeaders = import('node:http').IncomingHttpHeaders

interface ProcessLike {
  readonly versions?: { readonly node?: string }
  readonly getBuiltinModule?: (id: string) => unknown
}

const proc = (): ProcessLike | undefined => (globalThis as { readonly process?: ProcessLike }).process

const isNode = (): boolean => typeof proc()?.versions?.node === 'string'

/**
 * Node's built-ins by bare name, never by a static import (which would put `node:http` in
 * a browser bundle): synchronously through `process.getBuiltinModule` (Node ≥ 20.16),
 * else once through an `import()` no bundler follows.
 */
const builtins: Record<string, unknown> = {}
const builtin = <A>(id: 'http' | 'https' | 'zlib' | 'tls'): A => {
  const get = proc()?.getBuiltinModule
  return (builtins[id] ??= typeof get === 'function' ? get(id) : undefined) as A
}
/** `undefined` when the built-ins come synchronously, each on first use (the usual case). */
const loadBuiltins = (): Promise<unknown> | undefined => {
  if (typeof proc()?.getBuiltinModule === 'function' || builtins['zlib'] !== undefined) return undefined
  const load = (id: string): Promise<unknown> => import(id)
  return Promise.all(['http', 'https', 'zlib', 'tls'].map((id) => load(id).then((m) => (builtins[id] = m))))
}

/** Where a URL points, parsed once per distinct URL (the cache is bounded). */
interface Target {
  readonly https: boolean
  /** `host[:port]` as in the URL (IPv6 in brackets), for a `Host` header. */
  readonly host: string
  readonly hostname: string
  readonly port: string
  readonly path: string
  readonly auth: string | undefined
}

const targets = new Map<string, Target | null>()

const targetOf = (url: string): Target | undefined => {
  let t = targets.get(url)
  if (t === undefined) {
    t = null
    try {
      const u = new URL(url)
      if (u.protocol === 'http:' || u.protocol === 'https:')
        t = {
          https: u.protocol === 'https:',
          host: u.host,
          hostname: u.hostname.replace(/^\[(.*)\]$/, '$1'),
          port: u.port,
          path: u.pathname + u.search,
          auth: u.username === '' && u.password === '' ? undefined : `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`
        }
    } catch {
      // not a URL
    }
    if (targets.size >= 512) targets.clear()
    targets.set(url, t)
  }
  return t ?? undefined
}

/** Node's header record made flat (`set-cookie` is an array), in place: it is ours. */
const flat = (h: IncomingHttpHeaders): Record<string, string> => {
  for (const k in h) {
    const v = h[k]
    if (Array.isArray(v)) h[k] = v.join(', ')
  }
  return h as Record<string, string>
}

/** Decodes a body the way axios's http adapter does, within the size limit. */
const decode = (
  encoding: string,
  body: Buffer,
  max: number,
  status: number,
  cb: (f: Failure | undefined, b: Buffer | undefined) => void
): boolean => {
  const z = builtin<NodeZlib>('zlib')
  const limit = max >= 0 ? { maxOutputLength: Math.min(max + 1, 2 ** 31 - 1) } : {}
  const zopts = { finishFlush: z.constants.Z_SYNC_FLUSH, ...limit }
  const done = (e: Error | null, out: Buffer): void => {
    if (e !== null) cb((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? tooLarge(status) : { kind: 'system', error: e }, undefined)
    else if (max >= 0 && out.length > max) cb(tooLarge(status), undefined)
    else cb(undefined, out)
  }
  switch (encoding.toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
    case 'compress':
    case 'x-compress':
      z.unzip(body, zopts, done)
      return true
    case 'deflate':
      // zlib-wrapped by the spec, raw in practice: the first byte tells
      if (body.length > 0 && ((body[0] as number) & 0x0f) === 0x08) z.inflate(body, zopts, done)
      else z.inflateRaw(body, zopts, done)
      return true
    case 'br':
      z.brotliDecompress(body, { finishFlush: z.constants.BROTLI_OPERATION_FLUSH, ...limit }, done)
      return true
    default:
      return false
  }
}

/**
 * How one request reaches its target: `direct`ly; through a `tunnel` (a `CONNECT` to the
 * proxy, then TLS with the target); or to a `forward` proxy, sent the absolute URL.
 */
interface Route {
  /** The first hop's scheme: the target's, or the forward proxy's. */
  readonly https: boolean
  readonly hostname: string
  readonly port: string
  readonly path: string
  readonly auth: string | undefined
  readonly agent: Agent
  readonly via: 'direct' | 'tunnel' | 'forward'
  /** Added to the request's headers (`Host` and `Proxy-Authorization` for a forward proxy). */
  readonly headers: Record<string, string> | undefined
  /** Added to the request's options (the TLS context of a tunnelled target). */
  readonly options: Record<string, unknown> | undefined
}

/** The route of a target: at once, once the proxy module is loaded, or a failure. */
type Router = (t: Target) => Route | Promise<Route | Failure> | Failure

const isFailure = (r: Route | Failure): r is Failure => 'kind' in r

/**
 * One request over `node:http(s)`, the whole response read; `done` is called exactly once.
 * Never follows a redirect: a 3xx is a response like any other.
 */
const nodeExchange = (spec: Spec, router: Router, done: Done): void => {
  const t = targetOf(spec.url)
  if (t === undefined) return done(BAD_URL, undefined)
  const r = router(t)
  if (r instanceof Promise)
    r.then(
      (route) => (isFailure(route) ? done(route, undefined) : nodeSend(spec, route, done)),
      (error: unknown) => done({ kind: 'system', error: error as Error }, undefined)
    )
  else if (isFailure(r)) done(r, undefined)
  else nodeSend(spec, r, done)
}

const nodeSend = (spec: Spec, route: Route, done: Done): void => {
  const g = guard(spec, done)
  const settle = g.settle
  let req: import('node:http').ClientRequest
  // Once the response has ended its socket may go back to the pool (and to another call):
  // from then on a late deadline or abort settles the call but must not destroy it.
  let ended = false
  try {
    req = builtin<NodeHttp>(route.https ? 'https' : 'http').request(
      {
        hostname: route.hostname,
        port: route.port,
        path: route.path,
        method: spec.method,
        headers: route.headers === undefined ? spec.headers : { ...spec.headers, ...route.headers },
        agent: route.agent,
        auth: route.auth,
        ...route.options
      },
      (res) => {
        const headers = res.headers
        // a forward proxy that wants credentials answers for the service: not its answer
        if (route.via === 'forward' && res.statusCode === 407) {
          settle({ kind: 'proxy', status: 407 }, undefined)
          return req.destroy()
        }
        const max = spec.maxBytes
        const declared = headers['content-length']
        if (max >= 0 && declared !== undefined && Number(declared) > max) {
          settle(tooLarge(res.statusCode ?? 0), undefined)
          return req.destroy()
        }
        const chunks: Array<Buffer> = []
        let size = 0
        res.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (max >= 0 && size > max) {
            settle(tooLarge(res.statusCode ?? 0), undefined)
            req.destroy()
          } else chunks.push(chunk)
        })
        res.on('end', () => {
          ended = true
          const raw = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)
          const status = res.statusCode ?? 0
          const ok = (body: Buffer): void =>
            settle(undefined, { status, statusText: res.statusMessage ?? '', headers: flat(headers), body, request: req })
          const encoding = headers['content-encoding']
          if (encoding === undefined || !spec.decompress) return ok(raw)
          delete headers['content-encoding']
          if (spec.method === 'HEAD' || status === 204 || size === 0) return ok(raw)
          if (!decode(encoding, raw, max, status, (f, b) => (f !== undefined ? settle(f, undefined) : ok(b as Buffer)))) {
            headers['content-encoding'] = encoding
            ok(raw)
          }
        })
        res.on('error', (error: Error) => settle({ kind: 'system', error }, undefined))
        res.on('close', () => {
          if (!res.complete) settle(RESET, undefined)
        })
      }
    )
  } catch (error) {
    // an option or header Node refuses
    return settle({ kind: 'system', error: error as Error }, undefined)
  }
  // A tunnel the proxy refused: its answer (a 407, a 403 page) is the proxy's, not the
  // service's, and is never read as the service's response.
  if (route.via === 'tunnel')
    req.once('proxyConnect', (res: { readonly statusCode?: number }) => {
      if (res.statusCode !== 200) {
        settle({ kind: 'proxy', status: res.statusCode ?? 0 }, undefined)
        req.destroy()
      }
    })
  req.on('error', (error: Error) => settle({ kind: 'system', error }, undefined))
  if (g.start(() => (ended ? undefined : req.destroy()))) req.end(spec.body)
}

/** How a client pools its connections, direct or tunnelled: the options' values, or their defaults. */
interface Pool {
  readonly keepAlive: boolean
  readonly maxSockets: number
}

const poolOf = (options: AxiosClientOptions): Pool => ({ keepAlive: options.keepAlive ?? true, maxSockets: options.maxSockets ?? 256 })

/** The TLS context of a client with extra CAs: Node's default roots plus the bundle. */
const secureContextOf = (ca: string): unknown => {
  const tls = builtin<typeof import('node:tls')>('tls')
  return tls.createSecureContext({ ca: [...tls.rootCertificates, ca] })
}

/** Keep-alive agents per client, each created on first use. */
const agents = (options: AxiosClientOptions, secureContext: () => unknown): ((https: boolean) => Agent) => {
  const a: { http?: Agent; https?: Agent } = {}
  const make = (https: boolean): Agent =>
    new (builtin<NodeHttp>(https ? 'https' : 'http').Agent)({
      ...poolOf(options),
      ...(https && options.ca !== undefined ? { secureContext: secureContext() } : {})
    } as import('node:http').AgentOptions)
  return (https) => (https ? (a.https ??= make(true)) : (a.http ??= make(false)))
}

const directRoute = (t: Target, agent: Agent): Route => ({
  https: t.https,
  hostname: t.hostname,
  port: t.port,
  path: t.path,
  auth: t.auth,
  agent,
  via: 'direct',
  headers: undefined,
  options: undefined
})

/** A proxy URL, parsed once: where to connect, and its credentials apart. */
interface Proxy {
  /** The URL without credentials: all the proxy module is given, so none is ever logged. */
  readonly url: URL
  /** `Basic …` from the URL's user-info, sent as `Proxy-Authorization`. */
  readonly authorization: string | undefined
}

const decodeUserInfo = (s: string): string => {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/** Base64 of bytes, one byte at a time: `fromCharCode(...bytes)` throws on credentials of some 100k bytes. */
const base64 = (bytes: Uint8Array): string => {
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary)
}

const parseProxy = (raw: string | undefined): Proxy | null | undefined => {
  if (raw === undefined || raw === '') return undefined
  const n = normalizeProxyUrl(raw)
  if (n === undefined) return null
  const url = new URL(n)
  const authorization =
    url.username === '' && url.password === ''
      ? undefined
      : `Basic ${base64(new TextEncoder().encode(`${decodeUserInfo(url.username)}:${decodeUserInfo(url.password)}`))}`
  const bare = new URL(n)
  bare.username = ''
  bare.password = ''
  return { url: bare, authorization }
}

type TunnelAgent = new (proxy: string | URL, options: Record<string, unknown>) => Agent

let tunnelModule: Promise<TunnelAgent> | undefined
/** `https-proxy-agent`, loaded on the first tunnelled call, through an `import()` no bundler follows. */
const loadTunnelAgent = (): Promise<TunnelAgent> => {
  const load = (id: string): Promise<{ readonly HttpsProxyAgent: TunnelAgent }> => import(id)
  return (tunnelModule ??= load('https-proxy-agent').then((m) => m.HttpsProxyAgent))
}

/**
 * Whether a text holds a PEM certificate (a `-----BEGIN CERTIFICATE-----` line): what a CA
 * bundle must hold to be used.
 *
 * @example
 * import { holdsPemCertificate } from 'fp-aws/core/Http'
 *
 * assert.strictEqual(holdsPemCertificate('-----BEGIN CERTIFICATE-----\nMIIB…\n-----END CERTIFICATE-----\n'), true)
 * assert.strictEqual(holdsPemCertificate('not a certificate'), false)
 *
 * @category destructors
 * @since 0.2.0
 */
export const holdsPemCertificate = (text: string): boolean =>
  typeof text === 'string' && text.includes('-----BEGIN CERTIFICATE-----')

/** The router of a client: direct unless a proxy applies. */
const routerOf = (options: AxiosClientOptions): Router => {
  let ctx: unknown
  const secureContext = (): unknown => (ctx ??= secureContextOf(options.ca as string))
  let a: ((https: boolean) => Agent) | undefined
  const agent = (https: boolean): Agent => (a ??= agents(options, secureContext))(https)
  const badCa = options.ca !== undefined && !holdsPemCertificate(options.ca)
  const proxy = options.proxy
  if (!hasProxy(proxy))
    return badCa ? (t) => (t.https ? { kind: 'bad-ca' } : directRoute(t, agent(false))) : (t) => directRoute(t, agent(t.https))
  const httpsProxy = parseProxy(proxy.https)
  const httpProxy = parseProxy(proxy.http)
  let tunnel: Promise<Agent> | undefined
  const tunnelAgent = (p: Proxy): Promise<Agent> =>
    (tunnel ??= loadTunnelAgent().then((HttpsProxyAgent) => {
      const tunnelled = new HttpsProxyAgent(p.url, {
        ...poolOf(options),
        ...(p.authorization === undefined ? {} : { headers: { 'Proxy-Authorization': p.authorization } }),
        // an https proxy is checked against the same roots
        ...(p.url.protocol === 'https:' && options.ca !== undefined ? { secureContext: secureContext() } : {})
      })
      // only https targets go through it: said once, or the agent guesses it from a stack
      // trace each time a request asks (`agent-base`'s `protocol` getter)
      ;(tunnelled as unknown as { protocol: string }).protocol = 'https:'
      return tunnelled
    }))
  return (t) => {
    if (t.https && badCa) return { kind: 'bad-ca' }
    const p = t.https ? httpsProxy : httpProxy
    if (p === undefined || bypassesProxy(proxy.noProxy, t.hostname, t.port === '' ? (t.https ? 443 : 80) : Number(t.port)))
      return directRoute(t, agent(t.https))
    if (p === null) return { kind: 'bad-proxy' }
    if (t.https)
      return tunnelAgent(p).then(
        (tunnelled): Route => ({
          ...directRoute(t, tunnelled),
          via: 'tunnel',
          options: {
            protocol: 'https:',
            ...(options.ca !== undefined ? { secureContext: secureContext() } : {})
          }
        })
      )
    const headers: Record<string, string> = { Host: t.host }
    if (p.authorization !== undefined) headers['Proxy-Authorization'] = p.authorization
    const u = p.url
    return {
      https: u.protocol === 'https:',
      hostname: u.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: u.port,
      path: forwardUrl(t),
      auth: t.auth,
      agent: agent(u.protocol === 'https:'),
      via: 'forward',
      headers,
      options: undefined
    }
  }
}

/** The absolute URL of a target without user-info: what a forward proxy is sent. */
const forwardUrl = (t: Target): string => `http://${t.host}${t.path}`

// ------------------------------------------------------------------- fetch (elsewhere)

/**
 * One request over the global `fetch`, with `redirect: 'manual'`, the body read with the
 * size limit; `done` is called exactly once.
 */
const fetchExchange = (spec: Spec, done: Done): void => {
  const g = guard(spec, done)
  const settle = g.settle
  const ac = new AbortController()
  if (!g.start(() => ac.abort())) return
  const max = spec.maxBytes
  fetch(spec.url, { method: spec.method, headers: spec.headers, body: spec.body, signal: ac.signal, redirect: 'manual' })
    .then(async (res) => {
      // a browser shows a refused redirect as an opaque response with status 0
      if (res.type === 'opaqueredirect' || res.status === 0) return settle({ kind: 'redirect' }, undefined)
      const declared = res.headers.get('content-length')
      if (max >= 0 && declared !== null && Number(declared) > max) {
        ac.abort()
        return settle(tooLarge(res.status), undefined)
      }
      const chunks: Array<Uint8Array> = []
      let size = 0
      const reader = res.body?.getReader()
      for (;;) {
        const next = reader === undefined ? undefined : await reader.read()
        if (next === undefined || next.done === true) break
        size += next.value.length
        if (max >= 0 && size > max) {
          ac.abort()
          return settle(tooLarge(res.status), undefined)
        }
        chunks.push(next.value)
      }
      const body = chunks.length === 1 ? (chunks[0] as Uint8Array) : new Uint8Array(size)
      if (chunks.length > 1) chunks.reduce((at, c) => (body.set(c, at), at + c.length), 0)
      const headers: Record<string, string> = {}
      res.headers.forEach((v, k) => (headers[k] = v))
      settle(undefined, { status: res.status, statusText: res.statusText, headers, body, request: undefined })
    })
    .catch((e: { cause?: unknown }) => settle({ kind: 'system', error: e }, undefined))
}

// -------------------------------------------------------------------------------------
// the fast path: HttpCall in, Either out
// -------------------------------------------------------------------------------------

/** The wire headers of a call: what axios sends with `axiosDefaults`. */
const wireHeaders = (call: HttpCall): Record<string, string> => {
  const h: Record<string, string> = { Accept: 'application/json' }
  const src = call.headers
  for (const k in src) h[k] = src[k] as string
  h['Accept-Encoding'] = ACCEPT_ENCODING
  if (call.body !== undefined) h['Content-Length'] = String(new TextEncoder().encode(call.body).length)
  else if (call.method !== 'GET' && call.method !== 'HEAD') h['Content-Length'] = '0'
  return h
}

const toEither = (call: HttpCall, f: Failure | undefined, r: Exchanged | undefined): E.Either<TransportError, HttpResponse> => {
  if (r !== undefined && f === undefined) {
    const b = r.body
    return E.right({
      status: r.status,
      headers: r.headers,
      // a plain Uint8Array over the same bytes, not a Buffer
      body: b.length === 0 ? EMPTY : new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
    })
  }
  switch (f?.kind) {
    case 'timeout':
      return E.left(failure('Timeout', 'ERR_CANCELED', call))
    case 'abort':
      return E.left(failure('Aborted', 'ERR_CANCELED', call))
    case 'too-large':
      return E.left({ ...failure('BodyTooLarge', 'ERR_BAD_RESPONSE', call), status: f.status })
    case 'redirect':
      return E.left(failure('Redirect', undefined, call))
    case 'bad-url':
      return E.left(failure('Other', 'ERR_INVALID_URL', call))
    case 'proxy':
      return E.left({
        ...failure('ProxyRefused', undefined, call),
        message: `the proxy refused the connection: HTTP ${f.status ?? 0}${f.status === 407 ? ' (proxy authentication required)' : ''} (${call.method} ${hostOf(call.url)})`,
        status: f.status
      })
    case 'bad-proxy':
      return E.left({ ...failure('Other', undefined, call), message: `the proxy URL is not a valid http(s) URL (${call.method} ${hostOf(call.url)})` })
    case 'bad-ca':
      return E.left({ ...failure('Other', undefined, call), message: `the CA bundle holds no usable certificate (${call.method} ${hostOf(call.url)})` })
    default:
      return E.left(toTransportError(f?.error, { ...call, signal: undefined }))
  }
}

type Exchange = (spec: Spec, done: Done) => void

/** A client that hands each call straight to an exchange: no axios config, no axios response. */
const leanClient = (exchange: Exchange, ready: () => Promise<unknown> | undefined): HttpClient => {
  const go = (call: HttpCall): Promise<E.Either<TransportError, HttpResponse>> =>
    new Promise((resolve) => {
      let headers: Record<string, string>
      try {
        headers = wireHeaders(call)
      } catch {
        // a headers object that cannot be read
        return resolve(notACall())
      }
      try {
        exchange(
          {
            url: call.url,
            method: call.method,
            headers,
            body: call.body,
            maxBytes: call.maxResponseBytes,
            decompress: true,
            signal: call.signal,
            timeoutMs: call.timeoutMs
          },
          (f, r) => resolve(toEither(call, f, r))
        )
      } catch (error) {
        resolve(toEither(call, { kind: 'system', error: error as Error }, undefined))
      }
    })
  return markNative((given) => {
    const call = readCall(given)
    if (call === undefined) return Promise.resolve(notACall())
    const loading = ready()
    return loading === undefined ? go(call) : loading.then(() => go(call), () => toEither(call, RESET, undefined))
  })
}

/** A client that answers every call with the same failure (its options were not usable). */
const failingClient = (message: string): HttpClient =>
  markNative(() => Promise.resolve(E.left(transportError('Other', message))))

// -------------------------------------------------------------------------------------
// the same exchanges as axios adapters
// -------------------------------------------------------------------------------------

/** An error of the axios shape (`isAxiosError`), made without loading axios. */
class LeanAxiosError extends Error {
  readonly isAxiosError = true
  override readonly name = 'AxiosError'
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly config: InternalAxiosRequestConfig,
    readonly response?: AxiosResponse,
    cause?: unknown
  ) {
    super(message, cause === undefined ? undefined : { cause })
  }
  get status(): number | undefined {
    return this.response?.status
  }
  /** Never the config: its headers may hold a token. */
  toJSON(): object {
    return { name: this.name, message: this.message, code: this.code, status: this.status }
  }
}

const requestUrl = (config: InternalAxiosRequestConfig): string => {
  const base = config.baseURL
  let url = config.url ?? ''
  if (base !== undefined && base !== '' && !/^[a-z][a-z\d+\-.]*:\/\//i.test(url))
    url = url === '' ? base : base.replace(/\/+$/, '') + '/' + url.replace(/^\/+/, '')
  const params = config.params as Record<string, unknown> | URLSearchParams | undefined
  if (params === undefined || params === null) return url
  const q = new URLSearchParams(
    params instanceof URLSearchParams
      ? params
      : Object.entries(params)
          .filter(([, v]) => v !== undefined && v !== null)
          .map(([k, v]): [string, string] => [k, String(v)])
  ).toString()
  return q === '' ? url : url + (url.includes('?') ? '&' : '?') + q
}

const requestBody = (data: unknown): string | Uint8Array | undefined | false =>
  data === undefined || data === null
    ? undefined
    : typeof data === 'string' || data instanceof Uint8Array
      ? data
      : data instanceof ArrayBuffer
        ? new Uint8Array(data)
        : ArrayBuffer.isView(data)
          ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
          : data instanceof URLSearchParams
            ? data.toString()
            : false

/**
 * An axios adapter over an exchange: it honours `url`, `baseURL`, `params`, `method`,
 * `headers`, `data` (a string or bytes), `auth`, `signal`, `timeout`,
 * `maxContentLength`, `decompress`, `responseType` (`arraybuffer`, else text) and
 * `validateStatus`, and never follows a redirect. It rejects, as axios adapters do, with an
 * axios-shaped error only (a config that cannot be read is `ERR_BAD_OPTION_VALUE`), and
 * never throws.
 */
const toAdapter =
  (exchange: Exchange, ready: () => Promise<unknown> | undefined): AxiosAdapter =>
  (config) =>
    new Promise<AxiosResponse>((resolve, reject) => {
      const fail = (message: string, code: string | undefined, response?: AxiosResponse, cause?: unknown): void =>
        reject(new LeanAxiosError(message, code, config, response, cause))
      // a config that cannot be read is rejected as axios rejects a bad one, never thrown
      let request: AdapterRequest | string
      try {
        request = requestOf(config)
      } catch {
        request = 'the request config cannot be read'
      }
      if (typeof request === 'string') return fail(request, 'ERR_BAD_OPTION_VALUE')
      const { spec, responseType, validateStatus } = request
      const go = (): void =>
        exchange(spec, (f, r) => {
          if (r !== undefined && f === undefined) {
            const b = r.body
            const response: AxiosResponse = {
              data: responseType === 'arraybuffer' ? b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) : new TextDecoder().decode(b),
              status: r.status,
              statusText: r.statusText,
              headers: r.headers,
              config,
              request: r.request
            }
            let valid: boolean
            try {
              valid = validateStatus === undefined ? true : Boolean(validateStatus(r.status))
            } catch (e) {
              return fail('validateStatus threw', 'ERR_BAD_OPTION_VALUE', response, e)
            }
            if (valid) resolve(response)
            else fail(`Request failed with status code ${r.status}`, r.status >= 500 ? 'ERR_BAD_RESPONSE' : 'ERR_BAD_REQUEST', response)
          } else if (f?.kind === 'timeout') fail(`timeout of ${spec.timeoutMs}ms exceeded`, 'ECONNABORTED')
          else if (f?.kind === 'abort') fail('canceled', 'ERR_CANCELED')
          else if (f?.kind === 'too-large') fail(`maxContentLength size of ${spec.maxBytes} exceeded`, 'ERR_BAD_RESPONSE')
          else if (f?.kind === 'redirect') fail('redirect refused', 'ERR_FR_TOO_MANY_REDIRECTS')
          else if (f?.kind === 'bad-url') fail('Invalid URL', 'ERR_INVALID_URL')
          else {
            // fetch puts the system error code one level down, in its cause
            const cause = f?.error?.cause as { readonly code?: unknown } | undefined
            const code = f?.error?.code ?? (typeof cause?.code === 'string' ? cause.code : undefined)
            fail(f?.error?.message ?? 'Network Error', code ?? 'ERR_NETWORK', undefined, f?.error)
          }
        })
      const loading = ready()
      if (loading === undefined) go()
      else loading.then(go, (e: unknown) => fail('node:http is not available', 'ERR_NOT_SUPPORT', undefined, e))
    })

/** What an adapter reads of an axios config, once, before anything is sent. */
interface AdapterRequest {
  readonly spec: Spec
  readonly responseType: unknown
  readonly validateStatus: ((status: number) => unknown) | undefined
}

/** An axios config read into a request (it may throw: the caller catches), or why it is refused. */
const requestOf = (config: InternalAxiosRequestConfig): AdapterRequest | string => {
  const body = requestBody(config.data)
  if (body === false) return 'Request body must be a string or bytes'
  const signal: unknown = config.signal ?? undefined
  if (signal !== undefined && !isAbortSignal(signal)) return 'signal must be an AbortSignal'
  const validate: unknown = config.validateStatus
  if (validate !== undefined && validate !== null && typeof validate !== 'function') return 'validateStatus must be a function'
  const h = config.headers as unknown as { toJSON?: (asStrings: boolean) => Record<string, unknown> } | undefined
  const raw = typeof h?.toJSON === 'function' ? h.toJSON(true) : ((h ?? {}) as Record<string, unknown>)
  const headers: Record<string, string> = {}
  const names = new Set<string>()
  for (const k of Object.keys(raw)) {
    const v = raw[k]
    if (v !== undefined && v !== null && v !== false) {
      headers[k] = String(v)
      names.add(k.toLowerCase())
    }
  }
  const auth = config.auth
  if (auth !== undefined && !names.has('authorization'))
    headers['Authorization'] = `Basic ${btoa(`${auth.username ?? ''}:${auth.password ?? ''}`)}`
  const decompress = config.decompress !== false
  if (!names.has('accept-encoding') && decompress) headers['Accept-Encoding'] = ACCEPT_ENCODING
  const method = (config.method ?? 'get').toUpperCase()
  if (!names.has('content-length') && (body !== undefined || (method !== 'GET' && method !== 'HEAD')))
    headers['Content-Length'] = String(body === undefined ? 0 : typeof body === 'string' ? new TextEncoder().encode(body).length : body.byteLength)
  const timeout: unknown = config.timeout
  const maxContentLength: unknown = config.maxContentLength
  return {
    spec: {
      url: requestUrl(config),
      method,
      headers,
      body,
      maxBytes: typeof maxContentLength === 'number' && !Number.isNaN(maxContentLength) ? maxContentLength : -1,
      decompress,
      signal: signal as AbortSignal | undefined,
      timeoutMs: typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0 ? timeout : undefined
    },
    responseType: config.responseType,
    validateStatus: typeof validate === 'function' ? (validate as (status: number) => unknown) : undefined
  }
}

const isOptionalString = (v: unknown): boolean => v === undefined || typeof v === 'string'

/**
 * The options of a client (or an adapter), each member read once and checked; a string
 * saying what is wrong (never quoting a value: a proxy URL may hold a password) otherwise.
 */
const readClientOptions = (name: string, options: unknown): AxiosClientOptions | string => {
  const read = readOptions(options, ['maxSockets', 'keepAlive', 'adapter', 'proxy', 'ca'])
  if (E.isLeft(read)) return `the options of ${name} ${read.left}`
  const o = read.right
  const bad = (what: string): string => `the options of ${name}: ${what}`
  if (o.maxSockets !== undefined && !(Number.isSafeInteger(o.maxSockets) && (o.maxSockets as number) > 0))
    return bad('maxSockets must be a positive integer')
  if (o.keepAlive !== undefined && typeof o.keepAlive !== 'boolean') return bad('keepAlive must be a boolean')
  if (o.adapter !== undefined && o.adapter !== 'http' && o.adapter !== 'fetch') return bad("adapter must be 'http' or 'fetch'")
  if (!isOptionalString(o.ca)) return bad('ca must be a string (PEM)')
  let proxy: ProxyOptions | undefined
  if (o.proxy !== undefined) {
    const p = readOptions(o.proxy, ['https', 'http', 'noProxy'])
    if (E.isLeft(p)) return bad(`proxy ${p.left}`)
    if (!isOptionalString(p.right.https) || !isOptionalString(p.right.http) || !isOptionalString(p.right.noProxy))
      return bad('proxy.https, proxy.http and proxy.noProxy must be strings')
    proxy = p.right as ProxyOptions
  }
  return { ...(o as AxiosClientOptions), ...(proxy === undefined ? {} : { proxy }) }
}

const nodeExchangeWith = (options: AxiosClientOptions): Exchange => {
  const router = routerOf(options)
  return (spec, done) => nodeExchange(spec, router, done)
}

const noWait = (): undefined => undefined

/**
 * A lean axios adapter over `node:http`/`node:https` keep-alive agents: what fp-aws needs
 * of axios's own `http` adapter without its load time (follow-redirects, form-data,
 * proxies, HTTP/2). Node only. Options that cannot be used make an adapter that rejects
 * every request with `ERR_BAD_OPTION_VALUE`.
 *
 * @example
 * import axios from 'axios'
 * import { axiosDefaults, fromAxios, nodeHttpAdapter } from 'fp-aws/core/Http'
 *
 * const client = fromAxios(axios.create({ ...axiosDefaults, adapter: nodeHttpAdapter({ maxSockets: 64 }) }))
 * assert.strictEqual(typeof client, 'function')
 *
 * @category constructors
 * @since 0.1.0
 */
export const nodeHttpAdapter = (options: Omit<AxiosClientOptions, 'adapter'> = {}): AxiosAdapter => {
  const o = readClientOptions('nodeHttpAdapter', options)
  if (typeof o === 'string') return (config) => Promise.reject(new LeanAxiosError(o, 'ERR_BAD_OPTION_VALUE', config))
  return toAdapter(nodeExchangeWith(o), loadBuiltins)
}

/**
 * A lean axios adapter over the global `fetch`, with `redirect: 'manual'` (a redirect is
 * refused, never followed) and the response size limit enforced while reading.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fetchAdapter = (): AxiosAdapter => toAdapter(fetchExchange, noWait)

// -------------------------------------------------------------------------------------
// the default client
// -------------------------------------------------------------------------------------

/**
 * The default client, axios's adapter contract without axios's per-request pipeline: on
 * Node, the {@link nodeHttpAdapter} exchange over keep-alive agents; elsewhere, the
 * {@link fetchAdapter} exchange. Each call goes straight to the exchange with a prebuilt
 * config: no redirect followed, every status returned as data, raw bytes, the response
 * size limit and the attempt deadline kept. Options that cannot be used (not an object, a
 * `maxSockets` that is not a positive integer, a `proxy` member that is not a string, …)
 * make a client whose every call is a `TransportError` (`Other`) saying so: nothing is sent.
 *
 * @category constructors
 * @since 0.1.0
 */
export const axiosClient = (options: AxiosClientOptions = {}): HttpClient => {
  const o = readClientOptions('axiosClient', options)
  if (typeof o === 'string') return failingClient(o)
  return (o.adapter ?? (isNode() ? 'http' : 'fetch')) === 'http'
    ? leanClient(nodeExchangeWith(o), loadBuiltins)
    : leanClient(fetchExchange, noWait)
}

let shared: HttpClient | undefined

/**
 * The client every `Env` uses unless told otherwise, created on first use.
 *
 * @category constructors
 * @since 0.1.0
 */
export const defaultHttpClient: HttpClient = markNative((call) => (shared ??= axiosClient())(call))
