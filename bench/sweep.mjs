// The logout sweep, timed: `logoutAll` over N token files (default 1000) against the
// benchmark's loopback server (`server.mjs`, its own process), with `concurrency` 16 and 1
// in paired runs (the order alternating from pair to pair), then the fail-fast case: every
// token of one region whose endpoint is a closed port, or a name that does not resolve.
// Only `logoutAll` is timed; the token files are written before each run. Uses the built
// ESM dist (`npm run build` first).
//
// With `--latency-ms N`, the server answers each call N ms late (a portal across a network),
// and holds as many calls as come.
//
//   node bench/sweep.mjs [--runs 5] [--files 1000] [--wide 16] [--latency-ms 0]
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { newEnv } from 'fp-aws'
import { logoutAll, tokenCacheDir } from 'fp-aws/auth/sso'

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i === -1 ? fallback : Number(process.argv[i + 1])
}
const runs = arg('runs', 5)
const files = arg('files', 1000)
const wide = arg('wide', 16)
const latencyMs = arg('latency-ms', 0)

/** A loopback server that answers every `POST /logout` with 200, `latencyMs` late. */
const lateServer = `
const http = require('node:http')
const server = http.createServer({ keepAlive: true }, (req, res) => {
  req.resume()
  req.on('end', () => setTimeout(() => res.writeHead(200, { 'content-length': '0' }).end(), ${latencyMs}))
})
server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: server.address().port }) + '\\n'))
process.stdin.on('end', () => process.exit(0))
process.stdin.resume()
`

const here = path.dirname(fileURLToPath(import.meta.url))
const server = spawn(process.execPath, latencyMs > 0 ? ['-e', lateServer] : [path.join(here, 'server.mjs')], {
  stdio: ['pipe', 'pipe', 'inherit']
})
const port = await new Promise((resolve, reject) => {
  server.once('error', reject)
  server.stdout.once('data', (d) => resolve(JSON.parse(String(d)).port))
})
const url = `http://127.0.0.1:${port}`

const home = (region) => {
  const h = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-sweep-'))
  const dir = tokenCacheDir(h)
  fs.mkdirSync(dir, { recursive: true })
  for (let i = 0; i < files; i++) {
    const token = {
      startUrl: 'https://x.awsapps.com/start',
      region,
      accessToken: `tok-${i}`,
      expiresAt: '2999-01-01T00:00:00Z'
    }
    fs.writeFileSync(path.join(dir, `${String(i).padStart(5, '0')}.json`), JSON.stringify(token))
  }
  return h
}

/** Times one sweep (ms); checks that every file got the outcome expected. */
const sweep = async (concurrency, region, endpoint, expect) => {
  const h = home(region)
  // one Env for the sweep, as `fp-aws sso logout` has: one HTTP client, one retry quota
  const base = newEnv({ endpoint })
  const t0 = performance.now()
  const r = await logoutAll({ homedir: h, envForRegion: (region) => ({ ...base, region }), concurrency })()
  const ms = performance.now() - t0
  fs.rmSync(h, { recursive: true, force: true })
  expect(r)
  return ms
}

const loggedOut = (r) => {
  if (r.errors.length !== 0 || r.invalidated.length !== files)
    throw new Error('the sweep did not log every session out')
}
const keptAll = (r) => {
  if (r.kept.length !== files || r.invalidated.length !== 0) throw new Error('the sweep did not keep every session')
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2
}
const show = (label, xs, unit = 'ms', digits = 0) =>
  console.log(
    `${label}: median ${median(xs).toFixed(digits)} ${unit} (range ${Math.min(...xs).toFixed(digits)}–${Math.max(
      ...xs
    ).toFixed(digits)}, ${xs.length} runs)`
  )

// a warm-up pair, not counted
await sweep(wide, 'us-east-1', url, loggedOut)
await sweep(1, 'us-east-1', url, loggedOut)

const a = []
const b = []
for (let i = 0; i < runs; i++) {
  if (i % 2 === 0) {
    a.push(await sweep(wide, 'us-east-1', url, loggedOut))
    b.push(await sweep(1, 'us-east-1', url, loggedOut))
  } else {
    b.push(await sweep(1, 'us-east-1', url, loggedOut))
    a.push(await sweep(wide, 'us-east-1', url, loggedOut))
  }
}
console.log(`logoutAll over ${files} token files, loopback server${latencyMs > 0 ? `, ${latencyMs} ms late` : ''}`)
show(`  concurrency ${wide}`, a)
show('  concurrency 1', b)
show(
  `  ratio ${wide} / 1 (pair by pair)`,
  a.map((x, i) => x / b[i]),
  '×',
  3
)

const closed = await new Promise((resolve, reject) => {
  const srv = net.createServer()
  srv.once('error', reject)
  srv.listen(0, '127.0.0.1', () => {
    const p = srv.address().port
    srv.close(() => resolve(p))
  })
})
const refused = []
const unresolved = []
for (let i = 0; i < runs; i++) {
  refused.push(await sweep(wide, 'eu-west-1', `http://127.0.0.1:${closed}`, keptAll))
  unresolved.push(await sweep(wide, 'eu-west-1', 'http://sso.fp-aws-bench.invalid', keptAll))
}
console.log(`fail-fast: ${files} token files of one region, its endpoint unreachable (default retry policy)`)
show('  closed port (ConnectionRefused)', refused)
show('  name that does not resolve (DnsFailure)', unresolved)

server.stdin.end()
