/**
 * The AWS CLI's credential cache: `<home>/.aws/cli/cache/<key>.json`. The CLI stores there
 * the role credentials it got with an SSO token, as `{ "ProviderType": "sso",
 * "Credentials": { "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration" } }`
 * (other credential providers, e.g. assume-role, store their own entries next to them).
 *
 * The key of an SSO entry is the SHA-1 (hex) of a JSON object, keys sorted, no blanks
 * (Python's `json.dumps(args, sort_keys=True, separators=(',', ':'))`, ASCII-escaped):
 * `{"accountId","roleName","sessionName"}` for a profile with `sso_session`, and
 * `{"accountId","roleName","startUrl"}` for a legacy profile (botocore's
 * `SSOCredentialFetcher._create_cache_key`).
 *
 * @since 0.1.0
 */
import * as nodePath from 'node:path'
import * as TE from 'fp-ts/lib/TaskEither.js'
import * as t from 'io-ts'
import type { Sensitive } from '../../core/Sensitive.js'
import { SensitiveString } from '../../services/sso/Types.js'
import { TimestampCodec } from './Codec.js'
import type { FileError, ReadOptions } from './File.js'
import { readJsonFile, sha1Hex, writeJsonFile, type CacheError } from './Token.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Role credentials cached by the AWS CLI from an SSO token. The field names are the
 * file's; the secrets are `Sensitive`.
 *
 * @category model
 * @since 0.1.0
 */
export interface CachedCredentials {
  readonly ProviderType: 'sso'
  readonly Credentials: {
    readonly AccessKeyId: string
    readonly SecretAccessKey: Sensitive<string>
    readonly SessionToken: Sensitive<string>
    readonly Expiration: Date
  }
}

/**
 * {@link CachedCredentials} as stored.
 *
 * @category model
 * @since 0.1.0
 */
export interface CachedCredentialsJson {
  readonly ProviderType: 'sso'
  readonly Credentials: {
    readonly AccessKeyId: string
    readonly SecretAccessKey: string
    readonly SessionToken: string
    readonly Expiration: string
  }
}

/**
 * What an SSO credential cache key is computed from: the account and role, and the
 * `sso-session` name (profiles with `sso_session`) or the start URL (legacy profiles).
 *
 * @category model
 * @since 0.1.0
 */
export interface CredentialCacheKeyInput {
  readonly accountId: string
  readonly roleName: string
  readonly sessionName?: string | undefined
  readonly startUrl?: string | undefined
}

// -------------------------------------------------------------------------------------
// codecs
// -------------------------------------------------------------------------------------

/**
 * io-ts codec of an SSO entry of the CLI credential cache. Unknown fields are dropped; its
 * `encode` reveals the secrets (use it only to write the file).
 *
 * @example
 * import { CachedCredentialsCodec } from 'fp-aws/auth/sso'
 *
 * const r = CachedCredentialsCodec.decode({
 *   ProviderType: 'sso',
 *   Credentials: { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 's3cr3t', SessionToken: 'sess', Expiration: '2030-01-01T00:00:00Z' }
 * })
 * assert.ok(r._tag === 'Right' && r.right.Credentials.AccessKeyId === 'ASIAEXAMPLE')
 * assert.ok(!JSON.stringify(r.right).includes('s3cr3t'))
 * assert.strictEqual(CachedCredentialsCodec.decode({ ProviderType: 'assume-role', Credentials: {} })._tag, 'Left')
 *
 * @category codecs
 * @since 0.1.0
 */
export const CachedCredentialsCodec: t.Type<CachedCredentials, CachedCredentialsJson, unknown> = t.strict(
  {
    ProviderType: t.literal('sso'),
    Credentials: t.strict({
      AccessKeyId: t.string,
      SecretAccessKey: SensitiveString,
      SessionToken: SensitiveString,
      Expiration: TimestampCodec
    })
  },
  'CachedCredentials'
)

// -------------------------------------------------------------------------------------
// keys and paths
// -------------------------------------------------------------------------------------

/**
 * The CLI credential cache directory: `<homedir>/.aws/cli/cache`.
 *
 * @example
 * import { credentialCacheDir } from 'fp-aws/auth/sso'
 *
 * assert.strictEqual(credentialCacheDir('/home/ana'), '/home/ana/.aws/cli/cache')
 *
 * @category paths
 * @since 0.1.0
 */
export const credentialCacheDir = (homedir: string): string => nodePath.join(homedir, '.aws', 'cli', 'cache')

/**
 * Python's `json.dumps(obj, sort_keys=True, separators=(',', ':'))` for an object of
 * strings: keys sorted, no blanks, every character outside printable ASCII escaped as a
 * lowercase `\uXXXX` (`ensure_ascii`).
 *
 * @example
 * import { pythonJsonDumps } from 'fp-aws/auth/sso'
 *
 * assert.strictEqual(pythonJsonDumps({ b: '1', a: 'é' }), '{"a":"\\u00e9","b":"1"}')
 *
 * @category paths
 * @since 0.1.0
 */
