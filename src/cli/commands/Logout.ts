/**
 * `fp-aws sso logout` (see `fp-aws/cli/main`).
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import {
  DEFAULT_LOGOUT_CONCURRENCY,
  isLogoutSuccessful,
  logoutAll,
  logoutSession,
  MAX_LOGOUT_CONCURRENCY,
  showLogoutProblems,
  showLogoutResults,
  type LogoutReport,
  type LogoutTarget
} from '../../auth/sso/ClientLogout.js'
import { fromEnvironment, type Env } from '../../core/Env.js'
import { configFailure, fail, nonEmpty, plural, PROGRAM, usageError, json, type Command, type Flags } from '../Command.js'


/** The target of `sso logout` from its options, or a usage error. */
const logoutTarget = (flags: Flags): E.Either<string, LogoutTarget | undefined> => {
  const given = (['profile', 'sso-session', 'start-url'] as const).filter((n) => flags[n] !== undefined)
  if (given.length > 1) {
    const names = given.map((n) => `--${n}`)
    return E.left(`${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''} cannot be given together`)
  }
  const name = given[0]
  if (name === undefined) return E.right(undefined)
  const value = String(flags[name])
  if (value === '') return E.left(`--${name} must not be empty`)
  return E.right(
    name === 'profile'
      ? { _tag: 'Profile', profile: value }
      : name === 'sso-session'
        ? { _tag: 'SSOSession', name: value }
        : { _tag: 'StartUrl', startUrl: value }
  )
}

/**
 * `fp-aws sso logout`: logs out like `aws sso logout`.
 *
 * @category commands
 * @since 0.2.0
 */
export const ssoLogout: Command = {
  words: ['sso', 'logout'],
  summary: 'log out of AWS SSO: invalidate the cached tokens, then remove them',
  description:
    'Logs out like `aws sso logout`: every cached SSO token (~/.aws/sso/cache) is invalidated\n' +
    'with the SSO Logout call in its region, then removed, and so are the SSO credentials cached\n' +
    'by the AWS CLI (~/.aws/cli/cache). Client registrations, other providers\' credentials and\n' +
    'files that are not JSON are left alone. A token file is removed only when the session is over\n' +
    'or the SSO portal itself rejected the token (a 4xx with an AWS error type); after a network\n' +
    'error, a 5xx, throttling, or a 4xx from something else (a proxy\'s 407, a firewall\'s page) it\n' +
    'is kept, and the command exits 1. Symbolic links in the caches are never followed.\n' +
    'A cache is refused, nothing in it read or removed, and the command exits 1, when a directory\n' +
    'on its path could be changed by another user (owned by someone other than you or root, or\n' +
    'writable by group or others without the sticky bit; fix with e.g. `chmod go-w ~/.aws`).\n' +
    'With --profile, --sso-session or --start-url, only that session\'s token and the credentials\n' +
    'cached for its profiles are concerned. The endpoint follows AWS_ENDPOINT_URL_SSO,\n' +
    'AWS_ENDPOINT_URL and the config file. HTTPS_PROXY, HTTP_PROXY and NO_PROXY (either case)\n' +
    'and AWS_CA_BUNDLE (or the profile\'s ca_bundle) are honoured. Tokens are never printed.\n' +
    'Up to --concurrency files are handled at a time (so as many Logout calls in flight), and all\n' +
    'the calls share one retry quota. Once the endpoint of a region cannot be reached (connection\n' +
    'refused, a name that does not resolve, a timeout), the other tokens of that region are kept,\n' +
    'not sent, and reported (EndpointUnreachable); the other regions go on.\n\n' +
    'What was done goes to stdout; every problem to stderr. With --json, stdout holds only JSON:\n' +
    'the report, or {"error":{"type":…,"message":…}} when the command fails before there is one.\n\n' +
    'Exit status: 0 on success, 1 when a session could not be invalidated, a file removed or a\n' +
    'cache was refused (or the config file cannot be read or parsed), 2 on a usage error\n' +
    '(including a profile or sso-session that is not in the config file, from --profile or\n' +
    'AWS_PROFILE).',
  flags: [
    { name: 'profile', value: 'name', description: 'only the SSO session of this profile' },
    { name: 'sso-session', value: 'name', description: 'only this sso-session' },
    { name: 'start-url', value: 'url', description: 'only the session(s) of this start URL' },
    { name: 'dry-run', description: 'show what would be done; call nothing, remove nothing' },
    {
      name: 'concurrency',
      value: 'n',
      description: `how many files to handle at a time, 1..${MAX_LOGOUT_CONCURRENCY} (default ${DEFAULT_LOGOUT_CONCURRENCY})`
    },
    { name: 'json', description: 'print only the report (or the error), as JSON, on stdout' }
  ],
  run: async (flags, io) => {
    const asJson = flags['json'] === true
    const target = logoutTarget(flags)
    if (E.isLeft(target)) return fail(io, asJson, usageError(target.left, ssoLogout.words), 2)
    const rawConcurrency = flags['concurrency']
    const concurrency = rawConcurrency === undefined ? DEFAULT_LOGOUT_CONCURRENCY : /^\d{1,3}$/.test(String(rawConcurrency)) ? Number(rawConcurrency) : NaN
    if (!(concurrency >= 1 && concurrency <= MAX_LOGOUT_CONCURRENCY)) {
      return fail(io, asJson, usageError(`--concurrency must be an integer in 1..${MAX_LOGOUT_CONCURRENCY}`, ssoLogout.words), 2)
    }
    const homedir = nonEmpty(io.homedir) ?? nonEmpty(io.env['HOME']) ?? nonEmpty(io.env['USERPROFILE'])
    if (homedir === undefined) {
      return fail(io, asJson, { type: 'NoHomeDirectory', message: 'cannot find the home directory (HOME is not set)' }, 1)
    }
    const profile = target.right?._tag === 'Profile' ? target.right.profile : undefined
    const base = await fromEnvironment({
      env: profile === undefined ? io.env : { ...io.env, AWS_PROFILE: profile },
      homedir,
      ...(io.signal === undefined ? {} : { overrides: { signal: io.signal } })
    })()
    if (E.isLeft(base)) {
      // a profile that is not there: the same error whether it was named by --profile or AWS_PROFILE
      if (base.left.source === 'AWS_PROFILE') {
        const origin = profile === undefined ? 'AWS_PROFILE' : '--profile'
        return fail(io, asJson, { type: base.left._tag, message: `${origin}: ${base.left.message}`, source: origin }, 2)
      }
      return fail(io, asJson, configFailure(base.left), 1)
    }
    const options = {
      homedir,
      envForRegion: (region: string): Env => ({ ...base.right, region }),
      dryRun: flags['dry-run'] === true,
      concurrency,
      // the clock that tells a crashed write's temporary file from one in flight
      now: base.right.now
    }
    let report: LogoutReport
    if (target.right === undefined) {
      report = await logoutAll(options)()
    } else {
      const r = await logoutSession({ ...options, env: io.env, target: target.right })()
      if (E.isLeft(r)) return fail(io, asJson, configFailure(r.left), r.left._tag === 'SSOConfigError' ? 2 : 1)
      report = r.right
    }
    const ok = isLogoutSuccessful(report)
    if (asJson) {
      io.stdout(json(report))
    } else {
      const results = showLogoutResults(report)
      const problems = showLogoutProblems(report)
      if (results !== '') io.stdout(results)
      if (problems !== '') io.stderr(problems)
      if (!ok) io.stderr(`${PROGRAM}: logout incomplete: ${plural(report.errors.length, 'problem')} (see above)\n`)
    }
    return ok ? 0 : 1
  }
}
