/**
 * Templates: a `Service` description in, TypeScript modules out (unformatted; `main.ts`
 * formats them). One module per operation, the shared shapes, the service record, the
 * endpoint resolver and the index.
 */
import type { Member, Operation, Service, Structure, TimestampFormat, Type } from './model.js'

/** A file to write, relative to the repository root. */
export interface Output {
  readonly path: string
  readonly text: string
}

// -------------------------------------------------------------------------------------
// names
// -------------------------------------------------------------------------------------

export const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1)

export const lensName = (s: Structure, m: Member): string => `${lowerFirst(s.name)}_${m.name}`

const isList = (m: Member): boolean => m.type.kind === 'list'

/** A list or a map: absent is empty (`[]`, `{}`). */
const isCollection = (m: Member): boolean => m.type.kind === 'list' || m.type.kind === 'map'

/** A member that is always there: required, with a modelled default, a list or a map (absent is empty), or the status. */
export const alwaysThere = (m: Member): boolean =>
  m.required || m.default !== undefined || isCollection(m) || m.location === 'responseCode'

export const isSecret = (m: Member): boolean => m.sensitive && m.type.kind === 'string'

// -------------------------------------------------------------------------------------
// types, codecs, Eq, Show of a member
// -------------------------------------------------------------------------------------

const baseType = (t: Type, secret: boolean): string => {
  switch (t.kind) {
    case 'string':
      return secret ? 'Sensitive<string>' : 'string'
    case 'integer':
      return 'number'
    case 'boolean':
      return 'boolean'
    case 'timestamp':
      return 'Date'
    case 'list':
      return `ReadonlyArray<${baseType(t.member, false)}>`
    case 'map':
      return `RR.ReadonlyRecord<string, ${baseType(t.value, false)}>`
    case 'structure':
      return t.name
  }
}

/** The member's type in the record. */
export const fieldType = (m: Member): string =>
  alwaysThere(m) ? baseType(m.type, isSecret(m)) : `Option<${baseType(m.type, isSecret(m))}>`

/** The member's type as a lens shows it: secrets as plain strings. */
export const viewType = (m: Member): string => (alwaysThere(m) ? baseType(m.type, false) : `Option<${baseType(m.type, false)}>`)

const jsonBase = (t: Type): string => {
  switch (t.kind) {
    case 'string':
      return 'string'
    case 'integer':
      return 'number'
    case 'boolean':
      return 'boolean'
    case 'timestamp':
      return t.format === 'epoch-seconds' ? 'number' : 'string'
    case 'list':
      return `ReadonlyArray<${jsonBase(t.member)}>`
    case 'map':
      return `Readonly<Record<string, ${jsonBase(t.value)}>>`
    case 'structure':
      return `${t.name}Json`
  }
}

/** The codec of a timestamp in a JSON body (`text`: in a header, the query string or the path). */
const timestampCodec = (format: TimestampFormat, text: boolean): string =>
  format === 'epoch-seconds' ? (text ? 'EpochSecondsString' : 'EpochSeconds') : format === 'date-time' ? 'DateTime' : 'HttpDate'

/** The codec of a scalar from its text in a header, the query string or the path. */
const textCodec = (m: Member): string => {
  switch (m.type.kind) {
    case 'string':
      return isSecret(m) ? 'SensitiveString' : 't.string'
    case 'integer':
      return 'IntegerString'
    case 'boolean':
      return 'BooleanString'
    case 'timestamp':
      return timestampCodec(m.type.format, true)
    default:
      throw new Error(`gen: ${m.name}: a ${m.type.kind} has no text form`)
  }
}

const baseCodec = (t: Type, secret: boolean): string => {
  switch (t.kind) {
    case 'string':
      return secret ? 'SensitiveString' : 't.string'
    case 'integer':
      return 'Integer'
    case 'boolean':
      return 't.boolean'
    case 'timestamp':
      return timestampCodec(t.format, false)
    case 'list':
      return `arrayFromNullable(${baseCodec(t.member, false)})`
    case 'map':
      return `mapFromNullable(${baseCodec(t.value, false)})`
    case 'structure':
      return `${t.name}Codec`
  }
}

/** The member's io-ts codec in its structure's codec. */
const fieldCodec = (m: Member): string => {
  const c = baseCodec(m.type, isSecret(m))
  if (isCollection(m) || m.required || m.location === 'responseCode') return c
  if (m.default !== undefined) return `withDefault(${c}, ${JSON.stringify(m.default)})`
  return `optionFromNullable(${c})`
}

const baseEq = (t: Type, secret: boolean): string => {
  switch (t.kind) {
    case 'string':
      return secret ? 'SecretEq' : 'S.Eq'
    case 'integer':
      return 'N.Eq'
    case 'boolean':
      return 'B.Eq'
    case 'timestamp':
      return 'D.Eq'
    case 'list':
      return `RA.getEq(${baseEq(t.member, false)})`
    case 'map':
      return `RR.getEq(${baseEq(t.value, false)})`
    case 'structure':
      return `${t.name}Eq`
  }
}

const fieldEq = (m: Member): string => (alwaysThere(m) ? baseEq(m.type, isSecret(m)) : `O.getEq(${baseEq(m.type, isSecret(m))})`)

const baseShow = (t: Type, secret: boolean): string => {
  switch (t.kind) {
    case 'string':
      return secret ? 'SecretShow' : 'S.Show'
    case 'integer':
      return 'N.Show'
    case 'boolean':
      return 'B.Show'
    case 'timestamp':
      return 'TimestampShow'
    case 'list':
      return `RA.getShow(${baseShow(t.member, false)})`
    case 'map':
      return `RR.getShow(S.Ord)(${baseShow(t.value, false)})`
    case 'structure':
      return `${t.name}Show`
  }
}

const showMember = (m: Member, v: string): string => {
  if (alwaysThere(m) && isSecret(m)) return `${m.name}: <redacted>`
  const show = alwaysThere(m) ? baseShow(m.type, isSecret(m)) : `O.getShow(${baseShow(m.type, isSecret(m))})`
  return `${m.name}: \${${show}.show(${v}.${m.name})}`
}

const defaultValue = (m: Member): string => {
  if (m.default !== undefined) return JSON.stringify(m.default)
  if (isList(m)) return '[]'
  if (m.type.kind === 'map') return '{}'
  if (m.location === 'responseCode') return '200'
  return 'O.none'
}

// -------------------------------------------------------------------------------------
// doc comments
// -------------------------------------------------------------------------------------

/** Wraps prose at 96 columns (a line of an example is never wrapped). */
const wrap = (line: string): ReadonlyArray<string> => {
  const out: string[] = []
  let cur = ''
  for (const word of line.split(' ')) {
    if (cur !== '' && cur.length + 1 + word.length > 92) {
      out.push(cur)
      cur = word
    } else cur = cur === '' ? word : `${cur} ${word}`
  }
  out.push(cur)
  return out
}

