/**
 * The SSO token cache of the AWS CLI v2 and the SDKs: `<home>/.aws/sso/cache/<key>.json`,
 * where `<key>` is the SHA-1 (hex) of the `sso-session` name, or of the start URL for a
 * legacy profile (one with `sso_start_url` and no `sso_session`).
 *
 * A token file is JSON: `startUrl`, `region`, `accessToken`, `expiresAt`, and, when the
 * token came from an `sso-session` (refreshable), `clientId`, `clientSecret`,
 * `registrationExpiresAt`, `refreshToken`. The secrets (`accessToken`, `clientSecret`,
 * `refreshToken`) are decoded as `Sensitive`.
 *
 * @since 0.1.0
 */
import { createHash } from 'node:crypto'
import * as nodePath from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import * as t from 'io-ts'
import type { Sensitive } from '../../core/Sensitive.js'
import { SensitiveString } from '../../services/sso/Types.js'
import { decodeWith, optional, TimestampCodec } from './Codec.js'
import { describeReadFailure, fileError, readBounded, type FileError, type ReadFailure, type ReadOptions } from './File.js'
import { writeFileSecure } from './Secure.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A cached SSO token.
 *
 * @category model
 * @since 0.1.0
 */
export interface SSOToken {
  /** The start URL of the AWS access portal, e.g. `https://my-sso-portal.awsapps.com/start`. */
  readonly startUrl: string
  /** The region of the IAM Identity Center instance. */
  readonly region: string
  readonly accessToken: Sensitive<string>
  readonly expiresAt: Date
  /** The OIDC client registration (refreshable tokens only). */
  readonly clientId?: string | undefined
  readonly clientSecret?: Sensitive<string> | undefined
  readonly registrationExpiresAt?: Date | undefined
  readonly refreshToken?: Sensitive<string> | undefined
}

/**
 * An {@link SSOToken} as stored: the secrets in the clear, timestamps as strings.
 *
 * @category model
 * @since 0.1.0
 */
export interface SSOTokenJson {
  readonly startUrl: string
  readonly region: string
  readonly accessToken: string
  readonly expiresAt: string
  readonly clientId?: string | undefined
  readonly clientSecret?: string | undefined
  readonly registrationExpiresAt?: string | undefined
  readonly refreshToken?: string | undefined
}

/**
 * A cache file could not be read as what was expected. `reason` is a read failure's tag
 * (`NotFound`, `Symlink`, `TooLarge`, …), `NotJson`, or `Invalid` (JSON of the wrong
 * shape). The message names the file and the fields, never a value.
 *
 * @category model
 * @since 0.1.0
 */
export interface CacheError {
  readonly _tag: 'CacheError'
  readonly file: string
  readonly reason: ReadFailure['_tag'] | 'NotJson' | 'Invalid'
  readonly message: string
}

// -------------------------------------------------------------------------------------
// codecs
// -------------------------------------------------------------------------------------

const nonEmpty = new t.Type<string, string, unknown>(
  'non-empty string',
  (u): u is string => typeof u === 'string' && u.length > 0,
  (u, c) => (typeof u === 'string' && u.length > 0 ? t.success(u) : t.failure(u, c, 'expected a non-empty string')),
  (a) => a
)

/**
 * io-ts codec of a token file. Unknown fields are dropped; `expiresAt` and
 * `registrationExpiresAt` accept every form of {@link parseTimestamp}. Its `encode` reveals
 * the secrets: use it only to write the cache file.
 *
 * @example
 * import { SSOTokenCodec } from 'fp-aws/auth/sso'
 *
 * const r = SSOTokenCodec.decode({
 *   startUrl: 'https://my-sso-portal.awsapps.com/start',
 *   region: 'us-east-1',
 *   accessToken: 'secret-token',
 *   expiresAt: '2026-11-22T13:46:47UTC'
 * })
 * assert.ok(r._tag === 'Right')
 * assert.strictEqual(r.right.expiresAt.toISOString(), '2026-11-22T13:46:47.000Z')
 * assert.ok(!JSON.stringify(r.right).includes('secret-token'))
 *
 * @category codecs
 * @since 0.1.0
 */
