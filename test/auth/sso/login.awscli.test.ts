/**
 * Logging in, parity with the real AWS CLI v2 both ways, against one emulator (portal and
 * SSO OIDC) on 127.0.0.1 and real temporary homes:
 *
 * - `aws sso login --no-browser` (the device code grant, auto-approved), then fp-aws uses
 *   that session: `fromSSO` gets role credentials from the emulator's portal with the token
 *   the AWS CLI cached, and `fp-aws sso logout` invalidates that very token (the portal
 *   refuses it after) and removes the file.
 * - `fp-aws sso login` (the device code grant, and the authorization code grant with PKCE
 *   through the emulator's approval page, played over plain HTTP), then the AWS CLI uses that
 *   session: `aws configure list --profile P` resolves the profile's credentials, which makes
 *   the CLI's SSO credential provider load the fp-aws token file by itself and call
 *   `GetRoleCredentials` with it (it shows the last four characters of the access key, and
 *   caches the credentials in `~/.aws/cli/cache`); then `aws sso logout` invalidates that very
 *   token on the emulator and removes the files.
 * - Each reuses the client registration the other cached (one `RegisterClient` for two
 *   logins, either order), and the AWS CLI refreshes an fp-aws token near its expiry with the
 *   refresh token and registration fp-aws wrote.
 * - A known difference: after an fp-aws PKCE login, AWS CLI 2.9.19 reuses that registration
 *   for its device code grant and is refused; fp-aws then registers anew.
 * - The cache files both tools write for the same session: the same names, the same keys in
 *   the same order, the same timestamp format, the same bytes once the secrets and the
 *   instants are masked; and each tool's file, read and written back by fp-aws, is
 *   byte-identical to itself.
 *
 * The CLI (Debian's 2.9.19 has only the device code grant) reaches the emulator through
 * `AWS_DATA_PATH` for both `sso` and `sso-oidc` (see `test/util/awscli.ts`). Without an AWS
 * CLI v2 the suite is skipped locally and fails under CI, as `awscli-parity.test.ts` does.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  ClientRegistrationCodec,
  cliCacheJson,
  cliTokenText,
  formatCliTimestamp,
  fromSSO,
  fromSSOToken,
  login,
  readToken,
  registrationCacheKey,
  sha1Hex,
  tokenCacheDir
} from '../../../src/auth/sso/index.js'
import { reveal } from '../../../src/core/Sensitive.js'
import type { Emulator, EmulatorOptions } from '../../../src/emulator/index.js'
import { findAwsCliV2, runAwsCli, snapshotTree, ssoEndpointDataPath, type AwsCli, type AwsEnv } from '../../util/awscli.js'
import { main } from '../../../src/cli/main.js'
import { runCli } from '../../util/cli.js'
import { start } from './helpers.js'

const cliFound = findAwsCliV2()
const inCI = (process.env['CI'] ?? '') !== '' && process.env['CI'] !== 'false'

const CORP_URL = 'https://d-corp.awsapps.com/start'
const OLD_URL = 'https://d-old.awsapps.com/start'
const SCOPES = ['sso:account:access']

const CONFIG = [
  '[profile dev]',
  'sso_session = corp',
  'sso_account_id = 123456789012',
  'sso_role_name = ReadOnly',
  'region = us-east-1',
  '[sso-session corp]',
  `sso_start_url = ${CORP_URL}`,
  'sso_region = eu-west-1',
  `sso_registration_scopes = ${SCOPES.join(',')}`,
  '[profile old]',
  `sso_start_url = ${OLD_URL}`,
  'sso_region = us-east-1',
  'sso_account_id = 210987654321',
  'sso_role_name = Billing',
  'region = us-east-1',
  ''
].join('\n')

/** Each profile: its token file, its registration file, and the role `configure list` resolves. */
const PROFILES = {
  dev: {
    startUrl: CORP_URL,
    region: 'eu-west-1',
    tokenFile: `${sha1Hex('corp')}.json`,
    registrationFile: `${registrationCacheKey({ startUrl: CORP_URL, region: 'eu-west-1', scopes: SCOPES, sessionName: 'corp' })}.json`
  },
  old: {
    startUrl: OLD_URL,
    region: 'us-east-1',
    tokenFile: `${sha1Hex(OLD_URL)}.json`,
    registrationFile: `${registrationCacheKey({ startUrl: OLD_URL, region: 'us-east-1', scopes: undefined, sessionName: undefined })}.json`
  }
} as const
type Profile = keyof typeof PROFILES

