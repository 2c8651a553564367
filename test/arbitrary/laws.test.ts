/**
 * The law suite of the SSO records, driven by the shipped arbitraries (`fp-aws/arbitrary`):
 * what the arbitraries promise, codec round trips for every codec, the lens laws for every
 * lens, the Eq laws for every Eq, and the encoding / decoding properties of every operation.
 * The completeness checks fail when a module gains a lens, a codec or an Eq this suite does
 * not cover.
 */
import { isDeepStrictEqual } from 'node:util'
import * as util from 'node:util'
import fc from 'fast-check'
import type { Eq } from 'fp-ts/lib/Eq.js'
import * as N from 'fp-ts/lib/number.js'
import * as O from 'fp-ts/lib/Option.js'
import type { Option } from 'fp-ts/lib/Option.js'
import * as RA from 'fp-ts/lib/ReadonlyArray.js'
import * as S from 'fp-ts/lib/string.js'
import * as t from 'io-ts'
import type { Lens } from 'monocle-ts/lib/Lens.js'
import { describe, expect, it } from 'vitest'
import * as A from '../../src/arbitrary/index.js'
import type { HttpRequest } from '../../src/core/Request.js'
import { pathAndQuery, revealHeaders } from '../../src/core/Request.js'
import { getEq, sensitive, type Sensitive } from '../../src/core/Sensitive.js'
import { AccountSeedC, decodeSeedFile, SeedFileC, TokenSeedC, type TokenSeed } from '../../src/emulator/index.js'
import * as sso from '../../src/services/sso/index.js'
import { codecLaws, lensLaws } from '../laws.js'

// -------------------------------------------------------------------------------------
// helpers
// -------------------------------------------------------------------------------------

/** Any string at all (invalid tokens and ids included): the laws hold for every record the types admit. */
const anyString = fc.string({ unit: 'binary', maxLength: 32 })
const opt = <X>(arb: fc.Arbitrary<X>): fc.Arbitrary<Option<X>> => fc.option(arb, { nil: undefined }).map(O.fromNullable)

/** The shipped arbitrary, and the same with every member widened to anything its type admits. */
const logoutArb = fc.oneof(A.logout(), A.logout({ accessToken: anyString }))
const getRoleCredentialsArb = fc.oneof(
  A.getRoleCredentials(),
  A.getRoleCredentials({ roleName: anyString, accountId: anyString, accessToken: anyString })
)
const roleCredentialsArb = fc.oneof(
  A.roleCredentials(),
  A.roleCredentials({ accessKeyId: anyString, secretAccessKey: anyString, sessionToken: anyString, expiration: fc.maxSafeInteger() })
)
const getRoleCredentialsResponseArb = fc.oneof(
  A.getRoleCredentialsResponse(),
  A.getRoleCredentialsResponse({ roleCredentials: roleCredentialsArb })
)
const listAccountsArb = fc.oneof(
  A.listAccounts(),
  A.listAccounts({ accessToken: anyString, nextToken: anyString, maxResults: fc.integer() })
)
const accountInfoArb = fc.oneof(A.accountInfo(), A.accountInfo({ accountId: anyString, accountName: anyString, emailAddress: anyString }))
const listAccountsResponseArb = fc.oneof(
  A.listAccountsResponse(),
  A.listAccountsResponse({ nextToken: anyString, accountInfo: accountInfoArb })
)
const listAccountRolesArb = fc.oneof(
  A.listAccountRoles(),
  A.listAccountRoles({ accessToken: anyString, accountId: anyString, nextToken: anyString, maxResults: fc.integer() })
)
const roleInfoArb = fc.oneof(A.roleInfo(), A.roleInfo({ roleName: anyString, accountId: anyString }))
const listAccountRolesResponseArb = fc.oneof(
  A.listAccountRolesResponse(),
  A.listAccountRolesResponse({ nextToken: anyString, roleInfo: roleInfoArb })
)

const OptS = O.getEq(S.Eq)
const OptN = O.getEq(N.Eq)

const sample = <X>(arb: fc.Arbitrary<X>, numRuns = 1000): ReadonlyArray<X> => fc.sample(arb, { numRuns, seed: 20240601 })

const codePoints = (s: string): number => [...s].length
const codes = (s: string): Array<number> => Array.from(s, (c) => c.charCodeAt(0))
const isPlain = (o: unknown): boolean => Object.getPrototypeOf(o) === Object.prototype

/** The decoded query of a request, through its percent-encoded form. */
const decodedQuery = (r: HttpRequest): Array<[string, string]> => [...new URL(`http://h${pathAndQuery(r)}`).searchParams]

const body = (json: unknown) => ({ status: 200, headers: {}, body: new TextEncoder().encode(JSON.stringify(json)) })

// -------------------------------------------------------------------------------------
// the arbitraries
// -------------------------------------------------------------------------------------

