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
import { SECRET_HEADERS, type HttpResponse } from './Request.js'
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
          : name.startsWith('Timestamp(')
            ? `a valid date (${name.slice(10, -1)})`
            : name.startsWith('Map<')
              ? 'a valid map'
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

// Fast readers. A codec made here may carry a reader: a function that turns the JSON value of
// a valid member into exactly what the codec's `validate` would return in its `Right`, and
// returns `MISS` for anything else, with no io-ts context, no `Right` and no error built.
// The readers of the members make the reader of a structure, and so on up to the body. A
// `MISS` anywhere sends the whole value back through `validate`, whose result (every error,
// under its path) is returned: a reader is only ever a shortcut to the same `Right`.

/** What a reader returns for a value it does not read: `validate` has the last word. */
const MISS: unique symbol = Symbol('fp-aws/RestJson/miss')

type Reader = (u: unknown) => unknown

const readers = new WeakMap<object, Reader>()

/** The reader of a codec, if it has one (io-ts's own `string` and `boolean` have theirs here). */
const readerOf = (codec: unknown): Reader | undefined =>
  codec === t.string
    ? readString
    : codec === t.boolean
      ? readBoolean
      : typeof codec === 'object' && codec !== null
        ? readers.get(codec)
        : undefined

/** Gives `codec` the reader `read`, when there is one. */
const withReader = <C extends object>(codec: C, read: Reader | undefined): C => {
  if (read !== undefined) readers.set(codec, read)
  return codec
}

const readString: Reader = (u) => (typeof u === 'string' ? u : MISS)
const readBoolean: Reader = (u) => (typeof u === 'boolean' ? u : MISS)

