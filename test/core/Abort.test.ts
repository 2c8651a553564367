/**
 * Many concurrent calls sharing one `Env.signal`: no MaxListenersExceededWarning, and one
 * abort still cancels every one of them. Through real servers on 127.0.0.1.
 */
import { getEventListeners } from 'node:events'
import { pipe } from 'fp-ts/lib/function.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newEnv, send, type Env } from '../../src/index.js'
import { defaultHttpClient, type HttpClient } from '../../src/core/Http.js'
import { Logout, newLogout } from '../../src/services/sso/index.js'
import { scriptedServer, type Scripted } from '../util/scripted.js'

let hang: Scripted
let busy: Scripted
beforeAll(async () => {
  hang = await scriptedServer([{ hang: true }])
  busy = await scriptedServer([{ status: 503, headers: { 'retry-after': '60' } }])
})
afterAll(() => Promise.all([hang.close(), busy.close()]))

/** The default client seen as a plain client: `send` then links a controller per attempt. */
const plainClient: HttpClient = (call) => defaultHttpClient(call)

const N = 50

type Kind = 'default client' | 'plain client' | 'sleep'

const envFor = (kind: Kind, signal: AbortSignal): Env => {
  const base = { signal, attemptTimeoutMs: 60_000, random: () => 0.99 }
  switch (kind) {
    case 'default client':
      // waiting on the wire, with the default client (which keeps deadlines itself)
      return newEnv({ ...base, endpoint: hang.url })
    case 'plain client':
      // waiting on the wire, with a client that gets a per-attempt signal from send
      return newEnv({ ...base, endpoint: hang.url, http: plainClient })
    case 'sleep':
      // waiting in the real sleep between retries
      return newEnv({ ...base, endpoint: busy.url, retry: { baseDelayMs: 60_000, maxBackoffMs: 60_000 } })
  }
}

describe('one signal shared by many calls', () => {
  it.each<Kind>(['default client', 'plain client', 'sleep'])(`${N} concurrent calls (%s): no warning; an abort cancels them all`, async (kind) => {
    const warnings: Array<Error> = []
    const onWarning = (w: Error): void => void warnings.push(w)
    process.on('warning', onWarning)
    try {
      const ac = new AbortController()
      const env = envFor(kind, ac.signal)
      const server = kind === 'sleep' ? busy : hang
      const before = server.requests.length
      const calls = Array.from({ length: N }, (_, i) => pipe(newLogout(`abort-token-${i}`), send(Logout))(env)())
      // every call is waiting: on the wire, or asleep after its first attempt
      while (server.requests.length < before + N) await new Promise((r) => setTimeout(r, 5))
      await new Promise((r) => setTimeout(r, 20))
      ac.abort()
      const results = await Promise.all(calls)
      expect(results.map((r) => (r._tag === 'Left' && r.left._tag === 'TransportError' ? r.left.reason : r._tag))).toStrictEqual(
        Array.from({ length: N }, () => 'Aborted')
      )
      expect(ac.signal.aborted).toBe(true)
      await new Promise((r) => setImmediate(r))
      expect(warnings.map((w) => w.name)).toStrictEqual([])
    } finally {
      process.off('warning', onWarning)
    }
  })

  it.each<Kind>(['default client', 'plain client'])('calls that end leave no listener on the signal (%s)', async (kind) => {
    const ok = await scriptedServer([{ status: 200 }])
    try {
      const ac = new AbortController()
      const env = { ...envFor(kind, ac.signal), endpoint: ok.url }
      const calls = Array.from({ length: N }, (_, i) => pipe(newLogout(`ok-token-${i}`), send(Logout))(env)())
      while (ok.requests.length < 1) await new Promise((r) => setTimeout(r, 1))
      expect(getEventListeners(ac.signal, 'abort').length).toBeLessThanOrEqual(1)
      const results = await Promise.all(calls)
      expect(results.every((r) => r._tag === 'Right')).toBe(true)
      expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0)
    } finally {
      await ok.close()
    }
  })
})
