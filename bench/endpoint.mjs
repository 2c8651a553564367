// `node bench/endpoint.mjs`: the cost of one endpoint resolution, for the hand-written SSO
// resolver (src/sso/Endpoint.ts), `endpointResolver` over the SSO rule set, and the raw
// rules engine (`ruleSetResolver`), on the same parameters (a fresh object each call, as
// `send` builds one). It bundles the sources with esbuild into .tmp/, so needs no build.
//
//   node bench/endpoint.mjs [--calls N] [--rounds N]
import { build } from 'esbuild'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const argv = process.argv.slice(2)
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 ? Number(argv[i + 1]) : fallback
}
const CALLS = opt('calls', 200_000)
const ROUNDS = opt('rounds', 7)

const out = path.join(root, '.tmp', 'bench-endpoint.mjs')
await build({
  stdin: {
    contents: [
      "export { resolveEndpoint } from './src/sso/Endpoint.ts'",
      "export { endpointResolver, ruleSetResolver } from './src/core/Rules.ts'"
    ].join('\n'),
    resolveDir: root,
    loader: 'ts'
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  outfile: out,
  logLevel: 'warning'
})
const { resolveEndpoint, endpointResolver, ruleSetResolver } = await import(pathToFileURL(out).href)

const model = JSON.parse(readFileSync(path.join(root, 'models', 'sso.json'), 'utf8'))
const ruleSet = Object.values(model.shapes).find((s) => s.type === 'service').traits['smithy.rules#endpointRuleSet']

const resolvers = [
  ['hand-written (sso/Endpoint)', resolveEndpoint],
  ['endpointResolver (rule set)', endpointResolver(ruleSet)],
  ['ruleSetResolver (raw engine)', ruleSetResolver(ruleSet)]
]

/** Each scenario makes the parameters of call `i`. */
const scenarios = [
  ['Region eu-west-1', () => ({ Region: 'eu-west-1', UseFIPS: false, UseDualStack: false })],
  ['Region us-gov-west-1, FIPS', () => ({ Region: 'us-gov-west-1', UseFIPS: true, UseDualStack: false })],
  ['custom Endpoint', () => ({ Endpoint: 'http://127.0.0.1:4566', UseFIPS: false, UseDualStack: false })],
  [
    '1000 distinct regions in turn (no cache hit)',
    (i) => ({ Region: `us-test-${i % 1000}`, UseFIPS: false, UseDualStack: false })
  ]
]

let sink = 0
/** Nanoseconds per call, the median of the rounds. */
const measure = (resolve, make) => {
  const rounds = []
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint()
    for (let i = 0; i < CALLS; i++) sink += resolve(make(i))._tag.length
    rounds.push(Number(process.hrtime.bigint() - start) / CALLS)
  }
  return rounds.sort((a, b) => a - b)[Math.floor(rounds.length / 2)]
}

// warm up every resolver on every scenario before measuring
for (const [, resolve] of resolvers) {
  for (const [, make] of scenarios) for (let i = 0; i < 20_000; i++) sink += resolve(make(i))._tag.length
}

console.log(`node ${process.version}, ${CALLS} calls x ${ROUNDS} rounds, median ns per resolution\n`)
console.log(`| scenario | ${resolvers.map(([name]) => name).join(' | ')} | endpointResolver / hand-written |`)
console.log(`|---|${resolvers.map(() => '---:').join('|')}|---:|`)
for (const [name, make] of scenarios) {
  const ns = resolvers.map(([, resolve]) => measure(resolve, make))
  console.log(`| ${name} | ${ns.map((n) => n.toFixed(0)).join(' | ')} | ${(ns[1] / ns[0]).toFixed(2)}x |`)
}
if (sink === 0) console.log('')
