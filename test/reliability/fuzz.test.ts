/**
 * Bad input never makes fp-aws throw. The decoders are fuzzed with arbitrary JSON, arbitrary
 * JavaScript values, strings and bytes, and arbitrary headers: every operation's
 * `parseResponse`, every io-ts codec the package exports, `parseRestJsonError`, the config
 * file parser and `fromEnvironment`, the token and credential cache decoders, the emulator's
 * seed and page-token decoders. Each returns a `Left` or a `Right` (or a value), never throws.
 *
 * The cache reader is fuzzed on a REAL temporary directory: arbitrary file contents (binary,
 * invalid UTF-8, JSON that is not an object, token-like and credential-like objects with
 * random members), files bigger than the read bound (read at most up to the bound, and kept),
 * directories, FIFOs and symbolic links (into the directory, out of it, dangling, loops).
 * `logoutAll`, pointed at the emulator, never throws, never deletes a file it must keep
 * (anything that is not an SSO token JSON object or an SSO credential JSON object), deletes
 * every file that should go, and nothing else.
 */
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as fsp from 'node:fs/promises'
import * as os from 'node:os'
import * as path from 'node:path'
import fc from 'fast-check'
import * as O from 'fp-ts/lib/Option.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import * as t from 'io-ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as A from '../../src/arbitrary/index.js'
import { parseConfigFile, parseCredentialsFile, profileSection, servicesSection, ssoSessionSection } from '../../src/core/Config.js'
import { parseRestJsonError, sanitizeErrorCode } from '../../src/core/Service.js'
import { fromEnvironment, newEnv, type AWSRequest, type HttpResponse } from '../../src/index.js'
import * as cache from '../../src/auth/sso/index.js'
import { DEFAULT_MAX_FILE_BYTES, logoutAll, parseTimestamp, readBounded, readCachedCredentials, readToken, type LogoutReport } from '../../src/auth/sso/index.js'
import * as emulatorModule from '../../src/emulator/index.js'
import { decodeSeedFile, parseSeedFile, startEmulator, type Emulator } from '../../src/emulator/index.js'
import { decodePageToken } from '../../src/emulator/operations.js'
import { fromSSO } from '../../src/auth/sso/fromSSO.js'
import * as ssoModule from '../../src/services/sso/index.js'
import {
  GetRoleCredentials,
  GetRoleCredentialsResponseCodec,
  ListAccountRoles,
  ListAccountRolesResponseCodec,
  ListAccounts,
  ListAccountsResponseCodec,
  Logout,
  LogoutResponseCodec,
  sso
} from '../../src/services/sso/index.js'

const isEither = (r: unknown): boolean =>
  typeof r === 'object' && r !== null && ((r as { _tag?: unknown })._tag === 'Left' || (r as { _tag?: unknown })._tag === 'Right')

// -------------------------------------------------------------------------------------
// generators
// -------------------------------------------------------------------------------------

/** Every member name of every record of the API, the caches and the seed files. */
const FIELDS = [
  'accessToken', 'roleName', 'accountId', 'nextToken', 'maxResults', 'roleCredentials', 'accessKeyId',
  'secretAccessKey', 'sessionToken', 'expiration', 'accountList', 'roleList', 'accountName', 'emailAddress',
  'startUrl', 'region', 'expiresAt', 'clientId', 'clientSecret', 'registrationExpiresAt', 'refreshToken',
  'ProviderType', 'Credentials', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration', 'tokens',
  'accounts', 'roles', '_tag', 'value', 'message', 'Message', 'code', '__type', '__proto__', 'constructor', 'toString'
] as const

/** Values a member may hold: right or wrong type, edge numbers, timestamps, secrets. */
const leaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 1 }),
  fc.constantFrom(null, undefined, '', 0, -0, 1, -1, 100, 101, 1.5, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER + 2, true, false, 'sso', 'Some', 'None'),
  fc.constantFrom('2026-11-22T13:46:47Z', '2026-11-22T13:46:47UTC', '2026-02-31T00:00:00Z', '9999-12-31T23:59:59-23:59', '0000-01-01T00:00:00Z', 'tomorrow'),
  A.accessToken(),
  A.invalidAccessToken(),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.date({ noInvalidDate: false })
)

/** Objects shaped like the records, with random members and random values, nested. */
const shaped: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.dictionary(fc.constantFrom(...FIELDS), tie('node'), { maxKeys: 8, noNullPrototype: false }),
    fc.array(tie('node'), { maxLength: 4 })
  )
})).node

const anything = fc.anything({
  maxDepth: 4,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withTypedArray: true,
  withSparseArray: true
})

