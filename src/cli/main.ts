/**
 * The `fp-aws` command line, as a function: `main(argv, io)` runs one command and resolves
 * to its exit code. It never throws and never touches `process`: everything goes through
 * `io`, so that tests can run it in-process (`src/cli/bin.ts` wires it to the process).
 *
 * Commands are rows of {@link commands}, found by their words (`sso emulator`); a new
 * command (e.g. `sso logout`) is a new row. Options are parsed by `node:util` `parseArgs`.
 * Exit codes: `0` success (and `--help`), `1` a failure at run time (e.g. the port is in
 * use, a broken config file), `2` a usage error (unknown command or option, bad option
 * value, a profile or sso-session that is not in the config file, an invalid seed file).
 *
 * Output: results on stdout; every problem on stderr. A usage error is one line that
 * names the problem, suggests the nearest command or option for a near miss, and says
 * where to get help. Every value shown to a person (file names, start URLs, profile
 * names, messages) has its control characters escaped (see `escapeControl` in
 * `fp-aws/core/Text`). With `--json`, stdout holds only JSON: the report, or
 * `{"error":{"type","message","source"?}}` for a failure before there is a report. That
 * JSON is exact (parsing it gives back every value as it is); DEL, the C1 controls and the
 * bidirectional formatting characters, which `JSON.stringify` leaves raw, are written as
 * `\uHHHH` escapes in it, so that printing it to a terminal is safe too.
 *
 * `fp-aws sso emulator --port N [--host H] [--seed file.json] [OIDC options]` runs the local
 * SSO portal and SSO OIDC emulator until SIGINT or SIGTERM (or `io.signal` aborts), then
 * closes it and exits 0. The OIDC options are `--auto-approve`, `--access-token-ttl S`,
 * `--refresh-token-ttl S`, `--device-code-ttl S`, `--registration-ttl S`, `--poll-interval S`
 * and `--no-rotate-refresh-tokens` (see `startEmulator` in `fp-aws/emulator`).
 * It never prints an access token, except the public demo token {@link DEMO_TOKEN}.
 *
 * `fp-aws sso logout [--profile P | --sso-session S | --start-url U] [--dry-run] [--concurrency N]
 * [--json]` logs out like `aws sso logout` (see `fp-aws/auth/sso`), up to N files at a time
 * (1..256, default 16): exit 0 on success, 1 when a
 * session could not be invalidated, a file could not be deleted or a cache was refused (a
 * directory on its path that another user could change), 2 on a usage error.
 *
 * `fp-aws sso login [--profile P | --sso-session S] [--use-device-code] [--no-browser]
 * [--redirect-port N] [--json]` logs in like `aws sso login` (see `login` in
 * `fp-aws/auth/sso`): exit 0 when logged in, 1 when the login failed, was denied or timed
 * out, 2 on a usage error.
 *
 * `fp-aws sso sessions [--json]` lists the cached SSO sessions (see `listSessions` in
 * `fp-aws/auth/sso`): exit 0, also with none or with a corrupt file (reported on stderr).
 *
 * `fp-aws sso status [--profile P] [--json]` tells whether a profile's session is usable
 * (see `profileStatus`): exit 0 when valid or refreshable, 1 when a login is needed (it
 * names the command), 2 on a usage error (an unknown or non-SSO profile included).
 *
 * `fp-aws sso credentials --profile P` prints role credentials as `credential_process` JSON
 * (the one output that holds secrets), cached in `~/.aws/cli/cache` as the AWS CLI caches
 * them: exit 0, 1 when they cannot be had, 2 on a usage error.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { parseArgs } from 'node:util'
import type { ConfigError } from '../core/Config.js'
import { fromEnvironment, type Env } from '../core/Env.js'
import { escapeControl } from '../core/Text.js'
import { VERSION } from '../core/version.js'
import { openBrowser as systemOpenBrowser } from './Browser.js'
import {
  credentialCacheFile,
  credentialCacheKey,
  describeReadFailure,
  formatCliTimestamp,
  fromSSO,
  isLogoutSuccessful,
  listSessions,
  loadConfigFile,
  login,
  DEFAULT_LOGOUT_CONCURRENCY,
  logoutAll,
  logoutSession,
  MAX_LOGOUT_CONCURRENCY,
  profileStatus,
  readBounded,
  readCachedCredentials,
  resolveSecure,
  showLogoutProblems,
  showLogoutResults,
  ssoProfile,
  writeCachedCredentials,
  type AwsCredentials,
  type LoginPrompt,
  type LoginTarget,
  type LogoutReport,
  type LogoutTarget,
  type SSOConfigError,
  type SSOSessionRef
} from '../auth/sso/index.js'
import { reveal } from '../core/Sensitive.js'
import type { TokenSeed } from '../emulator/operations.js'
import { DEMO_SEED, DEMO_TOKEN, parseSeedFile } from '../emulator/seed.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A process signal that stops a long-running command.
 *
 * @category model
 * @since 0.1.0
 */
export type StopSignal = 'SIGINT' | 'SIGTERM'

/**
 * Everything `main` needs from the outside world.
 *
 * @category model
 * @since 0.1.0
 */
export interface CliIO {
  /** Writes text (with its own newlines) to standard output. */
  readonly stdout: (s: string) => void
  /** Writes text (with its own newlines) to standard error. */
  readonly stderr: (s: string) => void
  /** The environment variables. */
  readonly env: Readonly<Record<string, string | undefined>>
  /** The home directory (default: `HOME`, else `USERPROFILE`, from `env`). */
  readonly homedir?: string
  /**
   * Subscribes to SIGINT / SIGTERM for a long-running command; returns the unsubscribe
   * function. A command unsubscribes as soon as the first signal arrives, so a second one
   * gets the default behaviour (the process dies).
   */
  readonly onSignal?: (handler: (signal: StopSignal) => void) => () => void
  /**
   * Aborting it stops a long-running command as a signal would, without a word (for tests,
   * embedding, and an output that was closed).
   */
  readonly signal?: AbortSignal
  /**
   * Opens a URL in a browser, `true` when it did (for `sso login`; default: the commands of
   * `BROWSER`, then the platform's opener, see `fp-aws/cli/Browser`). (since 0.2.0)
   */
  readonly openBrowser?: (url: string) => Promise<boolean>
}

/**
 * An option a command accepts: `--name value` (or `--name=value`) when it takes a value,
 * `--name` alone otherwise.
 *
 * @category model
 * @since 0.1.0
 */
