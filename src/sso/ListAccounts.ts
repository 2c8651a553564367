/**
 * `ListAccounts`: lists the AWS accounts assigned to the user, one page at a time
 * (`GET /assignment/accounts?next_token=…&max_result=…` with the access token in the
 * `x-amz-sso_bearer_token` header, no body, unsigned). `listAccountsPager` walks the pages.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as Eq from 'fp-ts/lib/Eq.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as N from 'fp-ts/lib/number.js'
import * as O from 'fp-ts/lib/Option.js'
import type { Option } from 'fp-ts/lib/Option.js'
import * as RA from 'fp-ts/lib/ReadonlyArray.js'
import type { Show } from 'fp-ts/lib/Show.js'
import * as S from 'fp-ts/lib/string.js'
import * as t from 'io-ts'
import * as L from 'monocle-ts/lib/Lens.js'
import type { AWSRequest } from '../core/AWSRequest.js'
import { validationError, type ValidationError } from '../core/Error.js'
import { paginate, type AWSPager } from '../core/Pager.js'
import { totalEncoder, type HttpRequest } from '../core/Request.js'
import { getEq, iso, reveal, sensitive, type Sensitive } from '../core/Sensitive.js'
import { sso } from './Service.js'
import {
  AccountInfoCodec,
  AccountInfoEq,
  AccountInfoShow,
  arrayFromNullable,
  decodeJsonResponse,
  optionFromNullable,
  SensitiveString,
  structureCodec,
  validateAccessToken,
  validateMaxResults,
  validateQueryValue,
  type AccountInfo,
  type AccountInfoJson
} from './Types.js'

// -------------------------------------------------------------------------------------
// Creating a Request
// -------------------------------------------------------------------------------------

/**
 * The request of the `ListAccounts` operation.
 *
 * @category model
 * @since 0.1.0
 */
export interface ListAccounts {
  /** The token issued by the OIDC `CreateToken` call. */
  readonly accessToken: Sensitive<string>
  /** The page token from the previous response, for every page after the first. */
  readonly nextToken: Option<string>
  /** The page size, an integer in `1..100` (the service's default when absent). */
  readonly maxResults: Option<number>
}

/**
 * Creates a `ListAccounts` request for the first page, with the service's page size.
 *
 * @example
 * import { newListAccounts } from 'fp-aws/sso'
 *
 * const rq = newListAccounts('my-token')
 * assert.strictEqual(
 *   JSON.stringify(rq),
 *   '{"accessToken":"<redacted>","nextToken":{"_tag":"None"},"maxResults":{"_tag":"None"}}'
 * )
 *
 * @category constructors
 * @since 0.1.0
 */
export const newListAccounts = (accessToken: string): ListAccounts => ({
  accessToken: sensitive(accessToken),
  nextToken: O.none,
  maxResults: O.none
})

// -------------------------------------------------------------------------------------
// Request Lenses
// -------------------------------------------------------------------------------------

/**
 * The access token, seen as a plain `string` (the record keeps it `Sensitive`).
 *
 * @example
 * import { newListAccounts, listAccounts_accessToken } from 'fp-aws/sso'
 *
 * assert.strictEqual(listAccounts_accessToken.get(listAccounts_accessToken.set('b')(newListAccounts('a'))), 'b')
 *
 * @category lenses
 * @since 0.1.0
 */
export const listAccounts_accessToken: L.Lens<ListAccounts, string> = pipe(
  L.id<ListAccounts>(),
  L.prop('accessToken'),
  L.composeIso(iso<string>())
)

/**
 * The page token.
 *
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { newListAccounts, listAccounts_nextToken } from 'fp-aws/sso'
 *
 * const rq = listAccounts_nextToken.set(O.some('page-2'))(newListAccounts('t'))
 * assert.deepStrictEqual(rq.nextToken, O.some('page-2'))
 *
 * @category lenses
 * @since 0.1.0
 */
export const listAccounts_nextToken: L.Lens<ListAccounts, Option<string>> = pipe(
  L.id<ListAccounts>(),
  L.prop('nextToken')
)