export const doc = (lines: ReadonlyArray<string>, tags: { category: string; since: string }, example?: ReadonlyArray<string>): string => {
  const body = lines.flatMap((l) => l.split('\n')).flatMap((l) => (l === '' ? [' *'] : wrap(l).map((w) => ` * ${w}`)))
  const ex = example === undefined ? [] : [' *', ' * @example', ...example.map((l) => (l === '' ? ' *' : ` * ${l}`))]
  return ['/**', ...body, ...ex, ' *', ` * @category ${tags.category}`, ` * @since ${tags.since}`, ' */'].join('\n')
}

// -------------------------------------------------------------------------------------
// sample values, for the examples
// -------------------------------------------------------------------------------------

/** A plain sample value of a member, as a constructor argument or a lens value (source text). */
export const sampleOf = (m: Member): string => {
  switch (m.type.kind) {
    case 'string':
      return JSON.stringify(m.type.enum?.[0] ?? sampleString(m))
    case 'integer':
      return String(m.range?.min !== undefined ? Math.max(m.range.min, Math.min(m.range.max ?? 10, 10)) : 10)
    case 'boolean':
      return 'true'
    case 'timestamp':
      return 'new Date(0)'
    case 'map':
      return '{}'
    case 'list':
      return m.type.member.kind === 'string' ? `[${JSON.stringify(`${m.name}-1`)}]` : '[]'
    case 'structure':
      return `new${m.type.name}()`
  }
}

const sampleString = (m: Member): string =>
  m.name === 'accountId' ? '111122223333' : m.name.toLowerCase().endsWith('uri') || m.name.toLowerCase().endsWith('url') ? 'https://example.com/start' : `my-${m.name}`

// -------------------------------------------------------------------------------------
// one structure: record, constructor, lenses, instances, codec
// -------------------------------------------------------------------------------------

interface StructureContext {
  readonly svc: Service
  readonly since: (name: string) => string
  /** The module examples import from. */
  readonly importFrom: string
  /** `request`, `response` or `shape`: only wording. */
  readonly role: 'request' | 'response' | 'shape'
  /** A Unit response: a tagged empty record. */
  readonly unit: boolean
}

const emitRecord = (s: Structure, c: StructureContext): string => {
  if (c.unit)
    return `${doc([s.doc], { category: 'model', since: c.since(s.name) })}
export interface ${s.name} {
  readonly _tag: '${s.name}'
}`
  const members = s.members.map((m) => `  /** ${m.doc} */\n  readonly ${m.name}: ${fieldType(m)}`).join('\n')
  return `${doc([s.doc], { category: 'model', since: c.since(s.name) })}
export interface ${s.name} {
${members}
}`
}

const emitConstructor = (s: Structure, c: StructureContext): string => {
  const name = `new${s.name}`
  if (c.unit)
    return `${doc([`Creates a \`${s.name}\`.`], { category: 'constructors', since: c.since(name) })}
export const ${name} = (): ${s.name} => ({ _tag: '${s.name}' })`
  const required = s.members.filter((m) => m.required)
  const params = required.map((m) => `${m.name}: ${baseType(m.type, false)}`).join(', ')
  const fields = s.members
    .map((m) => (m.required ? (isSecret(m) ? `${m.name}: sensitive(${m.name})` : m.name) : `${m.name}: ${defaultValue(m)}`))
    .join(', ')
  const args = required.map(sampleOf).join(', ')
  const firstSecret = required.find(isSecret)
  const first = s.members[0]
  const example: string[] = []
  if (first !== undefined) {
    const lens = lensName(s, first)
    example.push(`import { ${name}, ${lens} } from '${c.importFrom}'`)
    if (!alwaysThere(first)) example.splice(0, 0, `import * as O from 'fp-ts/lib/Option.js'`)
    example.push('')
    example.push(`const value = ${name}(${args})`)
    if (first.required) example.push(`assert.deepStrictEqual(${lens}.get(value), ${sampleOf(first)})`)
    else if (alwaysThere(first)) example.push(`assert.deepStrictEqual(${lens}.get(value), ${defaultValue(first)})`)
    else example.push(`assert.deepStrictEqual(${lens}.get(value), O.none)`)
    if (firstSecret !== undefined) example.push(`assert.ok(!JSON.stringify(value).includes(${sampleOf(firstSecret)}))`)
  }
  const lines =
    required.length === 0
      ? [`Creates a \`${s.name}\` with every member absent (or at its modelled default); fill it in with the lenses.`]
      : [
          `Creates a \`${s.name}\` from its required members (${required.map((m) => `\`${m.name}\``).join(', ')}); the others start absent.`
        ]
  if (s.constructorDoc !== undefined) lines.push('', s.constructorDoc)
  return `${doc(lines, { category: 'constructors', since: c.since(name) }, example.length > 0 ? example : undefined)}
export const ${name} = (${params}): ${s.name} => ({ ${fields} })`
}

const emitLenses = (s: Structure, c: StructureContext): string =>
  s.members
    .map((m) => {
      const name = lensName(s, m)
      const base = `pipe(L.id<${s.name}>(), L.prop('${m.name}'))`
      const body = isSecret(m)
        ? alwaysThere(m)
          ? `pipe(L.id<${s.name}>(), L.prop('${m.name}'), L.composeIso(iso<string>()))`
          : `optionalSecret(${base})`
        : base
      const what = isSecret(m)
        ? ` Secret: the lens shows the plain value, the record keeps it \`Sensitive\`.`
        : ''
      return `${doc([`The \`${m.name}\` of a \`${s.name}\`: ${lowerFirst(m.doc).replace(/\.$/, '')}.${what}`], { category: 'lenses', since: c.since(name) })}
export const ${name}: L.Lens<${s.name}, ${viewType(m)}> = ${body}`
    })
    .join('\n\n')

const emitInstances = (s: Structure, c: StructureContext): string => {
  const eqName = `${s.name}Eq`
  const showName = `${s.name}Show`
  if (c.unit)
    return `${doc([`Every \`${s.name}\` is equal to every other.`], { category: 'instances', since: c.since(eqName) })}
export const ${eqName}: Eq.Eq<${s.name}> = { equals: () => true }

${doc([`Shows a \`${s.name}\`.`], { category: 'instances', since: c.since(showName) })}
export const ${showName}: Show<${s.name}> = { show: () => '${s.name} {}' }`
  const eq =
    s.members.length === 0
      ? `{ equals: () => true }`
      : `Eq.struct({ ${s.members.map((m) => `${m.name}: ${fieldEq(m)}`).join(', ')} })`
  const secrets = s.members.filter((m) => m.sensitive)
  const showBody =
    s.members.length === 0 ? `'${s.name} {}'` : `\`${s.name} { ${s.members.map((m) => showMember(m, 'a')).join(', ')} }\``
  const required = s.members.filter((m) => m.required)
  const showExample = [
    `import { ${showName}, new${s.name} } from '${c.importFrom}'`,
    '',
    `const text = ${showName}.show(new${s.name}(${required.map(sampleOf).join(', ')}))`,
    `assert.ok(text.startsWith('${s.name} {'))`,
    ...secrets.filter((m) => m.required).map((m) => `assert.ok(!text.includes(${sampleOf(m)}))`)
  ]
  return `${doc([`Member-wise equality of \`${s.name}\`${secrets.length > 0 ? ' (secrets compared by value)' : ''}.`], { category: 'instances', since: c.since(eqName) })}
