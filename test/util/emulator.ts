/**
 * Helpers shared by the emulator's own tests: emulators closed after each test, and a plain
 * `node:http` client that shows the raw reply.
 */
import * as http from 'node:http'
import { afterEach } from 'vitest'
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js'

/** Registers an `afterEach` that closes every emulator `start` started in the test. */
export const useEmulators = (): ((options: EmulatorOptions) => Promise<Emulator>) => {
  const started: Array<Emulator> = []
  afterEach(async () => {
    await Promise.all(started.splice(0).map((e) => e.close()))
  })
  return async (options) => {
    const r = await startEmulator(options)()
    if (r._tag === 'Left') throw new Error(r.left.message)
    started.push(r.right)
    return r.right
  }
}

export interface Reply {
  readonly status: number
  readonly headers: http.IncomingHttpHeaders
  readonly rawHeaders: ReadonlyArray<string>
  readonly body: string
  readonly reusedSocket: boolean
}

/**
 * A plain node:http request (a fresh connection unless `agent` is given). Rejects with the
 * socket error; with code `ABORTED` (and the `partial` body) when the response is cut off;
 * with code `CLIENT_TIMEOUT` after `timeoutMs`.
 */
export const call = (
  emu: Emulator,
  method: string,
  path: string,
  opts: { readonly token?: string; readonly body?: string; readonly agent?: http.Agent; readonly timeoutMs?: number } = {}
): Promise<Reply> =>
  new Promise((resolve, reject) => {
    const headers: Record<string, string> = {}
    if (opts.token !== undefined) headers['x-amz-sso_bearer_token'] = opts.token
    const req = http.request(`${emu.url}${path}`, { method, headers, agent: opts.agent ?? false }, (res) => {
      const chunks: Array<Buffer> = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          rawHeaders: res.rawHeaders,
          body: Buffer.concat(chunks).toString('utf8'),
          reusedSocket: req.reusedSocket
        })
      )
      res.on('error', reject)
      res.on('aborted', () =>
        reject(Object.assign(new Error('aborted'), { code: 'ABORTED', partial: Buffer.concat(chunks).toString('utf8'), status: res.statusCode }))
      )
    })
    req.on('error', reject)
    if (opts.timeoutMs !== undefined) {
      req.setTimeout(opts.timeoutMs, () => req.destroy(Object.assign(new Error('client timeout'), { code: 'CLIENT_TIMEOUT' })))
    }
    req.end(opts.body)
  })
