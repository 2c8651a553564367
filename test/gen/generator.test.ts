/**
 * The generator on a fixture model (test/gen/fixture.json, test/gen/annex.json) that uses
 * every restJson1 trait it supports: the modules it writes type-check, are the same bytes on
 * every run, and on the wire (a scripted loopback server) send the exact request of each
 * operation and read back headers, the status, renamed members, timestamps in every format,
 * maps and payloads. The arbitraries and the tests it writes for the fixture type-check, and
 * the tests run (in a nested vitest) and pass. What it does not support yet it refuses, naming
 * the shape.
 */
import { execFile } from 'node:child_process'
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { pipe } from 'fp-ts/lib/function.js'
import fc from 'fast-check'
import * as O from 'fp-ts/lib/Option.js'
import { format } from '../../gen/format.js'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { emitArbitraries, handWrittenArbitraries } from '../../gen/arbitrary.js'
import { emitService_, type Output } from '../../gen/emit.js'
import { readService } from '../../gen/model.js'
import { emitTests } from '../../gen/tests.js'
import { send, type AWSRequest, type Env } from '../../src/index.js'
import type { HttpRequest, HttpResponse } from '../../src/core/Request.js'
import { EpochSeconds, EpochSecondsString, prefixHeaders } from '../../src/core/RestJson.js'
import { isSensitive, reveal, sensitive } from '../../src/core/Sensitive.js'
import { envFor, useScriptedServers } from '../util/harness.js'
import type { Recorded, Scripted } from '../util/scripted.js'

const root = path.resolve(__dirname, '..', '..')
/** Inside the repository, so that the modules' `core` imports resolve; removed after. */
const OUT = `test/gen/.out-${crypto.randomBytes(6).toString('hex')}`
const MODEL = 'test/gen/fixture.json'
const ANNEX = 'test/gen/annex.json'


const generate = (model: string = MODEL, out: string = OUT): ReadonlyArray<Output> =>
  emitService_(readService(root, model, ANNEX), { dir: (svc) => `${out}/${svc.annex.module}`, core: '../../../../src/core' })

/**
 * The fixture's arbitraries and generated tests, beside its modules: `<OUT>/arbitrary/fixture.ts`
 * and `<OUT>/test/fixture.generated.ts` (not a `.test.ts` name, so that no other vitest run
 * picks it up; the nested run below names it).
 */
const ARBITRARIES = `${OUT}/arbitrary/fixture.ts`
const TESTS = `${OUT}/test/fixture.generated.ts`
const generateTests = (): ReadonlyArray<Output> => {
  const svc = readService(root, MODEL, ANNEX)
  const services = `${OUT}/${svc.annex.module}`
  return [
    emitArbitraries(svc, handWrittenArbitraries(root), { file: ARBITRARIES, services, core: 'src/core', index: 'src/arbitrary/index' }),
    emitTests(svc, { file: TESTS, arbitrary: ARBITRARIES.replace(/\.ts$/, ''), services, core: 'src/core', test: 'test' })
  ]
}

const formatted = (outputs: ReadonlyArray<Output>): ReadonlyArray<readonly [string, string]> =>
  outputs.map((o) => [o.path, format(o.text, o.path)] as const)

type Module = Readonly<Record<string, unknown>>
let fx: Module = {}
const get = <T>(name: string): T => {
  const v = fx[name]
  if (v === undefined) throw new Error(`the fixture module exports no ${name}`)
  return v as T
}
type Op = AWSRequest<Record<string, unknown>, Record<string, unknown>, string>
type Encode = (rq: unknown) => { readonly _tag: string; readonly left?: { readonly field: string; readonly message: string }; readonly right?: HttpRequest }

beforeAll(async () => {
  for (const [file, text] of formatted([...generate(), ...generateTests()])) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true })
    fs.writeFileSync(path.join(root, file), text)
  }
  fx = (await import(path.join(root, OUT, 'fixture', 'index.ts'))) as Module
}, 120_000)

afterAll(() => {
  fs.rmSync(path.join(root, OUT), { recursive: true, force: true })
})

// -------------------------------------------------------------------------------------
// generation
// -------------------------------------------------------------------------------------

