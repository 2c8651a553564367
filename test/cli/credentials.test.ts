/**
 * `fp-aws sso credentials` against real temporary homes with sessions made by `login`
 * against the emulator: the credential_process JSON, the AWS CLI's credential cache (its
 * key, its format, a second call that makes no call at all, `sso logout` removing it), the
 * errors (one line on stderr, never a secret), and the real AWS CLI v2 using it as a
 * `credential_process`, and sharing its cache both ways.
 */
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { awsCliEnv, findAwsCliV2, ssoEndpointDataPath, type AwsCli } from '../util/awscli.js'
import { spawn } from 'node:child_process'
import { bundleCli } from '../util/cli.js'
import { ACCOUNT, CONFIG, OLD_URL, ROLE, useWorld, type World } from './ssoWorld.js'

const world = useWorld()
const HOUR = 3600_000

interface ProcessCredentials {
  readonly Version: number
  readonly AccessKeyId: string
  readonly SecretAccessKey: string
  readonly SessionToken: string
  readonly Expiration: string
}

/** botocore's key, computed here by hand: sha1 of the sorted, compact JSON of its arguments. */
const botocoreKey = (json: string): string => `${createHash('sha1').update(json).digest('hex')}.json`
const DEV_KEY = botocoreKey(`{"accountId":"${ACCOUNT}","roleName":"${ROLE}","sessionName":"corp"}`)
const OLD_KEY = botocoreKey(`{"accountId":"${ACCOUNT}","roleName":"${ROLE}","startUrl":"${OLD_URL}"}`)

const roleCalls = (w: World): number => w.emu.requests().filter((r) => r.operation === 'GetRoleCredentials').length

const parse = (out: string): ProcessCredentials => JSON.parse(out) as ProcessCredentials

