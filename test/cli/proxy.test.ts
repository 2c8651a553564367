/**
 * A corporate network, end to end: `fp-aws sso logout` with a region and no endpoint
 * override reaches `portal.sso.us-east-1.amazonaws.com` through a `CONNECT` proxy on
 * 127.0.0.1 that terminates TLS with a throwaway CA (made here), in front of the emulator.
 * HTTPS_PROXY and AWS_CA_BUNDLE come from the CLI's environment map, as in a shell.
 */
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { pipe } from 'fp-ts/lib/function.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_CA_BUNDLE_BYTES } from '../../src/core/Env.js'
import { fromEnvironment, loggingHook, newEnv, send } from '../../src/index.js'
import type { LogoutReport } from '../../src/auth/sso/index.js'
import type { Emulator } from '../../src/emulator/index.js'
import { Logout, newLogout } from '../../src/services/sso/index.js'
import { liveTokens, start, tokenJson, useHomes, type Home } from '../auth/sso/helpers.js'
import { runCli, type CliRun } from '../util/cli.js'
import { makeCa, startProxy, type TestCa, type TestProxy } from '../util/proxy.js'

const PORTAL = 'portal.sso.us-east-1.amazonaws.com'
const USER = 'ana'
const PASSWORD = 'pr0xy-s3cret-pw'
const basic = Buffer.from(`${USER}:${PASSWORD}`).toString('base64')

let emu: Emulator
let ca: TestCa
let proxy: TestProxy
let authProxy: TestProxy
let dir: string
let bundle: string
/** Live tokens the emulator accepts, each used once. */
const { seeds, live } = liveTokens(24, (i) => `proxy-live-token-${i}-0123456789`)

beforeAll(async () => {
  emu = await start({ tokens: seeds })
  ca = makeCa()
  const leaf = ca.leaf([PORTAL])
  proxy = await startProxy({ upstream: emu.url, leaf })
  authProxy = await startProxy({ upstream: emu.url, leaf, credentials: `${USER}:${PASSWORD}` })
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-ca-'))
  bundle = path.join(dir, 'corp-ca.pem')
  fs.writeFileSync(bundle, ca.cert)
})
afterAll(async () => {
  await Promise.all([proxy.close(), authProxy.close(), emu.close()])
  fs.rmSync(dir, { recursive: true, force: true })
})

const home = useHomes()

interface Run extends CliRun {
  readonly report: LogoutReport | undefined
}

const logout = async (h: Home, env: Record<string, string>): Promise<Run> => {
  // no endpoint override: the region's real host name
  const r = await runCli(['sso', 'logout', '--json'], { HOME: h.home, ...env })
  return { ...r, report: r.out === '' ? undefined : (JSON.parse(r.out) as LogoutReport) }
}

const cached = (h: Home): { readonly token: string; readonly file: string } => {
  const token = live()
  return { token, file: h.token('corp.json', tokenJson(token, { region: 'us-east-1' })) }
}