/** A cycle, which no JSON holds but a JavaScript caller might pass. */
const cyclic = (): unknown => {
  const o: Record<string, unknown> = { accessToken: 't', tokens: {} }
  o['roleCredentials'] = o
  o['accountList'] = [o]
  ;(o['tokens'] as Record<string, unknown>)['t'] = o
  return o
}

const value = fc.oneof(fc.jsonValue(), anything, shaped, fc.constant(undefined).map(() => cyclic()))

const enc = new TextEncoder()

/** Byte sequences that are not UTF-8. */
const invalidUtf8 = fc
  .tuple(
    fc.string({ maxLength: 20 }),
    fc.constantFrom([0xff], [0xfe, 0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80], [0xf4, 0x90, 0x80, 0x80]),
    fc.string({ maxLength: 20 })
  )
  .map(([a, bad, b]) => Buffer.concat([Buffer.from(a), Buffer.from(bad), Buffer.from(b)]))

/** Bodies: random bytes, text, invalid UTF-8, JSON of anything, JSON shaped like the responses. */
const body: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 100 }).map((s) => enc.encode(s)),
  invalidUtf8.map((b) => new Uint8Array(b)),
  fc.jsonValue().map((j) => enc.encode(JSON.stringify(j) ?? 'null')),
  shaped.map((s) => enc.encode(safeStringify(s))),
  fc.tuple(shaped, fc.constantFrom('\uFEFF', ' ', '\n', 'x', ']')).map(([s, p]) => enc.encode(p + safeStringify(s))),
  fc.constant(new Uint8Array(0))
)

function safeStringify(u: unknown): string {
  try {
    return JSON.stringify(u) ?? 'null'
  } catch {
    return '{}'
  }
}

const headerName = fc.oneof(
  fc.constantFrom('x-amzn-errortype', 'x-amzn-requestid', 'content-type', 'set-cookie', 'x-amz-sso_bearer_token', 'retry-after', '__proto__', 'constructor', ''),
  fc.string({ maxLength: 20 })
)
const headerValue = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom('', ':', '#', 'ns#', '#:', 'a#b#c:d:e', 'com.amazonaws.switchboard.portal#UnauthorizedException:http://x', ' ', '\u0000')
)
const headers = fc.dictionary(headerName, headerValue, { maxKeys: 8, noNullPrototype: false })
/** Headers that break the type: non-string values (a hostile or buggy HttpClient). */
const wildHeaders = fc.dictionary(headerName, fc.oneof(headerValue, anything), { maxKeys: 6 }) as fc.Arbitrary<Record<string, string>>

const status = fc.oneof(fc.constantFrom(200, 201, 204, 299, 400, 401, 403, 404, 429, 500, 503), fc.integer({ min: -1, max: 1000 }))

const RUNS = { numRuns: 1_000 }

// -------------------------------------------------------------------------------------
// decoders
// -------------------------------------------------------------------------------------