/** Validates with `codec`: through its reader when it has one, else (or on a `MISS`) with `validate`. */
const readerValidate = <A>(codec: t.Decoder<unknown, A>): ((u: unknown, c: t.Context) => t.Validation<A>) => {
  const read = readerOf(codec)
  if (read === undefined) return (u, c) => codec.validate(u, c)
  return (u, c) => {
    const v = read(u)
    return v === MISS ? codec.validate(u, c) : t.success(v as A)
  }
}

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
export const SensitiveString: t.Type<Sensitive<string>, string, unknown> = withReader(
  new t.Type<Sensitive<string>, string, unknown>(
    'Sensitive<string>',
    (u): u is Sensitive<string> => isSensitive(u) && typeof reveal(u) === 'string',
    (u, c) =>
      typeof u === 'string'
        ? t.success(sensitive(u))
        : isSensitive(u) && typeof reveal(u) === 'string'
          ? t.success(u as Sensitive<string>)
          : t.failure(typeof u, c, 'expected a string'),
    reveal
  ),
  (u) => (typeof u === 'string' ? sensitive(u) : MISS)
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
export const Integer: t.Type<number, number, unknown> = withReader(
  new t.Type<number, number, unknown>(
    'Integer',
    (u): u is number => typeof u === 'number' && Number.isSafeInteger(u),
    (u, c) => (typeof u === 'number' && Number.isSafeInteger(u) ? t.success(u) : t.failure(u, c, 'expected an integer')),
    (n) => n
  ),
  (u) => (typeof u === 'number' && Number.isSafeInteger(u) ? u : MISS)
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
export const withDefault = <A, O>(codec: t.Type<A, O, unknown>, value: A): t.Type<A, O, unknown> => {
  const read = readerOf(codec)
  return withReader(
    new t.Type<A, O, unknown>(
      codec.name,
      codec.is,
      (u, c) => (u === undefined || u === null ? t.success(value) : codec.validate(u, c)),
      codec.encode
    ),
    read === undefined ? undefined : (u) => (u === undefined || u === null ? value : read(u))
  )
}

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
export const optionFromNullable = <A, O>(codec: t.Type<A, O, unknown>): t.Type<Option<A>, O | undefined, unknown> => {
  const read = readerOf(codec)
  return withReader(
    new t.Type<Option<A>, O | undefined, unknown>(
      `Option<${codec.name}>`,
      (u): u is Option<A> =>
        typeof u === 'object' &&
        u !== null &&
        ((u as { _tag?: unknown })._tag === 'None' ||
          ((u as { _tag?: unknown })._tag === 'Some' && codec.is((u as { value?: unknown }).value))),
      (u, c) => {
        if (u === undefined || u === null) return t.success(O.none)
        const r = codec.validate(u, c)
        return r._tag === 'Left' ? r : t.success(O.some(r.right))
      },
      (a) => (O.isSome(a) ? codec.encode(a.value) : undefined)
    ),
    read === undefined
      ? undefined
      : (u) => {
          if (u === undefined || u === null) return O.none
          const v = read(u)
          return v === MISS ? MISS : O.some(v)
        }
  )
}

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
  const read = readerOf(codec)
  const item = readerValidate(codec)
  return withReader(
    new t.Type<ReadonlyArray<A>, ReadonlyArray<O>, unknown>(
      `ReadonlyArray<${codec.name}>`,
      list.is,
      (u, c) => {
        if (u === undefined || u === null) return t.success([])
        if (!Array.isArray(u)) return list.validate(u, c)
        // the items under the list's own context: a failure is validated again by io-ts, whose
        // errors carry each item's index
        // as io-ts's array does, the list itself when no item changed (a record holding it is then not copied)
        const out: Array<A> = []
        let changed = false
        for (let i = 0; i < u.length; i++) {
          const r = item(u[i], c)
          if (r._tag === 'Left') return list.validate(u, c)
          if (r.right !== u[i]) changed = true
          out.push(r.right)
        }
        return t.success(changed ? out : (u as Array<A>))
      },
      list.encode
    ),
    read === undefined
      ? undefined
      : (u) => {
          if (u === undefined || u === null) return []
          if (!Array.isArray(u)) return MISS
          const out: Array<unknown> = []
          for (let i = 0; i < u.length; i++) {
            const v = read(u[i])
            if (v === MISS) return MISS
            out.push(v)
          }
          return out
        }
  )
}

/**
 * The encoded form of a structure: a member whose encoding may be `undefined` is optional,
 * and a member renamed in `R` (its `jsonName`) is under its JSON key.
 *
 * @category model
 * @since 0.2.0
 */
export type StructureOutput<P extends t.Props, R = Record<never, never>> = {
  readonly [K in keyof P as undefined extends t.OutputOf<P[K]> ? WireKey<K, R> : never]?: Exclude<t.OutputOf<P[K]>, undefined>
} & { readonly [K in keyof P as undefined extends t.OutputOf<P[K]> ? never : WireKey<K, R>]: t.OutputOf<P[K]> }

/** The JSON key of member `K`: its `jsonName` in `R`, else its own name. */
type WireKey<K, R> = K extends keyof R ? (R[K] extends string ? R[K] : K) : K

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
 * A request's JSON body without its absent (`undefined`) members and its empty lists: what
 * generated encoders send, since an empty list cannot be told from an absent one.
 *
 * @example
 * import { dropEmpty } from 'fp-aws/core/RestJson'
 *
 * assert.deepStrictEqual(dropEmpty({ a: 1, b: undefined, c: [], d: ['x'] }), { a: 1, d: ['x'] })
 *
 * @category codecs
 * @since 0.2.0
 */
export const dropEmpty = (o: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> => {
  const out: Record<string, unknown> = {}
  if (typeof o !== 'object' || o === null) return out
  try {
    for (const k of Object.keys(o)) {
      const v = o[k]
      if (v !== undefined && !(Array.isArray(v) && v.length === 0)) defineOwn(out, k, v)
    }
  } catch {
    // members that cannot be read are left out
  }
  return out
}

/**
 * io-ts codec of a wire structure: a JSON object whose unknown members are dropped and
 * whose absent (`undefined`) members are left out when encoding. `wire` maps the members the
 * model renames (`jsonName`) to their JSON keys: the record is keyed by member names, the JSON
 * by the keys, both ways.
 *
 * `read` (since 0.2.0; `npm run gen` writes one for each structure) reads the JSON form
 * quickly: straight-line code that turns a valid JSON value into exactly the record `validate`
 * returns, and returns `undefined` for anything else, which is then validated as without it (a
 * `Left` is the same, every error under its path). Without it, a reader is composed from the
 * members' codecs, when each has one.
 *
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import * as t from 'io-ts'
 * import { isJsonRecord, optionFromNullable, structureCodec } from 'fp-aws/core/RestJson'
 *
 * const c = structureCodec('X', { a: optionFromNullable(t.string) })
 * assert.deepStrictEqual(c.decode({ a: 'x', b: 1 }), { _tag: 'Right', right: { a: { _tag: 'Some', value: 'x' } } })
 * const r = structureCodec('Y', { itemCount: t.number }, { itemCount: 'item_count' })
 * assert.deepStrictEqual(r.decode({ item_count: 2 }), { _tag: 'Right', right: { itemCount: 2 } })
 * assert.deepStrictEqual(r.encode({ itemCount: 2 }), { item_count: 2 })
 * const fast = structureCodec('Z', { a: optionFromNullable(t.string) }, undefined, (u) => {
 *   if (!isJsonRecord(u)) return undefined
 *   const a = u['a']
 *   if (a !== undefined && a !== null && typeof a !== 'string') return undefined
 *   return { a: a === undefined || a === null ? O.none : O.some(a as string) }
 * })
 * assert.deepStrictEqual(fast.decode({ a: 'x' }), { _tag: 'Right', right: { a: O.some('x') } })
 * assert.strictEqual(fast.decode({ a: 1 })._tag, 'Left')
 *
 * @category codecs
 * @since 0.2.0
 */
export const structureCodec = <P extends t.Props, const R extends { readonly [K in keyof P]?: string } = Record<never, never>>(
  name: string,
  props: P,
  wire?: R,
  read?: (u: unknown) => { readonly [K in keyof P]: t.TypeOf<P[K]> } | undefined
): t.Type<{ readonly [K in keyof P]: t.TypeOf<P[K]> }, StructureOutput<P, R>, unknown> => {
  const base = t.exact(t.type(props))
  const validateProps = propsValidator(props, base)
  const given = read
  const reader: Reader | undefined =
    typeof given === 'function'
      ? (u) => {
          const v = given(u)
          return v === undefined ? MISS : v
        }
      : undefined
  const renames: ReadonlyArray<readonly [string, string]> =
    typeof wire === 'object' && wire !== null
      ? Object.entries(wire).flatMap(([k, w]) => (typeof w === 'string' && w !== k ? [[k, w] as const] : []))
      : []
  if (renames.length === 0) {
    const fast = reader ?? propsReader(props)
    return withReader(
      new t.Type<{ readonly [K in keyof P]: t.TypeOf<P[K]> }, StructureOutput<P, R>, unknown>(
        name,
        (u): u is { readonly [K in keyof P]: t.TypeOf<P[K]> } => base.is(u),
        // JSON.parse makes `"__proto__"` an own member, which io-ts's copy would turn into the
        // prototype of the result: such an object is read member by member instead
        (u, c) => {
          const v = fast === undefined ? MISS : fast(u)
          if (v !== MISS) return t.success(v as { readonly [K in keyof P]: t.TypeOf<P[K]> })
          return validateProps(hasOwnProto(u) ? ownMembers(u as Record<string, unknown>, Object.keys(props)) : u, c)
        },
        (a) => dropUndefined<StructureOutput<P, R>>(base.encode(a))
      ),
      fast
    )
  }
  const toWire = new Map(renames)
  const keyOf = (member: string): string => toWire.get(member) ?? member
  const renamed = new t.Type<{ readonly [K in keyof P]: t.TypeOf<P[K]> }, StructureOutput<P, R>, unknown>(
    name,
    (u): u is { readonly [K in keyof P]: t.TypeOf<P[K]> } => base.is(u),
    (u, c) => {
      const v = reader === undefined ? MISS : reader(u)
      if (v !== MISS) return t.success(v as { readonly [K in keyof P]: t.TypeOf<P[K]> })
      if (typeof u !== 'object' || u === null || Array.isArray(u)) return base.validate(u, c)
      // the record's members from their JSON keys (a key of another member's name is not read)
      const byMember: Record<string, unknown> = {}
      for (const k of Object.keys(props)) defineOwn(byMember, k, (u as Record<string, unknown>)[keyOf(k)])
      return validateProps(byMember, c)
    },
    (a) => {
      const encoded = dropUndefined<Record<string, unknown>>(base.encode(a))
      const out: Record<string, unknown> = {}
      for (const k of Object.keys(encoded)) defineOwn(out, keyOf(k), encoded[k])
      return out as StructureOutput<P, R>
    }
  )
  return withReader(renamed, reader)
}

/**
 * The validation of `t.exact(t.type(props))`, with a fast path: a plain object (what
 * {@link isJsonRecord} accepts) is read member by member into a fresh record of
 * exactly the members of `props`, the unknown ones left out, with no io-ts context built for
 * each member and no copy to strip. The first member that fails sends the object to `base`,
 * whose errors (every failing member, under its path) are the ones returned: a `Left` is the
 * same as before, and a `Right` deep-equals it.
 */
const propsValidator = <P extends t.Props, A, O>(
  props: P,
  base: t.Type<A, O, unknown>
): ((u: unknown, c: t.Context) => t.Validation<A>) => {
  const keys = Object.keys(props)
  const types = keys.map((k) => props[k] as t.Mixed)
  // a member named like one of Object.prototype's is read from the prototype when absent:
  // such a structure is left to io-ts
  if (keys.some((k) => k in Object.prototype)) return (u, c) => base.validate(u, c)
  const n = keys.length
  return (u, c) => {
    if (!isJsonRecord(u)) return base.validate(u, c)
    const out: Record<string, unknown> = {}
    for (let i = 0; i < n; i++) {
      const k = keys[i] as string
      const r = (types[i] as t.Mixed).validate((u as Record<string, unknown>)[k], c)
      if (r._tag === 'Left') return base.validate(u, c)
      out[k] = r.right
    }
    return t.success(out as A)
  }
}

/**
 * The reader of a structure whose every member has a reader: a plain object (what
 * {@link isJsonRecord} accepts) read member by member into a fresh record
 * of exactly the members of `props`, unknown ones left out; `MISS` for anything else, or when
 * a member misses. `undefined` when a member has no reader, or is named like one of
 * `Object.prototype`'s (read from the prototype when absent: left to io-ts).
 */
const propsReader = (props: t.Props): Reader | undefined => {
  const keys = Object.keys(props)
  if (keys.some((k) => k in Object.prototype)) return undefined
  const reads: Array<Reader> = []
  for (const k of keys) {
    const read = readerOf(props[k])
    if (read === undefined) return undefined
    reads.push(read)
  }
  const n = keys.length
  return (u) => {
    if (!isJsonRecord(u)) return MISS
    const out: Record<string, unknown> = {}
    for (let i = 0; i < n; i++) {
      const v = (reads[i] as Reader)((u as Record<string, unknown>)[keys[i] as string])
      if (v === MISS) return MISS
      out[keys[i] as string] = v
    }
    return out
  }
}

const hasOwnProto = (u: unknown): boolean =>
  typeof u === 'object' && u !== null && Object.prototype.hasOwnProperty.call(u, '__proto__')

/**
 * Whether a JSON value is an object a reader may read member by member: not an array, its
 * prototype `Object.prototype` (what `JSON.parse` makes), no own `__proto__` member. (A reader
 * reads only the members of its structure, none named like a member of `Object.prototype`.)
 * An object without a prototype is left to io-ts's `validate`, which may return it as it is,
 * prototype and all, where a reader would build a new record.
 *
 * @example
 * import { isJsonRecord } from 'fp-aws/core/RestJson'
 *
 * assert.strictEqual(isJsonRecord(JSON.parse('{"a":1}')), true)
 * assert.strictEqual(isJsonRecord(JSON.parse('{"__proto__":{}}')), false)
 * assert.strictEqual(isJsonRecord([]), false)
 * assert.strictEqual(isJsonRecord(Object.create(null)), false)
 *
 * @category codecs
 * @since 0.2.0
 */
export const isJsonRecord = (u: unknown): u is Readonly<Record<string, unknown>> => {
  try {
    if (typeof u !== 'object' || u === null || Array.isArray(u) || hasOwnProto(u)) return false
    const proto: unknown = Object.getPrototypeOf(u)
    return proto === Object.prototype
  } catch {
    // an object that cannot be inspected (a revoked proxy) is left to `validate`
    return false
  }
}

/**
 * A reader of the JSON value of one member with `codec`: what `codec` decodes it to, or
 * `undefined` when it does not decode (every codec of a member decodes to something other than
 * `undefined`). Goes through the codec's own reader when it has one, else `validate`.
 *
 * @example
 * import * as t from 'io-ts'
 * import { arrayFromNullable, readWith } from 'fp-aws/core/RestJson'
 *
 * const read = readWith(arrayFromNullable(t.string))
 * assert.deepStrictEqual(read(['a']), ['a'])
 * assert.deepStrictEqual(read(null), [])
 * assert.strictEqual(read([1]), undefined)
 *
 * @category codecs
 * @since 0.2.0
 */
export const readWith = <A>(codec: t.Decoder<unknown, A>): ((u: unknown) => A | undefined) => {
  const read = readerOf(codec)
  if (read !== undefined)
    return (u) => {
      const v = read(u)
      return v === MISS ? undefined : (v as A)
    }
  return (u) => {
    try {
      const r = codec.validate(u, [])
      return r._tag === 'Right' ? r.right : undefined
    } catch {
      // a codec that throws reads nothing: `validate` of the structure has the last word
      return undefined
    }
  }
}

/** The members `keys` of `u`, own ones only, on a fresh object. */
const ownMembers = (u: Record<string, unknown>, keys: ReadonlyArray<string>): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const k of keys) if (k !== '__proto__' && Object.prototype.hasOwnProperty.call(u, k)) defineOwn(out, k, u[k])
  return out
}

