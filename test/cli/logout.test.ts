import * as fs from 'node:fs'
import * as path from 'node:path'
import fc from 'fast-check'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { credentialCacheKey, type LogoutReport } from '../../src/auth/sso/index.js'
import type { Emulator } from '../../src/emulator/index.js'
import { closedPort, fileFor, liveTokens, makeHome, ssoCreds, start, tokenJson, useHomes, type Home } from '../auth/sso/helpers.js'
import { runCli as cli } from '../util/cli.js'

let emu: Emulator
/** Live tokens the emulator accepts, each used once. */
const { seeds, live } = liveTokens(30, (i) => `cli-live-token-${i}`)
beforeAll(async () => {
  emu = await start({ tokens: seeds })
})
afterAll(() => emu.close())

const home = useHomes()
afterEach(() => emu.clearFaults())

const envFor = (h: Home, extra: Record<string, string> = {}): Record<string, string> => ({
  HOME: h.home,
  AWS_ENDPOINT_URL_SSO: emu.url,
  ...extra
})

describe('fp-aws sso logout', () => {
  it('logs out everything: names what was invalidated and removed; exit 0', async () => {
    const h = home()
    const tok = live()
    const t = h.token('a.json', tokenJson(tok))
    const { region: _r, ...noRegion } = tokenJson('cli-noregion')
    const n = h.token('b.json', noRegion)
    const reg = h.token('reg.json', { clientId: 'c', clientSecret: 's' })
    const c = h.cred('c.json', ssoCreds())
    const o = h.cred('o.json', { ProviderType: 'assume-role' })
    const r = await cli(['sso', 'logout'], envFor(h))
    expect(r.code).toBe(0)
    expect(r.err).toBe('')
    expect(emu.isLoggedOut(tok)).toBe(true)
    expect(fs.existsSync(t) || fs.existsSync(n) || fs.existsSync(c)).toBe(false)
    expect(fs.existsSync(reg) && fs.existsSync(o)).toBe(true)
    expect(r.out).toContain('Invalidated the SSO session of https://corp.awsapps.com/start (us-east-1)')
    expect(r.out).toContain(`Removed cached SSO token ${t}`)
    expect(r.out).toContain(`Removed cached SSO token ${n} (no region: not invalidated server-side)`)
    expect(r.out).toContain(`Removed cached SSO credentials ${c}`)
    expect(r.out).toContain('Left alone 2 other cache files')
  })

  it("a crashed write's temporary file, stale by the clock, is logged out and removed; one in flight is left", async () => {
    const h = home()
    const crashed = live()
    const inFlight = live()
    const stale = h.token(`.${fileFor('crashed')}.0123456789abcdef.tmp`, tokenJson(crashed))
    const fresh = h.token(`.${fileFor('fresh')}.fedcba9876543210.tmp`, tokenJson(inFlight))
    const old = new Date(Date.now() - 3_600_000)
    fs.utimesSync(stale, old, old)
    const r = await cli(['sso', 'logout'], envFor(h))
    expect(r.code).toBe(0)
    expect(r.out).toContain(`Removed cached SSO token ${stale}`)
    expect([emu.isLoggedOut(crashed), emu.isLoggedOut(inFlight)]).toEqual([true, false])
    expect(h.ls(h.tokens)).toEqual([path.basename(fresh)])
  })

  it('nothing cached (no directories): exit 0', async () => {
    const h = home()
    const r = await cli(['sso', 'logout'], envFor(h))
    expect(r).toEqual({ code: 0, out: 'No cached SSO token or credentials found.\n', err: '' })
  })

  it('--json prints only the report, as JSON, on stdout', async () => {
    const h = home()
    const tok = live()
    const t = h.token('a.json', tokenJson(tok))
    h.token('junk', 'not json')
    const r = await cli(['sso', 'logout', '--json'], envFor(h))
    expect(r.code).toBe(0)
    expect(r.err).toBe('')
    const report = JSON.parse(r.out) as LogoutReport
    expect(report).toEqual({
      dryRun: false,
      invalidated: [{ file: t, startUrl: 'https://corp.awsapps.com/start', region: 'us-east-1', outcome: 'LoggedOut' }],
      deleted: [{ kind: 'token', file: t, startUrl: 'https://corp.awsapps.com/start', region: 'us-east-1', invalidation: 'LoggedOut' }],
      kept: [{ file: path.join(h.tokens, 'junk'), reason: 'NotJson', message: 'is not valid JSON' }],
      errors: []
    })
  })

  it('--dry-run deletes nothing and calls nothing', async () => {
    const h = home()
    const tok = live()
    h.token('a.json', tokenJson(tok))
    h.cred('c.json', ssoCreds())
    const before = emu.requestCount()
    const r = await cli(['sso', 'logout', '--dry-run'], envFor(h))
    expect(r.code).toBe(0)
    expect(emu.requestCount()).toBe(before)
    expect(h.ls(h.tokens)).toEqual(['a.json'])
    expect(h.ls(h.creds)).toEqual(['c.json'])
    expect(r.out).toContain('Would invalidate the SSO session of https://corp.awsapps.com/start')
    expect(r.out).toContain('Would remove cached SSO credentials')
    const j = await cli(['sso', 'logout', '--dry-run', '--json'], envFor(h))
    expect((JSON.parse(j.out) as LogoutReport).dryRun).toBe(true)
    expect(h.ls(h.tokens)).toEqual(['a.json'])
  })

  it('a session that could not be invalidated: the token is kept, exit 1', async () => {
    const h = home()
    const port = await closedPort()
    const t = h.token('a.json', tokenJson('cli-unreachable'))
    const c = h.cred('c.json', ssoCreds())
    const env = { HOME: h.home, AWS_ENDPOINT_URL_SSO: `http://127.0.0.1:${port}`, AWS_MAX_ATTEMPTS: '1' }
    const r = await cli(['sso', 'logout'], env)
    expect(r.code).toBe(1)
    expect(fs.existsSync(t)).toBe(true)
    expect(fs.existsSync(c)).toBe(false)
    // what was done on stdout; what went wrong on stderr
    expect(r.out).toBe(`Removed cached SSO credentials ${c}\n`)
    expect(r.err).toMatch(
      /^Error: could not invalidate the session of https:\/\/corp\.awsapps\.com\/start in us-east-1: network error \(ConnectionRefused.*\nfp-aws: logout incomplete: 1 problem \(see above\)\n$/
    )
    const j = await cli(['sso', 'logout', '--json'], env)
    expect(j.code).toBe(1)
    expect(j.err).toBe('')
    expect((JSON.parse(j.out) as LogoutReport).errors).toHaveLength(1)
  })

  it('the emulator dropping connections (every attempt): exit 1, token kept; then a retry succeeds', async () => {
    const h = home()
    const tok = live()
    const t = h.token('a.json', tokenJson(tok))
    emu.inject([{ operation: 'Logout', drop: 'before-response' }])
    const r = await cli(['sso', 'logout'], envFor(h, { AWS_MAX_ATTEMPTS: '1' }))
    expect(r.code).toBe(1)
    expect(fs.existsSync(t)).toBe(true)
    expect(emu.isLoggedOut(tok)).toBe(false)
    const again = await cli(['sso', 'logout'], envFor(h))
    expect(again.code).toBe(0)
    expect(emu.isLoggedOut(tok)).toBe(true)
    expect(fs.existsSync(t)).toBe(false)
  })

  it('a 401 (already logged out) is success', async () => {
    const h = home()
    h.token('a.json', tokenJson('cli-never-issued'))
    const r = await cli(['sso', 'logout'], envFor(h))
    expect(r.code).toBe(0)
    expect(r.out).toContain('Session already invalid')
    expect(h.ls(h.tokens)).toEqual([])
  })

  it('the endpoint follows AWS_ENDPOINT_URL and the profile config too', async () => {
    const h = home()
    const a = live()
    h.token('a.json', tokenJson(a))
    expect((await cli(['sso', 'logout'], { HOME: h.home, AWS_ENDPOINT_URL: emu.url })).code).toBe(0)
    expect(emu.isLoggedOut(a)).toBe(true)
    const b = live()
    h.token('b.json', tokenJson(b))
    h.config(`[default]\nendpoint_url = ${emu.url}\n`)
    expect((await cli(['sso', 'logout'], { HOME: h.home })).code).toBe(0)
    expect(emu.isLoggedOut(b)).toBe(true)
  })

  it('--profile / --sso-session / --start-url: only that session', async () => {
    const h = home()
    h.config(
      [
        '[profile dev]',
        'sso_session = corp',
        'sso_account_id = 111111111111',
        'sso_role_name = Dev',
        '[profile old]',
        'sso_start_url = https://old.awsapps.com/start',
        'sso_region = eu-west-1',
        'sso_account_id = 2',
        'sso_role_name = R',
        '[sso-session corp]',
        'sso_start_url = https://corp.awsapps.com/start',
        'sso_region = us-east-1'
      ].join('\n')
    )
    const corp = live()
    const old = live()
    const corpFile = h.token(fileFor('corp'), tokenJson(corp))
    const oldFile = h.token(fileFor('https://old.awsapps.com/start'), tokenJson(old, { startUrl: 'https://old.awsapps.com/start' }))
    const corpCreds = h.cred(`${credentialCacheKey({ accountId: '111111111111', roleName: 'Dev', sessionName: 'corp' })}.json`, ssoCreds())
    const otherCreds = h.cred('other.json', ssoCreds())
    const r = await cli(['sso', 'logout', '--profile', 'dev'], envFor(h))
    expect(r.code).toBe(0)
    expect(fs.existsSync(corpFile) || fs.existsSync(corpCreds)).toBe(false)
    expect(fs.existsSync(oldFile) && fs.existsSync(otherCreds)).toBe(true)
    expect(emu.isLoggedOut(corp) && !emu.isLoggedOut(old)).toBe(true)
    const s = await cli(['sso', 'logout', '--start-url=https://old.awsapps.com/start', '--json'], envFor(h))
    expect(s.code).toBe(0)
    expect((JSON.parse(s.out) as LogoutReport).deleted.map((d) => d.file)).toEqual([oldFile])
    expect(emu.isLoggedOut(old)).toBe(true)
    const none = await cli(['sso', 'logout', '--sso-session', 'corp'], envFor(h))
    expect(none).toEqual({ code: 0, out: 'No cached SSO token or credentials found.\n', err: '' })
  })

  it('usage errors: exit 2', async () => {
    const h = home()
    h.config('[profile plain]\nregion = us-east-1\n[sso-session s]\nsso_region = us-east-1\n')
    const cases: ReadonlyArray<ReadonlyArray<string>> = [
      ['sso', 'logout', '--profile', 'a', '--sso-session', 'b'],
      ['sso', 'logout', '--start-url', 'u', '--profile', 'a'],
      ['sso', 'logout', '--profile='],
      ['sso', 'logout', '--profile'],
      ['sso', 'logout', '--bogus'],
      ['sso', 'logout', '--json=yes'],
      ['sso', 'logout', 'stray'],
      ['sso', 'logout', '--profile', 'nope'],
      ['sso', 'logout', '--profile', 'plain'],
      ['sso', 'logout', '--sso-session', 'nope']
    ]
    for (const argv of cases) {
      const r = await cli(argv, envFor(h))
      expect(r.code, argv.join(' ')).toBe(2)
      expect(r.err, argv.join(' ')).toMatch(/^fp-aws: /)
      expect(r.out, argv.join(' ')).toBe('')
    }
    // a stray argument (maybe a pasted token) is not echoed
    const stray = await cli(['sso', 'logout', 'S3CRET-pasted-token'], envFor(h))
    expect(stray.code).toBe(2)
    expect(stray.err).toContain('unexpected argument')
    expect(stray.err).not.toContain('S3CRET-pasted-token')
  })

  it('files kept for a reason worth telling are problems: stderr; the sweep still succeeds', async () => {
    const h = home()
    h.token('a.json', tokenJson('cli-never-issued-2'))
    const junk = h.token('junk.json', 'not json')
    const r = await cli(['sso', 'logout'], envFor(h))
    expect(r.code).toBe(0)
    expect(r.out).toContain('Removed cached SSO token')
    expect(r.out).not.toContain('junk')
    expect(r.err).toBe(`Kept ${junk}: is not valid JSON\n`)
  })

  it('a profile that is not there: the same exit code and message whether named by --profile or AWS_PROFILE', async () => {
    const h = home()
    const config = h.config('[profile dev]\nregion = us-east-1\n')
    const byFlag = await cli(['sso', 'logout', '--profile', 'nope'], envFor(h))
    const byEnv = await cli(['sso', 'logout'], envFor(h, { AWS_PROFILE: 'nope' }))
    expect(byFlag).toEqual({ code: 2, out: '', err: `fp-aws: --profile: the profile 'nope' is not in the config file ${config}\n` })
    expect(byEnv).toEqual({ code: 2, out: '', err: `fp-aws: AWS_PROFILE: the profile 'nope' is not in the config file ${config}\n` })
    // --profile wins over AWS_PROFILE, as in the AWS CLI
    expect((await cli(['sso', 'logout', '--profile', 'nope'], envFor(h, { AWS_PROFILE: 'dev' }))).err).toContain('--profile:')
    for (const [argv, env, source] of [
      [['sso', 'logout', '--json', '--profile', 'nope'], envFor(h), '--profile'],
      [['sso', 'logout', '--json'], envFor(h, { AWS_PROFILE: 'nope' }), 'AWS_PROFILE']
    ] as const) {
      const j = await cli(argv, env)
      expect(j.code).toBe(2)
      expect(j.err).toBe('')
      expect(JSON.parse(j.out)).toEqual({
        error: { type: 'ConfigError', message: `${source}: the profile 'nope' is not in the config file ${config}`, source }
      })
    }
  })

  it('a config error names its file and line; with --json it is a JSON error object on stdout', async () => {
    const h = home()
    const config = h.config('[default]\nregion = us-east-1\n[profile x\n')
    const t = h.token('a.json', tokenJson('cli-broken-config-2'))
    const r = await cli(['sso', 'logout'], envFor(h))
    expect(r).toEqual({ code: 1, out: '', err: `fp-aws: ${config}: line 3: section header has no closing ']'\n` })
    for (const argv of [['sso', 'logout', '--json'], ['sso', 'logout', '--json', '--sso-session', 's']]) {
      const j = await cli(argv, envFor(h))
      expect(j.code).toBe(1)
      expect(j.err).toBe('')
      expect(JSON.parse(j.out)).toEqual({
        error: { type: 'ConfigError', message: `${config}: line 3: section header has no closing ']'`, source: config }
      })
    }
    // a bad value from the environment names the variable
    const ok = home()
    ok.config('[default]\nregion = us-east-1\n')
    const e = await cli(['sso', 'logout', '--json'], { HOME: ok.home, AWS_MAX_ATTEMPTS: 'many' })
    expect(e.code).toBe(1)
    expect(JSON.parse(e.out)).toEqual({
      error: { type: 'ConfigError', message: 'AWS_MAX_ATTEMPTS must be a positive integer', source: 'AWS_MAX_ATTEMPTS' }
    })
    // an sso-session that is not there, no HOME, a usage error: JSON too, with their exit codes
    const s = await cli(['sso', 'logout', '--json', '--sso-session', 'nope'], envFor(ok))
    expect(s.code).toBe(2)
    expect(JSON.parse(s.out)).toMatchObject({ error: { type: 'SSOConfigError', source: path.join(ok.home, '.aws', 'config') } })
    const n = await cli(['sso', 'logout', '--json'], {})
    expect(n.code).toBe(1)
    expect(JSON.parse(n.out)).toEqual({ error: { type: 'NoHomeDirectory', message: 'cannot find the home directory (HOME is not set)' } })
    const u = await cli(['sso', 'logout', '--json', '--profle', 'dev'], envFor(ok))
    expect(u).toMatchObject({ code: 2, err: '' })
    expect(JSON.parse(u.out)).toEqual({ error: { type: 'UsageError', message: 'unknown option --profle (did you mean --profile?)' } })
    expect(fs.existsSync(t)).toBe(true)
  })

  describe('hostile file names and start URLs', () => {
    // raw, a terminal would act on these; newline is allowed only as a line break
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/
    const evilUrl = 'https://corp\u001b]0;pwned\u0007\u009b31m\u202e.awsapps.com/start\nRemoved cached SSO token /etc/passwd'
    const shownUrl = 'https://corp\\x1b]0;pwned\\x07\\x9b31m\\u202e.awsapps.com/start\\nRemoved cached SSO token /etc/passwd'
    const setup = (h: Home): { token: string; cred: string; junk: string } => ({
      token: h.token('evil\n\u001b]0;evil\u0007.json', tokenJson('cli-never-issued-evil', { startUrl: evilUrl })),
      cred: h.cred('x\r\u2066\u009d.json', ssoCreds()),
      junk: h.token('\u001b[2J\t.json', 'not json')
    })

    it('human output: every value escaped, one line per entry, problems on stderr', async () => {
      const h = home()
      const f = setup(h)
      const tokens = h.tokens
      const creds = h.creds
      const dry = await cli(['sso', 'logout', '--dry-run'], envFor(h))
      expect(dry.code).toBe(0)
      expect(dry.out).toBe(
        `Would invalidate the SSO session of ${shownUrl} (us-east-1)\n` +
          `Would remove cached SSO token ${tokens}/evil\\n\\x1b]0;evil\\x07.json\n` +
          `Would remove cached SSO credentials ${creds}/x\\r\\u2066\\x9d.json\n`
      )
      expect(dry.err).toBe(`Kept ${tokens}/\\x1b[2J\\t.json: is not valid JSON\n`)
      const r = await cli(['sso', 'logout'], envFor(h))
      expect(r.code).toBe(0)
      expect(r.out).toBe(
        `Session already invalid: the SSO session of ${shownUrl} (us-east-1) (UnauthorizedException)\n` +
          `Removed cached SSO token ${tokens}/evil\\n\\x1b]0;evil\\x07.json\n` +
          `Removed cached SSO credentials ${creds}/x\\r\\u2066\\x9d.json\n`
      )
      expect(UNSAFE.test(r.out + r.err)).toBe(false)
      expect(fs.existsSync(f.token) || fs.existsSync(f.cred)).toBe(false)
      expect(fs.existsSync(f.junk)).toBe(true)
    })

    it('--json: exact values after parsing, and no raw control character in the text', async () => {
      const h = home()
      const f = setup(h)
      const j = await cli(['sso', 'logout', '--dry-run', '--json'], envFor(h))
      expect(j.code).toBe(0)
      expect(j.err).toBe('')
      expect(UNSAFE.test(j.out)).toBe(false)
      expect(JSON.parse(j.out)).toEqual({
        dryRun: true,
        invalidated: [{ file: f.token, startUrl: evilUrl, region: 'us-east-1', outcome: 'WouldLogOut' }],
        deleted: [
          { kind: 'token', file: f.token, startUrl: evilUrl, region: 'us-east-1', invalidation: 'WouldLogOut' },
          { kind: 'credentials', file: f.cred }
        ],
        kept: [{ file: f.junk, reason: 'NotJson', message: 'is not valid JSON' }],
        errors: []
      })
    })

    it('a failure quoting a hostile value: escaped on stderr, exact in the JSON error', async () => {
      const h = home()
      const config = h.config('[default]\nregion = us-east-1\n')
      const name = 'dev\u001b]0;evil\u0007\n\u202e'
      const r = await cli(['sso', 'logout', '--profile', name], envFor(h))
      expect(r).toEqual({
        code: 2,
        out: '',
        err: `fp-aws: --profile: the profile 'dev\\x1b]0;evil\\x07\\n\\u202e' is not in the config file ${config}\n`
      })
      const j = await cli(['sso', 'logout', '--json', '--profile', name], envFor(h))
      expect(UNSAFE.test(j.out)).toBe(false)
      expect((JSON.parse(j.out) as { error: { message: string } }).error.message).toBe(
        `--profile: the profile '${name}' is not in the config file ${config}`
      )
      // a config file whose path holds control characters
      const evilConfig = path.join(h.home, 'conf\n\u001b[31m')
      fs.writeFileSync(evilConfig, '[profile x\n')
      const c = await cli(['sso', 'logout'], envFor(h, { AWS_CONFIG_FILE: evilConfig }))
      expect(c).toEqual({
        code: 1,
        out: '',
        err: `fp-aws: ${h.home}/conf\\n\\x1b[31m: line 1: section header has no closing ']'\n`
      })
    })
  })

  it('--help: usage of the command, exit 0', async () => {
    const r = await cli(['sso', 'logout', '--help'], {})
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^Usage: fp-aws sso logout \[--profile <name>\] \[--sso-session <name>\] \[--start-url <url>\] \[--dry-run\] \[--concurrency <n>\] \[--json\]/)
    const top = await cli(['--help'], {})
    expect(top.out).toContain('sso logout')
  })

  it('HOME from io.homedir first, then env.HOME; none: exit 1', async () => {
    const h = home()
    const tok = live()
    h.token('a.json', tokenJson(tok))
    const r = await cli(['sso', 'logout'], { AWS_ENDPOINT_URL_SSO: emu.url, HOME: '/nonexistent-home' }, { homedir: h.home })
    expect(r.code).toBe(0)
    expect(emu.isLoggedOut(tok)).toBe(true)
    const none = await cli(['sso', 'logout'], { AWS_ENDPOINT_URL_SSO: emu.url })
    expect(none.code).toBe(1)
    expect(none.err).toContain('home directory')
  })

  it('a broken config file: exit 1, nothing touched', async () => {
    const h = home()
    h.config('[profile x\n')
    const t = h.token('a.json', tokenJson('cli-broken-config'))
    const r = await cli(['sso', 'logout'], envFor(h))
    expect(r.code).toBe(1)
    expect(fs.existsSync(t)).toBe(true)
  })

  it('no token, client secret or credential ever appears in any output (property)', async () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9_-]{20,48}$/).map((s) => `S3CRET${s}`)
    await fc.assert(
      fc.asyncProperty(
        fc.record({ a: secret, b: secret, cs: secret, rt: secret, sk: secret, st: secret }),
        fc.subarray(['--json', '--dry-run']),
        fc.boolean(),
        async (s, flags, reachable) => {
          const h = makeHome()
          try {
            h.token('a.json', tokenJson(s.a, { clientSecret: s.cs, refreshToken: s.rt }))
            h.token('b', { accessToken: s.b })
            h.token('c.json', `{"accessToken":"${s.a}"`)
            h.token('reg.json', { clientId: 'c', clientSecret: s.cs })
            h.cred('x.json', ssoCreds(s.sk, s.st))
            h.cred('y.json', { ProviderType: 'other', Credentials: { SecretAccessKey: s.sk } })
            const env = reachable ? envFor(h) : { HOME: h.home, AWS_ENDPOINT_URL_SSO: 'http://127.0.0.1:1', AWS_MAX_ATTEMPTS: '1' }
            const r = await cli(['sso', 'logout', ...flags], env)
            for (const v of Object.values(s)) {
              expect(r.out).not.toContain(v)
              expect(r.err).not.toContain(v)
            }
          } finally {
            h.cleanup()
          }
        }
      ),
      { numRuns: 30 }
    )
  })
})
