/**
 * Pagination, as amazonka's `AWSPager`: an `AWSPager` says how to read the next page token
 * and the items out of a response, and how to put a token into the request. `paginate`
 * then walks the pages lazily, one `send` per page, as an `AsyncIterable`; `collectPages`
 * and `collectItems` gather them into a `ReaderTaskEither`.
 *
 * The walk stops after the first failed page (which it yields), and when a response has no
 * next token (absent, `null` or empty). A server that hands back a token it already handed
 * back would make the walk loop for ever: that is reported as a `PaginationError` instead.
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
 * The pages could not be walked to the end: the service handed back a page token it had
 * already handed back (walking on would loop for ever), or the pager itself failed.
 *
 * @category model
 * @since 0.1.0
 */
export interface PaginationError {
  readonly _tag: 'PaginationError'
  readonly message: string
}

/**
 * Every way a walk over the pages can fail.
 *
 * @category model
 * @since 0.1.0
 */
export type PagerError<C extends string = string> = AWSError<C> | PaginationError

/**
 * @example
 * import { paginationError } from 'fp-aws/core/Pager'
 *
 * assert.deepStrictEqual(paginationError('loop'), { _tag: 'PaginationError', message: 'loop' })
 *
 * @category constructors
 * @since 0.1.0
 */
export const paginationError = (message: string): PaginationError => ({ _tag: 'PaginationError', message })

// -------------------------------------------------------------------------------------
// walking the pages
// -------------------------------------------------------------------------------------

/** The next token, or `undefined` at the end (absent, `null`, empty or not a string). */
const readToken = (t: Option<string> | null | undefined): string | undefined => {
  if (t === null || t === undefined || !O.isSome(t)) return undefined
  const v: unknown = t.value
  return typeof v === 'string' && v.length > 0 ? v : undefined
}

async function* walk<Rq, Rs, C extends string, Item>(
  op: AWSRequest<Rq, Rs, C>,
  pager: AWSPager<Rq, Rs, Item>,
  rq: Rq,
  env: Env
): AsyncGenerator<E.Either<PagerError<C>, Rs>, void, undefined> {
  const seen = new Set<string>()
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
      token = readToken(pager.nextToken(result.right))
      if (token === undefined) return
      if (seen.has(token)) {
        yield E.left(
          paginationError(
            `${op.operation}: page ${page} returned a next token already returned before; stopping to avoid an endless loop`
          )
        )
        return
      }
      seen.add(token)
      current = pager.setNextToken(token)(current)
    } catch {
      yield E.left(paginationError(`${op.operation}: the pager failed after page ${page}`))
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
  <Rq, Rs, C extends string, Item>(op: AWSRequest<Rq, Rs, C>, pager: AWSPager<Rq, Rs, Item>) =>
  (rq: Rq) =>
  (env: Env): AsyncIterable<E.Either<PagerError<C>, Rs>> => ({
    [Symbol.asyncIterator]: () => walk(op, pager, rq, env)
  })

/**
 * Walks every page and collects them, or fails with the first failure.
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
  <Rq, Rs, C extends string, Item>(op: AWSRequest<Rq, Rs, C>, pager: AWSPager<Rq, Rs, Item>) =>
  (rq: Rq): ReaderTaskEither<Env, PagerError<C>, ReadonlyArray<Rs>> =>
  (env) =>
  async () => {
    const pages: Array<Rs> = []
    try {
      for await (const page of paginate(op, pager)(rq)(env)) {
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
 * failure.
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
 *   const r = await collectItems(ListAccounts, listAccountsPager)(rq)(newEnv({ region: 'us-east-1' }))()
 *   assert.ok(r._tag === 'Left' && r.left._tag === 'ValidationError' && r.left.field === 'maxResults')
 * }
 * main()
 *
 * @category pagination
 * @since 0.1.0
 */
export const collectItems =
  <Rq, Rs, C extends string, Item>(op: AWSRequest<Rq, Rs, C>, pager: AWSPager<Rq, Rs, Item>) =>
  (rq: Rq): ReaderTaskEither<Env, PagerError<C>, ReadonlyArray<Item>> =>
  (env) =>
  async () => {
    const pages = await collectPages(op, pager)(rq)(env)()
    if (E.isLeft(pages)) return pages
    try {
      return E.right(pages.right.flatMap((rs) => pager.items(rs)))
    } catch {
      return E.left(paginationError(`${op.operation}: the pager failed to read the items`))
    }
  }
