/**
 * Text for a terminal: values that come from outside (a start URL in a cache file, a file
 * name, an error message quoting either) are shown with their control characters escaped,
 * so that they can neither drive the terminal (ESC, OSC and CSI sequences) nor forge lines
 * of output (CR, LF) nor reorder what is shown (bidirectional overrides).
 *
 * @since 0.2.0
 */

// C0 controls (ESC, CR, LF, TAB…), DEL, C1 controls (8-bit CSI, OSC…), the line and
// paragraph separators, the bidirectional marks, embeddings, overrides and isolates
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

const hex = (c: string, width: number): string => (c.codePointAt(0) ?? 0).toString(16).padStart(width, '0')

/** `\n`, `\r`, `\t`, else `\xHH` below U+0100, else `\uHHHH`. */
const escapeOne = (c: string): string => NAMED[c] ?? (c < '\u0100' ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`)

/**
 * Escapes the control characters of `s` for display: the C0 controls (U+0000–U+001F: ESC,
 * CR, LF, TAB…), DEL (U+007F), the C1 controls (U+0080–U+009F: the 8-bit CSI, OSC…), the
 * line and paragraph separators (U+2028, U+2029) and the bidirectional formatting
 * characters: marks (U+061C, U+200E, U+200F), embeddings and overrides (U+202A–U+202E),
 * isolates (U+2066–U+2069). `\n`, `\r` and `\t` are written as such, the other controls
 * below U+0100 as `\xHH`, the rest as `\uHHHH`. Every other character,
 * the backslash included, is kept as is: the result is for a person to read, not to be
 * parsed back. Anything but a string gives `''`.
 *
 * @example
 * import { escapeControl } from 'fp-aws/core/Text'
 *
 * assert.strictEqual(escapeControl('https://corp\u001b]0;evil\u0007.example'), 'https://corp\\x1b]0;evil\\x07.example')
 * assert.strictEqual(escapeControl('a.json\nRemoved b.json'), 'a.json\\nRemoved b.json')
 * assert.strictEqual(escapeControl('\u202eexe.txt'), '\\u202eexe.txt')
 * assert.strictEqual(escapeControl('/home/ana/.aws/sso/cache/é.json'), '/home/ana/.aws/sso/cache/é.json')
 *
 * @category display
 * @since 0.2.0
 */
export const escapeControl = (s: string): string =>
  typeof s !== 'string'
    ? ''
    : s.replace(CONTROL, escapeOne)