describe('the arbitraries keep their promises', () => {
  it('accessToken: only valid tokens, in every charset, within the lengths', () => {
    const charsets: ReadonlyArray<[A.TokenCharset | undefined, RegExp]> = [
      [undefined, /^[\t\x20-\x7e\x80-\xff]+$/],
      ['header', /^[\t\x20-\x7e\x80-\xff]+$/],
      ['ascii', /^[\x20-\x7e]+$/],
      ['b64token', /^[A-Za-z0-9\-._~+/]+$/]
    ]
    for (const [charset, re] of charsets) {
      fc.assert(
        fc.property(A.accessToken({ charset }), (tok) => {
          expect(sso.validateAccessToken(tok)).toStrictEqual({ _tag: 'Right', right: tok })
          expect(tok).toMatch(re)
          expect(tok.length).toBeGreaterThanOrEqual(1)
          expect(tok.length).toBeLessThanOrEqual(64)
        })
      )
    }
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 40 }), (min, extra) => {
        for (const tok of fc.sample(A.accessToken({ minLength: min, maxLength: min + extra }), 5)) {
          expect(tok.length).toBeGreaterThanOrEqual(min)
          expect(tok.length).toBeLessThanOrEqual(min + extra)
          expect(sso.validateAccessToken(tok)._tag).toBe('Right')
        }
      }),
      { numRuns: 30 }
    )
    // the default charset reaches the corners of the header grammar
    const seen = sample(A.accessToken({ minLength: 3 }), 2000).join('')
    for (const c of [' ', '\t', 'é', '\u00ff', '\u0080', '"', '~']) expect(seen).toContain(c)
  })

  it('invalidAccessToken: every one is refused, and every kind of fault occurs', () => {
    fc.assert(fc.property(A.invalidAccessToken(), (tok) => sso.validateAccessToken(tok)._tag === 'Left'))
    const all = sample(A.invalidAccessToken(), 3000)
    const kinds: Record<string, (s: string) => boolean> = {
      empty: (s) => s === '',
      crlf: (s) => s.includes('\r\n'),
      lf: (s) => /[^\r]\n/.test(s),
      nul: (s) => s.includes('\u0000'),
      otherControl: (s) => codes(s).some((c) => (c >= 0x01 && c <= 0x08) || (c >= 0x0b && c <= 0x1f && c !== 0x0d) || c === 0x7f),
      aboveLatin1: (s) => codes(s).some((c) => c > 0xff),
      loneSurrogate: (s) => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s),
      leadingSpace: (s) => /^[ \t]\S/.test(s),
      trailingSpace: (s) => /\S[ \t]$/.test(s)
    }
    for (const [kind, test] of Object.entries(kinds)) expect(all.some(test), kind).toBe(true)
  })

  it('queryValue / invalidQueryValue: percent-encodable or not, lengths in code points', () => {
    fc.assert(
      fc.property(A.queryValue({ minLength: 2, maxLength: 9 }), (v) => {
        expect(sso.validateQueryValue('v')(v)._tag).toBe('Right')
        expect(codePoints(v)).toBeGreaterThanOrEqual(2)
        expect(codePoints(v)).toBeLessThanOrEqual(9)
        expect(() => encodeURIComponent(v)).not.toThrow()
      })
    )
    fc.assert(fc.property(A.invalidQueryValue(), (v) => sso.validateQueryValue('v')(v)._tag === 'Left'))
    fc.assert(fc.property(A.invalidQueryValue(), (v) => sso.validateRequired('v')(v)._tag === 'Left'))
    const seen = sample(A.queryValue({ minLength: 4 }), 2000).join('')
    for (const c of [' ', '!', "'", '(', ')', '*', '&', '=', '+', '/', '?', '#', '%']) expect(seen).toContain(c)
    expect(seen).toMatch(/[\u0080-\uffff]/)
    expect(seen).toMatch(/[\uD800-\uDBFF][\uDC00-\uDFFF]/) // astral (emoji)
    expect(codes(seen).some((c) => c < 0x20)).toBe(true)
  })

  it('accountId, roleName, nextToken: the AWS shapes by default, any encodable value with kind any', () => {
    fc.assert(fc.property(A.accountId(), (id) => /^\d{12}$/.test(id)))
    fc.assert(fc.property(A.roleName(), (r) => /^[A-Za-z0-9][\w+=,.@-]{0,63}$/.test(r)))
    for (const arb of [A.accountId({ kind: 'any' }), A.roleName({ kind: 'any' }), A.nextToken()]) {
      fc.assert(fc.property(arb, (v) => sso.validateRequired('v')(v)._tag === 'Right'))
    }
    expect(sample(A.nextToken({ minLength: 0 })).some((v) => v === '')).toBe(true)
  })

  it('maxResults / invalidMaxResults', () => {
    fc.assert(fc.property(A.maxResults(), (n) => sso.validateMaxResults(n)._tag === 'Right'))
    fc.assert(fc.property(A.maxResults({ min: 7, max: 9 }), (n) => n >= 7 && n <= 9))
    fc.assert(fc.property(A.invalidMaxResults(), (n) => sso.validateMaxResults(n)._tag === 'Left'))
    const bad = sample(A.invalidMaxResults(), 2000)
    expect(bad.some((n) => Number.isNaN(n))).toBe(true)
    expect(bad.some((n) => Number.isInteger(n) && n <= 0)).toBe(true)
    expect(bad.some((n) => Number.isInteger(n) && n > 100)).toBe(true)
    expect(bad.some((n) => n > 1 && n < 100 && !Number.isInteger(n))).toBe(true)
  })

  it('the members of RoleCredentials and AccountInfo', () => {
    fc.assert(fc.property(A.accessKeyId(), (k) => /^ASIA[A-Z0-9]{16}$/.test(k)))
    fc.assert(fc.property(A.secretAccessKey(), (k) => /^[A-Za-z0-9+/]{40}$/.test(k)))
    fc.assert(fc.property(A.sessionToken(), (k) => /^[A-Za-z0-9+/]{16,1024}$/.test(k)))
    fc.assert(fc.property(A.sessionToken({ minLength: 0, maxLength: 3 }), (k) => k.length <= 3))
    fc.assert(fc.property(A.expiration(), (ms) => Number.isSafeInteger(ms) && ms >= 0 && !Number.isNaN(new Date(ms).getTime())))
    fc.assert(fc.property(A.expiration({ min: -5, max: 5 }), (ms) => ms >= -5 && ms <= 5))
    fc.assert(fc.property(A.accountName(), (n) => n.length > 0 && codePoints(n) <= 50 && sso.validateQueryValue('n')(n)._tag === 'Right'))
    fc.assert(fc.property(A.emailAddress(), (e) => /^[^@]+@[^@]+$/.test(e)))
  })

  it('constraints that cannot be met throw a RangeError when the arbitrary is built', () => {
    const bad: ReadonlyArray<() => unknown> = [
      () => A.accessToken({ minLength: 0 }),
      () => A.accessToken({ minLength: 5, maxLength: 4 }),
      () => A.accessToken({ maxLength: 1.5 }),
      () => A.accessToken({ charset: 'latin2' as never }),
      () => A.queryValue({ minLength: -1 }),
      () => A.nextToken({ minLength: 3, maxLength: 2 }),
      () => A.maxResults({ min: 0 }),
      () => A.maxResults({ max: 101 }),
      () => A.maxResults({ min: 50, max: 40 }),
      () => A.expiration({ max: Number.MAX_SAFE_INTEGER + 2 }),
      () => A.sessionToken({ maxLength: -1 }),
      () => A.accountInfo({ requiredKeys: ['accountId'], absentKeys: ['accountId'] }),
      () => A.listAccountsResponse({ minItems: 3, maxItems: 2 }),
      () => A.seed({ minTokens: 2, maxTokens: 1 }),
      () => A.seed({ maxRoles: -1 })
    ]
    for (const f of bad) expect(f).toThrow(RangeError)
    // a missing maximum follows a larger minimum, a missing minimum a smaller maximum
    fc.assert(fc.property(A.accessToken({ minLength: 100 }), (tok) => tok.length >= 100))
    fc.assert(fc.property(A.sessionToken({ maxLength: 8 }), (tok) => tok.length <= 8))
    fc.assert(fc.property(A.seed({ maxTokens: 0 }), (s) => Object.keys(s).length === 0))
    expect(() => A.accessToken({ maxLength: 0 })).toThrow(RangeError)
  })

  it('requiredKeys and absentKeys decide every Option member; otherwise both occur', () => {
    const cases: ReadonlyArray<[string, (p: { requiredKeys?: Array<never>; absentKeys?: Array<never> }) => fc.Arbitrary<object>, ReadonlyArray<string>]> = [
      ['roleCredentials', (p) => A.roleCredentials(p), ['accessKeyId', 'secretAccessKey', 'sessionToken']],
      ['getRoleCredentialsResponse', (p) => A.getRoleCredentialsResponse(p), ['roleCredentials']],
      ['listAccounts', (p) => A.listAccounts(p), ['nextToken', 'maxResults']],
      ['listAccountsResponse', (p) => A.listAccountsResponse(p), ['nextToken']],
      ['accountInfo', (p) => A.accountInfo(p), ['accountId', 'accountName', 'emailAddress']],
      ['listAccountRoles', (p) => A.listAccountRoles(p), ['nextToken', 'maxResults']],
      ['listAccountRolesResponse', (p) => A.listAccountRolesResponse(p), ['nextToken']],
      ['roleInfo', (p) => A.roleInfo(p), ['roleName', 'accountId']]
    ]
    const member = (o: object, k: string) => (o as Record<string, Option<unknown>>)[k] as Option<unknown>
    for (const [name, make, keys] of cases) {
      const all = keys as Array<never>
      for (const o of sample(make({ requiredKeys: all }), 100)) for (const k of keys) expect(O.isSome(member(o, k)), `${name}.${k}`).toBe(true)
      for (const o of sample(make({ absentKeys: all }), 100)) for (const k of keys) expect(O.isNone(member(o, k)), `${name}.${k}`).toBe(true)
      const free = sample(make({}), 300)
      for (const k of keys) {
        expect(free.some((o) => O.isSome(member(o, k))), `${name}.${k} some`).toBe(true)
        expect(free.some((o) => O.isNone(member(o, k))), `${name}.${k} none`).toBe(true)
      }
      for (const o of free) expect(isPlain(o), name).toBe(true)
    }
  })

  it('minItems / maxItems bound the pages', () => {
    fc.assert(fc.property(A.listAccountsResponse({ minItems: 2, maxItems: 3 }), (rs) => rs.accountList.length >= 2 && rs.accountList.length <= 3))
    fc.assert(fc.property(A.listAccountRolesResponse({ minItems: 1, maxItems: 1 }), (rs) => rs.roleList.length === 1))
    fc.assert(fc.property(A.listAccountsResponse({ maxItems: 0 }), (rs) => rs.accountList.length === 0))
  })

  it('requests keep their secrets Sensitive; member overrides are used as given', () => {
    fc.assert(
      fc.property(A.getRoleCredentials({ roleName: fc.constant('R'), accountId: fc.constant('1'), accessToken: fc.constant('T') }), (rq) => {
        expect(rq).toStrictEqual(sso.newGetRoleCredentials('R', '1', 'T'))
        expect(sso.GetRoleCredentialsEq.equals(rq, sso.newGetRoleCredentials('R', '1', 'T'))).toBe(true)
        expect(rq.accessToken._tag).toBe('Sensitive')
      })
    )
    fc.assert(fc.property(A.logout({ accessToken: fc.constant('T') }), (rq) => sso.LogoutEq.equals(rq, sso.newLogout('T'))))
    fc.assert(
      fc.property(A.roleCredentials({ requiredKeys: ['secretAccessKey', 'sessionToken'] }), (rc) => {
        expect(O.isSome(rc.secretAccessKey) && rc.secretAccessKey.value._tag).toBe('Sensitive')
        expect(O.isSome(rc.sessionToken) && rc.sessionToken.value._tag).toBe('Sensitive')
      })
    )
    expect(fc.sample(A.logoutResponse(), 3)).toStrictEqual([sso.newLogoutResponse(), sso.newLogoutResponse(), sso.newLogoutResponse()])
  })

  it('seed: distinct valid tokens, distinct accounts and roles, within the bounds, and a valid seed file', () => {
    const check = (c: A.SeedConstraints, tokens: Readonly<Record<string, TokenSeed>>) => {
      expect(decodeSeedFile({ tokens })).toStrictEqual({ _tag: 'Right', right: tokens })
      const entries = Object.entries(tokens)
      expect(entries.length).toBeGreaterThanOrEqual(c.minTokens ?? 1)
      expect(entries.length).toBeLessThanOrEqual(c.maxTokens ?? 3)
      for (const [tok, s] of entries) {
        expect(sso.validateAccessToken(tok)._tag).toBe('Right')
        const accounts = s.accounts ?? []
        expect(accounts.length).toBeGreaterThanOrEqual(c.minAccounts ?? 0)
        expect(accounts.length).toBeLessThanOrEqual(c.maxAccounts ?? 4)
        expect(new Set(accounts.map((a) => a.accountId)).size).toBe(accounts.length)
        for (const a of accounts) {
          expect(a.roles.length).toBeGreaterThanOrEqual(c.minRoles ?? 0)
          expect(a.roles.length).toBeLessThanOrEqual(c.maxRoles ?? 3)
          expect(new Set(a.roles).size).toBe(a.roles.length)
        }
      }
    }
    fc.assert(fc.property(A.seed(), (s) => check({}, s)))
    const c: A.SeedConstraints = { minTokens: 2, maxTokens: 4, minAccounts: 1, maxAccounts: 2, minRoles: 1, maxRoles: 1 }
    fc.assert(fc.property(A.seed(c), (s) => check(c, s)))
    fc.assert(fc.property(A.seed({ minTokens: 0, maxTokens: 0 }), (s) => Object.keys(s).length === 0))
    // tokens share accounts (with their own roles) often enough for a model to see it
    const shared = sample(A.seed({ minTokens: 2, minAccounts: 1 }), 300).filter((s) => {
      const ids = Object.values(s).flatMap((t) => (t.accounts ?? []).map((a) => a.accountId))
      return new Set(ids).size < ids.length
    })
    expect(shared.length).toBeGreaterThan(30)
  })
})

