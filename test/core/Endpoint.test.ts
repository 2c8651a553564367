import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import {
  isValidHostLabel,
  partition,
  partitions,
  standardResolver,
  type EndpointParams
} from '../../src/core/Endpoint.js'
import { endpointError } from '../../src/core/Error.js'
import { resolveEndpoint } from '../../src/services/sso/Endpoint.js'

interface Case {
  readonly documentation: string
  readonly params: EndpointParams
  readonly expect: { readonly url: string } | { readonly error: string }
}

/** The 44 cases of the SSO endpoint rule set's test suite (`smithy.rules#endpointTests`). */
const cases: ReadonlyArray<Case> = [
  {
    documentation: 'For region ap-east-1 with FIPS disabled and DualStack disabled',
    params: { Region: 'ap-east-1', UseFIPS: false, UseDualStack: false },
    expect: { url: 'https://portal.sso.ap-east-1.amazonaws.com' }
  },
  {
    documentation: 'For region ap-northeast-1 with FIPS disabled and DualStack disabled',
    params: { Region: 'ap-northeast-1', UseFIPS: false, UseDualStack: false },
    expect: { url: 'https://portal.sso.ap-northeast-1.amazonaws.com' }
  },
  {
    documentation: 'For region ap-northeast-2 with FIPS disabled and DualStack disabled',
    params: { Region: 'ap-northeast-2', UseFIPS: false, UseDualStack: false },
    expect: { url: 'https://portal.sso.ap-northeast-2.amazonaws.com' }
  },
  {
    documentation: 'For region ap-northeast-3 with FIPS disabled and DualStack disabled',
    params: { Region: 'ap-northeast-3', UseFIPS: false, UseDualStack: false },
    expect: { url: 'https://portal.sso.ap-northeast-3.amazonaws.com' }
  },
  {
    documentation: 'For region ap-south-1 with FIPS disabled and DualStack disabled',
    params: { Region: 'ap-south-1', UseFIPS: false, UseDualStack: false },
    expect: { url: 'https://portal.sso.ap-south-1.amazonaws.com' }
  },
  {
    documentation: 'For region ap-southeast-1 with FIPS disabled and DualStack disabled',
    params: { Region: 'ap-southeast-1', UseFIPS: false, UseDualStack: false },
    expect: { url: 'https://portal.sso.ap-southeast-1.amazonaws.com' }
  },
  {
    documentation: 'For region ap-southeast-2 with FIPS disabled and DualStack disabled',
    params: { Region: 'ap-southeast-2', UseFIPS: false, UseDualStack: false },
    expect: { url: 'https://portal.sso.ap-southeast-2.amazonaws.com' }
  },
  {
    documentation: 'For region ca-central-1 with FIPS disabled and DualStack disabled',
    params: { Region: 'ca-central-1', UseFIPS: false, UseDualStack: false },
    expect: { url: 'https://portal.sso.ca-central-1.amazonaws.com' }
  },
  {
    documentation: 'For region eu-central-1 with FIPS disabled and DualStack disabled',
    params: { Region: 'eu-central-1', UseFIPS: false, UseDualStack: false },
    expect: { url: 'https://portal.sso.eu-central-1.amazonaws.com' }
  },
  {
    documentation: 'For region eu-north-1 with FIPS disabled and DualStack disabled',
    params: { Region: 'eu-north-1', UseFIPS: false, UseDualStack: false },
    expect: { url: 'https://portal.sso.eu-north-1.amazonaws.com' }
  },
  {
    documentation: 'For region eu-south-1 with FIPS disabled and DualStack disabled',
    params: { Region: 'eu-south-1', UseFIPS: false, UseDualStack: false },
    expect: { url: 'https://portal.sso.eu-south-1.amazonaws.com' }
  },
  {
    documentation: 'For region eu-west-1 with FIPS disabled and DualStack disabled',
    params: { Region: 'eu-west-1', UseFIPS: false, UseDualStack: false },
    expect: { url: 'https://portal.sso.eu-west-1.amazonaws.com' }
  },
  {
    documentation: 'For region eu-west-2 with FIPS disabled and DualStack disabled',
    params: { Region: 'eu-west-2', UseFIPS: false, UseDualStack: false },
    expect: { url: 'https://portal.sso.eu-west-2.amazonaws.com' }
  },
  {
    documentation: 'For region eu-west-3 with FIPS disabled and DualStack disabled',
    params: { Region: 'eu-west-3', UseFIPS: false, UseDualStack: false },
    expect: { url: 'https://portal.sso.eu-west-3.amazonaws.com' }
  },
  {
    documentation: 'For region me-south-1 with FIPS disabled and DualStack disabled',
    params: { Region: 'me-south-1', UseFIPS: false, UseDualStack: false },
    expect: { url: 'https://portal.sso.me-south-1.amazonaws.com' }
  },
  {
    documentation: 'For region sa-east-1 with FIPS disabled and DualStack disabled',
    params: { Region: 'sa-east-1', UseFIPS: false, UseDualStack: false },
    expect: { url: 'https://portal.sso.sa-east-1.amazonaws.com' }
  },
  {
    documentation: 'For region us-east-1 with FIPS disabled and DualStack disabled',
    params: { Region: 'us-east-1', UseFIPS: false, UseDualStack: false },
    expect: { url: 'https://portal.sso.us-east-1.amazonaws.com' }
  },
  {
    documentation: 'For region us-east-2 with FIPS disabled and DualStack disabled',
    params: { Region: 'us-east-2', UseFIPS: false, UseDualStack: false },
    expect: { url: 'https://portal.sso.us-east-2.amazonaws.com' }
  },
  {
    documentation: 'For region us-west-2 with FIPS disabled and DualStack disabled',
    params: { Region: 'us-west-2', UseFIPS: false, UseDualStack: false },
    expect: { url: 'https://portal.sso.us-west-2.amazonaws.com' }
  },
  {
    documentation: 'For region us-east-1 with FIPS enabled and DualStack enabled',
    params: { Region: 'us-east-1', UseFIPS: true, UseDualStack: true },
    expect: { url: 'https://portal.sso-fips.us-east-1.api.aws' }
  },
  {
    documentation: 'For region us-east-1 with FIPS enabled and DualStack disabled',
    params: { Region: 'us-east-1', UseFIPS: true, UseDualStack: false },
    expect: { url: 'https://portal.sso-fips.us-east-1.amazonaws.com' }
  },
  {
    documentation: 'For region us-east-1 with FIPS disabled and DualStack enabled',
    params: { Region: 'us-east-1', UseFIPS: false, UseDualStack: true },
    expect: { url: 'https://portal.sso.us-east-1.api.aws' }
  },
  {
    documentation: 'For region cn-north-1 with FIPS enabled and DualStack enabled',
    params: { Region: 'cn-north-1', UseFIPS: true, UseDualStack: true },
    expect: { url: 'https://portal.sso-fips.cn-north-1.api.amazonwebservices.com.cn' }
  },
  {
    documentation: 'For region cn-north-1 with FIPS enabled and DualStack disabled',
    params: { Region: 'cn-north-1', UseFIPS: true, UseDualStack: false },
    expect: { url: 'https://portal.sso-fips.cn-north-1.amazonaws.com.cn' }
  },
  {
    documentation: 'For region cn-north-1 with FIPS disabled and DualStack enabled',
    params: { Region: 'cn-north-1', UseFIPS: false, UseDualStack: true },
    expect: { url: 'https://portal.sso.cn-north-1.api.amazonwebservices.com.cn' }
  },
  {
    documentation: 'For region cn-north-1 with FIPS disabled and DualStack disabled',
    params: { Region: 'cn-north-1', UseFIPS: false, UseDualStack: false },
    expect: { url: 'https://portal.sso.cn-north-1.amazonaws.com.cn' }
  },
  {
    documentation: 'For region us-gov-east-1 with FIPS disabled and DualStack disabled',
    params: { Region: 'us-gov-east-1', UseFIPS: false, UseDualStack: false },
    expect: { url: 'https://portal.sso.us-gov-east-1.amazonaws.com' }
  },
  {
    documentation: 'For region us-gov-west-1 with FIPS disabled and DualStack disabled',
    params: { Region: 'us-gov-west-1', UseFIPS: false, UseDualStack: false },
    expect: { url: 'https://portal.sso.us-gov-west-1.amazonaws.com' }
  },
  {
    documentation: 'For region us-gov-east-1 with FIPS enabled and DualStack enabled',
    params: { Region: 'us-gov-east-1', UseFIPS: true, UseDualStack: true },
    expect: { url: 'https://portal.sso-fips.us-gov-east-1.api.aws' }
  },
  {
    documentation: 'For region us-gov-east-1 with FIPS enabled and DualStack disabled',
    params: { Region: 'us-gov-east-1', UseFIPS: true, UseDualStack: false },
    expect: { url: 'https://portal.sso.us-gov-east-1.amazonaws.com' }
  },
  {
    documentation: 'For region us-gov-east-1 with FIPS disabled and DualStack enabled',
    params: { Region: 'us-gov-east-1', UseFIPS: false, UseDualStack: true },
    expect: { url: 'https://portal.sso.us-gov-east-1.api.aws' }
  },
  {
    documentation: 'For region us-iso-east-1 with FIPS enabled and DualStack enabled',
    params: { Region: 'us-iso-east-1', UseFIPS: true, UseDualStack: true },
    expect: { error: 'FIPS and DualStack are enabled, but this partition does not support one or both' }
  },
  {
    documentation: 'For region us-iso-east-1 with FIPS enabled and DualStack disabled',
    params: { Region: 'us-iso-east-1', UseFIPS: true, UseDualStack: false },
    expect: { url: 'https://portal.sso-fips.us-iso-east-1.c2s.ic.gov' }
  },
  {
    documentation: 'For region us-iso-east-1 with FIPS disabled and DualStack enabled',
    params: { Region: 'us-iso-east-1', UseFIPS: false, UseDualStack: true },
    expect: { error: 'DualStack is enabled but this partition does not support DualStack' }
  },
  {
    documentation: 'For region us-iso-east-1 with FIPS disabled and DualStack disabled',
    params: { Region: 'us-iso-east-1', UseFIPS: false, UseDualStack: false },
    expect: { url: 'https://portal.sso.us-iso-east-1.c2s.ic.gov' }
  },
  {
    documentation: 'For region us-isob-east-1 with FIPS enabled and DualStack enabled',
    params: { Region: 'us-isob-east-1', UseFIPS: true, UseDualStack: true },
    expect: { error: 'FIPS and DualStack are enabled, but this partition does not support one or both' }
  },
  {
    documentation: 'For region us-isob-east-1 with FIPS enabled and DualStack disabled',
    params: { Region: 'us-isob-east-1', UseFIPS: true, UseDualStack: false },
    expect: { url: 'https://portal.sso-fips.us-isob-east-1.sc2s.sgov.gov' }
  },
  {
    documentation: 'For region us-isob-east-1 with FIPS disabled and DualStack enabled',
    params: { Region: 'us-isob-east-1', UseFIPS: false, UseDualStack: true },
    expect: { error: 'DualStack is enabled but this partition does not support DualStack' }
  },
  {
    documentation: 'For region us-isob-east-1 with FIPS disabled and DualStack disabled',
    params: { Region: 'us-isob-east-1', UseFIPS: false, UseDualStack: false },
    expect: { url: 'https://portal.sso.us-isob-east-1.sc2s.sgov.gov' }
  },
  {
    documentation: 'For custom endpoint with region set and fips disabled and dualstack disabled',
    params: { Region: 'us-east-1', UseFIPS: false, UseDualStack: false, Endpoint: 'https://example.com' },
    expect: { url: 'https://example.com' }
  },
  {
    documentation: 'For custom endpoint with region not set and fips disabled and dualstack disabled',
    params: { UseFIPS: false, UseDualStack: false, Endpoint: 'https://example.com' },
    expect: { url: 'https://example.com' }
  },
  {
    documentation: 'For custom endpoint with fips enabled and dualstack disabled',
    params: { Region: 'us-east-1', UseFIPS: true, UseDualStack: false, Endpoint: 'https://example.com' },
    expect: { error: 'Invalid Configuration: FIPS and custom endpoint are not supported' }
  },
  {
    documentation: 'For custom endpoint with fips disabled and dualstack enabled',
    params: { Region: 'us-east-1', UseFIPS: false, UseDualStack: true, Endpoint: 'https://example.com' },
    expect: { error: 'Invalid Configuration: Dualstack and custom endpoint are not supported' }
  },
  {
    documentation: 'Missing region',
    params: {},
    expect: { error: 'Invalid Configuration: Missing Region' }
  }
]

