import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { httpRequest, pathAndQuery, percentEncode } from '../../src/core/Request.js'

/** The encoding as the AWS SDKs define it: `encodeURIComponent`, then `!'()*` escaped too. */
const awsEncode = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

/** Strings without a lone surrogate (the encoders refuse those before anything is encoded). */
const text = fc.oneof(
  fc.string({ unit: 'grapheme-composite', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(..."aZ09-._~!'()* %&=+/?#é".split('')), maxLength: 20 }),
  fc.stringMatching(/^[A-Za-z0-9\-._~]{0,30}$/)
)

describe('percentEncode', () => {
  it('escapes the SDK way', () => {
    expect(percentEncode("a b!'()*")).toBe('a%20b%21%27%28%29%2A')
    expect(percentEncode('AZaz09-._~')).toBe('AZaz09-._~')
    expect(percentEncode('')).toBe('')
    expect(percentEncode('é/?&=+')).toBe('%C3%A9%2F%3F%26%3D%2B')
    expect(percentEncode('AAMA-EFRSURBSGg==')).toBe('AAMA-EFRSURBSGg%3D%3D')
  })

  it("is encodeURIComponent plus !'()* for every string", () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(percentEncode(s)).toBe(awsEncode(s))
      }),
      { numRuns: 500 }
    )
  })
})

describe('pathAndQuery', () => {
  it('joins the encoded query to the path, in order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text), { maxLength: 5 }), (query) => {
        const r = { ...httpRequest('GET', '/p/a%20th'), query }
        const want =
          query.length === 0
            ? '/p/a%20th'
            : `/p/a%20th?${query.map(([k, v]) => `${awsEncode(k)}=${awsEncode(v)}`).join('&')}`
        expect(pathAndQuery(r)).toBe(want)
      }),
      { numRuns: 300 }
    )
  })
})
