// The logout sweep, timed (the protocol of bench/lib/paired.mjs: one JSON line on stdout,
// logs on stderr). Uses the built dist (`npm run build` first). Figures:
//
// - sweep-vs-awscli: `aws sso logout` (AWS CLI v2) ÷ `fp-aws sso logout` (whole processes,
//   wall time), over N token files (default 1000), both through the same TLS proxy path:
//   `HTTPS_PROXY` is a CONNECT proxy on 127.0.0.1 (bench/lib/corp.mjs) that tunnels
//   `portal.sso.us-east-1.amazonaws.com:443` to a local HTTPS portal whose certificate, for
//   that real host name, comes from a throwaway CA given to both by `AWS_CA_BUNDLE`;
//   `NO_PROXY` is empty. A run counts only if every file is gone, the portal answered N
//   Logouts, every TLS connection it accepted came through a CONNECT, and the proxy was asked
//   for nothing else.
// - sweep-concurrency, sweep-concurrency-latency: `logoutAll` in this process with the
//   default concurrency ÷ `concurrency: 1`, over N token files, against a loopback
//   `node:http` server in a process of its own that answers at once, then 5 ms late.
// - sweep-failfast, sweep-failfast-dns: `fp-aws sso logout --json` (whole process, wall
//   seconds) over N token files of one region whose endpoint is a closed port on 127.0.0.1,
//   then a host name that fails to resolve without a DNS query (a 64-character label, which
//   the resolver refuses to encode); every file must be kept and reported with the reason.
//
// Each ratio is measured in pairs, the order alternating from pair to pair (A B, B A, …); a
// fresh, identical cache is written before each run, outside the time measured.
//
//   node bench/phases/sweep.mjs [--runs 5] [--smoke] [--files 1000] [--only id,id]
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { makeCa, startPortal, startProxy } from '../lib/corp.mjs'
import { emit, figure, fmt, fmtFigure, median, pairs, phaseArgs, ratios } from '../lib/paired.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '..', '..')
const { smoke, runs, at } = phaseArgs()
const files = Number(at('files') ?? (smoke ? 20 : 1000))
if (!Number.isInteger(files) || files < 1) throw new Error('--files must be a whole number of at least 1')
const only = at('only')?.split(',')
const wanted = (id) => only === undefined || only.some((o) => id.startsWith(o))

const log = (line) => process.stderr.write(`[sweep] ${line}\n`)
const started = performance.now()

const REGION = 'us-east-1'
const PORTAL = `portal.sso.${REGION}.amazonaws.com`
/** A host name the resolver refuses before asking anyone: a label over 63 characters. */
const UNRESOLVABLE = `${'a'.repeat(64)}.invalid`

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
const bin = path.join(root, typeof pkg.bin === 'string' ? pkg.bin : pkg.bin['fp-aws'])
if (!fs.existsSync(bin)) throw new Error(`${path.relative(root, bin)} is missing: run npm run build first`)

const { newEnv } = await import('fp-aws')
const { logoutAll, DEFAULT_LOGOUT_CONCURRENCY } = await import('fp-aws/auth/sso')

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-sweep-'))
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }))

// -------------------------------------------------------------------------------------
// caches
// -------------------------------------------------------------------------------------

/** The cache every run starts from: `files` tokens of `region`, the same bytes each time. */
const tokenFiles = (region) =>
  Array.from({ length: files }, (_, i) => {
    const startUrl = `https://d-${String(i).padStart(10, '0')}.awsapps.com/start`
    const token = {
      startUrl,
      region,
      accessToken: `bench-token-${i}-${'x'.repeat(40)}`,
      expiresAt: '2999-01-01T00:00:00Z'
    }
    // the AWS CLI's name: the SHA-1 of the start URL
    return [`${createHash('sha1').update(startUrl).digest('hex')}.json`, JSON.stringify(token)]
  })

