import * as util from 'node:util'
import fc from 'fast-check'
import { pipe } from 'fp-ts/lib/function.js'
import * as N from 'fp-ts/lib/number.js'
import * as O from 'fp-ts/lib/Option.js'
import * as RA from 'fp-ts/lib/ReadonlyArray.js'
import * as S from 'fp-ts/lib/string.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as A from '../../src/arbitrary/index.js'
import { collectItems, collectPages, newEnv, send } from '../../src/index.js'
import { pathAndQuery } from '../../src/core/Request.js'
import { reveal } from '../../src/core/Sensitive.js'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import {
  encodeListAccountRoles,
  ListAccountRoles,
  listAccountRoles_accessToken,
  listAccountRoles_accountId,
  listAccountRoles_maxResults,
  listAccountRoles_nextToken,
  ListAccountRolesCodec,
  ListAccountRolesEq,
  listAccountRolesPager,
  listAccountRolesResponse_nextToken,
  listAccountRolesResponse_roleList,
  ListAccountRolesResponseCodec,
  ListAccountRolesResponseEq,
  ListAccountRolesResponseShow,
  ListAccountRolesShow,
  newListAccountRoles,
  newListAccountRolesResponse,
  newRoleInfo,
  paginateListAccountRoles,
  roleInfo_accountId,
  roleInfo_roleName,
  RoleInfoCodec,
  RoleInfoEq,
  RoleInfoShow,
  type ListAccountRoles as ListAccountRolesRq,
  type ListAccountRolesResponse,
  type RoleInfo
} from '../../src/services/sso/index.js'
import { codecLaws, lensLaws } from '../laws.js'
import { awsEncode, envFor, useScriptedServers } from '../util/harness.js'

// -------------------------------------------------------------------------------------
// arbitraries
// -------------------------------------------------------------------------------------

const validToken = A.accessToken({ maxLength: 256 })
const anyString = fc.string({ unit: 'binary', maxLength: 64 })
/** Well-formed query values, reserved characters and unicode included; an account id is non-empty. */
const accountIdValue = A.accountId({ kind: 'any' })
const nextTokenValue = A.nextToken({ minLength: 0, maxLength: 40 })
const optString = fc.option(anyString, { nil: undefined }).map(O.fromNullable)
const validPageSize = A.maxResults()
const badPageSize = A.invalidMaxResults()

/** Records with any strings at all in them (the constructors are total). */
const request: fc.Arbitrary<ListAccountRolesRq> = A.listAccountRoles({
  accessToken: anyString,
  accountId: anyString,
  nextToken: anyString,
  maxResults: fc.integer()
})
const roleInfo: fc.Arbitrary<RoleInfo> = A.roleInfo({ roleName: anyString, accountId: anyString })
const response: fc.Arbitrary<ListAccountRolesResponse> = A.listAccountRolesResponse({ nextToken: anyString, roleInfo, maxItems: 5 })


// -------------------------------------------------------------------------------------
// servers
// -------------------------------------------------------------------------------------

const serve = useScriptedServers()

const TOKEN = 'aoaAAAAAGg-test-token-0123456789'
const DEV = '111122223333'
const PROD = '444455556666'
const devRoles = Array.from({ length: 23 }, (_, i) => `Role${String(i).padStart(2, '0')}`)

let emu: Emulator
beforeAll(async () => {
  const r = await startEmulator({
    tokens: {
      [TOKEN]: {
        accounts: [
          { accountId: DEV, accountName: 'Dev', emailAddress: 'dev@example.com', roles: devRoles },
          { accountId: PROD, accountName: 'Prod', emailAddress: 'prod@example.com', roles: [] }
        ]
      }
    }
  })()
  if (r._tag === 'Left') throw new Error(r.left.message)
  emu = r.right
})
afterAll(() => emu.close())

const listRoles = (rq: ListAccountRolesRq, env = newEnv({ endpoint: emu.url })) => pipe(rq, send(ListAccountRoles))(env)()

// -------------------------------------------------------------------------------------
// tests
// -------------------------------------------------------------------------------------