describe('the generated modules', () => {
  it('type-check under the project tsconfig (strict, noUncheckedIndexedAccess, …)', () => {
    const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), (f) => ts.sys.readFile(f))
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root)
    const modules = fs.readdirSync(path.join(root, OUT, 'fixture')).map((f) => path.join(root, OUT, 'fixture', f))
    expect(modules.length).toBe(7)
    const files = [...modules, path.join(root, ARBITRARIES), path.join(root, TESTS)]
    const program = ts.createProgram(files, { ...parsed.options, noEmit: true })
    const messages = ts
      .getPreEmitDiagnostics(program)
      .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)
    expect(messages).toEqual([])
  }, 120_000)

  it('are the same bytes on every run, and say they are generated', () => {
    const a = formatted([...generate(), ...generateTests()])
    const b = formatted([...generate(), ...generateTests()])
    expect(a.length).toBe(9)
    expect(b).toEqual(a)
    for (const [file, text] of a) {
      expect(fs.readFileSync(path.join(root, file), 'utf8')).toBe(text)
      const line = `Generated by \`npm run gen\` from ${MODEL} and ${ANNEX}: do not edit this file.`
      expect(text.startsWith(`// ${line}\n`) || text.startsWith(`/**\n * ${line}\n`), file).toBe(true)
    }
  })
})

// -------------------------------------------------------------------------------------
// the generated tests of the fixture, run
// -------------------------------------------------------------------------------------

interface VitestJson {
  readonly numFailedTests: number
  readonly numPassedTests: number
  readonly numTotalTests: number
  readonly testResults: ReadonlyArray<{
    readonly assertionResults: ReadonlyArray<{ readonly ancestorTitles: ReadonlyArray<string>; readonly title: string; readonly status: string }>
  }>
}

