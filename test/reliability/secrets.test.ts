/**
 * No secret ever leaks: ONE property test that drives every public path of fp-aws with
 * random, distinctive secrets (access tokens, the secret access key and session token a
 * server issues, the client secret and refresh token of cached tokens, the CLI cache's
 * SecretAccessKey and SessionToken), through success and every kind of failure, and checks
 * that none of them appears in anything printed (process.stdout / stderr and console
 * included), logged (hooks, the logging hook), thrown, or returned (serialised with
 * JSON.stringify, util.inspect with depth Infinity and showHidden, and String()).
 *
 * Everything is real: loopback servers (test/util/scripted.ts), the emulator, temporary
 * home directories, the CLI's `main` in-process.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as util from 'node:util'
import fc from 'fast-check'
import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import type { Show } from 'fp-ts/lib/Show.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as A from '../../src/arbitrary/index.js'
import { main } from '../../src/cli/main.js'
import {
  collectItems,
  collectPages,
  fromEnvironment,
  getShow,
  loggingHook,
  newEnv,
  paginate,
  reveal,
  send,
  sensitive,
  type AWSRequest,
  type EnvOptions,
  type Hooks
} from '../../src/index.js'
import {
  GetRoleCredentials,
  GetRoleCredentialsResponseShow,
  GetRoleCredentialsShow,
  ListAccountRoles,
  ListAccountRolesResponseShow,
  ListAccountRolesShow,
  ListAccounts,
  ListAccountsResponseShow,
  ListAccountsShow,
  Logout,
  LogoutResponseShow,
  LogoutShow,
  RoleCredentialsShow,
  getRoleCredentialsResponse_roleCredentials,
  listAccountRoles_maxResults,
  listAccountRolesPager,
  listAccounts_accessToken,
  listAccounts_maxResults,
  listAccountsPager,
  logout_accessToken,
  newGetRoleCredentials,
  newListAccountRoles,
  newListAccounts,
  newLogout,
  paginateListAccountRoles,
  paginateListAccounts,
  type RoleCredentials
} from '../../src/services/sso/index.js'
import {
  credentialCacheDir,
  credentialCacheFile,
  credentialCacheKey,
  logoutAll,
  logoutSession,
  readCachedCredentials,
  readToken,
  sha1Hex,
  showLogoutReport,
  tokenCacheDir,
  tokenCacheFile,
  writeCachedCredentials,
  writeToken,
  type LogoutTarget
} from '../../src/auth/sso/index.js'
import { decodeSeedFile, parseSeedFile, startEmulator, type TokenSeed } from '../../src/emulator/index.js'
import { fromSSO, memoizeCredentials } from '../../src/auth/sso/fromSSO.js'
import { closedPort, scriptedServer, type Recorded, type Scripted, type Step } from '../util/scripted.js'

// -------------------------------------------------------------------------------------
// secrets
// -------------------------------------------------------------------------------------

/** The names of the secrets of one run. Each gets its own letter after the `SeCrEt` prefix. */
const NAMES = [
  'tok', // direct calls of the four operations
  'ssoTok', // the token cached for sso-session s1 (fromSSO, logout)
  'legacyTok', // an expired token of a legacy profile
  'brokenTok', // a token file that does not decode (bad expiresAt)
  'plainTok', // a plain token file
  'noRegionTok', // a token without a region (deleted without a call)
  'spacedTok', // a token with white space around it
  'bomTok', // a token file starting with a byte order mark
  'crlfTok', // a token with CR LF in it (cannot be sent)
  'latinTok', // a token with a character outside Latin-1 (cannot be sent)
  'notJsonTok', // in a file that is not JSON
  'arrayTok', // in a JSON array
  'malformedTok', // an accessToken that is not a string
  'bigTok', // in a file bigger than the read bound
  'outsideTok', // in a file outside the cache, reached by a symbolic link
  'clientSecret', // of a refreshable token
  'refreshToken', // of a refreshable token
  'regSecret', // the client secret of a client registration
  'cliKey', // SecretAccessKey of an SSO CLI cache entry
  'cliSession', // SessionToken of an SSO CLI cache entry
  'otherKey', // SecretAccessKey of another provider's entry
  'otherSession', // SessionToken of another provider's entry
  'issuedKey', // secretAccessKey the scripted server issues
  'issuedSession', // sessionToken the scripted server issues
  'emuTok', // a token seeded in the emulator
  'configValue' // a bad value in the environment (never echoed)
] as const
type Name = (typeof NAMES)[number]
type Secrets = Readonly<Record<Name, string>>

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'

/** A distinctive secret: `SeCrEt`, a letter, and a random RFC 6750 bearer token (the shipped arbitrary). */
const secretBody = A.accessToken({ charset: 'b64token', minLength: 12, maxLength: 40 })

const secretsArb: fc.Arbitrary<Secrets> = fc
  .array(secretBody, { minLength: NAMES.length, maxLength: NAMES.length })
  .map((bodies) => Object.fromEntries(NAMES.map((n, i) => [n, `SeCrEt${LETTERS[i] ?? 'Z'}${bodies[i] ?? ''}`])) as Secrets)

/** Secrets of other shapes: emulator seeds, records built by the shipped arbitraries. */
const extraSecret = secretBody.map((b) => `SeCrEtX${b}`)

// -------------------------------------------------------------------------------------
// servers
// -------------------------------------------------------------------------------------

