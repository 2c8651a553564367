/**
 * `fp-aws sso status` (see `fp-aws/cli/main`): reads the config file and the token cache, and
 * loads nothing that calls a service.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { formatCliTimestamp } from '../../auth/sso/Codec.js'
import type { SSOSessionRef } from '../../auth/sso/Session.js'
import { profileStatus } from '../../auth/sso/Sessions.js'
import { fail, homeOf, json, line, loginCommand, NO_HOME, profileFailure, profileOf, usageError, type Command } from '../Command.js'

const iso = (d: Date): string => formatCliTimestamp(d)

const sessionName = (s: SSOSessionRef): string =>
  s._tag === 'SSOSession' ? `sso-session '${s.name}'` : `start URL ${s.startUrl}`

/**
 * `fp-aws sso status`: tells whether a profile's SSO session is usable.
 *
 * @category commands
 * @since 0.2.0
 */
export const ssoStatus: Command = {
  words: ['sso', 'status'],
  summary: "tell whether a profile's SSO session is usable, or which login it needs",
  description:
    "Tells whether the SSO session of a profile (--profile, else AWS_PROFILE, else default) is usable:\n" +
    'its access token has not expired (valid until when), or it has but the session can be refreshed\n' +
    '(an sso-session token with a refresh token and an unexpired client registration: until when that\n' +
    'registration lasts). Otherwise it says which command logs in again. Only the config file and\n' +
    '~/.aws/sso/cache are read; nothing is called; tokens are never printed.\n\n' +
    'With --json, stdout holds only JSON: {"profile","state","ssoSession"?|"startUrl","file",\n' +
    '"expiresAt"?,"refreshable"?,"registrationExpiresAt"?,"message"?,"login"?}, state one of Valid,\n' +
    'Refreshable, Expired, Missing, Invalid, Refused; or {"error":{…}}.\n\n' +
    'Exit status: 0 when the session is valid or can be refreshed, 1 when a login is needed (or the\n' +
    'cache cannot be used, or the config file cannot be read), 2 on a usage error (including a profile\n' +
    'that is not in the config file, or is not an SSO profile).',
  flags: [
    { name: 'profile', value: 'name', description: 'the profile (default: AWS_PROFILE, else default)' },
    { name: 'json', description: 'print only the status (or the error), as JSON, on stdout' }
  ],
  run: async (flags, io) => {
    const asJson = flags['json'] === true
    if (flags['profile'] === '') return fail(io, asJson, usageError('--profile must not be empty', ssoStatus.words), 2)
    const homedir = homeOf(io)
    if (homedir === undefined) return fail(io, asJson, NO_HOME, 1)
    const { profile } = profileOf(flags, io)
    const r = await profileStatus(profile, { homedir, env: io.env, now: Date.now })()
    if (E.isLeft(r)) return fail(io, asJson, ...profileFailure(r.left))
    const s = r.right
    const ok = s.state === 'Valid' || s.state === 'Refreshable'
    const relogin = s.state === 'Refused' ? undefined : loginCommand(profile)
    if (asJson) {
      io.stdout(
        json({
          profile,
          state: s.state,
          ...(s.session._tag === 'SSOSession' ? { ssoSession: s.session.name } : { startUrl: s.session.startUrl }),
          file: s.file,
          ...(s.expiresAt === undefined ? {} : { expiresAt: iso(s.expiresAt) }),
          ...(s.refreshable === undefined ? {} : { refreshable: s.refreshable }),
          ...(s.registrationExpiresAt === undefined ? {} : { registrationExpiresAt: iso(s.registrationExpiresAt) }),
          ...(s.message === undefined ? {} : { message: s.message }),
          ...(ok || relogin === undefined ? {} : { login: relogin })
        })
      )
      return ok ? 0 : 1
    }
    const who = `Profile ${profile} (${sessionName(s.session)})`
    const until = s.registrationExpiresAt === undefined ? '' : ` until ${iso(s.registrationExpiresAt)}`
    const expires = s.expiresAt === undefined ? '' : iso(s.expiresAt)
    switch (s.state) {
      case 'Valid':
        io.stdout(line(`${who}: valid until ${expires}${s.refreshable === true ? `; it can be refreshed${until}` : ''}.`))
        break
      case 'Refreshable':
        io.stdout(line(`${who}: the access token expired at ${expires}; the session can be refreshed${until}.`))
        break
      case 'Expired':
        io.stdout(line(`${who}: expired at ${expires} and cannot be refreshed. Log in again: ${relogin ?? ''}`))
        break
      case 'Missing':
        io.stdout(line(`${who}: no cached SSO session (${s.file}). Log in: ${relogin ?? ''}`))
        break
      case 'Invalid':
        io.stdout(line(`${who}: the cached SSO token is unusable: ${s.message ?? ''}. Log in again: ${relogin ?? ''}`))
        break
      case 'Refused':
        io.stdout(line(`${who}: ${s.message ?? ''}; fix its ownership or permissions (e.g. chmod go-w ~/.aws)`))
        break
    }
    return ok ? 0 : 1
  }
}
