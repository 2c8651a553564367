// `node bench/merge.mjs A.json B.json … [--out FILE]`: one results.json from several full
// runs of `npm run bench`: each figure's samples (one a pair) put together, and its median,
// range and verdict taken again over all of them. A range over two runs also holds the drift
// of the machine from one run to the next, which the pairs of a single run do not see, so
// the figures the README quotes (bench/results.json) are those of more than one run.
// Figures measured once (deterministic) must agree between the runs, or this fails.
// Writes --out (default bench/results.json); the last file given gives the machine facts.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { figure } from './lib/paired.mjs'
import { benchDir } from './lib/proc.mjs'

const argv = process.argv.slice(2)
const o = argv.indexOf('--out')
const out = path.resolve(o >= 0 ? argv[o + 1] : path.join(benchDir, 'results.json'))
const files = argv.filter((a, i) => a !== '--out' && argv[i - 1] !== '--out')
if (files.length < 2) {
  process.stderr.write('usage: node bench/merge.mjs A.json B.json … [--out FILE]\n')
  process.exit(2)
}
const runs = files.map((f) => JSON.parse(readFileSync(f, 'utf8')))
for (const [i, r] of runs.entries()) {
  if (r.smoke) {
    process.stderr.write(`${files[i]} is from a smoke run: its figures mean nothing\n`)
    process.exit(1)
  }
}
const last = runs[runs.length - 1]
const figures = last.figures.map((f) => {
  const all = runs.map((r) => r.figures.find((g) => g.id === f.id))
  if (all.some((g) => g === undefined)) throw new Error(`${f.id} is not in every run`)
  if (f.deterministic === true) {
    if (all.some((g) => g.median !== f.median))
      throw new Error(`${f.id} is deterministic, yet differs between the runs`)
    return f
  }
  const samples = all.flatMap((g) => g.samples)
  const { id, title, target, unit, note } = f
  return { ...figure({ id, title, samples, target, unit, note }), phase: f.phase }
})
const merged = {
  ...last,
  runs: runs.map((r) => r.runs).reduce((a, b) => a + b, 0),
  seconds: runs.map((r) => r.seconds).reduce((a, b) => a + b, 0),
  merged: runs.map((r) => ({ date: r.date, runs: r.runs, loadavgBefore: r.machine.loadavgBefore })),
  figures
}
writeFileSync(out, JSON.stringify(merged, null, 2) + '\n')
process.stderr.write(
  `merged ${runs.length} runs (${merged.merged.map((m) => m.date).join(', ')}) into ${path.relative(
    process.cwd(),
    out
  )}\n`
)
