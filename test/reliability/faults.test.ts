/**
 * The fault matrix: each of the four SSO operations (Logout, GetRoleCredentials,
 * ListAccounts, ListAccountRoles) against each fault a server or a network can produce,
 * over real loopback sockets: the emulator's fault injection where it can play the fault,
 * raw `node:http` servers where it cannot, and a closed port. Backoff waits are recorded,
 * not slept (with a fixed jitter of 0.5, so they are exact), so retries are fast.
 *
 * Each cell states the expected result (a typed error's `_tag` with its reason or code, or a
 * value), the attempts (`send`'s own count, and what the server received), and the backoff
 * waits. What must not be retried is not: a 4xx other than 429, a redirect, an unreadable
 * 2xx body, an over-limit body → exactly 1 attempt; 429, 5xx, a reset, a refused
 * connection, an attempt timeout → `maxAttempts` (3). Emulator faults are queued one more
 * time than `maxAttempts`, so a retry too many would meet the fault again and show in the
 * count instead of quietly succeeding.
 *
 * Every cell's outcome goes to `.tmp/reliability-matrix.json` (section `matrix`), written
 * after the run whether cells passed or not; `scripts/reliability-doc.mjs` turns it into
 * `docs/reliability.md`.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { type EnvOptions } from '../../src/index.js'
import { startEmulator, type Emulator, type Fault } from '../../src/emulator/index.js'
import {
  callOperation,
  closedPort,
  detailOf,
  matches,
  MiB,
  OPERATIONS,
  outcomeOf,
  PATHS,
  rawServer,
  recordingEnv,
  recordSection,
  resetMidResponse,
  runInfo,
  sampleMemory,
  seedFor,
  showOutcome,
  streamBody,
  toMiB,
  type OperationName,
  type Outcome,
  type StreamStats
} from './matrix.js'

const TOKEN = 'tok-reliability-0123456789abcdef'
const MAX_ATTEMPTS = 3
/** Per attempt, for every cell but the hanging one: long enough never to fire by accident. */
const ATTEMPT_TIMEOUT_MS = 5_000
/** Per attempt, for the cell whose headers never come. */
const HANG_TIMEOUT_MS = 200
const MAX_RESPONSE_BYTES = 1 * MiB
const BIG_BODY_BYTES = 100 * MiB
/** The 100 MB cells: the client's RSS may not grow by this much (the body is 100× more). */
const RSS_GROWTH_BOUND = 48 * MiB
/** …nor its array buffers (the limit is 1 MiB). */
const BUFFERS_GROWTH_BOUND = 8 * MiB
/** …and the server must have been cut off well before the end. */
const SENT_BOUND = 32 * MiB

/** The waits of the standard mode at jitter 0.5: 0.5 × base × 2^(n−1), base 100 ms, 500 ms when throttled. */
const TRANSIENT_WAITS = [50, 100]
const THROTTLING_WAITS = [250, 500]

// -------------------------------------------------------------------------------------
// the cells
// -------------------------------------------------------------------------------------

interface Check {
  readonly what: string
  readonly ok: boolean
  readonly detail?: string
}

interface Expectation {
  readonly outcome: Outcome
  /** Attempts `send` makes. */
  readonly attempts: number
  /** Requests the server receives (default: `attempts`). */
  readonly served?: number
  /** Backoff waits, in ms. */
  readonly sleeps: ReadonlyArray<number>
}

interface Setup {
  readonly url: string
  /** Requests the server received. */
  readonly served: () => number
  readonly env?: EnvOptions
  /** Sample memory around the call, and check it against the bounds. */
  readonly memory?: boolean
  /** Checks of the cell's own, after the call. */
  readonly checks?: () => ReadonlyArray<Check>
  /** Figures worth reporting. */
  readonly metrics?: () => Record<string, number | boolean>
  readonly close: () => Promise<void>
}

interface FaultCase {
  readonly id: string
  /** One line for the doc's tables. */
  readonly label: string
  /** How the fault is produced, for the doc. */
  readonly how: string
  readonly setup: (op: OperationName) => Promise<Setup>
  readonly expect: (op: OperationName) => Expectation
}

const once = (outcome: Outcome): Expectation => ({ outcome, attempts: 1, sleeps: [] })
const retried = (outcome: Outcome, sleeps: ReadonlyArray<number> = TRANSIENT_WAITS): Expectation => ({
  outcome,
  attempts: MAX_ATTEMPTS,
  sleeps
})
const service = (status: number, code: string): Outcome => ({ tag: 'ServiceError', status, code })
const transport = (reason: string, status?: number): Outcome =>
  status === undefined ? { tag: 'TransportError', reason } : { tag: 'TransportError', reason, status }
