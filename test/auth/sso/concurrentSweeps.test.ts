/**
 * Sweeps that run at once, and new sign-ins while they run: a session that started after
 * the sweeps began is never logged out and its file never deleted; the claim files a sweep
 * makes (`.NAME.<pid>.<hex>.sweep`) are never swept as cache files by another; a claim left
 * behind by a sweep whose process died is put back, not lost.
 *
 * The sweeps are real processes (test/auth/sso/sweeper.ts, bundled with esbuild), the
 * portal is the emulator, the sign-ins write as the AWS CLI (in place, `O_TRUNC`) and as
 * fp-aws (atomically: a new file renamed over the old one).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sensitive } from '../../../src/core/Sensitive.js'
import { logoutAll, logoutSession, sha1Hex, STALE_CLAIM_MS, writeToken, type LogoutReport } from '../../../src/auth/sso/index.js'
import type { Emulator } from '../../../src/emulator/index.js'
import { envTo, start, tokenJson, useHomes } from './helpers.js'

const OLD = 80
const NEW = 3_000
const oldTokens = Array.from({ length: OLD }, (_, i) => `concurrent-old-${i}`)
const newTokens = Array.from({ length: NEW }, (_, i) => `concurrent-new-${i}`)
const crashTokens = Array.from({ length: 10 }, (_, i) => `crash-${i}`)

let emu: Emulator
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-sweeper-'))
const sweeper = path.join(dir, 'sweeper.cjs')
beforeAll(async () => {
  emu = await start({ tokens: Object.fromEntries([...oldTokens, ...newTokens, ...crashTokens].map((t) => [t, {}])) })
  await build({
    entryPoints: [path.join(__dirname, 'sweeper.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: sweeper,
    logLevel: 'silent'
  })
}, 30_000)
afterAll(async () => {
  await emu.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

const home = useHomes()
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

interface Sweeper {
  readonly child: ChildProcessWithoutNullStreams
  /** Resolves when the process printed `line`. */
  readonly seen: (line: string) => Promise<void>
  readonly report: Promise<LogoutReport>
}

const spawnSweeper = (homedir: string): Sweeper => {
  const child = spawn(process.execPath, [sweeper, homedir, emu.url], { stdio: ['pipe', 'pipe', 'pipe'] })
  let out = ''
  const waiters: Array<() => void> = []
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString('utf8')
    for (const w of waiters.splice(0)) w()
  })
  let err = ''
  child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')))
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
  const exited = new Promise<void>((resolve) => child.on('exit', () => (clearTimeout(timer), resolve())))
  const seen = (line: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (out.split('\n').includes(line) || out.includes(`\n${line} `) || out.startsWith(`${line} `)) resolve()
        else if (child.exitCode !== null || child.signalCode !== null) reject(new Error(`the sweeper ended without '${line}': ${err}`))
        else waiters.push(check)
      }
      check()
      void exited.then(() => {
        for (const w of waiters.splice(0)) w()
      })
    })
  const report = exited.then(() => {
    const line = out.split('\n').find((l) => l.startsWith('report '))
    if (line === undefined) throw new Error(`no report from the sweeper: ${err}`)
    return JSON.parse(line.slice('report '.length)) as LogoutReport
  })
  return { child, seen, report }
}

