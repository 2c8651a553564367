// Phase "api": paging and decoding, fp-aws against @aws-sdk/client-sso (and raw node:http,
// the floor), on a loopback server of its own (api-server.mjs, a separate process, so that
// serving does not share the clients' event loop).
//
//   node bench/phases/api.mjs [--runs N] [--smoke]
//
// Figures:
// - `listaccounts-10k`: the time to walk 10,000 accounts in 100 pages of 100 and read every
//   item, fp-aws's generated pager (`paginateListAccounts` of `fp-aws/sso`) ÷ the SDK's
//   `paginateListAccounts`; target ≤ 0.5.
// - `grc-64`: GetRoleCredentials calls a second with 64 in flight, fp-aws ÷ the SDK;
//   target ≥ 3.
// - the same two against raw node:http, and fp-aws's client CPU against the SDK's.
//
// Method, to keep the noise of a shared machine out of the ratios: each pair starts fresh
// processes for fp-aws, the SDK and raw node:http at once (`api-client.mjs`); each warms up
// (JIT, sockets) and then waits. The phase then runs their measured rounds one process at a
// time, finely interleaved, the order reversed every round (A B C, C B A, …) so that a slow
// drift of the machine's load weighs on every client alike; the clients that wait are blocked
// on stdin and use no CPU. A pair's value is the median of each client's rounds; the pairs
// alternate which client starts; the figure is the median of the pairs' ratios with their
// range. Then `api-decode.mjs` times the decoding stages in one process, with no network.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { emit, figure, fmtFigure, fmtTarget, median, phaseArgs } from '../lib/paired.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const bench = path.resolve(here, '..')
const { smoke, runs } = phaseArgs()
const started = performance.now()

/** A made-up token: the server never checks it, and no output ever shows it. */
const TOKEN = 'bench-token-0123456789abcdef'
const ACCOUNTS = smoke ? 1_000 : 10_000
/** The characters of every accountId of the walk (12 digits each): each walk is checked against it. */
const EXPECT = ACCOUNTS * 12

// warm-ups long enough for every client's CPU a call to settle (fp-aws's takes some 30 walks)
const LIST = { warmup: smoke ? 1 : 30, walks: 1, rounds: smoke ? 2 : 16 }
const GRC = { inflight: 64, warmupCalls: smoke ? 200 : 10_000, calls: smoke ? 200 : 2_000, rounds: smoke ? 2 : 6 }
const IMPLS = ['fp-aws', 'sdk', 'raw']
const LIMIT_MS = smoke ? 60_000 : 120_000

const log = (line) => process.stderr.write(`[bench:api] ${line}\n`)
const scrub = (s) => String(s).split(TOKEN).join('<redacted>')

/** Reads a child's stdout line by line, as JSON. */
const lines = (child, onLine) => {
  let buf = ''
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (d) => {
    buf += d
    let i
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i)
      buf = buf.slice(i + 1)
      if (line.startsWith('{')) onLine(JSON.parse(line))
    }
  })
}

const startServer = () =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(bench, 'api-server.mjs'), String(ACCOUNTS)], {
      stdio: ['pipe', 'pipe', 'inherit']
    })
    const timer = setTimeout(() => reject(new Error('the loopback server did not start')), 10_000)
    lines(child, (m) => {
      clearTimeout(timer)
      resolve({ ...m, url: `http://127.0.0.1:${m.port}`, stop: () => child.stdin.end() })
    })
    child.on('error', reject)
  })

/**
 * A measured client process: `ready` once warm, `round()` runs one round and resolves its
 * value, `end()` resolves its summary. It is killed at the time limit.
 */
const client = (impl, scenario, options) => {
  const child = spawn(process.execPath, [path.join(bench, 'api-client.mjs'), impl, scenario, JSON.stringify(options)], {
    cwd: bench,
    stdio: ['pipe', 'pipe', 'pipe']
  })
  let err = ''
  child.stderr.on('data', (d) => (err += d))
  const timer = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS)
  const waiting = []
  let failed
  const fail = (e) => {
    failed = e
    for (const w of waiting.splice(0)) w.reject(e)
  }
  lines(child, (m) => waiting.shift()?.resolve(m))
  child.on('error', fail)
  child.on('exit', (code, signal) => {
    clearTimeout(timer)
    if (code !== 0)
      fail(new Error(`${impl} ${scenario} failed (${signal ?? `exit ${code}`})\n${scrub(err).slice(-2000)}`))
  })
  const next = () =>
    new Promise((resolve, reject) => (failed !== undefined ? reject(failed) : waiting.push({ resolve, reject })))
  const ready = next()
  return {
    impl,
    ready,
    round: () => {
      const v = next()
      child.stdin.write('go\n')
      return v.then((m) => m.value)
    },
    end: () => {
      const v = next()
      child.stdin.end()
      return v
    }
  }
}