/** Sets an own enumerable member, even one named `__proto__`. */
const defineOwn = (o: Record<string, unknown>, k: string, v: unknown): void => {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true })
}

/**
 * io-ts codec of a map member (`map` of string to a value): a JSON object; `undefined` and
 * `null` decode to `{}`, and so do `null` values of keys (which are dropped, as the AWS SDKs
 * do). Keys such as `__proto__` are kept as plain keys.
 *
 * @example
 * import * as t from 'io-ts'
 * import { mapFromNullable } from 'fp-aws/core/RestJson'
 *
 * assert.deepStrictEqual(mapFromNullable(t.string).decode({ a: 'x', b: null }), { _tag: 'Right', right: { a: 'x' } })
 * assert.deepStrictEqual(mapFromNullable(t.string).decode(null), { _tag: 'Right', right: {} })
 * assert.strictEqual(mapFromNullable(t.string).decode({ a: 1 })._tag, 'Left')
 *
 * @category codecs
 * @since 0.2.0
 */
export const mapFromNullable = <A, O>(
  codec: t.Type<A, O, unknown>
): t.Type<Readonly<Record<string, A>>, Readonly<Record<string, O>>, unknown> =>
  new t.Type<Readonly<Record<string, A>>, Readonly<Record<string, O>>, unknown>(
    `Map<${codec.name}>`,
    (u): u is Readonly<Record<string, A>> =>
      isPlainObject(u) && Object.keys(u).every((k) => codec.is((u as Record<string, unknown>)[k])),
    (u, c) => {
      if (u === undefined || u === null) return t.success({})
      if (!isPlainObject(u)) return t.failure(u, c, 'expected an object')
      const out: Record<string, A> = {}
      for (const k of Object.keys(u)) {
        const v = (u as Record<string, unknown>)[k]
        if (v === null || v === undefined) continue
        const r = codec.validate(v, t.appendContext(c, k, codec, v))
        if (E.isLeft(r)) return r
        defineOwn(out, k, r.right)
      }
      return t.success(out)
    },
    (a) => {
      const out: Record<string, O> = {}
      for (const k of Object.keys(a)) defineOwn(out, k, codec.encode(a[k] as A))
      return out
    }
  )

