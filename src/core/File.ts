/**
 * A bounded file read (Node only): a regular file of at most a given size, read as UTF-8
 * text without blocking on a FIFO or a device, optionally refusing symbolic links. It is
 * what the SSO caches and the shared config files are read with. Nothing here throws;
 * failures are values, and no failure holds the content of a file (it may hold secrets).
 *
 * @since 0.2.0
 */
import * as fs from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Why a file could not be read as text.
 *
 * - `NotFound`: no such file;
 * - `Symlink`: a symbolic link, and links are not followed;
 * - `NotAFile`: a directory, a socket, a FIFO, …;
 * - `TooLarge`: bigger than the limit;
 * - `Unreadable`: any other system error (`EACCES`, `EIO`, …), `code` says which;
 * - `NotText`: not valid UTF-8.
 *
 * @category model
 * @since 0.2.0
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
 * @since 0.2.0
 */
export interface ReadOptions {
  /** The largest file read, in bytes (default {@link DEFAULT_MAX_FILE_BYTES}). */
  readonly maxBytes?: number
  /** Whether a symbolic link is followed (default `false`: it is a `Symlink` failure). */
  readonly followSymlinks?: boolean
}

// -------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------

/**
 * The largest file {@link readBounded} reads by default: 1 MiB, the limit of the SSO
 * caches (a cached token or credentials file is a few hundred bytes).
 *
 * @category constants
 * @since 0.2.0
 */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024

// -------------------------------------------------------------------------------------
// helpers
// -------------------------------------------------------------------------------------

/**
 * The `code` of a system error, if it has one.
 *
 * @category destructors
 * @since 0.2.0
 */
export const errorCode = (e: unknown): string | undefined => {
  try {
    return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined
  } catch {
    return undefined
  }
}

/**
 * A one-line description of a read failure, with no content in it.
 *
 * @example
 * import { describeReadFailure } from 'fp-aws/core/File'
 *
 * assert.strictEqual(describeReadFailure({ _tag: 'Unreadable', code: 'EACCES' }), 'cannot be read (EACCES)')
 *
 * @category destructors
 * @since 0.2.0
 */
export const describeReadFailure = (f: ReadFailure): string => {
  let tag: unknown
  let limit: unknown
  let code: unknown
  try {
    tag = f._tag
    limit = (f as { limit?: unknown }).limit
    code = (f as { code?: unknown }).code
  } catch {
    tag = undefined
  }
  switch (tag) {
    case 'NotFound':
      return 'does not exist'
    case 'Symlink':
      return 'is a symbolic link (not followed)'
    case 'NotAFile':
      return 'is not a regular file'
    case 'TooLarge':
      return typeof limit === 'number' && Number.isFinite(limit) ? `is larger than ${limit} bytes` : 'is too large'
    case 'NotText':
      return 'is not UTF-8 text'
    default:
      return `cannot be read${typeof code === 'string' ? ` (${code})` : ''}`
  }
}

const { constants } = fs
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

/** What anything that is not a `bigint` stat has for identity: the same as nothing, itself included. */
const NO_IDENTITY: FileIdentity = Object.freeze({ dev: -1n, ino: -1n, size: -1n, mtimeNs: -1n })

const isIdentity = (i: FileIdentity): boolean =>
  typeof i.dev === 'bigint' &&
  i.dev >= 0n &&
  typeof i.ino === 'bigint' &&
  i.ino >= 0n &&
  typeof i.size === 'bigint' &&
  i.size >= 0n &&
  typeof i.mtimeNs === 'bigint' &&
  i.mtimeNs >= 0n

/**
 * The identity of a `bigint` stat. Anything else (a `number` stat, a value that is not a
 * stat) has an identity that {@link sameIdentity} finds the same as nothing, itself included:
 * a file whose identity cannot be told counts as changed.
 *
 * @category constructors
 * @since 0.2.0
 */