export const SSOTokenCodec: t.Type<SSOToken, SSOTokenJson, unknown> = t.intersection(
  [
    t.strict({
      startUrl: nonEmpty,
      region: nonEmpty,
      accessToken: SensitiveString,
      expiresAt: TimestampCodec
    }),
    t.exact(
      t.partial({
        clientId: optional(t.string),
        clientSecret: optional(SensitiveString),
        registrationExpiresAt: optional(TimestampCodec),
        refreshToken: optional(SensitiveString)
      })
    )
  ],
  'SSOToken'
)

// -------------------------------------------------------------------------------------
// keys and paths
// -------------------------------------------------------------------------------------

/**
 * The token cache directory: `<homedir>/.aws/sso/cache`.
 *
 * @example
 * import { tokenCacheDir } from 'fp-aws/auth/sso'
 *
 * assert.strictEqual(tokenCacheDir('/home/ana'), '/home/ana/.aws/sso/cache')
 *
 * @category paths
 * @since 0.1.0
 */
export const tokenCacheDir = (homedir: string): string => nodePath.join(homedir, '.aws', 'sso', 'cache')

/**
 * The SHA-1 (hex) of a string's UTF-8 bytes.
 *
 * @category paths
 * @since 0.1.0
 */
export const sha1Hex = (s: string): string => createHash('sha1').update(s, 'utf8').digest('hex')

/**
 * What a token is cached under: the `sso-session` name, or the start URL for a legacy
 * profile.
 *
 * @category model
 * @since 0.1.0
 */
export type TokenCacheId =
  | { readonly _tag: 'SSOSession'; readonly name: string }
  | { readonly _tag: 'StartUrl'; readonly startUrl: string }

/**
 * The cache key of a token: the SHA-1 (hex) of the session name, or of the start URL.
 *
 * @example
 * import { tokenCacheKey } from 'fp-aws/auth/sso'
 *
 * assert.strictEqual(tokenCacheKey({ _tag: 'SSOSession', name: 'my-sso' }), '0ad374308c5a4e22f723adf10145eafad7c4031c')
 * assert.strictEqual(
 *   tokenCacheKey({ _tag: 'StartUrl', startUrl: 'https://d-abc123.awsapps.com/start' }),
 *   '40a89917e3175433e361b710a9d43528d7f1890a'
 * )
 *
 * @category paths
 * @since 0.1.0
 */
export const tokenCacheKey = (id: TokenCacheId): string => sha1Hex(id._tag === 'SSOSession' ? id.name : id.startUrl)

/**
 * The path of a token's cache file: `<homedir>/.aws/sso/cache/<key>.json`.
 *
 * @category paths
 * @since 0.1.0
 */
export const tokenCacheFile = (homedir: string, id: TokenCacheId): string =>
  nodePath.join(tokenCacheDir(homedir), `${tokenCacheKey(id)}.json`)

// -------------------------------------------------------------------------------------
// read, write
// -------------------------------------------------------------------------------------

/**
 * Builds a `CacheError`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const cacheError = (file: string, reason: CacheError['reason'], what: string): CacheError => {
  const f = typeof file === 'string' ? file : '<not a path>'
  return { _tag: 'CacheError', file: f, reason, message: `${f} ${typeof what === 'string' ? what : 'cannot be read'}` }
}

/**
 * Reads a JSON cache file and decodes it with `codec` (bounded, links not followed unless
 * asked).
 *
 * @category read
 * @since 0.1.0
 */
export const readJsonFile =
  <A, O>(codec: t.Type<A, O, unknown>) =>
  (file: string, options: ReadOptions = {}): TE.TaskEither<CacheError, A> =>
  async () => {
    try {
      return await readJson(codec, file, options)()
    } catch {
      return E.left(cacheError(file, 'Invalid', 'cannot be decoded (the codec failed)'))
    }
  }

const readJson = <A, O>(codec: t.Type<A, O, unknown>, file: string, options: ReadOptions): TE.TaskEither<CacheError, A> =>
    pipe(
      readBounded(file, options),
      TE.mapLeft((f) => cacheError(file, f._tag, describeReadFailure(f))),
      TE.chainEitherK((text) =>
        pipe(
          E.tryCatch(
            () => JSON.parse(text) as unknown,
            () => cacheError(file, 'NotJson', 'is not valid JSON')
          ),
          E.chain((json) =>
            pipe(
              decodeWith(codec)(json),
              E.mapLeft((why) => cacheError(file, 'Invalid', `is not a valid cache file (${why})`))
            )
          )
        )
      )
    )

