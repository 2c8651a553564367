// Phase `throughput`: calls per second and client CPU per call, at 1 and 64 calls in flight,
// for fp-aws, @aws-sdk/client-sso, plain axios and raw node:http.
//
// Each round runs the eight measurements (four clients × two in-flight counts), a fresh
// process each (bench/client.mjs: a warm-up, then calls for a fixed time); even rounds in
// one order, odd rounds in the reverse one, so fp-aws and the SDK (and fp-aws and raw
// node:http) alternate which goes first. Each figure is the median of the per-round ratios,
// with their range.
//
//   node bench/core/throughput.mjs [--runs 5] [--smoke] [--duration-ms 2000] [--warmup-ms 500]
import path from 'node:path'
import { emit, figure, fmt, fmtFigure, phaseArgs, rounds, spread, table } from '../lib/paired.mjs'
import { TOKEN, benchDir, lastJson, logger, node, runPhase, withServer } from '../lib/proc.mjs'

const log = logger('throughput')

const IMPLS = [
  { id: 'fp-aws', label: 'fp-aws (dist)' },
  { id: 'sdk', label: '@aws-sdk/client-sso' },
  { id: 'axios', label: 'plain axios' },
  { id: 'raw', label: 'raw node:http' }
]
const INFLIGHT = [1, 64]

const main = async () => {
  const { smoke, runs, at } = phaseArgs()
  const warmupMs = Number(at('warmup-ms') ?? (smoke ? 100 : 500))
  const durationMs = Number(at('duration-ms') ?? (smoke ? 200 : 2_000))
  const warmupCalls = smoke ? 200 : 20_000
  const maxCalls = smoke ? 2_000 : 1_000_000

  const steps = (url) =>
    INFLIGHT.flatMap((inflight) =>
      IMPLS.map((impl) => async (round) => {
        const o = { url, token: TOKEN, inflight, warmupMs, warmupCalls, durationMs, calls: maxCalls }
        const r = lastJson(
          await node([path.join(benchDir, 'client.mjs'), impl.id, JSON.stringify(o)], durationMs + warmupMs + 60_000)
        )
        if (r.failed > 0) throw new Error(`${impl.id}: ${r.failed} of ${r.calls} calls failed`)
        log(
          `round ${round + 1}/${runs} ${impl.id} @${inflight}: ${Math.round(r.callsPerSec)} calls/s, ` +
            `${r.cpuUsPerCall.toFixed(1)} µs CPU/call`
        )
        return r
      })
    )

  const t0 = performance.now()
  const results = await withServer((url) => rounds(runs, steps(url)))
  const seconds = (performance.now() - t0) / 1000

  /** The result of `impl` at `inflight` in each round. */
  const of = (impl, inflight) =>
    results.map((row) => row[INFLIGHT.indexOf(inflight) * IMPLS.length + IMPLS.findIndex((i) => i.id === impl)])
  /** Per-round ratios of a key, `a` ÷ `b`. */
  const ratio = (a, b, inflight, key) => {
    const xs = of(a, inflight)
    const ys = of(b, inflight)
    return xs.map((x, i) => x[key] / ys[i][key])
  }

  const figures = [
    ...[64, 1].map((n) =>
      figure({
        id: `throughput-${n}`,
        title: `throughput at ${n} in flight, fp-aws ÷ SDK`,
        samples: ratio('fp-aws', 'sdk', n, 'callsPerSec'),
        target: { op: '>=', value: n === 64 ? 3 : 2 }
      })
    ),
    ...INFLIGHT.map((n) =>
      figure({
        id: `cpu-${n}`,
        title: `client CPU per call at ${n} in flight, fp-aws ÷ SDK`,
        samples: ratio('fp-aws', 'sdk', n, 'cpuUsPerCall'),
        target: { op: '<=', value: 0.4 }
      })
    ),
    ...INFLIGHT.flatMap((n) => [
      figure({
        id: `throughput-${n}-vs-raw`,
        title: `throughput at ${n} in flight, fp-aws ÷ raw node:http (the floor)`,
        samples: ratio('fp-aws', 'raw', n, 'callsPerSec')
      }),
      figure({
        id: `cpu-${n}-vs-raw`,
        title: `client CPU per call at ${n} in flight, fp-aws ÷ raw node:http (the floor)`,
        samples: ratio('fp-aws', 'raw', n, 'cpuUsPerCall')
      }),
      figure({
        id: `throughput-${n}-axios`,
        title: `throughput at ${n} in flight, plain axios ÷ SDK`,
        samples: ratio('axios', 'sdk', n, 'callsPerSec')
      }),
      figure({
        id: `throughput-${n}-raw`,
        title: `throughput at ${n} in flight, raw node:http ÷ SDK`,
        samples: ratio('raw', 'sdk', n, 'callsPerSec')
      })
    ])
  ]

  const cell = (xs, unit) => {
    const s = spread(xs)
    return unit === '×'
      ? `${fmt(s.median)} (${s.min.toFixed(2)}–${s.max.toFixed(2)})`
      : `${fmt(s.median, unit)} (${fmt(s.min, unit).split(' ')[0]}–${fmt(s.max, unit).split(' ')[0]})`
  }
  const rows = INFLIGHT.flatMap((n) =>
    IMPLS.map((impl) => {
      const rs = of(impl.id, n)
      return [
        impl.label,
        String(n),
        cell(
          rs.map((r) => r.callsPerSec),
          'calls/s'
        ).replace(' calls/s', ''),
        cell(ratio(impl.id, 'sdk', n, 'callsPerSec'), '×'),
        cell(
          rs.map((r) => r.cpuUsPerCall),
          'µs'
        ).replace(' µs', ''),
        cell(ratio(impl.id, 'sdk', n, 'cpuUsPerCall'), '×'),
        fmt(spread(rs.map((r) => r.p50Ms)).median, 'ms').replace(' ms', ''),
        fmt(spread(rs.map((r) => r.p99Ms)).median, 'ms').replace(' ms', ''),
        fmt(spread(rs.map((r) => r.rssBytes / 2 ** 20)).median, 'MiB').replace(' MiB', '')
      ]
    })
  )

  const markdown = `## Throughput and client CPU per call

${runs} rounds; in each, the four clients at 1 and at 64 calls in flight, a fresh process each
(\`bench/client.mjs\`): a warm-up of ${warmupMs} ms (at most ${warmupCalls.toLocaleString('en-US')} calls), then calls
for ${durationMs} ms. Odd rounds run the eight measurements in the reverse order of even
rounds. CPU is \`process.cpuUsage()\` of the client process over the measured calls, divided
by the calls. Each cell is the median of the rounds (range in brackets); a ratio is taken
within each round, then its median and range. Latencies and RSS: medians.

${table(['client', 'in flight', 'calls/s', '÷ SDK', 'CPU µs/call', '÷ SDK', 'p50 ms', 'p99 ms', 'RSS MiB'], rows)}

fp-aws ÷ raw \`node:http\` (the floor): ${INFLIGHT.map(
    (n) =>
      `at ${n} in flight, throughput ${fmtFigure(
        figures.find((f) => f.id === `throughput-${n}-vs-raw`)
      )}, CPU per call ${fmtFigure(figures.find((f) => f.id === `cpu-${n}-vs-raw`))}`
  ).join('; ')}. Phase time: ${seconds.toFixed(0)} s.
`
  emit('throughput', 'Throughput and client CPU per call', figures, markdown)
}

runPhase(main)