/** An unreadable 2xx: Logout ignores the body; the other three decode it. */
const decodes = (op: OperationName): Expectation => (op === 'Logout' ? once({ tag: 'Right' }) : once({ tag: 'SerializeError' }))

const started = async (tokens = seedFor(TOKEN)): Promise<Emulator> => {
  const r = await startEmulator({ tokens })()
  if (r._tag === 'Left') throw new Error(r.left.message)
  return r.right
}

/** A fresh emulator, `fault` queued for `op` one more time than `maxAttempts`. */
const emulated =
  (fault: Fault | ((op: OperationName) => Fault), env?: EnvOptions) =>
  async (op: OperationName): Promise<Setup> => {
    const emu = await started()
    const f = typeof fault === 'function' ? fault(op) : fault
    const queued = emu.inject(Array.from({ length: MAX_ATTEMPTS + 1 }, () => ({ ...f, operation: op })))
    if (queued._tag === 'Left') throw new Error(queued.left.message)
    return {
      url: emu.url,
      served: emu.requestCount,
      ...(env !== undefined ? { env } : {}),
      checks: () => [
        {
          what: `every request addressed ${op}, with a token`,
          ok: emu.requests().every((r) => r.operation === op && r.hasToken)
        }
      ],
      close: emu.close
    }
  }

const bigBody =
  (declare: boolean) =>
  async (): Promise<Setup> => {
    const stats: StreamStats = { bytesSent: 0, finished: false }
    const server = await rawServer(streamBody(BIG_BODY_BYTES, declare, stats))
    return {
      url: server.url,
      served: server.requests,
      memory: true,
      checks: () => [
        { what: 'the server was cut off', ok: !stats.finished && stats.bytesSent < SENT_BOUND, detail: `${toMiB(stats.bytesSent)} MiB sent` }
      ],
      metrics: () => ({ bytesSentMiB: toMiB(stats.bytesSent) }),
      close: server.close
    }
  }

const redirect = (status: number): FaultCase => ({
  id: `redirect-${status}`,
  label: `${status} to another host`,
  how: `the emulator answers ${status} with \`location\` on another host (a server on 127.0.0.2), which must receive nothing`,
  setup: async (op) => {
    const other = await rawServer((req, res) => {
      req.resume()
      res.end()
    }, '127.0.0.2')
    const emu = await emulated({ status, headers: { location: `${other.url}${PATHS[op]}` } })(op)
    return {
      ...emu,
      checks: () => [
        ...(emu.checks?.() ?? []),
        {
          what: 'the other host received nothing',
          ok: other.connections() === 0 && other.requests() === 0,
          detail: `${other.connections()} connection(s), ${other.requests()} request(s)`
        }
      ],
      close: async () => {
        await emu.close()
        await other.close()
      }
    }
  },
  expect: () => once(transport('Redirect', status))
})

const status = (code: number, errorCode: string, retry: 'no' | 'transient'): FaultCase => ({
  id: `status-${code}`,
  label: `${code} ${errorCode}`,
  how: `the emulator answers ${code} in the portal's error shape (\`__type\` …#${errorCode}, \`x-amzn-ErrorType\`)`,
  setup: emulated({ status: code }),
  expect: () => (retry === 'no' ? once(service(code, errorCode)) : retried(service(code, errorCode)))
})

const WRONG_SHAPE: Readonly<Record<OperationName, string>> = {
  Logout: '{"unexpected":[1,2,3]}',
  GetRoleCredentials: '{"roleCredentials":{"accessKeyId":42,"expiration":"tomorrow"}}',
  ListAccounts: '{"accountList":{"accountId":"111111111111"},"nextToken":7}',
  ListAccountRoles: '{"roleList":"ReadOnly","nextToken":false}'
}

