/**
 * A Smithy endpoint rules engine, service-agnostic: evaluates a `smithy.rules#endpointRuleSet`
 * (version 1.0) over endpoint parameters, with the standard library functions (`isSet`,
 * `not`, `booleanEquals`, `stringEquals`, `getAttr`, `substring`, `uriEncode`, `parseURL`,
 * `isValidHostLabel`) and `aws.partition` (over the partitions of `core/Endpoint`).
 *
 * It interprets the rule set as it is found in a model (a generator may later compile rule
 * sets to code instead); it never throws: a rule set or parameters it cannot evaluate, an
 * `error` rule and a rule set where no rule matches are all an `EndpointError`.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { isPlainObject } from './Args.js'
import {
  isValidHostLabel as isHostLabel,
  partition,
  validateCustomEndpoint,
  type Endpoint,
  type EndpointParams
} from './Endpoint.js'
import { endpointError, type EndpointError } from './Error.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A value of the rules language: a string, a boolean, an integer, an array or a record.
 *
 * @category model
 * @since 0.2.0
 */
export type RuleValue = string | boolean | number | ReadonlyArray<RuleValue> | { readonly [key: string]: RuleValue }

/**
 * The value of one endpoint parameter: a `string`, a `boolean` or a `stringArray`; `undefined`
 * is unset.
 *
 * @category model
 * @since 0.2.0
 */
export type RuleParamValue = string | boolean | ReadonlyArray<string> | undefined

/**
 * Endpoint parameters by name, as the rule set's `parameters` declare them.
 *
 * @category model
 * @since 0.2.0
 */
export type RuleParams = Readonly<Record<string, RuleParamValue>>

/**
 * An endpoint resolved by a rule set: the `url` of `core/Endpoint`'s `Endpoint`, with the
 * rule's `headers` and `properties` (for example `authSchemes`) when it has any.
 *
 * @category model
 * @since 0.2.0
 */
export interface RuleEndpoint extends Endpoint {
  readonly headers?: Readonly<Record<string, ReadonlyArray<string>>>
  readonly properties?: Readonly<Record<string, RuleValue>>
}

/**
 * The outputs of `parseURL`.
 *
 * @category model
 * @since 0.2.0
 */
export interface ParsedUrl {
  /** `http` or `https`. */
  readonly scheme: string
  /** The host and the port as written, e.g. `example.com:8443` or `[fe80::1]`. */
  readonly authority: string
  /** The path as written, `''` when there is none. */
  readonly path: string
  /** The path with a trailing `/`. */
  readonly normalizedPath: string
  /** Whether the host is an IPv4 or a (bracketed) IPv6 address. */
  readonly isIp: boolean
}

// -------------------------------------------------------------------------------------
// library functions
// -------------------------------------------------------------------------------------

/**
 * The Smithy `substring`: the characters `[start, stop)` of an ASCII string, counted from its
 * end when `reverse` is set; `None` for a non-ASCII input, `start >= stop` or `stop` past the
 * end.
 *
 * @example
 * import { substring } from 'fp-aws/core/Rules'
 * import * as O from 'fp-ts/lib/Option.js'
 *
 * assert.deepStrictEqual(substring('abcdefg', 0, 4, false), O.some('abcd'))
 * assert.deepStrictEqual(substring('abcdefg', 0, 4, true), O.some('defg'))
 * assert.deepStrictEqual(substring('abc', 0, 4, false), O.none)
 *
 * @category library
 * @since 0.2.0
 */
export const substring = (input: string, start: number, stop: number, reverse: boolean): O.Option<string> => {
  if (typeof input !== 'string') return O.none
  // eslint-disable-next-line no-control-regex
  if (!/^[\x00-\x7f]*$/.test(input) || !Number.isInteger(start) || !Number.isInteger(stop)) return O.none
  if (start < 0 || start >= stop || stop > input.length) return O.none
  return O.some(reverse ? input.slice(input.length - stop, input.length - start) : input.slice(start, stop))
}

