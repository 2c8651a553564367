/**
 * The `fp-aws` command line run in this process, as the executable runs it, with its
 * standard output and standard error captured.
 */
import { main, type CliIO } from '../../src/cli/main.js'

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
