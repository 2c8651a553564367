import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { partitions, standardResolver, type EndpointParams, type EndpointResolver } from '../../src/core/Endpoint.js'
import { endpointError } from '../../src/core/Error.js'
import { endpointResolver, type RuleParams } from '../../src/core/Rules.js'

/** The hand-written SSO resolver the generated one replaced: the reference of the comparison. */
const resolveEndpoint = standardResolver({ endpointPrefix: 'portal.sso', govCloudFipsPrefix: 'portal.sso' })

const models = path.join(__dirname, '../../models')
const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(models, file), 'utf8'))

/** The `smithy.rules#endpointRuleSet` trait of the model's service shape. */
const ruleSetOf = (file: string): unknown => {
  const shapes = (readJson(file) as { shapes: Record<string, { type: string; traits?: Record<string, unknown> }> })
    .shapes
  const services = Object.values(shapes).filter((s) => s.type === 'service')
  expect(services).toHaveLength(1)
  return services[0]?.traits?.['smithy.rules#endpointRuleSet']
}

interface Case {
  readonly documentation: string
  readonly params: RuleParams
  readonly expect: { readonly url?: string; readonly endpoint?: { readonly url: string }; readonly error?: string }
}

const regions = partitions.flatMap((p) => p.regions)

const services = [
  {
    name: 'SSO',
    model: 'sso.json',
    tests: 'sso-endpoint-tests.json',
    count: 44,
    byHand: resolveEndpoint
  },
  {
    name: 'SSO OIDC',
    model: 'sso-oidc.json',
    tests: 'sso-oidc-endpoint-tests.json',
    count: 40,
    // FIPS in GovCloud: the OIDC rule set resolves to https://oidc.{Region}.amazonaws.com,
    // which is what govCloudFipsPrefix 'oidc' says (checked below): no difference to record
    byHand: standardResolver({ endpointPrefix: 'oidc', govCloudFipsPrefix: 'oidc' })
  }
] as const

/**
 * Model cases that the guards refuse on purpose although the rule set resolves them, with
 * the reason. None: every case of both models passes through the guards as it is.
 */
const REFUSED: ReadonlyMap<string, string> = new Map()

// -------------------------------------------------------------------------------------
// hostile parameters
// -------------------------------------------------------------------------------------

const boom = (): never => {
  throw new Error('hostile getter')
}

const region = fc.oneof(
  fc.constantFrom(...regions),
  fc
    .tuple(
      fc.constantFrom('us', 'eu', 'ap', 'cn', 'us-gov', 'us-iso', 'us-isob', 'eu-isoe', 'us-isof', 'eusc-de', 'xx'),
      fc.stringMatching(/^[a-z]{1,10}$/),
      fc.nat(20)
    )
    .map(([a, b, n]) => `${a}-${b}-${n}`),
  fc.constantFrom('', ' us-east-1', 'us-east-1 ', 'evil.com/x', 'a'.repeat(64), '-a', 'é', 'us_east_1'),
  fc.string(),
  fc.anything({ maxDepth: 1 })
)

const endpoint = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.webUrl(),
  fc.webUrl().map((u) => u.replace('://', '://user:secret@')),
  fc.webUrl().map((u) => u.replace('://', '://@')),
  fc.webUrl().chain((u) => fc.constantFrom(`${u}?`, `${u}#`, `${u}/?`, `${u}\\x`, `\t${u}\n`, ` ${u} `, `\u0000${u}`)),
  fc.constantFrom(
    'http://127.0.0.1:4566',
    'https://example.com/base/',
    ' https://example.com ',
    'https://u:p@example.com',
    'https://example.com?',
    'https://example.com#',
    'HTTPS://EXAMPLE.COM',
    'ftp://example.com',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'https://',
    'https://exa mple.com',
    'http://[::1]:8080/x',
    ''
  ),
  fc.string(),
  fc.anything({ maxDepth: 1 })
)

const flag = fc.oneof(
  fc.boolean(),
  fc.boolean(),
  fc.constantFrom('true', 1, null, 'false', 0),
  fc.anything({ maxDepth: 0 })
)

