// Builds dist/cjs (CommonJS) and dist/esm (native ESM), each with its .d.ts files, and
// marks each half with a package.json so Node (and TypeScript's NodeNext resolution)
// reads every .js/.d.ts file in the right module format.
//
// It then writes dist/node: for each module, an ESM file that loads the CommonJS build
// through `createRequire` and re-exports its names. The exports map gives it to Node's
// `import` under the `node-addons` condition, which Node sets and bundlers do not: Node 20
// then reads fp-ts, io-ts and monocle-ts through `require`, with no CommonJS translator
// (export scanning, resolution, format detection) per module, and every `import` and
// `require` of fp-aws shares one copy of each module. Bundlers keep dist/esm.
//
// `node scripts/build.mjs --out DIR` builds into DIR/dist instead (a private copy of the
// package, for tests that must not race a rebuild of the repository's dist/).
import { spawn } from 'node:child_process'
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildCli } from './build-cli.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const out = process.argv.indexOf('--out')
const dist = path.join(out === -1 ? root : path.resolve(process.argv[out + 1]), 'dist')
const tsc = createRequire(path.join(root, 'package.json')).resolve('typescript/bin/tsc')

const run = (project) =>
  new Promise((resolve, reject) => {
    const outDir = path.join(dist, project === 'tsconfig.cjs.json' ? 'cjs' : 'esm')
    const child = spawn(process.execPath, [tsc, '-p', project, '--outDir', outDir], { cwd: root, stdio: 'inherit' })
    child.on('error', reject)
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`tsc -p ${project} failed (${signal ?? `exit ${code}`})`))
    )
  })

await rm(dist, { recursive: true, force: true })
await Promise.all([run('tsconfig.cjs.json'), run('tsconfig.esm.json')])

for (const [dir, type] of [
  ['cjs', 'commonjs'],
  ['esm', 'module']
]) {
  await mkdir(path.join(dist, dir), { recursive: true })
  await writeFile(path.join(dist, dir, 'package.json'), JSON.stringify({ type }, null, 2) + '\n')
}

const require = createRequire(import.meta.url)
const identifier = /^[A-Za-z_$][\w$]*$/
const modules = async (dir) =>
  (await readdir(dir, { withFileTypes: true, recursive: true }))
    .filter((e) => e.isFile() && e.name.endsWith('.js'))
    .map((e) =>
      path
        .relative(dir, path.join(e.parentPath ?? e.path, e.name))
        .split(path.sep)
        .join('/')
    )
    // the CLI's bin runs on load, and only `require` reaches it
    .filter((m) => m !== 'cli/bin.js')
    .sort()

for (const m of await modules(path.join(dist, 'esm'))) {
  const cjs = path.join(dist, 'cjs', m)
  const names = Object.keys(require(cjs)).filter((n) => n !== '__esModule' && n !== 'default')
  const bad = names.filter((n) => !identifier.test(n))
  if (bad.length > 0) throw new Error(`dist/cjs/${m} exports names that are not identifiers: ${bad.join(', ')}`)
  const from = path.posix.relative(path.posix.dirname(`node/${m}`), `cjs/${m}`)
  const file = path.join(dist, 'node', m)
  await mkdir(path.dirname(file), { recursive: true })
  await writeFile(
    file,
    [
      `// Node's ESM entry for ${m}: the CommonJS build, under the same names (see scripts/build.mjs).`,
      `import { createRequire } from 'node:module'`,
      `const m = createRequire(import.meta.url)('${from}')`,
      ...(names.length > 0 ? [`export const { ${names.join(', ')} } = m`] : []),
      ''
    ].join('\n')
  )
}
await writeFile(path.join(dist, 'node', 'package.json'), JSON.stringify({ type: 'module' }, null, 2) + '\n')

// the executable: one bundled file in place of tsc's (see scripts/build-cli.mjs)
await buildCli(dist)

console.log('built dist/cjs, dist/esm and dist/node')