/**
 * The Smithy `uriEncode`: percent-encodes (RFC 3986, upper-case hex, UTF-8) every character
 * but the unreserved `A-Z a-z 0-9 - _ . ~`.
 *
 * @example
 * import { uriEncode } from 'fp-aws/core/Rules'
 *
 * assert.strictEqual(uriEncode("a/b c!*'()"), 'a%2Fb%20c%21%2A%27%28%29')
 *
 * @category library
 * @since 0.2.0
 */
export const uriEncode = (input: string): string =>
  typeof input !== 'string'
    ? ''
    : encodeURIComponent(input).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

/** A dotted-quad IPv4 address, each part 0–255 without a leading zero (as `node:net`'s `isIPv4`). */
const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/

const isIPv4 = (s: string): boolean => IPV4.test(s)

/** An IPv6 address, as the WHATWG URL parser reads one between brackets (no Node built-in, for browsers). */
const isIPv6 = (s: string): boolean => /^[0-9A-Fa-f:.]+$/.test(s) && s.includes(':') && URL.canParse(`http://[${s}]/`)

/**
 * The Smithy `parseURL`: an `http` or `https` URL split into scheme, authority and path;
 * `None` for anything else, and for a URL with a query (or a fragment, or user-info).
 *
 * @example
 * import { parseURL } from 'fp-aws/core/Rules'
 * import * as O from 'fp-ts/lib/Option.js'
 *
 * assert.deepStrictEqual(
 *   parseURL('http://127.0.0.1:8080/a/b'),
 *   O.some({ scheme: 'http', authority: '127.0.0.1:8080', path: '/a/b', normalizedPath: '/a/b/', isIp: true })
 * )
 * assert.deepStrictEqual(parseURL('https://example.com?x=1'), O.none)
 *
 * @category library
 * @since 0.2.0
 */
