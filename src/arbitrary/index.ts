/**
 * fast-check arbitraries for the AWS SSO portal API: one factory per request and response
 * record of the service and per member, the invalid inputs the encoders refuse, and seeds
 * for the local emulator (`fp-aws/emulator`).
 *
 * Every factory takes optional constraints. A record factory takes one arbitrary per member
 * (to replace the default one), `requiredKeys` and `absentKeys` (which `Option` members are
 * always `Some` or always `None`) and, for a list, `minItems` / `maxItems`. Constraints that
 * cannot be met (a minimum above a maximum, a page size outside `1..100`, a key both
 * required and absent) throw a `RangeError` when the arbitrary is built, as fast-check does.
 *
 * By default every value is valid: a request encodes (`encodeLogout`, …) to an HTTP request,
 * and every record goes through its codec and back. Secrets (access tokens, secret keys,
 * session tokens) are generated as plain strings and stored `Sensitive`, as the records
 * keep them.
 *
 * fast-check is an optional peer dependency of fp-aws (version 3 or 4): install it to use
 * this module. Only the API common to both versions is used.
 *
 * @since 0.1.0
 */
import fc from 'fast-check'
import type { Arbitrary } from 'fast-check'
import * as O from 'fp-ts/lib/Option.js'
import type { Option } from 'fp-ts/lib/Option.js'
import { sensitive } from '../core/Sensitive.js'
import type { AccountSeed, TokenSeed } from '../emulator/operations.js'
import type { GetRoleCredentials, GetRoleCredentialsResponse } from '../services/sso/GetRoleCredentials.js'
import type { ListAccountRoles, ListAccountRolesResponse } from '../services/sso/ListAccountRoles.js'
import type { ListAccounts, ListAccountsResponse } from '../services/sso/ListAccounts.js'
import { newLogoutResponse, type Logout, type LogoutResponse } from '../services/sso/Logout.js'
import type { AccountInfo, RoleCredentials, RoleInfo } from '../services/sso/Types.js'

// -------------------------------------------------------------------------------------
// constraints
// -------------------------------------------------------------------------------------

/**
 * Bounds on the length of a generated string, in code points (both inclusive).
 *
 * @example
 * import fc from 'fast-check'
 * import { nextToken, type StringConstraints } from 'fp-aws/arbitrary'
 *
 * const c: StringConstraints = { minLength: 2, maxLength: 4 }
 * for (const t of fc.sample(nextToken(c), 20)) assert.ok([...t].length >= 2 && [...t].length <= 4)
 *
 * @category constraints
 * @since 0.1.0
 */
export interface StringConstraints {
  readonly minLength?: number
  readonly maxLength?: number
}

/**
 * Which characters an access token is made of. Every charset gives only valid tokens (not
 * empty, no leading or trailing space or tab):
 *
 * - `header` (the default): every character an HTTP header value may hold: visible ASCII,
 *   space and tab inside, and the Latin-1 bytes U+0080..U+00FF.
 * - `ascii`: visible ASCII, and space inside.
 * - `b64token`: the bearer token characters of RFC 6750 (`A-Z a-z 0-9 - . _ ~ + /`).
 *
 * @example
 * import type { TokenCharset } from 'fp-aws/arbitrary'
 *
 * const charsets: ReadonlyArray<TokenCharset> = ['header', 'ascii', 'b64token']
 * assert.strictEqual(charsets.length, 3)
 *
 * @category constraints
 * @since 0.1.0
 */
export type TokenCharset = 'header' | 'ascii' | 'b64token'

/**
 * Constraints on an access token: its length (default `1..64`, the minimum at least 1) and
 * its {@link TokenCharset} (default `header`).
 *
 * @example
 * import fc from 'fast-check'
 * import { accessToken, type AccessTokenConstraints } from 'fp-aws/arbitrary'
 *
 * const c: AccessTokenConstraints = { minLength: 16, maxLength: 16, charset: 'b64token' }
 * for (const t of fc.sample(accessToken(c), 20)) assert.ok(/^[A-Za-z0-9\-._~+/]{16}$/.test(t))
 *
 * @category constraints
 * @since 0.1.0
 */
export interface AccessTokenConstraints extends StringConstraints {
  readonly charset?: TokenCharset
}

/**
 * The shape of an identifier (`accountId`, `roleName`):
 *
 * - `aws` (the default): what AWS issues: a 12-digit account id, an IAM role name
 *   (`[A-Za-z0-9+=,.@_-]{1,64}`).
 * - `any`: any non-empty string the query string can carry: reserved characters, white
 *   space, control characters and unicode included (see {@link queryValue}).
 *
 * @example
 * import fc from 'fast-check'
 * import { accountId, type IdConstraints } from 'fp-aws/arbitrary'
 *
 * const c: IdConstraints = { kind: 'aws' }
 * for (const id of fc.sample(accountId(c), 20)) assert.ok(/^\d{12}$/.test(id))
 *
 * @category constraints
 * @since 0.1.0
 */
export interface IdConstraints {
  readonly kind?: 'aws' | 'any'
}

/**
 * Bounds on a generated integer (both inclusive).
 *
 * @example
 * import fc from 'fast-check'
 * import { maxResults, type RangeConstraints } from 'fp-aws/arbitrary'
 *
 * const c: RangeConstraints = { min: 1, max: 3 }
 * for (const n of fc.sample(maxResults(c), 20)) assert.ok(n >= 1 && n <= 3)
 *
 * @category constraints
 * @since 0.1.0
 */
export interface RangeConstraints {
  readonly min?: number
  readonly max?: number
}

/**
 * Which `Option` members of a record are always present (`Some`) and which always absent
 * (`None`); the others are either. A key may not be in both lists.
 *
 * @example
 * import fc from 'fast-check'
 * import * as O from 'fp-ts/lib/Option.js'
 * import { accountInfo, type Presence } from 'fp-aws/arbitrary'
 *
 * const c: Presence<'accountId' | 'accountName' | 'emailAddress'> = { requiredKeys: ['accountId'], absentKeys: ['emailAddress'] }
 * for (const a of fc.sample(accountInfo(c), 20)) assert.ok(O.isSome(a.accountId) && O.isNone(a.emailAddress))
 *
 * @category constraints
 * @since 0.1.0
 */
