// `npm run bench`: fp-aws against @aws-sdk/client-sso, plain axios and raw node:http, on a
// loopback server of its own. See bench/README.md for what is measured and how.
//
//   node bench/run.mjs [--smoke] [--runs N] [--duration-ms N] [--warmup-ms N]
//                      [--rss-calls N] [--startup-runs N] [--out FILE] [--no-build]
//
// Every option also reads from the environment (BENCH_RUNS, BENCH_DURATION_MS,
// BENCH_WARMUP_MS, BENCH_RSS_CALLS, BENCH_STARTUP_RUNS). Nothing here talks to anything but
// the server it starts on 127.0.0.1; every child process has a time limit.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '..')

// -------------------------------------------------------------------------------------
// options
// -------------------------------------------------------------------------------------

const argv = process.argv.slice(2)
const flag = (name) => argv.includes(`--${name}`)
const opt = (name, env, fallback) => {
  const i = argv.indexOf(`--${name}`)
  const raw = i >= 0 ? argv[i + 1] : process.env[env]
  return raw === undefined ? fallback : raw
}
const num = (name, env, fallback) => {
  const v = Number(opt(name, env, String(fallback)))
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a number of at least 0`)
  return v
}

const smoke = flag('smoke')
const config = {
  smoke,
  runs: num('runs', 'BENCH_RUNS', smoke ? 1 : 3),
  warmupMs: num('warmup-ms', 'BENCH_WARMUP_MS', smoke ? 100 : 700),
  warmupCalls: smoke ? 200 : 20_000,
  durationMs: num('duration-ms', 'BENCH_DURATION_MS', smoke ? 200 : 2_500),
  maxCalls: smoke ? 2_000 : 1_000_000,
  rssCalls: num('rss-calls', 'BENCH_RSS_CALLS', smoke ? 300 : 100_000),
  startupRuns: num('startup-runs', 'BENCH_STARTUP_RUNS', smoke ? 1 : 11),
  inflight: [1, 64],
  out: path.resolve(opt('out', 'BENCH_OUT', path.join(here, 'RESULTS.md'))),
  build: !flag('no-build')
}
if (config.runs < 1 || config.startupRuns < 1) throw new Error('--runs and --startup-runs must be at least 1')

/** The implementations, in the order of the table; each runs in a process of its own. */
const IMPLS = [
  { id: 'fp-aws', label: 'fp-aws (dist)' },
  { id: 'sdk', label: '@aws-sdk/client-sso' },
  { id: 'axios', label: 'plain axios' },
  { id: 'raw', label: 'raw node:http' }
]
const RSS_IMPLS = ['fp-aws', 'sdk', 'raw']

/** A made-up token: the server never checks it, and no output ever shows it. */
const TOKEN = 'bench-token-0123456789abcdef'

// -------------------------------------------------------------------------------------
// processes
// -------------------------------------------------------------------------------------

const log = (line) => process.stderr.write(`[bench] ${line}\n`)

/** Runs a node script to completion within `limitMs`; resolves its stdout, rejects on failure. */
const node = (args, limitMs, cwd = here) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs)
    child.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) resolve(out)
      else reject(new Error(`node ${args.map((a) => path.basename(a)).join(' ')} failed (${signal ?? `exit ${code}`})\n${scrub(err).slice(-2000)}`))
    })
  })

/** What a child printed last, as JSON. */
const lastJson = (out) => JSON.parse(out.trim().split('\n').filter((l) => l.startsWith('{')).pop() ?? 'null')

/** The token must never show, not even in an error message. */
const scrub = (s) => String(s).split(TOKEN).join('<redacted>')

const startServer = () =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(here, 'server.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] })
    let buf = ''
    const timer = setTimeout(() => reject(new Error('the loopback server did not start')), 10_000)
    child.stdout.on('data', (d) => {
      buf += d
      const line = buf.split('\n')[0]
      if (buf.includes('\n')) {
        clearTimeout(timer)
        resolve({ url: `http://127.0.0.1:${JSON.parse(line).port}`, stop: () => child.stdin.end() })
      }
    })
    child.on('error', reject)
  })

