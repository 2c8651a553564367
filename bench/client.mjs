// One measured client process: `node client.mjs <impl> <json options>`. Loads only the
// implementation under test, warms it up, then makes Logout calls with `inflight` of them
// outstanding until `durationMs` has passed or `calls` have completed, and prints one JSON
// line: calls, seconds, client CPU (process.cpuUsage), latency percentiles and memory.
const [impl, raw] = process.argv.slice(2)
const o = JSON.parse(raw)

const { make } = await import(`./impl/${impl}.mjs`)
const call = make({ url: o.url, token: o.token })

/** Runs `total` calls (or until `until`), `inflight` at a time; records latencies if asked. */
const phase = async (inflight, total, until, lat) => {
  let started = 0
  let done = 0
  let failed = 0
  const worker = async () => {
    while (started < total && performance.now() < until) {
      started++
      const t0 = performance.now()
      const ok = await call()
      if (lat !== undefined && done < lat.length) lat[done] = performance.now() - t0
      done++
      if (!ok) failed++
    }
  }
  await Promise.all(Array.from({ length: Math.min(inflight, total) }, worker))
  return { done, failed }
}

// warm-up: JIT, sockets, lazily loaded modules
await phase(o.inflight, o.warmupCalls, performance.now() + o.warmupMs, undefined)

const lat = new Float64Array(Math.min(o.calls, 2_000_000))
const cpu0 = process.cpuUsage()
const t0 = performance.now()
const { done, failed } = await phase(o.inflight, o.calls, t0 + o.durationMs, lat)
const seconds = (performance.now() - t0) / 1000
const cpu = process.cpuUsage(cpu0)

const sorted = lat.subarray(0, Math.min(done, lat.length)).sort()
const pct = (p) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))])
const mem = process.memoryUsage()
process.stdout.write(
  JSON.stringify({
    impl,
    inflight: o.inflight,
    calls: done,
    failed,
    seconds,
    callsPerSec: done / seconds,
    cpuUsPerCall: (cpu.user + cpu.system) / Math.max(1, done),
    p50Ms: pct(50),
    p99Ms: pct(99),
    rssBytes: mem.rss,
    heapUsedBytes: mem.heapUsed
  }) + '\n'
)
process.exit(0)
