import * as fs from 'node:fs'
import * as path from 'node:path'
import { inspect } from 'node:util'
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { newEnv } from '../../../src/index.js'
import { isSensitive, reveal, sensitive } from '../../../src/core/Sensitive.js'
import type { Emulator } from '../../../src/emulator/index.js'
import { fromSSO, memoizeCredentials, type AwsCredentials, type FromSSOOptions } from '../../../src/auth/sso/fromSSO.js'
import { envTo, fileFor, makeHome, PAST, start, tokenJson, type Home } from './helpers.js'

let emu: Emulator
const account = (accountId: string, roles: ReadonlyArray<string>) => ({
  accountId,
  accountName: 'acct',
  emailAddress: 'a@example.com',
  roles
})
beforeAll(async () => {
  emu = await start({
    tokens: {
      'sso-secret-token': { accounts: [account('111111111111', ['Developer'])] },
      'legacy-secret-token': { accounts: [account('333333333333', ['ReadOnly'])] },
      'to-be-logged-out': { accounts: [account('111111111111', ['Developer'])] }
    }
  })
})
afterAll(() => emu.close())

const homes: Array<Home> = []
afterEach(() => {
  for (const h of homes.splice(0)) h.cleanup()
})

const CONFIG = `
[default]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Developer

[profile dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Developer

[profile old]
sso_start_url = https://legacy.awsapps.com/start
sso_region = eu-west-1
sso_account_id = 333333333333
sso_role_name = ReadOnly

[profile norole]
sso_session = corp
sso_account_id = 111111111111

[profile noregion]
sso_session = half
sso_account_id = 1
sso_role_name = r

[profile mismatch]
sso_session = corp
sso_start_url = https://elsewhere.awsapps.com/start
sso_account_id = 1
sso_role_name = r

[profile endpoint]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Developer
endpoint_url = ENDPOINT

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[sso-session half]
sso_start_url = https://half.awsapps.com/start
`

const NOW = Date.UTC(2030, 0, 1)

const setup = (): Home => {
  const h = makeHome()
  homes.push(h)
  h.config(CONFIG.replace('ENDPOINT', emu.url))
  h.token(fileFor('corp'), tokenJson('sso-secret-token', { expiresAt: '2030-01-01T01:00:00Z' }))
  h.token(
    fileFor('https://legacy.awsapps.com/start'),
    tokenJson('legacy-secret-token', { startUrl: 'https://legacy.awsapps.com/start', region: 'eu-west-1', expiresAt: '2030-01-01T01:00:00UTC' })
  )
  return h
}

const opts = (h: Home, extra: Partial<FromSSOOptions> = {}): FromSSOOptions => ({
  homedir: h.home,
  env: { AWS_ENDPOINT_URL_SSO: emu.url },
  now: () => NOW,
  ...extra
})

const SECRETS = ['sso-secret-token', 'legacy-secret-token', 'to-be-logged-out']

const noSecret = (u: unknown): void => {
  for (const shown of [JSON.stringify(u), inspect(u, { depth: 10 })]) for (const s of SECRETS) expect(shown).not.toContain(s)
}