export interface Presence<K extends string> {
  readonly requiredKeys?: ReadonlyArray<K>
  readonly absentKeys?: ReadonlyArray<K>
}

/**
 * Bounds on the length of a generated list.
 *
 * @example
 * import fc from 'fast-check'
 * import { listAccountsResponse, type ListConstraints } from 'fp-aws/arbitrary'
 *
 * const c: ListConstraints = { minItems: 1, maxItems: 2 }
 * for (const rs of fc.sample(listAccountsResponse(c), 20)) assert.ok(rs.accountList.length >= 1 && rs.accountList.length <= 2)
 *
 * @category constraints
 * @since 0.1.0
 */
export interface ListConstraints {
  readonly minItems?: number
  readonly maxItems?: number
}

/**
 * Constraints of {@link logout}.
 *
 * @example
 * import fc from 'fast-check'
 * import { accessToken, logout, type LogoutConstraints } from 'fp-aws/arbitrary'
 * import { logout_accessToken } from 'fp-aws/sso'
 *
 * const c: LogoutConstraints = { accessToken: accessToken({ charset: 'b64token', minLength: 8 }) }
 * for (const rq of fc.sample(logout(c), 10)) assert.ok(logout_accessToken.get(rq).length >= 8)
 *
 * @category constraints
 * @since 0.1.0
 */
export interface LogoutConstraints {
  /** The token, in the clear (default {@link accessToken}). */
  readonly accessToken?: Arbitrary<string>
}

/**
 * Constraints of {@link getRoleCredentials}.
 *
 * @example
 * import fc from 'fast-check'
 * import { getRoleCredentials, type GetRoleCredentialsConstraints } from 'fp-aws/arbitrary'
 *
 * const c: GetRoleCredentialsConstraints = { roleName: fc.constant('ReadOnly') }
 * for (const rq of fc.sample(getRoleCredentials(c), 10)) assert.strictEqual(rq.roleName, 'ReadOnly')
 *
 * @category constraints
 * @since 0.1.0
 */
export interface GetRoleCredentialsConstraints {
  /** Default {@link roleName}. */
  readonly roleName?: Arbitrary<string>
  /** Default {@link accountId}. */
  readonly accountId?: Arbitrary<string>
  /** The token, in the clear (default {@link accessToken}). */
  readonly accessToken?: Arbitrary<string>
}

/**
 * Constraints of {@link roleCredentials}.
 *
 * @example
 * import fc from 'fast-check'
 * import * as O from 'fp-ts/lib/Option.js'
 * import { roleCredentials, type RoleCredentialsConstraints } from 'fp-aws/arbitrary'
 *
 * const c: RoleCredentialsConstraints = { requiredKeys: ['accessKeyId', 'secretAccessKey', 'sessionToken'] }
 * for (const rc of fc.sample(roleCredentials(c), 10)) assert.ok(O.isSome(rc.sessionToken))
 *
 * @category constraints
 * @since 0.1.0
 */
export interface RoleCredentialsConstraints extends Presence<'accessKeyId' | 'secretAccessKey' | 'sessionToken'> {
  /** Default {@link accessKeyId}. */
  readonly accessKeyId?: Arbitrary<string>
  /** In the clear (default {@link secretAccessKey}). */
  readonly secretAccessKey?: Arbitrary<string>
  /** In the clear (default {@link sessionToken}). */
  readonly sessionToken?: Arbitrary<string>
  /** Epoch milliseconds (default {@link expiration}). */
  readonly expiration?: Arbitrary<number>
}

/**
 * Constraints of {@link getRoleCredentialsResponse}.
 *
 * @example
 * import fc from 'fast-check'
 * import * as O from 'fp-ts/lib/Option.js'
 * import { getRoleCredentialsResponse, type GetRoleCredentialsResponseConstraints } from 'fp-aws/arbitrary'
 *
 * const c: GetRoleCredentialsResponseConstraints = { requiredKeys: ['roleCredentials'] }
 * for (const rs of fc.sample(getRoleCredentialsResponse(c), 10)) assert.ok(O.isSome(rs.roleCredentials))
 *
 * @category constraints
 * @since 0.1.0
 */
export interface GetRoleCredentialsResponseConstraints extends Presence<'roleCredentials'> {
  /** Default {@link roleCredentials}. */
  readonly roleCredentials?: Arbitrary<RoleCredentials>
}

/**
 * Constraints of {@link listAccounts}.
 *
 * @example
 * import fc from 'fast-check'
 * import * as O from 'fp-ts/lib/Option.js'
 * import { listAccounts, type ListAccountsConstraints } from 'fp-aws/arbitrary'
 *
 * // a first page
 * const c: ListAccountsConstraints = { absentKeys: ['nextToken'] }
 * for (const rq of fc.sample(listAccounts(c), 10)) assert.ok(O.isNone(rq.nextToken))
 *
 * @category constraints
 * @since 0.1.0
 */
export interface ListAccountsConstraints extends Presence<'nextToken' | 'maxResults'> {
  /** The token, in the clear (default {@link accessToken}). */
  readonly accessToken?: Arbitrary<string>
  /** Default {@link nextToken}. */
  readonly nextToken?: Arbitrary<string>
  /** Default {@link maxResults}. */
  readonly maxResults?: Arbitrary<number>
}

/**
 * Constraints of {@link listAccountsResponse}.
 *
 * @example
 * import fc from 'fast-check'
 * import * as O from 'fp-ts/lib/Option.js'
 * import { listAccountsResponse, type ListAccountsResponseConstraints } from 'fp-aws/arbitrary'
 *
 * // a last page
 * const c: ListAccountsResponseConstraints = { absentKeys: ['nextToken'] }
 * for (const rs of fc.sample(listAccountsResponse(c), 10)) assert.ok(O.isNone(rs.nextToken))
 *
 * @category constraints
 * @since 0.1.0
 */
export interface ListAccountsResponseConstraints extends Presence<'nextToken'>, ListConstraints {
  /** Default {@link nextToken}. */
  readonly nextToken?: Arbitrary<string>
  /** The items (default {@link accountInfo}). */
  readonly accountInfo?: Arbitrary<AccountInfo>
}

