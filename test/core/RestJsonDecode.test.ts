/**
 * The decoding of a response body equals io-ts's own `t.exact(t.type(props))` decoding, the
 * implementation the fast paths of `structureCodec`, `optionFromNullable` and
 * `arrayFromNullable` (their validation, and the readers `decodeJsonResponse` tries first)
 * replaced (kept below as the reference): on arbitrary JSON, the same success/error split,
 * `Right` values that deep-equal (secrets compared by their revealed value), and `Left`s with
 * the same errors under the same paths.
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import type { Option } from 'fp-ts/lib/Option.js'
import * as t from 'io-ts'
import { describe, expect, it } from 'vitest'
import {
  arrayFromNullable,
  DateTime,
  decodeJsonResponse,
  dropUndefined,
  Integer,
  optionFromNullable,
  SensitiveString,
  structureCodec,
  withDefault
} from '../../src/core/RestJson.js'
import { isSensitive, reveal } from '../../src/core/Sensitive.js'
import { CreateTokenResponseCodec } from '../../src/services/sso-oidc/CreateToken.js'
import { GetRoleCredentialsResponseCodec } from '../../src/services/sso/GetRoleCredentials.js'
import { ListAccountRolesResponseCodec } from '../../src/services/sso/ListAccountRoles.js'
import { ListAccountsResponseCodec } from '../../src/services/sso/ListAccounts.js'

// -------------------------------------------------------------------------------------
// reference: the codecs as io-ts combinators, before the fast path
// -------------------------------------------------------------------------------------

const refOption = <A, O>(codec: t.Type<A, O, unknown>): t.Type<Option<A>, O | undefined, unknown> =>
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

const refArray = <A, O>(codec: t.Type<A, O, unknown>): t.Type<ReadonlyArray<A>, ReadonlyArray<O>, unknown> => {
  const list = t.readonlyArray(codec)
  return new t.Type<ReadonlyArray<A>, ReadonlyArray<O>, unknown>(
    `ReadonlyArray<${codec.name}>`,
    list.is,
    (u, c) => (u === undefined || u === null ? t.success([]) : list.validate(u, c)),
    list.encode
  )
}

const defineOwn = (o: Record<string, unknown>, k: string, v: unknown): void => {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true })
}

const refStructure = <P extends t.Props>(name: string, props: P, wire: Record<string, string> = {}): t.Mixed => {
  const base = t.exact(t.type(props))
  const keyOf = (member: string): string => wire[member] ?? member
  return new t.Type<unknown, unknown, unknown>(
    name,
    (u): u is unknown => base.is(u),
    (u, c) => {
      if (Object.keys(wire).length === 0) {
        if (typeof u === 'object' && u !== null && Object.prototype.hasOwnProperty.call(u, '__proto__')) {
          const own: Record<string, unknown> = {}
          for (const k of Object.keys(props))
            if (Object.prototype.hasOwnProperty.call(u, k)) defineOwn(own, k, (u as Record<string, unknown>)[k])
          return base.validate(own, c)
        }
        return base.validate(u, c)
      }
      if (typeof u !== 'object' || u === null || Array.isArray(u)) return base.validate(u, c)
      const byMember: Record<string, unknown> = {}
      for (const k of Object.keys(props)) defineOwn(byMember, k, (u as Record<string, unknown>)[keyOf(k)])
      return base.validate(byMember, c)
    },
    (a) => dropUndefined(base.encode(a as never))
  )
}

// -------------------------------------------------------------------------------------
// the pairs under test
// -------------------------------------------------------------------------------------

const refRoleCredentials = refStructure('RoleCredentials', {
  accessKeyId: refOption(t.string),
  secretAccessKey: refOption(SensitiveString),
  sessionToken: refOption(SensitiveString),
  expiration: withDefault(Integer, 0)
})
const refAccountInfo = refStructure('AccountInfo', {
  accountId: refOption(t.string),
  accountName: refOption(t.string),
  emailAddress: refOption(t.string)
})
const refRoleInfo = refStructure('RoleInfo', { roleName: refOption(t.string), accountId: refOption(t.string) })

const renamedProps = () => ({
  itemCount: Integer,
  items: arrayFromNullable(optionFromNullable(t.string)),
  flag: optionFromNullable(t.boolean)
})
const refRenamedProps = { itemCount: Integer, items: refArray(refOption(t.string)), flag: refOption(t.boolean) }

// a member without a reader (a timestamp) next to members with one, in a list of structures
const mixedProps = () => ({
  at: optionFromNullable(DateTime),
  items: arrayFromNullable(structureCodec('Inner', { a: optionFromNullable(t.string), n: withDefault(Integer, 0) })),
  secret: optionFromNullable(SensitiveString),
  on: t.boolean
})
const refMixedProps = {
  at: refOption(DateTime),
  items: refArray(refStructure('Inner', { a: refOption(t.string), n: withDefault(Integer, 0) })),
  secret: refOption(SensitiveString),
  on: t.boolean
}

const pairs: ReadonlyArray<{
  readonly name: string
  readonly codec: t.Mixed
  readonly ref: t.Mixed
  readonly keys: ReadonlyArray<string>
}> = [
  {
    name: 'GetRoleCredentialsResponse',
    codec: GetRoleCredentialsResponseCodec,
    ref: refStructure('GetRoleCredentialsResponse', { roleCredentials: refOption(refRoleCredentials) }),
    keys: ['roleCredentials', 'accessKeyId', 'secretAccessKey', 'sessionToken', 'expiration']
  },
  {
    name: 'ListAccountsResponse',
    codec: ListAccountsResponseCodec,
    ref: refStructure('ListAccountsResponse', {
      nextToken: refOption(t.string),
      accountList: refArray(refAccountInfo)
    }),
    keys: ['nextToken', 'accountList', 'accountId', 'accountName', 'emailAddress']
  },
  {
    name: 'ListAccountRolesResponse',
    codec: ListAccountRolesResponseCodec,
    ref: refStructure('ListAccountRolesResponse', { nextToken: refOption(t.string), roleList: refArray(refRoleInfo) }),
    keys: ['nextToken', 'roleList', 'roleName', 'accountId']
  },
  {
    name: 'CreateTokenResponse',
    codec: CreateTokenResponseCodec,
    ref: refStructure('CreateTokenResponse', {
      accessToken: refOption(SensitiveString),
      tokenType: refOption(t.string),
      expiresIn: withDefault(Integer, 0),
      refreshToken: refOption(SensitiveString),
      idToken: refOption(SensitiveString)
    }),
    keys: ['accessToken', 'tokenType', 'expiresIn', 'refreshToken', 'idToken']
  },
  {
    name: 'a structure with a renamed member',
    codec: structureCodec('Renamed', renamedProps(), { itemCount: 'item_count' }),
    ref: refStructure('Renamed', refRenamedProps, { itemCount: 'item_count' }),
    keys: ['item_count', 'itemCount', 'items', 'flag']
  },
  {
    name: 'a structure with a member that has no reader',
    codec: structureCodec('Mixed', mixedProps()),
    ref: refStructure('Mixed', refMixedProps),
    keys: ['at', 'items', 'a', 'n', 'secret', 'on']
  },
  {
    name: 'a structure whose members all have readers, in a list',
    codec: structureCodec('Outer', {
      inner: arrayFromNullable(
        structureCodec('Inner', { a: optionFromNullable(t.string), n: withDefault(Integer, 0) })
      ),
      on: t.boolean
    }),
    ref: refStructure('Outer', {
      inner: refArray(refStructure('Inner', { a: refOption(t.string), n: withDefault(Integer, 0) })),
      on: t.boolean
    }),
    keys: ['inner', 'a', 'n', 'on']
  }
]

// -------------------------------------------------------------------------------------
// comparison
// -------------------------------------------------------------------------------------

/** A value as plain data: secrets revealed, objects as sorted entries with their prototype. */
const normalize = (u: unknown): unknown => {
  if (isSensitive(u)) return { sensitive: reveal(u) }
  if (Array.isArray(u)) return { array: u.map(normalize) }
  if (typeof u === 'object' && u !== null) {
    const proto: unknown = Object.getPrototypeOf(u)
    return {
      proto: proto === Object.prototype ? 'Object' : proto === null ? 'null' : 'other',
      entries: Object.keys(u)
        .sort()
        .map((k) => [k, normalize((u as Record<string, unknown>)[k])])
    }
  }
  return u
}

