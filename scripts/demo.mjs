// The demo: a local SSO portal emulator, a token seeded into it, a Logout through fp-aws,
// and the same token refused afterwards; then `fp-aws sso logout` sweeping a real (temporary)
// ~/.aws cache the way `aws sso login` leaves it. No AWS account, no network beyond 127.0.0.1.
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { pipe } from 'fp-ts/lib/function.js'
import { loggingHook, newEnv, send } from 'fp-aws'
import { Logout, newLogout } from 'fp-aws/sso'
import { startEmulator } from 'fp-aws/emulator'

const token = 'demo-access-token-' + Math.random().toString(36).slice(2)
const cachedToken = 'demo-cached-token-' + Math.random().toString(36).slice(2)

const started = await startEmulator({ tokens: { [token]: {}, [cachedToken]: {} } })()
if (started._tag === 'Left') {
  console.error(`could not start the emulator: ${started.left.message}`)
  process.exit(1)
}
const emu = started.right
console.log(`SSO portal emulator listening on ${emu.url} with one seeded token`)

const env = newEnv({ endpoint: emu.url, hooks: [loggingHook((line) => console.log(line))] })
const logout = pipe(newLogout(token), send(Logout))

const first = await logout(env)()
console.log(first._tag === 'Right' ? '1. Logout succeeded: the session is invalidated' : `1. Logout failed: ${first.left._tag}`)

const second = await logout(env)()
const refused = second._tag === 'Left' && second.left._tag === 'ServiceError' && second.left.code === 'UnauthorizedException'
console.log(
  refused
    ? `2. The same token is now refused: ${second.left.status} ${second.left.code} (${second.left.message})`
    : '2. Unexpected: the token was not refused'
)
console.log(`   the request as fp-aws shows it: ${JSON.stringify(newLogout(token))}`)

// 3. Client-side logout: a home directory as `aws sso login` leaves it, then `fp-aws sso logout`.
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-demo-'))
const ssoCache = path.join(home, '.aws', 'sso', 'cache')
const cliCache = path.join(home, '.aws', 'cli', 'cache')
fs.mkdirSync(ssoCache, { recursive: true })
fs.mkdirSync(cliCache, { recursive: true })
const sha1 = (s) => createHash('sha1').update(s).digest('hex')
const expiresAt = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z')
fs.writeFileSync(
  path.join(ssoCache, `${sha1('demo')}.json`),
  JSON.stringify({ startUrl: 'https://demo.awsapps.com/start', region: 'us-east-1', accessToken: cachedToken, expiresAt })
)
fs.writeFileSync(
  path.join(cliCache, `${sha1('demo-creds')}.json`),
  JSON.stringify({ ProviderType: 'sso', Credentials: { AccessKeyId: 'ASIADEMO', SecretAccessKey: 'demo-secret', SessionToken: 'demo-session', Expiration: expiresAt } })
)
fs.writeFileSync(path.join(cliCache, 'assume-role.json'), JSON.stringify({ ProviderType: 'assume-role', Credentials: {} }))
console.log(`3. fp-aws sso logout, on a cache with one SSO token, one SSO credential and one other provider's credential:`)
const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cjs', 'cli', 'bin.js')
let swept = false
try {
  // asynchronously: the emulator answering it lives in this very process
  const { stdout: out } = await promisify(execFile)(process.execPath, [bin, 'sso', 'logout'], {
    env: { PATH: process.env.PATH, HOME: home, AWS_ENDPOINT_URL_SSO: emu.url, AWS_CONFIG_FILE: path.join(home, 'no-config') },
    encoding: 'utf8'
  })
  console.log(out.trimEnd().replace(/^/gm, '   '))
  const left = [...fs.readdirSync(ssoCache), ...fs.readdirSync(cliCache)]
  swept = emu.isLoggedOut(cachedToken) && left.length === 1 && left[0] === 'assume-role.json'
  console.log(
    swept
      ? `   the cached session is invalidated on the server, its files are gone, and ${left[0]} is untouched`
      : `   unexpected: files left ${JSON.stringify(left)}`
  )
} catch (e) {
  console.log(`   fp-aws sso logout failed with exit code ${e.code}`)
}
fs.rmSync(home, { recursive: true, force: true })

await emu.close()
process.exit(first._tag === 'Right' && refused && swept ? 0 : 1)
