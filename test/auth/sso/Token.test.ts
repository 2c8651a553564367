import * as fs from 'node:fs'
import * as path from 'node:path'
import { inspect } from 'node:util'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isSensitive, reveal, sensitive } from '../../../src/core/Sensitive.js'
import {
  CachedCredentialsCodec,
  credentialCacheFile,
  credentialCacheKey,
  credentialCacheKeyCandidates,
  formatTimestamp,
  isTokenExpired,
  parseTimestamp,
  pythonJsonDumps,
  readCachedCredentials,
  readToken,
  SSOTokenCodec,
  TimestampCodec,
  tokenCacheFile,
  tokenCacheKey,
  writeCachedCredentials,
  writeToken
} from '../../../src/auth/sso/index.js'
import { tokenJson, useHomes } from './helpers.js'

const home = useHomes()

describe('timestamps', () => {
  it('accepts …Z, milliseconds, the older …UTC form and offsets', () => {
    const at = Date.UTC(2026, 10, 22, 13, 46, 47)
    expect(parseTimestamp('2026-11-22T13:46:47Z')?.getTime()).toBe(at)
    expect(parseTimestamp('2026-11-22T13:46:47UTC')?.getTime()).toBe(at)
    expect(new Date('2026-11-22T13:46:47UTC').getTime()).toBeNaN() // why the UTC form needs care
    expect(parseTimestamp('2026-11-22T13:46:47.123Z')?.getTime()).toBe(at + 123)
    expect(parseTimestamp('2026-11-22T13:46:47.123456Z')?.getTime()).toBe(at + 123)
    expect(parseTimestamp('2026-11-22T14:46:47+01:00')?.getTime()).toBe(at)
    expect(parseTimestamp('2026-11-22T12:46:47-0100')?.getTime()).toBe(at)
    expect(parseTimestamp('2024-02-29T00:00:00Z')?.getTime()).toBe(Date.UTC(2024, 1, 29))
  })

  it('refuses what is not a timestamp', () => {
    for (const s of [
      '',
      '2026-11-22',
      '2026-11-22T13:46:47',
      '2026-13-01T00:00:00Z',
      '2026-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-01-01T24:00:00Z',
      '2026-01-01T00:60:00Z',
      '2026-01-01T00:00:00GMT',
      ' 2026-01-01T00:00:00Z',
      '1700000000'
    ]) {
      expect(parseTimestamp(s), s).toBeUndefined()
    }
    expect(TimestampCodec.decode(1700000000)._tag).toBe('Left')
  })

  it('round-trips any instant in every written form (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(9999, 11, 31) }), (ms) => {
        const d = new Date(ms)
        expect(parseTimestamp(d.toISOString())?.getTime()).toBe(ms)
        expect(parseTimestamp(formatTimestamp(d))?.getTime()).toBe(ms)
        const seconds = new Date(ms - (ms % 1000))
        expect(parseTimestamp(formatTimestamp(seconds).replace('Z', 'UTC'))?.getTime()).toBe(seconds.getTime())
      }),
      { numRuns: 500 }
    )
  })
})