describe('SSO endpoint rule set', () => {
  it('has all 44 cases', () => {
    expect(cases).toHaveLength(44)
  })

  it.each(cases.map((c) => [c.documentation, c] as const))('%s', (_, c) => {
    const expected =
      'url' in c.expect ? E.right({ url: c.expect.url }) : E.left(endpointError(c.expect.error))
    expect(resolveEndpoint(c.params)).toStrictEqual(expected)
  })
})

describe('partition', () => {
  it('matches known regions exactly', () => {
    expect(partition('us-east-1').name).toBe('aws')
    expect(partition('aws-global').name).toBe('aws')
    expect(partition('cn-northwest-1').name).toBe('aws-cn')
    expect(partition('aws-us-gov-global').name).toBe('aws-us-gov')
    expect(partition('us-iso-west-1').name).toBe('aws-iso')
    expect(partition('us-isob-east-1').name).toBe('aws-iso-b')
    expect(partition('eu-isoe-west-1').name).toBe('aws-iso-e')
    expect(partition('us-isof-south-1').name).toBe('aws-iso-f')
    expect(partition('eusc-de-east-1').name).toBe('aws-eusc')
  })

  it('falls back to the region regex, then to aws', () => {
    expect(partition('us-gov-central-9').name).toBe('aws-us-gov')
    expect(partition('cn-south-2').name).toBe('aws-cn')
    expect(partition('us-isof-north-3').name).toBe('aws-iso-f')
    expect(partition('eusc-de-west-2').name).toBe('aws-eusc')
    expect(partition('ap-mars-1').name).toBe('aws')
    expect(partition('mars-east-1').name).toBe('aws')
    expect(partition('').name).toBe('aws')
  })

  it('every known region belongs to its own partition', () => {
    for (const p of partitions) {
      for (const r of p.regions) {
        expect(partition(r)).toBe(p)
      }
    }
  })
})

