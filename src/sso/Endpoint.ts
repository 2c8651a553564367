/**
 * The endpoint rule set of the AWS SSO portal service (`SWBPortalService`).
 *
 * @since 0.1.0
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { standardResolver, type Endpoint, type EndpointParams } from '../core/Endpoint.js'
import type { EndpointError } from '../core/Error.js'

const resolver = standardResolver({ endpointPrefix: 'portal.sso', govCloudFipsPrefix: 'portal.sso' })

/**
 * Resolves the SSO portal endpoint: `https://portal.sso.{Region}.{dnsSuffix}`, its `-fips`
 * and dual-stack variants, `https://portal.sso.{Region}.amazonaws.com` for FIPS in
 * GovCloud, or a custom `Endpoint` as given.
 *
 * @example
 * import { resolveEndpoint } from 'fp-aws/sso/Endpoint'
 * import * as E from 'fp-ts/lib/Either.js'
 *
 * assert.deepStrictEqual(resolveEndpoint({ Region: 'eu-west-1' }), E.right({ url: 'https://portal.sso.eu-west-1.amazonaws.com' }))
 * assert.deepStrictEqual(
 *   resolveEndpoint({ Region: 'cn-north-1', UseFIPS: true, UseDualStack: true }),
 *   E.right({ url: 'https://portal.sso-fips.cn-north-1.api.amazonwebservices.com.cn' })
 * )
 * assert.deepStrictEqual(
 *   resolveEndpoint({}),
 *   E.left({ _tag: 'EndpointError', message: 'Invalid Configuration: Missing Region' })
 * )
 *
 * @category endpoints
 * @since 0.1.0
 */
export const resolveEndpoint = (params: EndpointParams): Either<EndpointError, Endpoint> => resolver(params)
