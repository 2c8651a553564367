/**
 * `fromSSOToken` against the emulator (the SSO OIDC `refresh_token` grant, with rotation),
 * in real temporary homes: the refresh window's edges, the fallbacks, what is never
 * refreshed, callers of one process sharing a refresh, a stale lock, and 16 processes
 * refreshing at the same moment. Sessions come from `login` (device code, auto-approved,
 * with `sso_registration_scopes`: refreshable); the clock is injected into both the
 * emulator and `fromSSOToken`, so that expiry is crossed without waiting.
 */
import { spawn } from 'node:child_process'
import { Worker } from 'node:worker_threads'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { build } from 'esbuild'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reveal, type Sensitive } from '../../../src/core/Sensitive.js'
import {
  cliTokenText,
  fromSSO,
  fromSSOToken,
  LOCK_STALE_MS,
  login,
  readToken,
  REFRESH_WINDOW_MS,
  tokenCacheFile,
  type FromSSOTokenOptions,
  type SSOToken,
  type TokenTarget
} from '../../../src/auth/sso/index.js'
import type { Emulator, EmulatorOptions } from '../../../src/emulator/index.js'
import { useEmulators } from '../../util/emulator.js'
import { scriptedServer } from '../../util/scripted.js'
import { envTo, useHomes, type Home } from './helpers.js'

const START_URL = 'https://corp.awsapps.com/start'
const OLD_URL = 'https://old.awsapps.com/start'

const CONFIG = [
  '[profile dev]',
  'sso_session = corp',
  'sso_account_id = 123456789012',
  'sso_role_name = ReadOnly',
  '[sso-session corp]',
  `sso_start_url = ${START_URL}`,
  'sso_region = eu-west-1',
  'sso_registration_scopes = sso:account:access',
  '[profile old]',
  `sso_start_url = ${OLD_URL}`,
  'sso_region = us-east-1',
  'sso_account_id = 123456789012',
  'sso_role_name = ReadOnly',
  ''
].join('\n')

const emulator = useEmulators()
const newHome = useHomes()

interface World {
  readonly home: Home
  readonly emu: Emulator
  readonly env: Record<string, string>
  /** The clock of the emulator and of every call (whole seconds at the start). */
  t: number
  readonly file: string
  /** The token `login` cached. */
  readonly first: SSOToken
  readonly token: (target?: TokenTarget, more?: Partial<FromSSOTokenOptions>) => ReturnType<ReturnType<typeof fromSSOToken>>
  /** The `CreateToken` calls the emulator saw. */
  readonly createTokens: () => number
  readonly cached: () => Promise<SSOToken>
}

const world = async (options: EmulatorOptions = {}): Promise<World> => {
  const w = { t: Math.floor(Date.now() / 1000) * 1000 } as World
  const emu = await emulator({ clock: () => w.t, autoApprove: true, rotateRefreshTokens: true, ...options })
  const home = newHome()
  home.config(CONFIG)
  const env = { AWS_ENDPOINT_URL_SSO_OIDC: emu.url, AWS_ENDPOINT_URL_SSO: emu.url, AWS_MAX_ATTEMPTS: '1' }
  const r = await login({ ssoSession: 'corp' }, { homedir: home.home, env, prompt: () => undefined, useDeviceCode: true, now: () => w.t })()
  if (r._tag === 'Left') throw new Error(`login failed: ${r.left.message}`)
  expect(r.right.token.refreshToken).toBeDefined()
  const file = tokenCacheFile(home.home, { _tag: 'SSOSession', name: 'corp' })
  return Object.assign(w, {
    home,
    emu,
    env,
    file,
    first: r.right.token,
    token: (target: TokenTarget = { profile: 'dev' }, more: Partial<FromSSOTokenOptions> = {}) =>
      fromSSOToken(target, { homedir: home.home, env, now: () => w.t, ...more })(),
    createTokens: () => emu.requests().filter((q) => q.operation === 'CreateToken').length,
    cached: async () => {
      const c = await readToken(file)()
      if (c._tag === 'Left') throw new Error(c.left.message)
      return c.right
    }
  })
}

/** The secret's value, or '' when absent. */
const opt = (s: Sensitive<string> | undefined): string => (s === undefined ? '' : reveal(s))

const value = (r: Awaited<ReturnType<World['token']>>): string => {
  if (r._tag === 'Left') throw new Error(`fromSSOToken failed: ${r.left.message}`)
  return reveal(r.right)
}