describe('decoders never throw', () => {
  const operations: ReadonlyArray<readonly [AWSRequest<unknown, unknown>, t.Type<unknown, unknown, unknown>]> = [
    [Logout as AWSRequest<unknown, unknown>, LogoutResponseCodec as t.Type<unknown, unknown, unknown>],
    [GetRoleCredentials as AWSRequest<unknown, unknown>, GetRoleCredentialsResponseCodec as t.Type<unknown, unknown, unknown>],
    [ListAccounts as AWSRequest<unknown, unknown>, ListAccountsResponseCodec as t.Type<unknown, unknown, unknown>],
    [ListAccountRoles as AWSRequest<unknown, unknown>, ListAccountRolesResponseCodec as t.Type<unknown, unknown, unknown>]
  ]

  for (const [op, codec] of operations) {
    it(`${op.operation}.parseResponse: a SerializeError with the status, or a response of the model`, () => {
      fc.assert(
        fc.property(body, headers, fc.oneof(fc.constant(200), status), (b, h, s) => {
          const r = op.parseResponse({ status: s, headers: h, body: b })
          expect(isEither(r)).toBe(true)
          if (r._tag === 'Left') {
            expect(r.left).toMatchObject({ _tag: 'SerializeError', status: s })
            expect(typeof r.left.message).toBe('string')
          } else {
            expect(codec.is(r.right)).toBe(true)
          }
        }),
        RUNS
      )
    })
  }

  /** Every io-ts codec the public modules export, found by looking, so a new one is fuzzed too. */
  const exported: ReadonlyArray<readonly [string, unknown]> = [
    ...Object.entries(ssoModule).map(([n, v]): readonly [string, unknown] => [`sso.${n}`, v]),
    ...Object.entries(cache).map(([n, v]): readonly [string, unknown] => [`auth/sso.${n}`, v]),
    ...Object.entries(emulatorModule).map(([n, v]): readonly [string, unknown] => [`emulator.${n}`, v])
  ]
  const codecs = exported.filter((e): e is readonly [string, t.Type<unknown, unknown, unknown>] => e[1] instanceof t.Type)

  it('finds the codecs', () => {
    const names = codecs.map(([n]) => n)
    for (const n of [
      'sso.LogoutCodec',
      'sso.GetRoleCredentialsResponseCodec',
      'sso.ListAccountsResponseCodec',
      'sso.ListAccountRolesCodec',
      'sso.RoleCredentialsCodec',
      'sso.SensitiveString',
      'auth/sso.SSOTokenCodec',
      'auth/sso.CachedCredentialsCodec',
      'auth/sso.TimestampCodec',
      'emulator.SeedFileC'
    ]) {
      expect(names).toContain(n)
    }
  })

  for (const [name, codec] of codecs) {
    it(`${name}.decode: Left or Right; a Right satisfies is() and encodes`, () => {
      fc.assert(
        fc.property(value, (u) => {
          const r = codec.decode(u)
          expect(isEither(r)).toBe(true)
          if (r._tag === 'Right') {
            expect(codec.is(r.right)).toBe(true)
            codec.encode(r.right)
          } else {
            for (const e of r.left) expect(Array.isArray(e.context)).toBe(true)
          }
        }),
        { numRuns: 500 }
      )
    })
  }

  it('the token and credential cache decoders (decodeWith) give a message naming fields, or the record', () => {
    const token = cache.decodeWith(cache.SSOTokenCodec)
    const creds = cache.decodeWith(cache.CachedCredentialsCodec)
    fc.assert(
      fc.property(value, (u) => {
        for (const r of [token(u), creds(u)]) {
          expect(isEither(r)).toBe(true)
          if (r._tag === 'Left') expect(typeof r.left).toBe('string')
        }
      }),
      RUNS
    )
  })

  it('parseRestJsonError (and the service record\'s parseError): always a ServiceError', () => {
    fc.assert(
      fc.property(status, fc.oneof(headers, wildHeaders), body, (s, h, b) => {
        for (const parse of [parseRestJsonError, sso.parseError]) {
          const e = parse({ status: s, headers: h, body: b } as HttpResponse)
          expect(e._tag).toBe('ServiceError')
          expect(e.status).toBe(s)
          expect(typeof e.code).toBe('string')
          expect(e.code.length).toBeGreaterThan(0)
          expect(typeof e.message).toBe('string')
          expect(e.requestId === undefined || typeof e.requestId === 'string').toBe(true)
        }
      }),
      RUNS
    )
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (raw) => {
        expect(typeof sanitizeErrorCode(raw)).toBe('string')
      }),
      RUNS
    )
  })

  const iniLine = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.tuple(fc.constantFrom('profile ', 'sso-session ', 'services ', '', ' profile  ', 'PROFILE '), fc.string({ maxLength: 12 }), fc.constantFrom(']', '', '] ; c', ']x')).map(
      ([p, n, close]) => `[${p}${n}${close}`
    ),
    fc
      .tuple(
        fc.constantFrom('region', 'sso_session', 'sso_start_url', 'sso_region', 'sso_account_id', 'sso_role_name', 'endpoint_url', 'services', 'sso', 'max_attempts', 'use_fips_endpoint', 'use_dualstack_endpoint', 'ignore_configured_endpoint_urls', ''),
        fc.constantFrom(' = ', '=', ' =', ' : ', ''),
        fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('true', 'false', '0', '3', '-1', 'http://127.0.0.1:1', 'ftp://x', '~/x'))
      )
      .map(([k, eq, v]) => `${k}${eq}${v}`),
    fc.tuple(fc.constantFrom(' ', '\t', '  '), fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })).map(([ws, k, v]) => `${ws}${k} = ${v}`),
    fc.constantFrom('#c', ';c', '', '[', ']', '=', ' = ', '[default]', '[profile default]', '[sso-session s]', '[services s]', 'sso =', '  endpoint_url = http://x', '\uFEFF[default]')
  )
  const iniText = fc.tuple(fc.array(iniLine, { maxLength: 16 }), fc.constantFrom('\n', '\r\n', '\r')).map(([ls, nl]) => ls.join(nl))

  it('parseConfigFile / parseCredentialsFile and the section lookups', () => {
    fc.assert(
      fc.property(fc.oneof(iniText, fc.string({ unit: 'binary' })), fc.string({ maxLength: 10 }), (text, name) => {
        for (const parse of [parseConfigFile, parseCredentialsFile]) {
          const r = parse(text)
          expect(isEither(r)).toBe(true)
          if (r._tag === 'Right') {
            for (const n of [name, 'default', ...r.right.profiles.keys()]) {
              expect(O.isSome(profileSection(r.right, n)) || O.isNone(profileSection(r.right, n))).toBe(true)
              ssoSessionSection(r.right, n)
              servicesSection(r.right, n)
            }
          } else {
            expect(r.left._tag).toBe('ConfigError')
          }
        }
      }),
      RUNS
    )
  })

  const AWS_VARS = [
    'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_SSO', 'AWS_USE_FIPS_ENDPOINT',
    'AWS_USE_DUALSTACK_ENDPOINT', 'AWS_MAX_ATTEMPTS', 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', 'AWS_CONFIG_FILE'
  ] as const
  const envValue = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.constantFrom('', 'default', 'dev', 's', 'true', 'false', '0', '1', '5', 'many', 'http://127.0.0.1:1', 'https://x', 'not a url', '~/cfg', 'us-east-1')
  )
  const envArb = fc.dictionary(fc.constantFrom(...AWS_VARS), envValue, { maxKeys: 6 })

  it('fromEnvironment and fromSSO on random environments and config files: a Left or a Right, no I/O beyond the file', async () => {
    await fc.assert(
      fc.asyncProperty(envArb, fc.option(iniText, { nil: undefined }), fc.option(fc.string({ maxLength: 8 }), { nil: undefined }), async (env, text, profile) => {
        const readFile = () => TE.right(text === undefined ? O.none : O.some(text))
        const r = await fromEnvironment({ env, homedir: '/nonexistent-home', readFile })()
        expect(isEither(r)).toBe(true)
        // no token can be found under a home that does not exist: fromSSO stops before any call
        const c = await fromSSO({ homedir: '/nonexistent-home', env, readFile, ...(profile === undefined ? {} : { profile }) })()
        expect(c._tag).toBe('Left')
      }),
      { numRuns: 200 }
    )
  })

  it('the emulator seed decoders and page tokens', () => {
    fc.assert(
      fc.property(value, fc.oneof(fc.string({ unit: 'binary' }), value.map(safeStringify)), (u, text) => {
        for (const r of [decodeSeedFile(u), decodeSeedFile({ tokens: u }), decodeSeedFile({ tokens: { t: u } }), parseSeedFile(text)]) {
          expect(isEither(r)).toBe(true)
          if (r._tag === 'Left') for (const line of r.left) expect(typeof line).toBe('string')
        }
        const p = decodePageToken(text, 'ListAccounts')
        expect(isEither(p)).toBe(true)
        const b64 = decodePageToken(Buffer.from(text).toString('base64url'), 'ListAccounts')
        expect(isEither(b64)).toBe(true)
      }),
      RUNS
    )
  })

  it('startEmulator with arbitrary seeds: a Left, or an emulator that closes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(value, A.seed()), async (tokens) => {
        const r = await startEmulator({ tokens: tokens as Readonly<Record<string, emulatorModule.TokenSeed>> })()
        expect(isEither(r)).toBe(true)
        if (r._tag === 'Right') await r.right.close()
      }),
      { numRuns: 60 }
    )
  })

  it('parseTimestamp: a valid Date or undefined', () => {
    const stamp = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 61 }),
        fc.integer({ min: 0, max: 61 }),
        fc.constantFrom('', '.5', '.123', '.123456789'),
        fc.constantFrom('Z', 'z', 'UTC', '+00:00', '-23:59', '+2400', '+01:60', '')
      )
      .map(([y, mo, d, h, mi, s, frac, z]) =>
        `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:${String(s).padStart(2, '0')}${frac}${z}`
      )
    fc.assert(
      fc.property(fc.oneof(stamp, fc.string({ unit: 'binary' })), (s) => {
        const d = parseTimestamp(s)
        expect(d === undefined || (d instanceof Date && !Number.isNaN(d.getTime()))).toBe(true)
      }),
      { numRuns: 1_000 }
    )
    // not a string at all (a JavaScript caller)
    fc.assert(
      fc.property(anything, (u) => {
        expect(() => parseTimestamp(u as string)).not.toThrow()
      }),
      RUNS
    )
  })
})

