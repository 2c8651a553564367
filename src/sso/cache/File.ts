/**
 * The file primitives of the SSO caches (Node only): a bounded read that can refuse to
 * follow symbolic links, an atomic write (a temporary file in the same directory, then a
 * rename) with mode `0600`, a directory listing that tells files, links and the rest apart,
 * and a delete. None of them throws; failures are values, and no failure holds the content
 * of a file (a cache file holds secrets).
 *
 * @since 0.1.0
 */
import { randomBytes } from 'node:crypto'
import { constants, type Dirent } from 'node:fs'
import * as fs from 'node:fs/promises'
import * as nodePath from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { UnsafeDirectory } from './Secure.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Why a cache file could not be read as text.
 *
 * - `NotFound`: no such file;
 * - `Symlink`: a symbolic link, and links are not followed;
 * - `NotAFile`: a directory, a socket, a FIFO, …;
 * - `TooLarge`: bigger than the limit (no cache file is that big);
 * - `Unreadable`: any other system error (`EACCES`, `EIO`, …), `code` says which;
 * - `NotText`: not valid UTF-8.
 *
 * @category model
 * @since 0.1.0
 */
export type ReadFailure =
  | { readonly _tag: 'NotFound' }
  | { readonly _tag: 'Symlink' }
  | { readonly _tag: 'NotAFile' }
  | { readonly _tag: 'TooLarge'; readonly limit: number }
  | { readonly _tag: 'Unreadable'; readonly code: string | undefined }
  | { readonly _tag: 'NotText' }

/**
 * How {@link readBounded} reads.
 *
 * @category model
 * @since 0.1.0
 */
export interface ReadOptions {
  /** The largest file read, in bytes (default {@link DEFAULT_MAX_FILE_BYTES}). */
  readonly maxBytes?: number
  /** Whether a symbolic link is followed (default `false`: it is a `Symlink` failure). */
  readonly followSymlinks?: boolean
}

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
}

// -------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------

/**
 * The largest cache file read: 1 MiB. A token or a credentials file is a few hundred
 * bytes; anything bigger is not one.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024

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
 * The `code` of a system error, if it has one.
 *
 * @category destructors
 * @since 0.1.0
 */
export const errorCode = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined

/**
 * Builds a `FileError`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fileError = (operation: FileError['operation'], file: string, e: unknown): FileError => {
  const code = errorCode(e)
  return {
    _tag: 'FileError',
    operation,
    file,
    code,
    message: `cannot ${operation} ${file}${code === undefined ? '' : ` (${code})`}`
  }
}

/**
 * A one-line description of a read failure, with no content in it.
 *
 * @example
 * import { describeReadFailure } from 'fp-aws/sso/cache'
 *
 * assert.strictEqual(describeReadFailure({ _tag: 'Unreadable', code: 'EACCES' }), 'cannot be read (EACCES)')
 *
 * @category destructors
 * @since 0.1.0
 */
export const describeReadFailure = (f: ReadFailure): string => {
  switch (f._tag) {
    case 'NotFound':
      return 'does not exist'
    case 'Symlink':
      return 'is a symbolic link (not followed)'
    case 'NotAFile':
      return 'is not a regular file'
    case 'TooLarge':
      return `is larger than ${f.limit} bytes`
    case 'Unreadable':
      return `cannot be read${f.code === undefined ? '' : ` (${f.code})`}`
    case 'NotText':
      return 'is not UTF-8 text'
  }
}

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0
const O_NONBLOCK = constants.O_NONBLOCK ?? 0

const openFailure = (e: unknown, follow: boolean): ReadFailure => {
  const code = errorCode(e)
  if (code === 'ENOENT' || code === 'ENOTDIR') return { _tag: 'NotFound' }
  // O_NOFOLLOW on a link: ELOOP (Linux), EMLINK (FreeBSD), EFTYPE (NetBSD)
  if (!follow && (code === 'ELOOP' || code === 'EMLINK' || code === 'EFTYPE')) return { _tag: 'Symlink' }
  if (code === 'EISDIR') return { _tag: 'NotAFile' }
  return { _tag: 'Unreadable', code }
}

// -------------------------------------------------------------------------------------
// read
// -------------------------------------------------------------------------------------

/**
 * Reads a file as UTF-8 text, at most `maxBytes` of it. Unless `followSymlinks`, a
 * symbolic link is refused (checked with `lstat`, then again by opening with `O_NOFOLLOW`,
 * so a link swapped in between is refused too). A FIFO or a device is refused without
 * being opened for long (`O_NONBLOCK`, then `fstat`). Never rejects.
 *
 * @example
 * import * as fs from 'node:fs'
 * import * as os from 'node:os'
 * import * as path from 'node:path'
 * import { readBounded } from 'fp-aws/sso/cache'
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
export const readBounded =
  (file: string, options: ReadOptions = {}): TE.TaskEither<ReadFailure, string> =>
  async () => {
    const limit = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES
    const follow = options.followSymlinks === true
    try {
      const st = follow ? await fs.stat(file) : await fs.lstat(file)
      if (st.isSymbolicLink()) return E.left({ _tag: 'Symlink' })
      if (!st.isFile()) return E.left({ _tag: 'NotAFile' })
    } catch (e) {
      return E.left(openFailure(e, follow))
    }
    let handle: fs.FileHandle
    try {
      handle = await fs.open(file, constants.O_RDONLY | O_NONBLOCK | (follow ? 0 : O_NOFOLLOW))
    } catch (e) {
      return E.left(openFailure(e, follow))
    }
    try {
      const st = await handle.stat()
      if (!st.isFile()) return E.left({ _tag: 'NotAFile' })
      if (st.size > limit) return E.left({ _tag: 'TooLarge', limit })
      // read one byte more than allowed: a file that grew since fstat is caught too
      const buf = Buffer.alloc(Math.min(st.size, limit) + 1)
      let total = 0
      for (;;) {
        if (total === buf.length) return E.left({ _tag: 'TooLarge', limit })
        const { bytesRead } = await handle.read(buf, total, buf.length - total, null)
        if (bytesRead === 0) break
        total += bytesRead
      }
      if (total > limit) return E.left({ _tag: 'TooLarge', limit })
      try {
        return E.right(new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, total)))
      } catch {
        return E.left({ _tag: 'NotText' })
      }
    } catch (e) {
      return E.left(openFailure(e, follow))
    } finally {
      await handle.close().catch(() => undefined)
    }
  }

/**
 * What a file is, as far as a change can be seen: its device and inode, its size and its
 * modification time in nanoseconds. An atomic write (a new file renamed over the old one)
 * changes the inode; a write in place (`O_TRUNC`, as botocore writes its caches) keeps it but
 * changes the time, and usually the size.
 *
 * @category model
 * @since 0.2.0
 */
