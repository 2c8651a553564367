/**
 * The file primitives of the SSO caches (Node only): a bounded read that can refuse to
 * follow symbolic links (re-exported from `fp-aws/core/File`), an atomic write (a temporary file in the same directory, then a
 * rename) with mode `0600`, a directory listing that tells files, links and the rest apart,
 * and a delete. None of them throws; failures are values, and no failure holds the content
 * of a file (a cache file holds secrets).
 *
 * @since 0.1.0
 */
import { randomBytes } from 'node:crypto'
import { constants, unlinkSync, type Dirent } from 'node:fs'
import * as fs from 'node:fs/promises'
import * as nodePath from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { UnsafeDirectory } from './Secure.js'
import { errorCode } from '../../core/File.js'

export type {
  /**
   * Why a cache file could not be read as text (see `fp-aws/core/File`).
   *
   * @category model
   * @since 0.1.0
   */
  ReadFailure,
  /**
   * How {@link readBounded} reads (see `fp-aws/core/File`).
   *
   * @category model
   * @since 0.1.0
   */
  ReadOptions
} from '../../core/File.js'

export {
  /**
   * The largest cache file read: 1 MiB. A token or a credentials file is a few hundred
   * bytes; anything bigger is not one.
   *
   * @category constants
   * @since 0.1.0
   */
  DEFAULT_MAX_FILE_BYTES,
  /**
   * The `code` of a system error, if it has one.
   *
   * @category destructors
   * @since 0.1.0
   */
  errorCode,
  /**
   * A one-line description of a read failure, with no content in it.
   *
   * @example
   * import { describeReadFailure } from 'fp-aws/auth/sso'
   *
   * assert.strictEqual(describeReadFailure({ _tag: 'Unreadable', code: 'EACCES' }), 'cannot be read (EACCES)')
   *
   * @category destructors
   * @since 0.1.0
   */
  describeReadFailure,
  /**
   * Reads a file as UTF-8 text, at most `maxBytes` of it (1 MiB by default), refusing a
   * symbolic link unless `followSymlinks`, and a FIFO or a device without blocking on it.
   * Never rejects. The same function as `readBounded` of `fp-aws/core/File`.
   *
   * @example
   * import * as fs from 'node:fs'
   * import * as os from 'node:os'
   * import * as path from 'node:path'
   * import { readBounded } from 'fp-aws/auth/sso'
   *
   * const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-doc-'))
   * fs.writeFileSync(path.join(dir, 'a.json'), '{"x":1}')
   * fs.symlinkSync(path.join(dir, 'a.json'), path.join(dir, 'link.json'))
   * void Promise.all([
   *   readBounded(path.join(dir, 'a.json'))(),
   *   readBounded(path.join(dir, 'link.json'))(),
   *   readBounded(path.join(dir, 'a.json'), { maxBytes: 3 })()
   * ]).then(([a, link, big]) => {
   *   assert.deepStrictEqual(a, { _tag: 'Right', right: '{"x":1}' })
   *   assert.deepStrictEqual(link, { _tag: 'Left', left: { _tag: 'Symlink' } })
   *   assert.deepStrictEqual(big, { _tag: 'Left', left: { _tag: 'TooLarge', limit: 3 } })
   *   fs.rmSync(dir, { recursive: true })
   * })
   *
   * @category read
   * @since 0.1.0
   */
  readBounded
} from '../../core/File.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A file-system operation on a cache file failed. `code` is the system error code where
 * there is one; the message names the operation and the file, never its content.
 *
 * @category model
 * @since 0.1.0
 */
export interface FileError {
  readonly _tag: 'FileError'
  readonly operation: 'write' | 'delete' | 'list'
  readonly file: string
  readonly code: string | undefined
  readonly message: string
  /** Set when the file's directory was refused (see `resolveSecure`): nothing was written. */
  readonly unsafe?: UnsafeDirectory | undefined
}

/**
 * What a directory entry is, without following it.
 *
 * @category model
 * @since 0.1.0
 */
export type EntryKind = 'file' | 'symlink' | 'directory' | 'other'

