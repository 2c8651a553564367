import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  DEFAULT_MAX_PAGES,
  collectItems,
  collectPages,
  newEnv,
  paginate,
  paginateTE,
  paginationError,
  type AWSPager,
  type EnvOptions,
  type PaginationError,
  type RequestView
} from '../../src/index.js'
import { startEmulator, type AccountSeed, type Emulator } from '../../src/emulator/index.js'
import {
  ListAccounts,
  listAccounts_maxResults,
  listAccounts_nextToken,
  listAccountsPager,
  newListAccounts,
  type AccountInfo,
  type ListAccounts as ListAccountsRq,
  type ListAccountsResponse
} from '../../src/services/sso/index.js'
import { closedPort, scriptedServer, type Recorded, type Scripted, type Step } from '../util/scripted.js'

const TOKEN = 'aoaAAAAAGg-test-token-0123456789'

const servers: Array<Scripted> = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})
const serve = async (script: ReadonlyArray<Step> | ((req: Recorded, index: number) => Step)): Promise<Scripted> => {
  const s = await scriptedServer(script)
  servers.push(s)
  return s
}
const envFor = (url: string, extra: EnvOptions = {}) =>
  newEnv({ endpoint: url, sleep: () => Promise.resolve(true), random: () => 0.5, ...extra })

const page = (ids: ReadonlyArray<string>, nextToken?: string | null): Step => ({
  status: 200,
  body: JSON.stringify({ accountList: ids.map((accountId) => ({ accountId })), ...(nextToken === undefined ? {} : { nextToken }) })
})

const first = (size?: number): ListAccountsRq =>
  pipe(newListAccounts(TOKEN), listAccounts_maxResults.set(O.fromNullable(size)))

const pages = paginate(ListAccounts, listAccountsPager)
const ids = (items: ReadonlyArray<AccountInfo>) => items.map((a) => O.toUndefined(a.accountId))

const drain = async <A>(it: AsyncIterable<A>): Promise<Array<A>> => {
  const out: Array<A> = []
  for await (const a of it) out.push(a)
  return out
}

/** The `next_token` and `max_result` a recorded request carried. */
const query = (r: Recorded) => {
  const u = new URL(r.url, 'http://x')
  return { next: u.searchParams.get('next_token'), max: u.searchParams.get('max_result') }
}

// -------------------------------------------------------------------------------------

