/**
 * One `abort` listener per signal, whatever the number of calls waiting on it. Every call
 * made with an `Env` waits on the same `Env.signal`; a listener each would pass Node's
 * limit of 10 per event target (`MaxListenersExceededWarning`) with 11 concurrent calls.
 * Here each signal gets a single listener that fans out to the current waiters, and loses
 * it when the last one leaves. The caller's signal is never otherwise touched.
 *
 * @since 0.2.0
 */

interface Fanout {
  readonly waiters: Set<() => void>
  readonly listener: () => void
}

const fanouts = new WeakMap<AbortSignal, Fanout>()

const ignore = (): void => undefined

/**
 * Whether a value can be waited on as an `AbortSignal`: an object with a boolean `aborted`
 * and an `addEventListener` method (a signal of another realm or a polyfill's passes).
 * Never throws: a value whose members cannot be read is not one.
 *
 * @example
 * import { isAbortSignal } from 'fp-aws/core/Abort'
 *
 * assert.strictEqual(isAbortSignal(new AbortController().signal), true)
 * assert.strictEqual(isAbortSignal({}), false)
 *
 * @category refinements
 * @since 0.2.0
 */
export const isAbortSignal = (value: unknown): value is AbortSignal => {
  if (typeof value !== 'object' || value === null) return false
  try {
    return typeof (value as AbortSignal).aborted === 'boolean' && typeof (value as AbortSignal).addEventListener === 'function'
  } catch {
    return false
  }
}

/**
 * Runs `f` once when `signal` aborts; returns the function that cancels that. `f` is not
 * run for a signal already aborted (check `signal.aborted` first). A `signal` that is not
 * an event target (an `AbortSignal`), or an `f` that is not a function, waits for nothing:
 * the function returned does nothing.
 *
 * @example
 * import { onAbort } from 'fp-aws/core/Abort'
 *
 * const ac = new AbortController()
 * let n = 0
 * const offs = Array.from({ length: 50 }, () => onAbort(ac.signal, () => n++))
 * offs[0]?.()
 * ac.abort()
 * assert.strictEqual(n, 49)
 *
 * @category combinators
 * @since 0.2.0
 */
export const onAbort = (signal: AbortSignal, f: () => void): (() => void) => {
  if (typeof signal !== 'object' || signal === null || typeof f !== 'function') return ignore
  let fan = fanouts.get(signal)
  if (fan === undefined) {
    const waiters = new Set<() => void>()
    const listener = (): void => {
      fanouts.delete(signal)
      for (const g of [...waiters]) {
        try {
          g()
        } catch {
          // one waiter cannot keep the others from hearing the abort
        }
      }
      waiters.clear()
    }
    try {
      signal.addEventListener('abort', listener, { once: true })
    } catch {
      // not an event target
      return ignore
    }
    fan = { waiters, listener }
    fanouts.set(signal, fan)
  }
  // a wrapper of its own, so that the same function can wait twice
  const entry = (): void => f()
  const current = fan
  current.waiters.add(entry)
  return () => {
    if (current.waiters.delete(entry) && current.waiters.size === 0 && fanouts.get(signal) === current) {
      fanouts.delete(signal)
      try {
        signal.removeEventListener('abort', current.listener)
      } catch {
        // its addEventListener worked: a removeEventListener that throws is the target's own
      }
    }
  }
}