let homes = 0
/** A fresh home directory with the cache of `region` and an empty config file. */
const freshHome = (region) => {
  const home = path.join(work, `home-${homes++}`)
  const cache = path.join(home, '.aws', 'sso', 'cache')
  fs.mkdirSync(cache, { recursive: true, mode: 0o700 })
  for (const [name, text] of tokenFiles(region)) fs.writeFileSync(path.join(cache, name), text, { mode: 0o600 })
  fs.writeFileSync(path.join(home, '.aws', 'config'), '')
  return { home, cache, config: path.join(home, '.aws', 'config') }
}
const left = (h) => fs.readdirSync(h.cache).length

// -------------------------------------------------------------------------------------
// processes
// -------------------------------------------------------------------------------------

/** Runs a command with exactly `env`; resolves its exit code, output and wall time (ms). */
const run = (file, args, env, limitMs = 240_000) =>
  new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d))
    child.stderr.setEncoding('utf8').on('data', (d) => (err += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs)
    child.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, out, err, ms: performance.now() - t0 })
    })
  })

/** The environment of both tools: nothing inherited but `PATH`; no pager, no IMDS. */
const baseEnv = (h) => ({
  PATH: process.env['PATH'] ?? '/usr/bin:/bin',
  HOME: h.home,
  LC_ALL: 'C.UTF-8',
  AWS_CONFIG_FILE: h.config,
  AWS_SHARED_CREDENTIALS_FILE: h.config,
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_PAGER: '',
  AWS_CLI_AUTO_PROMPT: 'off',
  NO_PROXY: '',
  no_proxy: ''
})

/** The AWS CLI v2: `FP_AWS_AWSCLI`, else `aws` on the PATH, else /usr/bin/aws; `undefined` when none answers `aws-cli/2.`. */
const findAwsCli = async () => {
  const candidates = [
    process.env['FP_AWS_AWSCLI'],
    ...(process.env['PATH'] ?? '').split(path.delimiter).map((d) => path.join(d, 'aws')),
    '/usr/bin/aws'
  ]
  for (const c of candidates) {
    if (c === undefined || c === '' || !fs.existsSync(c)) continue
    const r = await run(c, ['--version'], { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: work }, 30_000).catch(() => undefined)
    const version = `${r?.out ?? ''}${r?.err ?? ''}`.trim().split('\n')[0] ?? ''
    if (r?.code === 0 && version.startsWith('aws-cli/2.')) return { path: c, version }
  }
  return undefined
}

const fpAws = (args, env) => run(process.execPath, [bin, ...args], env)

/**
 * The CPU seconds of the children this process has waited for (Linux: `cutime` + `cstime`
 * of /proc/self/stat, in clock ticks of 10 ms); `NaN` elsewhere.
 */
const childCpu = () => {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[13]) + Number(fields[14])) / 100
  } catch {
    return NaN
  }
}
/** The CPU seconds of this process (here: the proxy and the portal). */
const ownCpu = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1e6
}

// -------------------------------------------------------------------------------------
// sweep-vs-awscli
// -------------------------------------------------------------------------------------

const figures = []
const sections = []

