#!/usr/bin/env node
/**
 * The `fp-aws` executable: runs {@link main} with the process's arguments, environment,
 * standard streams and SIGINT / SIGTERM, and sets `process.exitCode` to its result.
 *
 * A write error on stdout or stderr does not crash the process: the stream is written no
 * more and the command is stopped as by an abort (the emulator closes). A closed pipe
 * (`EPIPE`, e.g. `fp-aws sso emulator | head -c 10`) is the reader's choice: nothing is
 * printed and the exit code is the command's. Any other write error (`EIO`, `ENOSPC`, …)
 * is reported on the other stream if it still works, and the exit code is 1.
 *
 * @since 0.1.0
 */
import { main, type StopSignal } from './main.js'

const onSignal = (handler: (signal: StopSignal) => void): (() => void) => {
  const onInt = (): void => handler('SIGINT')
  const onTerm = (): void => handler('SIGTERM')
  process.on('SIGINT', onInt)
  process.on('SIGTERM', onTerm)
  return () => {
    process.off('SIGINT', onInt)
    process.off('SIGTERM', onTerm)
  }
}

const stop = new AbortController()
/** The first write error other than EPIPE: `[stream, code]`. */
let writeError: readonly [string, string] | undefined

/** A writer to `stream` that stops at its first error and then aborts the command. */
const writer = (stream: NodeJS.WriteStream, name: string): ((s: string) => void) => {
  let open = true
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (!open) return
    open = false
    if (e.code !== 'EPIPE') writeError ??= [name, e.code ?? e.name]
    stop.abort()
  })
  return (s) => {
    if (open) stream.write(s)
  }
}

const stdout = writer(process.stdout, 'standard output')
const stderr = writer(process.stderr, 'standard error')

/**
 * Resolves once everything written to `stream` so far has been written or has failed: a
 * write error (its 'error' event) is known by then, even one on a file, which is emitted
 * after the command has returned.
 */
const settled = (stream: NodeJS.WriteStream): Promise<void> =>
  new Promise((resolve) => {
    try {
      if (stream.destroyed || stream.writableEnded) return resolve()
      stream.write('', () => resolve())
    } catch {
      resolve()
    }
  })

void main(process.argv.slice(2), {
  stdout,
  stderr,
  env: process.env,
  onSignal,
  signal: stop.signal
}).then(async (code) => {
  await Promise.all([settled(process.stdout), settled(process.stderr)])
  if (writeError === undefined) {
    process.exitCode = code
    return
  }
  const [name, why] = writeError
  const other = name === 'standard output' ? stderr : stdout
  other(`fp-aws: cannot write to ${name} (${why})\n`)
  process.exitCode = 1
})
