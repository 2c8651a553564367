/**
 * The arbitraries emitter: one fast-check arbitrary per generated structure (requests,
 * responses, shared shapes), written to `src/arbitrary/<module>.ts`. Every value respects the
 * model, so that a request encodes and every record goes through its codec and back: strings
 * bound to a header are valid header values, required strings bound to the query or the path
 * are non-empty, no string holds a lone surrogate, integers stay within `@range`, optional
 * members are sometimes absent, lists are short and secrets are `Sensitive`.
 */
import { alwaysThere, doc, isSecret, lowerFirst, moduleDoc, type Output } from './emit.js'
import type { Member, Service, Structure, Type } from './model.js'

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
  ]
]

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
    default:
      throw new Error(`gen: ${m.name}: arbitraries of a string bound to the ${m.location} are not supported yet`)
  }
}

const typeArb = (svc: Service, m: Member, t: Type): string => {
  switch (t.kind) {
    case 'string':
      return stringArb(m, t)
    case 'integer': {
      const bounds = [
        ...(m.range?.min !== undefined ? [`min: ${m.range.min}`] : []),
        ...(m.range?.max !== undefined ? [`max: ${m.range.max}`] : [])
      ]
      return bounds.length === 0 ? 'fc.integer()' : `fc.integer({ ${bounds.join(', ')} })`
    }
    case 'boolean':
      return 'fc.boolean()'
    case 'list':
      return `fc.array(${typeArb(svc, m, t.member)}, { maxLength: 3 })`
    case 'structure':
      return `${arbitraryName(svc, t.name)}()`
    default:
      throw new Error(`gen: ${svc.sdkId}: ${m.name}: arbitraries of a ${t.kind} are not supported yet`)
  }
}

const memberArb = (svc: Service, m: Member): string => {
  const base = typeArb(svc, m, m.type)
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
  const secrets = s.members.filter(isSecret)
  const line = `${/^[AEIOU]/.test(s.name) ? 'An' : 'A'} \`${s.name}\` (${svc.annex.abbrev} ${roleWord[l.role]}) ${what}${
    secrets.length > 0 ? `, with ${secrets.map((m) => `\`${m.name}\``).join(', ')} \`Sensitive\`` : ''
  }.`
  const body = l.unit
    ? `fc.constant(new${s.name}())`
    : s.members.length === 0
      ? `fc.constant<${s.name}>({})`
      : `fc.record<${s.name}>({ ${s.members.map((m) => `${m.name}: ${memberArb(svc, m)}`).join(', ')} })`
  return `${doc([line], { category: roleCategory[l.role], since: svc.since(name, '0.2.0') })}
export const ${name} = (): Arbitrary<${s.name}> => ${body}`
}

/**
 * `src/arbitrary/<module>.ts`. `reserved` holds the names the hand-written `fp-aws/arbitrary`
 * exports: a generated name among them is an error (set the annex's `arbitraryPrefix`).
 */
export const emitArbitraries = (svc: Service, reserved: ReadonlySet<string>): Output => {
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
        ? `import type { ${types.join(', ')} } from '../services/${svc.annex.module}/${mod}.js'`
        : `import { ${[...values, ...types.map((t) => `type ${t}`)].join(', ')} } from '../services/${svc.annex.module}/${mod}.js'`
    )
  const optional = uses(/\boptional\(/)
  const imports = [
    `import fc from 'fast-check'`,
    `import type { Arbitrary } from 'fast-check'`,
    ...(optional
      ? [`import * as O from 'fp-ts/lib/Option.js'`, `import type { Option } from 'fp-ts/lib/Option.js'`]
      : []),
    ...(uses(/\bsensitive\b/) ? [`import { sensitive } from '../core/Sensitive.js'`] : []),
    ...serviceImports,
    ...(fromIndex.length > 0 ? [`import { ${fromIndex.join(', ')} } from './index.js'`] : [])
  ]
  const helpers = [
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
  return { path: arbitraryPath(svc), text }
}