export interface Flag {
  readonly name: string
  /** What the value stands for in the usage text, e.g. `n`; absent for a switch. */
  readonly value?: string
  readonly required?: boolean
  readonly description: string
}

/**
 * The options given on the command line: the value of each (the last one wins), `true`
 * for a switch.
 *
 * @category model
 * @since 0.1.0
 */
export type Flags = Readonly<Record<string, string | true>>

/**
 * One command: its words, its options and what it does.
 *
 * @category model
 * @since 0.1.0
 */
export interface Command {
  /** The words that name it, e.g. `['sso', 'emulator']`. */
  readonly words: ReadonlyArray<string>
  /** One line, for the list of commands. */
  readonly summary: string
  /** Paragraphs shown by `--help` after the usage line. */
  readonly description: string
  readonly flags: ReadonlyArray<Flag>
  /** Runs the command with options already parsed (required ones present); resolves to the exit code. */
  readonly run: (flags: Flags, io: CliIO) => Promise<number>
}

// -------------------------------------------------------------------------------------
// output
// -------------------------------------------------------------------------------------

const PROGRAM = 'fp-aws'

/** One line for a person: the control characters of whatever it quotes escaped. */
const line = (s: string): string => `${escapeControl(s)}\n`

/**
 * `JSON.stringify`, plus `\uHHHH` escapes for what it leaves raw and a terminal could act
 * on (DEL, C1 controls, U+2028/U+2029, bidirectional formatting): still exact JSON, since
 * these can only occur inside strings, where the escape means the same character.
 */
const json = (value: unknown): string =>
  `${JSON.stringify(value, null, 2).replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`
  )}\n`

/** Something that went wrong before there was anything else to print. */
interface Failure {
  /** `UsageError`, or the tag of the error (`ConfigError`, `SSOConfigError`, …). */
  readonly type: string
  readonly message: string
  /** The file or variable the problem comes from, if any. */
  readonly source?: string | undefined
  /** For a usage error: the words of the command whose `--help` helps. */
  readonly help?: ReadonlyArray<string>
}

const helpHint = (words: ReadonlyArray<string>): string => `Run '${[PROGRAM, ...words, '--help'].join(' ')}' for usage.`

/**
 * Prints a failure: with `--json`, a JSON error object on stdout (and nothing on stderr);
 * otherwise one line on stderr, with where to get help for a usage error.
 */
const fail = (io: CliIO, asJson: boolean, f: Failure, code: number): number => {
  if (asJson) {
    io.stdout(json({ error: { type: f.type, message: f.message, ...(f.source === undefined ? {} : { source: f.source }) } }))
  } else {
    io.stderr(line(`${PROGRAM}: ${f.message}${f.help === undefined ? '' : `. ${helpHint(f.help)}`}`))
  }
  return code
}

const usageError = (message: string, help: ReadonlyArray<string>): Failure => ({ type: 'UsageError', message, help })

/** Whether `--json` was asked for (before a `--`, if any). */
const wantsJson = (args: ReadonlyArray<string>): boolean => {
  const end = args.indexOf('--')
  return (end === -1 ? args : args.slice(0, end)).includes('--json')
}

// -------------------------------------------------------------------------------------
// usage
// -------------------------------------------------------------------------------------

const HELP_FLAG: Flag = { name: 'help', description: 'show this help' }

const flagUsage = (f: Flag): string => {
  const s = f.value === undefined ? `--${f.name}` : `--${f.name} <${f.value}>`
  return f.required === true ? s : `[${s}]`
}

const table = (rows: ReadonlyArray<readonly [string, string]>): string => {
  const width = Math.max(...rows.map(([a]) => a.length))
  return rows.map(([a, b]) => `  ${a.padEnd(width)}  ${b}\n`).join('')
}

/**
 * The `--help` text of a command.
 *
 * @category usage
 * @since 0.1.0
 */
export const commandUsage = (c: Command): string =>
  `Usage: ${[PROGRAM, ...c.words, ...c.flags.map(flagUsage)].join(' ')}\n\n` +
  `${c.description}\n\nOptions:\n` +
  table(
    [...c.flags, HELP_FLAG].map((f) => [f.value === undefined ? `--${f.name}` : `--${f.name} <${f.value}>`, f.description] as const)
  )

/**
 * The `--help` text listing `commands`: all of them, by their full words; or, given a
 * `prefix` such as `['sso']`, those under it, by the words after it.
 *
 * @category usage
 * @since 0.1.0
 */
export const usage = (cs: ReadonlyArray<Command>, prefix: ReadonlyArray<string> = []): string =>
  `Usage: ${[PROGRAM, ...prefix].join(' ')} <command> [options]\n\nCommands:\n` +
  table(cs.filter((c) => startsWith(c.words, prefix)).map((c) => [c.words.slice(prefix.length).join(' '), c.summary] as const)) +
  `\nOptions:\n` +
  table([
    ['--help', 'show help (also after a command)'],
    ...(prefix.length === 0 ? [['--version', 'show the version'] as const] : [])
  ]) +
  `\nRun '${[PROGRAM, ...prefix].join(' ')} <command> --help' for the options of a command.\n`

// -------------------------------------------------------------------------------------
// parsing
// -------------------------------------------------------------------------------------

const startsWith = (xs: ReadonlyArray<string>, prefix: ReadonlyArray<string>): boolean =>
  prefix.length <= xs.length && prefix.every((w, i) => xs[i] === w)

/**
 * The optimal string alignment distance (Levenshtein with transpositions) of `a` and `b`,
 * or `max + 1` once it is sure to exceed `max`.
 */
const distance = (a: string, b: string, max: number): number => {
  if (Math.abs(a.length - b.length) > max) return max + 1
  const rows: Array<Array<number>> = [Array.from({ length: b.length + 1 }, (_, j) => j)]
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min((rows[i - 1]?.[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (rows[i - 1]?.[j - 1] ?? 0) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (rows[i - 2]?.[j - 2] ?? 0) + 1)
      row.push(d)
    }
    rows.push(row)
  }
  return rows[a.length]?.[b.length] ?? max + 1
}

/**
 * The candidates `word` is a near miss of: the one it is a prefix of (if only one), else
 * those at the smallest edit distance, if that is small for its length (1 up to 5
 * characters, 2 beyond). Case is ignored.
 */
const nearest = (word: string, candidates: ReadonlyArray<string>): ReadonlyArray<string> => {
  const w = word.toLowerCase()
  const prefixed = candidates.filter((c) => w.length >= 2 && c.toLowerCase().startsWith(w))
  if (prefixed.length === 1) return prefixed
  const max = w.length <= 5 ? 1 : 2
  const scored = candidates.map((c) => [c, distance(w, c.toLowerCase(), max)] as const).filter(([, d]) => d <= max)
  const best = Math.min(...scored.map(([, d]) => d))
  return scored.filter(([, d]) => d === best).map(([c]) => c)
}

const didYouMean = (xs: ReadonlyArray<string>): string => (xs.length === 0 ? '' : ` (did you mean ${xs.join(' or ')}?)`)

/**
 * Whether a word from the command line may be shown in a message: something that looks
 * like the name of a command or an option. Anything else (e.g. a token pasted in the
 * wrong place) is referred to by its position only.
 */
const showable = (s: string): boolean => /^-{0,2}[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/.test(s)

const optionsOf = (flags: ReadonlyArray<Flag>): Record<string, { type: 'string' | 'boolean'; short?: string }> => ({
  ...Object.fromEntries(flags.map((f) => [f.name, { type: f.value === undefined ? 'boolean' : 'string' }] as const)),
  help: { type: 'boolean', short: 'h' }
})

/**
 * Parses a command's arguments (after its words) against its options with `node:util`
 * `parseArgs`, and checks them as its strict mode does, with messages of our own: `Left`
 * is one line that names the problem (an unknown option, with the nearest known one(s)
 * for a near miss; a missing or unexpected value; a missing required option; a stray
 * argument) and never quotes a value or a stray argument, which could be a secret.
 * `--help` (or `-h`) anywhere yields `{ help: true }` alone.
 *
 * @example
 * import { parseFlags } from 'fp-aws/cli/main'
 *
 * const flags = [
 *   { name: 'port', value: 'n', required: true, description: '' },
 *   { name: 'profile', value: 'name', description: '' }
 * ]
 * assert.deepStrictEqual(parseFlags(['--port', '80'], flags), { _tag: 'Right', right: { port: '80' } })
 * assert.deepStrictEqual(parseFlags(['--port=80'], flags), { _tag: 'Right', right: { port: '80' } })
 * assert.deepStrictEqual(parseFlags(['--port', '80', '--profle', 'dev'], flags), {
 *   _tag: 'Left',
 *   left: 'unknown option --profle (did you mean --profile?)'
 * })
 * assert.deepStrictEqual(parseFlags(['-p', 'dev'], flags), {
 *   _tag: 'Left',
 *   left: 'unknown option -p (did you mean --port or --profile?)'
 * })
 *
 * @category parsing
 * @since 0.1.0
 */
export const parseFlags = (args: ReadonlyArray<string>, flags: ReadonlyArray<Flag>): E.Either<string, Flags> => {
  let tokens
  try {
    tokens = parseArgs({ args: [...args], options: optionsOf(flags), strict: false, allowPositionals: true, tokens: true }).tokens
  } catch {
    return E.left('cannot parse the arguments')
  }
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) return E.right({ help: true })
  const out: Record<string, string | true> = {}
  for (const t of tokens) {
    if (t.kind === 'option-terminator') continue
    if (t.kind === 'positional') return E.left(`unexpected argument #${t.index + 1} after the command (not shown)`)
    const flag = flags.find((f) => f.name === t.name)
    if (flag === undefined) {
      if (!showable(t.rawName)) return E.left(`unknown option (argument #${t.index + 1}, not shown)`)
      const names = flags.map((f) => f.name)
      const near = t.rawName.startsWith('--') ? nearest(t.name, names) : names.filter((n) => n.startsWith(t.name))
      return E.left(`unknown option ${t.rawName}${didYouMean(near.map((n) => `--${n}`))}`)
    }
    if (flag.value === undefined) {
      if (t.value !== undefined) return E.left(`--${flag.name} takes no value`)
      out[flag.name] = true
    } else if (t.value === undefined || (t.inlineValue === false && t.value.startsWith('-') && t.value !== '-')) {
      return E.left(
        `--${flag.name} needs a value <${flag.value}>` +
          (t.value === undefined ? '' : ` (for one that starts with '-', write --${flag.name}=<${flag.value}>)`)
      )
    } else {
      out[flag.name] = t.value
    }
  }
  const missing = flags.find((f) => f.required === true && out[f.name] === undefined)
  return missing === undefined ? E.right(out) : E.left(`missing --${missing.name} <${missing.value ?? ''}>`)
}

