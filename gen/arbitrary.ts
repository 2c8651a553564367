/**
 * The arbitraries emitter: one fast-check arbitrary per generated structure (requests,
 * responses, shared shapes), written to `src/arbitrary/<module>.ts`. Every value respects the
 * model, so that a request encodes and every record goes through its codec and back: strings
 * bound to a header are valid header values, required strings bound to the query or the path
 * are non-empty, no string holds a lone surrogate, integers stay within `@range` (or among the
 * `intEnum` values), timestamps within what their wire format carries exactly, optional
 * members are sometimes absent, lists and maps are short (with keys their location admits)
 * and secrets are `Sensitive`.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { SECRET_HEADERS } from '../src/core/Request.js'
import { RESERVED_HEADERS } from '../src/core/RestJson.js'
import { alwaysThere, doc, isSecret, lowerFirst, moduleDoc, type Output } from './emit.js'
import type { Member, Operation, Service, Structure, TimestampFormat, Type } from './model.js'

/** A structure and the module (under `src/services/<module>/`) that defines it. */
export interface Located {
  readonly structure: Structure
  /** `CreateToken` for an operation's request and response, `Types` for a shared shape. */
  readonly module: string
  readonly role: 'request' | 'response' | 'shape'
  /** A `smithy.api#Unit` response: a tagged empty record. */
  readonly unit: boolean
}

/** Every structure of a service, in a fixed order: per operation its request and response, then the shared shapes. */
export const structuresOf = (svc: Service): ReadonlyArray<Located> => [
  ...svc.operations.flatMap((op): ReadonlyArray<Located> => [
    { structure: op.input, module: op.name, role: 'request', unit: false },
    { structure: op.output, module: op.name, role: 'response', unit: op.unitOutput }
  ]),
  ...svc.shared.map((s): Located => ({ structure: s, module: 'Types', role: 'shape', unit: false }))
]

/** The name of a structure's arbitrary: `lowerFirst(record name)`, after the annex's `arbitraryPrefix`. */
export const arbitraryName = (svc: Service, name: string): string =>
  svc.annex.arbitraryPrefix === undefined ? lowerFirst(name) : `${svc.annex.arbitraryPrefix}${name}`

/** The module path of `fp-aws/arbitrary/<module>`, relative to the repository root. */
export const arbitraryPath = (svc: Service): string => `src/arbitrary/${svc.annex.module}.ts`

/** The names the hand-written `fp-aws/arbitrary` exports, which the generated arbitraries must not reuse. */
export const handWrittenArbitraries = (root: string): ReadonlySet<string> =>
  new Set(
    [...fs.readFileSync(path.join(root, 'src/arbitrary/index.ts'), 'utf8').matchAll(/^export (?:const|type|interface) (\w+)/gm)].map(
      (m) => m[1] as string
    )
  )

/** Where the arbitraries go and what they import, relative to the repository root (`npm run gen`'s layout by default). */
export interface ArbitraryPaths {
  /** The arbitraries module. */
  readonly file: string
  /** The folder of the service modules. */
  readonly services: string
  /** The folder of `core/`. */
  readonly core: string
  /** The hand-written `fp-aws/arbitrary` module (without extension). */
  readonly index: string
}

/** `npm run gen`'s layout. */
export const defaultArbitraryPaths = (svc: Service): ArbitraryPaths => ({
  file: arbitraryPath(svc),
  services: `src/services/${svc.annex.module}`,
  core: 'src/core',
  index: 'src/arbitrary/index'
})

/** The import specifier of `to` (repository-relative, without extension) from the module `from`. */
export const importPath = (from: string, to: string): string => {
  const r = path.posix.relative(path.posix.dirname(from), to)
  return `${r.startsWith('.') ? r : `./${r}`}.js`
}

// -------------------------------------------------------------------------------------
// the arbitrary of a member
// -------------------------------------------------------------------------------------

