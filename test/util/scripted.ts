/**
 * A plain `node:http` server on 127.0.0.1 that answers each request by a script and records
 * what it received: the real wire, no mocks.
 */
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Recorded {
  readonly method: string
  readonly url: string
  readonly headers: http.IncomingHttpHeaders
  readonly rawHeaders: ReadonlyArray<string>
  readonly body: string
}

export type Step =
  | { readonly status: number; readonly headers?: Readonly<Record<string, string>>; readonly body?: string }
  | { readonly reset: true }
  | { readonly hang: true }
  | { readonly partial: string; readonly contentLength: number }

export interface Scripted {
  readonly url: string
  readonly requests: Array<Recorded>
  readonly close: () => Promise<void>
}

/** Steps are used in order; the last one repeats. */
export const scriptedServer = async (
  script: ReadonlyArray<Step> | ((req: Recorded, index: number) => Step)
): Promise<Scripted> => {
  const requests: Array<Recorded> = []
  const server = http.createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const rec: Recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks).toString('utf8')
      }
      const i = requests.length
      requests.push(rec)
      const step =
        typeof script === 'function' ? script(rec, i) : (script[Math.min(i, script.length - 1)] as Step)
      if ('reset' in step) {
        req.socket.resetAndDestroy()
      } else if ('hang' in step) {
        // never answer
      } else if ('partial' in step) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(step.contentLength) })
        res.write(step.partial, () => setTimeout(() => req.socket.destroy(), 10))
      } else {
        res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers })
        res.end(step.body ?? '')
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** A port on which nothing listens (bound, then released). */
export const closedPort = async (): Promise<number> => {
  const server = http.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