// -------------------------------------------------------------------------------------
// the cache reader on a real directory
// -------------------------------------------------------------------------------------

/** The read bound used by the sweep below (small, so that "too large" is cheap). */
const BOUND = 2_048

type Fate = 'keep' | 'go'

/**
 * What `logoutAll` must do with a regular file of `bytes`, by the documented rules, written
 * independently of the implementation.
 */
const fateOf = (dir: 'token' | 'creds', bytes: Buffer, sendable: (token: string) => boolean): Fate => {
  if (bytes.length > BOUND) return 'keep'
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes) // a leading BOM is dropped
  } catch {
    return 'keep'
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return 'keep'
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'keep'
  const o = json as Record<string, unknown>
  if (dir === 'creds') return o['ProviderType'] === 'sso' ? 'go' : 'keep'
  if (!Object.prototype.hasOwnProperty.call(o, 'accessToken')) return 'keep'
  const token = o['accessToken']
  if (typeof token !== 'string') return 'keep'
  const region = o['region']
  const noRegion = region === undefined || region === null || region === '' || region === false || region === 0
  if (!noRegion && typeof region !== 'string') return 'keep'
  if (noRegion) return 'go'
  const trimmed = token.replace(/^[\t ]+|[\t ]+$/g, '')
  if (trimmed === '') return 'go'
  // a token that cannot be sent as a header value keeps its file (its session may be live)
  return sendable(trimmed) ? 'go' : 'keep'
}

