// The loopback server of the paging and decoding phase (phases/api.mjs): node:http with
// keep-alive, answering as the SSO portal does
//   GET /assignment/accounts?next_token=…&max_result=N   one page of ACCOUNTS accounts
//   GET /federation/credentials?role_name=…&account_id=…  one set of role credentials
// with every body built once at start-up, so that the server's own cost per request is as
// small as it can be. A request without the bearer-token header gets a 401. It listens on
// 127.0.0.1 only, prints `{"port":N}` once listening, and exits when its parent closes stdin
// (or on SIGTERM), so it never outlives the benchmark.
//
//   node bench/api-server.mjs [accounts]        (default 10000)
import * as http from 'node:http'

const ACCOUNTS = Number(process.argv[2] ?? 10_000)
const PAGE = 100

/** An account as the portal lists it. */
const account = (i) => ({
  accountId: String(100000000000 + i),
  accountName: `workload-${String(i).padStart(5, '0')}-production`,
  emailAddress: `aws-owner+${String(i).padStart(5, '0')}@example.com`
})

/** Page tokens look like the portal's: long opaque base64-ish text. */
const tokenOf = (page) => `AAMA-EFRSURBSGg${String(page).padStart(6, '0')}bGVjdGlvbnMtcGFnZS10b2tlbg==`

const pages = new Map()
const pageCount = Math.ceil(ACCOUNTS / PAGE)
for (let p = 0; p < pageCount; p++) {
  const accountList = []
  for (let i = p * PAGE; i < Math.min(ACCOUNTS, (p + 1) * PAGE); i++) accountList.push(account(i))
  const body = { accountList, ...(p + 1 < pageCount ? { nextToken: tokenOf(p + 1) } : {}) }
  pages.set(p === 0 ? '' : tokenOf(p), Buffer.from(JSON.stringify(body)))
}

/** Credentials shaped like real ones: a 20-character key id, a 40-character secret, a long session token. */
const credentials = Buffer.from(
  JSON.stringify({
    roleCredentials: {
      accessKeyId: 'ASIAQ3EGUWB3EXAMPLE7',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      sessionToken: 'IQoJb3JpZ2luX2VjE' + 'Kz/example+session/token'.repeat(28) + '==',
      expiration: 1893456000000
    }
  })
)

const reply = (res, status, body) => {
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(body.length),
    'x-amzn-requestid': '0f6b6c3c-6f5b-4a9a-9a43-4d0a0c1c2e7f'
  })
  res.end(body)
}
const notFound = Buffer.from('{"message":"not found"}')
const unauthorized = Buffer.from('{"message":"Session token not found or invalid"}')

let requests = 0
const server = http.createServer({ keepAlive: true, keepAliveTimeout: 120_000 }, (req, res) => {
  requests++
  req.on('data', () => undefined)
  req.on('end', () => {
    if (req.method !== 'GET') return reply(res, 404, notFound)
    if (typeof req.headers['x-amz-sso_bearer_token'] !== 'string') return reply(res, 401, unauthorized)
    const q = req.url.indexOf('?')
    const path = q < 0 ? req.url : req.url.slice(0, q)
    const query = new URLSearchParams(q < 0 ? '' : req.url.slice(q + 1))
    if (path === '/federation/credentials') return reply(res, 200, credentials)
    if (path === '/assignment/accounts') {
      const body = pages.get(query.get('next_token') ?? '')
      return body === undefined ? reply(res, 401, unauthorized) : reply(res, 200, body)
    }
    reply(res, 404, notFound)
  })
})
server.keepAliveTimeout = 120_000
server.headersTimeout = 121_000
server.maxRequestsPerSocket = 0

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(
    JSON.stringify({
      port: server.address().port,
      pageBytes: pages.get('').length,
      credentialBytes: credentials.length
    }) + '\n'
  )
})

const stop = () => {
  server.closeAllConnections()
  server.close(() => process.exit(0))
  setTimeout(() => process.exit(0), 1000).unref()
}
process.stdin.on('end', stop)
process.stdin.on('close', stop)
process.stdin.resume()
process.on('SIGTERM', stop)
process.on('message', (m) => {
  if (m === 'count' && process.send !== undefined) process.send({ requests })
})
