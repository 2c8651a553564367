// The loopback server of the paging and decoding phase (phases/api.mjs): HTTP/1.1 with
// keep-alive over a plain TCP server (see below), answering as the SSO portal does
//   GET /assignment/accounts?next_token=…&max_result=N   one page of ACCOUNTS accounts
//   GET /federation/credentials?role_name=…&account_id=…  one set of role credentials
// with every body built once at start-up, so that the server's own cost per request is as
// small as it can be. A request without the bearer-token header gets a 401. It listens on
// 127.0.0.1 only, prints `{"port":N}` once listening, and exits when its parent closes stdin
// (or on SIGTERM), so it never outlives the benchmark.
//
//   node bench/api-server.mjs [accounts]        (default 10000)
import * as net from 'node:net'

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

/** A whole HTTP/1.1 response, head and body, built once. */
const response = (status, body) =>
  Buffer.concat([
    Buffer.from(
      `HTTP/1.1 ${status} ${status === 200 ? 'OK' : status === 401 ? 'Unauthorized' : 'Not Found'}\r\n` +
        'content-type: application/json\r\n' +
        `content-length: ${body.length}\r\n` +
        'x-amzn-requestid: 0f6b6c3c-6f5b-4a9a-9a43-4d0a0c1c2e7f\r\n' +
        'connection: keep-alive\r\n\r\n',
      'latin1'
    ),
    body
  ])
const answers = new Map([...pages].map(([token, body]) => [token, response(200, body)]))
const credentialsAnswer = response(200, credentials)
const notFound = response(404, Buffer.from('{"message":"not found"}'))
const unauthorized = response(401, Buffer.from('{"message":"Session token not found or invalid"}'))
const badRequest = Buffer.from('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n', 'latin1')

/** The answer to one request head (GET only; the request line and the token header are all it reads). */
const answer = (head) => {
  const line = head.slice(0, head.indexOf('\r\n'))
  const [method, target] = line.split(' ')
  if (method !== 'GET' || target === undefined) return notFound
  if (!/\r\nx-amz-sso_bearer_token:/i.test(head)) return unauthorized
  const q = target.indexOf('?')
  const path = q < 0 ? target : target.slice(0, q)
  if (path === '/federation/credentials') return credentialsAnswer
  if (path !== '/assignment/accounts') return notFound
  const token = new URLSearchParams(q < 0 ? '' : target.slice(q + 1)).get('next_token') ?? ''
  return answers.get(token) ?? unauthorized
}

// A plain TCP server that speaks just enough HTTP/1.1 for the two clients: keep-alive, GET
// requests with no body (a request with a body is refused and its connection closed), several
// requests on a connection, each answered with one write of a response built at start-up. It
// costs far less a request than node:http's server, so that the time a page takes is mostly
// the clients' own.
let requests = 0
const sockets = new Set()
const server = net.createServer((socket) => {
  sockets.add(socket)
  socket.setNoDelay(true)
  socket.setEncoding('latin1')
  let buf = ''
  socket.on('data', (d) => {
    buf += d
    let end
    while ((end = buf.indexOf('\r\n\r\n')) >= 0) {
      const head = buf.slice(0, end)
      buf = buf.slice(end + 4)
      requests++
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)
      if ((length !== null && Number(length[1]) > 0) || /\r\ntransfer-encoding:/i.test(head)) {
        socket.end(badRequest)
        return
      }
      socket.write(answer(head))
    }
    if (buf.length > 65_536) socket.end(badRequest)
  })
  socket.on('error', () => undefined)
  socket.on('close', () => sockets.delete(socket))
})

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
  for (const socket of sockets) socket.destroy()
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