// -------------------------------------------------------------------------------------
// sso emulator
// -------------------------------------------------------------------------------------

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

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

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

const ssoEmulator: Command = {
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
    const { startEmulator } = await import('../emulator/index.js')
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

// -------------------------------------------------------------------------------------
// sso logout
// -------------------------------------------------------------------------------------

const nonEmpty = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v)

/** The target of `sso logout` from its options, or a usage error. */
const logoutTarget = (flags: Flags): E.Either<string, LogoutTarget | undefined> => {
  const given = (['profile', 'sso-session', 'start-url'] as const).filter((n) => flags[n] !== undefined)
  if (given.length > 1) {
    const names = given.map((n) => `--${n}`)
    return E.left(`${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''} cannot be given together`)
  }
  const name = given[0]
  if (name === undefined) return E.right(undefined)
  const value = String(flags[name])
  if (value === '') return E.left(`--${name} must not be empty`)
  return E.right(
    name === 'profile'
      ? { _tag: 'Profile', profile: value }
      : name === 'sso-session'
        ? { _tag: 'SSOSession', name: value }
        : { _tag: 'StartUrl', startUrl: value }
  )
}

/** A configuration error as one line that names its file (and line) or variable. */
const configFailure = (e: ConfigError | SSOConfigError): Failure => ({
  type: e._tag,
  message: e.message.includes(e.source) ? e.message : `${e.source}: ${e.message}`,
  source: e.source
})

