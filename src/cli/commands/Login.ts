/**
 * `fp-aws sso login` (see `fp-aws/cli/main`).
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { login, type LoginPrompt, type LoginTarget } from '../../auth/sso/Login.js'
import { escapeControl } from '../../core/Text.js'
import { openBrowser as systemOpenBrowser } from '../Browser.js'
import { configFailure, fail, json, line, nonEmpty, usageError, type Command } from '../Command.js'


/** What the user is asked to do, as the AWS CLI's `OpenBrowserHandler` / `PrintOnlyHandler` says it. */
const promptLines = (p: LoginPrompt, browser: boolean): string => {
  const url = p._tag === 'DeviceCode' ? p.verificationUri : p.authorizeUrl
  const head = !browser
    ? 'Browser will not be automatically opened.\nPlease visit the following URL:\n'
    : p._tag === 'DeviceCode'
      ? 'Attempting to open your default browser.\nIf the browser does not open or you wish to use a different device to\n' +
        'authorize this request, open the following URL:\n'
      : 'Attempting to open your default browser. If the browser does not open, open the following URL.\n' +
        "If you are unable to open the URL on this device, run this command again with the '--use-device-code' option.\n"
  const code =
    p._tag === 'DeviceCode'
      ? `\nThen enter the code:\n\n${escapeControl(p.userCode)}\n` +
        (browser ? '' : `\nAlternatively, you may visit the following URL which will autofill the code upon loading:\n${escapeControl(p.verificationUriComplete)}\n`)
      : ''
  return `${head}\n${escapeControl(url)}\n${code}`
}

/**
 * `fp-aws sso login`: logs in like `aws sso login`.
 *
 * @category commands
 * @since 0.2.0
 */
export const ssoLogin: Command = {
  words: ['sso', 'login'],
  summary: 'log in to AWS SSO (IAM Identity Center) and cache the token as `aws sso login` does',
  description:
    'Logs in like `aws sso login` (AWS CLI v2): for a profile with an sso-session, the authorization\n' +
    'code grant with PKCE: a listener on 127.0.0.1 (a random port unless --redirect-port) receives\n' +
    'the browser\'s redirect, its state checked, within 10 minutes. For a legacy profile (sso_start_url\n' +
    'on the profile), or with --use-device-code, the device code grant: open the URL, enter the code.\n' +
    'The client registration and the token are cached in ~/.aws/sso/cache, as the AWS CLI caches them\n' +
    '(mode 0600, written atomically): the AWS CLI and fp-aws use each other\'s logins. The profile is\n' +
    '--profile, else AWS_PROFILE, else default. The browser is the first of BROWSER\'s commands that\n' +
    'starts, else the system\'s; --no-browser prints the URL (and the code) instead. The endpoint\n' +
    'follows AWS_ENDPOINT_URL_SSO_OIDC, AWS_ENDPOINT_URL and the config file. Tokens are never printed.\n\n' +
    'Exit status: 0 when logged in, 1 when the login failed, was denied or timed out, 2 on a usage\n' +
    'error (including a profile or sso-session that is not in the config file).',
  flags: [
    { name: 'profile', value: 'name', description: 'the profile whose SSO session to log in to' },
    { name: 'sso-session', value: 'name', description: 'the sso-session to log in to' },
    { name: 'use-device-code', description: 'use the device code grant, even for an sso-session' },
    { name: 'no-browser', description: 'print the URL (and the code) instead of opening a browser' },
    { name: 'redirect-port', value: 'n', description: 'the port of the loopback listener (default: a random one)' },
    { name: 'json', description: 'print only the report (or the error), as JSON, on stdout' }
  ],
  run: async (flags, io) => {
    const asJson = flags['json'] === true
    const usage = (m: string): number => fail(io, asJson, usageError(m, ssoLogin.words), 2)
    if (flags['profile'] !== undefined && flags['sso-session'] !== undefined) {
      return usage('--profile and --sso-session cannot be given together')
    }
    for (const n of ['profile', 'sso-session'] as const) if (flags[n] === '') return usage(`--${n} must not be empty`)
    let redirectPort: number | undefined
    const port = flags['redirect-port']
    if (port !== undefined) {
      if (typeof port !== 'string' || !/^\d{1,5}$/.test(port) || Number(port) > 65535) {
        return usage('--redirect-port must be a port number (0 to 65535)')
      }
      redirectPort = Number(port)
    }
    const homedir = nonEmpty(io.homedir) ?? nonEmpty(io.env['HOME']) ?? nonEmpty(io.env['USERPROFILE'])
    if (homedir === undefined) {
      return fail(io, asJson, { type: 'NoHomeDirectory', message: 'cannot find the home directory (HOME is not set)' }, 1)
    }
    const session = flags['sso-session']
    const target: LoginTarget =
      typeof session === 'string'
        ? { ssoSession: session }
        : { profile: typeof flags['profile'] === 'string' ? flags['profile'] : (nonEmpty(io.env['AWS_PROFILE']) ?? 'default') }
    const browser = flags['no-browser'] !== true
    // with --json, stdout holds only JSON: the prompt goes to stderr
    const say = asJson ? io.stderr : io.stdout
    const r = await login(target, {
      homedir,
      env: io.env,
      prompt: (p) => say(promptLines(p, browser)),
      ...(browser ? { openBrowser: io.openBrowser ?? systemOpenBrowser(io.env) } : {}),
      ...(flags['use-device-code'] === true ? { useDeviceCode: true } : {}),
      ...(redirectPort === undefined ? {} : { redirectPort }),
      ...(io.signal === undefined ? {} : { signal: io.signal })
    })()
    if (E.isLeft(r)) {
      const e = r.left
      // an abort is asked for by the embedder (or the output is gone): stop without a word
      if (e._tag === 'LoginFailure' && e.reason === 'Aborted') return 1
      if (e._tag === 'LoginFailure') {
        return fail(io, asJson, { type: e._tag, message: `login failed (${e.reason}): ${e.message}` }, 1)
      }
      return fail(io, asJson, configFailure(e), e._tag === 'SSOConfigError' ? 2 : 1)
    }
    const ok = r.right
    if (asJson) {
      io.stdout(
        json({
          flow: ok.flow,
          ...(ok.profile === undefined ? {} : { profile: ok.profile }),
          ...(ok.ssoSession === undefined ? {} : { ssoSession: ok.ssoSession }),
          startUrl: ok.startUrl,
          region: ok.region,
          expiresAt: ok.expiresAt.toISOString(),
          tokenFile: ok.tokenFile,
          registrationReused: ok.registrationReused
        })
      )
    } else {
      io.stdout(line(`Successfully logged into Start URL: ${ok.startUrl}`))
    }
    return 0
  }
}
