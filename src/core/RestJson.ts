/**
 * The restJson1 building blocks that generated service modules are made of: codecs of
 * secrets, optional and list members and structures, the checks a member passes before it
 * is put on the wire, and the decoding of a response body. Names no service.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import type { Option } from 'fp-ts/lib/Option.js'
import * as t from 'io-ts'
import * as L from 'monocle-ts/lib/Lens.js'
import { serializeError, validationError, type SerializeError, type ValidationError } from './Error.js'
import type { HttpResponse } from './Request.js'
import { isSensitive, reveal, sensitive, type Sensitive } from './Sensitive.js'

// -------------------------------------------------------------------------------------
// Validation
// -------------------------------------------------------------------------------------

/**
 * Characters allowed in an HTTP header value: tab, visible ASCII, space, and Latin-1 bytes.
 * Control characters (CR, LF, NUL, …), DEL and code points above U+00FF are not.
 */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/

const fieldName = (field: unknown): string => (typeof field === 'string' ? field : 'value')

/**
 * Checks a member bound to an HTTP header before it is sent: a non-empty string with no
 * character that is illegal in a header value and no white space at either end (which HTTP
 * would strip). The message names the field and never contains the value.
 *
 * @example
 * import { validateHeaderValue } from 'fp-aws/core/RestJson'
 *
 * assert.strictEqual(validateHeaderValue('accessToken')('ok-token')._tag, 'Right')
 * assert.deepStrictEqual(validateHeaderValue('accessToken')('bad\r\nX-Injected: 1'), {
 *   _tag: 'Left',
 *   left: 'accessToken contains a character that is not allowed in an HTTP header value'
 * })
 *
 * @category validation
 * @since 0.2.0
 */
export const validateHeaderValue =
  (field: string) =>
  (value: string): E.Either<string, string> => {
    const name = fieldName(field)
    if (typeof value !== 'string') return E.left(`${name} must be a string`)
    if (value.length === 0) return E.left(`${name} must not be empty`)
    if (!HEADER_VALUE.test(value)) return E.left(`${name} contains a character that is not allowed in an HTTP header value`)
    if (/^[\t ]|[\t ]$/.test(value)) return E.left(`${name} must not start or end with white space`)
    return E.right(value)
  }

/** A UTF-16 surrogate with no partner: `encodeURIComponent` cannot encode it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * Checks a string that goes into the query string or the path: a string with no lone UTF-16
 * surrogate (which has no UTF-8 form and so cannot be percent-encoded). The message names
 * the field and never contains the value.
 *
 * @example
 * import { validateQueryValue } from 'fp-aws/core/RestJson'
 *
 * assert.strictEqual(validateQueryValue('nextToken')("a b!'()*é")._tag, 'Right')
 * assert.strictEqual(validateQueryValue('nextToken')('\uD800')._tag, 'Left')
 *
 * @category validation
 * @since 0.2.0
 */
export const validateQueryValue =
  (field: string) =>
  (value: string): E.Either<string, string> => {
    const name = fieldName(field)
    if (typeof value !== 'string') return E.left(`${name} must be a string`)
    if (LONE_SURROGATE.test(value)) return E.left(`${name} contains a lone UTF-16 surrogate, which cannot be encoded`)
    return E.right(value)
  }

/**
 * Checks a required string bound to the query string or the path: a non-empty string that
 * can be percent-encoded.
 *
 * @example
 * import { validateRequired } from 'fp-aws/core/RestJson'
 *
 * assert.strictEqual(validateRequired('accountId')('111122223333')._tag, 'Right')
 * assert.deepStrictEqual(validateRequired('accountId')(''), { _tag: 'Left', left: 'accountId must not be empty' })
 *
 * @category validation
 * @since 0.2.0
 */
export const validateRequired =
  (field: string) =>
  (value: string): E.Either<string, string> =>
    typeof value === 'string' && value.length === 0
      ? E.left(`${fieldName(field)} must not be empty`)
      : validateQueryValue(field)(value)

/**
 * Checks an integer member against the model's `@range` (either bound may be absent).
 *
 * @example
 * import { validateRange } from 'fp-aws/core/RestJson'
 *
 * const v = validateRange('maxResults', 1, 100)
 * assert.strictEqual(v(100)._tag, 'Right')
 * assert.deepStrictEqual(v(0), { _tag: 'Left', left: 'maxResults must be an integer in 1..100' })
 * assert.strictEqual(v(1.5)._tag, 'Left')
 *
 * @category validation
 * @since 0.2.0
 */
export const validateRange = (field: string, min?: number, max?: number): ((n: number) => E.Either<string, number>) => {
  const lo = typeof min === 'number' ? min : Number.MIN_SAFE_INTEGER
  const hi = typeof max === 'number' ? max : Number.MAX_SAFE_INTEGER
  const message = `${fieldName(field)} must be an integer in ${typeof min === 'number' ? min : ''}..${typeof max === 'number' ? max : ''}`
  return (n) => (typeof n === 'number' && Number.isSafeInteger(n) && n >= lo && n <= hi ? E.right(n) : E.left(message))
}