/**
 * Constraints of {@link accountInfo}.
 *
 * @example
 * import fc from 'fast-check'
 * import * as O from 'fp-ts/lib/Option.js'
 * import { accountInfo, type AccountInfoConstraints } from 'fp-aws/arbitrary'
 *
 * const c: AccountInfoConstraints = { accountName: fc.constant('Dev'), requiredKeys: ['accountName'] }
 * for (const a of fc.sample(accountInfo(c), 10)) assert.deepStrictEqual(a.accountName, O.some('Dev'))
 *
 * @category constraints
 * @since 0.1.0
 */
export interface AccountInfoConstraints extends Presence<'accountId' | 'accountName' | 'emailAddress'> {
  /** Default {@link accountId}. */
  readonly accountId?: Arbitrary<string>
  /** Default {@link accountName}. */
  readonly accountName?: Arbitrary<string>
  /** Default {@link emailAddress}. */
  readonly emailAddress?: Arbitrary<string>
}

/**
 * Constraints of {@link listAccountRoles}.
 *
 * @example
 * import fc from 'fast-check'
 * import * as O from 'fp-ts/lib/Option.js'
 * import { listAccountRoles, maxResults, type ListAccountRolesConstraints } from 'fp-aws/arbitrary'
 *
 * const c: ListAccountRolesConstraints = { maxResults: maxResults({ max: 5 }), requiredKeys: ['maxResults'] }
 * for (const rq of fc.sample(listAccountRoles(c), 10)) assert.ok(O.isSome(rq.maxResults) && rq.maxResults.value <= 5)
 *
 * @category constraints
 * @since 0.1.0
 */
export interface ListAccountRolesConstraints extends Presence<'nextToken' | 'maxResults'> {
  /** The token, in the clear (default {@link accessToken}). */
  readonly accessToken?: Arbitrary<string>
  /** Default {@link accountId}. */
  readonly accountId?: Arbitrary<string>
  /** Default {@link nextToken}. */
  readonly nextToken?: Arbitrary<string>
  /** Default {@link maxResults}. */
  readonly maxResults?: Arbitrary<number>
}

/**
 * Constraints of {@link listAccountRolesResponse}.
 *
 * @example
 * import fc from 'fast-check'
 * import { listAccountRolesResponse, type ListAccountRolesResponseConstraints } from 'fp-aws/arbitrary'
 *
 * const c: ListAccountRolesResponseConstraints = { maxItems: 0 }
 * for (const rs of fc.sample(listAccountRolesResponse(c), 10)) assert.deepStrictEqual(rs.roleList, [])
 *
 * @category constraints
 * @since 0.1.0
 */
export interface ListAccountRolesResponseConstraints extends Presence<'nextToken'>, ListConstraints {
  /** Default {@link nextToken}. */
  readonly nextToken?: Arbitrary<string>
  /** The items (default {@link roleInfo}). */
  readonly roleInfo?: Arbitrary<RoleInfo>
}

/**
 * Constraints of {@link roleInfo}.
 *
 * @example
 * import fc from 'fast-check'
 * import * as O from 'fp-ts/lib/Option.js'
 * import { roleInfo, type RoleInfoConstraints } from 'fp-aws/arbitrary'
 *
 * const c: RoleInfoConstraints = { requiredKeys: ['roleName', 'accountId'] }
 * for (const r of fc.sample(roleInfo(c), 10)) assert.ok(O.isSome(r.roleName) && O.isSome(r.accountId))
 *
 * @category constraints
 * @since 0.1.0
 */
export interface RoleInfoConstraints extends Presence<'roleName' | 'accountId'> {
  /** Default {@link roleName}. */
  readonly roleName?: Arbitrary<string>
  /** Default {@link accountId}. */
  readonly accountId?: Arbitrary<string>
}

/**
 * Constraints of {@link seed}. Accounts are drawn from a pool shared by the tokens (so two
 * tokens may see the same account, with different roles), and roles from a pool shared by
 * the accounts.
 *
 * @example
 * import fc from 'fast-check'
 * import { seed, type SeedConstraints } from 'fp-aws/arbitrary'
 *
 * const c: SeedConstraints = { minTokens: 2, maxTokens: 2, minAccounts: 1 }
 * for (const s of fc.sample(seed(c), 10)) {
 *   assert.strictEqual(Object.keys(s).length, 2)
 *   for (const t of Object.values(s)) assert.ok((t.accounts ?? []).length >= 1)
 * }
 *
 * @category constraints
 * @since 0.1.0
 */
export interface SeedConstraints {
  /** How many tokens (default `1..3`). */
  readonly minTokens?: number
  readonly maxTokens?: number
  /** How many accounts each token sees (default `0..4`). */
  readonly minAccounts?: number
  readonly maxAccounts?: number
  /** How many roles each token has in each of its accounts (default `0..3`). */
  readonly minRoles?: number
  readonly maxRoles?: number
  /** The tokens (default {@link accessToken}); duplicates are dropped. */
  readonly accessToken?: Arbitrary<string>
  /** Default {@link accountId}; must be non-empty. */
  readonly accountId?: Arbitrary<string>
  /** Default {@link accountName}; must be non-empty. */
  readonly accountName?: Arbitrary<string>
  /** Default {@link emailAddress}; must be non-empty. */
  readonly emailAddress?: Arbitrary<string>
  /** Default {@link roleName}; must be non-empty. */
  readonly roleName?: Arbitrary<string>
}

// -------------------------------------------------------------------------------------
// internals
// -------------------------------------------------------------------------------------

const chars = (from: number, to: number): ReadonlyArray<string> =>
  Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i))

const DIGITS = chars(0x30, 0x39)
const UPPER = chars(0x41, 0x5a)
const ALNUM = [...DIGITS, ...UPPER, ...chars(0x61, 0x7a)]
/** Visible ASCII that is not a letter or a digit. */
const PUNCT = chars(0x21, 0x7e).filter((c) => !ALNUM.includes(c))
const LATIN1 = chars(0x80, 0xff)
const B64TOKEN = [...ALNUM, '-', '.', '_', '~', '+', '/']
const BASE64 = [...ALNUM, '+', '/']
const IAM_NAME = [...ALNUM, '+', '=', ',', '.', '@', '_', '-']

const alnum = fc.constantFrom(...ALNUM)

const stringOf = (char: Arbitrary<string>, minLength: number, maxLength: number): Arbitrary<string> =>
  fc.array(char, { minLength, maxLength }).map((cs) => cs.join(''))

const isInt = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n)

