/**
 * Shapes and checks shared by the SSO operations.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as Eq from 'fp-ts/lib/Eq.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as N from 'fp-ts/lib/number.js'
import * as O from 'fp-ts/lib/Option.js'
import type { Option } from 'fp-ts/lib/Option.js'
import type { Show } from 'fp-ts/lib/Show.js'
import * as S from 'fp-ts/lib/string.js'
import * as t from 'io-ts'
import * as L from 'monocle-ts/lib/Lens.js'
import { serializeError, type SerializeError } from '../core/Error.js'
import type { HttpResponse } from '../core/Request.js'
import { getEq, getShow, reveal, sensitive, isSensitive, type Sensitive } from '../core/Sensitive.js'

/**
 * Characters allowed in an HTTP header value: tab, visible ASCII, space, and Latin-1 bytes.
 * Control characters (CR, LF, NUL, …), DEL and code points above U+00FF are not.
 */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/

/**
 * Checks an access token before it is put in a header: not empty, no character that is
 * illegal in an HTTP header value, no leading or trailing white space (which HTTP would
 * strip). The message never contains the token.
 *
 * @example
 * import { validateAccessToken } from 'fp-aws/sso/Types'
 *
 * assert.strictEqual(validateAccessToken('ok-token')._tag, 'Right')
 * assert.strictEqual(validateAccessToken('bad\r\nX-Injected: 1')._tag, 'Left')
 *
 * @category validation
 * @since 0.1.0
 */
export const validateAccessToken = (token: string): E.Either<string, string> => {
  if (typeof token !== 'string') return E.left('accessToken must be a string')
  if (token.length === 0) return E.left('accessToken must not be empty')
  if (!HEADER_VALUE.test(token))
    return E.left('accessToken contains a character that is not allowed in an HTTP header value')
  if (/^[\t ]|[\t ]$/.test(token)) return E.left('accessToken must not start or end with white space')
  return E.right(token)
}

/**
 * io-ts codec of a secret string: decodes a `string` (or an already wrapped secret) into a
 * `Sensitive<string>`; `encode` reveals it. Validation messages never contain the value.
 *
 * @category codecs
 * @since 0.1.0
 */
export const SensitiveString: t.Type<Sensitive<string>, string, unknown> = new t.Type<Sensitive<string>, string, unknown>(
  'Sensitive<string>',
  (u): u is Sensitive<string> => isSensitive(u) && typeof reveal(u) === 'string',
  (u, c) =>
    typeof u === 'string'
      ? t.success(sensitive(u))
      : isSensitive(u) && typeof reveal(u) === 'string'
        ? t.success(u as Sensitive<string>)
        : t.failure(typeof u, c, 'expected a string'),
  reveal
)

// -------------------------------------------------------------------------------------
// Validation
// -------------------------------------------------------------------------------------

/** A UTF-16 surrogate with no partner: `encodeURIComponent` cannot encode it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * Checks a string that goes into the query string: it must be a string with no lone UTF-16
 * surrogate (which has no UTF-8 form and so cannot be percent-encoded). The message names
 * the field and never contains the value.
 *
 * @example
 * import { validateQueryValue } from 'fp-aws/sso/Types'
 *
 * assert.strictEqual(validateQueryValue('nextToken')("a b!'()*é")._tag, 'Right')
 * assert.strictEqual(validateQueryValue('nextToken')('\uD800')._tag, 'Left')
 *
 * @category validation
 * @since 0.1.0
 */
export const validateQueryValue =
  (field: string) =>
  (value: string): E.Either<string, string> => {
    if (typeof field !== 'string') field = 'value'
    if (typeof value !== 'string') return E.left(`${field} must be a string`)
    if (LONE_SURROGATE.test(value)) return E.left(`${field} contains a lone UTF-16 surrogate, which cannot be encoded`)
    return E.right(value)
  }