describe('ListAccountRoles request', () => {
  it('every request lens obeys the lens laws', () => {
    lensLaws(listAccountRoles_accessToken, request, anyString, ListAccountRolesEq, S.Eq)
    lensLaws(listAccountRoles_accountId, request, anyString, ListAccountRolesEq, S.Eq)
    lensLaws(listAccountRoles_nextToken, request, optString, ListAccountRolesEq, O.getEq(S.Eq))
    lensLaws(
      listAccountRoles_maxResults,
      request,
      fc.option(fc.integer(), { nil: undefined }).map(O.fromNullable),
      ListAccountRolesEq,
      O.getEq(N.Eq)
    )
  })

  it('newListAccountRoles is total and asks for the first page', () => {
    fc.assert(
      fc.property(anyString, anyString, (t, a) => {
        const rq = newListAccountRoles(t, a)
        expect(reveal(rq.accessToken)).toBe(t)
        expect(rq.accountId).toBe(a)
        expect(rq.nextToken).toStrictEqual(O.none)
        expect(rq.maxResults).toStrictEqual(O.none)
      })
    )
  })

  it('the request codec round-trips and rejects wrong shapes', () => {
    codecLaws(ListAccountRolesCodec, request, ListAccountRolesEq)
    expect(ListAccountRolesCodec.encode(newListAccountRoles('t', '1'))).toStrictEqual({ accessToken: 't', accountId: '1' })
    expect(ListAccountRolesCodec.decode({ accessToken: 't' })._tag).toBe('Left')
    expect(ListAccountRolesCodec.decode({ accessToken: 't', accountId: '1', nextToken: 3 })._tag).toBe('Left')
  })

  it('encodes every valid request as exactly GET /assignment/roles + next_token, max_result, account_id + bearer header + no body', () => {
    fc.assert(
      fc.property(
        validToken,
        accountIdValue,
        fc.option(nextTokenValue, { nil: undefined }),
        fc.option(validPageSize, { nil: undefined }),
        (tok, accountId, nextToken, maxResults) => {
          const rq = pipe(
            newListAccountRoles(tok, accountId),
            listAccountRoles_nextToken.set(O.fromNullable(nextToken)),
            listAccountRoles_maxResults.set(O.fromNullable(maxResults))
          )
          const r = encodeListAccountRoles(rq)
          expect(r._tag).toBe('Right')
          if (r._tag !== 'Right') return
          expect(r.right.method).toBe('GET')
          expect(r.right.path).toBe('/assignment/roles')
          const query: Array<readonly [string, string]> = []
          if (nextToken !== undefined) query.push(['next_token', nextToken])
          if (maxResults !== undefined) query.push(['max_result', String(maxResults)])
          query.push(['account_id', accountId])
          expect(r.right.query).toStrictEqual(query)
          expect(r.right.body).toBeUndefined()
          expect(Object.keys(r.right.headers)).toStrictEqual(['x-amz-sso_bearer_token'])
          expect(reveal(r.right.headers['x-amz-sso_bearer_token'] as never)).toBe(tok)
          expect(pathAndQuery(r.right)).toBe(`/assignment/roles?${query.map(([k, v]) => `${k}=${awsEncode(v)}`).join('&')}`)
        }
      )
    )
  })

  it("percent-encodes reserved characters !'()* and unicode like the AWS SDKs", () => {
    const rq = pipe(newListAccountRoles('t', "1!'()*"), listAccountRoles_nextToken.set(O.some('é 😀')), listAccountRoles_maxResults.set(O.some(100)))
    const r = encodeListAccountRoles(rq)
    expect(r._tag === 'Right' && pathAndQuery(r.right)).toBe(
      '/assignment/roles?next_token=%C3%A9%20%F0%9F%98%80&max_result=100&account_id=1%21%27%28%29%2A'
    )
  })

  it('refuses maxResults outside the integers 1..100, an empty accountId, a bad token, a lone surrogate', () => {
    fc.assert(
      fc.property(badPageSize, (n) => {
        const r = encodeListAccountRoles(pipe(newListAccountRoles('t', DEV), listAccountRoles_maxResults.set(O.some(n))))
        expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ValidationError', operation: 'ListAccountRoles', field: 'maxResults' } })
      })
    )
    for (const [rq, field] of [
      [newListAccountRoles('t', ''), 'accountId'],
      [newListAccountRoles('t', '\uDFFF'), 'accountId'],
      [newListAccountRoles('', DEV), 'accessToken'],
      [newListAccountRoles('a\nb', DEV), 'accessToken'],
      [pipe(newListAccountRoles('t', DEV), listAccountRoles_nextToken.set(O.some('\uD800x'))), 'nextToken']
    ] as const) {
      expect(encodeListAccountRoles(rq)).toMatchObject({ _tag: 'Left', left: { _tag: 'ValidationError', field } })
    }
  })

  it('Show, JSON and util.inspect never show the token', () => {
    const rq = newListAccountRoles('super-secret-token-value', DEV)
    for (const out of [ListAccountRolesShow.show(rq), JSON.stringify(rq), util.inspect(rq, { depth: 10, showHidden: true })]) {
      expect(out).not.toContain('super-secret-token-value')
    }
    expect(ListAccountRolesShow.show(rq)).toBe(
      'ListAccountRoles { accessToken: <redacted>, accountId: "111122223333", nextToken: none, maxResults: none }'
    )
  })

  it('the dictionary names the operation and its modelled errors', () => {
    expect(ListAccountRoles.operation).toBe('ListAccountRoles')
    expect([...ListAccountRoles.errorCodes].sort()).toStrictEqual([
      'InvalidRequestException',
      'ResourceNotFoundException',
      'TooManyRequestsException',
      'UnauthorizedException'
    ])
  })
})