let current: Secrets | undefined
const cur = (): Secrets => {
  if (current === undefined) throw new Error('no run in progress')
  return current
}
const bearer = (req: Recorded): string => {
  const h = req.headers['x-amz-sso_bearer_token']
  return Array.isArray(h) ? (h[0] ?? '') : (h ?? '')
}
/** The token as a header name can hold it (a header name cannot hold `/`). */
const nameSafe = (t: string): string => t.replace(/[^A-Za-z0-9._~+-]/g, '')
/** JSON with every letter escaped as \uXXXX: parses back to the same text. */
const escapedJson = (v: unknown): string =>
  JSON.stringify(v).replace(/[A-Za-z]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

/** A hostile server: it echoes the token it received in its body, its headers and its request id. */
const hostile =
  (status: number, variant: 'header' | 'code' | '__type' | 'escaped') =>
  (req: Recorded): Step => {
    const t = bearer(req)
    const body = {
      message: `token ${t} is invalid`,
      Message: `Token: ${t}`,
      ...(variant === 'code' ? { code: `ns#${t}` } : {}),
      ...(variant === '__type' || variant === 'header' ? { __type: `com.amazonaws.switchboard.portal#${t}` } : {}),
      token: t,
      nested: { again: [t, { t }] }
    }
    return {
      status,
      headers: {
        'x-echo': t,
        [`x-echo-${nameSafe(t)}`]: t,
        'x-amzn-requestid': t,
        'set-cookie': `session=${t}`,
        'www-authenticate': `Bearer ${t}`,
        'retry-after': '0',
        ...(variant === 'header' ? { 'x-amzn-errortype': `${t}:http://internal/${t}` } : {})
      },
      body: variant === 'escaped' ? escapedJson(body) : JSON.stringify(body)
    }
  }

const page = (key: 'accountList' | 'roleList', next: string | null): string =>
  JSON.stringify(
    next === null
      ? { nextToken: 'page-2', [key]: [key === 'accountList' ? { accountId: '111122223333', accountName: 'a', emailAddress: 'a@example.com' } : { roleName: 'ReadOnly', accountId: '111122223333' }] }
      : { nextToken: null, [key]: [key === 'accountList' ? { accountId: '222233334444' } : { roleName: 'Admin' }] }
  )

/** A well-behaved server: answers every operation; GetRoleCredentials issues this run's secrets. */
const okScript =
  (credentials: 'full' | 'partial') =>
  (req: Recorded): Step => {
    const u = new URL(req.url, 'http://x')
    const echo = { 'x-echo': bearer(req) } // even a 2xx may echo it: hooks must not see it
    switch (u.pathname) {
      case '/logout':
        return { status: 200, headers: echo }
      case '/federation/credentials':
        return {
          status: 200,
          headers: echo,
          body: JSON.stringify({
            roleCredentials: {
              accessKeyId: 'ASIAOKOKOKOKOKOKOKOK',
              ...(credentials === 'full' ? { secretAccessKey: cur().issuedKey } : {}),
              sessionToken: cur().issuedSession,
              expiration: Date.now() + 3_600_000
            }
          })
        }
      case '/assignment/accounts':
        return { status: 200, headers: echo, body: page('accountList', u.searchParams.get('next_token')) }
      case '/assignment/roles':
        return { status: 200, headers: echo, body: page('roleList', u.searchParams.get('next_token')) }
      default:
        return { status: 404, body: '{}' }
    }
  }

interface Servers {
  readonly ok: Scripted
  readonly partial: Scripted
  readonly repeat: Scripted
  readonly echo: ReadonlyArray<readonly [string, Scripted]>
  readonly garbage: Scripted
  readonly shape: Scripted
  readonly big: Scripted
  readonly reset: Scripted
  readonly hang: Scripted
  readonly redirect: Scripted
  readonly other: Scripted
  readonly refused: string
}
let S: Servers

beforeAll(async () => {
  const other = await scriptedServer([{ status: 200, body: '{}' }])
  const echo = await Promise.all(
    (
      [
        [400, 'code'],
        [401, 'header'],
        [403, '__type'],
        [404, 'escaped'],
        [429, 'header'],
        [500, 'code'],
        [503, 'escaped']
      ] as const
    ).map(async ([status, variant]) => [`echo${status}`, await scriptedServer(hostile(status, variant))] as const)
  )
  S = {
    ok: await scriptedServer(okScript('full')),
    partial: await scriptedServer(okScript('partial')),
    repeat: await scriptedServer(() => ({ status: 200, body: JSON.stringify({ nextToken: 'same', accountList: [], roleList: [] }) })),
    echo,
    garbage: await scriptedServer((req) => ({ status: 200, headers: { 'x-echo': bearer(req) }, body: `not json ${bearer(req)}` })),
    shape: await scriptedServer((req) => {
      const t = bearer(req)
      return {
        status: 200,
        body: JSON.stringify({ roleCredentials: t, accountList: { [t]: t }, roleList: t, nextToken: { t } })
      }
    }),
    big: await scriptedServer((req) => ({
      status: 200,
      body: JSON.stringify({ accountList: Array.from({ length: 200 }, () => ({ accountName: bearer(req) })) })
    })),
    reset: await scriptedServer([{ reset: true }]),
    hang: await scriptedServer([{ hang: true }]),
    redirect: await scriptedServer((req, i) => {
      const t = bearer(req)
      return {
        status: [301, 302, 303, 307, 308][i % 5] ?? 302,
        headers: { location: `${other.url}/steal?t=${encodeURIComponent(t)}`, 'x-echo': t },
        body: JSON.stringify({ token: t })
      }
    }),
    other,
    refused: `http://127.0.0.1:${await closedPort()}`
  }
})

const scriptedServers = (): ReadonlyArray<Scripted> => [
  S.ok,
  S.partial,
  S.repeat,
  S.garbage,
  S.shape,
  S.big,
  S.reset,
  S.hang,
  S.redirect,
  S.other,
  ...S.echo.map(([, s]) => s)
]

afterAll(async () => {
  await Promise.all(scriptedServers().map((s) => s.close()))
})

// -------------------------------------------------------------------------------------
// capture
// -------------------------------------------------------------------------------------

interface Capture {
  /** What was printed, logged, thrown or returned, labelled by where it came from. */
  readonly seen: Array<readonly [string, string]>
  readonly thrown: Array<string>
  /** Every `_tag` (and transport reason) of every error seen: the run is not vacuous. */
  readonly kinds: Set<string>
  readonly record: (label: string, x: unknown) => void
  readonly hooks: ReadonlyArray<Hooks>
}

const safe = (f: () => string | undefined): string => {
  try {
    return f() ?? 'undefined'
  } catch (e) {
    return `<cannot show: ${e instanceof Error ? e.name : typeof e}>`
  }
}

/** Every way a value may be shown. */
const renderings = (x: unknown): ReadonlyArray<string> => [
  safe(() => JSON.stringify(x)),
  safe(() => util.inspect(x, { depth: Infinity, showHidden: true, maxArrayLength: Infinity, maxStringLength: Infinity, breakLength: Infinity, getters: true })),
  safe(() => util.inspect(x, { depth: Infinity, showHidden: true, customInspect: false, maxStringLength: Infinity })),
  safe(() => String(x)),
  safe(() => util.format('%s %o %O %j', x, x, x, x))
]

const newCapture = (): Capture => {
  const seen: Array<readonly [string, string]> = []
  const kinds = new Set<string>()
  const record = (label: string, x: unknown): void => {
    for (const r of renderings(x)) seen.push([label, r])
    const tagOf = (v: unknown): string | undefined =>
      typeof v === 'object' && v !== null && typeof (v as { _tag?: unknown })._tag === 'string' ? (v as { _tag: string })._tag : undefined
    const left = tagOf(x) === 'Left' ? (x as { left: unknown }).left : undefined
    const tag = tagOf(left)
    if (tag !== undefined) {
      kinds.add(tag)
      const reason = (left as { reason?: unknown }).reason
      if (tag === 'TransportError' && typeof reason === 'string') kinds.add(`TransportError/${reason}`)
    }
  }
  const view = (kind: string) => (v: unknown) => record(`hook ${kind}`, v)
  const hooks: ReadonlyArray<Hooks> = [
    { beforeRequest: view('beforeRequest'), afterResponse: view('afterResponse'), onError: view('onError') },
    loggingHook((line) => record('loggingHook', line)),
    // a hook that throws is ignored; its error must not carry a secret anywhere either
    {
      beforeRequest: (v) => {
        throw new Error(JSON.stringify(v))
      }
    }
  ]
  return { seen, thrown: [], kinds, record, hooks }
}

/** Captures process.stdout / process.stderr writes and console output while `f` runs. */
const capturingProcess = async <X>(c: Capture, f: () => Promise<X>): Promise<X> => {
  const out = process.stdout.write
  const err = process.stderr.write
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const
  const saved = methods.map((m) => console[m])
  process.stdout.write = ((chunk: unknown) => {
    c.seen.push(['process.stdout', String(chunk)])
    return true
  }) as typeof process.stdout.write
  process.stderr.write = ((chunk: unknown) => {
    c.seen.push(['process.stderr', String(chunk)])
    return true
  }) as typeof process.stderr.write
  for (const m of methods) console[m] = (...args: Array<unknown>) => c.seen.push([`console.${m}`, util.format(...args)])
  try {
    return await f()
  } finally {
    process.stdout.write = out
    process.stderr.write = err
    methods.forEach((m, i) => {
      console[m] = saved[i] as (typeof console)[typeof m]
    })
  }
}

/** Runs `f`, recording what it returns; anything thrown is recorded too (and fails the test). */
const guard = async (c: Capture, label: string, f: () => Promise<unknown> | unknown): Promise<unknown> => {
  try {
    const r = await f()
    c.record(label, r)
    return r
  } catch (e) {
    c.thrown.push(label)
    c.record(`${label} threw`, e)
    c.seen.push([`${label} threw (stack)`, safe(() => (e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e)))])
    return undefined
  }
}

