/**
 * Model-based test of the four SSO operations against the real emulator: random command
 * sequences (fast-check `commands` / `asyncModelRun`) over a random seed (`fp-aws/arbitrary`
 * `seed`), each checked against a small in-memory model: which tokens are live, and which
 * accounts and roles each token sees. Every run starts a fresh emulator on that seed.
 *
 * Expected results: a live token lists exactly its accounts (every page, through the pager)
 * and, in an assigned account, exactly its roles; it gets credentials for an assigned role;
 * an account or role not assigned is a 403 ForbiddenException; after Logout the token is
 * dead and every operation is a 401 UnauthorizedException (never retried); an unknown token
 * is a 401 too; an invalid token is a ValidationError and nothing is sent.
 */
import fc from 'fast-check'
import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import { describe, expect, it } from 'vitest'
import * as A from '../../src/arbitrary/index.js'
import { collectItems, newEnv, send, type Env } from '../../src/index.js'
import { startEmulator, type AccountSeed, type Emulator, type TokenSeed } from '../../src/emulator/index.js'
import {
  GetRoleCredentials,
  ListAccountRoles,
  listAccountRoles_maxResults,
  listAccountRolesPager,
  ListAccounts,
  listAccounts_maxResults,
  listAccountsPager,
  Logout,
  newGetRoleCredentials,
  newListAccountRoles,
  newListAccounts,
  newLogout,
  roleCredentials_secretAccessKey,
  roleCredentials_sessionToken
} from '../../src/services/sso/index.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

type Seed = Readonly<Record<string, TokenSeed>>

interface Model {
  readonly seed: Seed
  /** The seeded tokens, in seed order. */
  readonly tokens: ReadonlyArray<string>
  /** The seeded tokens not logged out. */
  readonly live: Set<string>
  /** Every account id of the seed, then one assigned to nobody. */
  readonly accountPool: ReadonlyArray<string>
  /** Every role name of the seed, then one assigned to nobody. */
  readonly rolePool: ReadonlyArray<string>
}

interface Real {
  readonly emu: Emulator
  readonly env: Env
}

const NOBODYS_ACCOUNT = 'account-of-nobody'
const NOBODYS_ROLE = 'RoleOfNobody'
const DEFAULT_PAGE_SIZE = 20

const makeModel = (seed: Seed): Model => {
  const accounts = Object.values(seed).flatMap((t) => t.accounts ?? [])
  return {
    seed,
    tokens: Object.keys(seed),
    live: new Set(Object.keys(seed)),
    accountPool: [...new Set([...accounts.map((a) => a.accountId), NOBODYS_ACCOUNT])],
    rolePool: [...new Set([...accounts.flatMap((a) => a.roles), NOBODYS_ROLE])]
  }
}

const pick = <X>(xs: ReadonlyArray<X>, i: number): X => xs[i % xs.length] as X
const accountsOf = (m: Model, token: string): ReadonlyArray<AccountSeed> =>
  Object.prototype.hasOwnProperty.call(m.seed, token) ? (m.seed[token]?.accounts ?? []) : []
const assignedAccount = (m: Model, token: string, accountId: string): AccountSeed | undefined =>
  accountsOf(m, token).find((a) => a.accountId === accountId)
const pairsOf = (m: Model, token: string): ReadonlyArray<readonly [string, string]> =>
  accountsOf(m, token).flatMap((a) => a.roles.map((r) => [a.accountId, r] as const))
const dead = (m: Model): ReadonlyArray<string> => m.tokens.filter((t) => !m.live.has(t))
const pages = (items: number, size: number | undefined): number => Math.max(1, Math.ceil(items / (size ?? DEFAULT_PAGE_SIZE)))

/** A seeded token (by index) or a stranger's (never issued, unless it happens to be seeded). */
type TokenRef = { readonly seeded: number } | { readonly stranger: string }
const tokenOf = (m: Model, ref: TokenRef): string => ('seeded' in ref ? pick(m.tokens, ref.seeded) : ref.stranger)
const showRef = (ref: TokenRef): string => ('seeded' in ref ? `token#${ref.seeded}` : `stranger(${JSON.stringify(ref.stranger)})`)

/** Any header-legal token, down to a single character (short ones must not disturb error codes). */
const token = A.accessToken()

const tokenRef: fc.Arbitrary<TokenRef> = fc.oneof(
  { arbitrary: fc.nat().map((seeded): TokenRef => ({ seeded })), weight: 5 },
  { arbitrary: token.map((stranger): TokenRef => ({ stranger })), weight: 1 }
)
const pageSize = fc.option(A.maxResults({ max: 4 }), { nil: undefined })

