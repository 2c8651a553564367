// The report of `npm run bench`: bench/RESULTS.md, bench/results.json, the reproduction check
// against the committed results, and the README's figures table.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fmt, fmtFigure, fmtPairs, fmtRange, fmtTarget, fmtVerdict, table, within } from './paired.mjs'

/** The markers around the README's generated figures table. */
export const README_BEGIN = '<!-- bench:begin -->'
export const README_END = '<!-- bench:end -->'

/** `1.23×` or `12.3 ms`, the median of a figure. */
const med = (f) => fmt(f.median, f.unit)

/** For each figure present in both, whether its new median lies within the quoted range. */
export const reproduction = (quoted, figures) => {
  if (quoted === null) return []
  const byId = new Map((quoted.figures ?? []).map((f) => [f.id, f]))
  return figures
    .filter((f) => byId.has(f.id))
    .map((f) => {
      const q = byId.get(f.id)
      return { id: f.id, title: f.title, quoted: q, now: f, within: within(f, q) }
    })
}

/** The reproduction check as a Markdown table (also what goes to stderr). */
export const reproductionTable = (rows) =>
  table(
    ['figure', 'quoted median', 'quoted range', 'new median', 'within?'],
    rows.map((r) => [
      `${r.title} (\`${r.id}\`)`,
      med(r.quoted),
      fmtRange(r.quoted),
      med(r.now),
      r.within ? 'yes' : '**no**'
    ])
  )

/** The text of bench/notes/<id>.md for a figure not met, or `(no note)`. */
export const noteFor = (notesDir, id) => {
  const p = path.join(notesDir, `${id}.md`)
  return existsSync(p) ? readFileSync(p, 'utf8').trim() : '(no note)'
}

/** The figures in only one of the quoted results and this run, if any. */
const unmatched = (quoted, figures) => {
  if (quoted === null) return ''
  const q = (quoted.figures ?? []).map((f) => f.id)
  const now = figures.map((f) => f.id)
  const gone = q.filter((id) => !now.includes(id))
  const added = now.filter((id) => !q.includes(id))
  const ids = (xs) => xs.map((id) => `\`${id}\``).join(', ')
  return [
    gone.length === 0 ? '' : `\n\nQuoted, not measured in this run: ${ids(gone)}.`,
    added.length === 0 ? '' : `\n\nMeasured in this run, not quoted: ${ids(added)}.`
  ].join('')
}

const figureRow = (f) => [
  `${f.title} (\`${f.id}\`)`,
  fmtTarget(f.target, f.unit),
  med(f),
  fmtRange(f),
  fmtPairs(f),
  fmtVerdict(f)
]

const loadavg = (l) => l.map((x) => x.toFixed(2)).join(' / ')

/** How many pairs each phase's figures are medians of: `throughput 5, bundles 1 (deterministic)`. */
const pairsPerPhase = (phases) =>
  phases
    .filter((p) => p.error === undefined)
    .map((p) => {
      const ns = [...new Set(p.figures.map(fmtPairs))]
      return `${p.phase} ${ns.length === 0 ? '–' : ns.join('/')}`
    })
    .join(', ')

/** bench/RESULTS.md. */
export const resultsMarkdown = ({ results, phases, repro, quoted, quotedFrom, notesDir }) => {
  const figures = results.figures
  const targeted = figures.filter((f) => f.target !== undefined)
  const reported = figures.filter((f) => f.target === undefined)
  const missed = targeted.filter((f) => f.verdict !== 'met')
  const failed = phases.filter((p) => p.error !== undefined)
  const m = results.machine
  return `# fp-aws benchmark results

${results.smoke ? '**Smoke run (tiny counts): the figures mean nothing.**\n\n' : ''}- date: ${results.date}
- Node ${m.node} on ${m.platform} ${m.arch}, ${m.cores} cores (${m.cpu})
- load average (1 / 5 / 15 min): ${loadavg(m.loadavgBefore)} before, ${loadavg(m.loadavgAfter)} after
- \`--runs ${results.runs}\`; pairs per figure, by phase: ${pairsPerPhase(phases)}
- phases: ${phases
    .map((p) => `${p.phase} ${p.seconds.toFixed(0)} s${p.error === undefined ? '' : ' (failed)'}`)
    .join(', ')}
- whole benchmark: ${results.seconds.toFixed(0)} s

Every figure is the median of per-pair ratios (A and B one right after the other, the order
alternating from pair to pair) with their range (min–max). A target is met only when the
whole range is on its side: a range that crosses it is **not met**. A figure that cannot vary
(a bundle's size) is measured once and marked deterministic. See bench/README.md.
${
  failed.length === 0
    ? ''
    : `\n## Phases that failed\n\n${failed.map((p) => `### ${p.phase}\n\n\`\`\`\n${p.error}\n\`\`\`\n`).join('\n')}`
}
## Targets

