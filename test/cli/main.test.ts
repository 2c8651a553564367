import { afterAll, describe, expect, it } from 'vitest'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { main, parseFlags, type CliIO, type StopSignal } from '../../src/cli/main.js'
import { DEMO_TOKEN, startEmulator } from '../../src/sso/emulator/index.js'

const SECRET = 'seed-secret-token-9a7b'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-cli-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const writeSeed = (name: string, content: unknown): string => {
  const file = path.join(dir, name)
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content))
  return file
}

interface FakeIO {
  readonly io: CliIO
  readonly out: () => string
  readonly err: () => string
  /** Resolves with the URL once the emulator has printed it. */
  readonly url: Promise<string>
  readonly stop: AbortController
}

const fakeIO = (extra: Partial<CliIO> = {}): FakeIO => {
  let out = ''
  let err = ''
  const stop = new AbortController()
  let gotUrl: (u: string) => void = () => undefined
  const url = new Promise<string>((resolve) => (gotUrl = resolve))
  return {
    io: {
      stdout: (s) => {
        out += s
        const m = /listening on (http:\/\/\S+)/.exec(out)
        if (m?.[1] !== undefined) gotUrl(m[1])
      },
      stderr: (s) => {
        err += s
      },
      env: {},
      signal: stop.signal,
      ...extra
    },
    out: () => out,
    err: () => err,
    url,
    stop
  }
}

const listAccounts = (url: string, token: string): Promise<Response> =>
  fetch(`${url}/assignment/accounts`, { headers: { 'x-amz-sso_bearer_token': token } })

describe('usage', () => {
  it('--help: usage on stdout, exit 0', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const f = fakeIO()
      expect(await main(argv, f.io)).toBe(0)
      expect(f.out()).toMatch(/^Usage: fp-aws <command>/)
      expect(f.out()).toContain('sso emulator')
      expect(f.err()).toBe('')
    }
  })

  it('command and group help: exit 0', async () => {
    const f = fakeIO()
    expect(await main(['sso', 'emulator', '--help'], f.io)).toBe(0)
    expect(f.out()).toMatch(/^Usage: fp-aws sso emulator --port <n> \[--host <host>\] \[--seed <file\.json>\]/)
    const g = fakeIO()
    expect(await main(['sso', '--help'], g.io)).toBe(0)
    expect(g.out()).toMatch(/^Usage: fp-aws sso <command>/)
  })

  it('--version: exit 0', async () => {
    const f = fakeIO()
    expect(await main(['--version'], f.io)).toBe(0)
    expect(f.out()).toMatch(/^\d+\.\d+\.\d+\n$/)
  })

  it('no command, unknown command, unknown option: usage on stderr, exit 2', async () => {
    for (const argv of [[], ['nope'], ['sso'], ['sso', 'nope'], ['--nope'], ['sso', 'emulator', 'extra', '--port', '0']]) {
      const f = fakeIO()
      expect(await main(argv, f.io)).toBe(2)
      expect(f.err()).toContain('Usage: fp-aws')
      expect(f.out()).toBe('')
    }
  })

  it('does not echo what follows an unknown command', async () => {
    const f = fakeIO()
    expect(await main(['sso', 'nope', SECRET], f.io)).toBe(2)
    expect(f.err()).toContain('unknown command "sso nope"')
    expect(f.err()).not.toContain(SECRET)
    const g = fakeIO()
    expect(await main(['sso', 'emulator', '--port', '0', SECRET], g.io)).toBe(2)
    expect(g.err()).not.toContain(SECRET)
  })

  it('unknown flag, missing or bad --port: exit 2', async () => {
    const cases: ReadonlyArray<ReadonlyArray<string>> = [
      ['sso', 'emulator', '--port', '0', '--bogus'],
      ['sso', 'emulator'],
      ['sso', 'emulator', '--port'],
      ['sso', 'emulator', '--port', 'http'],
      ['sso', 'emulator', '--port', '65536'],
      ['sso', 'emulator', '--port', '-1'],
      ['sso', 'emulator', '--port=0', '--host=']
    ]
    for (const argv of cases) {
      const f = fakeIO()
      expect(await main(argv, f.io)).toBe(2)
      expect(f.err()).toMatch(/^fp-aws: /)
    }
    const f = fakeIO()
    await main(['sso', 'emulator', '--port', '0', '--bogus'], f.io)
    expect(f.err()).toContain('unknown flag --bogus')
    expect(f.err()).toContain('Usage: fp-aws sso emulator')
  })

  it('parseFlags: values, = form, switches, last one wins', () => {
    const flags = [
      { name: 'port', value: 'n', required: true, description: '' },
      { name: 'quiet', description: '' }
    ]
    expect(parseFlags(['--port', '1', '--port=2', '--quiet'], flags)).toEqual({ _tag: 'Right', right: { port: '2', quiet: true } })
    expect(parseFlags(['--quiet=yes', '--port', '1'], flags)._tag).toBe('Left')
    expect(parseFlags(['--quiet'], flags)).toEqual({ _tag: 'Left', left: 'missing --port <n>' })
  })
})