export const identityOf = (st: {
  readonly dev: bigint
  readonly ino: bigint
  readonly size: bigint
  readonly mtimeNs: bigint
}): FileIdentity => {
  try {
    const i: FileIdentity = { dev: st.dev, ino: st.ino, size: st.size, mtimeNs: st.mtimeNs }
    return isIdentity(i) ? i : NO_IDENTITY
  } catch {
    return NO_IDENTITY
  }
}

/**
 * Whether two identities are the same file, unchanged; `false` when either is not an
 * identity (four non-negative `bigint`s).
 *
 * @category destructors
 * @since 0.2.0
 */
export const sameIdentity = (a: FileIdentity, b: FileIdentity): boolean => {
  try {
    return isIdentity(a) && isIdentity(b) && a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs
  } catch {
    return false
  }
}

/**
 * The identity of a directory entry, without following a link (`lstat`); `undefined` if it
 * does not exist (or cannot be examined).
 *
 * @category read
 * @since 0.2.0
 */
export const identityAt = async (file: string): Promise<FileIdentity | undefined> => {
  try {
    return identityOf(fs.lstatSync(file, { bigint: true }))
  } catch {
    return undefined
  }
}

/**
 * Like {@link readBounded}, and also returns the identity of the file that was read, taken
 * from the open descriptor (`fstat`) after the read: the caller can tell whether it read the
 * file it meant to, and a write that landed during the read shows as a change. Never rejects.
 *
 * @category read
 * @since 0.2.0
 */
export const readBoundedIdentified =
  (
    file: string,
    options?: ReadOptions
  ): TE.TaskEither<ReadFailure, { readonly text: string; readonly identity: FileIdentity }> =>
  async () => {
    let limit = DEFAULT_MAX_FILE_BYTES
    let follow = false
    try {
      const max: unknown = options?.maxBytes
      if (typeof max === 'number' && Number.isSafeInteger(max) && max >= 0) limit = max
      follow = options?.followSymlinks === true
      if (typeof file !== 'string') return E.left({ _tag: 'Unreadable', code: 'ERR_INVALID_ARG_TYPE' })
    } catch {
      return E.left({ _tag: 'Unreadable', code: 'ERR_INVALID_ARG_TYPE' })
    }
    return readNow(file, limit, follow)
  }

/**
 * Reads an open file descriptor, at most one byte more than `limit`, whatever `size` (what
 * `fstat` said) is: a file that grew since (or one whose size the system does not report)
 * is read up to the limit and no further, and is `TooLarge`. A short read that ends where
 * `size` said the file ends is taken as the end, without a second read to see 0. The
 * caller opens, checks (`fstat`) and closes the descriptor. Synchronous; never throws (a
 * failed read is `Unreadable` with its code).
 *
 * @example
 * import * as fs from 'node:fs'
 * import * as os from 'node:os'
 * import * as path from 'node:path'
 * import { readDescriptor } from 'fp-aws/core/File'
 *
 * const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-doc-')), 'a.json')
 * fs.writeFileSync(file, '{"x":1}')
 * const fd = fs.openSync(file, 'r')
 * const small = readDescriptor(fd, fs.fstatSync(fd).size, 64)
 * const large = readDescriptor(fs.openSync(file, 'r'), 7, 3)
 * fs.closeSync(fd)
 * assert.ok(small._tag === 'Right' && small.right.toString() === '{"x":1}')
 * assert.ok(large._tag === 'Left' && large.left._tag === 'TooLarge')
 * fs.rmSync(path.dirname(file), { recursive: true })
 *
 * @category read
 * @since 0.2.0
 */
