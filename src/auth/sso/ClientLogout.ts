/**
 * Client-side SSO logout, with the semantics of the AWS CLI v2's `aws sso logout`
 * (`awscli/customizations/sso/logout.py`), made safer.
 *
 * {@link logoutAll} sweeps, like the CLI:
 *
 * 1. every entry of `<home>/.aws/sso/cache` (not only `*.json`): a file whose JSON object
 *    has an `accessToken` key is a token. If it has a `region`, the token is invalidated
 *    with the SSO `Logout` call in that region (unsigned; the `Env` comes from
 *    `envForRegion`, so `AWS_ENDPOINT_URL_SSO` and friends apply), then the file is deleted,
 *    expired or not (the server decides). A `Logout` refused by the portal because the
 *    token is no longer valid (a 4xx with an AWS error type, such as 401
 *    `UnauthorizedException`; not 404, 405, 407, 408 or throttling) is not a failure.
 *    A token without a region is deleted without a call.
 * 2. every entry of `<home>/.aws/cli/cache` whose JSON object has `"ProviderType": "sso"`
 *    is deleted.
 *
 * Everything else is left alone and listed in `kept`: client registrations (no
 * `accessToken`), invalid JSON, JSON that is not an object, other providers' credentials.
 *
 * Where fp-aws is safer than the CLI:
 *
 * - a `Logout` that fails for another reason (network error, timeout, 5xx or throttling
 *   after retries, an endpoint that does not resolve, or answers 404/405 as something that
 *   is not the SSO portal, a 4xx without an AWS error type such as a proxy's 407 or a
 *   firewall's HTML 403) KEEPS the token file — the session may still be live — reports
 *   it in `errors`, and the sweep goes on (the CLI aborts the whole sweep, or deletes the
 *   file on any HTTP error);
 * - a cache whose path another user could change (see `resolveSecure`) is refused: nothing
 *   in it is read, renamed or deleted, and the refusal is in `errors`;
 * - only the files listed when the sweep began are swept, and each only while it is still
 *   the file listed (same device, inode, size and modification time) and holds what was
 *   read: a new sign-in during the sweep is left alone (kept, `ChangedDuringSweep`);
 * - the temporary file of an atomic write (`.NAME.<16 hex>.tmp`) is left alone while the
 *   write may be in flight; one that a crashed writer left (older than `STALE_WRITE_MS` by
 *   the `now` clock given) holds a session like any token file, and is swept;
 * - symbolic links are never followed, read or deleted through (kept, reason `Symlink`);
 *   directories, FIFOs and the like are kept (`NotAFile`), files over 1 MiB too
 *   (`TooLarge`);
 * - unreadable files are kept (`Unreadable`, with the system error code); a cache directory
 *   that cannot be listed is an error, one that does not exist is not; a file whose name is
 *   not valid UTF-8 cannot be opened by name: it is kept and reported as an error (`EILSEQ`),
 *   since it may hold a live token;
 * - a token that is not a string, or a `region` that is neither absent nor a string, is
 *   kept (`MalformedToken`); white space at either end of a token is dropped before the
 *   call (HTTP drops it anyway); an empty token is deleted without a call (there is nothing
 *   to invalidate); a token that cannot be sent as an HTTP header value (a control
 *   character, a character outside Latin-1) is kept and reported (`InvalidationFailed`): a
 *   token file is never deleted while its session may still be live.
 *
 * Up to `concurrency` files (default {@link DEFAULT_LOGOUT_CONCURRENCY}) are swept at a time,
 * so that many `Logout` calls are in flight together; the report lists every file in the order
 * a one-at-a-time sweep gives (name order), whatever order the calls end in. All the calls of
 * a sweep share one retry quota (the `retryQuota` of the first `Env` that `envForRegion`
 * gives): a failing endpoint costs a bounded number of retries, not a retry series per file.
 * Once a call to a region's endpoint fails to connect (`TransportError` `ConnectionRefused`,
 * `DnsFailure`, `Timeout` or `TotalTimeout`: no answer, not an HTTP error), the calls of that
 * region in flight are cancelled and no other is sent: the other token files of that region
 * are kept (`EndpointUnreachable`, also in `errors`, with the first failure's reason); the
 * sessions of the other regions go on.
 *
 * {@link logoutSession} does the same for one session only (by profile, `sso-session` name
 * or start URL, read from the config file): its token file, and the CLI cache entries of
 * the role credentials obtained with it (see {@link logoutSession} for what is matched).
 *
 * The report lists file paths, start URLs, regions and reasons; never a token or a secret.
 *
 * @since 0.1.0
 */
import { randomBytes } from 'node:crypto'
import { closeSync, constants, fstatSync, openSync, renameSync } from 'node:fs'
import * as fs from 'node:fs/promises'
import * as nodePath from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type * as T from 'fp-ts/lib/Task.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { send } from '../../core/AWSRequest.js'
import { isPlainObject, readEnv, readOptions } from '../../core/Args.js'
import { configError, type ConfigError } from '../../core/Config.js'
import { newEnv, type Env } from '../../core/Env.js'
import type { AWSError, TransportError, TransportReason } from '../../core/Error.js'
import { decodeUtf8, readDescriptor } from '../../core/File.js'
import { hasNativeDeadline, NATIVE_DEADLINE, type HttpClient } from '../../core/Http.js'
import { classify, type QuotaRef } from '../../core/Retry.js'
import { escapeControl } from '../../core/Text.js'
import { Logout, newLogout } from '../../services/sso/Logout.js'
import { validateAccessToken } from '../../services/sso/Types.js'
import { credentialCacheDir, credentialCacheFile, credentialCacheKeyCandidates } from './Credentials.js'
import {
  DEFAULT_MAX_FILE_BYTES,
  deleteFile,
  describeReadFailure,
  errorCode,
  fileError,
  identityAt,
  identityOf,
  listDir,
  sameIdentity,
  type DirEntry,
  type FileError,
  type FileIdentity,
  type ReadFailure
} from './File.js'
import { resolveSecure, type UnsafeDirectory } from './Secure.js'
import {
  loadConfigFile,
  sessionCacheId,
  ssoProfile,
  ssoProfiles,
  ssoSession,
  type ConfigInput,
  type SSOConfigError,
  type SSOProfile,
  type SSOSessionRef
} from './Session.js'
import { tokenCacheDir, tokenCacheFile } from './Token.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * What a logout needs.
 *
 * @category model
 * @since 0.1.0
 */
export interface LogoutOptions {
  /** The home directory whose `.aws/sso/cache` and `.aws/cli/cache` are swept. */
  readonly homedir: string
  /**
   * The `Env` of the `Logout` call for a token of `region`: e.g. `(region) => ({ ...base,
   * region })` with `base` from `fromEnvironment`, or `newEnv({ region, endpoint })` to
   * reach an emulator.
   */
  readonly envForRegion: (region: string) => Env
  /** Report what would be done; call nothing, delete nothing (default `false`). */
  readonly dryRun?: boolean
  /** The largest cache file read (default 1 MiB). */
  readonly maxFileBytes?: number
  /**
   * The clock, in epoch milliseconds (e.g. the `now` of an `Env`): a temporary file of an
   * atomic write (`.NAME.<16 hex>.tmp`) last modified more than {@link STALE_WRITE_MS} before
   * the sweep began was left by a writer that crashed, and is swept like any cache file; a
   * newer one is a write in flight, left alone. Without a clock (the default) every such file
   * is left alone (since 0.2.0).
   */
  readonly now?: () => number
  /**
   * How many files are swept at a time, so how many `Logout` calls can be in flight: an
   * integer in 1..256 (default {@link DEFAULT_LOGOUT_CONCURRENCY}); 1 sweeps one file after
   * the other (since 0.2.0).
   */
  readonly concurrency?: number
}

/**
 * How many files a sweep handles at a time by default (see `LogoutOptions.concurrency`): 16.
 *
 * @category constants
 * @since 0.2.0
 */