/** Runs vitest on the generated test module alone (a config of its own, in OUT), and reads its JSON report. */
const runGeneratedTests = async (): Promise<VitestJson> => {
  const config = path.join(root, OUT, 'vitest.config.mjs')
  const report = path.join(root, OUT, 'report.json')
  fs.writeFileSync(
    config,
    `export default ${JSON.stringify({ root, test: { include: [TESTS], testTimeout: 120_000, hookTimeout: 120_000, reporters: ['json'], outputFile: report } })}\n`
  )
  fs.rmSync(report, { force: true })
  // the exit status says only that some test failed: the report says which
  const output = await new Promise<string>((resolve) => {
    execFile(
      process.execPath,
      [path.join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', config],
      { cwd: root, timeout: 600_000, maxBuffer: 64 * 1024 * 1024 },
      (_, stdout, stderr) => resolve(`${stdout}${stderr}`)
    )
  })
  if (!fs.existsSync(report)) throw new Error(`the nested vitest wrote no report:\n${output.slice(-4000)}`)
  return JSON.parse(fs.readFileSync(report, 'utf8')) as VitestJson
}

describe('the generated tests of the fixture', () => {
  it('run and pass: every kind of test, for every operation and record', async () => {
    const r = await runGeneratedTests()
    const tests = r.testResults.flatMap((f) => f.assertionResults)
    expect(tests.filter((t) => t.status !== 'passed').map((t) => `${t.ancestorTitles.join(' > ')} > ${t.title}: ${t.status}`)).toEqual([])
    expect(r.numFailedTests).toBe(0)
    const titles = (prefix: string): ReadonlyArray<string> =>
      tests.filter((t) => (t.ancestorTitles[0] ?? '').startsWith(prefix)).map((t) => t.title)
    // the four endpoint cases of the fixture model
    expect(titles('Fixture endpoints')).toEqual([`'a custom endpoint'`, `'FIPS with a custom endpoint'`, `'us-east-1'`, `'no region'`])
    // a lens per member: 19 + 14 request and response members of PutThing, 4 + 2 of PutDocument,
    // 2 + 2 of PutText, 3 of Attribute and 3 of Document
    expect(titles('Fixture lenses')).toHaveLength(49)
    expect(titles('Fixture lenses')).toContain('putThing_meta')
    // a codec per record: 6 requests and responses, 2 shared shapes
    expect(titles('Fixture codecs')).toHaveLength(8)
    expect(titles('Fixture arbitraries')).toEqual(
      expect.arrayContaining(['every putThing() encodes', 'every putDocument() encodes', 'every putText() encodes'])
    )
    // two exact-request goldens (encoded, on the wire) per variant: every member set, and the members always sent alone
    for (const op of ['PutThing (POST', 'PutDocument (PUT', 'PutText (POST'])
      expect(titles(op).length, op).toBe(4)
    expect(r.numPassedTests).toBe(tests.length)
  }, 600_000)
  /** A mutation of a generated file: the text it must find (so that a drift of the output fails here) and its replacement. */
  const MUTATIONS: ReadonlyArray<readonly [file: string, find: RegExp, replace: string]> = [
    // the endpoint table: the resolver names another host
    [`${OUT}/fixture/Endpoint.ts`, /portal\.sso\.\{Region\}\.\{PartitionResult#dnsSuffix\}/, 'portal.ssx.{Region}.{PartitionResult#dnsSuffix}'],
    // the lens laws: a lens whose set does nothing
    [
      `${OUT}/fixture/PutThing.ts`,
      /export const putThing_meta[^\n]*\n/,
      'export const putThing_meta: L.Lens<PutThing, RR.ReadonlyRecord<string, string>> = L.lens((s) => s.meta, () => (s) => s)\n'
    ],
    // the codec round trip: a date-time member of a record read back as an http-date (the milliseconds lost)
    [`${OUT}/fixture/PutThing.ts`, /(export const PutThingResponseCodec[\s\S]*?updated: optionFromNullable\()DateTime\)/, '$1HttpDate)'],
    // the arbitraries: prefix-header keys that are not header names, and a secret left in the clear
    [ARBITRARIES, /0-9A-Za-z\]\{1,8\}/, '0-9A-Za-z ]{1,8}'],
    [ARBITRARIES, /note: optional\(bodyString\.map\(sensitive\)\)/, 'note: optional(bodyString)'],
    // the exact request, encoded and on the wire: a query parameter a bound key shadows is sent, a payload's content type
    [`${OUT}/fixture/PutThing.ts`, /\['mode', 'since', 'level', 'flag'\]/, "['since', 'level', 'flag']"],
    [`${OUT}/fixture/PutText.ts`, /'content-type': 'text\/plain'/, "'content-type': 'text/html'"],
    // on the wire only: the response is read from another header, so send fails while the encoding holds
    [`${OUT}/fixture/PutThing.ts`, /(readRequiredHeader\(\s*OPERATION,\s*)'x-request-id'/, "$1'x-request-idx'"]
  ]

  it('fail, each kind of them, on a mutation of what it checks', async () => {
    const originals = new Map<string, string>()
    try {
      for (const [file, find, replace] of MUTATIONS) {
        const text = fs.readFileSync(path.join(root, file), 'utf8')
        if (!originals.has(file)) originals.set(file, text)
        expect(find.test(text), `${file}: ${String(find)}`).toBe(true)
        fs.writeFileSync(path.join(root, file), text.replace(find, replace))
      }
      const r = await runGeneratedTests()
      const tests = r.testResults.flatMap((f) => f.assertionResults)
      const status = (suite: string, title: string): string =>
        tests.find((t) => (t.ancestorTitles[0] ?? '').startsWith(suite) && t.title === title)?.status ?? 'missing'
      const every = 'with every member set'
      expect({
        endpoint: status('Fixture endpoints', `'us-east-1'`),
        lens: status('Fixture lenses', 'putThing_meta'),
        codec: status('Fixture codecs', 'PutThingResponseCodec'),
        encodes: status('Fixture arbitraries', 'every putThing() encodes'),
        secret: status('Fixture arbitraries', 'every putThing() keeps note Sensitive'),
        queryParams: status(`PutThing (POST /things/{thingId}/at/{when}/{path+}?mode=fast) ${every}`, 'encodePutThing gives it'),
        payloadEncoded: status(`PutText (POST /text) ${every}`, 'encodePutText gives it'),
        payloadWire: status(`PutText (POST /text) ${every}`, 'send(PutText) puts it on the wire'),
        responseHeader: status('PutThing (POST /things/{thingId}/at/{when}/{path+}?mode=fast) with only the members always sent', 'send(PutThing) puts it on the wire')
      }).toEqual({
        endpoint: 'failed',
        lens: 'failed',
        codec: 'failed',
        encodes: 'failed',
        secret: 'failed',
        queryParams: 'failed',
        payloadEncoded: 'failed',
        payloadWire: 'failed',
        responseHeader: 'failed'
      })
      // and the tests next to them, which the mutations do not touch, still pass
      expect({
        endpoint: status('Fixture endpoints', `'a custom endpoint'`),
        lens: status('Fixture lenses', 'putThing_tags'),
        codec: status('Fixture codecs', 'PutDocumentResponseCodec'),
        encodes: status('Fixture arbitraries', 'every putText() encodes'),
        encoded: status('PutThing (POST /things/{thingId}/at/{when}/{path+}?mode=fast) with only the members always sent', 'encodePutThing gives it')
      }).toEqual({ endpoint: 'passed', lens: 'passed', codec: 'passed', encodes: 'passed', encoded: 'passed' })
    } finally {
      for (const [file, text] of originals) fs.writeFileSync(path.join(root, file), text)
    }
  }, 600_000)
})

// -------------------------------------------------------------------------------------
// on the wire
// -------------------------------------------------------------------------------------

const serve = useScriptedServers()
const envOn = (s: Scripted): Env => envFor(s.url, { region: 'us-east-1' })
const call = (op: Op, rq: Record<string, unknown>, env: Env) => pipe(rq, send(op))(env)()
const header = (r: Recorded, name: string): string | undefined => {
  const v = r.headers[name]
  return Array.isArray(v) ? v.join(', ') : v
}

const WHEN = new Date(Date.UTC(2024, 1, 29, 12, 30, 0, 250))
const SINCE = new Date(Date.UTC(2001, 1, 3, 4, 5, 6))
const MODIFIED = new Date(Date.UTC(2014, 3, 29, 18, 30, 38))
const EXPIRES = new Date(1_700_000_000_500)
const NOTE = 'SeCrEt-note-7Gq2'

const newPutThing = (): Record<string, unknown> =>
  get<(...a: ReadonlyArray<unknown>) => Record<string, unknown>>('newPutThing')('t 1', WHEN, 'a/b c', 'name')

const fullPutThing = (): Record<string, unknown> => ({
  ...newPutThing(),
  since: O.some(SINCE),
  level: O.some(5),
  flag: O.some(true),
  params: { p1: ['a', 'b'], since: ['shadowed'], mode: ['shadowed'], 'p 2': ['c d'] },
  modified: O.some(MODIFIED),
  expires: O.some(EXPIRES),
  limit: O.some(7),
  meta: { Color: 'red', size: 'L' },
  created: O.some(EXPIRES),
  updated: O.some(SINCE),
  rank: O.some(1),
  tags: { a: 'b' },
  attributes: { k: { value: 'v', since: O.some(new Date(1000)), count: O.none } },
  status: O.some('active'),
  note: O.some(sensitive(NOTE))
})

const thingResponse = {
  status: 200,
  headers: {
    'x-request-id': 'rid-1',
    'last-modified': 'Tue, 29 Apr 2014 18:30:38 GMT',
    'x-count': '3',
    'x-ok': 'true',
    'x-expires-at': '1515531081.123',
    'X-Meta-Color': 'red',
    'x-meta-size': 'L'
  },
  body: JSON.stringify({
    item_name: 'n',
    itemName: 'not this one',
    created: 1515531081.5,
    updated: '1985-04-12T23:20:50.52+01:00',
    seen: 'Tue, 29 Apr 2014 18:30:38 GMT',
    rank: 5,
    tags: { a: 'b', n: null },
    attributes: { k: { Value: 'v', since: 0 } }
  })
}

describe('PutThing: labels, query, headers, prefix headers, renamed body members, timestamps, maps', () => {
  it('sends the exact request with every member set', async () => {
    const s = await serve([thingResponse])
    const r = await call(get<Op>('PutThing'), fullPutThing(), envOn(s))
    expect(r._tag).toBe('Right')
    const req = s.requests[0] as Recorded
    expect(req.method).toBe('POST')
    expect(req.url).toBe(
      '/things/t%201/at/2024-02-29T12%3A30%3A00.250Z/a/b%20c?mode=fast&since=2001-02-03T04%3A05%3A06Z&level=5&flag=true&p1=a&p1=b&p%202=c%20d'
    )
    expect(header(req, 'content-type')).toBe('application/json')
    expect(header(req, 'x-modified')).toBe('Tue, 29 Apr 2014 18:30:38 GMT')
    expect(header(req, 'x-expires')).toBe('1700000000.5')
    expect(header(req, 'x-limit')).toBe('7')
    expect(header(req, 'x-meta-color')).toBe('red')
    expect(header(req, 'x-meta-size')).toBe('L')
    expect(req.body).toBe(
      JSON.stringify({
        item_name: 'name',
        created: 1700000000.5,
        updated: '2001-02-03T04:05:06Z',
        rank: 1,
        tags: { a: 'b' },
        attributes: { k: { Value: 'v', since: 1 } },
        status: 'active',
        secret_note: NOTE
      })
    )
  })

  it('sends only the required members when the others are absent (no empty map, no prefix header)', async () => {
    const s = await serve([thingResponse])
    await call(get<Op>('PutThing'), newPutThing(), envOn(s))
    const req = s.requests[0] as Recorded
    expect(req.url).toBe('/things/t%201/at/2024-02-29T12%3A30%3A00.250Z/a/b%20c?mode=fast')
    expect(req.body).toBe('{"item_name":"name"}')
    expect(Object.keys(req.headers).filter((h) => h.startsWith('x-'))).toEqual([])
  })

  it('keeps a body holding a secret Sensitive, with the secret beside it', () => {
    const r = get<Encode>('encodePutThing')(fullPutThing())
    expect(r._tag).toBe('Right')
    const body = r.right?.body
    expect(isSensitive(body)).toBe(true)
    expect(JSON.stringify(r.right)).not.toContain(NOTE)
    expect((r.right?.secrets ?? []).map(reveal)).toEqual([NOTE])
  })

  it('reads the headers, the status, the renamed members, timestamps in each format and maps', async () => {
    const s = await serve([{ ...thingResponse, status: 202 }])
    const r = await call(get<Op>('PutThing'), newPutThing(), envOn(s))
    expect(r).toEqual({
      _tag: 'Right',
      right: {
        requestId: 'rid-1',
        lastModified: O.some(new Date(Date.UTC(2014, 3, 29, 18, 30, 38))),
        count: O.some(3),
        ok: O.some(true),
        expiresAt: O.some(new Date(1515531081123)),
        meta: { color: 'red', size: 'L' },
        statusCode: 202,
        itemName: O.some('n'),
        created: O.some(new Date(1515531081500)),
        updated: O.some(new Date(Date.UTC(1985, 3, 12, 22, 20, 50, 520))),
        seen: O.some(new Date(Date.UTC(2014, 3, 29, 18, 30, 38))),
        rank: O.some(5),
        tags: { a: 'b' },
        attributes: { k: { value: 'v', since: O.some(new Date(0)), count: O.none } }
      }
    })
  })

  const parse = (headers: Readonly<Record<string, string>>, body: unknown) =>
    get<Op>('PutThing').parseResponse({
      status: 200,
      headers: Object.fromEntries(Object.entries({ ...thingResponse.headers, ...headers }).map(([k, v]) => [k.toLowerCase(), v])),
      body: new TextEncoder().encode(JSON.stringify(body))
    } as HttpResponse)
  const okBody = JSON.parse(thingResponse.body) as Record<string, unknown>

  it.each([
    ['a date that does not exist (date-time)', {}, { ...okBody, updated: '2001-02-29T00:00:00Z' }, 'updated'],
    ['a date-time with no zone', {}, { ...okBody, updated: '2001-02-03T04:05:06' }, 'updated'],
    ['an http-date with the wrong weekday', {}, { ...okBody, seen: 'Mon, 29 Apr 2014 18:30:38 GMT' }, 'seen'],
    ['epoch seconds as a string in the body', {}, { ...okBody, created: '1515531081' }, 'created'],
    ['epoch seconds out of the Date range', {}, { ...okBody, created: 1e300 }, 'created'],
    ['a map value of the wrong type', {}, { ...okBody, tags: { a: 1 } }, 'tags'],
    ['a renamed member under its member name only', {}, { ...okBody, attributes: { k: { value: 'v' } } }, 'attributes'],
    ['a bad http-date header', { 'last-modified': '29 Apr 2014' }, okBody, 'last-modified'],
    ['a bad epoch-seconds header', { 'x-expires-at': '1e9' }, okBody, 'x-expires-at'],
    ['a bad integer header', { 'x-count': '3.5' }, okBody, 'x-count'],
    ['a bad boolean header', { 'x-ok': 'yes' }, okBody, 'x-ok']
  ])('refuses %s, naming where', (_, headers, body, where) => {
    const r = parse(headers, body)
    expect(r._tag).toBe('Left')
    expect(r._tag === 'Left' && r.left.message).toContain(where)
  })

  it('refuses a response without its required header', () => {
    const r = get<Op>('PutThing').parseResponse({
      status: 200,
      headers: {},
      body: new TextEncoder().encode(thingResponse.body)
    })
    expect(r._tag === 'Left' && r.left.message).toBe('PutThing: the response has no x-request-id header')
  })

  it.each([
    ['when', { when: new Date(NaN) }],
    ['when', { when: new Date(Date.UTC(10000, 0, 1)) }],
    ['when', { when: '2024-01-01T00:00:00Z' }],
    ['since', { since: O.some(new Date(NaN)) }],
    ['modified', { modified: O.some(new Date(NaN)) }],
    ['expires', { expires: O.some(new Date(NaN)) }],
    ['created', { created: O.some(new Date(NaN)) }],
    ['created', { created: O.some(1700000000) }],
    ['params', { params: { a: 1 } }],
    ['params', { params: { a: ['\uD800'] } }],
    ['params', { params: null }],
    ['meta', { meta: { 'bad name': 'x' } }],
    ['meta', { meta: { a: 'x\r\ny: 1' } }],
    ['meta', { meta: { a: 'x', A: 'y' } }],
    ['meta', { meta: { a: 1 } }],
    ['tags', { tags: { a: 1 } }],
    ['tags', { tags: ['a'] }],
    ['attributes', { attributes: { k: { value: 1 } } }],
    ['rank', { rank: O.some(1.5) }],
    ['level', { level: O.some('5') }]
  ])('a bad %s from a JavaScript caller is a ValidationError on it, never a throw', (field, patch) => {
    const r = get<Encode>('encodePutThing')({ ...fullPutThing(), ...patch })
    expect(r._tag).toBe('Left')
    expect(r.left?.field).toBe(field)
  })

  it('never lets a prefix header set a header the request or the runtime sets', () => {
    expect(get<Encode>('encodePutThing')({ ...fullPutThing(), meta: { '': 'x' } })._tag).toBe('Left')
    const r = get<Encode>('encodePutThing')({ ...fullPutThing(), meta: { Length: '1' } })
    expect(r.right?.headers['x-meta-length']).toBe('1')
    // with an empty prefix (the model then binds no other header), every name is checked
    const all = prefixHeaders('meta', '', ['content-type'])
    for (const name of ['Host', 'content-length', 'Content-Type', 'user-agent', 'authorization', 'x-amz-security-token', 'transfer-encoding'])
      expect(all({ [name]: 'x' })).toEqual({ _tag: 'Left', left: `meta would set the ${name.toLowerCase()} header, which the request sets itself` })
    expect(all({ 'x-custom': 'x' })).toEqual({ _tag: 'Right', right: { 'x-custom': 'x' } })
  })
})

describe('epoch seconds: every time a Date holds goes through and back to the millisecond', () => {
  // beyond 2^52 ms, seconds times 1000 as doubles land a millisecond off: the digits must be read instead
  const far = [4_496_427_014_056_194, -4_443_128_683_895_895, 8_640_000_000_000_000, -8_640_000_000_000_000, 8_639_999_999_999_999]

  it.each(far)('%d ms, as a JSON number and as text', (ms) => {
    const d = new Date(ms)
    expect(EpochSeconds.decode(JSON.parse(JSON.stringify(EpochSeconds.encode(d))))).toEqual({ _tag: 'Right', right: d })
    expect(EpochSecondsString.decode(EpochSecondsString.encode(d))).toEqual({ _tag: 'Right', right: d })
  })

  it('for any time, and reads digits past the millisecond rounded', () => {
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true }), (d) => {
        const n = EpochSeconds.decode(JSON.parse(JSON.stringify(EpochSeconds.encode(d))))
        const s = EpochSecondsString.decode(EpochSecondsString.encode(d))
        return n._tag === 'Right' && n.right.getTime() === d.getTime() && s._tag === 'Right' && s.right.getTime() === d.getTime()
      })
    )
    expect(EpochSeconds.decode(1515531081.1234567)).toEqual({ _tag: 'Right', right: new Date(1515531081123) })
    expect(EpochSeconds.decode(1515531081.9996)).toEqual({ _tag: 'Right', right: new Date(1515531082000) })
    expect(EpochSecondsString.decode('-1.0005')).toEqual({ _tag: 'Right', right: new Date(-1001) })
    expect(EpochSeconds.decode(1e-7)).toEqual({ _tag: 'Right', right: new Date(0) })
    expect(EpochSeconds.decode(8.64e12 + 0.001)._tag).toBe('Left')
    expect(EpochSeconds.decode(1e21)._tag).toBe('Left')
  })
})