// -------------------------------------------------------------------------------------
// set-up
// -------------------------------------------------------------------------------------

let scratch = ''
const emulators: Array<Emulator> = []

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-login-awscli-'))
})
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()))
})
afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true })
})

interface World {
  readonly emu: Emulator
  readonly home: string
  readonly aws: AwsEnv
  /** The environment fp-aws runs with: the same home and config file, the emulator for both services. */
  readonly env: Record<string, string>
  readonly cache: string
}

/** A fresh home with the config file, and an emulator (auto-approving unless told otherwise). */
const world = async (autoApprove = true, options: Omit<EmulatorOptions, 'tokens' | 'autoApprove'> = {}): Promise<World> => {
  const emu = await start({ ...options, tokens: {}, autoApprove })
  emulators.push(emu)
  const root = fs.mkdtempSync(path.join(scratch, 'w-'))
  const home = path.join(root, 'home')
  fs.mkdirSync(home)
  const configFile = path.join(root, 'config')
  fs.writeFileSync(configFile, CONFIG)
  const dataPath = ssoEndpointDataPath(path.join(root, 'aws-data'), emu.url, ['sso', 'sso-oidc'])
  return {
    emu,
    home,
    aws: { home, dataPath, configFile },
    env: { HOME: home, AWS_CONFIG_FILE: configFile, AWS_ENDPOINT_URL_SSO: emu.url, AWS_ENDPOINT_URL_SSO_OIDC: emu.url },
    cache: tokenCacheDir(home)
  }
}

/** The portal's answer to `ListAccounts` with `token`: 200 while it is live, 401 once logged out. */
const portalStatus = async (emu: Emulator, token: string): Promise<number> =>
  (await fetch(`${emu.url}/assignment/accounts`, { headers: { 'x-amz-sso_bearer_token': token } })).status

const readJson = (file: string): Record<string, unknown> => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>

const accessTokenIn = (file: string): string => {
  const t = readJson(file)['accessToken']
  if (typeof t !== 'string') throw new Error(`no accessToken in ${file}`)
  return t
}

const ls = (dir: string): ReadonlyArray<string> => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [])

const awsLogin = async (cli: AwsCli, w: World, profile: Profile): Promise<void> => {
  const r = await runAwsCli(cli, ['sso', 'login', '--no-browser', '--profile', profile], w.aws)
  expect(r.stderr).toBe('')
  expect(r.stdout).toContain(`Successfully logged into Start URL: ${PROFILES[profile].startUrl}`)
  expect(r.code).toBe(0)
}

const fpLoginDevice = async (w: World, profile: Profile): Promise<Record<string, unknown>> => {
  const r = await runCli(['sso', 'login', '--profile', profile, '--use-device-code', '--no-browser', '--json'], w.env)
  expect(r.err).toBe('')
  expect(r.code).toBe(0)
  return JSON.parse(r.out) as Record<string, unknown>
}

const calls = (w: World, operation: string): number => w.emu.requests().filter((r) => r.operation === operation).length

/** A browser over plain HTTP: loads the authorize URL, submits Allow, follows the redirect to the loopback listener. */
const httpBrowser = async (url: string): Promise<boolean> => {
  const page = await fetch(url)
  const html = await page.text()
  const id = /name="id" value="([^"]+)"/.exec(html)?.[1]
  if (page.status !== 200 || id === undefined) return false
  const allowed = await fetch(new URL('/approval', url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(url).origin },
    body: new URLSearchParams({ id, decision: 'allow' }).toString()
  })
  return allowed.ok && (await allowed.text()).includes('close')
}