const record = fc.record(
  { Region: region, Endpoint: endpoint, UseFIPS: flag, UseDualStack: flag },
  { requiredKeys: [] }
)

type Values = Readonly<Record<string, unknown>>

/** How the values are handed over; each builds a fresh object, since a getter may answer differently on each read. */
const shapes: ReadonlyArray<readonly [string, (v: Values, throwing: ReadonlyArray<string>) => unknown]> = [
  ['a plain object', (v) => ({ ...v })],
  ['a null-prototype object', (v) => Object.assign(Object.create(null), v)],
  ['inherited from a prototype', (v) => Object.create(v)],
  ['an array with the properties', (v) => Object.assign([], v)],
  [
    'getters, some of which throw',
    (v, throwing) => {
      const o = {}
      for (const [k, x] of Object.entries(v)) {
        Object.defineProperty(o, k, { get: throwing.includes(k) ? boom : () => x, enumerable: true })
      }
      return o
    }
  ],
  [
    'getters that answer differently after the first read',
    (v) => {
      const o = {}
      for (const [k, x] of Object.entries(v)) {
        let reads = 0
        Object.defineProperty(o, k, { get: () => (reads++ === 0 ? x : 'changed'), enumerable: true })
      }
      return o
    }
  ],
  [
    'a proxy, whose get throws for some keys',
    (v, throwing) =>
      new Proxy(
        { ...v },
        { get: (t, k) => (typeof k === 'string' && throwing.includes(k) ? boom() : Reflect.get(t, k)) }
      )
  ],
  [
    'a proxy whose every trap throws',
    () => new Proxy({}, { get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom })
  ],
  [
    'a revoked proxy',
    () => {
      const r = Proxy.revocable({}, {})
      r.revoke()
      return r.proxy
    }
  ]
]

/** Makes a fresh parameters value (a record in some shape, or anything at all). */
const params: fc.Arbitrary<readonly [string, () => unknown]> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(
        record,
        fc.nat(shapes.length - 1),
        fc.subarray(['Region', 'Endpoint', 'UseFIPS', 'UseDualStack'], { maxLength: 1 })
      )
      .map(([v, i, throwing]) => {
        const [how, make] = shapes[i] ?? shapes[0]!
        return [`${how}: ${fc.stringify(v)}, throwing ${throwing.join()}`, () => make(v, throwing)] as const
      })
  },
  {
    weight: 1,
    arbitrary: fc.anything().map((v) => [`anything: ${fc.stringify(v)}`, () => v] as const)
  }
)

// -------------------------------------------------------------------------------------
// tests
// -------------------------------------------------------------------------------------

for (const service of services) {
  const ruleSet = ruleSetOf(service.model)
  const cases = readJson(service.tests) as ReadonlyArray<Case>

  describe(`endpointResolver over the ${service.name} rule set (models/${service.model})`, () => {
    it(`passes the ${service.count} test cases of models/${service.tests}`, () => {
      expect(cases).toHaveLength(service.count)
      const resolve = endpointResolver(ruleSet)
      for (const c of cases) {
        if (REFUSED.has(c.documentation)) continue
        const url = c.expect.url ?? c.expect.endpoint?.url
        const expected =
          url !== undefined ? E.right({ url }) : E.left(endpointError(c.expect.error ?? '(no expectation)'))
        expect(resolve(c.params), c.documentation).toStrictEqual(expected)
        // the second time, from the cache
        expect(resolve(c.params), c.documentation).toStrictEqual(expected)
      }
    })

    it('is the hand-written resolver, for every region, with and without FIPS and dual-stack', () => {
      const resolve = endpointResolver(ruleSet)
      for (const Region of regions) {
        for (const UseFIPS of [false, true]) {
          for (const UseDualStack of [false, true]) {
            const p = { Region, UseFIPS, UseDualStack }
            const expected = service.byHand(p)
            expect(resolve(p), JSON.stringify(p)).toStrictEqual(expected)
            expect(resolve(p), JSON.stringify(p)).toStrictEqual(expected)
          }
        }
      }
    })

    it('is the hand-written resolver for hostile parameters, each resolved twice', () => {
      const resolve = endpointResolver(ruleSet)
      fc.assert(
        fc.property(params, ([, make]) => {
          const expected = service.byHand(make() as EndpointParams)
          expect(resolve(make() as EndpointParams)).toStrictEqual(expected)
          expect(resolve(make() as EndpointParams)).toStrictEqual(expected)
        }),
        { numRuns: 5000 }
      )
    })
  })
}