/** One pair: fresh processes for every client, warmed up together, then measured in turn. */
const pair = async (index, scenario, options, rounds) => {
  // the pairs alternate which client starts
  const order = index % 2 === 0 ? IMPLS : [IMPLS[1], IMPLS[0], ...IMPLS.slice(2)]
  const clients = order.map((impl) => client(impl, scenario, options))
  await Promise.all(clients.map((c) => c.ready))
  const values = Object.fromEntries(IMPLS.map((i) => [i, []]))
  for (let r = 0; r < rounds; r++) {
    for (const c of r % 2 === 0 ? clients : [...clients].reverse()) values[c.impl].push(await c.round())
  }
  const ends = await Promise.all(clients.map((c) => c.end()))
  const cpu = Object.fromEntries(ends.map((e) => [e.impl, e.cpuUsPerUnit]))
  return Object.fromEntries(IMPLS.map((i) => [i, { value: median(values[i]), cpu: cpu[i] }]))
}

const decodeBreakdown = () =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(bench, 'api-decode.mjs'), ...(smoke ? ['--smoke'] : [])], {
      cwd: bench,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let err = ''
    child.stderr.on('data', (d) => (err += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS)
    let result
    lines(child, (m) => (result = m))
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (code === 0 && result !== undefined) resolve(result.stages)
      else reject(new Error(`api-decode failed (${signal ?? `exit ${code}`})\n${scrub(err).slice(-2000)}`))
    })
  })

const server = await startServer()
let list
let grc
let stages
try {
  const base = { url: server.url, token: TOKEN }
  list = []
  for (let i = 0; i < runs; i++) {
    const p = await pair(i, 'list', { ...base, ...LIST, expect: EXPECT }, LIST.rounds)
    list.push(p)
    log(
      `listaccounts pair ${i + 1}/${runs}: fp-aws ${p['fp-aws'].value.toFixed(1)} ms, sdk ${p.sdk.value.toFixed(
        1
      )} ms, raw ${p.raw.value.toFixed(1)} ms`
    )
  }
  grc = []
  for (let i = 0; i < runs; i++) {
    const p = await pair(i, 'grc', { ...base, ...GRC }, GRC.rounds)
    grc.push(p)
    log(
      `grc-64 pair ${i + 1}/${runs}: fp-aws ${p['fp-aws'].value.toFixed(0)}/s, sdk ${p.sdk.value.toFixed(
        0
      )}/s, raw ${p.raw.value.toFixed(0)}/s`
    )
  }
  log('decode breakdown')
  stages = await decodeBreakdown()
} finally {
  server.stop()
}

const col = (ps, impl, key = 'value') => ps.map((p) => p[impl][key])
const ratio = (ps, a, b, key = 'value') => ps.map((p) => p[a][key] / p[b][key])

