import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { isValidHostLabel as isHostLabel, partitions } from '../../src/core/Endpoint.js'
import { endpointError } from '../../src/core/Error.js'
import {
  awsPartition,
  evaluate,
  getAttr,
  isValidHostLabel,
  parseURL,
  ruleSetResolver,
  substring,
  uriEncode,
  type RuleParams
} from '../../src/core/Rules.js'
import { resolveEndpoint } from '../../src/services/sso/Endpoint.js'

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

const services = [
  { name: 'SSO', model: 'sso.json', tests: 'sso-endpoint-tests.json', count: 44 },
  { name: 'SSO OIDC', model: 'sso-oidc.json', tests: 'sso-oidc-endpoint-tests.json', count: 40 }
] as const

for (const service of services) {
  const ruleSet = ruleSetOf(service.model)
  const cases = readJson(service.tests) as ReadonlyArray<Case>

  describe(`the ${service.name} rule set (models/${service.model})`, () => {
    it(`has the ${service.count} test cases of models/${service.tests}`, () => {
      expect(cases).toHaveLength(service.count)
    })

    it.each(cases.map((c) => [c.documentation, c] as const))('%s', (_, c) => {
      const url = c.expect.url ?? c.expect.endpoint?.url
      const expected =
        url !== undefined ? E.right({ url }) : E.left(endpointError(c.expect.error ?? '(no expectation)'))
      expect(evaluate(ruleSet, c.params)).toStrictEqual(expected)
    })
  })
}