describe('endpointResolver', () => {
  const sso = ruleSetOf('sso.json')
  const oidc = ruleSetOf('sso-oidc.json')

  it('returns exactly { url } when the rule set gives no headers or properties', () => {
    // it is an EndpointResolver, as a Service's resolveEndpoint is
    const resolve: EndpointResolver = endpointResolver(sso)
    const r = resolve({ Region: 'eu-west-1' })
    expect(r).toStrictEqual(E.right({ url: 'https://portal.sso.eu-west-1.amazonaws.com' }))
    expect(E.isRight(r) && Object.keys(r.right)).toStrictEqual(['url'])
  })

  it('FIPS in GovCloud: the SSO OIDC rule set agrees with govCloudFipsPrefix', () => {
    for (const Region of ['us-gov-west-1', 'us-gov-east-1', 'us-gov-central-7']) {
      expect(endpointResolver(oidc)({ Region, UseFIPS: true })).toStrictEqual(
        E.right({ url: `https://oidc.${Region}.amazonaws.com` })
      )
      expect(endpointResolver(oidc)({ Region, UseFIPS: true, UseDualStack: true })).toStrictEqual(
        E.right({ url: `https://oidc-fips.${Region}.api.aws` })
      )
    }
  })

  it('the guards: custom endpoint checked and trimmed, region a host label, unreadable parameters', () => {
    const resolve = endpointResolver(sso)
    const refused = (message: string) => E.left(endpointError(message))
    expect(resolve({ Endpoint: ' \thttp://127.0.0.1:4566/base\n' })).toStrictEqual(
      E.right({ url: 'http://127.0.0.1:4566/base' })
    )
    expect(resolve({ Endpoint: 'https://u:p@example.com' })).toStrictEqual(
      refused('Invalid Configuration: Custom endpoint has user-info (credentials), which is not allowed')
    )
    expect(resolve({ Endpoint: 'https://example.com?' })).toStrictEqual(
      refused('Invalid Configuration: Custom endpoint has a query string, which is not allowed')
    )
    expect(resolve({ Endpoint: 'https://example.com#x' })).toStrictEqual(
      refused('Invalid Configuration: Custom endpoint has a fragment, which is not allowed')
    )
    expect(resolve({ Endpoint: 42 } as unknown as EndpointParams)).toStrictEqual(
      refused('Invalid Configuration: Custom endpoint is not a valid http(s) URL')
    )
    // FIPS and dual-stack are refused first, with the rule set's messages, whatever the URL
    expect(resolve({ Endpoint: 'https://u:p@example.com', UseFIPS: true })).toStrictEqual(
      refused('Invalid Configuration: FIPS and custom endpoint are not supported')
    )
    expect(resolve({ Endpoint: null, UseDualStack: true } as unknown as EndpointParams)).toStrictEqual(
      refused('Invalid Configuration: Dualstack and custom endpoint are not supported')
    )
    // the region is not looked at with a custom endpoint
    expect(resolve({ Endpoint: 'https://example.com', Region: 7 } as unknown as EndpointParams)).toStrictEqual(
      E.right({ url: 'https://example.com' })
    )
    expect(resolve({ Region: 'evil.com/x' })).toStrictEqual(
      refused('Invalid Configuration: Region is not a valid host label')
    )
    expect(resolve({ Region: 7 } as unknown as EndpointParams)).toStrictEqual(
      refused('Invalid Configuration: Region is not a valid host label')
    )
    expect(resolve({ Region: 'eu-west-1', UseFIPS: 'true' } as unknown as EndpointParams)).toStrictEqual(
      E.right({ url: 'https://portal.sso.eu-west-1.amazonaws.com' })
    )
    expect(resolve('eu-west-1' as unknown as EndpointParams)).toStrictEqual(
      refused('Invalid Configuration: the endpoint parameters must be an object')
    )
    expect(resolve(Object.defineProperty({}, 'Region', { get: boom }))).toStrictEqual(
      refused('Invalid Configuration: the endpoint parameters cannot be read')
    )
  })

  it('what it returns is frozen: a caller that changes a resolution cannot change the next one', () => {
    const resolve = endpointResolver(sso)
    const first = resolve({ Region: 'eu-west-1' })
    expect(() => {
      if (E.isRight(first)) (first.right as { url: string }).url = 'https://evil.example'
    }).toThrow(TypeError)
    expect(() => {
      ;(first as { _tag: string })._tag = 'Left'
    }).toThrow(TypeError)
    expect(resolve({ Region: 'eu-west-1' })).toStrictEqual(
      E.right({ url: 'https://portal.sso.eu-west-1.amazonaws.com' })
    )
    const error = resolve({})
    expect(() => {
      if (E.isLeft(error)) (error.left as { message: string }).message = 'changed'
    }).toThrow(TypeError)
    expect(resolve({})).toStrictEqual(E.left(endpointError('Invalid Configuration: Missing Region')))
  })

  it('stays right past the bounds of what it remembers: thousands of distinct regions, old ones asked again', () => {
    const resolve = endpointResolver(sso)
    const byHand = (Region: string) => resolveEndpoint({ Region })
    for (let i = 0; i < 3000; i++) {
      const fresh = `us-gov-test-${i}`
      expect(resolve({ Region: fresh })).toStrictEqual(byHand(fresh))
      const old = `us-gov-test-${Math.floor(i / 2)}`
      expect(resolve({ Region: old })).toStrictEqual(byHand(old))
    }
    // a long region and a long custom endpoint are resolved, not remembered, and stay right
    const long = 'a'.repeat(5000)
    expect(resolve({ Region: long })).toStrictEqual(byHand(long))
    expect(resolve({ Endpoint: `https://example.com/${long}` })).toStrictEqual(
      E.right({ url: `https://example.com/${long}` })
    )
  })

  describe('over other rule sets', () => {
    const rs = (parameters: unknown, rules: unknown) => ({ version: '1.0', parameters, rules })
    const endpointRule = (url: unknown, conditions: unknown = [], more: object = {}) => ({
      type: 'endpoint',
      conditions,
      endpoint: { url, ...more }
    })

    it('the other parameters are part of what is remembered; arrays are resolved each time', () => {
      const resolve = endpointResolver(
        rs({ Region: { type: 'String' }, Bucket: { type: 'String' }, Tags: { type: 'stringArray' } }, [
          endpointRule('https://{Bucket}.{Region}.example', [{ fn: 'isSet', argv: [{ ref: 'Bucket' }] }]),
          endpointRule('https://{Region}.example/{T}', [
            { fn: 'getAttr', argv: [{ ref: 'Tags' }, '[0]'], assign: 'T' }
          ]),
          endpointRule('https://{Region}.example')
        ])
      )
      expect(resolve({ Region: 'r', Bucket: 'a' })).toStrictEqual(E.right({ url: 'https://a.r.example' }))
      expect(resolve({ Region: 'r', Bucket: 'b' })).toStrictEqual(E.right({ url: 'https://b.r.example' }))
      expect(resolve({ Region: 'r' })).toStrictEqual(E.right({ url: 'https://r.example' }))
      expect(resolve({ Region: 'r', Tags: ['x'] })).toStrictEqual(E.right({ url: 'https://r.example/x' }))
      expect(resolve({ Region: 'r', Tags: ['y'] })).toStrictEqual(E.right({ url: 'https://r.example/y' }))
      expect(resolve({ Region: 'r', Bucket: 7 } as unknown as RuleParams)).toStrictEqual(
        E.left(endpointError('Invalid Configuration: Bucket must be a string'))
      )
    })

    it('headers and properties are returned, frozen all the way down', () => {
      const resolve = endpointResolver(
        rs({ Region: { type: 'String', required: true } }, [
          endpointRule('https://{Region}.example', [], {
            headers: { 'x-a': ['{Region}'] },
            properties: { authSchemes: [{ name: 'sigv4', signingRegion: '{Region}' }] }
          })
        ])
      )
      const r = resolve({ Region: 'r' })
      expect(r).toStrictEqual(
        E.right({
          url: 'https://r.example',
          headers: { 'x-a': ['r'] },
          properties: { authSchemes: [{ name: 'sigv4', signingRegion: 'r' }] }
        })
      )
      const scheme = E.isRight(r) ? (r.right.properties?.['authSchemes'] as ReadonlyArray<object>)[0] : undefined
      expect(Object.isFrozen(scheme)).toBe(true)
      expect(Object.isFrozen(E.isRight(r) ? r.right.headers?.['x-a'] : undefined)).toBe(true)
    })

    it('guards only the parameters the rule set declares', () => {
      const noRegion = endpointResolver(rs({}, [endpointRule('https://global.example')]))
      expect(noRegion({ Region: 'not a label' })).toStrictEqual(E.right({ url: 'https://global.example' }))
      expect(noRegion({ Endpoint: 'https://u:p@x' })).toStrictEqual(E.right({ url: 'https://global.example' }))
    })

    it('a rule set that takes a custom endpoint with FIPS still gets only a usable one', () => {
      const resolve = endpointResolver(
        rs({ UseFIPS: { type: 'Boolean', default: false, required: true }, Endpoint: { type: 'String' } }, [
          endpointRule({ ref: 'Endpoint' }, [{ fn: 'isSet', argv: [{ ref: 'Endpoint' }] }]),
          { type: 'error', conditions: [], error: 'no endpoint' }
        ])
      )
      expect(resolve({ Endpoint: ' https://fips.example ', UseFIPS: true })).toStrictEqual(
        E.right({ url: 'https://fips.example' })
      )
      expect(resolve({ Endpoint: 'https://fips.example?x', UseFIPS: true })).toStrictEqual(
        E.left(endpointError('Invalid Configuration: Custom endpoint has a query string, which is not allowed'))
      )
      expect(resolve({ Endpoint: 5, UseFIPS: true } as unknown as EndpointParams)).toStrictEqual(
        E.left(endpointError('Invalid Configuration: Custom endpoint is not a valid http(s) URL'))
      )
    })

    it('reads the rule set once: changing it afterwards changes nothing', () => {
      const rule = endpointRule('https://{Region}.example')
      const ruleSet = rs({ Region: { type: 'String', required: true } }, [rule])
      const resolve = endpointResolver(ruleSet)
      expect(resolve({ Region: 'a' })).toStrictEqual(E.right({ url: 'https://a.example' }))
      rule.endpoint.url = 'https://{Region}.evil.example'
      ruleSet.parameters = {}
      expect(resolve({ Region: 'b' })).toStrictEqual(E.right({ url: 'https://b.example' }))
      // a rule set whose getters answer: read once, when the resolver is made
      let reads = 0
      const changing = Object.defineProperty({ version: '1.0', parameters: { R: { type: 'String' } } }, 'rules', {
        get: () => (reads++ === 0 ? [endpointRule('https://first.example')] : [endpointRule('https://later.example')]),
        enumerable: true
      })
      const once = endpointResolver(changing)
      expect([once({}), once({ R: 'x' })]).toStrictEqual([
        E.right({ url: 'https://first.example' }),
        E.right({ url: 'https://first.example' })
      ])
    })

    it('a rule set that cannot be read is an EndpointError at each resolution, never a throw', () => {
      const trap = new Proxy(
        {},
        { get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom, getPrototypeOf: boom }
      )
      expect(endpointResolver(null)({ Region: 'r' })).toStrictEqual(
        E.left(endpointError('Invalid rule set: the rule set is not an object'))
      )
      expect(E.isLeft(endpointResolver(trap)({ Region: 'r' }))).toBe(true)
      expect(endpointResolver(rs([], []))({ Region: 'r' })).toStrictEqual(
        E.left(endpointError('Invalid rule set: parameters is not an object'))
      )
    })
  })
})