describe('hardening', () => {
  it('rejects a region that is not a host label', () => {
    for (const Region of ['', 'evil.com/', 'user@evil.com', 'a b', 'us-east-1#', 'us-east-1?x', 'x.y', '-us', 'us-', 'a'.repeat(64)]) {
      expect(resolveEndpoint({ Region })).toStrictEqual(
        E.left(endpointError('Invalid Configuration: Region is not a valid host label'))
      )
    }
  })

  it('checks that a custom endpoint is an http(s) URL', () => {
    expect(resolveEndpoint({ Endpoint: 'http://localhost:4566' })).toStrictEqual(E.right({ url: 'http://localhost:4566' }))
    expect(resolveEndpoint({ Endpoint: 'https://example.com/base/' })).toStrictEqual(E.right({ url: 'https://example.com/base/' }))
    for (const Endpoint of ['', 'example.com', 'ftp://example.com', 'javascript:alert(1)', 'https://', 'file:///etc/passwd']) {
      expect(E.isLeft(resolveEndpoint({ Endpoint }))).toBe(true)
    }
  })

  it('builds other services from the same template', () => {
    const resolve = standardResolver({ endpointPrefix: 'oidc' })
    expect(resolve({ Region: 'us-gov-west-1', UseFIPS: true })).toStrictEqual(
      E.right({ url: 'https://oidc-fips.us-gov-west-1.amazonaws.com' })
    )
    expect(resolve({ Region: 'eu-isoe-west-1', UseFIPS: true })).toStrictEqual(
      E.right({ url: 'https://oidc-fips.eu-isoe-west-1.cloud.adc-e.uk' })
    )
  })
})

