/**
 * The `fp-aws` command line run in this process, as the executable runs it, with its
 * standard output and standard error captured.
 */
import * as path from 'node:path'
import { build } from 'esbuild'
import { main, type CliIO } from '../../src/cli/main.js'

/** Bundles the command line from its sources into one CommonJS file, for tests that run it as a process. */
export const bundleCli = (outfile: string): Promise<unknown> =>
  build({
    entryPoints: [path.resolve(__dirname, '..', '..', 'src', 'cli', 'bin.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile,
    logLevel: 'silent'
  })

/** What a run of the command line gave: its exit code, and what it wrote on each stream. */
export interface CliRun {
  readonly code: number
  readonly out: string
  readonly err: string
}

/** Runs `fp-aws <argv>` with `env` (and any other `CliIO` member in `extra`). */
export const runCli = async (
  argv: ReadonlyArray<string>,
  env: Record<string, string | undefined>,
  extra: Partial<CliIO> = {}
): Promise<CliRun> => {
  let out = ''
  let err = ''
  const code = await main(argv, {
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    env,
    ...extra
  })
  return { code, out, err }
}
