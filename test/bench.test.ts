/**
 * Keeps `npm run bench` from rotting: runs it with tiny counts (`--smoke`) against its own
 * loopback server and checks that it completes and that its report has every row. No
 * timing is asserted. dist/ is rebuilt first when it is missing or older than src/.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const repo = path.resolve(__dirname, '..')
const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
let work: string | undefined

afterAll(async () => {
  if (work !== undefined) await rm(work, { recursive: true, force: true })
})

const newest = async (dir: string): Promise<number> => {
  let t = 0
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    t = Math.max(t, e.isDirectory() ? await newest(p) : (await stat(p)).mtimeMs)
  }
  return t
}

/** Whether dist/ is at least as new as every source file. */
const distIsFresh = async (): Promise<boolean> => {
  try {
    const built = (await stat(path.join(repo, 'dist', 'esm', 'index.js'))).mtimeMs
    return built >= (await newest(path.join(repo, 'src')))
  } catch {
    return false
  }
}

const run = (args: ReadonlyArray<string>): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(process.execPath, [...args], { cwd: repo, timeout: 55_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout: String(stdout), stderr: String(stderr) })
    )
  })

describe('npm run bench (smoke)', () => {
  it('runs every phase with tiny counts and reports every row', async () => {
    work = await mkdtemp(path.join(tmpdir(), 'fp-aws-bench-'))
    const out = path.join(work, 'RESULTS.md')
    const args = [path.join(repo, 'bench', 'run.mjs'), '--smoke', '--out', out]
    if (await distIsFresh()) args.push('--no-build')
    const r = await run(args)
    expect(r.code, r.stderr.slice(-3000)).toBe(0)
    const md = await readFile(out, 'utf8')

    expect(md).toMatch(/^- date: \d{4}-\d\d-\d\dT/m)
    expect(md).toMatch(/^- Node v\d+\.\d+\.\d+ on .*, \d+ cores/m)
    for (const target of [
      'throughput at 64 in flight',
      'throughput at 1 in flight',
      'client CPU per call, 1 in flight',
      'client CPU per call, 64 in flight',
      'time to first Logout, ESM',
      'time to first Logout, CJS',
      'browser bundle, min + gzip',
      'node bundle, min',
      'RSS after 300 sequential calls',
      'browser bundle without Node built-ins'
    ])
      expect(md).toMatch(new RegExp(`^\\| ${esc(target)}[^|]* \\| [^|]+ \\| [^|]+ \\| (met|\\*\\*not met\\*\\*) \\|$`, 'm'))
    for (const client of ['fp-aws (dist)', '@aws-sdk/client-sso', 'plain axios', 'raw node:http'].map(esc))
      for (const inflight of [1, 64]) expect(md).toMatch(new RegExp(`^\\| ${client} \\| ${inflight} \\| [\\d,]+ \\|`, 'm'))
    for (const client of ['fp-aws (dist)', '@aws-sdk/client-sso', 'raw node:http'].map(esc))
      expect(md).toMatch(new RegExp(`^\\| ${client} \\| 300 \\| [\\d.]+ \\|`, 'm'))
    for (const entry of ['fp-aws, Logout-only, ESM', '@aws-sdk/client-sso, ESM', 'fp-aws, Logout-only, CJS', '@aws-sdk/client-sso, CJS'])
      expect(md).toMatch(new RegExp(`^\\| ${esc(entry)} \\| [\\d.]+ \\|`, 'm'))
    for (const bundle of ['fp-aws, browser', '@aws-sdk/client-sso, browser', 'fp-aws, node', '@aws-sdk/client-sso, node'])
      expect(md).toMatch(new RegExp(`^\\| ${esc(bundle)} \\| [\\d.]+ \\| [\\d.]+ \\|`, 'm'))
    expect(md).toContain('Node built-in imports [], Node-only modules [].')

    // the benchmark's made-up token never shows
    for (const text of [md, r.stdout, r.stderr]) expect(text).not.toContain('bench-token-')
  }, 60_000)
})
