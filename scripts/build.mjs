// Builds dist/cjs (CommonJS) and dist/esm (native ESM), each with its .d.ts files, and
// marks each half with a package.json so Node (and TypeScript's NodeNext resolution)
// reads every .js/.d.ts file in the right module format.
//
// It then writes dist/node, what Node runs: the exports map gives it to both `import` and
// `require` under the `node-addons` condition, which Node sets and bundlers do not (they
// keep dist/esm and dist/cjs). Start-up time is mostly loading many small modules (fp-ts,
// io-ts, monocle-ts and fp-aws's own), so dist/node holds them bundled by esbuild into two
// CommonJS files, fp-ts, io-ts and monocle-ts inlined from their ES builds:
// - main.cjs: every module that `fp-aws` and `fp-aws/sso` reach;
// - more.cjs: the others (auth/sso, sso-oidc, emulator, arbitrary), which reach the modules
//   of main.cjs through main.cjs.
// Each bundle's exports are its modules by path, each evaluated on first access, so a
// program pays only for the modules it uses (and for reading the bundle, which is minified
// but keeps its names, with a source map into dist/esm for --enable-source-maps). Per module,
// dist/node has an ESM file (`import`) and a .cjs file (`require`) that take the module
// from its bundle: every `import` and `require` of fp-aws, whichever entry, shares one
// instance of each module. The command line's modules (cli/*) stay on dist/cjs; its
// executable, dist/cjs/cli/bin.js, is a bundle of its own (scripts/build-cli.mjs).
//
// `node scripts/build.mjs --out DIR` builds into DIR/dist instead (a private copy of the
// package, for tests that must not race a rebuild of the repository's dist/).
import { spawn } from 'node:child_process'
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'
import { buildCli } from './build-cli.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const out = process.argv.indexOf('--out')
const dist = path.join(out === -1 ? root : path.resolve(process.argv[out + 1]), 'dist')
const tsc = createRequire(path.join(root, 'package.json')).resolve('typescript/bin/tsc')

/** esbuild's options for dist/node: fp-ts and monocle-ts from their ES builds, io-ts from its `module` field. */
const bundleOptions = {
  bundle: true,
  absWorkingDir: root,
  // the repository's node_modules, also for a build into another directory (--out)
  nodePaths: [path.join(root, 'node_modules')],
  platform: 'node',
  target: 'node20',
  mainFields: ['module', 'main'],
  alias: { 'fp-ts/lib': 'fp-ts/es6', 'monocle-ts/lib': 'monocle-ts/es6' },
  // from the user's node_modules, when a module that uses them is evaluated (axios: types only)
  external: ['axios', 'https-proxy-agent', 'proper-lockfile', 'fast-check'],
  // less text to parse at start-up (names stay, for stack traces), and a source map into dist/esm
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning'
}

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

/** The names a module exports, as its CommonJS build lists them. */
const namesOf = (m) => {
  const names = Object.keys(require(path.join(dist, 'cjs', m))).filter((n) => n !== '__esModule' && n !== 'default')
  const bad = names.filter((n) => !identifier.test(n))
  if (bad.length > 0) throw new Error(`dist/cjs/${m} exports names that are not identifiers: ${bad.join(', ')}`)
  return names
}

// The CLI keeps the plain CommonJS build (what `bin.js` runs); every other module is bundled.
const all = await modules(path.join(dist, 'esm'))
const bundled = all.filter((m) => !m.startsWith('cli/'))

// What `fp-aws` and `fp-aws/sso` reach goes into dist/node/main.cjs, the rest into more.cjs.
const reach = await esbuild.build({
  ...bundleOptions,
  entryPoints: ['index.js', 'services/sso/index.js'].map((m) => path.join(dist, 'esm', m)),
  format: 'esm',
  outdir: path.join(dist, 'node'),
  write: false,
  metafile: true
})
const esmDir = path.join(dist, 'esm')
const main = new Set(
  Object.keys(reach.metafile.inputs)
    .map((f) => path.relative(esmDir, path.resolve(root, f)).split(path.sep).join('/'))
    .filter((m) => !m.startsWith('..'))
)
const more = bundled.filter((m) => !main.has(m))