/**
 * Checks a required string member (`roleName`, `accountId`): a non-empty string that can be
 * percent-encoded.
 *
 * @example
 * import { validateRequired } from 'fp-aws/sso/Types'
 *
 * assert.strictEqual(validateRequired('accountId')('111122223333')._tag, 'Right')
 * assert.deepStrictEqual(validateRequired('accountId')(''), { _tag: 'Left', left: 'accountId must not be empty' })
 *
 * @category validation
 * @since 0.1.0
 */
export const validateRequired =
  (field: string) =>
  (value: string): E.Either<string, string> =>
    typeof value === 'string' && value.length === 0
      ? E.left(`${typeof field === 'string' ? field : 'value'} must not be empty`)
      : validateQueryValue(field)(value)

/**
 * Checks a page size: an integer in `1..100` (the model's `MaxResultType`).
 *
 * @example
 * import { validateMaxResults } from 'fp-aws/sso/Types'
 *
 * assert.strictEqual(validateMaxResults(100)._tag, 'Right')
 * assert.strictEqual(validateMaxResults(0)._tag, 'Left')
 * assert.strictEqual(validateMaxResults(1.5)._tag, 'Left')
 *
 * @category validation
 * @since 0.1.0
 */
export const validateMaxResults = (n: number): E.Either<string, number> =>
  typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 100
    ? E.right(n)
    : E.left('maxResults must be an integer in 1..100')

// -------------------------------------------------------------------------------------
// Codec combinators
// -------------------------------------------------------------------------------------

/**
 * io-ts codec of an optional member: `undefined` and `null` decode to `None`, anything else
 * through `codec` to `Some`; `None` encodes to `undefined` (the member is then left out).
 *
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import * as t from 'io-ts'
 * import { optionFromNullable } from 'fp-aws/sso/Types'
 *
 * const c = optionFromNullable(t.string)
 * assert.deepStrictEqual(c.decode(null), { _tag: 'Right', right: O.none })
 * assert.deepStrictEqual(c.decode('a'), { _tag: 'Right', right: O.some('a') })
 * assert.strictEqual(c.encode(O.none), undefined)
 *
 * @category codecs
 * @since 0.1.0
 */
export const optionFromNullable = <A, O>(
  codec: t.Type<A, O, unknown>
): t.Type<Option<A>, O | undefined, unknown> =>
  new t.Type<Option<A>, O | undefined, unknown>(
    `Option<${codec.name}>`,
    (u): u is Option<A> =>
      typeof u === 'object' &&
      u !== null &&
      ((u as { _tag?: unknown })._tag === 'None' ||
        ((u as { _tag?: unknown })._tag === 'Some' && codec.is((u as { value?: unknown }).value))),
    (u, c) => (u === undefined || u === null ? t.success(O.none) : pipe(codec.validate(u, c), E.map(O.some))),
    (a) => (O.isSome(a) ? codec.encode(a.value) : undefined)
  )

/**
 * io-ts codec of a list member: `undefined` and `null` decode to `[]`.
 *
 * @example
 * import * as t from 'io-ts'
 * import { arrayFromNullable } from 'fp-aws/sso/Types'
 *
 * assert.deepStrictEqual(arrayFromNullable(t.string).decode(undefined), { _tag: 'Right', right: [] })
 *
 * @category codecs
 * @since 0.1.0
 */
export const arrayFromNullable = <A, O>(
  codec: t.Type<A, O, unknown>
): t.Type<ReadonlyArray<A>, ReadonlyArray<O>, unknown> => {
  const list = t.readonlyArray(codec)
  return new t.Type<ReadonlyArray<A>, ReadonlyArray<O>, unknown>(
    `ReadonlyArray<${codec.name}>`,
    list.is,
    (u, c) => (u === undefined || u === null ? t.success([]) : list.validate(u, c)),
    list.encode
  )
}

/**
 * The model's `long` with a default of `0`: `undefined` and `null` decode to `0`; otherwise a
 * safe integer.
 */
