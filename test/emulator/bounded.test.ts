/**
 * The emulator under hostile traffic: its memory stays bounded (no per-token state for a
 * token it never seeded beyond a small fixed table, a request log of fixed size, long paths
 * and queries cut), and its request log never holds a seeded token, wherever the token is
 * sent: the header, the query string (as a value or a key), the path (plain or
 * percent-encoded), or the body.
 */
import * as http from 'node:http'
import { describe, expect, it } from 'vitest'
import { MAX_UNKNOWN_TOKENS, REQUEST_LOG_SIZE } from '../../src/emulator/index.js'
import { call, useEmulators } from '../util/emulator.js'

const start = useEmulators()

/** Sends `n` requests over `concurrency` keep-alive connections; `make(i)` gives each one's method, path and token. */
const flood = async (
  url: string,
  n: number,
  make: (i: number) => { readonly method: string; readonly path: string; readonly token?: string }
): Promise<void> => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 })
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < n) {
      const { method, path, token } = make(next++)
      await new Promise<void>((resolve, reject) => {
        const req = http.request(`${url}${path}`, { method, agent, headers: token === undefined ? {} : { 'x-amz-sso_bearer_token': token } }, (res) => {
          res.resume()
          res.on('end', resolve)
          res.on('error', reject)
        })
        req.on('error', reject)
        req.end()
      })
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker))
  agent.destroy()
}

describe('memory stays bounded under hostile traffic', () => {
  it('20k logouts with unique unknown tokens: a bounded table, the oldest forgotten; seeded counts kept', async () => {
    const emu = await start({ tokens: { 'seeded-token': {} } })
    const n = 20_000
    const unknown = (i: number): string => `unknown-${i}-${'x'.repeat(200)}`
    await call(emu, 'POST', '/logout', { token: 'seeded-token' })
    await flood(emu.url, n, (i) => ({ method: 'POST', path: '/logout', token: unknown(i) }))
    const stats = emu.stats()
    expect(stats.requests).toBe(n + 1)
    expect(stats.unknownTokens).toBeLessThanOrEqual(MAX_UNKNOWN_TOKENS)
    expect(stats.logEntries).toBe(REQUEST_LOG_SIZE)
    expect(stats.seededTokens).toBe(1)
    // the latest unknown tokens are still counted, the oldest are forgotten
    expect(emu.logoutCount(unknown(n - 1))).toBe(1)
    expect(emu.logoutCount(unknown(0))).toBe(0)
    // a seeded token's count is never forgotten
    expect(emu.logoutCount('seeded-token')).toBe(1)
    expect(emu.isLoggedOut('seeded-token')).toBe(true)
    expect(emu.requests()).toHaveLength(REQUEST_LOG_SIZE)
  }, 60_000)

  it('long paths and queries are cut in the log: each record stays small', async () => {
    const emu = await start({ tokens: {} })
    const long = 'p'.repeat(3000)
    const query = Array.from({ length: 200 }, (_, i) => `k${i}=${'v'.repeat(10)}`).join('&')
    await call(emu, 'GET', `/${long}?big=${'q'.repeat(3000)}&${query}`)
    const [r] = emu.requests()
    expect(r?.path.length).toBeLessThanOrEqual(1100)
    expect(Object.keys(r?.query ?? {}).length).toBeLessThanOrEqual(50)
    for (const v of Object.values(r?.query ?? {})) expect(v.length).toBeLessThanOrEqual(1100)
    expect(r?.query['big']).toBe(`${'q'.repeat(1024)}…`)
    expect(JSON.stringify(r).length).toBeLessThan(8 * 1024)
  })
})

describe('a large seed', () => {
  it('300k seeded tokens (a seed file well under its 16 MiB limit): the emulator starts and redacts them', async () => {
    const tokens: Record<string, Record<string, never>> = {}
    for (let i = 0; i < 300_000; i++) tokens[`large-seed-token-${i}`] = {}
    const emu = await start({ tokens })
    await call(emu, 'GET', '/federation/large-seed-token-299999')
    expect(emu.requests().map((r) => r.path)).toEqual(['/federation/<redacted>'])
  }, 20_000)
})

describe('the request log never holds a seeded token', () => {
  const SEEDED = 'seeded-secret-token-ABC123+/='
  const OTHER = 'another-seeded-token-xyz'

  it('wherever it is sent: header, query value or key, path (plain or encoded), body', async () => {
    const emu = await start({ tokens: { [SEEDED]: {}, [OTHER]: {} } })
    const enc = encodeURIComponent(SEEDED)
    await call(emu, 'GET', `/assignment/accounts?next_token=${enc}`, { token: OTHER })
    await call(emu, 'GET', `/assignment/accounts?x=prefix-${enc}-suffix`)
    await call(emu, 'GET', `/assignment/accounts?${enc}=1`)
    await call(emu, 'GET', `/federation/${SEEDED}`)
    await call(emu, 'GET', `/federation/${enc}/x`)
    await call(emu, 'GET', `/federation/${encodeURIComponent(OTHER).replace(/-/g, '%2D')}`)
    await call(emu, 'GET', `/a?b=${OTHER}${OTHER}`)
    await call(emu, 'POST', '/logout', { token: SEEDED, body: `{"token":"${SEEDED}"}` })
    const log = JSON.stringify(emu.requests())
    expect(emu.requests()).toHaveLength(8)
    for (const t of [SEEDED, enc, OTHER]) expect(log).not.toContain(t)
    expect(log).toContain('<redacted>')
    // what is not a token is kept
    expect(emu.requests()[1]?.query).toEqual({ x: 'prefix-<redacted>-suffix' })
    expect(emu.requests()[0]?.query).toEqual({ next_token: '<redacted>' })
  })

  it('also when a malformed escape sits beside it in the path, or a raw `+` in it is read as a space in the query', async () => {
    const emu = await start({ tokens: { [SEEDED]: {} } })
    const every = [...SEEDED].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('')
    await call(emu, 'GET', `/federation/${every}/%zz`)
    await call(emu, 'GET', `/federation/${encodeURIComponent(SEEDED)}%`)
    await call(emu, 'GET', `/assignment/accounts?next_token=${SEEDED}`)
    await call(emu, 'GET', `/assignment/accounts?${SEEDED}`)
    await call(emu, 'GET', `/assignment/accounts?x=${SEEDED.replace(/-/g, '%2D')}`)
    const records = emu.requests()
    expect(records).toHaveLength(5)
    const log = JSON.stringify(records)
    // what a reader of the log would get back by decoding it
    const decoded = log.replace(/%[0-9a-f]{2}/gi, (h) => String.fromCharCode(parseInt(h.slice(1), 16)))
    for (const form of [SEEDED, SEEDED.replace(/\+/g, ' ')]) expect(decoded).not.toContain(form)
    expect(records[0]?.path).toBe('/federation/<redacted>/%zz')
    expect(records[2]?.query).toEqual({ next_token: '<redacted>' })
  })

  it('an unknown bearer token sent in the query is redacted too', async () => {
    const emu = await start({ tokens: {} })
    await call(emu, 'GET', '/assignment/accounts?next_token=not-seeded-but-sent', { token: 'not-seeded-but-sent' })
    expect(JSON.stringify(emu.requests())).not.toContain('not-seeded-but-sent')
  })
})
