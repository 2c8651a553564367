/**
 * `GetRoleCredentials`: returns short-term AWS credentials for a role assigned to the user
 * (`GET /federation/credentials?role_name=…&account_id=…` with the access token in the
 * `x-amz-sso_bearer_token` header, no body, unsigned).
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as Eq from 'fp-ts/lib/Eq.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import type { Option } from 'fp-ts/lib/Option.js'
import type { Show } from 'fp-ts/lib/Show.js'
import * as S from 'fp-ts/lib/string.js'
import * as t from 'io-ts'
import * as L from 'monocle-ts/lib/Lens.js'
import type { AWSRequest } from '../core/AWSRequest.js'
import { validationError, type ValidationError } from '../core/Error.js'
import { totalEncoder, type HttpRequest } from '../core/Request.js'
import { getEq, iso, reveal, sensitive, type Sensitive } from '../core/Sensitive.js'
import { sso } from './Service.js'
import {
  decodeJsonResponse,
  optionFromNullable,
  RoleCredentialsCodec,
  RoleCredentialsEq,
  RoleCredentialsShow,
  SensitiveString,
  structureCodec,
  validateAccessToken,
  validateRequired,
  type RoleCredentials,
  type RoleCredentialsJson
} from './Types.js'

// -------------------------------------------------------------------------------------
// Creating a Request
// -------------------------------------------------------------------------------------

/**
 * The request of the `GetRoleCredentials` operation.
 *
 * @category model
 * @since 0.1.0
 */
export interface GetRoleCredentials {
  /** The friendly name of the role assigned to the user. */
  readonly roleName: string
  /** The AWS account the role belongs to. */
  readonly accountId: string
  /** The token issued by the OIDC `CreateToken` call. */
  readonly accessToken: Sensitive<string>
}

/**
 * Creates a `GetRoleCredentials` request. Total: bad input is reported by `send` as a
 * `ValidationError` before anything is sent.
 *
 * @example
 * import { newGetRoleCredentials, getRoleCredentials_roleName } from 'fp-aws/sso'
 *
 * const rq = newGetRoleCredentials('ReadOnly', '111122223333', 'my-token')
 * assert.strictEqual(getRoleCredentials_roleName.get(rq), 'ReadOnly')
 * assert.strictEqual(
 *   JSON.stringify(rq),
 *   '{"roleName":"ReadOnly","accountId":"111122223333","accessToken":"<redacted>"}'
 * )
 *
 * @category constructors
 * @since 0.1.0
 */
export const newGetRoleCredentials = (roleName: string, accountId: string, accessToken: string): GetRoleCredentials => ({
  roleName,
  accountId,
  accessToken: sensitive(accessToken)
})

// -------------------------------------------------------------------------------------
// Request Lenses
// -------------------------------------------------------------------------------------

/**
 * The role name.
 *
 * @example
 * import { newGetRoleCredentials, getRoleCredentials_roleName } from 'fp-aws/sso'
 *
 * const rq = getRoleCredentials_roleName.set('Admin')(newGetRoleCredentials('ReadOnly', '1', 't'))
 * assert.strictEqual(rq.roleName, 'Admin')
 *
 * @category lenses
 * @since 0.1.0
 */
export const getRoleCredentials_roleName: L.Lens<GetRoleCredentials, string> = pipe(
  L.id<GetRoleCredentials>(),
  L.prop('roleName')
)

/**
 * The account id.
 *
 * @example
 * import { newGetRoleCredentials, getRoleCredentials_accountId } from 'fp-aws/sso'
 *
 * assert.strictEqual(getRoleCredentials_accountId.get(newGetRoleCredentials('r', '111122223333', 't')), '111122223333')
 *
 * @category lenses
 * @since 0.1.0
 */
export const getRoleCredentials_accountId: L.Lens<GetRoleCredentials, string> = pipe(
  L.id<GetRoleCredentials>(),
  L.prop('accountId')
)

/**
 * The access token, seen as a plain `string` (the record keeps it `Sensitive`).
 *
 * @example
 * import { newGetRoleCredentials, getRoleCredentials_accessToken } from 'fp-aws/sso'
 *
 * const rq = getRoleCredentials_accessToken.set('other')(newGetRoleCredentials('r', '1', 'first'))
 * assert.strictEqual(getRoleCredentials_accessToken.get(rq), 'other')
 *
 * @category lenses
 * @since 0.1.0
 */
export const getRoleCredentials_accessToken: L.Lens<GetRoleCredentials, string> = pipe(
  L.id<GetRoleCredentials>(),
  L.prop('accessToken'),
  L.composeIso(iso<string>())
)

// -------------------------------------------------------------------------------------
// Destructuring the Response
// -------------------------------------------------------------------------------------

/**
 * The output of `GetRoleCredentials`.
 *
 * @category model
 * @since 0.1.0
 */
export interface GetRoleCredentialsResponse {
  /** The role's short-term credentials. */
  readonly roleCredentials: Option<RoleCredentials>
}