export const ${eqName}: Eq.Eq<${s.name}> = ${eq}

${doc([`Shows a \`${s.name}\`${secrets.length > 0 ? `, with ${secrets.map((m) => `\`${m.name}\``).join(', ')} redacted` : ''}.`], { category: 'instances', since: c.since(showName) }, showExample)}
export const ${showName}: Show<${s.name}> = { show: (${showBody.includes('(a.') ? 'a' : ''}) => ${showBody} }`
}

const emitCodec = (s: Structure, c: StructureContext): string => {
  const codecName = `${s.name}Codec`
  const jsonName = `${s.name}Json`
  if (c.unit)
    return `${doc([`io-ts codec of \`${s.name}\`.`], { category: 'codecs', since: c.since(codecName) })}
export const ${codecName}: t.Type<${s.name}, ${s.name}, unknown> = t.readonly(t.type({ _tag: t.literal('${s.name}') }), '${s.name}')`
  // a shared shape travels in JSON bodies: its JSON form is keyed by the wire names (`jsonName`);
  // an operation's request or response record is keyed by member names (its body is encoded member by member)
  const wire = c.role === 'shape' ? s.members.filter((m) => m.wireName !== m.name) : []
  const key = (m: Member): string => {
    const k = wire.includes(m) ? m.wireName : m.name
    return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : JSON.stringify(k)
  }
  const json = s.members.map((m) => `  readonly ${key(m)}${m.required ? '' : '?'}: ${jsonBase(m.type)}`).join('\n')
  const reveals = s.members.some((m) => m.sensitive)
  const lines = [
    `io-ts codec of \`${s.name}\` from its JSON form: absent or \`null\` members are absent (\`None\`, \`[]\` or the modelled default), unknown members are dropped.${reveals ? ' Its `encode` reveals the secrets: use it only where they belong.' : ''}`
  ]
  if (wire.length > 0)
    lines.push('', `The JSON keys are the wire names: ${wire.map((m) => `\`${m.name}\` is \`${m.wireName}\``).join(', ')}.`)
  else if (c.role !== 'shape' && s.members.some((m) => m.wireName !== m.name && m.location === 'body'))
    lines.push(
      '',
      `The JSON form is keyed by member names (the record's own form); on the wire, ${s.members
        .filter((m) => m.wireName !== m.name && m.location === 'body')
        .map((m) => `\`${m.name}\` is \`${m.wireName}\``)
        .join(', ')}.`
    )
  const jsonForm = `${doc([`\`${s.name}\` as JSON.`], { category: 'model', since: c.since(jsonName) })}
export interface ${jsonName} {
${json}
}`
  // a request is encoded, never read from JSON by the runtime: its codec keeps the composed reader
  const reader = c.role === 'request' ? undefined : emitReader(s, (m) => (wire.includes(m) ? m.wireName : m.name))
  const codec = `structureCodec('${s.name}', { ${s.members.map((m) => `${m.name}: ${fieldCodec(m)}`).join(', ')} }${
    wire.length === 0
      ? reader === undefined
        ? ''
        : ', undefined'
      : `, { ${wire.map((m) => `${m.name}: ${JSON.stringify(m.wireName)}`).join(', ')} }`
  }${reader === undefined ? '' : `, ${reader.read}`})`
  return `${jsonForm}

${reader === undefined ? '' : `${reader.hoisted.join('\n')}${reader.hoisted.length > 0 ? '\n\n' : ''}`}${doc(lines, {
    category: 'codecs',
    since: c.since(codecName)
  })}
