// Builds the `fp-aws` executable (package.json "bin": dist/cjs/cli/bin.js) as one CommonJS
// file bundled by esbuild from src/cli/bin.ts, in place of tsc's output: a command starts by
// reading one file instead of resolving and reading some sixty modules.
//
// fp-ts, io-ts and monocle-ts are bundled from their ES modules (`es6/`), so that only what
// the command line uses is in it (esbuild cannot leave out parts of a CommonJS module); the
// executable's values never meet a user's, so its own copy of them is no concern. The other
// dependencies (axios, https-proxy-agent, proper-lockfile) stay `require`d from node_modules.
// Each command's module is still initialised only when that command runs: esbuild keeps the
// `import()` of src/cli/main.ts lazy.
//
// Run by scripts/build.mjs after tsc; `node scripts/build-cli.mjs [DIST]` alone rebuilds it.
import { build } from 'esbuild'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(path.join(root, 'package.json'))

/** fp-ts, io-ts and monocle-ts from their ES modules; every other package left to `require`. */
const dependencies = {
  name: 'dependencies',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (a) => {
      if (a.path.startsWith('node:')) return { path: a.path, external: true }
      if (/^(fp-ts|monocle-ts)\/lib\//.test(a.path)) return { path: require.resolve(a.path.replace('/lib/', '/es6/')) }
      if (a.path === 'io-ts') return { path: require.resolve('io-ts/es6/index.js') }
      if (/^(fp-ts|io-ts|monocle-ts)(\/|$)/.test(a.path)) return undefined
      return { path: a.path, external: true }
    })
  }
}

/** Bundles src/cli/bin.ts into `<dist>/cjs/cli/bin.js`. */
export const buildCli = (dist) =>
  build({
    entryPoints: [path.join(root, 'src', 'cli', 'bin.ts')],
    outfile: path.join(dist, 'cjs', 'cli', 'bin.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    plugins: [dependencies],
    logLevel: 'warning'
  })

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildCli(path.resolve(process.argv[2] ?? path.join(root, 'dist')))
}
