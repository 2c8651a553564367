/**
 * Every ```ts block of README.md, of the docs' home page and of the guides (docs/index.md,
 * docs/guides/*.md) is a complete native
 * ESM program that runs as written against the package as users import it.
 *
 * Once for the whole file: src/ is built with the package's own build (scripts/build.mjs
 * `--out`) into a private copy of the package (`.tmp/snippets-…/node_modules/fp-aws`, with the repository's
 * package.json and so its `exports`), so `import … from 'fp-aws/sso'` resolves exactly as in
 * an installed package, without racing the other tests that rebuild dist/. Its
 * dependencies (fp-ts, …) resolve from the repository's node_modules. Each block is
 * written next to it as its own `.mts` file; one `tsc` run (NodeNext, strict) type-checks
 * and emits all of them, then each runs with `node` as native ESM, with a timeout, and must
 * exit 0. Blocks that need a server start the bundled emulator on 127.0.0.1 themselves.
 * Every failure names the block by file and line.
 */
import { execFile } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const repo = path.resolve(__dirname, '..')
const tsc = createRequire(path.join(repo, 'package.json')).resolve('typescript/bin/tsc')

/** A ```ts block: where it is (the line of its first code line) and its code. */
interface Block {
  readonly file: string
  readonly line: number
  readonly code: string
  readonly name: string
}

/** The ```ts blocks of a markdown file, by line (fences inside other fences are not a concern here). */
const extractBlocks = (file: string, text: string): ReadonlyArray<Block> => {
  const lines = text.split('\n')
  const blocks: Array<Block> = []
  let open: { readonly lang: string; readonly line: number; readonly body: Array<string> } | undefined
  lines.forEach((l, i) => {
    const fence = /^```\s*([\w-]*)\s*$/.exec(l)
    if (open === undefined) {
      if (fence !== null) open = { lang: fence[1] ?? '', line: i + 2, body: [] }
    } else if (/^```\s*$/.test(l)) {
      if (open.lang === 'ts' || open.lang === 'typescript') {
        const slug = file.replace(/[^A-Za-z0-9]+/g, '-')
        blocks.push({ file, line: open.line, code: open.body.join('\n') + '\n', name: `${slug}-L${open.line}` })
      }
      open = undefined
    } else open.body.push(l)
  })
  return blocks
}

interface Run {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

const run = (args: ReadonlyArray<string>, cwd: string, timeout: number, env?: NodeJS.ProcessEnv): Promise<Run> =>
  new Promise((resolve) => {
    execFile(process.execPath, [...args], { cwd, timeout, env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const e = error as (NodeJS.ErrnoException & { code?: unknown; signal?: NodeJS.Signals }) | null
      resolve({
        code: e === null ? 0 : typeof e.code === 'number' ? e.code : null,
        signal: e?.signal ?? null,
        stdout,
        stderr
      })
    })
  })

/** The environment the blocks run in: no AWS settings, no proxy, a home of their own. */
const blockEnv = (home: string): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (/^AWS_/i.test(k) || /_proxy$/i.test(k) || /^(NODE_OPTIONS|VITEST.*)$/.test(k)) continue
    env[k] = v
  }
  return { ...env, HOME: home, USERPROFILE: home }
}

const guides = (): ReadonlyArray<string> => {
  try {
    return readdirSync(path.join(repo, 'docs', 'guides'))
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f) => `docs/guides/${f}`)
  } catch {
    return []
  }
}

const blocks: ReadonlyArray<Block> = ['README.md', 'docs/index.md', ...guides()].flatMap((file) =>
  extractBlocks(file, readFileSync(path.join(repo, file), 'utf8'))
)

const RUN_TIMEOUT_MS = 20_000

let scratch: string
let typeErrors: ReadonlyArray<string> = []

beforeAll(async () => {
  await mkdir(path.join(repo, '.tmp'), { recursive: true })
  scratch = await mkdtemp(path.join(repo, '.tmp', 'snippets-'))
  const pkg = path.join(scratch, 'node_modules', 'fp-aws')
  await mkdir(pkg, { recursive: true })
  await copyFile(path.join(repo, 'package.json'), path.join(pkg, 'package.json'))
  const built = await run([path.join(repo, 'scripts', 'build.mjs'), '--out', pkg], repo, 180_000)
  if (built.code !== 0) throw new Error(`building the package failed:\n${built.stdout}${built.stderr}`)
  await mkdir(path.join(scratch, 'home'))
  // A package scope of its own: without it, `fp-aws` would resolve by self-reference to the
  // repository's dist/ (the enclosing package.json), not to the private copy.
  await writeFile(path.join(scratch, 'package.json'), '{ "name": "fp-aws-snippets", "private": true }\n')

  for (const b of blocks) await writeFile(path.join(scratch, `${b.name}.mts`), b.code)
  await writeFile(
    path.join(scratch, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022', 'DOM'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        esModuleInterop: true,
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [path.join(repo, 'node_modules', '@types')],
        noEmitOnError: false
      },
      files: blocks.map((b) => `${b.name}.mts`)
    })
  )
  // One run for every block; each `X.mts` is emitted as `X.mjs` beside it.
  const checked = await run([tsc, '-p', 'tsconfig.json', '--pretty', 'false'], scratch, 120_000)
  const byName = new Map(blocks.map((b) => [b.name, b]))
  typeErrors = `${checked.stdout}${checked.stderr}`
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const m = /^(.+?)\.mts\((\d+),(\d+)\): (.*)$/.exec(l)
      const b = m === null ? undefined : byName.get(m[1] as string)
      return b === undefined || m === null ? l : `${b.file}:${b.line + Number(m[2]) - 1}:${m[3]} ${m[4]}`
    })
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
  if (checked.code !== 0 && typeErrors.length === 0) typeErrors = [`tsc exited ${checked.code}`]
}, 240_000)

afterAll(async () => {
  if (scratch !== undefined) await rm(scratch, { recursive: true, force: true })
})

describe('README and guide code blocks', () => {
  it('finds the blocks', () => {
    expect(blocks.filter((b) => b.file === 'README.md').length).toBeGreaterThan(5)
  })

  it('type-check (tsc, NodeNext, strict), as written', () => {
    expect(typeErrors, typeErrors.join('\n')).toEqual([])
  })

  it.concurrent.each(blocks.map((b) => [`${b.file}:${b.line}`, b] as const))(
    '%s runs as native ESM and exits 0',
    async (where, b) => {
      const r = await run([`${b.name}.mjs`], scratch, RUN_TIMEOUT_MS, blockEnv(path.join(scratch, 'home')))
      const why = r.signal !== null ? `killed by ${r.signal} after ${RUN_TIMEOUT_MS} ms` : `exit ${r.code}`
      expect(r.code, `${where}: ${why}\n${r.stdout.trim()}\n${r.stderr.trim()}`).toBe(0)
    },
    RUN_TIMEOUT_MS + 10_000
  )
})