// -------------------------------------------------------------------------------------
// codecs
// -------------------------------------------------------------------------------------

type CodecCase = { readonly codec: t.Type<unknown, unknown, unknown>; readonly arb: fc.Arbitrary<unknown>; readonly eq: Eq<unknown> }
const codecCase = <X, Y>(codec: t.Type<X, Y, unknown>, arb: fc.Arbitrary<X>, eq: Eq<X>): CodecCase =>
  ({ codec, arb, eq }) as unknown as CodecCase

const codecs: Readonly<Record<string, CodecCase>> = {
  LogoutCodec: codecCase(sso.LogoutCodec, logoutArb, sso.LogoutEq),
  LogoutResponseCodec: codecCase(sso.LogoutResponseCodec, A.logoutResponse(), sso.LogoutResponseEq),
  GetRoleCredentialsCodec: codecCase(sso.GetRoleCredentialsCodec, getRoleCredentialsArb, sso.GetRoleCredentialsEq),
  GetRoleCredentialsResponseCodec: codecCase(sso.GetRoleCredentialsResponseCodec, getRoleCredentialsResponseArb, sso.GetRoleCredentialsResponseEq),
  RoleCredentialsCodec: codecCase(sso.RoleCredentialsCodec, roleCredentialsArb, sso.RoleCredentialsEq),
  ListAccountsCodec: codecCase(sso.ListAccountsCodec, listAccountsArb, sso.ListAccountsEq),
  ListAccountsResponseCodec: codecCase(sso.ListAccountsResponseCodec, listAccountsResponseArb, sso.ListAccountsResponseEq),
  AccountInfoCodec: codecCase(sso.AccountInfoCodec, accountInfoArb, sso.AccountInfoEq),
  ListAccountRolesCodec: codecCase(sso.ListAccountRolesCodec, listAccountRolesArb, sso.ListAccountRolesEq),
  ListAccountRolesResponseCodec: codecCase(sso.ListAccountRolesResponseCodec, listAccountRolesResponseArb, sso.ListAccountRolesResponseEq),
  RoleInfoCodec: codecCase(sso.RoleInfoCodec, roleInfoArb, sso.RoleInfoEq),
  SensitiveString: codecCase<Sensitive<string>, string>(
    sso.SensitiveString,
    fc.oneof(A.accessToken(), A.sessionToken(), anyString).map((s) => sensitive(s)),
    getEq(S.Eq)
  )
}
const seedCodecs: Readonly<Record<string, CodecCase>> = {
  SeedFileC: codecCase(SeedFileC, A.seed().map((tokens) => ({ tokens })), { equals: isDeepStrictEqual }),
  TokenSeedC: codecCase(TokenSeedC, A.seed({ minTokens: 1 }).map((s) => Object.values(s)[0] as TokenSeed), { equals: isDeepStrictEqual }),
  AccountSeedC: codecCase(
    AccountSeedC,
    A.seed({ minTokens: 1, maxTokens: 1, minAccounts: 1 }).map((s) => (Object.values(s)[0]?.accounts ?? [])[0]!),
    { equals: isDeepStrictEqual }
  )
}