const LongDefault0 = new t.Type<number, number, unknown>(
  'Long',
  (u): u is number => typeof u === 'number' && Number.isSafeInteger(u),
  (u, c) =>
    u === undefined || u === null
      ? t.success(0)
      : typeof u === 'number' && Number.isSafeInteger(u)
        ? t.success(u)
        : t.failure(u, c, 'expected an integer'),
  (n) => n
)

/** The encoded form of a structure: a member whose encoding may be `undefined` is optional. */
type StructureOutput<P extends t.Props> = {
  readonly [K in keyof P as undefined extends t.OutputOf<P[K]> ? K : never]?: Exclude<t.OutputOf<P[K]>, undefined>
} & { readonly [K in keyof P as undefined extends t.OutputOf<P[K]> ? never : K]: t.OutputOf<P[K]> }

const dropUndefined = <O>(o: object): O => {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v
  return out as O
}

/**
 * A structure on the wire: a JSON object whose unknown members are dropped, and whose
 * encoding leaves out absent (`undefined`) members.
 */
const structure = <P extends t.Props>(
  name: string,
  props: P
): t.Type<{ readonly [K in keyof P]: t.TypeOf<P[K]> }, StructureOutput<P>, unknown> => {
  const base = t.exact(t.type(props))
  return new t.Type<{ readonly [K in keyof P]: t.TypeOf<P[K]> }, StructureOutput<P>, unknown>(
    name,
    (u): u is { readonly [K in keyof P]: t.TypeOf<P[K]> } => base.is(u),
    (u, c) => base.validate(u, c),
    (a) => dropUndefined<StructureOutput<P>>(base.encode(a))
  )
}

// -------------------------------------------------------------------------------------
// Decoding a response
// -------------------------------------------------------------------------------------

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Where a decoding failed, as member names only: never a value (it could be a secret). */
const describeErrors = (errors: t.Errors): string => {
  const first = errors[0]
  if (first === undefined) return 'unexpected shape'
  const path = first.context
    .map((c) => c.key)
    .filter((k) => k !== '')
    .join('.')
  const expected = first.context[first.context.length - 1]?.type.name ?? 'a value'
  return `${path === '' ? 'body' : path}: expected ${expected}`
}

/**
 * Reads a restJson1 response body with `codec`. The body must be well-formed UTF-8 JSON of
 * the right shape (members not in the model are ignored, `null` members are absent);
 * anything else is a `SerializeError` carrying the HTTP status. Never throws, and the error
 * message names members, never values.
 *
 * @example
 * import { decodeJsonResponse, RoleInfoCodec } from 'fp-aws/sso/Types'
 *
 * const body = new TextEncoder().encode('{"roleName":"ReadOnly","accountId":null,"extra":1}')
 * const r = decodeJsonResponse('ListAccountRoles', RoleInfoCodec)({ status: 200, headers: {}, body })
 * assert.strictEqual(r._tag, 'Right')
 * const bad = decodeJsonResponse('ListAccountRoles', RoleInfoCodec)({ status: 200, headers: {}, body: new Uint8Array() })
 * assert.ok(bad._tag === 'Left' && bad.left._tag === 'SerializeError' && bad.left.status === 200)
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodeJsonResponse =
  <A>(operation: string, codec: t.Decoder<unknown, A>) =>
  (res: HttpResponse): E.Either<SerializeError, A> => {
    try {
      return decodeChecked(typeof operation === 'string' ? operation : 'operation', codec, res)
    } catch {
      return E.left(serializeError(`${typeof operation === 'string' ? operation : 'operation'}: the response cannot be read`, 0))
    }
  }

const decodeChecked = <A>(operation: string, codec: t.Decoder<unknown, A>, res: HttpResponse): E.Either<SerializeError, A> => {
  let json: unknown
  try {
    json = JSON.parse(utf8.decode(res.body))
  } catch {
    return E.left(serializeError(`${operation}: the response body is not valid JSON`, res.status))
  }
  return pipe(
    codec.decode(json),
    E.mapLeft((errors) =>
      serializeError(`${operation}: the response body does not match the model (${describeErrors(errors)})`, res.status)
    )
  )
}

// -------------------------------------------------------------------------------------
// RoleCredentials
// -------------------------------------------------------------------------------------

/**
 * Short-term AWS credentials for a role, as `GetRoleCredentials` returns them. The secret
 * access key and the session token are `Sensitive`.
 *
 * @category model
 * @since 0.1.0
 */