/**
 * One entry of a cache directory.
 *
 * @category model
 * @since 0.1.0
 */
export interface DirEntry {
  /** The entry's name in the directory. */
  readonly name: string
  /** Its path: the directory joined with the name. */
  readonly path: string
  readonly kind: EntryKind
  /**
   * Set when the name on disk is not valid UTF-8 (Linux names are bytes): `name` then shows
   * each invalid byte as U+FFFD, and `path` names another file, or none (since 0.2.0).
   */
  readonly undecodable?: true
}

// -------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------

/**
 * The mode of every cache file written: `0600`, read and write for the owner only.
 *
 * @category constants
 * @since 0.1.0
 */
export const CACHE_FILE_MODE = 0o600

/**
 * The mode of a cache directory created by a write: `0700`.
 *
 * @category constants
 * @since 0.1.0
 */
export const CACHE_DIR_MODE = 0o700

// -------------------------------------------------------------------------------------
// helpers
// -------------------------------------------------------------------------------------

/**
 * Builds a `FileError`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fileError = (operation: FileError['operation'], file: string, e: unknown): FileError => {
  if (typeof file !== 'string') file = '<not a path>'
  if (operation !== 'write' && operation !== 'delete' && operation !== 'list') operation = 'write'
  const code = errorCode(e)
  return {
    _tag: 'FileError',
    operation,
    file,
    code,
    message: `cannot ${operation} ${file}${code === undefined ? '' : ` (${code})`}`
  }
}

export type {
  /**
   * What a file is, as far as a change can be seen (see `fp-aws/core/File`).
   *
   * @category model
   * @since 0.2.0
   */
  FileIdentity
} from '../../core/File.js'

export {
  /**
   * The identity of a `bigint` stat (of anything else: one the same as nothing).
   *
   * @category constructors
   * @since 0.2.0
   */
  identityOf,
  /**
   * Whether two identities are the same file, unchanged (`false` for a value that is not one).
   *
   * @category destructors
   * @since 0.2.0
   */
  sameIdentity,
  /**
   * The identity of a directory entry, without following a link; `undefined` if it does not
   * exist.
   *
   * @category read
   * @since 0.2.0
   */
  identityAt,
  /**
   * Like `readBounded`, and also returns the identity of the file that was read, from the
   * open descriptor.
   *
   * @category read
   * @since 0.2.0
   */
  readBoundedIdentified
} from '../../core/File.js'

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0

// -------------------------------------------------------------------------------------
// write
// -------------------------------------------------------------------------------------

/**
 * Writes a file atomically: the text goes to a new temporary file in the same directory
 * (created exclusively, mode `0600` whatever the umask, flushed to disk), which is then
 * renamed over `file`. A reader sees the old content or the new one, never a part. The
 * directory is created (mode `0700`) if missing. On failure the temporary file is removed.
 *
 * @example
 * import * as fs from 'node:fs'
 * import * as os from 'node:os'
 * import * as path from 'node:path'
 * import { writeFileAtomic } from 'fp-aws/auth/sso'
 *
 * const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-doc-'))
 * const file = path.join(dir, 'sub', 'a.json')
 * void writeFileAtomic(file, '{}')().then((r) => {
 *   assert.strictEqual(r._tag, 'Right')
 *   assert.strictEqual(fs.statSync(file).mode & 0o777, 0o600)
 *   assert.deepStrictEqual(fs.readdirSync(path.join(dir, 'sub')), ['a.json'])
 *   fs.rmSync(dir, { recursive: true })
 * })
 *
 * @category write
 * @since 0.1.0
 */
