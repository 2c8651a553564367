/**
 * `Sensitive<A>` wraps a secret (an access token, a secret key, a session token) so that
 * it never shows: `String()`, template literals, `JSON.stringify`, `util.inspect` and
 * `Show` all print `<redacted>`. The value is kept in a private class field, invisible to
 * property enumeration, and comes out only through {@link reveal}.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Eq.js'
import type { Show } from 'fp-ts/lib/Show.js'
import type * as I from 'monocle-ts/lib/Iso.js'

/**
 * What every redacted value prints as.
 *
 * @category constants
 * @since 0.1.0
 */
export const REDACTED = '<redacted>'

const inspectCustom = Symbol.for('nodejs.util.inspect.custom')
/**
 * The brand under which a secret's method returns its value. A registered symbol, so that
 * the CommonJS and ESM builds of fp-aws, loaded side by side, recognise each other's
 * secrets: each build's secret answers through its own class. The value itself is a private
 * field, which `JSON.stringify`, `util.inspect`, spreading and reflection never see.
 */
const REVEAL: unique symbol = Symbol.for('fp-aws/Sensitive') as never

class SensitiveImpl<A> {
  readonly _tag = 'Sensitive' as const
  readonly #value: A
  constructor(value: A) {
    this.#value = value
    Object.freeze(this)
  }
  /** The value; `undefined` on an object that only borrows the prototype. */
  [REVEAL](): A | undefined {
    return #value in this ? this.#value : undefined
  }
  toString(): string {
    return REDACTED
  }
  toJSON(): string {
    return REDACTED
  }
  [Symbol.toPrimitive](): string {
    return REDACTED
  }
  [inspectCustom](): string {
    return `Sensitive(${REDACTED})`
  }
}

/**
 * A secret of type `A`. Its value is reachable only through {@link reveal}.
 *
 * @category model
 * @since 0.1.0
 */
export interface Sensitive<A> {
  readonly _tag: 'Sensitive'
  /** Phantom: the type of the hidden value; never present at run time. */
  readonly _A?: A
  /** Always `<redacted>`. */
  readonly toString: () => string
  /** Always `<redacted>`. */
  readonly toJSON: () => string
}

/**
 * Wraps a value as a secret.
 *
 * @example
 * import { sensitive } from 'fp-aws/core/Sensitive'
 *
 * const s = sensitive('my-token')
 * assert.strictEqual(`${s}`, '<redacted>')
 * assert.strictEqual(JSON.stringify({ s }), '{"s":"<redacted>"}')
 *
 * @category constructors
 * @since 0.1.0
 */
export const sensitive = <A>(value: A): Sensitive<A> => new SensitiveImpl(value)

/**
 * Reads the secret out. Call it only where the value must leave the process (an HTTP
 * header, a cache file).
 *
 * @example
 * import { sensitive, reveal } from 'fp-aws/core/Sensitive'
 *
 * assert.strictEqual(reveal(sensitive('my-token')), 'my-token')
 *
 * @category destructors
 * @since 0.1.0
 */
export const reveal = <A>(s: Sensitive<A>): A => (s as unknown as { readonly [REVEAL]: () => A })[REVEAL]()

/**
 * Tells a `Sensitive` apart from any other value.
 *
 * @category refinements
 * @since 0.1.0
 */
export const isSensitive = (u: unknown): u is Sensitive<unknown> => {
  try {
    return typeof u === 'object' && u !== null && typeof (u as { readonly [REVEAL]?: unknown })[REVEAL] === 'function'
  } catch {
    return false
  }
}

/**
 * The isomorphism between a secret and its value, used to build lenses that expose a
 * plain value while the record keeps it wrapped.
 *
 * @example
 * import { sensitive, iso } from 'fp-aws/core/Sensitive'
 *
 * assert.strictEqual(iso<string>().get(sensitive('t')), 't')
 *
 * @category optics
 * @since 0.1.0
 */
export const iso = <A>(): I.Iso<Sensitive<A>, A> =>
  // monocle-ts's `Iso` is a plain record: written out, it spares the root module loading monocle-ts
  ({ get: reveal, reverseGet: sensitive })

/**
 * Two secrets are equal when their values are equal under `eq`.
 *
 * @category instances
 * @since 0.1.0
 */
export const getEq = <A>(eq: E.Eq<A>): E.Eq<Sensitive<A>> => E.contramap<A, Sensitive<A>>(reveal)(eq)

/**
 * `Show` that never shows the value.
 *
 * @example
 * import { sensitive, getShow } from 'fp-aws/core/Sensitive'
 *
 * assert.strictEqual(getShow<string>().show(sensitive('t')), 'Sensitive(<redacted>)')
 *
 * @category instances
 * @since 0.1.0
 */
export const getShow = <A>(): Show<Sensitive<A>> => ({ show: () => `Sensitive(${REDACTED})` })
