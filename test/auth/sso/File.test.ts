import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { execFileSync } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import { deleteFile, listDir, readBounded, writeFileAtomic } from '../../../src/auth/sso/index.js'
import { isRoot } from './helpers.js'

const dirs: Array<string> = []
const tmp = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-file-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) {
    fs.chmodSync(d, 0o700)
    fs.rmSync(d, { recursive: true, force: true })
  }
})

describe('readBounded', () => {
  it('reads a file; a missing one is NotFound', async () => {
    const d = tmp()
    fs.writeFileSync(path.join(d, 'a'), 'héllo')
    expect(await readBounded(path.join(d, 'a'))()).toEqual({ _tag: 'Right', right: 'héllo' })
    expect(await readBounded(path.join(d, 'nope'))()).toEqual({ _tag: 'Left', left: { _tag: 'NotFound' } })
    expect(await readBounded(path.join(d, 'a', 'below'))()).toEqual({ _tag: 'Left', left: { _tag: 'NotFound' } })
  })

  it('refuses a symlink unless asked to follow, and never reads through it', async () => {
    const d = tmp()
    const outside = tmp()
    fs.writeFileSync(path.join(outside, 'secret'), 'outside')
    fs.symlinkSync(path.join(outside, 'secret'), path.join(d, 'link'))
    fs.symlinkSync(path.join(outside, 'missing'), path.join(d, 'dangling'))
    expect(await readBounded(path.join(d, 'link'))()).toEqual({ _tag: 'Left', left: { _tag: 'Symlink' } })
    expect(await readBounded(path.join(d, 'dangling'))()).toEqual({ _tag: 'Left', left: { _tag: 'Symlink' } })
    expect(await readBounded(path.join(d, 'link'), { followSymlinks: true })()).toEqual({ _tag: 'Right', right: 'outside' })
  })

  it('refuses directories and FIFOs without blocking', async () => {
    const d = tmp()
    fs.mkdirSync(path.join(d, 'x.json'))
    expect(await readBounded(path.join(d, 'x.json'))()).toEqual({ _tag: 'Left', left: { _tag: 'NotAFile' } })
    let fifo = true
    try {
      execFileSync('mkfifo', [path.join(d, 'fifo')])
    } catch {
      fifo = false
    }
    if (fifo) expect(await readBounded(path.join(d, 'fifo'))()).toEqual({ _tag: 'Left', left: { _tag: 'NotAFile' } })
  })

  it('is bounded: a file over the limit is TooLarge; exactly at the limit is read', async () => {
    const d = tmp()
    fs.writeFileSync(path.join(d, 'big'), 'x'.repeat(1024 * 1024 + 1))
    fs.writeFileSync(path.join(d, 'ten'), '0123456789')
    expect(await readBounded(path.join(d, 'big'))()).toEqual({ _tag: 'Left', left: { _tag: 'TooLarge', limit: 1048576 } })
    expect(await readBounded(path.join(d, 'ten'), { maxBytes: 10 })()).toEqual({ _tag: 'Right', right: '0123456789' })
    expect(await readBounded(path.join(d, 'ten'), { maxBytes: 9 })()).toEqual({ _tag: 'Left', left: { _tag: 'TooLarge', limit: 9 } })
  })

  it('refuses invalid UTF-8', async () => {
    const d = tmp()
    fs.writeFileSync(path.join(d, 'bin'), Buffer.from([0xff, 0xfe, 0x00]))
    expect(await readBounded(path.join(d, 'bin'))()).toEqual({ _tag: 'Left', left: { _tag: 'NotText' } })
  })

  it.skipIf(isRoot)('an unreadable file is Unreadable (EACCES) — skipped as root, where chmod does not block reads', async () => {
    const d = tmp()
    fs.writeFileSync(path.join(d, 'locked'), '{}')
    fs.chmodSync(path.join(d, 'locked'), 0o000)
    expect(await readBounded(path.join(d, 'locked'))()).toEqual({ _tag: 'Left', left: { _tag: 'Unreadable', code: 'EACCES' } })
  })
})