const FAULTS: ReadonlyArray<FaultCase> = [
  {
    id: 'none',
    label: 'none (control)',
    how: 'the emulator answers normally',
    setup: async () => {
      const emu = await started()
      return { url: emu.url, served: emu.requestCount, close: emu.close }
    },
    expect: () => once({ tag: 'Right' })
  },
  status(400, 'InvalidRequestException', 'no'),
  status(401, 'UnauthorizedException', 'no'),
  status(403, 'ForbiddenException', 'no'),
  status(404, 'ResourceNotFoundException', 'no'),
  {
    id: 'status-429',
    label: '429 TooManyRequestsException',
    how: "the emulator answers 429 in the portal's error shape, no `retry-after`",
    setup: emulated({ status: 429 }),
    expect: () => retried(service(429, 'TooManyRequestsException'), THROTTLING_WAITS)
  },
  {
    id: 'status-429-retry-after',
    label: '429 with `retry-after: 2`',
    how: 'as above, with `retry-after: 2`: each wait is the server’s 2 s, longer than the backoff',
    setup: emulated({ status: 429, headers: { 'retry-after': '2' } }),
    expect: () => retried(service(429, 'TooManyRequestsException'), [2000, 2000])
  },
  status(500, 'InternalServerException', 'transient'),
  status(502, 'BadGatewayException', 'transient'),
  status(503, 'ServiceUnavailableException', 'transient'),
  status(504, 'GatewayTimeoutException', 'transient'),
  {
    id: 'refused',
    label: 'connection refused',
    how: 'nothing listens on the port (bound, then released)',
    setup: async () => {
      const port = await closedPort()
      return { url: `http://127.0.0.1:${port}`, served: () => 0, close: () => Promise.resolve() }
    },
    expect: () => ({ ...retried(transport('ConnectionRefused')), served: 0 })
  },
  {
    id: 'reset-before-response',
    label: 'reset before the response',
    how: "the emulator's `drop: 'before-response'`: TCP RST once the request is read, nothing sent",
    setup: emulated({ drop: 'before-response' }),
    expect: () => retried(transport('ConnectionReset'))
  },
  {
    id: 'reset-during-response',
    label: 'reset during the response',
    how: 'a raw server sends 200, `content-length: 4096` and 40 bytes of body, then a TCP RST',
    setup: async () => {
      const s = await rawServer(resetMidResponse('{"accountList":[{"accountId":"1111111111', 4096))
      return { url: s.url, served: s.requests, close: s.close }
    },
    expect: () => retried(transport('ConnectionReset'))
  },
  {
    id: 'headers-never-come',
    label: `headers never come (attempt timeout ${HANG_TIMEOUT_MS} ms)`,
    how: `the emulator's \`hangs: true\`: the request is read and never answered; \`attemptTimeoutMs\` ${HANG_TIMEOUT_MS}`,
    setup: emulated({ hangs: true }, { attemptTimeoutMs: HANG_TIMEOUT_MS }),
    expect: () => retried(transport('Timeout'))
  },
  {
    id: 'body-stops-half-way',
    label: 'body stops half way',
    how: "the emulator's `drop: 'mid-body'`: the normal status and headers, half the body, then the connection closes (FIN); an empty body (Logout) is announced chunked and never finished",
    setup: emulated({ drop: 'mid-body' }),
    expect: () => retried(transport('ConnectionReset'))
  },
  {
    id: 'malformed-json',
    label: 'malformed JSON on a 200',
    how: 'the emulator answers 200 with `{"accountList":[{"accountId":"1111` (cut JSON)',
    setup: emulated({ status: 200, body: '{"accountList":[{"accountId":"1111' }),
    expect: decodes
  },
  {
    id: 'wrong-shape',
    label: 'JSON of the wrong shape on a 200',
    how: 'the emulator answers 200 with valid JSON whose members have the wrong types (e.g. `{"roleList":"ReadOnly","nextToken":false}`)',
    setup: emulated((op) => ({ status: 200, body: WRONG_SHAPE[op] })),
    expect: decodes
  },
  {
    id: 'empty-200',
    label: 'empty 200',
    how: 'the emulator answers 200 with an empty body (`content-length: 0`)',
    setup: emulated({ status: 200, body: '' }),
    expect: decodes
  },
  redirect(302),
  redirect(307),
  {
    id: 'body-100mb-chunked',
    label: '100 MB body, chunked',
    how: `a raw server streams a 100 MiB 200 body (chunked, no length) in 64 KiB writes, as fast as the client reads; \`maxResponseBytes\` ${MAX_RESPONSE_BYTES / MiB} MiB`,
    setup: bigBody(false),
    expect: () => once({ tag: 'SerializeError' })
  },
  {
    id: 'body-100mb-content-length',
    label: '100 MB body, `content-length` announced',
    how: 'the same, with `content-length: 104857600`',
    setup: bigBody(true),
    expect: () => once({ tag: 'SerializeError' })
  }
]

// -------------------------------------------------------------------------------------
// running a cell
// -------------------------------------------------------------------------------------

interface CellRecord {
  readonly operation: OperationName
  readonly fault: string
  readonly expected: string
  readonly actual: string
  readonly detail: string | undefined
  readonly expectedAttempts: number
  readonly attempts: number
  readonly expectedServed: number
  readonly served: number
  readonly expectedSleeps: ReadonlyArray<number>
  readonly sleeps: ReadonlyArray<number>
  readonly durationMs: number
  readonly metrics: Record<string, number | boolean>
  readonly pass: boolean
  readonly failures: ReadonlyArray<string>
}

const records: Array<CellRecord> = []

const sameList = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i])