const isPlainObject = (u: unknown): u is object => typeof u === 'object' && u !== null && !Array.isArray(u) && !isSensitive(u)

// -------------------------------------------------------------------------------------
// Timestamps
// -------------------------------------------------------------------------------------

/**
 * The wire forms of a timestamp (`smithy.api#timestampFormat`).
 *
 * @category model
 * @since 0.2.0
 */
export type TimestampFormat = 'epoch-seconds' | 'date-time' | 'http-date'

/** The largest time a `Date` holds, in milliseconds either side of the epoch. */
const MAX_DATE_MS = 8.64e15

/** A `Date` that holds a time (not `Invalid Date`), with a four-digit year when `fourDigits`. */
const isValidDate = (u: unknown, fourDigits: boolean): u is Date => {
  try {
    if (!(u instanceof Date)) return false
    const ms = u.getTime()
    if (!Number.isFinite(ms)) return false
    if (!fourDigits) return true
    const y = u.getUTCFullYear()
    return y >= 0 && y <= 9999
  } catch {
    return false
  }
}

const dateOfMs = (ms: number): Date | undefined =>
  Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? new Date(ms) : undefined

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

/** A UTC time from its fields, checked: `undefined` for a day or time that does not exist. */
const utcDate = (y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): Date | undefined => {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined
  const date = new Date(0)
  date.setUTCFullYear(y, mo - 1, d)
  date.setUTCHours(h, mi, s, ms)
  // a day past the month's end rolls over: that date does not exist
  return date.getUTCDate() === d && date.getUTCMonth() === mo - 1 ? date : undefined
}

