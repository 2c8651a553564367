/**
 * Helpers shared by the operation tests: an independent oracle of the AWS SDKs' query
 * encoding, scripted servers closed after each test, and an `Env` that does not sleep.
 */
import { afterEach } from 'vitest'
import { newEnv, type Env, type EnvOptions } from '../../src/index.js'
import { scriptedServer, type Scripted, type Step } from './scripted.js'

/** The AWS SDKs' query encoding: RFC 3986 unreserved bytes stay, every other UTF-8 byte is %XX. */
export const awsEncode = (s: string): string =>
  Array.from(Buffer.from(s, 'utf8'))
    .map((b) =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`
    )
    .join('')

/** Registers an `afterEach` that closes every server `serve` started in the test. */
export const useScriptedServers = (): ((script: ReadonlyArray<Step>) => Promise<Scripted>) => {
  const servers: Array<Scripted> = []
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()))
  })
  return async (script) => {
    const s = await scriptedServer(script)
    servers.push(s)
    return s
  }
}

/** An `Env` on `url` whose backoff waits return at once, with a fixed jitter. */
export const envFor = (url: string, extra: EnvOptions = {}): Env =>
  newEnv({ endpoint: url, sleep: () => Promise.resolve(true), random: () => 0.5, ...extra })