export const parseURL = (input: string): O.Option<ParsedUrl> => {
  if (typeof input !== 'string') return O.none
  const m = /^(https?):\/\/([^/?#@\s]+)(\/[^?#\s]*)?$/i.exec(input)
  if (m === null || !URL.canParse(input)) return O.none
  const scheme = (m[1] ?? '').toLowerCase()
  const authority = m[2] ?? ''
  const path = m[3] ?? ''
  const host = /^\[(.*)\](?::\d*)?$/.exec(authority)?.[1]
  const isIp = host !== undefined ? isIPv6(host) : isIPv4(authority.replace(/:\d*$/, ''))
  return O.some({ scheme, authority, path, normalizedPath: path.endsWith('/') ? path : `${path}/`, isIp })
}

/**
 * The Smithy `isValidHostLabel`: whether a string is one RFC 1123 host label (1 to 63 ASCII
 * letters, digits and hyphens, not starting or ending with a hyphen), or, with
 * `allowSubDomains`, labels joined by dots.
 *
 * @example
 * import { isValidHostLabel } from 'fp-aws/core/Rules'
 *
 * assert.strictEqual(isValidHostLabel('a.b', false), false)
 * assert.strictEqual(isValidHostLabel('a.b', true), true)
 * assert.strictEqual(isValidHostLabel('a..b', true), false)
 *
 * @category library
 * @since 0.2.0
 */
export const isValidHostLabel = (input: string, allowSubDomains: boolean): boolean =>
  typeof input === 'string' && (allowSubDomains === true ? input.split('.').every(isHostLabel) : isHostLabel(input))

/**
 * The Smithy `getAttr`: the value at a path of dot-separated names with optional `[index]`
 * suffixes (`a.b[0]`) in a record; `None` when the path leads nowhere.
 *
 * @example
 * import { getAttr } from 'fp-aws/core/Rules'
 * import * as O from 'fp-ts/lib/Option.js'
 *
 * assert.deepStrictEqual(getAttr({ a: { b: ['x', 'y'] } }, 'a.b[1]'), O.some('y'))
 * assert.deepStrictEqual(getAttr({ a: { b: ['x', 'y'] } }, 'a.b[2]'), O.none)
 *
 * @category library
 * @since 0.2.0
 */
export const getAttr = (value: RuleValue, path: string): O.Option<RuleValue> => {
  if (typeof path !== 'string') return O.none
  let v: RuleValue | undefined = value
  try {
    for (const part of path.split('.')) {
      const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part)
      if (m === null) return O.none
      const name = m[1] ?? ''
      if (name !== '') v = isRecord(v) && Object.hasOwn(v, name) ? v[name] : undefined
      for (const index of (m[2] ?? '').match(/\d+/g) ?? []) v = Array.isArray(v) ? v[Number(index)] : undefined
      if (v === undefined) return O.none
    }
  } catch {
    // a value that cannot be read (a caller's getter that throws): the path leads nowhere
    return O.none
  }
  return O.fromNullable(v)
}

/**
 * The AWS `aws.partition`: the partition record of a region (`name`, `dnsSuffix`,
 * `dualStackDnsSuffix`, `supportsFIPS`, `supportsDualStack`, `implicitGlobalRegion`), from
 * the partitions of `core/Endpoint`.
 *
 * @example
 * import { awsPartition } from 'fp-aws/core/Rules'
 *
 * assert.strictEqual(awsPartition('cn-north-1').dualStackDnsSuffix, 'api.amazonwebservices.com.cn')
 *
 * @category library
 * @since 0.2.0
 */
export const awsPartition = (region: string): { readonly [key: string]: RuleValue } => {
  // not a string: no region's partition, so the default one, as for an unknown region
  const p = partition(typeof region === 'string' ? region : '')
  return {
    name: p.name,
    dnsSuffix: p.dnsSuffix,
    dualStackDnsSuffix: p.dualStackDnsSuffix,
    supportsFIPS: p.supportsFIPS,
    supportsDualStack: p.supportsDualStack,
    implicitGlobalRegion: p.implicitGlobalRegion
  }
}

// -------------------------------------------------------------------------------------
// interpreter
// -------------------------------------------------------------------------------------

/** Why evaluation stopped: a bad rule set or parameters, or an `error` rule. Caught in `evaluate`. */
class Stop {
  constructor(readonly message: string) {}
}

const invalid = (what: string): never => {
  throw new Stop(`Invalid rule set: ${what}`)
}

type Scope = Readonly<Record<string, RuleValue>>

const isRecord = (u: unknown): u is { readonly [key: string]: RuleValue } => isPlainObject(u)

const str = (u: unknown, what: string): string => (typeof u === 'string' ? u : invalid(`${what} is not a string`))
const bool = (u: unknown, what: string): boolean => (typeof u === 'boolean' ? u : invalid(`${what} is not a boolean`))
const int = (u: unknown, what: string): number =>
  Number.isInteger(u) ? (u as number) : invalid(`${what} is not an integer`)
const arr = (u: unknown, what: string): ReadonlyArray<unknown> =>
  Array.isArray(u) ? u : invalid(`${what} is not an array`)
const rec = (u: unknown, what: string): Readonly<Record<string, unknown>> =>
  isRecord(u) ? u : invalid(`${what} is not an object`)

/** Reads `{Name}` / `{Name#path}` placeholders (`{{` and `}}` are literal braces). */
const template = (t: string, scope: Scope): string =>
  t.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (whole, inner: string | undefined) => {
    if (inner === undefined) return whole[0] ?? ''
    const [name = '', path] = inner.split('#', 2)
    const v = Object.hasOwn(scope, name) ? scope[name] : invalid(`the template reference {${name}} is unset`)
    const w = path === undefined ? v : O.toUndefined(getAttr(v as RuleValue, path))
    return typeof w === 'string' ? w : invalid(`the template reference {${inner}} is not a string`)
  })

type Fn = (args: ReadonlyArray<RuleValue | undefined>) => RuleValue | undefined