describe('writeFileAtomic', () => {
  it('writes with mode 0600 whatever the umask, creating the directory 0700, leaving no temp file', async () => {
    const d = tmp()
    const file = path.join(d, 'a', 'b', 'c.json')
    expect(await writeFileAtomic(file, '{"a":1}')()).toEqual({ _tag: 'Right', right: undefined })
    expect(fs.readFileSync(file, 'utf8')).toBe('{"a":1}')
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700 & ~process.umask())
    expect(fs.readdirSync(path.dirname(file))).toEqual(['c.json'])
  })

  it('replaces an existing file (even a 0644 one) by rename: a new inode, mode 0600', async () => {
    const d = tmp()
    const file = path.join(d, 'c.json')
    fs.writeFileSync(file, 'old', { mode: 0o644 })
    const before = fs.statSync(file).ino
    expect((await writeFileAtomic(file, 'new')())._tag).toBe('Right')
    expect(fs.readFileSync(file, 'utf8')).toBe('new')
    expect(fs.statSync(file).ino).not.toBe(before)
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
  })

  it('replaces a symlink at the destination by a file, leaving its target alone', async () => {
    const d = tmp()
    const outside = tmp()
    fs.writeFileSync(path.join(outside, 'target'), 'target')
    fs.symlinkSync(path.join(outside, 'target'), path.join(d, 'c.json'))
    expect((await writeFileAtomic(path.join(d, 'c.json'), 'new')())._tag).toBe('Right')
    expect(fs.lstatSync(path.join(d, 'c.json')).isSymbolicLink()).toBe(false)
    expect(fs.readFileSync(path.join(outside, 'target'), 'utf8')).toBe('target')
  })

  it('fails as a value, with no temp file left, when the destination is a directory', async () => {
    const d = tmp()
    fs.mkdirSync(path.join(d, 'c.json'))
    fs.writeFileSync(path.join(d, 'c.json', 'inside'), '')
    const r = await writeFileAtomic(path.join(d, 'c.json'), 'x')()
    expect(r._tag).toBe('Left')
    if (r._tag === 'Left') expect(r.left).toMatchObject({ _tag: 'FileError', operation: 'write' })
    expect(fs.readdirSync(d)).toEqual(['c.json'])
  })

  it('fails when the parent is a file', async () => {
    const d = tmp()
    fs.writeFileSync(path.join(d, 'f'), '')
    const r = await writeFileAtomic(path.join(d, 'f', 'c.json'), 'x')()
    expect(r._tag === 'Left' && r.left.code).toMatch(/^(ENOTDIR|EEXIST)$/)
  })
})

describe('listDir, deleteFile', () => {
  it('lists every entry sorted, with its kind; a missing directory is empty', async () => {
    const d = tmp()
    fs.writeFileSync(path.join(d, 'b.json'), '')
    fs.writeFileSync(path.join(d, 'noext'), '')
    fs.mkdirSync(path.join(d, 'a.json'))
    fs.symlinkSync('/etc/hostname', path.join(d, 'c.json'))
    const r = await listDir(d)()
    expect(r._tag === 'Right' && r.right.map((e) => [e.name, e.kind])).toEqual([
      ['a.json', 'directory'],
      ['b.json', 'file'],
      ['c.json', 'symlink'],
      ['noext', 'file']
    ])
    expect(await listDir(path.join(d, 'missing'))()).toEqual({ _tag: 'Right', right: [] })
    expect(await listDir(path.join(d, 'noext'))()).toEqual({ _tag: 'Right', right: [] })
  })

  it('deletes a symlink itself, never its target; a missing file is fine', async () => {
    const d = tmp()
    const outside = tmp()
    fs.writeFileSync(path.join(outside, 't'), 't')
    fs.symlinkSync(path.join(outside, 't'), path.join(d, 'l'))
    expect((await deleteFile(path.join(d, 'l'))())._tag).toBe('Right')
    expect(fs.existsSync(path.join(outside, 't'))).toBe(true)
    expect((await deleteFile(path.join(d, 'l'))())._tag).toBe('Right')
  })
})