/** Whether the portal accepts the token (`ListAccounts`). */
const portalAccepts = async (emu: Emulator, token: string): Promise<boolean> =>
  (await fetch(`${emu.url}/assignment/accounts`, { headers: { 'x-amz-sso_bearer_token': token } })).status === 200

const noSecretIn = (u: unknown, ...secrets: ReadonlyArray<string | undefined>): void => {
  const text = JSON.stringify(u)
  for (const s of secrets) if (s !== undefined) expect(text).not.toContain(s)
}

describe('fromSSOToken: the refresh window (15 minutes, as botocore)', () => {
  it('exactly 15 minutes left: the cached token, no call', async () => {
    const w = await world()
    w.t = w.first.expiresAt.getTime() - REFRESH_WINDOW_MS
    const before = w.createTokens()
    expect(value(await w.token())).toBe(reveal(w.first.accessToken))
    expect(w.createTokens()).toBe(before)
    expect(fs.readFileSync(w.file, 'utf8')).toBe(cliTokenText(w.first))
  })

  it('one millisecond less: refreshed once, written back as AWS CLI v2 writes it, rotated refresh token, registration kept', async () => {
    const w = await world()
    w.t = w.first.expiresAt.getTime() - REFRESH_WINDOW_MS + 1
    const before = w.createTokens()
    const got = value(await w.token())
    expect(w.createTokens()).toBe(before + 1)
    expect(got).not.toBe(reveal(w.first.accessToken))
    const now = await w.cached()
    expect(reveal(now.accessToken)).toBe(got)
    expect(now.expiresAt.getTime()).toBe(Math.floor((w.t + 3600_000) / 1000) * 1000)
    expect(opt(now.refreshToken)).not.toBe(opt(w.first.refreshToken))
    expect(opt(now.refreshToken)).not.toBe('')
    expect(now).toMatchObject({ startUrl: START_URL, region: 'eu-west-1', clientId: w.first.clientId, registrationExpiresAt: w.first.registrationExpiresAt })
    expect(opt(now.clientSecret)).toBe(opt(w.first.clientSecret))
    // the bytes and key order of AWS CLI v2, mode 0600
    expect(fs.readFileSync(w.file, 'utf8')).toBe(cliTokenText(now))
    expect(Object.keys(JSON.parse(fs.readFileSync(w.file, 'utf8')) as object)).toEqual([
      'startUrl', 'region', 'accessToken', 'expiresAt', 'clientId', 'clientSecret', 'registrationExpiresAt', 'refreshToken'
    ])
    expect(fs.statSync(w.file).mode & 0o777).toBe(0o600)
    expect(await portalAccepts(w.emu, got)).toBe(true)
    // the new token is outside the window: no further call
    expect(value(await w.token())).toBe(got)
    expect(w.createTokens()).toBe(before + 1)
    // nothing left behind: no lock
    expect(w.home.ls(w.home.tokens).filter((f) => f.endsWith('.lock'))).toEqual([])
  })

  it('expired, refreshable: refreshed, and fromSSO gets role credentials across the expiry; by sso-session too', async () => {
    const w = await world()
    w.t = w.first.expiresAt.getTime() + 60_000
    expect(await portalAccepts(w.emu, reveal(w.first.accessToken))).toBe(false)
    const creds = await fromSSO({ profile: 'dev', homedir: w.home.home, env: w.env, now: () => w.t })()
    expect(creds._tag === 'Right' && creds.right.accessKeyId.length > 0).toBe(true)
    expect(w.createTokens()).toBe(2)
    w.t += 3600_000
    expect(value(await w.token({ ssoSession: 'corp' }))).toBe(reveal((await w.cached()).accessToken))
    expect(w.createTokens()).toBe(3)
  })

  it('without rotation: the refresh token is kept', async () => {
    const w = await world({ rotateRefreshTokens: false })
    w.t = w.first.expiresAt.getTime() - 60_000
    value(await w.token())
    expect(opt((await w.cached()).refreshToken)).toBe(opt(w.first.refreshToken))
  })
})

