/**
 * What the SSO portal emulator knows: the demo seed it starts with by default, and the
 * io-ts codec of a seed file (`{ "tokens": { "<accessToken>": { "accounts": [...] } } }`),
 * as read by `fp-aws sso emulator --seed file.json`.
 *
 * Decoding errors name the offending place, never a value: the keys of `tokens` are access
 * tokens, so they show as `<token #n>` (their position in the file).
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import { isPlainObject } from '../core/Args.js'
import type { AccountSeed, TokenSeed } from './operations.js'

// -------------------------------------------------------------------------------------
// demo
// -------------------------------------------------------------------------------------

/**
 * The access token the emulator accepts when started without `tokens`. It is a public,
 * documented constant (not a secret): it works only against a local emulator.
 *
 * @category demo
 * @since 0.1.0
 */
export const DEMO_TOKEN = 'fp-aws-demo-token'

/**
 * The seed the emulator starts with when given no `tokens`: {@link DEMO_TOKEN}, assigned two
 * accounts, `123456789012` (`demo-dev`: `AdministratorAccess`, `Developer`, `ReadOnly`) and
 * `210987654321` (`demo-prod`: `ReadOnly`, `Billing`). Deeply frozen.
 *
 * @example
 * import { DEMO_SEED, DEMO_TOKEN } from 'fp-aws/emulator'
 *
 * const accounts = DEMO_SEED[DEMO_TOKEN]?.accounts ?? []
 * assert.deepStrictEqual(accounts.map((a) => a.accountId), ['123456789012', '210987654321'])
 *
 * @category demo
 * @since 0.1.0
 */
export const DEMO_SEED: Readonly<Record<string, TokenSeed>> = Object.freeze({
  [DEMO_TOKEN]: Object.freeze({
    accounts: Object.freeze([
      Object.freeze({
        accountId: '123456789012',
        accountName: 'demo-dev',
        emailAddress: 'dev@example.com',
        roles: Object.freeze(['AdministratorAccess', 'Developer', 'ReadOnly'])
      }),
      Object.freeze({
        accountId: '210987654321',
        accountName: 'demo-prod',
        emailAddress: 'prod@example.com',
        roles: Object.freeze(['ReadOnly', 'Billing'])
      })
    ])
  })
})

// -------------------------------------------------------------------------------------
// codecs
// -------------------------------------------------------------------------------------

const nonEmptyString = new t.Type<string, string, unknown>(
  'a non-empty string',
  (u): u is string => typeof u === 'string' && u.length > 0,
  (u, c) => (typeof u === 'string' && u.length > 0 ? t.success(u) : t.failure(u, c)),
  (a) => a
)

/**
 * `codec`, failing on fields it does not know. The unknown names are not shown: a misplaced
 * access token would be one.
 */
const closed = <C extends t.Mixed>(codec: C, known: ReadonlyArray<string>, name: string): t.Type<t.TypeOf<C>, t.OutputOf<C>, unknown> =>
  new t.Type<t.TypeOf<C>, t.OutputOf<C>, unknown>(
    name,
    (u): u is t.TypeOf<C> => codec.is(u) && isPlainObject(u) && Object.keys(u).every((k) => known.includes(k)),
    (u, c) => {
      if (!isPlainObject(u)) return t.failure(u, c, `expected ${name}`)
      const extra = Object.keys(u).filter((k) => !known.includes(k)).length
      return extra === 0
        ? codec.validate(u, c)
        : t.failure(u, c, `${extra} unknown field${extra === 1 ? '' : 's'} (expected only ${known.join(', ')})`)
    },
    codec.encode
  )

/**
 * An account assigned to a token: `{ accountId, accountName, emailAddress, roles }`, every
 * string non-empty, no other field.
 *
 * @category codecs
 * @since 0.1.0
 */
export const AccountSeedC: t.Type<AccountSeed, AccountSeed, unknown> = closed(
  t.type({
    accountId: nonEmptyString,
    accountName: nonEmptyString,
    emailAddress: nonEmptyString,
    roles: t.readonlyArray(nonEmptyString, 'an array of role names')
  }),
  ['accountId', 'accountName', 'emailAddress', 'roles'],
  'an account object'
)

/**
 * What a token can see: `{ accounts?: AccountSeed[] }`, no other field.
 *
 * @category codecs
 * @since 0.1.0
 */