describe('every codec round-trips', () => {
  it('covers every codec the SSO modules export', () => {
    const exported = Object.entries(sso as Record<string, unknown>)
      .filter(([, v]) => v instanceof t.Type)
      .map(([k]) => k)
      .sort()
    expect(Object.keys(codecs).sort()).toStrictEqual(exported)
  })

  it.each(Object.entries({ ...codecs, ...seedCodecs }))('%s: decode ∘ encode = id', (_, { codec, arb, eq }) => {
    codecLaws(codec, arb, eq)
  })

  it.each(Object.entries({ ...codecs, ...seedCodecs }))('%s: through JSON text, encode ∘ decode = id on the wire form', (_, { codec, arb }) => {
    fc.assert(
      fc.property(arb, (a) => {
        const wire = codec.encode(a)
        const back = codec.decode(JSON.parse(JSON.stringify(wire)))
        expect(back._tag).toBe('Right')
        if (back._tag === 'Right') expect(codec.encode(back.right)).toStrictEqual(wire)
        expect(codec.is(a)).toBe(true)
      })
    )
  })
})

// -------------------------------------------------------------------------------------
// lenses
// -------------------------------------------------------------------------------------

type LensCase = () => void
const lensCase =
  <S, X>(lens: Lens<S, X>, arbS: fc.Arbitrary<S>, arbA: fc.Arbitrary<X>, eqS: Eq<S>, eqA: Eq<X>): LensCase =>
  () =>
    lensLaws(lens, arbS, arbA, eqS, eqA)

