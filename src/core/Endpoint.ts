/**
 * Endpoint resolution, service-agnostic: the AWS partitions, the Smithy `aws.partition`
 * function, and a resolver for the standard AWS endpoint rule-set template (custom
 * endpoint, FIPS, dual-stack, partitions). A service supplies only its endpoint prefix and
 * whether its rule set has the GovCloud FIPS special case.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { endpointError, type EndpointError } from './Error.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * An AWS partition, as in the AWS SDKs' `partitions.json` (the outputs of `aws.partition`
 * plus how regions are matched to it).
 *
 * @category model
 * @since 0.1.0
 */
export interface Partition {
  /** The partition id, e.g. `aws`, `aws-cn`, `aws-us-gov`. */
  readonly name: string
  /** The DNS suffix of the partition's regional endpoints, e.g. `amazonaws.com`. */
  readonly dnsSuffix: string
  /** The DNS suffix of its dual-stack endpoints, e.g. `api.aws`. */
  readonly dualStackDnsSuffix: string
  readonly supportsFIPS: boolean
  readonly supportsDualStack: boolean
  /** The region that global services of the partition are signed for. */
  readonly implicitGlobalRegion: string
  /** Matches the names of regions of the partition that are not (yet) listed in `regions`. */
  readonly regionRegex: RegExp
  /** The known regions of the partition. */
  readonly regions: ReadonlyArray<string>
}

/**
 * The parameters of the standard AWS endpoint rule set. `UseFIPS` and `UseDualStack`
 * default to `false`.
 *
 * @category model
 * @since 0.1.0
 */
export interface EndpointParams {
  /** The AWS region used to dispatch the request. */
  readonly Region?: string
  /** Send the request to the FIPS-compliant endpoint. */
  readonly UseFIPS?: boolean
  /** Send the request to the dual-stack (IPv4 and IPv6) endpoint. */
  readonly UseDualStack?: boolean
  /** A custom endpoint URL, overriding the resolved one. */
  readonly Endpoint?: string
}

/**
 * A resolved endpoint.
 *
 * @category model
 * @since 0.1.0
 */
export interface Endpoint {
  readonly url: string
}

/**
 * Resolves the endpoint of one service from the endpoint parameters.
 *
 * @category model
 * @since 0.1.0
 */
export type EndpointResolver = (params: EndpointParams) => E.Either<EndpointError, Endpoint>

/**
 * What a service's instance of the standard AWS endpoint rule-set template is made of.
 *
 * @category model
 * @since 0.1.0
 */
export interface RuleSetTemplate {
  /** The endpoint prefix: the regional host is `{endpointPrefix}.{Region}.{dnsSuffix}`. */
  readonly endpointPrefix: string
  /**
   * When set, FIPS (without dual-stack) in the `aws-us-gov` partition resolves to
   * `https://{govCloudFipsPrefix}.{Region}.amazonaws.com` rather than to the `-fips` host.
   */
  readonly govCloudFipsPrefix?: string
}

// -------------------------------------------------------------------------------------
// partitions
// -------------------------------------------------------------------------------------

const aws: Partition = {
  name: 'aws',
  dnsSuffix: 'amazonaws.com',
  dualStackDnsSuffix: 'api.aws',
  supportsFIPS: true,
  supportsDualStack: true,
  implicitGlobalRegion: 'us-east-1',
  regionRegex: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/,
  regions: [
    'af-south-1',
    'ap-east-1',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-south-1',
    'ap-south-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-southeast-3',
    'ap-southeast-4',
    'ap-southeast-5',
    'ap-southeast-7',
    'aws-global',
    'ca-central-1',
    'ca-west-1',
    'eu-central-1',
    'eu-central-2',
    'eu-north-1',
    'eu-south-1',
    'eu-south-2',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'il-central-1',
    'me-central-1',
    'me-south-1',
    'mx-central-1',
    'sa-east-1',
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2'
  ]
}