describe('fromSSO', () => {
  it('sso-session profile: resolves the config, reads the token, calls GetRoleCredentials', async () => {
    const h = setup()
    const r = await fromSSO(opts(h, { profile: 'dev' }))()
    expect(r._tag).toBe('Right')
    if (r._tag !== 'Right') return
    expect(r.right.accessKeyId).toMatch(/^ASIA/)
    expect(isSensitive(r.right.secretAccessKey) && isSensitive(r.right.sessionToken)).toBe(true)
    expect(reveal(r.right.secretAccessKey).length).toBeGreaterThan(0)
    expect(r.right.expiration).toBeInstanceOf(Date)
    expect(r.right.expiration.getTime()).toBeGreaterThan(Date.now())
    expect(JSON.stringify(r.right)).not.toContain(reveal(r.right.secretAccessKey))
    expect(JSON.stringify(r.right)).not.toContain(reveal(r.right.sessionToken))
    const last = emu.requests().at(-1)
    expect(last).toMatchObject({ operation: 'GetRoleCredentials', query: { role_name: 'Developer', account_id: '111111111111' }, hasToken: true })
  })

  it('legacy profile, with the …UTC expiresAt form', async () => {
    const h = setup()
    const r = await fromSSO(opts(h, { profile: 'old' }))()
    expect(r._tag).toBe('Right')
  })

  it('the profile defaults to AWS_PROFILE, else default', async () => {
    const h = setup()
    expect((await fromSSO(opts(h, { env: { AWS_ENDPOINT_URL_SSO: emu.url, AWS_PROFILE: 'old' } }))())._tag).toBe('Right')
    expect((await fromSSO(opts(h))())._tag).toBe('Right')
    const r = await fromSSO(opts(h, { env: { AWS_ENDPOINT_URL_SSO: emu.url, AWS_PROFILE: 'nope' } }))()
    expect(r._tag === 'Left' && r.left._tag === 'SSOConfigError' && r.left.reason).toBe('ProfileNotFound')
  })

  it('the endpoint follows the profile config (endpoint_url) and AWS_ENDPOINT_URL', async () => {
    const h = setup()
    expect((await fromSSO(opts(h, { profile: 'endpoint', env: {} }))())._tag).toBe('Right')
    expect((await fromSSO(opts(h, { profile: 'dev', env: { AWS_ENDPOINT_URL: emu.url } }))())._tag).toBe('Right')
  })

  it('missing token: SSOTokenError Missing, asking to log in again', async () => {
    const h = setup()
    fs.rmSync(path.join(h.tokens, fileFor('corp')))
    const r = await fromSSO(opts(h, { profile: 'dev' }))()
    expect(r._tag === 'Left' && r.left).toMatchObject({ _tag: 'SSOTokenError', reason: 'Missing', profile: 'dev' })
    expect(r._tag === 'Left' && r.left.message).toContain('log in again: run `fp-aws sso login --profile dev` (or `aws sso login --profile dev`)')
  })

  it('expired token: SSOTokenError Expired (at the injected now), nothing sent', async () => {
    const h = setup()
    const before = emu.requestCount()
    const atExpiry = await fromSSO(opts(h, { profile: 'dev', now: () => Date.UTC(2030, 0, 1, 1) }))()
    expect(atExpiry._tag === 'Left' && atExpiry.left).toMatchObject({ _tag: 'SSOTokenError', reason: 'Expired' })
    expect(atExpiry._tag === 'Left' && atExpiry.left.message).toContain('expired at 2030-01-01T01:00:00Z (the cached token cannot be refreshed): log in again: run `fp-aws sso login --profile dev`')
    h.token(fileFor('corp'), tokenJson('sso-secret-token', { expiresAt: PAST }))
    const past = await fromSSO(opts(h, { profile: 'dev' }))()
    expect(past._tag === 'Left' && past.left._tag).toBe('SSOTokenError')
    expect(emu.requestCount()).toBe(before)
    noSecret(past)
  })

  it('unusable token file: SSOTokenError Invalid, no secret in it', async () => {
    const h = setup()
    h.token(fileFor('corp'), { accessToken: 'sso-secret-token', expiresAt: 'sso-secret-token' })
    const r = await fromSSO(opts(h, { profile: 'dev' }))()
    expect(r._tag === 'Left' && r.left).toMatchObject({ _tag: 'SSOTokenError', reason: 'Invalid' })
    noSecret(r)
    h.token(fileFor('corp'), '{"accessToken":"sso-secret-token"')
    const r2 = await fromSSO(opts(h, { profile: 'dev' }))()
    expect(r2._tag === 'Left' && r2.left).toMatchObject({ _tag: 'SSOTokenError', reason: 'Invalid' })
    noSecret(r2)
  })

  it('config problems: missing settings, mismatch, not SSO', async () => {
    const h = setup()
    const left = async (profile: string) => {
      const r = await fromSSO(opts(h, { profile }))()
      return r._tag === 'Left' && r.left._tag === 'SSOConfigError' ? [r.left.reason, r.left.setting] : r
    }
    expect(await left('norole')).toEqual(['MissingSetting', 'sso_role_name'])
    expect(await left('noregion')).toEqual(['MissingSetting', 'sso_region'])
    expect(await left('mismatch')).toEqual(['Mismatch', 'sso_start_url'])
  })

  it('a logged-out token: the service error comes back typed', async () => {
    const h = setup()
    h.token(fileFor('corp'), tokenJson('to-be-logged-out', { expiresAt: '2030-01-01T01:00:00Z' }))
    await fetch(`${emu.url}/logout`, { method: 'POST', headers: { 'x-amz-sso_bearer_token': 'to-be-logged-out' } })
    const r = await fromSSO(opts(h, { profile: 'dev' }))()
    expect(r._tag === 'Left' && r.left._tag === 'ServiceError' && r.left.code).toBe('UnauthorizedException')
    noSecret(r)
  })

  it('envForRegion gets the SSO region', async () => {
    const h = setup()
    const regions: Array<string> = []
    const r = await fromSSO(
      opts(h, {
        profile: 'old',
        envForRegion: (region) => {
          regions.push(region)
          return TE.right(envTo(emu.url)(region))
        }
      })
    )()
    expect(r._tag).toBe('Right')
    expect(regions).toEqual(['eu-west-1'])
  })

  it('a bad environment is a ConfigError', async () => {
    const h = setup()
    const r = await fromSSO(opts(h, { profile: 'dev', env: { AWS_ENDPOINT_URL_SSO: 'not a url' } }))()
    expect(r._tag === 'Left' && r.left._tag).toBe('ConfigError')
    const n = await fromSSO(opts(h, { profile: 'dev', envForRegion: (region) => TE.right(newEnv({ region: `${region}/x` })) }))()
    expect(n._tag === 'Left' && n.left._tag).toBe('EndpointError')
  })
})