const ssoLogout: Command = {
  words: ['sso', 'logout'],
  summary: 'log out of AWS SSO: invalidate the cached tokens, then remove them',
  description:
    'Logs out like `aws sso logout`: every cached SSO token (~/.aws/sso/cache) is invalidated\n' +
    'with the SSO Logout call in its region, then removed, and so are the SSO credentials cached\n' +
    'by the AWS CLI (~/.aws/cli/cache). Client registrations, other providers\' credentials and\n' +
    'files that are not JSON are left alone. A token file is removed only when the session is over\n' +
    'or the SSO portal itself rejected the token (a 4xx with an AWS error type); after a network\n' +
    'error, a 5xx, throttling, or a 4xx from something else (a proxy\'s 407, a firewall\'s page) it\n' +
    'is kept, and the command exits 1. Symbolic links in the caches are never followed.\n' +
    'A cache is refused, nothing in it read or removed, and the command exits 1, when a directory\n' +
    'on its path could be changed by another user (owned by someone other than you or root, or\n' +
    'writable by group or others without the sticky bit; fix with e.g. `chmod go-w ~/.aws`).\n' +
    'With --profile, --sso-session or --start-url, only that session\'s token and the credentials\n' +
    'cached for its profiles are concerned. The endpoint follows AWS_ENDPOINT_URL_SSO,\n' +
    'AWS_ENDPOINT_URL and the config file. HTTPS_PROXY, HTTP_PROXY and NO_PROXY (either case)\n' +
    'and AWS_CA_BUNDLE (or the profile\'s ca_bundle) are honoured. Tokens are never printed.\n' +
    'Up to --concurrency files are handled at a time (so as many Logout calls in flight), and all\n' +
    'the calls share one retry quota. Once the endpoint of a region cannot be reached (connection\n' +
    'refused, a name that does not resolve, a timeout), the other tokens of that region are kept,\n' +
    'not sent, and reported (EndpointUnreachable); the other regions go on.\n\n' +
    'What was done goes to stdout; every problem to stderr. With --json, stdout holds only JSON:\n' +
    'the report, or {"error":{"type":…,"message":…}} when the command fails before there is one.\n\n' +
    'Exit status: 0 on success, 1 when a session could not be invalidated, a file removed or a\n' +
    'cache was refused (or the config file cannot be read or parsed), 2 on a usage error\n' +
    '(including a profile or sso-session that is not in the config file, from --profile or\n' +
    'AWS_PROFILE).',
  flags: [
    { name: 'profile', value: 'name', description: 'only the SSO session of this profile' },
    { name: 'sso-session', value: 'name', description: 'only this sso-session' },
    { name: 'start-url', value: 'url', description: 'only the session(s) of this start URL' },
    { name: 'dry-run', description: 'show what would be done; call nothing, remove nothing' },
    {
      name: 'concurrency',
      value: 'n',
      description: `how many files to handle at a time, 1..${MAX_LOGOUT_CONCURRENCY} (default ${DEFAULT_LOGOUT_CONCURRENCY})`
    },
    { name: 'json', description: 'print only the report (or the error), as JSON, on stdout' }
  ],
  run: async (flags, io) => {
    const asJson = flags['json'] === true
    const target = logoutTarget(flags)
    if (E.isLeft(target)) return fail(io, asJson, usageError(target.left, ssoLogout.words), 2)
    const rawConcurrency = flags['concurrency']
    const concurrency = rawConcurrency === undefined ? DEFAULT_LOGOUT_CONCURRENCY : /^\d{1,3}$/.test(String(rawConcurrency)) ? Number(rawConcurrency) : NaN
    if (!(concurrency >= 1 && concurrency <= MAX_LOGOUT_CONCURRENCY)) {
      return fail(io, asJson, usageError(`--concurrency must be an integer in 1..${MAX_LOGOUT_CONCURRENCY}`, ssoLogout.words), 2)
    }
    const homedir = nonEmpty(io.homedir) ?? nonEmpty(io.env['HOME']) ?? nonEmpty(io.env['USERPROFILE'])
    if (homedir === undefined) {
      return fail(io, asJson, { type: 'NoHomeDirectory', message: 'cannot find the home directory (HOME is not set)' }, 1)
    }
    const profile = target.right?._tag === 'Profile' ? target.right.profile : undefined
    const base = await fromEnvironment({
      env: profile === undefined ? io.env : { ...io.env, AWS_PROFILE: profile },
      homedir,
      ...(io.signal === undefined ? {} : { overrides: { signal: io.signal } })
    })()
    if (E.isLeft(base)) {
      // a profile that is not there: the same error whether it was named by --profile or AWS_PROFILE
      if (base.left.source === 'AWS_PROFILE') {
        const origin = profile === undefined ? 'AWS_PROFILE' : '--profile'
        return fail(io, asJson, { type: base.left._tag, message: `${origin}: ${base.left.message}`, source: origin }, 2)
      }
      return fail(io, asJson, configFailure(base.left), 1)
    }
    const options = {
      homedir,
      envForRegion: (region: string): Env => ({ ...base.right, region }),
      dryRun: flags['dry-run'] === true,
      concurrency,
      // the clock that tells a crashed write's temporary file from one in flight
      now: base.right.now
    }
    let report: LogoutReport
    if (target.right === undefined) {
      report = await logoutAll(options)()
    } else {
      const r = await logoutSession({ ...options, env: io.env, target: target.right })()
      if (E.isLeft(r)) return fail(io, asJson, configFailure(r.left), r.left._tag === 'SSOConfigError' ? 2 : 1)
      report = r.right
    }
    const ok = isLogoutSuccessful(report)
    if (asJson) {
      io.stdout(json(report))
    } else {
      const results = showLogoutResults(report)
      const problems = showLogoutProblems(report)
      if (results !== '') io.stdout(results)
      if (problems !== '') io.stderr(problems)
      if (!ok) io.stderr(`${PROGRAM}: logout incomplete: ${plural(report.errors.length, 'problem')} (see above)\n`)
    }
    return ok ? 0 : 1
  }
}

// -------------------------------------------------------------------------------------
// sso login
// -------------------------------------------------------------------------------------

/** What the user is asked to do, as the AWS CLI's `OpenBrowserHandler` / `PrintOnlyHandler` says it. */
const promptLines = (p: LoginPrompt, browser: boolean): string => {
  const url = p._tag === 'DeviceCode' ? p.verificationUri : p.authorizeUrl
  const head = !browser
    ? 'Browser will not be automatically opened.\nPlease visit the following URL:\n'
    : p._tag === 'DeviceCode'
      ? 'Attempting to open your default browser.\nIf the browser does not open or you wish to use a different device to\n' +
        'authorize this request, open the following URL:\n'
      : 'Attempting to open your default browser. If the browser does not open, open the following URL.\n' +
        "If you are unable to open the URL on this device, run this command again with the '--use-device-code' option.\n"
  const code =
    p._tag === 'DeviceCode'
      ? `\nThen enter the code:\n\n${escapeControl(p.userCode)}\n` +
        (browser ? '' : `\nAlternatively, you may visit the following URL which will autofill the code upon loading:\n${escapeControl(p.verificationUriComplete)}\n`)
      : ''
  return `${head}\n${escapeControl(url)}\n${code}`
}

