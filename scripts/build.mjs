// Builds dist/cjs (CommonJS) and dist/esm (native ESM), each with its .d.ts files, and
// marks each half with a package.json so Node (and TypeScript's NodeNext resolution)
// reads every .js/.d.ts file in the right module format.
import { spawn } from 'node:child_process'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const dist = path.join(root, 'dist')
const tsc = createRequire(path.join(root, 'package.json')).resolve('typescript/bin/tsc')

const run = (project) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, '-p', project], { cwd: root, stdio: 'inherit' })
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

console.log('built dist/cjs and dist/esm')
