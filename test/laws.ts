/**
 * Laws as reusable property checkers (in the manner of fp-ts-laws).
 */
import fc from 'fast-check'
import type { Eq } from 'fp-ts/lib/Eq.js'
import type { Lens } from 'monocle-ts/lib/Lens.js'
import type * as t from 'io-ts'
import { isRight } from 'fp-ts/lib/Either.js'

/** get-set, set-get and set-set for a lens. Returns nothing; throws on a counterexample. */
export const lensLaws = <S, A>(
  lens: Lens<S, A>,
  arbS: fc.Arbitrary<S>,
  arbA: fc.Arbitrary<A>,
  eqS: Eq<S>,
  eqA: Eq<A>
): void => {
  // get-set: setting what you got changes nothing
  fc.assert(fc.property(arbS, (s) => eqS.equals(lens.set(lens.get(s))(s), s)))
  // set-get: you get what you set
  fc.assert(fc.property(arbS, arbA, (s, a) => eqA.equals(lens.get(lens.set(a)(s)), a)))
  // set-set: the last set wins
  fc.assert(fc.property(arbS, arbA, arbA, (s, a1, a2) => eqS.equals(lens.set(a2)(lens.set(a1)(s)), lens.set(a2)(s))))
}

/** decode ∘ encode = id (up to `eq`), and encode ∘ decode = id on encoded values. */
export const codecLaws = <A, O>(codec: t.Type<A, O, unknown>, arbA: fc.Arbitrary<A>, eqA: Eq<A>): void => {
  fc.assert(
    fc.property(arbA, (a) => {
      const d = codec.decode(codec.encode(a))
      return isRight(d) && eqA.equals(d.right, a)
    })
  )
}