export const ${codecName}: t.Type<${s.name}, ${jsonName}, unknown> = ${codec}`
}

/**
 * The reader of a structure's JSON form (`structureCodec`'s `read`), for shapes and responses:
 * straight-line code that reads each member under its JSON key, checks it as the member's codec
 * does (strings, integers and booleans inline, anything else through `readWith` of its codec)
 * and builds the record, or returns `undefined` for the codec's `validate` to have the last
 * word. None for a structure with a member whose JSON key is a member of `Object.prototype`
 * (io-ts reads those from the prototype).
 */
const emitReader = (
  s: Structure,
  jsonKey: (m: Member) => string
): { readonly hoisted: ReadonlyArray<string>; readonly read: string } | undefined => {
  if (s.members.length === 0 || s.members.some((m) => jsonKey(m) in Object.prototype)) return undefined
  const hoisted: string[] = []
  const checks: string[] = []
  const fields: string[] = []
  s.members.forEach((m, i) => {
    const v = `m${i}`
    checks.push(`const ${v} = u[${JSON.stringify(jsonKey(m))}]`)
    const leaf = leafCheck(m, v)
    const absent = `${v} === undefined || ${v} === null`
    if (leaf === undefined || isCollection(m)) {
      const name = `${lowerFirst(s.name)}_read_${m.name}`
      hoisted.push(`const ${name} = readWith(${fieldCodec(m)})`)
      checks.push(`const r${i} = ${name}(${v})`, `if (r${i} === undefined) return undefined`)
      fields.push(`${m.name}: r${i}`)
    } else if (m.required || m.location === 'responseCode') {
      checks.push(`if (!(${leaf.check})) return undefined`)
      fields.push(`${m.name}: ${leaf.value}`)
    } else {
      checks.push(`if (!(${absent}) && !(${leaf.check})) return undefined`)
      fields.push(
        `${m.name}: ${absent} ? ${m.default !== undefined ? JSON.stringify(m.default) : 'O.none'} : ${
          m.default !== undefined ? leaf.value : `O.some(${leaf.value})`
        }`
      )
    }
  })
  const read = `(u): ${s.name} | undefined => {
    if (!isJsonRecord(u)) return undefined
    ${checks.join('\n    ')}
    return { ${fields.join(', ')} }
  }`
  return { hoisted, read }
}

/** The inline check of a string, integer or boolean member's JSON value, and its decoded value. */
const leafCheck = (m: Member, v: string): { readonly check: string; readonly value: string } | undefined => {
  switch (m.type.kind) {
    case 'string':
      return { check: `typeof ${v} === 'string'`, value: isSecret(m) ? `sensitive(${v} as string)` : `(${v} as string)` }
    case 'integer':
      return { check: `typeof ${v} === 'number' && Number.isSafeInteger(${v})`, value: `(${v} as number)` }
    case 'boolean':
      return { check: `typeof ${v} === 'boolean'`, value: `(${v} as boolean)` }
    default:
      return undefined
  }
}

/** Everything of one structure, in the order of amazonka's sections. */
const emitStructure = (s: Structure, c: StructureContext): string =>
  [emitRecord(s, c), emitConstructor(s, c), s.members.length > 0 ? emitLenses(s, c) : '', emitInstances(s, c), emitCodec(s, c)]
    .filter((x) => x !== '')
    .join('\n\n')

// -------------------------------------------------------------------------------------
// imports: only what a module uses
// -------------------------------------------------------------------------------------

const IMPORTS: ReadonlyArray<readonly [RegExp, string, string]> = [
  [/\bB\./, 'B', `import * as B from 'fp-ts/lib/boolean.js'`],
  [/\bD\./, 'D', `import * as D from 'fp-ts/lib/Date.js'`],
  [/\bE\./, 'E', `import * as E from 'fp-ts/lib/Either.js'`],
  [/\bEq\./, 'Eq', `import * as Eq from 'fp-ts/lib/Eq.js'`],
  [/\bpipe\(/, 'pipe', `import { pipe } from 'fp-ts/lib/function.js'`],
  [/\bN\./, 'N', `import * as N from 'fp-ts/lib/number.js'`],
  [/\bO\./, 'O', `import * as O from 'fp-ts/lib/Option.js'`],
  [/\bOption</, 'Option', `import type { Option } from 'fp-ts/lib/Option.js'`],
  [/\bRA\./, 'RA', `import * as RA from 'fp-ts/lib/ReadonlyArray.js'`],
  [/\bRR\./, 'RR', `import * as RR from 'fp-ts/lib/ReadonlyRecord.js'`],
  [/\bShow</, 'Show', `import type { Show } from 'fp-ts/lib/Show.js'`],
  [/\bS\./, 'S', `import * as S from 'fp-ts/lib/string.js'`],
  [/\bt\./, 't', `import * as t from 'io-ts'`],
  [/\bL\./, 'L', `import * as L from 'monocle-ts/lib/Lens.js'`]
]

const named = (code: string, from: string, names: ReadonlyArray<string>, types: ReadonlyArray<string> = []): string => {
  // a use is the name itself, not a member of something (`O.getEq` is not `getEq`), nor a declaration of it
  const uses = (n: string): boolean =>
    new RegExp(`(?<![.\\w])${n}\\b`).test(code.replace(new RegExp(`export (const|interface|type) ${n}\\b`, 'g'), ''))
  const used = names.filter(uses)
  const usedTypes = types.filter(uses)
  const all = [...used, ...usedTypes.map((n) => `type ${n}`)]
  if (all.length === 0) return ''
  if (used.length === 0) return `import type { ${usedTypes.join(', ')} } from '${from}'`
  return `import { ${all.join(', ')} } from '${from}'`
}

/** The import lines of a module body, `core` relative to it. */
const importsFor = (
  code: string,
  core: string,
  local: ReadonlyArray<readonly [string, ReadonlyArray<string>, ReadonlyArray<string>]>,
  defined: ReadonlySet<string> = new Set()
): string =>
  [
    ...IMPORTS.filter(([re]) => re.test(code)).map(([, , line]) => line),
    named(code, `${core}/AWSRequest.js`, [], ['AWSRequest']),
    named(code, `${core}/Error.js`, [], ['SerializeError', 'ValidationError']),
    named(code, `${core}/Pager.js`, ['paginate'], ['AWSPager']),
    named(code, `${core}/Request.js`, ['totalEncoder', 'percentEncode'], ['HttpRequest', 'HttpResponse']),
    named(
      code,
      `${core}/RestJson.js`,
      ([
        'arrayFromNullable',
        'BooleanString',
        'DateTime',
        'decodeJsonResponse',
        'decodeTextResponse',
        'dropEmpty',
        'EpochSeconds',
        'EpochSecondsString',
        'HttpDate',
        'Integer',
        'IntegerString',
        'invalidMember',
        'isJsonRecord',
        'mapFromNullable',
        'optionalSecret',
        'optionFromNullable',
        'prefixHeaders',
        'queryParams',
        'readHeader',
        'readPrefixHeaders',
        'readRequiredHeader',
        'readWith',
        'SensitiveString',
        'structureCodec',
        'TimestampShow',
        'validateHeaderValue',
        'validateMember',
        'validateQueryValue',
        'validateRange',
        'validateRequired',
        'withDefault'
      ] as ReadonlyArray<string>).filter((n) => !defined.has(n)),
      []
    ),
    named(code, `${core}/Sensitive.js`, ['getEq', 'getShow', 'iso', 'reveal', 'sensitive'], ['Sensitive']),
    ...local.map(([from, names, types]) => named(code, from, names, types))
  ]
    .filter((l) => l !== '')
    .join('\n')

/** The line that starts a generated file that is not a module with docs (a test). */
export const header = (svc: Service): string =>
  `// Generated by \`npm run gen\` from ${svc.modelFile} and ${svc.annexFile}: do not edit this file.`

/**
 * The module's doc comment, whose first line says the file is generated, from which model,
 * and not to edit it (inside the comment, so that docs-ts still reads it as the module's doc).
 */
export const moduleDoc = (svc: Service, text: string, since: string): string =>
  [
    '/**',
    ` * Generated by \`npm run gen\` from ${svc.modelFile} and ${svc.annexFile}: do not edit this file.`,
    ' *',
    ...text.split('\n').map((l) => (l === '' ? ' *' : ` * ${l}`)),
    ' *',
    ` * @since ${since}`,
    ' */'
  ].join('\n')

const SECRET_INSTANCES = `const SecretEq = getEq(S.Eq)
const SecretShow = getShow<string>()`

/** The names a structure module defines, for the shared-shapes import list. */
const structureNames = (s: Structure): ReadonlyArray<string> => [
  `new${s.name}`,
  `${s.name}Eq`,
  `${s.name}Show`,
  `${s.name}Codec`,
  ...s.members.map((m) => lensName(s, m))
]

// -------------------------------------------------------------------------------------
// the operation module
// -------------------------------------------------------------------------------------

const checkExpr = (m: Member, v: string): string | undefined => {
  const f = JSON.stringify(m.name)
  switch (m.location) {
    case 'header':
      return m.type.kind === 'string' ? `validateHeaderValue(${f})(${v})` : scalarCheck(m, v)
    case 'query':
      return m.type.kind === 'string' ? (m.required ? `validateRequired(${f})(${v})` : `validateQueryValue(${f})(${v})`) : scalarCheck(m, v)
    case 'label':
    case 'greedyLabel':
      return m.type.kind === 'string' ? `validateRequired(${f})(${v})` : scalarCheck(m, v)
    case 'body':
      return m.type.kind === 'integer' && m.range !== undefined ? scalarCheck(m, v) : undefined
    case 'payload':
    case 'queryParams':
    case 'prefixHeaders':
    case 'responseCode':
      return undefined
  }
}

const scalarCheck = (m: Member, v: string): string =>
  m.type.kind === 'integer'
    ? `validateRange(${JSON.stringify(m.name)}${m.range?.min !== undefined ? `, ${m.range.min}` : ', undefined'}${m.range?.max !== undefined ? `, ${m.range.max}` : ''})(${v})`
    : m.type.kind === 'timestamp'
      ? `validateMember(${JSON.stringify(m.name)}, ${textCodec(m)})(${v})`
      : `validateMember(${JSON.stringify(m.name)}, t.boolean)(${v})`

