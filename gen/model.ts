/**
 * Reads a Smithy JSON AST (restJson1) and a service's annex into the plain description the
 * emitters work from: operations with their HTTP bindings, structures with their members in
 * record order, the endpoint rule set and its test cases. Fails with a message naming the
 * shape on anything the generator does not support, rather than guessing.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'

// -------------------------------------------------------------------------------------
// The annex: what the model lacks
// -------------------------------------------------------------------------------------

/** One-line docs of a structure and its members. */
export interface ShapeAnnex {
  readonly doc: string
  readonly members?: Readonly<Record<string, string>>
  /** A longer note added to the constructor's doc. */
  readonly constructorDoc?: string
}

/** What the annex says of one operation. */
export interface OperationAnnex {
  /** The module's doc (one paragraph). */
  readonly doc: string
  readonly since?: string
  readonly request: ShapeAnnex
  readonly response: ShapeAnnex
}

/** A named export of the shared-shapes module that only the annex knows of. */
export type AliasAnnex =
  | { readonly kind: 'header'; readonly member: string; readonly doc: string; readonly since?: string }
  | { readonly kind: 'range'; readonly shape: string; readonly member: string; readonly doc: string; readonly since?: string }
  | { readonly kind: 'core'; readonly name: string; readonly doc: string; readonly category: string; readonly since?: string }

/** `gen/annex/<service>.json`. */
export interface Annex {
  /** The folder under `src/services/` and the package subpath. */
  readonly module: string
  /** The name of the exported service record. */
  readonly serviceName: string
  readonly abbrev: string
  readonly since: string
  /** The service module's doc, and the service record's. */
  readonly doc: string
  readonly serviceDoc: string
  /** Names first exported in a later version than `since`. */
  readonly sinceOverrides?: Readonly<Record<string, string>>
  /** Members treated as sensitive beyond the model's `@sensitive`, as `Shape$member` or `member`. */
  readonly sensitive?: ReadonlyArray<string>
  /**
   * A prefix for the names of the generated arbitraries (`fp-aws/arbitrary/<module>`), when
   * `lowerFirst(record name)` would clash with a name of the hand-written `fp-aws/arbitrary`.
   */
  readonly arbitraryPrefix?: string
  /** Renames of generated names that would clash: `from` -> `to`. */
  readonly renames?: Readonly<Record<string, string>>
  readonly operations: Readonly<Record<string, OperationAnnex>>
  readonly shapes: Readonly<Record<string, ShapeAnnex>>
  readonly aliases?: Readonly<Record<string, AliasAnnex>>
}

// -------------------------------------------------------------------------------------
// The description the emitters read
// -------------------------------------------------------------------------------------

/** The type of a member. */
export type Type =
  | { readonly kind: 'string'; readonly enum?: ReadonlyArray<string> }
  | { readonly kind: 'integer'; readonly intEnum?: ReadonlyArray<number> }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'timestamp'; readonly format: TimestampFormat }
  | { readonly kind: 'list'; readonly member: Type }
  | { readonly kind: 'map'; readonly value: Type }
  | { readonly kind: 'structure'; readonly name: string }

/** The wire form of a timestamp: the member's or shape's `timestampFormat`, else its location's default. */
export type TimestampFormat = 'epoch-seconds' | 'date-time' | 'http-date'

/**
 * Where a member goes on the wire: the JSON body, a header, the query string, the path, a
 * map of query parameters (`httpQueryParams`) or of headers (`httpPrefixHeaders`), the whole
 * body (`httpPayload`), or the response status (`httpResponseCode`).
 */
export type Location =
  | 'body'
  | 'header'
  | 'query'
  | 'label'
  | 'greedyLabel'
  | 'queryParams'
  | 'prefixHeaders'
  | 'payload'
  | 'responseCode'

