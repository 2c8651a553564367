// Where the decoding time goes, in one process with no network (phases/api.mjs runs it):
//
//   node bench/api-decode.mjs [--smoke]
//
// Each stage runs on the bodies api-server.mjs serves (a ListAccounts page of 100 accounts,
// a GetRoleCredentials answer), warmed up, then timed in rounds; prints one JSON line of
// `{ stage: { fp, sdk } }` in microseconds (the median of the rounds). The whole-call stages
// give each client a canned response (fp-aws: an `HttpClient`; the SDK: a `requestHandler`),
// so that they time everything a call does but the network: encoding, middleware, headers,
// the body's parse, validation and the result.
import { newEnv, send } from 'fp-aws'
import { reveal, sensitive } from 'fp-aws/core/Sensitive'
import { optionFromNullable, SensitiveString } from 'fp-aws/core/RestJson'
import * as sso from 'fp-aws/sso'
import * as O from 'fp-ts/lib/Option.js'
import * as t from 'io-ts'
import { GetRoleCredentialsCommand, ListAccountsCommand, SSOClient } from '@aws-sdk/client-sso'

const smoke = process.argv.includes('--smoke')
const ROUNDS = smoke ? 3 : 7
const TOKEN = 'bench-token-0123456789abcdef'

// the same bodies as api-server.mjs
const account = (i) => ({
  accountId: String(100000000000 + i),
  accountName: `workload-${String(i).padStart(5, '0')}-production`,
  emailAddress: `aws-owner+${String(i).padStart(5, '0')}@example.com`
})
const pageText = JSON.stringify({
  accountList: Array.from({ length: 100 }, (_, i) => account(i)),
  nextToken: 'AAMA-EFRSURBSGg000001bGVjdGlvbnMtcGFnZS10b2tlbg=='
})
const grcText = JSON.stringify({
  roleCredentials: {
    accessKeyId: 'ASIAQ3EGUWB3EXAMPLE7',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    sessionToken: 'IQoJb3JpZ2luX2VjE' + 'Kz/example+session/token'.repeat(28) + '==',
    expiration: 1893456000000
  }
})
const pageBytes = Buffer.from(pageText)
const grcBytes = Buffer.from(grcText)
const pageJson = JSON.parse(pageText)
const grcJson = JSON.parse(grcText)
const HEADERS = {
  'content-type': 'application/json',
  'content-length': '0',
  'x-amzn-requestid': '0f6b6c3c-6f5b-4a9a-9a43-4d0a0c1c2e7f',
  date: 'Mon, 30 Nov 2026 02:00:00 GMT',
  connection: 'keep-alive',
  'keep-alive': 'timeout=120'
}
const headersFor = (body) => ({ ...HEADERS, 'content-length': String(body.length) })

// fp-aws with a canned HttpClient
const cannedFp = (bytes) => async () => ({
  _tag: 'Right',
  right: { status: 200, headers: headersFor(bytes), body: bytes }
})
const fpEnv = (bytes) => newEnv({ endpoint: 'http://127.0.0.1:9', http: cannedFp(bytes) })
const fpList = send(sso.ListAccounts)
const fpGrc = send(sso.GetRoleCredentials)
const fpListRq = sso.listAccounts_maxResults.set(O.some(100))(sso.newListAccounts(TOKEN))
const fpGrcRq = sso.newGetRoleCredentials('ReadOnly', '111122223333', TOKEN)
const fpListEnv = fpEnv(pageBytes)
const fpGrcEnv = fpEnv(grcBytes)

// the SDK with a canned requestHandler
const { Readable } = await import('node:stream')
const sdkClient = (bytes) =>
  new SSOClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    requestHandler: {
      handle: async () => ({
        response: { statusCode: 200, reason: 'OK', headers: headersFor(bytes), body: Readable.from([bytes]) }
      })
    }
  })
const sdkList = sdkClient(pageBytes)
const sdkGrc = sdkClient(grcBytes)

let sink = 0
const utf8 = new TextDecoder('utf-8', { fatal: true })
const optString = optionFromNullable(t.string)