export const DEFAULT_LOGOUT_CONCURRENCY = 16

/**
 * The largest `concurrency` a sweep accepts: 256.
 *
 * @category constants
 * @since 0.2.0
 */
export const MAX_LOGOUT_CONCURRENCY = 256

/**
 * How a token's session ended: `LoggedOut` (the `Logout` call succeeded),
 * `AlreadyInvalid` (the service refused the token: it was dead already), `WouldLogOut`
 * (dry run).
 *
 * @category model
 * @since 0.1.0
 */
export type InvalidationOutcome = 'LoggedOut' | 'AlreadyInvalid' | 'WouldLogOut'

/**
 * A session invalidated server-side (or that would be, in a dry run).
 *
 * @category model
 * @since 0.1.0
 */
export interface InvalidatedSession {
  /** The token cache file. */
  readonly file: string
  readonly startUrl: string | undefined
  readonly region: string
  readonly outcome: InvalidationOutcome
  /** For `AlreadyInvalid`: the service's error code and HTTP status. */
  readonly code?: string | undefined
  readonly status?: number | undefined
}

/**
 * A deleted cache file (or one that would be, in a dry run). For a token,
 * `invalidation` says what happened to its session first: an {@link InvalidationOutcome},
 * `NoRegion` (no region in the file: deleted without a call, like the CLI) or
 * `InvalidToken` (an empty token: there is no session to invalidate).
 *
 * @category model
 * @since 0.1.0
 */
export type DeletedFile =
  | {
      readonly kind: 'token'
      readonly file: string
      readonly startUrl: string | undefined
      readonly region: string | undefined
      readonly invalidation: InvalidationOutcome | 'NoRegion' | 'InvalidToken'
    }
  | { readonly kind: 'credentials'; readonly file: string }

/**
 * Why a file was left alone. The read failures (`Symlink`, `NotAFile`, `TooLarge`,
 * `Unreadable`, `NotText`), then:
 *
 * - `NotJson`: not valid JSON; `NotAnObject`: JSON, but not an object;
 * - `NotAToken`: a JSON object without `accessToken` (e.g. a client registration);
 * - `MalformedToken`: `accessToken` is not a string, or `region` not a string;
 * - `NotSSOCredentials`: a credential cache entry of another provider;
 * - `InvalidationFailed`: the `Logout` call failed (also in `errors`);
 * - `EndpointUnreachable`: the `Logout` call was not sent, or cancelled, because a call of
 *   the sweep could not connect to the endpoint of the token's region (also in `errors`;
 *   since 0.2.0);
 * - `DeleteFailed`: the file should have gone but could not be deleted (also in `errors`);
 * - `ChangedDuringSweep`: the file changed after the sweep began (its identity — device,
 *   inode, size, modification time — differs from the one seen when the sweep listed the
 *   cache, or its content from what was read): a new sign-in; the new session is left alone;
 * - `ClaimLeftBehind`: a file a sweep had claimed (renamed to `.NAME.<pid>.<hex>.sweep`) and
 *   that its process, now gone, left behind, while a newer `NAME` exists: kept as it is
 *   (one whose `NAME` is free is put back under it, then swept as usual).
 *
 * @category model
 * @since 0.1.0
 */
export type KeptReason =
  | Exclude<ReadFailure['_tag'], 'NotFound'>
  | 'NotJson'
  | 'NotAnObject'
  | 'NotAToken'
  | 'MalformedToken'
  | 'NotSSOCredentials'
  | 'InvalidationFailed'
  | 'EndpointUnreachable'
  | 'DeleteFailed'
  | 'ChangedDuringSweep'
  | 'ClaimLeftBehind'

/**
 * A file left alone, and why.
 *
 * @category model
 * @since 0.1.0
 */
export interface KeptFile {
  readonly file: string
  readonly reason: KeptReason
  readonly message: string
}

/**
 * Something that should have happened and did not: a session not invalidated, a file
 * not deleted, a cache directory not listed, or refused (`check`: a directory on its path
 * could be changed by another user, see `resolveSecure`; `error` is
 * `UnsafeDirectory/<reason>` and `directory` the offending directory). Any of these makes
 * the logout a failure.
 *
 * @category model
 * @since 0.1.0
 */
export interface LogoutProblem {
  readonly file: string
  readonly operation: 'invalidate' | 'delete' | 'list' | 'check'
  readonly message: string
  /** The error's tag and detail: `TransportError`/`ConnectionReset`, `FileError`/`EACCES`, `UnsafeDirectory/Writable`, … */
  readonly error: string
  readonly code?: string | undefined
  /** For `check`: the directory (or symbolic link) on the way that made the cache unsafe. */
  readonly directory?: string | undefined
}

/**
 * What a logout did.
 *
 * @category model
 * @since 0.1.0
 */
export interface LogoutReport {
  readonly dryRun: boolean
  readonly invalidated: ReadonlyArray<InvalidatedSession>
  readonly deleted: ReadonlyArray<DeletedFile>
  readonly kept: ReadonlyArray<KeptFile>
  readonly errors: ReadonlyArray<LogoutProblem>
}

/**
 * Which session {@link logoutSession} logs out.
 *
 * @category model
 * @since 0.1.0
 */
export type LogoutTarget =
  | { readonly _tag: 'Profile'; readonly profile: string }
  | { readonly _tag: 'SSOSession'; readonly name: string }
  | { readonly _tag: 'StartUrl'; readonly startUrl: string }

/**
 * What {@link logoutSession} needs: {@link LogoutOptions}, where the config file is, and
 * the target.
 *
 * @category model
 * @since 0.1.0
 */
export interface LogoutSessionOptions extends LogoutOptions, Omit<ConfigInput, 'homedir'> {
  readonly target: LogoutTarget
}

// -------------------------------------------------------------------------------------
// report
// -------------------------------------------------------------------------------------

interface Builder {
  readonly dryRun: boolean
  readonly invalidated: Array<InvalidatedSession>
  readonly deleted: Array<DeletedFile>
  readonly kept: Array<KeptFile>
  readonly errors: Array<LogoutProblem>
  /** Each cache directory resolved (what the sweep works on) → as asked (what the report shows). */
  readonly shown: Map<string, string>
}

const builder = (dryRun: boolean): Builder => ({ dryRun, invalidated: [], deleted: [], kept: [], errors: [], shown: new Map() })

/** The report names files under the cache directories as asked, not as resolved (`~/.aws` may be a link). */
const freeze = (b: Builder): LogoutReport => {
  const show = <A extends { readonly file: string }>(a: A): A => {
    const dir = b.shown.get(nodePath.dirname(a.file))
    return dir === undefined ? a : { ...a, file: nodePath.join(dir, nodePath.basename(a.file)) }
  }
  return {
    dryRun: b.dryRun,
    invalidated: b.invalidated.map(show),
    deleted: b.deleted.map(show),
    kept: b.kept.map(show),
    errors: b.errors.map(show)
  }
}

/**
 * An empty report.
 *
 * @category constructors
 * @since 0.1.0
 */
export const emptyLogoutReport = (dryRun = false): LogoutReport => freeze(builder(dryRun))

/**
 * Whether a logout fully succeeded: nothing in `errors` (kept files that are not SSO
 * tokens or credentials are not failures). `false` for a value that is not a report.
 *
 * @example
 * import { emptyLogoutReport, isLogoutSuccessful } from 'fp-aws/auth/sso'
 *
 * assert.strictEqual(isLogoutSuccessful(emptyLogoutReport()), true)
 *
 * @category destructors
 * @since 0.1.0
 */
export const isLogoutSuccessful = (r: LogoutReport): boolean => {
  try {
    return Array.isArray(r.errors) && r.errors.length === 0
  } catch {
    return false
  }
}

// -------------------------------------------------------------------------------------
// sweeping one file
// -------------------------------------------------------------------------------------

interface Context {
  readonly options: LogoutOptions
  readonly report: Builder
  /** When the sweep began, by its clock: `NaN` without one (no file is then known to be stale). */
  readonly began: number
  readonly calls: Calls
}

