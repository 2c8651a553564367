// The loopback server of the benchmark: node:http with keep-alive, answering
// `POST /logout` with 200 and an empty JSON body, like the SSO portal. It listens on
// 127.0.0.1 only, prints `{"port":N}` once listening, and exits when its parent closes
// stdin (or on SIGTERM), so it never outlives the benchmark.
import * as http from 'node:http'

let requests = 0
const server = http.createServer({ keepAlive: true, keepAliveTimeout: 120_000 }, (req, res) => {
  requests++
  // the body (if any) is drained before answering, as a real server would
  req.on('data', () => undefined)
  req.on('end', () => {
    if (req.method === 'POST' && req.url === '/logout') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '0' })
      res.end()
    } else {
      const body = '{"message":"not found"}'
      res.writeHead(404, { 'content-type': 'application/json', 'content-length': String(body.length) })
      res.end(body)
    }
  })
})
server.keepAliveTimeout = 120_000
server.headersTimeout = 121_000
server.maxRequestsPerSocket = 0

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n')
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
