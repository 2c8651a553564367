import * as t from 'io-ts'
import { describe, expect, it } from 'vitest'
import { arrayFromNullable, decodeJsonResponse, optionFromNullable, structureCodec } from '../../src/core/RestJson.js'

describe('structureCodec', () => {
  const codec = structureCodec('Page', { nextToken: optionFromNullable(t.string), items: arrayFromNullable(t.string) })

  it('reads a "__proto__" member of a JSON body as an unknown member, never as the prototype of the record', () => {
    // JSON.parse makes "__proto__" an own member; io-ts copied it into the prototype of the result
    const body = new TextEncoder().encode('{"__proto__":{"items":["a"]},"nextToken":"n"}')
    const r = decodeJsonResponse('List', codec)({ status: 200, headers: {}, body })
    expect(r._tag).toBe('Right')
    if (r._tag !== 'Right') return
    expect(Object.getPrototypeOf(r.right)).toBe(Object.prototype)
    expect(Object.keys(r.right).sort()).toStrictEqual(['items', 'nextToken'])
    expect(r.right.items).toStrictEqual([])
    expect(codec.is(r.right)).toBe(true)
  })

  it('still drops unknown members and reads the known ones of an ordinary body', () => {
    const r = codec.decode(JSON.parse('{"items":["a"],"extra":1}'))
    expect(r).toStrictEqual({ _tag: 'Right', right: { nextToken: { _tag: 'None' }, items: ['a'] } })
  })
})
