import * as fs from 'node:fs'
import * as path from 'node:path'
import * as util from 'node:util'
import fc from 'fast-check'
import * as S from 'fp-ts/lib/string.js'
import { describe, expect, it } from 'vitest'
import { getEq, getShow, isSensitive, iso, reveal, sensitive } from '../../src/core/Sensitive.js'
import { VERSION } from '../../src/core/version.js'
import { USER_AGENT } from '../../src/core/AWSRequest.js'

const secret = fc.string({ minLength: 12, maxLength: 64 }).map((s) => `SECRET<${s}>`)

describe('Sensitive', () => {
  it('no rendering shows the value', () => {
    fc.assert(
      fc.property(secret, (v) => {
        const s = sensitive(v)
        const outs = [
          String(s),
          `${s}`,
          s + '',
          JSON.stringify(s),
          JSON.stringify({ nested: { s } }),
          util.inspect(s, { showHidden: true, depth: Infinity }),
          util.inspect({ s }, { showHidden: true, depth: Infinity }),
          util.format('%s %o %O %j', s, s, s, s),
          getShow<string>().show(s),
          Object.keys(s).join(','),
          JSON.stringify(Object.getOwnPropertyNames(s).map((k) => (s as unknown as Record<string, unknown>)[k]))
        ]
        for (const o of outs) expect(o).not.toContain(v)
      })
    )
  })

  it('reveal gives the value back; Eq and Iso see through it', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(reveal(sensitive(a))).toBe(a)
        expect(getEq(S.Eq).equals(sensitive(a), sensitive(b))).toBe(a === b)
        expect(iso<string>().get(iso<string>().reverseGet(a))).toBe(a)
      })
    )
  })

  it('is frozen and recognisable', () => {
    const s = sensitive('x')
    expect(Object.isFrozen(s)).toBe(true)
    expect(isSensitive(s)).toBe(true)
    expect(isSensitive({ _tag: 'Sensitive' })).toBe(false)
  })

  it('keeps the value out of every member: spreading, descriptors and structured cloning see none of it', () => {
    const s = sensitive('SECRET<v>')
    const seen = [
      JSON.stringify({ ...s }),
      util.inspect(Object.getOwnPropertyDescriptors(s), { showHidden: true, depth: Infinity }),
      util.inspect(
        Reflect.ownKeys(s).map((k) => (s as unknown as Record<PropertyKey, unknown>)[k]),
        { showHidden: true, depth: Infinity }
      ),
      util.inspect(structuredClone({ ...s }), { showHidden: true, depth: Infinity })
    ]
    for (const o of seen) expect(o).not.toContain('SECRET<v>')
  })

  it('reveals a secret of another copy of the module (a closure under the registered symbol) and never throws on a borrowed prototype', () => {
    const brand = Symbol.for('fp-aws/Sensitive')
    const other = Object.freeze(
      Object.defineProperty({ _tag: 'Sensitive' }, brand, { value: () => 'theirs', enumerable: false })
    )
    expect(isSensitive(other)).toBe(true)
    expect(reveal(other as never)).toBe('theirs')
    const borrowed = Object.create(Object.getPrototypeOf(sensitive('x')) as object) as never
    expect(() => reveal(borrowed)).not.toThrow()
    expect(reveal(borrowed)).toBeUndefined()
  })
})

describe('version', () => {
  it('VERSION and the user agent follow package.json', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { version: string }
    expect(VERSION).toBe(pkg.version)
    expect(USER_AGENT).toBe(`fp-aws/${pkg.version}`)
  })
})