export interface RoleCredentials {
  /** The access key id (`ASIA…`). */
  readonly accessKeyId: Option<string>
  /** The secret access key. */
  readonly secretAccessKey: Option<Sensitive<string>>
  /** The session token. */
  readonly sessionToken: Option<Sensitive<string>>
  /** When the credentials expire, in epoch MILLISECONDS (the model's default: `0`). */
  readonly expiration: number
}

/**
 * Creates a `RoleCredentials` with every member absent and `expiration` `0`; fill it in
 * with the lenses.
 *
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { newRoleCredentials, roleCredentials_accessKeyId } from 'fp-aws/sso'
 *
 * const rc = roleCredentials_accessKeyId.set(O.some('ASIAEXAMPLE'))(newRoleCredentials())
 * assert.deepStrictEqual(rc.accessKeyId, O.some('ASIAEXAMPLE'))
 * assert.strictEqual(rc.expiration, 0)
 *
 * @category constructors
 * @since 0.1.0
 */
export const newRoleCredentials = (): RoleCredentials => ({
  accessKeyId: O.none,
  secretAccessKey: O.none,
  sessionToken: O.none,
  expiration: 0
})

/** A lens on an optional secret that shows it as an optional plain value. */
const optionalSecret = <S>(lens: L.Lens<S, Option<Sensitive<string>>>): L.Lens<S, Option<string>> =>
  L.lens(
    (s) => pipe(lens.get(s), O.map(reveal)),
    (a) => lens.set(pipe(a, O.map(sensitive)))
  )

/**
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { newRoleCredentials, roleCredentials_accessKeyId } from 'fp-aws/sso'
 *
 * assert.deepStrictEqual(roleCredentials_accessKeyId.get(newRoleCredentials()), O.none)
 *
 * @category lenses
 * @since 0.1.0
 */
export const roleCredentials_accessKeyId: L.Lens<RoleCredentials, Option<string>> = pipe(
  L.id<RoleCredentials>(),
  L.prop('accessKeyId')
)

/**
 * The secret access key as a plain optional `string` (the record keeps it `Sensitive`).
 *
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { newRoleCredentials, roleCredentials_secretAccessKey } from 'fp-aws/sso'
 *
 * const rc = roleCredentials_secretAccessKey.set(O.some('s3cr3t'))(newRoleCredentials())
 * assert.deepStrictEqual(roleCredentials_secretAccessKey.get(rc), O.some('s3cr3t'))
 * assert.ok(!JSON.stringify(rc).includes('s3cr3t'))
 *
 * @category lenses
 * @since 0.1.0
 */
export const roleCredentials_secretAccessKey: L.Lens<RoleCredentials, Option<string>> = optionalSecret(
  pipe(L.id<RoleCredentials>(), L.prop('secretAccessKey'))
)

/**
 * The session token as a plain optional `string` (the record keeps it `Sensitive`).
 *
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { newRoleCredentials, roleCredentials_sessionToken } from 'fp-aws/sso'
 *
 * const rc = roleCredentials_sessionToken.set(O.some('session'))(newRoleCredentials())
 * assert.deepStrictEqual(roleCredentials_sessionToken.get(rc), O.some('session'))
 *
 * @category lenses
 * @since 0.1.0
 */
export const roleCredentials_sessionToken: L.Lens<RoleCredentials, Option<string>> = optionalSecret(
  pipe(L.id<RoleCredentials>(), L.prop('sessionToken'))
)

