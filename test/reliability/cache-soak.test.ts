/**
 * A bounded soak of the cache sweep with a concurrent writer. While `logoutAll` sweeps the
 * caches of a real temporary home again and again (against the emulator), another async
 * loop keeps writing: non-SSO files (client registrations, other providers' credentials,
 * malformed files), with the library's atomic writes and with plain `fs.writeFile`, and new
 * SSO tokens and SSO credentials.
 *
 * Checked:
 * - no file is lost that should stay: every non-SSO file written is there at the end, with
 *   the content last written;
 * - every SSO token whose file disappeared was logged out at the emulator before (checked the
 *   moment the disappearance is seen), and exactly once;
 * - every SSO token and credentials file is gone after a last sweep; no temporary file is left.
 *
 * The second test adds what `aws sso login` does while a logout runs: it rewrites the token
 * file of a session (same path, a new token) — the sweep must not delete a token it has not
 * logged out.
 *
 * Both soaks run at once for `FP_AWS_SOAK_MS` (default 8 s); `FP_AWS_SOAK_SEED` replays a run.
 */
import * as fs from 'node:fs'
import * as fsp from 'node:fs/promises'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newEnv } from '../../src/index.js'
import { sensitive } from '../../src/core/Sensitive.js'
import {
  credentialCacheDir,
  credentialCacheFile,
  credentialCacheKey,
  logoutAll,
  tokenCacheDir,
  tokenCacheFile,
  writeCachedCredentials,
  writeFileAtomic,
  writeToken,
  type LogoutReport
} from '../../src/auth/sso/index.js'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'

const SOAK_MS = Number(process.env['FP_AWS_SOAK_MS'] ?? 8_000)
const BASE_SEED = Number(process.env['FP_AWS_SOAK_SEED'] ?? Math.floor(Math.random() * 2 ** 31))