describe('fp-aws sso logout through a CONNECT proxy', () => {
  it('reaches portal.sso.us-east-1.amazonaws.com through the proxy, trusting AWS_CA_BUNDLE; the token is logged out', async () => {
    const h = home()
    const { token, file } = cached(h)
    const before = proxy.seen.length
    const r = await logout(h, { HTTPS_PROXY: proxy.url, AWS_CA_BUNDLE: bundle })
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(proxy.seen.slice(before)).toStrictEqual([{ method: 'CONNECT', target: `${PORTAL}:443`, proxyAuthorization: undefined }])
    expect(emu.isLoggedOut(token)).toBe(true)
    expect(fs.existsSync(file)).toBe(false)
  })

  it('the profile ca_bundle and a lower-case https_proxy work the same', async () => {
    const h = home()
    const { token } = cached(h)
    h.config(`[default]\nca_bundle = ${bundle}\n`)
    const r = await logout(h, { https_proxy: proxy.url })
    expect(r.code).toBe(0)
    expect(emu.isLoggedOut(token)).toBe(true)
  })

  it('proxy credentials reach the proxy as Proxy-Authorization and are never printed', async () => {
    const h = home()
    const { token } = cached(h)
    const before = authProxy.seen.length
    const withCreds = authProxy.url.replace('//', `//${USER}:${PASSWORD}@`)
    const r = await logout(h, { HTTPS_PROXY: withCreds, AWS_CA_BUNDLE: bundle })
    expect(r.code).toBe(0)
    expect(authProxy.seen.slice(before)).toStrictEqual([{ method: 'CONNECT', target: `${PORTAL}:443`, proxyAuthorization: `Basic ${basic}` }])
    expect(emu.isLoggedOut(token)).toBe(true)
    for (const secret of [PASSWORD, basic]) expect(r.out + r.err).not.toContain(secret)
  })

  it('a refused CONNECT (407) is a TransportError ProxyRefused: token kept, exit 1, no credentials printed', async () => {
    const h = home()
    const { token, file } = cached(h)
    const wrong = authProxy.url.replace('//', `//${USER}:wrong-${PASSWORD}@`)
    const r = await logout(h, { HTTPS_PROXY: wrong, AWS_CA_BUNDLE: bundle })
    expect(r.code).toBe(1)
    expect(emu.isLoggedOut(token)).toBe(false)
    expect(fs.existsSync(file)).toBe(true)
    expect(r.report?.errors.map((e) => e.error)).toStrictEqual(['TransportError/ProxyRefused'])
    expect(r.out + r.err).not.toContain(PASSWORD)
    expect(r.out + r.err).not.toContain(USER)
  })

  it('without the CA bundle the TLS connection is refused: a TransportError, token kept', async () => {
    const h = home()
    const { token, file } = cached(h)
    const before = proxy.seen.length
    const r = await logout(h, { HTTPS_PROXY: proxy.url })
    expect(r.code).toBe(1)
    expect(proxy.seen.slice(before).map((s) => s.target)).toStrictEqual([`${PORTAL}:443`])
    expect(r.report?.errors.map((e) => e.error.split('/')[0])).toStrictEqual(['TransportError'])
    expect(JSON.stringify(r.report?.errors)).toMatch(/SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/)
    expect(emu.isLoggedOut(token)).toBe(false)
    expect(fs.existsSync(file)).toBe(true)
  })

  it('NO_PROXY: a host it names is reached directly', async () => {
    const h = home()
    const { token } = cached(h)
    const before = proxy.seen.length
    const r = await logout(h, { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1', AWS_ENDPOINT_URL_SSO: emu.url })
    expect(r.code).toBe(0)
    expect(emu.isLoggedOut(token)).toBe(true)
    expect(proxy.seen.slice(before)).toStrictEqual([])
  })

  it('HTTP_PROXY: an http endpoint goes to the proxy with its absolute URL', async () => {
    const h = home()
    const { token } = cached(h)
    const before = proxy.seen.length
    const r = await logout(h, { HTTP_PROXY: proxy.url, AWS_ENDPOINT_URL_SSO: emu.url })
    expect(r.code).toBe(0)
    expect(emu.isLoggedOut(token)).toBe(true)
    expect(proxy.seen.slice(before)).toStrictEqual([{ method: 'POST', target: `${emu.url}/logout`, proxyAuthorization: undefined }])
  })

  it('a missing or empty CA bundle, or a bad proxy URL, is a config error that quotes no credentials', async () => {
    const h = home()
    const empty = path.join(dir, 'empty.pem')
    fs.writeFileSync(empty, 'not a certificate\n')
    const fifo = path.join(dir, 'fifo.pem')
    if (!fs.existsSync(fifo)) execFileSync('mkfifo', [fifo])
    const big = path.join(dir, 'big.pem')
    fs.writeFileSync(big, ca.cert.repeat(Math.ceil((MAX_CA_BUNDLE_BYTES + 1) / ca.cert.length)))
    const cases: ReadonlyArray<Record<string, string>> = [
      { AWS_CA_BUNDLE: path.join(dir, 'missing.pem') },
      { AWS_CA_BUNDLE: empty },
      { AWS_CA_BUNDLE: dir },
      // not regular files: read with bounds, never hangs or grows
      { AWS_CA_BUNDLE: fifo },
      { AWS_CA_BUNDLE: '/dev/urandom' },
      { AWS_CA_BUNDLE: big },
      { HTTPS_PROXY: `socks5://${USER}:${PASSWORD}@127.0.0.1:1080` }
    ]
    for (const env of cases) {
      const r = await logout(h, env)
      expect(r.code, JSON.stringify(env)).toBe(1)
      // with --json, a failure before a report is a JSON error object on stdout
      const error = (JSON.parse(r.out) as { readonly error: { readonly type: string; readonly message: string } }).error
      expect(error.type, JSON.stringify(env)).toBe('ConfigError')
      expect(error.message, JSON.stringify(env)).toMatch(/CA bundle|proxy URL/)
      expect(r.out + r.err).not.toContain(PASSWORD)
    }
  })
})

describe('the library through the proxy', () => {
  it('hooks, logging lines, errors and the Env never show the proxy credentials', async () => {
    const lines: Array<string> = []
    const views: Array<unknown> = []
    const wrong = authProxy.url.replace('//', `//${USER}:wrong-${PASSWORD}@`)
    const e = await fromEnvironment({
      env: { AWS_REGION: 'us-east-1', HTTPS_PROXY: wrong, AWS_CA_BUNDLE: bundle },
      homedir: dir,
      overrides: { hooks: [loggingHook((l) => lines.push(l)), { beforeRequest: (v) => views.push(v), onError: (v) => views.push(v) }] }
    })()
    if (e._tag === 'Left') throw new Error(e.left.message)
    const r = await pipe(newLogout(live()), send(Logout))(e.right)()
    expect(r._tag === 'Left' && r.left._tag === 'TransportError' && r.left.reason).toBe('ProxyRefused')
    expect(r._tag === 'Left' && r.left._tag === 'TransportError' && r.left.status).toBe(407)
    const shown = JSON.stringify([r, lines, views, e.right]) + String(e.right.http)
    expect(lines.length).toBeGreaterThan(0)
    for (const secret of [PASSWORD, basic, USER]) expect(shown).not.toContain(secret)
  })

  it('newEnv({ proxy, caBundle }) without fromEnvironment; calls in a row and at once share the client', async () => {
    const env = newEnv({ region: 'us-east-1', proxy: { https: proxy.url }, caBundle: ca.cert })
    const tokens = [live(), live(), live(), live(), live()]
    const [first, second, ...rest] = tokens as [string, string, ...Array<string>]
    for (const token of [first, second]) expect((await pipe(newLogout(token), send(Logout))(env)())._tag).toBe('Right')
    const at = await Promise.all(rest.map((token) => pipe(newLogout(token), send(Logout))(env)()))
    expect(at.map((r) => r._tag)).toStrictEqual(['Right', 'Right', 'Right'])
    expect(tokens.filter((t) => !emu.isLoggedOut(t))).toStrictEqual([])
  })

  it('tunnelled calls never make the tunnel agent guess its protocol from a stack trace (a cost on every call)', async () => {
    const env = newEnv({ region: 'us-east-1', proxy: { https: proxy.url }, caBundle: ca.cert })
    // the first call loads the proxy module and opens the tunnel; the next ones reuse it
    expect((await pipe(newLogout(live()), send(Logout))(env)())._tag).toBe('Right')
    const original = Error.prepareStackTrace
    let stacks = 0
    Error.prepareStackTrace = (error, frames) => {
      stacks++
      return original === undefined ? `${String(error)}\n${frames.map((f) => `    at ${String(f)}`).join('\n')}` : original(error, frames)
    }
    try {
      const at = await Promise.all([live(), live(), live()].map((token) => pipe(newLogout(token), send(Logout))(env)()))
      expect(at.map((r) => r._tag)).toStrictEqual(['Right', 'Right', 'Right'])
    } finally {
      Error.prepareStackTrace = original
    }
    expect(stacks).toBe(0)
  })

  it('newEnv({ caBundle }) with no certificate in it: a TransportError naming the CA bundle, nothing sent', async () => {
    const before = proxy.seen.length
    const env = newEnv({ region: 'us-east-1', proxy: { https: proxy.url }, caBundle: 'not a PEM bundle' })
    const r = await pipe(newLogout(live()), send(Logout))(env)()
    expect(r._tag === 'Left' && r.left._tag === 'TransportError' && r.left.message).toMatch(/CA bundle/)
    expect(proxy.seen.length).toBe(before)
  })
})