const fns: Readonly<Record<string, Fn>> = {
  isSet: ([a]) => a !== undefined,
  not: ([a]) => (a === undefined ? undefined : !bool(a, 'the argument of not')),
  booleanEquals: ([a, b]) =>
    a === undefined || b === undefined ? undefined : bool(a, 'booleanEquals') === bool(b, 'booleanEquals'),
  stringEquals: ([a, b]) =>
    a === undefined || b === undefined ? undefined : str(a, 'stringEquals') === str(b, 'stringEquals'),
  getAttr: ([a, p]) => (a === undefined ? undefined : O.toUndefined(getAttr(a, str(p, 'the path of getAttr')))),
  substring: ([s, start, stop, rev]) =>
    s === undefined
      ? undefined
      : O.toUndefined(
          substring(str(s, 'substring'), int(start, 'substring'), int(stop, 'substring'), bool(rev, 'substring'))
        ),
  uriEncode: ([s]) => (s === undefined ? undefined : uriEncode(str(s, 'uriEncode'))),
  parseURL: ([s]) =>
    s === undefined ? undefined : (O.toUndefined(parseURL(str(s, 'parseURL'))) as RuleValue | undefined),
  isValidHostLabel: ([s, sub]) =>
    s === undefined ? undefined : isValidHostLabel(str(s, 'isValidHostLabel'), bool(sub, 'isValidHostLabel')),
  'aws.partition': ([r]) => (r === undefined ? undefined : awsPartition(str(r, 'aws.partition')))
}

/** An expression: a literal (strings are templates), a `{ ref }` or a `{ fn, argv }`. */
const expr = (e: unknown, scope: Scope): RuleValue | undefined => {
  if (typeof e === 'string') return template(e, scope)
  if (typeof e === 'boolean' || typeof e === 'number') return e
  if (Array.isArray(e)) return e.map((x) => expr(x, scope) ?? invalid('an array element is unset'))
  const o = rec(e, 'an expression')
  if ('ref' in o) {
    const name = str(o['ref'], 'a reference')
    return Object.hasOwn(scope, name) ? scope[name] : undefined
  }
  if ('fn' in o) {
    const name = str(o['fn'], 'a function name')
    const fn = Object.hasOwn(fns, name) ? fns[name] : invalid(`unknown function ${name}`)
    return (fn as Fn)(arr(o['argv'], `the argv of ${name}`).map((a) => expr(a, scope)))
  }
  return Object.fromEntries(
    Object.entries(o).map(([k, v]) => [k, expr(v, scope) ?? invalid(`the property ${k} is unset`)])
  )
}

/** The conditions of a rule, in order: the scope they extend, or `undefined` when one fails. */
const conditions = (cs: unknown, scope: Scope): Scope | undefined => {
  let s = scope
  for (const c of arr(cs ?? [], 'conditions')) {
    const v = expr(rec(c, 'a condition'), s)
    if (v === undefined || v === false) return undefined
    const assign = (c as Record<string, unknown>)['assign']
    if (assign !== undefined) {
      const name = str(assign, 'an assign')
      if (Object.hasOwn(s, name)) invalid(`${name} is assigned twice`)
      s = { ...s, [name]: v }
    }
  }
  return s
}

const endpoint = (e: unknown, scope: Scope): RuleEndpoint => {
  const o = rec(e, 'an endpoint')
  const url = str(expr(o['url'], scope), 'the endpoint url')
  const headers = Object.entries(rec(o['headers'] ?? {}, 'the headers')).map(
    ([k, vs]) => [k, arr(vs, `the header ${k}`).map((v) => str(expr(v, scope), `the header ${k}`))] as const
  )
  const properties = Object.entries(rec(o['properties'] ?? {}, 'the properties')).map(
    ([k, v]) => [k, expr(v, scope) ?? invalid(`the property ${k} is unset`)] as const
  )
  return {
    url,
    ...(headers.length > 0 ? { headers: Object.fromEntries(headers) } : {}),
    ...(properties.length > 0 ? { properties: Object.fromEntries(properties) } : {})
  }
}

/** The first rule that matches: its endpoint, `Stop` for its error, `undefined` when none matches. */
const rules = (rs: unknown, scope: Scope): RuleEndpoint | undefined => {
  for (const r of arr(rs, 'rules')) {
    const rule = rec(r, 'a rule')
    const s = conditions(rule['conditions'], scope)
    if (s === undefined) continue
    switch (rule['type']) {
      case 'endpoint':
        return endpoint(rule['endpoint'], s)
      case 'error':
        throw new Stop(str(expr(rule['error'], s), 'an error message'))
      case 'tree': {
        // a tree whose conditions hold is the last word: none of its rules matching is an error
        const found = rules(rule['rules'], s)
        return found ?? invalid('no rule of a matching tree rule matched')
      }
      default:
        return invalid(`unknown rule type ${String(rule['type'])}`)
    }
  }
  return undefined
}