const pages = ACCOUNTS / 100
// the clients count the CPU of a list round by walks: per page here
for (const p of list) for (const i of IMPLS) p[i].cpu = p[i].cpu / pages
const figures = [
  figure({
    id: 'listaccounts-10k',
    title: `ListAccounts, ${ACCOUNTS.toLocaleString('en-US')} accounts in ${pages} pages: fp-aws ÷ SDK time`,
    samples: ratio(list, 'fp-aws', 'sdk'),
    target: { op: '<=', value: 0.5 }
  }),
  figure({
    id: 'grc-64',
    title: 'GetRoleCredentials at 64 in flight: fp-aws ÷ SDK throughput',
    samples: ratio(grc, 'fp-aws', 'sdk'),
    target: { op: '>=', value: 3 }
  }),
  figure({
    id: 'listaccounts-10k-raw',
    title: `ListAccounts, ${ACCOUNTS.toLocaleString(
      'en-US'
    )} accounts: fp-aws ÷ raw node:http time (the floor: JSON.parse, no validation)`,
    samples: ratio(list, 'fp-aws', 'raw')
  }),
  figure({
    id: 'grc-64-raw',
    title: 'GetRoleCredentials at 64 in flight: fp-aws ÷ raw node:http throughput',
    samples: ratio(grc, 'fp-aws', 'raw')
  }),
  figure({
    id: 'listaccounts-10k-cpu',
    title: `ListAccounts, ${ACCOUNTS.toLocaleString('en-US')} accounts: client CPU a page, fp-aws ÷ SDK`,
    samples: ratio(list, 'fp-aws', 'sdk', 'cpu')
  }),
  figure({
    id: 'grc-64-cpu',
    title: 'GetRoleCredentials at 64 in flight: client CPU a call, fp-aws ÷ SDK',
    samples: ratio(grc, 'fp-aws', 'sdk', 'cpu')
  })
]

const us = (x) => (x === undefined ? '–' : x < 1 ? x.toFixed(3) : x < 10 ? x.toFixed(2) : x.toFixed(1))
const row = (label, ps, impl, unit, digits) => {
  const v = col(ps, impl)
  return `| ${label} | ${median(v).toFixed(digits)} ${unit} (${Math.min(...v).toFixed(digits)}–${Math.max(...v).toFixed(
    digits
  )}) | ${median(col(ps, impl, 'cpu')).toFixed(1)} µs |`
}
const markdown = [
  '## Paging and decoding',
  '',
  `Against \`api-server.mjs\` (a separate process on 127.0.0.1; pages of ${server.pageBytes.toLocaleString(
    'en-US'
  )} bytes, a credentials answer of ${server.credentialBytes} bytes). ` +
    `${runs} pair${
      runs === 1 ? '' : 's'
    }; in each, fresh processes for the three clients, warmed up together, then measured in turn, ` +
    `the rounds interleaved (A B C, C B A, …): ListAccounts ${LIST.rounds} rounds of ${LIST.walks} walk${
      LIST.walks === 1 ? '' : 's'
    } after ${LIST.warmup}, ` +
    `GetRoleCredentials ${GRC.rounds} rounds of ${GRC.calls.toLocaleString(
      'en-US'
    )} calls after ${GRC.warmupCalls.toLocaleString('en-US')}. ` +
    'A pair compares the medians of its rounds; figures are the median of the pairs with their range.',
  '',
  '| figure | median (range, pairs) | target | verdict |',
  '|---|---|---|---|',
  ...figures.map((f) => `| ${f.title} | ${fmtFigure(f)} | ${fmtTarget(f.target)} | ${f.verdict || '–'} |`),
  '',
  `| ListAccounts, ${ACCOUNTS.toLocaleString('en-US')} accounts | time a walk, median (range) | client CPU a page |`,
  '|---|---:|---:|',
  row('fp-aws (`paginateListAccounts`)', list, 'fp-aws', 'ms', 1),
  row('@aws-sdk/client-sso (`paginateListAccounts`)', list, 'sdk', 'ms', 1),
  row('raw node:http + JSON.parse', list, 'raw', 'ms', 1),
  '',
  '| GetRoleCredentials, 64 in flight | calls/s, median (range) | client CPU a call |',
  '|---|---:|---:|',
  row('fp-aws', grc, 'fp-aws', '/s', 0),
  row('@aws-sdk/client-sso', grc, 'sdk', '/s', 0),
  row('raw node:http + JSON.parse', grc, 'raw', '/s', 0),
  '',
  '### Where the decoding time goes',
  '',
  'µs, one process, no network (`api-decode.mjs`); the median of rounds. "Whole call" gives each client a canned',
  'response (fp-aws an `HttpClient`, the SDK a `requestHandler`): everything a call does but the network.',
  '',
  '| stage | fp-aws | SDK |',
  '|---|---:|---:|',
  ...Object.entries(stages).map(([name, v]) => `| ${name} | ${us(v.fp)} | ${us(v.sdk)} |`),
  ''
].join('\n')

log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`)
emit('api', 'Paging and decoding', figures, markdown)
