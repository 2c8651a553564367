import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { main, parseFlags, type CliIO, type StopSignal } from '../../src/cli/main.js'
import { DEMO_TOKEN, startEmulator } from '../../src/emulator/index.js'

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

  it('command and group help: exit 0; a group lists its commands by the words after it', async () => {
    const f = fakeIO()
    expect(await main(['sso', 'emulator', '--help'], f.io)).toBe(0)
    expect(f.out()).toMatch(/^Usage: fp-aws sso emulator --port <n> \[--host <host>\] \[--seed <file\.json>\]/)
    for (const argv of [['sso', '--help'], ['sso', '-h'], ['help', 'sso']]) {
      const g = fakeIO()
      expect(await main(argv, g.io)).toBe(0)
      expect(g.out()).toMatch(/^Usage: fp-aws sso <command> \[options\]\n/)
      expect(g.out()).toMatch(
        /\n {2}credentials {2}print role credentials.*\n {2}emulator {5}run a local AWS SSO portal emulator\n {2}login {8}log in to AWS SSO.*\n {2}logout {7}log out of AWS SSO.*\n {2}sessions {5}list the cached SSO sessions.*\n {2}status {7}tell whether/
      )
      expect(g.out()).not.toMatch(/^ {2}sso /m)
      expect(g.out()).not.toContain('--version')
      expect(g.err()).toBe('')
    }
    const h = fakeIO()
    expect(await main(['help', 'sso', 'logout'], h.io)).toBe(0)
    expect(h.out()).toMatch(/^Usage: fp-aws sso logout /)
  })

  it('--version: exit 0', async () => {
    const f = fakeIO()
    expect(await main(['--version'], f.io)).toBe(0)
    expect(f.out()).toMatch(/^\d+\.\d+\.\d+\n$/)
  })

  it('a usage error is one line on stderr: the problem, a near miss, where to get help; exit 2', async () => {
    const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
      [[], "missing command (sso credentials, sso emulator, sso login, sso logout, sso sessions, sso status). Run 'fp-aws --help' for usage."],
      [['sso'], "missing command after 'sso' (credentials, emulator, login, logout, sessions, status). Run 'fp-aws sso --help' for usage."],
      [['sso', '--port', '0'], "missing command after 'sso' (credentials, emulator, login, logout, sessions, status). Run 'fp-aws sso --help' for usage."],
      [['nope'], "unknown command 'nope'. Run 'fp-aws --help' for usage."],
      [['ssso', 'logout'], "unknown command 'ssso' (did you mean 'sso'?). Run 'fp-aws --help' for usage."],
      [['sso', 'logot'], "unknown command 'sso logot' (did you mean 'sso logout'?). Run 'fp-aws sso --help' for usage."],
      [['sso', 'emulater', '--port', '0'], "unknown command 'sso emulater' (did you mean 'sso emulator'?). Run 'fp-aws sso --help' for usage."],
      [['help', 'sso', 'nope'], "unknown command 'sso nope'. Run 'fp-aws sso --help' for usage."],
      [['--nope'], "unknown option --nope. Run 'fp-aws --help' for usage."],
      [['--verison'], "unknown option --verison (did you mean --version?). Run 'fp-aws --help' for usage."],
      [['sso', 'logout', '--profle', 'dev'], "unknown option --profle (did you mean --profile?). Run 'fp-aws sso logout --help' for usage."],
      [['sso', 'logout', '--start_url=u'], "unknown option --start_url (did you mean --start-url?). Run 'fp-aws sso logout --help' for usage."],
      [['sso', 'logout', '--dryrun'], "unknown option --dryrun (did you mean --dry-run?). Run 'fp-aws sso logout --help' for usage."],
      [['sso', 'logout', '-p', 'dev'], "unknown option -p (did you mean --profile?). Run 'fp-aws sso logout --help' for usage."],
      [['sso', 'logout', '-s', 'x'], "unknown option -s (did you mean --sso-session or --start-url?). Run 'fp-aws sso logout --help' for usage."],
      [['sso', 'emulator', '-p', '0'], "unknown option -p (did you mean --port or --poll-interval?). Run 'fp-aws sso emulator --help' for usage."],
      [
        ['sso', 'emulator', '--port', '0', '--access-token-ttl', '0'],
        "--access-token-ttl must be an integer of seconds in 1..315360000. Run 'fp-aws sso emulator --help' for usage."
      ],
      [
        ['sso', 'emulator', '--port', '0', '--poll-interval=1.5'],
        "--poll-interval must be an integer of seconds in 1..315360000. Run 'fp-aws sso emulator --help' for usage."
      ],
      [['sso', 'emulator', '--port', '0', '--auto-approve=yes'], "--auto-approve takes no value. Run 'fp-aws sso emulator --help' for usage."],
      [['sso', 'emulator', '--port', '0', '--bogus'], "unknown option --bogus. Run 'fp-aws sso emulator --help' for usage."],
      [['sso', 'emulator'], "missing --port <n>. Run 'fp-aws sso emulator --help' for usage."],
      [['sso', 'emulator', '--port'], "--port needs a value <n>. Run 'fp-aws sso emulator --help' for usage."],
      [
        ['sso', 'emulator', '--port', '--host', 'h'],
        "--port needs a value <n> (for one that starts with '-', write --port=<n>). Run 'fp-aws sso emulator --help' for usage."
      ],
      [['sso', 'emulator', '--port', 'http'], "--port must be an integer in 0..65535. Run 'fp-aws sso emulator --help' for usage."],
      [['sso', 'emulator', '--port=0', '--host='], "--host must not be empty. Run 'fp-aws sso emulator --help' for usage."],
      [['sso', 'emulator', 'extra', '--port', '0'], "unexpected argument #1 after the command (not shown). Run 'fp-aws sso emulator --help' for usage."],
      [['sso', 'logout', '--json=yes'], "--json takes no value. Run 'fp-aws sso logout --help' for usage."],
      [
        ['sso', 'logout', '--profile', 'a', '--sso-session', 'b'],
        "--profile and --sso-session cannot be given together. Run 'fp-aws sso logout --help' for usage."
      ],
      [
        ['sso', 'logout', '--start-url', 'u', '--sso-session', 'b', '--profile', 'a'],
        "--profile, --sso-session and --start-url cannot be given together. Run 'fp-aws sso logout --help' for usage."
      ],
      [['sso', 'logout', '--profile='], "--profile must not be empty. Run 'fp-aws sso logout --help' for usage."]
    ]
    for (const [argv, message] of cases) {
      const f = fakeIO()
      expect(await main(argv, f.io), argv.join(' ')).toBe(2)
      expect(f.err(), argv.join(' ')).toBe(`fp-aws: ${message}\n`)
      expect(f.out(), argv.join(' ')).toBe('')
    }
  })

  it('--help wins over a usage error', async () => {
    const f = fakeIO()
    expect(await main(['sso', 'logout', '--bogus', '-h'], f.io)).toBe(0)
    expect(f.out()).toMatch(/^Usage: fp-aws sso logout /)
    expect(f.err()).toBe('')
  })

  it('never echoes what follows an unknown command, a stray argument, or a word that is not a name', async () => {
    const runs: ReadonlyArray<ReadonlyArray<string>> = [
      ['sso', 'nope', SECRET],
      ['sso', 'emulator', '--port', '0', SECRET],
      [`${SECRET}-and-more-than-thirty-two-characters`],
      ['sso', `x\u001b]0;evil\u0007`],
      ['sso', 'logout', `--${SECRET}-and-more-than-thirty-two-characters=1`],
      ['sso', 'logout', `--x\u001b[2J`],
      ['sso', 'logout', '--', SECRET]
    ]
    for (const argv of runs) {
      const f = fakeIO()
      expect(await main(argv, f.io), argv.join(' ')).toBe(2)
      expect(f.err(), argv.join(' ')).not.toContain(SECRET)
      expect(f.err(), argv.join(' ')).not.toContain('\u001b')
      expect(f.err().split('\n'), argv.join(' ')).toHaveLength(2)
    }
    const f = fakeIO()
    expect(await main(['sso', 'nope', SECRET], f.io)).toBe(2)
    expect(f.err()).toContain("unknown command 'sso nope'")
    const g = fakeIO()
    expect(await main(['sso', `x\u001b]0;evil\u0007`], g.io)).toBe(2)
    expect(g.err()).toBe("fp-aws: unknown command (argument #2, not shown). Run 'fp-aws sso --help' for usage.\n")
  })

  it('whatever the arguments: never rejects, no raw control character out, a usage error is one line (property)', async () => {
    // raw, a terminal would act on these; newline is allowed only as a line break
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/
    const home = fs.mkdtempSync(path.join(dir, 'home-'))
    const known = ['sso', 'logout', 'emulator', 'help', '--help', '-h', '--json', '--dry-run', '--profile', '--sso-session', '--start-url', '--port', '--seed', '--host', '--', '-']
    const hostile = fc.string({ unit: 'binary', maxLength: 12 }).map((s) => `${s}\u001b]0;x\u0007\u009b\u202e`)
    const arg = fc.oneof(fc.constantFrom(...known), fc.string({ unit: 'binary', maxLength: 12 }), hostile)
    const stop = new AbortController()
    stop.abort()
    await fc.assert(
      fc.asyncProperty(fc.array(arg, { maxLength: 6 }), async (tail) => {
        for (const argv of [tail, ['sso', 'logout', ...tail], ['sso', 'emulator', '--port', '0', ...tail]]) {
          const f = fakeIO({ env: { HOME: home, AWS_ENDPOINT_URL_SSO: 'http://127.0.0.1:1', AWS_CONFIG_FILE: path.join(home, 'none') }, signal: stop.signal })
          const code = await main(argv, f.io)
          expect([0, 1, 2]).toContain(code)
          expect(UNSAFE.test(f.out() + f.err()), JSON.stringify(argv)).toBe(false)
          if (code === 2 && f.out() === '' && !f.err().includes('seed file')) expect(f.err().split('\n'), JSON.stringify(argv)).toHaveLength(2)
        }
      }),
      { numRuns: 200 }
    )
  })

  it('parseFlags: values, = form, switches, last one wins', () => {
    const flags = [
      { name: 'port', value: 'n', required: true, description: '' },
      { name: 'quiet', description: '' }
    ]
    expect(parseFlags(['--port', '1', '--port=2', '--quiet'], flags)).toEqual({ _tag: 'Right', right: { port: '2', quiet: true } })
    expect(parseFlags(['--port=-1'], flags)).toEqual({ _tag: 'Right', right: { port: '-1' } })
    expect(parseFlags(['--port', '-'], flags)).toEqual({ _tag: 'Right', right: { port: '-' } })
    expect(parseFlags(['--quiet=yes', '--port', '1'], flags)).toEqual({ _tag: 'Left', left: '--quiet takes no value' })
    expect(parseFlags(['--quiet'], flags)).toEqual({ _tag: 'Left', left: 'missing --port <n>' })
    expect(parseFlags(['--prot', '1'], flags)).toEqual({ _tag: 'Left', left: 'unknown option --prot (did you mean --port?)' })
    expect(parseFlags(['--port', '1', '-q'], flags)).toEqual({ _tag: 'Left', left: 'unknown option -q (did you mean --quiet?)' })
    expect(parseFlags(['-qh'], flags)).toEqual({ _tag: 'Right', right: { help: true } })
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
    expect(f.err()).toBe('') // an abort stops it without a word
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

  it('takes the OIDC options as flags: a device login, auto-approved, with the lifetimes given', async () => {
    const f = fakeIO()
    const running = main(
      [
        'sso',
        'emulator',
        '--port',
        '0',
        '--auto-approve',
        '--access-token-ttl',
        '7',
        '--device-code-ttl=9',
        '--poll-interval',
        '3',
        '--registration-ttl',
        '11',
        '--refresh-token-ttl',
        '13',
        '--no-rotate-refresh-tokens'
      ],
      f.io
    )
    const url = await f.url
    expect(f.out()).toContain(`approval pages at ${url}/device`)
    expect(f.out()).toContain('--auto-approve')
    const post = async (p: string, body: unknown) =>
      (await (await fetch(`${url}${p}`, { method: 'POST', body: JSON.stringify(body) })).json()) as Record<string, unknown>
    const reg = await post('/client/register', { clientName: 'cli', clientType: 'public', scopes: ['sso:account:access'] })
    expect(Number(reg['clientSecretExpiresAt']) - Number(reg['clientIdIssuedAt'])).toBe(11)
    const client = { clientId: reg['clientId'], clientSecret: reg['clientSecret'] }
    const dev = await post('/device_authorization', { ...client, startUrl: 'https://d-1.awsapps.com/start' })
    expect([dev['expiresIn'], dev['interval']]).toStrictEqual([9, 3])
    const tok = await post('/token', { ...client, grantType: 'urn:ietf:params:oauth:grant-type:device_code', deviceCode: dev['deviceCode'] })
    expect(tok['expiresIn']).toBe(7)
    expect((await listAccounts(url, String(tok['accessToken']))).status).toBe(200)
    const again = await post('/token', { ...client, grantType: 'refresh_token', refreshToken: tok['refreshToken'] })
    expect(again['refreshToken']).toBe(tok['refreshToken'])
    expect(f.out() + f.err()).not.toContain(String(tok['accessToken']))
    f.stop.abort()
    expect(await running).toBe(0)
  })

  it('--help lists the OIDC flags', async () => {
    const f = fakeIO()
    expect(await main(['sso', 'emulator', '--help'], f.io)).toBe(0)
    for (const flag of ['--auto-approve', '--access-token-ttl <s>', '--refresh-token-ttl <s>', '--device-code-ttl <s>', '--registration-ttl <s>', '--poll-interval <s>', '--no-rotate-refresh-tokens']) {
      expect(f.out()).toContain(flag)
    }
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
      expect(f.err()).toMatch(/^fp-aws: (invalid seed file|cannot read the seed file) /)
      expect(f.err()).not.toContain(SECRET)
      expect(f.out()).toBe('')
    }
    const f = fakeIO()
    await main(['sso', 'emulator', '--port', '0', '--seed', cases[1] ?? ''], f.io)
    expect(f.err()).toContain('tokens[<token #1>].accounts[0].accountId: expected a non-empty string')
  })

  it('a seed file that is a FIFO, a directory or too large is refused at once: exit 2', async () => {
    const fifo = path.join(dir, 'fifo.json')
    execFileSync('mkfifo', [fifo])
    const big = writeSeed('big.json', `{"tokens":{}}${' '.repeat(16 * 1024 * 1024)}`)
    for (const [file, why] of [
      [fifo, 'is not a regular file'],
      [dir, 'is not a regular file'],
      [big, 'is larger than 16777216 bytes']
    ] as const) {
      const f = fakeIO()
      expect(await main(['sso', 'emulator', '--port', '0', '--seed', file], f.io)).toBe(2)
      expect(f.err()).toBe(`fp-aws: cannot read the seed file ${file}: it ${why}\n`)
    }
  })

  it('a file name with control characters is shown escaped, on one line', async () => {
    const file = path.join(dir, 'evil\n\u001b]0;evil\u0007\u202e.json')
    fs.writeFileSync(file, '{')
    const f = fakeIO()
    expect(await main(['sso', 'emulator', '--port', '0', '--seed', file], f.io)).toBe(2)
    expect(f.err()).toBe(`fp-aws: invalid seed file ${dir}/evil\\n\\x1b]0;evil\\x07\\u202e.json:\n  the file is not valid JSON\n`)
    const g = fakeIO()
    expect(await main(['sso', 'emulator', '--port', '0', '--seed', `${file}.missing`], g.io)).toBe(2)
    expect(g.err()).toBe(`fp-aws: cannot read the seed file ${dir}/evil\\n\\x1b]0;evil\\x07\\u202e.json.missing: it does not exist\n`)
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