describe('library functions', () => {
  it('substring: forwards, reversed, and out of range', () => {
    expect(substring('abcdefg', 0, 4, false)).toStrictEqual(O.some('abcd'))
    expect(substring('abcdefg', 2, 7, false)).toStrictEqual(O.some('cdefg'))
    expect(substring('abcdefg', 0, 4, true)).toStrictEqual(O.some('defg'))
    expect(substring('abcdefg', 1, 3, true)).toStrictEqual(O.some('ef'))
    expect(substring('abcdefg', 0, 7, true)).toStrictEqual(O.some('abcdefg'))
    expect(substring('abc', 0, 4, false)).toStrictEqual(O.none)
    expect(substring('abc', 0, 4, true)).toStrictEqual(O.none)
    expect(substring('abc', 2, 2, false)).toStrictEqual(O.none)
    expect(substring('abc', 2, 1, false)).toStrictEqual(O.none)
    expect(substring('abc', -1, 2, false)).toStrictEqual(O.none)
    expect(substring('', 0, 1, false)).toStrictEqual(O.none)
    expect(substring('aé-bc', 0, 1, false)).toStrictEqual(O.none) // not ASCII
    expect(substring('a🐱b', 0, 1, false)).toStrictEqual(O.none)
    expect(substring('\ufdfd', 0, 1, false)).toStrictEqual(O.none)
    expect(substring('\u007fabcdef', 0, 4, false)).toStrictEqual(O.some('\u007fabc')) // all of ASCII counts
  })

  it('uriEncode: every reserved character, unreserved ones kept, UTF-8', () => {
    expect(uriEncode('abcXYZ019-_.~')).toBe('abcXYZ019-_.~')
    expect(uriEncode(":/?#[]@!$&'()*+,;= %")).toBe('%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%20%25')
    expect(uriEncode('é🐱')).toBe('%C3%A9%F0%9F%90%B1')
    expect(uriEncode('')).toBe('')
  })

  it('parseURL: hosts, IPv4, IPv6, ports, paths; a query fails', () => {
    const url = (scheme: string, authority: string, p: string, normalizedPath: string, isIp: boolean) =>
      O.some({ scheme, authority, path: p, normalizedPath, isIp })
    expect(parseURL('https://example.com')).toStrictEqual(url('https', 'example.com', '', '/', false))
    expect(parseURL('http://example.com:80/foo/bar')).toStrictEqual(
      url('http', 'example.com:80', '/foo/bar', '/foo/bar/', false)
    )
    expect(parseURL('https://example.com/')).toStrictEqual(url('https', 'example.com', '/', '/', false))
    expect(parseURL('https://example.com:8443/a/')).toStrictEqual(url('https', 'example.com:8443', '/a/', '/a/', false))
    expect(parseURL('https://127.0.0.1')).toStrictEqual(url('https', '127.0.0.1', '', '/', true))
    expect(parseURL('http://127.0.0.1:8080/x')).toStrictEqual(url('http', '127.0.0.1:8080', '/x', '/x/', true))
    expect(parseURL('https://[fe80::1]')).toStrictEqual(url('https', '[fe80::1]', '', '/', true))
    expect(parseURL('https://[2001:db8::1]:443/p')).toStrictEqual(url('https', '[2001:db8::1]:443', '/p', '/p/', true))
    expect(parseURL('https://999.0.0.1')).toStrictEqual(O.none) // not an address, and not a host name either
    expect(parseURL('https://1.2.3.4.example.com')).toStrictEqual(url('https', '1.2.3.4.example.com', '', '/', false))
    // host labels are not validated; a default port that is written is kept
    expect(parseURL('http://99_ab-.com')).toStrictEqual(url('http', '99_ab-.com', '', '/', false))
    expect(parseURL('https://[2001:db8:85a3:8d3:1319:8a2e:370:7348]:443')).toStrictEqual(
      url('https', '[2001:db8:85a3:8d3:1319:8a2e:370:7348]:443', '', '/', true)
    )
    for (const bad of [
      'https://example.com?foo=bar',
      'https://example.com/path?',
      'https://example.com/#frag',
      'https://user@example.com',
      'ftp://example.com',
      'acbd://example.com',
      'http://abc.com:a/foo',
      'example.com',
      'https://',
      'https://example.com:99999',
      'https://exa mple.com',
      ''
    ]) {
      expect(parseURL(bad), bad).toStrictEqual(O.none)
    }
  })

  it('isValidHostLabel: one label, or labels joined by dots with allowSubDomains', () => {
    expect(isValidHostLabel('us-east-1', false)).toBe(true)
    expect(isValidHostLabel('a', false)).toBe(true)
    expect(isValidHostLabel('3aws4', false)).toBe(true)
    expect(isValidHostLabel('a'.repeat(63), false)).toBe(true)
    expect(isValidHostLabel('a'.repeat(64), false)).toBe(false)
    expect(isValidHostLabel('a.b', false)).toBe(false)
    expect(isValidHostLabel('a.b', true)).toBe(true)
    expect(isValidHostLabel('a.b.c-d', true)).toBe(true)
    for (const bad of ['', '.', 'a.', '.a', 'a..b', '-a', 'a-', 'a_b', 'a b', 'a/b', 'é']) {
      expect(isValidHostLabel(bad, true), bad).toBe(false)
      expect(isValidHostLabel(bad, false), bad).toBe(false)
    }
  })

  it('getAttr: names, indexes, and paths that lead nowhere', () => {
    const v = { a: { b: ['x', { c: 'y' }] }, d: [['p', 'q']] }
    expect(getAttr(v, 'a.b[0]')).toStrictEqual(O.some('x'))
    expect(getAttr(v, 'a.b[1].c')).toStrictEqual(O.some('y'))
    expect(getAttr(v, 'd[0][1]')).toStrictEqual(O.some('q'))
    expect(getAttr(v, 'a')).toStrictEqual(O.some(v.a))
    expect(getAttr(v, 'a.b[2]')).toStrictEqual(O.none)
    expect(getAttr(v, 'a.x')).toStrictEqual(O.none)
    expect(getAttr(v, 'a.b.c')).toStrictEqual(O.none)
    expect(getAttr(v, 'a[0]')).toStrictEqual(O.none)
    expect(getAttr(v, 'toString')).toStrictEqual(O.none)
    expect(getAttr(v, 'a.b[x]')).toStrictEqual(O.none)
  })

  it('aws.partition: the partition table of core/Endpoint', () => {
    expect(awsPartition('us-gov-west-1')).toStrictEqual({
      name: 'aws-us-gov',
      dnsSuffix: 'amazonaws.com',
      dualStackDnsSuffix: 'api.aws',
      supportsFIPS: true,
      supportsDualStack: true,
      implicitGlobalRegion: 'us-gov-west-1'
    })
    expect(awsPartition('us-isob-east-1').supportsDualStack).toBe(false)
    expect(awsPartition('eusc-de-west-9').name).toBe('aws-eusc')
    expect(awsPartition('mars-east-1').name).toBe('aws')
  })
})