describe('fromSSOToken: a refresh that fails', () => {
  it('a server error (500): the still-valid token; once expired, an error asking to log in again, no secret in it', async () => {
    const w = await world()
    const failing = await scriptedServer([
      { status: 500, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalServerException' }, body: '{"error":"server_error"}' }
    ])
    try {
      const env = { ...w.env, AWS_ENDPOINT_URL_SSO_OIDC: failing.url }
      w.t = w.first.expiresAt.getTime() - 60_000
      expect(value(await w.token({ profile: 'dev' }, { env }))).toBe(reveal(w.first.accessToken))
      expect(failing.requests).toHaveLength(1)
      expect(failing.requests[0]?.url).toBe('/token')
      expect(JSON.parse(failing.requests[0]?.body ?? '{}')).toMatchObject({ grantType: 'refresh_token', refreshToken: opt(w.first.refreshToken) })
      expect(fs.readFileSync(w.file, 'utf8')).toBe(cliTokenText(w.first))
      w.t = w.first.expiresAt.getTime()
      const r = await w.token({ profile: 'dev' }, { env })
      expect(r._tag === 'Left' && r.left).toMatchObject({
        _tag: 'SSOTokenError',
        reason: 'Expired',
        profile: 'dev',
        refresh: { reason: 'ServiceFailed' }
      })
      expect(r._tag === 'Left' && r.left.message).toContain('log in again: run `fp-aws sso login --profile dev` (or `aws sso login --profile dev`)')
      noSecretIn(r, reveal(w.first.accessToken), opt(w.first.refreshToken), opt(w.first.clientSecret))
      expect(fs.readFileSync(w.file, 'utf8')).toBe(cliTokenText(w.first))
    } finally {
      await failing.close()
    }
  })

  it('a stopped server: the still-valid token, then the error', async () => {
    const w = await world()
    await w.emu.close()
    w.t = w.first.expiresAt.getTime() - 1000
    expect(value(await w.token())).toBe(reveal(w.first.accessToken))
    w.t = w.first.expiresAt.getTime() + 1000
    const r = await w.token({ ssoSession: 'corp' })
    expect(r._tag === 'Left' && r.left).toMatchObject({ _tag: 'SSOTokenError', reason: 'Expired', ssoSession: 'corp', refresh: { reason: 'ServiceFailed' } })
    expect(r._tag === 'Left' && r.left.message).toContain('`fp-aws sso login --sso-session corp`')
  })

  it('a refresh token rotated away: InvalidGrantException, never sent again by a fresher cache, the valid token kept', async () => {
    const w = await world()
    const stale = fs.readFileSync(w.file, 'utf8')
    w.t = w.first.expiresAt.getTime() - 60_000
    value(await w.token())
    // a copy of the old file (as a backup restored) holds the rotated-away refresh token
    fs.writeFileSync(w.file, stale)
    expect(value(await w.token())).toBe(reveal(w.first.accessToken))
    expect(w.createTokens()).toBe(3)
    w.t = w.first.expiresAt.getTime() + 1
    const r = await w.token()
    expect(r._tag === 'Left' && r.left).toMatchObject({ reason: 'Expired', refresh: { reason: 'ServiceFailed', code: 'InvalidGrantException' } })
    noSecretIn(r, reveal(w.first.accessToken), opt(w.first.refreshToken), opt(w.first.clientSecret))
  })

  it('an expired registration: never refreshed; the valid token, then an error', async () => {
    const w = await world({ registrationTtlSeconds: 1800 })
    w.t = w.first.expiresAt.getTime() - 60_000
    expect(value(await w.token())).toBe(reveal(w.first.accessToken))
    expect(w.createTokens()).toBe(1)
    w.t = w.first.expiresAt.getTime()
    const r = await w.token()
    expect(r._tag === 'Left' && r.left).toMatchObject({ reason: 'Expired', refresh: { reason: 'RegistrationExpired' } })
    expect(w.createTokens()).toBe(1)
  })

  it('a legacy token is never refreshed, even with every refresh field', async () => {
    const w = await world()
    const legacy = tokenCacheFile(w.home.home, { _tag: 'StartUrl', startUrl: OLD_URL })
    fs.writeFileSync(legacy, cliTokenText({ ...w.first, startUrl: OLD_URL, region: 'us-east-1' }))
    w.t = w.first.expiresAt.getTime() - 60_000
    expect(value(await w.token({ profile: 'old' }))).toBe(reveal(w.first.accessToken))
    w.t = w.first.expiresAt.getTime() + 1
    const r = await w.token({ profile: 'old' })
    expect(r._tag === 'Left' && r.left).toMatchObject({ reason: 'Expired', profile: 'old', refresh: { reason: 'Legacy' } })
    expect(w.createTokens()).toBe(1)
  })

  it('a token without refresh fields: the valid token, then an error', async () => {
    const w = await world()
    fs.writeFileSync(w.file, cliTokenText({ startUrl: START_URL, region: 'eu-west-1', accessToken: w.first.accessToken, expiresAt: w.first.expiresAt }))
    w.t = w.first.expiresAt.getTime() - 60_000
    expect(value(await w.token())).toBe(reveal(w.first.accessToken))
    w.t = w.first.expiresAt.getTime()
    expect(await w.token()).toMatchObject({ _tag: 'Left', left: { reason: 'Expired', refresh: { reason: 'NotRefreshable' } } })
    expect(w.createTokens()).toBe(1)
  })

  it('a corrupt cache file: Invalid, no call, the file untouched', async () => {
    const w = await world()
    fs.writeFileSync(w.file, '{"accessToken": "half')
    w.t = w.first.expiresAt.getTime() - 60_000
    const r = await w.token()
    expect(r._tag === 'Left' && r.left).toMatchObject({ _tag: 'SSOTokenError', reason: 'Invalid' })
    expect(r._tag === 'Left' && r.left.message).toContain('log in again')
    expect(fs.readFileSync(w.file, 'utf8')).toBe('{"accessToken": "half')
    expect(w.createTokens()).toBe(1)
    fs.rmSync(w.file)
    expect(await w.token()).toMatchObject({ _tag: 'Left', left: { reason: 'Missing' } })
  })

  it('bad options and targets: a ConfigError, never a throw', async () => {
    const w = await world()
    expect(await fromSSOToken({} as TokenTarget, { homedir: w.home.home, env: {} })()).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError' } })
    expect(await w.token({ profile: 'dev' }, { now: () => { throw new Error('boom') } })).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError' } })
    expect(await w.token({ ssoSession: 'nope' })).toMatchObject({ _tag: 'Left', left: { _tag: 'SSOConfigError', reason: 'SessionNotFound' } })
  })
})

describe('fromSSOToken: at most one refresh', () => {
  it('20 callers in one process inside the window: one CreateToken, one token for all', async () => {
    const w = await world()
    w.t = w.first.expiresAt.getTime() - 60_000
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => w.token(i % 2 === 0 ? { profile: 'dev' } : { ssoSession: 'corp' })))
    const tokens = new Set(all.map(value))
    expect(tokens.size).toBe(1)
    expect(w.createTokens()).toBe(2)
    expect([...tokens][0]).toBe(reveal((await w.cached()).accessToken))
  })

  it('callers share the refresh in flight: one setup, and all get the new token even when it cannot be written', async () => {
    const w = await world()
    w.t = w.first.expiresAt.getTime() - 60_000
    let setups = 0
    // during the refresh the cache directory becomes writable by anyone: the new token cannot
    // be written, and the cache cannot be read again; only callers sharing the refresh get it
    const envForRegion = (region: string) => {
      setups += 1
      fs.chmodSync(w.home.tokens, 0o777)
      return TE.right(envTo(w.emu.url)(region))
    }
    try {
      const all = await Promise.all(Array.from({ length: 10 }, () => w.token({ profile: 'dev' }, { envForRegion })))
      expect(setups).toBe(1)
      expect(w.createTokens()).toBe(2)
      const tokens = new Set(all.map(value))
      expect(tokens.size).toBe(1)
      expect([...tokens][0]).not.toBe(reveal(w.first.accessToken))
      expect(await portalAccepts(w.emu, [...tokens][0] ?? '')).toBe(true)
    } finally {
      fs.chmodSync(w.home.tokens, 0o700)
    }
    // the file still holds the old token
    expect(fs.readFileSync(w.file, 'utf8')).toBe(cliTokenText(w.first))
  })

  it('a lock left by a process that died: taken over once stale, then refreshed', async () => {
    const w = await world()
    const lock = `${w.file}.lock`
    fs.mkdirSync(lock)
    const old = new Date(Date.now() - LOCK_STALE_MS - 1000)
    fs.utimesSync(lock, old, old)
    w.t = w.first.expiresAt.getTime() - 60_000
    expect(value(await w.token())).not.toBe(reveal(w.first.accessToken))
    expect(w.createTokens()).toBe(2)
    expect(fs.existsSync(lock)).toBe(false)
  })
})