// -------------------------------------------------------------------------------------
// masking, for the comparisons of the cache files
// -------------------------------------------------------------------------------------

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/
const SECRETS = ['accessToken', 'refreshToken', 'clientId', 'clientSecret']

/** The file's bytes with every secret and every instant replaced by its key's name (its key order and format kept). */
const masked = (text: string): string => {
  const parsed = JSON.parse(text) as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(parsed)) {
    if (SECRETS.includes(k)) out[k] = typeof v === 'string' && v !== '' ? `<${k}>` : v
    else if (typeof v === 'string' && INSTANT.test(v)) out[k] = `<instant>`
    else out[k] = v
  }
  const again = cliCacheJson(out)
  // the masking itself keeps the bytes: unmasked, the file is written back as it was
  expect(cliCacheJson(parsed)).toBe(text)
  return again
}

/** Every instant in the file, which must be in the AWS CLI's format. */
const instants = (text: string): ReadonlyArray<string> =>
  Object.entries(JSON.parse(text) as Record<string, unknown>)
    .filter(([k]) => k === 'expiresAt' || k === 'registrationExpiresAt')
    .map(([, v]) => String(v))

/** A token file written back by fp-aws from what it read of it: the same bytes. */
const roundTripsToken = async (file: string): Promise<void> => {
  const text = fs.readFileSync(file, 'utf8')
  const token = await readToken(file)()
  expect(token._tag).toBe('Right')
  if (token._tag === 'Right') expect(cliTokenText(token.right)).toBe(text)
}

/** A registration file decoded by fp-aws: all of its members understood. */
const decodesRegistration = (file: string): void => {
  const parsed = readJson(file)
  const r = ClientRegistrationCodec.decode(parsed)
  expect(r._tag).toBe('Right')
  if (r._tag === 'Right') {
    expect(r.right.clientId).toBe(parsed['clientId'])
    expect(reveal(r.right.clientSecret)).toBe(parsed['clientSecret'])
    expect(formatCliTimestamp(r.right.expiresAt)).toBe(parsed['expiresAt'])
    expect(r.right.scopes).toStrictEqual(parsed['scopes'])
  }
}

// -------------------------------------------------------------------------------------
// tests
// -------------------------------------------------------------------------------------

if (cliFound === undefined && inCI) {
  describe('login parity (real AWS CLI v2)', () => {
    it('needs the AWS CLI v2', () => {
      throw new Error(
        'AWS CLI v2 not found (no `aws` on PATH, /usr/bin or /usr/local/bin whose --version is aws-cli/2.x, ' +
          'nor FP_AWS_AWSCLI). Install it (Debian: apt-get install -y --no-install-recommends awscli; .ci/run does this).'
      )
    })
  })
}