/**
 * The page size.
 *
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { newListAccounts, listAccounts_maxResults } from 'fp-aws/sso'
 *
 * const rq = listAccounts_maxResults.set(O.some(10))(newListAccounts('t'))
 * assert.deepStrictEqual(rq.maxResults, O.some(10))
 *
 * @category lenses
 * @since 0.1.0
 */
export const listAccounts_maxResults: L.Lens<ListAccounts, Option<number>> = pipe(
  L.id<ListAccounts>(),
  L.prop('maxResults')
)

// -------------------------------------------------------------------------------------
// Destructuring the Response
// -------------------------------------------------------------------------------------

/**
 * One page of `ListAccounts`.
 *
 * @category model
 * @since 0.1.0
 */
export interface ListAccountsResponse {
  /** The token of the next page; absent on the last page. */
  readonly nextToken: Option<string>
  /** The accounts of this page (`[]` when the service sends none). */
  readonly accountList: ReadonlyArray<AccountInfo>
}

/**
 * Creates an empty last page.
 *
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { newListAccountsResponse } from 'fp-aws/sso'
 *
 * assert.deepStrictEqual(newListAccountsResponse(), { nextToken: O.none, accountList: [] })
 *
 * @category constructors
 * @since 0.1.0
 */
export const newListAccountsResponse = (): ListAccountsResponse => ({ nextToken: O.none, accountList: [] })

// -------------------------------------------------------------------------------------
// Response Lenses
// -------------------------------------------------------------------------------------

/**
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { newListAccountsResponse, listAccountsResponse_nextToken } from 'fp-aws/sso'
 *
 * assert.deepStrictEqual(listAccountsResponse_nextToken.get(newListAccountsResponse()), O.none)
 *
 * @category lenses
 * @since 0.1.0
 */
export const listAccountsResponse_nextToken: L.Lens<ListAccountsResponse, Option<string>> = pipe(
  L.id<ListAccountsResponse>(),
  L.prop('nextToken')
)

/**
 * @example
 * import { newAccountInfo, newListAccountsResponse, listAccountsResponse_accountList } from 'fp-aws/sso'
 *
 * const rs = listAccountsResponse_accountList.set([newAccountInfo()])(newListAccountsResponse())
 * assert.strictEqual(listAccountsResponse_accountList.get(rs).length, 1)
 *
 * @category lenses
 * @since 0.1.0
 */
export const listAccountsResponse_accountList: L.Lens<ListAccountsResponse, ReadonlyArray<AccountInfo>> = pipe(
  L.id<ListAccountsResponse>(),
  L.prop('accountList')
)

// -------------------------------------------------------------------------------------
// Instances
// -------------------------------------------------------------------------------------

/**
 * The error codes the model declares for `ListAccounts`.
 *
 * @category model
 * @since 0.1.0
 */
export type ListAccountsErrorCode =
  | 'InvalidRequestException'
  | 'ResourceNotFoundException'
  | 'TooManyRequestsException'
  | 'UnauthorizedException'

const LIST_ACCOUNTS_ERRORS: ReadonlyArray<ListAccountsErrorCode> = [
  'InvalidRequestException',
  'ResourceNotFoundException',
  'TooManyRequestsException',
  'UnauthorizedException'
]

const OPERATION = 'ListAccounts'

const check = <A>(field: string, r: E.Either<string, A>): E.Either<ValidationError, A> =>
  pipe(
    r,
    E.mapLeft((message) => validationError(OPERATION, field, message))
  )

const checkOption = <A>(field: string, o: Option<A>, f: (a: A) => E.Either<string, A>): E.Either<ValidationError, unknown> =>
  O.isSome(o) ? check(field, f(o.value)) : E.right(undefined)

/**
 * Encodes a `ListAccounts` as its HTTP request, or says why it cannot be sent: the token
 * must be a valid header value, `maxResults` an integer in `1..100`. The query holds
 * `next_token` then `max_result`, each only when present; values are raw here, the runtime
 * percent-encodes them.
 *
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * import { encodeListAccounts, listAccounts_maxResults, newListAccounts } from 'fp-aws/sso'
 *
 * const r = encodeListAccounts(pipe(newListAccounts('t'), listAccounts_maxResults.set(O.some(5))))
 * assert.ok(r._tag === 'Right')
 * assert.deepStrictEqual(r.right.query, [['max_result', '5']])
 * assert.strictEqual(encodeListAccounts(pipe(newListAccounts('t'), listAccounts_maxResults.set(O.some(101))))._tag, 'Left')
 *
 * @category encoding
 * @since 0.1.0
 */
