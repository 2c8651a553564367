/**
 * Parity with the official client: `@aws-sdk/client-sso` and fp-aws talk to the same
 * emulator and must see exactly the same thing, for all four operations and both
 * paginators. This checks the emulator's fidelity and fp-aws's decoding at once.
 */
import {
  GetRoleCredentialsCommand,
  ListAccountRolesCommand,
  ListAccountsCommand,
  LogoutCommand,
  paginateListAccountRoles,
  paginateListAccounts,
  SSOClient
} from '@aws-sdk/client-sso'
import * as O from 'fp-ts/lib/Option.js'
import { pipe } from 'fp-ts/lib/function.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collectItems, collectPages, newEnv, send, type AWSError, type Env } from '../../src/index.js'
import { reveal } from '../../src/core/Sensitive.js'
import { startEmulator, type Emulator, type TokenSeed } from '../../src/emulator/index.js'
import {
  GetRoleCredentials,
  ListAccountRoles,
  listAccountRolesPager,
  listAccountRoles_maxResults,
  ListAccounts,
  listAccountsPager,
  listAccounts_maxResults,
  Logout,
  newGetRoleCredentials,
  newListAccountRoles,
  newListAccounts,
  newLogout
} from '../../src/services/sso/index.js'

const accounts = Array.from({ length: 7 }, (_, i) => ({
  accountId: String(100000000000 + i),
  accountName: `account-${i}`,
  emailAddress: `owner${i}@example.com`,
  roles: Array.from({ length: (i % 4) + 1 }, (_, j) => `Role${j}`)
}))
const seed: TokenSeed = { accounts }
const tokens: Record<string, TokenSeed> = { 'tok-sdk-1': seed, 'tok-fp-1': seed, 'tok-sdk-2': seed, 'tok-fp-2': seed }

let emu: Emulator
let sdk: SSOClient
let env: Env
beforeAll(async () => {
  const r = await startEmulator({ tokens })()
  if (r._tag === 'Left') throw new Error(r.left.message)
  emu = r.right
  sdk = new SSOClient({ region: 'us-east-1', endpoint: emu.url, maxAttempts: 1 })
  env = newEnv({ region: 'us-east-1', endpoint: emu.url, maxAttempts: 1 })
})
afterAll(async () => {
  sdk.destroy()
  await emu.close()
})

/** What both clients agree an error is. */
interface SeenError {
  readonly code: string
  readonly status: number | undefined
  readonly message: string
  readonly hasRequestId: boolean
}

const fromSdk = async <A>(p: Promise<A>): Promise<{ ok: A } | { err: SeenError }> => {
  try {
    return { ok: await p }
  } catch (e) {
    const x = e as { name: string; message: string; $metadata?: { httpStatusCode?: number; requestId?: string } }
    return {
      err: {
        code: x.name,
        status: x.$metadata?.httpStatusCode,
        message: x.message,
        hasRequestId: typeof x.$metadata?.requestId === 'string'
      }
    }
  }
}

const fromFp = (e: AWSError): SeenError =>
  e._tag === 'ServiceError'
    ? { code: e.code, status: e.status, message: e.message, hasRequestId: e.requestId !== undefined }
    : { code: e._tag, status: undefined, message: e.message, hasRequestId: false }

const plainAccount = (a: { accountId?: string; accountName?: string; emailAddress?: string }) => ({
  accountId: a.accountId,
  accountName: a.accountName,
  emailAddress: a.emailAddress
})

