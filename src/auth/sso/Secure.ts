/**
 * Where a cache may be trusted (Node only), the way OpenSSH's `StrictModes` trusts a
 * `~/.ssh`: a path is resolved once, one component at a time from the root down, and
 * every directory on the way (the root, the home, `.aws`, …, the cache directory itself)
 * must be a real directory owned by root or by the running user and not writable by
 * group or others. An ancestor writable by others is accepted only with the sticky bit
 * (like `/tmp`): then nobody else can rename or remove the entries the same rule checks
 * below it. The cache directory itself (for a file: the directory holding it) may not be
 * writable by others, sticky bit or not: nobody else may add entries to it. A symbolic link on the way is followed only if it is owned by root or by the
 * running user (a user's own `~/.aws -> dotfiles/aws` keeps working), and its target is
 * checked the same way.
 *
 * What comes back is the resolved path, every component of it a checked directory that no
 * other user can change: the caller operates on it, never on the original path again.
 * Without `process.getuid` (Windows) ownership and modes are not checked.
 *
 * @since 0.2.0
 */
import * as fs from 'node:fs/promises'
import * as nodePath from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { CACHE_DIR_MODE, errorCode, fileError, writeFileAtomic, type FileError } from './File.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Why a path was refused:
 *
 * - `NotOwned`: a directory (or a symbolic link) on the way is owned by another user than
 *   root or the running user;
 * - `Writable`: a directory on the way is writable by group or others (and, for an
 *   ancestor, has no sticky bit; the cache directory itself may not be writable by others
 *   at all);
 * - `TooManyLinks`: more than 40 symbolic links on the way (a loop);
 * - `Unresolvable`: a directory on the way cannot be examined (`EACCES`, …), `code` says why.
 *
 * @category model
 * @since 0.2.0
 */
export type UnsafeReason = 'NotOwned' | 'Writable' | 'TooManyLinks' | 'Unresolvable'

/**
 * A cache refused because a directory on its path could be changed by another user: nothing
 * in it is read, renamed or deleted. `directory` is the offending one (or link); the message
 * names it and says why, with no file content.
 *
 * @category model
 * @since 0.2.0
 */
export interface UnsafeDirectory {
  readonly _tag: 'UnsafeDirectory'
  /** The path asked for (a cache directory, a cache file). */
  readonly path: string
  /** The directory (or symbolic link) on the way that made it unsafe. */
  readonly directory: string
  readonly reason: UnsafeReason
  readonly code?: string | undefined
  readonly message: string
}

/**
 * A path resolved by {@link resolveSecure}: `Found` with the resolved path, or `Missing`
 * (a component does not exist, or one before the last is not a directory).
 *
 * @category model
 * @since 0.2.0
 */
export type Resolved = { readonly _tag: 'Found'; readonly path: string } | { readonly _tag: 'Missing' }

/**
 * What {@link resolveSecure} resolves: a `directory` (checked like every directory on the
 * way) or a `file` (the last component is returned as found, whatever it is, once every
 * directory and link before it is checked: the reader decides).
 *
 * @category model
 * @since 0.2.0
 */
export type Leaf = 'directory' | 'file'

// -------------------------------------------------------------------------------------
// resolve
// -------------------------------------------------------------------------------------

/**
 * The most symbolic links followed on one path (Linux's limit).
 *
 * @category constants
 * @since 0.2.0
 */
export const MAX_SYMLINKS = 40

const S_ISVTX = 0o1000

const octal = (mode: number): string => `0${(mode & 0o7777).toString(8)}`

const refuse = (
  path: string,
  directory: string,
  reason: UnsafeReason,
  why: string,
  code?: string
): E.Either<UnsafeDirectory, never> =>
  E.left({
    _tag: 'UnsafeDirectory',
    path,
    directory,
    reason,
    ...(code === undefined ? {} : { code }),
    message: `${path} is not safe to use: ${directory} ${why}`
  })

/** What a JavaScript caller passed that is not a path, a leaf or a uid: nothing is examined. */
const badArgument = (path: string, message: string): E.Either<UnsafeDirectory, never> =>
  E.left({ _tag: 'UnsafeDirectory', path, directory: path, reason: 'Unresolvable', message })