/** What the `Logout` calls of one sweep share. */
interface Calls {
  /** The retry quota of every call: the first `Env`'s. */
  quota: QuotaRef | undefined
  readonly regions: Map<string, RegionState>
}

/** The endpoint of a region, as the sweep knows it. */
interface RegionState {
  /** Cancels the calls of the region in flight once its endpoint is known unreachable. */
  readonly controller: AbortController
  /** The first failure to connect, and the file whose call it was. */
  unreachable: { readonly file: string; readonly error: TransportError } | undefined
  /** The caller's signal joined with `controller`'s, made once for the calls of the region. */
  joined: { readonly from: AbortSignal; readonly signal: AbortSignal } | undefined
}

/** A sweep beginning now: its clock read once, for every staleness it judges. */
const begin = (options: LogoutOptions): Context => ({
  options,
  report: builder(options.dryRun === true),
  began: options.now?.() ?? NaN,
  calls: { quota: undefined, regions: new Map() }
})

/**
 * Sweeps `items`, up to `concurrency` at a time, each with a report of its own; the reports
 * are then added to the sweep's in the order of `items`.
 */
const sweepEach = async <A>(
  ctx: Context,
  items: ReadonlyArray<A>,
  f: (c: Context, a: A) => Promise<void>
): Promise<void> => {
  const reports = items.map(() => builder(ctx.report.dryRun))
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      await f({ ...ctx, report: reports[i] as Builder }, items[i] as A)
    }
  }
  const width = Math.min(ctx.options.concurrency ?? DEFAULT_LOGOUT_CONCURRENCY, items.length)
  await Promise.all(Array.from({ length: width }, worker))
  for (const r of reports) {
    ctx.report.invalidated.push(...r.invalidated)
    ctx.report.deleted.push(...r.deleted)
    ctx.report.kept.push(...r.kept)
    ctx.report.errors.push(...r.errors)
  }
}

/** A cache entry as seen when the sweep began: what it is, and its identity if a file. */
interface Entry extends DirEntry {
  readonly identity?: FileIdentity | undefined
}

const keep = (ctx: Context, file: string, reason: KeptReason, message: string): void => {
  ctx.report.kept.push({ file, reason, message })
}

const has = (o: Record<string, unknown>, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key)

/** What the sweep read of a file: its bytes, as text, and the identity of the file they came from. */
interface Read {
  readonly bytes: Buffer
  readonly text: string
  readonly identity: FileIdentity
}

/** Why the sweep did not read a file: a read failure, or not the file it expected. */
type SweptReadFailure = ReadFailure | { readonly _tag: 'Changed' }

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0
const O_NONBLOCK = constants.O_NONBLOCK ?? 0

const openFailure = (e: unknown): ReadFailure => {
  const code = errorCode(e)
  if (code === 'ENOENT' || code === 'ENOTDIR') return { _tag: 'NotFound' }
  // O_NOFOLLOW on a link: ELOOP (Linux), EMLINK (FreeBSD), EFTYPE (NetBSD)
  if (code === 'ELOOP' || code === 'EMLINK' || code === 'EFTYPE') return { _tag: 'Symlink' }
  // a directory; a socket (ENXIO)
  if (code === 'EISDIR' || code === 'ENXIO') return { _tag: 'NotAFile' }
  return { _tag: 'Unreadable', code }
}

/**
 * Reads a cache file the sweep listed, with four system calls: `open` (`O_NOFOLLOW`: a
 * symbolic link is refused; `O_NONBLOCK`: a FIFO or a device swapped in since the listing
 * does not block the open), `fstat` on the descriptor (anything but a regular file is
 * refused there, before any read; so is a file over `limit` bytes), one `read` of at most
 * `limit + 1` bytes, `close`. No `lstat` before the open: the listing (its file type, then
 * the `lstat` of the snapshot) has already told a file from the rest, and the `fstat`
 * checks again what was opened. The identity is the descriptor's before the read: a write
 * that lands during the read changes it, and the claim (which compares it) sees that. With
 * `expected`, a file of another identity is not read (`Changed`). Never throws.
 */
const readSwept = (file: string, limit: number, expected: FileIdentity | undefined): E.Either<SweptReadFailure, Read> => {
  let fd: number
  try {
    fd = openSync(file, constants.O_RDONLY | O_NONBLOCK | O_NOFOLLOW)
  } catch (e) {
    return E.left(openFailure(e))
  }
  try {
    const st = fstatSync(fd, { bigint: true })
    if (!st.isFile()) return E.left({ _tag: 'NotAFile' })
    if (st.size > BigInt(limit)) return E.left({ _tag: 'TooLarge', limit })
    const identity = identityOf(st)
    if (expected !== undefined && !sameIdentity(identity, expected)) return E.left({ _tag: 'Changed' })
    const bytes = readDescriptor(fd, Number(st.size), limit)
    if (E.isLeft(bytes)) return bytes
    const text = decodeUtf8(bytes.right)
    return text === undefined ? E.left({ _tag: 'NotText' }) : E.right({ bytes: bytes.right, text, identity })
  } catch (e) {
    return E.left(openFailure(e))
  } finally {
    try {
      closeSync(fd)
    } catch {
      // closed or not, the descriptor is no longer ours
    }
  }
}

type Loaded =
  | { readonly _tag: 'Object'; readonly json: Record<string, unknown>; readonly read: Read }
  | { readonly _tag: 'Gone' }
  | { readonly _tag: 'Kept' }

const CHANGED = 'changed since the sweep began (a new sign-in): it is left alone'

/**
 * Reads a cache file as a JSON object; anything else is recorded as kept. A file that is
 * not the one listed when the sweep began (another identity) is kept: it is newer than the
 * sweep.
 */
const load = async (ctx: Context, entry: Entry): Promise<Loaded> => {
  if (entry.kind === 'symlink') {
    keep(ctx, entry.path, 'Symlink', describeReadFailure({ _tag: 'Symlink' }))
    return { _tag: 'Kept' }
  }
  if (entry.kind !== 'file') {
    keep(ctx, entry.path, 'NotAFile', describeReadFailure({ _tag: 'NotAFile' }))
    return { _tag: 'Kept' }
  }
  if (entry.undecodable === true) {
    // its path would name another file, or none: it may be a live token, so it is told, not skipped
    const message =
      'has a name that is not valid UTF-8 (shown with U+FFFD): it cannot be read by name and is left alone; ' +
      'if it is an SSO token, its session may still be live'
    keep(ctx, entry.path, 'Unreadable', message)
    ctx.report.errors.push({
      file: entry.path,
      operation: 'list',
      message: `${entry.path} ${message}`,
      error: 'FileError/EILSEQ',
      code: 'EILSEQ'
    })
    return { _tag: 'Kept' }
  }
  // a file of another identity than the one listed is newer than the sweep: not read, kept
  const r = readSwept(entry.path, ctx.options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, entry.identity)
  if (E.isLeft(r)) {
    const f = r.left
    if (f._tag === 'NotFound') return { _tag: 'Gone' }
    if (f._tag === 'Changed') keep(ctx, entry.path, 'ChangedDuringSweep', CHANGED)
    else keep(ctx, entry.path, f._tag, describeReadFailure(f))
    return { _tag: 'Kept' }
  }
  let json: unknown
  try {
    json = JSON.parse(r.right.text)
  } catch {
    keep(ctx, entry.path, 'NotJson', 'is not valid JSON')
    return { _tag: 'Kept' }
  }
  if (!isPlainObject(json)) {
    keep(ctx, entry.path, 'NotAnObject', `is JSON but not an object (${Array.isArray(json) ? 'array' : json === null ? 'null' : typeof json})`)
    return { _tag: 'Kept' }
  }
  return { _tag: 'Object', json, read: r.right }
}