/** A scalar as the text of a header, a query value or a label. */
const wireString = (m: Member, v: string): string =>
  m.type.kind === 'string' ? v : m.type.kind === 'timestamp' ? `${textCodec(m)}.encode(${v})` : `String(${v})`

/** Whether a value of this type can hold a secret (a sensitive string member, at any depth). */
const holdsSecret = (t: Type, svc: Service, seen: Set<string> = new Set()): boolean => {
  if (t.kind === 'list') return holdsSecret(t.member, svc, seen)
  if (t.kind === 'map') return holdsSecret(t.value, svc, seen)
  if (t.kind !== 'structure' || seen.has(t.name)) return false
  seen.add(t.name)
  const s = svc.shared.find((x) => x.name === t.name)
  return s !== undefined && s.members.some((m) => isSecret(m) || holdsSecret(m.type, svc, seen))
}

const emitEncoder = (op: Operation, svc: Service): string => {
  const s = op.input
  const name = `encode${op.name}`
  const checks: string[] = []
  const hoisted: string[] = []
  const prefix = lowerFirst(op.name)
  // the order members are checked in: headers, then required members, then optional numbers, then optional strings
  const rank = (m: Member): number =>
    m.location === 'header' ? 0 : m.required ? 1 : m.type.kind !== 'string' ? 2 : 3
  const checkOrder = [...s.members].sort((a, b) => rank(a) - rank(b))
  for (const m of checkOrder) {
    const plain = isSecret(m) ? (alwaysThere(m) ? `reveal(rq.${m.name})` : 'reveal(v)') : alwaysThere(m) ? `rq.${m.name}` : 'v'
    const check = checkExpr(m, '')
    let bound: string | undefined
    if (check !== undefined) {
      const checker = `${prefix}_check_${m.name}`
      hoisted.push(`const ${checker} = ${check.slice(0, -2)}`)
      bound = `${checker}(${plain})`
    }
    if (m.location === 'body' || m.location === 'payload') {
      // a body member is checked against its codec: a JavaScript caller may pass anything
      const codec = `${lowerFirst(op.name)}Members.${m.name}`
      hoisted.push(`const ${prefix}_is_${m.name} = validateMember(${JSON.stringify(m.name)}, ${codec})`)
      checks.push(`{ const r = ${prefix}_is_${m.name}(rq.${m.name}); if (E.isLeft(r)) return invalidMember(OPERATION, ${JSON.stringify(m.name)}, r.left) }`)
      if (bound !== undefined && !alwaysThere(m))
        checks.push(`if (O.isSome(rq.${m.name})) { const v = rq.${m.name}.value; const r = ${bound}; if (E.isLeft(r)) return invalidMember(OPERATION, ${JSON.stringify(m.name)}, r.left) }`)
      else if (bound !== undefined) checks.push(`{ const r = ${bound}; if (E.isLeft(r)) return invalidMember(OPERATION, ${JSON.stringify(m.name)}, r.left) }`)
      continue
    }
    if (bound === undefined) continue
    if (alwaysThere(m)) checks.push(`{ const r = ${bound}; if (E.isLeft(r)) return invalidMember(OPERATION, ${JSON.stringify(m.name)}, r.left) }`)
    else
      checks.push(
        `if (O.isSome(rq.${m.name})) { const v = rq.${m.name}.value; const r = ${bound}; if (E.isLeft(r)) return invalidMember(OPERATION, ${JSON.stringify(m.name)}, r.left) }`
      )
  }
  const byModel = [...s.members].sort((a, b) => a.order - b.order)
  // the maps of query parameters and headers: checked after the members, appended after the bound ones
  const queryMaps = byModel.filter((m) => m.location === 'queryParams')
  const headerMaps = byModel.filter((m) => m.location === 'prefixHeaders')
  const boundQuery = [...op.queryLiterals.map(([k]) => k), ...byModel.filter((m) => m.location === 'query').map((m) => m.wireName)]
  const payload = s.members.find((m) => m.location === 'payload')
  const jsonBody = s.members.some((m) => m.location === 'body') || (payload !== undefined && payload.type.kind === 'structure')
  const boundHeaders = [...byModel.filter((m) => m.location === 'header').map((m) => m.wireName), ...(jsonBody || payload !== undefined ? ['content-type'] : [])]
  for (const m of queryMaps) {
    hoisted.push(`const ${prefix}_check_${m.name} = queryParams(${JSON.stringify(m.name)}, ${JSON.stringify([...new Set(boundQuery)])})`)
    checks.push(`const ${prefix}_${m.name} = ${prefix}_check_${m.name}(rq.${m.name}); if (E.isLeft(${prefix}_${m.name})) return invalidMember(OPERATION, ${JSON.stringify(m.name)}, ${prefix}_${m.name}.left)`)
  }
  for (const m of headerMaps) {
    hoisted.push(`const ${prefix}_check_${m.name} = prefixHeaders(${JSON.stringify(m.name)}, ${JSON.stringify(m.wireName)}, ${JSON.stringify(boundHeaders)})`)
    checks.push(`const ${prefix}_${m.name} = ${prefix}_check_${m.name}(rq.${m.name}); if (E.isLeft(${prefix}_${m.name})) return invalidMember(OPERATION, ${JSON.stringify(m.name)}, ${prefix}_${m.name}.left)`)
  }
  const path =
    op.segments.length === 0
      ? `'/'`
      : '`' +
        op.segments
          .map((seg) =>
            seg.kind === 'literal'
              ? `/${seg.value}`
              : seg.greedy
                ? `/\${rq.${seg.member}.split('/').map(percentEncode).join('/')}`
                : `/\${percentEncode(${wireString(s.members.find((m) => m.name === seg.member) as Member, `rq.${seg.member}`)})}`
          )
          .join('') +
        '`'
  const query = [
    ...op.queryLiterals.map(([k, v]) => `[${JSON.stringify(k)}, ${JSON.stringify(v)}] as const`),
    ...byModel
      .filter((m) => m.location === 'query')
      .map((m) =>
        alwaysThere(m)
          ? `[${JSON.stringify(m.wireName)}, ${wireString(m, `rq.${m.name}`)}] as const`
          : `...(O.isSome(rq.${m.name}) ? [[${JSON.stringify(m.wireName)}, ${wireString(m, `rq.${m.name}.value`)}] as const] : [])`
      ),
    ...queryMaps.map((m) => `...${prefix}_${m.name}.right`)
  ]
  const body = s.members.filter((m) => m.location === 'body')
  const headerMembers = byModel.filter((m) => m.location === 'header')
  const headerValue = (m: Member, v: string): string => (m.type.kind === 'string' ? v : wireString(m, v))
  // a payload that may be absent: no body and no content-type when it is
  const optionalPayload = payload !== undefined && !alwaysThere(payload)
  const contentType = payload === undefined ? `'application/json'` : payload.type.kind === 'structure' ? `'application/json'` : `'text/plain'`
  const headers = [
    ...headerMembers.filter(alwaysThere).map((m) => `${JSON.stringify(m.wireName)}: ${headerValue(m, `rq.${m.name}`)}`),
    ...((body.length > 0 || payload !== undefined) && !optionalPayload ? [`'content-type': ${contentType}`] : []),
    ...headerMembers
      .filter((m) => !alwaysThere(m))
      .map((m) => `...(O.isSome(rq.${m.name}) ? { ${JSON.stringify(m.wireName)}: ${headerValue(m, `rq.${m.name}.value`)} } : {})`),
    ...headerMaps.map((m) => `...${prefix}_${m.name}.right`),
    ...(optionalPayload ? [`...(O.isSome(rq.${(payload as Member).name}) ? { 'content-type': ${contentType} } : {})`] : [])
  ]
  const headersExpr = `{ ${headers.join(', ')} }`
  // the secrets written into the body travel beside it, wrapped, for the runtime to scrub;
  // a body that holds one (at any depth) is itself `Sensitive`
  const bodySecrets = [...body, ...(payload !== undefined ? [payload] : [])]
    .filter(isSecret)
    .map((m) => (alwaysThere(m) ? `rq.${m.name}` : `...(O.isSome(rq.${m.name}) ? [rq.${m.name}.value] : [])`))
  const secretBody = bodySecrets.length > 0 || [...body, ...(payload !== undefined ? [payload] : [])].some((m) => holdsSecret(m.type, svc))
  const wrapSecret = (json: string): string => (secretBody ? `sensitive(${json})` : json)
  let bodyExpr: string
  if (payload !== undefined) {
    const p = payload
    if (p.type.kind === 'string')
      bodyExpr = alwaysThere(p) ? `rq.${p.name}` : `O.isSome(rq.${p.name}) ? rq.${p.name}.value : undefined`
    else
      bodyExpr = alwaysThere(p)
        ? wrapSecret(`JSON.stringify(${lowerFirst(op.name)}Members.${p.name}.encode(rq.${p.name}))`)
        : `O.isSome(rq.${p.name}) ? ${wrapSecret(`JSON.stringify(${baseCodec(p.type, false)}.encode(rq.${p.name}.value))`)} : undefined`
  } else
    bodyExpr =
      body.length === 0
        ? 'undefined'
        : wrapSecret(
            `JSON.stringify(dropEmpty({ ${body
              .map((m) => {
                const encoded = `${lowerFirst(op.name)}Members.${m.name}.encode(rq.${m.name})`
                // an empty map is left out, as an empty list is
                return `${JSON.stringify(m.wireName)}: ${m.type.kind === 'map' ? `Object.keys(rq.${m.name}).length === 0 ? undefined : ${encoded}` : encoded}`
              })
              .join(', ')} }))`
          )
  const secretsExpr = bodySecrets.length === 0 ? '' : `, secrets: [${bodySecrets.join(', ')}]`
  const lines = [
    `Encodes a \`${op.name}\` as its HTTP request (\`${op.method} ${op.uri}\`), or says which member cannot be sent and why. Values in the query are raw here: the runtime percent-encodes them.`
  ]
  const required = s.members.filter((m) => m.required)
  const example = [
    `import { ${name}, new${s.name} } from 'fp-aws/${svc.annex.module}'`,
    '',
    `const r = ${name}(new${s.name}(${required.map(sampleOf).join(', ')}))`,
    `assert.ok(r._tag === 'Right' && r.right.method === '${op.method}')`
  ]
  const sent = [...body, ...(payload !== undefined ? [payload] : [])]
  const membersConst = `${
    sent.length === 0
      ? ''
      : `/** The codecs of the members sent in the ${payload !== undefined ? 'body (the payload)' : 'JSON body'}. */
const ${lowerFirst(op.name)}Members = { ${sent.map((m) => `${m.name}: ${fieldCodec(m)}`).join(', ')} }
`
  }${hoisted.length === 0 ? '' : `${hoisted.join('\n')}\n`}
`
  return `${membersConst}${doc(lines, { category: 'encoding', since: op.since }, example)}
export const ${name}: (rq: ${s.name}) => E.Either<ValidationError, HttpRequest> = totalEncoder(
  OPERATION,
  (rq: ${s.name}): E.Either<ValidationError, HttpRequest> => {
    ${checks.join('\n    ')}
    return E.right({ method: '${op.method}', path: ${path}, query: [${query.join(', ')}], headers: ${headersExpr}, body: ${bodyExpr}${secretsExpr} })
  }
)`
}

