import * as util from 'node:util'
import fc from 'fast-check'
import { pipe } from 'fp-ts/lib/function.js'
import * as N from 'fp-ts/lib/number.js'
import * as O from 'fp-ts/lib/Option.js'
import * as RA from 'fp-ts/lib/ReadonlyArray.js'
import * as S from 'fp-ts/lib/string.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as A from '../../src/arbitrary/index.js'
import { collectItems, newEnv, send } from '../../src/index.js'
import { pathAndQuery } from '../../src/core/Request.js'
import { reveal } from '../../src/core/Sensitive.js'
import { startEmulator, type AccountSeed, type Emulator } from '../../src/emulator/index.js'
import {
  accountInfo_accountId,
  accountInfo_accountName,
  accountInfo_emailAddress,
  AccountInfoCodec,
  AccountInfoEq,
  AccountInfoShow,
  encodeListAccounts,
  ListAccounts,
  listAccounts_accessToken,
  listAccounts_maxResults,
  listAccounts_nextToken,
  ListAccountsCodec,
  ListAccountsEq,
  listAccountsPager,
  listAccountsResponse_accountList,
  listAccountsResponse_nextToken,
  ListAccountsResponseCodec,
  ListAccountsResponseEq,
  ListAccountsResponseShow,
  ListAccountsShow,
  newAccountInfo,
  newListAccounts,
  newListAccountsResponse,
  paginateListAccounts,
  type AccountInfo,
  type ListAccounts as ListAccountsRq,
  type ListAccountsResponse
} from '../../src/services/sso/index.js'
import { codecLaws, lensLaws } from '../laws.js'
import { awsEncode, envFor, useScriptedServers } from '../util/harness.js'

// -------------------------------------------------------------------------------------
// arbitraries
// -------------------------------------------------------------------------------------

const validToken = A.accessToken({ maxLength: 256 })
const anyString = fc.string({ unit: 'binary', maxLength: 64 })
/** Well-formed query values, reserved characters and unicode included. */
const nextTokenValue = A.nextToken({ minLength: 0, maxLength: 40 })
const optString = fc.option(anyString, { nil: undefined }).map(O.fromNullable)
const validPageSize = A.maxResults()
const badPageSize = A.invalidMaxResults()

/** Records with any strings at all in them (the constructors are total). */
const request: fc.Arbitrary<ListAccountsRq> = A.listAccounts({ accessToken: anyString, nextToken: anyString, maxResults: fc.integer() })
const accountInfo: fc.Arbitrary<AccountInfo> = A.accountInfo({ accountId: anyString, accountName: anyString, emailAddress: anyString })
const response: fc.Arbitrary<ListAccountsResponse> = A.listAccountsResponse({ nextToken: anyString, accountInfo, maxItems: 5 })


// -------------------------------------------------------------------------------------
// servers
// -------------------------------------------------------------------------------------

const serve = useScriptedServers()

const TOKEN = 'aoaAAAAAGg-test-token-0123456789'
const accounts: ReadonlyArray<AccountSeed> = Array.from({ length: 45 }, (_, i) => ({
  accountId: String(100000000000 + i),
  accountName: `Account ${i}`,
  emailAddress: `acct${i}@example.com`,
  roles: ['ReadOnly']
}))

let emu: Emulator
beforeAll(async () => {
  const r = await startEmulator({ tokens: { [TOKEN]: { accounts }, 'no-accounts': {} } })()
  if (r._tag === 'Left') throw new Error(r.left.message)
  emu = r.right
})
afterAll(() => emu.close())

const listAccounts = (rq: ListAccountsRq, env = newEnv({ endpoint: emu.url })) => pipe(rq, send(ListAccounts))(env)()

// -------------------------------------------------------------------------------------
// tests
// -------------------------------------------------------------------------------------