const deleteFailed = (ctx: Context, { file, message, code }: FileError): void => {
  keep(ctx, file, 'DeleteFailed', message)
  ctx.report.errors.push({ file, operation: 'delete', message, error: `FileError${code === undefined ? '' : `/${code}`}`, code })
}

/**
 * Random bytes for the names of claims, drawn 4 KiB at a time: one call to the system's
 * generator for 512 claims rather than one for each (a sweep makes one claim per file).
 */
let randomPool = Buffer.alloc(0)
let randomAt = 0
const random16Hex = (): string => {
  if (randomAt + 8 > randomPool.length) {
    randomPool = randomBytes(4096)
    randomAt = 0
  }
  randomAt += 8
  return randomPool.toString('hex', randomAt - 8, randomAt)
}

/** The name of a claim: `.NAME.<pid>.<16 hex>.sweep`, in the same directory. */
const claimName = (name: string): string => `.${name}.${process.pid}.${random16Hex()}.sweep`

/** A claim, and the pid of the sweep that made it (none for the claims of fp-aws 0.1). */
const CLAIM = /^\.(.+?)\.(?:(\d+)\.)?([0-9a-f]{16})\.sweep$/

/** The lock a token refresh holds on `<name>.json` (`proper-lockfile`'s directory): not a cache file. */
const REFRESH_LOCK = /\.json\.lock$/

/**
 * The claims this process holds at this moment (their paths). A claim that bears this
 * process's pid and is not in here was made by an earlier process that had the same pid (a
 * container restarted: pids start over) or by a sweep of this process that is over.
 */
const ownClaims = new Set<string>()

/** Whether the process that made a claim (`claim`: its path) may still be running (on this host). */
const alive = (pid: number | undefined, claim: string): boolean => {
  if (pid === undefined || !Number.isSafeInteger(pid) || pid <= 0) return false
  if (pid === process.pid) return ownClaims.has(claim)
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return errorCode(e) === 'EPERM'
  }
}

/**
 * Deletes a cache file only if it still is what the sweep read: the file is first claimed
 * (renamed to a private name in the same directory, atomically), then its identity and
 * content are compared with what was read. A file rewritten meanwhile (`aws sso login`
 * again, in place or atomically) is put back with `link`, which never replaces a newer
 * file, and kept: its new session is left alone.
 */
const removeClaimed = async (ctx: Context, file: string, read: Read, deleted: DeletedFile): Promise<void> => {
  if (ctx.report.dryRun) return void ctx.report.deleted.push(deleted)
  const claim = nodePath.join(nodePath.dirname(file), claimName(nodePath.basename(file)))
  ownClaims.add(claim)
  try {
    await settleClaim(ctx, file, claim, read, deleted)
  } finally {
    ownClaims.delete(claim)
  }
}

const settleClaim = async (ctx: Context, file: string, claim: string, read: Read, deleted: DeletedFile): Promise<void> => {
  try {
    // synchronous, as the reads around it (see `readSwept`): microseconds on a local disk
    renameSync(file, claim)
  } catch (e) {
    // gone already (another sweep, the user): nothing left to delete
    if (errorCode(e) === 'ENOENT') return void ctx.report.deleted.push(deleted)
    return deleteFailed(ctx, fileError('delete', file, e))
  }
  // the same file (identity) holding the same bytes; another identity is not even read
  const now = readSwept(claim, ctx.options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, read.identity)
  if (E.isRight(now) && now.right.bytes.equals(read.bytes)) {
    const r = await deleteFile(claim)()
    if (E.isRight(r)) return void ctx.report.deleted.push(deleted)
    return deleteFailed(ctx, r.left)
  }
  try {
    await fs.link(claim, file)
    await fs.unlink(claim)
    keep(ctx, file, 'ChangedDuringSweep', CHANGED)
  } catch {
    keep(ctx, claim, 'ChangedDuringSweep', `${CHANGED}; a newer file took its place, so it is kept as ${nodePath.basename(claim)}`)
  }
}

/**
 * How old a claim must be (its status changed, by the rename that made it, this long before
 * the sweep began) to count as left behind even though a process with its pid runs: 10
 * minutes. A sweep holds a claim for the time of one read and compare; a live process with
 * an old claim's pid is another process that reused the pid.
 *
 * @category constants
 * @since 0.2.0
 */
export const STALE_CLAIM_MS = 10 * 60_000

/** Whether a claim was made more than {@link STALE_CLAIM_MS} before `began` (never, without a clock). */
const staleClaim = async (claim: string, began: number): Promise<boolean> => {
  if (!Number.isFinite(began)) return false
  try {
    const st = await fs.lstat(claim, { bigint: true })
    return Number(st.ctimeNs / 1_000_000n) <= began - STALE_CLAIM_MS
  } catch {
    return false
  }
}

/**
 * Puts back the claims left by sweeps whose process is gone (crashed, killed) under their
 * name, when that name is free; reports the others. Claims of running sweeps are theirs,
 * unless older than {@link STALE_CLAIM_MS} (by the sweep's clock, when it has one).
 * Returns whether anything was put back.
 */
const recoverClaims = async (ctx: Context, dir: string, entries: ReadonlyArray<DirEntry>): Promise<boolean> => {
  let restored = false
  for (const e of entries) {
    const m = CLAIM.exec(e.name)
    if (m === null || e.kind !== 'file' || e.undecodable === true) continue
    const original = m[1] as string
    const pid = m[2] === undefined ? undefined : Number(m[2])
    if (alive(pid, e.path) && !(await staleClaim(e.path, ctx.began))) continue
    const target = nodePath.join(dir, original)
    const left = `was claimed by a sweep that did not finish${pid === undefined ? '' : ` (process ${pid})`}`
    if (ctx.report.dryRun) {
      keep(ctx, e.path, 'ClaimLeftBehind', `${left}: it would be put back as ${original}`)
      continue
    }
    try {
      await fs.link(e.path, target)
    } catch (err) {
      const code = errorCode(err)
      if (code !== 'ENOENT') {
        keep(ctx, e.path, 'ClaimLeftBehind', `${left}; ${code === 'EEXIST' ? `a newer ${original} exists` : `it cannot be put back (${code ?? 'error'})`}: it is kept`)
      }
      continue
    }
    await fs.unlink(e.path).catch(() => undefined)
    restored = true
  }
  return restored
}

/** Recovers the dead claims of the named files only (`logoutSession`). */
const recoverClaimsOf = async (ctx: Context, dir: string, names: ReadonlyArray<string>): Promise<void> => {
  const listed = await listDir(dir)()
  // a directory that cannot be listed: each planned file is still read, and reported, on its own
  if (E.isLeft(listed)) return
  const claims = listed.right.filter((e) => {
    const m = CLAIM.exec(e.name)
    return m !== null && names.includes(m[1] as string)
  })
  if (claims.length > 0) await recoverClaims(ctx, dir, claims)
}

/** The temporary file of an atomic write (see `writeFileAtomic`): a cache entry only once stale. */
const IN_FLIGHT_WRITE = /^\.(.+)\.[0-9a-f]{16}\.tmp$/

/**
 * How old (last modified before the sweep began) the temporary file of an atomic write must
 * be to count as left by a crashed writer, and be swept: 60 s. A write takes milliseconds.
 *
 * @category constants
 * @since 0.2.0
 */
export const STALE_WRITE_MS = 60_000

/** Whether an entry is the temporary file of a write that may still be in flight. */
const inFlight = (e: Entry, began: number): boolean =>
  IN_FLIGHT_WRITE.test(e.name) &&
  e.undecodable !== true &&
  !(e.identity !== undefined && Number(e.identity.mtimeNs / 1_000_000n) <= began - STALE_WRITE_MS)

const unsafe = (ctx: Context, u: UnsafeDirectory): void => {
  ctx.report.errors.push({
    file: u.path,
    operation: 'check',
    message: `refused the cache: ${u.message}; nothing in it was read or removed`,
    error: `UnsafeDirectory/${u.reason}`,
    code: u.code,
    directory: u.directory
  })
}

