/**
 * Load: many Logouts, 256 in flight, against the emulator, each with its own seeded token,
 * through the default HTTP client (its keep-alive agent allows 256 sockets per host).
 *
 * - every call settles exactly once, as a `Right` (resolutions are counted per call; none
 *   rejects: `send` never rejects);
 * - the emulator sees each token logged out exactly once (`logoutCount(t) === 1`), and
 *   receives exactly one request per call (no retry happened);
 * - no unhandled rejection during the run;
 * - the sockets open at once stay within the agent's limit: the calls go through a TCP
 *   proxy on 127.0.0.1 that counts concurrent connections;
 * - RSS comes back near where it started after a few idle ticks and a full GC (when one
 *   can be had without `--expose-gc`, see `collectGarbage`; the bound is generous either
 *   way, and the figures are reported).
 *
 * The default run makes 2,000 calls; `FP_AWS_RELIABILITY_FULL=1` makes 20,000. The figures go
 * to `.tmp/reliability-matrix.json` (section `load`) for `docs/reliability.md`.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { newEnv } from '../../src/index.js'
import { startEmulator, type TokenSeed } from '../../src/emulator/index.js'
import {
  callOperation,
  collectGarbage,
  countingProxy,
  detailOf,
  idle,
  MiB,
  recordSection,
  runInfo,
  sampleMemory,
  toMiB
} from './matrix.js'

const FULL = process.env['FP_AWS_RELIABILITY_FULL'] === '1'
const CALLS = FULL ? 20_000 : 2_000
const IN_FLIGHT = 256
/** The default client's `maxSockets` (src/core/Http.ts, `AxiosClientOptions.maxSockets`). */
const AGENT_MAX_SOCKETS = 256
const RSS_RETURN_BOUND = 150 * MiB

const tokenOf = (i: number): string => `tok-load-${String(i).padStart(6, '0')}-0123456789abcdef`

const unhandled: Array<unknown> = []
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason)
}
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled)
})
afterAll(() => {
  process.off('unhandledRejection', onUnhandled)
})

it(
  `${CALLS} Logouts, ${IN_FLIGHT} in flight: one outcome each, each token logged out once, sockets within the agent's limit, RSS back near its start`,
  { timeout: FULL ? 180_000 : 40_000 },
  async () => {
    const tokens: Record<string, TokenSeed> = {}
    for (let i = 0; i < CALLS; i++) tokens[tokenOf(i)] = {}
    const started = await startEmulator({ tokens })()
    if (started._tag === 'Left') throw new Error(started.left.message)
    const emu = started.right
    const proxy = await countingProxy({ host: '127.0.0.1', port: Number(new URL(emu.url).port) })
    try {
      const sleeps: Array<number> = []
      const env = newEnv({
        endpoint: proxy.url,
        sleep: (ms) => {
          sleeps.push(ms)
          return Promise.resolve(true)
        }
      })

      await idle()
      const gc = collectGarbage()
      const before = process.memoryUsage()
      const sampler = sampleMemory(20)
      const resolutions = new Uint8Array(CALLS)
      const lefts: Array<string> = []
      let rejections = 0
      let inFlight = 0
      let maxInFlight = 0
      let next = 0
      const t0 = performance.now()
      const worker = async (): Promise<void> => {
        for (;;) {
          const i = next++
          if (i >= CALLS) return
          inFlight += 1
          if (inFlight > maxInFlight) maxInFlight = inFlight
          await callOperation('Logout', tokenOf(i), env).then(
            (r) => {
              resolutions[i] = (resolutions[i] ?? 0) + 1
              if (r._tag === 'Left') lefts.push(`#${i} ${detailOf(r) ?? ''}`)
            },
            () => {
              rejections += 1
            }
          )
          inFlight -= 1
        }
      }
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker))
      const durationMs = performance.now() - t0
      const peaks = sampler.stop()
      const maxSockets = proxy.max()
      const connections = proxy.total()

      await idle(10, 50)
      collectGarbage()
      await idle(2, 50)
      const after = process.memoryUsage()

      let notOnce = 0
      let notLoggedOut = 0
      for (let i = 0; i < CALLS; i++) {
        if (emu.logoutCount(tokenOf(i)) !== 1) notOnce += 1
        if (!emu.isLoggedOut(tokenOf(i))) notLoggedOut += 1
      }
      const resolvedOnce = resolutions.filter((n) => n === 1).length

      const figures = {
        ...runInfo(),
        full: FULL,
        calls: CALLS,
        inFlight: IN_FLIGHT,
        maxInFlightObserved: maxInFlight,
        durationMs: Math.round(durationMs),
        callsPerSecond: Math.round(CALLS / (durationMs / 1000)),
        resolvedExactlyOnce: resolvedOnce,
        rejections,
        lefts: lefts.length,
        retries: sleeps.length,
        serverRequests: emu.requestCount(),
        tokensLoggedOutExactlyOnce: CALLS - notOnce,
        unhandledRejections: unhandled.length,
        agentMaxSockets: AGENT_MAX_SOCKETS,
        maxConcurrentSockets: maxSockets,
        socketsOpened: connections,
        rssBeforeMiB: toMiB(before.rss),
        rssPeakMiB: toMiB(peaks.peakRss),
        rssAfterMiB: toMiB(after.rss),
        rssGrowthAfterMiB: toMiB(after.rss - before.rss),
        rssReturnBoundMiB: toMiB(RSS_RETURN_BOUND),
        gcBeforeMeasuring: gc,
        heapUsedBeforeMiB: toMiB(before.heapUsed),
        heapUsedAfterMiB: toMiB(after.heapUsed)
      }
      recordSection('load', figures)
      console.log(`load: ${JSON.stringify(figures)}`)

      expect(lefts.slice(0, 5), 'every call is a Right').toStrictEqual([])
      expect(rejections, 'no call rejected').toBe(0)
      expect(resolvedOnce, 'every call settled exactly once').toBe(CALLS)
      expect(maxInFlight).toBe(IN_FLIGHT)
      expect(notOnce, 'tokens whose logoutCount is not 1').toBe(0)
      expect(notLoggedOut, 'tokens not logged out').toBe(0)
      expect(emu.requestCount(), 'one request per call').toBe(CALLS)
      expect(sleeps, 'no retry').toStrictEqual([])
      expect(unhandled, 'unhandled rejections').toStrictEqual([])
      expect(maxSockets, 'concurrent sockets').toBeLessThanOrEqual(AGENT_MAX_SOCKETS)
      expect(after.rss - before.rss, 'RSS growth after the run').toBeLessThan(RSS_RETURN_BOUND)
    } finally {
      await proxy.close()
      await emu.close()
    }
  }
)