/**
 * The expiry, epoch milliseconds.
 *
 * @example
 * import { newRoleCredentials, roleCredentials_expiration } from 'fp-aws/sso'
 *
 * const rc = roleCredentials_expiration.set(1700000000000)(newRoleCredentials())
 * assert.strictEqual(new Date(roleCredentials_expiration.get(rc)).toISOString(), '2023-11-14T22:13:20.000Z')
 *
 * @category lenses
 * @since 0.1.0
 */
export const roleCredentials_expiration: L.Lens<RoleCredentials, number> = pipe(
  L.id<RoleCredentials>(),
  L.prop('expiration')
)

const OptionSecretEq = O.getEq(getEq(S.Eq))
const OptionStringShow = O.getShow(S.Show)
const OptionSecretShow = O.getShow(getShow<string>())

/**
 * Member-wise equality (secrets compared by value).
 *
 * @example
 * import { newRoleCredentials, RoleCredentialsEq } from 'fp-aws/sso'
 *
 * assert.ok(RoleCredentialsEq.equals(newRoleCredentials(), newRoleCredentials()))
 *
 * @category instances
 * @since 0.1.0
 */
export const RoleCredentialsEq: Eq.Eq<RoleCredentials> = Eq.struct({
  accessKeyId: O.getEq(S.Eq),
  secretAccessKey: OptionSecretEq,
  sessionToken: OptionSecretEq,
  expiration: N.Eq
})

/**
 * Shows credentials with the secret access key and the session token redacted.
 *
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { newRoleCredentials, roleCredentials_secretAccessKey, RoleCredentialsShow } from 'fp-aws/sso'
 *
 * const rc = roleCredentials_secretAccessKey.set(O.some('s3cr3t'))(newRoleCredentials())
 * assert.strictEqual(
 *   RoleCredentialsShow.show(rc),
 *   'RoleCredentials { accessKeyId: none, secretAccessKey: some(Sensitive(<redacted>)), sessionToken: none, expiration: 0 }'
 * )
 *
 * @category instances
 * @since 0.1.0
 */
export const RoleCredentialsShow: Show<RoleCredentials> = {
  show: (rc) =>
    `RoleCredentials { accessKeyId: ${OptionStringShow.show(rc.accessKeyId)}, secretAccessKey: ${OptionSecretShow.show(
      rc.secretAccessKey
    )}, sessionToken: ${OptionSecretShow.show(rc.sessionToken)}, expiration: ${N.Show.show(rc.expiration)} }`
}

/**
 * `RoleCredentials` as it is on the wire.
 *
 * @category model
 * @since 0.1.0
 */
export interface RoleCredentialsJson {
  readonly accessKeyId?: string
  readonly secretAccessKey?: string
  readonly sessionToken?: string
  readonly expiration?: number
}

/**
 * io-ts codec of `RoleCredentials` from its wire JSON (absent or `null` members are `None`,
 * an absent `expiration` is `0`, unknown members are dropped). Its `encode` reveals the
 * secrets: use it only where they belong, e.g. a credentials cache.
 *
 * @example
 * import { RoleCredentialsCodec, roleCredentials_sessionToken } from 'fp-aws/sso'
 *
 * const r = RoleCredentialsCodec.decode({ accessKeyId: 'ASIA', sessionToken: 'tok', expiration: 5 })
 * assert.ok(r._tag === 'Right' && roleCredentials_sessionToken.get(r.right)._tag === 'Some')
 *
 * @category codecs
 * @since 0.1.0
 */
export const RoleCredentialsCodec: t.Type<RoleCredentials, RoleCredentialsJson, unknown> = structure(
  'RoleCredentials',
  {
    accessKeyId: optionFromNullable(t.string),
    secretAccessKey: optionFromNullable(SensitiveString),
    sessionToken: optionFromNullable(SensitiveString),
    expiration: LongDefault0
  }
)

// -------------------------------------------------------------------------------------
// AccountInfo
// -------------------------------------------------------------------------------------

/**
 * An AWS account assigned to the user.
 *
 * @category model
 * @since 0.1.0
 */
export interface AccountInfo {
  readonly accountId: Option<string>
  readonly accountName: Option<string>
  readonly emailAddress: Option<string>
}

