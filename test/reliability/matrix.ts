/**
 * Helpers of the reliability suite (`faults.test.ts`, `load.test.ts`): the four SSO
 * operations behind one call, outcomes as data, an `Env` that records its backoff waits
 * and counts its attempts, raw loopback servers for the faults the emulator cannot play
 * (a reset in the middle of a response, a 100 MB body, the "other host" of a redirect), a
 * TCP proxy that counts concurrent connections, a memory sampler, and the results file
 * `.tmp/reliability-matrix.json` that `scripts/reliability-doc.mjs` turns into
 * `docs/reliability.md`.
 */
import * as fs from 'node:fs'
import * as http from 'node:http'
import * as net from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'
import * as v8 from 'node:v8'
import * as vm from 'node:vm'
import type * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { newEnv, send, type AWSError, type Env, type EnvOptions } from '../../src/index.js'
import {
  GetRoleCredentials,
  ListAccountRoles,
  ListAccounts,
  Logout,
  newGetRoleCredentials,
  newListAccountRoles,
  newListAccounts,
  newLogout
} from '../../src/services/sso/index.js'
import type { TokenSeed } from '../../src/emulator/index.js'

// -------------------------------------------------------------------------------------
// the four operations
// -------------------------------------------------------------------------------------

export const OPERATIONS = ['Logout', 'GetRoleCredentials', 'ListAccounts', 'ListAccountRoles'] as const
export type OperationName = (typeof OPERATIONS)[number]

export const ACCOUNT_ID = '111111111111'
export const ROLE_NAME = 'ReadOnly'

/** A seed under which every operation succeeds for `token`. */
export const seedFor = (token: string): Record<string, TokenSeed> => ({
  [token]: { accounts: [{ accountId: ACCOUNT_ID, accountName: 'dev', emailAddress: 'dev@example.com', roles: [ROLE_NAME] }] }
})

/** The wire path of each operation (for a redirect's `location`). */
export const PATHS: Readonly<Record<OperationName, string>> = {
  Logout: '/logout',
  GetRoleCredentials: `/federation/credentials?role_name=${ROLE_NAME}&account_id=${ACCOUNT_ID}`,
  ListAccounts: '/assignment/accounts',
  ListAccountRoles: `/assignment/roles?account_id=${ACCOUNT_ID}`
}

/** One call of `op` through `send`: the only way the suite calls the SDK. */
export const callOperation = (op: OperationName, token: string, env: Env): Promise<E.Either<AWSError, unknown>> => {
  switch (op) {
    case 'Logout':
      return pipe(newLogout(token), send(Logout))(env)()
    case 'GetRoleCredentials':
      return pipe(newGetRoleCredentials(ROLE_NAME, ACCOUNT_ID, token), send(GetRoleCredentials))(env)()
    case 'ListAccounts':
      return pipe(newListAccounts(token), send(ListAccounts))(env)()
    case 'ListAccountRoles':
      return pipe(newListAccountRoles(token, ACCOUNT_ID), send(ListAccountRoles))(env)()
  }
}

// -------------------------------------------------------------------------------------
// outcomes
// -------------------------------------------------------------------------------------

/** A call's result reduced to what the matrix compares: the tag and its reason, code, status. */
export interface Outcome {
  readonly tag: 'Right' | AWSError['_tag']
  /** `TransportError` only. */
  readonly reason?: string
  /** `ServiceError` only. */
  readonly code?: string
  /** `ServiceError`; `TransportError` when it has one (a redirect's 3xx). */
  readonly status?: number
}

export const outcomeOf = (r: E.Either<AWSError, unknown>): Outcome => {
  if (r._tag === 'Right') return { tag: 'Right' }
  const e = r.left
  switch (e._tag) {
    case 'ServiceError':
      return { tag: e._tag, status: e.status, code: e.code }
    case 'TransportError':
      return e.status === undefined ? { tag: e._tag, reason: e.reason } : { tag: e._tag, reason: e.reason, status: e.status }
    default:
      return { tag: e._tag }
  }
}

/** `Right`, `ServiceError 429 TooManyRequestsException`, `TransportError Redirect 302`, `SerializeError`. */
export const showOutcome = (o: Outcome): string =>
  [o.tag, o.tag === 'ServiceError' ? o.status : undefined, o.code, o.reason, o.tag === 'TransportError' ? o.status : undefined]
    .filter((x) => x !== undefined)
    .join(' ')

/** Whether `actual` has every field `expected` states. */
export const matches = (expected: Outcome, actual: Outcome): boolean =>
  (Object.keys(expected) as Array<keyof Outcome>).every((k) => expected[k] === actual[k])

/** A short, token-free description of a failure, for the record. */
export const detailOf = (r: E.Either<AWSError, unknown>): string | undefined =>
  r._tag === 'Left' ? `${r.left._tag}: ${r.left.message}` : undefined

