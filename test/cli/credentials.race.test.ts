/**
 * The race of the refresh: 16 processes run `fp-aws sso credentials --profile dev` at the
 * same moment, inside the refresh window (the session was logged in 55 minutes ago, its
 * one-hour token has 5 minutes left), with refresh token rotation on. Exactly one refresh
 * may reach the service: a process that finds the token refreshed by another uses it.
 */
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readToken, tokenCacheFile } from '../../src/auth/sso/index.js'
import { reveal } from '../../src/core/Sensitive.js'
import { bundleCli } from '../util/cli.js'
import { useWorld } from './ssoWorld.js'

const world = useWorld()
const PROCESSES = 16
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-race-'))
const bin = path.join(scratch, 'bin.cjs')

beforeAll(async () => {
  await bundleCli(bin)
}, 60_000)
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Starts `fp-aws sso credentials --profile dev`; it waits on a gate file so that all start together. */
const credentials = (home: string, env: Record<string, string>, gate: Promise<void>): Promise<Run> =>
  gate.then(
    () =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [bin, 'sso', 'credentials', '--profile', 'dev'], {
          env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, ...env },
          stdio: ['ignore', 'pipe', 'pipe']
        })
        let stdout = ''
        let stderr = ''
        child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s))
        child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s))
        const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
        child.on('error', reject)
        child.on('close', (code) => {
          clearTimeout(timer)
          resolve({ code, stdout, stderr })
        })
      })
  )

describe(`fp-aws sso credentials: ${PROCESSES} processes at once, inside the refresh window, with rotation`, () => {
  it.each([1, 2, 3])(
    'run %i: all print credentials; the emulator sees one refresh and no refresh token twice; the portal accepts the cached token',
    async () => {
      const w = await world({ accessTokenTtlSeconds: 3600, rotateRefreshTokens: true })
      const first = await w.login({ profile: 'dev' }, 55 * 60_000)
      expect(first.token.expiresAt.getTime() - Date.now()).toBeLessThan(15 * 60_000)
      expect(first.token.expiresAt.getTime() - Date.now()).toBeGreaterThan(60_000)
      expect(first.token.refreshToken).toBeDefined()
      const createTokens = (): number => w.emu.requests().filter((r) => r.operation === 'CreateToken').length
      expect(createTokens()).toBe(1)
      let open: () => void = () => undefined
      const gate = new Promise<void>((resolve) => (open = resolve))
      const runs = Array.from({ length: PROCESSES }, () => credentials(w.home.home, w.env, gate))
      open()
      const done = await Promise.all(runs)
      for (const r of done) {
        expect(r.stderr).toBe('')
        expect(r.code).toBe(0)
        const c = JSON.parse(r.stdout) as { readonly Version: number; readonly AccessKeyId: string }
        expect(c.Version).toBe(1)
      }
      // the login's CreateToken and exactly one refresh: so no refresh token was sent twice
      expect(createTokens()).toBe(2)
      const cached = await readToken(tokenCacheFile(w.home.home, { _tag: 'SSOSession', name: 'corp' }))()
      if (cached._tag === 'Left') throw new Error(cached.left.message)
      const newest = reveal(cached.right.accessToken)
      expect(newest).not.toBe(reveal(first.token.accessToken))
      const list = await fetch(`${w.emu.url}/assignment/accounts`, { headers: { 'x-amz-sso_bearer_token': newest } })
      expect(list.status).toBe(200)
      expect(w.home.ls(w.home.tokens).filter((f) => f.endsWith('.lock'))).toEqual([])
    },
    120_000
  )
})