const ssoLogin: Command = {
  words: ['sso', 'login'],
  summary: 'log in to AWS SSO (IAM Identity Center) and cache the token as `aws sso login` does',
  description:
    'Logs in like `aws sso login` (AWS CLI v2): for a profile with an sso-session, the authorization\n' +
    'code grant with PKCE: a listener on 127.0.0.1 (a random port unless --redirect-port) receives\n' +
    'the browser\'s redirect, its state checked, within 10 minutes. For a legacy profile (sso_start_url\n' +
    'on the profile), or with --use-device-code, the device code grant: open the URL, enter the code.\n' +
    'The client registration and the token are cached in ~/.aws/sso/cache, as the AWS CLI caches them\n' +
    '(mode 0600, written atomically): the AWS CLI and fp-aws use each other\'s logins. The profile is\n' +
    '--profile, else AWS_PROFILE, else default. The browser is the first of BROWSER\'s commands that\n' +
    'starts, else the system\'s; --no-browser prints the URL (and the code) instead. The endpoint\n' +
    'follows AWS_ENDPOINT_URL_SSO_OIDC, AWS_ENDPOINT_URL and the config file. Tokens are never printed.\n\n' +
    'Exit status: 0 when logged in, 1 when the login failed, was denied or timed out, 2 on a usage\n' +
    'error (including a profile or sso-session that is not in the config file).',
  flags: [
    { name: 'profile', value: 'name', description: 'the profile whose SSO session to log in to' },
    { name: 'sso-session', value: 'name', description: 'the sso-session to log in to' },
    { name: 'use-device-code', description: 'use the device code grant, even for an sso-session' },
    { name: 'no-browser', description: 'print the URL (and the code) instead of opening a browser' },
    { name: 'redirect-port', value: 'n', description: 'the port of the loopback listener (default: a random one)' },
    { name: 'json', description: 'print only the report (or the error), as JSON, on stdout' }
  ],
  run: async (flags, io) => {
    const asJson = flags['json'] === true
    const usage = (m: string): number => fail(io, asJson, usageError(m, ssoLogin.words), 2)
    if (flags['profile'] !== undefined && flags['sso-session'] !== undefined) {
      return usage('--profile and --sso-session cannot be given together')
    }
    for (const n of ['profile', 'sso-session'] as const) if (flags[n] === '') return usage(`--${n} must not be empty`)
    let redirectPort: number | undefined
    const port = flags['redirect-port']
    if (port !== undefined) {
      if (typeof port !== 'string' || !/^\d{1,5}$/.test(port) || Number(port) > 65535) {
        return usage('--redirect-port must be a port number (0 to 65535)')
      }
      redirectPort = Number(port)
    }
    const homedir = nonEmpty(io.homedir) ?? nonEmpty(io.env['HOME']) ?? nonEmpty(io.env['USERPROFILE'])
    if (homedir === undefined) {
      return fail(io, asJson, { type: 'NoHomeDirectory', message: 'cannot find the home directory (HOME is not set)' }, 1)
    }
    const session = flags['sso-session']
    const target: LoginTarget =
      typeof session === 'string'
        ? { ssoSession: session }
        : { profile: typeof flags['profile'] === 'string' ? flags['profile'] : (nonEmpty(io.env['AWS_PROFILE']) ?? 'default') }
    const browser = flags['no-browser'] !== true
    // with --json, stdout holds only JSON: the prompt goes to stderr
    const say = asJson ? io.stderr : io.stdout
    const r = await login(target, {
      homedir,
      env: io.env,
      prompt: (p) => say(promptLines(p, browser)),
      ...(browser ? { openBrowser: io.openBrowser ?? systemOpenBrowser(io.env) } : {}),
      ...(flags['use-device-code'] === true ? { useDeviceCode: true } : {}),
      ...(redirectPort === undefined ? {} : { redirectPort }),
      ...(io.signal === undefined ? {} : { signal: io.signal })
    })()
    if (E.isLeft(r)) {
      const e = r.left
      // an abort is asked for by the embedder (or the output is gone): stop without a word
      if (e._tag === 'LoginFailure' && e.reason === 'Aborted') return 1
      if (e._tag === 'LoginFailure') {
        return fail(io, asJson, { type: e._tag, message: `login failed (${e.reason}): ${e.message}` }, 1)
      }
      return fail(io, asJson, configFailure(e), e._tag === 'SSOConfigError' ? 2 : 1)
    }
    const ok = r.right
    if (asJson) {
      io.stdout(
        json({
          flow: ok.flow,
          ...(ok.profile === undefined ? {} : { profile: ok.profile }),
          ...(ok.ssoSession === undefined ? {} : { ssoSession: ok.ssoSession }),
          startUrl: ok.startUrl,
          region: ok.region,
          expiresAt: ok.expiresAt.toISOString(),
          tokenFile: ok.tokenFile,
          registrationReused: ok.registrationReused
        })
      )
    } else {
      io.stdout(line(`Successfully logged into Start URL: ${ok.startUrl}`))
    }
    return 0
  }
}

// -------------------------------------------------------------------------------------
// sso sessions, sso status, sso credentials
// -------------------------------------------------------------------------------------

const homeOf = (io: CliIO): string | undefined => nonEmpty(io.homedir) ?? nonEmpty(io.env['HOME']) ?? nonEmpty(io.env['USERPROFILE'])

const NO_HOME: Failure = { type: 'NoHomeDirectory', message: 'cannot find the home directory (HOME is not set)' }

/** The profile of a command: `--profile`, else `AWS_PROFILE`, else `default`; with where it came from. */
const profileOf = (flags: Flags, io: CliIO): { readonly profile: string; readonly origin: string } =>
  typeof flags['profile'] === 'string'
    ? { profile: flags['profile'], origin: '--profile' }
    : nonEmpty(io.env['AWS_PROFILE']) !== undefined
      ? { profile: nonEmpty(io.env['AWS_PROFILE']) ?? 'default', origin: 'AWS_PROFILE' }
      : { profile: 'default', origin: 'the default profile' }

/** A config error of a profile command: an unknown or non-SSO profile is a usage error (2), the rest 1. */
const profileFailure = (e: ConfigError | SSOConfigError): readonly [Failure, number] =>
  [configFailure(e), e._tag === 'SSOConfigError' ? 2 : 1] as const