/**
 * Encodes a value with `codec` and writes it as a JSON cache file, atomically with mode
 * `0600`, in a directory resolved and checked first (`writeFileSecure`). A value the codec
 * cannot encode (a JavaScript caller's hand-made record) is a `FileError`, never a throw.
 *
 * @category write
 * @since 0.2.0
 */
export const writeJsonFile =
  <A, O>(codec: t.Type<A, O, unknown>) =>
  (file: string, value: A): TE.TaskEither<FileError, void> => {
    try {
      return writeFileSecure(file, JSON.stringify(codec.encode(value)))
    } catch {
      return TE.left(fileError('write', file, { code: 'ERR_INVALID_ARG_TYPE' }))
    }
  }

/**
 * Reads and decodes a token cache file. A missing file is a `CacheError` with reason
 * `NotFound`.
 *
 * @example
 * import * as fs from 'node:fs'
 * import * as os from 'node:os'
 * import * as path from 'node:path'
 * import { readToken } from 'fp-aws/auth/sso'
 *
 * const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-doc-'))
 * const file = path.join(dir, 'token.json')
 * fs.writeFileSync(file, JSON.stringify({ startUrl: 'https://x.awsapps.com/start', region: 'eu-west-1', accessToken: 't', expiresAt: '2030-01-01T00:00:00Z' }))
 * void readToken(file)().then((r) => {
 *   assert.ok(r._tag === 'Right' && r.right.region === 'eu-west-1')
 *   fs.rmSync(dir, { recursive: true })
 * })
 *
 * @category read
 * @since 0.1.0
 */
export const readToken = (file: string, options: ReadOptions = {}): TE.TaskEither<CacheError, SSOToken> =>
  readJsonFile(SSOTokenCodec)(file, options)

/**
 * Writes a token cache file atomically, mode `0600`. Fields left `undefined` are omitted.
 * Its directory is resolved and checked first (`writeFileSecure`): one another user could
 * change is refused, with nothing written.
 *
 * @example
 * import * as fs from 'node:fs'
 * import * as os from 'node:os'
 * import * as path from 'node:path'
 * import { sensitive } from 'fp-aws/core/Sensitive'
 * import { readToken, tokenCacheFile, writeToken } from 'fp-aws/auth/sso'
 *
 * const home = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-doc-'))
 * const file = tokenCacheFile(home, { _tag: 'SSOSession', name: 'my-sso' })
 * const token = {
 *   startUrl: 'https://x.awsapps.com/start',
 *   region: 'eu-west-1',
 *   accessToken: sensitive('t'),
 *   expiresAt: new Date('2030-01-01T00:00:00Z')
 * }
 * void writeToken(file, token)().then(async (w) => {
 *   assert.strictEqual(w._tag, 'Right')
 *   assert.strictEqual(fs.statSync(file).mode & 0o777, 0o600)
 *   const r = await readToken(file)()
 *   assert.ok(r._tag === 'Right' && r.right.expiresAt.getTime() === token.expiresAt.getTime())
 *   fs.rmSync(home, { recursive: true })
 * })
 *
 * @category write
 * @since 0.1.0
 */
export const writeToken = (file: string, token: SSOToken): TE.TaskEither<FileError, void> =>
  writeJsonFile(SSOTokenCodec)(file, token)

/**
 * Whether a token has expired at `nowMs` (epoch milliseconds): its `expiresAt` is not
 * after now. A token whose expiry cannot be read, or a `nowMs` that is not a number,
 * counts as expired.
 *
 * @example
 * import { sensitive } from 'fp-aws/core/Sensitive'
 * import { isTokenExpired } from 'fp-aws/auth/sso'
 *
 * const token = { startUrl: 'u', region: 'r', accessToken: sensitive('t'), expiresAt: new Date(1000) }
 * assert.strictEqual(isTokenExpired(token, 999), false)
 * assert.strictEqual(isTokenExpired(token, 1000), true)
 *
 * @category destructors
 * @since 0.1.0
 */
export const isTokenExpired = (token: SSOToken, nowMs: number): boolean => {
  try {
    const expiresAt: unknown = token.expiresAt.getTime()
    return !(typeof expiresAt === 'number' && typeof nowMs === 'number' && expiresAt > nowMs)
  } catch {
    return true
  }
}
