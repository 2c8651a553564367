// `node bench/readme.mjs [--results FILE]`: rewrites the figures table of README.md (between
// `<!-- bench:begin -->` and `<!-- bench:end -->`) from bench/results.json, the results of the
// last full `npm run bench`: each figure with its median, range, pairs, target and verdict.
// `npm run bench -- --readme` does the same at the end of a run.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { phaseArgs } from './lib/paired.mjs'
import { benchDir, rootDir } from './lib/proc.mjs'
import { replaceReadmeBlock } from './lib/report.mjs'

const { at } = phaseArgs()
const file = path.resolve(at('results') ?? path.join(benchDir, 'results.json'))
const results = JSON.parse(readFileSync(file, 'utf8'))
if (results.smoke) {
  process.stderr.write(`${file} is from a smoke run: its figures mean nothing, README.md is left as it is\n`)
  process.exit(1)
}
const readme = path.join(rootDir, 'README.md')
writeFileSync(readme, replaceReadmeBlock(readFileSync(readme, 'utf8'), results))
process.stderr.write(`rewrote the figures block of README.md from ${path.relative(rootDir, file)}\n`)
