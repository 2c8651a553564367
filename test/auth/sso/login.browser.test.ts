/**
 * `login`'s authorization code grant with PKCE in a real browser: Debian's headless
 * chromium, driven by playwright-core, opens the authorization URL, the test clicks Allow
 * (or Deny) on the emulator's approval page, and the browser follows the redirect to the
 * loopback listener. One browser for the file, closed whatever happens.
 *
 * Under CI (CI=true) a missing chromium fails the file; elsewhere the tests are skipped.
 */
import * as fs from 'node:fs'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fromSSO, login, type LoginError, type LoginResult } from '../../../src/auth/sso/index.js'
import type { Emulator } from '../../../src/emulator/index.js'
import { useEmulators } from '../../util/emulator.js'
import { useHomes } from './helpers.js'
import type * as E from 'fp-ts/lib/Either.js'

const CHROMIUM = '/usr/bin/chromium'
const available = fs.existsSync(CHROMIUM)
const inCI = process.env['CI'] === 'true' || process.env['CI'] === '1'

const START_URL = 'https://corp.awsapps.com/start'
const CONFIG = [
  '[profile dev]',
  'sso_session = corp',
  'sso_account_id = 123456789012',
  'sso_role_name = ReadOnly',
  '[sso-session corp]',
  `sso_start_url = ${START_URL}`,
  'sso_region = eu-west-1',
  ''
].join('\n')

const emulator = useEmulators()
const newHome = useHomes()

/** What the browser showed on the way. */
interface Seen {
  readonly approval: string
  readonly clientName: string
  readonly callbackUrl: string
  readonly callbackText: string
}

const missing = `chromium is not at ${CHROMIUM}: install Debian's chromium (.ci/run does) to run the browser tests`

if (!available) {
  // under CI the browser test must run: a missing chromium is a failure, not a skip
  if (inCI) it('chromium is installed (CI=true)', () => expect.fail(missing))
  else it.skip(`${missing} (skipped outside CI; under CI=true this fails)`, () => undefined)
} else {
  describe('login in a real browser (headless chromium through the emulator)', () => {
    let browser: Browser | undefined

    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
    }, 60_000)

    afterAll(async () => {
      await browser?.close()
    })

    /**
     * Logs in with `openBrowser` handing the URL to the test, which drives a fresh page:
     * load it, click `button`, wait for the listener's page. A failing step aborts the login.
     */
    const loginThrough = async (
      emu: Emulator,
      button: 'Allow' | 'Deny'
    ): Promise<{ r: E.Either<LoginError, LoginResult>; seen: Seen; homedir: string }> => {
      const home = newHome()
      home.config(CONFIG)
      const abort = new AbortController()
      let opened: (url: string) => void = () => undefined
      const url = new Promise<string>((resolve) => (opened = resolve))
      const result = login(
        { profile: 'dev' },
        {
          homedir: home.home,
          env: { AWS_ENDPOINT_URL_SSO_OIDC: emu.url },
          prompt: () => undefined,
          openBrowser: async (u) => (opened(u), true),
          signal: abort.signal
        }
      )()
      const context: BrowserContext = await (browser as Browser).newContext()
      try {
        // a login that ends before opening anything gives its result, not a hung test
        const early = await Promise.race([url.then(() => undefined), result])
        if (early !== undefined) throw new Error(`login ended before opening the browser: ${JSON.stringify(early)}`)
        const page: Page = await context.newPage()
        // a step that cannot happen fails well before the test's own timeout
        page.setDefaultTimeout(5_000)
        await page.goto(await url)
        const approval = (await page.locator('h1').textContent()) ?? ''
        const clientName = (await page.locator('#client-name').textContent()) ?? ''
        await Promise.all([
          page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback\?/),
          page.getByRole('button', { name: button }).click()
        ])
        const seen = {
          approval,
          clientName,
          callbackUrl: page.url(),
          callbackText: await page.locator('body').innerText()
        }
        return { r: await result, seen, homedir: home.home }
      } catch (e) {
        abort.abort()
        await result
        // where the browser got stuck, to tell why
        const where = await Promise.all(context.pages().map(async (p) => `${p.url()}: ${await p.title()}`))
        throw new Error(`${e instanceof Error ? e.message : String(e)}\nthe browser is at ${where.join(', ')}`)
      } finally {
        await context.close()
      }
    }

    it("Allow: the browser lands on the listener's page, login is Right, and the token works on the portal", async () => {
      const emu = await emulator({})
      const { r, seen, homedir } = await loginThrough(emu, 'Allow')
      expect(seen.clientName).toBe('botocore-client-corp')
      expect(seen.callbackUrl).toMatch(/[?&]code=oac/)
      expect(seen.callbackText).toContain('Request approved')
      expect(seen.callbackText).toContain('You may close this tab and return to the terminal.')
      expect(r._tag === 'Right' && r.right).toMatchObject({
        flow: 'AuthorizationCode',
        ssoSession: 'corp',
        startUrl: START_URL
      })
      const creds = await fromSSO({ profile: 'dev', homedir, env: { AWS_ENDPOINT_URL_SSO: emu.url } })()
      expect(creds._tag === 'Right' && creds.right.accessKeyId).toMatch(/^ASIA/)
      expect(emu.requests().map((q) => `${q.method} ${q.path}`)).toEqual([
        'POST /client/register',
        'GET /authorize',
        'POST /approval',
        'POST /token',
        'GET /federation/credentials'
      ])
    })

    it("Deny: the listener's page says so, and login is Denied", async () => {
      const emu = await emulator({})
      const { r, seen } = await loginThrough(emu, 'Deny')
      expect(seen.callbackUrl).toMatch(/[?&]error=access_denied/)
      expect(seen.callbackText).toContain('Request not approved')
      expect(seen.callbackText).toContain('You may close this tab and return to the terminal.')
      expect(r._tag === 'Left' && r.left._tag === 'LoginFailure' && r.left.reason).toBe('Denied')
      expect(emu.requests().map((q) => `${q.method} ${q.path}`)).not.toContain('POST /token')
    })

    it('the device code grant: Allow on the verification page, which shows the user code; login is Right', async () => {
      // a short device code: a browser step that fails ends the login (Expired) within the test's time
      const emu = await emulator({ pollIntervalSeconds: 1, deviceCodeTtlSeconds: 8 })
      const home = newHome()
      home.config(CONFIG)
      const context = await (browser as Browser).newContext()
      const shown: Array<string> = []
      const drive = async (u: string): Promise<boolean> => {
        const page = await context.newPage()
        page.setDefaultTimeout(5_000)
        await page.goto(u)
        shown.push((await page.locator('.code').innerText()).trim())
        await page.getByRole('button', { name: 'Allow' }).click()
        shown.push(await page.locator('h1').innerText())
        return true
      }
      try {
        let userCode = ''
        const r = await login(
          { profile: 'dev' },
          {
            homedir: home.home,
            env: { AWS_ENDPOINT_URL_SSO_OIDC: emu.url },
            useDeviceCode: true,
            prompt: (p) => void (p._tag === 'DeviceCode' && (userCode = p.userCode)),
            // the login polls on while the user approves in the browser
            openBrowser: (u) => drive(u).catch((e: unknown) => (shown.push(`failed: ${String(e)}`), false))
          }
        )()
        expect(shown).toEqual([userCode, 'Request approved'])
        expect(r._tag === 'Right' && r.right).toMatchObject({ flow: 'DeviceCode', ssoSession: 'corp' })
      } finally {
        await context.close()
      }
    })
  })
}