export const encodeListAccounts: (rq: ListAccounts) => E.Either<ValidationError, HttpRequest> = totalEncoder(
  'ListAccounts',
  (rq: ListAccounts): E.Either<ValidationError, HttpRequest> =>
    pipe(
      check('accessToken', validateAccessToken(reveal(rq.accessToken))),
      E.chain(() => checkOption('maxResults', rq.maxResults, validateMaxResults)),
      E.chain(() => checkOption('nextToken', rq.nextToken, validateQueryValue('nextToken'))),
      E.map(
        (): HttpRequest => ({
          method: 'GET',
          path: '/assignment/accounts',
          query: [
            ...(O.isSome(rq.nextToken) ? [['next_token', rq.nextToken.value] as const] : []),
            ...(O.isSome(rq.maxResults) ? [['max_result', String(rq.maxResults.value)] as const] : [])
          ],
          headers: { 'x-amz-sso_bearer_token': rq.accessToken },
          body: undefined
        })
      )
    )
)

/**
 * `ListAccountsResponse` as it is on the wire.
 *
 * @category model
 * @since 0.1.0
 */
export interface ListAccountsResponseJson {
  readonly nextToken?: string
  readonly accountList?: ReadonlyArray<AccountInfoJson>
}

/**
 * io-ts codec of `ListAccountsResponse` from the response's JSON body (what `send` decodes
 * with): absent or `null` members are `None` / `[]`, unknown members are ignored.
 *
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { ListAccountsResponseCodec } from 'fp-aws/sso'
 *
 * const r = ListAccountsResponseCodec.decode({ accountList: [{ accountId: '111122223333' }], nextToken: null })
 * assert.ok(r._tag === 'Right' && O.isNone(r.right.nextToken) && r.right.accountList.length === 1)
 *
 * @category codecs
 * @since 0.1.0
 */
export const ListAccountsResponseCodec: t.Type<ListAccountsResponse, ListAccountsResponseJson, unknown> =
  structureCodec('ListAccountsResponse', {
    nextToken: optionFromNullable(t.string),
    accountList: arrayFromNullable(AccountInfoCodec)
  })

/**
 * The `AWSRequest` dictionary of `ListAccounts`: `send(ListAccounts)` fetches one page.
 *
 * @example
 * import { pipe } from 'fp-ts/lib/function.js'
 * import { newEnv, send } from 'fp-aws'
 * import { ListAccounts, newListAccounts } from 'fp-aws/sso'
 *
 * async function main() {
 *   const r = await pipe(newListAccounts(''), send(ListAccounts))(newEnv({ region: 'us-east-1' }))()
 *   assert.ok(r._tag === 'Left' && r.left._tag === 'ValidationError' && r.left.field === 'accessToken')
 * }
 * main()
 *
 * @category instances
 * @since 0.1.0
 */
export const ListAccounts: AWSRequest<ListAccounts, ListAccountsResponse, ListAccountsErrorCode> = {
  service: sso,
  operation: OPERATION,
  errorCodes: LIST_ACCOUNTS_ERRORS,
  toRequest: encodeListAccounts,
  parseResponse: decodeJsonResponse(OPERATION, ListAccountsResponseCodec)
}

/**
 * How to page through `ListAccounts`: `nextToken` in and out, items in `accountList`.
 *
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { listAccountsPager, newListAccounts } from 'fp-aws/sso'
 *
 * assert.deepStrictEqual(listAccountsPager.setNextToken('p2')(newListAccounts('t')).nextToken, O.some('p2'))
 *
 * @category pagination
 * @since 0.1.0
 */
export const listAccountsPager: AWSPager<ListAccounts, ListAccountsResponse, AccountInfo> = {
  nextToken: (rs) => rs.nextToken,
  setNextToken: (token) => listAccounts_nextToken.set(O.some(token)),
  items: (rs) => rs.accountList
}