/**
 * The response reader of an operation whose output is not just its JSON body as the record's
 * codec reads it: members bound to headers, the status or the payload, or renamed by
 * `jsonName`. `undefined` when the record's codec reads the body.
 */
const emitParser = (op: Operation): string | undefined => {
  const out = op.output
  const body = out.members.filter((m) => m.location === 'body')
  if (out.members.every((m) => m.location === 'body' && m.wireName === m.name)) return undefined
  const prefix = lowerFirst(op.name)
  const steps: string[] = []
  const fields: string[] = []
  const hoisted: string[] = []
  if (body.length > 0) {
    const renames = body.filter((m) => m.wireName !== m.name)
    hoisted.push(`/** The codec of the members read from the JSON body, under their wire names. */
const ${prefix}ResponseBody = structureCodec('${out.name}', { ${body.map((m) => `${m.name}: ${fieldCodec(m)}`).join(', ')} }${
      renames.length === 0 ? '' : `, { ${renames.map((m) => `${m.name}: ${JSON.stringify(m.wireName)}`).join(', ')} }`
    })`)
    steps.push(`const body = decodeJsonResponse(OPERATION, ${prefix}ResponseBody)(res)`, `if (E.isLeft(body)) return body`)
  }
  for (const m of out.members) {
    const v = `${prefix}_${m.name}`
    switch (m.location) {
      case 'body':
        fields.push(`${m.name}: body.right.${m.name}`)
        break
      case 'header': {
        const read = m.required ? 'readRequiredHeader' : 'readHeader'
        steps.push(`const ${v} = ${read}(OPERATION, ${JSON.stringify(m.wireName)}, ${textCodec(m)})(res)`, `if (E.isLeft(${v})) return ${v}`)
        fields.push(
          `${m.name}: ${m.required || m.default === undefined ? `${v}.right` : `pipe(${v}.right, O.getOrElse((): ${baseType(m.type, false)} => ${JSON.stringify(m.default)}))`}`
        )
        break
      }
      case 'prefixHeaders':
        fields.push(`${m.name}: readPrefixHeaders(${JSON.stringify(m.wireName)})(res)`)
        break
      case 'responseCode':
        fields.push(`${m.name}: res.status`)
        break
      case 'payload': {
        const secret = isSecret(m)
        const read =
          m.type.kind === 'string' ? `decodeTextResponse(OPERATION)(res)` : `decodeJsonResponse(OPERATION, ${baseCodec(m.type, false)})(res)`
        if (alwaysThere(m)) steps.push(`const ${v} = ${secret ? `pipe(${read}, E.map(sensitive))` : read}`)
        else if (m.type.kind === 'string')
          steps.push(`const ${v} = pipe(${read}, E.map((text) => (text === '' ? O.none : O.some(${secret ? 'sensitive(text)' : 'text'}))))`)
        else steps.push(`const ${v} = res.body.length === 0 ? E.right(O.none) : pipe(${read}, E.map(O.some))`)
        steps.push(`if (E.isLeft(${v})) return ${v}`)
        fields.push(`${m.name}: ${v}.right`)
        break
      }
      default:
        throw new Error(`gen: ${out.shapeId}$${m.name}: a response member bound to the ${m.location}`)
    }
  }
  const reads = [
    body.length > 0 ? `the JSON body (${body.filter((m) => m.wireName !== m.name).map((m) => `\`${m.name}\` as \`${m.wireName}\``).join(', ') || 'under the member names'})` : '',
    ...out.members.filter((m) => m.location === 'header').map((m) => `\`${m.name}\` from the \`${m.wireName}\` header`),
    ...out.members.filter((m) => m.location === 'prefixHeaders').map((m) => `\`${m.name}\` from the headers starting with \`${m.wireName}\``),
    ...out.members.filter((m) => m.location === 'responseCode').map((m) => `\`${m.name}\` from the status`),
    ...out.members.filter((m) => m.location === 'payload').map((m) => `\`${m.name}\` from the whole body (${m.type.kind === 'string' ? 'UTF-8 text' : 'JSON'})`)
  ].filter((x) => x !== '')
  const comment = ['/**', ...wrap(`Reads a \`${out.name}\`: ${reads.join(', ')}.`).map((l) => ` * ${l}`), ' */'].join('\n')
  return `${hoisted.join('\n')}${hoisted.length > 0 ? '\n\n' : ''}${comment}
const parse${op.name}Response = (res: HttpResponse): E.Either<SerializeError, ${out.name}> => {
  ${steps.join('\n  ')}
  return E.right({ ${fields.join(', ')} })
}`
}