/**
 * Resolves a cache directory once, safely (see `resolveSecure`): the resolved path, to be
 * used from then on; `undefined` when it does not exist or was refused (reported).
 */
const resolveCache = async (ctx: Context, dir: string): Promise<string | undefined> => {
  const r = await resolveSecure(dir, 'directory')()
  if (E.isLeft(r)) {
    unsafe(ctx, r.left)
    return undefined
  }
  if (r.right._tag === 'Missing') return undefined
  ctx.report.shown.set(r.right.path, dir)
  return r.right.path
}

/** The identity of every file entry: what the sweep began with. */
const snapshot = async (entries: ReadonlyArray<DirEntry>): Promise<ReadonlyArray<Entry>> => {
  const out: Array<Entry> = []
  for (const e of entries) {
    if (e.kind !== 'file' || e.undecodable === true) {
      out.push(e)
      continue
    }
    const identity = await identityAt(e.path)
    if (identity !== undefined) out.push({ ...e, identity })
  }
  return out
}

/**
 * Lists a cache directory when the sweep begins: resolved and checked, claims left by
 * crashed sweeps recovered, each file's identity noted. Claims, in-flight writes and the lock directories of token refreshes are
 * not entries.
 */
const listCache = async (ctx: Context, requested: string): Promise<ReadonlyArray<Entry>> => {
  const dir = await resolveCache(ctx, requested)
  if (dir === undefined) return []
  const list = async (): Promise<ReadonlyArray<DirEntry> | undefined> => {
    const entries = await listDir(dir)()
    if (E.isRight(entries)) return entries.right
    ctx.report.errors.push({
      file: requested,
      operation: 'list',
      message: entries.left.message,
      error: `FileError${entries.left.code === undefined ? '' : `/${entries.left.code}`}`,
      code: entries.left.code
    })
    return undefined
  }
  let entries = await list()
  if (entries === undefined) return []
  if (await recoverClaims(ctx, dir, entries)) entries = await list()
  if (entries === undefined) return []
  const noted = await snapshot(
    entries.filter(
      (e) => e.undecodable === true || !(CLAIM.test(e.name) || (e.kind === 'directory' && REFRESH_LOCK.test(e.name)))
    )
  )
  return noted.filter((e) => !inFlight(e, ctx.began))
}

/**
 * The portal saying the token is not (or no longer) valid: a 4xx that carries an AWS error
 * type (`x-amzn-errortype`, or `__type`/`code` in a JSON body; without one the code is
 * `UnknownError`), other than throttling and "not this service" (404, 405), a timeout (408)
 * or a proxy asking for credentials (407). A 4xx without an error type (a proxy's or a
 * firewall's page) does not come from the portal: it proves nothing about the token.
 */
const tokenRejected = (e: AWSError): boolean =>
  e._tag === 'ServiceError' &&
  e.status >= 400 &&
  e.status < 500 &&
  e.status !== 404 &&
  e.status !== 405 &&
  e.status !== 407 &&
  e.status !== 408 &&
  e.code !== 'UnknownError' &&
  classify(e) === 'final'

const describeFailure = (e: AWSError): { readonly message: string; readonly error: string; readonly code?: string } => {
  switch (e._tag) {
    case 'TransportError':
      return {
        message: `network error (${e.reason}${e.code === undefined ? '' : `, ${e.code}`})`,
        error: `TransportError/${e.reason}`,
        ...(e.code === undefined ? {} : { code: e.code })
      }
    case 'ServiceError':
      return {
        message:
          e.status === 407
            ? 'HTTP 407: a proxy asks for credentials (not an answer of the SSO portal)'
            : e.code === 'UnknownError'
              ? `HTTP ${e.status} without an AWS error type (not an answer of the SSO portal: a proxy, a firewall?)`
              : `service error ${e.code} (HTTP ${e.status})`,
        error: `ServiceError/${e.code}`,
        code: e.code
      }
    case 'EndpointError':
      return { message: `no endpoint: ${e.message}`, error: 'EndpointError' }
    case 'ValidationError':
      return { message: `invalid ${e.field}: ${e.message}`, error: `ValidationError/${e.field}` }
    case 'SerializeError':
      return { message: 'unreadable response', error: 'SerializeError' }
  }
}

/** The transport failures that tell that a region's endpoint cannot be reached at all. */
const UNREACHABLE: ReadonlySet<TransportReason> = new Set<TransportReason>([
  'ConnectionRefused',
  'DnsFailure',
  'Timeout',
  'TotalTimeout'
])

const regionState = (ctx: Context, region: string): RegionState => {
  let state = ctx.calls.regions.get(region)
  if (state === undefined) {
    state = { controller: new AbortController(), unreachable: undefined, joined: undefined }
    ctx.calls.regions.set(region, state)
  }
  return state
}

/** `signal` and the region's own, aborted when either is: one signal for every call with the same `signal`. */
const joined = (state: RegionState, signal: AbortSignal): AbortSignal => {
  if (state.joined?.from !== signal) state.joined = { from: signal, signal: AbortSignal.any([signal, state.controller.signal]) }
  return state.joined.signal
}

/**
 * The `Env` of one call of the sweep: the sweep's retry quota, cancelled with the calls of
 * its region, watching for a failure to connect. The watch is on the `Env`'s HTTP client
 * (each attempt's answer passes through it), not a hook: a hook makes every call build the
 * redacted views hooks are given, which the sweep does not need. An `Env` that is not one is
 * used as is (`send` says what is wrong with it).
 */
const sweepEnv = (ctx: Context, base: Env, state: RegionState, file: string): Env => {
  const { signal, hooks, retryQuota, http } = base
  if (!Array.isArray(hooks) || !(signal === undefined || signal === null || signal instanceof AbortSignal)) return base
  if (typeof retryQuota?.get !== 'function' || typeof retryQuota.set !== 'function' || typeof http !== 'function') return base
  const watched: HttpClient = async (call) => {
    const r = await http(call)
    if (E.isLeft(r) && UNREACHABLE.has(r.left.reason) && state.unreachable === undefined) {
      state.unreachable = { file, error: r.left }
      state.controller.abort()
    }
    return r
  }
  // a client that keeps the attempt's deadline itself still does (see `NATIVE_DEADLINE`)
  if (hasNativeDeadline(http)) Object.defineProperty(watched, NATIVE_DEADLINE, { value: true })
  return {
    ...base,
    http: watched,
    retryQuota: (ctx.calls.quota ??= retryQuota),
    signal: signal === undefined || signal === null ? state.controller.signal : joined(state, signal)
  }
}

/** What became of a `Logout` call: its result, or not sent (or cancelled) since its endpoint is unreachable. */
type CallResult =
  | { readonly _tag: 'Sent'; readonly result: E.Either<AWSError, void> }
  | { readonly _tag: 'Unreachable'; readonly cause: TransportError }

const callLogout = async (ctx: Context, file: string, token: string, region: string): Promise<CallResult> => {
  let base: Env
  try {
    base = ctx.options.envForRegion(region)
  } catch {
    return { _tag: 'Sent', result: E.left({ _tag: 'EndpointError', message: 'envForRegion failed' }) }
  }
  const state = regionState(ctx, region)
  if (state.unreachable !== undefined) return { _tag: 'Unreachable', cause: state.unreachable.error }
  const r = await send(Logout)(newLogout(token))(sweepEnv(ctx, base, state, file))()
  // set meanwhile, by this call or another one
  const first = state.unreachable as RegionState['unreachable']
  if (E.isLeft(r) && first !== undefined && r.left._tag === 'TransportError' && base.signal?.aborted !== true) {
    // the call that found the endpoint unreachable reports its own failure, not the cancellation of its retries
    return first.file === file
      ? { _tag: 'Sent', result: E.left(first.error) }
      : { _tag: 'Unreachable', cause: first.error }
  }
  return { _tag: 'Sent', result: pipe(r, E.map(() => undefined)) }
}

