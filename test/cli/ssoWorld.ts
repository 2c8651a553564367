/**
 * A real temporary home, the emulator with auto-approval, and sessions made by `login`
 * against it (the authorization code grant for an sso-session: the emulator redirects the
 * browser at once; the device code grant for a legacy profile). `ago` moves the login's
 * clock (and the emulator's) back, so that a short-lived session is already expired now.
 */
import * as fs from 'node:fs'
import { login, type LoginResult, type LoginTarget } from '../../src/auth/sso/index.js'
import type { Emulator, EmulatorOptions } from '../../src/emulator/index.js'
import { useHomes, type Home } from '../auth/sso/helpers.js'
import { runCli, type CliRun } from '../util/cli.js'
import { useEmulators } from '../util/emulator.js'

export const START_URL = 'https://corp.awsapps.com/start'
export const OLD_URL = 'https://old.awsapps.com/start'
export const ACCOUNT = '123456789012'
export const ROLE = 'ReadOnly'

export const CONFIG = [
  '[profile dev]',
  'sso_session = corp',
  `sso_account_id = ${ACCOUNT}`,
  `sso_role_name = ${ROLE}`,
  '[profile dev2]',
  'sso_session = corp',
  `sso_account_id = ${ACCOUNT}`,
  'sso_role_name = Admin',
  '[sso-session corp]',
  `sso_start_url = ${START_URL}`,
  'sso_region = eu-west-1',
  'sso_registration_scopes = sso:account:access',
  '[profile old]',
  `sso_start_url = ${OLD_URL}`,
  'sso_region = us-east-1',
  `sso_account_id = ${ACCOUNT}`,
  `sso_role_name = ${ROLE}`,
  '[profile plain]',
  'region = us-east-1',
  ''
].join('\n')

export interface World {
  readonly home: Home
  readonly emu: Emulator
  readonly env: Record<string, string>
  /** Logs in with `login`, its clock (and the emulator's) `agoMs` in the past. */
  readonly login: (target: LoginTarget, agoMs?: number) => Promise<LoginResult>
  readonly cli: (argv: ReadonlyArray<string>, env?: Record<string, string>) => Promise<CliRun>
  /** Every secret the caches hold (tokens, client secrets, role credentials' secrets). */
  readonly secrets: () => ReadonlyArray<string>
}

/** The browser of the authorization code grant: the emulator (auto-approving) redirects to the listener. */
const browser = async (url: string): Promise<boolean> => {
  await fetch(url, { redirect: 'follow' })
  return true
}

export const useWorld = (): ((options?: EmulatorOptions) => Promise<World>) => {
  const emulator = useEmulators()
  const newHome = useHomes()
  return async (options = {}) => {
    let ago = 0
    const clock = (): number => Date.now() - ago
    const emu = await emulator({ autoApprove: true, clock, ...options })
    const home = newHome()
    home.config(CONFIG)
    const env = { AWS_ENDPOINT_URL_SSO_OIDC: emu.url, AWS_ENDPOINT_URL_SSO: emu.url }
    const secrets = (): ReadonlyArray<string> => {
      const out: Array<string> = []
      for (const dir of [home.tokens, home.creds]) {
        for (const name of home.ls(dir)) {
          try {
            const j = JSON.parse(fs.readFileSync(`${dir}/${name}`, 'utf8')) as Record<string, unknown>
            const c = (j['Credentials'] ?? {}) as Record<string, unknown>
            for (const v of [j['accessToken'], j['refreshToken'], j['clientSecret'], c['SecretAccessKey'], c['SessionToken']]) {
              if (typeof v === 'string' && v.length >= 8) out.push(v)
            }
          } catch {
            // not JSON: no secret of ours
          }
        }
      }
      return out
    }
    return {
      home,
      emu,
      env,
      secrets,
      login: async (target, agoMs = 0) => {
        ago = agoMs
        try {
          const r = await login(target, {
            homedir: home.home,
            env,
            prompt: () => undefined,
            openBrowser: browser,
            now: clock
          })()
          if (r._tag === 'Left') throw new Error(`login failed: ${JSON.stringify(r.left)}`)
          return r.right
        } finally {
          ago = 0
        }
      },
      cli: (argv, more = {}) => runCli(argv, { ...env, HOME: home.home, ...more })
    }
  }
}