export const TokenSeedC: t.Type<TokenSeed, TokenSeed, unknown> = closed(
  t.partial({ accounts: t.readonlyArray(AccountSeedC, 'an array of accounts') }),
  ['accounts'],
  'a token object'
)

/**
 * A whole seed file: `{ "tokens": { "<accessToken>": TokenSeed } }`, no other field. Every
 * access token must be a non-empty string.
 *
 * @category codecs
 * @since 0.1.0
 */
export const SeedFileC: t.Type<{ readonly tokens: Readonly<Record<string, TokenSeed>> }, unknown, unknown> = closed(
  t.type({ tokens: t.record(t.string, TokenSeedC, 'an object of tokens') }),
  ['tokens'],
  'an object with a "tokens" field'
)

// -------------------------------------------------------------------------------------
// decoding
// -------------------------------------------------------------------------------------

/** How many problems a report lists at most. */
const MAX_REPORTED = 10

/** Where an error is, as `tokens[<token #2>].accounts[0].roles[1]`, with no token shown. */
const location = (context: t.Context): string => {
  let out = ''
  for (let i = 1; i < context.length; i++) {
    const parent = context[i - 1]
    const entry = context[i]
    if (parent === undefined || entry === undefined) continue
    const tag = (parent.type as unknown as { _tag?: string })._tag
    if (tag === 'UnionType' || tag === 'IntersectionType') continue
    if (tag === 'DictionaryType') {
      const keys = isPlainObject(parent.actual) ? Object.keys(parent.actual) : []
      out += `[<token #${keys.indexOf(entry.key) + 1}>]`
    } else if (/^\d+$/.test(entry.key) && (tag === 'ArrayType' || tag === 'ReadonlyArrayType')) {
      out += `[${entry.key}]`
    } else {
      out += out === '' ? entry.key : `.${entry.key}`
    }
  }
  return out === '' ? 'the file' : out
}

const describe = (e: t.ValidationError): string => {
  const last = e.context[e.context.length - 1]
  return `${location(e.context)}: ${e.message ?? `expected ${last?.type.name ?? 'something else'}`}`
}

/**
 * Decodes a parsed seed file into the emulator's `tokens` option. `Left` holds one line
 * per problem (at most ten), each naming a place in the file, never a value or a token.
 *
 * @example
 * import { decodeSeedFile } from 'fp-aws/emulator'
 *
 * const ok = decodeSeedFile({ tokens: { t: { accounts: [] } } })
 * assert.deepStrictEqual(ok, { _tag: 'Right', right: { t: { accounts: [] } } })
 *
 * const bad = decodeSeedFile({ tokens: { 'secret-token': { accounts: [{ accountId: 1 }] } } })
 * assert.strictEqual(bad._tag, 'Left')
 * if (bad._tag === 'Left') assert.ok(!bad.left.join('\n').includes('secret-token'))
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodeSeedFile = (u: unknown): E.Either<ReadonlyArray<string>, Readonly<Record<string, TokenSeed>>> => {
  try {
    return decodeChecked(u)
  } catch {
    return E.left(['the seed cannot be read (a member threw)'])
  }
}

const decodeChecked = (u: unknown): E.Either<ReadonlyArray<string>, Readonly<Record<string, TokenSeed>>> =>
  pipe(
    SeedFileC.decode(u),
    E.bimap(
      (errors) => {
        const lines = [...new Set(errors.map(describe))]
        return lines.length > MAX_REPORTED
          ? [...lines.slice(0, MAX_REPORTED), `… and ${lines.length - MAX_REPORTED} more`]
          : lines
      },
      (file) => file.tokens
    )
  )

/**
 * Parses and decodes the text of a seed file. Invalid JSON is reported without quoting the
 * text (which holds tokens).
 *
 * @example
 * import { parseSeedFile } from 'fp-aws/emulator'
 *
 * assert.strictEqual(parseSeedFile('{"tokens":{}}')._tag, 'Right')
 * assert.deepStrictEqual(parseSeedFile('{"tokens": {"secret-token"'), { _tag: 'Left', left: ['the file is not valid JSON'] })
 *
 * @category decoding
 * @since 0.1.0
 */
export const parseSeedFile = (text: string): E.Either<ReadonlyArray<string>, Readonly<Record<string, TokenSeed>>> =>
  pipe(
    E.tryCatch(
      () => (typeof text === 'string' ? (JSON.parse(text) as unknown) : undefined),
      (): ReadonlyArray<string> => ['the file is not valid JSON']
    ),
    E.chain(decodeSeedFile)
  )
