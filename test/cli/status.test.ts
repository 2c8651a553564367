/**
 * `fp-aws sso status` against real temporary homes with sessions made by `login` against
 * the emulator: exit 0 when valid or refreshable (and until when), 1 when a login is needed
 * (and which), 2 on usage errors; never a token in any output.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { fileFor } from '../auth/sso/helpers.js'
import { useWorld } from './ssoWorld.js'

const world = useWorld()
const HOUR = 3600_000
const iso = (d: Date): string => d.toISOString().replace('.000Z', 'Z')

describe('fp-aws sso status', () => {
  it('a valid sso-session: exit 0, valid until its expiry, refreshable until the registration ends', async () => {
    const w = await world()
    const dev = await w.login({ profile: 'dev' })
    const r = await w.cli(['sso', 'status', '--profile', 'dev'])
    expect(r.code).toBe(0)
    expect(r.err).toBe('')
    expect(r.out).toMatch(
      new RegExp(`^Profile dev \\(sso-session 'corp'\\): valid until ${iso(dev.expiresAt)}; it can be refreshed until \\S+Z\\.\\n$`)
    )
    const j = await w.cli(['sso', 'status', '--json'], { AWS_PROFILE: 'dev2' })
    expect(j.code).toBe(0)
    expect(JSON.parse(j.out)).toEqual({
      profile: 'dev2',
      state: 'Valid',
      ssoSession: 'corp',
      file: dev.tokenFile,
      expiresAt: iso(dev.expiresAt),
      refreshable: true,
      registrationExpiresAt: expect.stringMatching(/Z$/) as unknown
    })
    for (const s of w.secrets()) expect(r.out + j.out).not.toContain(s)
  })

  it('an expired sso-session with a refresh token and a live registration: exit 0, can be refreshed', async () => {
    const w = await world({ accessTokenTtlSeconds: 60 })
    const dev = await w.login({ profile: 'dev' }, 2 * HOUR)
    const r = await w.cli(['sso', 'status', '--profile', 'dev'])
    expect(r.code).toBe(0)
    expect(r.out).toMatch(
      new RegExp(`^Profile dev \\(sso-session 'corp'\\): the access token expired at ${iso(dev.expiresAt)}; the session can be refreshed until \\S+Z\\.\\n$`)
    )
    const j = await w.cli(['sso', 'status', '--profile', 'dev', '--json'])
    expect(j.code).toBe(0)
    expect(JSON.parse(j.out)).toMatchObject({ state: 'Refreshable', refreshable: true })
  })

  it('an expired session that cannot be refreshed (its registration expired, or legacy): exit 1, names the login to run', async () => {
    const w = await world({ accessTokenTtlSeconds: 60, registrationTtlSeconds: 60 })
    const dev = await w.login({ profile: 'dev' }, 2 * HOUR)
    const old = await w.login({ profile: 'old' }, 2 * HOUR)
    const r = await w.cli(['sso', 'status', '--profile', 'dev'])
    expect(r).toEqual({
      code: 1,
      out: `Profile dev (sso-session 'corp'): expired at ${iso(dev.expiresAt)} and cannot be refreshed. Log in again: fp-aws sso login --profile dev\n`,
      err: ''
    })
    const j = await w.cli(['sso', 'status', '--profile', 'old', '--json'])
    expect(j.code).toBe(1)
    expect(JSON.parse(j.out)).toEqual({
      profile: 'old',
      state: 'Expired',
      startUrl: 'https://old.awsapps.com/start',
      file: old.tokenFile,
      expiresAt: iso(old.expiresAt),
      refreshable: false,
      registrationExpiresAt: expect.stringMatching(/Z$/) as unknown,
      login: 'fp-aws sso login --profile old'
    })
    for (const s of w.secrets()) expect(r.out + j.out).not.toContain(s)
  })

  it('a legacy token with refresh fields is never refreshable: exit 1 once expired', async () => {
    const w = await world({ accessTokenTtlSeconds: 60 })
    const old = await w.login({ profile: 'old' }, 2 * HOUR)
    const token = JSON.parse(fs.readFileSync(old.tokenFile, 'utf8')) as Record<string, unknown>
    fs.writeFileSync(old.tokenFile, JSON.stringify({ ...token, refreshToken: 'legacy-refresh-secret' }))
    const j = await w.cli(['sso', 'status', '--profile', 'old', '--json'])
    expect(j.code).toBe(1)
    expect(JSON.parse(j.out)).toMatchObject({ state: 'Expired', refreshable: false })
    expect(j.out).not.toContain('legacy-refresh-secret')
  })

  it('no session, or a corrupt token file: exit 1, says which login to run', async () => {
    const w = await world()
    const missing = await w.cli(['sso', 'status', '--profile', 'dev'])
    expect(missing.code).toBe(1)
    expect(missing.out).toBe(
      `Profile dev (sso-session 'corp'): no cached SSO session (${path.join(w.home.tokens, fileFor('corp'))}). Log in: fp-aws sso login --profile dev\n`
    )
    w.home.token(fileFor('corp'), '{"accessToken": "corrupt-secret-token", ')
    const corrupt = await w.cli(['sso', 'status', '--profile', 'dev'])
    expect(corrupt.code).toBe(1)
    expect(corrupt.out).toMatch(/: the cached SSO token is unusable: .* is not valid JSON\. Log in again: fp-aws sso login --profile dev\n$/)
    expect(corrupt.out).not.toContain('corrupt-secret-token')
    const j = await w.cli(['sso', 'status', '--profile', 'dev', '--json'])
    expect(JSON.parse(j.out)).toMatchObject({ state: 'Invalid', login: 'fp-aws sso login --profile dev' })
  })

  it('a token cache another user could change is refused: exit 1, not read', async () => {
    const w = await world()
    await w.login({ profile: 'dev' })
    fs.chmodSync(w.home.tokens, 0o777)
    const r = await w.cli(['sso', 'status', '--profile', 'dev', '--json'])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.out)).toMatchObject({ state: 'Refused', message: expect.stringMatching(/^refused the cache: /) as unknown })
  })

  it('usage errors exit 2: an unknown profile (from --profile or AWS_PROFILE), a profile that is not SSO, an empty or unknown option', async () => {
    const w = await world()
    const unknown = await w.cli(['sso', 'status', '--profile', 'nope'])
    expect(unknown.code).toBe(2)
    expect(unknown.out).toBe('')
    expect(unknown.err).toMatch(/^fp-aws: .*the profile 'nope' is not in the config file/)
    const env = await w.cli(['sso', 'status', '--json'], { AWS_PROFILE: 'nope' })
    expect(env.code).toBe(2)
    expect(JSON.parse(env.out)).toMatchObject({ error: { type: 'SSOConfigError' } })
    const plain = await w.cli(['sso', 'status', '--profile', 'plain'])
    expect(plain.code).toBe(2)
    expect(plain.err).toMatch(/neither 'sso_session' nor 'sso_start_url'/)
    expect((await w.cli(['sso', 'status', '--profile', ''])).code).toBe(2)
    const near = await w.cli(['sso', 'status', '--profil', 'dev'])
    expect(near).toEqual({
      code: 2,
      out: '',
      err: "fp-aws: unknown option --profil (did you mean --profile?). Run 'fp-aws sso status --help' for usage.\n"
    })
    const help = await w.cli(['sso', 'status', '--help'])
    expect(help.code).toBe(0)
    expect(help.out).toMatch(/^Usage: fp-aws sso status \[--profile <name>\] \[--json\]\n/)
    expect(help.out).toContain('Exit status: 0 when the session is valid or can be refreshed, 1 when a login is needed')
  })
})