const awsCn: Partition = {
  name: 'aws-cn',
  dnsSuffix: 'amazonaws.com.cn',
  dualStackDnsSuffix: 'api.amazonwebservices.com.cn',
  supportsFIPS: true,
  supportsDualStack: true,
  implicitGlobalRegion: 'cn-northwest-1',
  regionRegex: /^cn-\w+-\d+$/,
  regions: ['aws-cn-global', 'cn-north-1', 'cn-northwest-1']
}

const awsUsGov: Partition = {
  name: 'aws-us-gov',
  dnsSuffix: 'amazonaws.com',
  dualStackDnsSuffix: 'api.aws',
  supportsFIPS: true,
  supportsDualStack: true,
  implicitGlobalRegion: 'us-gov-west-1',
  regionRegex: /^us-gov-\w+-\d+$/,
  regions: ['aws-us-gov-global', 'us-gov-east-1', 'us-gov-west-1']
}

const awsIso: Partition = {
  name: 'aws-iso',
  dnsSuffix: 'c2s.ic.gov',
  dualStackDnsSuffix: 'c2s.ic.gov',
  supportsFIPS: true,
  supportsDualStack: false,
  implicitGlobalRegion: 'us-iso-east-1',
  regionRegex: /^us-iso-\w+-\d+$/,
  regions: ['aws-iso-global', 'us-iso-east-1', 'us-iso-west-1']
}

const awsIsoB: Partition = {
  name: 'aws-iso-b',
  dnsSuffix: 'sc2s.sgov.gov',
  dualStackDnsSuffix: 'sc2s.sgov.gov',
  supportsFIPS: true,
  supportsDualStack: false,
  implicitGlobalRegion: 'us-isob-east-1',
  regionRegex: /^us-isob-\w+-\d+$/,
  regions: ['aws-iso-b-global', 'us-isob-east-1']
}

const awsIsoE: Partition = {
  name: 'aws-iso-e',
  dnsSuffix: 'cloud.adc-e.uk',
  dualStackDnsSuffix: 'cloud.adc-e.uk',
  supportsFIPS: true,
  supportsDualStack: false,
  implicitGlobalRegion: 'eu-isoe-west-1',
  regionRegex: /^eu-isoe-\w+-\d+$/,
  regions: ['aws-iso-e-global', 'eu-isoe-west-1']
}

const awsIsoF: Partition = {
  name: 'aws-iso-f',
  dnsSuffix: 'csp.hci.ic.gov',
  dualStackDnsSuffix: 'csp.hci.ic.gov',
  supportsFIPS: true,
  supportsDualStack: false,
  implicitGlobalRegion: 'us-isof-south-1',
  regionRegex: /^us-isof-\w+-\d+$/,
  regions: ['aws-iso-f-global', 'us-isof-east-1', 'us-isof-south-1']
}

const awsEusc: Partition = {
  name: 'aws-eusc',
  dnsSuffix: 'amazonaws.eu',
  dualStackDnsSuffix: 'amazonaws.eu',
  supportsFIPS: true,
  supportsDualStack: false,
  implicitGlobalRegion: 'eusc-de-east-1',
  regionRegex: /^eusc-(de)-\w+-\d+$/,
  regions: ['eusc-de-east-1']
}

/**
 * The AWS partitions, in the order `aws.partition` tries them.
 *
 * @example
 * import { partitions } from 'fp-aws/core/Endpoint'
 *
 * assert.ok(partitions.some((p) => p.name === 'aws-us-gov'))
 *
 * @category constants
 * @since 0.1.0
 */
export const partitions: ReadonlyArray<Partition> = [aws, awsCn, awsUsGov, awsIso, awsIsoB, awsIsoE, awsIsoF, awsEusc]

/**
 * The partition of a region, with the semantics of the Smithy `aws.partition` function: a
 * known region of a partition first, then a partition whose `regionRegex` matches, and
 * the `aws` partition otherwise.
 *
 * @example
 * import { partition } from 'fp-aws/core/Endpoint'
 *
 * assert.strictEqual(partition('cn-north-1').dnsSuffix, 'amazonaws.com.cn')
 * assert.strictEqual(partition('us-gov-central-7').name, 'aws-us-gov')
 * assert.strictEqual(partition('mars-east-1').name, 'aws')
 *
 * @category destructors
 * @since 0.1.0
 */