const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/
const sendable = (tok: string): boolean => HEADER_VALUE.test(tok)

const tokenObject = fc.record(
  {
    startUrl: fc.oneof(fc.constant('https://corp.awsapps.com/start'), leaf),
    region: fc.oneof(fc.constantFrom(undefined, null, '', false, 0, 1, true, 'us-east-1', 'eu-west-1', ' ', 'weird region \u00e9'), leaf),
    accessToken: fc.oneof(
      { weight: 4, arbitrary: A.accessToken({ minLength: 8 }) },
      { weight: 2, arbitrary: A.invalidAccessToken() },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom(' ', '\t', '  \t'), A.accessToken()).map(([w, tok]) => `${w}${tok}${w}`) },
      { weight: 1, arbitrary: leaf }
    ),
    expiresAt: fc.oneof(fc.constantFrom('2999-01-01T00:00:00Z', '2001-01-01T00:00:00Z'), leaf),
    clientId: leaf,
    clientSecret: fc.string(),
    refreshToken: fc.string()
  },
  { requiredKeys: [] }
)

const credsObject = fc.record(
  {
    ProviderType: fc.oneof(fc.constantFrom('sso', 'sso', 'SSO', ' sso', 'assume-role', null), leaf),
    Credentials: fc.oneof(
      fc.record({ AccessKeyId: leaf, SecretAccessKey: leaf, SessionToken: leaf, Expiration: leaf }, { requiredKeys: [] }),
      leaf
    )
  },
  { requiredKeys: [] }
)

/** File contents: every way a cache file can be wrong, and right. */
const fileContent = (obj: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Buffer> =>
  fc.oneof(
    { weight: 6, arbitrary: obj.map((o) => Buffer.from(JSON.stringify(o))) },
    { weight: 1, arbitrary: obj.map((o) => Buffer.from(`\uFEFF${JSON.stringify(o, null, 2)}`)) },
    { weight: 1, arbitrary: obj.map((o) => Buffer.from(JSON.stringify(o).replace(/}$/, ',"x":NaN}'))) },
    { weight: 1, arbitrary: obj.map((o) => Buffer.from(JSON.stringify(o).slice(0, -1))) },
    { weight: 1, arbitrary: obj.map((o) => Buffer.from(JSON.stringify([o]))) },
    // the bound itself: exactly BOUND bytes is read, one more is not
    { weight: 1, arbitrary: fc.tuple(obj, fc.constantFrom(0, 1)).map(([o, extra]) => padTo(JSON.stringify(o), BOUND + extra)) },
    { weight: 1, arbitrary: obj.map((o) => Buffer.from(JSON.stringify({ ...o, pad: 'x'.repeat(BOUND) }))) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((s) => Buffer.from(s, 'utf8')) },
    { weight: 1, arbitrary: invalidUtf8 },
    { weight: 1, arbitrary: obj.map((o) => Buffer.concat([Buffer.from(JSON.stringify(o).slice(0, -1)), Buffer.from(',"x":"\xff"}', 'latin1')])) },
    { weight: 1, arbitrary: fc.jsonValue().map((j) => Buffer.from(JSON.stringify(j) ?? 'null')) },
    { weight: 1, arbitrary: fc.constantFrom('', 'null', '[]', '{}', '"accessToken"', '1', 'true', '{"accessToken":null}', '{"ProviderType":"sso"}').map((s) => Buffer.from(s)) }
  )

/** JSON padded with trailing spaces to exactly `n` bytes (or left alone if already longer). */
const padTo = (json: string, n: number): Buffer => {
  const b = Buffer.from(json)
  return b.length >= n ? b : Buffer.concat([b, Buffer.alloc(n - b.length, 0x20)])
}

const fileName = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_-]{1,12}\.json$/),
  fc.stringMatching(/^[A-Za-z0-9._ -]{1,16}$/),
  fc.constantFrom('.hidden.json', '.a.json.0123456789abcdef.tmp', 'no-extension', 'UPPER.JSON', 'é-ü.json', '😀.json')
).filter((n) => n !== '.' && n !== '..')