const paramType = (t: unknown, name: string): 'string' | 'boolean' | 'stringarray' => {
  const lower = str(t, `the type of ${name}`).toLowerCase()
  return lower === 'string' || lower === 'boolean' || lower === 'stringarray'
    ? lower
    : invalid(`${name} has type ${lower}`)
}

const hasType = (v: unknown, t: 'string' | 'boolean' | 'stringarray'): boolean =>
  t === 'stringarray' ? Array.isArray(v) && v.every((x) => typeof x === 'string') : typeof v === t

/** The parameters' scope: the given values, checked against their declared types, then the defaults. */
const bind = (declared: unknown, params: RuleParams): Scope => {
  const scope: Record<string, RuleValue> = Object.create(null)
  for (const [name, d] of Object.entries(rec(declared, 'parameters'))) {
    const p = rec(d, `the parameter ${name}`)
    const t = paramType(p['type'], name)
    const given = Object.hasOwn(params, name) ? params[name] : undefined
    if (given !== undefined && !hasType(given, t)) throw new Stop(`Invalid Configuration: ${name} must be a ${t}`)
    const v = given ?? p['default']
    if (v !== undefined && !hasType(v, t)) invalid(`the default of ${name} is not a ${t}`)
    if (v === undefined && p['required'] === true) throw new Stop(`Invalid Configuration: ${name} is required`)
    if (v !== undefined) scope[name] = v as RuleValue
  }
  return scope
}

/**
 * Evaluates an endpoint rule set (the value of a service's `smithy.rules#endpointRuleSet`
 * trait, as parsed from the model's JSON) over endpoint parameters: the endpoint of the first
 * rule that matches, or an `EndpointError` carrying the message of the `error` rule that
 * matched, of a missing `required` parameter or of a parameter of the wrong type, or
 * `Invalid rule set: …` for a rule set that cannot be evaluated.
 *
 * @example
 * import { evaluate } from 'fp-aws/core/Rules'
 * import * as E from 'fp-ts/lib/Either.js'
 *
 * const ruleSet = {
 *   version: '1.0',
 *   parameters: { Region: { type: 'String', required: true } },
 *   rules: [
 *     {
 *       conditions: [{ fn: 'aws.partition', argv: [{ ref: 'Region' }], assign: 'P' }],
 *       type: 'endpoint',
 *       endpoint: { url: 'https://example.{Region}.{P#dnsSuffix}' }
 *     }
 *   ]
 * }
 * assert.deepStrictEqual(
 *   evaluate(ruleSet, { Region: 'cn-north-1' }),
 *   E.right({ url: 'https://example.cn-north-1.amazonaws.com.cn' })
 * )
 * assert.deepStrictEqual(
 *   evaluate(ruleSet, {}),
 *   E.left({ _tag: 'EndpointError', message: 'Invalid Configuration: Region is required' })
 * )
 *
 * @category evaluation
 * @since 0.2.0
 */
export const evaluate = (ruleSet: unknown, params: RuleParams): E.Either<EndpointError, RuleEndpoint> => {
  try {
    const rs = rec(ruleSet, 'the rule set')
    if (rs['version'] !== '1.0') invalid(`version ${String(rs['version'])} is not 1.0`)
    const found = rules(rs['rules'], bind(rs['parameters'], rec(params, 'the parameters') as RuleParams))
    return found === undefined ? E.left(endpointError('Invalid rule set: no rule matched')) : E.right(found)
  } catch (e) {
    // a Stop, or a rule set too deep for the stack, or parameters that throw when read
    return E.left(endpointError(e instanceof Stop ? e.message : 'Invalid rule set: it cannot be evaluated'))
  }
}

