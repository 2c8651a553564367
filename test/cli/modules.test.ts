/**
 * What a command loads: `fp-aws sso logout` and `fp-aws sso status` run as real processes
 * over src/ compiled file by file to CommonJS (as dist/cjs is: one file per module, fp-ts,
 * io-ts and monocle-ts from node_modules), each with a `-r` preload that writes the module
 * list (`require.cache`) at exit. Each command loads its own module and what it uses, never
 * the emulator, login, OIDC, the browser opener or another command's module.
 *
 * The executable as shipped is one file bundled by scripts/build-cli.mjs: there, what a
 * command does not use must stay uninitialised, which shows in the Node built-ins it loads
 * (`process.moduleLoadList`) and the packages it requires from node_modules.
 */
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = path.resolve(__dirname, '..', '..')
// under the repository, so that the compiled files find its node_modules
const cache = path.join(root, 'node_modules', '.cache')
fs.mkdirSync(cache, { recursive: true })
const dir = fs.mkdtempSync(path.join(cache, 'fp-aws-modules-'))
const out = path.join(dir, 'src')
const preload = path.join(dir, 'modules.cjs')
const bundled = path.join(dir, 'dist', 'cjs', 'cli', 'bin.js')
const home = path.join(dir, 'home')

const sources = (d: string): ReadonlyArray<string> =>
  fs
    .readdirSync(d, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => path.join(e.parentPath, e.name))

beforeAll(async () => {
  await build({
    entryPoints: [...sources(path.join(root, 'src'))],
    outdir: out,
    outbase: path.join(root, 'src'),
    bundle: false,
    platform: 'node',
    format: 'cjs',
    logLevel: 'silent'
  })
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "commonjs" }\n')
  // scripts/ is plain JavaScript: loaded by a path the type checker does not follow
  const script = path.join(root, 'scripts', 'build-cli.mjs')
  const { buildCli } = (await import(script)) as { buildCli: (dist: string) => Promise<unknown> }
  await buildCli(path.join(dir, 'dist'))
  fs.writeFileSync(
    preload,
    'process.on("exit", () => require("node:fs").writeFileSync(process.env.FP_AWS_MODULES, JSON.stringify({\n' +
      '  cache: Object.keys(require.cache),\n' +
      '  builtins: process.moduleLoadList.filter((m) => m.startsWith("NativeModule ")).map((m) => m.slice(13))\n' +
      '})))\n'
  )
  fs.mkdirSync(path.join(home, '.aws'), { recursive: true })
  fs.writeFileSync(
    path.join(home, '.aws', 'config'),
    '[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n' +
      '[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n'
  )
}, 60_000)
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

interface Loaded {
  readonly code: number | null
  /** The modules in `require.cache`: relative to src/ (or to the bundle's directory, `dist/…`), or `node_modules/…`. */
  readonly modules: ReadonlyArray<string>
  /** The Node built-ins loaded, e.g. `http`, `child_process`. */
  readonly builtins: ReadonlyArray<string>
}

/** Runs the command line (`bin`: the file-by-file build, or the bundle); resolves what it loaded. */
const loaded = (args: ReadonlyArray<string>, bin = path.join(out, 'cli', 'bin.js')): Promise<Loaded> =>
  new Promise((resolve, reject) => {
    const list = path.join(dir, `modules-${path.basename(path.dirname(path.dirname(bin)))}-${args.join('-')}.json`)
    const child = spawn(process.execPath, ['-r', preload, bin, ...args], {
      stdio: 'ignore',
      env: { PATH: process.env['PATH'], HOME: home, FP_AWS_MODULES: list }
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
    child.on('error', reject)
    child.on('exit', (code) => {
      clearTimeout(timer)
      const all: { cache: ReadonlyArray<string>; builtins: ReadonlyArray<string> } = JSON.parse(fs.readFileSync(list, 'utf8'))
      resolve({
        code,
        builtins: all.builtins,
        modules: all.cache
          .filter((m) => m !== preload)
          .map((m) =>
            m.startsWith(out) ? path.relative(out, m) : m.startsWith(dir) ? path.relative(dir, m) : m.replace(/^.*\/node_modules\//, 'node_modules/')
          )
      })
    })
  })

/** What neither command may load: what only other commands use. */
const NEVER = [
  /^emulator\//,
  /^auth\/sso\/(Login|Refresh|fromSSO)\.js$/,
  /^services\/sso-oidc\//,
  /^services\/sso\/(GetRoleCredentials|ListAccounts|ListAccountRoles)\.js$/,
  /^cli\/Browser\.js$/,
  /^node_modules\/(proper-lockfile|axios|https-proxy-agent)\//
]

const offending = (modules: ReadonlyArray<string>, patterns: ReadonlyArray<RegExp>): ReadonlyArray<string> =>
  modules.filter((m) => patterns.some((p) => p.test(m)))

describe('the modules a command loads', () => {
  it('sso logout: its own module and the sweep; no emulator, login, OIDC, browser or other command', async () => {
    const r = await loaded(['sso', 'logout'])
    expect(r.code).toBe(0)
    expect(offending(r.modules, [...NEVER, /^cli\/commands\/(?!Logout\.js$)/, /^auth\/sso\/(Sessions|index)\.js$/])).toEqual([])
    expect(r.modules).toContain('cli/commands/Logout.js')
    expect(r.modules).toContain('auth/sso/ClientLogout.js')
  }, 30_000)

  it('sso status: its own module and the file readers; nothing that calls a service, and no other command', async () => {
    const r = await loaded(['sso', 'status', '--profile', 'dev'])
    // a login is needed: nothing is cached
    expect(r.code).toBe(1)
    const calls = [/^core\/(AWSRequest|Http|Env|Proxy|Retry)\.js$/, /^services\/sso\/Logout\.js$/, /^auth\/sso\/(ClientLogout|index)\.js$/]
    expect(offending(r.modules, [...NEVER, ...calls, /^cli\/commands\/(?!Status\.js$)/])).toEqual([])
    expect(r.modules).toContain('cli/commands/Status.js')
    expect(r.modules).toContain('auth/sso/Sessions.js')
  }, 30_000)

  it('the bundled executable: sso status starts no HTTP, browser or lock code; sso logout no browser or lock code', async () => {
    const status = await loaded(['sso', 'status', '--profile', 'dev'], bundled)
    expect(status.code).toBe(1)
    expect(status.modules).toEqual(['dist/cjs/cli/bin.js'])
    expect(status.builtins.filter((b) => ['http', 'https', 'child_process'].includes(b))).toEqual([])
    const logout = await loaded(['sso', 'logout'], bundled)
    expect(logout.code).toBe(0)
    expect(logout.modules).toEqual(['dist/cjs/cli/bin.js'])
    expect(logout.builtins).not.toContain('child_process')
  }, 30_000)
})