describe('two sweeps in two processes, and new sign-ins while they run', () => {
  it('no session started after the sweeps began is logged out or loses its file; the old ones are logged out', async () => {
    const h = home()
    const names = oldTokens.map((_, i) => `session-${String(i).padStart(3, '0')}.json`)
    names.forEach((name, i) => h.token(name, tokenJson(oldTokens[i] as string)))

    const a = spawnSweeper(h.home)
    const b = spawnSweeper(h.home)
    await Promise.all([a.seen('ready'), b.seen('ready')])
    // A begins; B begins once A is under way (A's claims may be in B's listing)
    a.child.stdin.write('go\n')
    await a.seen('listed')
    b.child.stdin.write('go\n')
    await b.seen('listed')

    // both sweeps have begun: every sign-in from now on is a new session
    const last = new Map<string, string>()
    const written: Array<string> = []
    let done = false
    void Promise.all([a.report, b.report]).finally(() => (done = true))
    let k = 0
    while (!done && k < NEW) {
      const t = newTokens[k] as string
      const name = k % 5 === 4 ? `fresh-${k}.json` : (names[(k * 7919) % names.length] as string)
      const file = path.join(h.tokens, name)
      if (k % 2 === 0) {
        // the AWS CLI: in place, same inode when the file exists
        fs.writeFileSync(file, JSON.stringify(tokenJson(t)))
      } else {
        const r = await writeToken(file, {
          startUrl: 'https://corp.awsapps.com/start',
          region: 'us-east-1',
          accessToken: sensitive(t),
          expiresAt: new Date('2999-01-01T00:00:00Z')
        })()
        expect(r._tag).toBe('Right')
      }
      last.set(file, t)
      written.push(t)
      k++
      await pause(k % 4 === 0 ? 1 : 0)
    }
    const reports = await Promise.all([a.report, b.report])

    expect(written.length).toBeGreaterThan(20)
    // every new session is live, and every file a sign-in wrote holds its last session
    expect(written.filter((t) => emu.logoutCount(t) > 0)).toEqual([])
    for (const [file, t] of last) {
      expect(fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { accessToken: string }).accessToken : 'gone').toBe(t)
    }
    // the old sessions the sign-ins did not replace are logged out, their files gone
    const untouched = names.filter((n) => !last.has(path.join(h.tokens, n)))
    for (const n of untouched) {
      expect(fs.existsSync(path.join(h.tokens, n))).toBe(false)
      expect(emu.isLoggedOut(oldTokens[names.indexOf(n)] as string)).toBe(true)
    }
    for (const r of reports) {
      expect(r.errors).toEqual([])
      // whatever was kept was kept as a change during the sweep: nothing else is in this cache
      expect(new Set(r.kept.map((x) => x.reason))).toSatisfy((s: Set<string>) => [...s].every((x) => x === 'ChangedDuringSweep'))
    }
  }, 30_000)
})

/** A pid no process has: a process that ran and ended. */
const deadPid = (): number => {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
  return Number(r.stdout)
}

describe('claims left by a sweep', () => {
  const hex = '0123456789abcdef'
  const sweep = (homedir: string): Promise<LogoutReport> => logoutAll({ homedir, envForRegion: envTo(emu.url) })()

  it('a claim whose process died is put back under its name, then swept as usual', async () => {
    const h = home()
    const claim = h.token(`.a.json.${deadPid()}.${hex}.sweep`, tokenJson(crashTokens[0] as string))
    // a claim of fp-aws 0.1 has no pid: its sweep is gone too
    const old = h.token(`.b.json.${hex}.sweep`, tokenJson(crashTokens[1] as string))
    const r = await sweep(h.home)
    expect(fs.existsSync(claim) || fs.existsSync(old)).toBe(false)
    expect(r.deleted.map((d) => path.basename(d.file))).toEqual(['a.json', 'b.json'])
    expect(emu.isLoggedOut(crashTokens[0] as string) && emu.isLoggedOut(crashTokens[1] as string)).toBe(true)
    expect(r.errors).toEqual([])
    expect(h.ls(h.tokens)).toEqual([])
  })

  it('a dead claim whose name was taken since is kept and reported; the newer file is swept', async () => {
    const h = home()
    const claim = h.token(`.a.json.${deadPid()}.${hex}.sweep`, tokenJson(crashTokens[2] as string))
    const file = h.token('a.json', tokenJson(crashTokens[3] as string))
    const r = await sweep(h.home)
    expect(fs.readFileSync(claim, 'utf8')).toBe(JSON.stringify(tokenJson(crashTokens[2] as string)))
    expect(fs.existsSync(file)).toBe(false)
    expect(emu.logoutCount(crashTokens[2] as string)).toBe(0)
    expect(emu.isLoggedOut(crashTokens[3] as string)).toBe(true)
    expect(r.kept.map((k) => [path.basename(k.file), k.reason])).toEqual([[path.basename(claim), 'ClaimLeftBehind']])
    expect(r.kept[0]?.message).toContain('a newer a.json exists')
  })

  it("a claim bearing this process's pid that this process did not make (a container restarted, the pid reused) is recovered", async () => {
    const h = home()
    const claim = h.token(`.a.json.${process.pid}.${hex}.sweep`, tokenJson(crashTokens[5] as string))
    const r = await sweep(h.home)
    expect(fs.existsSync(claim)).toBe(false)
    expect(r.deleted.map((d) => path.basename(d.file))).toEqual(['a.json'])
    expect(emu.isLoggedOut(crashTokens[5] as string)).toBe(true)
    expect(h.ls(h.tokens)).toEqual([])
  })

  it('the claim of a sweep still running is its own: neither read, sent, moved nor deleted', async () => {
    const h = home()
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'ignore' })
    try {
      const claim = h.token(`.a.json.${other.pid}.${hex}.sweep`, tokenJson(crashTokens[4] as string))
      const cred = h.cred(`.c.json.${other.pid}.${hex}.sweep`, { ProviderType: 'sso', Credentials: {} })
      const r = await sweep(h.home)
      expect(r).toEqual({ dryRun: false, invalidated: [], deleted: [], kept: [], errors: [] })
      expect(fs.existsSync(claim) && fs.existsSync(cred)).toBe(true)
      expect(emu.logoutCount(crashTokens[4] as string)).toBe(0)
    } finally {
      other.kill('SIGKILL')
    }
  })
})