const fractionMs = (f: string | undefined): number => (f === undefined ? 0 : Math.floor(Number(`0.${f}`) * 1000))

const EPOCH_STRING = /^(-?)(\d+)(?:\.(\d+))?$/

/**
 * The time of seconds since the epoch written in decimal, read from the digits: the whole
 * seconds times 1000 plus the first three decimals, the fourth rounding. (Seconds times 1000
 * as doubles land a millisecond off beyond 2^52 ms.)
 */
const dateOfEpochDigits = (s: string): Date | undefined => {
  const m = EPOCH_STRING.exec(s)
  if (m === null) return undefined
  const whole = Number(m[2])
  if (!(whole <= MAX_DATE_MS / 1000 + 1)) return undefined
  const frac = (m[3] ?? '').padEnd(4, '0')
  const ms = whole * 1000 + Number(frac.slice(0, 3)) + (Number(frac.charAt(3)) >= 5 ? 1 : 0)
  return dateOfMs(m[1] === '-' ? -ms : ms)
}

/** The time of seconds since the epoch as a JSON number: its shortest decimal form, read by its digits. */
const dateOfEpochNumber = (u: number): Date | undefined => {
  if (!Number.isFinite(u)) return undefined
  const text = String(u)
  // an exponent: below a microsecond (0 ms) or far beyond the Date range
  return text.includes('e') ? dateOfMs(Math.round(u * 1000)) : dateOfEpochDigits(text)
}

/** Seconds since the epoch, fractions of a second as decimals (no exponent). */
const epochSecondsText = (d: Date): string => {
  const ms = d.getTime()
  const sign = ms < 0 ? '-' : ''
  const abs = Math.abs(ms)
  const frac = abs % 1000
  return `${sign}${Math.floor(abs / 1000)}${frac === 0 ? '' : `.${String(frac).padStart(3, '0').replace(/0+$/, '')}`}`
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/

const parseDateTime = (s: string): Date | undefined => {
  const m = DATE_TIME.exec(s)
  if (m === null) return undefined
  const [y, mo, d, h, mi, sec] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number]
  const base = utcDate(y, mo, d, h, mi, sec, fractionMs(m[7]))
  if (base === undefined) return undefined
  if (m[8] !== undefined) return base
  const oh = Number(m[10])
  const om = Number(m[11])
  if (oh > 23 || om > 59) return undefined
  return dateOfMs(base.getTime() - (m[9] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000)
}

const dateTimeText = (d: Date): string => {
  const iso = d.toISOString()
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso
}

const HTTP_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))? GMT$/

