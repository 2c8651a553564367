/**
 * `ListAccountRoles`: lists the roles assigned to the user in one AWS account, one page at
 * a time (`GET /assignment/roles?next_token=…&max_result=…&account_id=…` with the access
 * token in the `x-amz-sso_bearer_token` header, no body, unsigned). `listAccountRolesPager`
 * walks the pages.
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
  arrayFromNullable,
  decodeJsonResponse,
  optionFromNullable,
  RoleInfoCodec,
  RoleInfoEq,
  RoleInfoShow,
  SensitiveString,
  structureCodec,
  validateAccessToken,
  validateMaxResults,
  validateQueryValue,
  validateRequired,
  type RoleInfo,
  type RoleInfoJson
} from './Types.js'

// -------------------------------------------------------------------------------------
// Creating a Request
// -------------------------------------------------------------------------------------

/**
 * The request of the `ListAccountRoles` operation.
 *
 * @category model
 * @since 0.1.0
 */
export interface ListAccountRoles {
  /** The token issued by the OIDC `CreateToken` call. */
  readonly accessToken: Sensitive<string>
  /** The AWS account whose roles to list. */
  readonly accountId: string
  /** The page token from the previous response, for every page after the first. */
  readonly nextToken: Option<string>
  /** The page size, an integer in `1..100` (the service's default when absent). */
  readonly maxResults: Option<number>
}

/**
 * Creates a `ListAccountRoles` request for the first page, with the service's page size.
 *
 * @example
 * import { newListAccountRoles } from 'fp-aws/sso'
 *
 * const rq = newListAccountRoles('my-token', '111122223333')
 * assert.strictEqual(rq.accountId, '111122223333')
 * assert.ok(!JSON.stringify(rq).includes('my-token'))
 *
 * @category constructors
 * @since 0.1.0
 */