// -------------------------------------------------------------------------------------
// expectations
// -------------------------------------------------------------------------------------

const serviceError = (status: number, code: string) => ({ _tag: 'Left', left: { _tag: 'ServiceError', status, code } })
const UNAUTHORIZED = serviceError(401, 'UnauthorizedException')
const FORBIDDEN = serviceError(403, 'ForbiddenException')

/** What the runs went through, so that the test cannot pass without exercising each case. */
const seen = {
  accountLists: 0,
  multiPageLists: 0,
  roleLists: 0,
  credentials: 0,
  forbidden: 0,
  logouts: 0,
  afterLogout: 0,
  unknownToken: 0,
  invalidToken: 0
}

const forbidden = (got: unknown): void => {
  expect(got).toMatchObject(FORBIDDEN)
  seen.forbidden += 1
}

const unauthorized = (m: Model, token: string, got: unknown): void => {
  expect(got).toMatchObject(UNAUTHORIZED)
  if (m.tokens.includes(token)) seen.afterLogout += 1
  else seen.unknownToken += 1
}

/** Runs `f`, and checks how many requests it sent. */
const counted = async <X>(r: Real, requests: number, f: () => Promise<X>): Promise<X> => {
  const before = r.emu.requestCount()
  const out = await f()
  expect(r.emu.requestCount() - before).toBe(requests)
  return out
}

const checkSessions = (m: Model, r: Real): void => {
  for (const t of m.tokens) expect(r.emu.isLoggedOut(t), 'logged out').toBe(!m.live.has(t))
}

const listAccounts = async (m: Model, r: Real, token: string, size: number | undefined): Promise<void> => {
  const rq = pipe(newListAccounts(token), listAccounts_maxResults.set(O.fromNullable(size)))
  const live = m.live.has(token)
  const accounts = accountsOf(m, token)
  const got = await counted(r, live ? pages(accounts.length, size) : 1, () => collectItems(ListAccounts, listAccountsPager)(rq)(r.env)())
  if (!live) return unauthorized(m, token, got)
  seen.accountLists += 1
  if (pages(accounts.length, size) > 1) seen.multiPageLists += 1
  expect(got).toStrictEqual({
    _tag: 'Right',
    right: accounts.map((a) => ({
      accountId: O.some(a.accountId),
      accountName: O.some(a.accountName),
      emailAddress: O.some(a.emailAddress)
    }))
  })
}

const listAccountRoles = async (m: Model, r: Real, token: string, accountId: string, size: number | undefined): Promise<void> => {
  const rq = pipe(newListAccountRoles(token, accountId), listAccountRoles_maxResults.set(O.fromNullable(size)))
  const live = m.live.has(token)
  const account = assignedAccount(m, token, accountId)
  const requests = live && account !== undefined ? pages(account.roles.length, size) : 1
  const got = await counted(r, requests, () => collectItems(ListAccountRoles, listAccountRolesPager)(rq)(r.env)())
  if (!live) return unauthorized(m, token, got)
  if (account === undefined) return forbidden(got)
  seen.roleLists += 1
  if (pages(account.roles.length, size) > 1) seen.multiPageLists += 1
  expect(got).toStrictEqual({
    _tag: 'Right',
    right: account.roles.map((roleName) => ({ roleName: O.some(roleName), accountId: O.some(accountId) }))
  })
}

const getRoleCredentials = async (m: Model, r: Real, token: string, accountId: string, roleName: string): Promise<void> => {
  const live = m.live.has(token)
  const assigned = assignedAccount(m, token, accountId)?.roles.includes(roleName) ?? false
  const before = Date.now()
  const got = await counted(r, 1, () => pipe(newGetRoleCredentials(roleName, accountId, token), send(GetRoleCredentials))(r.env)())
  const after = Date.now()
  if (!live) return unauthorized(m, token, got)
  if (!assigned) return forbidden(got)
  seen.credentials += 1
  if (got._tag === 'Left' || O.isNone(got.right.roleCredentials)) return void expect.fail(`expected credentials, got ${JSON.stringify(got)}`)
  const rc = got.right.roleCredentials.value
  expect(rc.accessKeyId).toMatchObject({ _tag: 'Some', value: expect.stringMatching(/^ASIA[A-Z2-7]{16}$/) })
  expect(O.isSome(roleCredentials_secretAccessKey.get(rc))).toBe(true)
  expect(O.isSome(roleCredentials_sessionToken.get(rc))).toBe(true)
  expect(rc.expiration).toBeGreaterThanOrEqual(before + 3600_000)
  expect(rc.expiration).toBeLessThanOrEqual(after + 3600_000)
}

