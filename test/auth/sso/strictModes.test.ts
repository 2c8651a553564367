/**
 * A privileged sweep never touches a file outside the cache: every directory on the way to
 * a cache must be owned by root or the running user and not writable by others (OpenSSH's
 * StrictModes), else that cache is refused. The attack: root sweeps a home another user
 * owns while that user swaps `~/.aws/cli` and `~/.aws/sso` between real directories and
 * ones whose `cache` is a symbolic link to a root-only directory.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { newEnv } from '../../../src/index.js'
import {
  logoutAll,
  logoutSession,
  resolveSecure,
  sha1Hex,
  writeCachedCredentials,
  writeToken,
  type LogoutReport
} from '../../../src/auth/sso/index.js'
import { sensitive } from '../../../src/core/Sensitive.js'
import type { Emulator } from '../../../src/emulator/index.js'
import { fromSSO } from '../../../src/auth/sso/fromSSO.js'
import { runCli, type CliRun } from '../../util/cli.js'
import { envTo, liveTokens, isRoot, makeHome, ssoCreds, start, tokenJson, useHomes } from './helpers.js'

const NOBODY = 65534
const VICTIM_URL = 'https://victim.awsapps.com/start'
const VICTIM_TOKEN = 'victim-root-only-token'
const SWEEP_MS = 2_500

let emu: Emulator
/** Live tokens the emulator accepts, each used once. */
const { seeds, live } = liveTokens(20, (i) => `strict-live-${i}`)
beforeAll(async () => {
  emu = await start({
    tokens: {
      [VICTIM_TOKEN]: { accounts: [{ accountId: '111111111111', accountName: 'a', emailAddress: 'a@example.com', roles: ['Admin'] }] },
      ...seeds
    }
  })
})
afterAll(() => emu.close())

const home = useHomes()
const sweep = (homedir: string): Promise<LogoutReport> => logoutAll({ homedir, envForRegion: envTo(emu.url) })()

const cli = (argv: ReadonlyArray<string>, homedir: string): Promise<CliRun> => runCli(argv, { HOME: homedir, AWS_ENDPOINT_URL_SSO: emu.url })