/**
 * An endpoint resolver (as `core/Endpoint`'s `EndpointResolver`) from a rule set.
 *
 * @example
 * import { ruleSetResolver } from 'fp-aws/core/Rules'
 * import * as E from 'fp-ts/lib/Either.js'
 *
 * const resolve = ruleSetResolver({
 *   version: '1.0',
 *   parameters: { Endpoint: { type: 'String' } },
 *   rules: [
 *     {
 *       conditions: [{ fn: 'isSet', argv: [{ ref: 'Endpoint' }] }],
 *       type: 'endpoint',
 *       endpoint: { url: { ref: 'Endpoint' } }
 *     },
 *     { conditions: [], type: 'error', error: 'Invalid Configuration: Missing Endpoint' }
 *   ]
 * })
 * assert.deepStrictEqual(resolve({ Endpoint: 'http://127.0.0.1:4566' }), E.right({ url: 'http://127.0.0.1:4566' }))
 * assert.ok(E.isLeft(resolve({})))
 *
 * @category evaluation
 * @since 0.2.0
 */
export const ruleSetResolver =
  (ruleSet: unknown) =>
  (params: EndpointParams | RuleParams): E.Either<EndpointError, RuleEndpoint> =>
    evaluate(ruleSet, params as RuleParams)

// -------------------------------------------------------------------------------------
// resolver
// -------------------------------------------------------------------------------------

/** The declared parameters of a rule set, the guarded ones of the AWS template apart. */
interface Declared {
  readonly fips: boolean
  readonly dualStack: boolean
  readonly endpoint: boolean
  readonly region: boolean
  /** The other parameters, given to the rule set as they are read. */
  readonly others: ReadonlyArray<string>
}

const GUARDED: ReadonlySet<string> = new Set(['UseFIPS', 'UseDualStack', 'Endpoint', 'Region'])

/** The parameters a rule set declares; none for a rule set that cannot be read (`evaluate` says why). */
const declaredOf = (ruleSet: unknown): Declared => {
  try {
    const ps = isRecord(ruleSet) && isRecord(ruleSet['parameters']) ? Object.keys(ruleSet['parameters']) : []
    return {
      fips: ps.includes('UseFIPS'),
      dualStack: ps.includes('UseDualStack'),
      endpoint: ps.includes('Endpoint'),
      region: ps.includes('Region'),
      others: ps.filter((n) => !GUARDED.has(n))
    }
  } catch {
    return { fips: false, dualStack: false, endpoint: false, region: false, others: [] }
  }
}

/** The parameters as read, once each: the flags as `=== true`, as the hand-written resolvers read them. */
interface Read {
  readonly fips: boolean
  readonly dualStack: boolean
  readonly endpoint: unknown
  readonly region: unknown
  readonly others: ReadonlyArray<unknown>
}

type Resolved = E.Either<EndpointError, RuleEndpoint>

const refuse = (message: string): Resolved => E.left(endpointError(message))

/**
 * The guards of the AWS template, then the rule set: a set `Endpoint` must be a usable http(s)
 * URL (see `validateCustomEndpoint`), and is trimmed, unless FIPS or dual-stack is asked for,
 * where the rule set's own error comes first; without one, a set `Region` must be a host label.
 */
const guarded = (ruleSet: unknown, d: Declared, r: Read): Resolved => {
  const given: Record<string, RuleParamValue> = Object.create(null)
  d.others.forEach((name, i) => {
    // the rule set checks their types
    given[name] = r.others[i] as RuleParamValue
  })
  if (d.fips) given['UseFIPS'] = r.fips
  if (d.dualStack) given['UseDualStack'] = r.dualStack
  if (d.endpoint && r.endpoint !== undefined) {
    // the region is not the host: one that is not a string is left out, as the rule set would refuse it
    if (d.region && typeof r.region === 'string') given['Region'] = r.region
    const custom = validateCustomEndpoint(r.endpoint as string)
    if (r.fips || r.dualStack) {
      const url = E.isRight(custom) ? custom.right : typeof r.endpoint === 'string' ? r.endpoint : ''
      const found = evaluate(ruleSet, { ...given, Endpoint: url })
      // a rule set that takes a custom endpoint with FIPS or dual-stack still gets only a usable one
      return E.isLeft(found) || E.isRight(custom) ? found : custom
    }
    return E.isLeft(custom) ? custom : evaluate(ruleSet, { ...given, Endpoint: custom.right })
  }
  if (d.region && r.region !== undefined) {
    if (!isHostLabel(r.region as string)) return refuse('Invalid Configuration: Region is not a valid host label')
    given['Region'] = r.region as string
  }
  return evaluate(ruleSet, given)
}

