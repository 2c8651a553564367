/**
 * `fp-aws sso emulator` (see `fp-aws/cli/main`). The emulator itself is loaded only once the
 * options are checked and the seed file read.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { describeReadFailure, readBounded } from '../../auth/sso/File.js'
import { escapeControl } from '../../core/Text.js'
import type { TokenSeed } from '../../emulator/operations.js'
import { DEMO_SEED, DEMO_TOKEN, parseSeedFile } from '../../emulator/seed.js'
import { fail, line, plural, PROGRAM, usageError, type CliIO, type Command, type StopSignal } from '../Command.js'


/** Resolves with the first stop signal (or `'abort'`), unsubscribing at once. */
const untilStopped = (io: CliIO): Promise<StopSignal | 'abort'> =>
  new Promise((resolve) => {
    let done = false
    let unsubscribe: () => void = () => undefined
    const stop = (why: StopSignal | 'abort'): void => {
      if (done) return
      done = true
      unsubscribe()
      io.signal?.removeEventListener('abort', onAbort)
      resolve(why)
    }
    const onAbort = (): void => stop('abort')
    if (io.signal?.aborted === true) return stop('abort')
    io.signal?.addEventListener('abort', onAbort, { once: true })
    if (io.onSignal !== undefined) {
      const off = io.onSignal(stop)
      if (done) off()
      else unsubscribe = off
    }
  })

/** The largest seed file read. */
const MAX_SEED_BYTES = 16 * 1024 * 1024

const readSeed = async (path: string): Promise<E.Either<string, Readonly<Record<string, TokenSeed>>>> => {
  const text = await readBounded(path, { followSymlinks: true, maxBytes: MAX_SEED_BYTES })()
  if (E.isLeft(text)) return E.left(line(`${PROGRAM}: cannot read the seed file ${path}: it ${describeReadFailure(text.left)}`))
  const parsed = parseSeedFile(text.right)
  return E.isLeft(parsed)
    ? E.left(line(`${PROGRAM}: invalid seed file ${path}:`) + parsed.left.map((l) => line(`  ${l}`)).join(''))
    : E.right(parsed.right)
}

const demoLines = (url: string): string => {
  const accounts = DEMO_SEED[DEMO_TOKEN]?.accounts ?? []
  return (
    `Seeded the public demo token: ${DEMO_TOKEN}\n` +
    accounts.map((a) => `  account ${a.accountId} (${a.accountName}): ${a.roles.join(', ')}\n`).join('') +
    `Try:\n  aws sso list-accounts --access-token ${DEMO_TOKEN} --region us-east-1 --endpoint-url ${url}\n`
  )
}

/** The OIDC lifetime flags, and the `startEmulator` option each sets. */
const OIDC_SECONDS: ReadonlyArray<readonly [string, string]> = [
  ['access-token-ttl', 'accessTokenTtlSeconds'],
  ['refresh-token-ttl', 'refreshTokenTtlSeconds'],
  ['device-code-ttl', 'deviceCodeTtlSeconds'],
  ['registration-ttl', 'registrationTtlSeconds'],
  ['poll-interval', 'pollIntervalSeconds']
]

/** The longest lifetime accepted, as `startEmulator` does: ten years, in seconds. */
const MAX_TTL_SECONDS = 10 * 365 * 24 * 3600

/**
 * `fp-aws sso emulator`: runs the local SSO portal and SSO OIDC emulator until stopped.
 *
 * @category commands
 * @since 0.2.0
 */
