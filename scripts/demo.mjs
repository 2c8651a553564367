// The demo: a local SSO portal emulator, a token seeded into it, a Logout through fp-aws,
// and the same token refused afterwards. No AWS account, no network beyond 127.0.0.1.
import { pipe } from 'fp-ts/lib/function.js'
import { loggingHook, newEnv, send } from 'fp-aws'
import { Logout, newLogout } from 'fp-aws/sso'
import { startEmulator } from 'fp-aws/sso/emulator'

const token = 'demo-access-token-' + Math.random().toString(36).slice(2)

const started = await startEmulator({ tokens: { [token]: {} } })()
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

await emu.close()
process.exit(first._tag === 'Right' && refused ? 0 : 1)