// -------------------------------------------------------------------------------------
// the four operations
// -------------------------------------------------------------------------------------

const ACCOUNT = '123456789012'

const baseOptions = (c: Capture): EnvOptions => ({
  region: 'us-east-1',
  hooks: c.hooks,
  sleep: async () => true,
  attemptTimeoutMs: 40,
  maxAttempts: 2
})

interface Target {
  readonly name: string
  readonly options: EnvOptions
}

const targets = (c: Capture): ReadonlyArray<Target> => {
  const base = baseOptions(c)
  const aborted = new AbortController()
  aborted.abort()
  return [
    { name: 'ok', options: { ...base, endpoint: S.ok.url } },
    ...S.echo.map(([name, s]) => ({ name, options: { ...base, endpoint: s.url } })),
    { name: 'garbage', options: { ...base, endpoint: S.garbage.url } },
    { name: 'shape', options: { ...base, endpoint: S.shape.url } },
    { name: 'big', options: { ...base, endpoint: S.big.url, maxResponseBytes: 256 } },
    { name: 'reset', options: { ...base, endpoint: S.reset.url } },
    { name: 'hang', options: { ...base, endpoint: S.hang.url } },
    { name: 'hang-total', options: { ...base, endpoint: S.hang.url, attemptTimeoutMs: 1_000, totalTimeoutMs: 40 } },
    { name: 'redirect', options: { ...base, endpoint: S.redirect.url, maxAttempts: 1 } },
    { name: 'refused', options: { ...base, endpoint: S.refused } },
    { name: 'aborted', options: { ...base, endpoint: S.ok.url, signal: aborted.signal } },
    { name: 'no-endpoint', options: { ...base, region: undefined } },
    { name: 'bad-env', options: { ...base, endpoint: S.ok.url, maxAttempts: 0 } }
  ]
}

/** Sends `rq` to every target and `bad` (requests that must not be sent) to the good server. */
const driveOperation = async <Rq, Rs, C extends string>(
  c: Capture,
  op: AWSRequest<Rq, Rs, C>,
  rq: Rq,
  bad: ReadonlyArray<Rq>,
  showRq: Show<Rq>,
  showRs: Show<Rs>
): Promise<void> => {
  const name = op.operation
  c.record(`${name} request`, rq)
  c.record(`${name} Show`, showRq.show(rq))
  c.record(`${name} template`, `${String(rq)} ${JSON.stringify(rq)}`)
  for (const t of targets(c)) {
    const r = await guard(c, `${name}@${t.name}`, () => send(op)(rq)(newEnv(t.options))())
    const e = r as { _tag?: string; right?: Rs; left?: { message?: string } } | undefined
    if (e?._tag === 'Right' && e.right !== undefined) c.record(`${name}@${t.name} Show`, showRs.show(e.right))
    if (e?._tag === 'Left') c.record(`${name}@${t.name} message`, e.left?.message)
  }
  for (const [i, b] of bad.entries()) {
    c.record(`${name} bad#${i} Show`, showRq.show(b))
    await guard(c, `${name} bad#${i}`, () => send(op)(b)(newEnv({ ...baseOptions(c), endpoint: S.ok.url }))())
  }
}

/** Tokens `send` must refuse: each carries the secret, none may be sent or shown. */
const unsendable = (tok: string): ReadonlyArray<string> => [
  `${tok}\r\n`,
  `${tok}\r\nX-Injected: 1`,
  `${tok}\u0000`,
  `${tok}\u0100`,
  ` ${tok}`,
  `${tok}\t`
]

const driveOperations = async (c: Capture, s: Secrets): Promise<void> => {
  const tok = s.tok
  const bad = unsendable(tok)
  await Promise.all([
    driveOperation(c, Logout, newLogout(tok), bad.map(newLogout), LogoutShow, LogoutResponseShow),
    driveOperation(
      c,
      GetRoleCredentials,
      newGetRoleCredentials('ReadOnly', ACCOUNT, tok),
      [...bad.map((b) => newGetRoleCredentials('ReadOnly', ACCOUNT, b)), newGetRoleCredentials('', ACCOUNT, tok)],
      GetRoleCredentialsShow,
      GetRoleCredentialsResponseShow
    ),
    driveOperation(
      c,
      ListAccounts,
      pipe(newListAccounts(tok), listAccounts_maxResults.set(O.some(5))),
      [...bad.map(newListAccounts), pipe(newListAccounts(tok), listAccounts_maxResults.set(O.some(0)))],
      ListAccountsShow,
      ListAccountsResponseShow
    ),
    driveOperation(
      c,
      ListAccountRoles,
      newListAccountRoles(tok, ACCOUNT),
      [...bad.map((b) => newListAccountRoles(b, ACCOUNT)), pipe(newListAccountRoles(tok, ACCOUNT), listAccountRoles_maxResults.set(O.some(101)))],
      ListAccountRolesShow,
      ListAccountRolesResponseShow
    )
  ])
  // records edited with the lenses show no secret either
  const edited = pipe(newLogout('placeholder'), logout_accessToken.set(tok))
  c.record('lens-edited Logout', edited)
  c.record('lens-edited Logout Show', LogoutShow.show(edited))
  c.record('lens-edited ListAccounts', pipe(newListAccounts('x'), listAccounts_accessToken.set(tok)))
  c.record('Sensitive', sensitive(tok))
  c.record('Sensitive Show', getShow<string>().show(sensitive(tok)))
  c.record('Sensitive template', `${sensitive(tok)}|${String(sensitive(tok))}|${sensitive(tok).toString()}|${JSON.stringify(sensitive(tok))}`)
}