/** Module-level arbitraries the members share, emitted only when used. */
const PRIMITIVES: ReadonlyArray<readonly [string, string, string]> = [
  [
    'headerString',
    'A string an HTTP header value can carry (non-empty, no control character, no white space at either end).',
    'accessToken({ maxLength: 32 })'
  ],
  [
    'pathString',
    'A non-empty string the query string or the path can carry (no lone surrogate).',
    'queryValue({ minLength: 1, maxLength: 16 })'
  ],
  [
    'queryString',
    'A string the query string can carry, possibly empty (no lone surrogate).',
    'queryValue({ maxLength: 16 })'
  ],
  [
    'bodyString',
    'A non-empty string of a JSON body (no lone surrogate, so that it has a UTF-8 form).',
    'queryValue({ minLength: 1, maxLength: 16 })'
  ],
  [
    'mapKey',
    'A key of a map in a JSON body (no lone surrogate).',
    'queryValue({ maxLength: 8 })'
  ],
  [
    'headerKey',
    'The end of a header name after its prefix: an RFC 9110 token, in any case.',
    "fc.stringMatching(/^[!#$%&'*+\\-.^_`|~0-9A-Za-z]{1,8}$/)"
  ],
  [
    'epochSecondsDate',
    'Any time a `Date` holds: epoch seconds carry it exactly, to the millisecond.',
    'fc.date({ noInvalidDate: true })'
  ],
  [
    'dateTimeDate',
    'A time a date-time (RFC 3339) carries exactly: a four-digit year, to the millisecond.',
    'fc.date({ min: new Date(MIN_YEAR_0), max: new Date(MAX_YEAR_9999), noInvalidDate: true })'
  ],
  [
    'httpDateDate',
    'A time an http-date (IMF-fixdate) carries exactly: a four-digit year, whole seconds.',
    'fc.date({ min: new Date(MIN_YEAR_0), max: new Date(MAX_YEAR_9999), noInvalidDate: true }).map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000))'
  ]
]

/** Constants the timestamp arbitraries use: the first and last millisecond of years 0 and 9999. */
const YEAR_BOUNDS = `/** 0000-01-01T00:00:00.000Z, in milliseconds since the epoch. */
const MIN_YEAR_0 = -62_167_219_200_000
/** 9999-12-31T23:59:59.999Z, in milliseconds since the epoch. */
const MAX_YEAR_9999 = 253_402_300_799_999`

const TIMESTAMP_ARB: Readonly<Record<TimestampFormat, string>> = {
  'epoch-seconds': 'epochSecondsDate',
  'date-time': 'dateTimeDate',
  'http-date': 'httpDateDate'
}

/**
 * Headers a prefix-header map with an empty prefix must not set: the transport's and the
 * credentials' (the runtime refuses them), besides the headers the request binds.
 */
const HEADERS_NOT_SET: ReadonlyArray<string> = [...RESERVED_HEADERS, ...SECRET_HEADERS]

/** What a member's arbitrary needs besides the member: the service and, for a request, its operation. */
interface Context {
  readonly svc: Service
  readonly op: Operation | undefined
}

const stringArb = (m: Member, t: Type & { kind: 'string' }): string => {
  if (t.enum !== undefined && t.enum.length > 0)
    return `fc.constantFrom(${t.enum.map((v) => JSON.stringify(v)).join(', ')})`
  switch (m.location) {
    case 'header':
      return 'headerString'
    case 'label':
    case 'greedyLabel':
      return 'pathString'
    case 'query':
      return m.required ? 'pathString' : 'queryString'
    case 'body':
    case 'payload':
      return 'bodyString'
    case 'queryParams':
      return 'queryString'
    case 'prefixHeaders':
      return 'headerString'
    default:
      throw new Error(`gen: ${m.name}: arbitraries of a string bound to the ${m.location} are not supported yet`)
  }
}

