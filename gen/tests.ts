/**
 * The tests emitter: `test/services/<module>/generated.test.ts`, for every service:
 *
 * 1. the model's endpoint test cases (`smithy.rules#endpointTests`) as a table run through
 *    the generated `resolveEndpoint`;
 * 2. the lens laws of every lens of every structure, driven by `fp-aws/arbitrary/<module>`;
 * 3. a codec round trip of every structure, and a property of the request arbitraries: every
 *    request they give encodes;
 * 4. an exact-request golden of every operation: a sample request with every member set (and,
 *    when it differs, one with only the members always sent), the `HttpRequest` its encoder
 *    must give, and what a loopback server must receive when it is sent. The expectation is
 *    written here straight from the model (the `http` trait and the member bindings), not from
 *    the templates of `emit.ts`, so that a template that drifts from the model fails its test.
 */
import { arbitraryName, structuresOf } from './arbitrary.js'
import { alwaysThere, header, isSecret, lensName, lowerFirst, type Output } from './emit.js'
import type { Member, Operation, Service, Structure, Type } from './model.js'

/** The test module of a service, relative to the repository root. */
export const testsPath = (svc: Service): string => `test/services/${svc.annex.module}/generated.test.ts`

const q = (s: string): string => JSON.stringify(s)

// -------------------------------------------------------------------------------------
// 1. endpoints
// -------------------------------------------------------------------------------------

interface EndpointCase {
  readonly documentation?: string
  readonly params?: Readonly<Record<string, unknown>>
  readonly expect: { readonly endpoint?: Readonly<Record<string, unknown>>; readonly error?: string }
}

const endpointCases = (svc: Service): string => {
  const rows = svc.endpointTests.map((raw, i) => {
    const c = raw as EndpointCase
    const where = `${svc.modelFile}: endpoint test case ${i}`
    const endpoint = c.expect.endpoint
    if (endpoint !== undefined) {
      for (const [k, v] of Object.entries(endpoint))
        if (k !== 'url' && !(typeof v === 'object' && v !== null && Object.keys(v).length === 0))
          throw new Error(`gen: ${where}: expected endpoint ${k} is not supported yet`)
      if (typeof endpoint['url'] !== 'string') throw new Error(`gen: ${where}: no url`)
    } else if (typeof c.expect.error !== 'string')
      throw new Error(`gen: ${where}: expects neither an endpoint nor an error`)
    const expected = endpoint !== undefined ? { url: endpoint['url'] as string } : { error: c.expect.error as string }
    return `{ documentation: ${q(c.documentation ?? `case ${i}`)}, params: ${JSON.stringify(c.params ?? {})}, expected: ${JSON.stringify(expected)} }`
  })
  return `/** The model's \`smithy.rules#endpointTests\`: ${rows.length} cases. */
const ENDPOINT_CASES: ReadonlyArray<EndpointCase> = [
${rows.join(',\n')}
]

describe('${svc.annex.abbrev} endpoints: the model\\'s test cases through resolveEndpoint', () => {
  it.each(ENDPOINT_CASES)('$documentation', ({ params, expected }) => {
    const r = M.resolveEndpoint(params as EndpointParams)
    expect(
      pipe(
        r,
        E.match(
          (e): Expected => ({ error: e.message }),
          (ep): Expected => ({ url: ep.url })
        )
      )
    ).toStrictEqual(expected)
  })
})`
}

// -------------------------------------------------------------------------------------
// 2 and 3. lens laws and codec round trips
// -------------------------------------------------------------------------------------

/** An arbitrary of what a lens of the member shows (secrets in the clear): any value of the type. */
const viewArb = (svc: Service, t: Type): string => {
  switch (t.kind) {
    case 'string':
      return 'anyString'
    case 'integer':
      return 'fc.integer()'
    case 'boolean':
      return 'fc.boolean()'
    case 'list':
      return `fc.array(${viewArb(svc, t.member)}, { maxLength: 3 })`
    case 'structure':
      return `A.${arbitraryName(svc, t.name)}()`
    default:
      throw new Error(`gen: ${svc.sdkId}: generated tests of a ${t.kind} are not supported yet`)
  }
}

const viewEq = (t: Type): string => {
  switch (t.kind) {
    case 'string':
      return 'S.Eq'
    case 'integer':
      return 'N.Eq'
    case 'boolean':
      return 'B.Eq'
    case 'list':
      return `RA.getEq(${viewEq(t.member)})`
    case 'structure':
      return `M.${t.name}Eq`
    default:
      throw new Error(`gen: generated tests of a ${t.kind} are not supported yet`)
  }
}

