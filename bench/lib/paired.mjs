// Paired, interleaved measurement and the figures `npm run bench` reports.
//
// A figure is a ratio (fp-aws ÷ a reference, or one fp-aws mode ÷ another) measured in
// pairs: pair i runs A and B one right after the other, the order alternating from pair to
// pair (A B, B A, A B, …), and gives one ratio A_i ÷ B_i. The figure is the median of those
// ratios with their range (min–max). A target holds only when the whole range is on its
// side: a range that crosses the target is "not met".
//
// Phase scripts (bench/phases/*.mjs) print one JSON line on stdout:
//   { phase, title, figures: [figure(...)], markdown }
// where `markdown` is the phase's section of RESULTS.md (tables of the raw medians).

/** The median of a list of numbers (NaN when empty). */
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  if (s.length === 0) return NaN
  const m = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2
}

/** Median, minimum and maximum of a list of numbers. */
export const spread = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length })

/**
 * Runs `a()` and `b()` in `runs` pairs, the order alternating from pair to pair; each
 * resolves a number (a time, a rate, …). Resolves `[{ a, b }]`, one entry a pair.
 */
export const pairs = async (runs, a, b, onPair = () => {}) => {
  const out = []
  for (let i = 0; i < runs; i++) {
    let x
    let y
    if (i % 2 === 0) {
      x = await a()
      y = await b()
    } else {
      y = await b()
      x = await a()
    }
    out.push({ a: x, b: y })
    onPair(i, x, y)
  }
  return out
}

/** The per-pair ratios a ÷ b. */
export const ratios = (ps) => ps.map((p) => p.a / p.b)

/**
 * Runs `steps` (functions resolving a value) in `runs` rounds, in the given order in even
 * rounds and in the reverse order in odd ones, so that any two of them alternate which goes
 * first, as `pairs` does for two. Resolves one array of results a round, in `steps`' order.
 */
export const rounds = async (runs, steps, onRound = () => {}) => {
  const out = []
  for (let i = 0; i < runs; i++) {
    const row = new Array(steps.length)
    const order = steps.map((_, j) => j)
    if (i % 2 === 1) order.reverse()
    for (const j of order) row[j] = await steps[j](i)
    out.push(row)
    onRound(i, row)
  }
  return out
}

/**
 * A reported figure.
 * - `samples`: one ratio per pair (or one value per run for a figure without a partner);
 * - `target`: `{ op: '<=' | '>=', value }`, or undefined for a figure that is only reported;
 * - `unit`: '×' for ratios, or e.g. 'ms', 's', 'KiB' for absolute figures;
 * - `deterministic`: true for a figure measured once because it cannot vary (a bundle's
 *   size), so that the report says so instead of showing a range of one.
 * The verdict is 'met' when every sample is on the target's side, 'not met' otherwise,
 * and '' when there is no target.
 */
export const figure = ({ id, title, samples, target, unit = '×', note, deterministic }) => {
  const s = spread(samples)
  const verdict =
    target === undefined ? '' : (target.op === '<=' ? s.max <= target.value : s.min >= target.value) ? 'met' : 'not met'
  return {
    id,
    title,
    unit,
    target,
    samples,
    ...s,
    verdict,
    ...(note === undefined ? {} : { note }),
    ...(deterministic === true ? { deterministic: true } : {})
  }
}

const digits = (x) => (Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : 2)

/** `1.23×` / `12.3 ms`. */
export const fmt = (x, unit = '×') =>
  unit === '×' ? `${x.toFixed(2)}×` : `${x.toLocaleString('en-US', { maximumFractionDigits: digits(x) })} ${unit}`

/** `1.23× (1.10–1.40, 5 pairs)`, or `0.37× (deterministic)` for a figure measured once. */
export const fmtFigure = (f) =>
  f.deterministic === true
    ? `${fmt(f.median, f.unit)} (deterministic)`
    : `${fmt(f.median, f.unit)} (${f.unit === '×' ? f.min.toFixed(2) : fmt(f.min, f.unit).split(' ')[0]}–${fmt(
        f.max,
        f.unit
      )}, ${f.n} ${f.unit === '×' ? 'pairs' : 'runs'})`

/** `≤ 0.6×` / `≥ 3×` / `≤ 0 modules`. */
export const fmtTarget = (t, unit = '×') =>
  t === undefined ? '–' : `${t.op === '<=' ? '≤' : '≥'} ${t.value}${unit === '×' ? '×' : ` ${unit}`}`

/** The range alone: `1.10–1.40` (`12–15 ms`), or `deterministic` for a figure measured once. */
export const fmtRange = (f) =>
  f.deterministic === true
    ? 'deterministic'
    : f.unit === '×'
    ? `${f.min.toFixed(2)}–${f.max.toFixed(2)}`
    : `${fmt(f.min, f.unit).split(' ')[0]}–${fmt(f.max, f.unit)}`

/** How many pairs (or runs) a figure is the median of: `11`, or `1 (deterministic)`. */
export const fmtPairs = (f) => (f.deterministic === true ? '1 (deterministic)' : String(f.n))

/** The verdict as the report shows it: `met`, `**not met**`, or `–` without a target. */
export const fmtVerdict = (f) => (f.verdict === 'met' ? 'met' : f.verdict === 'not met' ? '**not met**' : '–')

/** Whether a new figure's median lies within a quoted figure's range (min–max). */
export const within = (f, quoted) => f.median >= quoted.min && f.median <= quoted.max

/** A Markdown table. */
export const table = (head, rows) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join(
    '\n'
  )

/** Reads `--runs N`, `--smoke` and `--out FILE` the same way in every phase script. */
export const phaseArgs = (argv = process.argv.slice(2), defaults = { runs: 5 }) => {
  const at = (name) => {
    const i = argv.indexOf(`--${name}`)
    return i >= 0 ? argv[i + 1] : undefined
  }
  const smoke = argv.includes('--smoke')
  const runs = Number(at('runs') ?? (smoke ? 1 : defaults.runs))
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a whole number of at least 1')
  return { smoke, runs, at }
}

/** Prints a phase's result as the one JSON line `bench/run.mjs` reads. */
export const emit = (phase, title, figures, markdown) =>
  process.stdout.write(JSON.stringify({ phase, title, figures, markdown }) + '\n')