describe('ListAccountRoles response', () => {
  it('every response lens obeys the lens laws', () => {
    lensLaws(listAccountRolesResponse_nextToken, response, optString, ListAccountRolesResponseEq, O.getEq(S.Eq))
    lensLaws(listAccountRolesResponse_roleList, response, fc.array(roleInfo, { maxLength: 5 }), ListAccountRolesResponseEq, RA.getEq(RoleInfoEq))
    lensLaws(roleInfo_roleName, roleInfo, optString, RoleInfoEq, O.getEq(S.Eq))
    lensLaws(roleInfo_accountId, roleInfo, optString, RoleInfoEq, O.getEq(S.Eq))
  })

  it('codecs round-trip', () => {
    codecLaws(RoleInfoCodec, roleInfo, RoleInfoEq)
    codecLaws(ListAccountRolesResponseCodec, response, ListAccountRolesResponseEq)
  })

  it('decodes the wire: absent list is [], null is absent, unknown members are ignored', () => {
    expect(ListAccountRolesResponseCodec.decode({})).toStrictEqual({ _tag: 'Right', right: newListAccountRolesResponse() })
    expect(ListAccountRolesResponseCodec.decode({ roleList: null, nextToken: null, x: 1 })).toStrictEqual({
      _tag: 'Right',
      right: newListAccountRolesResponse()
    })
    expect(ListAccountRolesResponseCodec.decode({ roleList: [{ roleName: 'R', accountId: null, y: 2 }] })).toStrictEqual({
      _tag: 'Right',
      right: { nextToken: O.none, roleList: [pipe(newRoleInfo(), roleInfo_roleName.set(O.some('R')))] }
    })
    for (const bad of [null, 'x', { roleList: 'R' }, { roleList: [{ roleName: 1 }] }, { nextToken: {} }]) {
      expect(ListAccountRolesResponseCodec.decode(bad)._tag).toBe('Left')
    }
  })

  it('Show', () => {
    const rs = pipe(
      newListAccountRolesResponse(),
      listAccountRolesResponse_nextToken.set(O.some('n')),
      listAccountRolesResponse_roleList.set([pipe(newRoleInfo(), roleInfo_roleName.set(O.some('R')))])
    )
    expect(ListAccountRolesResponseShow.show(rs)).toBe(
      'ListAccountRolesResponse { nextToken: some("n"), roleList: [RoleInfo { roleName: some("R"), accountId: none }] }'
    )
    expect(RoleInfoShow.show(newRoleInfo())).toBe('RoleInfo { roleName: none, accountId: none }')
  })
})