const tokenOrAny = fc.oneof(A.accessToken(), A.invalidAccessToken(), anyString)
const idOrAny = fc.oneof(A.accountId(), A.accountId({ kind: 'any' }), anyString)
const roleOrAny = fc.oneof(A.roleName(), A.roleName({ kind: 'any' }), anyString)
const optNextToken = opt(fc.oneof(A.nextToken({ minLength: 0 }), anyString))
const optMaxResults = opt(fc.oneof(A.maxResults(), A.invalidMaxResults().filter((n) => !Number.isNaN(n)), fc.integer()))

const lenses: Readonly<Record<string, LensCase>> = {
  logout_accessToken: lensCase(sso.logout_accessToken, logoutArb, tokenOrAny, sso.LogoutEq, S.Eq),
  getRoleCredentials_roleName: lensCase(sso.getRoleCredentials_roleName, getRoleCredentialsArb, roleOrAny, sso.GetRoleCredentialsEq, S.Eq),
  getRoleCredentials_accountId: lensCase(sso.getRoleCredentials_accountId, getRoleCredentialsArb, idOrAny, sso.GetRoleCredentialsEq, S.Eq),
  getRoleCredentials_accessToken: lensCase(sso.getRoleCredentials_accessToken, getRoleCredentialsArb, tokenOrAny, sso.GetRoleCredentialsEq, S.Eq),
  getRoleCredentialsResponse_roleCredentials: lensCase(
    sso.getRoleCredentialsResponse_roleCredentials,
    getRoleCredentialsResponseArb,
    opt(roleCredentialsArb),
    sso.GetRoleCredentialsResponseEq,
    O.getEq(sso.RoleCredentialsEq)
  ),
  roleCredentials_accessKeyId: lensCase(sso.roleCredentials_accessKeyId, roleCredentialsArb, opt(fc.oneof(A.accessKeyId(), anyString)), sso.RoleCredentialsEq, OptS),
  roleCredentials_secretAccessKey: lensCase(
    sso.roleCredentials_secretAccessKey,
    roleCredentialsArb,
    opt(fc.oneof(A.secretAccessKey(), anyString)),
    sso.RoleCredentialsEq,
    OptS
  ),
  roleCredentials_sessionToken: lensCase(sso.roleCredentials_sessionToken, roleCredentialsArb, opt(fc.oneof(A.sessionToken(), anyString)), sso.RoleCredentialsEq, OptS),
  roleCredentials_expiration: lensCase(sso.roleCredentials_expiration, roleCredentialsArb, fc.oneof(A.expiration(), fc.maxSafeInteger()), sso.RoleCredentialsEq, N.Eq),
  listAccounts_accessToken: lensCase(sso.listAccounts_accessToken, listAccountsArb, tokenOrAny, sso.ListAccountsEq, S.Eq),
  listAccounts_nextToken: lensCase(sso.listAccounts_nextToken, listAccountsArb, optNextToken, sso.ListAccountsEq, OptS),
  listAccounts_maxResults: lensCase(sso.listAccounts_maxResults, listAccountsArb, optMaxResults, sso.ListAccountsEq, OptN),
  listAccountsResponse_nextToken: lensCase(sso.listAccountsResponse_nextToken, listAccountsResponseArb, optNextToken, sso.ListAccountsResponseEq, OptS),
  listAccountsResponse_accountList: lensCase(
    sso.listAccountsResponse_accountList,
    listAccountsResponseArb,
    fc.array(accountInfoArb, { maxLength: 5 }),
    sso.ListAccountsResponseEq,
    RA.getEq(sso.AccountInfoEq)
  ),
  accountInfo_accountId: lensCase(sso.accountInfo_accountId, accountInfoArb, opt(idOrAny), sso.AccountInfoEq, OptS),
  accountInfo_accountName: lensCase(sso.accountInfo_accountName, accountInfoArb, opt(fc.oneof(A.accountName(), anyString)), sso.AccountInfoEq, OptS),
  accountInfo_emailAddress: lensCase(sso.accountInfo_emailAddress, accountInfoArb, opt(fc.oneof(A.emailAddress(), anyString)), sso.AccountInfoEq, OptS),
  listAccountRoles_accessToken: lensCase(sso.listAccountRoles_accessToken, listAccountRolesArb, tokenOrAny, sso.ListAccountRolesEq, S.Eq),
  listAccountRoles_accountId: lensCase(sso.listAccountRoles_accountId, listAccountRolesArb, idOrAny, sso.ListAccountRolesEq, S.Eq),
  listAccountRoles_nextToken: lensCase(sso.listAccountRoles_nextToken, listAccountRolesArb, optNextToken, sso.ListAccountRolesEq, OptS),
  listAccountRoles_maxResults: lensCase(sso.listAccountRoles_maxResults, listAccountRolesArb, optMaxResults, sso.ListAccountRolesEq, OptN),
  listAccountRolesResponse_nextToken: lensCase(
    sso.listAccountRolesResponse_nextToken,
    listAccountRolesResponseArb,
    optNextToken,
    sso.ListAccountRolesResponseEq,
    OptS
  ),
  listAccountRolesResponse_roleList: lensCase(
    sso.listAccountRolesResponse_roleList,
    listAccountRolesResponseArb,
    fc.array(roleInfoArb, { maxLength: 5 }),
    sso.ListAccountRolesResponseEq,
    RA.getEq(sso.RoleInfoEq)
  ),
  roleInfo_roleName: lensCase(sso.roleInfo_roleName, roleInfoArb, opt(roleOrAny), sso.RoleInfoEq, OptS),
  roleInfo_accountId: lensCase(sso.roleInfo_accountId, roleInfoArb, opt(idOrAny), sso.RoleInfoEq, OptS)
}