const drivePagination = async (c: Capture, s: Secrets): Promise<void> => {
  const rq = pipe(newListAccounts(s.tok), listAccounts_maxResults.set(O.some(1)))
  const roles = newListAccountRoles(s.tok, ACCOUNT)
  for (const [name, url] of [
    ['ok', S.ok.url],
    ['repeat', S.repeat.url],
    ['echo401', S.echo[1]?.[1].url ?? S.ok.url],
    ['reset', S.reset.url]
  ] as const) {
    const env = newEnv({ ...baseOptions(c), endpoint: url })
    await guard(c, `paginate@${name}`, async () => {
      const pages: Array<unknown> = []
      for await (const p of paginate(ListAccounts, listAccountsPager)(rq)(env)) pages.push(p)
      return pages
    })
    await guard(c, `paginateListAccountRoles@${name}`, async () => {
      const pages: Array<unknown> = []
      for await (const p of paginateListAccountRoles(roles)(env)) pages.push(p)
      return pages
    })
    await guard(c, `paginateListAccounts@${name}`, async () => {
      const pages: Array<unknown> = []
      for await (const p of paginateListAccounts(rq)(env)) pages.push(p)
      return pages
    })
    await guard(c, `collectPages@${name}`, () => collectPages(ListAccounts, listAccountsPager)(rq)(env)())
    await guard(c, `collectItems@${name}`, () => collectItems(ListAccountRoles, listAccountRolesPager)(roles)(env)())
  }
}

// -------------------------------------------------------------------------------------
// records built by the shipped arbitraries
// -------------------------------------------------------------------------------------

const recordsArb = fc.record({
  logout: A.logout({ accessToken: extraSecret }),
  getRoleCredentials: A.getRoleCredentials({ accessToken: extraSecret }),
  listAccounts: A.listAccounts({ accessToken: extraSecret }),
  listAccountRoles: A.listAccountRoles({ accessToken: extraSecret }),
  response: A.getRoleCredentialsResponse({
    requiredKeys: ['roleCredentials'],
    roleCredentials: A.roleCredentials({ secretAccessKey: extraSecret, sessionToken: extraSecret, requiredKeys: ['secretAccessKey', 'sessionToken'] })
  })
})
type Records = typeof recordsArb extends fc.Arbitrary<infer R> ? R : never

const secretsOfRecords = (r: Records): ReadonlyArray<string> => {
  const rc = O.toUndefined(getRoleCredentialsResponse_roleCredentials.get(r.response))
  return [
    reveal(r.logout.accessToken),
    reveal(r.getRoleCredentials.accessToken),
    reveal(r.listAccounts.accessToken),
    reveal(r.listAccountRoles.accessToken),
    ...(rc === undefined ? [] : credentialSecrets(rc))
  ]
}

const credentialSecrets = (rc: RoleCredentials): ReadonlyArray<string> => [
  ...(O.isSome(rc.secretAccessKey) ? [reveal(rc.secretAccessKey.value)] : []),
  ...(O.isSome(rc.sessionToken) ? [reveal(rc.sessionToken.value)] : [])
]

const driveRecords = (c: Capture, r: Records): void => {
  c.record('A.logout', r.logout)
  c.record('A.logout Show', LogoutShow.show(r.logout))
  c.record('A.getRoleCredentials', r.getRoleCredentials)
  c.record('A.getRoleCredentials Show', GetRoleCredentialsShow.show(r.getRoleCredentials))
  c.record('A.listAccounts', r.listAccounts)
  c.record('A.listAccounts Show', ListAccountsShow.show(r.listAccounts))
  c.record('A.listAccountRoles', r.listAccountRoles)
  c.record('A.listAccountRoles Show', ListAccountRolesShow.show(r.listAccountRoles))
  c.record('A.getRoleCredentialsResponse', r.response)
  c.record('A.getRoleCredentialsResponse Show', GetRoleCredentialsResponseShow.show(r.response))
  const rc = O.toUndefined(r.response.roleCredentials)
  if (rc !== undefined) c.record('A.roleCredentials Show', RoleCredentialsShow.show(rc))
}

// -------------------------------------------------------------------------------------
// the caches, fromSSO, logout, the CLI
// -------------------------------------------------------------------------------------

const FUTURE = '2999-01-01T00:00:00Z'
const PAST = '2001-01-01T00:00:00Z'
const S1_URL = 'https://s1.awsapps.com/start'
const LEGACY_URL = 'https://legacy.awsapps.com/start'

const CONFIG = [
  '[profile dev]',
  'sso_session = s1',
  `sso_account_id = ${ACCOUNT}`,
  'sso_role_name = ReadOnly',
  '[sso-session s1]',
  `sso_start_url = ${S1_URL}`,
  'sso_region = us-east-1',
  '[profile legacy]',
  `sso_start_url = ${LEGACY_URL}`,
  'sso_region = us-east-1',
  `sso_account_id = ${ACCOUNT}`,
  'sso_role_name = ReadOnly',
  '[profile broken]',
  'sso_session = s2',
  `sso_account_id = ${ACCOUNT}`,
  'sso_role_name = ReadOnly',
  '[sso-session s2]',
  'sso_start_url = https://s2.awsapps.com/start',
  'sso_region = eu-west-1',
  '[profile missing]',
  'sso_session = s3',
  `sso_account_id = ${ACCOUNT}`,
  'sso_role_name = ReadOnly',
  '[sso-session s3]',
  'sso_start_url = https://s3.awsapps.com/start',
  'sso_region = us-east-1',
  '[profile plain]',
  'region = us-east-1',
  ''
].join('\n')

