// The demo: a whole IAM Identity Center session on the local emulator, no AWS account, no
// network beyond 127.0.0.1, in a temporary home directory.
//   1. `fp-aws sso login` (the device code grant): it shows a URL and a code; the demo plays
//      the person, opening the emulator's approval page and clicking Allow (over plain HTTP)
//   2. the accounts and roles the token sees (fp-aws/sso, ListAccounts and ListAccountRoles)
//   3. role credentials for the profile (fromSSO, GetRoleCredentials)
//   4. `fp-aws sso logout`: the token is invalidated on the server, the SSO caches are swept,
//      another provider's cached credentials are left alone
//   5. the same token, now refused by the portal
// No token, secret key or session token is printed: the demo checks its own output for them.
import { execFile, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import { loggingHook, newEnv, reveal, send } from 'fp-aws'
import { ListAccountRoles, ListAccounts, newListAccountRoles, newListAccounts } from 'fp-aws/sso'
import { fromSSO, readToken } from 'fp-aws/auth/sso'
import { startEmulator } from 'fp-aws/emulator'

const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cjs', 'cli', 'bin.js')
const indent = (s) => s.trimEnd().replace(/^(?=.)/gm, '   ')
const some = (o) => O.getOrElse(() => '?')(o)
const fail = (why) => {
  console.log(`   unexpected: ${why}`)
  return false
}

// everything printed, to check at the end that no secret was
const printed = []
const log = console.log
console.log = (...args) => {
  printed.push(args.join(' '))
  log(...args)
}

const started = await startEmulator({})()
if (started._tag === 'Left') {
  console.error(`could not start the emulator: ${started.left.message}`)
  process.exit(1)
}
const emu = started.right
console.log(`IAM Identity Center emulator (SSO portal and SSO OIDC) on ${emu.url}`)

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-demo-'))
const configFile = path.join(home, '.aws', 'config')
fs.mkdirSync(path.dirname(configFile), { recursive: true })
fs.writeFileSync(
  configFile,
  [
    '[profile demo]',
    'sso_session = demo',
    'sso_account_id = 123456789012',
    'sso_role_name = ReadOnly',
    'region = us-east-1',
    '[sso-session demo]',
    'sso_start_url = https://demo.awsapps.com/start',
    'sso_region = us-east-1',
    'sso_registration_scopes = sso:account:access',
    ''
  ].join('\n')
)
// the CLI runs in a child process; the emulator answering it lives in this one: asynchronously
const env = { PATH: process.env.PATH, HOME: home, AWS_ENDPOINT_URL_SSO: emu.url, AWS_ENDPOINT_URL_SSO_OIDC: emu.url }
const cli = async (args) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { env, encoding: 'utf8' })
    return { code: 0, out: stdout + stderr }
  } catch (e) {
    return { code: typeof e.code === 'number' ? e.code : 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` }
  }
}

/** A person at the approval page: loads it, clicks Allow (a form posted back to the emulator). */
const approve = async (url) => {
  const html = await (await fetch(url)).text()
  const id = /name="id" value="([^"]+)"/.exec(html)?.[1]
  if (id === undefined) return false
  const r = await fetch(new URL('/approval', url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(url).origin },
    body: new URLSearchParams({ id, decision: 'allow' }).toString()
  })
  return r.ok
}

let ok = true
let token
let secrets = []

try {
  // 1. log in; the login waits for the person to approve the code it shows
  console.log('\n1. fp-aws sso login --profile demo --use-device-code --no-browser')
  const login = await new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'sso', 'login', '--profile', 'demo', '--use-device-code', '--no-browser'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let out = ''
    let prompt
    const take = (s) => {
      out += s
      const url = /autofill the code upon loading:\n(\S+)\n/.exec(out)?.[1]
      if (url !== undefined && prompt === undefined) {
        prompt = out
        void approve(url).then((done) => {
          console.log(indent(prompt))
          console.log(`   (a person opens ${url} and clicks Allow: ${done ? 'approved' : 'not approved'})`)
          // not approved, the login would wait for the code to expire
          if (!done) child.kill()
        })
      }
    }
    child.stdout.setEncoding('utf8').on('data', take)
    child.stderr.setEncoding('utf8').on('data', take)
    child.on('error', () => resolve({ code: 1, out }))
    child.on('close', (code) => resolve({ code, out: out.slice(prompt?.length ?? 0) }))
  })
  // what the login printed after the prompt
  console.log(indent(login.out))
  const tokenFile = path.join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update('demo').digest('hex')}.json`)
  const read = await readToken(tokenFile)()
  if (login.code !== 0 || read._tag === 'Left') ok = fail(`the login exited with ${login.code}`)
  else {
    token = reveal(read.right.accessToken)
    const t = read.right
    secrets = [token, t.refreshToken, t.clientSecret].filter((x) => x !== undefined).map((x) => (typeof x === 'string' ? x : reveal(x)))
    const rel = path.relative(home, tokenFile)
    console.log(`   the token is cached in ~/${rel} (mode ${(fs.statSync(tokenFile).mode & 0o777).toString(8)}), as aws sso login caches it`)
  }

  // 2. what the token sees, with the requests fp-aws sends (the token shows as <redacted>)
  if (token !== undefined) {
    console.log('\n2. the accounts and roles this login sees (fp-aws/sso)')
    const api = newEnv({ endpoint: emu.url, region: 'us-east-1', hooks: [loggingHook((line) => console.log(`   ${line}`))] })
    const accounts = await pipe(newListAccounts(token), send(ListAccounts))(api)()
    if (accounts._tag === 'Left') ok = fail(`ListAccounts: ${accounts.left._tag}`)
    else {
      const quiet = newEnv({ endpoint: emu.url, region: 'us-east-1' })
      for (const a of accounts.right.accountList) {
        const roles = await pipe(newListAccountRoles(token, some(a.accountId)), send(ListAccountRoles))(quiet)()
        const names = roles._tag === 'Right' ? roles.right.roleList.map((r) => some(r.roleName)).join(', ') : `(${roles.left._tag})`
        console.log(`   ${some(a.accountId)} ${some(a.accountName)}: ${names}`)
      }
    }
  }

  // 3. role credentials for the profile
  console.log('\n3. fromSSO: the role credentials of profile demo (123456789012, ReadOnly)')
  const creds = await fromSSO({ profile: 'demo', homedir: home, env })()
  if (creds._tag === 'Left') ok = fail(`fromSSO: ${creds.left._tag} ${creds.left.message}`)
  else {
    const c = creds.right
    console.log(`   access key ${'*'.repeat(16)}${c.accessKeyId.slice(-4)}, expiring ${c.expiration.toISOString()}`)
    console.log(`   the secret key and session token stay hidden: ${JSON.stringify(c.secretAccessKey)}, ${String(c.sessionToken)}`)
    secrets.push(reveal(c.secretAccessKey), reveal(c.sessionToken))
  }

  // 4. log out; the cache also holds SSO role credentials (as the AWS CLI caches them) and another provider's
  const cliCache = path.join(home, '.aws', 'cli', 'cache')
  fs.mkdirSync(cliCache, { recursive: true })
  const expiresAt = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z')
  fs.writeFileSync(
    path.join(cliCache, 'sso-credentials.json'),
    JSON.stringify({ ProviderType: 'sso', Credentials: { AccessKeyId: 'ASIADEMO', SecretAccessKey: 'demo-secret', SessionToken: 'demo-session', Expiration: expiresAt } })
  )
  fs.writeFileSync(path.join(cliCache, 'assume-role.json'), JSON.stringify({ ProviderType: 'assume-role', Credentials: {} }))
  console.log('\n4. fp-aws sso logout')
  const logout = await cli(['sso', 'logout'])
  console.log(indent(logout.out))
  const left = fs.readdirSync(cliCache)
  if (logout.code !== 0 || fs.existsSync(tokenFile) || left.join() !== 'assume-role.json') {
    ok = fail(`exit ${logout.code}, token file left: ${fs.existsSync(tokenFile)}, credential files left: ${JSON.stringify(left)}`)
  }
  else console.log('   the token file and the cached SSO credentials are gone; assume-role.json is untouched')

  // 5. the token is dead on the server
  if (token !== undefined) {
    console.log('\n5. the same token, after the logout')
    const again = await pipe(newListAccounts(token), send(ListAccounts))(newEnv({ endpoint: emu.url, region: 'us-east-1' }))()
    if (again._tag === 'Left' && again.left._tag === 'ServiceError' && again.left.code === 'UnauthorizedException') {
      console.log(`   ListAccounts is refused: ${again.left.status} ${again.left.code} (${again.left.message})`)
    } else ok = fail('the token still works')
  }
} finally {
  fs.rmSync(home, { recursive: true, force: true })
  await emu.close()
}
if (printed.some((line) => secrets.some((x) => x !== '' && line.includes(x)))) ok = fail('a secret was printed')
console.log(ok ? '\nThe whole session ran on the emulator: logged in, listed, got credentials, logged out.' : '\nThe demo failed.')
process.exit(ok ? 0 : 1)
