import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { build } from 'esbuild'
import { DEMO_TOKEN } from '../../src/emulator/index.js'

// The real executable, in a real process: src/cli/bin.ts bundled with esbuild.
const root = path.resolve(__dirname, '..', '..')
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-bin-'))
const bin = path.join(dir, 'bin.cjs')

beforeAll(async () => {
  await build({
    entryPoints: [path.join(root, 'src', 'cli', 'bin.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: bin,
    logLevel: 'silent'
  })
}, 30_000)
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

interface Run {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

interface RunOptions {
  readonly onStdout?: (all: string, kill: (s: NodeJS.Signals) => void) => void
  /** Close the reading end of the stdout pipe at once, before the child writes anything. */
  readonly closeStdout?: boolean
  /** A file descriptor for the child's stdout instead of a pipe. */
  readonly stdoutFd?: number
  readonly env?: NodeJS.ProcessEnv
}

const run = (args: ReadonlyArray<string>, options: RunOptions = {}): Promise<Run> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      stdio: ['ignore', options.stdoutFd ?? 'pipe', 'pipe'],
      ...(options.env === undefined ? {} : { env: options.env })
    })
    let stdout = ''
    let stderr = ''
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    if (options.closeStdout === true) child.stdout?.destroy()
    else
      child.stdout?.on('data', (c: Buffer) => {
        stdout += c.toString('utf8')
        options.onStdout?.(stdout, (s) => child.kill(s))
      })
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString('utf8')))
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })

describe('bin', () => {
  it('starts the emulator, serves the printed URL, and exits 0 on SIGINT and on SIGTERM', async () => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      let status: number | undefined
      let asked = false
      const r = await run(['sso', 'emulator', '--port', '0'], {
        onStdout: (all, kill) => {
        const m = /listening on (http:\/\/\S+)/.exec(all)
        if (m?.[1] === undefined || asked || !all.includes('Ctrl-C')) return
        asked = true
        void fetch(`${m[1]}/assignment/accounts`, { headers: { 'x-amz-sso_bearer_token': DEMO_TOKEN } })
          .then((res) => (status = res.status))
          .finally(() => kill(sig))
        }
      })
      expect(status).toBe(200)
      expect(r).toMatchObject({ code: 0, signal: null })
      expect(r.stderr).toContain(sig)
    }
  }, 30_000)

  it('exits 2 on an unknown option (one line on stderr) and 0 on --help', async () => {
    const bad = await run(['sso', 'emulator', '--nope'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toBe("fp-aws: unknown option --nope. Run 'fp-aws sso emulator --help' for usage.\n")
    const help = await run(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Usage: fp-aws')
  }, 30_000)

  it('stdout closed by its reader (EPIPE): stops quietly, closes the emulator, exits with its code', async () => {
    const home = fs.mkdtempSync(path.join(dir, 'home-'))
    const cases: ReadonlyArray<readonly [ReadonlyArray<string>, number]> = [
      [['sso', 'emulator', '--port', '0'], 0],
      [['--help'], 0],
      [['sso', 'logout', '--dry-run'], 0],
      [['sso', 'logout', '--json'], 0]
    ]
    for (const [args, code] of cases) {
      const r = await run(args, { closeStdout: true, env: { ...process.env, HOME: home } })
      expect(r, args.join(' ')).toEqual({ code, signal: null, stdout: '', stderr: '' })
    }
  }, 30_000)

  it.skipIf(!fs.existsSync('/dev/full'))(
    'another write error (ENOSPC on /dev/full): reported on stderr, exit 1, the emulator closed; a report that cannot be written is not a success',
    async () => {
      const full = fs.openSync('/dev/full', 'w')
      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-bin-home-'))
      const env = { PATH: process.env['PATH'], HOME: home }
      try {
        const cases = [['sso', 'emulator', '--port', '0'], ['--help'], ['sso', 'logout', '--dry-run'], ['sso', 'logout', '--json'], ['--version']]
        for (const args of cases) {
          const r = await run(args, { stdoutFd: full, env })
          expect(r, args.join(' ')).toEqual({
            code: 1,
            signal: null,
            stdout: '',
            stderr: 'fp-aws: cannot write to standard output (ENOSPC)\n'
          })
        }
      } finally {
        fs.closeSync(full)
        fs.rmSync(home, { recursive: true, force: true })
      }
    },
    30_000
  )
})
