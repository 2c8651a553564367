import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { escapeControl } from '../../src/core/Text.js'

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/

describe('escapeControl', () => {
  it('escapes C0, DEL, C1, separators and bidi formatting characters', () => {
    expect(escapeControl('a\u001b]0;evil\u0007b')).toBe('a\\x1b]0;evil\\x07b')
    expect(escapeControl('\u001b[2J\r\n\t\u0000\u007f')).toBe('\\x1b[2J\\r\\n\\t\\x00\\x7f')
    expect(escapeControl('\u0080\u009b31m\u009d0;x\u009c')).toBe('\\x80\\x9b31m\\x9d0;x\\x9c')
    expect(escapeControl('\u202a\u202b\u202c\u202d\u202e')).toBe('\\u202a\\u202b\\u202c\\u202d\\u202e')
    expect(escapeControl('\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u2028\u2029')).toBe(
      '\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c\\u2028\\u2029'
    )
  })

  it('keeps everything else, the backslash and non-ASCII text included', () => {
    for (const s of ['', 'C:\\Users\\ana', 'https://corp.awsapps.com/start', 'é ü 日本 🙂', '\u00a0\u00ff']) {
      expect(escapeControl(s)).toBe(s)
    }
  })

  it('leaves no control character, and loses nothing (property)', () => {
    const unescape = (s: string): string =>
      s.replace(/\\(?:x([0-9a-f]{2})|u([0-9a-f]{4})|([nrt]))/g, (_, x: string | undefined, u: string | undefined, n: string | undefined) =>
        n === undefined ? String.fromCharCode(parseInt(x ?? u ?? '', 16)) : ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[n] ?? ''
      )
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }).map((s) => s.replace(/\\/g, '')), (s) => {
        const out = escapeControl(s)
        expect(CONTROL.test(out)).toBe(false)
        expect(unescape(out)).toBe(s)
      })
    )
  })

  it('anything but a string gives an empty string', () => {
    for (const v of [undefined, null, 1, {}, Symbol('s')]) expect(escapeControl(v as unknown as string)).toBe('')
  })
})