describe('ListAccounts request', () => {
  it('every request lens obeys the lens laws', () => {
    lensLaws(listAccounts_accessToken, request, anyString, ListAccountsEq, S.Eq)
    lensLaws(listAccounts_nextToken, request, optString, ListAccountsEq, O.getEq(S.Eq))
    lensLaws(
      listAccounts_maxResults,
      request,
      fc.option(fc.integer(), { nil: undefined }).map(O.fromNullable),
      ListAccountsEq,
      O.getEq(N.Eq)
    )
  })

  it('newListAccounts asks for the first page with the default page size', () => {
    fc.assert(
      fc.property(anyString, (t) => {
        const rq = newListAccounts(t)
        expect(reveal(rq.accessToken)).toBe(t)
        expect(rq.nextToken).toStrictEqual(O.none)
        expect(rq.maxResults).toStrictEqual(O.none)
      })
    )
  })

  it('the request codec round-trips and rejects wrong shapes', () => {
    codecLaws(ListAccountsCodec, request, ListAccountsEq)
    expect(ListAccountsCodec.encode(newListAccounts('t'))).toStrictEqual({ accessToken: 't' })
    expect(ListAccountsCodec.decode({ accessToken: 't', maxResults: '5' })._tag).toBe('Left')
    expect(ListAccountsCodec.decode({ maxResults: 5 })._tag).toBe('Left')
  })

  it('encodes every valid request as exactly GET /assignment/accounts + next_token, max_result when present + bearer header + no body', () => {
    fc.assert(
      fc.property(
        validToken,
        fc.option(nextTokenValue, { nil: undefined }),
        fc.option(validPageSize, { nil: undefined }),
        (tok, nextToken, maxResults) => {
          const rq = pipe(
            newListAccounts(tok),
            listAccounts_nextToken.set(O.fromNullable(nextToken)),
            listAccounts_maxResults.set(O.fromNullable(maxResults))
          )
          const r = encodeListAccounts(rq)
          expect(r._tag).toBe('Right')
          if (r._tag !== 'Right') return
          expect(r.right.method).toBe('GET')
          expect(r.right.path).toBe('/assignment/accounts')
          const query: Array<readonly [string, string]> = []
          if (nextToken !== undefined) query.push(['next_token', nextToken])
          if (maxResults !== undefined) query.push(['max_result', String(maxResults)])
          expect(r.right.query).toStrictEqual(query)
          expect(r.right.body).toBeUndefined()
          expect(Object.keys(r.right.headers)).toStrictEqual(['x-amz-sso_bearer_token'])
          expect(reveal(r.right.headers['x-amz-sso_bearer_token'] as never)).toBe(tok)
          const qs = query.map(([k, v]) => `${k}=${awsEncode(v)}`).join('&')
          expect(pathAndQuery(r.right)).toBe(`/assignment/accounts${qs === '' ? '' : `?${qs}`}`)
        }
      )
    )
  })

  it("percent-encodes a next token with reserved characters !'()* and unicode like the AWS SDKs", () => {
    const rq = pipe(newListAccounts('t'), listAccounts_nextToken.set(O.some("a b!'()*+/=é😀")), listAccounts_maxResults.set(O.some(7)))
    const r = encodeListAccounts(rq)
    expect(r._tag === 'Right' && pathAndQuery(r.right)).toBe(
      '/assignment/accounts?next_token=a%20b%21%27%28%29%2A%2B%2F%3D%C3%A9%F0%9F%98%80&max_result=7'
    )
  })

  it('refuses every maxResults outside the integers 1..100, naming the field', () => {
    fc.assert(
      fc.property(badPageSize, (n) => {
        const r = encodeListAccounts(pipe(newListAccounts('t'), listAccounts_maxResults.set(O.some(n))))
        expect(r).toStrictEqual({
          _tag: 'Left',
          left: { _tag: 'ValidationError', operation: 'ListAccounts', field: 'maxResults', message: 'maxResults must be an integer in 1..100' }
        })
      })
    )
    fc.assert(
      fc.property(validPageSize, (n) => {
        expect(encodeListAccounts(pipe(newListAccounts('t'), listAccounts_maxResults.set(O.some(n))))._tag).toBe('Right')
      })
    )
  })

  it('refuses a bad token and a next token with a lone surrogate, never echoing them', () => {
    for (const [rq, field] of [
      [newListAccounts(''), 'accessToken'],
      [newListAccounts(' padded'), 'accessToken'],
      [newListAccounts('tok\u0000en'), 'accessToken'],
      [pipe(newListAccounts('t'), listAccounts_nextToken.set(O.some('ab\uD800'))), 'nextToken']
    ] as const) {
      const r = encodeListAccounts(rq)
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ValidationError', operation: 'ListAccounts', field } })
      expect(JSON.stringify(r)).not.toContain('tok\\u0000en')
    }
  })

  it('Show, JSON and util.inspect never show the token', () => {
    const rq = pipe(newListAccounts('super-secret-token-value'), listAccounts_maxResults.set(O.some(5)))
    for (const out of [ListAccountsShow.show(rq), JSON.stringify(rq), util.inspect(rq, { depth: 10, showHidden: true })]) {
      expect(out).not.toContain('super-secret-token-value')
    }
    expect(ListAccountsShow.show(rq)).toBe('ListAccounts { accessToken: <redacted>, nextToken: none, maxResults: some(5) }')
  })

  it('the dictionary names the operation and its modelled errors', () => {
    expect(ListAccounts.operation).toBe('ListAccounts')
    expect([...ListAccounts.errorCodes].sort()).toStrictEqual([
      'InvalidRequestException',
      'ResourceNotFoundException',
      'TooManyRequestsException',
      'UnauthorizedException'
    ])
  })
})