/**
 * Checks a member that goes into a JSON body with its codec's `is`. The message names the
 * field and the expected type, never the value.
 *
 * @example
 * import * as t from 'io-ts'
 * import { validateMember } from 'fp-aws/core/RestJson'
 *
 * assert.strictEqual(validateMember('clientId', t.string)('id')._tag, 'Right')
 * assert.deepStrictEqual(validateMember('clientId', t.string)(1), { _tag: 'Left', left: 'clientId must be a string' })
 *
 * @category validation
 * @since 0.2.0
 */
export const validateMember =
  (field: string, codec: { readonly name: string; readonly is: (u: unknown) => boolean }) =>
  (value: unknown): E.Either<string, unknown> => {
    let name = 'value'
    try {
      if (codec.is(value)) return E.right(value)
      name = String(codec.name)
    } catch {
      // a value (or a codec) that cannot be read is not valid
    }
    return E.left(`${fieldName(field)} must be ${describe(name)}`)
  }

const describe = (name: string): string =>
  name === 'string'
    ? 'a string'
    : name === 'Sensitive<string>'
      ? 'a string'
      : name === 'Integer'
        ? 'an integer'
        : name === 'boolean'
          ? 'a boolean'
          : `a valid ${name}`

/**
 * A check that failed, as the `ValidationError` of a request member.
 *
 * @example
 * import { invalidMember } from 'fp-aws/core/RestJson'
 *
 * const e = invalidMember('Logout', 'accessToken', 'accessToken must not be empty')
 * assert.ok(e._tag === 'Left' && e.left.field === 'accessToken')
 *
 * @category validation
 * @since 0.2.0
 */
export const invalidMember = <A = never>(operation: string, field: string, message: string): E.Either<ValidationError, A> =>
  E.left(validationError(operation, field, message))

// -------------------------------------------------------------------------------------
// Codecs
// -------------------------------------------------------------------------------------

/**
 * io-ts codec of a secret string: decodes a `string` (or an already wrapped secret) into a
 * `Sensitive<string>`; `encode` reveals it. Validation messages never contain the value.
 *
 * @example
 * import { SensitiveString } from 'fp-aws/core/RestJson'
 * import { reveal } from 'fp-aws/core/Sensitive'
 *
 * const r = SensitiveString.decode('s3cr3t')
 * assert.ok(r._tag === 'Right' && reveal(r.right) === 's3cr3t' && JSON.stringify(r.right) === '"<redacted>"')
 *
 * @category codecs
 * @since 0.2.0
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

/**
 * io-ts codec of the model's `integer` and `long`: a safe integer.
 *
 * @example
 * import { Integer } from 'fp-aws/core/RestJson'
 *
 * assert.strictEqual(Integer.decode(5)._tag, 'Right')
 * assert.strictEqual(Integer.decode(1.5)._tag, 'Left')
 *
 * @category codecs
 * @since 0.2.0
 */
export const Integer: t.Type<number, number, unknown> = new t.Type<number, number, unknown>(
  'Integer',
  (u): u is number => typeof u === 'number' && Number.isSafeInteger(u),
  (u, c) => (typeof u === 'number' && Number.isSafeInteger(u) ? t.success(u) : t.failure(u, c, 'expected an integer')),
  (n) => n
)

/**
 * io-ts codec of a member with a modelled `@default`: `undefined` and `null` decode to the
 * default, anything else through `codec`.
 *
 * @example
 * import { Integer, withDefault } from 'fp-aws/core/RestJson'
 *
 * assert.deepStrictEqual(withDefault(Integer, 0).decode(null), { _tag: 'Right', right: 0 })
 * assert.deepStrictEqual(withDefault(Integer, 0).decode(7), { _tag: 'Right', right: 7 })
 *
 * @category codecs
 * @since 0.2.0
 */
export const withDefault = <A, O>(codec: t.Type<A, O, unknown>, value: A): t.Type<A, O, unknown> =>
  new t.Type<A, O, unknown>(
    codec.name,
    codec.is,
    (u, c) => (u === undefined || u === null ? t.success(value) : codec.validate(u, c)),
    codec.encode
  )

/**
 * io-ts codec of an optional member: `undefined` and `null` decode to `None`, anything else
 * through `codec` to `Some`; `None` encodes to `undefined` (the member is then left out).
 *
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import * as t from 'io-ts'
 * import { optionFromNullable } from 'fp-aws/core/RestJson'
 *
 * const c = optionFromNullable(t.string)
 * assert.deepStrictEqual(c.decode(null), { _tag: 'Right', right: O.none })
 * assert.deepStrictEqual(c.decode('a'), { _tag: 'Right', right: O.some('a') })
 * assert.strictEqual(c.encode(O.none), undefined)
 *
 * @category codecs
 * @since 0.2.0
 */
