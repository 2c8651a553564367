import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  credentialCacheKey,
  isLogoutSuccessful,
  logoutSession,
  sha1Hex,
  type LogoutTarget
} from '../../../src/auth/sso/index.js'
import type { Emulator } from '../../../src/emulator/index.js'
import { envTo, fileFor, makeHome, ssoCreds, start, tokenJson, type Home } from './helpers.js'

let emu: Emulator
const TOKENS = ['corp-token', 'legacy-token', 'other-token', 'same-url-token', 'noregion-token', 'crashed-write-token', 'in-flight-token'] as const
beforeAll(async () => {
  emu = await start({ tokens: Object.fromEntries(TOKENS.map((t) => [t, {}])) })
})
afterAll(() => emu.close())

const homes: Array<Home> = []
afterEach(() => {
  for (const h of homes.splice(0)) h.cleanup()
})

const CORP = 'https://corp.awsapps.com/start'
const LEGACY = 'https://legacy.awsapps.com/start'
const OTHER = 'https://other.awsapps.com/start'

const CONFIG = `
[profile dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Developer

[profile ops]
sso_session = corp
sso_account_id = 222222222222
sso_role_name = Admin

[profile old]
sso_start_url = ${LEGACY}
sso_region = eu-west-1
sso_account_id = 333333333333
sso_role_name = ReadOnly

[profile other]
sso_session = other
sso_account_id = 444444444444
sso_role_name = ReadOnly

[profile plain]
region = us-east-1

[sso-session corp]
sso_start_url = ${CORP}
sso_region = us-east-1

[sso-session other]
sso_start_url = ${OTHER}
sso_region = ap-south-1

[sso-session sameurl]
sso_start_url = ${LEGACY}
sso_region = eu-west-1
`

interface Fixture {
  readonly h: Home
  readonly files: Readonly<Record<string, string>>
}

/** A home with every session logged in and every profile's credentials cached, as the AWS CLI names them. */
const fixture = (): Fixture => {
  const h = makeHome()
  homes.push(h)
  h.config(CONFIG)
  const key = (k: Parameters<typeof credentialCacheKey>[0]): string => `${credentialCacheKey(k)}.json`
  const files = {
    corpToken: h.token(fileFor('corp'), tokenJson('corp-token', { startUrl: CORP })),
    legacyToken: h.token(fileFor(LEGACY), tokenJson('legacy-token', { startUrl: LEGACY, region: 'eu-west-1' })),
    otherToken: h.token(fileFor('other'), tokenJson('other-token', { startUrl: OTHER, region: 'ap-south-1' })),
    sameUrlToken: h.token(fileFor('sameurl'), tokenJson('same-url-token', { startUrl: LEGACY, region: 'eu-west-1' })),
    registration: h.token(sha1Hex('registration') + '.json', { clientId: 'c', clientSecret: 's' }),
    devCreds: h.cred(key({ accountId: '111111111111', roleName: 'Developer', sessionName: 'corp' }), ssoCreds()),
    opsCreds: h.cred(key({ accountId: '222222222222', roleName: 'Admin', sessionName: 'corp' }), ssoCreds()),
    oldCreds: h.cred(key({ accountId: '333333333333', roleName: 'ReadOnly', startUrl: LEGACY }), ssoCreds()),
    otherCreds: h.cred(key({ accountId: '444444444444', roleName: 'ReadOnly', sessionName: 'other' }), ssoCreds()),
    unrelated: h.cred('unrelated.json', ssoCreds())
  }
  return { h, files }
}

const run = (h: Home, target: LogoutTarget, extra: { env?: Record<string, string>; dryRun?: boolean } = {}) =>
  logoutSession({ homedir: h.home, env: extra.env ?? {}, envForRegion: envTo(emu.url), target, dryRun: extra.dryRun })()

const remaining = (f: Fixture): ReadonlyArray<string> =>
  Object.entries(f.files)
    .filter(([, file]) => fs.existsSync(file))
    .map(([name]) => name)
    .sort()