/** The keys of a map: valid and distinct where the map is bound. */
const mapArb = (c: Context, m: Member, value: string): string => {
  switch (m.location) {
    case 'queryParams': {
      // a key the request binds itself (a literal or an httpQuery member) would be dropped
      const bound = [
        ...(c.op?.queryLiterals.map(([k]) => k) ?? []),
        ...(c.op?.input.members.filter((x) => x.location === 'query').map((x) => x.wireName) ?? [])
      ]
      const key = bound.length === 0 ? 'pathString' : `pathString.filter((k) => !${JSON.stringify([...new Set(bound)])}.includes(k))`
      return `fc.dictionary(${key}, ${value}, { maxKeys: 3 })`
    }
    case 'prefixHeaders': {
      // header names are case-insensitive: no two keys may differ only in case
      const taken = [
        ...HEADERS_NOT_SET,
        'content-type',
        ...(c.op?.input.members.filter((x) => x.location === 'header').map((x) => x.wireName) ?? [])
      ]
      const key = m.wireName === '' ? `headerKey.filter((k) => !${JSON.stringify([...new Set(taken)])}.includes(k.toLowerCase()))` : 'headerKey'
      return `fc.uniqueArray(fc.tuple(${key}, ${value}), { maxLength: 3, selector: ([k]) => k.toLowerCase() }).map((kvs) => Object.fromEntries(kvs))`
    }
    default:
      return `fc.dictionary(mapKey, ${value}, { maxKeys: 3 })`
  }
}

const typeArb = (c: Context, m: Member, t: Type): string => {
  const { svc } = c
  switch (t.kind) {
    case 'string':
      return stringArb(m, t)
    case 'integer': {
      if (m.location === 'responseCode') return 'fc.integer({ min: 200, max: 299 })'
      if (t.intEnum !== undefined && t.intEnum.length > 0) return `fc.constantFrom(${t.intEnum.join(', ')})`
      const bounds = [
        ...(m.range?.min !== undefined ? [`min: ${m.range.min}`] : []),
        ...(m.range?.max !== undefined ? [`max: ${m.range.max}`] : [])
      ]
      return bounds.length === 0 ? 'fc.integer()' : `fc.integer({ ${bounds.join(', ')} })`
    }
    case 'boolean':
      return 'fc.boolean()'
    case 'timestamp':
      return TIMESTAMP_ARB[t.format]
    case 'list':
      return `fc.array(${typeArb(c, m, t.member)}, { maxLength: 3 })`
    case 'map':
      return mapArb(c, m, typeArb(c, m, t.value))
    case 'structure':
      return `${arbitraryName(svc, t.name)}()`
  }
}

const memberArb = (c: Context, m: Member): string => {
  const base = typeArb(c, m, m.type)
  const value = isSecret(m) ? `${base}.map(sensitive)` : base
  return alwaysThere(m) ? value : `optional(${value})`
}

// -------------------------------------------------------------------------------------
// the module
// -------------------------------------------------------------------------------------

const roleWord = { request: 'request', response: 'response', shape: 'shared shape' } as const
const roleCategory = { request: 'requests', response: 'responses', shape: 'shapes' } as const

const emitOne = (svc: Service, l: Located): string => {
  const s = l.structure
  const name = arbitraryName(svc, s.name)
  const what = l.role === 'request' ? 'that encodes' : 'that goes through its codec and back'
  const c: Context = { svc, op: l.role === 'request' ? svc.operations.find((o) => o.name === l.module) : undefined }
  const secrets = s.members.filter(isSecret)
  const line = `${/^[AEIOU]/.test(s.name) ? 'An' : 'A'} \`${s.name}\` (${svc.annex.abbrev} ${roleWord[l.role]}) ${what}${
    secrets.length > 0 ? `, with ${secrets.map((m) => `\`${m.name}\``).join(', ')} \`Sensitive\`` : ''
  }.`
  const body = l.unit
    ? `fc.constant(new${s.name}())`
    : s.members.length === 0
      ? `fc.constant<${s.name}>({})`
      : `fc.record<${s.name}>({ ${s.members.map((m) => `${m.name}: ${memberArb(c, m)}`).join(', ')} })`
  return `${doc([line], { category: roleCategory[l.role], since: svc.since(name, '0.2.0') })}
