// The command line against the AWS CLI v2, whole processes, paired and interleaved (see
// bench/lib/paired.mjs): fp-aws (A, `node dist/cjs/cli/bin.js`) and `aws` (B), alternating
// A B, B A, …, each pair on a cache rebuilt identically for both, both talking to the same
// emulator (`startEmulator` from dist, in this process, on 127.0.0.1).
//
//   node bench/phases/cli.mjs [--runs N] [--smoke] [--bin FILE]   (assumes `npm run build` was run)
//
// `--bin FILE` runs another build of the executable as fp-aws (e.g. an older one, to compare).
//
// Prints one JSON line `{ phase, title, figures, markdown }`. Nothing it prints holds a token
// or a secret: the caches are made of random values that are never shown, the children's
// standard output (which holds credentials for `sso credentials`) is only parsed, and a
// failing child's standard error is shown with every cached secret replaced.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import { createRequire } from 'node:module'
import * as os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { emit, figure, fmtFigure, median, pairs, phaseArgs, ratios } from '../lib/paired.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const require = createRequire(import.meta.url)
const { startEmulator } = require(path.join(root, 'dist', 'cjs', 'emulator', 'index.js'))
const { credentialCacheKey, credentialCacheFile, login, tokenCacheFile } = require(path.join(root, 'dist', 'cjs', 'auth', 'sso', 'index.js'))

const { runs, at } = phaseArgs()
const bin = path.resolve(at('bin') ?? path.join(root, 'dist', 'cjs', 'cli', 'bin.js'))
const RACE = 16
const log = (s) => process.stderr.write(`[bench:cli] ${s}\n`)

// -------------------------------------------------------------------------------------
// the AWS CLI
// -------------------------------------------------------------------------------------

const awsPath = process.env.FP_AWS_AWSCLI || '/usr/bin/aws'
const awsVersion = await new Promise((resolve) => {
  const c = spawn(awsPath, ['--version'], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, HOME: os.tmpdir() } })
  let out = ''
  c.stdout.on('data', (d) => (out += d))
  c.on('error', () => resolve(undefined))
  c.on('close', (code) => resolve(code === 0 ? out.trim().split(' ')[0] : undefined))
})
if (awsVersion === undefined || !awsVersion.startsWith('aws-cli/2.')) {
  throw new Error(`the AWS CLI v2 is needed at ${awsPath} (or FP_AWS_AWSCLI); found ${awsVersion ?? 'nothing'}`)
}

// -------------------------------------------------------------------------------------
// the world: one emulator, homes built from scratch
// -------------------------------------------------------------------------------------

let ago = 0
const clock = () => Date.now() - ago
const started = await startEmulator({ autoApprove: true, rotateRefreshTokens: true, accessTokenTtlSeconds: 3600, clock })()
if (started._tag !== 'Right') throw new Error(`the emulator did not start: ${started.left.message}`)
const emu = started.right
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-bench-cli-'))

/** Every secret written to a cache by this phase: replaced wherever a child's output is shown. */
const secrets = new Set()
const secret = (bytes = 24) => {
  const s = randomBytes(bytes).toString('base64url')
  secrets.add(s)
  return s
}
const scrub = (s) => {
  let out = String(s)
  for (const x of secrets) out = out.split(x).join('<redacted>')
  // and anything a child may have read from a cache this phase did not write itself
  return out.replace(/"(accessToken|refreshToken|clientSecret|SecretAccessKey|SessionToken)"\s*:\s*"[^"]*"/g, '"$1":"<redacted>"')
}

const SESSIONS = ['corp', 'lab', 'sandbox']
const LEGACY_URL = 'https://legacy.awsapps.com/start'
const ACCOUNT = '123456789012'
const CONFIG =
  SESSIONS.map(
    (s, i) =>
      `[profile ${i === 0 ? 'dev' : s}]\nsso_session = ${s}\nsso_account_id = ${ACCOUNT}\nsso_role_name = ReadOnly\nregion = eu-west-1\n` +
      `[sso-session ${s}]\nsso_start_url = https://${s}.awsapps.com/start\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n`
  ).join('') +
  `[profile legacy]\nsso_start_url = ${LEGACY_URL}\nsso_region = us-east-1\nsso_account_id = ${ACCOUNT}\nsso_role_name = ReadOnly\n`

