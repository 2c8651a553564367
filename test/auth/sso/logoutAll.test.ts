import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import fc from 'fast-check'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { newEnv, type Env } from '../../../src/index.js'
import { isLogoutSuccessful, logoutAll, showLogoutReport, type LogoutReport } from '../../../src/auth/sso/index.js'
import type { Emulator } from '../../../src/emulator/index.js'
import { closedPort, envTo, fileFor, isRoot, liveTokens, makeHome, PAST, ssoCreds, start, tokenJson, useHomes, type Home } from './helpers.js'

let emu: Emulator
/** Live tokens the emulator accepts, each used once. */
const { seeds, live } = liveTokens(40, (i) => `live-token-${i}`)

beforeAll(async () => {
  emu = await start({ tokens: seeds })
})
afterAll(() => emu.close())

const home = useHomes()
afterEach(() => emu.clearFaults())

const run = (
  h: Home,
  extra: { dryRun?: boolean; envForRegion?: (r: string) => Env; maxFileBytes?: number; now?: () => number; concurrency?: number } = {}
): Promise<LogoutReport> =>
  logoutAll({ homedir: h.home, envForRegion: envTo(emu.url), ...extra })()

const base = (f: string): string => path.basename(f)

describe('logoutAll: the AWS CLI scenarios', () => {
  it('no cache directory at all: nothing to do, success', async () => {
    const h = home()
    const r = await run(h)
    expect(r).toEqual({ dryRun: false, invalidated: [], deleted: [], kept: [], errors: [] })
    expect(isLogoutSuccessful(r)).toBe(true)
    expect(showLogoutReport(r)).toBe('No cached SSO token or credentials found.\n')
  })

  it('empty cache directories: nothing to do', async () => {
    const h = home()
    fs.mkdirSync(h.tokens, { recursive: true })
    fs.mkdirSync(h.creds, { recursive: true })
    expect(await run(h)).toEqual({ dryRun: false, invalidated: [], deleted: [], kept: [], errors: [] })
  })

  it('a token with a region: Logout in that region, then the file is deleted', async () => {
    const h = home()
    const tok = live()
    const regions: Array<string> = []
    const file = h.token('a.json', tokenJson(tok, { region: 'eu-west-3' }))
    const r = await run(h, {
      envForRegion: (region) => {
        regions.push(region)
        return envTo(emu.url)(region)
      }
    })
    expect(regions).toEqual(['eu-west-3'])
    expect(emu.isLoggedOut(tok)).toBe(true)
    expect(emu.logoutCount(tok)).toBe(1)
    expect(fs.existsSync(file)).toBe(false)
    expect(r.invalidated).toEqual([
      { file, startUrl: 'https://corp.awsapps.com/start', region: 'eu-west-3', outcome: 'LoggedOut' }
    ])
    expect(r.deleted).toEqual([
      { kind: 'token', file, startUrl: 'https://corp.awsapps.com/start', region: 'eu-west-3', invalidation: 'LoggedOut' }
    ])
    expect(isLogoutSuccessful(r)).toBe(true)
    expect(showLogoutReport(r)).toContain('Invalidated the SSO session of https://corp.awsapps.com/start (eu-west-3)')
    expect(showLogoutReport(r)).toContain(`Removed cached SSO token ${file}`)
  })

  it('an expired token is still sent (the server decides), then deleted; the …UTC form too', async () => {
    const h = home()
    const a = live()
    const b = live()
    h.token('expired.json', tokenJson(a, { expiresAt: PAST }))
    h.token('utc.json', tokenJson(b, { expiresAt: '2001-01-01T00:00:00UTC' }))
    const r = await run(h)
    expect(emu.isLoggedOut(a) && emu.isLoggedOut(b)).toBe(true)
    expect(h.ls(h.tokens)).toEqual([])
    expect(r.invalidated.map((i) => i.outcome)).toEqual(['LoggedOut', 'LoggedOut'])
  })

  it('a token without a region (or a falsy one) is deleted without any call', async () => {
    const h = home()
    const before = emu.requestCount()
    const { region: _r, ...noRegion } = tokenJson('tok-no-region')
    h.token('a.json', noRegion)
    h.token('b.json', tokenJson('tok-empty-region', { region: '' }))
    h.token('c.json', tokenJson('tok-null-region', { region: null }))
    const r = await run(h)
    expect(emu.requestCount()).toBe(before)
    expect(h.ls(h.tokens)).toEqual([])
    expect(r.invalidated).toEqual([])
    expect(r.deleted.map((d) => d.kind === 'token' && d.invalidation)).toEqual(['NoRegion', 'NoRegion', 'NoRegion'])
    expect(showLogoutReport(r)).toContain('(no region: not invalidated server-side)')
    expect(isLogoutSuccessful(r)).toBe(true)
  })

  it('Logout failing with 401 (token already invalid) is not a failure: the file is deleted', async () => {
    const h = home()
    const file = h.token('dead.json', tokenJson('never-issued-token'))
    const r = await run(h)
    expect(emu.logoutCount('never-issued-token')).toBe(1)
    expect(fs.existsSync(file)).toBe(false)
    expect(r.invalidated).toEqual([
      {
        file,
        startUrl: 'https://corp.awsapps.com/start',
        region: 'us-east-1',
        outcome: 'AlreadyInvalid',
        code: 'UnauthorizedException',
        status: 401
      }
    ])
    expect(isLogoutSuccessful(r)).toBe(true)
    expect(showLogoutReport(r)).toContain('Session already invalid')
  })

  it('registration files (clientId/clientSecret, no accessToken) are kept, untouched', async () => {
    const h = home()
    const reg = { clientId: 'cid', clientSecret: 'client-secret-value', expiresAt: PAST, scopes: ['sso:account:access'] }
    const file = h.token('registration.json', reg)
    const before = fs.readFileSync(file)
    const r = await run(h)
    expect(fs.readFileSync(file)).toEqual(before)
    expect(r.kept).toEqual([{ file, reason: 'NotAToken', message: expect.any(String) }])
    expect(isLogoutSuccessful(r)).toBe(true)
  })

  it('the lock directory of a token refresh (<name>.json.lock) is not a cache file: not reported, not touched', async () => {
    const h = home()
    const lock = path.join(h.tokens, 'ee0bfd2552fbd840c02cc48b6e823320543c450f.json.lock')
    fs.mkdirSync(lock, { recursive: true })
    const other = path.join(h.tokens, 'some-directory')
    fs.mkdirSync(other)
    const r = await run(h)
    expect(fs.statSync(lock).isDirectory()).toBe(true)
    expect(r.kept).toEqual([{ file: other, reason: 'NotAFile', message: expect.any(String) }])
    expect(isLogoutSuccessful(r)).toBe(true)
  })

  it('CLI cache: SSO credentials deleted; other providers and malformed entries kept', async () => {
    const h = home()
    const sso = h.cred('sso.json', ssoCreds())
    const assumed = h.cred('assume.json', { ProviderType: 'assume-role', Credentials: { AccessKeyId: 'A' } })
    const none = h.cred('legacy.json', { Credentials: { AccessKeyId: 'A' } })
    const bad = h.cred('bad.json', '{"ProviderType":"sso"')
    const r = await run(h)
    expect(h.ls(h.creds)).toEqual(['assume.json', 'bad.json', 'legacy.json'])
    expect(r.deleted).toEqual([{ kind: 'credentials', file: sso }])
    expect(r.kept.map((k) => [base(k.file), k.reason])).toEqual([
      [base(assumed), 'NotSSOCredentials'],
      [base(bad), 'NotJson'],
      [base(none), 'NotSSOCredentials']
    ])
    expect(isLogoutSuccessful(r)).toBe(true)
    expect(showLogoutReport(r)).toContain(`Removed cached SSO credentials ${sso}`)
  })

  it('several sessions, in several regions, and files without .json: every token is logged out', async () => {
    const h = home()
    const toks = [live(), live(), live()]
    h.token('one.json', tokenJson(toks[0] ?? '', { region: 'us-east-1', startUrl: 'https://a.awsapps.com/start' }))
    h.token('two.json', tokenJson(toks[1] ?? '', { region: 'eu-west-1', startUrl: 'https://b.awsapps.com/start' }))
    h.token('no-extension', tokenJson(toks[2] ?? '', { region: 'ap-southeast-2', startUrl: 'https://c.awsapps.com/start' }))
    h.cred('x', ssoCreds())
    const r = await run(h)
    for (const t of toks) expect(emu.isLoggedOut(t)).toBe(true)
    expect(h.ls(h.tokens)).toEqual([])
    expect(h.ls(h.creds)).toEqual([])
    expect(r.invalidated.map((i) => [i.startUrl, i.region])).toEqual([
      ['https://c.awsapps.com/start', 'ap-southeast-2'],
      ['https://a.awsapps.com/start', 'us-east-1'],
      ['https://b.awsapps.com/start', 'eu-west-1']
    ])
    expect(r.deleted).toHaveLength(4)
  })

  it('malformed and non-object JSON are kept, not errors (the CLI would crash on some)', async () => {
    const h = home()
    h.token('notjson.json', 'accessToken')
    h.token('array.json', ['accessToken'])
    h.token('string.json', '"xaccessTokenx"')
    h.token('number.json', '42')
    h.token('null.json', 'null')
    h.token('token-number.json', { accessToken: 42, region: 'us-east-1' })
    h.token('region-number.json', { accessToken: 'tok-x', region: 7 })
    h.token('empty.json', '')
    const r = await run(h)
    expect(h.ls(h.tokens)).toHaveLength(8)
    expect(Object.fromEntries(r.kept.map((k) => [base(k.file), k.reason]))).toEqual({
      'array.json': 'NotAnObject',
      'empty.json': 'NotJson',
      'notjson.json': 'NotJson',
      'null.json': 'NotAnObject',
      'number.json': 'NotAnObject',
      'region-number.json': 'MalformedToken',
      'string.json': 'NotAnObject',
      'token-number.json': 'MalformedToken'
    })
    expect(r.errors).toEqual([])
  })

  it('an empty token is deleted without a call: there is no session to invalidate', async () => {
    const h = home()
    const before = emu.requestCount()
    h.token('b.json', tokenJson(''))
    h.token('c.json', tokenJson(' \t '))
    const r = await run(h)
    expect(emu.requestCount()).toBe(before)
    expect(h.ls(h.tokens)).toEqual([])
    expect(r.deleted.map((d) => d.kind === 'token' && d.invalidation)).toEqual(['InvalidToken', 'InvalidToken'])
  })

  it('white space at either end of a token is dropped before the call, as HTTP would', async () => {
    const h = home()
    const a = live()
    h.token('a.json', tokenJson(` ${a}\t`))
    const r = await run(h)
    expect(emu.isLoggedOut(a)).toBe(true)
    expect(h.ls(h.tokens)).toEqual([])
    expect(r.invalidated.map((i) => i.outcome)).toEqual(['LoggedOut'])
  })
})