describe('fp-aws sso credentials', () => {
  it('prints credential_process JSON, caches it as the AWS CLI does; a second call makes no call at all', async () => {
    const w = await world()
    await w.login({ profile: 'dev' })
    const before = w.emu.requestCount()
    const first = await w.cli(['sso', 'credentials', '--profile', 'dev'])
    expect(first.err).toBe('')
    expect(first.code).toBe(0)
    const c = parse(first.out)
    expect(Object.keys(c)).toEqual(['Version', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration'])
    expect(c.Version).toBe(1)
    expect(c.AccessKeyId).toMatch(/^ASIA/)
    expect(c.Expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(Date.parse(c.Expiration)).toBeGreaterThan(Date.now() + 30 * 60_000)
    expect(w.emu.requestCount()).toBe(before + 1)
    expect(roleCalls(w)).toBe(1)
    // where and how the AWS CLI caches it
    expect(w.home.ls(w.home.creds)).toEqual([DEV_KEY])
    const file = path.join(w.home.creds, DEV_KEY)
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({
      ProviderType: 'sso',
      Credentials: { AccessKeyId: c.AccessKeyId, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken, Expiration: c.Expiration }
    })
    // within their lifetime: from the cache, no request at all
    const count = w.emu.requestCount()
    const second = await w.cli(['sso', 'credentials', '--profile', 'dev'])
    expect(second).toEqual(first)
    expect(w.emu.requestCount()).toBe(count)
  })

  it('a legacy profile: cached under the start-URL key', async () => {
    const w = await world()
    await w.login({ profile: 'old' })
    const r = await w.cli(['sso', 'credentials', '--profile', 'old'])
    expect(r.code).toBe(0)
    expect(w.home.ls(w.home.creds)).toEqual([OLD_KEY])
    const cached = JSON.parse(fs.readFileSync(path.join(w.home.creds, OLD_KEY), 'utf8')) as { Credentials: ProcessCredentials }
    expect(cached.Credentials.AccessKeyId).toBe(parse(r.out).AccessKeyId)
  })

  it('cached credentials with 15 minutes or less left, or a corrupt cache file: fetched again and the cache rewritten', async () => {
    const w = await world()
    await w.login({ profile: 'dev' })
    const soon = new Date(Date.now() + 10 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z')
    w.home.cred(DEV_KEY, { ProviderType: 'sso', Credentials: { AccessKeyId: 'ASIAOLDOLDOLD', SecretAccessKey: 'old-secret-x', SessionToken: 'old-session-x', Expiration: soon } })
    const r = await w.cli(['sso', 'credentials', '--profile', 'dev'])
    expect(r.code).toBe(0)
    expect(roleCalls(w)).toBe(1)
    expect(parse(r.out).AccessKeyId).not.toBe('ASIAOLDOLDOLD')
    expect(fs.readFileSync(path.join(w.home.creds, DEV_KEY), 'utf8')).toContain(parse(r.out).AccessKeyId)
    w.home.cred(DEV_KEY, '{"ProviderType": "sso", "Credentials": {')
    const again = await w.cli(['sso', 'credentials', '--profile', 'dev'])
    expect(again.code).toBe(0)
    expect(again.err).toBe('')
    expect(roleCalls(w)).toBe(2)
    expect(JSON.parse(fs.readFileSync(path.join(w.home.creds, DEV_KEY), 'utf8'))).toMatchObject({ ProviderType: 'sso' })
  })

  it('`fp-aws sso logout` removes the cached credentials; then a login is needed: exit 1, one line on stderr, no secret', async () => {
    const w = await world()
    await w.login({ profile: 'dev' })
    const r = await w.cli(['sso', 'credentials', '--profile', 'dev'])
    const secrets = [...w.secrets()]
    expect(secrets).toContain(parse(r.out).SecretAccessKey)
    const out = await w.cli(['sso', 'logout', '--profile', 'dev'])
    expect(out.code).toBe(0)
    expect(w.home.ls(w.home.creds)).toEqual([])
    const after = await w.cli(['sso', 'credentials', '--profile', 'dev'])
    expect(after.code).toBe(1)
    expect(after.out).toBe('')
    expect(after.err).toMatch(
      /^fp-aws: no cached SSO token for profile 'dev' \(.*\): log in again: run `fp-aws sso login --profile dev` \(or `aws sso login --profile dev`\)\n$/
    )
    for (const s of secrets) expect(out.out + out.err + after.err).not.toContain(s)
  })

  it('an expired session: exit 1 with the login to run; the errors never hold a secret', async () => {
    const w = await world({ accessTokenTtlSeconds: 60, registrationTtlSeconds: 60 })
    await w.login({ profile: 'old' }, 2 * HOUR)
    const r = await w.cli(['sso', 'credentials', '--profile', 'old'])
    expect(r.code).toBe(1)
    expect(r.out).toBe('')
    expect(r.err).toMatch(
      /^fp-aws: the SSO session of profile 'old' expired at \S+Z \(a legacy profile’s token is not refreshed\): log in again: run `fp-aws sso login --profile old` \(or `aws sso login --profile old`\)\n$/
    )
    expect(roleCalls(w)).toBe(0)
    for (const s of w.secrets()) expect(r.err).not.toContain(s)
  })

  it('a token the portal refuses: exit 1, one line, no secret', async () => {
    const w = await world()
    const dev = await w.login({ profile: 'dev' })
    const token = (JSON.parse(fs.readFileSync(dev.tokenFile, 'utf8')) as { accessToken: string }).accessToken
    fs.writeFileSync(dev.tokenFile, fs.readFileSync(dev.tokenFile, 'utf8').replace(token, 'forged-secret-token-xyz'))
    const r = await w.cli(['sso', 'credentials', '--profile', 'dev'])
    expect(r.code).toBe(1)
    expect(r.out).toBe('')
    expect(r.err).toMatch(/^fp-aws: cannot get role credentials for profile 'dev': [^\n]*: run `fp-aws sso login --profile dev`\n$/)
    for (const s of ['forged-secret-token-xyz', token, ...w.secrets()]) expect(r.err).not.toContain(s)
  })

  it('usage errors exit 2: no --profile, an unknown or non-SSO profile; --help', async () => {
    const w = await world()
    const missing = await w.cli(['sso', 'credentials'])
    expect(missing).toEqual({
      code: 2,
      out: '',
      err: "fp-aws: missing --profile <name>. Run 'fp-aws sso credentials --help' for usage.\n"
    })
    const unknown = await w.cli(['sso', 'credentials', '--profile', 'nope'])
    expect(unknown.code).toBe(2)
    expect(unknown.out).toBe('')
    expect(unknown.err).toMatch(/^fp-aws: .*the profile 'nope' is not in the config file[^\n]*\n$/)
    expect((await w.cli(['sso', 'credentials', '--profile', 'plain'])).code).toBe(2)
    expect((await w.cli(['sso', 'credentials', '--profile', ''])).code).toBe(2)
    const help = await w.cli(['sso', 'credentials', '--help'])
    expect(help.code).toBe(0)
    expect(help.out).toMatch(/^Usage: fp-aws sso credentials --profile <name>\n/)
    expect(help.out).toContain('credential_process = fp-aws sso credentials --profile P')
  })
})

// -------------------------------------------------------------------------------------
// the real AWS CLI v2
// -------------------------------------------------------------------------------------

const awsCli = findAwsCliV2()
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-credentials-'))
const bin = path.join(scratch, 'bin.cjs')

beforeAll(async () => {
  if (awsCli === undefined) return
  await bundleCli(bin)
}, 60_000)
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs the AWS CLI in the world's home, its SSO calls sent to the emulator (AWS_DATA_PATH). */
const aws = (cli: AwsCli, w: World, args: ReadonlyArray<string>): Promise<Run> =>
  new Promise((resolve, reject) => {
    const dataPath = ssoEndpointDataPath(fs.mkdtempSync(path.join(scratch, 'data-')), w.emu.url)
    const env = awsCliEnv({ home: w.home.home, dataPath, configFile: path.join(w.home.home, '.aws', 'config') })
    const child = spawn(cli.path, [...args], { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: w.home.home })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s))
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })

if (awsCli === undefined && (process.env['CI'] ?? '') !== '' && process.env['CI'] !== 'false') {
  describe('the AWS CLI v2 and fp-aws sso credentials', () => {
    it('needs the AWS CLI v2', () => {
      throw new Error('AWS CLI v2 not found: install it (Debian: apt-get install awscli; .ci/run does) or set FP_AWS_AWSCLI')
    })
  })
}

describe.skipIf(awsCli === undefined)(`the AWS CLI v2 (${awsCli?.version ?? 'none'}) and fp-aws sso credentials`, () => {
  const cli = awsCli as AwsCli

  it('credential_process = fp-aws sso credentials --profile dev: the AWS CLI uses the credentials fp-aws prints', async () => {
    const w = await world()
    await w.login({ profile: 'dev' })
    // the process gets the AWS CLI's environment (HOME, AWS_CONFIG_FILE), plus the emulator's URL
    const command = `env AWS_ENDPOINT_URL_SSO=${w.emu.url} ${process.execPath} ${bin} sso credentials --profile dev`
    w.home.config(`${CONFIG}[profile q]\ncredential_process = ${command}\n`)
    const list = await aws(cli, w, ['configure', 'list', '--profile', 'q'])
    expect(list.code, list.stderr).toBe(0)
    const cached = JSON.parse(fs.readFileSync(path.join(w.home.creds, DEV_KEY), 'utf8')) as { Credentials: { AccessKeyId: string } }
    const id = cached.Credentials.AccessKeyId
    expect(list.stdout).toMatch(new RegExp(`access_key +\\*+${id.slice(-4)} +custom-process`))
    expect(roleCalls(w)).toBe(1)
    const exported = await aws(cli, w, ['configure', 'export-credentials', '--profile', 'q', '--format', 'process'])
    expect(exported.code, exported.stderr).toBe(0)
    expect(JSON.parse(exported.stdout)).toMatchObject({ Version: 1, AccessKeyId: id })
    // the second process read the cache
    expect(roleCalls(w)).toBe(1)
  })

  it('one cache for both: what the AWS CLI cached, fp-aws uses without a call; what fp-aws cached, the AWS CLI does', async () => {
    const w = await world()
    await w.login({ profile: 'dev' })
    await w.login({ profile: 'old' })
    // the AWS CLI fetches and caches (botocore's key); fp-aws reads it
    const byCli = await aws(cli, w, ['configure', 'export-credentials', '--profile', 'dev', '--format', 'process'])
    expect(byCli.code, byCli.stderr).toBe(0)
    expect(roleCalls(w)).toBe(1)
    expect(w.home.ls(w.home.creds)).toEqual([DEV_KEY])
    const mine = await w.cli(['sso', 'credentials', '--profile', 'dev'])
    expect(mine.code).toBe(0)
    expect(parse(mine.out).AccessKeyId).toBe((JSON.parse(byCli.stdout) as ProcessCredentials).AccessKeyId)
    expect(roleCalls(w)).toBe(1)
    // fp-aws fetches and caches; the AWS CLI reads it
    const old = await w.cli(['sso', 'credentials', '--profile', 'old'])
    expect(roleCalls(w)).toBe(2)
    const cliOld = await aws(cli, w, ['configure', 'export-credentials', '--profile', 'old', '--format', 'process'])
    expect(cliOld.code, cliOld.stderr).toBe(0)
    expect((JSON.parse(cliOld.stdout) as ProcessCredentials).AccessKeyId).toBe(parse(old.out).AccessKeyId)
    expect(roleCalls(w)).toBe(2)
    // and `aws sso logout` removes what fp-aws cached
    const logout = await aws(cli, w, ['sso', 'logout'])
    expect(logout.code, logout.stderr).toBe(0)
    expect(w.home.ls(w.home.creds)).toEqual([])
  })
})
