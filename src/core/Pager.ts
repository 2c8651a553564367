/**
 * Pagination, as amazonka's `AWSPager`: an `AWSPager` says how to read the next page token
 * and the items out of a response, and how to put a token into the request. `paginate`
 * then walks the pages lazily, one `send` per page, as an `AsyncIterable`; `collectPages`
 * and `collectItems` gather them into a `ReaderTaskEither`.
 *
 * The walk stops after the first failed page (which it yields), and when a response has no
 * next token (absent, `null` or empty). A server that hands back a token it already handed
 * back would make the walk loop for ever: that is reported as a `PaginationError` instead;
 * so is a server that keeps handing out fresh tokens, past `maxPages` pages or `maxItems`
 * items ({@link PaginateOptions}, defaults {@link DEFAULT_MAX_PAGES} and
 * {@link DEFAULT_MAX_ITEMS}).
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import type { Option } from 'fp-ts/lib/Option.js'
import type { ReaderTaskEither } from 'fp-ts/lib/ReaderTaskEither.js'
import { send, type AWSRequest } from './AWSRequest.js'
import type { Env } from './Env.js'
import { transportError, type AWSError } from './Error.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * How to page through an operation: `Rq` is its request, `Rs` its response and `Item` what
 * one page lists.
 *
 * @category model
 * @since 0.1.0
 */
export interface AWSPager<Rq, Rs, Item> {
  /** The token of the next page, if there is one. */
  readonly nextToken: (rs: Rs) => Option<string>
  /** Puts a page token into the request (every other member, the page size included, is kept). */
  readonly setNextToken: (token: string) => (rq: Rq) => Rq
  /** The items of one page. */
  readonly items: (rs: Rs) => ReadonlyArray<Item>
}

/**
 * Why a walk over the pages stopped short:
 *
 * - `RepeatedToken`: the service handed back a page token it had already handed back
 *   (walking on would loop for ever);
 * - `MaxPages`: one more page was announced after {@link PaginateOptions.maxPages} pages;
 * - `MaxItems`: the pages walked hold more than {@link PaginateOptions.maxItems} items;
 * - `PagerFailed`: the pager itself failed (it threw);
 * - `InvalidOptions`: the options are not what {@link PaginateOptions} describes.
 *
 * @category model
 * @since 0.2.0
 */
export type PaginationReason = 'RepeatedToken' | 'MaxPages' | 'MaxItems' | 'PagerFailed' | 'InvalidOptions'

/**
 * The pages could not be walked to the end: the service handed back a page token it had
 * already handed back, a bound on the pages or the items was passed, or the pager itself
 * failed. `reason` says which (every walk sets it).
 *
 * @category model
 * @since 0.1.0
 */
export interface PaginationError {
  readonly _tag: 'PaginationError'
  readonly message: string
  /** Why the walk stopped (since 0.2.0). */
  readonly reason?: PaginationReason
}

/**
 * Bounds on a walk over the pages, so that a server that never stops handing out fresh
 * page tokens cannot keep a walk (and its memory) growing for ever. Past a bound the walk
 * ends with a `PaginationError` whose `reason` is `MaxPages` or `MaxItems`.
 *
 * @category model
 * @since 0.2.0
 */
export interface PaginateOptions {
  /** The most pages requested, a positive integer or `Infinity` (default {@link DEFAULT_MAX_PAGES}). */
  readonly maxPages?: number
  /** The most items the pages may hold together, a positive integer or `Infinity` (default {@link DEFAULT_MAX_ITEMS}). */
  readonly maxItems?: number
}

/**
 * Every way a walk over the pages can fail.
 *
 * @category model
 * @since 0.1.0
 */
export type PagerError<C extends string = string> = AWSError<C> | PaginationError

// -------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------

/**
 * The most pages a walk requests unless told otherwise: 10,000 (a million accounts at the
 * portal's largest page size of 100, ten thousand at a page size of 1).
 *
 * @category constants
 * @since 0.2.0
 */
export const DEFAULT_MAX_PAGES = 10_000

/**
 * The most items a walk gathers unless told otherwise: 1,000,000.
 *
 * @category constants
 * @since 0.2.0
 */
export const DEFAULT_MAX_ITEMS = 1_000_000

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * @example
 * import { paginationError } from 'fp-aws/core/Pager'
 *
 * assert.deepStrictEqual(paginationError('loop'), { _tag: 'PaginationError', message: 'loop' })
 * assert.deepStrictEqual(paginationError('too many', 'MaxPages'), {
 *   _tag: 'PaginationError',
 *   message: 'too many',
 *   reason: 'MaxPages'
 * })
 *
 * @category constructors
 * @since 0.1.0
 */
export const paginationError = (message: string, reason?: PaginationReason): PaginationError =>
  reason === undefined ? { _tag: 'PaginationError', message } : { _tag: 'PaginationError', message, reason }

