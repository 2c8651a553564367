/**
 * `fp-aws sso sessions` (see `fp-aws/cli/main`).
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { formatCliTimestamp } from '../../auth/sso/Codec.js'
import { listSessions } from '../../auth/sso/Sessions.js'
import { configFailure, fail, homeOf, json, line, NO_HOME, PROGRAM, type Command } from '../Command.js'

const iso = (d: Date): string => formatCliTimestamp(d)

/**
 * `fp-aws sso sessions`: lists the cached SSO sessions.
 *
 * @category commands
 * @since 0.2.0
 */
export const ssoSessions: Command = {
  words: ['sso', 'sessions'],
  summary: 'list the cached SSO sessions: expiry, whether they can be refreshed, their profiles',
  description:
    'Lists every SSO session cached in ~/.aws/sso/cache (by fp-aws or the AWS CLI v2): its sso-session\n' +
    'name (or start URL for a legacy profile), region, when its access token expires and whether it\n' +
    'has, whether it can be refreshed (an sso-session token with a refresh token and an unexpired\n' +
    'client registration), and the profiles of the config file that use it. Client registrations are\n' +
    'not sessions. Nothing is called, nothing written; tokens are never printed. A file that cannot\n' +
    'be read as a token, or a cache another user could change (refused, not read), is reported on\n' +
    'stderr and does not stop the listing.\n\n' +
    'With --json, stdout holds only JSON: {"sessions":[{"file","kind","ssoSession"?,"startUrl",\n' +
    '"region","expiresAt","expired","refreshable","registrationExpiresAt"?,"profiles"}],"problems":\n' +
    '[{"file","reason","message"}]}, or {"error":{…}}.\n\n' +
    'Exit status: 0 (also when there is no session, or a file is corrupt), 1 when the config file\n' +
    'cannot be read or parsed, 2 on a usage error.',
  flags: [{ name: 'json', description: 'print only the listing (or the error), as JSON, on stdout' }],
  run: async (flags, io) => {
    const asJson = flags['json'] === true
    const homedir = homeOf(io)
    if (homedir === undefined) return fail(io, asJson, NO_HOME, 1)
    const r = await listSessions({ homedir, env: io.env, now: Date.now })()
    if (E.isLeft(r)) return fail(io, asJson, configFailure(r.left), 1)
    const { sessions, problems } = r.right
    if (asJson) {
      io.stdout(
        json({
          sessions: sessions.map((s) => ({
            ...s,
            expiresAt: iso(s.expiresAt),
            ...(s.registrationExpiresAt === undefined ? {} : { registrationExpiresAt: iso(s.registrationExpiresAt) })
          })),
          problems
        })
      )
      return 0
    }
    if (sessions.length === 0) io.stdout('No cached SSO session.\n')
    for (const s of sessions) {
      const title = s.ssoSession !== undefined ? `sso-session ${s.ssoSession}` : s.kind === 'Legacy' ? `legacy ${s.startUrl}` : `unknown ${s.startUrl}`
      const refresh = s.refreshable
        ? `yes (client registration until ${iso(s.registrationExpiresAt ?? s.expiresAt)})`
        : 'no'
      io.stdout(
        line(title) +
          line(`  start URL:   ${s.startUrl}`) +
          line(`  region:      ${s.region}`) +
          line(`  expires:     ${iso(s.expiresAt)} (${s.expired ? 'expired' : 'valid'})`) +
          line(`  refreshable: ${refresh}`) +
          line(`  profiles:    ${s.profiles.length === 0 ? '(none)' : s.profiles.join(', ')}`) +
          line(`  file:        ${s.file}`)
      )
    }
    for (const p of problems) io.stderr(line(`${PROGRAM}: ${p.message}`))
    return 0
  }
}