const logout = async (m: Model, r: Real, token: string): Promise<void> => {
  const live = m.live.has(token)
  const count = r.emu.logoutCount(token)
  const got = await counted(r, 1, () => pipe(newLogout(token), send(Logout))(r.env)())
  if (live) {
    expect(got).toStrictEqual({ _tag: 'Right', right: { _tag: 'LogoutResponse' } })
    m.live.delete(token)
    seen.logouts += 1
  } else unauthorized(m, token, got)
  expect(r.emu.logoutCount(token)).toBe(count + 1)
}

// -------------------------------------------------------------------------------------
// commands
// -------------------------------------------------------------------------------------

type Cmd = fc.AsyncCommand<Model, Real>

class ListAccountsCmd implements Cmd {
  constructor(
    readonly ref: TokenRef,
    readonly size: number | undefined
  ) {}
  check = (): boolean => true
  run = async (m: Model, r: Real): Promise<void> => {
    await listAccounts(m, r, tokenOf(m, this.ref), this.size)
    checkSessions(m, r)
  }
  toString = (): string => `ListAccounts(${showRef(this.ref)}, pageSize=${String(this.size)})`
}

/** In one of the token's own accounts (`own`), or in any account of the seed, or nobody's. */
class ListAccountRolesCmd implements Cmd {
  constructor(
    readonly ref: TokenRef,
    readonly own: boolean,
    readonly account: number,
    readonly size: number | undefined
  ) {}
  check = (m: Readonly<Model>): boolean => !this.own || accountsOf(m as Model, tokenOf(m as Model, this.ref)).length > 0
  run = async (m: Model, r: Real): Promise<void> => {
    const token = tokenOf(m, this.ref)
    const accountId = this.own ? pick(accountsOf(m, token), this.account).accountId : pick(m.accountPool, this.account)
    await listAccountRoles(m, r, token, accountId, this.size)
    checkSessions(m, r)
  }
  toString = (): string =>
    `ListAccountRoles(${showRef(this.ref)}, ${this.own ? 'own ' : ''}account#${this.account}, pageSize=${String(this.size)})`
}

/** A role of the token's own (assigned, unless the token is dead or a stranger's). */
class GetAssignedRoleCredentialsCmd implements Cmd {
  constructor(
    readonly ref: TokenRef,
    readonly pair: number
  ) {}
  check = (m: Readonly<Model>): boolean => pairsOf(m as Model, tokenOf(m as Model, this.ref)).length > 0
  run = async (m: Model, r: Real): Promise<void> => {
    const token = tokenOf(m, this.ref)
    const [accountId, roleName] = pick(pairsOf(m, token), this.pair)
    await getRoleCredentials(m, r, token, accountId, roleName)
    checkSessions(m, r)
  }
  toString = (): string => `GetRoleCredentials(${showRef(this.ref)}, own role#${this.pair})`
}

/** Any account and role of the seed, or nobody's: mostly not assigned to this token. */
class GetAnyRoleCredentialsCmd implements Cmd {
  constructor(
    readonly ref: TokenRef,
    readonly account: number,
    readonly role: number
  ) {}
  check = (): boolean => true
  run = async (m: Model, r: Real): Promise<void> => {
    await getRoleCredentials(m, r, tokenOf(m, this.ref), pick(m.accountPool, this.account), pick(m.rolePool, this.role))
    checkSessions(m, r)
  }
  toString = (): string => `GetRoleCredentials(${showRef(this.ref)}, account#${this.account}, role#${this.role})`
}

class LogoutCmd implements Cmd {
  constructor(readonly ref: TokenRef) {}
  check = (): boolean => true
  run = async (m: Model, r: Real): Promise<void> => {
    await logout(m, r, tokenOf(m, this.ref))
    checkSessions(m, r)
  }
  toString = (): string => `Logout(${showRef(this.ref)})`
}

type Operation = 'ListAccounts' | 'ListAccountRoles' | 'GetRoleCredentials' | 'Logout'
const operation = fc.constantFrom<Operation>('ListAccounts', 'ListAccountRoles', 'GetRoleCredentials', 'Logout')

/** A logged-out token, reused: a 401 for every operation, even on its own accounts and roles. */
class ReuseLoggedOutTokenCmd implements Cmd {
  constructor(
    readonly which: number,
    readonly op: Operation,
    readonly size: number | undefined
  ) {}
  check = (m: Readonly<Model>): boolean => dead(m as Model).length > 0
  run = async (m: Model, r: Real): Promise<void> => {
    const token = pick(dead(m), this.which)
    const own = pairsOf(m, token)
    const [accountId, roleName] = own.length > 0 ? pick(own, this.which) : [pick(m.accountPool, this.which), NOBODYS_ROLE]
    expect(m.live.has(token)).toBe(false)
    if (this.op === 'ListAccounts') await listAccounts(m, r, token, this.size)
    else if (this.op === 'ListAccountRoles') await listAccountRoles(m, r, token, accountId, this.size)
    else if (this.op === 'GetRoleCredentials') await getRoleCredentials(m, r, token, accountId, roleName)
    else await logout(m, r, token)
    checkSessions(m, r)
  }
  toString = (): string => `${this.op}(logged-out token#${this.which}, pageSize=${String(this.size)})`
}

