/**
 * What every command of the `fp-aws` command line shares: the model of a command and of
 * its world ({@link CliIO}), and how its output is written. The command table and the
 * dispatch are in `fp-aws/cli/main`; each command is its own module under `cli/commands/`,
 * loaded only when it runs, so that a command loads only what it uses.
 *
 * @since 0.2.0
 */
import type { ConfigError } from '../core/Config.js'
import { escapeControl } from '../core/Text.js'
import type { SSOConfigError } from '../auth/sso/Session.js'

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

/**
 * The name of the program, as messages show it.
 *
 * @category output
 * @since 0.2.0
 */
export const PROGRAM = 'fp-aws'

/**
 * One line for a person: the control characters of whatever it quotes escaped.
 *
 * @category output
 * @since 0.2.0
 */
export const line = (s: string): string => `${escapeControl(s)}\n`

/**
 * `JSON.stringify`, plus `\uHHHH` escapes for what it leaves raw and a terminal could act
 * on (DEL, C1 controls, U+2028/U+2029, bidirectional formatting): still exact JSON, since
 * these can only occur inside strings, where the escape means the same character.
 *
 * @category output
 * @since 0.2.0
 */
export const json = (value: unknown): string =>
  `${JSON.stringify(value, null, 2).replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`
  )}\n`

/**
 * Something that went wrong before there was anything else to print.
 *
 * @category output
 * @since 0.2.0
 */
export interface Failure {
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
 *
 * @category output
 * @since 0.2.0
 */
export const fail = (io: CliIO, asJson: boolean, f: Failure, code: number): number => {
  if (asJson) {
    io.stdout(json({ error: { type: f.type, message: f.message, ...(f.source === undefined ? {} : { source: f.source }) } }))
  } else {
    io.stderr(line(`${PROGRAM}: ${f.message}${f.help === undefined ? '' : `. ${helpHint(f.help)}`}`))
  }
  return code
}

/**
 * A usage error (exit 2): the message, and the words of the command whose `--help` helps.
 *
 * @category output
 * @since 0.2.0
 */
export const usageError = (message: string, help: ReadonlyArray<string>): Failure => ({ type: 'UsageError', message, help })

/**
 * Whether `--json` was asked for (before a `--`, if any).
 *
 * @category output
 * @since 0.2.0
 */
export const wantsJson = (args: ReadonlyArray<string>): boolean => {
  const end = args.indexOf('--')
  return (end === -1 ? args : args.slice(0, end)).includes('--json')
}

// -------------------------------------------------------------------------------------
// shared by the commands
// -------------------------------------------------------------------------------------

/**
 * `v`, or `undefined` when it is absent or empty.
 *
 * @category utils
 * @since 0.2.0
 */
export const nonEmpty = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v)

/**
 * The home directory of a command: `io.homedir`, else `HOME`, else `USERPROFILE`.
 *
 * @category utils
 * @since 0.2.0
 */
export const homeOf = (io: CliIO): string | undefined => nonEmpty(io.homedir) ?? nonEmpty(io.env['HOME']) ?? nonEmpty(io.env['USERPROFILE'])

/**
 * The failure of a command that found no home directory.
 *
 * @category output
 * @since 0.2.0
 */
export const NO_HOME: Failure = { type: 'NoHomeDirectory', message: 'cannot find the home directory (HOME is not set)' }

/**
 * A configuration error as one line that names its file (and line) or variable.
 *
 * @category output
 * @since 0.2.0
 */
export const configFailure = (e: ConfigError | SSOConfigError): Failure => ({
  type: e._tag,
  message: e.message.includes(e.source) ? e.message : `${e.source}: ${e.message}`,
  source: e.source
})

/**
 * The profile of a command: `--profile`, else `AWS_PROFILE`, else `default`; with where it came from.
 *
 * @category utils
 * @since 0.2.0
 */
export const profileOf = (flags: Flags, io: CliIO): { readonly profile: string; readonly origin: string } =>
  typeof flags['profile'] === 'string'
    ? { profile: flags['profile'], origin: '--profile' }
    : nonEmpty(io.env['AWS_PROFILE']) !== undefined
      ? { profile: nonEmpty(io.env['AWS_PROFILE']) ?? 'default', origin: 'AWS_PROFILE' }
      : { profile: 'default', origin: 'the default profile' }

/**
 * A config error of a profile command: an unknown or non-SSO profile is a usage error (2), the rest 1.
 *
 * @category output
 * @since 0.2.0
 */
export const profileFailure = (e: ConfigError | SSOConfigError): readonly [Failure, number] =>
  [configFailure(e), e._tag === 'SSOConfigError' ? 2 : 1] as const

/**
 * `1 file`, `2 files`.
 *
 * @category output
 * @since 0.2.0
 */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/**
 * The command that logs a profile in again.
 *
 * @category output
 * @since 0.2.0
 */
export const loginCommand = (profile: string): string => `${PROGRAM} sso login --profile ${profile}`
