// Child processes and the loopback server, shared by bench/run.mjs and the core phases
// (bench/core/*.mjs). Every child has a time limit; the server listens on 127.0.0.1 only and
// exits when its parent closes its stdin.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** bench/ */
export const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** The repository. */
export const rootDir = path.resolve(benchDir, '..')

/** A made-up token: the loopback server never checks it, and no output ever shows it. */
export const TOKEN = 'bench-token-0123456789abcdef'

/** The token must never show, not even in an error message. */
export const scrub = (s) => String(s).split(TOKEN).join('<redacted>')

/** A logger for stderr: `[bench:phase] line`. */
export const logger = (name) => (line) => process.stderr.write(`[bench:${name}] ${scrub(line)}\n`)

/** Runs a node script to completion within `limitMs`; resolves its stdout, rejects on failure. */
export const node = (args, limitMs, { cwd = benchDir, stderr = 'pipe' } = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', stderr] })
    let out = ''
    let err = ''
    let killed = false
    child.stdout.on('data', (d) => (out += d))
    child.stderr?.on('data', (d) => (err += d))
    const timer = setTimeout(() => {
      killed = true
      child.kill('SIGKILL')
    }, limitMs)
    child.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) resolve(out)
      else {
        const why = killed ? `killed after its time limit of ${Math.round(limitMs / 1000)} s` : signal ?? `exit ${code}`
        const name = args.map((a) => path.basename(a)).join(' ')
        reject(new Error(`node ${scrub(name)} failed (${why})\n${scrub(err).slice(-2000)}`))
      }
    })
  })

/** The last line a child printed that is a JSON object. */
export const lastJson = (out) =>
  JSON.parse(
    out
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .pop() ?? 'null'
  )

/** Starts bench/server.mjs; resolves its URL and a `stop()`. */
export const startServer = () =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(benchDir, 'server.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] })
    let buf = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error('the loopback server did not start'))
    }, 10_000)
    child.stdout.on('data', (d) => {
      buf += d
      if (buf.includes('\n')) {
        clearTimeout(timer)
        const { port } = JSON.parse(buf.split('\n')[0])
        resolve({ url: `http://127.0.0.1:${port}`, stop: () => child.stdin.end() })
      }
    })
    child.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
  })

/** Runs `body(url)` with a loopback server up, and stops the server afterwards. */
export const withServer = async (body) => {
  const server = await startServer()
  try {
    return await body(server.url)
  } finally {
    server.stop()
  }
}

/** Runs a phase's `main()`: prints its stack (scrubbed) and exits 1 when it fails. */
export const runPhase = (main) =>
  main().then(
    () => process.exit(0),
    (e) => {
      process.stderr.write(`${scrub(e?.stack ?? e)}\n`)
      process.exit(1)
    }
  )
