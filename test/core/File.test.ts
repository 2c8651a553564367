/**
 * fp-aws/core/File: the bounded read the caches and the config files share. The cache
 * behaviour (links, FIFOs, limits, UTF-8) is tested through fp-aws/auth/sso in
 * test/auth/sso/File.test.ts, which re-exports these same functions; here, what is
 * particular to the core module.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import * as core from '../../src/core/File.js'
import * as cache from '../../src/auth/sso/index.js'

describe('fp-aws/core/File', () => {
  it('fp-aws/auth/sso re-exports the same functions and constants', () => {
    expect(cache.readBounded).toBe(core.readBounded)
    expect(cache.describeReadFailure).toBe(core.describeReadFailure)
    expect(cache.errorCode).toBe(core.errorCode)
    expect(cache.DEFAULT_MAX_FILE_BYTES).toBe(core.DEFAULT_MAX_FILE_BYTES)
  })

  it.runIf(fs.existsSync('/proc/self/status'))(
    'a file whose size fstat understates (procfs reports 0) is read up to the limit, and no further',
    async () => {
      const r = await core.readBounded('/proc/self/status', { followSymlinks: true })()
      expect(r._tag === 'Right' && r.right.includes('Name:')).toBe(true)
      expect(await core.readBounded('/proc/self/status', { followSymlinks: true, maxBytes: 10 })()).toEqual({
        _tag: 'Left',
        left: { _tag: 'TooLarge', limit: 10 }
      })
    }
  )

  it('readBoundedIdentified: the text, and the identity lstat gives the file; an empty file is read as an empty text', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-file-'))
    try {
      for (const [name, text] of [['a.json', '{"accessToken":"x"}'], ['empty', ''], ['big', 'é'.repeat(70_000)]] as const) {
        const file = path.join(dir, name)
        fs.writeFileSync(file, text)
        const r = await core.readBoundedIdentified(file)()
        const st = fs.lstatSync(file, { bigint: true })
        expect(r).toEqual({ _tag: 'Right', right: { text, identity: { dev: st.dev, ino: st.ino, size: st.size, mtimeNs: st.mtimeNs } } })
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('readDescriptor: at most limit + 1 bytes whatever size says, TooLarge beyond; a bad descriptor is Unreadable, not a throw', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-fd-'))
    try {
      const file = path.join(dir, 'a')
      fs.writeFileSync(file, 'x'.repeat(100))
      const withFd = <A>(f: (fd: number) => A): A => {
        const fd = fs.openSync(file, 'r')
        try {
          return f(fd)
        } finally {
          fs.closeSync(fd)
        }
      }
      // the size fstat gave, an understated size (a file that grew), an overstated one
      for (const size of [100, 10, 1000]) {
        const r = withFd((fd) => core.readDescriptor(fd, size, 100))
        expect(E.isRight(r) && r.right.toString()).toBe('x'.repeat(100))
      }
      for (const size of [100, 10]) expect(withFd((fd) => core.readDescriptor(fd, size, 99))).toEqual(E.left({ _tag: 'TooLarge', limit: 99 }))
      expect(withFd((fd) => core.readDescriptor(fd, 100, 0))).toEqual(E.left({ _tag: 'TooLarge', limit: 0 }))
      expect(core.readDescriptor(-1, 1, 1)).toEqual(E.left({ _tag: 'Unreadable', code: 'ERR_OUT_OF_RANGE' }))
      expect(core.decodeUtf8(Buffer.from([0xc3, 0xa9]))).toBe('é')
      expect(core.decodeUtf8(Buffer.from([0xff]))).toBeUndefined()
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('a device is NotAFile at once: /dev/zero and /dev/urandom are never read', async () => {
    for (const dev of ['/dev/zero', '/dev/urandom']) {
      expect(await core.readBounded(dev, { followSymlinks: true })()).toEqual({ _tag: 'Left', left: { _tag: 'NotAFile' } })
    }
  })

  it('a maxBytes that is not a non-negative integer counts as the default; a path that is not a string is Unreadable', async () => {
    expect(await core.readBounded('/proc/self/status', { followSymlinks: true, maxBytes: Number.NaN })()).toMatchObject({ _tag: 'Right' })
    expect(await core.readBounded(5 as never)()).toEqual({ _tag: 'Left', left: { _tag: 'Unreadable', code: 'ERR_INVALID_ARG_TYPE' } })
  })

  it('describeReadFailure never throws and quotes no content', () => {
    expect(core.describeReadFailure({ _tag: 'TooLarge', limit: 4 })).toBe('is larger than 4 bytes')
    expect(core.describeReadFailure(undefined as never)).toBe('cannot be read')
    expect(core.describeReadFailure({ _tag: 'Unreadable', code: 'EACCES' })).toBe('cannot be read (EACCES)')
  })
})
