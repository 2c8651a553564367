/**
 * The real AWS CLI v2, for parity tests: find it, point its SSO client at a local
 * emulator, run it with a clean environment, and snapshot a home directory.
 *
 * Pointing the CLI at the emulator: AWS CLI v2 before 2.13 (Debian 12 ships 2.9.19) ignores
 * `AWS_ENDPOINT_URL_SSO`, and `aws sso logout` has no `--endpoint-url`. But botocore looks
 * for its service data in the `AWS_DATA_PATH` directories before its own, so a directory
 * holding only `sso/2019-06-10/endpoint-rule-set-1.json` — a rule set whose single rule
 * resolves every region to the emulator's URL — redirects every SSO call of that process
 * (the service model, `service-2.json`, still comes from the CLI's own data). The same file
 * under `sso-oidc/2019-06-10/` redirects the SSO OIDC calls of `aws sso login`.
 */
import { spawn, spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'

export interface AwsCli {
  readonly path: string
  /** The first line of `aws --version`, e.g. `aws-cli/2.9.19 Python/3.11.2 …`. */
  readonly version: string
}

const isExecutable = (file: string): boolean => {
  try {
    fs.accessSync(file, fs.constants.X_OK)
    return fs.statSync(file).isFile()
  } catch {
    return false
  }
}

const versionOf = (file: string): string | undefined => {
  const r = spawnSync(file, ['--version'], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/nonexistent' }
  })
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n')[0] ?? ''
  return r.status === 0 ? out : undefined
}

/**
 * The AWS CLI v2 to test against: `FP_AWS_AWSCLI` if set, else the first `aws` on `PATH`
 * (then `/usr/bin/aws`, `/usr/local/bin/aws`) whose `--version` says `aws-cli/2.`. An
 * `aws` v1 earlier on the PATH (e.g. a pyenv shim) is passed over: v1 has no `sso logout`.
 */
export const findAwsCliV2 = (): AwsCli | undefined => {
  const explicit = process.env['FP_AWS_AWSCLI']
  const candidates =
    explicit !== undefined && explicit !== ''
      ? [explicit]
      : [
          ...(process.env['PATH'] ?? '').split(path.delimiter).filter((d) => d !== '').map((d) => path.join(d, 'aws')),
          '/usr/bin/aws',
          '/usr/local/bin/aws'
        ]
  const seen = new Set<string>()
  for (const c of candidates) {
    if (seen.has(c) || !isExecutable(c)) continue
    seen.add(c)
    const version = versionOf(c)
    if (version !== undefined && version.startsWith('aws-cli/2.')) return { path: c, version }
  }
  return undefined
}

/** The services whose calls an `AWS_DATA_PATH` directory can redirect (both on the emulator). */
export type EmulatedService = 'sso' | 'sso-oidc'

/**
 * Writes an `AWS_DATA_PATH` directory under `dir` that sends every call of `services`
 * (default: the SSO portal only) to `url`, and returns it.
 */
export const ssoEndpointDataPath = (
  dir: string,
  url: string,
  services: ReadonlyArray<EmulatedService> = ['sso']
): string => {
  const ruleSet = {
    version: '1.0',
    parameters: {
      Region: { builtIn: 'AWS::Region', required: false, documentation: 'The region.', type: 'String' },
      UseDualStack: { builtIn: 'AWS::UseDualStack', required: true, default: false, documentation: 'Dual-stack.', type: 'Boolean' },
      UseFIPS: { builtIn: 'AWS::UseFIPS', required: true, default: false, documentation: 'FIPS.', type: 'Boolean' },
      Endpoint: { builtIn: 'SDK::Endpoint', required: false, documentation: 'Endpoint override.', type: 'String' }
    },
    rules: [{ conditions: [], type: 'endpoint', endpoint: { url, properties: {}, headers: {} } }]
  }
  for (const service of services) {
    const serviceDir = path.join(dir, service, '2019-06-10')
    fs.mkdirSync(serviceDir, { recursive: true })
    fs.writeFileSync(path.join(serviceDir, 'endpoint-rule-set-1.json'), JSON.stringify(ruleSet, null, 2))
  }
  return dir
}

export interface CliRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

export interface AwsEnv {
  readonly home: string
  readonly dataPath: string
  /** An (empty) config file, also used as the shared credentials file. */
  readonly configFile: string
}

/**
 * The whole environment of the CLI process, built from scratch: nothing inherited but
 * `PATH` (no `AWS_*` of the caller, no proxy variables), the pager off, IMDS off.
 */
export const awsCliEnv = (e: AwsEnv): NodeJS.ProcessEnv => ({
  PATH: process.env['PATH'] ?? '/usr/bin:/bin',
  HOME: e.home,
  LC_ALL: 'C.UTF-8',
  AWS_DATA_PATH: e.dataPath,
  AWS_CONFIG_FILE: e.configFile,
  AWS_SHARED_CREDENTIALS_FILE: e.configFile,
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_PAGER: '',
  AWS_CLI_AUTO_PROMPT: 'off',
  NO_PROXY: '127.0.0.1,localhost',
  no_proxy: '127.0.0.1,localhost'
})

/** Runs the CLI (asynchronously: the emulator runs in this process and must keep answering). */
export const runAwsCli = (cli: AwsCli, args: ReadonlyArray<string>, e: AwsEnv, timeoutMs = 60_000): Promise<CliRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(cli.path, [...args], { env: awsCliEnv(e), stdio: ['ignore', 'pipe', 'pipe'], cwd: e.home })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s))
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })

/**
 * Every entry under `root`, by relative path: a directory as `<dir>`, a symbolic link as
 * `-> target`, a file as its content (base64 when it is not valid UTF-8).
 */
export const snapshotTree = (root: string): Readonly<Record<string, string>> => {
  const out: Record<string, string> = {}
  const walk = (dir: string): void => {
    for (const name of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, name)
      const rel = path.relative(root, full)
      const st = fs.lstatSync(full)
      if (st.isSymbolicLink()) out[rel] = `-> ${fs.readlinkSync(full)}`
      else if (st.isDirectory()) {
        out[rel] = '<dir>'
        walk(full)
      } else {
        const buf = fs.readFileSync(full)
        try {
          out[rel] = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf)
        } catch {
          out[rel] = `base64:${buf.toString('base64')}`
        }
      }
    }
  }
  if (fs.existsSync(root)) walk(root)
  return out
}