/**
 * `paginate(ListAccounts, listAccountsPager)`: the pages of `ListAccounts`, lazily.
 *
 * @example
 * import { newEnv } from 'fp-aws'
 * import { newListAccounts, paginateListAccounts } from 'fp-aws/sso'
 *
 * async function main() {
 *   for await (const page of paginateListAccounts(newListAccounts(''))(newEnv({ region: 'us-east-1' }))) {
 *     assert.strictEqual(page._tag, 'Left')
 *   }
 * }
 * main()
 *
 * @category pagination
 * @since 0.1.0
 */
export const paginateListAccounts = paginate(ListAccounts, listAccountsPager)

/**
 * Member-wise equality of requests.
 *
 * @example
 * import { ListAccountsEq, newListAccounts } from 'fp-aws/sso'
 *
 * assert.ok(ListAccountsEq.equals(newListAccounts('t'), newListAccounts('t')))
 * assert.ok(!ListAccountsEq.equals(newListAccounts('t'), newListAccounts('u')))
 *
 * @category instances
 * @since 0.1.0
 */
export const ListAccountsEq: Eq.Eq<ListAccounts> = Eq.struct({
  accessToken: getEq(S.Eq),
  nextToken: O.getEq(S.Eq),
  maxResults: O.getEq(N.Eq)
})

/**
 * Shows a request with the token redacted.
 *
 * @example
 * import { ListAccountsShow, newListAccounts } from 'fp-aws/sso'
 *
 * assert.strictEqual(
 *   ListAccountsShow.show(newListAccounts('t')),
 *   'ListAccounts { accessToken: <redacted>, nextToken: none, maxResults: none }'
 * )
 *
 * @category instances
 * @since 0.1.0
 */
export const ListAccountsShow: Show<ListAccounts> = {
  show: (rq) =>
    `ListAccounts { accessToken: <redacted>, nextToken: ${O.getShow(S.Show).show(rq.nextToken)}, maxResults: ${O.getShow(
      N.Show
    ).show(rq.maxResults)} }`
}

/**
 * `ListAccounts` as stored: the token in the clear.
 *
 * @category model
 * @since 0.1.0
 */
export interface ListAccountsJson {
  readonly accessToken: string
  readonly nextToken?: string
  readonly maxResults?: number
}

/**
 * io-ts codec of `ListAccounts`. Its `encode` reveals the token: use it only to store a
 * request where the token itself belongs.
 *
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { ListAccountsCodec } from 'fp-aws/sso'
 *
 * const r = ListAccountsCodec.decode({ accessToken: 't', maxResults: 10 })
 * assert.ok(r._tag === 'Right' && O.isNone(r.right.nextToken))
 *
 * @category codecs
 * @since 0.1.0
 */
export const ListAccountsCodec: t.Type<ListAccounts, ListAccountsJson, unknown> = structureCodec('ListAccounts', {
  accessToken: SensitiveString,
  nextToken: optionFromNullable(t.string),
  maxResults: optionFromNullable(t.number)
})

/**
 * Equality of pages.
 *
 * @example
 * import { ListAccountsResponseEq, newListAccountsResponse } from 'fp-aws/sso'
 *
 * assert.ok(ListAccountsResponseEq.equals(newListAccountsResponse(), newListAccountsResponse()))
 *
 * @category instances
 * @since 0.1.0
 */
export const ListAccountsResponseEq: Eq.Eq<ListAccountsResponse> = Eq.struct({
  nextToken: O.getEq(S.Eq),
  accountList: RA.getEq(AccountInfoEq)
})

/**
 * @example
 * import { ListAccountsResponseShow, newListAccountsResponse } from 'fp-aws/sso'
 *
 * assert.strictEqual(
 *   ListAccountsResponseShow.show(newListAccountsResponse()),
 *   'ListAccountsResponse { nextToken: none, accountList: [] }'
 * )
 *
 * @category instances
 * @since 0.1.0
 */
export const ListAccountsResponseShow: Show<ListAccountsResponse> = {
  show: (rs) =>
    `ListAccountsResponse { nextToken: ${O.getShow(S.Show).show(rs.nextToken)}, accountList: ${RA.getShow(
      AccountInfoShow
    ).show(rs.accountList)} }`
}
