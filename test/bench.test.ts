/**
 * Keeps `npm run bench` from rotting: runs it with tiny counts (`--smoke`), every phase
 * (the core ones and each bench/phases/*.mjs found), and checks that it completes and that
 * its report has every figure, each with its row. No timing is asserted. dist/ is rebuilt first when it is missing or older than src/.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
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
    execFile(
      process.execPath,
      [...args],
      { cwd: repo, timeout: 90_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1,
          stdout: String(stdout),
          stderr: String(stderr)
        })
    )
  })

/** The phases `npm run bench` runs: the core ones, then every bench/phases/*.mjs, sorted. */
const phaseNames = async (): Promise<ReadonlyArray<string>> => {
  const found = await readdir(path.join(repo, 'bench', 'phases')).catch(() => [] as Array<string>)
  return [
    'throughput',
    'memory',
    'startup',
    'bundles',
    ...found
      .filter((f) => f.endsWith('.mjs'))
      .map((f) => f.slice(0, -4))
      .sort()
  ]
}

interface Figure {
  readonly id: string
  readonly title: string
  readonly median: number
  readonly min: number
  readonly max: number
  readonly n: number
  readonly samples: ReadonlyArray<number>
  readonly target?: { readonly op: string; readonly value: number }
  readonly verdict: string
}