// -------------------------------------------------------------------------------------
// an Env that records
// -------------------------------------------------------------------------------------

export interface RecordingEnv {
  readonly env: Env
  /** Every backoff wait `send` asked for, in ms; none is actually slept. */
  readonly sleeps: Array<number>
  /** Attempts `send` started (its `beforeRequest` hook). */
  readonly attempts: () => number
}

/** Real sockets; waits recorded and returned at once; a fixed jitter (0.5), so waits are exact. */
export const recordingEnv = (url: string, extra: EnvOptions = {}): RecordingEnv => {
  const sleeps: Array<number> = []
  let attempts = 0
  const env = newEnv({
    endpoint: url,
    sleep: (ms) => {
      sleeps.push(ms)
      return Promise.resolve(true)
    },
    random: () => 0.5,
    hooks: [
      {
        beforeRequest: () => {
          attempts += 1
        }
      }
    ],
    ...extra
  })
  return { env, sleeps, attempts: () => attempts }
}

// -------------------------------------------------------------------------------------
// raw servers
// -------------------------------------------------------------------------------------

export interface RawServer {
  readonly url: string
  readonly port: number
  /** Requests whose head was read. */
  readonly requests: () => number
  /** TCP connections accepted. */
  readonly connections: () => number
  readonly close: () => Promise<void>
}

/**
 * A `node:http` server on `host` that hands each request to `handler` (with its index),
 * counting requests and connections. Closing cuts every connection.
 */
export const rawServer = async (
  handler: (req: http.IncomingMessage, res: http.ServerResponse, index: number) => void,
  host = '127.0.0.1'
): Promise<RawServer> => {
  let requests = 0
  let connections = 0
  const server = http.createServer((req, res) => {
    req.on('error', () => undefined)
    res.on('error', () => undefined)
    handler(req, res, requests++)
  })
  server.on('connection', (socket: net.Socket) => {
    connections += 1
    socket.on('error', () => undefined)
  })
  server.on('clientError', (_e, socket) => socket.destroy())
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as net.AddressInfo
  return {
    url: `http://${host}:${port}`,
    port,
    requests: () => requests,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
export const closedPort = async (): Promise<number> => {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/**
 * Answers 200 with a `content-length` of `declared` bytes, sends `prefix`, then resets the
 * connection (TCP RST) a moment later: a reset in the middle of the response.
 */
export const resetMidResponse =
  (prefix: string, declared: number) =>
  (req: http.IncomingMessage, res: http.ServerResponse): void => {
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(declared) })
      res.write(prefix, () => setTimeout(() => req.socket.resetAndDestroy(), 20))
    })
  }

/** How much a streaming body handler wrote before the client went away. */
export interface StreamStats {
  bytesSent: number
  finished: boolean
}

/**
 * Answers 200 with a body of `total` bytes of JSON-looking filler, written in 64 KiB chunks
 * of one shared buffer, only as fast as the client reads (the server never holds more than
 * a chunk or two), and stops when the connection closes. With `declare`, the length is
 * announced in `content-length`; else the body is chunked.
 */
export const streamBody =
  (total: number, declare: boolean, stats: StreamStats) =>
  (req: http.IncomingMessage, res: http.ServerResponse): void => {
    req.resume()
    req.on('end', () => {
      const chunk = Buffer.alloc(64 * 1024, 0x20) // spaces: a valid JSON prefix, forever
      chunk[0] = 0x7b // '{'
      res.writeHead(200, { 'content-type': 'application/json', ...(declare ? { 'content-length': String(total) } : {}) })
      let closed = false
      res.on('close', () => {
        closed = true
      })
      const pump = (): void => {
        while (!closed && stats.bytesSent < total) {
          const n = Math.min(chunk.length, total - stats.bytesSent)
          stats.bytesSent += n
          const more = res.write(n === chunk.length ? chunk : chunk.subarray(0, n))
          if (!more) return void res.once('drain', pump)
        }
        if (!closed) {
          stats.finished = true
          res.end()
        }
      }
      pump()
    })
  }

// -------------------------------------------------------------------------------------
// a TCP proxy that counts connections
// -------------------------------------------------------------------------------------

export interface CountingProxy {
  readonly url: string
  /** Connections open right now. */
  readonly current: () => number
  /** The most connections ever open at once. */
  readonly max: () => number
  /** Connections accepted in all. */
  readonly total: () => number
  readonly close: () => Promise<void>
}