/**
 * Checked bounds: integers with `lo <= min <= max <= hi`. A missing max is at least the min,
 * a missing min at most the max (`sessionToken({ maxLength: 8 })` is fine).
 */
const bounds = (
  what: string,
  min: number | undefined,
  max: number | undefined,
  defMin: number,
  defMax: number,
  lo: number,
  hi: number = Number.MAX_SAFE_INTEGER
): readonly [number, number] => {
  const a = min ?? (max === undefined ? defMin : Math.max(lo, Math.min(defMin, max)))
  const b = max ?? Math.max(defMax, a)
  if (!isInt(a) || !isInt(b) || a < lo || b > hi || a > b) {
    throw new RangeError(
      `fp-aws/arbitrary: ${what} must be integers with ${lo} <= min <= max${hi === Number.MAX_SAFE_INTEGER ? '' : ` <= ${hi}`}`
    )
  }
  return [a, b]
}

/** A code point in `min..max`, skipping the surrogates, as a string. */
const codePoint = (min: number, max: number): Arbitrary<string> => {
  const gap = max >= 0xdfff && min <= 0xd800 ? 0x800 : 0
  return fc.integer({ min, max: max - gap }).map((n) => String.fromCodePoint(gap !== 0 && n >= 0xd800 ? n + gap : n))
}

/** Text without control characters: mostly ASCII, some non-ASCII BMP and astral characters (emoji). */
const textChar = fc.oneof(
  { arbitrary: alnum, weight: 6 },
  { arbitrary: fc.constantFrom(' ', ...PUNCT), weight: 2 },
  { arbitrary: codePoint(0xa0, 0xfffd), weight: 2 },
  { arbitrary: codePoint(0x10000, 0x10ffff), weight: 1 }
)

/** Any code point but a lone surrogate (noncharacters and private use included), mostly printable. */
const queryChar = fc.oneof(
  { arbitrary: textChar, weight: 10 },
  { arbitrary: codePoint(0x00, 0x9f), weight: 1 },
  { arbitrary: codePoint(0x00, 0x10ffff), weight: 1 }
)

const tokenChar: Readonly<Record<TokenCharset, Arbitrary<string>>> = {
  b64token: fc.constantFrom(...B64TOKEN),
  ascii: fc.oneof(
    { arbitrary: alnum, weight: 8 },
    { arbitrary: fc.constantFrom(...PUNCT), weight: 2 },
    { arbitrary: fc.constant(' '), weight: 1 }
  ),
  header: fc.oneof(
    { arbitrary: alnum, weight: 8 },
    { arbitrary: fc.constantFrom(...PUNCT), weight: 2 },
    { arbitrary: fc.constantFrom(' ', '\t'), weight: 1 },
    { arbitrary: fc.constantFrom(...LATIN1), weight: 1 }
  )
}

/** HTTP strips space and tab around a header value: a token must not start or end with one. */
const EDGE: Readonly<Record<string, string>> = { ' ': '_', '\t': '-' }
const fixEdges = (s: string): string => {
  if (s.length === 0) return s
  const first = EDGE[s.charAt(0)] ?? s.charAt(0)
  if (s.length === 1) return first
  const last = EDGE[s.charAt(s.length - 1)] ?? s.charAt(s.length - 1)
  return first + s.slice(1, -1) + last
}

type Keys<K extends string> = { readonly required: ReadonlySet<K>; readonly absent: ReadonlySet<K> }

const presence = <K extends string>(what: string, p: Presence<K>): Keys<K> => {
  const required = new Set(p.requiredKeys ?? [])
  const absent = new Set(p.absentKeys ?? [])
  for (const k of required) {
    if (absent.has(k)) throw new RangeError(`fp-aws/arbitrary: ${what}: '${k}' cannot be both required and absent`)
  }
  return { required, absent }
}

/** An `Option` member: always `Some` if required, always `None` if absent, else either. */
const optional = <K extends string, A>(keys: Keys<K>, key: K, arb: Arbitrary<A>): Arbitrary<Option<A>> => {
  const some = arb.map((a): Option<A> => O.some(a))
  if (keys.required.has(key)) return some
  if (keys.absent.has(key)) return fc.constant<Option<A>>(O.none)
  return fc.option<Option<A>, Option<A>>(some, { nil: O.none })
}

const items = <A>(what: string, arb: Arbitrary<A>, c: ListConstraints): Arbitrary<ReadonlyArray<A>> => {
  const [minLength, maxLength] = bounds(`${what} minItems / maxItems`, c.minItems, c.maxItems, 0, 5, 0)
  return fc.array(arb, { minLength, maxLength })
}

// -------------------------------------------------------------------------------------
// primitives
// -------------------------------------------------------------------------------------

/**
 * A valid access token: not empty, only characters an HTTP header value may hold, no
 * leading or trailing white space, so that `validateAccessToken` accepts it and every
 * request carrying it encodes.
 *
 * @example
 * import fc from 'fast-check'
 * import { accessToken } from 'fp-aws/arbitrary'
 * import { validateAccessToken } from 'fp-aws/sso'
 *
 * fc.assert(fc.property(accessToken({ maxLength: 32 }), (t) => validateAccessToken(t)._tag === 'Right' && t.length <= 32))
 *
 * @category primitives
 * @since 0.1.0
 */
export const accessToken = (c: AccessTokenConstraints = {}): Arbitrary<string> => {
  const [min, max] = bounds('accessToken minLength / maxLength', c.minLength, c.maxLength, 1, 64, 1)
  const charset = c.charset ?? 'header'
  const char = tokenChar[charset]
  if (char === undefined) throw new RangeError(`fp-aws/arbitrary: unknown token charset '${String(charset)}'`)
  return stringOf(char, min, max).map(fixEdges)
}

const controlChar = fc.oneof(
  { arbitrary: fc.constantFrom('\r', '\n', '\r\n', '\u0000'), weight: 3 },
  { arbitrary: fc.constantFrom(...chars(0x00, 0x08), ...chars(0x0a, 0x1f), '\u007f'), weight: 2 }
)
/** A UTF-16 code unit in `min..max` (a surrogate alone, here). */
const codeUnit = (min: number, max: number): Arbitrary<string> =>
  fc.integer({ min, max }).map((n) => String.fromCharCode(n))