/** The most resolutions a resolver remembers; when it is full it forgets them all. */
const CACHE_SIZE = 256

/** The longest string remembered by: a custom endpoint URL and a region fit many times over. */
const CACHE_KEY_MAX = 2048

/** Stands, in the cache, for a guarded value set to something not a string: its resolution depends on nothing else. */
const NOT_A_STRING = Symbol('not a string')

/** A guarded value as a cache key, `undefined` for one too long to remember. */
const guardedKey = (v: unknown): unknown =>
  v === undefined ? v : typeof v !== 'string' ? NOT_A_STRING : v.length <= CACHE_KEY_MAX ? v : undefined

/** The other parameters as a cache key (`''` for none), `undefined` when they are not to be remembered by. */
const othersKey = (others: ReadonlyArray<unknown>): string | undefined => {
  let key = ''
  for (const v of others) {
    if (v === undefined) key += 'u'
    else if (typeof v === 'boolean') key += v ? 't' : 'f'
    else if (typeof v === 'string') key += `s${v.length}:${v}`
    else return undefined
  }
  return key.length <= CACHE_KEY_MAX ? key : undefined
}

/**
 * Resolutions by the other parameters' key, then `Endpoint`, then `Region`, then the flags
 * (`UseFIPS` 2, `UseDualStack` 1): the caller's own strings are the keys, and nothing is
 * built to look one up.
 */
type Cache = Map<string, Map<unknown, Map<unknown, Array<Resolved | undefined>>>>

/**
 * A copy of the rule set, read once: what the caller does to it later changes nothing, and
 * the cache stays true. One that cannot be copied (a proxy, a getter that throws) is kept as
 * it is, for `evaluate` to say what is wrong with it.
 */
const snapshot = (ruleSet: unknown): unknown => {
  try {
    return structuredClone(ruleSet)
  } catch {
    return ruleSet
  }
}

/** Freezes a resolution (plain records and arrays): a caller that changes one it got cannot change another's. */
const deepFreeze = <A>(a: A): A => {
  if (typeof a === 'object' && a !== null && !Object.isFrozen(a)) {
    Object.freeze(a)
    for (const v of Object.values(a)) deepFreeze(v)
  }
  return a
}