describe('npm run bench (smoke)', () => {
  it('runs every phase with tiny counts and reports every figure', async () => {
    work = await mkdtemp(path.join(tmpdir(), 'fp-aws-bench-'))
    const out = path.join(work, 'RESULTS.md')
    const args = [path.join(repo, 'bench', 'run.mjs'), '--smoke', '--out', out]
    if (await distIsFresh()) args.push('--no-build')
    const r = await run(args)
    expect(r.code, r.stderr.slice(-3000)).toBe(0)
    const md = await readFile(out, 'utf8')
    const json = JSON.parse(await readFile(path.join(work, 'results.json'), 'utf8')) as {
      readonly smoke: boolean
      readonly machine: { readonly cores: number; readonly loadavgBefore: ReadonlyArray<number> }
      readonly phases: ReadonlyArray<{ readonly phase: string; readonly error?: string }>
      readonly figures: ReadonlyArray<Figure>
    }

    expect(md).toMatch(/^- date: \d{4}-\d\d-\d\dT/m)
    expect(md).toMatch(/^- Node v\d+\.\d+\.\d+ on .*, \d+ cores/m)
    expect(md).toMatch(
      /^- load average \(1 \/ 5 \/ 15 min\): [\d.]+ \/ [\d.]+ \/ [\d.]+ before, [\d.]+ \/ [\d.]+ \/ [\d.]+ after$/m
    )
    expect(md).toMatch(/^- whole benchmark: \d+ s$/m)
    expect(md).toContain('## Reproduces the quoted figures')
    expect(json.smoke).toBe(true)
    expect(json.machine.loadavgBefore).toHaveLength(3)

    // every phase ran, none failed, in the driver's order
    expect(json.phases.map((p) => p.phase)).toEqual(await phaseNames())
    for (const p of json.phases) expect(p.error, p.phase).toBeUndefined()

    // the core figures, each with its target
    const targets: Record<string, string> = {
      'throughput-64': '≥ 3×',
      'throughput-1': '≥ 2×',
      'cpu-1': '≤ 0.4×',
      'cpu-64': '≤ 0.4×',
      rss: '≤ 1×',
      'first-logout-root-esm': '≤ 0.6×',
      'first-logout-root-cjs': '≤ 0.6×',
      'bundle-browser-gzip': '≤ 0.5×',
      'bundle-node-min': '≤ 1×',
      'bundle-browser-node-free': '≤ 0 modules'
    }
    const reported = ['first-logout-esm', 'first-logout-cjs', 'first-logout-raw-esm', 'first-logout-raw-cjs']
    for (const n of [1, 64])
      reported.push(`throughput-${n}-vs-raw`, `cpu-${n}-vs-raw`, `throughput-${n}-axios`, `throughput-${n}-raw`)
    const ids = json.figures.map((f) => f.id)
    for (const id of [...Object.keys(targets), ...reported]) expect(ids).toContain(id)
    expect(new Set(ids).size).toBe(ids.length)

    // every figure, of every phase, has its row: in the targets table with its verdict, or among the others
    for (const f of json.figures) {
      expect(f.samples.length, f.id).toBe(f.n)
      expect(f.min, f.id).toBeLessThanOrEqual(f.median)
      expect(f.median, f.id).toBeLessThanOrEqual(f.max)
      const cell = `${esc(f.title)} \\(\`${esc(f.id)}\`\\)`
      if (f.target === undefined)
        expect(md).toMatch(new RegExp(`^\\| ${cell} \\| [^|]+ \\| [^|]+ \\| \\d+[^|]* \\|$`, 'm'))
      else {
        if (targets[f.id] !== undefined) expect(md).toContain(`| ${targets[f.id]} |`)
        expect(md).toMatch(
          new RegExp(
            `^\\| ${cell} \\| [≤≥] [^|]+ \\| [^|]+ \\| [^|]+ \\| \\d+[^|]* \\| (met|\\*\\*not met\\*\\*) \\|$`,
            'm'
          )
        )
        // a figure not met gets its section, with its note or "(no note)"
        if (f.verdict !== 'met') expect(md).toContain(`### ${f.title} (\`${f.id}\`)`)
      }
    }

    // the core phases' tables
    for (const client of ['fp-aws (dist)', '@aws-sdk/client-sso', 'plain axios', 'raw node:http'].map(esc))
      for (const inflight of [1, 64])
        expect(md).toMatch(new RegExp(`^\\| ${client} \\| ${inflight} \\| [\\d,]+ \\(`, 'm'))
    expect(md).toContain('## Memory after 300 sequential calls')
    for (const entry of [
      '`fp-aws` + `fp-aws/sso`, ESM',
      '`fp-aws` + `fp-aws/sso`, CJS',
      'Logout-only modules, ESM',
      'raw `node:http` (the floor), CJS'
    ])
      expect(md).toMatch(new RegExp(`^\\| ${esc(entry)} \\| [\\d.]+ \\(`, 'm'))
    for (const bundle of [
      'fp-aws, browser',
      '@aws-sdk/client-sso, browser',
      'fp-aws, node',
      '@aws-sdk/client-sso, node'
    ])
      expect(md).toMatch(new RegExp(`^\\| ${esc(bundle)} \\| [\\d.]+ \\| [\\d.]+ \\|`, 'm'))
    expect(md).toContain('Node built-in imports [], Node-only modules [].')

    // the benchmark's made-up token never shows
    for (const text of [md, r.stdout, r.stderr]) expect(text).not.toContain('bench-token-')
  }, 100_000)

  it('compares each figure with the committed results, and fails with --check when one is outside', async () => {
    work ??= await mkdtemp(path.join(tmpdir(), 'fp-aws-bench-'))
    const dir = await mkdtemp(path.join(work, 'check-'))
    const against = path.join(dir, 'quoted.json')
    const quoted = (id: string, min: number, max: number) => ({
      id,
      title: id,
      unit: '×',
      median: (min + max) / 2,
      min,
      max,
      n: 5
    })
    await writeFile(
      against,
      JSON.stringify({ figures: [quoted('bundle-browser-gzip', 0.01, 0.02), quoted('bundle-node-min', 0, 10)] })
    )
    const args = [
      path.join(repo, 'bench', 'run.mjs'),
      '--smoke',
      '--phases',
      'bundles',
      '--out',
      path.join(dir, 'RESULTS.md'),
      '--against',
      against
    ]
    if (await distIsFresh()) args.push('--no-build')

    const report = await run(args)
    expect(report.code, report.stderr.slice(-3000)).toBe(0)
    const md = await readFile(path.join(dir, 'RESULTS.md'), 'utf8')
    expect(md).toMatch(
      /^\| Logout-only browser bundle, min \+ gzip, fp-aws ÷ SDK \(`bundle-browser-gzip`\) \| 0\.\d\d× \| 0\.01–0\.02 \| 0\.\d\d× \| \*\*no\*\* \|$/m
    )
    expect(md).toMatch(
      /^\| Logout-only Node bundle, min, fp-aws ÷ SDK \(`bundle-node-min`\) \| 5\.00× \| 0\.00–10\.00 \| 0\.\d\d× \| yes \|$/m
    )
    expect(report.stderr).toContain('outside the quoted range: bundle-browser-gzip')

    const check = await run([...args, '--check'])
    expect(check.code).toBe(1)
  }, 100_000)
})