const outcome = (v: t.Validation<unknown>): unknown =>
  v._tag === 'Right'
    ? { right: normalize(v.right) }
    : {
        left: v.left.map((e) => ({
          path: e.context.map((c) => c.key),
          types: e.context.map((c) => c.type.name),
          message: e.message
        }))
      }

// -------------------------------------------------------------------------------------
// arbitraries
// -------------------------------------------------------------------------------------

/** JSON text of objects whose keys are mostly the model's, `__proto__` and unknown ones. */
const jsonText = (keys: ReadonlyArray<string>): fc.Arbitrary<string> => {
  const key = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...keys) },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'extra', 'constructor', 'toString') },
    { weight: 1, arbitrary: fc.string({ maxLength: 4 }) }
  )
  const leaf = fc.oneof(
    fc.string({ maxLength: 6 }).map((s) => JSON.stringify(s)),
    fc.integer().map(String),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
    fc.constantFrom('null', 'true', 'false', '[]', '{}')
  )
  const { value } = fc.letrec<{ value: string; obj: string; arr: string }>((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('obj'), tie('arr')),
    obj: fc
      .array(fc.tuple(key, tie('value')), { maxLength: 6 })
      .map((es) => `{${es.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
    arr: fc.array(tie('value'), { maxLength: 4 }).map((vs) => `[${vs.join(',')}]`)
  }))
  return value
}

/** Well-formed bodies, so that the `Right` side is exercised as much as the `Left`. */
const wellFormed = (name: string): fc.Arbitrary<unknown> => {
  const opt = <A>(a: fc.Arbitrary<A>) => fc.option(a, { nil: null })
  const account = fc.record(
    {
      accountId: opt(fc.string()),
      accountName: opt(fc.string()),
      emailAddress: opt(fc.string()),
      extra: fc.jsonValue()
    },
    { requiredKeys: [] }
  )
  const role = fc.record(
    { roleName: opt(fc.string()), accountId: opt(fc.string()), extra: fc.jsonValue() },
    { requiredKeys: [] }
  )
  switch (name) {
    case 'GetRoleCredentialsResponse':
      return fc.record(
        {
          roleCredentials: opt(
            fc.record(
              {
                accessKeyId: opt(fc.string()),
                secretAccessKey: opt(fc.string()),
                sessionToken: opt(fc.string()),
                expiration: opt(fc.oneof(fc.maxSafeInteger(), fc.double()))
              },
              { requiredKeys: [] }
            )
          )
        },
        { requiredKeys: [] }
      )
    case 'ListAccountsResponse':
      return fc.record({ nextToken: opt(fc.string()), accountList: opt(fc.array(account)) }, { requiredKeys: [] })
    case 'ListAccountRolesResponse':
      return fc.record({ nextToken: opt(fc.string()), roleList: opt(fc.array(role)) }, { requiredKeys: [] })
    case 'CreateTokenResponse':
      return fc.record(
        {
          accessToken: opt(fc.string()),
          tokenType: opt(fc.string()),
          expiresIn: opt(fc.integer()),
          refreshToken: opt(fc.string()),
          idToken: opt(fc.string())
        },
        { requiredKeys: [] }
      )
    case 'a structure with a member that has no reader':
    case 'a structure whose members all have readers, in a list': {
      const inner = fc.record(
        { a: opt(fc.string()), n: opt(fc.integer()), extra: fc.jsonValue() },
        { requiredKeys: [] }
      )
      return fc.record(
        {
          at: opt(fc.constantFrom('2026-11-30T02:00:00Z', '1985-04-12T23:20:50.52+01:00', 'not a date')),
          items: opt(fc.array(inner)),
          inner: opt(fc.array(inner)),
          secret: opt(fc.string()),
          on: fc.boolean()
        },
        { requiredKeys: ['on'] }
      )
    }
    default:
      return fc.record(
        {
          item_count: fc.oneof(fc.integer(), fc.string()),
          items: opt(fc.array(opt(fc.string()))),
          flag: opt(fc.boolean())
        },
        { requiredKeys: [] }
      )
  }
}

describe('response decoding equals the io-ts combinators it replaced', () => {
  for (const { name, codec, ref, keys } of pairs) {
    describe(name, () => {
      it('on arbitrary JSON values', () => {
        fc.assert(
          fc.property(fc.jsonValue(), (json) => {
            expect(outcome(codec.decode(json))).toStrictEqual(outcome(ref.decode(json)))
          }),
          { numRuns: 300 }
        )
      })

      it('on JSON objects made of the model keys, "__proto__" and unknown keys', () => {
        fc.assert(
          fc.property(jsonText(keys), (text) => {
            const a: unknown = JSON.parse(text)
            const b: unknown = JSON.parse(text)
            expect(outcome(codec.decode(a))).toStrictEqual(outcome(ref.decode(b)))
          }),
          { numRuns: 500 }
        )
      })

      it('as a response body (decodeJsonResponse), the same Right, and a SerializeError for every Left', () => {
        const read = decodeJsonResponse(name, codec)
        fc.assert(
          fc.property(
            fc.oneof(
              jsonText(keys),
              wellFormed(name).map((u) => JSON.stringify(u))
            ),
            (text) => {
              const got = read({ status: 200, headers: {}, body: new TextEncoder().encode(text) })
              const want = ref.decode(JSON.parse(text))
              expect(got._tag).toBe(want._tag)
              if (want._tag === 'Right' && got._tag === 'Right')
                expect(normalize(got.right)).toStrictEqual(normalize(want.right))
              else expect(got._tag === 'Left' && got.left._tag).toBe('SerializeError')
            }
          ),
          { numRuns: 500 }
        )
      })

      it('on well-formed bodies (mostly Right)', () => {
        let rights = 0
        fc.assert(
          fc.property(wellFormed(name), (json) => {
            const got = codec.decode(json)
            if (got._tag === 'Right') rights++
            expect(outcome(got)).toStrictEqual(outcome(ref.decode(json)))
          }),
          { numRuns: 300 }
        )
        expect(rights).toBeGreaterThan(0)
      })
    })
  }

  it('leaves the input untouched', () => {
    const json: unknown = JSON.parse('{"accountList":[{"accountId":"1","extra":1}],"nextToken":null,"x":2}')
    const before = JSON.stringify(json)
    expect(ListAccountsResponseCodec.decode(json)._tag).toBe('Right')
    expect(JSON.stringify(json)).toBe(before)
  })

  it('an Object.create(null) record that io-ts returns as it is keeps its null prototype (the reader leaves it to validate)', () => {
    const pair = pairs.find((p) => p.name === 'a structure whose members all have readers, in a list')
    const bare = Object.assign(Object.create(null) as object, { inner: [], on: false })
    const got = pair?.codec.decode(bare)
    const want = (pair?.ref as t.Mixed).decode(bare)
    expect(got?._tag === 'Right' && normalize(got.right)).toStrictEqual(want._tag === 'Right' && normalize(want.right))
  })

  it('decodes objects that are not plain (class instances, Object.create(null), a Date, a Map) as io-ts does', () => {
    class Box {
      nextToken = 'n'
      accountList = null
    }
    const bare = Object.assign(Object.create(null) as object, { nextToken: 'n', extra: 1 })
    class Getter {
      get nextToken(): string {
        return 'from the prototype'
      }
    }
    const date = Object.assign(new Date(0), { nextToken: 'n' })
    const ref = pairs[1]?.ref as t.Mixed
    for (const u of [new Box(), bare, new Getter(), date, new Map([['nextToken', 'n']]), /n/, new Date(0)])
      expect(outcome(ListAccountsResponseCodec.decode(u))).toStrictEqual(outcome(ref.decode(u)))
  })
})