const tokenJson = (accessToken: unknown, extra: Readonly<Record<string, unknown>> = {}): Record<string, unknown> => ({
  startUrl: 'https://corp.awsapps.com/start',
  region: 'us-east-1',
  accessToken,
  expiresAt: FUTURE,
  ...extra
})

/** (Re)writes every cache file of a home: tokens of every kind, registrations, CLI cache entries. */
const populate = async (home: string, s: Secrets): Promise<void> => {
  const tokens = tokenCacheDir(home)
  const creds = credentialCacheDir(home)
  for (const d of [tokens, creds]) {
    if (fs.existsSync(d)) fs.chmodSync(d, 0o700)
    fs.rmSync(d, { recursive: true, force: true })
    fs.mkdirSync(d, { recursive: true })
  }
  const put = (dir: string, name: string, content: unknown): void =>
    fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content))
  const w1 = await writeToken(tokenCacheFile(home, { _tag: 'SSOSession', name: 's1' }), {
    startUrl: S1_URL,
    region: 'us-east-1',
    accessToken: sensitive(s.ssoTok),
    expiresAt: new Date(FUTURE),
    clientId: 'client-id',
    clientSecret: sensitive(s.clientSecret),
    registrationExpiresAt: new Date(FUTURE),
    refreshToken: sensitive(s.refreshToken)
  })()
  if (w1._tag === 'Left') throw new Error(w1.left.message)
  put(tokens, `${sha1Hex(LEGACY_URL)}.json`, tokenJson(s.legacyTok, { startUrl: LEGACY_URL, expiresAt: PAST, refreshToken: s.refreshToken }))
  put(tokens, `${sha1Hex('s2')}.json`, tokenJson(s.brokenTok, { startUrl: 'https://s2.awsapps.com/start', region: 'eu-west-1', expiresAt: 'tomorrow', clientSecret: s.clientSecret }))
  put(tokens, 'plain.json', tokenJson(s.plainTok))
  put(tokens, 'noregion.json', tokenJson(s.noRegionTok, { region: undefined }))
  put(tokens, 'spaced.json', tokenJson(`  ${s.spacedTok}\t`))
  put(tokens, 'bom.json', `\uFEFF${JSON.stringify(tokenJson(s.bomTok))}`)
  put(tokens, 'crlf.json', tokenJson(`${s.crlfTok}\r\nX-Injected: 1`))
  put(tokens, 'latin.json', tokenJson(`${s.latinTok}\u0100`))
  put(tokens, 'notjson.json', `{"accessToken": "${s.notJsonTok}", "region": "us-east-1",`)
  put(tokens, 'array.json', JSON.stringify([s.arrayTok, tokenJson(s.arrayTok)]))
  put(tokens, 'malformed.json', tokenJson([s.malformedTok]))
  put(tokens, 'badregion.json', tokenJson(s.malformedTok, { region: { r: s.malformedTok } }))
  put(tokens, 'big.json', JSON.stringify(tokenJson(s.bigTok, { padding: 'x'.repeat(8_192), clientSecret: s.clientSecret })))
  put(tokens, 'registration.json', { clientId: 'client-id', clientSecret: s.regSecret, expiresAt: FUTURE, scopes: ['sso:account:access'] })
  put(tokens, 'unreadable.json', tokenJson(s.plainTok, { clientSecret: s.clientSecret }))
  fs.chmodSync(path.join(tokens, 'unreadable.json'), 0o000)
  fs.mkdirSync(path.join(tokens, 'dir.json'))
  fs.writeFileSync(path.join(home, 'outside.json'), JSON.stringify(tokenJson(s.outsideTok, { refreshToken: s.refreshToken })))
  fs.symlinkSync(path.join(home, 'outside.json'), path.join(tokens, 'link-out.json'))
  fs.symlinkSync(path.join(tokens, 'registration.json'), path.join(tokens, 'link-in.json'))
  fs.symlinkSync(path.join(tokens, 'nowhere.json'), path.join(tokens, 'dangling.json'))
  fs.symlinkSync('loop.json', path.join(tokens, 'loop.json'))
  const w2 = await writeCachedCredentials(
    credentialCacheFile(home, credentialCacheKey({ accountId: ACCOUNT, roleName: 'ReadOnly', sessionName: 's1' })),
    {
      ProviderType: 'sso',
      Credentials: { AccessKeyId: 'ASIACLICLICLICLICLIC', SecretAccessKey: sensitive(s.cliKey), SessionToken: sensitive(s.cliSession), Expiration: new Date(FUTURE) }
    }
  )()
  if (w2._tag === 'Left') throw new Error(w2.left.message)
  put(creds, 'other-sso.json', { ProviderType: 'sso', Credentials: { AccessKeyId: 'ASIA', SecretAccessKey: s.cliKey, SessionToken: s.cliSession, Expiration: FUTURE } })
  put(creds, 'assume-role.json', { ProviderType: 'assume-role', Credentials: { AccessKeyId: 'ASIA', SecretAccessKey: s.otherKey, SessionToken: s.otherSession, Expiration: FUTURE } })
  put(creds, 'notjson.json', `{"ProviderType": "sso", "Credentials": {"SecretAccessKey": "${s.cliKey}"`)
  put(creds, 'noprovider.json', { Credentials: { SecretAccessKey: s.otherKey, SessionToken: s.otherSession } })
}

/** Secrets no request may ever carry: what is not an access token, and tokens that must not be sent. */
const neverSent = (s: Secrets): ReadonlyArray<string> => [
  s.outsideTok, // behind a symbolic link out of the cache
  s.crlfTok,
  s.latinTok,
  s.notJsonTok,
  s.arrayTok,
  s.malformedTok,
  s.noRegionTok, // no region: deleted without a call
  s.clientSecret,
  s.refreshToken,
  s.regSecret,
  s.cliKey,
  s.cliSession,
  s.otherKey,
  s.otherSession,
  s.issuedKey,
  s.issuedSession,
  s.configValue
]

/** Token values a home holds that a well-behaved server should see logged out. */
const sendableFileTokens = (s: Secrets): ReadonlyArray<string> => [s.ssoTok, s.legacyTok, s.brokenTok, s.plainTok, s.spacedTok, s.bomTok]