const sweepToken = async (ctx: Context, entry: Entry, fallbackRegion?: string): Promise<void> => {
  const loaded = await load(ctx, entry)
  if (loaded._tag !== 'Object') return
  const json = loaded.json
  const file = entry.path
  if (!has(json, 'accessToken')) {
    keep(ctx, file, 'NotAToken', 'has no accessToken (not a token: e.g. a client registration)')
    return
  }
  const token = json['accessToken']
  if (typeof token !== 'string') {
    keep(ctx, file, 'MalformedToken', 'has an accessToken that is not a string')
    return
  }
  const startUrl = typeof json['startUrl'] === 'string' ? json['startUrl'] : undefined
  const rawRegion = json['region']
  // the CLI calls Logout when the region is truthy
  if (rawRegion !== undefined && rawRegion !== null && rawRegion !== '' && rawRegion !== false && rawRegion !== 0 && typeof rawRegion !== 'string') {
    keep(ctx, file, 'MalformedToken', 'has a region that is not a string')
    return
  }
  const region = typeof rawRegion === 'string' && rawRegion !== '' ? rawRegion : fallbackRegion
  if (region === undefined) {
    return removeClaimed(ctx, file, loaded.read, { kind: 'token', file, startUrl, region: undefined, invalidation: 'NoRegion' })
  }
  // HTTP drops white space at either end of a header value: send what the server would see
  const sendable = token.replace(/^[\t ]+|[\t ]+$/g, '')
  if (sendable === '') {
    return removeClaimed(ctx, file, loaded.read, { kind: 'token', file, startUrl, region, invalidation: 'InvalidToken' })
  }
  if (E.isLeft(validateAccessToken(sendable))) {
    const message = `could not invalidate the session of ${startUrl ?? 'an unknown start URL'} in ${region}: its token cannot be sent as an HTTP header value; the token file is kept`
    keep(ctx, file, 'InvalidationFailed', message)
    ctx.report.errors.push({ file, operation: 'invalidate', message, error: 'ValidationError', code: undefined })
    return
  }
  if (ctx.report.dryRun) {
    ctx.report.invalidated.push({ file, startUrl, region, outcome: 'WouldLogOut' })
    return removeClaimed(ctx, file, loaded.read, { kind: 'token', file, startUrl, region, invalidation: 'WouldLogOut' })
  }
  const call = await callLogout(ctx, file, sendable, region)
  if (call._tag === 'Unreachable') {
    const d = describeFailure(call.cause)
    const message =
      `could not invalidate the session of ${startUrl ?? 'an unknown start URL'} in ${region}: not sent, the endpoint ` +
      `of ${region} is unreachable (${d.message} on an earlier call); the token file is kept`
    keep(ctx, file, 'EndpointUnreachable', message)
    ctx.report.errors.push({ file, operation: 'invalidate', message, error: 'EndpointUnreachable', code: d.code })
    return
  }
  const r = call.result
  if (E.isLeft(r) && !tokenRejected(r.left)) {
    const d = describeFailure(r.left)
    const message = `could not invalidate the session of ${startUrl ?? 'an unknown start URL'} in ${region}: ${d.message}; the token file is kept`
    keep(ctx, file, 'InvalidationFailed', message)
    ctx.report.errors.push({ file, operation: 'invalidate', message, error: d.error, code: d.code })
    return
  }
  const outcome: InvalidationOutcome = E.isRight(r) ? 'LoggedOut' : 'AlreadyInvalid'
  ctx.report.invalidated.push({
    file,
    startUrl,
    region,
    outcome,
    ...(E.isLeft(r) && r.left._tag === 'ServiceError' ? { code: r.left.code, status: r.left.status } : {})
  })
  return removeClaimed(ctx, file, loaded.read, { kind: 'token', file, startUrl, region, invalidation: outcome })
}

const sweepCredentials = async (ctx: Context, entry: Entry): Promise<void> => {
  const loaded = await load(ctx, entry)
  if (loaded._tag !== 'Object') return
  if (loaded.json['ProviderType'] !== 'sso') {
    keep(ctx, entry.path, 'NotSSOCredentials', 'is not an SSO credential cache entry')
    return
  }
  return removeClaimed(ctx, entry.path, loaded.read, { kind: 'credentials', file: entry.path })
}

/**
 * The temporary files that crashed writes of the named files left (`logoutSession`), as
 * entries, each with the name it was to have; those that may be in flight are not.
 */
const staleWritesOf = async (
  ctx: Context,
  dir: string,
  names: ReadonlyArray<string>
): Promise<ReadonlyArray<readonly [Entry, string]>> => {
  const listed = await listDir(dir)()
  if (E.isLeft(listed)) return []
  const out: Array<readonly [Entry, string]> = []
  for (const e of await snapshot(listed.right.filter((e) => names.includes(IN_FLIGHT_WRITE.exec(e.name)?.[1] ?? '')))) {
    const name = IN_FLIGHT_WRITE.exec(e.name)?.[1]
    if (name !== undefined && !inFlight(e, ctx.began)) out.push([e, name])
  }
  return out
}

/** A planned cache file (`logoutSession`) as an entry, as it is when the sweep begins; `undefined` if absent. */
const entryAt = async (dir: string, name: string): Promise<Entry | undefined> => {
  const file = nodePath.join(dir, name)
  try {
    const st = await fs.lstat(file, { bigint: true })
    const kind = st.isSymbolicLink() ? 'symlink' : st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'other'
    return { name, path: file, kind, ...(kind === 'file' ? { identity: identityOf(st) } : {}) }
  } catch (e) {
    const code = errorCode(e)
    // anything but absence: let `load` read it and report why it cannot
    return code === 'ENOENT' || code === 'ENOTDIR' ? undefined : { name, path: file, kind: 'file' }
  }
}

// -------------------------------------------------------------------------------------
// logout
// -------------------------------------------------------------------------------------

/**
 * Logs out of every SSO session cached under `homedir`, as `aws sso logout` does (see the
 * module description for the rules and where fp-aws is safer). Never fails: every problem
 * is in the report's `errors`, and {@link isLogoutSuccessful} tells whether there was one.
 * Up to `concurrency` files are handled at a time (default
 * {@link DEFAULT_LOGOUT_CONCURRENCY}); the report lists them in name order.
 *
 * @example
 * import * as fs from 'node:fs'
 * import * as os from 'node:os'
 * import * as path from 'node:path'
 * import { newEnv } from 'fp-aws'
 * import { logoutAll, tokenCacheDir } from 'fp-aws/auth/sso'
 * import { startEmulator } from 'fp-aws/emulator'
 *
 * void startEmulator({ tokens: { 'live-token': {} } })().then(async (started) => {
 *   if (started._tag === 'Left') return
 *   const emulator = started.right
 *   const home = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-doc-'))
 *   const dir = tokenCacheDir(home)
 *   fs.mkdirSync(dir, { recursive: true })
 *   fs.writeFileSync(
 *     path.join(dir, 'a.json'),
 *     JSON.stringify({ startUrl: 'https://x.awsapps.com/start', region: 'us-east-1', accessToken: 'live-token', expiresAt: '2030-01-01T00:00:00Z' })
 *   )
 *   fs.writeFileSync(path.join(dir, 'registration.json'), JSON.stringify({ clientId: 'c', clientSecret: 's' }))
 *   const report = await logoutAll({ homedir: home, envForRegion: (region) => newEnv({ region, endpoint: emulator.url }) })()
 *   assert.strictEqual(emulator.isLoggedOut('live-token'), true)
 *   assert.deepStrictEqual(report.invalidated.map((i) => i.outcome), ['LoggedOut'])
 *   assert.deepStrictEqual(report.kept.map((k) => k.reason), ['NotAToken'])
 *   assert.deepStrictEqual(fs.readdirSync(dir), ['registration.json'])
 *   fs.rmSync(home, { recursive: true })
 *   await emulator.close()
 * })
 *
 * @category logout
 * @since 0.1.0
 */