type Special = 'dir' | 'fifo' | 'link-in' | 'link-out' | 'link-dangling' | 'link-loop' | 'link-dir' | 'nested'
const special = fc.constantFrom<Special>('dir', 'fifo', 'link-in', 'link-out', 'link-dangling', 'link-loop', 'link-dir', 'nested')

const dirSpec = (obj: fc.Arbitrary<Record<string, unknown>>) =>
  fc.record({
    files: fc.uniqueArray(fc.record({ name: fileName, content: fileContent(obj) }), { maxLength: 10, selector: (f) => f.name.toLowerCase() }),
    specials: fc.uniqueArray(special, { maxLength: 4 })
  })

const hasMkfifo = (() => {
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

interface Entry {
  readonly path: string
  readonly fate: Fate
  /** What must be found there afterwards, for what is kept. */
  readonly check: () => boolean
}

/** Writes a spec into `dir`; returns every entry with its expected fate. */
const materialise = (
  dir: string,
  kind: 'token' | 'creds',
  spec: { readonly files: ReadonlyArray<{ readonly name: string; readonly content: Buffer }>; readonly specials: ReadonlyArray<Special> },
  outside: string
): ReadonlyArray<Entry> => {
  fs.mkdirSync(dir, { recursive: true })
  const entries: Array<Entry> = []
  for (const f of spec.files) {
    const p = path.join(dir, f.name)
    fs.writeFileSync(p, f.content)
    // the temporary file of an atomic write in flight is not a cache entry: never touched
    const fate = /^\..+\.[0-9a-f]{16}\.tmp$/.test(f.name) ? 'keep' : fateOf(kind, f.content, sendable)
    entries.push({ path: p, fate, check: () => fs.readFileSync(p).equals(f.content) })
  }
  const validJson = Buffer.from(
    JSON.stringify(kind === 'token' ? { startUrl: 'https://x/start', region: 'us-east-1', accessToken: 'linked-token-value', expiresAt: '2999-01-01T00:00:00Z' } : { ProviderType: 'sso', Credentials: {} })
  )
  const linkTo = (name: string, target: string): void => {
    const p = path.join(dir, name)
    fs.symlinkSync(target, p)
    entries.push({ path: p, fate: 'keep', check: () => fs.lstatSync(p).isSymbolicLink() && fs.readlinkSync(p) === target })
  }
  for (const s of spec.specials) {
    switch (s) {
      case 'dir': {
        const p = path.join(dir, 'a-directory.json')
        fs.mkdirSync(p)
        entries.push({ path: p, fate: 'keep', check: () => fs.statSync(p).isDirectory() })
        break
      }
      case 'nested': {
        // a token file one level down is not in the cache: it stays
        const sub = path.join(dir, 'sub.json')
        fs.mkdirSync(sub)
        const p = path.join(sub, 'nested.json')
        fs.writeFileSync(p, validJson)
        entries.push({ path: sub, fate: 'keep', check: () => fs.statSync(sub).isDirectory() })
        entries.push({ path: p, fate: 'keep', check: () => fs.readFileSync(p).equals(validJson) })
        break
      }
      case 'fifo': {
        if (!hasMkfifo) break
        const p = path.join(dir, 'pipe.json')
        execFileSync('mkfifo', [p])
        entries.push({ path: p, fate: 'keep', check: () => fs.lstatSync(p).isFIFO() })
        break
      }
      case 'link-in': {
        // a link to a sibling that is a valid SSO file: the link stays (the sibling has its own fate)
        const target = path.join(dir, 'link-target.bin')
        fs.writeFileSync(target, validJson)
        entries.push({ path: target, fate: fateOf(kind, validJson, sendable), check: () => fs.readFileSync(target).equals(validJson) })
        linkTo('link-in.json', target)
        break
      }
      case 'link-out': {
        const target = path.join(outside, `${kind}-outside.json`)
        fs.writeFileSync(target, validJson)
        entries.push({ path: target, fate: 'keep', check: () => fs.readFileSync(target).equals(validJson) })
        linkTo('link-out.json', target)
        break
      }
      case 'link-dangling':
        linkTo('dangling.json', path.join(outside, 'does-not-exist.json'))
        break
      case 'link-loop':
        linkTo('loop.json', 'loop.json')
        break
      case 'link-dir':
        linkTo('link-dir.json', outside)
        break
    }
  }
  return entries
}

/** Every path under `dir` (recursively, links not followed). */
const walk = (dir: string): ReadonlyArray<string> => {
  if (!fs.existsSync(dir)) return []
  const out: Array<string> = []
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, d.name)
    out.push(p)
    if (d.isDirectory()) out.push(...walk(p))
  }
  return out
}