describe('claims whose pid another process took', () => {
  it('a claim older than STALE_CLAIM_MS by the sweep clock is recovered even though a process has its pid; a recent one is left alone', async () => {
    const hex = '0123456789abcdef'
    const h = home()
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'ignore' })
    try {
      const claim = h.token(`.a.json.${other.pid}.${hex}.sweep`, tokenJson(crashTokens[7] as string))
      // the same clock as the file system: the claim was made just now, by a live process
      const recent = await logoutAll({ homedir: h.home, envForRegion: envTo(emu.url), now: Date.now })()
      expect(recent).toEqual({ dryRun: false, invalidated: [], deleted: [], kept: [], errors: [] })
      expect(fs.existsSync(claim)).toBe(true)
      // a clock past the claim's age: no sweep holds a claim that long, the pid was reused
      const later = (): number => Date.now() + STALE_CLAIM_MS + 1_000
      const r = await logoutAll({ homedir: h.home, envForRegion: envTo(emu.url), now: later })()
      expect(fs.existsSync(claim)).toBe(false)
      expect(r.deleted.map((d) => path.basename(d.file))).toEqual(['a.json'])
      expect(emu.isLoggedOut(crashTokens[7] as string)).toBe(true)
      expect(r.errors).toEqual([])
    } finally {
      other.kill('SIGKILL')
    }
  })
})

describe('claims left by a sweep, for one session', () => {
  it('logoutSession puts back a dead claim of its token file, then logs it out; other claims are left alone', async () => {
    const h = home()
    const name = `${sha1Hex('https://one.awsapps.com/start')}.json`
    const claim = h.token(`.${name}.${deadPid()}.0123456789abcdef.sweep`, tokenJson(crashTokens[5] as string, { startUrl: 'https://one.awsapps.com/start' }))
    const other = h.token(`.other.json.${deadPid()}.0123456789abcdef.sweep`, tokenJson(crashTokens[6] as string))
    const r = await logoutSession({ homedir: h.home, env: {}, target: { _tag: 'StartUrl', startUrl: 'https://one.awsapps.com/start' }, envForRegion: envTo(emu.url) })()
    expect(r._tag === 'Right' && r.right.deleted.map((d) => path.basename(d.file))).toEqual([name])
    expect(emu.isLoggedOut(crashTokens[5] as string)).toBe(true)
    expect(fs.existsSync(claim)).toBe(false)
    expect(fs.existsSync(other)).toBe(true)
    expect(emu.logoutCount(crashTokens[6] as string)).toBe(0)
  })
})