describe('ListAccounts response', () => {
  it('every response lens obeys the lens laws', () => {
    lensLaws(listAccountsResponse_nextToken, response, optString, ListAccountsResponseEq, O.getEq(S.Eq))
    lensLaws(
      listAccountsResponse_accountList,
      response,
      fc.array(accountInfo, { maxLength: 5 }),
      ListAccountsResponseEq,
      RA.getEq(AccountInfoEq)
    )
    lensLaws(accountInfo_accountId, accountInfo, optString, AccountInfoEq, O.getEq(S.Eq))
    lensLaws(accountInfo_accountName, accountInfo, optString, AccountInfoEq, O.getEq(S.Eq))
    lensLaws(accountInfo_emailAddress, accountInfo, optString, AccountInfoEq, O.getEq(S.Eq))
  })

  it('codecs round-trip', () => {
    codecLaws(AccountInfoCodec, accountInfo, AccountInfoEq)
    codecLaws(ListAccountsResponseCodec, response, ListAccountsResponseEq)
  })

  it('decodes the wire: absent list is [], null is absent, unknown members are ignored', () => {
    expect(ListAccountsResponseCodec.decode({})).toStrictEqual({ _tag: 'Right', right: newListAccountsResponse() })
    expect(ListAccountsResponseCodec.decode({ accountList: null, nextToken: null })).toStrictEqual({
      _tag: 'Right',
      right: newListAccountsResponse()
    })
    const r = ListAccountsResponseCodec.decode({
      accountList: [{ accountId: '1', accountName: null, extra: 'x' }],
      nextToken: 'n',
      other: 1
    })
    expect(r).toStrictEqual({
      _tag: 'Right',
      right: {
        nextToken: O.some('n'),
        accountList: [pipe(newAccountInfo(), accountInfo_accountId.set(O.some('1')))]
      }
    })
    for (const bad of [null, [], 1, { accountList: {} }, { accountList: [null] }, { accountList: [1] }, { nextToken: 5 }]) {
      expect(ListAccountsResponseCodec.decode(bad)._tag).toBe('Left')
    }
  })

  it('Show', () => {
    const rs = pipe(
      newListAccountsResponse(),
      listAccountsResponse_accountList.set([pipe(newAccountInfo(), accountInfo_accountId.set(O.some('1')))])
    )
    expect(ListAccountsResponseShow.show(rs)).toBe(
      'ListAccountsResponse { nextToken: none, accountList: [AccountInfo { accountId: some("1"), accountName: none, emailAddress: none }] }'
    )
    expect(AccountInfoShow.show(newAccountInfo())).toBe('AccountInfo { accountId: none, accountName: none, emailAddress: none }')
  })
})

describe('ListAccounts over a real loopback server', () => {
  it('sends exactly the encoded request', async () => {
    const s = await serve([{ status: 200, body: JSON.stringify({ accountList: [] }) }])
    const rq = pipe(newListAccounts(TOKEN), listAccounts_nextToken.set(O.some("n!'()*é")), listAccounts_maxResults.set(O.some(3)))
    const r = await listAccounts(rq, envFor(s.url))
    expect(r).toStrictEqual({ _tag: 'Right', right: newListAccountsResponse() })
    expect(s.requests).toHaveLength(1)
    const req = s.requests[0]!
    expect(req.method).toBe('GET')
    expect(req.url).toBe('/assignment/accounts?next_token=n%21%27%28%29%2A%C3%A9&max_result=3')
    expect(req.headers['x-amz-sso_bearer_token']).toBe(TOKEN)
    expect(req.body).toBe('')
  })

  it('a maxResults outside 1..100 is a ValidationError and NO request is sent', async () => {
    const s = await serve([{ status: 200, body: '{}' }])
    const env = envFor(s.url)
    await fc.assert(
      fc.asyncProperty(badPageSize, async (n) => {
        const r = await listAccounts(pipe(newListAccounts(TOKEN), listAccounts_maxResults.set(O.some(n))), env)
        expect(r._tag === 'Left' && r.left._tag === 'ValidationError' && r.left.field).toBe('maxResults')
      }),
      { numRuns: 50 }
    )
    // nor through the pager
    const all = await collectItems(ListAccounts, listAccountsPager)(pipe(newListAccounts(TOKEN), listAccounts_maxResults.set(O.some(0))))(env)()
    expect(all._tag === 'Left' && all.left._tag).toBe('ValidationError')
    expect(s.requests).toHaveLength(0)
  })

  it.each([['garbage'], [''], ['null'], ['[]'], ['{"accountList":{}}'], ['{"accountList":[null]}'], ['{"nextToken":7}'], ['{"accountList":[']])(
    'a 2xx with a malformed body %j is a SerializeError',
    async (body) => {
      const s = await serve([{ status: 200, body }])
      const r = await listAccounts(newListAccounts(TOKEN), envFor(s.url))
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'SerializeError', status: 200 } })
    }
  )

  it('a 403 ForbiddenException is a ServiceError', async () => {
    const s = await serve([
      { status: 403, body: JSON.stringify({ message: 'No access', __type: 'com.amazonaws.switchboard.portal#ForbiddenException' }) }
    ])
    const r = await listAccounts(newListAccounts(TOKEN), envFor(s.url))
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ServiceError', code: 'ForbiddenException', status: 403 } })
  })
})