export interface FileIdentity {
  readonly dev: bigint
  readonly ino: bigint
  readonly size: bigint
  readonly mtimeNs: bigint
}

/**
 * The identity of a `bigint` stat.
 *
 * @category constructors
 * @since 0.2.0
 */
export const identityOf = (st: {
  readonly dev: bigint
  readonly ino: bigint
  readonly size: bigint
  readonly mtimeNs: bigint
}): FileIdentity => ({ dev: st.dev, ino: st.ino, size: st.size, mtimeNs: st.mtimeNs })

/**
 * Whether two identities are the same file, unchanged.
 *
 * @category destructors
 * @since 0.2.0
 */
export const sameIdentity = (a: FileIdentity, b: FileIdentity): boolean =>
  a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs

/**
 * The identity of a directory entry, without following a link (`lstat`); `undefined` if it
 * does not exist (or cannot be examined).
 *
 * @category read
 * @since 0.2.0
 */
export const identityAt = async (file: string): Promise<FileIdentity | undefined> => {
  try {
    return identityOf(await fs.lstat(file, { bigint: true }))
  } catch {
    return undefined
  }
}

/**
 * Like {@link readBounded} (symbolic links never followed), and also returns the identity of
 * the file that was read, taken from the open descriptor (`fstat`): the caller can tell
 * whether it read the file it meant to. Never rejects.
 *
 * @category read
 * @since 0.2.0
 */
export const readBoundedIdentified =
  (
    file: string,
    options: Omit<ReadOptions, 'followSymlinks'> = {}
  ): TE.TaskEither<ReadFailure, { readonly text: string; readonly identity: FileIdentity }> =>
  async () => {
    const limit = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES
    try {
      const st = await fs.lstat(file)
      if (st.isSymbolicLink()) return E.left({ _tag: 'Symlink' })
      if (!st.isFile()) return E.left({ _tag: 'NotAFile' })
    } catch (e) {
      return E.left(openFailure(e, false))
    }
    let handle: fs.FileHandle
    try {
      handle = await fs.open(file, constants.O_RDONLY | O_NONBLOCK | O_NOFOLLOW)
    } catch (e) {
      return E.left(openFailure(e, false))
    }
    try {
      const st = await handle.stat({ bigint: true })
      if (!st.isFile()) return E.left({ _tag: 'NotAFile' })
      if (st.size > BigInt(limit)) return E.left({ _tag: 'TooLarge', limit })
      const buf = Buffer.alloc(Math.min(Number(st.size), limit) + 1)
      let total = 0
      for (;;) {
        if (total === buf.length) return E.left({ _tag: 'TooLarge', limit })
        const { bytesRead } = await handle.read(buf, total, buf.length - total, null)
        if (bytesRead === 0) break
        total += bytesRead
      }
      if (total > limit) return E.left({ _tag: 'TooLarge', limit })
      // the identity after the read: a write that landed during it shows as a change
      const after = identityOf(await handle.stat({ bigint: true }))
      try {
        return E.right({ text: new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, total)), identity: after })
      } catch {
        return E.left({ _tag: 'NotText' })
      }
    } catch (e) {
      return E.left(openFailure(e, false))
    } finally {
      await handle.close().catch(() => undefined)
    }
  }

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
 * import { writeFileAtomic } from 'fp-aws/sso/cache'
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

const kindOf = (d: Dirent): EntryKind =>
  d.isSymbolicLink() ? 'symlink' : d.isFile() ? 'file' : d.isDirectory() ? 'directory' : 'other'

/**
 * Lists a directory, every entry (not only `*.json`), sorted by name, links not followed.
 * A directory that does not exist (or is not a directory) lists as empty; any other
 * failure (`EACCES`, …) is a `FileError`.
 *
 * @example
 * import * as fs from 'node:fs'
 * import * as os from 'node:os'
 * import * as path from 'node:path'
 * import { listDir } from 'fp-aws/sso/cache'
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
    try {
      const entries = await fs.readdir(dir, { withFileTypes: true })
      return E.right(
        entries
          .map((d) => ({ name: d.name, path: nodePath.join(dir, d.name), kind: kindOf(d) }))
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
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
    try {
      await fs.unlink(file)
      return E.right(undefined)
    } catch (e) {
      return errorCode(e) === 'ENOENT' ? E.right(undefined) : E.left(fileError('delete', file, e))
    }
  }