describe('StrictModes: a home another user controls, swapped under a root sweep', () => {
  let base: string
  let swapper: ChildProcess | undefined
  afterEach(() => {
    if (swapper?.pid !== undefined && swapper.exitCode === null) swapper.kill('SIGKILL')
    swapper = undefined
    if (base !== undefined) fs.rmSync(base, { recursive: true, force: true })
  })

  it.skipIf(!isRoot)(
    'root never reads, renames or deletes the root-only victim files; every sweep refuses and the CLI exits 1',
    async () => {
      base = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-strict-'))
      fs.chmodSync(base, 0o755)
      // the victim: a root-only directory outside the home, files named like cache entries
      const secret = path.join(base, 'secret')
      fs.mkdirSync(secret, { mode: 0o700 })
      const tokenName = `${sha1Hex(VICTIM_URL)}.json`
      const credName = `${sha1Hex('victim-credentials')}.json`
      const victims = {
        [tokenName]: JSON.stringify(tokenJson(VICTIM_TOKEN, { startUrl: VICTIM_URL })),
        [credName]: JSON.stringify(ssoCreds('victim-secret-key', 'victim-session'))
      }
      for (const [name, text] of Object.entries(victims)) fs.writeFileSync(path.join(secret, name), text, { mode: 0o600 })
      const inodes = Object.fromEntries(Object.keys(victims).map((n) => [n, fs.statSync(path.join(secret, n)).ino]))

      // the home, owned by nobody: real caches holding the same names, and the evil twins
      const h = path.join(base, 'home')
      const aws = path.join(h, '.aws')
      fs.mkdirSync(path.join(aws, 'sso', 'cache'), { recursive: true })
      fs.mkdirSync(path.join(aws, 'cli', 'cache'), { recursive: true })
      fs.mkdirSync(path.join(aws, 'sso.evil'), { recursive: true })
      fs.mkdirSync(path.join(aws, 'cli.evil'), { recursive: true })
      fs.symlinkSync(secret, path.join(aws, 'sso.evil', 'cache'))
      fs.symlinkSync(secret, path.join(aws, 'cli.evil', 'cache'))
      fs.writeFileSync(
        path.join(aws, 'config'),
        `[profile victim]\nsso_start_url = ${VICTIM_URL}\nsso_region = us-east-1\nsso_account_id = 111111111111\nsso_role_name = Admin\n`
      )
      for (const p of [h, aws, ...['sso', 'cli', 'sso.evil', 'cli.evil', 'config', 'sso/cache', 'cli/cache'].map((d) => path.join(aws, d))]) {
        fs.chownSync(p, NOBODY, NOBODY)
      }
      for (const d of ['sso.evil', 'cli.evil']) fs.lchownSync(path.join(aws, d, 'cache'), NOBODY, NOBODY)

      // the swapper, as nobody: swaps each dir with its evil twin, holds each state a little,
      // and puts the real cache entries back (same names as the victims) whenever they go
      const script = `
        const fs = require('fs'), p = require('path')
        const aws = process.argv[1], names = JSON.parse(process.argv[2])
        const pause = new Int32Array(new SharedArrayBuffer(4))
        const mv = (a, b) => { try { fs.renameSync(p.join(aws, a), p.join(aws, b)) } catch {} }
        process.stdout.write('ready\\n')
        for (;;) {
          for (const d of ['sso', 'cli']) {
            for (const n of names) { try { fs.writeFileSync(p.join(aws, d, 'cache', n), process.argv[3], { flag: 'wx' }) } catch {} }
            mv(d, d + '.real'); mv(d + '.evil', d)
            Atomics.wait(pause, 0, 0, Math.random() < 0.5 ? 0 : 1)
            mv(d, d + '.evil'); mv(d + '.real', d)
          }
          Atomics.wait(pause, 0, 0, Math.random() < 0.5 ? 0 : 1)
        }`
      const decoy = JSON.stringify(tokenJson('nobody-token'))
      const child = spawn(process.execPath, ['-e', script, aws, JSON.stringify(Object.keys(victims)), decoy], {
        uid: NOBODY,
        gid: NOBODY,
        cwd: base,
        stdio: ['ignore', 'pipe', 'inherit']
      })
      swapper = child
      await new Promise<void>((resolve, reject) => {
        child.once('error', reject)
        child.stdout?.once('data', () => resolve())
      })

      const reports: Array<LogoutReport> = []
      const cliRuns: Array<CliRun> = []
      const sessions: Array<LogoutReport | string> = []
      const creds: Array<string> = []
      const until = Date.now() + SWEEP_MS
      for (let i = 0; Date.now() < until && i < 400; i++) {
        reports.push(await sweep(h))
        if (i % 5 === 0) cliRuns.push(await cli(['sso', 'logout'], h))
        if (i % 7 === 0) {
          const r = await logoutSession({
            homedir: h,
            env: {},
            target: { _tag: 'StartUrl', startUrl: VICTIM_URL },
            envForRegion: envTo(emu.url)
          })()
          sessions.push(r._tag === 'Right' ? r.right : r.left._tag)
        }
        if (i % 3 === 0) {
          const r = await fromSSO({ profile: 'victim', homedir: h, env: { AWS_ENDPOINT_URL_SSO: emu.url } })()
          creds.push(r._tag === 'Right' ? 'Right' : r.left._tag === 'SSOTokenError' ? `SSOTokenError/${r.left.reason}` : r.left._tag)
        }
      }
      child.kill('SIGKILL')

      // the victims: same names, same inodes, same content; no claim file beside them
      expect(fs.readdirSync(secret).sort()).toEqual(Object.keys(victims).sort())
      for (const [name, text] of Object.entries(victims)) {
        expect(fs.readFileSync(path.join(secret, name), 'utf8')).toBe(text)
        expect(fs.statSync(path.join(secret, name)).ino).toBe(inodes[name])
      }
      // never read: its token never reached the portal (Logout nor GetRoleCredentials)
      expect(emu.logoutCount(VICTIM_TOKEN)).toBe(0)
      expect(emu.requests().filter((r) => r.operation === 'GetRoleCredentials')).toEqual([])
      expect(new Set(creds)).toEqual(new Set(['SSOTokenError/UnsafeDirectory']))
      // every sweep refused both caches, naming the home and why
      expect(reports.length).toBeGreaterThan(10)
      for (const r of reports) {
        expect({ invalidated: r.invalidated, deleted: r.deleted, kept: r.kept }).toEqual({ invalidated: [], deleted: [], kept: [] })
        expect(r.errors.map((e) => [e.operation, e.error, e.directory])).toEqual([
          ['check', 'UnsafeDirectory/NotOwned', h],
          ['check', 'UnsafeDirectory/NotOwned', h]
        ])
      }
      for (const s of sessions) {
        expect(typeof s === 'string' ? s : s.errors.map((e) => e.error)).toEqual(['UnsafeDirectory/NotOwned', 'UnsafeDirectory/NotOwned'])
      }
      for (const r of cliRuns) {
        expect(r.code).toBe(1)
        expect(r.out + r.err).toContain(`${h} is owned by uid ${NOBODY}, neither root nor the running user`)
      }
    },
    SWEEP_MS + 20_000
  )
})