describe('ListAccountRoles over a real loopback server', () => {
  it('sends exactly the encoded request', async () => {
    const s = await serve([{ status: 200, body: JSON.stringify({ roleList: [{ roleName: 'R', accountId: DEV }] }) }])
    const rq = pipe(newListAccountRoles(TOKEN, DEV), listAccountRoles_nextToken.set(O.some('a/b=')), listAccountRoles_maxResults.set(O.some(1)))
    const r = await listRoles(rq, envFor(s.url))
    expect(r._tag === 'Right' && r.right.roleList.length).toBe(1)
    const req = s.requests[0]!
    expect(req.method).toBe('GET')
    expect(req.url).toBe(`/assignment/roles?next_token=a%2Fb%3D&max_result=1&account_id=${DEV}`)
    expect(req.headers['x-amz-sso_bearer_token']).toBe(TOKEN)
    expect(req.body).toBe('')
  })

  it('a maxResults outside 1..100 is a ValidationError and NO request is sent', async () => {
    const s = await serve([{ status: 200, body: '{}' }])
    const env = envFor(s.url)
    await fc.assert(
      fc.asyncProperty(badPageSize, async (n) => {
        const rq = pipe(newListAccountRoles(TOKEN, DEV), listAccountRoles_maxResults.set(O.some(n)))
        const r = await listRoles(rq, env)
        expect(r._tag === 'Left' && r.left._tag === 'ValidationError' && r.left.field).toBe('maxResults')
        const pages = await collectPages(ListAccountRoles, listAccountRolesPager)(rq)(env)()
        expect(pages._tag === 'Left' && pages.left._tag).toBe('ValidationError')
      }),
      { numRuns: 40 }
    )
    expect(s.requests).toHaveLength(0)
  })

  it.each([['<html>'], [''], ['true'], ['{"roleList":"x"}'], ['{"roleList":[{"roleName":false}]}']])(
    'a 2xx with a malformed body %j is a SerializeError',
    async (body) => {
      const s = await serve([{ status: 200, body }])
      const r = await listRoles(newListAccountRoles(TOKEN, DEV), envFor(s.url))
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'SerializeError', status: 200 } })
    }
  )
})

describe('ListAccountRoles against the emulator', () => {
  it('collects every role of an account for every page size', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 30 }), async (size) => {
        const before = emu.requestCount()
        const r = await collectItems(ListAccountRoles, listAccountRolesPager)(
          pipe(newListAccountRoles(TOKEN, DEV), listAccountRoles_maxResults.set(O.some(size)))
        )(newEnv({ endpoint: emu.url }))()
        expect(r._tag === 'Right' && r.right).toStrictEqual(
          devRoles.map((roleName) => ({ roleName: O.some(roleName), accountId: O.some(DEV) }))
        )
        expect(emu.requestCount() - before).toBe(Math.ceil(devRoles.length / size))
      }),
      { numRuns: 20 }
    )
  })

  it('paginateListAccountRoles: default page size 20', async () => {
    const sizes: Array<number> = []
    for await (const page of paginateListAccountRoles(newListAccountRoles(TOKEN, DEV))(newEnv({ endpoint: emu.url }))) {
      if (page._tag === 'Left') return expect.fail(JSON.stringify(page.left))
      sizes.push(page.right.roleList.length)
    }
    expect(sizes).toStrictEqual([20, 3])
  })

  it('an account with no role gives an empty list', async () => {
    expect(await listRoles(newListAccountRoles(TOKEN, PROD))).toStrictEqual({ _tag: 'Right', right: newListAccountRolesResponse() })
  })

  it('an account not assigned is a 403 ForbiddenException ServiceError; an unknown token a 401', async () => {
    expect(await listRoles(newListAccountRoles(TOKEN, '999999999999'))).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'ServiceError', code: 'ForbiddenException', status: 403, message: 'No access' }
    })
    expect(await listRoles(newListAccountRoles('never-issued', DEV))).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'ServiceError', code: 'UnauthorizedException', status: 401 }
    })
  })

  it("a page token of one account is refused for another: 400 InvalidRequestException", async () => {
    const first = await listRoles(pipe(newListAccountRoles(TOKEN, DEV), listAccountRoles_maxResults.set(O.some(1))))
    if (first._tag === 'Left' || O.isNone(first.right.nextToken)) return expect.fail('expected a next token')
    const r = await listRoles(pipe(newListAccountRoles(TOKEN, PROD), listAccountRoles_nextToken.set(first.right.nextToken)))
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ServiceError', code: 'InvalidRequestException', status: 400 } })
  })
})
