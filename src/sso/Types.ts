/**
 * Shapes and checks shared by the SSO operations.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { reveal, sensitive, isSensitive, type Sensitive } from '../core/Sensitive.js'

/**
 * Characters allowed in an HTTP header value: tab, visible ASCII, space, and Latin-1 bytes.
 * Control characters (CR, LF, NUL, …), DEL and code points above U+00FF are not.
 */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/

/**
 * Checks an access token before it is put in a header: not empty, no character that is
 * illegal in an HTTP header value, no leading or trailing white space (which HTTP would
 * strip). The message never contains the token.
 *
 * @example
 * import { validateAccessToken } from 'fp-aws/sso/Types'
 *
 * assert.strictEqual(validateAccessToken('ok-token')._tag, 'Right')
 * assert.strictEqual(validateAccessToken('bad\r\nX-Injected: 1')._tag, 'Left')
 *
 * @category validation
 * @since 0.1.0
 */
export const validateAccessToken = (token: string): E.Either<string, string> => {
  if (typeof token !== 'string') return E.left('accessToken must be a string')
  if (token.length === 0) return E.left('accessToken must not be empty')
  if (!HEADER_VALUE.test(token))
    return E.left('accessToken contains a character that is not allowed in an HTTP header value')
  if (/^[\t ]|[\t ]$/.test(token)) return E.left('accessToken must not start or end with white space')
  return E.right(token)
}

/**
 * io-ts codec of a secret string: decodes a `string` (or an already wrapped secret) into a
 * `Sensitive<string>`; `encode` reveals it. Validation messages never contain the value.
 *
 * @category codecs
 * @since 0.1.0
 */
export const SensitiveString: t.Type<Sensitive<string>, string, unknown> = new t.Type<Sensitive<string>, string, unknown>(
  'Sensitive<string>',
  (u): u is Sensitive<string> => isSensitive(u) && typeof reveal(u) === 'string',
  (u, c) =>
    typeof u === 'string'
      ? t.success(sensitive(u))
      : isSensitive(u) && typeof reveal(u) === 'string'
        ? t.success(u as Sensitive<string>)
        : t.failure(typeof u, c, 'expected a string'),
  reveal
)