export const newListAccountRoles = (accessToken: string, accountId: string): ListAccountRoles => ({
  accessToken: sensitive(accessToken),
  accountId,
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
 * import { newListAccountRoles, listAccountRoles_accessToken } from 'fp-aws/sso'
 *
 * assert.strictEqual(listAccountRoles_accessToken.get(newListAccountRoles('t', '1')), 't')
 *
 * @category lenses
 * @since 0.1.0
 */
export const listAccountRoles_accessToken: L.Lens<ListAccountRoles, string> = pipe(
  L.id<ListAccountRoles>(),
  L.prop('accessToken'),
  L.composeIso(iso<string>())
)

/**
 * The account id.
 *
 * @example
 * import { newListAccountRoles, listAccountRoles_accountId } from 'fp-aws/sso'
 *
 * assert.strictEqual(listAccountRoles_accountId.set('2')(newListAccountRoles('t', '1')).accountId, '2')
 *
 * @category lenses
 * @since 0.1.0
 */
export const listAccountRoles_accountId: L.Lens<ListAccountRoles, string> = pipe(
  L.id<ListAccountRoles>(),
  L.prop('accountId')
)

/**
 * The page token.
 *
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { newListAccountRoles, listAccountRoles_nextToken } from 'fp-aws/sso'
 *
 * assert.deepStrictEqual(listAccountRoles_nextToken.get(newListAccountRoles('t', '1')), O.none)
 *
 * @category lenses
 * @since 0.1.0
 */
export const listAccountRoles_nextToken: L.Lens<ListAccountRoles, Option<string>> = pipe(
  L.id<ListAccountRoles>(),
  L.prop('nextToken')
)

/**
 * The page size.
 *
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { newListAccountRoles, listAccountRoles_maxResults } from 'fp-aws/sso'
 *
 * const rq = listAccountRoles_maxResults.set(O.some(2))(newListAccountRoles('t', '1'))
 * assert.deepStrictEqual(rq.maxResults, O.some(2))
 *
 * @category lenses
 * @since 0.1.0
 */
export const listAccountRoles_maxResults: L.Lens<ListAccountRoles, Option<number>> = pipe(
  L.id<ListAccountRoles>(),
  L.prop('maxResults')
)

// -------------------------------------------------------------------------------------
// Destructuring the Response
// -------------------------------------------------------------------------------------

/**
 * One page of `ListAccountRoles`.
 *
 * @category model
 * @since 0.1.0
 */
export interface ListAccountRolesResponse {
  /** The token of the next page; absent on the last page. */
  readonly nextToken: Option<string>
  /** The roles of this page (`[]` when the service sends none). */
  readonly roleList: ReadonlyArray<RoleInfo>
}

/**
 * Creates an empty last page.
 *
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { newListAccountRolesResponse } from 'fp-aws/sso'
 *
 * assert.deepStrictEqual(newListAccountRolesResponse(), { nextToken: O.none, roleList: [] })
 *
 * @category constructors
 * @since 0.1.0
 */
export const newListAccountRolesResponse = (): ListAccountRolesResponse => ({ nextToken: O.none, roleList: [] })

// -------------------------------------------------------------------------------------
// Response Lenses
// -------------------------------------------------------------------------------------

/**
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { newListAccountRolesResponse, listAccountRolesResponse_nextToken } from 'fp-aws/sso'
 *
 * assert.deepStrictEqual(listAccountRolesResponse_nextToken.get(newListAccountRolesResponse()), O.none)
 *
 * @category lenses
 * @since 0.1.0
 */
export const listAccountRolesResponse_nextToken: L.Lens<ListAccountRolesResponse, Option<string>> = pipe(
  L.id<ListAccountRolesResponse>(),
  L.prop('nextToken')
)

/**
 * @example
 * import { newRoleInfo, newListAccountRolesResponse, listAccountRolesResponse_roleList } from 'fp-aws/sso'
 *
 * const rs = listAccountRolesResponse_roleList.set([newRoleInfo()])(newListAccountRolesResponse())
 * assert.strictEqual(listAccountRolesResponse_roleList.get(rs).length, 1)
 *
 * @category lenses
 * @since 0.1.0
 */
export const listAccountRolesResponse_roleList: L.Lens<ListAccountRolesResponse, ReadonlyArray<RoleInfo>> = pipe(
  L.id<ListAccountRolesResponse>(),
  L.prop('roleList')
)

// -------------------------------------------------------------------------------------
// Instances
// -------------------------------------------------------------------------------------

/**
 * The error codes the model declares for `ListAccountRoles`.
 *
 * @category model
 * @since 0.1.0
 */
export type ListAccountRolesErrorCode =
  | 'InvalidRequestException'
  | 'ResourceNotFoundException'
  | 'TooManyRequestsException'
  | 'UnauthorizedException'

const LIST_ACCOUNT_ROLES_ERRORS: ReadonlyArray<ListAccountRolesErrorCode> = [
  'InvalidRequestException',
  'ResourceNotFoundException',
  'TooManyRequestsException',
  'UnauthorizedException'
]

const OPERATION = 'ListAccountRoles'

const check = <A>(field: string, r: E.Either<string, A>): E.Either<ValidationError, A> =>
  pipe(
    r,
    E.mapLeft((message) => validationError(OPERATION, field, message))
  )

const checkOption = <A>(field: string, o: Option<A>, f: (a: A) => E.Either<string, A>): E.Either<ValidationError, unknown> =>
  O.isSome(o) ? check(field, f(o.value)) : E.right(undefined)

/**
 * Encodes a `ListAccountRoles` as its HTTP request, or says why it cannot be sent: the
 * token must be a valid header value, `accountId` non-empty, `maxResults` an integer in
 * `1..100`. The query holds `next_token`, `max_result` (each only when present) then
 * `account_id`; values are raw here, the runtime percent-encodes them.
 *
 * @example
 * import { encodeListAccountRoles, newListAccountRoles } from 'fp-aws/sso'
 *
 * const r = encodeListAccountRoles(newListAccountRoles('t', '111122223333'))
 * assert.ok(r._tag === 'Right')
 * assert.deepStrictEqual(r.right.query, [['account_id', '111122223333']])
 *
 * @category encoding
 * @since 0.1.0
 */
export const encodeListAccountRoles: (rq: ListAccountRoles) => E.Either<ValidationError, HttpRequest> = totalEncoder(
  'ListAccountRoles',
  (rq: ListAccountRoles): E.Either<ValidationError, HttpRequest> =>
    pipe(
      check('accessToken', validateAccessToken(reveal(rq.accessToken))),
      E.chain(() => check('accountId', validateRequired('accountId')(rq.accountId))),
      E.chain(() => checkOption('maxResults', rq.maxResults, validateMaxResults)),
      E.chain(() => checkOption('nextToken', rq.nextToken, validateQueryValue('nextToken'))),
      E.map(
        (): HttpRequest => ({
          method: 'GET',
          path: '/assignment/roles',
          query: [
            ...(O.isSome(rq.nextToken) ? [['next_token', rq.nextToken.value] as const] : []),
            ...(O.isSome(rq.maxResults) ? [['max_result', String(rq.maxResults.value)] as const] : []),
            ['account_id', rq.accountId] as const
          ],
          headers: { 'x-amz-sso_bearer_token': rq.accessToken },
          body: undefined
        })
      )
    )
)

/**
 * `ListAccountRolesResponse` as it is on the wire.
 *
 * @category model
 * @since 0.1.0
 */
export interface ListAccountRolesResponseJson {
  readonly nextToken?: string
  readonly roleList?: ReadonlyArray<RoleInfoJson>
}

/**
 * io-ts codec of `ListAccountRolesResponse` from the response's JSON body (what `send`
 * decodes with): absent or `null` members are `None` / `[]`, unknown members are ignored.
 *
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { ListAccountRolesResponseCodec } from 'fp-aws/sso'
 *
 * const r = ListAccountRolesResponseCodec.decode({ roleList: [{ roleName: 'ReadOnly', accountId: '1' }] })
 * assert.ok(r._tag === 'Right' && O.isNone(r.right.nextToken) && r.right.roleList.length === 1)
 *
 * @category codecs
 * @since 0.1.0
 */
export const ListAccountRolesResponseCodec: t.Type<ListAccountRolesResponse, ListAccountRolesResponseJson, unknown> =
  structureCodec('ListAccountRolesResponse', {
    nextToken: optionFromNullable(t.string),
    roleList: arrayFromNullable(RoleInfoCodec)
  })

/**
 * The `AWSRequest` dictionary of `ListAccountRoles`: `send(ListAccountRoles)` fetches one
 * page.
 *
 * @example
 * import { pipe } from 'fp-ts/lib/function.js'
 * import { newEnv, send } from 'fp-aws'
 * import { ListAccountRoles, newListAccountRoles } from 'fp-aws/sso'
 *
 * async function main() {
 *   const r = await pipe(newListAccountRoles('token', ''), send(ListAccountRoles))(newEnv({ region: 'us-east-1' }))()
 *   assert.ok(r._tag === 'Left' && r.left._tag === 'ValidationError' && r.left.field === 'accountId')
 * }
 * main()
 *
 * @category instances
 * @since 0.1.0
 */
export const ListAccountRoles: AWSRequest<ListAccountRoles, ListAccountRolesResponse, ListAccountRolesErrorCode> = {
  service: sso,
  operation: OPERATION,
  errorCodes: LIST_ACCOUNT_ROLES_ERRORS,
  toRequest: encodeListAccountRoles,
  parseResponse: decodeJsonResponse(OPERATION, ListAccountRolesResponseCodec)
}

/**
 * How to page through `ListAccountRoles`: `nextToken` in and out, items in `roleList`.
 *
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { listAccountRolesPager, newListAccountRoles } from 'fp-aws/sso'
 *
 * assert.deepStrictEqual(listAccountRolesPager.setNextToken('p2')(newListAccountRoles('t', '1')).nextToken, O.some('p2'))
 *
 * @category pagination
 * @since 0.1.0
 */
export const listAccountRolesPager: AWSPager<ListAccountRoles, ListAccountRolesResponse, RoleInfo> = {
  nextToken: (rs) => rs.nextToken,
  setNextToken: (token) => listAccountRoles_nextToken.set(O.some(token)),
  items: (rs) => rs.roleList
}

/**
 * `paginate(ListAccountRoles, listAccountRolesPager)`: the pages of `ListAccountRoles`,
 * lazily.
 *
 * @example
 * import { newEnv } from 'fp-aws'
 * import { newListAccountRoles, paginateListAccountRoles } from 'fp-aws/sso'
 *
 * async function main() {
 *   for await (const page of paginateListAccountRoles(newListAccountRoles('t', ''))(newEnv({ region: 'us-east-1' }))) {
 *     assert.strictEqual(page._tag, 'Left')
 *   }
 * }
 * main()
 *
 * @category pagination
 * @since 0.1.0
 */
export const paginateListAccountRoles = paginate(ListAccountRoles, listAccountRolesPager)

/**
 * Member-wise equality of requests.
 *
 * @example
 * import { ListAccountRolesEq, newListAccountRoles } from 'fp-aws/sso'
 *
 * assert.ok(ListAccountRolesEq.equals(newListAccountRoles('t', '1'), newListAccountRoles('t', '1')))
 *
 * @category instances
 * @since 0.1.0
 */
export const ListAccountRolesEq: Eq.Eq<ListAccountRoles> = Eq.struct({
  accessToken: getEq(S.Eq),
  accountId: S.Eq,
  nextToken: O.getEq(S.Eq),
  maxResults: O.getEq(N.Eq)
})

/**
 * Shows a request with the token redacted.
 *
 * @example
 * import { ListAccountRolesShow, newListAccountRoles } from 'fp-aws/sso'
 *
 * assert.strictEqual(
 *   ListAccountRolesShow.show(newListAccountRoles('t', '1')),
 *   'ListAccountRoles { accessToken: <redacted>, accountId: "1", nextToken: none, maxResults: none }'
 * )
 *
 * @category instances
 * @since 0.1.0
 */
export const ListAccountRolesShow: Show<ListAccountRoles> = {
  show: (rq) =>
    `ListAccountRoles { accessToken: <redacted>, accountId: ${S.Show.show(rq.accountId)}, nextToken: ${O.getShow(
      S.Show
    ).show(rq.nextToken)}, maxResults: ${O.getShow(N.Show).show(rq.maxResults)} }`
}

/**
 * `ListAccountRoles` as stored: the token in the clear.
 *
 * @category model
 * @since 0.1.0
 */
export interface ListAccountRolesJson {
  readonly accessToken: string
  readonly accountId: string
  readonly nextToken?: string
  readonly maxResults?: number
}

/**
 * io-ts codec of `ListAccountRoles`. Its `encode` reveals the token: use it only to store a
 * request where the token itself belongs.
 *
 * @example
 * import { ListAccountRolesCodec } from 'fp-aws/sso'
 *
 * const r = ListAccountRolesCodec.decode({ accessToken: 't', accountId: '1', nextToken: 'p2' })
 * assert.ok(r._tag === 'Right' && r.right.accountId === '1')
 *
 * @category codecs
 * @since 0.1.0
 */
export const ListAccountRolesCodec: t.Type<ListAccountRoles, ListAccountRolesJson, unknown> = structureCodec(
  'ListAccountRoles',
  {
    accessToken: SensitiveString,
    accountId: t.string,
    nextToken: optionFromNullable(t.string),
    maxResults: optionFromNullable(t.number)
  }
)

/**
 * Equality of pages.
 *
 * @example
 * import { ListAccountRolesResponseEq, newListAccountRolesResponse } from 'fp-aws/sso'
 *
 * assert.ok(ListAccountRolesResponseEq.equals(newListAccountRolesResponse(), newListAccountRolesResponse()))
 *
 * @category instances
 * @since 0.1.0
 */
export const ListAccountRolesResponseEq: Eq.Eq<ListAccountRolesResponse> = Eq.struct({
  nextToken: O.getEq(S.Eq),
  roleList: RA.getEq(RoleInfoEq)
})

/**
 * @example
 * import { ListAccountRolesResponseShow, newListAccountRolesResponse } from 'fp-aws/sso'
 *
 * assert.strictEqual(
 *   ListAccountRolesResponseShow.show(newListAccountRolesResponse()),
 *   'ListAccountRolesResponse { nextToken: none, roleList: [] }'
 * )
 *
 * @category instances
 * @since 0.1.0
 */
export const ListAccountRolesResponseShow: Show<ListAccountRolesResponse> = {
  show: (rs) =>
    `ListAccountRolesResponse { nextToken: ${O.getShow(S.Show).show(rs.nextToken)}, roleList: ${RA.getShow(
      RoleInfoShow
    ).show(rs.roleList)} }`
}
