/**
 * Opening a URL in the user's browser, for `fp-aws sso login` (Node only): the commands of
 * `BROWSER` first, in order, as Python's `webbrowser` (what the AWS CLI uses) reads it
 * (separated by the platform's path delimiter, `%s` replaced by the URL, else the URL
 * appended), then the platform's opener (`open` on macOS, `rundll32
 * url.dll,FileProtocolHandler` on Windows, `xdg-open` elsewhere). No shell is involved:
 * the URL is one argument, whatever it holds.
 *
 * @since 0.2.0
 */
import { spawn } from 'node:child_process'
import * as nodePath from 'node:path'

/**
 * The commands tried to open `url`, in order: each a program and its arguments.
 *
 * @category browser
 * @since 0.2.0
 */
export const browserCommands = (
  url: string,
  env: Readonly<Record<string, string | undefined>>,
  platform: string
): ReadonlyArray<ReadonlyArray<string>> => {
  const delimiter = platform === 'win32' ? nodePath.win32.delimiter : nodePath.posix.delimiter
  const fromEnv = (env['BROWSER'] ?? '')
    .split(delimiter)
    .map((c) => c.trim().split(/\s+/).filter((w) => w !== ''))
    .filter((words) => words.length > 0)
    .map((words) => (words.some((w) => w.includes('%s')) ? words.map((w) => w.replaceAll('%s', url)) : [...words, url]))
  const system =
    platform === 'darwin'
      ? ['open', url]
      : platform === 'win32'
        ? ['rundll32', 'url.dll,FileProtocolHandler', url]
        : ['xdg-open', url]
  return [...fromEnv, system]
}

/** Starts `command` detached, its output ignored: `true` once it started, `false` if it cannot. */
const start = (command: ReadonlyArray<string>): Promise<boolean> =>
  new Promise((resolve) => {
    const [program, ...args] = command
    if (program === undefined) return resolve(false)
    try {
      const child = spawn(program, args, { detached: true, stdio: 'ignore', shell: false })
      child.once('error', () => resolve(false))
      child.once('spawn', () => {
        child.unref()
        resolve(true)
      })
    } catch {
      resolve(false)
    }
  })

/**
 * Opens `url` with the first of {@link browserCommands} that starts; `false` when none
 * does. Never rejects.
 *
 * @category browser
 * @since 0.2.0
 */
export const openBrowser =
  (env: Readonly<Record<string, string | undefined>>, platform: string = process.platform) =>
  async (url: string): Promise<boolean> => {
    for (const command of browserCommands(url, env, platform)) {
      if (await start(command)) return true
    }
    return false
  }