export const logoutAll =
  (options: LogoutOptions): T.Task<LogoutReport> =>
  async () => {
    const checked = checkLogoutOptions(options, 'logoutAll')
    if (E.isLeft(checked)) return optionsProblem(checked.left)
    try {
      return await sweepAll(checked.right)
    } catch {
      return optionsProblem('logoutAll failed unexpectedly (a function given in its options threw)')
    }
  }

const sweepAll = async (options: LogoutOptions): Promise<LogoutReport> => {
  const ctx = begin(options)
  // both caches are listed when the sweep begins: a file written later is not swept
  const tokens = await listCache(ctx, tokenCacheDir(options.homedir))
  const credentials = await listCache(ctx, credentialCacheDir(options.homedir))
  await sweepEach(ctx, tokens, (c, e) => sweepToken(c, e))
  await sweepEach(ctx, credentials, sweepCredentials)
  return freeze(ctx.report)
}

/** A report of options that could not be used: nothing read, called or deleted. */
const optionsProblem = (message: string): LogoutReport =>
  freeze({ ...builder(false), errors: [{ file: '', operation: 'list', message, error: 'ValidationError' }] })

/** The options a JavaScript caller passed, checked and read once (a getter runs once). */
const checkLogoutOptions = (options: unknown, who: string): E.Either<string, LogoutOptions> => {
  const read = readOptions(options, ['homedir', 'envForRegion', 'dryRun', 'maxFileBytes', 'now', 'concurrency'])
  if (E.isLeft(read)) return E.left(`the options of ${who} ${read.left}`)
  const { homedir, envForRegion, dryRun, maxFileBytes, now, concurrency } = read.right
  if (typeof homedir !== 'string' || homedir === '') return E.left(`the homedir of ${who} must be a non-empty string`)
  if (typeof envForRegion !== 'function') return E.left(`the envForRegion of ${who} must be a function`)
  if (dryRun !== undefined && typeof dryRun !== 'boolean') return E.left(`the dryRun of ${who} must be a boolean`)
  if (maxFileBytes !== undefined && !(typeof maxFileBytes === 'number' && Number.isSafeInteger(maxFileBytes) && maxFileBytes > 0)) {
    return E.left(`the maxFileBytes of ${who} must be a positive integer`)
  }
  if (now !== undefined && typeof now !== 'function') return E.left(`the now of ${who} must be a function`)
  if (
    concurrency !== undefined &&
    !(
      typeof concurrency === 'number' &&
      Number.isSafeInteger(concurrency) &&
      concurrency >= 1 &&
      concurrency <= MAX_LOGOUT_CONCURRENCY
    )
  ) {
    return E.left(`the concurrency of ${who} must be an integer in 1..${MAX_LOGOUT_CONCURRENCY}`)
  }
  const f = envForRegion as (region: string) => Env
  const clock = now as (() => unknown) | undefined
  return E.right({
    ...(read.right as Partial<LogoutOptions>),
    homedir,
    // a throwing envForRegion makes that one Logout call a ValidationError (the token is kept)
    envForRegion: (region: string): Env => {
      try {
        return f(region)
      } catch {
        return { ...newEnv(), invalidOptions: `the envForRegion of ${who} threw` }
      }
    },
    ...(dryRun === undefined ? {} : { dryRun }),
    ...(maxFileBytes === undefined ? {} : { maxFileBytes }),
    // a clock that throws or is not a number: no temporary file counts as stale
    ...(clock === undefined
      ? {}
      : {
          now: (): number => {
            try {
              const t = clock()
              return typeof t === 'number' ? t : NaN
            } catch {
              return NaN
            }
          }
        })
  })
}

interface Plan {
  /** Token cache files, with the region the config gives the session (used when the file has none). */
  readonly tokens: ReadonlyArray<{ readonly file: string; readonly region: string | undefined }>
  readonly credentials: ReadonlyArray<string>
}

const sameSession = (a: SSOSessionRef, b: SSOSessionRef): boolean =>
  a._tag === 'SSOSession' ? b._tag === 'SSOSession' && a.name === b.name : b._tag === 'Legacy' && a.startUrl === b.startUrl

const plan = (
  homedir: string,
  sessions: ReadonlyArray<SSOSessionRef>,
  profiles: ReadonlyArray<SSOProfile>
): Plan => {
  const tokens = new Map<string, string | undefined>()
  for (const s of sessions) {
    const file = tokenCacheFile(homedir, sessionCacheId(s))
    if (!tokens.has(file) || tokens.get(file) === undefined) tokens.set(file, s.region)
  }
  const credentials = new Set<string>()
  for (const p of profiles) {
    if (p.accountId === undefined || p.roleName === undefined) continue
    if (!sessions.some((s) => sameSession(s, p.session))) continue
    const keys = credentialCacheKeyCandidates({
      accountId: p.accountId,
      roleName: p.roleName,
      sessionName: p.session._tag === 'SSOSession' ? p.session.name : undefined,
      startUrl: p.session.startUrl
    })
    for (const k of keys) credentials.add(credentialCacheFile(homedir, k))
  }
  return { tokens: [...tokens].map(([file, region]) => ({ file, region })), credentials: [...credentials] }
}

/**
 * Logs out of one SSO session, found in the config file (`AWS_CONFIG_FILE`, else
 * `<homedir>/.aws/config`):
 *
 * - `Profile`: the session of that profile (its `sso_session`, or its `sso_start_url` for a
 *   legacy profile); an unknown profile or one that is not an SSO profile is a
 *   `SSOConfigError`;
 * - `SSOSession`: that `[sso-session NAME]` (it must exist);
 * - `StartUrl`: the legacy session of that exact start URL, and every `sso-session` whose
 *   `sso_start_url` is that URL (nothing needs to be configured for the legacy one).
 *
 * Its token file (`sha1(session name)` or `sha1(start URL)`), and the temporary file a
 * crashed write of it left (stale by the `now` clock given), is invalidated and deleted
 * like in {@link logoutAll}; when the file has no region, the session's configured
 * `sso_region` is used. Then, for every profile of the config file that uses the same
 * session and has `sso_account_id` and `sso_role_name`, the CLI credential cache entries
 * under every key the CLI may have used (see `credentialCacheKeyCandidates`) are deleted
 * if they are SSO entries. A file that does not exist is simply not there: no error.
 *
 * @category logout
 * @since 0.1.0
 */
export const logoutSession = (options: LogoutSessionOptions): TE.TaskEither<ConfigError | SSOConfigError, LogoutReport> => {
  const bad = (what: string): TE.TaskEither<ConfigError | SSOConfigError, LogoutReport> =>
    TE.left(configError('logoutSession', what))
  const checked = checkLogoutOptions(options, 'logoutSession')
  if (E.isLeft(checked)) return bad(checked.left)
  const more = readOptions(options, ['env', 'readFile', 'target'])
  if (E.isLeft(more)) return bad(`the options of logoutSession ${more.left}`)
  const env = readEnv(more.right.env)
  if (E.isLeft(env)) return bad(`the env of logoutSession ${env.left}`)
  const { readFile } = more.right
  if (readFile !== undefined && typeof readFile !== 'function') return bad('the readFile of logoutSession must be a function')
  const target = readOptions(more.right.target, ['_tag', 'profile', 'name', 'startUrl'])
  if (E.isLeft(target) || more.right.target === undefined || more.right.target === null) {
    return bad('the target of logoutSession must be an object')
  }
  const t = target.right
  const valid: LogoutTarget | undefined =
    t._tag === 'Profile' && typeof t.profile === 'string'
      ? { _tag: 'Profile', profile: t.profile }
      : t._tag === 'SSOSession' && typeof t.name === 'string'
        ? { _tag: 'SSOSession', name: t.name }
        : t._tag === 'StartUrl' && typeof t.startUrl === 'string'
          ? { _tag: 'StartUrl', startUrl: t.startUrl }
          : undefined
  if (valid === undefined) return bad("the target of logoutSession must be a Profile, SSOSession or StartUrl target")
  const run = sessionLogout({
    ...checked.right,
    env: env.right,
    target: valid,
    ...(readFile === undefined ? {} : { readFile: readFile as NonNullable<LogoutSessionOptions['readFile']> })
  })
  return () => run().catch(() => E.left(configError('logoutSession', 'logoutSession failed unexpectedly')))
}

