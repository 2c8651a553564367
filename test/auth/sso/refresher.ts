/**
 * `fromSSOToken` in its own process, for the test where many refresh at once: bundled with
 * esbuild and run as `node refresher.cjs <home> <oidc endpoint> <clock offset ms>`. Prints
 * `ready`, waits for a line on stdin, gets the token of profile `dev` with the clock moved by
 * the offset, and prints `ok <sha256 of the token>` (never the token), or `error <tag>
 * <reason>` and exits 1.
 */
import { createHash } from 'node:crypto'
import { reveal } from '../../../src/core/Sensitive.js'
import { fromSSOToken } from '../../../src/auth/sso/index.js'

const [home, url, offset] = process.argv.slice(2)
if (home === undefined || url === undefined || offset === undefined) throw new Error('usage: refresher <home> <endpoint> <offset>')
process.stdout.write('ready\n')
process.stdin.once('data', () => {
  process.stdin.destroy()
  void fromSSOToken(
    { profile: 'dev' },
    { homedir: home, env: { AWS_ENDPOINT_URL_SSO_OIDC: url }, now: () => Date.now() + Number(offset) }
  )().then((r) => {
    if (r._tag === 'Right') {
      process.stdout.write(`ok ${createHash('sha256').update(reveal(r.right)).digest('hex')}\n`)
    } else {
      process.stdout.write(`error ${r.left._tag} ${'reason' in r.left ? r.left.reason : ''}\n`)
      process.exitCode = 1
    }
  })
})