const driveCacheReads = async (c: Capture, home: string, s: Secrets): Promise<void> => {
  const tokens = tokenCacheDir(home)
  const creds = credentialCacheDir(home)
  for (const name of fs.readdirSync(tokens)) {
    const file = path.join(tokens, name)
    await guard(c, `readToken ${name}`, () => readToken(file)())
    await guard(c, `readToken follow ${name}`, () => readToken(file, { followSymlinks: true, maxBytes: 4_096 })())
  }
  for (const name of fs.readdirSync(creds)) {
    const file = path.join(creds, name)
    await guard(c, `readCachedCredentials ${name}`, () => readCachedCredentials(file)())
  }
  // a write that fails names the file, never the content
  const blocked = path.join(home, 'outside.json', 'x', 'token.json')
  await guard(c, 'writeToken (fails)', () =>
    writeToken(blocked, { startUrl: 'u', region: 'r', accessToken: sensitive(s.plainTok), expiresAt: new Date(FUTURE), refreshToken: sensitive(s.refreshToken) })()
  )
  await guard(c, 'writeCachedCredentials (fails)', () =>
    writeCachedCredentials(blocked, {
      ProviderType: 'sso',
      Credentials: { AccessKeyId: 'A', SecretAccessKey: sensitive(s.cliKey), SessionToken: sensitive(s.cliSession), Expiration: new Date(FUTURE) }
    })()
  )
}

const driveFromSSO = async (c: Capture, home: string, s: Secrets): Promise<void> => {
  const env = { HOME: home, AWS_ENDPOINT_URL_SSO: S.ok.url, AWS_MAX_ATTEMPTS: '1' }
  const ok = await guard(c, 'fromSSO dev', () => fromSSO({ profile: 'dev', homedir: home, env })())
  const okCreds = ok as { _tag?: string; right?: { secretAccessKey: Parameters<typeof reveal<string>>[0] } } | undefined
  if (okCreds?._tag !== 'Right' || okCreds.right === undefined || reveal(okCreds.right.secretAccessKey) !== s.issuedKey)
    c.thrown.push(`fromSSO dev did not return the issued credentials: ${JSON.stringify(ok)}`)
  const memo = memoizeCredentials(fromSSO({ profile: 'dev', homedir: home, env }), { now: Date.now })
  await guard(c, 'memoizeCredentials 1', () => memo())
  await guard(c, 'memoizeCredentials 2', () => memo())
  for (const profile of ['legacy', 'broken', 'missing', 'plain', 'nope']) {
    await guard(c, `fromSSO ${profile}`, () => fromSSO({ profile, homedir: home, env })())
  }
  await guard(c, 'fromSSO AWS_PROFILE', () => fromSSO({ homedir: home, env: { ...env, AWS_PROFILE: 'dev' } })())
  await guard(c, 'fromSSO partial credentials', () => fromSSO({ profile: 'dev', homedir: home, env: { ...env, AWS_ENDPOINT_URL_SSO: S.partial.url } })())
  await guard(c, 'fromSSO bad env', () => fromSSO({ profile: 'dev', homedir: home, env: { ...env, AWS_MAX_ATTEMPTS: s.configValue } })())
  // only the targets with a loopback endpoint: nothing may reach the real AWS
  for (const t of targets(c).filter((x) => x.options.endpoint !== undefined)) {
    await guard(c, `fromSSO dev@${t.name}`, () =>
      fromSSO({ profile: 'dev', homedir: home, env: {}, envForRegion: (region) => TE.right(newEnv({ ...t.options, region })) })()
    )
  }
}

const driveLogout = async (c: Capture, home: string, s: Secrets): Promise<void> => {
  const base = baseOptions(c)
  const servers: ReadonlyArray<readonly [string, EnvOptions]> = [
    ['ok', { ...base, endpoint: S.ok.url }],
    ...S.echo.map(([n, srv]) => [n, { ...base, endpoint: srv.url }] as const),
    ['garbage', { ...base, endpoint: S.garbage.url }],
    ['reset', { ...base, endpoint: S.reset.url }],
    ['hang', { ...base, endpoint: S.hang.url, maxAttempts: 1, attemptTimeoutMs: 25 }],
    ['redirect', { ...base, endpoint: S.redirect.url }],
    ['refused', { ...base, endpoint: S.refused }]
  ]
  for (const [name, options] of servers) {
    await populate(home, s)
    const report = await guard(c, `logoutAll@${name}`, () =>
      logoutAll({ homedir: home, envForRegion: (region) => newEnv({ ...options, region }), maxFileBytes: 4_096 })()
    )
    if (report !== undefined) c.record(`showLogoutReport@${name}`, showLogoutReport(report as Parameters<typeof showLogoutReport>[0]))
  }
  await populate(home, s)
  const dry = await guard(c, 'logoutAll dry-run', () =>
    logoutAll({ homedir: home, envForRegion: (region) => newEnv({ ...base, endpoint: S.ok.url, region }), dryRun: true })()
  )
  if (dry !== undefined) c.record('showLogoutReport dry-run', showLogoutReport(dry as Parameters<typeof showLogoutReport>[0]))
  const sessions: ReadonlyArray<readonly [LogoutTarget, string]> = [
    [{ _tag: 'Profile', profile: 'dev' }, S.echo[1]?.[1].url ?? S.ok.url],
    [{ _tag: 'Profile', profile: 'broken' }, S.reset.url],
    [{ _tag: 'SSOSession', name: 's2' }, S.ok.url],
    [{ _tag: 'StartUrl', startUrl: LEGACY_URL }, S.ok.url],
    [{ _tag: 'Profile', profile: 'nope' }, S.ok.url],
    [{ _tag: 'Profile', profile: 'plain' }, S.ok.url],
    [{ _tag: 'SSOSession', name: 'zzz' }, S.ok.url]
  ]
  for (const [target, url] of sessions) {
    await populate(home, s)
    const r = await guard(c, `logoutSession ${JSON.stringify(target)}`, () =>
      logoutSession({ homedir: home, env: {}, target, envForRegion: (region) => newEnv({ ...base, endpoint: url, region }) })()
    )
    const report = r as { _tag?: string; right?: Parameters<typeof showLogoutReport>[0] } | undefined
    if (report?._tag === 'Right' && report.right !== undefined) c.record(`showLogoutReport ${target._tag}`, showLogoutReport(report.right))
  }
}

const cli = async (c: Capture, label: string, argv: ReadonlyArray<string>, env: Record<string, string>, signal?: AbortSignal): Promise<number> => {
  let out = ''
  let err = ''
  const code = await guard(c, `cli ${label} exit`, () =>
    main(argv, {
      stdout: (x) => {
        out += x
      },
      stderr: (x) => {
        err += x
      },
      env,
      ...(signal === undefined ? {} : { signal })
    })
  )
  c.seen.push([`cli ${label} stdout`, out], [`cli ${label} stderr`, err])
  return typeof code === 'number' ? code : -1
}