describe('the interpreter', () => {
  const rs = (rules: unknown, parameters: unknown = {}) => ({ version: '1.0', parameters, rules })
  const endpointRule = (url: unknown, conditions: unknown = [], more: object = {}) => ({
    type: 'endpoint',
    conditions,
    endpoint: { url, ...more }
  })

  it('templates: references, #-paths into records, escaped braces', () => {
    const r = rs(
      [
        endpointRule('https://{Bucket}.{P#dnsSuffix}/{{literal}}{U#normalizedPath}', [
          { fn: 'aws.partition', argv: ['{Region}'], assign: 'P' },
          { fn: 'parseURL', argv: ['http://h/a'], assign: 'U' }
        ])
      ],
      { Region: { type: 'String', required: true }, Bucket: { type: 'String', default: 'b' } }
    )
    expect(evaluate(r, { Region: 'cn-north-1' })).toStrictEqual(
      E.right({ url: 'https://b.amazonaws.com.cn/{literal}/a/' })
    )
  })

  it('headers and properties are evaluated, empty ones left out', () => {
    const r = rs(
      [
        endpointRule('https://x', [], {
          headers: { 'x-a': ['1', '{R}'] },
          properties: { authSchemes: [{ name: 'sigv4', signingRegion: '{R}', disableDoubleEncoding: true }] }
        })
      ],
      { R: { type: 'string', default: 'eu-west-1' } }
    )
    expect(evaluate(r, {})).toStrictEqual(
      E.right({
        url: 'https://x',
        headers: { 'x-a': ['1', 'eu-west-1'] },
        properties: { authSchemes: [{ name: 'sigv4', signingRegion: 'eu-west-1', disableDoubleEncoding: true }] }
      })
    )
    expect(evaluate(rs([endpointRule('https://x', [], { headers: {}, properties: {} })]), {})).toStrictEqual(
      E.right({ url: 'https://x' })
    )
  })

  it('an assignment is seen by the rules under it only; a failed condition moves to the next rule', () => {
    const r = rs(
      [
        {
          type: 'tree',
          conditions: [{ fn: 'substring', argv: [{ ref: 'S' }, 0, 2, false], assign: 'Head' }],
          rules: [endpointRule('https://{Head}.first')]
        },
        endpointRule('https://second', [{ fn: 'not', argv: [{ fn: 'isSet', argv: [{ ref: 'Head' }] }] }])
      ],
      { S: { type: 'String', required: true } }
    )
    expect(evaluate(r, { S: 'abc' })).toStrictEqual(E.right({ url: 'https://ab.first' }))
    expect(evaluate(r, { S: 'a' })).toStrictEqual(E.right({ url: 'https://second' }))
  })

  it('error rules, with templated messages', () => {
    const r = rs([{ type: 'error', conditions: [], error: 'no endpoint for {R}' }], {
      R: { type: 'String', default: 'x' }
    })
    expect(evaluate(r, {})).toStrictEqual(E.left(endpointError('no endpoint for x')))
  })

  it('bad parameters are an EndpointError', () => {
    const r = ruleSetResolver(
      rs([endpointRule('https://x')], { R: { type: 'String', required: true }, F: { type: 'Boolean' } })
    )
    expect(r({})).toStrictEqual(E.left(endpointError('Invalid Configuration: R is required')))
    expect(r({ R: true })).toStrictEqual(E.left(endpointError('Invalid Configuration: R must be a string')))
    expect(r({ R: 'r', F: 'true' })).toStrictEqual(E.left(endpointError('Invalid Configuration: F must be a boolean')))
    expect(r({ R: 'r', Unknown: 'ignored' })).toStrictEqual(E.right({ url: 'https://x' }))
  })

  it('bad rule sets are an EndpointError, never a throw', () => {
    const bad: ReadonlyArray<readonly [unknown, string]> = [
      [null, 'Invalid rule set: the rule set is not an object'],
      [{ version: '2.0', parameters: {}, rules: [] }, 'Invalid rule set: version 2.0 is not 1.0'],
      [rs([]), 'Invalid rule set: no rule matched'],
      [rs('x'), 'Invalid rule set: rules is not an array'],
      [rs([{ type: 'nope', conditions: [] }]), 'Invalid rule set: unknown rule type nope'],
      [rs([endpointRule('https://x', [{ fn: 'eval', argv: [] }])]), 'Invalid rule set: unknown function eval'],
      [rs([endpointRule('https://x', [{ fn: 'toString', argv: [] }])]), 'Invalid rule set: unknown function toString'],
      [rs([endpointRule('https://{Nope}')]), 'Invalid rule set: the template reference {Nope} is unset'],
      [rs([endpointRule(true)]), 'Invalid rule set: the endpoint url is not a string'],
      [rs([{ type: 'tree', conditions: [], rules: [] }]), 'Invalid rule set: no rule of a matching tree rule matched'],
      [rs([endpointRule('https://x')], { R: { type: 'Integer' } }), 'Invalid rule set: R has type integer'],
      [
        rs([endpointRule('https://x', [{ fn: 'booleanEquals', argv: ['a', true] }])]),
        'Invalid rule set: booleanEquals is not a boolean'
      ]
    ]
    for (const [ruleSet, message] of bad) {
      expect(evaluate(ruleSet, {})).toStrictEqual(E.left(endpointError(message)))
    }
    let deep: unknown = endpointRule('https://x')
    for (let i = 0; i < 100_000; i++) deep = { type: 'tree', conditions: [], rules: [deep] }
    expect(evaluate(rs([deep]), {})).toStrictEqual(E.left(endpointError('Invalid rule set: it cannot be evaluated')))
  })

  it('never throws on arbitrary JSON rule sets and parameters', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.boolean())),
        (ruleSet, params) => E.isLeft(evaluate(ruleSet, params)) || E.isRight(evaluate(ruleSet, params))
      ),
      { numRuns: 500 }
    )
  })
})