/**
 * The endpoint resolver of a service from its rule set (the value of its
 * `smithy.rules#endpointRuleSet` trait), with the guards of the AWS endpoint template on top
 * of the rule set: parameters that are not an object or cannot be read are an
 * `EndpointError`, never a throw; `UseFIPS` and `UseDualStack` are on only when `true`; a
 * custom `Endpoint` (when neither FIPS nor dual-stack is on, which the rule set refuses with
 * its own messages) must be an http(s) URL with a host and without user-info, query or
 * fragment, and is trimmed of the spaces and controls the URL parser drops (the message
 * never quotes it); with no `Endpoint`, a set `Region` must be a valid host label. The guards
 * apply to the parameters the rule set declares. Each parameter is read once.
 *
 * The rule set is copied when the resolver is made. Resolutions are remembered (at most 256,
 * by `Region`, `UseFIPS`, `UseDualStack`, `Endpoint` and the other parameters' values; all
 * forgotten when full), so that resolving the same parameters again costs a lookup; what it
 * returns is frozen.
 *
 * @example
 * import { endpointResolver } from 'fp-aws/core/Rules'
 * import * as E from 'fp-ts/lib/Either.js'
 *
 * const resolve = endpointResolver({
 *   version: '1.0',
 *   parameters: {
 *     Region: { type: 'String' },
 *     UseFIPS: { type: 'Boolean', required: true, default: false },
 *     Endpoint: { type: 'String' }
 *   },
 *   rules: [
 *     {
 *       conditions: [{ fn: 'isSet', argv: [{ ref: 'Endpoint' }] }],
 *       type: 'tree',
 *       rules: [
 *         {
 *           conditions: [{ fn: 'booleanEquals', argv: [{ ref: 'UseFIPS' }, true] }],
 *           type: 'error',
 *           error: 'Invalid Configuration: FIPS and custom endpoint are not supported'
 *         },
 *         { conditions: [], type: 'endpoint', endpoint: { url: { ref: 'Endpoint' } } }
 *       ]
 *     },
 *     {
 *       conditions: [{ fn: 'aws.partition', argv: [{ ref: 'Region' }], assign: 'P' }],
 *       type: 'endpoint',
 *       endpoint: { url: 'https://example.{Region}.{P#dnsSuffix}' }
 *     },
 *     { conditions: [], type: 'error', error: 'Invalid Configuration: Missing Region' }
 *   ]
 * })
 * assert.deepStrictEqual(resolve({ Region: 'cn-north-1' }), E.right({ url: 'https://example.cn-north-1.amazonaws.com.cn' }))
 * assert.deepStrictEqual(resolve({ Endpoint: ' http://127.0.0.1:4566 ' }), E.right({ url: 'http://127.0.0.1:4566' }))
 * assert.deepStrictEqual(
 *   resolve({ Endpoint: 'https://user:secret@example.com' }),
 *   E.left({ _tag: 'EndpointError', message: 'Invalid Configuration: Custom endpoint has user-info (credentials), which is not allowed' })
 * )
 * assert.deepStrictEqual(
 *   resolve({ Region: 'evil.com/x' }),
 *   E.left({ _tag: 'EndpointError', message: 'Invalid Configuration: Region is not a valid host label' })
 * )
 *
 * @category evaluation
 * @since 0.2.0
 */
export const endpointResolver = (
  ruleSet: unknown
): ((params: EndpointParams | RuleParams) => E.Either<EndpointError, RuleEndpoint>) => {
  const rs = snapshot(ruleSet)
  const d = declaredOf(rs)
  const cache: Cache = new Map()
  let size = 0
  return (params) => {
    if (typeof params !== 'object' || params === null) {
      return refuse('Invalid Configuration: the endpoint parameters must be an object')
    }
    let fips: boolean, dualStack: boolean, endpoint: unknown, region: unknown, others: ReadonlyArray<unknown>
    try {
      // once each, in the order the hand-written resolvers read them
      const p = params as Readonly<Record<string, unknown>>
      fips = d.fips && p['UseFIPS'] === true
      dualStack = d.dualStack && p['UseDualStack'] === true
      endpoint = d.endpoint ? p['Endpoint'] : undefined
      region = d.region ? p['Region'] : undefined
      others = d.others.length === 0 ? d.others : d.others.map((name) => p[name])
    } catch {
      return refuse('Invalid Configuration: the endpoint parameters cannot be read')
    }
    const k0 = others.length === 0 ? '' : othersKey(others)
    const k1 = guardedKey(endpoint)
    const k2 = guardedKey(region)
    const remember =
      k0 !== undefined && (k1 !== undefined || endpoint === undefined) && (k2 !== undefined || region === undefined)
    const flags = (fips ? 2 : 0) + (dualStack ? 1 : 0)
    const slots = remember ? cache.get(k0)?.get(k1)?.get(k2) : undefined
    const hit = slots?.[flags]
    if (hit !== undefined) return hit
    const resolved = deepFreeze(guarded(rs, d, { fips, dualStack, endpoint, region, others }))
    if (remember) {
      if (size >= CACHE_SIZE) {
        cache.clear()
        size = 0
      }
      const byEndpoint = cache.get(k0) ?? cache.set(k0, new Map()).get(k0)!
      const byRegion = byEndpoint.get(k1) ?? byEndpoint.set(k1, new Map()).get(k1)!
      const s = byRegion.get(k2) ?? byRegion.set(k2, []).get(k2)!
      s[flags] = resolved
      size++
    }
    return resolved
  }
}