const emitOperation = (op: Operation, svc: Service, shared: ReadonlyArray<Structure>, paths: Paths): Output => {
  const importFrom = `fp-aws/${svc.annex.module}`
  const since = (n: string): string => svc.since(n, op.since)
  const req = emitStructure(op.input, { svc, since, importFrom, role: 'request', unit: false })
  const res = emitStructure(op.output, { svc, since, importFrom, role: 'response', unit: op.unitOutput })
  const codes = op.errors.map((e) => `'${e.code}'`)
  const errorType = `${op.name}ErrorCode`
  const dict = op.name
  const required = op.input.members.filter((m) => m.required)
  const dictExample = [`import { ${dict} } from '${importFrom}'`, '', `assert.strictEqual(${dict}.operation, '${op.name}')`]
  const parser = op.unitOutput ? undefined : emitParser(op)
  const parse = op.unitOutput
    ? `() => ${lowerFirst(op.name)}Response`
    : parser === undefined
      ? `decodeJsonResponse(OPERATION, ${op.output.name}Codec)`
      : `parse${op.name}Response`
  let pager = ''
  if (op.paginated !== undefined) {
    const p = op.paginated
    const items = op.output.members.find((m) => m.name === p.items) as Member
    const itemType = items.type.kind === 'list' ? baseType(items.type.member, false) : baseType(items.type, false)
    const token = op.output.members.find((m) => m.name === p.outputToken) as Member
    const pagerName = `${lowerFirst(op.name)}Pager`
    pager = `

${doc([`How to page through \`${op.name}\`: \`${p.inputToken}\` in, \`${p.outputToken}\` out, the items in \`${p.items}\`.`], { category: 'pagination', since: svc.since(pagerName, op.since) })}
export const ${pagerName}: AWSPager<${op.input.name}, ${op.output.name}, ${itemType}> = {
  nextToken: (rs) => ${alwaysThere(token) ? `O.some(rs.${p.outputToken})` : `rs.${p.outputToken}`},
  setNextToken: (token) => ${lowerFirst(op.input.name)}_${p.inputToken}.set(O.some(token)),
  items: (rs) => ${isList(items) ? `rs.${p.items}` : `[rs.${p.items}]`}
}

${doc([`\`paginate(${op.name}, ${pagerName})\`: the pages of \`${op.name}\`, lazily.`], { category: 'pagination', since: svc.since(`paginate${op.name}`, op.since) })}
export const paginate${op.name} = paginate(${op.name}, ${pagerName})`
  }
  const code = `${SECRET_INSTANCES}

// -------------------------------------------------------------------------------------
// Creating a Request
// -------------------------------------------------------------------------------------

${req}

// -------------------------------------------------------------------------------------
// Destructuring the Response
// -------------------------------------------------------------------------------------

${res}

// -------------------------------------------------------------------------------------
// Instances
// -------------------------------------------------------------------------------------

const OPERATION = '${op.name}'

${doc([`The error codes the model declares for \`${op.name}\`.`], { category: 'model', since: since(errorType) })}
export type ${errorType} = ${codes.length === 0 ? 'never' : codes.join(' | ')}

const ${lowerFirst(op.name)}Errors: ReadonlyArray<${errorType}> = [${codes.join(', ')}]
${op.unitOutput ? `\nconst ${lowerFirst(op.name)}Response = E.right(new${op.output.name}())\n` : ''}
${emitEncoder(op, svc)}
${parser === undefined ? '' : `\n${parser}\n`}
${doc([`The \`AWSRequest\` dictionary of \`${op.name}\`: \`send(${op.name})\` sends a \`${op.name}\` (${required.length === 0 ? 'no required member' : `required: ${required.map((m) => `\`${m.name}\``).join(', ')}`}).`], { category: 'instances', since: since(dict) }, dictExample)}
export const ${dict}: AWSRequest<${op.input.name}, ${op.output.name}, ${errorType}> = {
  service: ${svc.annex.serviceName},
  operation: OPERATION,
  errorCodes: ${lowerFirst(op.name)}Errors,
  toRequest: encode${op.name},
  parseResponse: ${parse}
}${pager}
`
  const sharedNames = shared.flatMap(structureNames)
  const sharedTypes = shared.flatMap((s) => [s.name, `${s.name}Json`])
  const full = code.replace(SECRET_INSTANCES, usedSecretInstances(code))
  const imports = importsFor(full, paths.core, [
    ['./Service.js', [svc.annex.serviceName], []],
    ['./Types.js', sharedNames, sharedTypes]
  ])
  const text = `${moduleDoc(svc, op.doc, op.since)}
${imports}