describe('PutDocument: a structure payload', () => {
  const doc = { title: 'T', createdAt: O.some(new Date(1500)), labels: ['x'] }
  const newPutDocument = (): Record<string, unknown> => get<(id: string) => Record<string, unknown>>('newPutDocument')('d/1')

  it('sends the structure as the whole JSON body, under its wire names', async () => {
    const s = await serve([{ status: 200, headers: { etag: '"e1"' }, body: JSON.stringify({ Title: 'R', created_at: 2 }) }])
    const r = await call(get<Op>('PutDocument'), { ...newPutDocument(), document: O.some(doc) }, envOn(s))
    const req = s.requests[0] as Recorded
    expect(req.method).toBe('PUT')
    expect(req.url).toBe('/documents/d%2F1')
    expect(header(req, 'content-type')).toBe('application/json')
    expect(req.body).toBe('{"Title":"T","created_at":1.5,"labels":["x"]}')
    expect(r).toEqual({
      _tag: 'Right',
      right: { etag: O.some('"e1"'), document: O.some({ title: 'R', createdAt: O.some(new Date(2000)), labels: [] }) }
    })
  })

  it('sends no body and no content-type when the payload is absent, and reads an empty body as absent', async () => {
    const s = await serve([{ status: 200, body: '' }])
    const r = await call(get<Op>('PutDocument'), newPutDocument(), envOn(s))
    const req = s.requests[0] as Recorded
    expect(req.body).toBe('')
    expect(header(req, 'content-type')).toBeUndefined()
    expect(r).toEqual({ _tag: 'Right', right: { etag: O.none, document: O.none } })
  })

  it('refuses a payload that is not the structure', () => {
    const r = get<Encode>('encodePutDocument')({ ...newPutDocument(), document: O.some({ title: 5 }) })
    expect(r.left?.field).toBe('document')
    const bad = get<Op>('PutDocument').parseResponse({ status: 200, headers: {}, body: new TextEncoder().encode('{"title":"R"}') })
    expect(bad._tag).toBe('Left')
  })
})