/** A CommonJS entry whose members load each module on first access, once. */
const registry = (mods) =>
  [
    'const modules = {}',
    'const lazy = (name, load) => {',
    '  let m',
    '  Object.defineProperty(modules, name, { enumerable: true, get: () => (m ??= load()) })',
    '}',
    ...mods.map((m) => `lazy(${JSON.stringify(m)}, () => require(${JSON.stringify(`./${m}`)}))`),
    'module.exports = modules',
    ''
  ].join('\n')

// more.cjs reaches the modules of main.cjs through main.cjs, so each module has one instance.
const throughMain = {
  name: 'through-main',
  setup(build) {
    build.onResolve({ filter: /^\./ }, (args) => {
      if (args.namespace === 'through-main') return { path: './main.cjs', external: true }
      if (args.importer === '' || !args.importer.startsWith(esmDir)) return undefined
      const m = path.relative(esmDir, path.resolve(path.dirname(args.importer), args.path)).split(path.sep).join('/')
      return main.has(m) ? { path: m, namespace: 'through-main' } : undefined
    })
    build.onLoad({ filter: /.*/, namespace: 'through-main' }, (args) => ({
      contents: `module.exports = require('./main.cjs')[${JSON.stringify(args.path)}]\n`,
      loader: 'js'
    }))
  }
}

for (const [file, mods, plugins] of [
  ['main.cjs', [...main].sort(), []],
  ['more.cjs', more, [throughMain]]
]) {
  await esbuild.build({
    ...bundleOptions,
    stdin: { contents: registry(mods), resolveDir: esmDir, sourcefile: `dist/node/${file}`, loader: 'js' },
    format: 'cjs',
    outfile: path.join(dist, 'node', file),
    plugins
  })
}

for (const m of all) {
  const names = namesOf(m)
  const exported = names.length > 0 ? [`export const { ${names.join(', ')} } = m`] : []
  const esm = path.join(dist, 'node', m)
  await mkdir(path.dirname(esm), { recursive: true })
  if (m.startsWith('cli/')) {
    const from = path.posix.relative(path.posix.dirname(`node/${m}`), `cjs/${m}`)
    await writeFile(
      esm,
      [
        `// Node's ESM entry for ${m}: the CommonJS build, under the same names (see scripts/build.mjs).`,
        `import { createRequire } from 'node:module'`,
        `const m = createRequire(import.meta.url)('${from}')`,
        ...exported,
        ''
      ].join('\n')
    )
    continue
  }
  const depth = m.split('/').length - 1
  const bundle = `${depth === 0 ? './' : '../'.repeat(depth)}${main.has(m) ? 'main.cjs' : 'more.cjs'}`
  await writeFile(
    esm,
    [
      `// Node's ESM entry for ${m}: the module from the bundled CommonJS build (see scripts/build.mjs).`,
      `import { createRequire } from 'node:module'`,
      `const m = createRequire(import.meta.url)('${bundle}')[${JSON.stringify(m)}]`,
      ...exported,
      ''
    ].join('\n')
  )
  await writeFile(
    esm.replace(/\.js$/, '.cjs'),
    [
      `// Node's CommonJS entry for ${m}: the module from the bundled build (see scripts/build.mjs).`,
      `module.exports = require('${bundle}')[${JSON.stringify(m)}]`,
      ''
    ].join('\n')
  )
}
await writeFile(path.join(dist, 'node', 'package.json'), JSON.stringify({ type: 'module' }, null, 2) + '\n')

// the executable: one bundled file in place of tsc's (see scripts/build-cli.mjs)
await buildCli(dist)

console.log('built dist/cjs, dist/esm and dist/node')