describe('paginate over scripted servers', () => {
  it.each([
    ['absent', undefined],
    ['null', null],
    ['empty', '']
  ] as const)('stops when the next token is %s', async (_, token) => {
    const script = [page(['1', '2'], token), page(['never'])]
    const s = await serve(script)
    const out = await drain(pages(first(2))(envFor(s.url)))
    expect(out).toHaveLength(1)
    expect(out[0]?._tag).toBe('Right')
    expect(s.requests).toHaveLength(1)
    const s2 = await serve(script)
    const items = await collectItems(ListAccounts, listAccountsPager)(first(2))(envFor(s2.url))()
    expect(pipe(items, E.map(ids))).toStrictEqual(E.right(['1', '2']))
    expect(s2.requests).toHaveLength(1)
  })

  it('follows the tokens, sends each one back percent-encoded, and keeps maxResults on every page', async () => {
    const tokens = ["t/1+=", "t!'()*2", 'tö 3']
    const script = (_: Recorded, i: number) => page([`a${i}`, `b${i}`], tokens[i])
    const s = await serve(script)
    const r = await collectPages(ListAccounts, listAccountsPager)(first(7))(envFor(s.url))()
    expect(r._tag === 'Right' && r.right.length).toBe(4)
    expect(s.requests.map(query)).toStrictEqual([
      { next: null, max: '7' },
      { next: tokens[0], max: '7' },
      { next: tokens[1], max: '7' },
      { next: tokens[2], max: '7' }
    ])
    expect(s.requests[2]?.url).toBe("/assignment/accounts?next_token=t%21%27%28%29%2A2&max_result=7")
    const s2 = await serve(script)
    const items = await collectItems(ListAccounts, listAccountsPager)(first(7))(envFor(s2.url))()
    expect(pipe(items, E.map(ids))).toStrictEqual(E.right(['a0', 'b0', 'a1', 'b1', 'a2', 'b2', 'a3', 'b3']))
  })

  it('a repeated token is a PaginationError after a bounded number of requests (no endless loop)', async () => {
    const s = await serve([page(['1'], 'same')])
    const out = await drain(pages(first(1))(envFor(s.url)))
    expect(out.map((e) => e._tag)).toStrictEqual(['Right', 'Right', 'Left'])
    const last = out[2]
    expect(last?._tag === 'Left' && last.left._tag).toBe('PaginationError')
    expect(s.requests).toHaveLength(2)
    const all = await collectItems(ListAccounts, listAccountsPager)(first(1))(envFor(s.url))()
    expect(all._tag === 'Left' && all.left._tag).toBe('PaginationError')
    expect(s.requests).toHaveLength(4)
  })

  it('for any sequence of tokens, stops at the first repeat or at the end, after exactly that many requests', async () => {
    const tok = fc.constantFrom('A', 'B', 'C', 'D', '', null)
    await fc.assert(
      fc.asyncProperty(fc.array(tok, { maxLength: 8 }), async (seq) => {
        // the i-th response carries seq[i]; past the end, no token
        const script = (_: Recorded, i: number) => page([String(i)], i < seq.length ? seq[i] : undefined)
        const s = await scriptedServer(script)
        const s2 = await scriptedServer(script)
        const out = await drain(pages(first(3))(envFor(s.url)))
        const items = await collectItems(ListAccounts, listAccountsPager)(first(3))(envFor(s2.url))()
        await Promise.all([s.close(), s2.close()])
        // model
        const seen = new Set<string>()
        let requests = 0
        let loop = false
        for (;;) {
          const t = requests < seq.length ? seq[requests] : undefined
          requests++
          if (t === undefined || t === null || t === '') break
          if (seen.has(t)) {
            loop = true
            break
          }
          seen.add(t)
        }
        expect(s.requests).toHaveLength(requests)
        expect(requests).toBeLessThanOrEqual(5) // at most 4 distinct tokens + 1
        expect(out.filter(E.isRight)).toHaveLength(requests)
        expect(out.filter(E.isLeft).map((e) => e.left._tag)).toStrictEqual(loop ? ['PaginationError'] : [])
        expect(s2.requests).toHaveLength(requests)
        if (loop) expect(items._tag === 'Left' && items.left._tag).toBe('PaginationError')
        else expect(pipe(items, E.map(ids))).toStrictEqual(E.right(Array.from({ length: requests }, (_, i) => String(i))))
      }),
      { numRuns: 40 }
    )
  })

  it('is lazy: nothing is sent until asked, and consuming only the first page sends one request', async () => {
    const s = await serve((_, i) => page([String(i)], `t${i}`)) // never ends
    const it = pages(first(1))(envFor(s.url))
    await new Promise((r) => setTimeout(r, 20))
    expect(s.requests).toHaveLength(0)
    for await (const p of it) {
      expect(p._tag).toBe('Right')
      break
    }
    await new Promise((r) => setTimeout(r, 20))
    expect(s.requests).toHaveLength(1)
    // three pages, three requests; and each iteration starts over from the first page
    let n = 0
    for await (const p of it) {
      expect(p._tag).toBe('Right')
      if (++n === 3) break
    }
    expect(s.requests.map((r) => query(r).next)).toStrictEqual([null, null, 't1', 't2'])
    // the iterator protocol by hand
    const iter = it[Symbol.asyncIterator]()
    const one = await iter.next()
    expect(one.done).toBe(false)
    expect(s.requests).toHaveLength(5)
    await iter.return?.()
    expect((await iter.next()).done).toBe(true)
    expect(s.requests).toHaveLength(5)
  })

  it('stops after the first failed page, yielding it', async () => {
    const s = await serve([
      page(['1'], 'p2'),
      { status: 400, body: JSON.stringify({ message: 'bad', __type: 'x#InvalidRequestException' }) },
      page(['never'])
    ])
    const out = await drain(pages(first(1))(envFor(s.url)))
    expect(out.map((e) => e._tag)).toStrictEqual(['Right', 'Left'])
    expect(out[1]).toMatchObject({ _tag: 'Left', left: { _tag: 'ServiceError', code: 'InvalidRequestException', status: 400 } })
    expect(s.requests).toHaveLength(2)
  })

  it('collectPages and collectItems fail with the first failure: a malformed page, a 403, a dead endpoint', async () => {
    const malformed = await serve([page(['1'], 'p2'), { status: 200, body: '{"accountList":7}' }])
    const r1 = await collectPages(ListAccounts, listAccountsPager)(first(1))(envFor(malformed.url))()
    expect(r1).toMatchObject({ _tag: 'Left', left: { _tag: 'SerializeError', status: 200 } })
    const forbidden = await serve([
      page(['1'], 'p2'),
      { status: 403, body: JSON.stringify({ message: 'No access', __type: 'com.amazonaws.switchboard.portal#ForbiddenException' }) }
    ])
    const r2 = await collectItems(ListAccounts, listAccountsPager)(first(1))(envFor(forbidden.url))()
    expect(r2).toMatchObject({ _tag: 'Left', left: { _tag: 'ServiceError', code: 'ForbiddenException', status: 403 } })
    const dead = `http://127.0.0.1:${await closedPort()}`
    const out = await drain(pages(first(1))(envFor(dead, { maxAttempts: 1 })))
    expect(out).toHaveLength(1)
    expect(out[0]).toMatchObject({ _tag: 'Left', left: { _tag: 'TransportError' } })
  })

  it('bad input is one Left and no request', async () => {
    const s = await serve([page(['1'])])
    for (const rq of [first(0), first(101), newListAccounts('')]) {
      const out = await drain(pages(rq)(envFor(s.url)))
      expect(out).toHaveLength(1)
      expect(out[0]?._tag === 'Left' && out[0].left._tag).toBe('ValidationError')
    }
    expect(s.requests).toHaveLength(0)
  })

  it('never throws, even when the pager does', async () => {
    // a finite listing: the token of page i is `t${i}`, three pages in all
    const s = await serve((r) => {
      const next = query(r).next
      const i = next === null ? 0 : Number(next.slice(1)) + 1
      return page([String(i)], i < 2 ? `t${i}` : undefined)
    })
    const throwing: ReadonlyArray<AWSPager<ListAccountsRq, ListAccountsResponse, AccountInfo>> = [
      { ...listAccountsPager, nextToken: () => { throw new Error('boom') } },
      { ...listAccountsPager, setNextToken: () => { throw new Error('boom') } },
      { ...listAccountsPager, items: () => { throw new Error('boom') } }
    ]
    for (const pager of throwing) {
      const r = await collectItems(ListAccounts, pager)(first(1))(envFor(s.url))()
      expect(r._tag === 'Left' && r.left._tag).toBe('PaginationError')
    }
    // a pager handing back null, or a non-string, is the end
    const odd: AWSPager<ListAccountsRq, ListAccountsResponse, AccountInfo> = {
      ...listAccountsPager,
      nextToken: () => null as unknown as O.Option<string>
    }
    expect((await collectPages(ListAccounts, odd)(first(1))(envFor(s.url))())._tag).toBe('Right')
    const notString: AWSPager<ListAccountsRq, ListAccountsResponse, AccountInfo> = {
      ...listAccountsPager,
      nextToken: () => O.some(42 as unknown as string)
    }
    const r = await collectPages(ListAccounts, notString)(first(1))(envFor(s.url))()
    expect(r._tag === 'Right' && r.right.length).toBe(1)
  })

  it('paginateTE is collectPages; paginationError builds the error', async () => {
    expect(paginateTE).toBe(collectPages)
    const e: PaginationError = paginationError('x')
    expect(e).toStrictEqual({ _tag: 'PaginationError', message: 'x' })
  })

  it('the page size set with the lens is kept, the token set by the pager replaces any earlier one', () => {
    const rq = pipe(first(9), listAccounts_nextToken.set(O.some('old')))
    const next = listAccountsPager.setNextToken('new')(rq)
    expect(next.nextToken).toStrictEqual(O.some('new'))
    expect(next.maxResults).toStrictEqual(O.some(9))
  })
})

