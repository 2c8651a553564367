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
 *    the templates of `emit.ts`, so that a template that drifts from the model fails its test:
 *    labels and the query percent-encoded, timestamps in their format, JSON members under
 *    their `jsonName`, query parameters after the bound ones (a key a bound one shadows not
 *    sent), prefix headers in lower case, a structure payload as the whole JSON body, a string
 *    payload as the raw `text/plain` body, and an absent payload as no body.
 */
import { arbitraryName, arbitraryPath, importPath, structuresOf } from './arbitrary.js'
import { alwaysThere, header, isSecret, lensName, lowerFirst, type Output } from './emit.js'
import type { Member, Operation, Service, Structure, TimestampFormat, Type } from './model.js'

/** The test module of a service, relative to the repository root. */
export const testsPath = (svc: Service): string => `test/services/${svc.annex.module}/generated.test.ts`

/** Where the test module goes and what it imports, relative to the repository root (`npm run gen`'s layout by default). */
export interface TestPaths {
  /** The test module. */
  readonly file: string
  /** The arbitraries module (without extension). */
  readonly arbitrary: string
  /** The folder of the service modules. */
  readonly services: string
  /** The folder of `core/`. */
  readonly core: string
  /** The folder of `laws.ts` and `util/` (the project's `test/`). */
  readonly test: string
}

/** `npm run gen`'s layout. */
export const defaultTestPaths = (svc: Service): TestPaths => ({
  file: testsPath(svc),
  arbitrary: arbitraryPath(svc).replace(/\.ts$/, ''),
  services: `src/services/${svc.annex.module}`,
  core: 'src/core',
  test: 'test'
})

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
    case 'timestamp':
      return 'anyDate'
    case 'list':
      return `fc.array(${viewArb(svc, t.member)}, { maxLength: 3 })`
    case 'map':
      return `fc.dictionary(anyString, ${viewArb(svc, t.value)}, { maxKeys: 3 })`
    case 'structure':
      return `A.${arbitraryName(svc, t.name)}()`
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
    case 'timestamp':
      return 'D.Eq'
    case 'list':
      return `RA.getEq(${viewEq(t.member)})`
    case 'map':
      return `RR.getEq(${viewEq(t.value)})`
    case 'structure':
      return `M.${t.name}Eq`
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

/**
 * A plain sample value of a member: what the record holds (secrets unwrapped, options
 * unwrapped); a map or a structure is an object, told apart by the member's type.
 */
type Plain = string | number | boolean | Date | ReadonlyArray<Plain> | { readonly [k: string]: Plain }

const sampleString = (m: Member, t: Type & { kind: 'string' }, n: number): string => {
  if (t.enum !== undefined && t.enum.length > 0) return t.enum[n % t.enum.length] as string
  const tag = n === 0 ? m.name : `${m.name}${n}`
  switch (m.location) {
    case 'header':
    case 'prefixHeaders':
      // every character a header value may hold but white space at the ends
      return `${tag}-Value.0123~+/=`
    case 'query':
    case 'label':
    case 'queryParams':
      // reserved characters, white space and non-ASCII: they must be percent-encoded
      return `${tag} é/?&=+!'()*~`
    case 'greedyLabel':
      return `${tag}/a b/é`
    case 'body':
    case 'payload':
      // non-ASCII: the body is UTF-8
      return `${tag} é ✓`
    case 'responseCode':
      throw new Error(`gen: ${m.name}: a string bound to the status`)
  }
}

const sampleInteger = (m: Member, t: Type & { kind: 'integer' }, n: number): number => {
  if (t.intEnum !== undefined && t.intEnum.length > 0) {
    const others = t.intEnum.filter((v) => v !== m.default)
    const pool = others.length > 0 ? others : t.intEnum
    return pool[n % pool.length] as number
  }
  const { min, max } = m.range ?? {}
  const base =
    min !== undefined && max !== undefined
      ? Math.floor((min + max) / 2)
      : min !== undefined
        ? min + 1
        : max !== undefined
          ? max - 1
          : 42
  const v = base + n
  return v === m.default ? v + (max === undefined || v < max ? 1 : -1) : v
}

/**
 * A sample time: 2024-02-29 (a leap day) plus `n` days and a second per member, with 250 ms
 * when the format carries milliseconds (an http-date carries whole seconds).
 */
const sampleDate = (m: Member, format: TimestampFormat, n: number): Date =>
  new Date(Date.UTC(2024, 1, 29, 12, 30, 0) + n * 86_400_000 + m.order * 1000 + (format === 'http-date' ? 0 : 250))

