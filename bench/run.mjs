// `npm run bench`: the one driver of every benchmark phase. See bench/README.md.
//
//   node bench/run.mjs [--runs 5] [--smoke] [--phases a,b | none] [--out FILE] [--no-build]
//                      [--against FILE] [--check] [--readme] [--phase-limit-s N]
//
// It builds dist/, then runs the core phases (bench/core/: throughput, memory, startup,
// bundles) and every bench/phases/*.mjs found (sorted by name), each a child process with a
// time limit that prints one JSON line `{ phase, title, figures, markdown }` (bench/lib/paired.mjs).
// It writes RESULTS.md (--out) and results.json next to it, and checks that each figure's
// new median lies within the range of the same figure in the committed bench/results.json
// (--against), which it reads before overwriting it. The exit code is 0 unless a phase
// failed or, with --check, a figure did not reproduce.
import { readFileSync, readdirSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { phaseArgs } from './lib/paired.mjs'
import { benchDir, lastJson, logger, node, rootDir, scrub } from './lib/proc.mjs'
import { replaceReadmeBlock, reproduction, reproductionTable, resultsMarkdown } from './lib/report.mjs'

const log = logger('run')

/** The core phases, in this order, before those of bench/phases/. */
const CORE = ['throughput', 'memory', 'startup', 'bundles']

const argv = process.argv.slice(2)
const { smoke, runs, at } = phaseArgs(argv, { runs: Number(process.env.BENCH_RUNS ?? 5) })
const flag = (name) => argv.includes(`--${name}`)
const out = path.resolve(
  at('out') ?? (smoke ? path.join(rootDir, '.tmp', 'bench', 'RESULTS.md') : path.join(benchDir, 'RESULTS.md'))
)
const jsonOut = path.join(
  path.dirname(out),
  `${path.basename(out, path.extname(out))}.json`.replace(/^RESULTS\.json$/, 'results.json')
)
const against = path.resolve(at('against') ?? path.join(benchDir, 'results.json'))
const limitMs = 1000 * Number(at('phase-limit-s') ?? (smoke ? 50 : 600))

const readdirIfAny = (dir) => {
  try {
    return readdirSync(dir, { withFileTypes: true })
  } catch (e) {
    if (e?.code === 'ENOENT') return []
    throw e
  }
}

/** Every phase there is: name and script. */
const allPhases = () => {
  const found = readdirIfAny(path.join(benchDir, 'phases'))
    .filter((e) => e.isFile() && e.name.endsWith('.mjs'))
    .map((e) => e.name.slice(0, -'.mjs'.length))
    .sort()
  const clash = found.filter((n) => CORE.includes(n))
  if (clash.length > 0) throw new Error(`bench/phases/ has a phase named like a core one: ${clash.join(', ')}`)
  return [
    ...CORE.map((name) => ({ name, script: path.join(benchDir, 'core', `${name}.mjs`) })),
    ...found.map((name) => ({ name, script: path.join(benchDir, 'phases', `${name}.mjs`) }))
  ]
}

/** The phases chosen with `--phases a,b` (`none`: none), all by default. */
const chosen = (all) => {
  const list = at('phases')
  if (list === undefined) return all
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== 'none')
  const unknown = names.filter((n) => !all.some((p) => p.name === n))
  if (unknown.length > 0)
    throw new Error(`unknown phase(s) ${unknown.join(', ')}; there are: ${all.map((p) => p.name).join(', ')}`)
  return all.filter((p) => names.includes(p.name))
}

/** Reads a results.json, or null when there is none. */
const readResults = (file) => {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    if (e?.code === 'ENOENT') return null
    throw new Error(`${file}: ${e.message}`)
  }
}

/** Runs one phase script; resolves its result, or `{ error }` when it failed. */
const runOne = async ({ name, script }) => {
  const t0 = performance.now()
  const args = [script, '--runs', String(runs), ...(smoke ? ['--smoke'] : [])]
  try {
    const r = lastJson(await node(args, limitMs, { cwd: rootDir, stderr: 'inherit' }))
    if (r === null || typeof r.markdown !== 'string' || !Array.isArray(r.figures))
      throw new Error('printed no { phase, title, figures, markdown } line')
    for (const f of r.figures)
      if (typeof f.id !== 'string' || typeof f.title !== 'string' || !Number.isFinite(f.median))
        throw new Error(`a figure without an id, a title or a median: ${JSON.stringify(f).slice(0, 300)}`)
    return {
      phase: name,
      title: r.title ?? name,
      figures: r.figures,
      markdown: r.markdown,
      seconds: (performance.now() - t0) / 1000
    }
  } catch (e) {
    log(`phase ${name} failed: ${e.message}`)
    return {
      phase: name,
      title: name,
      figures: [],
      markdown: '',
      error: scrub(e.message),
      seconds: (performance.now() - t0) / 1000
    }
  }
}