describe('every lens obeys get-set, set-get and set-set', () => {
  it('covers every lens the SSO modules export', () => {
    const exported = Object.entries(sso as Record<string, unknown>)
      .filter(([, v]) => typeof v === 'object' && v !== null && typeof (v as Lens<unknown, unknown>).get === 'function' && typeof (v as Lens<unknown, unknown>).set === 'function')
      .map(([k]) => k)
      .sort()
    expect(Object.keys(lenses).sort()).toStrictEqual(exported)
  })

  it.each(Object.entries(lenses))('%s', (_, laws) => laws())
})

// -------------------------------------------------------------------------------------
// Eq
// -------------------------------------------------------------------------------------

const eqs: Readonly<Record<string, { readonly eq: Eq<unknown>; readonly codec: t.Type<unknown, unknown, unknown>; readonly arb: fc.Arbitrary<unknown> }>> = {
  LogoutEq: { ...codecs['LogoutCodec']! },
  LogoutResponseEq: { ...codecs['LogoutResponseCodec']! },
  GetRoleCredentialsEq: { ...codecs['GetRoleCredentialsCodec']! },
  GetRoleCredentialsResponseEq: { ...codecs['GetRoleCredentialsResponseCodec']! },
  RoleCredentialsEq: { ...codecs['RoleCredentialsCodec']! },
  ListAccountsEq: { ...codecs['ListAccountsCodec']! },
  ListAccountsResponseEq: { ...codecs['ListAccountsResponseCodec']! },
  AccountInfoEq: { ...codecs['AccountInfoCodec']! },
  ListAccountRolesEq: { ...codecs['ListAccountRolesCodec']! },
  ListAccountRolesResponseEq: { ...codecs['ListAccountRolesResponseCodec']! },
  RoleInfoEq: { ...codecs['RoleInfoCodec']! }
}

describe('every Eq is an equivalence, and equality of the encoded form', () => {
  it('covers every Eq the SSO modules export', () => {
    const exported = Object.keys(sso)
      .filter((k) => k.endsWith('Eq'))
      .sort()
    expect(Object.keys(eqs).sort()).toStrictEqual(exported)
  })

  it.each(Object.entries(eqs))('%s', (_, { eq, codec, arb }) => {
    fc.assert(fc.property(arb, (a) => eq.equals(a, a)))
    fc.assert(fc.property(arb, arb, (a, b) => eq.equals(a, b) === eq.equals(b, a)))
    // equal exactly when the encoded forms are (so every member counts, secrets by value)
    fc.assert(fc.property(arb, arb, (a, b) => eq.equals(a, b) === isDeepStrictEqual(codec.encode(a), codec.encode(b))))
    fc.assert(
      fc.property(arb, (a) => {
        const copy = codec.decode(JSON.parse(JSON.stringify(codec.encode(a))))
        return copy._tag === 'Right' && eq.equals(a, copy.right) && eq.equals(copy.right, a)
      })
    )
  })
})

// -------------------------------------------------------------------------------------
// encoding and decoding, per operation
// -------------------------------------------------------------------------------------

const bearer = (r: HttpRequest) => {
  expect(Object.keys(r.headers)).toStrictEqual(['x-amz-sso_bearer_token'])
  return revealHeaders(r.headers)['x-amz-sso_bearer_token']
}

/** A valid token that cannot turn up in any output by chance. */
const marked = A.accessToken({ minLength: 8, maxLength: 40, charset: 'b64token' }).map((s) => `SECRET-${s}`)

const refused = (r: ReturnType<typeof sso.encodeLogout>, operation: string, field: string, value: string) => {
  expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ValidationError', operation, field } })
  if (value.trim().length >= 6) {
    expect(JSON.stringify(r)).not.toContain(JSON.stringify(value).slice(1, -1))
    if (r._tag === 'Left') expect(r.left.message).not.toContain(value)
  }
}

describe('Logout: encoding and decoding', () => {
  it('every valid request is exactly POST /logout, no query, the bearer header, no body', () => {
    fc.assert(
      fc.property(A.logout(), (rq) => {
        const r = sso.encodeLogout(rq)
        expect(r._tag).toBe('Right')
        if (r._tag !== 'Right') return
        expect([r.right.method, r.right.path, r.right.query, r.right.body]).toStrictEqual(['POST', '/logout', [], undefined])
        expect(bearer(r.right)).toBe(sso.logout_accessToken.get(rq))
        expect(pathAndQuery(r.right)).toBe('/logout')
        expect(sso.Logout.toRequest(rq)).toStrictEqual(r)
      })
    )
  })

  it('every invalid token is refused, never echoed', () => {
    fc.assert(fc.property(A.logout({ accessToken: A.invalidAccessToken() }), (rq) => refused(sso.encodeLogout(rq), 'Logout', 'accessToken', sso.logout_accessToken.get(rq))))
  })

  it('any 2xx body is a LogoutResponse', () => {
    fc.assert(fc.property(fc.oneof(fc.json(), fc.constant('')), (text) => {
      const r = sso.Logout.parseResponse({ status: 200, headers: {}, body: new TextEncoder().encode(text) })
      return r._tag === 'Right' && sso.LogoutResponseEq.equals(r.right, sso.newLogoutResponse())
    }))
  })

  it('Show, JSON and util.inspect never show the token', () => {
    fc.assert(
      fc.property(A.logout({ accessToken: marked }), (rq) => {
        const tok = sso.logout_accessToken.get(rq)
        for (const out of [sso.LogoutShow.show(rq), JSON.stringify(rq), util.inspect(rq, { depth: 10, showHidden: true }), String(rq.accessToken)]) {
          expect(out).not.toContain(tok)
        }
      })
    )
  })
})