/** One member of a structure, in record order. */
export interface Member {
  readonly name: string
  /**
   * Its name on the wire: the JSON key (`jsonName`), the query key, the header name (lower
   * case), the label, or the header prefix (lower case) of `prefixHeaders`.
   */
  readonly wireName: string
  readonly location: Location
  readonly required: boolean
  /** The modelled `@default` (members with one are never absent). */
  readonly default: string | number | boolean | undefined
  readonly sensitive: boolean
  readonly type: Type
  readonly range: { readonly min?: number; readonly max?: number } | undefined
  readonly doc: string
  /** Its position in the model, which orders the query string and the headers. */
  readonly order: number
}

/** A structure: an operation's request or response, or a shared shape. */
export interface Structure {
  /** The TypeScript name of the record. */
  readonly name: string
  readonly shapeId: string
  readonly doc: string
  readonly constructorDoc: string | undefined
  readonly members: ReadonlyArray<Member>
}

/** One segment of an operation's path. */
export type Segment =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'label'; readonly member: string; readonly greedy: boolean }

/** A modelled error of an operation. */
export interface ErrorShape {
  readonly code: string
  readonly status: number
}

/** One operation, with its HTTP binding. */
export interface Operation {
  readonly name: string
  readonly doc: string
  readonly since: string
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD' | 'PATCH'
  readonly uri: string
  readonly segments: ReadonlyArray<Segment>
  readonly queryLiterals: ReadonlyArray<readonly [string, string]>
  readonly successCode: number
  readonly input: Structure
  /** `undefined` for `smithy.api#Unit`. */
  readonly output: Structure
  readonly unitOutput: boolean
  readonly errors: ReadonlyArray<ErrorShape>
  readonly paginated:
    | { readonly inputToken: string; readonly outputToken: string; readonly items: string; readonly pageSize: string | undefined }
    | undefined
}

/** Everything the emitters need of one service. */
export interface Service {
  readonly modelFile: string
  readonly annexFile: string
  readonly annex: Annex
  readonly shapeId: string
  readonly title: string
  readonly sdkId: string
  readonly endpointPrefix: string
  readonly signingName: string
  readonly version: string
  readonly operations: ReadonlyArray<Operation>
  /** Operations left out, with the reason. */
  readonly skipped: ReadonlyArray<{ readonly name: string; readonly reason: string }>
  /** Structures shared by operations (neither an input, an output nor an error). */
  readonly shared: ReadonlyArray<Structure>
  readonly ruleSet: unknown
  readonly endpointTests: ReadonlyArray<unknown>
  /** The version a name was first exported in (the annex's `since` unless overridden). */
  readonly since: (name: string, fallback?: string) => string
}

// -------------------------------------------------------------------------------------
// Reading
// -------------------------------------------------------------------------------------

interface RawShape {
  readonly type: string
  readonly traits?: Readonly<Record<string, unknown>>
  readonly members?: Readonly<Record<string, { readonly target: string; readonly traits?: Readonly<Record<string, unknown>> }>>
  readonly member?: { readonly target: string; readonly traits?: Readonly<Record<string, unknown>> }
  readonly key?: { readonly target: string }
  readonly value?: { readonly target: string; readonly traits?: Readonly<Record<string, unknown>> }
  readonly input?: { readonly target: string }
  readonly output?: { readonly target: string }
  readonly errors?: ReadonlyArray<{ readonly target: string }>
  readonly operations?: ReadonlyArray<{ readonly target: string }>
  readonly version?: string
}

const fail = (message: string): never => {
  throw new Error(`gen: ${message}`)
}

const localName = (id: string): string => id.slice(id.indexOf('#') + 1)

/** Traits the generator knows; any other trait on a member or operation is an error. */
/** The traits that bind a member to a part of the HTTP message other than the JSON body. */
const BINDING_TRAITS: ReadonlyArray<string> = [
  'smithy.api#httpHeader',
  'smithy.api#httpQuery',
  'smithy.api#httpLabel',
  'smithy.api#httpQueryParams',
  'smithy.api#httpPrefixHeaders',
  'smithy.api#httpPayload',
  'smithy.api#httpResponseCode'
]