describe('PutText: a string payload', () => {
  it('sends the string as the raw body with content-type text/plain, and reads the status and the text', async () => {
    const s = await serve([{ status: 201, body: 'bonjour' }])
    const rq = { ...get<(t: string) => Record<string, unknown>>('newPutText')('héllo wörld'), language: O.some('fr') }
    const r = await call(get<Op>('PutText'), rq, envOn(s))
    const req = s.requests[0] as Recorded
    expect(req.method).toBe('POST')
    expect(req.url).toBe('/text')
    expect(header(req, 'content-type')).toBe('text/plain')
    expect(header(req, 'content-language')).toBe('fr')
    expect(req.body).toBe('héllo wörld')
    expect(r).toEqual({ _tag: 'Right', right: { status: 201, text: O.some('bonjour') } })
  })

  it('reads an empty body as absent and refuses bytes that are not UTF-8', () => {
    const op = get<Op>('PutText')
    expect(op.parseResponse({ status: 200, headers: {}, body: new Uint8Array() })).toEqual({
      _tag: 'Right',
      right: { status: 200, text: O.none }
    })
    expect(op.parseResponse({ status: 200, headers: {}, body: new Uint8Array([0xff, 0xfe]) })._tag).toBe('Left')
  })
})

// -------------------------------------------------------------------------------------
// what the generator refuses
// -------------------------------------------------------------------------------------