describe('SSOTokenCodec', () => {
  it('decodes a token file, secrets Sensitive, unknown fields dropped, null optional fields absent', () => {
    const r = SSOTokenCodec.decode({
      ...tokenJson('tok-secret'),
      expiresAt: '2026-11-22T13:46:47UTC',
      clientId: 'cid',
      clientSecret: 'client-secret',
      registrationExpiresAt: '2027-01-01T00:00:00.000Z',
      refreshToken: 'refresh-secret',
      idToken: 'unknown-field-secret',
      nullable: null
    })
    expect(r._tag).toBe('Right')
    if (r._tag !== 'Right') return
    const t = r.right
    expect(isSensitive(t.accessToken) && isSensitive(t.clientSecret) && isSensitive(t.refreshToken)).toBe(true)
    expect(reveal(t.accessToken)).toBe('tok-secret')
    expect(t.expiresAt.toISOString()).toBe('2026-11-22T13:46:47.000Z')
    expect(t.registrationExpiresAt?.toISOString()).toBe('2027-01-01T00:00:00.000Z')
    for (const shown of [JSON.stringify(t), inspect(t, { depth: 10 }), String(Object.values(t))]) {
      for (const secret of ['tok-secret', 'client-secret', 'refresh-secret', 'unknown-field-secret']) {
        expect(shown).not.toContain(secret)
      }
    }
    expect(Object.keys(t)).not.toContain('idToken')
    const nulls = SSOTokenCodec.decode({ ...tokenJson('t'), clientId: null, refreshToken: null })
    expect(nulls._tag === 'Right' && nulls.right.clientId === undefined && nulls.right.refreshToken === undefined).toBe(true)
  })

  it('refuses a token without the required fields, or with bad ones', () => {
    for (const bad of [
      {},
      { ...tokenJson('t'), accessToken: 1 },
      { ...tokenJson('t'), region: undefined },
      { ...tokenJson('t'), startUrl: '' },
      { ...tokenJson('t'), expiresAt: 'soon' },
      { ...tokenJson('t'), refreshToken: 5 },
      [],
      'accessToken'
    ]) {
      expect(SSOTokenCodec.decode(bad)._tag).toBe('Left')
    }
  })

  it('isTokenExpired: expired at expiresAt exactly', () => {
    const t = { startUrl: 'u', region: 'r', accessToken: sensitive('t'), expiresAt: new Date(5000) }
    expect(isTokenExpired(t, 4999)).toBe(false)
    expect(isTokenExpired(t, 5000)).toBe(true)
  })
})

describe('token cache files', () => {
  it('is named by sha1 of the session name, or of the start URL', () => {
    // python3 -c "import hashlib; print(hashlib.sha1(b'my-sso').hexdigest())"
    expect(tokenCacheKey({ _tag: 'SSOSession', name: 'my-sso' })).toBe('0ad374308c5a4e22f723adf10145eafad7c4031c')
    expect(tokenCacheKey({ _tag: 'StartUrl', startUrl: 'https://d-abc123.awsapps.com/start' })).toBe(
      '40a89917e3175433e361b710a9d43528d7f1890a'
    )
    expect(tokenCacheFile('/h', { _tag: 'SSOSession', name: 'my-sso' })).toBe(
      path.join('/h', '.aws', 'sso', 'cache', '0ad374308c5a4e22f723adf10145eafad7c4031c.json')
    )
  })

  it('writes atomically with mode 0600 and reads back what it wrote; secrets only in the file', async () => {
    const h = home()
    const file = tokenCacheFile(h.home, { _tag: 'SSOSession', name: 's' })
    const token = {
      startUrl: 'https://x.awsapps.com/start',
      region: 'eu-west-1',
      accessToken: sensitive('tok-secret'),
      expiresAt: new Date(Date.UTC(2030, 0, 1)),
      clientId: 'cid',
      clientSecret: sensitive('cs'),
      refreshToken: undefined
    }
    expect((await writeToken(file, token)())._tag).toBe('Right')
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({
      startUrl: 'https://x.awsapps.com/start',
      region: 'eu-west-1',
      accessToken: 'tok-secret',
      expiresAt: '2030-01-01T00:00:00Z',
      clientId: 'cid',
      clientSecret: 'cs'
    })
    expect(h.ls(h.tokens)).toEqual([path.basename(file)])
    const back = await readToken(file)()
    expect(back._tag === 'Right' && reveal(back.right.accessToken)).toBe('tok-secret')
    expect(back._tag === 'Right' && back.right.expiresAt.getTime()).toBe(token.expiresAt.getTime())
  })

  it('reads report why a file is not a token, naming fields, never values', async () => {
    const h = home()
    const cases: ReadonlyArray<readonly [string, unknown, string]> = [
      ['missing.json', undefined, 'NotFound'],
      ['notjson.json', '{"accessToken":"tok-secret"', 'NotJson'],
      ['shape.json', { ...tokenJson('tok-secret'), expiresAt: 'tok-secret' }, 'Invalid'],
      ['array.json', ['tok-secret'], 'Invalid']
    ]
    for (const [name, content, reason] of cases) {
      const file = content === undefined ? path.join(h.tokens, name) : h.token(name, content)
      const r = await readToken(file)()
      expect(r._tag === 'Left' && r.left.reason, name).toBe(reason)
      expect(JSON.stringify(r)).not.toContain('tok-secret')
    }
    const shape = await readToken(path.join(h.tokens, 'shape.json'))()
    expect(shape._tag === 'Left' && shape.left.message).toContain('expiresAt')
  })
})

