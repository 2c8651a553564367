/**
 * The `fp-aws` command line, as a function: `main(argv, io)` runs one command and resolves
 * to its exit code. It never throws and never touches `process`: everything goes through
 * `io`, so that tests can run it in-process (`src/cli/bin.ts` wires it to the process).
 *
 * Commands are rows of {@link commands}, found by their words (`sso emulator`); a new
 * command (e.g. `sso logout`) is a new row. Exit codes: `0` success (and `--help`), `1` a
 * failure at run time (e.g. the port is in use), `2` a usage error (unknown command or
 * flag, bad flag value, invalid seed file).
 *
 * `fp-aws sso emulator --port N [--host H] [--seed file.json]` runs the local SSO portal
 * emulator until SIGINT or SIGTERM (or `io.signal` aborts), then closes it and exits 0.
 * It never prints an access token, except the public demo token {@link DEMO_TOKEN}.
 *
 * `fp-aws sso logout [--profile P | --sso-session S | --start-url U] [--dry-run] [--json]`
 * logs out like `aws sso logout` (see `fp-aws/sso/cache`): exit 0 on success, 1 when a
 * session could not be invalidated or a file could not be deleted, 2 on a usage error.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { DEFAULT_MAX_CONFIG_FILE_BYTES } from '../core/Config.js'
import { fromEnvironment, type Env } from '../core/Env.js'
import { describeReadFailure, readBounded } from '../core/File.js'
import { VERSION } from '../core/version.js'
import {
  isLogoutSuccessful,
  logoutAll,
  logoutSession,
  showLogoutReport,
  type LogoutReport,
  type LogoutTarget
} from '../sso/cache/index.js'
import { DEMO_SEED, DEMO_TOKEN, parseSeedFile, startEmulator, type TokenSeed } from '../sso/emulator/index.js'

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
  /** Aborting it stops a long-running command as a signal would (for tests and embedding). */
  readonly signal?: AbortSignal
}

/**
 * A flag a command accepts: `--name value` (or `--name=value`) when it takes a value,
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
 * The flags given on the command line: the value of each (the last one wins), `true` for a
 * switch.
 *
 * @category model
 * @since 0.1.0
 */
export type Flags = Readonly<Record<string, string | true>>

/**
 * One command: its words, its flags and what it does.
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
  /** Runs the command with flags already parsed (required ones present); resolves to the exit code. */
  readonly run: (flags: Flags, io: CliIO) => Promise<number>
}

// -------------------------------------------------------------------------------------
// usage
// -------------------------------------------------------------------------------------

const PROGRAM = 'fp-aws'

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
 * The top-level `--help` text, listing `commands` (only those under `prefix`, if given).
 *
 * @category usage
 * @since 0.1.0
 */
export const usage = (cs: ReadonlyArray<Command>, prefix: ReadonlyArray<string> = []): string =>
  `Usage: ${[PROGRAM, ...prefix].join(' ')} <command> [options]\n\nCommands:\n` +
  table(cs.filter((c) => startsWith(c.words, prefix)).map((c) => [c.words.join(' '), c.summary] as const)) +
  `\nOptions:\n` +
  table([
    ['--help', 'show help (also after a command)'],
    ['--version', 'show the version']
  ])

// -------------------------------------------------------------------------------------
// parsing
// -------------------------------------------------------------------------------------

const startsWith = (xs: ReadonlyArray<string>, prefix: ReadonlyArray<string>): boolean =>
  prefix.length <= xs.length && prefix.every((w, i) => xs[i] === w)

/**
 * Parses a command's arguments (after its words) against its flags. `Left` is a one-line
 * message: an unknown flag, a missing value or required flag, or a stray argument.
 * `--help` (or `-h`) anywhere yields `{ help: true }` alone.
 *
 * @example
 * import { parseFlags } from 'fp-aws/cli/main'
 *
 * const flags = [{ name: 'port', value: 'n', required: true, description: '' }]
 * assert.deepStrictEqual(parseFlags(['--port', '80'], flags), { _tag: 'Right', right: { port: '80' } })
 * assert.deepStrictEqual(parseFlags(['--port=80'], flags), { _tag: 'Right', right: { port: '80' } })
 * assert.deepStrictEqual(parseFlags(['--nope'], flags), { _tag: 'Left', left: 'unknown flag --nope' })
 *
 * @category parsing
 * @since 0.1.0
 */