const lensTests = (svc: Service): string => {
  const its = structuresOf(svc).flatMap(({ structure: s }) =>
    s.members.map((m) => {
      const arb = alwaysThere(m) ? viewArb(svc, m.type) : `opt(${viewArb(svc, m.type)})`
      const eq = alwaysThere(m) ? viewEq(m.type) : `O.getEq(${viewEq(m.type)})`
      return `  it('${lensName(s, m)}', () => {
    lensLaws(M.${lensName(s, m)}, A.${arbitraryName(svc, s.name)}(), ${arb}, M.${s.name}Eq, ${eq})
  })`
    })
  )
  return `describe('${svc.annex.abbrev} lenses: get-set, set-get and set-set', () => {
${its.join('\n\n')}
})`
}

const codecTests = (svc: Service): string => {
  const its = structuresOf(svc).map(({ structure: s }) => {
    const arb = `A.${arbitraryName(svc, s.name)}()`
    return `  it('${s.name}Codec', () => {
    codecLaws(M.${s.name}Codec, ${arb}, M.${s.name}Eq)
    fc.assert(
      fc.property(${arb}, (a) => {
        const d = M.${s.name}Codec.decode(JSON.parse(JSON.stringify(M.${s.name}Codec.encode(a))))
        return E.isRight(d) && M.${s.name}Eq.equals(d.right, a)
      })
    )
  })`
  })
  return `describe('${svc.annex.abbrev} codecs: decode(encode(a)) is a, also through JSON text', () => {
${its.join('\n\n')}
})`
}

/** What the arbitraries promise: every request they give encodes, and every secret is `Sensitive`. */
const arbitraryTests = (svc: Service): string => {
  const encodes = svc.operations.map(
    (op) => `  it('every ${arbitraryName(svc, op.input.name)}() encodes', () => {
    fc.assert(fc.property(A.${arbitraryName(svc, op.input.name)}(), (rq) => E.isRight(M.encode${op.name}(rq))))
  })`
  )
  const secrets = structuresOf(svc).flatMap(({ structure: s }) => {
    const members = s.members.filter(isSecret)
    if (members.length === 0) return []
    const checks = members.map((m) =>
      alwaysThere(m) ? `isSensitive(a.${m.name})` : `(O.isNone(a.${m.name}) || isSensitive(a.${m.name}.value))`
    )
    return [
      `  it('every ${arbitraryName(svc, s.name)}() keeps ${members.map((m) => m.name).join(', ')} Sensitive', () => {
    fc.assert(fc.property(A.${arbitraryName(svc, s.name)}(), (a) => ${checks.join(' && ')}))
  })`
    ]
  })
  return `describe('${svc.annex.abbrev} arbitraries: every request encodes, every secret is Sensitive', () => {
${[...encodes, ...secrets].join('\n\n')}
})`
}

// -------------------------------------------------------------------------------------
// 4. exact-request goldens
// -------------------------------------------------------------------------------------

/** A plain sample value of a member: what the record holds (secrets unwrapped, options unwrapped). */
type Plain = string | number | boolean | ReadonlyArray<Plain> | { readonly [k: string]: Plain }

const sampleString = (m: Member, t: Type & { kind: 'string' }, n: number): string => {
  if (t.enum !== undefined && t.enum.length > 0) return t.enum[n % t.enum.length] as string
  const tag = n === 0 ? m.name : `${m.name}${n}`
  switch (m.location) {
    case 'header':
      // every character a header value may hold but white space at the ends
      return `${tag}-Value.0123~+/=`
    case 'query':
    case 'label':
      // reserved characters, white space and non-ASCII: they must be percent-encoded
      return `${tag} é/?&=+!'()*~`
    case 'greedyLabel':
      return `${tag}/a b/é`
    case 'body':
      // non-ASCII: the body is UTF-8
      return `${tag} é ✓`
    default:
      throw new Error(`gen: ${m.name}: generated tests of a string bound to the ${m.location} are not supported yet`)
  }
}

const sampleInteger = (m: Member): number => {
  const { min, max } = m.range ?? {}
  const n =
    min !== undefined && max !== undefined
      ? Math.floor((min + max) / 2)
      : min !== undefined
        ? min + 1
        : max !== undefined
          ? max - 1
          : 42
  return n === m.default ? n + (max === undefined || n < max ? 1 : -1) : n
}

const structureByName = (svc: Service, name: string): Structure => {
  const s = svc.shared.find((x) => x.name === name)
  if (s === undefined) throw new Error(`gen: no shared structure ${name}`)
  return s
}