describe('the cache sweep on arbitrary files in a real directory', () => {
  let root: string
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-fuzz-'))
  })
  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true })
  })

  it('logoutAll never throws, never deletes what it must keep, deletes exactly what should go', async () => {
    let n = 0
    let went = 0
    let kept = 0
    const seen = new Set<string>()
    await fc.assert(
      fc.asyncProperty(dirSpec(tokenObject), dirSpec(credsObject), fc.boolean(), async (tokenSpec, credsSpec, seedHalf) => {
        const home = path.join(root, `home-${n++}`)
        const outside = path.join(root, `outside-${n}`)
        fs.mkdirSync(outside, { recursive: true })
        const entries = [
          ...materialise(cache.tokenCacheDir(home), 'token', tokenSpec, outside),
          ...materialise(cache.credentialCacheDir(home), 'creds', credsSpec, outside)
        ]
        // the emulator knows some of the tokens (200) and not the others (401): both end the session
        const tokens = tokenSpec.files
          .map((f) => {
            try {
              const o = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(f.content)) as { accessToken?: unknown }
              return typeof o.accessToken === 'string' ? o.accessToken.replace(/^[\t ]+|[\t ]+$/g, '') : undefined
            } catch {
              return undefined
            }
          })
          .filter((x): x is string => x !== undefined && x !== '' && sendable(x))
        const started = await startEmulator({ tokens: Object.fromEntries(tokens.filter((_, i) => seedHalf || i % 2 === 0).map((x) => [x, {}])) })()
        if (started._tag === 'Left') throw new Error(started.left.message)
        const emu: Emulator = started.right
        try {
          const before = new Set([...walk(home), ...walk(outside)])
          const options = { homedir: home, envForRegion: (region: string) => newEnv({ region, endpoint: emu.url, maxAttempts: 1 }), maxFileBytes: BOUND }
          // a dry run changes nothing, calls nothing, and announces exactly what will go
          const dry: LogoutReport = await logoutAll({ ...options, dryRun: true })()
          expect(emu.requestCount()).toBe(0)
          for (const e of entries) expect(e.check(), `dry run touched ${e.path}`).toBe(true)
          const shouldGo = entries.filter((e) => e.fate === 'go').map((e) => e.path).sort()
          expect(dry.deleted.map((d) => d.file).sort()).toEqual(shouldGo)

          const report: LogoutReport = await logoutAll(options)()
          for (const e of entries) {
            if (e.fate === 'keep') expect(e.check(), `kept ${e.path} changed or vanished`).toBe(true)
            else expect(fs.existsSync(e.path), `${e.path} should have gone`).toBe(false)
          }
          expect(report.deleted.map((d) => d.file).sort()).toEqual(shouldGo)
          // nothing else disappeared, nothing appeared (no temporary file left behind)
          const after = new Set([...walk(home), ...walk(outside)])
          expect([...before].filter((p) => !after.has(p)).sort()).toEqual(shouldGo)
          expect([...after].filter((p) => !before.has(p))).toEqual([])
          // every failure is reported, and only tokens that cannot be sent fail (the emulator is up)
          for (const e of report.errors) expect(e.operation).toBe('invalidate')
          for (const i of report.invalidated) seen.add(i.outcome)
          for (const d of report.deleted) seen.add(d.kind === 'token' ? d.invalidation : 'credentials')
          for (const k of report.kept) seen.add(k.reason)
          went += shouldGo.length
          kept += entries.length - shouldGo.length
        } finally {
          await emu.close()
          fs.rmSync(home, { recursive: true, force: true })
          fs.rmSync(outside, { recursive: true, force: true })
        }
      }),
      { numRuns: 100 }
    )
    // the generators reach both fates often, and every outcome and reason
    expect(went).toBeGreaterThan(20)
    expect(kept).toBeGreaterThan(20)
    for (const x of [
      'LoggedOut',
      'AlreadyInvalid',
      'NoRegion',
      'InvalidToken',
      'credentials',
      'Symlink',
      'NotAFile',
      'TooLarge',
      'NotText',
      'NotJson',
      'NotAnObject',
      'NotAToken',
      'MalformedToken',
      'NotSSOCredentials',
      'InvalidationFailed'
    ]) {
      expect(seen, x).toContain(x)
    }
  }, 60_000)

  it('readToken / readCachedCredentials / readBounded on arbitrary contents: a Left or a Right, never more than the bound', async () => {
    const dir = path.join(root, 'reads')
    fs.mkdirSync(dir, { recursive: true })
    let i = 0
    await fc.assert(
      fc.asyncProperty(fc.oneof(fileContent(tokenObject), fileContent(credsObject)), async (content) => {
        const file = path.join(dir, `f${i++}.json`)
        fs.writeFileSync(file, content)
        for (const r of [
          await readToken(file, { maxBytes: BOUND })(),
          await readCachedCredentials(file, { maxBytes: BOUND })(),
          await readToken(file)(),
          await readBounded(file, { maxBytes: BOUND })()
        ]) {
          expect(isEither(r)).toBe(true)
        }
        const b = await readBounded(file, { maxBytes: BOUND })()
        if (content.length > BOUND) expect(b).toEqual({ _tag: 'Left', left: { _tag: 'TooLarge', limit: BOUND } })
        else if (b._tag === 'Right') expect(Buffer.byteLength(b.right)).toBeLessThanOrEqual(content.length)
        expect(fs.readFileSync(file).equals(content)).toBe(true)
        fs.unlinkSync(file)
      }),
      { numRuns: 300 }
    )
  })

  it('huge files: read at most up to the bound, and kept', async () => {
    const home = path.join(root, 'huge')
    const tokens = cache.tokenCacheDir(home)
    const creds = cache.credentialCacheDir(home)
    fs.mkdirSync(tokens, { recursive: true })
    fs.mkdirSync(creds, { recursive: true })
    const token = JSON.stringify({ startUrl: 'https://x/start', region: 'us-east-1', accessToken: 'huge-token', expiresAt: '2999-01-01T00:00:00Z' })
    // a valid SSO token padded with blanks (still valid JSON) one byte over the default bound
    const justOver = path.join(tokens, 'just-over.json')
    fs.writeFileSync(justOver, padTo(token, DEFAULT_MAX_FILE_BYTES + 1))
    const atBound = path.join(tokens, 'at-bound.json')
    fs.writeFileSync(atBound, padTo(token, DEFAULT_MAX_FILE_BYTES))
    // sparse files of 3 GiB: reading one whole would take seconds and gigabytes
    const sparse = path.join(tokens, 'sparse.json')
    fs.writeFileSync(sparse, token)
    fs.truncateSync(sparse, 3 * 1024 ** 3)
    const sparseCreds = path.join(creds, 'sparse.json')
    fs.writeFileSync(sparseCreds, JSON.stringify({ ProviderType: 'sso', Credentials: {} }))
    fs.truncateSync(sparseCreds, 3 * 1024 ** 3)

    // count the bytes read from each file through any FileHandle
    const probe = await fsp.open(atBound, 'r')
    const proto = Object.getPrototypeOf(probe) as { read: (...args: Array<unknown>) => Promise<{ bytesRead: number }> }
    await probe.close()
    const original = proto.read
    const bytesRead = new Map<string, number>()
    proto.read = async function (this: { fd: number }, ...args: Array<unknown>) {
      let p = `fd:${this.fd}`
      try {
        p = fs.readlinkSync(`/proc/self/fd/${this.fd}`)
      } catch {
        // no /proc: count under the descriptor
      }
      const r = await original.apply(this, args)
      bytesRead.set(p, (bytesRead.get(p) ?? 0) + r.bytesRead)
      return r
    }
    const started = await startEmulator({ tokens: { 'huge-token': {} } })()
    if (started._tag === 'Left') throw new Error(started.left.message)
    const emu = started.right
    let report: LogoutReport
    const t0 = Date.now()
    try {
      report = await logoutAll({ homedir: home, envForRegion: (region) => newEnv({ region, endpoint: emu.url }) })()
    } finally {
      proto.read = original
      await emu.close()
    }
    const elapsed = Date.now() - t0
    try {
      expect(report.kept.map((k) => [path.basename(k.file), k.reason]).sort()).toEqual(
        [
          ['just-over.json', 'TooLarge'],
          ['sparse.json', 'TooLarge'],
          ['sparse.json', 'TooLarge']
        ].sort()
      )
      // the file at the bound is read whole, and is a token: logged out, deleted
      expect(report.deleted.map((d) => path.basename(d.file))).toEqual(['at-bound.json'])
      expect(emu.isLoggedOut('huge-token')).toBe(true)
      expect(fs.existsSync(atBound)).toBe(false)
      expect(fs.statSync(justOver).size).toBe(DEFAULT_MAX_FILE_BYTES + 1)
      expect(fs.statSync(sparse).size).toBe(3 * 1024 ** 3)
      expect(fs.statSync(sparseCreds).size).toBe(3 * 1024 ** 3)
      for (const [file, n] of bytesRead) expect(n, file).toBeLessThanOrEqual(DEFAULT_MAX_FILE_BYTES + 1)
      expect(bytesRead.get(justOver) ?? 0).toBeLessThanOrEqual(DEFAULT_MAX_FILE_BYTES + 1)
      expect(bytesRead.get(sparse) ?? 0).toBeLessThanOrEqual(DEFAULT_MAX_FILE_BYTES + 1)
      expect(elapsed).toBeLessThan(10_000)
    } finally {
      fs.rmSync(home, { recursive: true, force: true })
    }
  }, 30_000)
})