// -------------------------------------------------------------------------------------
// walking the pages
// -------------------------------------------------------------------------------------

/** The next token, or `undefined` at the end (absent, `null`, empty or not a string). */
const readToken = (t: Option<string> | null | undefined): string | undefined => {
  if (t === null || t === undefined || !O.isSome(t)) return undefined
  const v: unknown = t.value
  return typeof v === 'string' && v.length > 0 ? v : undefined
}

/** The operation's name for messages, whatever `op` is. */
const nameOf = (op: unknown): string => {
  try {
    const name: unknown = (op as { operation?: unknown }).operation
    return typeof name === 'string' && name.length <= 100 ? name : 'paginate'
  } catch {
    return 'paginate'
  }
}

interface Bounds {
  readonly maxPages: number
  readonly maxItems: number
}

/** The bounds in effect, or a message saying which option is wrong. */
const boundsOf = (options: unknown): E.Either<string, Bounds> => {
  try {
    if (options === undefined) return E.right({ maxPages: DEFAULT_MAX_PAGES, maxItems: DEFAULT_MAX_ITEMS })
    if (typeof options !== 'object' || options === null) return E.left('the options must be an object')
    const o = options as Record<string, unknown>
    const read = (key: 'maxPages' | 'maxItems', dflt: number): E.Either<string, number> => {
      const v = o[key]
      if (v === undefined) return E.right(dflt)
      return typeof v === 'number' && (Number.isSafeInteger(v) || v === Infinity) && v > 0
        ? E.right(v)
        : E.left(`${key} must be a positive integer`)
    }
    const maxPages = read('maxPages', DEFAULT_MAX_PAGES)
    if (E.isLeft(maxPages)) return maxPages
    const maxItems = read('maxItems', DEFAULT_MAX_ITEMS)
    if (E.isLeft(maxItems)) return maxItems
    return E.right({ maxPages: maxPages.right, maxItems: maxItems.right })
  } catch {
    return E.left('the options cannot be read')
  }
}

async function* walk<Rq, Rs, C extends string, Item>(
  op: AWSRequest<Rq, Rs, C>,
  pager: AWSPager<Rq, Rs, Item>,
  rq: Rq,
  env: Env,
  options: PaginateOptions | undefined
): AsyncGenerator<E.Either<PagerError<C>, Rs>, void, undefined> {
  const name = nameOf(op)
  const bounds = boundsOf(options)
  if (E.isLeft(bounds)) {
    yield E.left(paginationError(`${name}: ${bounds.left}`, 'InvalidOptions'))
    return
  }
  const { maxPages, maxItems } = bounds.right
  const seen = new Set<string>()
  let items = 0
  let current = rq
  for (let page = 1; ; page++) {
    let result: E.Either<PagerError<C>, Rs>
    try {
      result = await send(op)(current)(env)()
    } catch {
      result = E.left(transportError('Other', 'unexpected failure'))
    }
    yield result
    if (E.isLeft(result)) return
    let token: string | undefined
    try {
      const listed: unknown = pager.items(result.right)
      items += Array.isArray(listed) ? listed.length : 0
      if (items > maxItems) {
        yield E.left(
          paginationError(
            `${name}: the ${page} page${page === 1 ? '' : 's'} walked hold more than ${maxItems} items (maxItems); stopping`,
            'MaxItems'
          )
        )
        return
      }
      token = readToken(pager.nextToken(result.right))
      if (token === undefined) return
      if (seen.has(token)) {
        yield E.left(
          paginationError(
            `${name}: page ${page} returned a next token already returned before; stopping to avoid an endless loop`,
            'RepeatedToken'
          )
        )
        return
      }
      if (page >= maxPages) {
        yield E.left(
          paginationError(`${name}: page ${page} announced one more page, past ${maxPages} pages (maxPages); stopping`, 'MaxPages')
        )
        return
      }
      seen.add(token)
      current = pager.setNextToken(token)(current)
    } catch {
      yield E.left(paginationError(`${name}: the pager failed after page ${page}`, 'PagerFailed'))
      return
    }
  }
}

