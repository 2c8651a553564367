/**
 * The AWS SSO portal service (`SWBPortalService`, API version 2019-06-10, restJson1).
 *
 * @since 0.1.0
 */
import type { Service } from '../core/Service.js'
import { parseRestJsonError } from '../core/Service.js'
import { resolveEndpoint } from './Endpoint.js'

/**
 * The SSO portal service record: names, endpoint rules and error parsing.
 *
 * @example
 * import { sso } from 'fp-aws/sso'
 *
 * assert.strictEqual(sso.endpointPrefix, 'portal.sso')
 *
 * @category service
 * @since 0.1.0
 */
export const sso: Service = {
  abbrev: 'SSO',
  serviceId: 'SSO',
  endpointPrefix: 'portal.sso',
  signingName: 'awsssoportal',
  version: '2019-06-10',
  resolveEndpoint,
  parseError: parseRestJsonError
}