// -------------------------------------------------------------------------------------
// statistics
// -------------------------------------------------------------------------------------

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  if (s.length === 0) return NaN
  const m = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2
}

const medianOf = (rows, key) => median(rows.map((r) => r[key]))

// -------------------------------------------------------------------------------------
// phases
// -------------------------------------------------------------------------------------

const build = () => {
  log('building dist (npm run build)')
  return node([path.join(root, 'scripts', 'build.mjs')], 300_000, root)
}

/** Throughput, CPU, latency and memory: A B A B …, a fresh process each, warm-up first. */
const throughput = async (url) => {
  const results = []
  for (let run = 0; run < config.runs; run++) {
    for (const inflight of config.inflight) {
      // rotate the order from run to run, so that no implementation always goes first
      const order = IMPLS.map((_, i) => IMPLS[(i + run) % IMPLS.length])
      for (const impl of order) {
        const o = {
          url,
          token: TOKEN,
          inflight,
          warmupMs: config.warmupMs,
          warmupCalls: config.warmupCalls,
          durationMs: config.durationMs,
          calls: config.maxCalls
        }
        const r = lastJson(await node([path.join(here, 'client.mjs'), impl.id, JSON.stringify(o)], config.durationMs + config.warmupMs + 60_000))
        if (r.failed > 0) throw new Error(`${impl.id}: ${r.failed} of ${r.calls} calls failed`)
        log(`run ${run + 1}/${config.runs} ${impl.id} @${inflight}: ${Math.round(r.callsPerSec)} calls/s, ${r.cpuUsPerCall.toFixed(1)} µs CPU/call`)
        results.push(r)
      }
    }
  }
  return results
}

/** RSS after `rssCalls` sequential calls, one process per implementation. */
const rss = async (url) => {
  const results = []
  for (const id of RSS_IMPLS) {
    const o = { url, token: TOKEN, inflight: 1, warmupMs: 0, warmupCalls: 0, durationMs: 30 * 60_000, calls: config.rssCalls }
    const r = lastJson(await node([path.join(here, 'client.mjs'), id, JSON.stringify(o)], 30 * 60_000))
    if (r.calls !== config.rssCalls || r.failed > 0) throw new Error(`${id}: ${r.calls} calls, ${r.failed} failed`)
    log(`rss ${id}: ${(r.rssBytes / 2 ** 20).toFixed(1)} MiB after ${r.calls} calls (${r.seconds.toFixed(1)} s)`)
    results.push(r)
  }
  return results
}

const STARTUP = [
  { id: 'fp-aws-esm', label: 'fp-aws, Logout-only, ESM', runner: 'first.mjs', entry: 'fp-aws-logout.mjs' },
  { id: 'sdk-esm', label: '@aws-sdk/client-sso, ESM', runner: 'first.mjs', entry: 'sdk-logout.mjs' },
  { id: 'fp-aws-cjs', label: 'fp-aws, Logout-only, CJS', runner: 'first.cjs', entry: 'fp-aws-logout.cjs' },
  { id: 'sdk-cjs', label: '@aws-sdk/client-sso, CJS', runner: 'first.cjs', entry: 'sdk-logout.cjs' },
  { id: 'fp-aws-root-esm', label: 'fp-aws, `fp-aws` + `fp-aws/sso`, ESM', runner: 'first.mjs', entry: 'fp-aws-root.mjs' },
  { id: 'fp-aws-root-cjs', label: 'fp-aws, `fp-aws` + `fp-aws/sso`, CJS', runner: 'first.cjs', entry: 'fp-aws-root.cjs' }
]