const versusAwsCli = async () => {
  const aws = await findAwsCli()
  if (aws === undefined) {
    log('no AWS CLI v2 found (FP_AWS_AWSCLI, PATH, /usr/bin/aws): sweep-vs-awscli skipped')
    sections.push('`sweep-vs-awscli`: skipped, no AWS CLI v2 on this machine.')
    return
  }
  log(`${aws.version}`)
  const ca = makeCa(PORTAL)
  const bundle = path.join(work, 'ca.pem')
  fs.writeFileSync(bundle, ca.cert)
  const portal = await startPortal({ leaf: ca.leaf })
  const proxy = await startProxy({ allow: `${PORTAL}:443`, upstream: portal.port })
  const seen = { fp: [], aws: [] }
  /** One sweep by one tool over a fresh cache; checked; its wall time (ms). */
  const sweep = async (tool, n = files, warmUp = false) => {
    const h = freshHome(REGION)
    if (n < files) for (const name of fs.readdirSync(h.cache).slice(n)) fs.rmSync(path.join(h.cache, name))
    const env = { ...baseEnv(h), HTTPS_PROXY: proxy.url, AWS_CA_BUNDLE: bundle }
    const before = { logouts: portal.counts.logouts, tls: portal.counts.tls, connects: proxy.counts.connects, stray: proxy.counts.stray }
    const cpu0 = { child: childCpu(), own: ownCpu() }
    const r = tool === 'fp' ? await fpAws(['sso', 'logout'], env) : await run(aws.path, ['sso', 'logout'], env)
    const cpu = { child: childCpu() - cpu0.child, own: ownCpu() - cpu0.own }
    const logouts = portal.counts.logouts - before.logouts
    const connects = proxy.counts.connects - before.connects
    const tls = portal.counts.tls - before.tls
    const stray = proxy.counts.stray - before.stray
    const name = tool === 'fp' ? 'fp-aws sso logout' : 'aws sso logout'
    const problems = [
      r.code === 0 ? undefined : `exit ${r.code ?? r.signal}: ${(r.err || r.out).slice(-500)}`,
      left(h) === 0 ? undefined : `${left(h)} files left`,
      logouts === n ? undefined : `${logouts} Logouts reached the portal, not ${n}`,
      tls === connects ? undefined : `${tls} TLS connections but ${connects} tunnels`,
      stray === 0 ? undefined : `${stray} requests to the proxy other than CONNECT ${PORTAL}:443`,
      [...portal.counts.names.keys()].every((k) => k === PORTAL) ? undefined : `TLS server names ${[...portal.counts.names.keys()]}`
    ].filter((p) => p !== undefined)
    if (problems.length > 0) throw new Error(`${name} over ${n} files is not a valid run: ${problems.join('; ')}`)
    fs.rmSync(h.home, { recursive: true, force: true })
    if (!warmUp) seen[tool].push({ ms: r.ms, connects, cpu })
    return r.ms
  }
  // a warm-up of each (file cache, Python's bytecode), over a few files, not counted
  if (!smoke) {
    await sweep('fp', Math.min(files, 10), true)
    await sweep('aws', Math.min(files, 10), true)
  }
  const ps = await pairs(
    runs,
    () => sweep('aws'),
    () => sweep('fp'),
    (i, a, b) =>
      log(
        `sweep-vs-awscli pair ${i + 1}/${runs}: aws ${fmt(a / 1000, 's')}, fp-aws ${fmt(b / 1000, 's')}, ${fmt(a / b)}; ` +
          `CPU fp-aws ${fmt(seen.fp.at(-1).cpu.child, 's')}, proxy + portal ${fmt(seen.fp.at(-1).cpu.own, 's')}`
      )
  )
  await proxy.close()
  await portal.close()
  figures.push(
    figure({
      id: 'sweep-vs-awscli',
      title: `aws sso logout ÷ fp-aws sso logout, ${files} token files, through an HTTPS proxy (CONNECT) with AWS_CA_BUNDLE`,
      samples: ratios(ps),
      target: { op: '>=', value: 20 },
      note: `wall time of whole processes; ${aws.version.split(' ')[0]}; higher is better`
    })
  )
  const row = (label, xs) =>
    `| ${label} | ${fmt(median(xs.map((x) => x.ms)) / 1000, 's')} | ${fmt(Math.min(...xs.map((x) => x.ms)) / 1000, 's')}–${fmt(Math.max(...xs.map((x) => x.ms)) / 1000, 's')} | ${fmt(median(xs.map((x) => x.cpu.child)), 's')} | ${fmt(median(xs.map((x) => x.cpu.own)), 's')} | ${median(xs.map((x) => x.connects))} |`
  sections.push(
    [
      `**\`sso logout\` over ${files} token files through an HTTPS proxy** (CONNECT to ${PORTAL}:443, a local portal, a throwaway CA in AWS_CA_BUNDLE; whole processes, ${runs} pairs):`,
      '',
      '| tool | wall time (median) | range | its CPU (median) | proxy + portal CPU (median) | tunnels (CONNECTs) a run |',
      '|---|---|---|---|---|---|',
      row(`fp-aws sso logout (${DEFAULT_LOGOUT_CONCURRENCY} at a time)`, seen.fp),
      row(aws.version.split(' ')[0], seen.aws),
      '',
      `aws ÷ fp-aws: ${fmtFigure(figures.at(-1))}.`
    ].join('\n')
  )
}