export const parseFlags = (args: ReadonlyArray<string>, flags: ReadonlyArray<Flag>): E.Either<string, Flags> => {
  if (args.some((a) => a === '--help' || a === '-h')) return E.right({ help: true })
  const out: Record<string, string | true> = {}
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? ''
    // not echoed: a stray argument could be a secret
    if (!arg.startsWith('--') || arg === '--') return E.left(`unexpected argument (#${i + 1} after the command)`)
    const eq = arg.indexOf('=')
    const name = arg.slice(2, eq === -1 ? undefined : eq)
    const flag = flags.find((f) => f.name === name)
    if (flag === undefined) return E.left(`unknown flag --${name}`)
    if (flag.value === undefined) {
      if (eq !== -1) return E.left(`--${name} takes no value`)
      out[name] = true
    } else if (eq !== -1) {
      out[name] = arg.slice(eq + 1)
    } else {
      const v = args[i + 1]
      if (v === undefined || v.startsWith('--')) return E.left(`--${name} needs a value <${flag.value}>`)
      out[name] = v
      i += 1
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

const readSeed = async (path: string): Promise<E.Either<string, Readonly<Record<string, TokenSeed>>>> => {
  // bounded like a config file: a FIFO or a device does not hang or fill memory
  const read = await readBounded(path, { maxBytes: DEFAULT_MAX_CONFIG_FILE_BYTES, followSymlinks: true })()
  if (E.isLeft(read)) return E.left(`cannot read seed file ${path}: it ${describeReadFailure(read.left)}`)
  const text = read.right
  const parsed = parseSeedFile(text)
  return E.isLeft(parsed)
    ? E.left(`invalid seed file ${path}:\n${parsed.left.map((l) => `  ${l}\n`).join('').trimEnd()}`)
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

const ssoEmulator: Command = {
  words: ['sso', 'emulator'],
  summary: 'run a local AWS SSO portal emulator',
  description:
    'Runs a local emulator of the AWS SSO portal API (Logout, ListAccounts, ListAccountRoles,\n' +
    'GetRoleCredentials) until SIGINT or SIGTERM, and prints its URL. Without --seed it accepts\n' +
    `the public demo token ${DEMO_TOKEN}. A seed file is JSON:\n` +
    '  { "tokens": { "<accessToken>": { "accounts": [\n' +
    '      { "accountId": "…", "accountName": "…", "emailAddress": "…", "roles": ["…"] } ] } } }\n' +
    'Tokens from a seed file are never printed.',
  flags: [
    { name: 'port', value: 'n', required: true, description: 'port to listen on (0: any free port)' },
    { name: 'host', value: 'host', description: 'address to listen on (default 127.0.0.1)' },
    { name: 'seed', value: 'file.json', description: 'the tokens to accept, and what each can see' }
  ],
  run: async (flags, io) => {
    const rawPort = String(flags['port'])
    const port = /^\d{1,5}$/.test(rawPort) ? Number(rawPort) : NaN
    if (!(port >= 0 && port <= 65535)) {
      io.stderr(`${PROGRAM}: --port must be an integer in 0..65535\n`)
      return 2
    }
    const host = flags['host'] === undefined ? '127.0.0.1' : String(flags['host'])
    if (host === '') {
      io.stderr(`${PROGRAM}: --host must not be empty\n`)
      return 2
    }
    const seedPath = flags['seed'] === undefined ? undefined : String(flags['seed'])
    const seed = seedPath === undefined ? E.right(undefined) : await readSeed(seedPath)
    if (E.isLeft(seed)) {
      io.stderr(`${PROGRAM}: ${seed.left}\n`)
      return 2
    }
    const started = await startEmulator({ port, host, tokens: seed.right ?? DEMO_SEED })()
    if (E.isLeft(started)) {
      io.stderr(`${PROGRAM}: ${started.left.message}\n`)
      return 1
    }
    const emulator = started.right
    try {
      io.stdout(`SSO portal emulator listening on ${emulator.url}\n`)
      io.stdout(
        seed.right === undefined
          ? demoLines(emulator.url)
          : `Seeded ${plural(Object.keys(seed.right).length, 'token')} from ${seedPath ?? ''} (tokens are not shown)\n`
      )
      io.stdout('Press Ctrl-C to stop.\n')
      const why = await untilStopped(io)
      io.stderr(`${why === 'abort' ? 'Stopping' : `Received ${why}, stopping`}…\n`)
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

/** The target of `sso logout` from its flags, or a usage error. */
const logoutTarget = (flags: Flags): E.Either<string, LogoutTarget | undefined> => {
  const given = (['profile', 'sso-session', 'start-url'] as const).filter((n) => flags[n] !== undefined)
  if (given.length > 1) return E.left(`--${given.join(', --')}: give at most one`)
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

const ssoLogout: Command = {
  words: ['sso', 'logout'],
  summary: 'log out of AWS SSO: invalidate the cached tokens, then remove them',
  description:
    'Logs out like `aws sso logout`: every cached SSO token (~/.aws/sso/cache) is invalidated\n' +
    'with the SSO Logout call in its region, then removed, and so are the SSO credentials cached\n' +
    'by the AWS CLI (~/.aws/cli/cache). Client registrations, other providers\' credentials and\n' +
    'files that are not JSON are left alone. A token whose session could not be invalidated\n' +
    '(e.g. a network error) is kept, and the command exits 1. Symbolic links are never followed.\n' +
    'With --profile, --sso-session or --start-url, only that session\'s token and the credentials\n' +
    'cached for its profiles are concerned. The endpoint follows AWS_ENDPOINT_URL_SSO,\n' +
    'AWS_ENDPOINT_URL and the config file. Tokens are never printed.',
  flags: [
    { name: 'profile', value: 'name', description: 'only the SSO session of this profile' },
    { name: 'sso-session', value: 'name', description: 'only this sso-session' },
    { name: 'start-url', value: 'url', description: 'only the session(s) of this start URL' },
    { name: 'dry-run', description: 'show what would be done; call nothing, remove nothing' },
    { name: 'json', description: 'print only the report, as JSON, on stdout' }
  ],
  run: async (flags, io) => {
    const target = logoutTarget(flags)
    if (E.isLeft(target)) {
      io.stderr(`${PROGRAM}: ${target.left}\n\n${commandUsage(ssoLogout)}`)
      return 2
    }
    const homedir = nonEmpty(io.homedir) ?? nonEmpty(io.env['HOME']) ?? nonEmpty(io.env['USERPROFILE'])
    if (homedir === undefined) {
      io.stderr(`${PROGRAM}: cannot find the home directory (HOME is not set)\n`)
      return 1
    }
    const profile = target.right?._tag === 'Profile' ? target.right.profile : undefined
    const base = await fromEnvironment({
      env: profile === undefined ? io.env : { ...io.env, AWS_PROFILE: profile },
      homedir,
      ...(io.signal === undefined ? {} : { overrides: { signal: io.signal } })
    })()
    if (E.isLeft(base)) {
      const usageError = profile !== undefined && base.left.source === 'AWS_PROFILE'
      io.stderr(`${PROGRAM}: ${usageError ? base.left.message.replace(/^the profile/, '--profile:') : base.left.message}\n`)
      return usageError ? 2 : 1
    }
    const options = {
      homedir,
      envForRegion: (region: string): Env => ({ ...base.right, region }),
      dryRun: flags['dry-run'] === true
    }
    let report: LogoutReport
    if (target.right === undefined) {
      report = await logoutAll(options)()
    } else {
      const r = await logoutSession({ ...options, env: io.env, target: target.right })()
      if (E.isLeft(r)) {
        io.stderr(`${PROGRAM}: ${r.left.message}\n`)
        return r.left._tag === 'SSOConfigError' ? 2 : 1
      }
      report = r.right
    }
    if (flags['json'] === true) {
      io.stdout(`${JSON.stringify(report, null, 2)}\n`)
    } else {
      io.stdout(showLogoutReport(report))
      if (!isLogoutSuccessful(report)) {
        io.stderr(`${PROGRAM}: logout incomplete: ${plural(report.errors.length, 'problem')} (see above)\n`)
      }
    }
    return isLogoutSuccessful(report) ? 0 : 1
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
export const commands: ReadonlyArray<Command> = [ssoEmulator, ssoLogout]

/**
 * Runs the `fp-aws` command line: `argv` without the node and script paths (i.e.
 * `process.argv.slice(2)`). Resolves to the exit code; never rejects.
 *
 * @example
 * import { main } from 'fp-aws/cli/main'
 *
 * const out: string[] = []
 * const io = { stdout: (s: string) => void out.push(s), stderr: (s: string) => void out.push(s), env: {} }
 *
 * void main(['--help'], io).then((code) => {
 *   assert.strictEqual(code, 0)
 *   assert.ok(out.join('').includes('sso emulator'))
 * })
 *
 * @example
 * import { main } from 'fp-aws/cli/main'
 *
 * // start the emulator on a free port, then stop it
 * const stop = new AbortController()
 * const io = {
 *   stdout: (s: string) => {
 *     if (s.includes('listening on')) stop.abort()
 *   },
 *   stderr: () => undefined,
 *   env: {},
 *   signal: stop.signal
 * }
 * void main(['sso', 'emulator', '--port', '0'], io).then((code) => assert.strictEqual(code, 0))
 *
 * @category main
 * @since 0.1.0
 */
export const main = async (argv: ReadonlyArray<string>, io: CliIO): Promise<number> => {
  try {
    const first = argv[0]
    if (first === undefined) {
      io.stderr(usage(commands))
      return 2
    }
    if (first === '--help' || first === '-h' || first === 'help') {
      io.stdout(usage(commands))
      return 0
    }
    if (first === '--version') {
      io.stdout(`${VERSION}\n`)
      return 0
    }
    const firstFlag = argv.findIndex((a) => a.startsWith('-'))
    const words = firstFlag === -1 ? argv : argv.slice(0, firstFlag)
    const command = commands
      .filter((c) => startsWith(words, c.words))
      .sort((x, y) => y.words.length - x.words.length)[0]
    if (command === undefined) {
      if (words.length === 0) {
        io.stderr(`${PROGRAM}: unknown option ${first.split('=')[0] ?? ''}\n\n${usage(commands)}`)
        return 2
      }
      // `sso`: the words of a group of commands
      const isGroup = commands.some((c) => c.words.length > words.length && startsWith(c.words, words))
      if (isGroup && argv.slice(words.length).some((a) => a === '--help' || a === '-h')) {
        io.stdout(usage(commands, words))
        return 0
      }
      // name the unknown word, not what follows it (it could be a secret)
      let known = 0
      while (known < words.length && commands.some((c) => startsWith(c.words, words.slice(0, known + 1)))) known += 1
      io.stderr(
        isGroup
          ? `${PROGRAM}: missing command after ${JSON.stringify(words.join(' '))}\n\n${usage(commands, words)}`
          : `${PROGRAM}: unknown command ${JSON.stringify(words.slice(0, known + 1).join(' '))}\n\n${usage(commands)}`
      )
      return 2
    }
    const parsed = parseFlags(argv.slice(command.words.length), command.flags)
    if (E.isLeft(parsed)) {
      io.stderr(`${PROGRAM}: ${parsed.left}\n\n${commandUsage(command)}`)
      return 2
    }
    if (parsed.right['help'] === true) {
      io.stdout(commandUsage(command))
      return 0
    }
    return await command.run(parsed.right, io)
  } catch (e) {
    // the message could quote anything: name the error only
    try {
      io.stderr(`${PROGRAM}: internal error (${e instanceof Error ? e.name : typeof e})\n`)
    } catch {
      // nowhere left to report it
    }
    return 1
  }
}