describe('ListAccounts against the emulator', () => {
  it('the first page has the default size of 20 and a next token', async () => {
    const r = await listAccounts(newListAccounts(TOKEN))
    expect(r._tag).toBe('Right')
    if (r._tag !== 'Right') return
    expect(r.right.accountList).toHaveLength(20)
    expect(O.isSome(r.right.nextToken)).toBe(true)
    expect(r.right.accountList[0]).toStrictEqual({
      accountId: O.some('100000000000'),
      accountName: O.some('Account 0'),
      emailAddress: O.some('acct0@example.com')
    })
  })

  it('following the tokens by hand visits every account once, in order', async () => {
    const seen: Array<string> = []
    let rq = pipe(newListAccounts(TOKEN), listAccounts_maxResults.set(O.some(7)))
    for (let i = 0; i < 20; i++) {
      const r = await listAccounts(rq)
      if (r._tag === 'Left') return expect.fail(JSON.stringify(r.left))
      for (const a of r.right.accountList) seen.push(O.getOrElse(() => '')(a.accountId))
      if (O.isNone(r.right.nextToken)) break
      rq = listAccounts_nextToken.set(r.right.nextToken)(rq)
    }
    expect(seen).toStrictEqual(accounts.map((a) => a.accountId))
  })

  it('collects every account for every page size', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 50 }), async (size) => {
        const before = emu.requestCount()
        const r = await collectItems(ListAccounts, listAccountsPager)(
          pipe(newListAccounts(TOKEN), listAccounts_maxResults.set(O.some(size)))
        )(newEnv({ endpoint: emu.url }))()
        expect(r._tag === 'Right' && r.right.map((a) => O.toUndefined(a.accountId))).toStrictEqual(accounts.map((a) => a.accountId))
        expect(emu.requestCount() - before).toBe(Math.ceil(accounts.length / size))
      }),
      { numRuns: 25 }
    )
  })

  it('paginateListAccounts yields the pages lazily', async () => {
    const pages: Array<number> = []
    for await (const page of paginateListAccounts(pipe(newListAccounts(TOKEN), listAccounts_maxResults.set(O.some(20))))(
      newEnv({ endpoint: emu.url })
    )) {
      if (page._tag === 'Left') return expect.fail(JSON.stringify(page.left))
      pages.push(page.right.accountList.length)
    }
    expect(pages).toStrictEqual([20, 20, 5])
  })

  it('a token with no account gets an empty list and no next token', async () => {
    const r = await listAccounts(newListAccounts('no-accounts'))
    expect(r).toStrictEqual({ _tag: 'Right', right: newListAccountsResponse() })
  })

  it('a foreign next token is a 400 InvalidRequestException, an unknown token a 401', async () => {
    const bad = await listAccounts(pipe(newListAccounts(TOKEN), listAccounts_nextToken.set(O.some('not-a-real-token'))))
    expect(bad).toMatchObject({ _tag: 'Left', left: { _tag: 'ServiceError', code: 'InvalidRequestException', status: 400 } })
    const unknown = await listAccounts(newListAccounts('never-issued'))
    expect(unknown).toMatchObject({ _tag: 'Left', left: { _tag: 'ServiceError', code: 'UnauthorizedException', status: 401 } })
  })
})