/** Time from process start to the first Logout answered, fresh processes, interleaved. */
const startup = async (url) => {
  const samples = Object.fromEntries(STARTUP.map((s) => [s.id, []]))
  for (let i = 0; i < config.startupRuns; i++) {
    for (const s of STARTUP) {
      const r = lastJson(await node([path.join(here, 'startup', s.runner), path.join(here, 'entries', s.entry), url, TOKEN], 60_000))
      if (!r.ok) throw new Error(`${s.id}: the first Logout failed`)
      samples[s.id].push(r.ms)
    }
  }
  for (const s of STARTUP) log(`start-up ${s.id}: median ${median(samples[s.id]).toFixed(1)} ms`)
  return samples
}

/** esbuild's options for an entry: `fp-ts/lib` and `monocle-ts/lib` mapped to their ES builds. */
const esbuildOptions = (entry, platform) => ({
  entryPoints: [entry],
  bundle: true,
  write: false,
  metafile: true,
  minify: true,
  format: 'esm',
  platform,
  target: 'es2022',
  logLevel: 'silent',
  // the ES module builds, which a bundler can tree-shake (io-ts's `module` field already
  // points at its ES build)
  alias: { 'fp-ts/lib': 'fp-ts/es6', 'monocle-ts/lib': 'monocle-ts/es6' }
})