const iso = (d: Date): string => formatCliTimestamp(d)

const sessionName = (s: SSOSessionRef): string =>
  s._tag === 'SSOSession' ? `sso-session '${s.name}'` : `start URL ${s.startUrl}`

const loginCommand = (profile: string): string => `${PROGRAM} sso login --profile ${profile}`

const ssoSessions: Command = {
  words: ['sso', 'sessions'],
  summary: 'list the cached SSO sessions: expiry, whether they can be refreshed, their profiles',
  description:
    'Lists every SSO session cached in ~/.aws/sso/cache (by fp-aws or the AWS CLI v2): its sso-session\n' +
    'name (or start URL for a legacy profile), region, when its access token expires and whether it\n' +
    'has, whether it can be refreshed (an sso-session token with a refresh token and an unexpired\n' +
    'client registration), and the profiles of the config file that use it. Client registrations are\n' +
    'not sessions. Nothing is called, nothing written; tokens are never printed. A file that cannot\n' +
    'be read as a token, or a cache another user could change (refused, not read), is reported on\n' +
    'stderr and does not stop the listing.\n\n' +
    'With --json, stdout holds only JSON: {"sessions":[{"file","kind","ssoSession"?,"startUrl",\n' +
    '"region","expiresAt","expired","refreshable","registrationExpiresAt"?,"profiles"}],"problems":\n' +
    '[{"file","reason","message"}]}, or {"error":{…}}.\n\n' +
    'Exit status: 0 (also when there is no session, or a file is corrupt), 1 when the config file\n' +
    'cannot be read or parsed, 2 on a usage error.',
  flags: [{ name: 'json', description: 'print only the listing (or the error), as JSON, on stdout' }],
  run: async (flags, io) => {
    const asJson = flags['json'] === true
    const homedir = homeOf(io)
    if (homedir === undefined) return fail(io, asJson, NO_HOME, 1)
    const r = await listSessions({ homedir, env: io.env, now: Date.now })()
    if (E.isLeft(r)) return fail(io, asJson, configFailure(r.left), 1)
    const { sessions, problems } = r.right
    if (asJson) {
      io.stdout(
        json({
          sessions: sessions.map((s) => ({
            ...s,
            expiresAt: iso(s.expiresAt),
            ...(s.registrationExpiresAt === undefined ? {} : { registrationExpiresAt: iso(s.registrationExpiresAt) })
          })),
          problems
        })
      )
      return 0
    }
    if (sessions.length === 0) io.stdout('No cached SSO session.\n')
    for (const s of sessions) {
      const title = s.ssoSession !== undefined ? `sso-session ${s.ssoSession}` : s.kind === 'Legacy' ? `legacy ${s.startUrl}` : `unknown ${s.startUrl}`
      const refresh = s.refreshable
        ? `yes (client registration until ${iso(s.registrationExpiresAt ?? s.expiresAt)})`
        : 'no'
      io.stdout(
        line(title) +
          line(`  start URL:   ${s.startUrl}`) +
          line(`  region:      ${s.region}`) +
          line(`  expires:     ${iso(s.expiresAt)} (${s.expired ? 'expired' : 'valid'})`) +
          line(`  refreshable: ${refresh}`) +
          line(`  profiles:    ${s.profiles.length === 0 ? '(none)' : s.profiles.join(', ')}`) +
          line(`  file:        ${s.file}`)
      )
    }
    for (const p of problems) io.stderr(line(`${PROGRAM}: ${p.message}`))
    return 0
  }
}

const ssoStatus: Command = {
  words: ['sso', 'status'],
  summary: "tell whether a profile's SSO session is usable, or which login it needs",
  description:
    "Tells whether the SSO session of a profile (--profile, else AWS_PROFILE, else default) is usable:\n" +
    'its access token has not expired (valid until when), or it has but the session can be refreshed\n' +
    '(an sso-session token with a refresh token and an unexpired client registration: until when that\n' +
    'registration lasts). Otherwise it says which command logs in again. Only the config file and\n' +
    '~/.aws/sso/cache are read; nothing is called; tokens are never printed.\n\n' +
    'With --json, stdout holds only JSON: {"profile","state","ssoSession"?|"startUrl","file",\n' +
    '"expiresAt"?,"refreshable"?,"registrationExpiresAt"?,"message"?,"login"?}, state one of Valid,\n' +
    'Refreshable, Expired, Missing, Invalid, Refused; or {"error":{…}}.\n\n' +
    'Exit status: 0 when the session is valid or can be refreshed, 1 when a login is needed (or the\n' +
    'cache cannot be used, or the config file cannot be read), 2 on a usage error (including a profile\n' +
    'that is not in the config file, or is not an SSO profile).',
  flags: [
    { name: 'profile', value: 'name', description: 'the profile (default: AWS_PROFILE, else default)' },
    { name: 'json', description: 'print only the status (or the error), as JSON, on stdout' }
  ],
  run: async (flags, io) => {
    const asJson = flags['json'] === true
    if (flags['profile'] === '') return fail(io, asJson, usageError('--profile must not be empty', ssoStatus.words), 2)
    const homedir = homeOf(io)
    if (homedir === undefined) return fail(io, asJson, NO_HOME, 1)
    const { profile } = profileOf(flags, io)
    const r = await profileStatus(profile, { homedir, env: io.env, now: Date.now })()
    if (E.isLeft(r)) return fail(io, asJson, ...profileFailure(r.left))
    const s = r.right
    const ok = s.state === 'Valid' || s.state === 'Refreshable'
    const relogin = s.state === 'Refused' ? undefined : loginCommand(profile)
    if (asJson) {
      io.stdout(
        json({
          profile,
          state: s.state,
          ...(s.session._tag === 'SSOSession' ? { ssoSession: s.session.name } : { startUrl: s.session.startUrl }),
          file: s.file,
          ...(s.expiresAt === undefined ? {} : { expiresAt: iso(s.expiresAt) }),
          ...(s.refreshable === undefined ? {} : { refreshable: s.refreshable }),
          ...(s.registrationExpiresAt === undefined ? {} : { registrationExpiresAt: iso(s.registrationExpiresAt) }),
          ...(s.message === undefined ? {} : { message: s.message }),
          ...(ok || relogin === undefined ? {} : { login: relogin })
        })
      )
      return ok ? 0 : 1
    }
    const who = `Profile ${profile} (${sessionName(s.session)})`
    const until = s.registrationExpiresAt === undefined ? '' : ` until ${iso(s.registrationExpiresAt)}`
    const expires = s.expiresAt === undefined ? '' : iso(s.expiresAt)
    switch (s.state) {
      case 'Valid':
        io.stdout(line(`${who}: valid until ${expires}${s.refreshable === true ? `; it can be refreshed${until}` : ''}.`))
        break
      case 'Refreshable':
        io.stdout(line(`${who}: the access token expired at ${expires}; the session can be refreshed${until}.`))
        break
      case 'Expired':
        io.stdout(line(`${who}: expired at ${expires} and cannot be refreshed. Log in again: ${relogin ?? ''}`))
        break
      case 'Missing':
        io.stdout(line(`${who}: no cached SSO session (${s.file}). Log in: ${relogin ?? ''}`))
        break
      case 'Invalid':
        io.stdout(line(`${who}: the cached SSO token is unusable: ${s.message ?? ''}. Log in again: ${relogin ?? ''}`))
        break
      case 'Refused':
        io.stdout(line(`${who}: ${s.message ?? ''}; fix its ownership or permissions (e.g. chmod go-w ~/.aws)`))
        break
    }
    return ok ? 0 : 1
  }
}