interface Lib {
  readonly figure: (o: {
    id: string
    title: string
    samples: ReadonlyArray<number>
    target?: { op: string; value: number }
  }) => Figure
  readonly rounds: (
    runs: number,
    steps: ReadonlyArray<(i: number) => Promise<string>>
  ) => Promise<ReadonlyArray<ReadonlyArray<string>>>
  readonly pairs: (runs: number, a: () => Promise<string>, b: () => Promise<string>) => Promise<ReadonlyArray<unknown>>
}
interface Report {
  readonly reproduction: (
    quoted: { readonly figures: ReadonlyArray<Figure> } | null,
    figures: ReadonlyArray<Figure>
  ) => ReadonlyArray<{ readonly id: string; readonly within: boolean }>
  readonly replaceReadmeBlock: (readme: string, results: unknown) => string
}
const load = async <T>(file: string): Promise<T> =>
  (await import(pathToFileURL(path.join(repo, 'bench', 'lib', file)).href)) as T

describe('bench/lib: figures, order, reproduction', () => {
  it('a figure is met only when its whole range is on the target side', async () => {
    const { figure } = await load<Lib>('paired.mjs')
    const at = (samples: ReadonlyArray<number>, op: string, value: number): string =>
      figure({ id: 'x', title: 'x', samples, target: { op, value } }).verdict
    expect(at([2.5, 3.2, 3.4, 3.5, 3.6], '>=', 3)).toBe('not met') // median 3.4, range crosses 3
    expect(at([3, 3.2, 3.4], '>=', 3)).toBe('met')
    expect(at([0.3, 0.35, 0.41], '<=', 0.4)).toBe('not met') // median 0.35, range crosses 0.4
    expect(at([0.3, 0.35, 0.4], '<=', 0.4)).toBe('met')
    const f = figure({ id: 'x', title: 'x', samples: [3, 1, 2, 5] })
    expect([f.median, f.min, f.max, f.n, f.verdict]).toEqual([2.5, 1, 5, 4, ''])
  })

  it('pairs and rounds alternate which goes first', async () => {
    const { pairs, rounds } = await load<Lib>('paired.mjs')
    const order: Array<string> = []
    const step = (name: string) => () => {
      order.push(name)
      return Promise.resolve(name)
    }
    await pairs(4, step('A'), step('B'))
    expect(order.join('')).toBe('ABBAABBA')
    order.length = 0
    const rs = await rounds(3, [step('A'), step('B'), step('C')])
    expect(order.join('')).toBe('ABCCBAABC')
    for (const row of rs) expect(row).toEqual(['A', 'B', 'C'])
  })

  it('checks each new median against the quoted range, and rewrites only the README block', async () => {
    const { figure } = await load<Lib>('paired.mjs')
    const { reproduction, replaceReadmeBlock } = await load<Report>('report.mjs')
    const quoted = {
      figures: [figure({ id: 'a', title: 'a', samples: [1, 2, 3] }), figure({ id: 'b', title: 'b', samples: [1, 2] })]
    }
    const now = [
      figure({ id: 'a', title: 'a', samples: [2.9, 3, 3.1] }),
      figure({ id: 'b', title: 'b', samples: [2.5] }),
      figure({ id: 'c', title: 'c', samples: [9] })
    ]
    expect(reproduction(quoted, now)).toMatchObject([
      { id: 'a', within: true },
      { id: 'b', within: false }
    ])
    expect(reproduction(null, now)).toEqual([])

    const results = {
      date: '2026-01-02T03:04:05.000Z',
      machine: { node: 'v20.20.2', cores: 2, loadavgBefore: [1.5, 1, 1] },
      figures: [figure({ id: 'a', title: 'throughput', samples: [3.1, 3.5, 4], target: { op: '>=', value: 3 } })]
    }
    const readme = 'before\n<!-- bench:begin -->\nold table\n<!-- bench:end -->\nafter\n'
    const next = replaceReadmeBlock(readme, results)
    expect(next.startsWith('before\n<!-- bench:begin -->\n')).toBe(true)
    expect(next.endsWith('<!-- bench:end -->\nafter\n')).toBe(true)
    expect(next).not.toContain('old table')
    expect(next).toContain('| throughput | 3.50× | 3.10–4.00 | 3 | ≥ 3× | met |')
    expect(() => replaceReadmeBlock('no markers', results)).toThrow(/bench:begin/)
  })

  it('bench/merge.mjs puts the pairs of several runs together and takes each figure again', async () => {
    work ??= await mkdtemp(path.join(tmpdir(), 'fp-aws-bench-'))
    const machine = {
      node: 'v20',
      platform: 'linux',
      arch: 'x64',
      cores: 2,
      cpu: 'x',
      loadavgBefore: [1, 1, 1],
      loadavgAfter: [1, 1, 1]
    }
    const result = (date: string, samples: ReadonlyArray<number>, bundle: number): unknown => ({
      date,
      smoke: false,
      runs: samples.length,
      seconds: 10,
      machine,
      phases: [],
      figures: [
        { id: 'tp', title: 'throughput', unit: '×', target: { op: '>=', value: 3 }, samples, phase: 'throughput' },
        {
          id: 'size',
          title: 'bundle',
          unit: '×',
          target: { op: '<=', value: 0.5 },
          samples: [bundle],
          median: bundle,
          deterministic: true
        }
      ]
    })
    const a = path.join(work, 'a.json')
    const b = path.join(work, 'b.json')
    const out = path.join(work, 'merged.json')
    await writeFile(a, JSON.stringify(result('2026-01-01T00:00:00Z', [3.5, 3.6, 3.7], 0.4)))
    await writeFile(b, JSON.stringify(result('2026-01-02T00:00:00Z', [2.9, 3.4, 3.3], 0.4)))
    const ok = await run(['bench/merge.mjs', a, b, '--out', out])
    expect(ok.code).toBe(0)
    const merged = JSON.parse(await readFile(out, 'utf8')) as {
      readonly figures: ReadonlyArray<{
        readonly id: string
        readonly n: number
        readonly median: number
        readonly min: number
        readonly verdict: string
      }>
      readonly merged: ReadonlyArray<unknown>
    }
    const tp = merged.figures.find((f) => f.id === 'tp')
    // each run alone meets 3× only in the first; together the range crosses it
    expect(tp).toMatchObject({ n: 6, median: 3.45, min: 2.9, verdict: 'not met' })
    expect(merged.merged).toHaveLength(2)
    await writeFile(b, JSON.stringify(result('2026-01-02T00:00:00Z', [3.5], 0.41)))
    expect((await run(['bench/merge.mjs', a, b, '--out', out])).code).not.toBe(0)
  })

  it("README.md's figures table is the one bench/results.json gives", async () => {
    const { replaceReadmeBlock } = await load<Report>('report.mjs')
    const readme = await readFile(path.join(repo, 'README.md'), 'utf8')
    const results = JSON.parse(await readFile(path.join(repo, 'bench', 'results.json'), 'utf8')) as {
      readonly smoke: boolean
    }
    expect(results.smoke).toBe(false)
    // after `npm run bench`, run `node bench/readme.mjs` (or `npm run bench -- --readme`)
    expect(replaceReadmeBlock(readme, results)).toBe(readme)
  })
})