describe('sso emulator', () => {
  it('starts with the demo seed, answers on the printed URL, and stops on abort with exit 0', async () => {
    const f = fakeIO()
    const running = main(['sso', 'emulator', '--port', '0'], f.io)
    const url = await f.url
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(f.out()).toContain(`demo token: ${DEMO_TOKEN}`)
    const r = await listAccounts(url, DEMO_TOKEN)
    expect(r.status).toBe(200)
    expect(((await r.json()) as { accountList: unknown[] }).accountList).toHaveLength(2)
    f.stop.abort()
    expect(await running).toBe(0)
    await expect(listAccounts(url, DEMO_TOKEN)).rejects.toThrow()
  })

  it('serves a seed file without printing its tokens, and stops on SIGTERM', async () => {
    const seed = writeSeed('seed.json', {
      tokens: {
        [SECRET]: {
          accounts: [{ accountId: '999999999999', accountName: 'mine', emailAddress: 'me@example.com', roles: ['Dev'] }]
        },
        'other-secret-token': {}
      }
    })
    let handler: ((s: StopSignal) => void) | undefined
    let unsubscribed = 0
    const f = fakeIO({
      onSignal: (h) => {
        handler = h
        return () => {
          unsubscribed += 1
        }
      }
    })
    const running = main(['sso', 'emulator', '--port=0', '--host', '127.0.0.1', '--seed', seed], f.io)
    const url = await f.url
    expect(f.out()).toContain('Seeded 2 tokens')
    expect(f.out() + f.err()).not.toContain(SECRET)
    expect(f.out() + f.err()).not.toContain('other-secret-token')
    expect(f.out()).not.toContain(DEMO_TOKEN)
    const mine = await listAccounts(url, SECRET)
    expect(((await mine.json()) as { accountList: Array<{ accountId: string }> }).accountList[0]?.accountId).toBe(
      '999999999999'
    )
    expect((await listAccounts(url, DEMO_TOKEN)).status).toBe(401)
    expect(handler).toBeDefined()
    handler?.('SIGTERM')
    handler?.('SIGINT') // a second signal is ignored
    expect(await running).toBe(0)
    expect(unsubscribed).toBe(1)
    expect(f.err()).toContain('SIGTERM')
  })

  it('returns 0 at once when the signal is already aborted', async () => {
    const f = fakeIO()
    f.stop.abort()
    expect(await main(['sso', 'emulator', '--port', '0'], f.io)).toBe(0)
  })

  it('bad seed file: message on stderr (no token), exit 2', async () => {
    const cases = [
      writeSeed('not-json.json', `{"tokens":{"${SECRET}":`),
      writeSeed('bad-shape.json', { tokens: { [SECRET]: { accounts: [{ accountId: 1 }] } } }),
      writeSeed('no-tokens.json', { [SECRET]: {} }),
      path.join(dir, 'missing.json')
    ]
    for (const file of cases) {
      const f = fakeIO()
      expect(await main(['sso', 'emulator', '--port', '0', '--seed', file], f.io)).toBe(2)
      expect(f.err()).toMatch(/^fp-aws: (invalid|cannot read) seed file /)
      expect(f.err()).not.toContain(SECRET)
      expect(f.out()).toBe('')
    }
    const f = fakeIO()
    await main(['sso', 'emulator', '--port', '0', '--seed', cases[1] ?? ''], f.io)
    expect(f.err()).toContain('tokens[<token #1>].accounts[0].accountId: expected a non-empty string')
  })

  it('a port in use: exit 1', async () => {
    const other = await startEmulator()()
    if (other._tag === 'Left') throw new Error(other.left.message)
    try {
      const f = fakeIO()
      expect(await main(['sso', 'emulator', '--port', new URL(other.right.url).port], f.io)).toBe(1)
      expect(f.err()).toContain('EADDRINUSE')
    } finally {
      await other.right.close()
    }
  })

  it('never rejects, even when writing fails', async () => {
    const io: CliIO = {
      stdout: () => {
        throw new Error(`EPIPE ${SECRET}`)
      },
      stderr: () => undefined,
      env: {}
    }
    expect(await main(['--help'], io)).toBe(1)
    let err = ''
    expect(
      await main(['sso', 'emulator', '--port', '0'], { ...io, stderr: (s) => void (err += s) })
    ).toBe(1)
    expect(err).toContain('internal error')
    expect(err).not.toContain(SECRET)
  })
})