// -------------------------------------------------------------------------------------

const MAX_ACCOUNTS = 30
const seed = (n: number): ReadonlyArray<AccountSeed> =>
  Array.from({ length: n }, (_, i) => ({
    accountId: String(200000000000 + i),
    accountName: `A${i}`,
    emailAddress: `a${i}@example.com`,
    roles: []
  }))

let emu: Emulator
beforeAll(async () => {
  const tokens = Object.fromEntries(Array.from({ length: MAX_ACCOUNTS + 1 }, (_, n) => [`tok-${n}`, { accounts: seed(n) }]))
  const r = await startEmulator({ tokens })()
  if (r._tag === 'Left') throw new Error(r.left.message)
  emu = r.right
})
afterAll(() => emu.close())

describe('paginate against the emulator', () => {
  it('collects every account, in order, for every number of accounts and every max_result 1..N', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: MAX_ACCOUNTS }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n + 2 }))),
        async ([n, size]) => {
          const views: Array<RequestView> = []
          const env = newEnv({ endpoint: emu.url, hooks: [{ beforeRequest: (v) => views.push(v) }] })
          const rq = pipe(newListAccounts(`tok-${n}`), listAccounts_maxResults.set(O.some(size)))
          const r = await collectItems(ListAccounts, listAccountsPager)(rq)(env)()
          expect(pipe(r, E.map(ids))).toStrictEqual(E.right(seed(n).map((a) => a.accountId)))
          expect(views).toHaveLength(Math.max(1, Math.ceil(n / size)))
          for (const v of views) expect(new URL(v.url).searchParams.get('max_result')).toBe(String(size))
          const ps = await collectPages(ListAccounts, listAccountsPager)(rq)(env)()
          expect(ps._tag === 'Right' && ps.right.map((p) => p.accountList.length)).toStrictEqual(
            n === 0 ? [0] : Array.from({ length: Math.ceil(n / size) }, (_, i) => Math.min(size, n - i * size))
          )
        }
      ),
      { numRuns: 40 }
    )
  })

  it('consuming only the first page sends one request', async () => {
    const before = emu.requestCount()
    for await (const p of pages(pipe(newListAccounts(`tok-${MAX_ACCOUNTS}`), listAccounts_maxResults.set(O.some(1))))(
      newEnv({ endpoint: emu.url })
    )) {
      expect(p._tag === 'Right' && p.right.accountList.length).toBe(1)
      break
    }
    expect(emu.requestCount() - before).toBe(1)
  })

  it('an unknown token fails on the first page', async () => {
    const r = await collectItems(ListAccounts, listAccountsPager)(newListAccounts('never-issued'))(newEnv({ endpoint: emu.url }))()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ServiceError', code: 'UnauthorizedException', status: 401 } })
  })
})