const parseHttpDate = (s: string): Date | undefined => {
  const m = HTTP_DATE.exec(s)
  if (m === null) return undefined
  const date = utcDate(Number(m[4]), MONTHS.indexOf(m[3] as string) + 1, Number(m[2]), Number(m[5]), Number(m[6]), Number(m[7]), fractionMs(m[8]))
  // the day of the week must be that date's
  return date !== undefined && DAYS[date.getUTCDay()] === m[1] ? date : undefined
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0')

const httpDateText = (d: Date): string =>
  `${DAYS[d.getUTCDay()] as string}, ${pad(d.getUTCDate(), 2)} ${MONTHS[d.getUTCMonth()] as string} ${pad(d.getUTCFullYear(), 4)} ${pad(
    d.getUTCHours(),
    2
  )}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)} GMT`

const timestampCodec = <O>(
  format: string,
  fourDigits: boolean,
  parse: (u: unknown) => Date | undefined,
  print: (d: Date) => O
): t.Type<Date, O, unknown> =>
  new t.Type<Date, O, unknown>(
    `Timestamp(${format})`,
    (u): u is Date => isValidDate(u, fourDigits),
    (u, c) => {
      const d = parse(u)
      return d === undefined ? t.failure(u, c, `expected a timestamp (${format})`) : t.success(d)
    },
    print
  )

/**
 * io-ts codec of a timestamp in `epoch-seconds` form, restJson1's default in a JSON body: a
 * JSON number of seconds since the epoch, fractions allowed (milliseconds are kept). A
 * number out of the `Date` range is a decoding failure, never an `Invalid Date`.
 *
 * @example
 * import { EpochSeconds } from 'fp-aws/core/RestJson'
 *
 * const r = EpochSeconds.decode(1515531081.123)
 * assert.ok(r._tag === 'Right' && r.right.toISOString() === '2018-01-09T20:51:21.123Z')
 * assert.strictEqual(EpochSeconds.encode(new Date(1500)), 1.5)
 * assert.strictEqual(EpochSeconds.decode('1515531081')._tag, 'Left')
 *
 * @category codecs
 * @since 0.2.0
 */
export const EpochSeconds: t.Type<Date, number, unknown> = timestampCodec(
  'epoch-seconds',
  false,
  (u) => (typeof u === 'number' ? dateOfEpochNumber(u) : undefined),
  (d) => d.getTime() / 1000
)

/**
 * io-ts codec of a timestamp in `epoch-seconds` form as text (a header, the query string or
 * the path): decimal seconds since the epoch, as `1515531081` or `1515531081.123`.
 *
 * @example
 * import { EpochSecondsString } from 'fp-aws/core/RestJson'
 *
 * assert.strictEqual(EpochSecondsString.encode(new Date(1515531081123)), '1515531081.123')
 * assert.strictEqual(EpochSecondsString.decode('1e3')._tag, 'Left')
 *
 * @category codecs
 * @since 0.2.0
 */
export const EpochSecondsString: t.Type<Date, string, unknown> = timestampCodec(
  'epoch-seconds',
  false,
  (u) => (typeof u === 'string' ? dateOfEpochDigits(u) : undefined),
  epochSecondsText
)

/**
 * io-ts codec of a timestamp in `date-time` form (RFC 3339), restJson1's default in the query
 * string and the path: `1985-04-12T23:20:50.52Z`, offsets (`+01:00`) accepted when decoding;
 * encodes in UTC with milliseconds when there are any. A date that does not exist (February
 * 30th, hour 24) is a decoding failure.
 *
 * @example
 * import { DateTime } from 'fp-aws/core/RestJson'
 *
 * const r = DateTime.decode('1985-04-12T23:20:50.52+01:00')
 * assert.ok(r._tag === 'Right' && r.right.toISOString() === '1985-04-12T22:20:50.520Z')
 * assert.strictEqual(DateTime.encode(new Date(0)), '1970-01-01T00:00:00Z')
 * assert.strictEqual(DateTime.decode('2001-02-29T00:00:00Z')._tag, 'Left')
 *
 * @category codecs
 * @since 0.2.0
 */
export const DateTime: t.Type<Date, string, unknown> = timestampCodec(
  'date-time',
  true,
  (u) => (typeof u === 'string' ? parseDateTime(u) : undefined),
  dateTimeText
)

/**
 * io-ts codec of a timestamp in `http-date` form (RFC 7231's IMF-fixdate), restJson1's
 * default in headers: `Tue, 29 Apr 2014 18:30:38 GMT`. The day of the week must be the
 * date's; the obsolete RFC 850 and asctime forms are not read.
 *
 * @example
 * import { HttpDate } from 'fp-aws/core/RestJson'
 *
 * const r = HttpDate.decode('Tue, 29 Apr 2014 18:30:38 GMT')
 * assert.ok(r._tag === 'Right' && r.right.toISOString() === '2014-04-29T18:30:38.000Z')
 * assert.strictEqual(HttpDate.encode(new Date(0)), 'Thu, 01 Jan 1970 00:00:00 GMT')
 * assert.strictEqual(HttpDate.decode('Mon, 29 Apr 2014 18:30:38 GMT')._tag, 'Left')
 *
 * @category codecs
 * @since 0.2.0
 */
export const HttpDate: t.Type<Date, string, unknown> = timestampCodec(
  'http-date',
  true,
  (u) => (typeof u === 'string' ? parseHttpDate(u) : undefined),
  httpDateText
)

/**
 * Shows a timestamp as RFC 3339 text (`Invalid Date` for a `Date` that holds no time).
 *
 * @example
 * import { TimestampShow } from 'fp-aws/core/RestJson'
 *
 * assert.strictEqual(TimestampShow.show(new Date(0)), '1970-01-01T00:00:00.000Z')
 *
 * @category instances
 * @since 0.2.0
 */
export const TimestampShow: { readonly show: (d: Date) => string } = {
  show: (d) => (isValidDate(d, false) ? d.toISOString() : 'Invalid Date')
}

/**
 * io-ts codec of an integer as text (a header, the query string or the path).
 *
 * @example
 * import { IntegerString } from 'fp-aws/core/RestJson'
 *
 * assert.deepStrictEqual(IntegerString.decode('-12'), { _tag: 'Right', right: -12 })
 * assert.strictEqual(IntegerString.decode('1.5')._tag, 'Left')
 *
 * @category codecs
 * @since 0.2.0
 */
export const IntegerString: t.Type<number, string, unknown> = new t.Type<number, string, unknown>(
  'Integer',
  (u): u is number => typeof u === 'number' && Number.isSafeInteger(u),
  (u, c) =>
    typeof u === 'string' && /^-?\d{1,16}$/.test(u) && Number.isSafeInteger(Number(u))
      ? t.success(Number(u))
      : t.failure(u, c, 'expected an integer'),
  String
)

/**
 * io-ts codec of a boolean as text: `true` or `false`.
 *
 * @example
 * import { BooleanString } from 'fp-aws/core/RestJson'
 *
 * assert.deepStrictEqual(BooleanString.decode('false'), { _tag: 'Right', right: false })
 * assert.strictEqual(BooleanString.decode('yes')._tag, 'Left')
 *
 * @category codecs
 * @since 0.2.0
 */
export const BooleanString: t.Type<boolean, string, unknown> = new t.Type<boolean, string, unknown>(
  'boolean',
  (u): u is boolean => typeof u === 'boolean',
  (u, c) => (u === 'true' ? t.success(true) : u === 'false' ? t.success(false) : t.failure(u, c, 'expected a boolean')),
  String
)

// -------------------------------------------------------------------------------------
// Maps bound to the query string and the headers
// -------------------------------------------------------------------------------------

/**
 * Checks and flattens a map bound by `httpQueryParams` (string to string, or to a list of
 * strings): the pairs to append after the query members, in the map's order, each list item
 * its own pair. A key in `bound` (one a query member or the URI binds) is skipped, never
 * overridden. The message names the field and never contains a value.
 *
 * @example
 * import { queryParams } from 'fp-aws/core/RestJson'
 *
 * assert.deepStrictEqual(queryParams('params', ['page'])({ a: 'x', b: ['1', '2'], page: '9' }), {
 *   _tag: 'Right',
 *   right: [['a', 'x'], ['b', '1'], ['b', '2']]
 * })
 * assert.strictEqual(queryParams('params', [])({ a: 1 })._tag, 'Left')
 *
 * @category validation
 * @since 0.2.0
 */
export const queryParams =
  (field: string, bound: ReadonlyArray<string>) =>
  (value: unknown): E.Either<string, ReadonlyArray<readonly [string, string]>> => {
    const name = fieldName(field)
    try {
      const skip = new Set(Array.isArray(bound) ? bound : [])
      if (!isPlainObject(value)) return E.left(`${name} must be a map of strings`)
      const out: Array<readonly [string, string]> = []
      for (const k of Object.keys(value)) {
        const v = (value as Record<string, unknown>)[k]
        if (LONE_SURROGATE.test(k)) return E.left(`${name} has a key with a lone UTF-16 surrogate, which cannot be encoded`)
        const items = typeof v === 'string' ? [v] : Array.isArray(v) ? (v as ReadonlyArray<unknown>) : undefined
        if (items === undefined || !items.every((i) => typeof i === 'string'))
          return E.left(`${name} must map each key to a string or a list of strings`)
        for (const i of items as ReadonlyArray<string>)
          if (LONE_SURROGATE.test(i)) return E.left(`${name} has a value with a lone UTF-16 surrogate, which cannot be encoded`)
        if (!skip.has(k)) for (const i of items as ReadonlyArray<string>) out.push([k, i])
      }
      return E.right(out)
    } catch {
      return E.left(`${name} cannot be read`)
    }
  }

/** An HTTP header name: an RFC 9110 token. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/**
 * Headers the runtime or the transport writes: a prefix-header map may not set them (nor
 * one of `SECRET_HEADERS`).
 *
 * @category constants
 * @since 0.2.0
 */
export const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  'host',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'trailer',
  'upgrade',
  'expect',
  'user-agent',
  'accept-encoding'
])

