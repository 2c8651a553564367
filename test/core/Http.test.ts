/**
 * The lean axios adapters of core/Http over real loopback sockets: the node:http exchange
 * (default on Node) and the fetch exchange (default elsewhere, run here on Node's fetch),
 * both on their own and plugged into a real axios instance.
 */
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as zlib from 'node:zlib'
import axios from 'axios'
import { afterEach, describe, expect, it } from 'vitest'
import {
  axiosClient,
  axiosDefaults,
  defaultHttpClient,
  fetchAdapter,
  fromAxios,
  hasNativeDeadline,
  nodeHttpAdapter,
  type HttpCall,
  type HttpClient
} from '../../src/core/Http.js'
import { closedPort } from '../util/scripted.js'
import { pipe } from 'fp-ts/lib/function.js'
import { newEnv, send, type Env } from '../../src/index.js'
import { Logout, newLogout } from '../../src/services/sso/index.js'

const TOKEN = 'http-test-token-0123456789'

interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: http.IncomingHttpHeaders
  readonly body: string
}

const servers: Array<http.Server> = []
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections()
          s.close(() => resolve())
        })
    )
  )
})

/** A server answering every request with `answer`; records what it saw. */
const serve = async (
  answer: (req: http.IncomingMessage, res: http.ServerResponse) => void
): Promise<{ readonly url: string; readonly seen: Array<Seen> }> => {
  const seen: Array<Seen> = []
  const server = http.createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      answer(req, res)
    })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }
}

const call = (url: string, extra: Partial<HttpCall> = {}): HttpCall => ({
  method: 'POST',
  url: `${url}/logout`,
  headers: { 'user-agent': 'fp-aws/test', 'x-amz-sso_bearer_token': TOKEN },
  body: undefined,
  signal: undefined,
  maxResponseBytes: 1024 * 1024,
  ...extra
})

const text = (body: Uint8Array): string => new TextDecoder().decode(body)

const clients: ReadonlyArray<readonly [string, () => HttpClient]> = [
  ['node:http exchange', () => axiosClient({ adapter: 'http' })],
  ['fetch exchange', () => axiosClient({ adapter: 'fetch' })],
  ['axios + nodeHttpAdapter', () => fromAxios(axios.create({ ...axiosDefaults, adapter: nodeHttpAdapter() }))],
  ['axios + fetchAdapter', () => fromAxios(axios.create({ ...axiosDefaults, adapter: fetchAdapter() }))]
]

describe.each(clients)('%s', (_name, make) => {
  it('sends the request axios sent (no body, no content type) and reads the response', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-RequestId': 'r-1' })
      res.end('{"ok":true}')
    })
    const r = await make()(call(s.url))
    expect(r._tag).toBe('Right')
    if (r._tag === 'Right') {
      expect(r.right.status).toBe(200)
      expect(r.right.headers['x-amzn-requestid']).toBe('r-1')
      expect(text(r.right.body)).toBe('{"ok":true}')
      expect(r.right.body).toBeInstanceOf(Uint8Array)
    }
    const seen = s.seen[0]!
    expect([seen.method, seen.url, seen.body]).toStrictEqual(['POST', '/logout', ''])
    expect(seen.headers['x-amz-sso_bearer_token']).toBe(TOKEN)
    expect(seen.headers['accept']).toBe('application/json')
    expect(seen.headers['content-length']).toBe('0')
    expect(seen.headers['content-type']).toBeUndefined()
  })

  it('sends a body with its byte length', async () => {
    const s = await serve((_req, res) => res.end())
    await make()(call(s.url, { headers: { 'content-type': 'application/json' }, body: '{"q":"é"}' }))
    expect(s.seen[0]?.body).toBe('{"q":"é"}')
    expect(s.seen[0]?.headers['content-length']).toBe('10')
  })

  it('returns a redirect as a response and never follows it', async () => {
    const other = await serve((_req, res) => res.end())
    const s = await serve((_req, res) => {
      res.writeHead(307, { location: `${other.url}/logout` })
      res.end()
    })
    const r = await make()(call(s.url))
    expect(r._tag === 'Right' && r.right.status).toBe(307)
    expect(other.seen).toHaveLength(0)
  })

  it('fails a body over the limit with BodyTooLarge, declared or not', async () => {
    const declared = await serve((_req, res) => res.end('x'.repeat(5000)))
    const chunked = await serve((_req, res) => {
      res.write('x'.repeat(3000))
      res.end('x'.repeat(3000))
    })
    for (const s of [declared, chunked]) {
      const r = await make()(call(s.url, { maxResponseBytes: 1024 }))
      expect(r._tag === 'Left' && r.left.reason).toBe('BodyTooLarge')
    }
  })

  it('reports a refused connection', async () => {
    const port = await closedPort()
    const r = await make()(call(`http://127.0.0.1:${port}`))
    expect(r._tag === 'Left' && r.left.reason).toBe('ConnectionRefused')
  })

  it('an aborted signal ends the attempt as Aborted, and never shows the token', async () => {
    const s = await serve(() => undefined) // never answers
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 30)
    const r = await make()(call(s.url, { signal: ac.signal }))
    expect(r._tag === 'Left' && r.left.reason).toBe('Aborted')
    expect(JSON.stringify(r)).not.toContain(TOKEN)
  })
})