// -------------------------------------------------------------------------------------
// bounds: a server that hands out fresh tokens for ever
// -------------------------------------------------------------------------------------

describe('a walk is bounded in pages and items', () => {
  /** A loopback server whose every page lists `perPage` accounts and announces a fresh next page. */
  const endless = (perPage = 1) =>
    serve((_, i) => page(Array.from({ length: perPage }, (_, k) => `${i}-${k}`), `fresh-${i}`))

  it(`collectItems stops with a MaxPages PaginationError after ${DEFAULT_MAX_PAGES} pages by default`, async () => {
    const s = await endless()
    const r = await collectItems(ListAccounts, listAccountsPager)(first(1))(envFor(s.url))()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'PaginationError', reason: 'MaxPages' } })
    expect(r._tag === 'Left' && r.left.message).toContain(`${DEFAULT_MAX_PAGES} pages (maxPages)`)
    expect(s.requests).toHaveLength(DEFAULT_MAX_PAGES)
  }, 60_000)

  it('maxPages: exactly that many pages are requested, and a walk that ends at the bound succeeds', async () => {
    const s = await endless()
    const r = await collectPages(ListAccounts, listAccountsPager, { maxPages: 7 })(first(1))(envFor(s.url))()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'PaginationError', reason: 'MaxPages' } })
    expect(s.requests).toHaveLength(7)
    const lazy = await drain(paginate(ListAccounts, listAccountsPager, { maxPages: 3 })(first(1))(envFor(s.url)))
    expect(lazy.map((p) => p._tag)).toStrictEqual(['Right', 'Right', 'Right', 'Left'])
    const three = await serve((_, i) => page([`${i}`], i < 2 ? `t${i}` : undefined))
    const ok = await collectItems(ListAccounts, listAccountsPager, { maxPages: 3 })(first(1))(envFor(three.url))()
    expect(pipe(ok, E.map(ids))).toStrictEqual(E.right(['0', '1', '2']))
  })

  it('maxItems: more items than allowed is a MaxItems PaginationError; exactly that many is fine', async () => {
    const s = await endless(10)
    const r = await collectItems(ListAccounts, listAccountsPager, { maxItems: 25 })(first(10))(envFor(s.url))()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'PaginationError', reason: 'MaxItems' } })
    expect(r._tag === 'Left' && r.left.message).toContain('more than 25 items (maxItems)')
    expect(s.requests).toHaveLength(3)
    const two = await serve((_, i) => page(['a', 'b', 'c', 'd', 'e'], i === 0 ? 'next' : undefined))
    const ok = await collectItems(ListAccounts, listAccountsPager, { maxItems: 10 })(first(5))(envFor(two.url))()
    expect(ok._tag === 'Right' && ok.right.length).toBe(10)
  })

  it('bad options are one InvalidOptions PaginationError and no request', async () => {
    const s = await endless()
    for (const options of [{ maxPages: 0 }, { maxItems: -1 }, { maxPages: 1.5 }, { maxItems: NaN }, { maxPages: '3' }, null, 7]) {
      const r = await collectItems(ListAccounts, listAccountsPager, options as never)(first(1))(envFor(s.url))()
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'PaginationError', reason: 'InvalidOptions' } })
    }
    const getter = Object.defineProperty({}, 'maxPages', {
      get: () => {
        throw new Error('boom')
      }
    })
    const r = await collectItems(ListAccounts, listAccountsPager, getter)(first(1))(envFor(s.url))()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'PaginationError', reason: 'InvalidOptions' } })
    expect(s.requests).toHaveLength(0)
  })

  it('the emulator answering with fresh tokens (status faults): MaxPages after maxPages requests', async () => {
    const faults = Array.from({ length: 20 }, (_, i) => ({
      operation: 'ListAccounts',
      status: 200,
      body: JSON.stringify({ accountList: [{ accountId: `${i}` }], nextToken: `emulated-${i}` })
    }))
    expect(emu.inject(faults)._tag).toBe('Right')
    try {
      const before = emu.requestCount()
      const r = await collectItems(ListAccounts, listAccountsPager, { maxPages: 12 })(
        pipe(newListAccounts(`tok-${MAX_ACCOUNTS}`), listAccounts_maxResults.set(O.some(1)))
      )(newEnv({ endpoint: emu.url }))()
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'PaginationError', reason: 'MaxPages' } })
      expect(emu.requestCount() - before).toBe(12)
    } finally {
      emu.clearFaults()
    }
  })

  it('the emulator with more accounts than maxItems: MaxItems', async () => {
    const rq = pipe(newListAccounts(`tok-${MAX_ACCOUNTS}`), listAccounts_maxResults.set(O.some(7)))
    const r = await collectItems(ListAccounts, listAccountsPager, { maxItems: MAX_ACCOUNTS - 1 })(rq)(newEnv({ endpoint: emu.url }))()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'PaginationError', reason: 'MaxItems' } })
    const all = await collectItems(ListAccounts, listAccountsPager, { maxItems: MAX_ACCOUNTS })(rq)(newEnv({ endpoint: emu.url }))()
    expect(all._tag === 'Right' && all.right.length).toBe(MAX_ACCOUNTS)
  })
})