/**
 * Checks a map bound by `httpPrefixHeaders` and names its headers: each key, after the
 * prefix, must make a valid header name that is not one the operation (`bound`) or the
 * runtime sets (`host`, `content-length`, `user-agent`, …), and each value must be a valid
 * header value (as `validateHeaderValue`). Names are lower-cased; two keys that differ only
 * in case are refused. The message names the field and never contains a value.
 *
 * @example
 * import { prefixHeaders } from 'fp-aws/core/RestJson'
 *
 * assert.deepStrictEqual(prefixHeaders('meta', 'x-meta-', [])({ Color: 'red' }), { _tag: 'Right', right: { 'x-meta-color': 'red' } })
 * assert.strictEqual(prefixHeaders('meta', 'x-meta-', [])({ 'a b': 'red' })._tag, 'Left')
 * assert.strictEqual(prefixHeaders('meta', '', [])({ host: 'evil' })._tag, 'Left')
 *
 * @category validation
 * @since 0.2.0
 */
export const prefixHeaders =
  (field: string, prefix: string, bound: ReadonlyArray<string>) =>
  (value: unknown): E.Either<string, Readonly<Record<string, string>>> => {
    const name = fieldName(field)
    try {
      const taken = new Set(Array.isArray(bound) ? bound.map((b) => String(b).toLowerCase()) : [])
      const pre = typeof prefix === 'string' ? prefix : ''
      if (!isPlainObject(value)) return E.left(`${name} must be a map of strings`)
      const out: Record<string, string> = {}
      for (const k of Object.keys(value)) {
        const v = (value as Record<string, unknown>)[k]
        const header = `${pre}${k}`.toLowerCase()
        if (k === '' || !TOKEN.test(header)) return E.left(`${name} has a key that does not make a valid HTTP header name`)
        if (RESERVED_HEADERS.has(header) || taken.has(header) || SECRET_HEADERS.has(header))
          return E.left(`${name} would set the ${header} header, which the request sets itself`)
        if (Object.prototype.hasOwnProperty.call(out, header)) return E.left(`${name} sets the ${header} header twice`)
        const checked = validateHeaderValue(`${name}.${k}`)(v as string)
        if (E.isLeft(checked)) return E.left(typeof v === 'string' ? checked.left : `${name} must map each key to a string`)
        defineOwn(out, header, checked.right)
      }
      return E.right(out)
    } catch {
      return E.left(`${name} cannot be read`)
    }
  }

/** Headers that carry credentials: a prefix-header map never sets them (they would not be redacted as secrets of the request). */

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
export const decodeJsonResponse = <A>(
  operation: string,
  codec: t.Decoder<unknown, A>
): ((res: HttpResponse) => E.Either<SerializeError, A>) => {
  const name = typeof operation === 'string' ? operation : 'operation'
  const read = readerOf(codec)
  return (res) => {
    try {
      return decodeChecked(name, codec, read, res)
    } catch {
      return E.left(serializeError(`${name}: the response cannot be read`, 0))
    }
  }
}