// -------------------------------------------------------------------------------------
// sweep-concurrency
// -------------------------------------------------------------------------------------

/** A loopback server in a process of its own: every `POST /logout` answered 200, `latencyMs` late. */
const serverScript = (latencyMs) => `
const http = require('node:http')
const answer = (res) => res.writeHead(200, { 'content-type': 'application/json', 'content-length': '0' }).end()
const server = http.createServer({ keepAlive: true }, (req, res) => {
  req.resume()
  req.on('end', () => (${latencyMs} > 0 ? setTimeout(answer, ${latencyMs}, res) : answer(res)))
})
server.keepAliveTimeout = 120000
server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: server.address().port }) + '\\n'))
process.stdin.on('end', () => process.exit(0))
process.stdin.resume()
`

const startServer = (latencyMs) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', serverScript(latencyMs)], { stdio: ['pipe', 'pipe', 'inherit'] })
    child.once('error', reject)
    child.stdout.once('data', (d) =>
      resolve({ url: `http://127.0.0.1:${JSON.parse(String(d)).port}`, stop: () => child.stdin.end() })
    )
  })

const concurrency = async (latencyMs) => {
  const server = await startServer(latencyMs)
  const seen = { wide: [], one: [] }
  /** One `logoutAll` over a fresh cache (ms); every file must be logged out and gone. */
  const sweep = async (width, n = files, warmUp = false) => {
    const h = freshHome(REGION)
    if (n < files) for (const name of fs.readdirSync(h.cache).slice(n)) fs.rmSync(path.join(h.cache, name))
    // one Env for the sweep, as `fp-aws sso logout` has: one HTTP client, one retry quota
    const base = newEnv({ endpoint: server.url })
    const t0 = performance.now()
    const r = await logoutAll({ homedir: h.home, envForRegion: (region) => ({ ...base, region }), concurrency: width })()
    const ms = performance.now() - t0
    const ok = r.errors.length === 0 && r.invalidated.filter((i) => i.outcome === 'LoggedOut').length === n && left(h) === 0
    if (!ok) throw new Error(`logoutAll (concurrency ${width ?? 'default'}) did not log every session out: ${JSON.stringify(r.errors.slice(0, 3))}`)
    fs.rmSync(h.home, { recursive: true, force: true })
    if (!warmUp) seen[width === 1 ? 'one' : 'wide'].push(ms)
    return ms
  }
  if (!smoke) {
    await sweep(undefined, Math.min(files, 50), true)
    await sweep(1, Math.min(files, 50), true)
  }
  const id = latencyMs === 0 ? 'sweep-concurrency' : 'sweep-concurrency-latency'
  const ps = await pairs(
    runs,
    () => sweep(undefined),
    () => sweep(1),
    (i, a, b) => log(`${id} pair ${i + 1}/${runs}: default ${fmt(a, 'ms')}, 1 at a time ${fmt(b, 'ms')}, ${fmt(a / b)}`)
  )
  server.stop()
  const where = latencyMs === 0 ? 'a loopback server' : `a loopback server answering ${latencyMs} ms late`
  figures.push(
    figure({
      id,
      title: `logoutAll, ${files} token files, ${where}: concurrency ${DEFAULT_LOGOUT_CONCURRENCY} (the default) ÷ 1`,
      samples: ratios(ps),
      note: 'in-process logoutAll, no proxy; lower is better'
    })
  )
  return `| ${where} | ${fmt(median(seen.wide), 'ms')} | ${fmt(median(seen.one), 'ms')} | ${fmtFigure(figures.at(-1))} |`
}

// -------------------------------------------------------------------------------------
// sweep-failfast
// -------------------------------------------------------------------------------------

const closedPort = () =>
  new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const p = srv.address().port
      srv.close(() => resolve(p))
    })
  })