const split = (p: string): Array<string> => p.split(/[\\/]+/).filter((s) => s !== '' && s !== '.')

interface Stat {
  readonly uid: number
  readonly mode: number
  isDirectory(): boolean
  isSymbolicLink(): boolean
}

/**
 * Resolves `path` (made absolute against the working directory) one component at a time,
 * from the root down, checking every directory and symbolic link on the way as the module
 * describes; `uid` is the running user (default `process.getuid()`; `undefined` skips
 * the ownership and mode checks, as on Windows). Never rejects: a `path` that is not a
 * non-empty string, a `leaf` other than `directory` or `file`, or a `uid` that is not a
 * non-negative integer is refused as `Unresolvable`.
 *
 * @example
 * import * as fs from 'node:fs'
 * import * as os from 'node:os'
 * import * as path from 'node:path'
 * import { resolveSecure } from 'fp-aws/auth/sso'
 *
 * const home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-doc-')))
 * fs.mkdirSync(path.join(home, '.aws', 'sso', 'cache'), { recursive: true, mode: 0o700 })
 * fs.mkdirSync(path.join(home, 'open'), { mode: 0o700 })
 * fs.chmodSync(path.join(home, 'open'), 0o777)
 * void Promise.all([
 *   resolveSecure(path.join(home, '.aws', 'sso', 'cache'))(),
 *   resolveSecure(path.join(home, 'missing', 'cache'))(),
 *   resolveSecure(path.join(home, 'open'))()
 * ]).then(([ok, missing, open]) => {
 *   assert.deepStrictEqual(ok, { _tag: 'Right', right: { _tag: 'Found', path: path.join(home, '.aws', 'sso', 'cache') } })
 *   assert.deepStrictEqual(missing, { _tag: 'Right', right: { _tag: 'Missing' } })
 *   assert.ok(open._tag === 'Left' && open.left.reason === 'Writable')
 *   fs.rmSync(home, { recursive: true })
 * })
 *
 * @category resolve
 * @since 0.2.0
 */