const decodeChecked = <A>(
  operation: string,
  codec: t.Decoder<unknown, A>,
  read: Reader | undefined,
  res: HttpResponse
): E.Either<SerializeError, A> => {
  let json: unknown
  try {
    json = JSON.parse(utf8.decode(res.body))
  } catch {
    return E.left(serializeError(`${operation}: the response body is not valid JSON`, res.status))
  }
  const v = read === undefined ? MISS : read(json)
  if (v !== MISS) return E.right(v as A)
  return pipe(
    codec.decode(json),
    E.mapLeft((errors) =>
      serializeError(`${operation}: the response body does not match the model (${describeErrors(errors)})`, res.status)
    )
  )
}

/**
 * Reads a response header bound to a member (`httpHeader`) with `codec` (a codec from text:
 * `t.string`, `IntegerString`, `BooleanString`, `HttpDate`, …): `None` when it is absent, a
 * `SerializeError` naming the header (never its value) when it does not decode.
 *
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { IntegerString, readHeader } from 'fp-aws/core/RestJson'
 *
 * const res = { status: 200, headers: { 'x-count': '3' }, body: new Uint8Array() }
 * assert.deepStrictEqual(readHeader('Op', 'x-count', IntegerString)(res), { _tag: 'Right', right: O.some(3) })
 * assert.deepStrictEqual(readHeader('Op', 'x-other', IntegerString)(res), { _tag: 'Right', right: O.none })
 *
 * @category decoding
 * @since 0.2.0
 */
export const readHeader =
  <A>(operation: string, header: string, codec: t.Decoder<unknown, A>) =>
  (res: HttpResponse): E.Either<SerializeError, Option<A>> => {
    const name = typeof operation === 'string' ? operation : 'operation'
    try {
      const v: unknown = res.headers[String(header).toLowerCase()]
      if (v === undefined) return E.right(O.none)
      const r = codec.decode(v)
      return E.isRight(r)
        ? E.right(O.some(r.right))
        : E.left(serializeError(`${name}: the response header ${String(header)} does not match the model (expected ${String(codec.name)})`, res.status))
    } catch {
      return E.left(serializeError(`${name}: the response cannot be read`, 0))
    }
  }

/**
 * Reads a required response header (as `readHeader`): its absence is a `SerializeError`.
 *
 * @example
 * import { readRequiredHeader } from 'fp-aws/core/RestJson'
 * import * as t from 'io-ts'
 *
 * const res = { status: 200, headers: {}, body: new Uint8Array() }
 * assert.strictEqual(readRequiredHeader('Op', 'x-id', t.string)(res)._tag, 'Left')
 *
 * @category decoding
 * @since 0.2.0
 */
export const readRequiredHeader =
  <A>(operation: string, header: string, codec: t.Decoder<unknown, A>) =>
  (res: HttpResponse): E.Either<SerializeError, A> => {
    const r = readHeader(operation, header, codec)(res)
    if (E.isLeft(r)) return r
    return O.isSome(r.right)
      ? E.right(r.right.value)
      : E.left(serializeError(`${typeof operation === 'string' ? operation : 'operation'}: the response has no ${String(header)} header`, statusOf(res)))
  }

const statusOf = (res: HttpResponse): number => {
  try {
    return typeof res.status === 'number' ? res.status : 0
  } catch {
    return 0
  }
}

/**
 * The response headers a map member bound by `httpPrefixHeaders` holds: every header whose
 * (lower-case) name starts with `prefix`, keyed by the rest of its name.
 *
 * @example
 * import { readPrefixHeaders } from 'fp-aws/core/RestJson'
 *
 * const res = { status: 200, headers: { 'x-meta-color': 'red', 'content-type': 'application/json' }, body: new Uint8Array() }
 * assert.deepStrictEqual(readPrefixHeaders('x-meta-')(res), { color: 'red' })
 *
 * @category decoding
 * @since 0.2.0
 */
export const readPrefixHeaders =
  (prefix: string) =>
  (res: HttpResponse): Readonly<Record<string, string>> => {
    const out: Record<string, string> = {}
    try {
      const pre = String(prefix).toLowerCase()
      for (const k of Object.keys(res.headers)) {
        const v: unknown = res.headers[k]
        const name = k.toLowerCase()
        if (name.startsWith(pre) && name.length > pre.length && typeof v === 'string') defineOwn(out, name.slice(pre.length), v)
      }
    } catch {
      // headers that cannot be read hold nothing
    }
    return out
  }

/**
 * Reads a response body bound to a string member (`httpPayload`): the body as UTF-8 text;
 * bytes that are not UTF-8 are a `SerializeError`.
 *
 * @example
 * import { decodeTextResponse } from 'fp-aws/core/RestJson'
 *
 * const body = new TextEncoder().encode('hello')
 * assert.deepStrictEqual(decodeTextResponse('Op')({ status: 200, headers: {}, body }), { _tag: 'Right', right: 'hello' })
 *
 * @category decoding
 * @since 0.2.0
 */
export const decodeTextResponse =
  (operation: string) =>
  (res: HttpResponse): E.Either<SerializeError, string> => {
    const name = typeof operation === 'string' ? operation : 'operation'
    try {
      return E.right(utf8.decode(res.body))
    } catch {
      return E.left(serializeError(`${name}: the response body is not UTF-8 text`, statusOf(res)))
    }
  }