export const optionFromNullable = <A, O>(codec: t.Type<A, O, unknown>): t.Type<Option<A>, O | undefined, unknown> =>
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
 * import { arrayFromNullable } from 'fp-aws/core/RestJson'
 *
 * assert.deepStrictEqual(arrayFromNullable(t.string).decode(undefined), { _tag: 'Right', right: [] })
 *
 * @category codecs
 * @since 0.2.0
 */
export const arrayFromNullable = <A, O>(codec: t.Type<A, O, unknown>): t.Type<ReadonlyArray<A>, ReadonlyArray<O>, unknown> => {
  const list = t.readonlyArray(codec)
  return new t.Type<ReadonlyArray<A>, ReadonlyArray<O>, unknown>(
    `ReadonlyArray<${codec.name}>`,
    list.is,
    (u, c) => (u === undefined || u === null ? t.success([]) : list.validate(u, c)),
    list.encode
  )
}

/**
 * The encoded form of a structure: a member whose encoding may be `undefined` is optional.
 *
 * @category model
 * @since 0.2.0
 */
export type StructureOutput<P extends t.Props> = {
  readonly [K in keyof P as undefined extends t.OutputOf<P[K]> ? K : never]?: Exclude<t.OutputOf<P[K]>, undefined>
} & { readonly [K in keyof P as undefined extends t.OutputOf<P[K]> ? never : K]: t.OutputOf<P[K]> }

/**
 * Drops the members whose value is `undefined`.
 *
 * @example
 * import { dropUndefined } from 'fp-aws/core/RestJson'
 *
 * assert.deepStrictEqual(dropUndefined({ a: 1, b: undefined }), { a: 1 })
 *
 * @category codecs
 * @since 0.2.0
 */
export const dropUndefined = <O>(o: object): O => {
  const out: Record<string, unknown> = {}
  if (typeof o !== 'object' || o === null) return out as O
  try {
    for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v
  } catch {
    // members that cannot be read are left out
  }
  return out as O
}

/**
 * io-ts codec of a wire structure: a JSON object whose unknown members are dropped and
 * whose absent (`undefined`) members are left out when encoding.
 *
 * @example
 * import * as t from 'io-ts'
 * import { optionFromNullable, structureCodec } from 'fp-aws/core/RestJson'
 *
 * const c = structureCodec('X', { a: optionFromNullable(t.string) })
 * assert.deepStrictEqual(c.decode({ a: 'x', b: 1 }), { _tag: 'Right', right: { a: { _tag: 'Some', value: 'x' } } })
 *
 * @category codecs
 * @since 0.2.0
 */
export const structureCodec = <P extends t.Props>(
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
// Lenses
// -------------------------------------------------------------------------------------

/**
 * A lens on an optional secret that shows it as an optional plain value (the record keeps
 * it `Sensitive`).
 *
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import * as L from 'monocle-ts/lib/Lens.js'
 * import { optionalSecret } from 'fp-aws/core/RestJson'
 * import { sensitive, type Sensitive } from 'fp-aws/core/Sensitive'
 *
 * const l = optionalSecret(L.id<O.Option<Sensitive<string>>>())
 * assert.deepStrictEqual(l.get(O.some(sensitive('s'))), O.some('s'))
 *
 * @category lenses
 * @since 0.2.0
 */
export const optionalSecret = <S>(lens: L.Lens<S, Option<Sensitive<string>>>): L.Lens<S, Option<string>> =>
  L.lens(
    (s) => pipe(lens.get(s), O.map(reveal)),
    (a) => lens.set(pipe(a, O.map(sensitive)))
  )

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
 * import * as t from 'io-ts'
 * import { decodeJsonResponse, optionFromNullable, structureCodec } from 'fp-aws/core/RestJson'
 *
 * const codec = structureCodec('RoleInfo', { roleName: optionFromNullable(t.string) })
 * const body = new TextEncoder().encode('{"roleName":"ReadOnly","extra":1}')
 * assert.strictEqual(decodeJsonResponse('ListAccountRoles', codec)({ status: 200, headers: {}, body })._tag, 'Right')
 * const bad = decodeJsonResponse('ListAccountRoles', codec)({ status: 200, headers: {}, body: new Uint8Array() })
 * assert.ok(bad._tag === 'Left' && bad.left._tag === 'SerializeError' && bad.left.status === 200)
 *
 * @category decoding
 * @since 0.2.0
 */
export const decodeJsonResponse =
  <A>(operation: string, codec: t.Decoder<unknown, A>) =>
  (res: HttpResponse): E.Either<SerializeError, A> => {
    const name = typeof operation === 'string' ? operation : 'operation'
    try {
      return decodeChecked(name, codec, res)
    } catch {
      return E.left(serializeError(`${name}: the response cannot be read`, 0))
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