/** A token no header may carry: refused before anything is sent. */
class InvalidTokenCmd implements Cmd {
  constructor(
    readonly token: string,
    readonly op: Operation
  ) {}
  check = (): boolean => true
  run = async (m: Model, r: Real): Promise<void> => {
    const accountId = pick(m.accountPool, 0)
    const got = await counted<unknown>(r, 0, () => {
      switch (this.op) {
        case 'ListAccounts':
          return collectItems(ListAccounts, listAccountsPager)(newListAccounts(this.token))(r.env)()
        case 'ListAccountRoles':
          return collectItems(ListAccountRoles, listAccountRolesPager)(newListAccountRoles(this.token, accountId))(r.env)()
        case 'GetRoleCredentials':
          return pipe(newGetRoleCredentials(pick(m.rolePool, 0), accountId, this.token), send(GetRoleCredentials))(r.env)()
        case 'Logout':
          return pipe(newLogout(this.token), send(Logout))(r.env)()
      }
    })
    expect(got).toMatchObject({ _tag: 'Left', left: { _tag: 'ValidationError', operation: this.op, field: 'accessToken' } })
    seen.invalidToken += 1
    checkSessions(m, r)
  }
  toString = (): string => `${this.op}(invalid token ${JSON.stringify(this.token)})`
}

const listAccountsCmd = fc.tuple(tokenRef, pageSize).map(([ref, size]) => new ListAccountsCmd(ref, size))
const listAccountRolesCmd = (own: boolean) =>
  fc.tuple(tokenRef, fc.nat(), pageSize).map(([ref, account, size]) => new ListAccountRolesCmd(ref, own, account, size))
const getAssignedCmd = fc.tuple(tokenRef, fc.nat()).map(([ref, pair]) => new GetAssignedRoleCredentialsCmd(ref, pair))
const getAnyCmd = fc.tuple(tokenRef, fc.nat(), fc.nat()).map(([ref, account, role]) => new GetAnyRoleCredentialsCmd(ref, account, role))
const logoutCmd = tokenRef.map((ref) => new LogoutCmd(ref))
const reuseCmd = fc.tuple(fc.nat(), operation, pageSize).map(([which, op, size]) => new ReuseLoggedOutTokenCmd(which, op, size))
const invalidCmd = fc.tuple(A.invalidAccessToken(), operation).map(([t, op]) => new InvalidTokenCmd(t, op))

/** `commands` picks uniformly among these: the live paths are listed more than once, so that they outweigh Logout. */
const commands: ReadonlyArray<fc.Arbitrary<Cmd>> = [
  listAccountsCmd,
  listAccountsCmd,
  listAccountRolesCmd(true),
  listAccountRolesCmd(true),
  listAccountRolesCmd(false),
  getAssignedCmd,
  getAssignedCmd,
  getAnyCmd,
  logoutCmd,
  reuseCmd,
  invalidCmd
]

// -------------------------------------------------------------------------------------
// the test
// -------------------------------------------------------------------------------------

const RUNS = 200

describe('the SSO operations against the emulator, checked against a model', () => {
  it('every random sequence of ListAccounts, ListAccountRoles, GetRoleCredentials and Logout behaves as the model says', async () => {
    const seeds = A.seed({ minTokens: 1, maxTokens: 3, maxAccounts: 5, maxRoles: 4, accessToken: token })
    let runs = 0
    await fc.assert(
      fc.asyncProperty(seeds, fc.commands([...commands], { maxCommands: 40, size: 'medium' }), async (seed, cmds) => {
        const started = await startEmulator({ tokens: seed })()
        if (started._tag === 'Left') throw new Error(started.left.message)
        const emu = started.right
        try {
          const real: Real = { emu, env: newEnv({ endpoint: emu.url }) }
          await fc.asyncModelRun(() => ({ model: makeModel(seed), real }), cmds)
          runs += 1
        } finally {
          await emu.close()
        }
      }),
      { numRuns: RUNS }
    )
    // every case occurred
    expect(runs).toBe(RUNS)
    for (const [what, n] of Object.entries(seen)) expect(n, what).toBeGreaterThan(0)
  }, 60_000)
})