export const pythonJsonDumps = (obj: Readonly<Record<string, string>>): string => {
  const sorted: Record<string, string> = {}
  for (const k of Object.keys(obj).sort()) sorted[k] = obj[k] as string
  return JSON.stringify(sorted).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/**
 * The AWS CLI's cache key of SSO role credentials: the SHA-1 (hex) of
 * {@link pythonJsonDumps} of `{ accountId, roleName, sessionName }` when a session name is
 * given, else of `{ accountId, roleName, startUrl }`.
 *
 * @example
 * import { credentialCacheKey } from 'fp-aws/auth/sso'
 *
 * // sha1('{"accountId":"123456789012","roleName":"ReadOnly","sessionName":"my-sso"}')
 * assert.strictEqual(
 *   credentialCacheKey({ accountId: '123456789012', roleName: 'ReadOnly', sessionName: 'my-sso' }),
 *   '31b260dab331b2af063485cea75f7b8b3cf54c71'
 * )
 *
 * @category paths
 * @since 0.1.0
 */
export const credentialCacheKey = (input: CredentialCacheKeyInput): string => {
  const args: Record<string, string> = { accountId: input.accountId, roleName: input.roleName }
  if (input.sessionName !== undefined && input.sessionName !== '') args['sessionName'] = input.sessionName
  else args['startUrl'] = input.startUrl ?? ''
  return sha1Hex(pythonJsonDumps(args))
}

/**
 * Every key the role credentials of one profile may be cached under, most likely first:
 * botocore's key (see {@link credentialCacheKey}); for a profile with `sso_session` and a
 * known start URL, also the start-URL form (the profile may have been converted from a
 * legacy one) and the form with both `sessionName` and `startUrl`. Duplicates removed.
 *
 * @category paths
 * @since 0.1.0
 */
export const credentialCacheKeyCandidates = (input: CredentialCacheKeyInput): ReadonlyArray<string> => {
  const keys = [credentialCacheKey(input)]
  const { accountId, roleName, sessionName, startUrl } = input
  if (sessionName !== undefined && sessionName !== '' && startUrl !== undefined && startUrl !== '') {
    keys.push(credentialCacheKey({ accountId, roleName, startUrl }))
    keys.push(sha1Hex(pythonJsonDumps({ accountId, roleName, sessionName, startUrl })))
  }
  return [...new Set(keys)]
}

/**
 * The path of a CLI credential cache entry: `<homedir>/.aws/cli/cache/<key>.json`.
 *
 * @category paths
 * @since 0.1.0
 */
export const credentialCacheFile = (homedir: string, key: string): string =>
  nodePath.join(credentialCacheDir(homedir), `${key}.json`)

// -------------------------------------------------------------------------------------
// read, write
// -------------------------------------------------------------------------------------

/**
 * Reads and decodes an SSO entry of the CLI credential cache.
 *
 * @category read
 * @since 0.1.0
 */
export const readCachedCredentials = (file: string, options: ReadOptions = {}): TE.TaskEither<CacheError, CachedCredentials> =>
  readJsonFile(CachedCredentialsCodec)(file, options)

/**
 * Writes an SSO entry of the CLI credential cache atomically, mode `0600`.
 * Its directory is resolved and checked first (`writeFileSecure`): one another user could
 * change is refused, with nothing written.
 *
 * @example
 * import * as fs from 'node:fs'
 * import * as os from 'node:os'
 * import * as path from 'node:path'
 * import { sensitive } from 'fp-aws/core/Sensitive'
 * import { credentialCacheFile, credentialCacheKey, readCachedCredentials, writeCachedCredentials } from 'fp-aws/auth/sso'
 *
 * const home = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-doc-'))
 * const file = credentialCacheFile(home, credentialCacheKey({ accountId: '1', roleName: 'r', sessionName: 's' }))
 * const entry = {
 *   ProviderType: 'sso' as const,
 *   Credentials: {
 *     AccessKeyId: 'ASIAEXAMPLE',
 *     SecretAccessKey: sensitive('s3cr3t'),
 *     SessionToken: sensitive('sess'),
 *     Expiration: new Date('2030-01-01T00:00:00Z')
 *   }
 * }
 * void writeCachedCredentials(file, entry)().then(async () => {
 *   assert.strictEqual(fs.statSync(file).mode & 0o777, 0o600)
 *   const r = await readCachedCredentials(file)()
 *   assert.ok(r._tag === 'Right' && r.right.Credentials.AccessKeyId === 'ASIAEXAMPLE')
 *   fs.rmSync(home, { recursive: true })
 * })
 *
 * @category write
 * @since 0.1.0
 */
export const writeCachedCredentials = (file: string, entry: CachedCredentials): TE.TaskEither<FileError, void> =>
  writeJsonFile(CachedCredentialsCodec)(file, entry)