/**
 * Walks the pages of an operation, lazily: each page is one `send`, made only when the
 * consumer asks for it, so that breaking out of a `for await` after the first page sends
 * one request. Yields every page as a `Right`; the first failure is yielded as a `Left`
 * and ends the walk. The page size in `rq` (e.g. `maxResults`) is kept on every page.
 * Every iteration starts over from `rq`. Never throws.
 *
 * The walk is bounded (see {@link PaginateOptions}): after `maxPages` pages (default
 * {@link DEFAULT_MAX_PAGES}) that still announce a next page, or once the pages hold more
 * than `maxItems` items (default {@link DEFAULT_MAX_ITEMS}), it yields a `PaginationError`
 * and ends.
 *
 * @example
 * import { newEnv } from 'fp-aws'
 * import { paginate } from 'fp-aws/core/Pager'
 * import { ListAccounts, listAccountsPager, newListAccounts } from 'fp-aws/sso'
 *
 * async function main() {
 *   const pages = paginate(ListAccounts, listAccountsPager)(newListAccounts(''))(newEnv({ region: 'us-east-1' }))
 *   const seen: Array<string> = []
 *   for await (const page of pages) seen.push(page._tag)
 *   // an empty token is refused before anything is sent: one Left, then the walk ends
 *   assert.deepStrictEqual(seen, ['Left'])
 * }
 * main()
 *
 * @category pagination
 * @since 0.1.0
 */
export const paginate =
  <Rq, Rs, C extends string, Item>(op: AWSRequest<Rq, Rs, C>, pager: AWSPager<Rq, Rs, Item>, options?: PaginateOptions) =>
  (rq: Rq) =>
  (env: Env): AsyncIterable<E.Either<PagerError<C>, Rs>> => ({
    [Symbol.asyncIterator]: () => walk(op, pager, rq, env, options)
  })

/**
 * Walks every page and collects them, or fails with the first failure. Bounded as
 * {@link paginate} is: past `maxPages` pages or `maxItems` items, a `PaginationError`.
 *
 * @example
 * import { newEnv } from 'fp-aws'
 * import { collectPages } from 'fp-aws/core/Pager'
 * import { ListAccounts, listAccountsPager, newListAccounts } from 'fp-aws/sso'
 *
 * async function main() {
 *   const r = await collectPages(ListAccounts, listAccountsPager)(newListAccounts(''))(newEnv({ region: 'us-east-1' }))()
 *   assert.ok(r._tag === 'Left' && r.left._tag === 'ValidationError')
 * }
 * main()
 *
 * @category pagination
 * @since 0.1.0
 */
export const collectPages =
  <Rq, Rs, C extends string, Item>(op: AWSRequest<Rq, Rs, C>, pager: AWSPager<Rq, Rs, Item>, options?: PaginateOptions) =>
  (rq: Rq): ReaderTaskEither<Env, PagerError<C>, ReadonlyArray<Rs>> =>
  (env) =>
  async () => {
    const pages: Array<Rs> = []
    try {
      for await (const page of paginate(op, pager, options)(rq)(env)) {
        if (E.isLeft(page)) return E.left(page.left)
        pages.push(page.right)
      }
      return E.right(pages)
    } catch {
      return E.left(transportError('Other', 'unexpected failure'))
    }
  }

/**
 * Another name for {@link collectPages}: every page as a `ReaderTaskEither`.
 *
 * @category pagination
 * @since 0.1.0
 */
export const paginateTE = collectPages

/**
 * Walks every page and collects the items of all of them, in order, or fails with the first
 * failure. Bounded as {@link paginate} is: past `maxPages` pages (default
 * {@link DEFAULT_MAX_PAGES}) or `maxItems` items (default {@link DEFAULT_MAX_ITEMS}), a
 * `PaginationError` whose `reason` says which.
 *
 * @example
 * import { pipe } from 'fp-ts/lib/function.js'
 * import { newEnv } from 'fp-aws'
 * import { collectItems } from 'fp-aws/core/Pager'
 * import { ListAccounts, listAccountsPager, listAccounts_maxResults, newListAccounts } from 'fp-aws/sso'
 * import * as O from 'fp-ts/lib/Option.js'
 *
 * async function main() {
 *   // a page size outside 1..100 is refused before anything is sent
 *   const rq = pipe(newListAccounts('token'), listAccounts_maxResults.set(O.some(0)))
 *   const r = await collectItems(ListAccounts, listAccountsPager, { maxPages: 50 })(rq)(newEnv({ region: 'us-east-1' }))()
 *   assert.ok(r._tag === 'Left' && r.left._tag === 'ValidationError' && r.left.field === 'maxResults')
 * }
 * main()
 *
 * @category pagination
 * @since 0.1.0
 */
export const collectItems =
  <Rq, Rs, C extends string, Item>(op: AWSRequest<Rq, Rs, C>, pager: AWSPager<Rq, Rs, Item>, options?: PaginateOptions) =>
  (rq: Rq): ReaderTaskEither<Env, PagerError<C>, ReadonlyArray<Item>> =>
  (env) =>
  async () => {
    const pages = await collectPages(op, pager, options)(rq)(env)()
    if (E.isLeft(pages)) return pages
    try {
      return E.right(pages.right.flatMap((rs) => pager.items(rs)))
    } catch {
      return E.left(paginationError(`${nameOf(op)}: the pager failed to read the items`, 'PagerFailed'))
    }
  }