describe('the default client', () => {
  it('keeps the attempt deadline itself (timeoutMs), so send gives it no controller of its own', async () => {
    expect(hasNativeDeadline(defaultHttpClient)).toBe(true)
    expect(hasNativeDeadline(axiosClient())).toBe(true)
    expect(hasNativeDeadline(fromAxios(axios.create()))).toBe(false)
    const s = await serve(() => undefined)
    for (const client of [axiosClient({ adapter: 'http' }), axiosClient({ adapter: 'fetch' })]) {
      const r = await client(call(s.url, { timeoutMs: 50 }))
      expect(r._tag === 'Left' && r.left.reason).toBe('Timeout')
    }
  })

  it('reuses a kept-alive connection', async () => {
    const s = await serve((_req, res) => res.end())
    const client = axiosClient()
    await client(call(s.url))
    await client(call(s.url))
    expect(s.seen.map((x) => x.headers['connection'])).toStrictEqual(['keep-alive', 'keep-alive'])
  })

  it.each([
    ['gzip', (b: Buffer) => zlib.gzipSync(b)],
    ['deflate', (b: Buffer) => zlib.deflateSync(b)],
    ['deflate', (b: Buffer) => zlib.deflateRawSync(b)],
    ['br', (b: Buffer) => zlib.brotliCompressSync(b)]
  ])('decodes a %s body, within the size limit', async (encoding, encode) => {
    const body = Buffer.from(JSON.stringify({ message: 'y'.repeat(4000) }))
    const s = await serve((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json', 'content-encoding': encoding })
      res.end(encode(body))
    })
    const client = axiosClient({ adapter: 'http' })
    const r = await client(call(s.url))
    expect(r._tag === 'Right' && text(r.right.body)).toBe(body.toString('utf8'))
    expect(r._tag === 'Right' && r.right.headers['content-encoding']).toBeUndefined()
    expect(s.seen[0]?.headers['accept-encoding']).toBe('gzip, compress, deflate, br')
    // the limit applies to the decoded body, not only to the bytes on the wire
    const small = await client(call(s.url, { maxResponseBytes: 1000 }))
    expect(small._tag === 'Left' && small.left.reason).toBe('BodyTooLarge')
  })

  it('joins repeated response headers the way axios did', async () => {
    const s = await serve((_req, res) => {
      res.setHeader('set-cookie', ['a=1', 'b=2'])
      res.end()
    })
    const r = await axiosClient()(call(s.url))
    expect(r._tag === 'Right' && r.right.headers['set-cookie']).toBe('a=1, b=2')
  })

  it('refuses a URL it cannot send to, without throwing', async () => {
    const r = await axiosClient()(call('ftp://127.0.0.1'))
    expect(r._tag === 'Left' && r.left.reason).toBe('Other')
  })
})

describe('the adapters inside axios', () => {
  it('apply validateStatus, baseURL, params and responseType like axios adapters, and their errors hide the config', async () => {
    const s = await serve((req, res) => {
      res.writeHead(req.url?.startsWith('/missing') === true ? 404 : 200, { 'content-type': 'application/json' })
      res.end('{"a":1}')
    })
    for (const adapter of [nodeHttpAdapter(), fetchAdapter()]) {
      const instance = axios.create({ adapter, baseURL: s.url })
      const ok = await instance.get('/things', { params: { n: 5 } })
      expect(ok.data).toStrictEqual({ a: 1 })
      const err: unknown = await instance
        .get('/missing', { headers: { 'x-amz-sso_bearer_token': TOKEN } })
        .then(() => undefined, (e: unknown) => e)
      expect(axios.isAxiosError(err)).toBe(true)
      expect(axios.isAxiosError(err) && err.response?.status).toBe(404)
      expect(JSON.stringify(err)).not.toContain(TOKEN)
    }
    expect(s.seen.map((x) => x.url)).toStrictEqual(['/things?n=5', '/missing', '/things?n=5', '/missing'])
  })
})

describe('proxy credentials of any length', () => {
  it('a 300k-character proxy password: newEnv does not throw, and the proxy gets it as Basic credentials', async () => {
    const password = 'p'.repeat(300_000)
    const seen: Array<string | undefined> = []
    const proxy = http.createServer({ maxHeaderSize: 1 << 20 }, (req, res) => {
      seen.push(req.headers['proxy-authorization'])
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{}')
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = proxy.address() as AddressInfo
      let env: Env | undefined
      expect(() => {
        env = newEnv({ endpoint: 'http://sso.invalid', maxAttempts: 1, proxy: { http: `http://user:${password}@127.0.0.1:${port}` } })
      }).not.toThrow()
      const r = await pipe(newLogout('proxy-long-password-token'), send(Logout))(env as Env)()
      expect(r._tag).toBe('Right')
      expect(seen).toEqual([`Basic ${Buffer.from(`user:${password}`).toString('base64')}`])
    } finally {
      await new Promise((resolve) => proxy.close(resolve))
    }
  })
})
