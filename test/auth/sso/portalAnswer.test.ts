/**
 * A 4xx that does not come from the SSO portal (a proxy's 407, a firewall's HTML 403, any
 * 4xx without an AWS error type) is no proof that the token is already invalid: the token
 * file is kept and reported, as on a network error. Only the portal's answer — an AWS error
 * type in `x-amzn-errortype` or in the JSON body's `__type`/`code` — lets the sweep delete it.
 */
import * as fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { newEnv } from '../../../src/index.js'
import { isLogoutSuccessful, logoutAll, showLogoutReport } from '../../../src/auth/sso/index.js'
import { useScriptedServers } from '../../util/harness.js'
import type { Step } from '../../util/scripted.js'
import { tokenJson, useHomes } from './helpers.js'

/** A plain answer of the scripted server. */
type Answer = { readonly status: number; readonly headers?: Readonly<Record<string, string>>; readonly body?: string }

const home = useHomes()
const serve = useScriptedServers()

const sweepAgainst = async (step: Step) => {
  const server = await serve([step])
  const h = home()
  const file = h.token('a.json', tokenJson('portal-answer-token'))
  const report = await logoutAll({ homedir: h.home, envForRegion: (region) => newEnv({ region, endpoint: server.url, maxAttempts: 1 }) })()
  expect(server.requests.map((r) => r.url)).toEqual(['/logout'])
  return { file, report, kept: fs.existsSync(file) }
}

const html = (status: number, extra: Readonly<Record<string, string>> = {}): Answer => ({
  status,
  headers: { 'content-type': 'text/html', ...extra },
  body: '<html><body><h1>Access denied by corporate policy</h1></body></html>'
})

describe('logoutAll: which 4xx is the portal saying the token is invalid', () => {
  it.each([
    ['a proxy asking for credentials (407)', html(407, { 'proxy-authenticate': 'Basic realm="corp"' })],
    ['a proxy 407 even with an AWS error type', { status: 407, headers: { 'x-amzn-errortype': 'UnauthorizedException' }, body: '{}' }],
    ["a firewall's HTML 403", html(403)],
    ['a 401 without an AWS error type', html(401)],
    ['a 401 with an empty JSON body', { status: 401, body: '{}' }],
    ['a 400 with a JSON body that names no error type', { status: 400, body: '{"message":"bad request"}' }]
  ] as ReadonlyArray<readonly [string, Answer]>)('%s: the token file is KEPT and reported, the logout fails', async (_, step) => {
    const { file, report, kept } = await sweepAgainst(step)
    expect(kept).toBe(true)
    expect(report.invalidated).toEqual([])
    expect(report.deleted).toEqual([])
    expect(report.kept.map((k) => [k.file, k.reason])).toEqual([[file, 'InvalidationFailed']])
    const code = step.status === 407 && step.headers?.['x-amzn-errortype'] !== undefined ? 'UnauthorizedException' : 'UnknownError'
    expect(report.errors.map((e) => [e.file, e.operation, e.error])).toEqual([[file, 'invalidate', `ServiceError/${code}`]])
    expect(isLogoutSuccessful(report)).toBe(false)
    expect(showLogoutReport(report)).toContain(
      step.status === 407 ? 'HTTP 407: a proxy asks for credentials (not an answer of the SSO portal)' : `HTTP ${step.status} without an AWS error type (not an answer of the SSO portal`
    )
  })

  it.each([
    ['a 401 with x-amzn-errortype', { status: 401, headers: { 'x-amzn-errortype': 'UnauthorizedException:http://internal.amazon.com/' }, body: '' }],
    ['a 401 with __type in the JSON body', { status: 401, body: '{"__type":"com.amazonaws.switchboard.portal#UnauthorizedException","message":"Session token not found or invalid"}' }],
    ['a 400 with code in the JSON body', { status: 400, body: '{"code":"InvalidRequestException","message":"x"}' }]
  ] as ReadonlyArray<readonly [string, Answer]>)('%s: the portal refused the token, which is already invalid: the file is deleted', async (_, step) => {
    const { file, report, kept } = await sweepAgainst(step)
    expect(kept).toBe(false)
    expect(report.invalidated.map((i) => [i.file, i.outcome, i.status])).toEqual([[file, 'AlreadyInvalid', step.status]])
    expect(report.errors).toEqual([])
  })
})