const flags = fc.record({ UseFIPS: fc.boolean(), UseDualStack: fc.boolean() })

const regionLike = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(...partitions.flatMap((p) => p.regions)),
  fc
    .tuple(
      fc.constantFrom('us', 'eu', 'ap', 'cn', 'us-gov', 'us-iso', 'us-isob', 'eu-isoe', 'us-isof', 'eusc-de', 'xx'),
      fc.stringMatching(/^[a-z]{1,10}$/),
      fc.nat(20)
    )
    .map(([a, b, n]) => `${a}-${b}-${n}`)
)

describe('properties', () => {
  it('never throws, and a resolved host ends with the partition suffix', () => {
    fc.assert(
      fc.property(regionLike, flags, (Region, f) => {
        const r = resolveEndpoint({ Region, ...f })
        if (E.isLeft(r)) {
          return r.left._tag === 'EndpointError'
        }
        const p = partition(Region)
        const url = new URL(r.right.url)
        const suffix = f.UseDualStack ? p.dualStackDnsSuffix : p.dnsSuffix
        return (
          isValidHostLabel(Region) &&
          url.protocol === 'https:' &&
          url.hostname.endsWith(`.${Region.toLowerCase()}.${suffix}`) &&
          r.right.url.toLowerCase() === `https://${url.hostname}`
        )
      }),
      { numRuns: 2000 }
    )
  })

  it('a region with an injected URL metacharacter is rejected', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.constantFrom('/', '@', '#', '?', ' ', ':', '.', '%', '\\'),
        fc.string(),
        flags,
        (before, bad, after, f) => {
          const r = resolveEndpoint({ Region: `${before}${bad}${after}`, ...f })
          return E.isLeft(r) && r.left.message === 'Invalid Configuration: Region is not a valid host label'
        }
      ),
      { numRuns: 1000 }
    )
  })

  it('never throws on arbitrary params', () => {
    fc.assert(
      fc.property(
        fc.record(
          { Region: fc.string(), Endpoint: fc.oneof(fc.string(), fc.webUrl()), UseFIPS: fc.boolean(), UseDualStack: fc.boolean() },
          { requiredKeys: [] }
        ),
        (params) => {
          const r = resolveEndpoint(params)
          return E.isLeft(r) || (E.isRight(r) && typeof r.right.url === 'string')
        }
      ),
      { numRuns: 1000 }
    )
  })
})