describe.skipIf(cliFound === undefined)(`login parity (real AWS CLI v2: ${cliFound?.version ?? 'none'})`, () => {
  const cli = cliFound as AwsCli

  describe('aws sso login, then fp-aws uses the session and logs it out', () => {
    for (const profile of ['dev', 'old'] as const) {
      it(`${profile}: fromSSO gets role credentials with the CLI's token; fp-aws sso logout invalidates it`, async () => {
        const w = await world()
        await awsLogin(cli, w, profile)
        const p = PROFILES[profile]
        expect(ls(w.cache)).toStrictEqual([p.registrationFile, p.tokenFile].sort())
        const tokenFile = path.join(w.cache, p.tokenFile)
        const token = accessTokenIn(tokenFile)
        expect(await portalStatus(w.emu, token)).toBe(200)

        const creds = await fromSSO({ profile, homedir: w.home, env: w.env })()
        expect(creds._tag).toBe('Right')
        if (creds._tag === 'Right') expect(creds.right.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/)
        const roleCalls = w.emu.requests().filter((r) => r.operation === 'GetRoleCredentials')
        expect(roleCalls.map((r) => [r.hasToken, r.query])).toStrictEqual([
          [true, { account_id: profile === 'dev' ? '123456789012' : '210987654321', role_name: profile === 'dev' ? 'ReadOnly' : 'Billing' }]
        ])

        const out = await runCli(['sso', 'logout'], w.env)
        expect(out.err).toBe('')
        expect(out.code).toBe(0)
        expect(out.out).not.toContain(token)
        expect(await portalStatus(w.emu, token)).toBe(401)
        // the token file is gone; the registration stays, as `aws sso logout` leaves it
        expect(ls(w.cache)).toStrictEqual([p.registrationFile])
      })
    }
  })

  describe('fp-aws sso login, then the AWS CLI uses the session and logs it out', () => {
    const cases = [
      { name: 'dev, device code', profile: 'dev', pkce: false },
      { name: 'old, device code', profile: 'old', pkce: false },
      { name: 'dev, authorization code with PKCE', profile: 'dev', pkce: true }
    ] as const
    for (const c of cases) {
      it(`${c.name}: aws configure list loads the fp-aws token by itself; aws sso logout invalidates it`, async () => {
        const w = await world(!c.pkce)
        const p = PROFILES[c.profile]
        if (c.pkce) {
          const r = await login({ profile: c.profile }, {
            homedir: w.home,
            env: w.env,
            prompt: () => undefined,
            openBrowser: httpBrowser,
            timeoutMs: 15_000 // a browser that fails leaves the login waiting: a failure, not a hang
          })()
          expect(r._tag === 'Right' ? r.right.flow : r.left).toBe('AuthorizationCode')
        } else await fpLoginDevice(w, c.profile)
        expect(ls(w.cache)).toStrictEqual([p.registrationFile, p.tokenFile].sort())
        const token = accessTokenIn(path.join(w.cache, p.tokenFile))
        expect(await portalStatus(w.emu, token)).toBe(200)

        const list = await runAwsCli(cli, ['configure', 'list', '--profile', c.profile], w.aws)
        expect(list.stderr).toBe('')
        expect(list.code).toBe(0)
        const last4 = /^access_key +\*+([A-Z0-9]{4}) +sso\b/m.exec(list.stdout)?.[1]
        expect(last4, list.stdout).toBeDefined()
        const roleCalls = w.emu.requests().filter((r) => r.operation === 'GetRoleCredentials')
        expect(roleCalls.map((r) => r.hasToken)).toStrictEqual([true])
        // the credentials the CLI got with the fp-aws token, cached by the CLI
        const cliCache = path.join(w.home, '.aws', 'cli', 'cache')
        const cached = ls(cliCache).map((f) => readJson(path.join(cliCache, f)))
        expect(cached.map((j) => j['ProviderType'])).toStrictEqual(['sso'])
        const keyId = (cached[0]?.['Credentials'] as Record<string, unknown> | undefined)?.['AccessKeyId']
        expect(String(keyId).slice(-4)).toBe(last4)

        const out = await runAwsCli(cli, ['sso', 'logout'], w.aws)
        expect(out.stderr).toBe('')
        expect(out.code).toBe(0)
        expect(await portalStatus(w.emu, token)).toBe(401)
        expect(w.emu.requests().filter((r) => r.operation === 'Logout').map((r) => r.hasToken)).toStrictEqual([true])
        expect(ls(w.cache)).toStrictEqual([p.registrationFile])
        expect(ls(cliCache)).toStrictEqual([])
      })
    }
  })

  describe('aws sso login, then fp-aws refreshes the session, then the AWS CLI uses the refreshed token', () => {
    it('dev: fromSSOToken refreshes the expired CLI token in place; aws configure list gets role credentials with it, no refresh of its own', async () => {
      let offset = 0
      const w = await world(true, { clock: () => Date.now() + offset, rotateRefreshTokens: true, accessTokenTtlSeconds: 1200 })
      await awsLogin(cli, w, 'dev')
      const file = path.join(w.cache, PROFILES.dev.tokenFile)
      const before = readJson(file)
      const old = accessTokenIn(file)
      // past the CLI token's expiry, for fp-aws and the emulator alike
      offset = 1260_000
      expect(await portalStatus(w.emu, old)).toBe(401)
      const got = await fromSSOToken({ profile: 'dev' }, { homedir: w.home, env: w.env, now: () => Date.now() + offset })()
      expect(got._tag).toBe('Right')
      const fresh = accessTokenIn(file)
      expect(got._tag === 'Right' && reveal(got.right)).toBe(fresh)
      expect(fresh).not.toBe(old)
      expect(await portalStatus(w.emu, fresh)).toBe(200)
      expect(calls(w, 'CreateToken')).toBe(2)
      const after = readJson(file)
      expect(after['refreshToken']).not.toBe(before['refreshToken'])
      expect([after['clientId'], after['clientSecret'], after['registrationExpiresAt']]).toStrictEqual([
        before['clientId'],
        before['clientSecret'],
        before['registrationExpiresAt']
      ])
      await roundTripsToken(file)

      const list = await runAwsCli(cli, ['configure', 'list', '--profile', 'dev'], w.aws)
      expect(list.stderr).toBe('')
      expect(list.code).toBe(0)
      expect(list.stdout).toMatch(/^access_key +\*+[A-Z0-9]{4} +sso\b/m)
      // the only live token is the refreshed one, and the CLI did not refresh again
      expect(w.emu.requests().filter((r) => r.operation === 'GetRoleCredentials').map((r) => r.hasToken)).toStrictEqual([true])
      expect(calls(w, 'CreateToken')).toBe(2)
      expect(accessTokenIn(file)).toBe(fresh)
    })
  })

  describe('each reuses the client registration the other cached', () => {
    for (const profile of ['dev', 'old'] as const) {
      it(`${profile}: aws sso login, then fp-aws sso login: one RegisterClient`, async () => {
        const w = await world()
        await awsLogin(cli, w, profile)
        const registration = fs.readFileSync(path.join(w.cache, PROFILES[profile].registrationFile), 'utf8')
        expect((await fpLoginDevice(w, profile))['registrationReused']).toBe(true)
        expect(calls(w, 'RegisterClient')).toBe(1)
        expect(calls(w, 'CreateToken')).toBe(2)
        expect(fs.readFileSync(path.join(w.cache, PROFILES[profile].registrationFile), 'utf8')).toBe(registration)
      })

      it(`${profile}: fp-aws sso login, then aws sso login: one RegisterClient`, async () => {
        const w = await world()
        expect((await fpLoginDevice(w, profile))['registrationReused']).toBe(false)
        const registration = fs.readFileSync(path.join(w.cache, PROFILES[profile].registrationFile), 'utf8')
        await awsLogin(cli, w, profile)
        expect(calls(w, 'RegisterClient')).toBe(1)
        expect(calls(w, 'CreateToken')).toBe(2)
        expect(fs.readFileSync(path.join(w.cache, PROFILES[profile].registrationFile), 'utf8')).toBe(registration)
      })
    }
  })

  it('the AWS CLI refreshes an fp-aws token near its expiry with the refresh token and registration fp-aws cached', async () => {
    // an access token of 10 minutes is inside the CLI's refresh window (15 minutes)
    const w = await world(true, { accessTokenTtlSeconds: 600 })
    await fpLoginDevice(w, 'dev')
    const file = path.join(w.cache, PROFILES.dev.tokenFile)
    const before = readJson(file)
    const list = await runAwsCli(cli, ['configure', 'list', '--profile', 'dev'], w.aws)
    expect(list.stderr).toBe('')
    expect(list.code).toBe(0)
    // two CreateToken calls: fp-aws's device code grant, the CLI's refresh
    expect(calls(w, 'CreateToken')).toBe(2)
    const after = readJson(file)
    expect(after['accessToken']).not.toBe(before['accessToken'])
    expect(after['refreshToken']).not.toBe(before['refreshToken']) // rotated
    expect([after['clientId'], after['clientSecret'], after['registrationExpiresAt']]).toStrictEqual([
      before['clientId'],
      before['clientSecret'],
      before['registrationExpiresAt']
    ])
    expect(masked(fs.readFileSync(file, 'utf8'))).toBe(
      cliCacheJson({ ...before, accessToken: '<accessToken>', expiresAt: '<instant>', clientId: '<clientId>', clientSecret: '<clientSecret>', registrationExpiresAt: '<instant>', refreshToken: '<refreshToken>' })
    )
    expect(await portalStatus(w.emu, String(after['accessToken']))).toBe(200)
    await roundTripsToken(file)
  })

  it('known difference: after a PKCE login, AWS CLI 2.9.19 (device code only) reuses its registration and is refused', async () => {
    // One cache key for both grants (`_registration_cache_key` has no grant in it): the 2.9.19
    // `_registration` reuses any unexpired registration, also one for the authorization code
    // grant, which the service refuses the device code grant. fp-aws reuses a registration only
    // for its own grant, and registers anew: a device code registration, which the old CLI
    // then reuses (see 'each reuses the client registration the other cached').
    const w = await world(false)
    const pkce = await login({ profile: 'dev' }, { homedir: w.home, env: w.env, prompt: () => undefined, openBrowser: httpBrowser, timeoutMs: 15_000 })()
    expect(pkce._tag).toBe('Right')
    const file = path.join(w.cache, PROFILES.dev.registrationFile)
    expect(readJson(file)['grantTypes']).toStrictEqual(['authorization_code', 'refresh_token'])
    const refused = await runAwsCli(cli, ['sso', 'login', '--no-browser', '--profile', 'dev'], w.aws)
    expect(refused.stderr).toContain('(UnauthorizedClientException) when calling the StartDeviceAuthorization operation')
    expect(refused.code).not.toBe(0)

    // fp-aws's device code login: a new registration (approved here as a person would, by its code)
    let out = ''
    const device = await main(['sso', 'login', '--profile', 'dev', '--use-device-code', '--no-browser', '--json'], {
      env: w.env,
      stdout: (s) => void (out += s),
      stderr: (s) => {
        const code = /Then enter the code:\n\n(\S+)\n/.exec(s)?.[1]
        if (code !== undefined) w.emu.approve(code)
      }
    })
    expect(device).toBe(0)
    expect((JSON.parse(out) as Record<string, unknown>)['registrationReused']).toBe(false)
    expect(readJson(file)['grantTypes']).toBeUndefined()
    expect(calls(w, 'RegisterClient')).toBe(2)
  })

  describe('the cache files both write for the same session', () => {
    for (const profile of ['dev', 'old'] as const) {
      it(`${profile}, device code: the same names, keys, order and formats`, async () => {
        const a = await world()
        await awsLogin(cli, a, profile)
        const f = await world()
        await fpLoginDevice(f, profile)
        const p = PROFILES[profile]
        const awsTree = snapshotTree(a.cache)
        const fpTree = snapshotTree(f.cache)
        expect(Object.keys(fpTree)).toStrictEqual(Object.keys(awsTree))
        for (const name of [p.tokenFile, p.registrationFile]) {
          const mine = fpTree[name] as string
          const theirs = awsTree[name] as string
          expect(masked(mine), name).toBe(masked(theirs))
          for (const at of [...instants(mine), ...instants(theirs)]) expect(at).toMatch(INSTANT)
          for (const dir of [a.cache, f.cache]) {
            expect((fs.statSync(path.join(dir, name)).mode & 0o777).toString(8), `${dir}/${name}`).toBe('600')
          }
        }
        for (const dir of [a.cache, f.cache]) {
          await roundTripsToken(path.join(dir, p.tokenFile))
          decodesRegistration(path.join(dir, p.registrationFile))
        }
        // a token file as the CLI writes it, in full, for the record: a refresh token only for a
        // registration with scopes (the sso-session's), as the service issues it
        expect(masked(awsTree[p.tokenFile] as string)).toBe(
          cliCacheJson({
            startUrl: p.startUrl,
            region: p.region,
            accessToken: '<accessToken>',
            expiresAt: '<instant>',
            clientId: '<clientId>',
            clientSecret: '<clientSecret>',
            registrationExpiresAt: '<instant>',
            refreshToken: profile === 'dev' ? '<refreshToken>' : undefined
          })
        )
      })
    }
  })
})