/**
 * Cached role credentials are used while they have more than this left, as botocore's
 * `CachedCredentialFetcher` does (`DEFAULT_EXPIRY_WINDOW_SECONDS`, 15 minutes).
 */
const CREDENTIALS_EXPIRY_WINDOW_MS = 15 * 60_000

/** The `credential_process` output: the only place where secrets are printed. */
const credentialProcessJson = (c: AwsCredentials): string =>
  json({
    Version: 1,
    AccessKeyId: c.accessKeyId,
    SecretAccessKey: reveal(c.secretAccessKey),
    SessionToken: reveal(c.sessionToken),
    Expiration: iso(c.expiration)
  })

/** The role credentials cached for a profile by the AWS CLI (or fp-aws), if still good for more than the window. */
const cachedRoleCredentials = async (file: string, now: number): Promise<AwsCredentials | undefined> => {
  const resolved = await resolveSecure(file, 'file')()
  if (E.isLeft(resolved) || resolved.right._tag === 'Missing') return undefined
  const cached = await readCachedCredentials(resolved.right.path)()
  if (E.isLeft(cached)) return undefined
  const c = cached.right.Credentials
  if (!(c.Expiration.getTime() - now > CREDENTIALS_EXPIRY_WINDOW_MS)) return undefined
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration }
}

const ssoCredentials: Command = {
  words: ['sso', 'credentials'],
  summary: 'print role credentials for an SSO profile, as credential_process JSON',
  description:
    'Prints role credentials for an SSO profile on stdout, as the AWS credential_process contract\n' +
    'asks: {"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"} (ISO 8601).\n' +
    'So any AWS tool can use an fp-aws (or AWS CLI) SSO session through a profile with\n' +
    '  credential_process = fp-aws sso credentials --profile P\n' +
    'This is the one output of fp-aws that holds secrets; errors and warnings never do.\n' +
    'The credentials are cached where the AWS CLI v2 caches them (~/.aws/cli/cache, ProviderType\n' +
    '"sso", the AWS CLI\'s cache key, mode 0600): while they have more than 15 minutes left, a call\n' +
    'reads them and calls nothing; `fp-aws sso logout` and `aws sso logout` remove them. Otherwise\n' +
    'they come from GetRoleCredentials with the cached SSO token of the profile\'s session. The\n' +
    'endpoint follows AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL and the config file.\n\n' +
    'Exit status: 0 with the credentials on stdout, 1 when they cannot be had (e.g. no valid SSO\n' +
    'session: the error, one line on stderr, says which login to run), 2 on a usage error (including\n' +
    'a profile that is not in the config file or is not an SSO profile).',
  flags: [{ name: 'profile', value: 'name', required: true, description: 'the SSO profile whose role credentials to print' }],
  run: async (flags, io) => {
    const usage = (m: string): number => fail(io, false, usageError(m, ssoCredentials.words), 2)
    const profile = String(flags['profile'])
    if (profile === '') return usage('--profile must not be empty')
    const homedir = homeOf(io)
    if (homedir === undefined) return fail(io, false, NO_HOME, 1)
    const config = await loadConfigFile({ env: io.env, homedir })()
    if (E.isLeft(config)) return fail(io, false, ...profileFailure(config.left))
    const p = ssoProfile(config.right.file, profile, config.right.path)
    if (E.isLeft(p)) return fail(io, false, ...profileFailure(p.left))
    const { session, accountId, roleName } = p.right
    const key =
      accountId === undefined || roleName === undefined
        ? undefined
        : credentialCacheKey({
            accountId,
            roleName,
            ...(session._tag === 'SSOSession' ? { sessionName: session.name } : { startUrl: session.startUrl })
          })
    const file = key === undefined ? undefined : credentialCacheFile(homedir, key)
    if (file !== undefined) {
      const cached = await cachedRoleCredentials(file, Date.now())
      if (cached !== undefined) {
        io.stdout(credentialProcessJson(cached))
        return 0
      }
    }
    const r = await fromSSO({ profile, homedir, env: io.env })()
    if (E.isLeft(r)) {
      const e = r.left
      if (e._tag === 'SSOConfigError' || e._tag === 'ConfigError') return fail(io, false, ...profileFailure(e))
      // the message names the login to run (fp-aws's, and the AWS CLI's)
      if (e._tag === 'SSOTokenError') return fail(io, false, { type: e._tag, message: e.message }, 1)
      // the portal refused the token (logged out elsewhere, revoked): a login is what helps
      const relogin = e._tag === 'ServiceError' && e.status === 401 ? `: run \`${loginCommand(profile)}\`` : ''
      return fail(io, false, { type: e._tag, message: `cannot get role credentials for profile '${profile}': ${e.message}${relogin}` }, 1)
    }
    const creds = r.right
    if (file !== undefined) {
      const w = await writeCachedCredentials(file, {
        ProviderType: 'sso',
        Credentials: {
          AccessKeyId: creds.accessKeyId,
          SecretAccessKey: creds.secretAccessKey,
          SessionToken: creds.sessionToken,
          // whole seconds, as botocore writes it (and as it is printed)
          Expiration: new Date(Math.floor(creds.expiration.getTime() / 1000) * 1000)
        }
      })()
      if (E.isLeft(w)) io.stderr(line(`${PROGRAM}: warning: the credentials were not cached: ${w.left.message}`))
    }
    io.stdout(credentialProcessJson(creds))
    return 0
  }
}

