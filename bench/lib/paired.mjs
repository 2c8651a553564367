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
 * A reported figure.
 * - `samples`: one ratio per pair (or one value per run for a figure without a partner);
 * - `target`: `{ op: '<=' | '>=', value }`, or undefined for a figure that is only reported;
 * - `unit`: '×' for ratios, or e.g. 'ms', 's', 'KiB' for absolute figures.
 * The verdict is 'met' when every sample is on the target's side, 'not met' otherwise,
 * and '' when there is no target.
 */
export const figure = ({ id, title, samples, target, unit = '×', note }) => {
  const s = spread(samples)
  const verdict =
    target === undefined ? '' : (target.op === '<=' ? s.max <= target.value : s.min >= target.value) ? 'met' : 'not met'
  return { id, title, unit, target, samples, ...s, verdict, ...(note === undefined ? {} : { note }) }
}

const digits = (x) => (Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : 2)

/** `1.23×` / `12.3 ms`. */
export const fmt = (x, unit = '×') =>
  unit === '×' ? `${x.toFixed(2)}×` : `${x.toLocaleString('en-US', { maximumFractionDigits: digits(x) })} ${unit}`

/** `1.23× (1.10–1.40, 5 pairs)`. */
export const fmtFigure = (f) =>
  `${fmt(f.median, f.unit)} (${f.unit === '×' ? f.min.toFixed(2) : fmt(f.min, f.unit).split(' ')[0]}–${fmt(f.max, f.unit)}, ${f.n} ${f.unit === '×' ? 'pairs' : 'runs'})`

/** `≤ 0.6×` / `≥ 3×`; with a unit other than '×' (a figure's `unit`), `≤ 5 s`. */
export const fmtTarget = (t, unit = '×') =>
  t === undefined ? '–' : `${t.op === '<=' ? '≤' : '≥'} ${t.value}${unit === '×' ? '×' : ` ${unit}`}`

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