const KNOWN_TRAITS = new Set([
  'smithy.api#documentation',
  'smithy.api#required',
  'smithy.api#default',
  'smithy.api#sensitive',
  ...BINDING_TRAITS,
  'smithy.api#timestampFormat',
  'smithy.api#jsonName',
  'smithy.api#length',
  'smithy.api#range',
  'smithy.api#enumValue',
  'smithy.api#input',
  'smithy.api#output',
  'smithy.api#error',
  'smithy.api#httpError',
  'smithy.api#http',
  'smithy.api#auth',
  'smithy.api#optionalAuth',
  'smithy.api#examples',
  'smithy.api#paginated',
  'smithy.api#readonly',
  'smithy.api#idempotent',
  'smithy.api#pattern',
  'smithy.api#suppress',
  'smithy.api#deprecated'
])

/** Reads `models/<file>` and `gen/annex/<module>.json` into a `Service`. */
export const readService = (root: string, modelFile: string, annexFile: string): Service => {
  const model = JSON.parse(fs.readFileSync(path.join(root, modelFile), 'utf8')) as { shapes: Record<string, RawShape> }
  const annex = JSON.parse(fs.readFileSync(path.join(root, annexFile), 'utf8')) as Annex
  const shapes = model.shapes
  const shape = (id: string): RawShape => shapes[id] ?? fail(`${modelFile}: no shape ${id}`)
  const entries = Object.entries(shapes).filter(([, s]) => s.type === 'service')
  if (entries.length !== 1) fail(`${modelFile}: expected one service shape, found ${entries.length}`)
  const [serviceId, svc] = entries[0] as [string, RawShape]
  const traits = svc.traits ?? {}
  if (!('aws.protocols#restJson1' in traits)) fail(`${serviceId}: only restJson1 is supported`)
  const awsService = (traits['aws.api#service'] ?? fail(`${serviceId}: no aws.api#service trait`)) as Record<string, string>
  const sigv4 = (traits['aws.auth#sigv4'] ?? {}) as { name?: string }
  const renames = annex.renames ?? {}
  const rename = (n: string): string => renames[n] ?? n
  const extraSensitive = new Set(annex.sensitive ?? [])
  const sinceOf = (name: string, fallback?: string): string => annex.sinceOverrides?.[name] ?? fallback ?? annex.since

  /** Traits of a list, map, enum or timestamp shape the generator does not read: refused, not ignored. */
  const SHAPE_TRAITS_REFUSED = ['smithy.api#sparse', 'smithy.api#uniqueItems', 'smithy.api#mediaType', 'smithy.api#streaming']

  const timestampFormat = (traits: Readonly<Record<string, unknown>> | undefined, where: string): TimestampFormat | undefined => {
    const f = traits?.['smithy.api#timestampFormat']
    if (f === undefined) return undefined
    if (f === 'epoch-seconds' || f === 'date-time' || f === 'http-date') return f
    return fail(`${where}: timestampFormat ${String(f)} is not supported`)
  }

  /**
   * The type of `target`. `format` is the timestamp format the member (or list member) sets,
   * `locationFormat` its location's default.
   */
  const typeOf = (target: string, where: string, format: TimestampFormat | undefined, locationFormat: TimestampFormat): Type => {
    if (target === 'smithy.api#String') return { kind: 'string' }
    if (target === 'smithy.api#Integer' || target === 'smithy.api#Long') return { kind: 'integer' }
    if (target === 'smithy.api#Boolean') return { kind: 'boolean' }
    if (target === 'smithy.api#Timestamp') return { kind: 'timestamp', format: format ?? locationFormat }
    if (target.startsWith('smithy.api#')) return fail(`${where}: ${target} is not supported yet`)
    const s = shape(target)
    for (const k of SHAPE_TRAITS_REFUSED) if (k in (s.traits ?? {})) fail(`${where}: shape ${target}: trait ${k} is not supported yet`)
    switch (s.type) {
      case 'string':
        return { kind: 'string' }
      case 'enum':
        return { kind: 'string', enum: Object.keys(s.members ?? {}).map((m) => enumValue(s, m)) }
      case 'intEnum':
        return {
          kind: 'integer',
          intEnum: Object.entries(s.members ?? {}).map(([m, d]) => {
            const v = d.traits?.['smithy.api#enumValue']
            return typeof v === 'number' && Number.isSafeInteger(v) ? v : fail(`${target}$${m}: an intEnum value must be an integer`)
          })
        }
      case 'integer':
      case 'long':
        return { kind: 'integer' }
      case 'boolean':
        return { kind: 'boolean' }
      case 'timestamp':
        return { kind: 'timestamp', format: format ?? timestampFormat(s.traits, target) ?? locationFormat }
      case 'list': {
        const member = s.member ?? fail(`${target}: list without member`)
        return { kind: 'list', member: typeOf(member.target, where, timestampFormat(member.traits, `${target}$member`), locationFormat) }
      }
      case 'map': {
        const key = (s.key ?? fail(`${target}: map without key`)).target
        const keyType = typeOf(key, `${target}$key`, undefined, locationFormat)
        if (keyType.kind !== 'string') fail(`${where}: map ${target} must have string keys`)
        const value = s.value ?? fail(`${target}: map without value`)
        const valueType = typeOf(value.target, where, timestampFormat(value.traits, `${target}$value`), locationFormat)
        if (valueType.kind === 'map') fail(`${where}: map ${target} of maps is not supported yet`)
        if (valueType.kind === 'string' && !value.target.startsWith('smithy.api#') && 'smithy.api#sensitive' in (shape(value.target).traits ?? {}))
          fail(`${where}: map ${target} of sensitive strings is not supported yet`)
        return { kind: 'map', value: valueType }
      }
      case 'structure':
        return { kind: 'structure', name: rename(localName(target)) }
      default:
        return fail(`${where}: shape ${target} of type ${s.type} is not supported yet`)
    }
  }

  const enumValue = (s: RawShape, m: string): string => {
    const v = s.members?.[m]?.traits?.['smithy.api#enumValue']
    return typeof v === 'string' ? v : m
  }

  const structure = (id: string, name: string, docs: ShapeAnnex | undefined, role: 'input' | 'output' | 'shared'): Structure => {
    const s = shape(id)
    if (s.type !== 'structure') fail(`${id}: expected a structure`)
    if (docs === undefined) return fail(`${annexFile}: no docs for ${name} (${id})`)
    const members: Member[] = []
    for (const [order, [m, def]] of Object.entries(s.members ?? {}).entries()) {
      const mt = def.traits ?? {}
      for (const k of Object.keys(mt)) if (!KNOWN_TRAITS.has(k)) fail(`${id}$${m}: trait ${k} is not supported yet`)
      const targetTraits = def.target.startsWith('smithy.api#') ? {} : (shape(def.target).traits ?? {})
      const bindings = BINDING_TRAITS.filter((k) => k in mt)
      if (bindings.length > 1) fail(`${id}$${m}: more than one HTTP binding (${bindings.join(', ')})`)
      let location: Location = 'body'
      let wireName = typeof mt['smithy.api#jsonName'] === 'string' ? (mt['smithy.api#jsonName'] as string) : m
      if (typeof mt['smithy.api#httpHeader'] === 'string') {
        location = 'header'
        wireName = (mt['smithy.api#httpHeader'] as string).toLowerCase()
      } else if (typeof mt['smithy.api#httpQuery'] === 'string') {
        location = 'query'
        wireName = mt['smithy.api#httpQuery'] as string
      } else if ('smithy.api#httpLabel' in mt) {
        location = 'label'
        wireName = m
      } else if ('smithy.api#httpQueryParams' in mt) {
        location = 'queryParams'
        wireName = m
      } else if (typeof mt['smithy.api#httpPrefixHeaders'] === 'string') {
        location = 'prefixHeaders'
        wireName = (mt['smithy.api#httpPrefixHeaders'] as string).toLowerCase()
      } else if ('smithy.api#httpPayload' in mt) {
        location = 'payload'
        wireName = m
      } else if ('smithy.api#httpResponseCode' in mt) {
        location = 'responseCode'
        wireName = m
      }
      if (role === 'shared' && location !== 'body') fail(`${id}$${m}: HTTP bindings inside a nested structure are not supported`)
      if (role === 'output' && (location === 'query' || location === 'label' || location === 'queryParams'))
        fail(`${id}$${m}: a response member cannot be bound to the query string or the path`)
      if (role === 'input' && location === 'responseCode') fail(`${id}$${m}: httpResponseCode on a request member`)
      const locationFormat: TimestampFormat =
        location === 'header' ? 'http-date' : location === 'query' || location === 'label' ? 'date-time' : 'epoch-seconds'
      const type = typeOf(def.target, `${id}$${m}`, timestampFormat(mt, `${id}$${m}`), locationFormat)
      const scalar = type.kind === 'string' || type.kind === 'integer' || type.kind === 'boolean' || type.kind === 'timestamp'
      if ((location === 'header' || location === 'query' || location === 'label') && !scalar)
        fail(`${id}$${m}: only scalars can be bound to the header, query or path (lists there are not supported yet)`)
      if (location === 'queryParams' && !(type.kind === 'map' && (type.value.kind === 'string' || (type.value.kind === 'list' && type.value.member.kind === 'string'))))
        fail(`${id}$${m}: httpQueryParams must bind a map of strings or of lists of strings`)
      if (location === 'prefixHeaders' && !(type.kind === 'map' && type.value.kind === 'string'))
        fail(`${id}$${m}: httpPrefixHeaders must bind a map of strings`)
      if (location === 'payload' && type.kind !== 'structure' && type.kind !== 'string')
        fail(`${id}$${m}: httpPayload of a ${type.kind} is not supported yet (only a structure or a string)`)
      if (location === 'responseCode' && type.kind !== 'integer') fail(`${id}$${m}: httpResponseCode must bind an integer`)
      const rawDefault = 'smithy.api#default' in mt ? mt['smithy.api#default'] : targetTraits['smithy.api#default']
      if (rawDefault !== null && rawDefault !== undefined && (type.kind === 'timestamp' || type.kind === 'structure'))
        fail(`${id}$${m}: a default on a ${type.kind} is not supported yet`)
      // a list or map with a default (`[]`, `{}`) is always there anyway
      const dflt =
        rawDefault === null || rawDefault === undefined || type.kind === 'list' || type.kind === 'map'
          ? undefined
          : (rawDefault as string | number | boolean)
      const range = (mt['smithy.api#range'] ?? targetTraits['smithy.api#range']) as { min?: number; max?: number } | undefined
      const doc = docs.members?.[m] ?? fail(`${annexFile}: no doc for member ${m} of ${name}`)
      members.push({
        name: m,
        wireName,
        location,
        required: 'smithy.api#required' in mt,
        default: dflt,
        sensitive:
          'smithy.api#sensitive' in targetTraits ||
          'smithy.api#sensitive' in mt ||
          extraSensitive.has(m) ||
          extraSensitive.has(`${localName(id)}$${m}`),
        type,
        range,
        doc,
        order
      })
    }
    const payload = members.filter((x) => x.location === 'payload')
    if (payload.length > 1) fail(`${id}: more than one httpPayload member`)
    if (payload.length === 1 && members.some((x) => x.location === 'body'))
      fail(`${id}$${(payload[0] as Member).name}: an httpPayload member leaves no member to the JSON body, but ${members.filter((x) => x.location === 'body').map((x) => x.name).join(', ')} are there`)
    const bodyKeys = members.filter((x) => x.location === 'body').map((x) => x.wireName)
    for (const k of bodyKeys) if (bodyKeys.indexOf(k) !== bodyKeys.lastIndexOf(k)) fail(`${id}: two body members are named ${k} on the wire`)
    for (const loc of ['responseCode', 'queryParams'] as const)
      if (members.filter((x) => x.location === loc).length > 1) fail(`${id}: more than one member bound to the ${loc}`)
    for (const p of members.filter((x) => x.location === 'prefixHeaders'))
      for (const h of members.filter((x) => x.location === 'header'))
        if (h.wireName.startsWith(p.wireName))
          fail(`${id}$${h.name}: header ${h.wireName} starts with the prefix ${JSON.stringify(p.wireName)} of ${p.name}`)
    for (const k of Object.keys(docs.members ?? {}))
      if (!members.some((m) => m.name === k)) fail(`${annexFile}: ${name} has no member ${k}`)
    // record order: required members first (model order), then the others (model order)
    const ordered = [...members.filter((m) => m.required), ...members.filter((m) => !m.required)]
    return { name, shapeId: id, doc: docs.doc, constructorDoc: docs.constructorDoc, members: ordered }
  }

  const operations: Operation[] = []
  const skipped: Array<{ name: string; reason: string }> = []
  const ioShapes = new Set<string>()
  const errorShapes = new Set<string>()
  const servicePaginated = (traits['smithy.api#paginated'] ?? {}) as Record<string, string>
  for (const { target } of [...(svc.operations ?? [])].sort((a, b) => localName(a.target).localeCompare(localName(b.target)))) {
    const op = shape(target)
    const name = rename(localName(target))
    const ot = op.traits ?? {}
    for (const k of Object.keys(ot)) if (!KNOWN_TRAITS.has(k)) fail(`${target}: trait ${k} is not supported yet`)
    if (op.input) ioShapes.add(op.input.target)
    if (op.output) ioShapes.add(op.output.target)
    for (const e of op.errors ?? []) errorShapes.add(e.target)
    const auth = ot['smithy.api#auth'] as ReadonlyArray<string> | undefined
    if (!(Array.isArray(auth) && auth.length === 0)) {
      skipped.push({ name, reason: 'it must be signed with SigV4, which the runtime cannot do yet (only `smithy.api#auth: []` operations are generated)' })
      continue
    }
    const docs = annex.operations[name] ?? fail(`${annexFile}: no entry for operation ${name}`)
    const http = (ot['smithy.api#http'] ?? fail(`${target}: no http trait`)) as { method: Operation['method']; uri: string; code?: number }
    const [rawPath, rawQuery] = http.uri.split('?', 2) as [string, string | undefined]
    const input = structure((op.input ?? fail(`${target}: no input`)).target, name, docs.request, 'input')
    const segments: Segment[] = rawPath
      .split('/')
      .slice(1)
      .map((seg) => {
        const label = /^\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}$/.exec(seg)
        if (label === null) {
          if (seg.includes('{')) fail(`${target}: path segment ${seg} mixes a label and text`)
          return { kind: 'literal', value: seg }
        }
        const member = input.members.find((m) => m.name === label[1] && m.location === 'label')
        if (member === undefined) fail(`${target}: label ${label[1]} has no httpLabel member`)
        return { kind: 'label', member: label[1] as string, greedy: label[2] === '+' }
      })
    const greedy = new Set(segments.flatMap((s) => (s.kind === 'label' && s.greedy ? [s.member] : [])))
    const inputFinal: Structure = {
      ...input,
      members: input.members.map((m) => (greedy.has(m.name) ? { ...m, location: 'greedyLabel' as const } : m))
    }
    for (const m of inputFinal.members)
      if ((m.location === 'label' || m.location === 'greedyLabel') && !m.required) fail(`${target}: label ${m.name} must be required`)
    for (const m of inputFinal.members)
      if (m.location === 'greedyLabel' && m.type.kind !== 'string') fail(`${target}: greedy label ${m.name} must be a string`)
    const queryLiterals = (rawQuery ?? '')
      .split('&')
      .filter((kv) => kv !== '')
      .map((kv) => {
        const [k, v] = kv.split('=', 2) as [string, string | undefined]
        return [decodeURIComponent(k), decodeURIComponent(v ?? '')] as const
      })
    const unitOutput = op.output === undefined || op.output.target === 'smithy.api#Unit'
    const output: Structure = unitOutput
      ? { name: `${name}Response`, shapeId: 'smithy.api#Unit', doc: docs.response.doc, constructorDoc: docs.response.constructorDoc, members: [] }
      : structure((op.output as { target: string }).target, `${name}Response`, docs.response, 'output')
    const errors = (op.errors ?? []).map((e) => {
      const es = shape(e.target)
      const status = es.traits?.['smithy.api#httpError']
      const fault = es.traits?.['smithy.api#error']
      return { code: localName(e.target), status: typeof status === 'number' ? status : fault === 'server' ? 500 : 400 }
    })
    const pg = ot['smithy.api#paginated'] as Record<string, string> | undefined
    const paginated =
      pg === undefined
        ? undefined
        : {
            inputToken: pg['inputToken'] ?? servicePaginated['inputToken'] ?? fail(`${target}: paginated without inputToken`),
            outputToken: pg['outputToken'] ?? servicePaginated['outputToken'] ?? fail(`${target}: paginated without outputToken`),
            items: pg['items'] ?? servicePaginated['items'] ?? fail(`${target}: paginated without items`),
            pageSize: pg['pageSize'] ?? servicePaginated['pageSize']
          }
    if (paginated !== undefined) {
      for (const [k, v] of [['inputToken', paginated.inputToken], ['pageSize', paginated.pageSize]] as const)
        if (v !== undefined && !inputFinal.members.some((m) => m.name === v)) fail(`${target}: paginated ${k} ${v} is not an input member`)
      for (const [k, v] of [['outputToken', paginated.outputToken], ['items', paginated.items]] as const)
        if (!output.members.some((m) => m.name === v)) fail(`${target}: paginated ${k} ${v} is not an output member (nested paths are not supported yet)`)
    }
    operations.push({
      name,
      doc: docs.doc,
      since: docs.since ?? annex.since,
      method: http.method,
      uri: http.uri,
      segments,
      queryLiterals,
      successCode: http.code ?? 200,
      input: inputFinal,
      output,
      unitOutput,
      errors,
      paginated
    })
  }
  for (const k of Object.keys(annex.operations))
    if (!operations.some((o) => o.name === k)) fail(`${annexFile}: operation ${k} is not generated`)

  // shared structures: reachable from the generated operations, neither input, output nor error
  const shared: Structure[] = []
  const seen = new Set<string>()
  const visit = (t: Type): void => {
    if (t.kind === 'list') return visit(t.member)
    if (t.kind === 'map') return visit(t.value)
    if (t.kind !== 'structure' || seen.has(t.name)) return
    seen.add(t.name)
    const id = Object.keys(shapes).find((k) => rename(localName(k)) === t.name && shapes[k]?.type === 'structure')
    if (id === undefined || ioShapes.has(id) || errorShapes.has(id)) return fail(`shape ${t.name} cannot be shared`)
    const s = structure(id, t.name, annex.shapes[t.name], 'shared')
    shared.push(s)
    for (const m of s.members) visit(m.type)
  }
  for (const op of operations) for (const m of [...op.input.members, ...op.output.members]) visit(m.type)
  for (const k of Object.keys(annex.shapes)) if (!seen.has(k)) fail(`${annexFile}: shape ${k} is not generated`)

  return {
    modelFile,
    annexFile,
    annex,
    shapeId: serviceId,
    title: String(traits['smithy.api#title'] ?? awsService['sdkId']),
    sdkId: awsService['sdkId'] ?? fail(`${serviceId}: no sdkId`),
    endpointPrefix: awsService['endpointPrefix'] ?? fail(`${serviceId}: no endpointPrefix`),
    signingName: sigv4.name ?? awsService['arnNamespace'] ?? fail(`${serviceId}: no signing name`),
    version: svc.version ?? fail(`${serviceId}: no version`),
    operations,
    skipped,
    shared,
    ruleSet: traits['smithy.rules#endpointRuleSet'] ?? fail(`${serviceId}: no endpoint rule set`),
    endpointTests: ((traits['smithy.rules#endpointTests'] ?? { testCases: [] }) as { testCases: unknown[] }).testCases,
    since: sinceOf
  }
}