/**
 * Creates an `AccountInfo` with every member absent.
 *
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { newAccountInfo } from 'fp-aws/sso'
 *
 * assert.deepStrictEqual(newAccountInfo().accountId, O.none)
 *
 * @category constructors
 * @since 0.1.0
 */
export const newAccountInfo = (): AccountInfo => ({ accountId: O.none, accountName: O.none, emailAddress: O.none })

/**
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { accountInfo_accountId, newAccountInfo } from 'fp-aws/sso'
 *
 * assert.deepStrictEqual(accountInfo_accountId.get(accountInfo_accountId.set(O.some('1'))(newAccountInfo())), O.some('1'))
 *
 * @category lenses
 * @since 0.1.0
 */
export const accountInfo_accountId: L.Lens<AccountInfo, Option<string>> = pipe(L.id<AccountInfo>(), L.prop('accountId'))

/**
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { accountInfo_accountName, newAccountInfo } from 'fp-aws/sso'
 *
 * assert.deepStrictEqual(accountInfo_accountName.get(newAccountInfo()), O.none)
 *
 * @category lenses
 * @since 0.1.0
 */
export const accountInfo_accountName: L.Lens<AccountInfo, Option<string>> = pipe(
  L.id<AccountInfo>(),
  L.prop('accountName')
)

/**
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { accountInfo_emailAddress, newAccountInfo } from 'fp-aws/sso'
 *
 * assert.deepStrictEqual(accountInfo_emailAddress.get(newAccountInfo()), O.none)
 *
 * @category lenses
 * @since 0.1.0
 */
export const accountInfo_emailAddress: L.Lens<AccountInfo, Option<string>> = pipe(
  L.id<AccountInfo>(),
  L.prop('emailAddress')
)

/**
 * @example
 * import { AccountInfoEq, newAccountInfo } from 'fp-aws/sso'
 *
 * assert.ok(AccountInfoEq.equals(newAccountInfo(), newAccountInfo()))
 *
 * @category instances
 * @since 0.1.0
 */
export const AccountInfoEq: Eq.Eq<AccountInfo> = Eq.struct({
  accountId: O.getEq(S.Eq),
  accountName: O.getEq(S.Eq),
  emailAddress: O.getEq(S.Eq)
})

/**
 * @example
 * import { AccountInfoShow, newAccountInfo } from 'fp-aws/sso'
 *
 * assert.strictEqual(AccountInfoShow.show(newAccountInfo()), 'AccountInfo { accountId: none, accountName: none, emailAddress: none }')
 *
 * @category instances
 * @since 0.1.0
 */
export const AccountInfoShow: Show<AccountInfo> = {
  show: (a) =>
    `AccountInfo { accountId: ${OptionStringShow.show(a.accountId)}, accountName: ${OptionStringShow.show(
      a.accountName
    )}, emailAddress: ${OptionStringShow.show(a.emailAddress)} }`
}

/**
 * `AccountInfo` as it is on the wire.
 *
 * @category model
 * @since 0.1.0
 */
export interface AccountInfoJson {
  readonly accountId?: string
  readonly accountName?: string
  readonly emailAddress?: string
}

/**
 * io-ts codec of `AccountInfo` from its wire JSON.
 *
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { AccountInfoCodec } from 'fp-aws/sso'
 *
 * const r = AccountInfoCodec.decode({ accountId: '111122223333', accountName: null })
 * assert.ok(r._tag === 'Right' && O.isNone(r.right.accountName))
 *
 * @category codecs
 * @since 0.1.0
 */
export const AccountInfoCodec: t.Type<AccountInfo, AccountInfoJson, unknown> = structure('AccountInfo', {
  accountId: optionFromNullable(t.string),
  accountName: optionFromNullable(t.string),
  emailAddress: optionFromNullable(t.string)
})

// -------------------------------------------------------------------------------------
// RoleInfo
// -------------------------------------------------------------------------------------