let homes = 0
/** A new home with the config file (and an empty credentials file). */
const newHome = () => {
  const home = path.join(scratch, `home-${homes++}`)
  fs.mkdirSync(path.join(home, '.aws'), { recursive: true, mode: 0o700 })
  fs.writeFileSync(path.join(home, '.aws', 'config'), CONFIG)
  fs.writeFileSync(path.join(home, '.aws', 'credentials'), '')
  return home
}

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
const writeJson = (file, value) => {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 })
  fs.writeFileSync(file, JSON.stringify(value), { mode: 0o600 })
}

/**
 * The cache of someone who logged in to three sso-sessions and one legacy start URL and used
 * a role of each: four token files (the sso-session ones with a refresh token and their
 * client registration), three client registration files, four cached role credentials
 * (ProviderType sso, eight hours left). Random values, the AWS CLI v2's file names and formats.
 */
const buildCache = (home) => {
  const now = Date.now()
  const registration = { clientId: secret(16), clientSecret: secret(), expiresAt: iso(now + 90 * 86_400_000), scopes: ['sso:account:access'] }
  for (const s of SESSIONS) {
    const startUrl = `https://${s}.awsapps.com/start`
    writeJson(tokenCacheFile(home, { _tag: 'SSOSession', name: s }), {
      startUrl,
      region: 'eu-west-1',
      accessToken: secret(),
      expiresAt: iso(now + 8 * 3_600_000),
      clientId: registration.clientId,
      clientSecret: registration.clientSecret,
      registrationExpiresAt: registration.expiresAt,
      refreshToken: secret()
    })
    writeJson(path.join(home, '.aws', 'sso', 'cache', `${randomBytes(20).toString('hex')}.json`), registration)
  }
  writeJson(tokenCacheFile(home, { _tag: 'Legacy', startUrl: LEGACY_URL }), {
    startUrl: LEGACY_URL,
    region: 'us-east-1',
    accessToken: secret(),
    expiresAt: iso(now + 8 * 3_600_000)
  })
  const who = [...SESSIONS.map((sessionName) => ({ sessionName })), { startUrl: LEGACY_URL }]
  for (const w of who) {
    const key = credentialCacheKey({ accountId: ACCOUNT, roleName: 'ReadOnly', ...w })
    writeJson(credentialCacheFile(home, key), {
      ProviderType: 'sso',
      Credentials: { AccessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`, SecretAccessKey: secret(30), SessionToken: secret(64), Expiration: iso(now + 8 * 3_600_000) }
    })
  }
  return home
}

const countFiles = (dir) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).length : 0)

// -------------------------------------------------------------------------------------
// running the two
// -------------------------------------------------------------------------------------

/** The AWS CLI's sso and sso-oidc calls go to the emulator (see test/util/awscli.ts). */
const dataPath = path.join(scratch, 'aws-data')
for (const service of ['sso', 'sso-oidc']) {
  writeJson(path.join(dataPath, service, '2019-06-10', 'endpoint-rule-set-1.json'), {
    version: '1.0',
    parameters: {
      Region: { builtIn: 'AWS::Region', required: false, documentation: 'The region.', type: 'String' },
      UseDualStack: { builtIn: 'AWS::UseDualStack', required: true, default: false, documentation: 'Dual-stack.', type: 'Boolean' },
      UseFIPS: { builtIn: 'AWS::UseFIPS', required: true, default: false, documentation: 'FIPS.', type: 'Boolean' },
      Endpoint: { builtIn: 'SDK::Endpoint', required: false, documentation: 'Endpoint override.', type: 'String' }
    },
    rules: [{ conditions: [], type: 'endpoint', endpoint: { url: emu.url, properties: {}, headers: {} } }]
  })
}

const baseEnv = (home) => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: home,
  LC_ALL: 'C.UTF-8',
  NO_PROXY: '127.0.0.1,localhost',
  no_proxy: '127.0.0.1,localhost'
})
const fpEnv = (home) => ({ ...baseEnv(home), AWS_ENDPOINT_URL_SSO: emu.url, AWS_ENDPOINT_URL_SSO_OIDC: emu.url })
const awsEnv = (home) => ({
  ...baseEnv(home),
  AWS_DATA_PATH: dataPath,
  AWS_CONFIG_FILE: path.join(home, '.aws', 'config'),
  AWS_SHARED_CREDENTIALS_FILE: path.join(home, '.aws', 'credentials'),
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_PAGER: '',
  AWS_CLI_AUTO_PROMPT: 'off'
})

/** Runs a process to its end: its wall time in ms, exit code and output (never printed as is). */
const timed = (file, args, env, cwd) =>
  new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint()
    const child = spawn(file, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (s) => (stdout += s))
    child.stderr.setEncoding('utf8').on('data', (s) => (stderr += s))
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000)
    child.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, code, stdout, stderr })
    })
  })

const fp = (args, home) => timed(process.execPath, [bin, ...args], fpEnv(home), home)
const aws = (args, home) => timed(awsPath, args, awsEnv(home), home)

/** Fails the phase on an unexpected exit code, showing the command and its scrubbed stderr. */
const expectCode = (r, code, what) => {
  if (r.code !== code) throw new Error(`${what}: exit ${r.code}, expected ${code}\n${scrub(r.stderr).slice(-1500)}`)
  return r
}

/** A run must not call anything: the emulator's request count does not move. */
const noCall = async (what, run) => {
  const before = emu.requestCount()
  const r = await run()
  if (emu.requestCount() !== before) throw new Error(`${what} called the emulator (${emu.requestCount() - before} requests): not a local run`)
  return r
}

// -------------------------------------------------------------------------------------
// the figures
// -------------------------------------------------------------------------------------

const figures = []
const rows = []
const note = (id, ps) => rows.push({ id, a: median(ps.map((p) => p.a)), b: median(ps.map((p) => p.b)) })

// 1. sso logout
{
  const onePair = (i, a, b) => log(`logout pair ${i + 1}: fp-aws ${a.toFixed(0)} ms, aws ${b.toFixed(0)} ms`)
  const logoutOf = (which) => async () => {
    const home = buildCache(newHome())
    const before = emu.stats().requests
    const r = expectCode(await (which === 'fp' ? fp(['sso', 'logout'], home) : aws(['sso', 'logout'], home)), 0, `${which} sso logout`)
    const calls = emu.stats().requests - before
    const left = countFiles(path.join(home, '.aws', 'sso', 'cache')) + countFiles(path.join(home, '.aws', 'cli', 'cache'))
    // 4 Logout calls; the three client registrations stay
    if (calls !== 4 || left !== 3) throw new Error(`${which} sso logout: ${calls} calls and ${left} files left, expected 4 and 3`)
    return r.ms
  }
  const ps = await pairs(runs, logoutOf('fp'), logoutOf('aws'), onePair)
  note('cli-logout', ps)
  figures.push(
    figure({ id: 'cli-logout', title: '`fp-aws sso logout` ÷ `aws sso logout`, same cache, same emulator (wall time)', samples: ratios(ps), target: { op: '<=', value: 0.2 } })
  )
}

// 2. sso status, and 4. sso credentials on a warm cache: local reads only
for (const [id, title, fpArgs, awsArgs, code] of [
  [
    'cli-status',
    '`fp-aws sso status --profile dev` ÷ `aws configure list --profile dev`, same cache (wall time)',
    ['sso', 'status', '--profile', 'dev'],
    ['configure', 'list', '--profile', 'dev'],
    0
  ],
  [
    'credentials-warm',
    '`fp-aws sso credentials --profile dev` ÷ `aws configure export-credentials --profile dev`, warm cache (wall time)',
    ['sso', 'credentials', '--profile', 'dev'],
    ['configure', 'export-credentials', '--profile', 'dev'],
    0
  ]
]) {
  const one = (which) => async () => {
    const home = buildCache(newHome())
    const r = await noCall(`${which} ${id}`, async () =>
      expectCode(await (which === 'fp' ? fp(fpArgs, home) : aws(awsArgs, home)), code, `${which} ${(which === 'fp' ? fpArgs : awsArgs).join(' ')}`)
    )
    if (id === 'credentials-warm' && typeof JSON.parse(r.stdout).AccessKeyId !== 'string') throw new Error(`${which}: no credentials printed`)
    return r.ms
  }
  const ps = await pairs(runs, one('fp'), one('aws'), (i, a, b) => log(`${id} pair ${i + 1}: fp-aws ${a.toFixed(0)} ms, aws ${b.toFixed(0)} ms`))
  note(id, ps)
  figures.push(figure({ id, title, samples: ratios(ps), ...(id === 'cli-status' ? { target: { op: '<=', value: 0.2 } } : {}) }))
}

// 3. sso login with the device code grant, the emulator approving at once
{
  const one = (which) => async () => {
    const home = newHome()
    const r = expectCode(
      await (which === 'fp'
        ? fp(['sso', 'login', '--profile', 'dev', '--use-device-code', '--no-browser'], home)
        : aws(['sso', 'login', '--profile', 'dev', '--no-browser'], home)),
      0,
      `${which} sso login`
    )
    if (countFiles(path.join(home, '.aws', 'sso', 'cache')) !== 2) throw new Error(`${which} sso login: no token and registration cached`)
    return r.ms
  }
  const ps = await pairs(runs, one('fp'), one('aws'), (i, a, b) => log(`login pair ${i + 1}: fp-aws ${a.toFixed(0)} ms, aws ${b.toFixed(0)} ms`))
  note('login-device', ps)
  figures.push(
    figure({
      id: 'login-device',
      title: '`fp-aws sso login --use-device-code` ÷ `aws sso login --no-browser`, emulator with auto-approve, fresh caches (wall time)',
      samples: ratios(ps),
      note: 'no target: reported only'
    })
  )
}

// 5. the refresh under a race of 16 processes
{
  const browser = async (url) => {
    await fetch(url, { redirect: 'follow' })
    return true
  }
  /** A home logged in to `corp` (PKCE, the emulator approving), `agoMs` in the past; no role credentials cached. */
  const loggedIn = async (agoMs) => {
    const home = newHome()
    ago = agoMs
    try {
      const r = await login({ profile: 'dev' }, { homedir: home, env: fpEnv(home), prompt: () => undefined, openBrowser: browser, now: clock })()
      if (r._tag !== 'Right') throw new Error(`login failed: ${r.left._tag}`)
    } finally {
      ago = 0
    }
    return home
  }
  const createTokens = () => emu.requests().filter((r) => r.operation === 'CreateToken').length
  /** 16 `fp-aws sso credentials` started at once; the wall time until the last is done, and the refreshes seen. */
  const race = async (home) => {
    const before = createTokens()
    const t0 = process.hrtime.bigint()
    const done = await Promise.all(Array.from({ length: RACE }, () => fp(['sso', 'credentials', '--profile', 'dev'], home)))
    const ms = Number(process.hrtime.bigint() - t0) / 1e6
    for (const r of done) expectCode(r, 0, 'fp-aws sso credentials (race)')
    return { ms, refreshes: createTokens() - before }
  }
  // inside the refresh window: logged in 55 minutes ago, the one-hour token has 5 minutes left
  const refreshing = async () => {
    const r = await race(await loggedIn(55 * 60_000))
    if (r.refreshes !== 1) throw new Error(`the race refreshed ${r.refreshes} times, expected exactly 1: the figure is invalid`)
    return r.ms
  }
  const fresh = async () => {
    const r = await race(await loggedIn(0))
    if (r.refreshes !== 0) throw new Error(`no refresh was needed, yet ${r.refreshes} happened`)
    return r.ms
  }
  const ps = await pairs(runs, refreshing, fresh, (i, a, b) => log(`refresh race pair ${i + 1}: with refresh ${a.toFixed(0)} ms, without ${b.toFixed(0)} ms`))
  note('refresh-race', ps)
  const ms = ps.map((p) => p.a)
  figures.push(
    figure({ id: 'refresh-race', title: `a refresh under a race of ${RACE} \`fp-aws sso credentials\` processes (wall time until all are done)`, samples: ms, unit: 'ms', note: 'exactly one refresh checked in every run' })
  )
  figures.push(
    figure({ id: 'refresh-race-ratio', title: `the same race ÷ the ${RACE} processes when no refresh is needed`, samples: ratios(ps), note: 'reported only' })
  )
}

await emu.close()
fs.rmSync(scratch, { recursive: true, force: true })

// -------------------------------------------------------------------------------------
// the report
// -------------------------------------------------------------------------------------

const ms = (x) => `${x.toFixed(0)} ms`
const line = (f) => `| ${f.id} | ${f.title} | ${fmtFigure(f)} | ${f.target === undefined ? '–' : `${f.target.op === '<=' ? '≤' : '≥'} ${f.target.value}×`} | ${f.verdict || 'reported'} |`
const markdown = [
  '## The command line against the AWS CLI',
  '',
  `Whole processes, ${runs} pair${runs === 1 ? '' : 's'} each, interleaved (fp-aws first in odd pairs, the AWS CLI first in even ones);`,
  `fp-aws is \`node ${path.relative(root, bin)}\` (Node ${process.version}), the AWS CLI is ${awsVersion} (\`${awsPath}\`).`,
  'Both talk to the same emulator (`startEmulator` from dist, auto-approve, refresh-token rotation on, one-hour access',
  'tokens) on 127.0.0.1: fp-aws through `AWS_ENDPOINT_URL_SSO` and `AWS_ENDPOINT_URL_SSO_OIDC`, the AWS CLI (which',
  'ignores those before 2.13) through an `AWS_DATA_PATH` endpoint rule set for `sso` and `sso-oidc`.',
  '',
  '**The cache** (rebuilt from scratch before every run, the same for both): a config file with three sso-session',
  'profiles (`dev` uses `corp`; `lab`, `sandbox`) and one legacy profile; `~/.aws/sso/cache`: four token files (three',
  'sso-session tokens with a refresh token and a client registration, one legacy token; eight hours left) and three',
  'client registration files; `~/.aws/cli/cache`: four cached role credentials (ProviderType `sso`, eight hours left).',
  'All values are random and never shown.',
  '',
  '| id | figure | median (range, pairs) | target | verdict |',
  '|---|---|---|---|---|',
  ...figures.map(line),
  '',
  '| id | fp-aws (median) | the other (median) |',
  '|---|---|---|',
  ...rows.map((r) => `| ${r.id} | ${ms(r.a)} | ${ms(r.b)}${r.id === 'refresh-race' ? ' (no refresh needed)' : ''} |`),
  '',
  '- `cli-logout`: `fp-aws sso logout` and `aws sso logout`, no options. Checked: exit 0, four Logout calls reach the',
  '  emulator, and only the three client registrations are left.',
  "- `cli-status`: `fp-aws sso status --profile dev` (reads the config and the session's token file, calls nothing) against",
  '  `aws configure list --profile dev`, the nearest the AWS CLI 2.9.19 has (it has no status command): it reads the',
  "  config and resolves the profile's credentials, here from the cached role credentials, without a call. `aws sso",
  '  list-accounts` was not chosen: it calls the portal, which `sso status` never does. Checked: exit 0, no request.',
  '- `credentials-warm`: `fp-aws sso credentials --profile dev` against `aws configure export-credentials --profile dev`',
  '  (the AWS CLI 2.9.19 has it), both reading the cached role credentials. Checked: exit 0, credentials printed (parsed,',
  '  never shown), no request. No target given by the issue.',
  '- `login-device`: `fp-aws sso login --profile dev --use-device-code --no-browser` against `aws sso login --profile dev',
  '  --no-browser` (2.9.19 logs in with the device code grant), a new home with the config only for each run. The emulator',
  '  approves at once and both poll for the token before their first wait, so nobody waits: what is timed is start-up,',
  '  RegisterClient, StartDeviceAuthorization, one CreateToken and the cache writes. Checked: exit 0, a token and a client',
  '  registration cached. No target given by the issue.',
  `- \`refresh-race\`: the \`dev\` session logged in (in this process, PKCE, not timed) 55 minutes ago, so its one-hour token`,
  `  has five minutes left (inside the 15-minute refresh window); then ${RACE} \`fp-aws sso credentials --profile dev\` started`,
  '  at once; the figure is the wall time until the last exits, in ms. Checked: all exit 0, and the emulator saw exactly',
  `  one CreateToken (one refresh) during the race, else the run is invalid. Paired with the same ${RACE} processes on a`,
  '  session logged in just now (no refresh; each process also calls GetRoleCredentials, as in the race).',
  ''
].join('\n')

emit('cli', 'The command line against the AWS CLI', figures, markdown)