const main = async () => {
  const t0 = performance.now()
  const loadavgBefore = os.loadavg()
  const phases = chosen(allPhases())
  // read before anything is written: this run may overwrite it
  const quoted = readResults(against)
  if (!flag('no-build')) {
    log('building dist (scripts/build.mjs)')
    await node([path.join(rootDir, 'scripts', 'build.mjs')], 300_000, { cwd: rootDir, stderr: 'inherit' })
  }
  readFileSync(path.join(rootDir, 'dist', 'esm', 'index.js')) // fail early without a build

  const done = []
  for (const p of phases) {
    log(`phase ${p.name} (${runs} run(s)${smoke ? ', smoke' : ''}, at most ${limitMs / 1000} s)`)
    const r = await runOne(p)
    log(
      `phase ${p.name}: ${r.error === undefined ? `${r.figures.length} figure(s)` : 'FAILED'} in ${r.seconds.toFixed(
        0
      )} s`
    )
    done.push(r)
  }

  const figures = done.flatMap((p) => p.figures.map((f) => ({ ...f, phase: p.phase })))
  const ids = figures.map((f) => f.id)
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i)
  if (twice.length > 0) throw new Error(`figure ids reported twice: ${[...new Set(twice)].join(', ')}`)

  const cpus = os.cpus()
  const results = {
    date: new Date().toISOString(),
    smoke,
    runs,
    seconds: (performance.now() - t0) / 1000,
    machine: {
      node: process.version,
      platform: os.platform(),
      arch: os.arch(),
      cores: cpus.length,
      cpu: cpus[0]?.model?.trim() ?? 'unknown CPU',
      loadavgBefore,
      loadavgAfter: os.loadavg()
    },
    phases: done.map((p) => ({
      phase: p.phase,
      title: p.title,
      seconds: p.seconds,
      ...(p.error === undefined ? {} : { error: p.error })
    })),
    figures
  }
  const repro = reproduction(quoted, figures)
  const quotedFrom = quoted === null ? null : path.relative(rootDir, against) || against
  const md = resultsMarkdown({
    results,
    phases: done,
    repro,
    quoted,
    quotedFrom,
    notesDir: path.join(benchDir, 'notes')
  })

  await mkdir(path.dirname(out), { recursive: true })
  await writeFile(out, md)
  await writeFile(jsonOut, JSON.stringify(results, null, 2) + '\n')
  process.stdout.write(md + '\n')
  log(`wrote ${path.relative(process.cwd(), out) || out} and ${path.relative(process.cwd(), jsonOut) || jsonOut}`)

  if (quoted === null) log(`reproduction: no ${path.relative(process.cwd(), against)} to compare with`)
  else if (repro.length > 0)
    process.stderr.write(`\nReproduces the quoted figures (${quotedFrom}):\n\n${reproductionTable(repro)}\n\n`)
  const outside = repro.filter((r) => !r.within)
  const missed = figures.filter((f) => f.verdict === 'not met')
  if (missed.length > 0) log(`not met: ${missed.map((f) => f.id).join(', ')}`)
  if (outside.length > 0) log(`outside the quoted range: ${outside.map((r) => r.id).join(', ')}`)

  if (flag('readme')) {
    if (smoke) throw new Error('--readme: a smoke run is not written into README.md')
    const readme = path.join(rootDir, 'README.md')
    await writeFile(readme, replaceReadmeBlock(readFileSync(readme, 'utf8'), results))
    log('rewrote the figures block of README.md')
  }

  const failed = done.filter((p) => p.error !== undefined)
  if (failed.length > 0) {
    log(`failed phase(s): ${failed.map((p) => p.phase).join(', ')}`)
    process.exitCode = 1
  } else if (flag('check') && outside.length > 0) process.exitCode = 1
}

main().catch((e) => {
  process.stderr.write(`[bench:run] ${scrub(e?.stack ?? e)}\n`)
  process.exit(1)
})