/** The two sample keys of a map: one with white space, one with a non-ASCII letter (a prefix-header key: a token, in mixed case). */
const sampleKeys = (m: Member): readonly [string, string] =>
  m.location === 'prefixHeaders' ? [`${m.name}-A`, `${m.name}b`] : [`${m.name}-a`, `${m.name} é`]

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
      return sampleInteger(m, t, n)
    case 'boolean':
      return m.default === true ? false : true
    case 'timestamp':
      return sampleDate(m, t.format, n)
    case 'list':
      return [samplePlain(svc, m, t.member, n + 1), samplePlain(svc, m, t.member, n + 2)]
    case 'map': {
      const [a, b] = sampleKeys(m)
      return { [a]: samplePlain(svc, m, t.value, n + 1), [b]: samplePlain(svc, m, t.value, n + 2) }
    }
    case 'structure': {
      const s = structureByName(svc, t.name)
      return Object.fromEntries(s.members.map((x) => [x.name, samplePlain(svc, x, x.type, n)]))
    }
  }
}

/** The record form of a plain sample (TypeScript source): secrets wrapped, optional members `O.some`, absent ones `O.none`, `[]` or `{}`. */
const recordExpr = (svc: Service, m: Member, t: Type, v: Plain | undefined, top: boolean): string => {
  if (v === undefined) return t.kind === 'list' ? '[]' : t.kind === 'map' ? '{}' : 'O.none'
  let e: string
  if (t.kind === 'list')
    e = `[${(v as ReadonlyArray<Plain>).map((x) => recordExpr(svc, m, t.member, x, false)).join(', ')}]`
  else if (t.kind === 'map')
    e = `{ ${Object.entries(v as Readonly<Record<string, Plain>>)
      .map(([k, x]) => `${q(k)}: ${recordExpr(svc, m, t.value, x, false)}`)
      .join(', ')} }`
  else if (t.kind === 'structure')
    e = structureExpr(svc, structureByName(svc, t.name), v as Readonly<Record<string, Plain>>)
  else if (t.kind === 'timestamp') e = `new Date(${(v as Date).getTime()})`
  else e = JSON.stringify(v)
  if (!top) return e
  if (isSecret(m)) e = `sensitive(${e})`
  return alwaysThere(m) ? e : `O.some(${e})`
}

const structureExpr = (svc: Service, s: Structure, v: Readonly<Record<string, Plain | undefined>>): string =>
  `{ ${s.members.map((m) => `${m.name}: ${recordExpr(svc, m, m.type, v[m.name], true)}`).join(', ')} }`

/**
 * A time as its format writes it, by the format's definition (Smithy's timestampFormat):
 * epoch-seconds are seconds with the milliseconds as decimals, date-time is RFC 3339 in UTC
 * (fractional seconds only when there are some, as the AWS SDKs write it), http-date is
 * RFC 7231's IMF-fixdate.
 */
const timestampJson = (format: TimestampFormat, d: Date): string | number =>
  format === 'epoch-seconds'
    ? d.getTime() / 1000
    : format === 'date-time'
      ? d.toISOString().replace(/\.000Z$/, 'Z')
      : d.toUTCString()