describe('CLI credential cache', () => {
  it('keys are sha1 of Python json.dumps(sort_keys, compact, ensure_ascii) — vectors from Python', () => {
    // python3 -c "import json,hashlib; s=json.dumps({...},sort_keys=True,separators=(',',':')); print(s, hashlib.sha1(s.encode()).hexdigest())"
    expect(pythonJsonDumps({ roleName: 'ReadOnly', accountId: '123456789012', sessionName: 'my-sso' })).toBe(
      '{"accountId":"123456789012","roleName":"ReadOnly","sessionName":"my-sso"}'
    )
    expect(credentialCacheKey({ accountId: '123456789012', roleName: 'ReadOnly', sessionName: 'my-sso' })).toBe(
      '31b260dab331b2af063485cea75f7b8b3cf54c71'
    )
    expect(pythonJsonDumps({ b: '1', a: 'é' })).toBe('{"a":"\\u00e9","b":"1"}')
    expect(pythonJsonDumps({ a: '\x7f\x01"\\ \u{1F600} \u2028' })).toBe('{"a":"\\u007f\\u0001\\"\\\\ \\ud83d\\ude00 \\u2028"}')
    // the legacy form: startUrl instead of sessionName
    expect(credentialCacheKey({ accountId: '1', roleName: 'r', startUrl: 'u' })).toBe(
      credentialCacheKey({ accountId: '1', roleName: 'r', sessionName: '', startUrl: 'u' })
    )
    expect(credentialCacheKey({ accountId: '1', roleName: 'r', startUrl: 'u' })).not.toBe(
      credentialCacheKey({ accountId: '1', roleName: 'r', sessionName: 'u' })
    )
  })

  it('candidates: botocore key first, then the start-URL and both-keys forms for sso-session profiles', () => {
    const input = { accountId: '1', roleName: 'r', sessionName: 's', startUrl: 'u' }
    const keys = credentialCacheKeyCandidates(input)
    expect(keys).toHaveLength(3)
    expect(keys[0]).toBe(credentialCacheKey(input))
    expect(keys[1]).toBe(credentialCacheKey({ accountId: '1', roleName: 'r', startUrl: 'u' }))
    expect(credentialCacheKeyCandidates({ accountId: '1', roleName: 'r', startUrl: 'u' })).toEqual([keys[1]])
  })

  it('codec: ProviderType sso only, secrets Sensitive; written 0600 and read back', async () => {
    const json = {
      ProviderType: 'sso',
      Credentials: { AccessKeyId: 'ASIA', SecretAccessKey: 'sk-secret', SessionToken: 'st-secret', Expiration: '2030-01-01T00:00:00UTC' }
    }
    const r = CachedCredentialsCodec.decode(json)
    expect(r._tag).toBe('Right')
    if (r._tag !== 'Right') return
    expect(JSON.stringify(r.right)).not.toMatch(/sk-secret|st-secret/)
    expect(CachedCredentialsCodec.decode({ ...json, ProviderType: 'assume-role' })._tag).toBe('Left')
    const h = home()
    const file = credentialCacheFile(h.home, 'k')
    expect((await writeCachedCredentials(file, r.right)())._tag).toBe('Right')
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({
      ...json,
      Credentials: { ...json.Credentials, Expiration: '2030-01-01T00:00:00Z' }
    })
    const back = await readCachedCredentials(file)()
    expect(back._tag === 'Right' && reveal(back.right.Credentials.SessionToken)).toBe('st-secret')
  })
})