export const resolveSecure =
  (
    path: string,
    leaf: Leaf = 'directory',
    uid: number | undefined = typeof process.getuid === 'function' ? process.getuid() : undefined
  ): TE.TaskEither<UnsafeDirectory, Resolved> =>
  async () => {
    if (typeof path !== 'string' || path === '') return badArgument('', 'resolveSecure needs a path (a non-empty string)')
    if (leaf !== 'directory' && leaf !== 'file') return badArgument(path, `${path} cannot be resolved: leaf must be 'directory' or 'file'`)
    if (uid !== undefined && !(Number.isSafeInteger(uid) && uid >= 0))
      return badArgument(path, `${path} cannot be checked: uid must be a non-negative integer`)
    const owned = (st: Stat): boolean => uid === undefined || st.uid === 0 || st.uid === uid
    const ownerWhy = (st: Stat): string =>
      `is owned by uid ${st.uid}, neither root nor the running user (uid ${uid ?? '?'})`
    /** A directory on the way: `last` is the cache directory, which no sticky bit excuses. */
    const checkDir = (dir: string, st: Stat, last: boolean): E.Either<UnsafeDirectory, void> => {
      if (!owned(st)) return refuse(path, dir, 'NotOwned', ownerWhy(st))
      if (uid !== undefined && (st.mode & 0o022) !== 0 && (last || (st.mode & S_ISVTX) === 0)) {
        return refuse(
          path,
          dir,
          'Writable',
          `is writable by ${(st.mode & 0o002) !== 0 ? 'others' : 'its group'} (mode ${octal(st.mode)})${last ? '' : ' without the sticky bit'}`
        )
      }
      return E.right(undefined)
    }
    const lstat = async (p: string): Promise<E.Either<unknown, Stat>> => {
      try {
        return E.right(await fs.lstat(p))
      } catch (e) {
        return E.left(e)
      }
    }

    const absolute = nodePath.resolve(path)
    let current = nodePath.parse(absolute).root
    const rootStat = await lstat(current)
    if (E.isLeft(rootStat)) return refuse(path, current, 'Unresolvable', 'cannot be examined', errorCode(rootStat.left))
    const rootOk = checkDir(current, rootStat.right, false)
    if (E.isLeft(rootOk)) return rootOk
    const pending = split(absolute.slice(current.length))
    let links = 0
    while (pending.length > 0) {
      const name = pending.shift() as string
      if (name === '..') {
        // `current` is a checked real directory: its parent is checked already
        current = nodePath.dirname(current)
        continue
      }
      const next = nodePath.join(current, name)
      const last = pending.length === 0
      const st = await lstat(next)
      if (E.isLeft(st)) {
        const code = errorCode(st.left)
        if (code === 'ENOENT' || code === 'ENOTDIR') return E.right({ _tag: 'Missing' })
        return refuse(path, next, 'Unresolvable', 'cannot be examined', code)
      }
      const s = st.right
      if (s.isSymbolicLink()) {
        if (!owned(s)) return refuse(path, next, 'NotOwned', `is a symbolic link that ${ownerWhy(s)}`)
        if (++links > MAX_SYMLINKS) return refuse(path, next, 'TooManyLinks', `is one of more than ${MAX_SYMLINKS} symbolic links on the way`)
        let target: string
        try {
          target = await fs.readlink(next)
        } catch (e) {
          const code = errorCode(e)
          if (code === 'ENOENT') return E.right({ _tag: 'Missing' })
          return refuse(path, next, 'Unresolvable', 'cannot be read as a symbolic link', code)
        }
        if (nodePath.isAbsolute(target)) {
          const root = nodePath.parse(nodePath.resolve(target)).root
          if (root !== current && root !== nodePath.parse(current).root) {
            // another drive (Windows): check its root as well
            const rs = await lstat(root)
            if (E.isLeft(rs)) return refuse(path, root, 'Unresolvable', 'cannot be examined', errorCode(rs.left))
            const ok = checkDir(root, rs.right, false)
            if (E.isLeft(ok)) return ok
          }
          current = root
          pending.unshift(...split(nodePath.resolve(target).slice(root.length)))
        } else {
          pending.unshift(...split(target))
        }
        continue
      }
      if (last && leaf === 'file') return E.right({ _tag: 'Found', path: next })
      if (!s.isDirectory()) return E.right({ _tag: 'Missing' })
      // the cache directory itself (or the one holding the file) may not be writable by others at all
      const ok = checkDir(next, s, last || (leaf === 'file' && pending.length === 1))
      if (E.isLeft(ok)) return ok
      current = next
    }
    // a path that ends at the root, or a file path that resolved to a directory: found as is
    return E.right({ _tag: 'Found', path: current })
  }

// -------------------------------------------------------------------------------------
// write
// -------------------------------------------------------------------------------------

/**
 * Writes a cache file atomically (see `writeFileAtomic`) in its directory resolved and
 * checked by {@link resolveSecure}: a directory another user could change is refused (a
 * `FileError` with `unsafe` set) and nothing is written; a missing one is created (mode
 * `0700`) first. What `writeToken` and `writeCachedCredentials` use. Never rejects: a
 * `file` or `text` that is not a string is a `FileError` and nothing is written.
 *
 * @category write
 * @since 0.2.0
 */
export const writeFileSecure =
  (file: string, text: string): TE.TaskEither<FileError, void> =>
  async () => {
    if (typeof file !== 'string' || file === '') return E.left(fileError('write', file, undefined))
    if (typeof text !== 'string') return E.left(fileError('write', file, { code: 'ERR_INVALID_ARG_TYPE' }))
    const dir = nodePath.dirname(file)
    const refused = (u: UnsafeDirectory): E.Either<FileError, never> =>
      E.left({ _tag: 'FileError', operation: 'write', file, code: undefined, message: `cannot write ${file}: ${u.message}`, unsafe: u })
    let r = await resolveSecure(dir)()
    if (E.isRight(r) && r.right._tag === 'Missing') {
      try {
        await fs.mkdir(dir, { recursive: true, mode: CACHE_DIR_MODE })
      } catch (e) {
        return E.left(fileError('write', file, e))
      }
      r = await resolveSecure(dir)()
    }
    if (E.isLeft(r)) return refused(r.left)
    if (r.right._tag === 'Missing') return E.left(fileError('write', file, { code: 'ENOENT' }))
    return writeFileAtomic(nodePath.join(r.right.path, nodePath.basename(file)), text)()
  }
