/**
 * `fp-aws sso login` in-process, against a scripted SSO OIDC server on 127.0.0.1 and a
 * real temporary home; the browser is a function that plays the identity provider.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { browserCommands } from '../../src/cli/Browser.js'
import { sha1Hex } from '../../src/auth/sso/index.js'
import { makeHome, type Home } from '../auth/sso/helpers.js'
import { runCli as cli } from '../util/cli.js'
import { scriptedServer, type Scripted, type Step } from '../util/scripted.js'

const CONFIG = [
  '[profile dev]',
  'sso_session = corp',
  '[sso-session corp]',
  'sso_start_url = https://corp.awsapps.com/start',
  'sso_region = eu-west-1',
  '[profile old]',
  'sso_start_url = https://old.awsapps.com/start',
  'sso_region = us-east-1',
  ''
].join('\n')

const json = (status: number, body: unknown): Step => ({ status, body: JSON.stringify(body) })

let home: Home
let server: Scripted
afterEach(async () => {
  await server.close()
  home.cleanup()
})

const setup = async (token: ReadonlyArray<Step>): Promise<Record<string, string>> => {
  home = makeHome()
  home.config(CONFIG)
  const seen: Record<string, number> = {}
  const script: Record<string, ReadonlyArray<Step>> = {
    '/client/register': [json(200, { clientId: 'cid', clientSecret: 'cli-client-secret', clientSecretExpiresAt: 4102444800 })],
    '/device_authorization': [
      json(200, {
        deviceCode: 'cli-device-code',
        userCode: 'WXYZ-1234',
        verificationUri: 'https://device.example/',
        verificationUriComplete: 'https://device.example/?user_code=WXYZ-1234',
        expiresIn: 600,
        interval: 1
      })
    ],
    '/token': token
  }
  server = await scriptedServer((req) => {
    const p = req.url.split('?')[0] as string
    const steps = script[p] ?? [json(404, {})]
    const i = seen[p] ?? 0
    seen[p] = i + 1
    return steps[Math.min(i, steps.length - 1)] as Step
  })
  return { HOME: home.home, AWS_ENDPOINT_URL_SSO_OIDC: server.url }
}

const ok = json(200, { accessToken: 'cli-access-token', expiresIn: 3600, refreshToken: 'cli-refresh-token' })

/** The identity provider's redirect to the loopback listener. */
const idp = (answer: (state: string) => string) => async (url: string): Promise<boolean> => {
  const q = new URL(url).searchParams
  await fetch(`${q.get('redirect_uri') as string}?${answer(q.get('state') as string)}`)
  return true
}

describe('fp-aws sso login', () => {
  it('logs in with PKCE, says so, writes the token; exit 0', async () => {
    const env = await setup([ok])
    const r = await cli(['sso', 'login', '--profile', 'dev'], env, { openBrowser: idp((s) => `code=c&state=${s}`) })
    expect(r).toMatchObject({ code: 0, err: '' })
    expect(r.out).toContain('Attempting to open your default browser.')
    expect(r.out).toContain(`${server.url}/authorize?response_type=code&client_id=cid&`)
    expect(r.out).toContain('Successfully logged into Start URL: https://corp.awsapps.com/start\n')
    expect(fs.statSync(path.join(home.tokens, `${sha1Hex('corp')}.json`)).mode & 0o777).toBe(0o600)
    expect(r.out).not.toContain('cli-access-token')
  })

  it('--json prints a report without secrets, the prompt on stderr', async () => {
    const env = await setup([ok])
    const r = await cli(['sso', 'login', '--sso-session', 'corp', '--json'], env, { openBrowser: idp((s) => `code=c&state=${s}`) })
    expect(r.code).toBe(0)
    const report = JSON.parse(r.out) as Record<string, unknown>
    expect(report).toMatchObject({
      flow: 'AuthorizationCode',
      ssoSession: 'corp',
      startUrl: 'https://corp.awsapps.com/start',
      region: 'eu-west-1',
      tokenFile: path.join(home.tokens, `${sha1Hex('corp')}.json`),
      registrationReused: false
    })
    expect(r.err).toContain('/authorize?')
    for (const secret of ['cli-access-token', 'cli-refresh-token', 'cli-client-secret']) expect(r.out + r.err).not.toContain(secret)
  })

  it('--no-browser prints the URL and the user code of the device flow, and opens nothing', async () => {
    const env = await setup([json(400, { error: 'authorization_pending' }), ok])
    const opened: Array<string> = []
    const r = await cli(['sso', 'login', '--profile', 'old', '--no-browser'], env, {
      openBrowser: async (u) => (opened.push(u), true)
    })
    expect(r.code).toBe(0)
    expect(opened).toEqual([])
    expect(r.out).toContain('Browser will not be automatically opened.\nPlease visit the following URL:\n\nhttps://device.example/\n')
    expect(r.out).toContain('Then enter the code:\n\nWXYZ-1234\n')
    expect(r.out).toContain('https://device.example/?user_code=WXYZ-1234')
    expect(fs.existsSync(path.join(home.tokens, `${sha1Hex('https://old.awsapps.com/start')}.json`))).toBe(true)
  })

  it('exit 1 when denied, 2 on usage errors and unknown profiles', async () => {
    const env = await setup([ok])
    const denied = await cli(['sso', 'login', '--profile', 'dev'], env, { openBrowser: idp(() => 'error=access_denied') })
    expect(denied).toMatchObject({ code: 1, out: expect.stringContaining('/authorize?') as unknown })
    expect(denied.err).toBe('fp-aws: login failed (Denied): the login was denied\n')
    const both = await cli(['sso', 'login', '--profile', 'dev', '--sso-session', 'corp'], env)
    expect(both.code).toBe(2)
    expect(both.err).toBe("fp-aws: --profile and --sso-session cannot be given together. Run 'fp-aws sso login --help' for usage.\n")
    const port = await cli(['sso', 'login', '--redirect-port', 'eighty'], env)
    expect(port.code).toBe(2)
    expect(port.err).toContain('--redirect-port must be a port number')
    const nope = await cli(['sso', 'login', '--profile', 'nope', '--json'], env)
    expect(nope.code).toBe(2)
    expect(JSON.parse(nope.out)).toMatchObject({ error: { type: 'SSOConfigError' } })
  })
})

describe('browserCommands', () => {
  it('tries BROWSER in order (%s replaced, else the URL appended), then the platform opener; the URL is one argument', () => {
    const url = 'https://x/authorize?a=1&b=$(rm -rf ~)'
    expect(browserCommands(url, { BROWSER: 'firefox --new-tab %s:w3m' }, 'linux')).toEqual([
      ['firefox', '--new-tab', url],
      ['w3m', url],
      ['xdg-open', url]
    ])
    expect(browserCommands(url, {}, 'darwin')).toEqual([['open', url]])
    expect(browserCommands(url, { BROWSER: '' }, 'win32')).toEqual([['rundll32', 'url.dll,FileProtocolHandler', url]])
  })
})