const loneSurrogate = fc.oneof(codeUnit(0xd800, 0xdbff), codeUnit(0xdc00, 0xdfff))
const aboveLatin1 = fc.oneof(codePoint(0x100, 0xfffd), codePoint(0x10000, 0x10ffff), loneSurrogate)
const tokenPart = stringOf(tokenChar.header, 0, 12)
const edgeSpace = stringOf(fc.constantFrom(' ', '\t'), 1, 3)

/**
 * An access token `validateAccessToken` refuses (so that no request carrying it is ever
 * sent): the empty string, or one holding a control character (CR, LF, CR LF, NUL, …, DEL),
 * a character above U+00FF (a lone surrogate included), or leading or trailing white space.
 *
 * @example
 * import fc from 'fast-check'
 * import { invalidAccessToken } from 'fp-aws/arbitrary'
 * import { validateAccessToken } from 'fp-aws/sso'
 *
 * fc.assert(fc.property(invalidAccessToken(), (t) => validateAccessToken(t)._tag === 'Left'))
 *
 * @category primitives
 * @since 0.1.0
 */
export const invalidAccessToken = (): Arbitrary<string> =>
  fc.oneof(
    fc.constant(''),
    fc.tuple(tokenPart, controlChar, tokenPart).map(([a, x, b]) => a + x + b),
    fc.tuple(accessToken({ maxLength: 16 }), fc.constantFrom('\r\n', '\n'), fc.constantFrom('X-Injected: 1', 'Host: evil.example')).map(
      ([a, nl, h]) => a + nl + h
    ),
    fc.tuple(tokenPart, aboveLatin1, tokenPart).map(([a, x, b]) => a + x + b),
    fc.tuple(edgeSpace, accessToken({ maxLength: 16 })).map(([w, t]) => w + t),
    fc.tuple(accessToken({ maxLength: 16 }), edgeSpace).map(([t, w]) => t + w),
    edgeSpace
  )

/**
 * Any string a query parameter can carry: no lone UTF-16 surrogate (which has no UTF-8
 * form); reserved characters (`!'()*&=+/?#%`), white space, control characters and unicode
 * (emoji included) are likely. Length in code points, default `0..64`.
 *
 * @example
 * import fc from 'fast-check'
 * import { queryValue } from 'fp-aws/arbitrary'
 * import { validateQueryValue } from 'fp-aws/sso'
 *
 * fc.assert(fc.property(queryValue(), (v) => validateQueryValue('nextToken')(v)._tag === 'Right'))
 *
 * @category primitives
 * @since 0.1.0
 */
export const queryValue = (c: StringConstraints = {}): Arbitrary<string> => {
  const [min, max] = bounds('queryValue minLength / maxLength', c.minLength, c.maxLength, 0, 64, 0)
  return stringOf(queryChar, min, max)
}

/**
 * A string holding a lone UTF-16 surrogate, which cannot be percent-encoded: every query
 * member (`accountId`, `roleName`, `nextToken`) holding one is refused.
 *
 * @example
 * import fc from 'fast-check'
 * import { invalidQueryValue } from 'fp-aws/arbitrary'
 * import { validateQueryValue } from 'fp-aws/sso'
 *
 * fc.assert(fc.property(invalidQueryValue(), (v) => validateQueryValue('nextToken')(v)._tag === 'Left'))
 *
 * @category primitives
 * @since 0.1.0
 */
export const invalidQueryValue = (): Arbitrary<string> =>
  fc.tuple(queryValue({ maxLength: 8 }), loneSurrogate, queryValue({ maxLength: 8 })).map(([a, x, b]) => a + x + b)

/**
 * An AWS account id: by default 12 digits; with `kind: 'any'`, any non-empty query value.
 *
 * @example
 * import fc from 'fast-check'
 * import { accountId } from 'fp-aws/arbitrary'
 * import { validateRequired } from 'fp-aws/sso'
 *
 * fc.assert(fc.property(accountId(), (id) => /^\d{12}$/.test(id)))
 * fc.assert(fc.property(accountId({ kind: 'any' }), (id) => validateRequired('accountId')(id)._tag === 'Right'))
 *
 * @category primitives
 * @since 0.1.0
 */
export const accountId = (c: IdConstraints = {}): Arbitrary<string> =>
  c.kind === 'any' ? queryValue({ minLength: 1 }) : stringOf(fc.constantFrom(...DIGITS), 12, 12)

/**
 * A role name: by default an IAM role name (`[A-Za-z0-9+=,.@_-]{1,64}`); with
 * `kind: 'any'`, any non-empty query value.
 *
 * @example
 * import fc from 'fast-check'
 * import { roleName } from 'fp-aws/arbitrary'
 *
 * fc.assert(fc.property(roleName(), (r) => /^[\w+=,.@-]{1,64}$/.test(r)))
 *
 * @category primitives
 * @since 0.1.0
 */
export const roleName = (c: IdConstraints = {}): Arbitrary<string> =>
  c.kind === 'any'
    ? queryValue({ minLength: 1 })
    : fc.tuple(alnum, stringOf(fc.constantFrom(...IAM_NAME), 0, 63)).map(([a, rest]) => a + rest)

/**
 * An opaque page token: any query value, by default non-empty (`1..128` code points; an
 * empty token means "no next page" to the pager).
 *
 * @example
 * import fc from 'fast-check'
 * import { nextToken } from 'fp-aws/arbitrary'
 * import { validateQueryValue } from 'fp-aws/sso'
 *
 * fc.assert(fc.property(nextToken(), (t) => t.length > 0 && validateQueryValue('nextToken')(t)._tag === 'Right'))
 *
 * @category primitives
 * @since 0.1.0
 */
export const nextToken = (c: StringConstraints = {}): Arbitrary<string> => {
  const [minLength, maxLength] = bounds('nextToken minLength / maxLength', c.minLength, c.maxLength, 1, 128, 0)
  return queryValue({ minLength, maxLength })
}

/**
 * A page size: an integer in `1..100` (the model's `MaxResultType`), or in `min..max`
 * within it.
 *
 * @example
 * import fc from 'fast-check'
 * import { maxResults } from 'fp-aws/arbitrary'
 * import { validateMaxResults } from 'fp-aws/sso'
 *
 * fc.assert(fc.property(maxResults(), (n) => validateMaxResults(n)._tag === 'Right'))
 * fc.assert(fc.property(maxResults({ max: 3 }), (n) => n >= 1 && n <= 3))
 *
 * @category primitives
 * @since 0.1.0
 */