// -------------------------------------------------------------------------------------
// main
// -------------------------------------------------------------------------------------

/**
 * Every command of the `fp-aws` executable.
 *
 * @category commands
 * @since 0.1.0
 */
export const commands: ReadonlyArray<Command> = [
  ssoCredentials,
  ssoEmulator,
  ssoLogin,
  ssoLogout,
  ssoSessions,
  ssoStatus
]

/** The command named by `argv`, a group of commands (e.g. `sso`), or a usage error. */
type Resolved =
  | { readonly _tag: 'Command'; readonly command: Command; readonly rest: ReadonlyArray<string> }
  | { readonly _tag: 'Group'; readonly words: ReadonlyArray<string>; readonly rest: ReadonlyArray<string> }
  | { readonly _tag: 'Unknown'; readonly failure: Failure }

const resolve = (argv: ReadonlyArray<string>): Resolved => {
  const firstOption = argv.findIndex((a) => a.startsWith('-'))
  const words = firstOption === -1 ? argv : argv.slice(0, firstOption)
  const command = commands.filter((c) => startsWith(words, c.words)).sort((x, y) => y.words.length - x.words.length)[0]
  if (command !== undefined) return { _tag: 'Command', command, rest: argv.slice(command.words.length) }
  let known = 0
  while (known < words.length && commands.some((c) => startsWith(c.words, words.slice(0, known + 1)))) known += 1
  const prefix = words.slice(0, known)
  if (known === words.length) return { _tag: 'Group', words: prefix, rest: argv.slice(known) }
  const word = words[known] ?? ''
  const next = [...new Set(commands.filter((c) => startsWith(c.words, prefix)).map((c) => c.words[known] ?? ''))]
  // name the unknown word, never what follows it (it could be a secret); the word itself
  // only if it looks like a command name
  const message = showable(word)
    ? `unknown command '${[...prefix, word].join(' ')}'${didYouMean(nearest(word, next).map((n) => `'${[...prefix, n].join(' ')}'`))}`
    : `unknown command (argument #${known + 1}, not shown)`
  return { _tag: 'Unknown', failure: usageError(message, prefix) }
}

const isHelp = (a: string): boolean => a === '--help' || a === '-h'

const run = async (argv: ReadonlyArray<string>, io: CliIO): Promise<number> => {
  const first = argv[0]
  if (first === '--version') {
    io.stdout(`${VERSION}\n`)
    return 0
  }
  // `help [words]` is `[words] --help`
  const helpWord = first === 'help'
  const resolved = resolve(helpWord ? argv.slice(1) : argv)
  const asJson = wantsJson(argv) && (resolved._tag !== 'Command' || resolved.command.flags.some((f) => f.name === 'json'))
  switch (resolved._tag) {
    case 'Unknown':
      return fail(io, asJson, resolved.failure, 2)
    case 'Group': {
      const { words, rest } = resolved
      if (helpWord || rest.some(isHelp)) {
        io.stdout(usage(commands, words))
        return 0
      }
      const option = rest[0]?.split('=')[0]
      if (words.length === 0 && option !== undefined) {
        // an option before any command: only --help and --version are known there
        const shown = showable(option) ? option : '(not shown)'
        const near = nearest(option.replace(/^-+/, ''), ['help', 'version']).map((n) => `--${n}`)
        return fail(io, asJson, usageError(`unknown option ${shown}${didYouMean(near)}`, words), 2)
      }
      const next = commands.filter((c) => startsWith(c.words, words)).map((c) => c.words.slice(words.length).join(' '))
      const after = words.length === 0 ? '' : ` after '${words.join(' ')}'`
      return fail(io, asJson, usageError(`missing command${after} (${next.join(', ')})`, words), 2)
    }
    case 'Command': {
      const { command, rest } = resolved
      if (helpWord) {
        io.stdout(commandUsage(command))
        return 0
      }
      const parsed = parseFlags(rest, command.flags)
      if (E.isLeft(parsed)) return fail(io, asJson, usageError(parsed.left, command.words), 2)
      if (parsed.right['help'] === true) {
        io.stdout(commandUsage(command))
        return 0
      }
      return await command.run(parsed.right, io)
    }
  }
}

/**
 * Runs the `fp-aws` command line: `argv` without the node and script paths (i.e.
 * `process.argv.slice(2)`). Resolves to the exit code; never rejects.
 *
 * @example
 * import { main } from 'fp-aws/cli/main'
 *
 * const out: string[] = []
 * const err: string[] = []
 * const io = { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s), env: {} }
 *
 * void main(['--help'], io)
 *   .then((code) => {
 *     assert.strictEqual(code, 0)
 *     assert.ok(out.join('').includes('sso emulator'))
 *     return main(['sso', 'logout', '--profle', 'dev'], io)
 *   })
 *   .then((code) => {
 *     assert.strictEqual(code, 2)
 *     assert.strictEqual(
 *       err.join(''),
 *       "fp-aws: unknown option --profle (did you mean --profile?). Run 'fp-aws sso logout --help' for usage.\n"
 *     )
 *   })
 *
 * @example
 * import { main } from 'fp-aws/cli/main'
 *
 * // a usage error is found before anything is started (or loaded: the emulator is loaded
 * // only when `sso emulator` starts it)
 * const err: Array<string> = []
 * const io = { stdout: () => undefined, stderr: (s: string) => void err.push(s), env: {} }
 * void main(['sso', 'emulator', '--port', 'x'], io).then((code) => {
 *   assert.strictEqual(code, 2)
 *   assert.ok(err.join('').startsWith('fp-aws: --port must be an integer in 0..65535'))
 * })
 *
 * @category main
 * @since 0.1.0
 */
export const main = async (argv: ReadonlyArray<string>, io: CliIO): Promise<number> => {
  try {
    return await run(argv, io)
  } catch (e) {
    // the message could quote anything: name the error only
    const name = e instanceof Error ? e.name : typeof e
    try {
      if (wantsJson(argv)) io.stdout(json({ error: { type: 'InternalError', message: `internal error (${name})` } }))
      else io.stderr(line(`${PROGRAM}: internal error (${name})`))
    } catch {
      try {
        io.stderr(line(`${PROGRAM}: internal error (${name})`))
      } catch {
        // nowhere left to report it
      }
    }
    return 1
  }
}