const failFast = async (id, endpoint, reason) => {
  const region = 'eu-west-1'
  const times = []
  /** One `fp-aws sso logout --json` over a fresh cache (ms): every file kept, each reported with the reason. */
  const sweep = async (n = files, warmUp = false) => {
    const h = freshHome(region)
    if (n < files) for (const name of fs.readdirSync(h.cache).slice(n)) fs.rmSync(path.join(h.cache, name))
    const r = await fpAws(['sso', 'logout', '--json'], { ...baseEnv(h), AWS_ENDPOINT_URL_SSO: endpoint })
    let report
    try {
      report = JSON.parse(r.out)
    } catch {
      throw new Error(`fp-aws sso logout printed no report (exit ${r.code}): ${r.err.slice(-500)}`)
    }
    const kept = report.kept.filter((k) => k.reason === 'EndpointUnreachable' || k.reason === 'InvalidationFailed')
    const told = report.errors.filter((e) => e.operation === 'invalidate' && e.message.includes(reason))
    const problems = [
      r.code === 1 ? undefined : `exit ${r.code ?? r.signal}, not 1`,
      left(h) === n ? undefined : `${n - left(h)} files removed`,
      kept.length === n ? undefined : `${kept.length} of ${n} files kept as unreachable`,
      told.length === n ? undefined : `${told.length} of ${n} errors name ${reason}`,
      report.invalidated.length === 0 ? undefined : `${report.invalidated.length} sessions invalidated`
    ].filter((p) => p !== undefined)
    if (problems.length > 0) throw new Error(`${id}: not a valid run: ${problems.join('; ')}`)
    fs.rmSync(h.home, { recursive: true, force: true })
    if (!warmUp) times.push(r.ms / 1000)
    return r.ms
  }
  if (!smoke) await sweep(Math.min(files, 10), true)
  for (let i = 0; i < runs; i++) log(`${id} run ${i + 1}/${runs}: ${fmt((await sweep()) / 1000, 's')}`)
  figures.push(
    figure({
      id,
      title: `fp-aws sso logout, ${files} token files of one region, its endpoint ${id === 'sweep-failfast' ? 'a closed port' : 'a host name that does not resolve'}: wall time`,
      samples: times,
      unit: 's',
      target: { op: '<=', value: 5 },
      note: `every session kept and reported (${reason}); whole process`
    })
  )
}

// -------------------------------------------------------------------------------------
// main
// -------------------------------------------------------------------------------------

log(`${files} token files, ${runs} ${runs === 1 ? 'run' : 'runs'}${smoke ? ' (smoke)' : ''}`)
const concurrencyRows = []
if (wanted('sweep-concurrency')) {
  concurrencyRows.push(await concurrency(0))
  concurrencyRows.push(await concurrency(5))
  sections.push(
    [
      `**\`logoutAll\` over ${files} token files, concurrency ${DEFAULT_LOGOUT_CONCURRENCY} (the default) against 1** (in-process, no proxy; ${runs} pairs):`,
      '',
      `| server | concurrency ${DEFAULT_LOGOUT_CONCURRENCY} (median) | concurrency 1 (median) | ratio |`,
      '|---|---|---|---|',
      ...concurrencyRows
    ].join('\n')
  )
}
if (wanted('sweep-vs-awscli')) await versusAwsCli()
if (wanted('sweep-failfast')) {
  await failFast('sweep-failfast', `http://127.0.0.1:${await closedPort()}`, 'ConnectionRefused')
  await failFast('sweep-failfast-dns', `https://${UNRESOLVABLE}`, 'DnsFailure')
  const ff = figures.filter((f) => f.id.startsWith('sweep-failfast'))
  sections.push(
    [
      `**An unreachable endpoint**: \`fp-aws sso logout\` over ${files} token files of one region (whole process, ${runs} runs); every file kept and reported:`,
      '',
      '| endpoint | wall time |',
      '|---|---|',
      ...ff.map((f) => `| ${f.id === 'sweep-failfast' ? 'a closed port on 127.0.0.1' : 'a host name that fails to resolve (no DNS query)'} | ${fmtFigure(f)} |`)
    ].join('\n')
  )
}
const seconds = (performance.now() - started) / 1000
log(`done in ${fmt(seconds, 's')}`)
emit('sweep', 'Logout sweep', figures, [...sections, `(This phase took ${fmt(seconds, 's')}.)`].join('\n\n'))