describe('parity with @aws-sdk/client-sso against the emulator', () => {
  it('ListAccounts, page by page at every page size (the paginator)', async () => {
    for (const pageSize of [1, 2, 3, 7, 100]) {
      const sdkPages: Array<Array<unknown>> = []
      for await (const page of paginateListAccounts({ client: sdk, pageSize }, { accessToken: 'tok-sdk-1' }))
        sdkPages.push((page.accountList ?? []).map(plainAccount))
      const fp = await pipe(
        newListAccounts('tok-fp-1'),
        listAccounts_maxResults.set(O.some(pageSize)),
        collectPages(ListAccounts, listAccountsPager)
      )(env)()
      expect(fp._tag).toBe('Right')
      if (fp._tag === 'Right') {
        const fpPages = fp.right.map((p) =>
          p.accountList.map((a) => ({
            accountId: O.toUndefined(a.accountId),
            accountName: O.toUndefined(a.accountName),
            emailAddress: O.toUndefined(a.emailAddress)
          }))
        )
        expect(fpPages).toStrictEqual(sdkPages)
      }
      expect(sdkPages.flat()).toHaveLength(7)
    }
  })

  it('ListAccountRoles, page by page (the paginator), for every account', async () => {
    for (const a of accounts) {
      const sdkRoles: Array<unknown> = []
      for await (const page of paginateListAccountRoles({ client: sdk, pageSize: 2 }, { accessToken: 'tok-sdk-1', accountId: a.accountId }))
        sdkRoles.push(...(page.roleList ?? []).map((r) => ({ roleName: r.roleName, accountId: r.accountId })))
      const fp = await pipe(
        newListAccountRoles('tok-fp-1', a.accountId),
        listAccountRoles_maxResults.set(O.some(2)),
        collectItems(ListAccountRoles, listAccountRolesPager)
      )(env)()
      expect(fp._tag).toBe('Right')
      if (fp._tag === 'Right')
        expect(fp.right.map((r) => ({ roleName: O.toUndefined(r.roleName), accountId: O.toUndefined(r.accountId) }))).toStrictEqual(sdkRoles)
      expect(sdkRoles).toHaveLength(a.roles.length)
    }
  })

  it('GetRoleCredentials: the same shape, types and expiration (epoch milliseconds)', async () => {
    const s = await sdk.send(new GetRoleCredentialsCommand({ accessToken: 'tok-sdk-1', accountId: accounts[0]!.accountId, roleName: 'Role0' }))
    const f = await pipe(newGetRoleCredentials('Role0', accounts[0]!.accountId, 'tok-fp-1'), send(GetRoleCredentials))(env)()
    expect(f._tag).toBe('Right')
    if (f._tag === 'Right' && O.isSome(f.right.roleCredentials)) {
      const c = f.right.roleCredentials.value
      const sc = s.roleCredentials!
      expect(Object.keys(sc).sort()).toStrictEqual(['accessKeyId', 'expiration', 'secretAccessKey', 'sessionToken'])
      expect(O.toUndefined(c.accessKeyId)).toMatch(/^ASIA/)
      expect(sc.accessKeyId).toMatch(/^ASIA/)
      expect(typeof O.toUndefined(pipe(c.secretAccessKey, O.map(reveal)))).toBe(typeof sc.secretAccessKey)
      expect(typeof O.toUndefined(pipe(c.sessionToken, O.map(reveal)))).toBe(typeof sc.sessionToken)
      expect(Math.abs(c.expiration - sc.expiration!)).toBeLessThan(60_000)
      expect(c.expiration).toBeGreaterThan(Date.now() + 50 * 60_000)
    } else expect.fail('expected credentials')
  })

  it('the same errors: 403 ForbiddenException for an unassigned role, 400 for a bad page token, 401 for an unknown token', async () => {
    const cases: Array<[() => Promise<unknown>, () => Promise<{ _tag: string; left?: AWSError }>]> = [
      [
        () => sdk.send(new GetRoleCredentialsCommand({ accessToken: 'tok-sdk-1', accountId: accounts[0]!.accountId, roleName: 'NotAssigned' })),
        () => pipe(newGetRoleCredentials('NotAssigned', accounts[0]!.accountId, 'tok-fp-1'), send(GetRoleCredentials))(env)()
      ],
      [
        () => sdk.send(new ListAccountRolesCommand({ accessToken: 'tok-sdk-1', accountId: '999999999999' })),
        () => pipe(newListAccountRoles('tok-fp-1', '999999999999'), send(ListAccountRoles))(env)()
      ],
      [
        () => sdk.send(new ListAccountsCommand({ accessToken: 'tok-sdk-1', nextToken: 'forged' })),
        () => pipe({ ...newListAccounts('tok-fp-1'), nextToken: O.some('forged') }, send(ListAccounts))(env)()
      ],
      [() => sdk.send(new ListAccountsCommand({ accessToken: 'never-issued' })), () => pipe(newListAccounts('never-issued'), send(ListAccounts))(env)()]
    ]
    for (const [sdkCall, fpCall] of cases) {
      const s = await fromSdk(sdkCall())
      const f = await fpCall()
      expect('err' in s).toBe(true)
      expect(f._tag).toBe('Left')
      if ('err' in s && f.left !== undefined) expect(fromFp(f.left)).toStrictEqual(s.err)
    }
  })

  it('Logout: both succeed, then both see 401 UnauthorizedException on every operation', async () => {
    const s1 = await fromSdk(sdk.send(new LogoutCommand({ accessToken: 'tok-sdk-2' })))
    const f1 = await pipe(newLogout('tok-fp-2'), send(Logout))(env)()
    expect('ok' in s1).toBe(true)
    expect(f1._tag).toBe('Right')
    const after: Array<[() => Promise<unknown>, () => Promise<{ _tag: string; left?: AWSError }>]> = [
      [() => sdk.send(new LogoutCommand({ accessToken: 'tok-sdk-2' })), () => pipe(newLogout('tok-fp-2'), send(Logout))(env)()],
      [() => sdk.send(new ListAccountsCommand({ accessToken: 'tok-sdk-2' })), () => pipe(newListAccounts('tok-fp-2'), send(ListAccounts))(env)()],
      [
        () => sdk.send(new GetRoleCredentialsCommand({ accessToken: 'tok-sdk-2', accountId: accounts[0]!.accountId, roleName: 'Role0' })),
        () => pipe(newGetRoleCredentials('Role0', accounts[0]!.accountId, 'tok-fp-2'), send(GetRoleCredentials))(env)()
      ]
    ]
    for (const [sdkCall, fpCall] of after) {
      const s = await fromSdk(sdkCall())
      const f = await fpCall()
      expect('err' in s && s.err.code).toBe('UnauthorizedException')
      if ('err' in s && f.left !== undefined) expect(fromFp(f.left)).toStrictEqual(s.err)
      else expect.fail('expected both to fail')
    }
  })

  it('where they differ, by design: fp-aws refuses maxResults 0 before sending; the official client lets the server answer 400', async () => {
    const s = await fromSdk(sdk.send(new ListAccountsCommand({ accessToken: 'tok-sdk-1', maxResults: 0 })))
    const before = emu.requestCount()
    const f = await pipe(newListAccounts('tok-fp-1'), listAccounts_maxResults.set(O.some(0)), send(ListAccounts))(env)()
    expect('err' in s && [s.err.code, s.err.status]).toStrictEqual(['InvalidRequestException', 400])
    expect(f._tag === 'Left' && f.left._tag).toBe('ValidationError')
    expect(emu.requestCount()).toBe(before)
  })
})