${full}`
  return { path: `${paths.dir(svc)}/${op.name}.ts`, text }
}


const usedSecretInstances = (code: string): string =>
  [/\bSecretEq\b/.test(code.replace(SECRET_INSTANCES, '')) ? 'const SecretEq = getEq(S.Eq)' : '', /\bSecretShow\b/.test(code.replace(SECRET_INSTANCES, '')) ? 'const SecretShow = getShow<string>()' : '']
    .filter((l) => l !== '')
    .join('\n')

// -------------------------------------------------------------------------------------
// shared shapes, service, endpoint, index
// -------------------------------------------------------------------------------------

const emitTypes = (svc: Service, paths: Paths): Output => {
  const importFrom = `fp-aws/${svc.annex.module}`
  const since = (n: string): string => svc.since(n)
  const aliases = Object.entries(svc.annex.aliases ?? {}).map(([name, a]) => {
    const s = a.since ?? svc.annex.since
    switch (a.kind) {
      case 'header':
        return `${doc([a.doc], { category: 'validation', since: s })}
export const ${name}: (value: string) => E.Either<string, string> = validateHeaderValue(${JSON.stringify(a.member)})`
      case 'range': {
        const m = svc.operations.flatMap((o) => o.input.members).find((x) => x.name === a.member)
        if (m === undefined || m.range === undefined) throw new Error(`gen: alias ${name}: no ranged member ${a.member}`)
        return `${doc([a.doc], { category: 'validation', since: s })}
export const ${name}: (n: number) => E.Either<string, number> = validateRange(${JSON.stringify(a.member)}, ${m.range.min ?? 'undefined'}, ${m.range.max ?? 'undefined'})`
      }
      case 'core':
        return `${doc([a.doc], { category: a.category, since: s })}
export const ${name} = RJ.${a.name}`
    }
  })
  const draft = [
    SECRET_INSTANCES,
    ...aliases,
    ...svc.shared.map((s) => `// -------------------------------------------------------------------------------------
// ${s.name}
// -------------------------------------------------------------------------------------

${emitStructure(s, { svc, since, importFrom, role: 'shape', unit: false })}`)
  ].join('\n\n')
  const body = draft.replace(SECRET_INSTANCES, usedSecretInstances(draft))
  const defined = new Set(Object.keys(svc.annex.aliases ?? {}))
  const imports = [importsFor(body, paths.core, [], defined), /\bRJ\./.test(body) ? `import * as RJ from '${paths.core}/RestJson.js'` : '']
    .filter((l) => l !== '')
    .join('\n')
  return {
    path: `${paths.dir(svc)}/Types.ts`,
    text: `${moduleDoc(svc, `Shapes shared by the ${svc.annex.abbrev} operations, and the checks their members pass.`, svc.annex.since)}
${imports}

${body}
`
  }
}

const emitService = (svc: Service, paths: Paths): Output => {
  const name = svc.annex.serviceName
  return {
    path: `${paths.dir(svc)}/Service.ts`,
    text: `${moduleDoc(svc, `The ${svc.title} service record (\`${svc.shapeId.split('#')[1]}\`, API version ${svc.version}, restJson1).`, svc.annex.since)}
import type { Service } from '${paths.core}/Service.js'
import { parseRestJsonError } from '${paths.core}/Service.js'
import { resolveEndpoint } from './Endpoint.js'

${doc([svc.annex.serviceDoc], { category: 'service', since: svc.annex.since }, [
  `import { ${name} } from 'fp-aws/${svc.annex.module}'`,
  '',
  `assert.strictEqual(${name}.endpointPrefix, '${svc.endpointPrefix}')`
])}
export const ${name}: Service = {
  abbrev: '${svc.annex.abbrev}',
  serviceId: '${svc.sdkId}',
  endpointPrefix: '${svc.endpointPrefix}',
  signingName: '${svc.signingName}',
  version: '${svc.version}',
  resolveEndpoint,
  parseError: parseRestJsonError
}
`
  }
}

const emitEndpoint = (svc: Service, paths: Paths): Output => ({
  path: `${paths.dir(svc)}/Endpoint.ts`,
  text: `${moduleDoc(svc, `The endpoint rule set of ${svc.title}, from the model, and its resolver.`, svc.annex.since)}
import type { Either } from 'fp-ts/lib/Either.js'
import type { Endpoint, EndpointParams } from '${paths.core}/Endpoint.js'
import type { EndpointError } from '${paths.core}/Error.js'
import { endpointResolver } from '${paths.core}/Rules.js'

${doc([`The model's \`smithy.rules#endpointRuleSet\`, as data.`], { category: 'endpoints', since: svc.since('ruleSet', '0.2.0') })}
export const ruleSet: unknown = ${JSON.stringify(svc.ruleSet)}

const resolver = endpointResolver(ruleSet)

${doc([`Resolves the ${svc.title} endpoint from the region, FIPS, dual-stack and a custom endpoint, by the model's rule set: errors carry the rule set's own messages, and a custom endpoint must be an http(s) URL without query, fragment or user-info.`], { category: 'endpoints', since: svc.annex.since }, [
    `import * as E from 'fp-ts/lib/Either.js'`,
    `import { resolveEndpoint } from 'fp-aws/${svc.annex.module}/Endpoint'`,
    '',
    `assert.deepStrictEqual(resolveEndpoint({ Region: 'eu-west-1' }), E.right({ url: 'https://${svc.endpointPrefix}.eu-west-1.amazonaws.com' }))`,
    `assert.deepStrictEqual(resolveEndpoint({}), E.left({ _tag: 'EndpointError', message: 'Invalid Configuration: Missing Region' }))`
  ])}
export const resolveEndpoint = (params: EndpointParams): Either<EndpointError, Endpoint> => resolver(params)
`
})

/** Whether the service has a shared-shapes module: shared structures, or names only the annex knows. */
const hasTypes = (svc: Service): boolean => svc.shared.length > 0 || Object.keys(svc.annex.aliases ?? {}).length > 0

const emitIndex = (svc: Service, paths: Paths): Output => {
  const mods = ['Endpoint', ...svc.operations.map((o) => o.name), 'Service', ...(hasTypes(svc) ? ['Types'] : [])].sort()
  const skipped =
    svc.skipped.length === 0 ? '' : `\n\nNot generated: ${svc.skipped.map((s) => `\`${s.name}\` (${s.reason})`).join('; ')}.`
  return {
    path: `${paths.dir(svc)}/index.ts`,
    text: `${moduleDoc(svc, `${svc.annex.doc}${skipped}`, svc.annex.since)}
${mods.map((m) => `export * from './${m}.js'`).join('\n')}
`
  }
}

/** Where a service's modules go, and where `core/` is from there. */
export interface Paths {
  /** The folder of a service's modules, relative to the repository root. */
  readonly dir: (svc: Service) => string
  /** `core/` relative to that folder, as an import path. */
  readonly core: string
}

/** `src/services/<module>/`, importing `../../core`. */
export const DEFAULT_PATHS: Paths = { dir: (svc) => `src/services/${svc.annex.module}`, core: '../../core' }

/** Every module of one service. */
export const emitService_ = (svc: Service, paths: Paths = DEFAULT_PATHS): ReadonlyArray<Output> => [
  emitEndpoint(svc, paths),
  emitService(svc, paths),
  ...(hasTypes(svc) ? [emitTypes(svc, paths)] : []),
  ...svc.operations.map((op) => emitOperation(op, svc, svc.shared, paths)),
  emitIndex(svc, paths)
]