/** mulberry32: a small seeded PRNG, so that a failing run can be replayed. */
const prng = (seed: number): (() => number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const exists = async (p: string): Promise<boolean> => {
  try {
    await fsp.lstat(p)
    return true
  } catch {
    return false
  }
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

const FUTURE = new Date('2999-01-01T00:00:00Z')

let emu: Emulator
let root: string
beforeAll(async () => {
  const started = await startEmulator({ tokens: {} })()
  if (started._tag === 'Left') throw new Error(started.left.message)
  emu = started.right
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-soak-'))
})
afterAll(async () => {
  await emu.close()
  fs.rmSync(root, { recursive: true, force: true })
})

/** What went wrong, by kind, so that each test asserts one property. */
interface Findings {
  /** A non-SSO file lost or changed, a sweep error, an SSO file left, a token sent that is no session. */
  readonly safety: Array<string>
  /** A token file that disappeared while its last token had not been logged out. */
  readonly unlogged: Array<string>
  /** A token logged out more than once. */
  readonly double: Array<string>
  /** A write (the library's own atomic write) that failed while the sweep ran. */
  readonly writeFailed: Array<string>
}

interface SoakResult {
  readonly seed: number
  readonly findings: Findings
  readonly stats: Readonly<Record<string, number>>
}

const soak = async (name: string, seed: number, relogin: boolean): Promise<SoakResult> => {
  const random = prng(seed)
  const pick = <A>(xs: ReadonlyArray<A>): A => xs[Math.floor(random() * xs.length)] as A
  const home = path.join(root, name)
  const tokens = tokenCacheDir(home)
  const creds = credentialCacheDir(home)
  fs.mkdirSync(tokens, { recursive: true })
  fs.mkdirSync(creds, { recursive: true })
  const prefix = `${name}-${seed}`

  const findings: Findings = { safety: [], unlogged: [], double: [], writeFailed: [] }
  const stats: Record<string, number> = {}
  const count = (k: string): void => {
    stats[k] = (stats[k] ?? 0) + 1
  }
  /** Non-SSO files: the content last written, which must be there at the end. */
  const stay = new Map<string, Buffer>()
  /** SSO token files: the token last written to each (successfully). */
  const lastToken = new Map<string, string>()
  /** Every token whose write succeeded. */
  const written = new Set<string>()
  /** Token files written once, watched until they disappear. */
  const watched = new Set<string>()
  const ssoCreds = new Set<string>()
  let n = 0
  let stop = false

  /**
   * A token file seen gone: its last token must have been logged out already, unless the
   * file comes back. The sweep claims a file (renames it away) to compare it with what it
   * read, and puts a rewritten one back: a file may be absent for that moment.
   * Returns whether the file came back.
   */
  const checkGone = async (file: string, why: string): Promise<boolean> => {
    const t = lastToken.get(file)
    if (t === undefined || emu.logoutCount(t) >= 1) return false
    for (let i = 0; i < 25; i++) {
      await pause(2)
      if (await exists(file)) return true
      if (emu.logoutCount(t) >= 1) return false
    }
    findings.unlogged.push(`${why}: ${path.basename(file)} disappeared, but its token ${t} was never logged out`)
    return false
  }

  const writeNonSSO = async (file: string, text: Buffer, atomic: boolean): Promise<void> => {
    if (atomic) {
      const r = await writeFileAtomic(file, text.toString('utf8'))()
      if (r._tag === 'Left') {
        findings.writeFailed.push(`writing the non-SSO file ${path.basename(file)} failed: ${r.left.message}`)
        return
      }
      stay.set(file, Buffer.from(text.toString('utf8')))
    } else {
      await fsp.writeFile(file, text)
      stay.set(file, text)
    }
    count('non-SSO writes')
  }

  const newToken = (): string => `${prefix}-token-${n++}`
  /** Tokens in files that are not SSO tokens (kept): they must never be sent. */
  const nevers: Array<string> = []
  const never = (): string => {
    const t = `${prefix}-never-${n++}`
    nevers.push(t)
    return t
  }
  const tokenRecord = (t: string) => ({
    startUrl: 'https://soak.awsapps.com/start',
    region: pick(['us-east-1', 'eu-west-1']),
    accessToken: sensitive(t),
    expiresAt: FUTURE,
    clientId: 'soak-client',
    clientSecret: sensitive('soak-secret'),
    refreshToken: sensitive('soak-refresh')
  })

  const ops: ReadonlyArray<readonly [number, () => Promise<void>]> = [
    // client registrations (no accessToken), atomically, with the library
    [3, () => writeNonSSO(path.join(tokens, `registration-${Math.floor(random() * 5)}.json`), Buffer.from(JSON.stringify({ clientId: 'c', clientSecret: 's', expiresAt: '2999-01-01T00:00:00Z', n: n++ })), true)],
    // malformed files, with plain fs.writeFile (not atomic: the sweep may see them half written)
    [
      3,
      () =>
        writeNonSSO(
          path.join(tokens, `junk-${Math.floor(random() * 6)}.json`),
          pick([
            Buffer.from(`not json {${n++}`),
            Buffer.from(JSON.stringify([n++, 'accessToken'])),
            Buffer.from(JSON.stringify({ accessToken: n++, region: 'us-east-1' })),
            Buffer.from(JSON.stringify({ accessToken: never(), region: { r: 1 } })),
            Buffer.from(JSON.stringify({ startUrl: 'https://x/start', region: 'us-east-1', n: n++ })),
            Buffer.concat([Buffer.from('{"accessToken":"'), Buffer.from([0xff, 0xfe]), Buffer.from(`${n++}","region":"us-east-1"}`)]),
            Buffer.from(`{"accessToken":"${never()}","region":"us-east-1","x":NaN}`)
          ]),
          false
        )
    ],
    // other providers' credentials, both ways
    [
      3,
      () =>
        writeNonSSO(
          path.join(creds, `other-${Math.floor(random() * 5)}.json`),
          Buffer.from(
            JSON.stringify({
              ...pick<Record<string, string>>([{ ProviderType: 'assume-role' }, { ProviderType: 'SSO' }, { ProviderType: 'sso ' }, {}]),
              Credentials: { AccessKeyId: 'A', SecretAccessKey: 'S', SessionToken: 'T', Expiration: '2999-01-01T00:00:00Z' },
              n: n++
            })
          ),
          random() < 0.5
        )
    ],
    // a new SSO token, in a new file, with the library (atomic)
    [
      4,
      async () => {
        const t = newToken()
        const file = path.join(tokens, `token-${n}.json`)
        const r = await writeToken(file, tokenRecord(t))()
        if (r._tag === 'Left') {
          findings.writeFailed.push(`writeToken ${path.basename(file)}: ${r.left.message}`)
          return
        }
        lastToken.set(file, t)
        written.add(t)
        watched.add(file)
        count('new tokens')
      }
    ],
    // a new SSO token, in a new file, with plain fs.writeFile (not atomic)
    [
      2,
      async () => {
        const t = newToken()
        const file = path.join(tokens, `plain-token-${n}.json`)
        await fsp.writeFile(file, JSON.stringify({ startUrl: 'https://soak.awsapps.com/start', region: 'us-east-1', accessToken: t, expiresAt: '2999-01-01T00:00:00Z' }))
        lastToken.set(file, t)
        written.add(t)
        watched.add(file)
        count('new tokens')
      }
    ],
    // SSO role credentials cached by the CLI
    [
      2,
      async () => {
        const file = credentialCacheFile(home, credentialCacheKey({ accountId: '123456789012', roleName: `role-${n++}`, sessionName: 'soak' }))
        const r = await writeCachedCredentials(file, {
          ProviderType: 'sso',
          Credentials: { AccessKeyId: 'ASIA', SecretAccessKey: sensitive('k'), SessionToken: sensitive('s'), Expiration: FUTURE }
        })()
        if (r._tag === 'Right') ssoCreds.add(file)
        else findings.writeFailed.push(`writeCachedCredentials ${path.basename(file)}: ${r.left.message}`)
        count('SSO credentials')
      }
    ],
    // `aws sso login` again: a new token for a session, in the same file
    ...(relogin
      ? ([
          [
            4,
            async () => {
              const file = tokenCacheFile(home, { _tag: 'SSOSession', name: `session-${Math.floor(random() * 3)}` })
              if (lastToken.has(file) && !(await exists(file))) await checkGone(file, 'before a re-login')
              const t = newToken()
              if (random() < 0.5) {
                // as the AWS CLI writes its cache: in place
                await fsp.writeFile(file, JSON.stringify({ startUrl: 'https://soak.awsapps.com/start', region: 'us-east-1', accessToken: t, expiresAt: '2999-01-01T00:00:00Z' }))
              } else {
                const r = await writeToken(file, tokenRecord(t))()
                if (r._tag === 'Left') {
                  findings.writeFailed.push(`writeToken (re-login) ${path.basename(file)}: ${r.left.message}`)
                  return
                }
              }
              lastToken.set(file, t)
              written.add(t)
              count('re-logins')
            }
          ]
        ] as const)
      : [])
  ]
  const total = ops.reduce((s, [w]) => s + w, 0)
  const chooseOp = (): (() => Promise<void>) => {
    let x = random() * total
    for (const [w, op] of ops) {
      x -= w
      if (x < 0) return op
    }
    return (ops[0] as readonly [number, () => Promise<void>])[1]
  }

  const reports: Array<LogoutReport> = []
  const sweep = (dryRun = false): Promise<LogoutReport> =>
    logoutAll({ homedir: home, envForRegion: (region) => newEnv({ region, endpoint: emu.url, maxAttempts: 1 }), dryRun })()

  const writer = (async () => {
    while (!stop) {
      await chooseOp()()
      if (random() < 0.3) await pause(Math.floor(random() * 3))
    }
  })()
  const sweeper = (async () => {
    let i = 0
    while (!stop) {
      const r = await sweep(++i % 5 === 0)
      reports.push(r)
      await pause(0)
    }
  })()
  const watcher = (async () => {
    while (!stop) {
      for (const file of [...watched]) {
        if (!(await exists(file))) {
          watched.delete(file)
          if (await checkGone(file, 'watcher')) watched.add(file)
          else count('seen swept')
        }
      }
      await pause(2)
    }
  })()

  await pause(SOAK_MS)
  stop = true
  await Promise.all([writer, sweeper, watcher])
  for (const file of watched) if (!(await exists(file))) await checkGone(file, 'after the soak')
  for (const file of lastToken.keys()) if (!(await exists(file))) await checkGone(file, 'after the soak')
  // a last sweep, nobody writing
  const last = await sweep()
  reports.push(last)

  for (const r of reports) for (const e of r.errors) findings.safety.push(`sweep error: ${e.message}`)
  // every non-SSO file is there, with the content last written
  for (const [file, content] of stay) {
    if (!(await exists(file))) findings.safety.push(`non-SSO file lost: ${path.basename(file)}`)
    else if (!(await fsp.readFile(file)).equals(content)) findings.safety.push(`non-SSO file changed: ${path.basename(file)}`)
  }
  // every SSO file is gone, and its last token was logged out
  for (const [file, t] of lastToken) {
    if (await exists(file)) findings.safety.push(`SSO token file still there after the last sweep: ${path.basename(file)}`)
    if (emu.logoutCount(t) < 1) findings.unlogged.push(`after the last sweep: token ${t} (${path.basename(file)}) gone without a logout`)
  }
  for (const file of ssoCreds) if (await exists(file)) findings.safety.push(`SSO credentials still there: ${path.basename(file)}`)
  // nothing else is left (no temporary file)
  const left = [...fs.readdirSync(tokens).map((f) => path.join(tokens, f)), ...fs.readdirSync(creds).map((f) => path.join(creds, f))]
  for (const f of left) if (!stay.has(f)) findings.safety.push(`unexpected file left: ${path.basename(f)}`)
  for (const t of nevers) if (emu.logoutCount(t) > 0) findings.safety.push(`a token in a file that is not a token was sent: ${t}`)
  // exactly once
  for (const t of written) if (emu.logoutCount(t) > 1) findings.double.push(`${t} logged out ${emu.logoutCount(t)} times`)
  stats['sweeps'] = reports.length
  stats['tokens logged out'] = [...written].filter((t) => emu.logoutCount(t) >= 1).length
  return { seed, findings, stats }
}

describe(`the cache sweep under a concurrent writer (${SOAK_MS} ms, seed ${BASE_SEED})`, () => {
  // Both soaks run at once (separate homes, one emulator), and the tests read their findings.
  let fresh: SoakResult
  let relogin: SoakResult
  beforeAll(async () => {
    ;[fresh, relogin] = await Promise.all([soak('fresh', BASE_SEED, false), soak('relogin', BASE_SEED + 1, true)])
  }, SOAK_MS + 60_000)

  it('the soaks did real work', () => {
    for (const r of [fresh, relogin]) {
      expect(r.stats['sweeps'] ?? 0).toBeGreaterThan(3)
      expect(r.stats['tokens logged out'] ?? 0).toBeGreaterThan(50)
      expect(r.stats['non-SSO writes'] ?? 0).toBeGreaterThan(50)
    }
    expect(fresh.stats['seen swept'] ?? 0).toBeGreaterThan(50)
    expect(relogin.stats['re-logins'] ?? 0).toBeGreaterThan(20)
  })

  it('nothing that should stay is lost or changed; every SSO file is gone after a last sweep; nothing else is left', () => {
    expect(fresh.findings.safety, `seed ${fresh.seed}`).toEqual([])
    expect(relogin.findings.safety, `seed ${relogin.seed}`).toEqual([])
  })

  it('new token files: each disappears only after its token was logged out', () => {
    expect(fresh.findings.unlogged, `seed ${fresh.seed}`).toEqual([])
  })

  it('every token is logged out exactly once, and the sweep never breaks a concurrent atomic write', () => {
    const found = (r: SoakResult) => ({ double: r.findings.double.slice(0, 5), writeFailed: r.findings.writeFailed.slice(0, 5) })
    expect(found(fresh), `seed ${fresh.seed}`).toEqual({ double: [], writeFailed: [] })
    expect(found(relogin), `seed ${relogin.seed}`).toEqual({ double: [], writeFailed: [] })
  })

  it('a token file rewritten during the sweep (aws sso login again) is not deleted before its new token is logged out', () => {
    expect(relogin.findings.unlogged, `seed ${relogin.seed}`).toEqual([])
  })
})

/**
 * The two races the soak finds, made deterministic: `envForRegion` is called after the sweep
 * has read a token file and before it calls Logout and deletes the file, so a test can
 * change the file at exactly that moment.
 */
describe('the races of the soak, made deterministic', () => {
  const tokenJson = (accessToken: string): string =>
    JSON.stringify({ startUrl: 'https://race.awsapps.com/start', region: 'us-east-1', accessToken, expiresAt: '2999-01-01T00:00:00Z' })

  it('a token file rewritten with a new token (aws sso login) while the old one is logged out is not deleted', async () => {
    const home = fs.mkdtempSync(path.join(root, 'race-relogin-'))
    const file = tokenCacheFile(home, { _tag: 'SSOSession', name: 'dev' })
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, tokenJson('race-old-token'))
    let rewritten = false
    const report = await logoutAll({
      homedir: home,
      envForRegion: (region) => {
        if (!rewritten) {
          rewritten = true
          fs.writeFileSync(file, tokenJson('race-new-token')) // the new login lands now
        }
        return newEnv({ region, endpoint: emu.url, maxAttempts: 1 })
      }
    })()
    expect(rewritten).toBe(true)
    expect(emu.logoutCount('race-old-token')).toBe(1)
    // the new session is live: its token must still be on disk, or have been logged out too
    expect(
      { fileKept: fs.existsSync(file), newTokenLoggedOut: emu.logoutCount('race-new-token') >= 1, deleted: report.deleted.map((d) => path.basename(d.file)) },
      'the file of a live session was deleted'
    ).toSatisfy((x: { fileKept: boolean; newTokenLoggedOut: boolean }) => x.fileKept || x.newTokenLoggedOut)
  })

  it("an atomic write in flight: the sweep does not log out its token through the temporary file, then again through the file", async () => {
    const home = fs.mkdtempSync(path.join(root, 'race-tmp-'))
    const dir = tokenCacheDir(home)
    fs.mkdirSync(dir, { recursive: true })
    const file = path.join(dir, 'token.json')
    // what writeFileAtomic has on disk just before its rename: `.<name>.<16 hex>.tmp`, complete
    const tmp = path.join(dir, '.token.json.0123456789abcdef.tmp')
    fs.writeFileSync(tmp, tokenJson('race-tmp-token'))
    let renamed = false
    const rename = (): void => {
      if (!renamed) {
        renamed = true
        fs.renameSync(tmp, file) // the write completes
      }
    }
    const options = {
      homedir: home,
      envForRegion: (region: string) => {
        rename()
        return newEnv({ region, endpoint: emu.url, maxAttempts: 1 })
      }
    }
    const first = await logoutAll(options)()
    rename()
    const second = await logoutAll(options)()
    expect(fs.existsSync(file)).toBe(false)
    const seen = {
      logouts: emu.logoutCount('race-tmp-token'),
      firstDeleted: first.deleted.map((d) => path.basename(d.file)),
      secondDeleted: second.deleted.map((d) => path.basename(d.file))
    }
    expect(seen.logouts, `logged out through the temporary file, then through the file: ${JSON.stringify(seen)}`).toBe(1)
  })
})