describe('logoutSession', () => {
  it('by profile (sso-session): that session token, and the credentials of every profile of the session', async () => {
    const f = fixture()
    const r = await run(f.h, { _tag: 'Profile', profile: 'dev' })
    expect(r._tag).toBe('Right')
    if (r._tag !== 'Right') return
    expect(emu.isLoggedOut('corp-token')).toBe(true)
    expect(emu.isLoggedOut('other-token') || emu.isLoggedOut('legacy-token')).toBe(false)
    expect(remaining(f)).toEqual(['legacyToken', 'oldCreds', 'otherCreds', 'otherToken', 'registration', 'sameUrlToken', 'unrelated'])
    expect(r.right.invalidated).toEqual([
      { file: f.files['corpToken'], startUrl: CORP, region: 'us-east-1', outcome: 'LoggedOut' }
    ])
    expect(r.right.deleted.map((d) => d.file)).toEqual([f.files['corpToken'], f.files['devCreds'], f.files['opsCreds']])
    expect(isLogoutSuccessful(r.right)).toBe(true)
  })

  it("a crashed write's temporary file of that session's token, stale by the clock, is swept too; one in flight, or another session's, is not", async () => {
    const f = fixture()
    fs.rmSync(f.files['corpToken'] as string)
    const tmp = (name: string, hex: string): string => `.${fileFor(name)}.${hex}.tmp`
    const stale = f.h.token(tmp('corp', '0123456789abcdef'), tokenJson('crashed-write-token', { startUrl: CORP }))
    const fresh = f.h.token(tmp('corp', 'fedcba9876543210'), tokenJson('in-flight-token', { startUrl: CORP }))
    const otherStale = f.h.token(tmp('other', '0123456789abcdef'), tokenJson('other-token', { startUrl: OTHER }))
    const t = fs.statSync(fresh).mtimeMs
    for (const file of [stale, otherStale]) fs.utimesSync(file, new Date(t - 61_000), new Date(t - 61_000))
    const r = await logoutSession({
      homedir: f.h.home,
      env: {},
      envForRegion: envTo(emu.url),
      target: { _tag: 'Profile', profile: 'dev' },
      now: () => t + 1_000
    })()
    expect(r._tag === 'Right' && r.right.deleted.map((d) => d.file)).toEqual([stale, f.files['devCreds'], f.files['opsCreds']])
    expect([emu.isLoggedOut('crashed-write-token'), emu.isLoggedOut('in-flight-token')]).toEqual([true, false])
    expect([fs.existsSync(stale), fs.existsSync(fresh), fs.existsSync(otherStale)]).toEqual([false, true, true])
  })

  it('by sso-session name', async () => {
    const f = fixture()
    const r = await run(f.h, { _tag: 'SSOSession', name: 'other' })
    expect(r._tag === 'Right' && r.right.deleted.map((d) => d.file)).toEqual([f.files['otherToken'], f.files['otherCreds']])
    expect(emu.isLoggedOut('other-token')).toBe(true)
  })

  it('by legacy profile: sha1 of the start URL, and the startUrl-keyed credentials', async () => {
    const f = fixture()
    const r = await run(f.h, { _tag: 'Profile', profile: 'old' })
    expect(r._tag === 'Right' && r.right.deleted.map((d) => d.file)).toEqual([f.files['legacyToken'], f.files['oldCreds']])
    expect(emu.isLoggedOut('legacy-token')).toBe(true)
    expect(emu.isLoggedOut('same-url-token')).toBe(false)
  })

  it('by start URL: the legacy session and every sso-session of that URL', async () => {
    const f = fixture()
    const r = await run(f.h, { _tag: 'StartUrl', startUrl: LEGACY })
    expect(r._tag === 'Right' && r.right.deleted.map((d) => d.file)).toEqual([
      f.files['legacyToken'],
      f.files['sameUrlToken'],
      f.files['oldCreds']
    ])
    expect(remaining(f)).toEqual(['corpToken', 'devCreds', 'opsCreds', 'otherCreds', 'otherToken', 'registration', 'unrelated'])
  })

  it('a start URL not in the config still finds sha1(url); nothing there is nothing to do', async () => {
    const f = fixture()
    const r = await run(f.h, { _tag: 'StartUrl', startUrl: 'https://nowhere.awsapps.com/start' })
    expect(r).toEqual({ _tag: 'Right', right: { dryRun: false, invalidated: [], deleted: [], kept: [], errors: [] } })
    expect(remaining(f)).toHaveLength(Object.keys(f.files).length)
  })

  it('a token file without region uses the configured sso_region', async () => {
    const f = fixture()
    const { region: _r, ...noRegion } = tokenJson('noregion-token', { startUrl: OTHER })
    fs.writeFileSync(f.files['otherToken'] ?? '', JSON.stringify(noRegion))
    const r = await run(f.h, { _tag: 'Profile', profile: 'other' })
    expect(emu.isLoggedOut('noregion-token')).toBe(true)
    expect(r._tag === 'Right' && r.right.invalidated[0]?.region).toBe('ap-south-1')
  })

  it('matches credentials cached under the other key forms, and keeps a non-SSO entry under a matching name', async () => {
    const f = fixture()
    const startUrlForm = f.h.cred(`${credentialCacheKey({ accountId: '111111111111', roleName: 'Developer', startUrl: CORP })}.json`, ssoCreds())
    const both = f.h.cred(
      `${sha1Hex(JSON.stringify({ accountId: '222222222222', roleName: 'Admin', sessionName: 'corp', startUrl: CORP }))}.json`,
      ssoCreds()
    )
    fs.writeFileSync(f.files['opsCreds'] ?? '', JSON.stringify({ ProviderType: 'assume-role' }))
    const r = await run(f.h, { _tag: 'SSOSession', name: 'corp' })
    expect(fs.existsSync(startUrlForm) || fs.existsSync(both)).toBe(false)
    expect(fs.existsSync(f.files['opsCreds'] ?? '')).toBe(true)
    expect(r._tag === 'Right' && r.right.kept.map((k) => [k.file, k.reason])).toEqual([[f.files['opsCreds'], 'NotSSOCredentials']])
  })

  it('dry run: deletes nothing, calls nothing', async () => {
    const f = fixture()
    const before = emu.requestCount()
    const r = await run(f.h, { _tag: 'Profile', profile: 'ops' }, { dryRun: true })
    expect(emu.requestCount()).toBe(before)
    expect(remaining(f)).toHaveLength(Object.keys(f.files).length)
    expect(r._tag === 'Right' && r.right.deleted).toHaveLength(3)
  })

  it('reads AWS_CONFIG_FILE (with ~ expanded against homedir)', async () => {
    const f = fixture()
    fs.renameSync(path.join(f.h.home, '.aws', 'config'), path.join(f.h.home, 'elsewhere'))
    const missing = await run(f.h, { _tag: 'Profile', profile: 'dev' })
    expect(missing._tag === 'Left' && missing.left._tag === 'SSOConfigError' && missing.left.reason).toBe('ProfileNotFound')
    const r = await run(f.h, { _tag: 'Profile', profile: 'dev' }, { env: { AWS_CONFIG_FILE: '~/elsewhere' } })
    expect(r._tag).toBe('Right')
  })

  it('errors: unknown profile or session, a profile that is not SSO, a mismatch, a broken config', async () => {
    const f = fixture()
    const reason = async (t: LogoutTarget): Promise<string | undefined> => {
      const r = await run(f.h, t)
      return r._tag === 'Left' ? (r.left._tag === 'SSOConfigError' ? r.left.reason : r.left._tag) : undefined
    }
    expect(await reason({ _tag: 'Profile', profile: 'nope' })).toBe('ProfileNotFound')
    expect(await reason({ _tag: 'SSOSession', name: 'nope' })).toBe('SessionNotFound')
    expect(await reason({ _tag: 'Profile', profile: 'plain' })).toBe('NotSSO')
    f.h.config(`${CONFIG}\n[profile bad]\nsso_session = corp\nsso_region = eu-west-1\n`)
    expect(await reason({ _tag: 'Profile', profile: 'bad' })).toBe('Mismatch')
    f.h.config('[profile x\n')
    expect(await reason({ _tag: 'Profile', profile: 'dev' })).toBe('ConfigError')
    expect(remaining(f)).toHaveLength(Object.keys(f.files).length)
  })
})