describe('GetRoleCredentials: encoding and decoding', () => {
  it('every valid request is exactly GET /federation/credentials?role_name&account_id, the bearer header, no body', () => {
    fc.assert(
      fc.property(
        fc.oneof(A.getRoleCredentials(), A.getRoleCredentials({ roleName: A.roleName({ kind: 'any' }), accountId: A.accountId({ kind: 'any' }) })),
        (rq) => {
          const r = sso.encodeGetRoleCredentials(rq)
          expect(r._tag).toBe('Right')
          if (r._tag !== 'Right') return
          expect([r.right.method, r.right.path, r.right.body]).toStrictEqual(['GET', '/federation/credentials', undefined])
          expect(r.right.query).toStrictEqual([
            ['role_name', rq.roleName],
            ['account_id', rq.accountId]
          ])
          expect(decodedQuery(r.right)).toStrictEqual([
            ['role_name', rq.roleName],
            ['account_id', rq.accountId]
          ])
          expect(pathAndQuery(r.right)).toMatch(/^\/federation\/credentials\?role_name=[A-Za-z0-9%\-._~]+&account_id=[A-Za-z0-9%\-._~]+$/)
          expect(bearer(r.right)).toBe(sso.getRoleCredentials_accessToken.get(rq))
          expect(sso.GetRoleCredentials.toRequest(rq)).toStrictEqual(r)
        }
      )
    )
  })

  it('an invalid token, an empty or unencodable role name or account id is refused, naming the field', () => {
    const empty = fc.constant('')
    const badId = fc.oneof(empty, A.invalidQueryValue())
    fc.assert(fc.property(A.getRoleCredentials({ accessToken: A.invalidAccessToken() }), (rq) => refused(sso.encodeGetRoleCredentials(rq), 'GetRoleCredentials', 'accessToken', sso.getRoleCredentials_accessToken.get(rq))))
    fc.assert(fc.property(A.getRoleCredentials({ roleName: badId }), (rq) => refused(sso.encodeGetRoleCredentials(rq), 'GetRoleCredentials', 'roleName', rq.roleName)))
    fc.assert(fc.property(A.getRoleCredentials({ accountId: badId }), (rq) => refused(sso.encodeGetRoleCredentials(rq), 'GetRoleCredentials', 'accountId', rq.accountId)))
  })

  it('every response the service can send is read back as it was', () => {
    fc.assert(
      fc.property(getRoleCredentialsResponseArb, (rs) => {
        const r = sso.GetRoleCredentials.parseResponse(body(sso.GetRoleCredentialsResponseCodec.encode(rs)))
        return r._tag === 'Right' && sso.GetRoleCredentialsResponseEq.equals(r.right, rs)
      })
    )
  })

  it('Show, JSON and util.inspect never show the token or the secrets', () => {
    const secret = A.secretAccessKey().map((s) => `SECRET-${s}`)
    const session = A.sessionToken({ maxLength: 64 }).map((s) => `SECRET-${s}`)
    fc.assert(
      fc.property(
        A.getRoleCredentials({ accessToken: marked }),
        A.getRoleCredentialsResponse({
          requiredKeys: ['roleCredentials'],
          roleCredentials: A.roleCredentials({ secretAccessKey: secret, sessionToken: session, requiredKeys: ['secretAccessKey', 'sessionToken'] })
        }),
        (rq, rs) => {
          const rc = O.toUndefined(rs.roleCredentials)!
          const hidden = [
            sso.getRoleCredentials_accessToken.get(rq),
            O.toUndefined(sso.roleCredentials_secretAccessKey.get(rc))!,
            O.toUndefined(sso.roleCredentials_sessionToken.get(rc))!
          ]
          const outs = [
            sso.GetRoleCredentialsShow.show(rq),
            sso.GetRoleCredentialsResponseShow.show(rs),
            sso.RoleCredentialsShow.show(rc),
            JSON.stringify([rq, rs]),
            util.inspect([rq, rs], { depth: 20, showHidden: true })
          ]
          for (const out of outs) for (const h of hidden) expect(out).not.toContain(h)
        }
      )
    )
  })
})