export const readDescriptor = (fd: number, size: number, limit: number): E.Either<ReadFailure, Buffer> => {
  try {
    let buf = Buffer.allocUnsafe(Math.min(size, limit) + 1)
    let total = 0
    for (;;) {
      if (total === buf.length) {
        if (buf.length > limit) return E.left({ _tag: 'TooLarge', limit })
        const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, limit + 1))
        buf.copy(bigger, 0, 0, total)
        buf = bigger
      }
      const asked = buf.length - total
      const n = fs.readSync(fd, buf, total, asked, null)
      if (n === 0) break
      total += n
      if (n < asked && total === size) break
    }
    return E.right(buf.subarray(0, total))
  } catch (e) {
    return E.left({ _tag: 'Unreadable', code: errorCode(e) })
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Bytes as UTF-8 text, or `undefined` when they are not UTF-8.
 *
 * @example
 * import { decodeUtf8 } from 'fp-aws/core/File'
 *
 * assert.strictEqual(decodeUtf8(Buffer.from('é')), 'é')
 * assert.strictEqual(decodeUtf8(Buffer.from([0xff])), undefined)
 *
 * @category read
 * @since 0.2.0
 */
export const decodeUtf8 = (bytes: Uint8Array): string | undefined => {
  try {
    return utf8.decode(bytes)
  } catch {
    return undefined
  }
}

/**
 * The read itself, with synchronous system calls: a cache file is a few hundred bytes on a
 * local disk, each call takes microseconds, and the sweep reads two per file. Through the
 * thread pool (`fs/promises`), each of the six calls of a read is a round trip to another
 * thread that costs more than the call, and a sweep of a thousand files spends most of its
 * time there. Never throws.
 */
const readNow = (
  file: string,
  limit: number,
  follow: boolean
): E.Either<ReadFailure, { readonly text: string; readonly identity: FileIdentity }> => {
  try {
    const st = follow ? fs.statSync(file) : fs.lstatSync(file)
    if (st.isSymbolicLink()) return E.left({ _tag: 'Symlink' })
    if (!st.isFile()) return E.left({ _tag: 'NotAFile' })
  } catch (e) {
    return E.left(openFailure(e, follow))
  }
  let fd: number
  try {
    fd = fs.openSync(file, constants.O_RDONLY | O_NONBLOCK | (follow ? 0 : O_NOFOLLOW))
  } catch (e) {
    return E.left(openFailure(e, follow))
  }
  try {
    const st = fs.fstatSync(fd, { bigint: true })
    if (!st.isFile()) return E.left({ _tag: 'NotAFile' })
    if (st.size > BigInt(limit)) return E.left({ _tag: 'TooLarge', limit })
    const bytes = readDescriptor(fd, Number(st.size), limit)
    if (E.isLeft(bytes)) return bytes
    // the identity after the read: a file that grew meanwhile shows in it
    const identity = identityOf(fs.fstatSync(fd, { bigint: true }))
    const text = decodeUtf8(bytes.right)
    return text === undefined ? E.left({ _tag: 'NotText' }) : E.right({ text, identity })
  } catch (e) {
    return E.left(openFailure(e, follow))
  } finally {
    try {
      fs.closeSync(fd)
    } catch {
      // closed or not, the descriptor is no longer ours
    }
  }
}

/**
 * Reads a file as UTF-8 text, at most `maxBytes` of it. Unless `followSymlinks`, a
 * symbolic link is refused (checked with `lstat`, then again by opening with `O_NOFOLLOW`,
 * so a link swapped in between is refused too). A FIFO or a device is refused without
 * being opened for long (`O_NONBLOCK`, then `fstat`), and at most `maxBytes + 1` bytes are
 * ever read. A `maxBytes` that is not a non-negative integer counts as the default. Never
 * rejects.
 *
 * @example
 * import * as fs from 'node:fs'
 * import * as os from 'node:os'
 * import * as path from 'node:path'
 * import { readBounded } from 'fp-aws/core/File'
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
 * @since 0.2.0
 */
export const readBounded =
  (file: string, options?: ReadOptions): TE.TaskEither<ReadFailure, string> =>
  async () => {
    const r = await readBoundedIdentified(file, options)()
    return E.isRight(r) ? E.right(r.right.text) : r
  }