export const partition = (region: string): Partition =>
  partitions.find((p) => p.regions.includes(region)) ??
  partitions.find((p) => p.regionRegex.test(region)) ??
  aws

// -------------------------------------------------------------------------------------
// validation
// -------------------------------------------------------------------------------------

const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/

/**
 * Whether a string is a valid DNS host label (the Smithy `isValidHostLabel` without
 * sub-domains): 1 to 63 ASCII letters, digits and hyphens, not starting or ending with a
 * hyphen.
 *
 * @example
 * import { isValidHostLabel } from 'fp-aws/core/Endpoint'
 *
 * assert.strictEqual(isValidHostLabel('us-east-1'), true)
 * assert.strictEqual(isValidHostLabel('evil.com/x'), false)
 *
 * @category refinements
 * @since 0.1.0
 */
export const isValidHostLabel = (label: string): boolean => typeof label === 'string' && HOST_LABEL.test(label)

/** Drops what the URL parser drops at either end of a URL: C0 controls and spaces. */
const trimUrl = (s: string): string => {
  let from = 0
  let to = s.length
  while (from < to && s.charCodeAt(from) <= 0x20) from++
  while (to > from && s.charCodeAt(to - 1) <= 0x20) to--
  return s.slice(from, to)
}

/**
 * What is wrong with a custom endpoint URL, if anything: not an http(s) URL with a host,
 * or with a query, a fragment or user-info (which would be sent, logged or misplace the
 * operation's path). The message never quotes the URL.
 */