/** µs per call of a synchronous `f`: `n` calls a round, the median of the rounds. */
const sync = (f, n) => {
  for (let i = 0; i < n; i++) f()
  const rounds = []
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now()
    for (let i = 0; i < n; i++) f()
    rounds.push(((performance.now() - t0) * 1000) / n)
  }
  return rounds.sort((a, b) => a - b)[Math.floor(rounds.length / 2)]
}

/** µs per call of an async `f`, one call at a time. */
const serial = async (f, n) => {
  for (let i = 0; i < n; i++) await f()
  const rounds = []
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now()
    for (let i = 0; i < n; i++) await f()
    rounds.push(((performance.now() - t0) * 1000) / n)
  }
  return rounds.sort((a, b) => a - b)[Math.floor(rounds.length / 2)]
}

const k = smoke ? 0.02 : 1
const N_PAGE = Math.max(20, Math.round(1_000 * k))
const N_SMALL = Math.max(200, Math.round(50_000 * k))
const N_CALL = Math.max(50, Math.round(2_000 * k))

const stages = {}
const stage = (name, fp, sdk) => (stages[name] = { fp, sdk })

// --- ListAccounts page (100 accounts) -------------------------------------------------
stage(
  'page: UTF-8 + JSON.parse (per body)',
  sync(() => (sink += JSON.parse(utf8.decode(pageBytes)).accountList.length), N_PAGE),
  sync(() => (sink += JSON.parse(pageBytes.toString('utf8')).accountList.length), N_PAGE)
)
stage(
  'page: codec decode of the parsed body (per item)',
  sync(() => (sink += sso.ListAccountsResponseCodec.decode(pageJson)._tag.length), N_PAGE) / 100,
  undefined
)
stage(
  'page: one Option member (per member)',
  sync(() => (sink += optString.decode('workload-00001-production')._tag.length), N_SMALL),
  undefined
)
stage(
  'page: parseResponse (per body)',
  sync(
    () => (sink += sso.ListAccounts.parseResponse({ status: 200, headers: HEADERS, body: pageBytes })._tag.length),
    N_PAGE
  ),
  undefined
)
stage(
  'page: whole call, canned response (per body)',
  await serial(async () => (sink += (await fpList(fpListRq)(fpListEnv)())._tag.length), N_CALL),
  await serial(
    async () =>
      (sink += (
        await sdkList.send(new ListAccountsCommand({ accessToken: TOKEN, maxResults: 100 }))
      ).accountList.length),
    N_CALL
  )
)

// --- GetRoleCredentials answer ---------------------------------------------------------
stage(
  'credentials: UTF-8 + JSON.parse (per body)',
  sync(() => (sink += JSON.parse(utf8.decode(grcBytes)).roleCredentials.expiration > 0 ? 1 : 0), N_SMALL / 10),
  sync(() => (sink += JSON.parse(grcBytes.toString('utf8')).roleCredentials.expiration > 0 ? 1 : 0), N_SMALL / 10)
)
stage(
  'credentials: codec decode of the parsed body (per body)',
  sync(() => (sink += sso.GetRoleCredentialsResponseCodec.decode(grcJson)._tag.length), N_SMALL / 10),
  undefined
)
stage(
  'credentials: one Sensitive wrap (sensitive + reveal)',
  sync(() => (sink += reveal(sensitive('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).length), N_SMALL),
  undefined
)
stage(
  'credentials: SensitiveString decode (per member)',
  sync(() => (sink += SensitiveString.decode('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')._tag.length), N_SMALL),
  undefined
)
stage(
  'credentials: parseResponse (per body)',
  sync(
    () => (sink += sso.GetRoleCredentials.parseResponse({ status: 200, headers: HEADERS, body: grcBytes })._tag.length),
    N_SMALL / 10
  ),
  undefined
)
stage(
  'credentials: whole call, canned response (per body)',
  await serial(async () => (sink += (await fpGrc(fpGrcRq)(fpGrcEnv)())._tag.length), N_CALL),
  await serial(
    async () =>
      (sink += (
        await sdkGrc.send(
          new GetRoleCredentialsCommand({ roleName: 'ReadOnly', accountId: '111122223333', accessToken: TOKEN })
        )
      ).roleCredentials.secretAccessKey.length),
    N_CALL
  )
)

process.stdout.write(JSON.stringify({ stages, sink: sink > 0 }) + '\n')
process.exit(0)