export const ${name} = (): Arbitrary<${s.name}> => ${body}`
}

/**
 * `src/arbitrary/<module>.ts`. `reserved` holds the names the hand-written `fp-aws/arbitrary`
 * exports: a generated name among them is an error (set the annex's `arbitraryPrefix`).
 */
export const emitArbitraries = (
  svc: Service,
  reserved: ReadonlySet<string>,
  paths: ArbitraryPaths = defaultArbitraryPaths(svc)
): Output => {
  const all = structuresOf(svc)
  for (const l of all) {
    const name = arbitraryName(svc, l.structure.name)
    if (reserved.has(name))
      throw new Error(
        `gen: ${svc.annexFile}: the arbitrary ${name} would clash with fp-aws/arbitrary's own; set arbitraryPrefix`
      )
  }
  const body = all.map((l) => emitOne(svc, l)).join('\n\n')
  const uses = (re: RegExp): boolean => re.test(body)
  const primitives = PRIMITIVES.filter(([n]) => new RegExp(`\\b${n}\\b`).test(body))
  const fromIndex = ['accessToken', 'queryValue'].filter((n) => primitives.some(([, , e]) => e.startsWith(`${n}(`)))
  // the records each service module defines, and the constructors of its Unit responses
  const byModule = new Map<string, { types: string[]; values: string[] }>()
  for (const l of all) {
    const e = byModule.get(l.module) ?? { types: [], values: [] }
    e.types.push(l.structure.name)
    if (l.unit) e.values.push(`new${l.structure.name}`)
    byModule.set(l.module, e)
  }
  const serviceImports = [...byModule.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([mod, { types, values }]) =>
      values.length === 0
        ? `import type { ${types.join(', ')} } from '${importPath(paths.file, `${paths.services}/${mod}`)}'`
        : `import { ${[...values, ...types.map((t) => `type ${t}`)].join(', ')} } from '${importPath(paths.file, `${paths.services}/${mod}`)}'`
    )
  const optional = uses(/\boptional\(/)
  const imports = [
    `import fc from 'fast-check'`,
    `import type { Arbitrary } from 'fast-check'`,
    ...(optional
      ? [`import * as O from 'fp-ts/lib/Option.js'`, `import type { Option } from 'fp-ts/lib/Option.js'`]
      : []),
    ...(uses(/\bsensitive\b/) ? [`import { sensitive } from '${importPath(paths.file, `${paths.core}/Sensitive`)}'`] : []),
    ...serviceImports,
    ...(fromIndex.length > 0 ? [`import { ${fromIndex.join(', ')} } from '${importPath(paths.file, paths.index)}'`] : [])
  ]
  const helpers = [
    ...(primitives.some(([, , e]) => /\bM(IN|AX)_YEAR_/.test(e)) ? [YEAR_BOUNDS] : []),
    ...primitives.map(([n, d, e]) => `/** ${d} */\nconst ${n} = ${e}`),
    ...(optional
      ? [
          `/** An optional member: \`Some\` of a value most of the time, \`None\` sometimes. */
const optional = <A>(arb: Arbitrary<A>): Arbitrary<Option<A>> =>
  fc.option(arb.map((a): Option<A> => O.some(a)), { nil: O.none })`
        ]
      : [])
  ]
  const text = `${moduleDoc(
  svc,
  `fast-check arbitraries of the ${svc.annex.abbrev} records (\`fp-aws/${svc.annex.module}\`), one per request,
response and shared shape, named after the record${
    svc.annex.arbitraryPrefix === undefined
      ? ''
      : ` (with the prefix \`${svc.annex.arbitraryPrefix}\`: \`${arbitraryName(svc, all[0]?.structure.name ?? '')}\`, …)`
  }.
Every value respects the model: a request encodes, and every record goes through its codec
and back.

fast-check is an optional peer dependency of fp-aws (version 3 or 4): install it to use this
module.`,
  '0.2.0'
)}
${imports.join('\n')}

${helpers.join('\n\n')}

${body}
`
  return { path: paths.file, text }
}