${
  targeted.length === 0
    ? '(no figure with a target in this run)'
    : table(['figure', 'wanted', 'median', 'range', 'pairs', 'verdict'], targeted.map(figureRow))
}

## Reproduces the quoted figures

${
  quotedFrom === null
    ? 'No committed results to compare with (bench/results.json is missing).'
    : repro.length === 0
    ? `No figure of this run is in ${quotedFrom}.`
    : `Whether each new median lies within the range of the same figure in ${quotedFrom} (the results the README quotes), read before this run overwrote it.\n\n${reproductionTable(
        repro
      )}`
}${unmatched(quoted, results.figures)}

## Other figures (reported, no target)

${
  reported.length === 0
    ? '(none)'
    : table(
        ['figure', 'median', 'range', 'pairs'],
        reported.map((f) => [`${f.title} (\`${f.id}\`)`, med(f), fmtRange(f), fmtPairs(f)])
      )
}

${phases
  .filter((p) => p.error === undefined)
  .map((p) => p.markdown.trim())
  .join('\n\n')}
${
  missed.length === 0
    ? ''
    : `\n## Targets not met: what was tried and what it cost\n\n${missed
        .map(
          (f) =>
            `### ${f.title} (\`${f.id}\`)\n\n${fmtTarget(f.target, f.unit)} wanted; measured ${fmtFigure(
              f
            )}.\n\n${noteFor(notesDir, f.id)}\n`
        )
        .join('\n')}`
}`
}

/** The README's generated block (between the markers) from bench/results.json. */
export const readmeBlock = (results) => {
  const m = results.machine
  const ordered = [
    ...results.figures.filter((f) => f.target !== undefined),
    ...results.figures.filter((f) => f.target === undefined)
  ]
  const rows = ordered.map((f) => [
    f.title,
    med(f),
    fmtRange(f),
    fmtPairs(f),
    fmtTarget(f.target, f.unit),
    fmtVerdict(f)
  ])
  return `${README_BEGIN}
<!-- generated by \`node bench/readme.mjs\` from bench/results.json; do not edit by hand -->
${runsLine(results)}, Node ${m.node}, ${
    m.cores
  } cores; each figure the median of its pairs with the range (min–max); a target is met only when the whole range is on its side.

${table(['figure', 'median', 'range', 'pairs', 'target', 'verdict'], rows)}
${README_END}`
}

/** When and how the quoted results were measured: one run, or several put together by bench/merge.mjs. */
const runsLine = (results) =>
  Array.isArray(results.merged)
    ? `${results.merged.length} full runs of \`npm run bench\` put together (bench/merge.mjs), ${results.merged
        .map(
          (r) =>
            `${r.date.slice(0, 16).replace('T', ' ')} UTC (load average ${r.loadavgBefore[0].toFixed(2)} at the start)`
        )
        .join(', ')}`
    : `${results.date.slice(0, 10)}, load average ${results.machine.loadavgBefore[0].toFixed(2)} at the start`

/** README.md's text with the block between the markers replaced; throws without the markers. */
export const replaceReadmeBlock = (readme, results) => {
  const a = readme.indexOf(README_BEGIN)
  const b = readme.indexOf(README_END)
  if (a < 0 || b < a) throw new Error(`README.md has no ${README_BEGIN} … ${README_END} block`)
  return readme.slice(0, a) + readmeBlock(results) + readme.slice(b + README_END.length)
}