/** A TCP proxy on 127.0.0.1 in front of `target`, counting client connections. */
export const countingProxy = async (target: { readonly host: string; readonly port: number }): Promise<CountingProxy> => {
  let current = 0
  let max = 0
  let total = 0
  const open = new Set<net.Socket>()
  const server = net.createServer((client) => {
    total += 1
    current += 1
    if (current > max) max = current
    const upstream = net.connect(target.port, target.host)
    open.add(client)
    open.add(upstream)
    let gone = false
    const done = (): void => {
      if (gone) return
      gone = true
      current -= 1
      client.destroy()
      upstream.destroy()
      open.delete(client)
      open.delete(upstream)
    }
    client.on('error', done)
    upstream.on('error', done)
    client.on('close', done)
    upstream.on('close', done)
    client.pipe(upstream)
    upstream.pipe(client)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    current: () => current,
    max: () => max,
    total: () => total,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy()
        server.close(() => resolve())
      })
  }
}

// -------------------------------------------------------------------------------------
// memory
// -------------------------------------------------------------------------------------

export const MiB = 1024 * 1024

export interface MemorySampler {
  /** Stops sampling; the peaks seen, in bytes. */
  readonly stop: () => { readonly peakRss: number; readonly peakArrayBuffers: number }
}

/** Samples `rss` and `arrayBuffers` every `everyMs` until stopped. */
export const sampleMemory = (everyMs = 5): MemorySampler => {
  let peakRss = 0
  let peakArrayBuffers = 0
  const sample = (): void => {
    const m = process.memoryUsage()
    if (m.rss > peakRss) peakRss = m.rss
    if (m.arrayBuffers > peakArrayBuffers) peakArrayBuffers = m.arrayBuffers
  }
  sample()
  const timer = setInterval(sample, everyMs)
  return {
    stop: () => {
      clearInterval(timer)
      sample()
      return { peakRss, peakArrayBuffers }
    }
  }
}

export const toMiB = (bytes: number): number => Math.round((bytes / MiB) * 10) / 10

/**
 * Runs a full garbage collection where one can be had, and says whether it did: `global.gc`
 * under `--expose-gc`, else the same function obtained by turning the flag on at run time
 * (V8 reads it when a new context is made), on the first call only.
 */
export const collectGarbage = (): boolean => {
  gcFunction ??= findGc()
  if (gcFunction === null) return false
  gcFunction()
  return true
}

let gcFunction: (() => void) | null | undefined

const findGc = (): (() => void) | null => {
  const g = (globalThis as { gc?: () => void }).gc
  if (typeof g === 'function') return g
  try {
    v8.setFlagsFromString('--expose-gc')
    const f: unknown = vm.runInNewContext('gc')
    return typeof f === 'function' ? (f as () => void) : null
  } catch {
    return null
  }
}

/** Lets the event loop idle for `ticks` × `ms` (timers, sockets closing, a chance for GC). */
export const idle = async (ticks = 5, ms = 50): Promise<void> => {
  for (let i = 0; i < ticks; i++) await new Promise((resolve) => setTimeout(resolve, ms))
}

// -------------------------------------------------------------------------------------
// the results file
// -------------------------------------------------------------------------------------

/** Where the suite writes its results (`.tmp/` is git-ignored). */
export const RESULTS_FILE = path.resolve(__dirname, '../../.tmp/reliability-matrix.json')

/** What the run was on, stamped on each section. */
export const runInfo = (): Record<string, unknown> => ({
  generatedAt: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  cpus: os.availableParallelism()
})

const pause = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

/**
 * Replaces one top-level section (`matrix`, `load`) of the results file, keeping the
 * others. The two test files run in parallel workers: a lock directory (`mkdir` is atomic)
 * serialises the read-merge-write, and the write is a rename, so a reader never sees half
 * a file.
 */
export const recordSection = (key: string, value: unknown): void => {
  const dir = path.dirname(RESULTS_FILE)
  fs.mkdirSync(dir, { recursive: true })
  const lock = `${RESULTS_FILE}.lock`
  for (let waited = 0; ; waited += 10) {
    try {
      fs.mkdirSync(lock)
      break
    } catch {
      // a lock left by a killed run is stale after 30 s
      const age = (() => {
        try {
          return Date.now() - fs.statSync(lock).mtimeMs
        } catch {
          return 0
        }
      })()
      if (age > 30_000 || waited > 10_000) fs.rmSync(lock, { recursive: true, force: true })
      pause(10)
    }
  }
  try {
    let current: Record<string, unknown> = {}
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8'))
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) current = parsed as Record<string, unknown>
    } catch {
      // absent or unreadable: start afresh
    }
    const tmp = `${RESULTS_FILE}.${process.pid}.tmp`
    fs.writeFileSync(tmp, JSON.stringify({ ...current, [key]: value }, null, 2) + '\n')
    fs.renameSync(tmp, RESULTS_FILE)
  } finally {
    fs.rmSync(lock, { recursive: true, force: true })
  }
}
