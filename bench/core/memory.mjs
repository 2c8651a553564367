// Phase `memory`: the client's RSS after N sequential calls (default 30 000), fp-aws and
// @aws-sdk/client-sso in pairs, a fresh process each (bench/client.mjs, one call in flight,
// no warm-up), the order alternating from pair to pair. The figure is the median of the
// per-pair ratios, with their range.
//
//   node bench/core/memory.mjs [--runs 5] [--smoke] [--calls 30000]
import path from 'node:path'
import { emit, figure, fmt, pairs, phaseArgs, spread, table } from '../lib/paired.mjs'
import { TOKEN, benchDir, lastJson, logger, node, runPhase, withServer } from '../lib/proc.mjs'

const log = logger('memory')

const main = async () => {
  const { smoke, runs, at } = phaseArgs()
  const calls = Number(at('calls') ?? (smoke ? 300 : 30_000))
  if (!Number.isInteger(calls) || calls < 1) throw new Error('--calls must be a whole number of at least 1')

  const measure = (url, impl) => async () => {
    const o = { url, token: TOKEN, inflight: 1, warmupMs: 0, warmupCalls: 0, durationMs: 30 * 60_000, calls }
    const r = lastJson(await node([path.join(benchDir, 'client.mjs'), impl, JSON.stringify(o)], 10 * 60_000))
    if (r.calls !== calls || r.failed > 0) throw new Error(`${impl}: ${r.calls} calls, ${r.failed} failed`)
    log(`${impl}: ${(r.rssBytes / 2 ** 20).toFixed(1)} MiB after ${r.calls} calls (${r.seconds.toFixed(1)} s)`)
    return r
  }

  const t0 = performance.now()
  const ps = await withServer((url) => pairs(runs, measure(url, 'fp-aws'), measure(url, 'sdk')))
  const seconds = (performance.now() - t0) / 1000

  const n = calls.toLocaleString('en-US')
  const figures = [
    figure({
      id: 'rss',
      title: `RSS after ${n} sequential calls, fp-aws ÷ SDK`,
      samples: ps.map((p) => p.a.rssBytes / p.b.rssBytes),
      target: { op: '<=', value: 1 }
    })
  ]
  const mib = (xs) => {
    const s = spread(xs.map((x) => x / 2 ** 20))
    return `${fmt(s.median, 'MiB').replace(' MiB', '')} (${fmt(s.min, 'MiB').replace(' MiB', '')}–${fmt(
      s.max,
      'MiB'
    ).replace(' MiB', '')})`
  }
  const rows = [
    ['fp-aws (dist)', mib(ps.map((p) => p.a.rssBytes)), mib(ps.map((p) => p.a.heapUsedBytes))],
    ['@aws-sdk/client-sso', mib(ps.map((p) => p.b.rssBytes)), mib(ps.map((p) => p.b.heapUsedBytes))]
  ]
  const f = figures[0]
  const markdown = `## Memory after ${n} sequential calls

${runs} pairs (fp-aws, SDK / SDK, fp-aws / …), a fresh process each, ${n} calls one at a time
with no warm-up; RSS and heap used at the end (\`process.memoryUsage()\`), medians (range).
fp-aws ÷ SDK, per pair: ${fmt(f.median)} (${f.min.toFixed(2)}–${f.max.toFixed(2)}). Phase time: ${seconds.toFixed(0)} s.

${table(['client', 'RSS MiB', 'heap used MiB'], rows)}
`
  emit('memory', `Memory after ${n} sequential calls`, figures, markdown)
}

runPhase(main)