const runCell = async (op: OperationName, fc: FaultCase): Promise<CellRecord> => {
  const exp = fc.expect(op)
  const setup = await fc.setup(op)
  try {
    const { env, sleeps, attempts } = recordingEnv(setup.url, {
      maxAttempts: MAX_ATTEMPTS,
      attemptTimeoutMs: ATTEMPT_TIMEOUT_MS,
      maxResponseBytes: MAX_RESPONSE_BYTES,
      ...setup.env
    })
    const before = process.memoryUsage()
    const sampler = setup.memory === true ? sampleMemory() : undefined
    const t0 = performance.now()
    const r = await callOperation(op, TOKEN, env)
    const durationMs = Math.round(performance.now() - t0)
    const peaks = sampler?.stop()
    const actual = outcomeOf(r)
    const expectedServed = exp.served ?? exp.attempts
    const checks: Array<Check> = [
      { what: 'result', ok: matches(exp.outcome, actual), detail: `expected ${showOutcome(exp.outcome)}, got ${showOutcome(actual)}` },
      { what: 'attempts', ok: attempts() === exp.attempts, detail: `expected ${exp.attempts}, made ${attempts()}` },
      { what: 'server requests', ok: setup.served() === expectedServed, detail: `expected ${expectedServed}, received ${setup.served()}` },
      { what: 'backoff waits', ok: sameList(sleeps, exp.sleeps), detail: `expected [${exp.sleeps.join(', ')}], got [${sleeps.join(', ')}]` },
      ...(setup.checks?.() ?? [])
    ]
    const metrics: Record<string, number | boolean> = { ...setup.metrics?.() }
    if (peaks !== undefined) {
      const rssGrowth = peaks.peakRss - before.rss
      const buffersGrowth = peaks.peakArrayBuffers - before.arrayBuffers
      metrics['rssBeforeMiB'] = toMiB(before.rss)
      metrics['rssPeakGrowthMiB'] = toMiB(rssGrowth)
      metrics['arrayBuffersPeakGrowthMiB'] = toMiB(buffersGrowth)
      checks.push(
        { what: 'client RSS growth bounded', ok: rssGrowth < RSS_GROWTH_BOUND, detail: `${toMiB(rssGrowth)} MiB (bound ${toMiB(RSS_GROWTH_BOUND)})` },
        {
          what: 'client buffers bounded',
          ok: buffersGrowth < BUFFERS_GROWTH_BOUND,
          detail: `${toMiB(buffersGrowth)} MiB (bound ${toMiB(BUFFERS_GROWTH_BOUND)})`
        }
      )
    }
    const failures = checks.filter((c) => !c.ok).map((c) => `${c.what}: ${c.detail ?? 'failed'}`)
    return {
      operation: op,
      fault: fc.id,
      expected: showOutcome(exp.outcome),
      actual: showOutcome(actual),
      detail: detailOf(r),
      expectedAttempts: exp.attempts,
      attempts: attempts(),
      expectedServed,
      served: setup.served(),
      expectedSleeps: exp.sleeps,
      sleeps: [...sleeps],
      durationMs,
      metrics,
      pass: failures.length === 0,
      failures
    }
  } finally {
    await setup.close()
  }
}

afterAll(() => {
  recordSection('matrix', {
    ...runInfo(),
    settings: {
      maxAttempts: MAX_ATTEMPTS,
      attemptTimeoutMs: ATTEMPT_TIMEOUT_MS,
      hangAttemptTimeoutMs: HANG_TIMEOUT_MS,
      maxResponseBytes: MAX_RESPONSE_BYTES,
      jitter: 0.5,
      rssGrowthBoundMiB: toMiB(RSS_GROWTH_BOUND),
      buffersGrowthBoundMiB: toMiB(BUFFERS_GROWTH_BOUND)
    },
    operations: OPERATIONS,
    faults: FAULTS.map((f) => ({ id: f.id, label: f.label, how: f.how })),
    cells: records
  })
})

describe.each(OPERATIONS)('%s', (op) => {
  it.each(FAULTS)('$label', async (fc) => {
    const cell = await runCell(op, fc).catch((e: unknown): CellRecord => {
      // a cell that could not even run (a server that would not start…) is recorded too
      const exp = fc.expect(op)
      return {
        operation: op,
        fault: fc.id,
        expected: showOutcome(exp.outcome),
        actual: 'not run',
        detail: e instanceof Error ? e.message : String(e),
        expectedAttempts: exp.attempts,
        attempts: 0,
        expectedServed: exp.served ?? exp.attempts,
        served: 0,
        expectedSleeps: exp.sleeps,
        sleeps: [],
        durationMs: 0,
        metrics: {},
        pass: false,
        failures: [`the cell threw: ${e instanceof Error ? e.message : String(e)}`]
      }
    })
    records.push(cell)
    expect(cell.failures, `${op} × ${fc.label}`).toStrictEqual([])
  })
})