describe('memoizeCredentials', () => {
  const creds = (n: number, expiration: number): AwsCredentials => ({
    accessKeyId: `AKID${n}`,
    secretAccessKey: sensitive(`secret-${n}`),
    sessionToken: sensitive(`session-${n}`),
    expiration: new Date(expiration)
  })

  it('keeps credentials until 5 minutes before expiry, then refreshes', async () => {
    let t = 0
    let calls = 0
    const provider = TE.fromTask(async () => creds(++calls, 3_600_000))
    const m = memoizeCredentials(provider, { now: () => t })
    expect(await m()).toEqual(E.right(expect.objectContaining({ accessKeyId: 'AKID1' })))
    t = 3_600_000 - 300_001
    expect(await m()).toEqual(E.right(expect.objectContaining({ accessKeyId: 'AKID1' })))
    expect(calls).toBe(1)
    t += 1
    expect(await m()).toEqual(E.right(expect.objectContaining({ accessKeyId: 'AKID2' })))
    expect(calls).toBe(2)
  })

  it('custom margin; concurrent calls share one refresh', async () => {
    let calls = 0
    let release: () => void = () => undefined
    const gate = new Promise<void>((r) => (release = r))
    const provider = TE.fromTask(async () => {
      calls += 1
      await gate
      return creds(calls, 10_000)
    })
    const m = memoizeCredentials(provider, { now: () => 0, refreshMarginMs: 1000 })
    const all = Promise.all([m(), m(), m()])
    release()
    const rs = await all
    expect(calls).toBe(1)
    expect(rs.every((r) => r._tag === 'Right' && r.right.accessKeyId === 'AKID1')).toBe(true)
  })

  it('a failed refresh: old credentials while still valid, the failure after expiry; failures not cached', async () => {
    let t = 0
    let fail = false
    let calls = 0
    const provider: TE.TaskEither<string, AwsCredentials> = () => {
      calls += 1
      return Promise.resolve(fail ? E.left('boom') : E.right(creds(calls, 1_000_000)))
    }
    const m = memoizeCredentials(provider, { now: () => t })
    await m()
    fail = true
    t = 999_000 // inside the margin, not expired
    expect(await m()).toEqual(E.right(expect.objectContaining({ accessKeyId: 'AKID1' })))
    t = 1_000_000 // expired
    expect(await m()).toEqual(E.left('boom'))
    fail = false
    expect(await m()).toEqual(E.right(expect.objectContaining({ accessKeyId: 'AKID4' })))
  })

  it('wraps fromSSO: one GetRoleCredentials for many calls', async () => {
    const h = setup()
    const before = emu.requestCount()
    const m = memoizeCredentials(fromSSO(opts(h, { profile: 'dev' })), { now: () => Date.now() })
    for (let i = 0; i < 5; i++) expect((await m())._tag).toBe('Right')
    expect(emu.requestCount() - before).toBe(1)
  })
})