/** Modules that must never be in a Logout-only bundle. */
const FORBIDDEN = [/\/core\/Config\.js$/, /\/core\/Env\.js$/, /\/emulator\//, /\/auth\//, /\/cli\//, /axios\/lib\/adapters\/http\.js$/]

const bundles = async () => {
  const { build: esbuild } = await import('esbuild')
  const out = {}
  for (const [id, entry] of [
    ['fp-aws', 'fp-aws-logout.mjs'],
    ['sdk', 'sdk-logout.mjs']
  ]) {
    for (const platform of ['browser', 'node']) {
      const r = await esbuild(esbuildOptions(path.join(here, 'entries', entry), platform))
      const code = r.outputFiles[0].contents
      const inputs = Object.keys(r.metafile.inputs)
      const text = Buffer.from(code).toString('utf8')
      const nodeImports = [...text.matchAll(/(?:from\s*|require\(\s*|import\(\s*)["'](?:node:)?(http|https|http2|net|fs|os|path|zlib|stream)(?:\/[a-z]+)?["']/g)].map((m) => m[1])
      out[`${id}-${platform}`] = {
        bytes: code.length,
        gzipBytes: gzipSync(code, { level: 9 }).length,
        inputs: inputs.length,
        forbidden: id === 'fp-aws' ? inputs.filter((i) => FORBIDDEN.some((re) => re.test(i))) : [],
        nodeImports: [...new Set(nodeImports)]
      }
    }
  }
  return out
}

// -------------------------------------------------------------------------------------
// the report
// -------------------------------------------------------------------------------------

const fmt = {
  int: (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a'),
  f1: (n) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a'),
  f2: (n) => (Number.isFinite(n) ? n.toFixed(2) : 'n/a'),
  ms: (n) => (Number.isFinite(n) ? n.toFixed(3) : 'n/a'),
  x: (n) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : 'n/a'),
  mib: (n) => (Number.isFinite(n) ? (n / 2 ** 20).toFixed(1) : 'n/a'),
  kib: (n) => (Number.isFinite(n) ? (n / 1024).toFixed(1) : 'n/a')
}

const table = (head, rows) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n')

/** Why a target can be missed, and what was tried: printed under the tables for each one not met. */
const WHY = {
  'time to first Logout, ESM': `Node 20 loads fp-ts 2, io-ts and monocle-ts as CommonJS (their \`es6/\` builds use
extension-less specifiers and no \`"type": "module"\`, so Node cannot load them as ESM), and
every import of a CommonJS module from an ES module goes through the ESM loader's
CommonJS translator: its format is detected, its source read and lexed with
cjs-module-lexer for named exports, then it is loaded. The Logout-only graph has nine
such edges (\`fp-ts/lib/{Either,Eq,function,string,number,Option}\`, \`io-ts\`,
\`monocle-ts/lib/{Iso,Lens}\`, from \`sso/Logout\`, \`sso/Types\` and \`core/Sensitive\`);
together they cost about 40–50 ms over the same modules loaded by \`require\` (the CJS row).
Full runs during development measured 1.01×–1.32× (the highest with other processes
loading the machine).
The runtime modules \`core/Http\` and \`core/AWSRequest\` add no edge that the operation
modules do not already have, and load nothing else (axios and \`node:https\`/\`node:zlib\` are not loaded for
the first call at all).

What was measured on this machine, as prototypes of \`dist/esm\` (not shipped): one
CommonJS barrel re-exporting the third-party modules instead of nine edges, ~0.80× the
SDK; ESM wrappers over the CJS build (Node's "ES module wrapper" pattern, which needs a
\`node\` condition in package.json \`exports\`), ~0.82×; a Logout module that loads no
fp-ts/io-ts/monocle-ts at all, ~0.63×. Meeting the target therefore needs a change to the
package layout (exports conditions and the build) or to the operation modules (building
their codecs and lenses without loading monocle-ts/io-ts before the first call), outside
\`core/Http\`, \`core/AWSRequest\` and \`bench/\`.`,
  'time to first Logout, CJS': `The CommonJS figure sits on the line. Measured apart on this machine (medians of 15
interleaved runs): raw \`node:http\` answers its first call ~61 ms after the process
starts; loading the fp-ts, io-ts and monocle-ts modules that \`sso/Logout\` and
\`sso/Types\` need when they load (24 fp-ts modules, \`ReadonlyArray\` and \`ReadonlyRecord\`
among them for monocle-ts's lens internals) brings that to ~77 ms; fp-aws's own modules
and its first call add ~9 ms (~86 ms), against ~111 ms for the SDK: ~0.77×, so a run on a
loaded machine can land on either side of 0.8× (full runs of this benchmark during
development, on 2 shared cores: 0.77×–0.84×). What is left to take is in the operation
modules (building their codecs and lenses without loading monocle-ts's internals and
io-ts before the first call), not in \`core/Http\` or \`core/AWSRequest\`.`
}

const notes = (targets) => {
  const missed = targets.filter((t) => !t[3] && WHY[t[0]] !== undefined)
  return missed.length === 0 ? '' : `\n## Targets not met: why, and what was tried\n\n${missed.map((t) => `### ${t[0]}\n\n${WHY[t[0]]}\n`).join('\n')}`
}

const report = (tp, mem, starts, sizes, seconds) => {
  const rowsFor = (impl, inflight) => tp.filter((r) => r.impl === impl && r.inflight === inflight)
  const m = (impl, inflight, key) => medianOf(rowsFor(impl, inflight), key)

  const throughputRows = []
  for (const inflight of config.inflight) {
    for (const impl of IMPLS) {
      const cps = m(impl.id, inflight, 'callsPerSec')
      const cpu = m(impl.id, inflight, 'cpuUsPerCall')
      throughputRows.push([
        impl.label,
        String(inflight),
        fmt.int(cps),
        fmt.x(cps / m('sdk', inflight, 'callsPerSec')),
        fmt.x(cps / m('raw', inflight, 'callsPerSec')),
        fmt.f1(cpu),
        fmt.x(cpu / m('sdk', inflight, 'cpuUsPerCall')),
        fmt.x(cpu / m('raw', inflight, 'cpuUsPerCall')),
        fmt.ms(m(impl.id, inflight, 'p50Ms')),
        fmt.ms(m(impl.id, inflight, 'p99Ms')),
        fmt.mib(m(impl.id, inflight, 'rssBytes'))
      ])
    }
  }

  const rssOf = (id) => mem.find((r) => r.impl === id)?.rssBytes ?? NaN
  const heapOf = (id) => mem.find((r) => r.impl === id)?.heapUsedBytes ?? NaN
  const memRows = RSS_IMPLS.map((id) => [
    IMPLS.find((i) => i.id === id).label,
    fmt.int(config.rssCalls),
    fmt.mib(rssOf(id)),
    fmt.x(rssOf(id) / rssOf('sdk')),
    fmt.mib(heapOf(id))
  ])

  const st = (id) => median(starts[id])
  const startRows = STARTUP.map((s) => [
    s.label,
    fmt.f1(st(s.id)),
    fmt.f1(Math.min(...starts[s.id])),
    s.id.startsWith('sdk') ? '1.00×' : fmt.x(st(s.id) / st(s.id.endsWith('esm') ? 'sdk-esm' : 'sdk-cjs')),
    String(starts[s.id].length)
  ])

  const size = (k, key) => sizes[k][key]
  const sizeRows = ['browser', 'node'].flatMap((p) =>
    ['fp-aws', 'sdk'].map((id) => [
      `${id === 'fp-aws' ? 'fp-aws' : '@aws-sdk/client-sso'}, ${p}`,
      fmt.kib(size(`${id}-${p}`, 'bytes')),
      fmt.kib(size(`${id}-${p}`, 'gzipBytes')),
      fmt.x(size(`${id}-${p}`, 'gzipBytes') / size(`sdk-${p}`, 'gzipBytes')),
      fmt.x(size(`${id}-${p}`, 'bytes') / size(`sdk-${p}`, 'bytes')),
      String(size(`${id}-${p}`, 'inputs'))
    ])
  )

  const ratio = {
    tp64: m('fp-aws', 64, 'callsPerSec') / m('sdk', 64, 'callsPerSec'),
    tp1: m('fp-aws', 1, 'callsPerSec') / m('sdk', 1, 'callsPerSec'),
    cpu1: m('fp-aws', 1, 'cpuUsPerCall') / m('sdk', 1, 'cpuUsPerCall'),
    cpu64: m('fp-aws', 64, 'cpuUsPerCall') / m('sdk', 64, 'cpuUsPerCall'),
    startEsm: st('fp-aws-esm') / st('sdk-esm'),
    startCjs: st('fp-aws-cjs') / st('sdk-cjs'),
    browser: size('fp-aws-browser', 'gzipBytes') / size('sdk-browser', 'gzipBytes'),
    node: size('fp-aws-node', 'bytes') / size('sdk-node', 'bytes'),
    rss: rssOf('fp-aws') / rssOf('sdk')
  }
  const clean = sizes['fp-aws-browser'].forbidden.length === 0 && sizes['fp-aws-browser'].nodeImports.length === 0
  const targets = [
    ['throughput at 64 in flight', '≥ 3× the SDK', ratio.tp64, ratio.tp64 >= 3],
    ['throughput at 1 in flight', '≥ 2× the SDK', ratio.tp1, ratio.tp1 >= 2],
    ['client CPU per call, 1 in flight', '≤ 0.4× the SDK', ratio.cpu1, ratio.cpu1 <= 0.4],
    ['client CPU per call, 64 in flight', '≤ 0.4× the SDK', ratio.cpu64, ratio.cpu64 <= 0.4],
    ['time to first Logout, ESM', '≤ 0.8× the SDK', ratio.startEsm, ratio.startEsm <= 0.8],
    ['time to first Logout, CJS', '≤ 0.8× the SDK', ratio.startCjs, ratio.startCjs <= 0.8],
    ['browser bundle, min + gzip', '≤ 0.5× the SDK', ratio.browser, ratio.browser <= 0.5],
    ['node bundle, min', '≤ 1× the SDK', ratio.node, ratio.node <= 1],
    [`RSS after ${fmt.int(config.rssCalls)} sequential calls`, '≤ 1× the SDK', ratio.rss, ratio.rss <= 1],
    ['browser bundle without Node built-ins, config reading, emulator', 'none in it', NaN, clean]
  ]
  const targetRows = targets.map(([what, want, r, ok]) => [what, want, Number.isNaN(r) ? '–' : fmt.x(r), ok ? 'met' : '**not met**'])

  const cpus = os.cpus()
  const md = `# fp-aws benchmark results

${config.smoke ? '**Smoke run (tiny counts): the figures mean nothing.**\n\n' : ''}- date: ${new Date().toISOString()}
- Node ${process.version} on ${os.platform()} ${os.arch()}, ${cpus.length} cores (${cpus[0]?.model?.trim() ?? 'unknown CPU'})
- loopback server: node:http with keep-alive in its own process, \`POST /logout\` → 200
- ${config.runs} run(s) per figure (median shown), interleaved A B A B, a fresh process each; warm-up ${config.warmupMs} ms (≤ ${fmt.int(config.warmupCalls)} calls), then ${config.durationMs} ms (≤ ${fmt.int(config.maxCalls)} calls)
- start-up: median of ${config.startupRuns} fresh processes each, interleaved; RSS: ${fmt.int(config.rssCalls)} sequential calls in one process
- whole benchmark: ${seconds.toFixed(0)} s

## Targets (fp-aws ÷ @aws-sdk/client-sso, same run)

${table(['target', 'wanted', 'measured', ''], targetRows)}

## Throughput, client CPU, latency

CPU is \`process.cpuUsage()\` of the client process over the measured calls, divided by
the calls. RSS is the client's at the end of the run.

${table(['client', 'in flight', 'calls/s', '÷ SDK', '÷ raw', 'CPU µs/call', '÷ SDK', '÷ raw', 'p50 ms', 'p99 ms', 'RSS MiB'], throughputRows)}

## Memory after ${fmt.int(config.rssCalls)} sequential calls

${table(['client', 'calls', 'RSS MiB', '÷ SDK', 'heap used MiB'], memRows)}

## Time from process start to the first Logout answered

\`performance.now()\` in the client process when the first Logout has been answered (its
origin is the process start): loading the modules, building the client, one call on a new
connection. The Logout-only entries are \`bench/entries/*-logout.{mjs,cjs}\`; the last two rows
import \`fp-aws\` and the whole \`fp-aws/sso\`, as the README does.

${table(['entry', 'median ms', 'min ms', '÷ SDK', 'runs'], startRows)}

## Bundle size of a Logout-only entry

esbuild, \`--bundle --minify --format=esm\`, \`fp-ts/lib\` → \`fp-ts/es6\` and
\`monocle-ts/lib\` → \`monocle-ts/es6\` aliased (bench/run.mjs \`esbuildOptions\`); gzip level 9.

${table(['bundle', 'min KiB', 'min + gzip KiB', '÷ SDK (gzip)', '÷ SDK (min)', 'modules'], sizeRows)}

The fp-aws browser bundle: Node built-in imports ${JSON.stringify(sizes['fp-aws-browser'].nodeImports)}, Node-only modules ${JSON.stringify(sizes['fp-aws-browser'].forbidden)}.
${notes(targets)}`
  return { md, targets }
}

// -------------------------------------------------------------------------------------
// main
// -------------------------------------------------------------------------------------

const main = async () => {
  const t0 = performance.now()
  if (config.build) await build()
  readFileSync(path.join(root, 'dist', 'esm', 'index.js')) // fail early without a build
  const server = await startServer()
  let tp, mem, starts
  try {
    log(`server on ${server.url}; throughput: ${config.runs} run(s) × ${config.inflight.length} × ${IMPLS.length} clients`)
    tp = await throughput(server.url)
    log(`memory: ${config.rssCalls} sequential calls each`)
    mem = await rss(server.url)
    log(`start-up: ${config.startupRuns} run(s) × ${STARTUP.length} entries`)
    starts = await startup(server.url)
  } finally {
    server.stop()
  }
  log('bundles')
  const sizes = await bundles()
  const { md, targets } = report(tp, mem, starts, sizes, (performance.now() - t0) / 1000)
  await mkdir(path.dirname(config.out), { recursive: true })
  await writeFile(config.out, md)
  process.stdout.write(md + '\n')
  log(`wrote ${path.relative(process.cwd(), config.out) || config.out}`)
  const missed = targets.filter((t) => !t[3]).map((t) => t[0])
  if (missed.length > 0) log(`not met: ${missed.join('; ')}`)
}

main().catch((e) => {
  process.stderr.write(`[bench] ${scrub(e?.stack ?? e)}\n`)
  process.exit(1)
})
