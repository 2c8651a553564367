/**
 * `npm run gen`: regenerates every service module from `models/` and `gen/annex/`. The same
 * input gives the same output, byte for byte: the files are formatted with prettier under
 * fixed options, and a service folder holds only what this run wrote.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as prettier from 'prettier'
import { emitService_, type Output } from './emit.js'
import { readService } from './model.js'

/** The services to generate: model file, annex file. */
const SERVICES: ReadonlyArray<readonly [string, string]> = [
  ['models/sso.json', 'gen/annex/sso.json'],
  ['models/sso-oidc.json', 'gen/annex/sso-oidc.json']
]

const PRETTIER: prettier.Options = {
  parser: 'typescript',
  printWidth: 120,
  semi: false,
  singleQuote: true,
  trailingComma: 'none',
  arrowParens: 'always',
  endOfLine: 'lf'
}

const main = async (): Promise<void> => {
  const root = process.cwd()
  const outputs: Output[] = []
  for (const [model, annex] of SERVICES) {
    const svc = readService(root, model, annex)
    for (const s of svc.skipped) process.stderr.write(`gen: ${svc.sdkId}: skipped ${s.name}: ${s.reason}\n`)
    outputs.push(...emitService_(svc))
  }
  const written = new Set<string>()
  for (const o of outputs) {
    const text = await prettier.format(o.text, PRETTIER)
    const file = path.join(root, o.path)
    fs.mkdirSync(path.dirname(file), { recursive: true })
    const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined
    if (before !== text) fs.writeFileSync(file, text)
    written.add(file)
  }
  // a file left from an earlier run (an operation since removed) goes
  for (const dir of new Set([...written].map((f) => path.dirname(f))))
    for (const f of fs.readdirSync(dir)) if (!written.has(path.join(dir, f))) fs.rmSync(path.join(dir, f))
  process.stdout.write(`gen: wrote ${outputs.length} files\n`)
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`)
  process.exit(1)
})