describe('StrictModes: what is accepted and what is refused', () => {
  it('a home of the running user with 0755 directories is swept as before', async () => {
    const h = home()
    for (const d of [h.home, path.join(h.home, '.aws')]) fs.mkdirSync(d, { recursive: true, mode: 0o755 })
    fs.chmodSync(h.home, 0o755)
    const tok = live()
    const t = h.token('a.json', tokenJson(tok))
    const c = h.cred('c.json', ssoCreds())
    for (const d of [path.join(h.home, '.aws'), path.dirname(h.tokens), h.tokens, path.dirname(h.creds), h.creds]) fs.chmodSync(d, 0o755)
    const r = await sweep(h.home)
    expect(r.errors).toEqual([])
    expect(emu.isLoggedOut(tok)).toBe(true)
    expect(r.deleted.map((d) => d.file)).toEqual([t, c])
  })

  it('a group- or world-writable ~/.aws is refused: nothing read or removed, the CLI exits 1', async () => {
    for (const mode of [0o775, 0o777, 0o1777]) {
      const h = home()
      const tok = live()
      const t = h.token('a.json', tokenJson(tok))
      const c = h.cred('c.json', ssoCreds())
      const aws = path.join(h.home, '.aws')
      fs.chmodSync(aws, mode)
      const r = await sweep(h.home)
      expect(r.errors.map((e) => [e.file, e.operation, e.error, e.directory])).toEqual(
        mode === 0o1777
          ? [] // sticky: an ancestor like /tmp
          : [
              [h.tokens, 'check', 'UnsafeDirectory/Writable', aws],
              [h.creds, 'check', 'UnsafeDirectory/Writable', aws]
            ]
      )
      if (mode === 0o1777) {
        expect(emu.isLoggedOut(tok)).toBe(true)
        continue
      }
      expect(emu.logoutCount(tok)).toBe(0)
      expect(fs.existsSync(t) && fs.existsSync(c)).toBe(true)
      const run = await cli(['sso', 'logout'], h.home)
      expect(run.code).toBe(1)
      expect(run.out + run.err).toContain(`refused the cache: ${h.tokens} is not safe to use: ${aws} is writable by`)
      expect(fs.existsSync(t) && fs.existsSync(c)).toBe(true)
      fs.chmodSync(aws, 0o700)
    }
  })

  it('the cache directory itself writable by others is refused, sticky bit or not', async () => {
    const h = home()
    const t = h.token('a.json', tokenJson(live()))
    fs.chmodSync(h.tokens, 0o1777)
    const r = await sweep(h.home)
    expect(r.errors.map((e) => [e.error, e.directory])).toEqual([['UnsafeDirectory/Writable', h.tokens]])
    expect(fs.existsSync(t)).toBe(true)
    fs.chmodSync(h.tokens, 0o700)
  })

  it('a sticky world-writable parent (like /tmp) is accepted; without the sticky bit it is refused', async () => {
    for (const sticky of [true, false]) {
      const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-sticky-'))
      try {
        fs.chmodSync(parent, sticky ? 0o1777 : 0o777)
        const homedir = path.join(parent, 'home')
        const dir = path.join(homedir, '.aws', 'sso', 'cache')
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
        const tok = live()
        fs.writeFileSync(path.join(dir, 'a.json'), JSON.stringify(tokenJson(tok)))
        const r = await sweep(homedir)
        if (sticky) {
          expect(r.errors).toEqual([])
          expect(emu.isLoggedOut(tok)).toBe(true)
        } else {
          expect(r.errors.map((e) => [e.error, e.directory])).toEqual([
            ['UnsafeDirectory/Writable', parent],
            ['UnsafeDirectory/Writable', parent]
          ])
          expect(emu.logoutCount(tok)).toBe(0)
        }
      } finally {
        fs.rmSync(parent, { recursive: true, force: true })
      }
    }
  })

  it("a user's own symlinked ~/.aws (-> dotfiles/aws) works: swept, and fromSSO reads through it", async () => {
    const h = home()
    const real = path.join(h.home, 'dotfiles', 'aws')
    fs.mkdirSync(path.join(real, 'sso', 'cache'), { recursive: true })
    fs.mkdirSync(path.join(real, 'cli', 'cache'), { recursive: true })
    fs.symlinkSync('dotfiles/aws', path.join(h.home, '.aws'))
    const tok = live()
    fs.writeFileSync(path.join(real, 'sso', 'cache', 'a.json'), JSON.stringify(tokenJson(tok)))
    fs.writeFileSync(path.join(real, 'cli', 'cache', 'c.json'), JSON.stringify(ssoCreds()))
    const r = await sweep(h.home)
    expect(r.errors).toEqual([])
    expect(emu.isLoggedOut(tok)).toBe(true)
    // named as asked, through the link
    expect(r.deleted.map((d) => d.file)).toEqual([path.join(h.tokens, 'a.json'), path.join(h.creds, 'c.json')])
    expect(fs.readdirSync(path.join(real, 'sso', 'cache'))).toEqual([])
  })

  it.skipIf(!isRoot)('a symbolic link owned by another user on the way is refused (needs root to lchown it to nobody)', async () => {
    const h = home()
    const real = path.join(h.home, 'dotfiles', 'aws')
    fs.mkdirSync(path.join(real, 'sso', 'cache'), { recursive: true })
    const t = path.join(real, 'sso', 'cache', 'a.json')
    fs.writeFileSync(t, JSON.stringify(tokenJson(live())))
    fs.symlinkSync('dotfiles/aws', path.join(h.home, '.aws'))
    fs.lchownSync(path.join(h.home, '.aws'), NOBODY, NOBODY)
    const r = await sweep(h.home)
    expect(r.errors.map((e) => [e.error, e.directory])).toEqual([
      ['UnsafeDirectory/NotOwned', path.join(h.home, '.aws')],
      ['UnsafeDirectory/NotOwned', path.join(h.home, '.aws')]
    ])
    expect(fs.existsSync(t)).toBe(true)
    const resolved = await resolveSecure(path.join(h.home, '.aws', 'sso', 'cache'))()
    expect(resolved._tag === 'Left' && resolved.left.message).toBe(
      `${path.join(h.home, '.aws', 'sso', 'cache')} is not safe to use: ${path.join(h.home, '.aws')} is a symbolic link that is owned by uid ${NOBODY}, neither root nor the running user (uid 0)`
    )
  })

  it('fromSSO refuses a token cache others can write, and logoutSession reports it', async () => {
    const h = home()
    h.config('[profile p]\nsso_start_url = https://p.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 1\nsso_role_name = r\n')
    const file = h.token(`${sha1Hex('https://p.awsapps.com/start')}.json`, tokenJson('p-token'))
    fs.chmodSync(path.dirname(h.tokens), 0o777)
    const r = await fromSSO({ profile: 'p', homedir: h.home, env: { AWS_ENDPOINT_URL_SSO: emu.url } })()
    expect(r._tag === 'Left' && r.left._tag === 'SSOTokenError' && [r.left.reason, r.left.file]).toEqual(['UnsafeDirectory', file])
    const s = await logoutSession({ homedir: h.home, env: {}, target: { _tag: 'Profile', profile: 'p' }, envForRegion: (region) => newEnv({ region, endpoint: emu.url }) })()
    expect(s._tag === 'Right' && s.right.errors.map((e) => [e.error, e.directory])).toEqual([['UnsafeDirectory/Writable', path.dirname(h.tokens)]])
    expect(emu.logoutCount('p-token')).toBe(0)
    expect(fs.existsSync(file)).toBe(true)
    fs.chmodSync(path.dirname(h.tokens), 0o700)
  })

  it('a missing cache is still simply empty', async () => {
    const h = makeHome()
    try {
      expect(await sweep(h.home)).toEqual({ dryRun: false, invalidated: [], deleted: [], kept: [], errors: [] })
    } finally {
      h.cleanup()
    }
  })
})