const sessionLogout = (options: LogoutSessionOptions): TE.TaskEither<ConfigError | SSOConfigError, LogoutReport> =>
  pipe(
    loadConfigFile({ env: options.env, homedir: options.homedir, readFile: options.readFile }),
    TE.chainEitherKW(({ path, file }): E.Either<SSOConfigError, Plan> => {
      const all = ssoProfiles(file, path)
      const target = options.target
      switch (target._tag) {
        case 'Profile':
          return pipe(
            ssoProfile(file, target.profile, path),
            E.map((p) => plan(options.homedir, [p.session], all))
          )
        case 'SSOSession':
          return pipe(
            ssoSession(file, target.name, path),
            E.map((s) => plan(options.homedir, [s], all))
          )
        case 'StartUrl': {
          const legacyRegion = all.find((p) => p.session._tag === 'Legacy' && p.session.startUrl === target.startUrl)
            ?.session.region
          const sessions: Array<SSOSessionRef> = [{ _tag: 'Legacy', startUrl: target.startUrl, region: legacyRegion }]
          for (const name of file.ssoSessions.keys()) {
            const s = ssoSession(file, name, path)
            if (E.isRight(s) && s.right.startUrl === target.startUrl) sessions.push(s.right)
          }
          return E.right(plan(options.homedir, sessions, all))
        }
      }
    }),
    TE.chainW(
      (p): TE.TaskEither<never, LogoutReport> =>
        () =>
        (async () => {
          const ctx = begin(options)
          // each cache resolved and checked once; every planned file noted when the sweep begins
          const tokenDir = p.tokens.length === 0 ? undefined : await resolveCache(ctx, tokenCacheDir(options.homedir))
          const credDir = p.credentials.length === 0 ? undefined : await resolveCache(ctx, credentialCacheDir(options.homedir))
          const tokens: Array<readonly [Entry, string | undefined]> = []
          const credentials: Array<Entry> = []
          if (tokenDir !== undefined) {
            await recoverClaimsOf(ctx, tokenDir, p.tokens.map(({ file }) => nodePath.basename(file)))
            for (const { file, region } of p.tokens) {
              const entry = await entryAt(tokenDir, nodePath.basename(file))
              if (entry !== undefined) tokens.push([entry, region])
            }
            const regions = new Map(p.tokens.map(({ file, region }) => [nodePath.basename(file), region]))
            for (const [entry, name] of await staleWritesOf(ctx, tokenDir, [...regions.keys()])) {
              tokens.push([entry, regions.get(name)])
            }
          }
          if (credDir !== undefined) {
            await recoverClaimsOf(ctx, credDir, p.credentials.map((file) => nodePath.basename(file)))
            for (const file of p.credentials) {
              const entry = await entryAt(credDir, nodePath.basename(file))
              if (entry !== undefined) credentials.push(entry)
            }
            const names = p.credentials.map((file) => nodePath.basename(file))
            for (const [entry] of await staleWritesOf(ctx, credDir, names)) credentials.push(entry)
          }
          await sweepEach(ctx, tokens, (c, [entry, region]) => sweepToken(c, entry, region))
          await sweepEach(ctx, credentials, sweepCredentials)
          return E.right(freeze(ctx.report))
        })()
    )
  )

// -------------------------------------------------------------------------------------
// display
// -------------------------------------------------------------------------------------

/** Kept files that are simply not SSO tokens or SSO credentials: counted, not listed. */
const ordinary = (k: KeptFile): boolean => k.reason === 'NotAToken' || k.reason === 'NotSSOCredentials'

/** One line per entry, each value with its control characters escaped (see `escapeControl`). */
const showLines = (lines: ReadonlyArray<string>): string => lines.map((l) => `${escapeControl(l)}\n`).join('')

/**
 * What a logout did, for a person: the sessions invalidated, the files removed, how many
 * ordinary non-SSO files were left alone; or that nothing was found. What went wrong is
 * in {@link showLogoutProblems}. Control characters in file names and start URLs are
 * escaped (`\n`, `\x1b`, …), so that a hostile cache file can neither forge a line nor
 * drive the terminal. No token, no secret. `''` for a value that is not a report.
 *
 * @example
 * import { emptyLogoutReport, showLogoutResults } from 'fp-aws/auth/sso'
 *
 * assert.strictEqual(showLogoutResults(emptyLogoutReport()), 'No cached SSO token or credentials found.\n')
 *
 * @category display
 * @since 0.2.0
 */
export const showLogoutResults = (r: LogoutReport): string => {
  try {
    return showLines(resultLines(r))
  } catch {
    return ''
  }
}

const resultLines = (r: LogoutReport): ReadonlyArray<string> => {
  const lines: Array<string> = []
  if (r.invalidated.length === 0 && r.deleted.length === 0 && r.errors.length === 0) {
    lines.push('No cached SSO token or credentials found.')
  }
  for (const i of r.invalidated) {
    const what = `the SSO session of ${i.startUrl ?? 'an unknown start URL'} (${i.region})`
    lines.push(
      i.outcome === 'LoggedOut'
        ? `Invalidated ${what}`
        : i.outcome === 'AlreadyInvalid'
          ? `Session already invalid: ${what}${i.code === undefined ? '' : ` (${i.code})`}`
          : `Would invalidate ${what}`
    )
  }
  for (const d of r.deleted) {
    const verb = r.dryRun ? 'Would remove' : 'Removed'
    if (d.kind === 'credentials') {
      lines.push(`${verb} cached SSO credentials ${d.file}`)
    } else {
      const note =
        d.invalidation === 'NoRegion'
          ? ' (no region: not invalidated server-side)'
          : d.invalidation === 'InvalidToken'
            ? ' (empty token: nothing to invalidate)'
            : ''
      lines.push(`${verb} cached SSO token ${d.file}${note}`)
    }
  }
  const others = r.kept.filter(ordinary).length
  if (others > 0) lines.push(`Left alone ${others} other cache file${others === 1 ? '' : 's'} (not SSO tokens or SSO credentials).`)
  return lines
}

/**
 * What went wrong in a logout, for a person: the files kept for a reason worth telling
 * (`Kept <file>: <why>`), then the errors (`Error: <message>`), each failure told once;
 * `''` when there is nothing to tell (or for a value that is not a report). Control
 * characters are escaped as in {@link showLogoutResults}.
 *
 * @example
 * import { emptyLogoutReport, showLogoutProblems } from 'fp-aws/auth/sso'
 *
 * assert.strictEqual(showLogoutProblems(emptyLogoutReport()), '')
 *
 * @category display
 * @since 0.2.0
 */
export const showLogoutProblems = (r: LogoutReport): string => {
  try {
    return showLines([
      // failures are told once, as errors
      ...r.kept
        .filter(
          (k) =>
            !ordinary(k) &&
            k.reason !== 'InvalidationFailed' &&
            k.reason !== 'DeleteFailed' &&
            !r.errors.some((e) => e.file === k.file)
        )
        .map((k) => `Kept ${k.file}: ${k.message}`),
      ...r.errors.map((e) => `Error: ${e.message}`)
    ])
  } catch {
    return ''
  }
}

/**
 * A report for a person: {@link showLogoutResults}, then {@link showLogoutProblems}; `''`
 * for a value that is not a report.
 *
 * @example
 * import { emptyLogoutReport, showLogoutReport } from 'fp-aws/auth/sso'
 *
 * assert.strictEqual(showLogoutReport(emptyLogoutReport()), 'No cached SSO token or credentials found.\n')
 *
 * @category display
 * @since 0.1.0
 */
export const showLogoutReport = (r: LogoutReport): string => showLogoutResults(r) + showLogoutProblems(r)