const customEndpointProblem = (s: string): string | undefined => {
  if (typeof s !== 'string' || !URL.canParse(s)) return 'is not a valid http(s) URL'
  const u = new URL(s)
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.hostname === '') return 'is not a valid http(s) URL'
  // `URL` drops an empty `?`, `#` or `@`: the raw text is looked at too, trimmed as the parser trims it
  const rest = trimUrl(s).replace(/^[a-z][a-z\d+\-.]*:[\\/]*/i, '')
  const authority = rest.split(/[/\\?#]/, 1)[0] ?? ''
  if (u.username !== '' || u.password !== '' || authority.includes('@')) return 'has user-info (credentials), which is not allowed'
  if (u.search !== '' || rest.includes('?')) return 'has a query string, which is not allowed'
  if (u.hash !== '' || rest.includes('#')) return 'has a fragment, which is not allowed'
  return undefined
}

/**
 * Checks a custom endpoint URL: it must be an http(s) URL with a host, without user-info
 * (credentials), a query or a fragment. What is left of it once the C0 controls and spaces
 * that the URL parser drops at either end are trimmed, or an `EndpointError` whose message
 * never quotes the URL.
 *
 * @example
 * import { validateCustomEndpoint } from 'fp-aws/core/Endpoint'
 * import * as E from 'fp-ts/lib/Either.js'
 *
 * assert.deepStrictEqual(validateCustomEndpoint(' http://127.0.0.1:4566/base '), E.right('http://127.0.0.1:4566/base'))
 * assert.deepStrictEqual(
 *   validateCustomEndpoint('https://example.com/?token=x'),
 *   E.left({ _tag: 'EndpointError', message: 'Invalid Configuration: Custom endpoint has a query string, which is not allowed' })
 * )
 *
 * @category validation
 * @since 0.2.0
 */
export const validateCustomEndpoint = (url: string): E.Either<EndpointError, string> => {
  const problem = customEndpointProblem(url)
  // the URL parser drops controls and spaces at either end: the path is joined to what it keeps
  return problem === undefined
    ? E.right(trimUrl(url))
    : E.left(endpointError(`Invalid Configuration: Custom endpoint ${problem}`))
}

// -------------------------------------------------------------------------------------
// resolver
// -------------------------------------------------------------------------------------

const ok = (url: string): E.Either<EndpointError, Endpoint> => E.right({ url })

const fail = (message: string): E.Either<EndpointError, Endpoint> => E.left(endpointError(message))

/**
 * Builds the endpoint resolver of a service whose rule set is the standard AWS template:
 * a custom `Endpoint` is returned as given (it must be an http(s) URL without query,
 * fragment or user-info, and excludes FIPS and dual-stack; its path is kept as a base path); otherwise the host is `{prefix}[-fips].{Region}.{suffix}` in the
 * region's partition, the suffix being the dual-stack one under `UseDualStack`. Errors
 * carry the rule set's own messages; a `Region` that is not a valid host label is
 * rejected too.
 *
 * @example
 * import { standardResolver } from 'fp-aws/core/Endpoint'
 * import * as E from 'fp-ts/lib/Either.js'
 *
 * const resolve = standardResolver({ endpointPrefix: 'oidc', govCloudFipsPrefix: 'oidc' })
 * assert.deepStrictEqual(resolve({ Region: 'eu-west-1', UseDualStack: true }), E.right({ url: 'https://oidc.eu-west-1.api.aws' }))
 * assert.deepStrictEqual(resolve({ Region: 'us-gov-west-1', UseFIPS: true }), E.right({ url: 'https://oidc.us-gov-west-1.amazonaws.com' }))
 *
 * @category constructors
 * @since 0.1.0
 */
export const standardResolver =
  (template: RuleSetTemplate): EndpointResolver =>
  (params) =>
    neverThrows(() => resolveWith(template, params))

/** Runs a resolution; parameters (or a template) that cannot be read are an `EndpointError`, never a throw. */
const neverThrows = (f: () => ReturnType<EndpointResolver>): ReturnType<EndpointResolver> => {
  try {
    return f()
  } catch {
    return fail('Invalid Configuration: the endpoint parameters cannot be read')
  }
}

const resolveWith = (template: RuleSetTemplate, params: EndpointParams): ReturnType<EndpointResolver> => {
  if (typeof params !== 'object' || params === null) return fail('Invalid Configuration: the endpoint parameters must be an object')
  const useFIPS = params.UseFIPS === true
  const useDualStack = params.UseDualStack === true
  const { Endpoint: custom, Region: region } = params
  if (custom !== undefined) {
    if (useFIPS) {
      return fail('Invalid Configuration: FIPS and custom endpoint are not supported')
    }
    if (useDualStack) {
      return fail('Invalid Configuration: Dualstack and custom endpoint are not supported')
    }
    return E.flatMap(validateCustomEndpoint(custom), ok)
  }
  if (region === undefined) {
    return fail('Invalid Configuration: Missing Region')
  }
  if (!isValidHostLabel(region)) {
    return fail('Invalid Configuration: Region is not a valid host label')
  }
  const p = partition(region)
  const prefix = template.endpointPrefix
  if (useFIPS && useDualStack) {
    return p.supportsFIPS && p.supportsDualStack
      ? ok(`https://${prefix}-fips.${region}.${p.dualStackDnsSuffix}`)
      : fail('FIPS and DualStack are enabled, but this partition does not support one or both')
  }
  if (useFIPS) {
    if (!p.supportsFIPS) {
      return fail('FIPS is enabled but this partition does not support FIPS')
    }
    return template.govCloudFipsPrefix !== undefined && p.name === 'aws-us-gov'
      ? ok(`https://${template.govCloudFipsPrefix}.${region}.amazonaws.com`)
      : ok(`https://${prefix}-fips.${region}.${p.dnsSuffix}`)
  }
  if (useDualStack) {
    return p.supportsDualStack
      ? ok(`https://${prefix}.${region}.${p.dualStackDnsSuffix}`)
      : fail('DualStack is enabled but this partition does not support DualStack')
  }
  return ok(`https://${prefix}.${region}.${p.dnsSuffix}`)
}