const driveCli = async (c: Capture, home: string, s: Secrets, emulatorUrl: string): Promise<void> => {
  const env = (url: string, extra: Record<string, string> = {}): Record<string, string> => ({
    HOME: home,
    AWS_ENDPOINT_URL_SSO: url,
    AWS_MAX_ATTEMPTS: '1',
    ...extra
  })
  const echo401 = S.echo[1]?.[1].url ?? S.ok.url
  const echo500 = S.echo[5]?.[1].url ?? S.ok.url
  const runs: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
    [['sso', 'logout', '--dry-run'], echo401],
    [['sso', 'logout', '--dry-run', '--json'], echo401],
    [['sso', 'logout'], echo401],
    [['sso', 'logout', '--json'], echo500],
    [['sso', 'logout'], S.reset.url],
    [['sso', 'logout', '--json'], S.redirect.url],
    [['sso', 'logout'], S.refused],
    [['sso', 'logout'], S.garbage.url],
    [['sso', 'logout', '--profile', 'dev'], echo401],
    [['sso', 'logout', '--profile', 'dev', '--json', '--dry-run'], S.ok.url],
    [['sso', 'logout', '--sso-session', 's2', '--json'], echo500],
    [['sso', 'logout', '--start-url', LEGACY_URL], S.ok.url],
    [['sso', 'logout', '--profile', 'nope'], S.ok.url],
    // a secret pasted on the command line is never echoed back
    [['sso', 'logout', s.tok], S.ok.url],
    [['sso', 'logout', `--access-token=${s.tok}`], S.ok.url],
    [['sso', 'logout', '--access-token', s.tok], S.ok.url],
    [['sso', 'logout', `--json=${s.tok}`], S.ok.url],
    [['sso', 'logout', '--profile', 'dev', '--sso-session', s.tok], S.ok.url]
  ]
  for (const [argv, url] of runs) {
    await populate(home, s)
    await cli(c, `${argv.join(' ')} @${url}`, argv, env(url))
  }
  await populate(home, s)
  await cli(c, 'bad env', ['sso', 'logout'], env(S.ok.url, { AWS_MAX_ATTEMPTS: s.configValue }))
  await cli(c, 'bad endpoint', ['sso', 'logout', '--json'], env(`not a url ${s.configValue}`))
  // last: a real emulator that knows the cached tokens; every sendable one gets logged out
  await populate(home, s)
  await cli(c, 'emulator', ['sso', 'logout'], env(emulatorUrl))
  await populate(home, s)
  await cli(c, 'emulator --json', ['sso', 'logout', '--json'], env(emulatorUrl))
}

const driveEmulator = async (
  c: Capture,
  home: string,
  s: Secrets,
  seed: Readonly<Record<string, TokenSeed>>
): Promise<{
  readonly url: string
  readonly close: () => Promise<void>
  readonly loggedOut: (t: string) => boolean
  readonly logoutCount: (t: string) => number
  readonly issued: ReadonlyArray<string>
}> => {
  const tokens: Record<string, TokenSeed> = {
    ...seed,
    [s.emuTok]: { accounts: [{ accountId: ACCOUNT, accountName: 'dev', emailAddress: 'dev@example.com', roles: ['ReadOnly'] }] },
    ...Object.fromEntries(sendableFileTokens(s).map((t) => [t, {}]))
  }
  const started = await startEmulator({ tokens, faults: [{ operation: 'GetRoleCredentials', status: 500 }, { operation: 'ListAccounts', drop: 'before-response' }] })()
  if (started._tag === 'Left') throw new Error(started.left.message)
  const emu = started.right
  const issued: Array<string> = []
  const env = newEnv({ ...baseOptions(c), endpoint: emu.url, attemptTimeoutMs: 2_000, maxAttempts: 3 })
  for (const t of [...Object.keys(seed), s.emuTok]) {
    await guard(c, 'emulator ListAccounts', () => collectItems(ListAccounts, listAccountsPager)(newListAccounts(t))(env)())
  }
  const creds = await guard(c, 'emulator GetRoleCredentials', () => send(GetRoleCredentials)(newGetRoleCredentials('ReadOnly', ACCOUNT, s.emuTok))(env)())
  const rc = creds as { _tag?: string; right?: { roleCredentials: O.Option<RoleCredentials> } } | undefined
  if (rc?._tag === 'Right' && rc.right !== undefined && O.isSome(rc.right.roleCredentials)) issued.push(...credentialSecrets(rc.right.roleCredentials.value))
  else c.thrown.push(`the emulator issued no credentials: ${JSON.stringify(creds)}`)
  await guard(c, 'emulator GetRoleCredentials 403', () => send(GetRoleCredentials)(newGetRoleCredentials('Admin', ACCOUNT, s.emuTok))(env)())
  await guard(c, 'emulator Logout', () => send(Logout)(newLogout(s.emuTok))(env)())
  await guard(c, 'emulator after Logout', () => send(ListAccountRoles)(newListAccountRoles(s.emuTok, ACCOUNT))(env)())
  emu.inject([{ status: 429, code: 'TooManyRequestsException' }, { hangs: true, operation: 'ListAccountRoles' }])
  await guard(c, 'emulator 429', () => send(ListAccounts)(newListAccounts(s.emuTok))(newEnv({ ...baseOptions(c), endpoint: emu.url, maxAttempts: 1 }))())
  await guard(c, 'emulator hang', () => send(ListAccountRoles)(newListAccountRoles(s.emuTok, ACCOUNT))(newEnv({ ...baseOptions(c), endpoint: emu.url, maxAttempts: 1 }))())
  await guard(c, 'emulator requests()', () => emu.requests())
  // seeds: decoding errors name tokens by position, never by value
  const badSeed = { tokens: { [s.emuTok]: { accounts: [{ accountId: 5 }] }, [s.tok]: 7, ...Object.fromEntries(Object.keys(seed).map((t) => [t, { roles: [] }])) } }
  await guard(c, 'decodeSeedFile bad', () => decodeSeedFile(badSeed))
  await guard(c, 'parseSeedFile bad', () => parseSeedFile(JSON.stringify(badSeed)))
  await guard(c, 'parseSeedFile not json', () => parseSeedFile(`{"tokens": {"${s.emuTok}": `))
  await guard(c, 'startEmulator bad seed', () => startEmulator({ tokens: { [s.emuTok]: { accounts: 5 } as unknown as TokenSeed } })())
  // the command: tokens from a seed file are never printed
  const seedFile = path.join(home, 'seed.json')
  fs.writeFileSync(seedFile, JSON.stringify({ tokens }))
  const stop = new AbortController()
  let printed = ''
  const code = await guard(c, 'cli sso emulator', () =>
    main(['sso', 'emulator', '--port', '0', '--seed', seedFile], {
      stdout: (x) => {
        printed += x
        if (x.includes('Ctrl-C')) stop.abort()
      },
      stderr: (x) => {
        printed += x
      },
      env: {},
      signal: stop.signal
    })
  )
  c.seen.push(['cli sso emulator output', printed])
  if (code !== 0) c.thrown.push(`sso emulator exited ${String(code)}`)
  fs.writeFileSync(seedFile, JSON.stringify(badSeed))
  await cli(c, 'sso emulator bad seed', ['sso', 'emulator', '--port', '0', '--seed', seedFile], {})
  return { url: emu.url, close: emu.close, loggedOut: emu.isLoggedOut, logoutCount: emu.logoutCount, issued }
}

