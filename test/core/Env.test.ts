import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { pipe } from 'fp-ts/lib/function.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fromEnvironment, newEnv, send } from '../../src/index.js'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import { Logout, newLogout } from '../../src/services/sso/index.js'

let home: string
let emu: Emulator
beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-env-'))
  fs.mkdirSync(path.join(home, '.aws'))
  const r = await startEmulator({ tokens: { 'env-token': {}, 'timer-token': {} } })()
  if (r._tag === 'Left') throw new Error(r.left.message)
  emu = r.right
})
afterAll(async () => {
  fs.rmSync(home, { recursive: true, force: true })
  await emu.close()
})

const write = (text: string) => fs.writeFileSync(path.join(home, '.aws', 'config'), text)

describe('newEnv', () => {
  it('is pure: the same options give equal settings, and defaults are documented values', () => {
    const a = newEnv({ region: 'us-east-1' })
    const b = newEnv({ region: 'us-east-1' })
    expect({ ...a, retryQuota: null }).toStrictEqual({ ...b, retryQuota: null })
    expect(a.retry.maxAttempts).toBe(3)
    expect(a.attemptTimeoutMs).toBe(30_000)
    expect(a.totalTimeoutMs).toBeUndefined()
    expect(a.retryQuota.get()).toStrictEqual({ available: 500, capacity: 500 })
  })

  it('a timeout or retry delay longer than a timer can hold (2^31 - 1 ms) is a ValidationError: Node would fire it at once', async () => {
    const before = emu.requests().length
    const cases = [
      [{ attemptTimeoutMs: 2 ** 31 }, 'attemptTimeoutMs'],
      [{ totalTimeoutMs: 2 ** 31 }, 'totalTimeoutMs'],
      [{ retry: { maxBackoffMs: 2 ** 31 } }, 'retry']
    ] as const
    for (const [options, field] of cases) {
      const r = await pipe(newLogout('timer-token'), send(Logout))(newEnv({ endpoint: emu.url, ...options }))()
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ValidationError', field } })
    }
    expect(emu.requests().length).toBe(before)
    const ok = await pipe(newLogout('timer-token'), send(Logout))(newEnv({ endpoint: emu.url, attemptTimeoutMs: 2 ** 31 - 1 }))()
    expect(ok._tag).toBe('Right')
  })
})

describe('fromEnvironment', () => {
  it('reads the profile from a real config file, with the services section pointing SSO at the emulator', async () => {
    write(`[profile dev]\nregion = eu-west-1\nservices = local\nmax_attempts = 4\n\n[services local]\nsso =\n  endpoint_url = ${emu.url}\n`)
    const r = await fromEnvironment({ env: { AWS_PROFILE: 'dev' }, homedir: home })()
    expect(r._tag).toBe('Right')
    if (r._tag === 'Right') {
      expect(r.right.region).toBe('eu-west-1')
      expect(r.right.endpoints['SSO']).toBe(emu.url)
      expect(r.right.retry.maxAttempts).toBe(4)
      const out = await pipe(newLogout('env-token'), send(Logout))(r.right)()
      expect(out._tag).toBe('Right')
      expect(emu.isLoggedOut('env-token')).toBe(true)
    }
  })

  it('AWS_ENDPOINT_URL_SSO beats AWS_ENDPOINT_URL; AWS_IGNORE_CONFIGURED_ENDPOINT_URLS drops both', async () => {
    write('[default]\nregion = us-west-2\n')
    const env = { AWS_ENDPOINT_URL_SSO: 'http://127.0.0.1:1', AWS_ENDPOINT_URL: 'http://127.0.0.1:2' }
    const r = await fromEnvironment({ env, homedir: home })()
    expect(r._tag === 'Right' && r.right.endpoints['SSO']).toBe('http://127.0.0.1:1')
    const ignored = await fromEnvironment({ env: { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }, homedir: home })()
    expect(ignored._tag === 'Right' && ignored.right.endpoints).toStrictEqual({})
  })

  it('AWS_REGION beats AWS_DEFAULT_REGION beats the profile; FIPS and dual-stack flags are read', async () => {
    write('[default]\nregion = us-west-2\n')
    const r = await fromEnvironment({
      env: { AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'eu-north-1', AWS_USE_FIPS_ENDPOINT: 'TRUE', AWS_USE_DUALSTACK_ENDPOINT: 'false' },
      homedir: home
    })()
    expect(r._tag === 'Right' && [r.right.region, r.right.useFIPS, r.right.useDualStack]).toStrictEqual(['ap-south-1', true, false])
    const d = await fromEnvironment({ env: { AWS_DEFAULT_REGION: 'eu-north-1' }, homedir: home })()
    expect(d._tag === 'Right' && d.right.region).toBe('eu-north-1')
  })

  it.each([
    ['AWS_MAX_ATTEMPTS', '0'],
    ['AWS_MAX_ATTEMPTS', 'three'],
    ['AWS_USE_FIPS_ENDPOINT', 'yes'],
    ['AWS_USE_DUALSTACK_ENDPOINT', '1'],
    ['AWS_ENDPOINT_URL_SSO', 'not a url'],
    ['AWS_ENDPOINT_URL', 'ftp://example.com']
  ])('a bad %s (%s) is a clear Left, not a crash', async (name, value) => {
    write('[default]\n')
    const r = await fromEnvironment({ env: { [name]: value }, homedir: home })()
    expect(r._tag).toBe('Left')
    if (r._tag === 'Left') {
      expect(r.left._tag).toBe('ConfigError')
      expect(r.left.source).toBe(name)
    }
  })

  it('AWS_CONFIG_FILE is honoured and a missing named profile is an error', async () => {
    const other = path.join(home, 'other-config')
    fs.writeFileSync(other, '[profile x]\nregion = ca-central-1\n')
    const r = await fromEnvironment({ env: { AWS_CONFIG_FILE: other, AWS_PROFILE: 'x' }, homedir: home })()
    expect(r._tag === 'Right' && r.right.region).toBe('ca-central-1')
    const missing = await fromEnvironment({ env: { AWS_CONFIG_FILE: other, AWS_PROFILE: 'nope' }, homedir: home })()
    expect(missing._tag).toBe('Left')
  })

  it('overrides win over the environment', async () => {
    write('[default]\nregion = us-west-2\n')
    const r = await fromEnvironment({ env: { AWS_MAX_ATTEMPTS: '7' }, homedir: home, overrides: { maxAttempts: 2, region: 'eu-west-3' } })()
    expect(r._tag === 'Right' && [r.right.retry.maxAttempts, r.right.region]).toStrictEqual([2, 'eu-west-3'])
  })
})