const samplePlain = (svc: Service, m: Member, t: Type, n: number): Plain => {
  switch (t.kind) {
    case 'string':
      return sampleString(m, t, n)
    case 'integer':
      return sampleInteger(m) + n
    case 'boolean':
      return m.default === true ? false : true
    case 'list':
      return [samplePlain(svc, m, t.member, n + 1), samplePlain(svc, m, t.member, n + 2)]
    case 'structure': {
      const s = structureByName(svc, t.name)
      return Object.fromEntries(s.members.map((x) => [x.name, samplePlain(svc, x, x.type, n)]))
    }
    default:
      throw new Error(`gen: ${svc.sdkId}: ${m.name}: generated tests of a ${t.kind} are not supported yet`)
  }
}

/** The record form of a plain sample (TypeScript source): secrets wrapped, optional members `O.some`, absent ones `O.none` or `[]`. */
const recordExpr = (svc: Service, m: Member, t: Type, v: Plain | undefined, top: boolean): string => {
  if (v === undefined) return t.kind === 'list' ? '[]' : 'O.none'
  let e: string
  if (t.kind === 'list')
    e = `[${(v as ReadonlyArray<Plain>).map((x) => recordExpr(svc, m, t.member, x, false)).join(', ')}]`
  else if (t.kind === 'structure')
    e = structureExpr(svc, structureByName(svc, t.name), v as Readonly<Record<string, Plain>>)
  else e = JSON.stringify(v)
  if (!top) return e
  if (isSecret(m)) e = `sensitive(${e})`
  return alwaysThere(m) ? e : `O.some(${e})`
}

const structureExpr = (svc: Service, s: Structure, v: Readonly<Record<string, Plain | undefined>>): string =>
  `{ ${s.members.map((m) => `${m.name}: ${recordExpr(svc, m, m.type, v[m.name], true)}`).join(', ')} }`

/** The JSON form of a plain sample: structure members by their wire name, in model order. */
const jsonOf = (svc: Service, t: Type, v: Plain): unknown => {
  if (t.kind === 'list') return (v as ReadonlyArray<Plain>).map((x) => jsonOf(svc, t.member, x))
  if (t.kind !== 'structure') return v
  const s = structureByName(svc, t.name)
  const o = v as Readonly<Record<string, Plain>>
  return Object.fromEntries(
    [...s.members].sort((a, b) => a.order - b.order).map((m) => [m.wireName, jsonOf(svc, m.type, o[m.name] as Plain)])
  )
}