/**
 * A role the user may assume in an account.
 *
 * @category model
 * @since 0.1.0
 */
export interface RoleInfo {
  readonly roleName: Option<string>
  readonly accountId: Option<string>
}

/**
 * Creates a `RoleInfo` with every member absent.
 *
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { newRoleInfo } from 'fp-aws/sso'
 *
 * assert.deepStrictEqual(newRoleInfo().roleName, O.none)
 *
 * @category constructors
 * @since 0.1.0
 */
export const newRoleInfo = (): RoleInfo => ({ roleName: O.none, accountId: O.none })

/**
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { newRoleInfo, roleInfo_roleName } from 'fp-aws/sso'
 *
 * assert.deepStrictEqual(roleInfo_roleName.get(roleInfo_roleName.set(O.some('ReadOnly'))(newRoleInfo())), O.some('ReadOnly'))
 *
 * @category lenses
 * @since 0.1.0
 */
export const roleInfo_roleName: L.Lens<RoleInfo, Option<string>> = pipe(L.id<RoleInfo>(), L.prop('roleName'))

/**
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { newRoleInfo, roleInfo_accountId } from 'fp-aws/sso'
 *
 * assert.deepStrictEqual(roleInfo_accountId.get(newRoleInfo()), O.none)
 *
 * @category lenses
 * @since 0.1.0
 */
export const roleInfo_accountId: L.Lens<RoleInfo, Option<string>> = pipe(L.id<RoleInfo>(), L.prop('accountId'))

/**
 * @example
 * import { newRoleInfo, RoleInfoEq } from 'fp-aws/sso'
 *
 * assert.ok(RoleInfoEq.equals(newRoleInfo(), newRoleInfo()))
 *
 * @category instances
 * @since 0.1.0
 */
export const RoleInfoEq: Eq.Eq<RoleInfo> = Eq.struct({ roleName: O.getEq(S.Eq), accountId: O.getEq(S.Eq) })

/**
 * @example
 * import { newRoleInfo, RoleInfoShow } from 'fp-aws/sso'
 *
 * assert.strictEqual(RoleInfoShow.show(newRoleInfo()), 'RoleInfo { roleName: none, accountId: none }')
 *
 * @category instances
 * @since 0.1.0
 */
export const RoleInfoShow: Show<RoleInfo> = {
  show: (r) => `RoleInfo { roleName: ${OptionStringShow.show(r.roleName)}, accountId: ${OptionStringShow.show(r.accountId)} }`
}

/**
 * `RoleInfo` as it is on the wire.
 *
 * @category model
 * @since 0.1.0
 */
export interface RoleInfoJson {
  readonly roleName?: string
  readonly accountId?: string
}

/**
 * io-ts codec of `RoleInfo` from its wire JSON.
 *
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { RoleInfoCodec } from 'fp-aws/sso'
 *
 * assert.deepStrictEqual(RoleInfoCodec.encode({ roleName: O.some('ReadOnly'), accountId: O.none }), { roleName: 'ReadOnly' })
 *
 * @category codecs
 * @since 0.1.0
 */
export const RoleInfoCodec: t.Type<RoleInfo, RoleInfoJson, unknown> = structure('RoleInfo', {
  roleName: optionFromNullable(t.string),
  accountId: optionFromNullable(t.string)
})

/**
 * io-ts codec of a wire structure: a JSON object whose unknown members are dropped and
 * whose absent (`undefined`) members are left out when encoding. The operations build their
 * response codecs with it.
 *
 * @example
 * import * as t from 'io-ts'
 * import { optionFromNullable, structureCodec } from 'fp-aws/sso/Types'
 *
 * const c = structureCodec('X', { a: optionFromNullable(t.string) })
 * assert.deepStrictEqual(c.decode({ a: 'x', b: 1 }), { _tag: 'Right', right: { a: { _tag: 'Some', value: 'x' } } })
 *
 * @category codecs
 * @since 0.1.0
 */
export const structureCodec = structure