describe('ListAccounts: encoding, decoding and paging', () => {
  it('every valid request is exactly GET /assignment/accounts?next_token&max_result (when present), the bearer header, no body', () => {
    fc.assert(
      fc.property(fc.oneof(A.listAccounts(), A.listAccounts({ nextToken: A.nextToken({ minLength: 0 }) })), (rq) => {
        const r = sso.encodeListAccounts(rq)
        expect(r._tag).toBe('Right')
        if (r._tag !== 'Right') return
        expect([r.right.method, r.right.path, r.right.body]).toStrictEqual(['GET', '/assignment/accounts', undefined])
        const query: Array<[string, string]> = []
        if (O.isSome(rq.nextToken)) query.push(['next_token', rq.nextToken.value])
        if (O.isSome(rq.maxResults)) query.push(['max_result', String(rq.maxResults.value)])
        expect(r.right.query).toStrictEqual(query)
        expect(decodedQuery(r.right)).toStrictEqual(query)
        expect(bearer(r.right)).toBe(sso.listAccounts_accessToken.get(rq))
        expect(sso.ListAccounts.toRequest(rq)).toStrictEqual(r)
      })
    )
  })

  it('an invalid token, page size or page token is refused, naming the field', () => {
    fc.assert(fc.property(A.listAccounts({ accessToken: A.invalidAccessToken() }), (rq) => refused(sso.encodeListAccounts(rq), 'ListAccounts', 'accessToken', sso.listAccounts_accessToken.get(rq))))
    fc.assert(
      fc.property(A.listAccounts({ maxResults: A.invalidMaxResults(), requiredKeys: ['maxResults'] }), (rq) =>
        refused(sso.encodeListAccounts(rq), 'ListAccounts', 'maxResults', '')
      )
    )
    fc.assert(
      fc.property(A.listAccounts({ nextToken: A.invalidQueryValue(), requiredKeys: ['nextToken'] }), (rq) =>
        refused(sso.encodeListAccounts(rq), 'ListAccounts', 'nextToken', O.toUndefined(rq.nextToken)!)
      )
    )
  })

  it('every page the service can send is read back as it was; the pager reads its token and items', () => {
    fc.assert(
      fc.property(listAccountsResponseArb, A.listAccounts(), A.nextToken(), (rs, rq, tok) => {
        const r = sso.ListAccounts.parseResponse(body(sso.ListAccountsResponseCodec.encode(rs)))
        expect(r._tag === 'Right' && sso.ListAccountsResponseEq.equals(r.right, rs)).toBe(true)
        expect(sso.listAccountsPager.nextToken(rs)).toStrictEqual(rs.nextToken)
        expect(sso.listAccountsPager.items(rs)).toStrictEqual(rs.accountList)
        const next = sso.listAccountsPager.setNextToken(tok)(rq)
        expect(sso.ListAccountsEq.equals(next, sso.listAccounts_nextToken.set(O.some(tok))(rq))).toBe(true)
        expect(next.maxResults).toStrictEqual(rq.maxResults)
      })
    )
  })

  it('Show, JSON and util.inspect never show the token', () => {
    fc.assert(
      fc.property(A.listAccounts({ accessToken: marked }), (rq) => {
        const tok = sso.listAccounts_accessToken.get(rq)
        for (const out of [sso.ListAccountsShow.show(rq), JSON.stringify(rq), util.inspect(rq, { depth: 10, showHidden: true })]) expect(out).not.toContain(tok)
      })
    )
  })
})

describe('ListAccountRoles: encoding, decoding and paging', () => {
  it('every valid request is exactly GET /assignment/roles?next_token&max_result (when present)&account_id, the bearer header, no body', () => {
    fc.assert(
      fc.property(fc.oneof(A.listAccountRoles(), A.listAccountRoles({ accountId: A.accountId({ kind: 'any' }), nextToken: A.nextToken({ minLength: 0 }) })), (rq) => {
        const r = sso.encodeListAccountRoles(rq)
        expect(r._tag).toBe('Right')
        if (r._tag !== 'Right') return
        expect([r.right.method, r.right.path, r.right.body]).toStrictEqual(['GET', '/assignment/roles', undefined])
        const query: Array<[string, string]> = []
        if (O.isSome(rq.nextToken)) query.push(['next_token', rq.nextToken.value])
        if (O.isSome(rq.maxResults)) query.push(['max_result', String(rq.maxResults.value)])
        query.push(['account_id', rq.accountId])
        expect(r.right.query).toStrictEqual(query)
        expect(decodedQuery(r.right)).toStrictEqual(query)
        expect(bearer(r.right)).toBe(sso.listAccountRoles_accessToken.get(rq))
        expect(sso.ListAccountRoles.toRequest(rq)).toStrictEqual(r)
      })
    )
  })

  it('an invalid token, account id, page size or page token is refused, naming the field', () => {
    fc.assert(
      fc.property(A.listAccountRoles({ accessToken: A.invalidAccessToken() }), (rq) =>
        refused(sso.encodeListAccountRoles(rq), 'ListAccountRoles', 'accessToken', sso.listAccountRoles_accessToken.get(rq))
      )
    )
    fc.assert(
      fc.property(A.listAccountRoles({ accountId: fc.oneof(fc.constant(''), A.invalidQueryValue()) }), (rq) =>
        refused(sso.encodeListAccountRoles(rq), 'ListAccountRoles', 'accountId', rq.accountId)
      )
    )
    fc.assert(
      fc.property(A.listAccountRoles({ maxResults: A.invalidMaxResults(), requiredKeys: ['maxResults'] }), (rq) =>
        refused(sso.encodeListAccountRoles(rq), 'ListAccountRoles', 'maxResults', '')
      )
    )
    fc.assert(
      fc.property(A.listAccountRoles({ nextToken: A.invalidQueryValue(), requiredKeys: ['nextToken'] }), (rq) =>
        refused(sso.encodeListAccountRoles(rq), 'ListAccountRoles', 'nextToken', O.toUndefined(rq.nextToken)!)
      )
    )
  })

  it('every page the service can send is read back as it was; the pager reads its token and items', () => {
    fc.assert(
      fc.property(listAccountRolesResponseArb, A.listAccountRoles(), A.nextToken(), (rs, rq, tok) => {
        const r = sso.ListAccountRoles.parseResponse(body(sso.ListAccountRolesResponseCodec.encode(rs)))
        expect(r._tag === 'Right' && sso.ListAccountRolesResponseEq.equals(r.right, rs)).toBe(true)
        expect(sso.listAccountRolesPager.nextToken(rs)).toStrictEqual(rs.nextToken)
        expect(sso.listAccountRolesPager.items(rs)).toStrictEqual(rs.roleList)
        const next = sso.listAccountRolesPager.setNextToken(tok)(rq)
        expect(sso.ListAccountRolesEq.equals(next, sso.listAccountRoles_nextToken.set(O.some(tok))(rq))).toBe(true)
        expect([next.accountId, next.maxResults]).toStrictEqual([rq.accountId, rq.maxResults])
      })
    )
  })

  it('Show, JSON and util.inspect never show the token', () => {
    fc.assert(
      fc.property(A.listAccountRoles({ accessToken: marked }), (rq) => {
        const tok = sso.listAccountRoles_accessToken.get(rq)
        for (const out of [sso.ListAccountRolesShow.show(rq), JSON.stringify(rq), util.inspect(rq, { depth: 10, showHidden: true })]) expect(out).not.toContain(tok)
      })
    )
  })
})
