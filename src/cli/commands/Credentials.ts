/**
 * `fp-aws sso credentials` (see `fp-aws/cli/main`): the one output of fp-aws that holds secrets.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { formatCliTimestamp } from '../../auth/sso/Codec.js'
import {
  credentialCacheFile,
  credentialCacheKey,
  readCachedCredentials,
  writeCachedCredentials
} from '../../auth/sso/Credentials.js'
import type { AwsCredentials } from '../../auth/sso/fromSSO.js'
import { resolveSecure } from '../../auth/sso/Secure.js'
import { loadConfigFile, ssoProfile } from '../../auth/sso/Session.js'
import { reveal } from '../../core/Sensitive.js'
import { fail, homeOf, json, line, loginCommand, NO_HOME, profileFailure, PROGRAM, usageError, type Command } from '../Command.js'

const iso = (d: Date): string => formatCliTimestamp(d)

/**
 * Cached role credentials are used while they have more than this left, as botocore's
 * `CachedCredentialFetcher` does (`DEFAULT_EXPIRY_WINDOW_SECONDS`, 15 minutes).
 */
const CREDENTIALS_EXPIRY_WINDOW_MS = 15 * 60_000

/** The `credential_process` output: the only place where secrets are printed. */
const credentialProcessJson = (c: AwsCredentials): string =>
  json({
    Version: 1,
    AccessKeyId: c.accessKeyId,
    SecretAccessKey: reveal(c.secretAccessKey),
    SessionToken: reveal(c.sessionToken),
    Expiration: iso(c.expiration)
  })

/** The role credentials cached for a profile by the AWS CLI (or fp-aws), if still good for more than the window. */
const cachedRoleCredentials = async (file: string, now: number): Promise<AwsCredentials | undefined> => {
  const resolved = await resolveSecure(file, 'file')()
  if (E.isLeft(resolved) || resolved.right._tag === 'Missing') return undefined
  const cached = await readCachedCredentials(resolved.right.path)()
  if (E.isLeft(cached)) return undefined
  const c = cached.right.Credentials
  if (!(c.Expiration.getTime() - now > CREDENTIALS_EXPIRY_WINDOW_MS)) return undefined
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration }
}

/**
 * `fp-aws sso credentials`: prints role credentials as `credential_process` JSON.
 *
 * @category commands
 * @since 0.2.0
 */
export const ssoCredentials: Command = {
  words: ['sso', 'credentials'],
  summary: 'print role credentials for an SSO profile, as credential_process JSON',
  description:
    'Prints role credentials for an SSO profile on stdout, as the AWS credential_process contract\n' +
    'asks: {"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"} (ISO 8601).\n' +
    'So any AWS tool can use an fp-aws (or AWS CLI) SSO session through a profile with\n' +
    '  credential_process = fp-aws sso credentials --profile P\n' +
    'This is the one output of fp-aws that holds secrets; errors and warnings never do.\n' +
    'The credentials are cached where the AWS CLI v2 caches them (~/.aws/cli/cache, ProviderType\n' +
    '"sso", the AWS CLI\'s cache key, mode 0600): while they have more than 15 minutes left, a call\n' +
    'reads them and calls nothing; `fp-aws sso logout` and `aws sso logout` remove them. Otherwise\n' +
    'they come from GetRoleCredentials with the cached SSO token of the profile\'s session. The\n' +
    'endpoint follows AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL and the config file.\n\n' +
    'Exit status: 0 with the credentials on stdout, 1 when they cannot be had (e.g. no valid SSO\n' +
    'session: the error, one line on stderr, says which login to run), 2 on a usage error (including\n' +
    'a profile that is not in the config file or is not an SSO profile).',
  flags: [{ name: 'profile', value: 'name', required: true, description: 'the SSO profile whose role credentials to print' }],
  run: async (flags, io) => {
    const usage = (m: string): number => fail(io, false, usageError(m, ssoCredentials.words), 2)
    const profile = String(flags['profile'])
    if (profile === '') return usage('--profile must not be empty')
    const homedir = homeOf(io)
    if (homedir === undefined) return fail(io, false, NO_HOME, 1)
    const config = await loadConfigFile({ env: io.env, homedir })()
    if (E.isLeft(config)) return fail(io, false, ...profileFailure(config.left))
    const p = ssoProfile(config.right.file, profile, config.right.path)
    if (E.isLeft(p)) return fail(io, false, ...profileFailure(p.left))
    const { session, accountId, roleName } = p.right
    const key =
      accountId === undefined || roleName === undefined
        ? undefined
        : credentialCacheKey({
            accountId,
            roleName,
            ...(session._tag === 'SSOSession' ? { sessionName: session.name } : { startUrl: session.startUrl })
          })
    const file = key === undefined ? undefined : credentialCacheFile(homedir, key)
    if (file !== undefined) {
      const cached = await cachedRoleCredentials(file, Date.now())
      if (cached !== undefined) {
        io.stdout(credentialProcessJson(cached))
        return 0
      }
    }
    // loaded here: a warm cache needs no call, and none of what makes one
    const { fromSSO } = await import('../../auth/sso/fromSSO.js')
    const r = await fromSSO({ profile, homedir, env: io.env })()
    if (E.isLeft(r)) {
      const e = r.left
      if (e._tag === 'SSOConfigError' || e._tag === 'ConfigError') return fail(io, false, ...profileFailure(e))
      // the message names the login to run (fp-aws's, and the AWS CLI's)
      if (e._tag === 'SSOTokenError') return fail(io, false, { type: e._tag, message: e.message }, 1)
      // the portal refused the token (logged out elsewhere, revoked): a login is what helps
      const relogin = e._tag === 'ServiceError' && e.status === 401 ? `: run \`${loginCommand(profile)}\`` : ''
      return fail(io, false, { type: e._tag, message: `cannot get role credentials for profile '${profile}': ${e.message}${relogin}` }, 1)
    }
    const creds = r.right
    if (file !== undefined) {
      const w = await writeCachedCredentials(file, {
        ProviderType: 'sso',
        Credentials: {
          AccessKeyId: creds.accessKeyId,
          SecretAccessKey: creds.secretAccessKey,
          SessionToken: creds.sessionToken,
          // whole seconds, as botocore writes it (and as it is printed)
          Expiration: new Date(Math.floor(creds.expiration.getTime() / 1000) * 1000)
        }
      })()
      if (E.isLeft(w)) io.stderr(line(`${PROGRAM}: warning: the credentials were not cached: ${w.left.message}`))
    }
    io.stdout(credentialProcessJson(creds))
    return 0
  }
}