/** The JSON form of a plain sample: structure members by their wire name, in model order; an empty list or map left out. */
const jsonOf = (svc: Service, t: Type, v: Plain): unknown => {
  switch (t.kind) {
    case 'timestamp':
      return timestampJson(t.format, v as Date)
    case 'list':
      return (v as ReadonlyArray<Plain>).map((x) => jsonOf(svc, t.member, x))
    case 'map':
      return Object.fromEntries(Object.entries(v as Readonly<Record<string, Plain>>).map(([k, x]) => [k, jsonOf(svc, t.value, x)]))
    case 'structure': {
      const s = structureByName(svc, t.name)
      const o = v as Readonly<Record<string, Plain>>
      return Object.fromEntries(
        [...s.members].sort((a, b) => a.order - b.order).map((m) => [m.wireName, jsonOf(svc, m.type, o[m.name] as Plain)])
      )
    }
    default:
      return v
  }
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

/** A scalar as the text of a header, a query value or a label. */
const scalarText = (t: Type, v: Plain): string =>
  t.kind === 'timestamp' ? String(timestampJson(t.format, v as Date)) : typeof v === 'string' ? v : String(v)

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
 *
 * A map of query parameters gets one more key, one the request binds itself (a literal or an
 * `httpQuery` member): the bound value wins, the map's is not sent. A map of prefix headers
 * has keys in mixed case: header names are sent in lower case.
 */
const golden = (svc: Service, op: Operation, all: boolean): Golden => {
  const s = op.input
  const byModel = [...s.members].sort((a, b) => a.order - b.order)
  const literals = (op.uri.split('?', 2)[1] ?? '')
    .split('&')
    .filter((kv) => kv !== '')
    .map((kv): readonly [string, string] => {
      const i = kv.indexOf('=')
      return i < 0
        ? [decodeURIComponent(kv), '']
        : [decodeURIComponent(kv.slice(0, i)), decodeURIComponent(kv.slice(i + 1))]
    })
  const plain = new Map(
    byModel.filter((m) => all || alwaysSent(m)).map((m) => [m.name, samplePlain(svc, m, m.type, 0)])
  )
  const sent = byModel.filter((m) => plain.has(m.name))
  const value = (m: Member): Plain => plain.get(m.name) as Plain
  // a key of the query parameters that a bound query value shadows
  const boundKeys = [...literals.map(([k]) => k), ...sent.filter((m) => m.location === 'query').map((m) => m.wireName)]
  const shadowed = boundKeys[0]
  for (const m of sent)
    if (m.location === 'queryParams' && shadowed !== undefined && m.type.kind === 'map')
      plain.set(m.name, { ...(value(m) as Readonly<Record<string, Plain>>), [shadowed]: samplePlain(svc, m, m.type.value, 3) })
  const sample = structureExpr(svc, s, Object.fromEntries(plain))
  const [rawPath] = op.uri.split('?', 2) as [string]
  const path = rawPath.replace(/\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}/g, (_, label: string, greedy: string) => {
    const m = byModel.find((x) => x.name === label && (x.location === 'label' || x.location === 'greedyLabel'))
    if (m === undefined) throw new Error(`gen: ${op.name}: no member for the label ${label}`)
    const text = scalarText(m.type, value(m))
    return greedy === '+' ? text.split('/').map(awsEncode).join('/') : awsEncode(text)
  })
  const query = [
    ...literals,
    ...sent
      .filter((m) => m.location === 'query')
      .map((m): readonly [string, string] => [m.wireName, scalarText(m.type, value(m))]),
    ...sent
      .filter((m) => m.location === 'queryParams')
      .flatMap((m) =>
        Object.entries(value(m) as Readonly<Record<string, Plain>>)
          .filter(([k]) => !boundKeys.includes(k))
          .flatMap(([k, v]) => (Array.isArray(v) ? (v as ReadonlyArray<string>) : [v as string]).map((x): readonly [string, string] => [k, x]))
      )
  ]
  const payload = byModel.find((m) => m.location === 'payload')
  // a payload is the whole body (absent: no body); else a JSON body as soon as the input has
  // a member bound to it, even when none is sent (`{}`), empty lists and maps left out
  const body =
    payload !== undefined
      ? plain.has(payload.name)
        ? payload.type.kind === 'string'
          ? (value(payload) as string)
          : JSON.stringify(jsonOf(svc, payload.type, value(payload)))
        : undefined
      : byModel.some((m) => m.location === 'body')
        ? JSON.stringify(
            Object.fromEntries(
              sent
                .filter((m) => m.location === 'body')
                .filter((m) => !((m.type.kind === 'list' || m.type.kind === 'map') && Object.keys(value(m) as object).length === 0))
                .map((m) => [m.wireName, jsonOf(svc, m.type, value(m))])
            )
          )
        : undefined
  const contentType =
    body === undefined ? undefined : payload !== undefined && payload.type.kind === 'string' ? 'text/plain' : 'application/json'
  const headerMembers = sent.filter((m) => m.location === 'header')
  const headers = [
    ...headerMembers.map((m): readonly [string, string] => [m.wireName, scalarText(m.type, value(m))]),
    ...sent
      .filter((m) => m.location === 'prefixHeaders')
      .flatMap((m) =>
        Object.entries(value(m) as Readonly<Record<string, Plain>>).map(
          ([k, v]): readonly [string, string] => [`${m.wireName}${k}`.toLowerCase(), v as string]
        )
      ),
    ...(contentType === undefined ? [] : [['content-type', contentType] as const])
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

/**
 * The smallest response an operation accepts: its success status, the required headers, and
 * a body with the required members (a required payload: the required members of its
 * structure, or a text). `{}` when nothing is required; nothing for a `Unit` output.
 */
const minimalResponse = (svc: Service, op: Operation): { readonly headers: ReadonlyArray<readonly [string, string]>; readonly body: string } => {
  if (op.unitOutput) return { headers: [], body: '' }
  const out = [...op.output.members].sort((a, b) => a.order - b.order)
  const requiredJson = (members: ReadonlyArray<Member>): Readonly<Record<string, unknown>> =>
    Object.fromEntries(
      [...members]
        .sort((a, b) => a.order - b.order)
        .filter((m) => m.required)
        .map((m) => [
          m.wireName,
          m.type.kind === 'structure'
            ? requiredJson(structureByName(svc, m.type.name).members)
            : jsonOf(svc, m.type, samplePlain(svc, m, m.type, 0))
        ])
    )
  const headers = out
    .filter((m) => m.required && m.location === 'header')
    .map((m): readonly [string, string] => [m.wireName, scalarText(m.type, samplePlain(svc, m, m.type, 0))])
  const payload = out.find((m) => m.location === 'payload')
  const body =
    payload === undefined
      ? JSON.stringify(requiredJson(out.filter((m) => m.location === 'body')))
      : !payload.required
        ? ''
        : payload.type.kind === 'string'
          ? sampleString(payload, payload.type, 0)
          : JSON.stringify(requiredJson(structureByName(svc, (payload.type as Type & { kind: 'structure' }).name).members))
  return { headers, body }
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
    const res = minimalResponse(svc, op)
    const resHeaders = res.headers.length === 0 ? '' : `, headers: { ${res.headers.map(([k, v]) => `${q(k)}: ${q(v)}`).join(', ')} }`
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
    const s = await serve([{ status: ${op.successCode}${resHeaders}, body: ${res.body === '' || res.body === '{}' ? `'${res.body}'` : q(res.body)} }])
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
const IMPORTS = (paths: TestPaths, body: string): ReadonlyArray<readonly [RegExp, string]> => {
  const from = (to: string): string => importPath(paths.file, to)
  return [
  [/\bIncomingHttpHeaders\b/, `import type { IncomingHttpHeaders } from 'node:http'`],
  [/\bfc\./, `import fc from 'fast-check'`],
  [/\bB\./, `import * as B from 'fp-ts/lib/boolean.js'`],
  [/\bD\./, `import * as D from 'fp-ts/lib/Date.js'`],
  [/\bE\./, `import * as E from 'fp-ts/lib/Either.js'`],
  [/\bpipe\(/, `import { pipe } from 'fp-ts/lib/function.js'`],
  [/\bN\./, `import * as N from 'fp-ts/lib/number.js'`],
  [/\bO\./, `import * as O from 'fp-ts/lib/Option.js'`],
  [/\bRA\./, `import * as RA from 'fp-ts/lib/ReadonlyArray.js'`],
  [/\bRR\./, `import * as RR from 'fp-ts/lib/ReadonlyRecord.js'`],
  [/\bS\./, `import * as S from 'fp-ts/lib/string.js'`],
  [/./, `import { describe, expect, it } from 'vitest'`],
  [/\bA\./, `import * as A from '${from(paths.arbitrary)}'`],
  [/\bEndpointParams\b/, `import type { EndpointParams } from '${from(`${paths.core}/Endpoint`)}'`],
  [/\bsend\(/, `import { send } from '${from(`${paths.core}/AWSRequest`)}'`],
  [/\brevealHeaders\(/, `import { revealHeaders, type HttpRequest } from '${from(`${paths.core}/Request`)}'`],
  [
    /\b(isSensitive|reveal|sensitive)\(/,
    `import { ${['isSensitive', 'reveal', 'sensitive'].filter((n) => new RegExp(`\\b${n}\\(`).test(body)).join(', ')} } from '${from(`${paths.core}/Sensitive`)}'`
  ],
  [/./, `import * as M from '${from(`${paths.services}/index`)}'`],
  [/\b(lensLaws|codecLaws)\(/, `import { codecLaws, lensLaws } from '${from(`${paths.test}/laws`)}'`],
  [/\benvFor\(/, `import { envFor, useScriptedServers } from '${from(`${paths.test}/util/harness`)}'`],
  [/\bRecorded\b/, `import type { Recorded } from '${from(`${paths.test}/util/scripted`)}'`]
  ]
}

/** `test/services/<module>/generated.test.ts`. */
export const emitTests = (svc: Service, paths: TestPaths = defaultTestPaths(svc)): Output => {
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
  const anyDate = /\banyDate\b/.test(sections.join('\n'))
    ? '\n/** Any valid time a `Date` holds. */\nconst anyDate = fc.date({ noInvalidDate: true })\n'
    : ''
  const helpers = `type Expected = { readonly url: string } | { readonly error: string }

interface EndpointCase {
  readonly documentation: string
  readonly params: Readonly<Record<string, string | boolean>>
  readonly expected: Expected
}

/** Any string at all (lone surrogates included): a lens holds for every value its type admits. */
const anyString = fc.string({ unit: 'binary', maxLength: 16 })
${anyDate}
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
  const body = `${helpers}\n\n${sections.join('\n\n')}`
  const imports = IMPORTS(paths, body)
    .filter(([re]) => re.test(body))
    .map(([, line]) => line)
  const intro = `/**
 * The generated tests of ${svc.annex.abbrev} (\`fp-aws/${svc.annex.module}\`): the model's endpoint test cases, the lens
 * laws of every lens, a codec round trip of every record, the promise of the request
 * arbitraries, and the exact request of every operation, encoded and on the wire.
 */`
  return { path: paths.file, text: `${header(svc)}\n${intro}\n${imports.join('\n')}\n\n${body}\n` }
}