describe('logoutAll: safer than the CLI', () => {
  it('a token that cannot be sent as a header value is KEPT and reported, never deleted unannounced', async () => {
    const h = home()
    const before = emu.requestCount()
    const a = h.token('a.json', tokenJson('bad\r\nX-Injected: 1'))
    const b = h.token('b.json', tokenJson('token-\u20ac'))
    const r = await run(h)
    expect(emu.requestCount()).toBe(before)
    expect(h.ls(h.tokens)).toEqual(['a.json', 'b.json'])
    expect(r.kept.map((k) => [k.file, k.reason])).toEqual([
      [a, 'InvalidationFailed'],
      [b, 'InvalidationFailed']
    ])
    expect(r.errors.map((e) => [e.file, e.operation, e.error])).toEqual([
      [a, 'invalidate', 'ValidationError'],
      [b, 'invalidate', 'ValidationError']
    ])
    expect(JSON.stringify(r)).not.toContain('X-Injected')
  })

  it('a network error (connection reset, every attempt) KEEPS that token, reports it, and goes on', async () => {
    const h = home()
    const a = live()
    const b = live()
    emu.inject([1, 2, 3].map(() => ({ operation: 'Logout', drop: 'before-response' as const })))
    const kept = h.token('a.json', tokenJson(a))
    h.token('b.json', tokenJson(b))
    h.cred('c.json', ssoCreds())
    // the faults go to the requests in the order they come: one file at a time
    const r = await run(h, { concurrency: 1 })
    expect(emu.logoutCount(a)).toBe(3)
    expect(emu.isLoggedOut(a)).toBe(false)
    expect(emu.isLoggedOut(b)).toBe(true)
    expect(h.ls(h.tokens)).toEqual(['a.json'])
    expect(h.ls(h.creds)).toEqual([])
    expect(r.kept).toEqual([{ file: kept, reason: 'InvalidationFailed', message: expect.stringContaining('network error (ConnectionReset') }])
    expect(r.errors).toEqual([
      expect.objectContaining({ file: kept, operation: 'invalidate', error: 'TransportError/ConnectionReset' })
    ])
    expect(isLogoutSuccessful(r)).toBe(false)
    expect(showLogoutReport(r)).toMatch(/Error: could not invalidate the session of https:\/\/corp\.awsapps\.com\/start in us-east-1: network error/)
  })

  it('a closed port: the token is kept', async () => {
    const h = home()
    const port = await closedPort()
    const file = h.token('a.json', tokenJson('tok-closed'))
    const r = await run(h, { envForRegion: envTo(`http://127.0.0.1:${port}`) })
    expect(fs.existsSync(file)).toBe(true)
    expect(r.errors[0]?.error).toBe('TransportError/ConnectionRefused')
  })

  it('5xx after retries, or throttling: kept; 404 (not the SSO portal): kept', async () => {
    const h = home()
    const tok = live()
    emu.inject([1, 2, 3].map(() => ({ operation: 'Logout', status: 500 })))
    const file = h.token('a.json', tokenJson(tok))
    const r = await run(h)
    expect(fs.existsSync(file)).toBe(true)
    expect(r.errors[0]?.error).toMatch(/^ServiceError\//)
    const other = await start({ tokens: {} })
    try {
      // a server that is not the SSO portal: every path 404
      const r2 = await run(h, { envForRegion: envTo(`${other.url}/not-sso`) })
      expect(fs.existsSync(file)).toBe(true)
      expect(r2.errors).toHaveLength(1)
    } finally {
      await other.close()
    }
  })

  it('an endpoint that cannot be resolved (region not a host label): kept, and nothing is sent', async () => {
    const h = home()
    const file = h.token('a.json', tokenJson('tok-evil', { region: 'evil.example.com/x' }))
    const r = await run(h, { envForRegion: (region) => newEnv({ region }) })
    expect(fs.existsSync(file)).toBe(true)
    expect(r.errors[0]?.error).toBe('EndpointError')
  })

  it('a symlink to a token outside the cache is neither read, called, nor deleted through; its target is untouched', async () => {
    const h = home()
    const outside = home()
    const tok = live()
    const target = outside.token('real.json', tokenJson(tok))
    const targetCred = outside.cred('real.json', ssoCreds())
    fs.mkdirSync(h.tokens, { recursive: true })
    fs.mkdirSync(h.creds, { recursive: true })
    fs.symlinkSync(target, path.join(h.tokens, 'link.json'))
    fs.symlinkSync(targetCred, path.join(h.creds, 'link.json'))
    fs.symlinkSync(outside.tokens, path.join(h.tokens, 'dirlink'))
    const before = emu.requestCount()
    const r = await run(h)
    expect(emu.requestCount()).toBe(before)
    expect(emu.isLoggedOut(tok)).toBe(false)
    expect(fs.readFileSync(target, 'utf8')).toBe(JSON.stringify(tokenJson(tok)))
    expect(fs.existsSync(targetCred)).toBe(true)
    expect(fs.lstatSync(path.join(h.tokens, 'link.json')).isSymbolicLink()).toBe(true)
    expect(r.kept.map((k) => [base(k.file), k.reason])).toEqual([
      ['dirlink', 'Symlink'],
      ['link.json', 'Symlink'],
      ['link.json', 'Symlink']
    ])
    expect(isLogoutSuccessful(r)).toBe(true)
    expect(showLogoutReport(r)).toContain('is a symbolic link (not followed)')
  })

  it('a FIFO or a symbolic link put in a listed file\'s place during the sweep is refused where it is opened: kept, not read, not followed', async () => {
    let fifo = true
    try {
      execFileSync('mkfifo', ['--version'], { stdio: 'ignore' })
    } catch {
      fifo = false
    }
    const h = home()
    const outside = home()
    const [first, second, third] = [live(), live(), live()]
    const target = outside.token('real.json', tokenJson(third))
    h.token('a.json', tokenJson(first))
    const b = h.token('b.json', tokenJson(second))
    const c = h.token('c.json', tokenJson(third))
    let swapped = false
    // one file at a time: a.json's call is made once b.json and c.json were listed, and before they are read
    const r = await run(h, {
      concurrency: 1,
      envForRegion: (region) => {
        if (!swapped) {
          swapped = true
          fs.unlinkSync(b)
          if (fifo) execFileSync('mkfifo', [b])
          else fs.mkdirSync(b)
          fs.unlinkSync(c)
          fs.symlinkSync(target, c)
        }
        return envTo(emu.url)(region)
      }
    })
    expect(swapped).toBe(true)
    expect(emu.isLoggedOut(first)).toBe(true)
    expect(emu.isLoggedOut(second)).toBe(false)
    expect(emu.isLoggedOut(third)).toBe(false)
    expect(r.kept.map((k) => [base(k.file), k.reason])).toEqual([
      ['b.json', 'NotAFile'],
      ['c.json', 'Symlink']
    ])
    expect(fifo ? fs.lstatSync(b).isFIFO() : fs.lstatSync(b).isDirectory()).toBe(true)
    expect(fs.lstatSync(c).isSymbolicLink()).toBe(true)
    expect(fs.readFileSync(target, 'utf8')).toBe(JSON.stringify(tokenJson(third)))
    expect(isLogoutSuccessful(r)).toBe(true)
  })

  it('a directory named *.json (EISDIR) and an oversized file are kept and reported', async () => {
    const h = home()
    fs.mkdirSync(path.join(h.tokens, 'dir.json'), { recursive: true })
    h.token('big.json', JSON.stringify({ ...tokenJson('tok-big'), pad: 'x'.repeat(2048) }))
    const r = await run(h, { maxFileBytes: 1024 })
    expect(r.kept.map((k) => [base(k.file), k.reason])).toEqual([
      ['big.json', 'TooLarge'],
      ['dir.json', 'NotAFile']
    ])
    expect(h.ls(h.tokens)).toEqual(['big.json', 'dir.json'])
    expect(r.errors).toEqual([])
  })

  it('over 1 MiB by default: kept', async () => {
    const h = home()
    h.token('huge.json', JSON.stringify({ ...tokenJson('tok-huge'), pad: 'x'.repeat(1024 * 1024) }))
    const r = await run(h)
    expect(r.kept.map((k) => k.reason)).toEqual(['TooLarge'])
  })

  it.skipIf(isRoot)('an unreadable file (chmod 000) is kept and reported — skipped as root, where chmod does not block reads', async () => {
    const h = home()
    const file = h.token('locked.json', tokenJson('tok-locked'))
    fs.chmodSync(file, 0o000)
    const r = await run(h)
    expect(r.kept).toEqual([{ file, reason: 'Unreadable', message: 'cannot be read (EACCES)' }])
    fs.chmodSync(file, 0o600)
  })

  it.skipIf(isRoot)('a file that cannot be deleted (read-only directory) is an error — skipped as root', async () => {
    const h = home()
    const file = h.token('a.json', tokenJson('tok-undeletable', { region: undefined }))
    fs.chmodSync(h.tokens, 0o500)
    const r = await run(h)
    fs.chmodSync(h.tokens, 0o700)
    expect(fs.existsSync(file)).toBe(true)
    expect(r.errors).toEqual([expect.objectContaining({ file, operation: 'delete', code: 'EACCES' })])
    expect(r.kept.map((k) => k.reason)).toEqual(['DeleteFailed'])
  })

  it.skipIf(isRoot)('a cache directory that cannot be listed is an error; the other is still swept — skipped as root', async () => {
    const h = home()
    h.token('a.json', tokenJson('tok-unlisted'))
    h.cred('c.json', ssoCreds())
    fs.chmodSync(h.tokens, 0o000)
    const r = await run(h)
    fs.chmodSync(h.tokens, 0o700)
    expect(r.errors).toEqual([expect.objectContaining({ file: h.tokens, operation: 'list', code: 'EACCES' })])
    expect(h.ls(h.creds)).toEqual([])
  })

  it('a cache path that is a file, not a directory, is an empty cache', async () => {
    const h = home()
    fs.mkdirSync(path.dirname(h.tokens), { recursive: true })
    fs.writeFileSync(h.tokens, 'not a dir')
    expect(await run(h)).toEqual({ dryRun: false, invalidated: [], deleted: [], kept: [], errors: [] })
  })

  it('the temporary file of a write that never finished (its writer crashed) is swept once stale; one in flight is not', async () => {
    const h = home()
    const crashed = live()
    const inFlight = live()
    const stale = h.token(`.${fileFor('crashed')}.0123456789abcdef.tmp`, tokenJson(crashed))
    const fresh = h.token(`.${fileFor('in-flight')}.fedcba9876543210.tmp`, tokenJson(inFlight))
    const t = fs.statSync(fresh).mtimeMs
    fs.utimesSync(stale, new Date(t - 61_000), new Date(t - 61_000))
    const dry = await run(h, { dryRun: true, now: () => t + 1_000 })
    expect(dry.deleted).toEqual([expect.objectContaining({ file: stale, kind: 'token', invalidation: 'WouldLogOut' })])
    const r = await run(h, { now: () => t + 1_000 })
    expect(isLogoutSuccessful(r)).toBe(true)
    expect(r.deleted).toEqual([expect.objectContaining({ file: stale, kind: 'token', invalidation: 'LoggedOut' })])
    expect([emu.isLoggedOut(crashed), emu.isLoggedOut(inFlight)]).toEqual([true, false])
    expect(h.ls(h.tokens)).toEqual([path.basename(fresh)])
  })

  // Linux file names are bytes; macOS and Windows refuse names that are not UTF-8
  it.skipIf(process.platform !== 'linux')('a token whose file name is not UTF-8 is not skipped in silence: kept and reported (EILSEQ)', async () => {
    const h = home()
    const tok = live()
    h.token('ordinary.json', tokenJson(tok))
    const raw = Buffer.concat([Buffer.from(`${h.tokens}/`), Buffer.from([0xff, 0x2e, 0x6a, 0x73, 0x6f, 0x6e])])
    fs.writeFileSync(raw, JSON.stringify(tokenJson('a-token-under-a-byte-name')))
    for (const dryRun of [true, false]) {
      const r = await run(h, { dryRun })
      expect(isLogoutSuccessful(r), `dryRun ${dryRun}`).toBe(false)
      expect(r.kept, `dryRun ${dryRun}`).toEqual([expect.objectContaining({ file: path.join(h.tokens, '\ufffd.json'), reason: 'Unreadable' })])
      expect(r.errors, `dryRun ${dryRun}`).toEqual([
        expect.objectContaining({ file: path.join(h.tokens, '\ufffd.json'), operation: 'list', code: 'EILSEQ' })
      ])
    }
    // told once, as an error
    expect(showLogoutReport(await run(h, { dryRun: true })).match(/not valid UTF-8/g)).toHaveLength(1)
    // the ordinary token was logged out and removed; the other is still there, untouched
    expect(emu.isLoggedOut(tok)).toBe(true)
    expect(fs.readdirSync(h.tokens, { encoding: 'buffer' })).toEqual([raw.subarray(h.tokens.length + 1)])
  })
})

describe('logoutAll: dry run', () => {
  it('calls nothing and deletes nothing, but reports what it would do', async () => {
    const h = home()
    const tok = live()
    const a = h.token('a.json', tokenJson(tok))
    const { region: _r, ...noRegion } = tokenJson('tok-dry-noregion')
    h.token('b.json', noRegion)
    h.token('reg.json', { clientId: 'c', clientSecret: 's' })
    const c = h.cred('c.json', ssoCreds())
    const before = emu.requestCount()
    const r = await run(h, { dryRun: true })
    expect(emu.requestCount()).toBe(before)
    expect(emu.logoutCount(tok)).toBe(0)
    expect(h.ls(h.tokens)).toEqual(['a.json', 'b.json', 'reg.json'])
    expect(h.ls(h.creds)).toEqual(['c.json'])
    expect(r.dryRun).toBe(true)
    expect(r.invalidated).toEqual([expect.objectContaining({ file: a, outcome: 'WouldLogOut' })])
    expect(r.deleted.map((d) => d.file)).toEqual([a, path.join(h.tokens, 'b.json'), c])
    const text = showLogoutReport(r)
    expect(text).toContain('Would invalidate the SSO session of https://corp.awsapps.com/start (us-east-1)')
    expect(text).toContain(`Would remove cached SSO token ${a}`)
    expect(text).toContain(`Would remove cached SSO credentials ${c}`)
    expect(text).not.toMatch(/^(Removed|Invalidated)/m)
  })
})

describe('logoutAll: no secret anywhere in the report', () => {
  it('random tokens, client secrets, refresh tokens and credentials never show (property)', async () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9+/=_-]{24,64}$/).map((s) => `S3CRET${s}`)
    await fc.assert(
      fc.asyncProperty(
        fc.record({ token: secret, clientSecret: secret, refresh: secret, sk: secret, st: secret }),
        fc.constantFrom('us-east-1', undefined),
        fc.boolean(),
        async (s, region, dryRun) => {
          const h = makeHome()
          try {
            h.token('a.json', tokenJson(s.token, { region, clientId: 'c', clientSecret: s.clientSecret, refreshToken: s.refresh }))
            h.token('reg.json', { clientId: 'c', clientSecret: s.clientSecret })
            h.token('bad.json', `{"accessToken":"${s.token}"`)
            h.token('shape.json', { accessToken: { nested: s.token }, region: s.refresh })
            h.cred('c.json', ssoCreds(s.sk, s.st))
            h.cred('o.json', { ProviderType: 'assume-role', Credentials: { SecretAccessKey: s.sk } })
            const r = await run(h, { dryRun })
            const shown = JSON.stringify(r) + showLogoutReport(r)
            for (const v of Object.values(s)) expect(shown).not.toContain(v)
          } finally {
            h.cleanup()
          }
        }
      ),
      { numRuns: 40 }
    )
  })
})
