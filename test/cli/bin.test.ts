import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { build } from 'esbuild'
import { DEMO_TOKEN } from '../../src/sso/emulator/index.js'

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

const run = (args: ReadonlyArray<string>, onStdout?: (all: string, kill: (s: NodeJS.Signals) => void) => void): Promise<Run> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8')
      onStdout?.(stdout, (s) => child.kill(s))
    })
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')))
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
      const r = await run(['sso', 'emulator', '--port', '0'], (all, kill) => {
        const m = /listening on (http:\/\/\S+)/.exec(all)
        if (m?.[1] === undefined || asked || !all.includes('Ctrl-C')) return
        asked = true
        void fetch(`${m[1]}/assignment/accounts`, { headers: { 'x-amz-sso_bearer_token': DEMO_TOKEN } })
          .then((res) => (status = res.status))
          .finally(() => kill(sig))
      })
      expect(status).toBe(200)
      expect(r).toMatchObject({ code: 0, signal: null })
      expect(r.stderr).toContain(sig)
    }
  }, 30_000)

  it('exits 2 on an unknown flag and 0 on --help', async () => {
    const bad = await run(['sso', 'emulator', '--nope'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('unknown flag --nope')
    const help = await run(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Usage: fp-aws')
  }, 30_000)
})
