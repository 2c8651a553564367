/**
 * `fp-aws sso sessions` against real temporary homes with sessions made by `login` against
 * the emulator: valid and expired, refreshable or not, legacy, unknown to the config file,
 * corrupt files; never a token in any output.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { fileFor, tokenJson } from '../auth/sso/helpers.js'
import { OLD_URL, START_URL, useWorld } from './ssoWorld.js'

const world = useWorld()

interface Listed {
  readonly sessions: ReadonlyArray<Record<string, unknown>>
  readonly problems: ReadonlyArray<Record<string, unknown>>
}

const HOUR = 3600_000

describe('fp-aws sso sessions', () => {
  it('no cache at all: says so, exit 0; --json is an empty listing', async () => {
    const w = await world()
    expect(await w.cli(['sso', 'sessions'])).toEqual({ code: 0, out: 'No cached SSO session.\n', err: '' })
    const j = await w.cli(['sso', 'sessions', '--json'])
    expect(j.code).toBe(0)
    expect(JSON.parse(j.out)).toEqual({ sessions: [], problems: [] })
  })

  it('lists an sso-session and a legacy session: region, expiry, refreshable, profiles; registrations left out; no secret', async () => {
    const w = await world()
    const dev = await w.login({ profile: 'dev' })
    const old = await w.login({ profile: 'old' })
    // the cache also holds the client registrations
    expect(w.home.ls(w.home.tokens).length).toBe(4)
    const j = await w.cli(['sso', 'sessions', '--json'])
    expect(j.code).toBe(0)
    expect(j.err).toBe('')
    const listed = JSON.parse(j.out) as Listed
    expect(listed.problems).toEqual([])
    const iso = (d: Date): string => d.toISOString().replace('.000Z', 'Z')
    expect(listed.sessions).toEqual(
      [
        {
          file: dev.tokenFile,
          kind: 'SSOSession',
          ssoSession: 'corp',
          startUrl: START_URL,
          region: 'eu-west-1',
          expiresAt: iso(dev.expiresAt),
          expired: false,
          refreshable: true,
          registrationExpiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) as unknown,
          profiles: ['dev', 'dev2']
        },
        {
          file: old.tokenFile,
          kind: 'Legacy',
          startUrl: OLD_URL,
          region: 'us-east-1',
          expiresAt: iso(old.expiresAt),
          expired: false,
          refreshable: false,
          registrationExpiresAt: expect.stringMatching(/Z$/) as unknown,
          profiles: ['old']
        }
      ].sort((a, b) => (path.basename(a.file) < path.basename(b.file) ? -1 : 1))
    )
    const text = await w.cli(['sso', 'sessions'])
    expect(text.code).toBe(0)
    expect(text.err).toBe('')
    expect(text.out).toContain('sso-session corp\n')
    expect(text.out).toContain(`legacy ${OLD_URL}\n`)
    expect(text.out).toContain('  profiles:    dev, dev2\n')
    expect(text.out).toMatch(/ {2}refreshable: yes \(client registration until \S+Z\)\n/)
    expect(text.out).toMatch(/ {2}expires: {5}\S+Z \(valid\)\n/)
    expect(w.secrets().length).toBeGreaterThanOrEqual(5)
    for (const s of w.secrets()) expect(j.out + text.out + text.err).not.toContain(s)
  })

  it('expired sessions: an sso-session with a refresh token is still refreshable, a legacy one is not; an expired registration is not', async () => {
    const w = await world({ accessTokenTtlSeconds: 60 })
    await w.login({ profile: 'dev' }, 2 * HOUR)
    await w.login({ profile: 'old' }, 2 * HOUR)
    let listed = JSON.parse((await w.cli(['sso', 'sessions', '--json'])).out) as Listed
    expect(listed.sessions.map((s) => [s['kind'], s['expired'], s['refreshable']]).sort()).toEqual([
      ['Legacy', true, false],
      ['SSOSession', true, true]
    ])
    // the same session, its client registration expired (written as the AWS CLI writes it)
    const file = path.join(w.home.tokens, fileFor('corp'))
    const token = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>
    fs.writeFileSync(file, JSON.stringify({ ...token, registrationExpiresAt: '2001-01-01T00:00:00Z' }))
    listed = JSON.parse((await w.cli(['sso', 'sessions', '--json'])).out) as Listed
    expect(listed.sessions.find((s) => s['kind'] === 'SSOSession')).toMatchObject({ expired: true, refreshable: false })
    const text = await w.cli(['sso', 'sessions'])
    expect(text.out).toMatch(/\(expired\)\n/)
    expect(text.out).not.toContain('refreshable: yes')
  })

  it('a token whose name no section of the config file gives: listed as unknown, no profile, never refreshable', async () => {
    const w = await world()
    w.home.token(fileFor('gone'), tokenJson('unknown-secret-token', { clientId: 'c', clientSecret: 'cs-secret-1', refreshToken: 'rt-secret-1', registrationExpiresAt: '2999-01-01T00:00:00Z' }))
    const j = await w.cli(['sso', 'sessions', '--json'])
    expect(JSON.parse(j.out)).toMatchObject({
      sessions: [{ kind: 'Unknown', startUrl: START_URL, refreshable: false, expired: false, profiles: [] }],
      problems: []
    })
    const text = await w.cli(['sso', 'sessions'])
    expect(text.out).toContain(`unknown ${START_URL}\n`)
    for (const s of ['unknown-secret-token', 'cs-secret-1', 'rt-secret-1']) expect(j.out + text.out).not.toContain(s)
  })

  it('corrupt files are reported on stderr (in problems with --json), not fatal: the other sessions are listed, exit 0', async () => {
    const w = await world()
    const dev = await w.login({ profile: 'dev' })
    const notJson = w.home.token('aaaa.json', '{"accessToken": "half-written-secret')
    const invalid = w.home.token('bbbb.json', { accessToken: 'invalid-secret-token', region: 'us-east-1' })
    const array = w.home.token('cccc.json', '["x"]')
    fs.symlinkSync(dev.tokenFile, path.join(w.home.tokens, 'dddd.json'))
    // an atomic write in flight, and a directory: not sessions, not problems
    w.home.token('.x.json.0123456789abcdef.tmp', 'partial')
    fs.mkdirSync(path.join(w.home.tokens, 'sub'))
    const j = await w.cli(['sso', 'sessions', '--json'])
    expect(j.code).toBe(0)
    const listed = JSON.parse(j.out) as Listed
    expect(listed.sessions.map((s) => s['ssoSession'])).toEqual(['corp'])
    expect(listed.problems.map((p) => [p['file'], p['reason']])).toEqual([
      [notJson, 'NotJson'],
      [invalid, 'Invalid'],
      [array, 'NotAnObject'],
      [path.join(w.home.tokens, 'dddd.json'), 'Symlink']
    ])
    const text = await w.cli(['sso', 'sessions'])
    expect(text.code).toBe(0)
    expect(text.out).toContain('sso-session corp\n')
    expect(text.err.split('\n').filter((l) => l !== '')).toHaveLength(4)
    expect(text.err).toContain(`fp-aws: ${notJson} is not valid JSON\n`)
    expect(text.err).toMatch(/dddd\.json is a symbolic link/)
    expect(text.err).toMatch(/bbbb\.json is not a valid token file \(.*expiresAt.*\)\n/)
    for (const s of ['half-written-secret', 'invalid-secret-token', ...w.secrets()]) expect(j.out + text.out + text.err).not.toContain(s)
  })

  it.skipIf(process.platform === 'win32')('a cache another user could change is refused, nothing in it read: reported, exit 0', async () => {
    const w = await world()
    await w.login({ profile: 'dev' })
    fs.chmodSync(w.home.tokens, 0o777)
    const j = await w.cli(['sso', 'sessions', '--json'])
    expect(j.code).toBe(0)
    expect(JSON.parse(j.out)).toMatchObject({ sessions: [], problems: [{ file: w.home.tokens, reason: 'UnsafeDirectory' }] })
    const text = await w.cli(['sso', 'sessions'])
    expect(text.out).toBe('No cached SSO session.\n')
    expect(text.err).toMatch(/^fp-aws: refused the cache: .*writable by others/)
  })

  it('usage: an unknown option is a usage error (2) with a near miss; --help; a broken config file is 1', async () => {
    const w = await world()
    const r = await w.cli(['sso', 'sessions', '--jsn'])
    expect(r).toEqual({
      code: 2,
      out: '',
      err: "fp-aws: unknown option --jsn (did you mean --json?). Run 'fp-aws sso sessions --help' for usage.\n"
    })
    const help = await w.cli(['sso', 'sessions', '--help'])
    expect(help.code).toBe(0)
    expect(help.out).toMatch(/^Usage: fp-aws sso sessions \[--json\]\n/)
    const group = await w.cli(['sso', '--help'])
    for (const c of ['credentials', 'sessions', 'status']) expect(group.out).toMatch(new RegExp(`\\n  ${c} +\\S`))
    w.home.config('[profile dev\nsso_session = corp\n')
    const broken = await w.cli(['sso', 'sessions', '--json'])
    expect(broken.code).toBe(1)
    expect(JSON.parse(broken.out)).toMatchObject({ error: { type: 'ConfigError' } })
  })
})
