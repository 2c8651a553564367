/**
 * The `fp-aws` command line, as a function: `main(argv, io)` runs one command and resolves
 * to its exit code. It never throws and never touches `process`: everything goes through
 * `io`, so that tests can run it in-process (`src/cli/bin.ts` wires it to the process).
 *
 * Commands are rows of {@link commands}, found by their words (`sso emulator`); a new
 * command (e.g. `sso logout`) is a new row, and a module of its own under `cli/commands/`,
 * loaded only when the command runs (or its help is shown): a command loads only what it
 * uses (`sso status` reads files and loads nothing that calls a service; `sso logout`
 * loads neither login nor the emulator). Options are parsed by `node:util` `parseArgs`.
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
import { VERSION } from '../core/version.js'
import { fail, json, line, PROGRAM, usageError, wantsJson, type CliIO, type Command, type Flag, type Flags, type Failure } from './Command.js'

export type {
  /**
   * Everything `main` needs from the outside world.
   *
   * @category model
   * @since 0.1.0
   */
  CliIO,
  /**
   * One command: its words, its options and what it does.
   *
   * @category model
   * @since 0.1.0
   */
  Command,
  /**
   * An option a command accepts.
   *
   * @category model
   * @since 0.1.0
   */
  Flag,
  /**
   * The options given on the command line.
   *
   * @category model
   * @since 0.1.0
   */
  Flags,
  /**
   * A process signal that stops a long-running command.
   *
   * @category model
   * @since 0.1.0
   */
  StopSignal
} from './Command.js'

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
// main
// -------------------------------------------------------------------------------------

/**
 * A row of the command table: the words of a command, and how to load the module that
 * defines it (its help, options and what it does).
 *
 * @category model
 * @since 0.2.0
 */
export interface CommandEntry {
  /** The words that name it, e.g. `['sso', 'emulator']`. */
  readonly words: ReadonlyArray<string>
  /** Loads the command. */
  readonly load: () => Promise<Command>
}

/**
 * Every command of the `fp-aws` executable. Each is loaded only when it is run (or its help
 * shown); `fp-aws --help`, which lists them all, loads them all.
 *
 * @category commands
 * @since 0.1.0
 */
export const commands: ReadonlyArray<CommandEntry> = [
  { words: ['sso', 'credentials'], load: () => import('./commands/Credentials.js').then((m) => m.ssoCredentials) },
  { words: ['sso', 'emulator'], load: () => import('./commands/Emulator.js').then((m) => m.ssoEmulator) },
  { words: ['sso', 'login'], load: () => import('./commands/Login.js').then((m) => m.ssoLogin) },
  { words: ['sso', 'logout'], load: () => import('./commands/Logout.js').then((m) => m.ssoLogout) },
  { words: ['sso', 'sessions'], load: () => import('./commands/Sessions.js').then((m) => m.ssoSessions) },
  { words: ['sso', 'status'], load: () => import('./commands/Status.js').then((m) => m.ssoStatus) }
]

/** The command named by `argv`, a group of commands (e.g. `sso`), or a usage error. */
type Resolved =
  | { readonly _tag: 'Command'; readonly entry: CommandEntry; readonly rest: ReadonlyArray<string> }
  | { readonly _tag: 'Group'; readonly words: ReadonlyArray<string>; readonly rest: ReadonlyArray<string> }
  | { readonly _tag: 'Unknown'; readonly failure: Failure }

const resolve = (argv: ReadonlyArray<string>): Resolved => {
  const firstOption = argv.findIndex((a) => a.startsWith('-'))
  const words = firstOption === -1 ? argv : argv.slice(0, firstOption)
  const command = commands.filter((c) => startsWith(words, c.words)).sort((x, y) => y.words.length - x.words.length)[0]
  if (command !== undefined) return { _tag: 'Command', entry: command, rest: argv.slice(command.words.length) }
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
  if (resolved._tag === 'Command') {
    // loaded first: whether it takes --json is in its options
    const command = await resolved.entry.load()
    const asJson = wantsJson(argv) && command.flags.some((f) => f.name === 'json')
    if (helpWord) {
      io.stdout(commandUsage(command))
      return 0
    }
    const parsed = parseFlags(resolved.rest, command.flags)
    if (E.isLeft(parsed)) return fail(io, asJson, usageError(parsed.left, command.words), 2)
    if (parsed.right['help'] === true) {
      io.stdout(commandUsage(command))
      return 0
    }
    return await command.run(parsed.right, io)
  }
  const asJson = wantsJson(argv)
  if (resolved._tag === 'Unknown') return fail(io, asJson, resolved.failure, 2)
  const { words, rest } = resolved
  if (helpWord || rest.some(isHelp)) {
    const listed = commands.filter((c) => startsWith(c.words, words))
    io.stdout(usage(await Promise.all(listed.map((c) => c.load())), words))
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
