/**
 * `Logout`: invalidates a user's sign-in session on the SSO portal (`POST /logout` with the
 * access token in the `x-amz-sso_bearer_token` header, no body, unsigned).
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as Eq from 'fp-ts/lib/Eq.js'
import { pipe } from 'fp-ts/lib/function.js'
import type { Show } from 'fp-ts/lib/Show.js'
import * as S from 'fp-ts/lib/string.js'
import * as t from 'io-ts'
import * as L from 'monocle-ts/lib/Lens.js'
import type { AWSRequest } from '../core/AWSRequest.js'
import { validationError, type ValidationError } from '../core/Error.js'
import { totalEncoder, type HttpRequest } from '../core/Request.js'
import { getEq, iso, reveal, sensitive, type Sensitive } from '../core/Sensitive.js'
import { sso } from './Service.js'
import { SensitiveString, validateAccessToken } from './Types.js'

// -------------------------------------------------------------------------------------
// Creating a Request
// -------------------------------------------------------------------------------------

/**
 * The request of the `Logout` operation: an immutable record holding the access token
 * as a `Sensitive<string>`.
 *
 * @category model
 * @since 0.1.0
 */
export interface Logout {
  /** The token issued by the OIDC `CreateToken` call. */
  readonly accessToken: Sensitive<string>
}

/**
 * Creates a `Logout` request. Total: any string is accepted here, and an invalid token is
 * reported by `send` as a `ValidationError` before anything is sent.
 *
 * @example
 * import { newLogout, logout_accessToken } from 'fp-aws/sso'
 *
 * const rq = newLogout('my-token')
 * assert.strictEqual(logout_accessToken.get(rq), 'my-token')
 * assert.strictEqual(JSON.stringify(rq), '{"accessToken":"<redacted>"}')
 *
 * @category constructors
 * @since 0.1.0
 */
export const newLogout = (accessToken: string): Logout => ({ accessToken: sensitive(accessToken) })

// -------------------------------------------------------------------------------------
// Request Lenses
// -------------------------------------------------------------------------------------

/**
 * The access token, seen as a plain `string` (the record keeps it `Sensitive`).
 *
 * @example
 * import { newLogout, logout_accessToken } from 'fp-aws/sso'
 *
 * const rq = logout_accessToken.set('other')(newLogout('first'))
 * assert.strictEqual(logout_accessToken.get(rq), 'other')
 *
 * @category lenses
 * @since 0.1.0
 */
export const logout_accessToken: L.Lens<Logout, string> = pipe(
  L.id<Logout>(),
  L.prop('accessToken'),
  L.composeIso(iso<string>())
)

// -------------------------------------------------------------------------------------
// Destructuring the Response
// -------------------------------------------------------------------------------------

/**
 * The output of `Logout`: the service returns no data, any 2xx is success.
 *
 * @category model
 * @since 0.1.0
 */
export interface LogoutResponse {
  readonly _tag: 'LogoutResponse'
}

/**
 * Creates a `LogoutResponse`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const newLogoutResponse = (): LogoutResponse => ({ _tag: 'LogoutResponse' })

// -------------------------------------------------------------------------------------
// Instances
// -------------------------------------------------------------------------------------

/**
 * The error codes the model declares for `Logout`.
 *
 * @category model
 * @since 0.1.0
 */
export type LogoutErrorCode = 'InvalidRequestException' | 'TooManyRequestsException' | 'UnauthorizedException'

const LOGOUT_ERRORS: ReadonlyArray<LogoutErrorCode> = [
  'InvalidRequestException',
  'TooManyRequestsException',
  'UnauthorizedException'
]

/**
 * Encodes a `Logout` as its HTTP request, or says why it cannot be sent.
 *
 * @category encoding
 * @since 0.1.0
 */
export const encodeLogout: (rq: Logout) => E.Either<ValidationError, HttpRequest> = totalEncoder(
  'Logout',
  (rq: Logout): E.Either<ValidationError, HttpRequest> =>
    pipe(
      validateAccessToken(reveal(rq.accessToken)),
      E.mapLeft((message) => validationError('Logout', 'accessToken', message)),
      E.map(
        (): HttpRequest => ({
          method: 'POST',
          path: '/logout',
          query: [],
          headers: { 'x-amz-sso_bearer_token': rq.accessToken },
          body: undefined
        })
      )
    )
)

const logoutResponse = E.right(newLogoutResponse())

/**
 * The `AWSRequest` dictionary of `Logout`: `send(Logout)`.
 *
 * @example
 * import { Logout } from 'fp-aws/sso'
 *
 * assert.strictEqual(Logout.operation, 'Logout')
 *
 * @category instances
 * @since 0.1.0
 */
export const Logout: AWSRequest<Logout, LogoutResponse, LogoutErrorCode> = {
  service: sso,
  operation: 'Logout',
  errorCodes: LOGOUT_ERRORS,
  toRequest: encodeLogout,
  parseResponse: () => logoutResponse
}

/**
 * Two requests are equal when their tokens are.
 *
 * @category instances
 * @since 0.1.0
 */
export const LogoutEq: Eq.Eq<Logout> = Eq.struct({ accessToken: getEq(S.Eq) })

/**
 * Shows a request with the token redacted.
 *
 * @example
 * import { LogoutShow, newLogout } from 'fp-aws/sso'
 *
 * assert.strictEqual(LogoutShow.show(newLogout('t')), 'Logout { accessToken: <redacted> }')
 *
 * @category instances
 * @since 0.1.0
 */
export const LogoutShow: Show<Logout> = { show: () => 'Logout { accessToken: <redacted> }' }

/**
 * io-ts codec of `Logout` from `{ accessToken: string }`. Its `encode` reveals the token:
 * use it only to store a request where the token itself belongs.
 *
 * @example
 * import { LogoutCodec, logout_accessToken } from 'fp-aws/sso'
 *
 * const r = LogoutCodec.decode({ accessToken: 't' })
 * assert.ok(r._tag === 'Right' && logout_accessToken.get(r.right) === 't')
 *
 * @category codecs
 * @since 0.1.0
 */
export const LogoutCodec: t.Type<Logout, { readonly accessToken: string }, unknown> = t.readonly(
  t.type({ accessToken: SensitiveString }),
  'Logout'
)

/**
 * Every `LogoutResponse` is equal to every other.
 *
 * @category instances
 * @since 0.1.0
 */
export const LogoutResponseEq: Eq.Eq<LogoutResponse> = { equals: () => true }

/**
 * @category instances
 * @since 0.1.0
 */
export const LogoutResponseShow: Show<LogoutResponse> = { show: () => 'LogoutResponse {}' }

/**
 * io-ts codec of `LogoutResponse`.
 *
 * @category codecs
 * @since 0.1.0
 */
export const LogoutResponseCodec: t.Type<LogoutResponse, LogoutResponse, unknown> = t.readonly(
  t.type({ _tag: t.literal('LogoutResponse') }),
  'LogoutResponse'
)
