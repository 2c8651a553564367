// `npm run docs`: runs scripts/check-docs.mjs (every export has @category and @since, every
// example imports a published subpath), then docs-ts (generates docs/ from the JSDoc and type-checks + runs every
// @example with ts-node), with ts-node pointed at tsconfig.docs.json.
//
// docs-ts writes each example to docs/examples/*.ts, rewriting imports of `fp-aws` and
// `fp-aws/<subpath>` to `../../src` and `../../src/<subpath>`, and spawns `ts-node` on
// them. src/ imports siblings as `./X.js`, which Node's CommonJS loader cannot find next to
// `X.ts`: tsconfig.docs.json turns on ts-node's `experimentalResolver`, which maps them.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

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
    TS_NODE_PROJECT: path.join(root, 'tsconfig.docs.json')
  }
})
if (result.error) throw result.error
process.exit(result.status ?? 1)