/**
 * Creates a `GetRoleCredentialsResponse` with no credentials.
 *
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { newGetRoleCredentialsResponse } from 'fp-aws/sso'
 *
 * assert.deepStrictEqual(newGetRoleCredentialsResponse().roleCredentials, O.none)
 *
 * @category constructors
 * @since 0.1.0
 */
export const newGetRoleCredentialsResponse = (): GetRoleCredentialsResponse => ({ roleCredentials: O.none })

// -------------------------------------------------------------------------------------
// Response Lenses
// -------------------------------------------------------------------------------------

/**
 * The credentials. Compose with `roleCredentials_accessKeyId` and friends through
 * `monocle-ts`'s `Optional`, or read them with `Option` combinators.
 *
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import {
 *   getRoleCredentialsResponse_roleCredentials,
 *   newGetRoleCredentialsResponse,
 *   newRoleCredentials
 * } from 'fp-aws/sso'
 *
 * const rs = getRoleCredentialsResponse_roleCredentials.set(O.some(newRoleCredentials()))(newGetRoleCredentialsResponse())
 * assert.ok(O.isSome(getRoleCredentialsResponse_roleCredentials.get(rs)))
 *
 * @category lenses
 * @since 0.1.0
 */
export const getRoleCredentialsResponse_roleCredentials: L.Lens<GetRoleCredentialsResponse, Option<RoleCredentials>> =
  pipe(L.id<GetRoleCredentialsResponse>(), L.prop('roleCredentials'))

// -------------------------------------------------------------------------------------
// Instances
// -------------------------------------------------------------------------------------

/**
 * The error codes the model declares for `GetRoleCredentials`.
 *
 * @category model
 * @since 0.1.0
 */
export type GetRoleCredentialsErrorCode =
  | 'InvalidRequestException'
  | 'ResourceNotFoundException'
  | 'TooManyRequestsException'
  | 'UnauthorizedException'

const GET_ROLE_CREDENTIALS_ERRORS: ReadonlyArray<GetRoleCredentialsErrorCode> = [
  'InvalidRequestException',
  'ResourceNotFoundException',
  'TooManyRequestsException',
  'UnauthorizedException'
]

const OPERATION = 'GetRoleCredentials'

const check = <A>(field: string, r: E.Either<string, A>): E.Either<ValidationError, A> =>
  pipe(
    r,
    E.mapLeft((message) => validationError(OPERATION, field, message))
  )

/**
 * Encodes a `GetRoleCredentials` as its HTTP request, or says why it cannot be sent: the
 * token must be a valid header value, `roleName` and `accountId` non-empty. Query values
 * are raw here; the runtime percent-encodes them.
 *
 * @example
 * import { encodeGetRoleCredentials, newGetRoleCredentials } from 'fp-aws/sso'
 *
 * const r = encodeGetRoleCredentials(newGetRoleCredentials('Read Only', '111122223333', 't'))
 * assert.ok(r._tag === 'Right')
 * assert.deepStrictEqual(r.right.query, [['role_name', 'Read Only'], ['account_id', '111122223333']])
 * assert.strictEqual(encodeGetRoleCredentials(newGetRoleCredentials('', '1', 't'))._tag, 'Left')
 *
 * @category encoding
 * @since 0.1.0
 */
export const encodeGetRoleCredentials: (rq: GetRoleCredentials) => E.Either<ValidationError, HttpRequest> = totalEncoder(
  'GetRoleCredentials',
  (rq: GetRoleCredentials): E.Either<ValidationError, HttpRequest> =>
    pipe(
      check('accessToken', validateAccessToken(reveal(rq.accessToken))),
      E.chain(() => check('roleName', validateRequired('roleName')(rq.roleName))),
      E.chain(() => check('accountId', validateRequired('accountId')(rq.accountId))),
      E.map(
        (): HttpRequest => ({
          method: 'GET',
          path: '/federation/credentials',
          query: [
            ['role_name', rq.roleName],
            ['account_id', rq.accountId]
          ],
          headers: { 'x-amz-sso_bearer_token': rq.accessToken },
          body: undefined
        })
      )
    )
)

/**
 * `GetRoleCredentialsResponse` as it is on the wire.
 *
 * @category model
 * @since 0.1.0
 */
export interface GetRoleCredentialsResponseJson {
  readonly roleCredentials?: RoleCredentialsJson
}

/**
 * io-ts codec of `GetRoleCredentialsResponse` from the response's JSON body (what
 * `send` decodes with). Its `encode` reveals the secrets.
 *
 * @example
 * import * as O from 'fp-ts/lib/Option.js'
 * import { GetRoleCredentialsResponseCodec } from 'fp-aws/sso'
 *
 * const r = GetRoleCredentialsResponseCodec.decode({ roleCredentials: null })
 * assert.ok(r._tag === 'Right' && O.isNone(r.right.roleCredentials))
 *
 * @category codecs
 * @since 0.1.0
 */
export const GetRoleCredentialsResponseCodec: t.Type<
  GetRoleCredentialsResponse,
  GetRoleCredentialsResponseJson,
  unknown
> = structureCodec('GetRoleCredentialsResponse', { roleCredentials: optionFromNullable(RoleCredentialsCodec) })