const driveConfig = async (c: Capture, s: Secrets, home: string): Promise<void> => {
  for (const name of ['AWS_MAX_ATTEMPTS', 'AWS_ENDPOINT_URL_SSO', 'AWS_ENDPOINT_URL', 'AWS_USE_FIPS_ENDPOINT', 'AWS_USE_DUALSTACK_ENDPOINT']) {
    await guard(c, `fromEnvironment ${name}`, () => fromEnvironment({ env: { [name]: s.configValue }, homedir: home })())
  }
}

// -------------------------------------------------------------------------------------
// the property
// -------------------------------------------------------------------------------------

const NUM_RUNS = 5

describe('no secret ever leaks', () => {
  it(
    'every public path, with random secrets: nothing printed, logged, thrown or returned holds one',
    async () => {
      const seedArb = A.seed({ accessToken: extraSecret, minTokens: 1, maxTokens: 2, maxAccounts: 2, maxRoles: 2 })
      let runs = 0
      let allKinds = new Set<string>()
      await fc.assert(
        fc.asyncProperty(secretsArb, recordsArb, seedArb, async (s, records, seed) => {
          runs += 1
          current = s
          const c = newCapture()
          const home = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-secrets-'))
          const otherBefore = S.other.requests.length
          let emulator: Awaited<ReturnType<typeof driveEmulator>> | undefined
          try {
            await capturingProcess(c, async () => {
              fs.mkdirSync(path.join(home, '.aws'), { recursive: true })
              fs.writeFileSync(path.join(home, '.aws', 'config'), CONFIG)
              driveRecords(c, records)
              await driveOperations(c, s)
              await drivePagination(c, s)
              await driveConfig(c, s, home)
              await populate(home, s)
              await driveCacheReads(c, home, s)
              await driveFromSSO(c, home, s)
              await driveLogout(c, home, s)
              emulator = await driveEmulator(c, home, s, seed)
              await driveCli(c, home, s, emulator.url)
            })
            // the emulator really logged out the cached tokens (the run is not vacuous)
            for (const t of sendableFileTokens(s)) expect(emulator?.loggedOut(t), 'a cached token was not logged out').toBe(true)
            for (const t of neverSent(s)) expect(emulator?.logoutCount(t), 'a token that must not be sent was').toBe(0)
          } finally {
            current = undefined
            await emulator?.close()
            const tokens = tokenCacheDir(home)
            if (fs.existsSync(tokens)) fs.chmodSync(tokens, 0o700)
            for (const f of fs.existsSync(tokens) ? fs.readdirSync(tokens) : []) {
              try {
                fs.chmodSync(path.join(tokens, f), 0o600)
              } catch {
                // a link or a directory
              }
            }
            fs.rmSync(home, { recursive: true, force: true })
          }
          const secrets = [...Object.values(s), ...secretsOfRecords(records), ...Object.keys(seed), ...(emulator?.issued ?? [])]
          for (const x of secrets) expect(x.length).toBeGreaterThanOrEqual(8)
          const leaks: Array<string> = []
          for (const [label, text] of c.seen) {
            for (const x of secrets) {
              if (text.includes(x)) leaks.push(`${label}: ${text.slice(Math.max(0, text.indexOf(x) - 120), text.indexOf(x) + x.length + 40)}`)
            }
          }
          expect(leaks).toEqual([])
          expect(c.thrown).toEqual([])
          // no server ever received a secret that is not an access token, or a token that must not be sent
          const wire: Array<string> = []
          for (const srv of scriptedServers()) {
            for (const r of srv.requests) {
              const text = `${r.method} ${r.url} ${r.rawHeaders.join('\n')} ${r.body}`
              for (const x of neverSent(s)) if (text.includes(x)) wire.push(`${srv.url}: ${text}`)
            }
          }
          expect(wire).toEqual([])
          // a redirect never took the token to the other host
          expect(S.other.requests.length).toBe(otherBefore)
          allKinds = new Set([...allKinds, ...c.kinds])
        }),
        { numRuns: NUM_RUNS, endOnFailure: true }
      )
      expect(runs).toBe(NUM_RUNS)
      // every kind of failure was exercised
      for (const kind of [
        'ValidationError',
        'ServiceError',
        'SerializeError',
        'EndpointError',
        'PaginationError',
        'ConfigError',
        'SSOTokenError',
        'SSOConfigError',
        'CacheError',
        'FileError',
        'TransportError/ConnectionRefused',
        'TransportError/ConnectionReset',
        'TransportError/Timeout',
        'TransportError/TotalTimeout',
        'TransportError/Aborted',
        'TransportError/Redirect'
      ]) {
        expect(allKinds, kind).toContain(kind)
      }
      // the secrets did travel where they must: the hostile servers received the tokens
      for (const [, srv] of S.echo) expect(srv.requests.some((r) => bearer(r).startsWith('SeCrEt'))).toBe(true)
      expect(S.redirect.requests.length).toBeGreaterThan(0)
      expect(S.other.requests).toEqual([])
    },
    120_000
  )

  // Header names are case-insensitive and come back lower-cased (Node, axios), so a server
  // that echoes the token in a header NAME hands back the token lower-cased: exact-match
  // scrubbing misses it, and `ServiceError.headers` and the hooks' views show it.
  it('a token echoed in a response header name is redacted too (names come back lower-cased)', async () => {
    const srv = await scriptedServer((req) => ({ status: 401, headers: { [`x-echo-${nameSafe(bearer(req))}`]: 'x' }, body: '{}' }))
    try {
      await fc.assert(
        fc.asyncProperty(secretBody.map((b) => `SeCrEtN${nameSafe(b)}`), async (tok) => {
          const c = newCapture()
          const r = await send(Logout)(newLogout(tok))(newEnv({ ...baseOptions(c), endpoint: srv.url, maxAttempts: 1 }))()
          c.record('result', r)
          const lower = tok.toLowerCase()
          expect(c.seen.filter(([, text]) => text.toLowerCase().includes(lower)).map(([label]) => label)).toEqual([])
        }),
        { numRuns: 10 }
      )
    } finally {
      await srv.close()
    }
  })
})
