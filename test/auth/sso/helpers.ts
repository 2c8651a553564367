import { afterEach } from 'vitest'
/**
 * Test helpers for the SSO caches: real temporary home directories, cache files written
 * as the AWS CLI writes them, the real emulator. No fs mocks.
 */
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'
import { newEnv, type Env } from '../../../src/index.js'
import { credentialCacheDir, sha1Hex, tokenCacheDir } from '../../../src/auth/sso/index.js'
import { startEmulator, type Emulator, type EmulatorOptions, type TokenSeed } from '../../../src/emulator/index.js'

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0

export interface Home {
  readonly home: string
  readonly tokens: string
  readonly creds: string
  /** Writes a file in the token cache (JSON unless a string is given); returns its path. */
  readonly token: (name: string, content: unknown) => string
  /** Writes a file in the CLI credential cache; returns its path. */
  readonly cred: (name: string, content: unknown) => string
  readonly config: (text: string) => string
  readonly ls: (dir: string) => ReadonlyArray<string>
  readonly cleanup: () => void
}

export const makeHome = (): Home => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-home-'))
  const tokens = tokenCacheDir(home)
  const creds = credentialCacheDir(home)
  const write = (dir: string) => (name: string, content: unknown): string => {
    fs.mkdirSync(dir, { recursive: true })
    const file = path.join(dir, name)
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content))
    return file
  }
  return {
    home,
    tokens,
    creds,
    token: write(tokens),
    cred: write(creds),
    config: (text) => write(path.join(home, '.aws'))('config', text),
    ls: (dir) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []),
    cleanup: () => {
      // restore permissions changed by a test before removing
      for (const d of [home, tokens, creds]) if (fs.existsSync(d)) fs.chmodSync(d, 0o700)
      fs.rmSync(home, { recursive: true, force: true })
    }
  }
}

export const FUTURE = '2999-01-01T00:00:00Z'
export const PAST = '2001-01-01T00:00:00Z'

export const tokenJson = (
  accessToken: string,
  extra: Readonly<Record<string, unknown>> = {}
): Record<string, unknown> => ({
  startUrl: 'https://corp.awsapps.com/start',
  region: 'us-east-1',
  accessToken,
  expiresAt: FUTURE,
  ...extra
})

export const ssoCreds = (secret = 'cred-secret', session = 'cred-session'): Record<string, unknown> => ({
  ProviderType: 'sso',
  Credentials: { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: secret, SessionToken: session, Expiration: FUTURE }
})

export const fileFor = (name: string): string => `${sha1Hex(name)}.json`

export const start = async (options: EmulatorOptions = {}): Promise<Emulator> => {
  const r = await startEmulator(options)()
  if (r._tag === 'Left') throw new Error(r.left.message)
  return r.right
}

/** An env that reaches `url`, retrying without waiting. */
export const envTo =
  (url: string, extra: Parameters<typeof newEnv>[0] = {}) =>
  (region: string): Env =>
    newEnv({ region, endpoint: url, sleep: async () => true, ...extra })

/** A loopback port nobody listens on. */
export const closedPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port
      srv.close(() => resolve(port))
    })
  })

/** Temporary homes: `home()` makes one; every one made in a test is removed after it. */
export const useHomes = (): (() => Home) => {
  const homes: Array<Home> = []
  afterEach(() => {
    for (const h of homes.splice(0)) h.cleanup()
  })
  return () => {
    const h = makeHome()
    homes.push(h)
    return h
  }
}

/**
 * A supply of live tokens for one test file: `seeds` seeds the emulator with them, `live()`
 * hands out one never used before.
 */
export const liveTokens = (
  count: number,
  name: (i: number) => string
): { readonly seeded: ReadonlyArray<string>; readonly seeds: Record<string, TokenSeed>; readonly live: () => string } => {
  const seeded = Array.from({ length: count }, (_, i) => name(i))
  let next = 0
  return {
    seeded,
    seeds: Object.fromEntries(seeded.map((t) => [t, {}])),
    live: () => {
      const t = seeded[next++]
      if (t === undefined) throw new Error('out of seeded tokens')
      return t
    }
  }
}