export const maxResults = (c: RangeConstraints = {}): Arbitrary<number> => {
  const [min, max] = bounds('maxResults min / max', c.min, c.max, 1, 100, 1, 100)
  return fc.integer({ min, max })
}

/**
 * A number `validateMaxResults` refuses: an integer below 1 or above 100, a fraction, `NaN`
 * or an infinity.
 *
 * @example
 * import fc from 'fast-check'
 * import { invalidMaxResults } from 'fp-aws/arbitrary'
 * import { validateMaxResults } from 'fp-aws/sso'
 *
 * fc.assert(fc.property(invalidMaxResults(), (n) => validateMaxResults(n)._tag === 'Left'))
 *
 * @category primitives
 * @since 0.1.0
 */
export const invalidMaxResults = (): Arbitrary<number> =>
  fc.oneof(
    fc.integer({ max: 0 }),
    fc.integer({ min: 101 }),
    fc.double({ min: 1, max: 100, noNaN: true }).filter((n) => !Number.isInteger(n)),
    fc.double({ noNaN: true }).filter((n) => !Number.isInteger(n)),
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0.5, 0.5, 100.5, 1e21, Number.MAX_VALUE)
  )

/**
 * An access key id as the service issues them for role credentials: `ASIA` and 16
 * upper-case letters and digits.
 *
 * @example
 * import fc from 'fast-check'
 * import { accessKeyId } from 'fp-aws/arbitrary'
 *
 * fc.assert(fc.property(accessKeyId(), (k) => /^ASIA[A-Z0-9]{16}$/.test(k)))
 *
 * @category primitives
 * @since 0.1.0
 */
export const accessKeyId = (): Arbitrary<string> =>
  stringOf(fc.constantFrom(...UPPER, ...DIGITS), 16, 16).map((s) => `ASIA${s}`)

/**
 * A secret access key: 40 base64 characters.
 *
 * @example
 * import fc from 'fast-check'
 * import { secretAccessKey } from 'fp-aws/arbitrary'
 *
 * fc.assert(fc.property(secretAccessKey(), (k) => /^[A-Za-z0-9+/]{40}$/.test(k)))
 *
 * @category primitives
 * @since 0.1.0
 */
export const secretAccessKey = (): Arbitrary<string> => stringOf(fc.constantFrom(...BASE64), 40, 40)

/**
 * A session token: base64, `16..1024` characters by default.
 *
 * @example
 * import fc from 'fast-check'
 * import { sessionToken } from 'fp-aws/arbitrary'
 *
 * fc.assert(fc.property(sessionToken({ maxLength: 64 }), (t) => /^[A-Za-z0-9+/]{16,64}$/.test(t)))
 *
 * @category primitives
 * @since 0.1.0
 */
export const sessionToken = (c: StringConstraints = {}): Arbitrary<string> => {
  const [min, max] = bounds('sessionToken minLength / maxLength', c.minLength, c.maxLength, 16, 1024, 0)
  return stringOf(fc.constantFrom(...BASE64), min, max)
}

/**
 * An expiry in epoch milliseconds: by default a safe integer in `0..8.64e15` (every one a
 * valid `Date`), or in `min..max`.
 *
 * @example
 * import fc from 'fast-check'
 * import { expiration } from 'fp-aws/arbitrary'
 *
 * fc.assert(fc.property(expiration(), (ms) => !Number.isNaN(new Date(ms).getTime())))
 *
 * @category primitives
 * @since 0.1.0
 */
export const expiration = (c: RangeConstraints = {}): Arbitrary<number> => {
  const [min, max] = bounds(
    'expiration min / max',
    c.min,
    c.max,
    0,
    8_640_000_000_000_000,
    Number.MIN_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER
  )
  return fc.integer({ min, max })
}

/**
 * An account name: non-empty text without control characters (unicode and emoji included),
 * at most 50 code points.
 *
 * @example
 * import fc from 'fast-check'
 * import { accountName } from 'fp-aws/arbitrary'
 *
 * fc.assert(fc.property(accountName(), (n) => n.length > 0 && [...n].length <= 50))
 *
 * @category primitives
 * @since 0.1.0
 */
export const accountName = (): Arbitrary<string> => stringOf(textChar, 1, 50)

/**
 * An e-mail address (fast-check's `emailAddress`).
 *
 * @example
 * import fc from 'fast-check'
 * import { emailAddress } from 'fp-aws/arbitrary'
 *
 * fc.assert(fc.property(emailAddress(), (e) => e.includes('@')))
 *
 * @category primitives
 * @since 0.1.0
 */
export const emailAddress = (): Arbitrary<string> => fc.emailAddress()

// -------------------------------------------------------------------------------------
// Logout
// -------------------------------------------------------------------------------------

/**
 * A `Logout` request (by default with a valid token, so that it encodes).
 *
 * @example
 * import fc from 'fast-check'
 * import { logout } from 'fp-aws/arbitrary'
 * import { encodeLogout, LogoutCodec, LogoutEq } from 'fp-aws/sso'
 *
 * fc.assert(
 *   fc.property(logout(), (rq) => {
 *     const back = LogoutCodec.decode(LogoutCodec.encode(rq))
 *     return encodeLogout(rq)._tag === 'Right' && back._tag === 'Right' && LogoutEq.equals(back.right, rq)
 *   })
 * )
 *
 * @category requests
 * @since 0.1.0
 */
export const logout = (c: LogoutConstraints = {}): Arbitrary<Logout> =>
  (c.accessToken ?? accessToken()).map((t): Logout => ({ accessToken: sensitive(t) }))

/**
 * A `LogoutResponse` (there is only one).
 *
 * @example
 * import fc from 'fast-check'
 * import { logoutResponse } from 'fp-aws/arbitrary'
 *
 * fc.assert(fc.property(logoutResponse(), (rs) => rs._tag === 'LogoutResponse'))
 *
 * @category responses
 * @since 0.1.0
 */
export const logoutResponse = (): Arbitrary<LogoutResponse> => fc.constant(newLogoutResponse())

// -------------------------------------------------------------------------------------
// GetRoleCredentials
// -------------------------------------------------------------------------------------