/** The AWS SDKs' percent-encoding: RFC 3986 unreserved bytes stay, every other UTF-8 byte is `%XX`. */
const awsEncode = (s: string): string =>
  Array.from(Buffer.from(s, 'utf8'))
    .map((b) =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`
    )
    .join('')

const scalarText = (v: Plain): string => (typeof v === 'string' ? v : String(v))

interface Golden {
  readonly sample: string
  readonly method: string
  readonly path: string
  readonly query: ReadonlyArray<readonly [string, string]>
  /** What the loopback server must see after the path: `?` and the encoded query, or nothing. */
  readonly url: string
  readonly headers: ReadonlyArray<readonly [string, string]>
  readonly secretHeaders: ReadonlyArray<string>
  readonly body: string | undefined
}

/** A member that is always sent: required, or with a modelled default (the record always holds a value). */
const alwaysSent = (m: Member): boolean => m.required || m.default !== undefined

/**
 * The expected request of an operation, from its `http` trait and its members' bindings: with
 * every member set (`all`), or with only the members always sent (the others absent: not in the
 * query, the headers or the body).
 */
const golden = (svc: Service, op: Operation, all: boolean): Golden => {
  const s = op.input
  const byModel = [...s.members].sort((a, b) => a.order - b.order)
  const plain = new Map(
    byModel.filter((m) => all || alwaysSent(m)).map((m) => [m.name, samplePlain(svc, m, m.type, 0)])
  )
  const sent = byModel.filter((m) => plain.has(m.name))
  const value = (m: Member): Plain => plain.get(m.name) as Plain
  const sample = structureExpr(svc, s, Object.fromEntries(plain))
  const [rawPath, rawQuery] = op.uri.split('?', 2) as [string, string | undefined]
  const path = rawPath.replace(/\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}/g, (_, label: string, greedy: string) => {
    const m = byModel.find((x) => x.name === label && (x.location === 'label' || x.location === 'greedyLabel'))
    if (m === undefined) throw new Error(`gen: ${op.name}: no member for the label ${label}`)
    const text = scalarText(value(m))
    return greedy === '+' ? text.split('/').map(awsEncode).join('/') : awsEncode(text)
  })
  const literals = (rawQuery ?? '')
    .split('&')
    .filter((kv) => kv !== '')
    .map((kv): readonly [string, string] => {
      const i = kv.indexOf('=')
      return i < 0
        ? [decodeURIComponent(kv), '']
        : [decodeURIComponent(kv.slice(0, i)), decodeURIComponent(kv.slice(i + 1))]
    })
  const query = [
    ...literals,
    ...sent
      .filter((m) => m.location === 'query')
      .map((m): readonly [string, string] => [m.wireName, scalarText(value(m))])
  ]
  // a JSON body as soon as the input has a member bound to it, even when none is sent (`{}`)
  const body = byModel.some((m) => m.location === 'body')
    ? JSON.stringify(
        Object.fromEntries(
          sent.filter((m) => m.location === 'body').map((m) => [m.wireName, jsonOf(svc, m.type, value(m))])
        )
      )
    : undefined
  const headerMembers = sent.filter((m) => m.location === 'header')
  const headers = [
    ...headerMembers.map((m): readonly [string, string] => [m.wireName, scalarText(value(m))]),
    ...(body === undefined ? [] : [['content-type', 'application/json'] as const])
  ]
  const url =
    query.length === 0 ? path : `${path}?${query.map(([k, v]) => `${awsEncode(k)}=${awsEncode(v)}`).join('&')}`
  return {
    sample,
    method: op.method,
    path,
    query,
    url,
    headers,
    secretHeaders: headerMembers.filter((m) => m.sensitive).map((m) => m.wireName),
    body
  }
}

const goldenTests = (svc: Service): string => {
  const variants = svc.operations.flatMap((op) => [
    { op, g: golden(svc, op, true), sampleName: `${lowerFirst(op.name)}Sample`, what: 'with every member set' },
    // the members always sent alone, when that is another request
    ...(op.input.members.every(alwaysSent)
      ? []
      : [
          {
            op,
            g: golden(svc, op, false),
            sampleName: `${lowerFirst(op.name)}Minimal`,
            what: 'with only the members always sent'
          }
        ])
  ])
  const blocks = variants.map(({ op, g, sampleName, what }) => {
    const headersObj = `{ ${g.headers.map(([k, v]) => `${q(k)}: ${q(v)}`).join(', ')} }`
    const headerNames = `[${g.headers.map(([k]) => q(k)).join(', ')}]`
    const bodyExpr = g.body === undefined ? 'undefined' : q(g.body)
    const secretChecks = g.secretHeaders
      .map((h) => `\n      expect(isSensitive(r.right.headers[${q(h)}])).toBe(true)`)
      .join('')
    const wireBody =
      g.body === undefined
        ? `expect(req.body).toBe('')
    expect(req.headers['content-type']).toBeUndefined()`
        : `expect(req.body).toBe(${q(g.body)})
    expect(req.headers['content-length']).toBe('${Buffer.byteLength(g.body, 'utf8')}')`
    return `/** A \`${op.name}\` ${what}. */
const ${sampleName}: M.${op.input.name} = ${g.sample}

describe('${op.name} (${op.method} ${op.uri}) ${what}: the exact request', () => {
  it('encode${op.name} gives it', () => {
    const r = M.encode${op.name}(${sampleName})
    expect(r._tag).toBe('Right')
    if (E.isRight(r)) {
      expect(plainRequest(r.right)).toStrictEqual({
        method: '${g.method}',
        path: ${q(g.path)},
        query: [${g.query.map(([k, v]) => `[${q(k)}, ${q(v)}]`).join(', ')}],
        headers: ${headersObj},
        body: ${bodyExpr}
      })${secretChecks}
    }
  })

  it('send(${op.name}) puts it on the wire', async () => {
    const s = await serve([{ status: ${op.successCode}, body: '${op.unitOutput ? '' : '{}'}' }])
    const r = await pipe(${sampleName}, send(M.${op.name}))(envFor(s.url))()
    expect(r._tag).toBe('Right')
    expect(s.requests).toHaveLength(1)
    const req = s.requests[0] as Recorded
    expect(req.method).toBe('${g.method}')
    expect(req.url).toBe(${q(g.url)})
    expect(pick(req.headers, ${headerNames})).toStrictEqual(${headersObj})
    expect(req.headers['authorization']).toBeUndefined()
    ${wireBody}
  })
})`
  })
  return blocks.join('\n\n')
}

// -------------------------------------------------------------------------------------
// the module
// -------------------------------------------------------------------------------------

/** Import lines, each kept only when the body uses it. */
const IMPORTS = (svc: Service, body: string): ReadonlyArray<readonly [RegExp, string]> => [
  [/\bIncomingHttpHeaders\b/, `import type { IncomingHttpHeaders } from 'node:http'`],
  [/\bfc\./, `import fc from 'fast-check'`],
  [/\bB\./, `import * as B from 'fp-ts/lib/boolean.js'`],
  [/\bE\./, `import * as E from 'fp-ts/lib/Either.js'`],
  [/\bpipe\(/, `import { pipe } from 'fp-ts/lib/function.js'`],
  [/\bN\./, `import * as N from 'fp-ts/lib/number.js'`],
  [/\bO\./, `import * as O from 'fp-ts/lib/Option.js'`],
  [/\bRA\./, `import * as RA from 'fp-ts/lib/ReadonlyArray.js'`],
  [/\bS\./, `import * as S from 'fp-ts/lib/string.js'`],
  [/./, `import { describe, expect, it } from 'vitest'`],
  [/\bA\./, `import * as A from '../../../src/arbitrary/${svc.annex.module}.js'`],
  [/\bEndpointParams\b/, `import type { EndpointParams } from '../../../src/core/Endpoint.js'`],
  [/\bsend\(/, `import { send } from '../../../src/core/AWSRequest.js'`],
  [/\brevealHeaders\(/, `import { revealHeaders, type HttpRequest } from '../../../src/core/Request.js'`],
  [
    /\b(isSensitive|reveal|sensitive)\(/,
    `import { ${['isSensitive', 'reveal', 'sensitive'].filter((n) => new RegExp(`\\b${n}\\(`).test(body)).join(', ')} } from '../../../src/core/Sensitive.js'`
  ],
  [/./, `import * as M from '../../../src/services/${svc.annex.module}/index.js'`],
  [/\b(lensLaws|codecLaws)\(/, `import { codecLaws, lensLaws } from '../../laws.js'`],
  [/\benvFor\(/, `import { envFor, useScriptedServers } from '../../util/harness.js'`],
  [/\bRecorded\b/, `import type { Recorded } from '../../util/scripted.js'`]
]

/** `test/services/<module>/generated.test.ts`. */
export const emitTests = (svc: Service): Output => {
  const helpers = `type Expected = { readonly url: string } | { readonly error: string }

interface EndpointCase {
  readonly documentation: string
  readonly params: Readonly<Record<string, string | boolean>>
  readonly expected: Expected
}

/** Any string at all (lone surrogates included): a lens holds for every value its type admits. */
const anyString = fc.string({ unit: 'binary', maxLength: 16 })

const opt = <X>(arb: fc.Arbitrary<X>): fc.Arbitrary<O.Option<X>> =>
  fc.option(arb.map((x): O.Option<X> => O.some(x)), { nil: O.none })

/** An \`HttpRequest\` with its secrets revealed (headers, and a body that holds one), to compare with plain data. */
const plainRequest = (r: HttpRequest) => ({
  method: r.method,
  path: r.path,
  query: r.query,
  headers: revealHeaders(r.headers),
  body: isSensitive(r.body) ? reveal(r.body) : r.body
})

/** The named headers a server received. */
const pick = (h: IncomingHttpHeaders, names: ReadonlyArray<string>): Record<string, unknown> =>
  Object.fromEntries(names.map((n) => [n, h[n]]))

const serve = useScriptedServers()`
  const sections = [
    endpointCases(svc),
    lensTests(svc),
    codecTests(svc),
    arbitraryTests(svc),
    `// -------------------------------------------------------------------------------------
// exact requests: expectations written from the model's http trait and member bindings
// -------------------------------------------------------------------------------------

${goldenTests(svc)}`
  ]
  const body = `${helpers}\n\n${sections.join('\n\n')}`
  const imports = IMPORTS(svc, body)
    .filter(([re]) => re.test(body))
    .map(([, line]) => line)
  const intro = `/**
 * The generated tests of ${svc.annex.abbrev} (\`fp-aws/${svc.annex.module}\`): the model's endpoint test cases, the lens
 * laws of every lens, a codec round trip of every record, the promise of the request
 * arbitraries, and the exact request of every operation, encoded and on the wire.
 */`
  return { path: testsPath(svc), text: `${header(svc)}\n${intro}\n${imports.join('\n')}\n\n${body}\n` }
}
