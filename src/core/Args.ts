/**
 * Run-time checks of what a JavaScript caller passes to a public function: TypeScript's
 * types do not exist at run time, so an options object may be `null`, a proxy whose traps
 * throw, or have a getter that throws. These helpers read such a value once, never throw,
 * and say what is wrong without quoting the value (it may be a secret).
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'

/**
 * Copies an options object into a plain object, reading each member once: the members
 * listed (inherited ones too) and every own enumerable one. `undefined` (and `null`, as
 * JavaScript callers use it for "none") reads as `{}`; anything else that is not an object,
 * or a member whose read throws, is a `Left` saying so.
 *
 * @example
 * import { readOptions } from 'fp-aws/core/Args'
 *
 * assert.deepStrictEqual(readOptions({ a: 1, b: 2 }, ['a']), { _tag: 'Right', right: { a: 1, b: 2 } })
 * assert.deepStrictEqual(readOptions(null, ['a']), { _tag: 'Right', right: {} })
 * assert.deepStrictEqual(readOptions(5, ['a']), { _tag: 'Left', left: 'must be an object' })
 *
 * @category validation
 * @since 0.2.0
 */
export const readOptions = <K extends string>(
  value: unknown,
  keys: ReadonlyArray<K>
): E.Either<string, Partial<Record<K, unknown>>> => {
  if (value === undefined || value === null) return E.right({})
  if (typeof value !== 'object' && typeof value !== 'function') return E.left('must be an object')
  const out: Partial<Record<K, unknown>> = {}
  let names: ReadonlyArray<unknown>
  try {
    // the members asked for, and every other own enumerable one (options added later are kept)
    names = [...new Set([...(Array.isArray(keys) ? (keys as ReadonlyArray<unknown>) : []), ...Object.keys(value)])]
  } catch {
    return E.left('cannot be read (its members cannot be listed)')
  }
  for (const k of names) {
    if (typeof k !== 'string') continue
    try {
      const v: unknown = (value as Record<string, unknown>)[k]
      if (v !== undefined) out[k as K] = v
    } catch {
      return E.left(`cannot be read (its '${k}' member threw)`)
    }
  }
  return E.right(out)
}

/**
 * Copies an environment (`process.env`-like: names to strings) into a plain object.
 * Members whose value is `undefined` are left out; anything else that is not a string, or
 * an object that cannot be read, is a `Left` naming the variable (never its value).
 *
 * @example
 * import { readEnv } from 'fp-aws/core/Args'
 *
 * assert.deepStrictEqual(readEnv({ A: 'x', B: undefined }), { _tag: 'Right', right: { A: 'x' } })
 * assert.deepStrictEqual(readEnv({ A: 5 }), { _tag: 'Left', left: "variable 'A' is not a string" })
 * assert.deepStrictEqual(readEnv(undefined), { _tag: 'Left', left: 'must be an object of strings' })
 *
 * @category validation
 * @since 0.2.0
 */
export const readEnv = (value: unknown): E.Either<string, Readonly<Record<string, string>>> => {
  if (typeof value !== 'object' || value === null) return E.left('must be an object of strings')
  try {
    if (Array.isArray(value)) return E.left('must be an object of strings')
    const out: Record<string, string> = {}
    for (const k of Object.keys(value)) {
      const v: unknown = (value as Record<string, unknown>)[k]
      if (v === undefined) continue
      if (typeof v !== 'string') return E.left(`variable '${k.length > 100 ? `${k.slice(0, 100)}…` : k}' is not a string`)
      out[k] = v
    }
    return E.right(out)
  } catch {
    return E.left('cannot be read')
  }
}

/**
 * Whether a value is a non-empty string.
 *
 * @example
 * import { isNonEmptyString } from 'fp-aws/core/Args'
 *
 * assert.strictEqual(isNonEmptyString('a'), true)
 * assert.strictEqual(isNonEmptyString(''), false)
 *
 * @category validation
 * @since 0.2.0
 */
export const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value !== ''

/**
 * Whether a value is a JSON-style object: not `null`, not an array. A revoked proxy, which
 * cannot even be asked whether it is an array, is not one. Never throws.
 *
 * @example
 * import { isPlainObject } from 'fp-aws/core/Args'
 *
 * assert.strictEqual(isPlainObject({ a: 1 }), true)
 * assert.strictEqual(isPlainObject([1]), false)
 * assert.strictEqual(isPlainObject(null), false)
 *
 * @category validation
 * @since 0.2.0
 */
export const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  try {
    return typeof value === 'object' && value !== null && !Array.isArray(value)
  } catch {
    return false
  }
}