// -------------------------------------------------------------------------------------
// processes
// -------------------------------------------------------------------------------------

const PROCESSES = 16
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-refresher-'))
const refresher = path.join(scratch, 'refresher.cjs')
beforeAll(async () => {
  await build({
    entryPoints: [path.join(__dirname, 'refresher.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: refresher,
    logLevel: 'silent'
  })
}, 30_000)
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))

interface Child {
  readonly ready: Promise<void>
  readonly go: () => void
  readonly result: Promise<string>
}

const spawnRefresher = (home: string, url: string, offsetMs: number): Child => {
  const child = spawn(process.execPath, [refresher, home, url, String(offsetMs)], { stdio: ['pipe', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  let onReady: () => void = () => undefined
  const ready = new Promise<void>((resolve) => (onReady = resolve))
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString('utf8')
    if (out.startsWith('ready\n')) onReady()
  })
  child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')))
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  const result = new Promise<string>((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer)
      onReady()
      resolve(code === 0 ? out.split('\n')[1] ?? '' : `exit ${String(code)}: ${err}${out}`)
    })
  )
  return { ready, go: () => child.stdin.end('go\n'), result }
}

const startWorker = (home: string, url: string, offsetMs: number): Child => {
  const worker = new Worker(refresher, { workerData: { home, url, offset: offsetMs } })
  let onReady: () => void = () => undefined
  const ready = new Promise<void>((resolve) => (onReady = resolve))
  const result = new Promise<string>((resolve) => {
    worker.on('message', (m: string) => {
      if (m === 'ready') onReady()
      else {
        resolve(m)
        void worker.terminate()
      }
    })
    worker.on('error', (e) => (onReady(), resolve(`worker error: ${e.message}`)))
  })
  return { ready, go: () => worker.postMessage('go'), result }
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex')

describe(`fromSSOToken: ${PROCESSES} processes (and threads) refresh at the same moment, with rotation`, () => {
  it.each([
    [1, 0],
    [2, 0],
    [3, 0],
    [4, 8]
  ])('run %i (and %i worker threads): all succeed with the one refreshed token; the emulator sees one refresh; the portal accepts it', async (_, threads) => {
    let offset = 0
    const emu = await emulator({ clock: () => Date.now() + offset, autoApprove: true, rotateRefreshTokens: true })
    const home = newHome()
    home.config(CONFIG)
    const env = { AWS_ENDPOINT_URL_SSO_OIDC: emu.url, AWS_ENDPOINT_URL_SSO: emu.url }
    const r = await login({ ssoSession: 'corp' }, { homedir: home.home, env, prompt: () => undefined, useDeviceCode: true })()
    if (r._tag === 'Left') throw new Error(r.left.message)
    // five minutes before the expiry: inside the window, the token still valid
    offset = r.right.token.expiresAt.getTime() - Date.now() - 5 * 60_000
    const children = [
      ...Array.from({ length: PROCESSES }, () => spawnRefresher(home.home, emu.url, offset)),
      ...Array.from({ length: threads }, () => startWorker(home.home, emu.url, offset))
    ]
    await Promise.all(children.map((c) => c.ready))
    for (const c of children) c.go()
    const results = await Promise.all(children.map((c) => c.result))
    const file = tokenCacheFile(home.home, { _tag: 'SSOSession', name: 'corp' })
    const cached = await readToken(file)()
    if (cached._tag === 'Left') throw new Error(cached.left.message)
    const newest = reveal(cached.right.accessToken)
    expect(newest).not.toBe(reveal(r.right.token.accessToken))
    expect(results).toEqual(Array.from({ length: PROCESSES + threads }, () => `ok ${sha256(newest)}`))
    // the login's CreateToken, and one refresh: no refresh token sent twice
    expect(emu.requests().filter((q) => q.operation === 'CreateToken').length).toBe(2)
    expect(await portalAccepts(emu, newest)).toBe(true)
    const creds = await fromSSO({ profile: 'dev', homedir: home.home, env, now: () => Date.now() + offset })()
    expect(creds._tag).toBe('Right')
    expect(emu.requests().filter((q) => q.operation === 'CreateToken').length).toBe(2)
    expect(home.ls(home.tokens).filter((f) => f.endsWith('.lock'))).toEqual([])
  }, 90_000)
})