export const ssoEmulator: Command = {
  words: ['sso', 'emulator'],
  summary: 'run a local AWS SSO portal emulator',
  description:
    'Runs a local emulator of the AWS SSO portal API (Logout, ListAccounts, ListAccountRoles,\n' +
    'GetRoleCredentials) and of SSO OIDC (RegisterClient, StartDeviceAuthorization, CreateToken,\n' +
    'the /authorize endpoint and approval pages) until SIGINT or SIGTERM, and prints its URL.\n' +
    'A login grants the demo accounts; its tokens work on the portal until Logout.\n' +
    `Without --seed it accepts the public demo token ${DEMO_TOKEN}. A seed file is JSON\n` +
    '(up to 16 MiB):\n' +
    '  { "tokens": { "<accessToken>": { "accounts": [\n' +
    '      { "accountId": "…", "accountName": "…", "emailAddress": "…", "roles": ["…"] } ] } } }\n' +
    'Tokens from a seed file are never printed. A write to a closed standard output (e.g. piped\n' +
    'into `head`) stops the emulator quietly.\n\n' +
    'Exit status: 0 when stopped, 1 when it cannot listen, 2 on a usage error or a bad seed file.',
  flags: [
    { name: 'port', value: 'n', required: true, description: 'port to listen on (0: any free port)' },
    { name: 'host', value: 'host', description: 'address to listen on (default 127.0.0.1)' },
    { name: 'seed', value: 'file.json', description: 'the tokens to accept, and what each can see' },
    { name: 'auto-approve', description: 'approve every login at once (device code and /authorize)' },
    { name: 'access-token-ttl', value: 's', description: 'lifetime of access tokens, seconds (default 3600)' },
    { name: 'refresh-token-ttl', value: 's', description: 'lifetime of refresh tokens, seconds (default 28800)' },
    { name: 'device-code-ttl', value: 's', description: 'lifetime of device codes and login requests, seconds (default 600)' },
    { name: 'registration-ttl', value: 's', description: 'lifetime of client registrations, seconds (default 7776000)' },
    { name: 'poll-interval', value: 's', description: 'device flow polling interval, seconds (default 1)' },
    { name: 'no-rotate-refresh-tokens', description: 'keep the refresh token at each refresh (default: rotate)' }
  ],
  run: async (flags, io) => {
    const usage = (message: string): number => fail(io, false, usageError(message, ssoEmulator.words), 2)
    const rawPort = String(flags['port'])
    const port = /^\d{1,5}$/.test(rawPort) ? Number(rawPort) : NaN
    if (!(port >= 0 && port <= 65535)) return usage('--port must be an integer in 0..65535')
    const host = flags['host'] === undefined ? '127.0.0.1' : String(flags['host'])
    if (host === '') return usage('--host must not be empty')
    const seconds: Record<string, number> = {}
    for (const [flag, option] of OIDC_SECONDS) {
      const raw = flags[flag]
      if (raw === undefined) continue
      const n = typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : NaN
      if (!(n >= 1 && n <= MAX_TTL_SECONDS)) return usage(`--${flag} must be an integer of seconds in 1..${MAX_TTL_SECONDS}`)
      seconds[option] = n
    }
    const seedPath = flags['seed'] === undefined ? undefined : String(flags['seed'])
    const seed = seedPath === undefined ? E.right(undefined) : await readSeed(seedPath)
    if (E.isLeft(seed)) {
      io.stderr(seed.left)
      return 2
    }
    // loaded here: the other commands never start a server, and need not load one
    const { startEmulator } = await import('../../emulator/index.js')
    const started = await startEmulator({
      port,
      host,
      tokens: seed.right ?? DEMO_SEED,
      ...seconds,
      autoApprove: flags['auto-approve'] === true,
      rotateRefreshTokens: flags['no-rotate-refresh-tokens'] !== true
    })()
    if (E.isLeft(started)) return fail(io, false, { type: started.left._tag, message: started.left.message }, 1)
    const emulator = started.right
    try {
      io.stdout(line(`SSO portal emulator listening on ${emulator.url}`))
      io.stdout(
        seed.right === undefined
          ? demoLines(escapeControl(emulator.url))
          : line(`Seeded ${plural(Object.keys(seed.right).length, 'token')} from ${seedPath ?? ''} (tokens are not shown)`)
      )
      io.stdout(
        line(`SSO OIDC: the same URL; approval pages at ${escapeControl(emulator.url)}/device`) +
          (flags['auto-approve'] === true ? 'Every login is approved at once (--auto-approve).\n' : '')
      )
      io.stdout('Press Ctrl-C to stop.\n')
      const why = await untilStopped(io)
      // an abort is asked for by the embedder (or the output is gone): stop without a word
      if (why !== 'abort') io.stderr(`Received ${why}, stopping…\n`)
    } finally {
      await emulator.close()
    }
    return 0
  }
}
