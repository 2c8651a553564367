// `npm run docs`: runs scripts/check-docs.mjs (every export has @category and @since, every
// example imports a published subpath), then docs-ts (generates docs/modules from the JSDoc and
// type-checks + runs every @example with ts-node), with ts-node pointed at tsconfig.docs.json;
// then scripts/docs-site.mjs finishes the pages (re-exported names documented where they are
// exported, `{@link}` tags turned into links), and `check-docs.mjs --site` checks the result.
// docs/index.md (the home page) and docs/guides/ are written by hand: docs-ts keeps them.
//
// docs-ts writes each example to docs/examples/*.ts, rewriting imports of `fp-aws` and
// `fp-aws/<subpath>` to `../../src` and `../../src/<subpath>`, and spawns `ts-node` on
// them. src/ imports siblings as `./X.js`, which Node's CommonJS loader cannot find next to
// `X.ts`: tsconfig.docs.json turns on ts-node's `experimentalResolver`, which maps them.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { finishSite } from './docs-site.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(path.join(root, 'package.json'))
const docsTs = path.join(path.dirname(require.resolve('docs-ts/package.json')), 'lib', 'bin.js')
const bin = path.join(root, 'node_modules', '.bin')

const check = spawnSync(process.execPath, [path.join(root, 'scripts', 'check-docs.mjs')], { stdio: 'inherit' })
if (check.error) throw check.error
if (check.status !== 0) process.exit(check.status ?? 1)

const result = spawnSync(process.execPath, [docsTs], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    // docs-ts spawns the `ts-node` command: make sure it is the project's own.
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
    TS_NODE_PROJECT: path.join(root, 'tsconfig.docs.json'),
    // `../../src/sso` is `src/services/sso` at run time (see scripts/docs-resolve.cjs)
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${path.join(root, 'scripts', 'docs-resolve.cjs')}`.trim()
  }
})
if (result.error) throw result.error
if (result.status !== 0) process.exit(result.status ?? 1)

const pages = finishSite(root)
console.log(`docs-site: finished ${pages.length} module pages`)

const site = spawnSync(process.execPath, [path.join(root, 'scripts', 'check-docs.mjs'), '--site'], { stdio: 'inherit' })
if (site.error) throw site.error
process.exit(site.status ?? 1)