/**
 * The `AWSRequest` dictionary of `GetRoleCredentials`: `send(GetRoleCredentials)`.
 *
 * @example
 * import { pipe } from 'fp-ts/lib/function.js'
 * import { newEnv, send } from 'fp-aws'
 * import { GetRoleCredentials, newGetRoleCredentials } from 'fp-aws/sso'
 *
 * async function main() {
 *   // an empty role name is refused before anything is sent
 *   const rq = newGetRoleCredentials('', '111122223333', 'token')
 *   const r = await pipe(rq, send(GetRoleCredentials))(newEnv({ region: 'us-east-1' }))()
 *   assert.ok(r._tag === 'Left' && r.left._tag === 'ValidationError' && r.left.field === 'roleName')
 * }
 * main()
 *
 * @category instances
 * @since 0.1.0
 */
export const GetRoleCredentials: AWSRequest<GetRoleCredentials, GetRoleCredentialsResponse, GetRoleCredentialsErrorCode> =
  {
    service: sso,
    operation: OPERATION,
    errorCodes: GET_ROLE_CREDENTIALS_ERRORS,
    toRequest: encodeGetRoleCredentials,
    parseResponse: decodeJsonResponse(OPERATION, GetRoleCredentialsResponseCodec)
  }

/**
 * Member-wise equality of requests.
 *
 * @example
 * import { GetRoleCredentialsEq, newGetRoleCredentials } from 'fp-aws/sso'
 *
 * assert.ok(GetRoleCredentialsEq.equals(newGetRoleCredentials('r', '1', 't'), newGetRoleCredentials('r', '1', 't')))
 *
 * @category instances
 * @since 0.1.0
 */
export const GetRoleCredentialsEq: Eq.Eq<GetRoleCredentials> = Eq.struct({
  roleName: S.Eq,
  accountId: S.Eq,
  accessToken: getEq(S.Eq)
})

/**
 * Shows a request with the token redacted.
 *
 * @example
 * import { GetRoleCredentialsShow, newGetRoleCredentials } from 'fp-aws/sso'
 *
 * assert.strictEqual(
 *   GetRoleCredentialsShow.show(newGetRoleCredentials('ReadOnly', '1', 't')),
 *   'GetRoleCredentials { roleName: "ReadOnly", accountId: "1", accessToken: <redacted> }'
 * )
 *
 * @category instances
 * @since 0.1.0
 */
export const GetRoleCredentialsShow: Show<GetRoleCredentials> = {
  show: (rq) =>
    `GetRoleCredentials { roleName: ${S.Show.show(rq.roleName)}, accountId: ${S.Show.show(
      rq.accountId
    )}, accessToken: <redacted> }`
}

/**
 * `GetRoleCredentials` as stored: the token in the clear.
 *
 * @category model
 * @since 0.1.0
 */
export interface GetRoleCredentialsJson {
  readonly roleName: string
  readonly accountId: string
  readonly accessToken: string
}

/**
 * io-ts codec of `GetRoleCredentials`. Its `encode` reveals the token: use it only to store
 * a request where the token itself belongs.
 *
 * @example
 * import { GetRoleCredentialsCodec } from 'fp-aws/sso'
 *
 * const r = GetRoleCredentialsCodec.decode({ roleName: 'r', accountId: '1', accessToken: 't' })
 * assert.strictEqual(r._tag, 'Right')
 *
 * @category codecs
 * @since 0.1.0
 */
export const GetRoleCredentialsCodec: t.Type<GetRoleCredentials, GetRoleCredentialsJson, unknown> = structureCodec(
  'GetRoleCredentials',
  { roleName: t.string, accountId: t.string, accessToken: SensitiveString }
)

/**
 * Equality of responses (secrets compared by value).
 *
 * @example
 * import { GetRoleCredentialsResponseEq, newGetRoleCredentialsResponse } from 'fp-aws/sso'
 *
 * assert.ok(GetRoleCredentialsResponseEq.equals(newGetRoleCredentialsResponse(), newGetRoleCredentialsResponse()))
 *
 * @category instances
 * @since 0.1.0
 */
export const GetRoleCredentialsResponseEq: Eq.Eq<GetRoleCredentialsResponse> = Eq.struct({
  roleCredentials: O.getEq(RoleCredentialsEq)
})

/**
 * Shows a response with the secret access key and the session token redacted.
 *
 * @example
 * import { GetRoleCredentialsResponseShow, newGetRoleCredentialsResponse } from 'fp-aws/sso'
 *
 * assert.strictEqual(
 *   GetRoleCredentialsResponseShow.show(newGetRoleCredentialsResponse()),
 *   'GetRoleCredentialsResponse { roleCredentials: none }'
 * )
 *
 * @category instances
 * @since 0.1.0
 */
export const GetRoleCredentialsResponseShow: Show<GetRoleCredentialsResponse> = {
  show: (rs) => `GetRoleCredentialsResponse { roleCredentials: ${O.getShow(RoleCredentialsShow).show(rs.roleCredentials)} }`
}
