#!/usr/bin/env node
/**
 * The `fp-aws` executable: runs {@link main} with the process's arguments, environment,
 * standard streams and SIGINT / SIGTERM, and sets `process.exitCode` to its result.
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

void main(process.argv.slice(2), {
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
  env: process.env,
  onSignal
}).then((code) => {
  process.exitCode = code
})