type Shapes = Record<string, { type: string; traits?: Record<string, unknown>; members?: Record<string, { target: string; traits?: Record<string, unknown> }> }>

const N = 'example.fixture#'

describe('the generator refuses what it does not support, naming the shape', () => {
  const refused = (edit: (shapes: Shapes) => void): string => {
    const model = JSON.parse(fs.readFileSync(path.join(root, MODEL), 'utf8')) as { shapes: Shapes }
    edit(model.shapes)
    const file = `${OUT}/model-${crypto.randomBytes(4).toString('hex')}.json`
    fs.writeFileSync(path.join(root, file), JSON.stringify(model))
    try {
      generate(file, `${OUT}-refused`)
      return 'generated'
    } catch (e) {
      return e instanceof Error ? e.message : String(e)
    } finally {
      fs.rmSync(path.join(root, file))
    }
  }
  const member = (shapes: Shapes, shape: string, name: string): { target: string; traits?: Record<string, unknown> } => {
    const m = shapes[`${N}${shape}`]?.members?.[name]
    if (m === undefined) throw new Error(`no member ${shape}$${name}`)
    return m
  }

  it('generates the fixture itself', () => {
    expect(refused(() => undefined)).toBe('generated')
  })

  it.each<[string, (shapes: Shapes) => void, string]>([
    [
      'a blob',
      (s) => {
        s[`${N}Bytes`] = { type: 'blob' }
        member(s, 'Attribute', 'value').target = `${N}Bytes`
      },
      'gen: example.fixture#Attribute$value: shape example.fixture#Bytes of type blob is not supported yet'
    ],
    [
      'a float',
      (s) => {
        member(s, 'Attribute', 'count').target = 'smithy.api#Float'
      },
      'gen: example.fixture#Attribute$count: smithy.api#Float is not supported yet'
    ],
    [
      'a sparse map',
      (s) => {
        ;(s[`${N}StringMap`] as { traits?: Record<string, unknown> }).traits = { 'smithy.api#sparse': {} }
      },
      'gen: example.fixture#PutThingRequest$meta: shape example.fixture#StringMap: trait smithy.api#sparse is not supported yet'
    ],
    [
      'a list in a header',
      (s) => {
        member(s, 'PutThingRequest', 'limit').target = `${N}StringList`
      },
      'gen: example.fixture#PutThingRequest$limit: only scalars can be bound to the header, query or path (lists there are not supported yet)'
    ],
    [
      'a query member in a response',
      (s) => {
        member(s, 'PutThingResponse', 'count').traits = { 'smithy.api#httpQuery': 'count' }
      },
      'gen: example.fixture#PutThingResponse$count: a response member cannot be bound to the query string or the path'
    ],
    [
      'a payload beside body members',
      (s) => {
        member(s, 'PutThingRequest', 'note').traits = { 'smithy.api#httpPayload': {} }
      },
      'gen: example.fixture#PutThingRequest$note: an httpPayload member leaves no member to the JSON body'
    ],
    [
      'a header that starts with a prefix of prefix headers',
      (s) => {
        member(s, 'PutThingRequest', 'limit').traits = { 'smithy.api#httpHeader': 'X-Meta-Limit' }
      },
      'gen: example.fixture#PutThingRequest$limit: header x-meta-limit starts with the prefix "x-meta-" of meta'
    ],
    [
      'httpQueryParams of integers',
      (s) => {
        s[`${N}IntMap`] = { type: 'map', key: { target: 'smithy.api#String' }, value: { target: 'smithy.api#Integer' } } as never
        member(s, 'PutThingRequest', 'params').target = `${N}IntMap`
      },
      'gen: example.fixture#PutThingRequest$params: httpQueryParams must bind a map of strings or of lists of strings'
    ],
    [
      'a timestamp with a default',
      (s) => {
        member(s, 'Attribute', 'since').traits = { 'smithy.api#default': 0 }
      },
      'gen: example.fixture#Attribute$since: a default on a timestamp is not supported yet'
    ],
    [
      'an unknown member trait',
      (s) => {
        member(s, 'Attribute', 'since').traits = { 'smithy.api#idRef': {} }
      },
      'gen: example.fixture#Attribute$since: trait smithy.api#idRef is not supported yet'
    ]
  ])('%s', (_, edit, message) => {
    expect(refused(edit)).toContain(message)
  })
})