describe('the SSO rule set against the hand-written resolver of src/services/sso/Endpoint.ts', () => {
  const sso = ruleSetResolver(ruleSetOf('sso.json'))
  const region = fc.oneof(
    fc.constantFrom(...partitions.flatMap((p) => p.regions)),
    fc
      .tuple(
        fc.constantFrom('us', 'eu', 'ap', 'cn', 'us-gov', 'us-iso', 'us-isob', 'eu-isoe', 'us-isof', 'eusc-de', 'xx'),
        fc.stringMatching(/^[a-z]{1,10}$/),
        fc.nat(20)
      )
      .map(([a, b, n]) => `${a}-${b}-${n}`),
    fc.string()
  )
  const endpoint = fc.oneof(
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    fc.webUrl(),
    fc.constantFrom(
      'http://127.0.0.1:4566',
      'https://example.com/base/',
      ' https://example.com ',
      'https://u:p@example.com'
    ),
    fc.string()
  )
  const params = fc.record(
    { Region: region, Endpoint: endpoint, UseFIPS: fc.boolean(), UseDualStack: fc.boolean() },
    { requiredKeys: [] }
  )

  it('agree, but where the hand-written resolver is stricter than the rule set', () => {
    fc.assert(
      fc.property(params, (p) => {
        const byRules = sso(p)
        const byHand = resolveEndpoint(p)
        if (JSON.stringify(byRules) === JSON.stringify(byHand)) return true
        // The rule set returns a custom endpoint as it is given; the hand-written resolver
        // rejects one that is not an http(s) URL or has a query, fragment or user-info, and
        // trims the spaces the URL parser drops.
        if (p.Endpoint !== undefined && p.UseFIPS !== true && p.UseDualStack !== true) {
          return (
            E.isRight(byRules) &&
            byRules.right.url === p.Endpoint &&
            (E.isLeft(byHand)
              ? byHand.left.message.startsWith('Invalid Configuration: Custom endpoint ')
              : byHand.right.url === p.Endpoint.trim())
          )
        }
        // The rule set puts any set Region into the host; the hand-written resolver rejects
        // one that is not a host label.
        return (
          p.Endpoint === undefined &&
          p.Region !== undefined &&
          !isHostLabel(p.Region) &&
          E.isLeft(byHand) &&
          byHand.left.message === 'Invalid Configuration: Region is not a valid host label'
        )
      }),
      { numRuns: 3000 }
    )
  })

  it('agree on every valid region, with and without FIPS and dual-stack', () => {
    for (const Region of partitions.flatMap((p) => p.regions)) {
      for (const UseFIPS of [false, true]) {
        for (const UseDualStack of [false, true]) {
          expect(sso({ Region, UseFIPS, UseDualStack })).toStrictEqual(
            resolveEndpoint({ Region, UseFIPS, UseDualStack })
          )
        }
      }
    }
  })
})