export const writeFileAtomic =
  (file: string, text: string, mode: number = CACHE_FILE_MODE): TE.TaskEither<FileError, void> =>
  async () => {
    if (typeof file !== 'string' || file === '') return E.left(fileError('write', file, undefined))
    if (typeof text !== 'string') return E.left(fileError('write', file, { code: 'ERR_INVALID_ARG_TYPE' }))
    if (!Number.isSafeInteger(mode) || mode < 0 || mode > 0o7777) mode = CACHE_FILE_MODE
    const dir = nodePath.dirname(file)
    const tmp = nodePath.join(dir, `.${nodePath.basename(file)}.${randomBytes(8).toString('hex')}.tmp`)
    try {
      await fs.mkdir(dir, { recursive: true, mode: CACHE_DIR_MODE })
    } catch (e) {
      return E.left(fileError('write', file, e))
    }
    let created = false
    try {
      const handle = await fs.open(
        tmp,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW,
        mode
      )
      created = true
      try {
        await handle.chmod(mode)
        await handle.writeFile(text, 'utf8')
        await handle.sync()
      } finally {
        await handle.close()
      }
      await fs.rename(tmp, file)
      return E.right(undefined)
    } catch (e) {
      if (created) await fs.unlink(tmp).catch(() => undefined)
      return E.left(fileError('write', file, e))
    }
  }

// -------------------------------------------------------------------------------------
// list, delete
// -------------------------------------------------------------------------------------

const kindOf = (d: Dirent | Dirent<Buffer>): EntryKind =>
  d.isSymbolicLink() ? 'symlink' : d.isFile() ? 'file' : d.isDirectory() ? 'directory' : 'other'

/** An entry from its name as bytes: decoded as UTF-8, and marked when that loses bytes. */
const entryOf = (dir: string, d: Dirent<Buffer>): DirEntry => {
  const raw = d.name
  const name = raw.toString('utf8')
  return {
    name,
    path: nodePath.join(dir, name),
    kind: kindOf(d),
    ...(Buffer.from(name, 'utf8').equals(raw) ? {} : { undecodable: true as const })
  }
}

/**
 * Lists a directory, every entry (not only `*.json`), sorted by name, links not followed.
 * A name that is not valid UTF-8 is marked `undecodable`.
 * A directory that does not exist (or is not a directory) lists as empty; any other
 * failure (`EACCES`, …) is a `FileError`.
 *
 * @example
 * import * as fs from 'node:fs'
 * import * as os from 'node:os'
 * import * as path from 'node:path'
 * import { listDir } from 'fp-aws/auth/sso'
 *
 * const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-doc-'))
 * fs.writeFileSync(path.join(dir, 'b'), '')
 * fs.mkdirSync(path.join(dir, 'a.json'))
 * void Promise.all([listDir(dir)(), listDir(path.join(dir, 'missing'))()]).then(([r, missing]) => {
 *   assert.ok(r._tag === 'Right')
 *   assert.deepStrictEqual(r.right.map((e) => [e.name, e.kind]), [['a.json', 'directory'], ['b', 'file']])
 *   assert.deepStrictEqual(missing, { _tag: 'Right', right: [] })
 *   fs.rmSync(dir, { recursive: true })
 * })
 *
 * @category list
 * @since 0.1.0
 */
export const listDir =
  (dir: string): TE.TaskEither<FileError, ReadonlyArray<DirEntry>> =>
  async () => {
    if (typeof dir !== 'string') return E.left(fileError('list', dir, { code: 'ERR_INVALID_ARG_TYPE' }))
    try {
      const entries = await fs.readdir(dir, { withFileTypes: true, encoding: 'buffer' })
      return E.right(
        entries.map((d) => entryOf(dir, d)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      )
    } catch (e) {
      const code = errorCode(e)
      return code === 'ENOENT' || code === 'ENOTDIR' ? E.right([]) : E.left(fileError('list', dir, e))
    }
  }

/**
 * Deletes a directory entry (`unlink`: a link is removed itself, never its target). A
 * file already gone counts as deleted.
 *
 * @category write
 * @since 0.1.0
 */
export const deleteFile =
  (file: string): TE.TaskEither<FileError, void> =>
  async () => {
    if (typeof file !== 'string') return E.left(fileError('delete', file, { code: 'ERR_INVALID_ARG_TYPE' }))
    try {
      // synchronous: one local system call of microseconds, where a round trip through the
      // thread pool costs more than the call (a sweep deletes a file for each session)
      unlinkSync(file)
      return E.right(undefined)
    } catch (e) {
      return errorCode(e) === 'ENOENT' ? E.right(undefined) : E.left(fileError('delete', file, e))
    }
  }