/**
 * A `GetRoleCredentials` request (by default valid, so that it encodes).
 *
 * @example
 * import fc from 'fast-check'
 * import { getRoleCredentials } from 'fp-aws/arbitrary'
 * import { encodeGetRoleCredentials } from 'fp-aws/sso'
 *
 * fc.assert(fc.property(getRoleCredentials(), (rq) => encodeGetRoleCredentials(rq)._tag === 'Right'))
 *
 * @category requests
 * @since 0.1.0
 */
export const getRoleCredentials = (c: GetRoleCredentialsConstraints = {}): Arbitrary<GetRoleCredentials> =>
  fc
    .tuple(c.roleName ?? roleName(), c.accountId ?? accountId(), c.accessToken ?? accessToken())
    .map(([r, a, t]): GetRoleCredentials => ({ roleName: r, accountId: a, accessToken: sensitive(t) }))

/**
 * `RoleCredentials`, each member present or not (the secrets `Sensitive`).
 *
 * @example
 * import fc from 'fast-check'
 * import { roleCredentials } from 'fp-aws/arbitrary'
 * import { RoleCredentialsCodec, RoleCredentialsEq } from 'fp-aws/sso'
 *
 * fc.assert(
 *   fc.property(roleCredentials(), (rc) => {
 *     const back = RoleCredentialsCodec.decode(JSON.parse(JSON.stringify(RoleCredentialsCodec.encode(rc))))
 *     return back._tag === 'Right' && RoleCredentialsEq.equals(back.right, rc)
 *   })
 * )
 *
 * @category responses
 * @since 0.1.0
 */
export const roleCredentials = (c: RoleCredentialsConstraints = {}): Arbitrary<RoleCredentials> => {
  const keys = presence('roleCredentials', c)
  return fc
    .tuple(
      optional(keys, 'accessKeyId', c.accessKeyId ?? accessKeyId()),
      optional(keys, 'secretAccessKey', (c.secretAccessKey ?? secretAccessKey()).map(sensitive)),
      optional(keys, 'sessionToken', (c.sessionToken ?? sessionToken()).map(sensitive)),
      c.expiration ?? expiration()
    )
    .map(([k, s, t, e]): RoleCredentials => ({ accessKeyId: k, secretAccessKey: s, sessionToken: t, expiration: e }))
}

/**
 * A `GetRoleCredentialsResponse`.
 *
 * @example
 * import fc from 'fast-check'
 * import { getRoleCredentialsResponse } from 'fp-aws/arbitrary'
 * import { GetRoleCredentialsResponseCodec, GetRoleCredentialsResponseEq } from 'fp-aws/sso'
 *
 * fc.assert(
 *   fc.property(getRoleCredentialsResponse(), (rs) => {
 *     const back = GetRoleCredentialsResponseCodec.decode(GetRoleCredentialsResponseCodec.encode(rs))
 *     return back._tag === 'Right' && GetRoleCredentialsResponseEq.equals(back.right, rs)
 *   })
 * )
 *
 * @category responses
 * @since 0.1.0
 */
export const getRoleCredentialsResponse = (
  c: GetRoleCredentialsResponseConstraints = {}
): Arbitrary<GetRoleCredentialsResponse> =>
  optional(presence('getRoleCredentialsResponse', c), 'roleCredentials', c.roleCredentials ?? roleCredentials()).map(
    (rc): GetRoleCredentialsResponse => ({ roleCredentials: rc })
  )

// -------------------------------------------------------------------------------------
// ListAccounts
// -------------------------------------------------------------------------------------

/**
 * A `ListAccounts` request (by default valid, so that it encodes).
 *
 * @example
 * import fc from 'fast-check'
 * import { listAccounts } from 'fp-aws/arbitrary'
 * import { encodeListAccounts } from 'fp-aws/sso'
 *
 * fc.assert(fc.property(listAccounts(), (rq) => encodeListAccounts(rq)._tag === 'Right'))
 *
 * @category requests
 * @since 0.1.0
 */
export const listAccounts = (c: ListAccountsConstraints = {}): Arbitrary<ListAccounts> => {
  const keys = presence('listAccounts', c)
  return fc
    .tuple(
      c.accessToken ?? accessToken(),
      optional(keys, 'nextToken', c.nextToken ?? nextToken()),
      optional(keys, 'maxResults', c.maxResults ?? maxResults())
    )
    .map(([t, n, m]): ListAccounts => ({ accessToken: sensitive(t), nextToken: n, maxResults: m }))
}

/**
 * An `AccountInfo`, each member present or not.
 *
 * @example
 * import fc from 'fast-check'
 * import { accountInfo } from 'fp-aws/arbitrary'
 * import { AccountInfoCodec } from 'fp-aws/sso'
 *
 * fc.assert(fc.property(accountInfo(), (a) => AccountInfoCodec.is(a)))
 *
 * @category responses
 * @since 0.1.0
 */
export const accountInfo = (c: AccountInfoConstraints = {}): Arbitrary<AccountInfo> => {
  const keys = presence('accountInfo', c)
  return fc
    .tuple(
      optional(keys, 'accountId', c.accountId ?? accountId()),
      optional(keys, 'accountName', c.accountName ?? accountName()),
      optional(keys, 'emailAddress', c.emailAddress ?? emailAddress())
    )
    .map(([i, n, e]): AccountInfo => ({ accountId: i, accountName: n, emailAddress: e }))
}

/**
 * One page of `ListAccounts` (default `0..5` accounts).
 *
 * @example
 * import fc from 'fast-check'
 * import { listAccountsResponse } from 'fp-aws/arbitrary'
 * import { ListAccountsResponseCodec, ListAccountsResponseEq } from 'fp-aws/sso'
 *
 * fc.assert(
 *   fc.property(listAccountsResponse(), (rs) => {
 *     const back = ListAccountsResponseCodec.decode(ListAccountsResponseCodec.encode(rs))
 *     return back._tag === 'Right' && ListAccountsResponseEq.equals(back.right, rs)
 *   })
 * )
 *
 * @category responses
 * @since 0.1.0
 */
export const listAccountsResponse = (c: ListAccountsResponseConstraints = {}): Arbitrary<ListAccountsResponse> =>
  fc
    .tuple(
      optional(presence('listAccountsResponse', c), 'nextToken', c.nextToken ?? nextToken()),
      items('listAccountsResponse', c.accountInfo ?? accountInfo(), c)
    )
    .map(([n, list]): ListAccountsResponse => ({ nextToken: n, accountList: list }))

