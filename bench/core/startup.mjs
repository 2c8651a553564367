// Phase `startup`: the time from process start to the first Logout answered
// (bench/startup/first.{mjs,cjs}: `performance.now()`, whose origin is the process start, when
// the first Logout has been answered: loading the modules, building the client, one call on
// a new connection).
//
// Each figure is a per-pair ratio: a pair is one process of the entry under test and one of
// the SDK's entry of the same module format, the order alternating from pair to pair (and the
// entries taken in the reverse order in odd rounds). Entries (bench/entries/):
// - `fp-aws-root.*`: `fp-aws` plus `fp-aws/sso`, the imports a user writes (the target);
// - `fp-aws-logout.*`: the Logout-only modules;
// - `raw-logout.*`: raw node:http, nothing else: the floor.
//
//   node bench/core/startup.mjs [--runs 5] [--smoke] [--pairs N]   (default: max(11, 2 × runs + 1))
import path from 'node:path'
import { emit, figure, fmt, phaseArgs, rounds, spread, table } from '../lib/paired.mjs'
import { TOKEN, benchDir, lastJson, logger, node, runPhase, withServer } from '../lib/proc.mjs'

const log = logger('startup')

const VARIANTS = [
  {
    id: 'first-logout-root-esm',
    label: '`fp-aws` + `fp-aws/sso`, ESM',
    title: 'time to first Logout, `fp-aws` + `fp-aws/sso`, ESM, fp-aws ÷ SDK',
    entry: 'fp-aws-root.mjs',
    target: { op: '<=', value: 0.6 }
  },
  {
    id: 'first-logout-root-cjs',
    label: '`fp-aws` + `fp-aws/sso`, CJS',
    title: 'time to first Logout, `fp-aws` + `fp-aws/sso`, CJS, fp-aws ÷ SDK',
    entry: 'fp-aws-root.cjs',
    target: { op: '<=', value: 0.6 }
  },
  {
    id: 'first-logout-esm',
    label: 'Logout-only modules, ESM',
    title: 'time to first Logout, Logout-only modules, ESM, fp-aws ÷ SDK',
    entry: 'fp-aws-logout.mjs'
  },
  {
    id: 'first-logout-cjs',
    label: 'Logout-only modules, CJS',
    title: 'time to first Logout, Logout-only modules, CJS, fp-aws ÷ SDK',
    entry: 'fp-aws-logout.cjs'
  },
  {
    id: 'first-logout-raw-esm',
    label: 'raw `node:http` (the floor), ESM',
    title: 'time to first Logout, raw node:http (the floor) ÷ SDK, ESM',
    entry: 'raw-logout.mjs'
  },
  {
    id: 'first-logout-raw-cjs',
    label: 'raw `node:http` (the floor), CJS',
    title: 'time to first Logout, raw node:http (the floor) ÷ SDK, CJS',
    entry: 'raw-logout.cjs'
  }
]

const esm = (entry) => entry.endsWith('.mjs')

const main = async () => {
  const { smoke, runs, at } = phaseArgs()
  const n = Number(at('pairs') ?? (smoke ? runs : Math.max(11, 2 * runs + 1)))
  if (!Number.isInteger(n) || n < 1) throw new Error('--pairs must be a whole number of at least 1')

  const first = (url, entry) => async () => {
    const runner = path.join(benchDir, 'startup', esm(entry) ? 'first.mjs' : 'first.cjs')
    const r = lastJson(await node([runner, path.join(benchDir, 'entries', entry), url, TOKEN], 60_000))
    if (r?.ok !== true) throw new Error(`${entry}: the first Logout failed`)
    return r.ms
  }
  const steps = (url) =>
    VARIANTS.flatMap((v) => [first(url, v.entry), first(url, esm(v.entry) ? 'sdk-logout.mjs' : 'sdk-logout.cjs')])

  const t0 = performance.now()
  const results = await withServer(async (url) => {
    // one run of each, not measured: the files in the OS's cache, as on a machine where the program has run before
    for (const step of steps(url)) await step()
    return rounds(n, steps(url), (i, row) =>
      log(
        `pair ${i + 1}/${n}: ${VARIANTS.map(
          (v, j) => `${v.id.replace('first-logout-', '')} ${(row[2 * j] / row[2 * j + 1]).toFixed(2)}`
        ).join(', ')}`
      )
    )
  })
  const seconds = (performance.now() - t0) / 1000

  const own = (j) => results.map((row) => row[2 * j])
  const sdk = (j) => results.map((row) => row[2 * j + 1])
  const figures = VARIANTS.map((v, j) =>
    figure({ id: v.id, title: v.title, samples: own(j).map((x, i) => x / sdk(j)[i]), target: v.target })
  )
  const ms = (xs) => {
    const s = spread(xs)
    return `${s.median.toFixed(1)} (${s.min.toFixed(1)}–${s.max.toFixed(1)})`
  }
  const rows = VARIANTS.map((v, j) => {
    const f = figures[j]
    return [v.label, ms(own(j)), ms(sdk(j)), `${fmt(f.median)} (${f.min.toFixed(2)}–${f.max.toFixed(2)})`, String(f.n)]
  })
  const markdown = `## Time from process start to the first Logout answered

\`performance.now()\` in a fresh process (its origin is the process start) when the first
Logout has been answered: loading the modules, building the client, one call on a new
connection (\`bench/startup/first.{mjs,cjs}\`). Each row is ${n} pairs: one process of the entry
and one of \`@aws-sdk/client-sso\`'s Logout entry in the same module format, the order
alternating from pair to pair; the ratio is taken within each pair. Entries
(\`bench/entries/\`): \`fp-aws-root.*\` imports \`fp-aws\` and \`fp-aws/sso\` as a user does (the
target); \`fp-aws-logout.*\` only the Logout modules; \`raw-logout.*\` nothing but \`node:http\`,
the floor. Milliseconds are medians (range). Phase time: ${seconds.toFixed(0)} s.

${table(['entry', 'entry ms', 'SDK ms (its partners)', '÷ SDK, per pair', 'pairs'], rows)}
`
  emit('startup', 'Time to the first Logout', figures, markdown)
}

runPhase(main)