describe('StrictModes: the cache writers', () => {
  const token = {
    startUrl: 'https://w.awsapps.com/start',
    region: 'us-east-1',
    accessToken: sensitive('writer-token'),
    expiresAt: new Date('2999-01-01T00:00:00Z')
  }

  it('writeToken and writeCachedCredentials refuse a directory others can write: nothing is written', async () => {
    const h = home()
    fs.mkdirSync(path.join(h.home, '.aws'), { mode: 0o700 })
    fs.chmodSync(path.join(h.home, '.aws'), 0o777)
    const file = path.join(h.tokens, 'w.json')
    const r = await writeToken(file, token)()
    expect(r._tag === 'Left' && [r.left._tag, r.left.unsafe?.reason, r.left.unsafe?.directory]).toEqual([
      'FileError',
      'Writable',
      path.join(h.home, '.aws')
    ])
    const c = await writeCachedCredentials(path.join(h.creds, 'c.json'), {
      ProviderType: 'sso',
      Credentials: { AccessKeyId: 'A', SecretAccessKey: sensitive('s'), SessionToken: sensitive('t'), Expiration: new Date('2999-01-01T00:00:00Z') }
    })()
    expect(c._tag === 'Left' && c.left.unsafe?.reason).toBe('Writable')
    expect(fs.existsSync(h.tokens) || fs.existsSync(h.creds)).toBe(false)
    fs.chmodSync(path.join(h.home, '.aws'), 0o700)
  })

  it("they write through a user's own symlinked ~/.aws, creating the cache directory", async () => {
    const h = home()
    fs.mkdirSync(path.join(h.home, 'dotfiles', 'aws'), { recursive: true })
    fs.symlinkSync('dotfiles/aws', path.join(h.home, '.aws'))
    const r = await writeToken(path.join(h.tokens, 'w.json'), token)()
    expect(r).toEqual({ _tag: 'Right', right: undefined })
    expect(fs.readdirSync(path.join(h.home, 'dotfiles', 'aws', 'sso', 'cache'))).toEqual(['w.json'])
  })
})