// -------------------------------------------------------------------------------------
// ListAccountRoles
// -------------------------------------------------------------------------------------

/**
 * A `ListAccountRoles` request (by default valid, so that it encodes).
 *
 * @example
 * import fc from 'fast-check'
 * import { listAccountRoles } from 'fp-aws/arbitrary'
 * import { encodeListAccountRoles } from 'fp-aws/sso'
 *
 * fc.assert(fc.property(listAccountRoles(), (rq) => encodeListAccountRoles(rq)._tag === 'Right'))
 *
 * @category requests
 * @since 0.1.0
 */
export const listAccountRoles = (c: ListAccountRolesConstraints = {}): Arbitrary<ListAccountRoles> => {
  const keys = presence('listAccountRoles', c)
  return fc
    .tuple(
      c.accessToken ?? accessToken(),
      c.accountId ?? accountId(),
      optional(keys, 'nextToken', c.nextToken ?? nextToken()),
      optional(keys, 'maxResults', c.maxResults ?? maxResults())
    )
    .map(([t, a, n, m]): ListAccountRoles => ({ accessToken: sensitive(t), accountId: a, nextToken: n, maxResults: m }))
}

/**
 * A `RoleInfo`, each member present or not.
 *
 * @example
 * import fc from 'fast-check'
 * import { roleInfo } from 'fp-aws/arbitrary'
 * import { RoleInfoCodec } from 'fp-aws/sso'
 *
 * fc.assert(fc.property(roleInfo(), (r) => RoleInfoCodec.is(r)))
 *
 * @category responses
 * @since 0.1.0
 */
export const roleInfo = (c: RoleInfoConstraints = {}): Arbitrary<RoleInfo> => {
  const keys = presence('roleInfo', c)
  return fc
    .tuple(optional(keys, 'roleName', c.roleName ?? roleName()), optional(keys, 'accountId', c.accountId ?? accountId()))
    .map(([r, a]): RoleInfo => ({ roleName: r, accountId: a }))
}

/**
 * One page of `ListAccountRoles` (default `0..5` roles).
 *
 * @example
 * import fc from 'fast-check'
 * import { listAccountRolesResponse } from 'fp-aws/arbitrary'
 * import { ListAccountRolesResponseCodec, ListAccountRolesResponseEq } from 'fp-aws/sso'
 *
 * fc.assert(
 *   fc.property(listAccountRolesResponse(), (rs) => {
 *     const back = ListAccountRolesResponseCodec.decode(ListAccountRolesResponseCodec.encode(rs))
 *     return back._tag === 'Right' && ListAccountRolesResponseEq.equals(back.right, rs)
 *   })
 * )
 *
 * @category responses
 * @since 0.1.0
 */
export const listAccountRolesResponse = (
  c: ListAccountRolesResponseConstraints = {}
): Arbitrary<ListAccountRolesResponse> =>
  fc
    .tuple(
      optional(presence('listAccountRolesResponse', c), 'nextToken', c.nextToken ?? nextToken()),
      items('listAccountRolesResponse', c.roleInfo ?? roleInfo(), c)
    )
    .map(([n, list]): ListAccountRolesResponse => ({ nextToken: n, roleList: list }))

// -------------------------------------------------------------------------------------
// emulator
// -------------------------------------------------------------------------------------

type Account = Omit<AccountSeed, 'roles'>

/**
 * The `tokens` option of the emulator (`startEmulator({ tokens })`): distinct valid access
 * tokens, each assigned accounts (from a pool the tokens share, with distinct account ids)
 * and, in each, roles (distinct names, from a pool the accounts share). Every value decodes
 * with the seed-file codec (`decodeSeedFile({ tokens })`).
 *
 * @example
 * import fc from 'fast-check'
 * import { seed } from 'fp-aws/arbitrary'
 * import { decodeSeedFile } from 'fp-aws/emulator'
 *
 * fc.assert(fc.property(seed(), (tokens) => decodeSeedFile({ tokens })._tag === 'Right'))
 *
 * @category emulator
 * @since 0.1.0
 */
export const seed = (c: SeedConstraints = {}): Arbitrary<Readonly<Record<string, TokenSeed>>> => {
  const [minTokens, maxTokens] = bounds('seed minTokens / maxTokens', c.minTokens, c.maxTokens, 1, 3, 0)
  const [minAccounts, maxAccounts] = bounds('seed minAccounts / maxAccounts', c.minAccounts, c.maxAccounts, 0, 4, 0)
  const [minRoles, maxRoles] = bounds('seed minRoles / maxRoles', c.minRoles, c.maxRoles, 0, 3, 0)
  const tokens = fc.uniqueArray(c.accessToken ?? accessToken(), { minLength: minTokens, maxLength: maxTokens })
  const account = fc
    .tuple(c.accountId ?? accountId(), c.accountName ?? accountName(), c.emailAddress ?? emailAddress())
    .map(([id, name, email]): Account => ({ accountId: id, accountName: name, emailAddress: email }))
  const accountPool = fc.uniqueArray(account, {
    minLength: minAccounts,
    maxLength: maxAccounts + 2,
    selector: (a) => a.accountId
  })
  const rolePool = fc.uniqueArray(c.roleName ?? roleName(), { minLength: minRoles, maxLength: maxRoles + 2 })
  return fc.tuple(tokens, accountPool, rolePool).chain(([ts, pool, roles]) => {
    const perToken = fc.tuple(
      fc.subarray([...pool], { minLength: minAccounts, maxLength: Math.min(maxAccounts, pool.length) }),
      fc.array(fc.subarray([...roles], { minLength: minRoles, maxLength: Math.min(maxRoles, roles.length) }), {
        minLength: maxAccounts,
        maxLength: maxAccounts
      })
    )
    return fc.array(perToken, { minLength: ts.length, maxLength: ts.length }).map((assigned) =>
      Object.fromEntries(
        ts.map((t, i): [string, TokenSeed] => {
          const [accounts, roleSets] = assigned[i] ?? [[], []]
          return [t, { accounts: accounts.map((a, j): AccountSeed => ({ ...a, roles: roleSets[j] ?? [] })) }]
        })
      )
    )
  })
}
