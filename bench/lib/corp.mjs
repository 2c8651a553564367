// A corporate network on loopback, for the sweep phase: a throwaway CA made at run time, an
// HTTPS portal on 127.0.0.1 whose certificate (signed by that CA) names the real portal host,
// and an HTTP proxy on 127.0.0.1 that answers `CONNECT` for that host only by opening a
// tunnel to the portal (TLS end to end between the client and the portal, as with a real
// proxy). Nothing is resolved and nothing leaves the machine: a client that sent anything
// but `CONNECT <host>:443` to the proxy is counted in `stray`, and every TLS connection the
// portal accepts came through a tunnel. The keys come from node:crypto; node-forge only
// writes and signs the certificates.
import * as crypto from 'node:crypto'
import * as http from 'node:http'
import * as https from 'node:https'
import * as net from 'node:net'
import forge from 'node-forge'

const keyPair = () => {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  return {
    privateKey: forge.pki.privateKeyFromPem(pem),
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
    pem
  }
}

const certificate = (publicKey) => {
  const c = forge.pki.createCertificate()
  c.publicKey = publicKey
  c.serialNumber = `00${crypto.randomBytes(8).toString('hex')}`
  c.validity.notBefore = new Date(Date.now() - 60 * 60 * 1000)
  c.validity.notAfter = new Date(Date.now() + 24 * 60 * 60 * 1000)
  return c
}

/** A fresh CA (`cert`, PEM) and a leaf certificate for `host` signed by it (`leaf`: `{ cert, key }`). */
export const makeCa = (host) => {
  const k = keyPair()
  const ca = certificate(k.publicKey)
  const subject = [{ name: 'commonName', value: 'fp-aws bench CA' }]
  ca.setSubject(subject)
  ca.setIssuer(subject)
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' }
  ])
  ca.sign(k.privateKey, forge.md.sha256.create())
  const l = keyPair()
  const leaf = certificate(l.publicKey)
  leaf.setSubject([{ name: 'commonName', value: host }])
  leaf.setIssuer(ca.subject.attributes)
  leaf.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 2, value: host }] },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() }
  ])
  leaf.sign(k.privateKey, forge.md.sha256.create())
  return { cert: forge.pki.certificateToPem(ca), leaf: { cert: forge.pki.certificateToPem(leaf), key: l.pem } }
}

const listen = (server) =>
  new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(server.address().port))
  })

const closer = (server, sockets) => () =>
  new Promise((resolve) => {
    for (const s of sockets) s.destroy()
    server.close(() => resolve())
  })

/**
 * The portal: `POST /logout` with an `x-amz-sso_bearer_token` header answers 200 (counted in
 * `counts.logouts`), anything else 404. `counts.tls`: TLS connections accepted; `counts.names`:
 * the server names (SNI) they asked for.
 */
export const startPortal = async ({ leaf }) => {
  const counts = { logouts: 0, tls: 0, names: new Map(), other: 0 }
  const sockets = new Set()
  const server = https.createServer({ cert: leaf.cert, key: leaf.key, keepAlive: true }, (req, res) => {
    req.resume()
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/logout' && typeof req.headers['x-amz-sso_bearer_token'] === 'string') {
        counts.logouts++
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '0' }).end()
      } else {
        counts.other++
        res.writeHead(404, { 'content-type': 'application/json', 'content-length': '2' }).end('{}')
      }
    })
  })
  server.keepAliveTimeout = 120_000
  server.headersTimeout = 121_000
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  server.on('secureConnection', (s) => {
    counts.tls++
    const name = String(s.servername)
    counts.names.set(name, (counts.names.get(name) ?? 0) + 1)
  })
  const port = await listen(server)
  return { port, counts, close: closer(server, sockets) }
}

/**
 * The proxy: `CONNECT <allow>` is tunnelled to `127.0.0.1:<upstream>` (counted in
 * `counts.connects`); anything else (another `CONNECT` target, a forwarded request) is
 * refused and counted in `counts.stray`.
 */
export const startProxy = async ({ allow, upstream }) => {
  const counts = { connects: 0, stray: 0 }
  const sockets = new Set()
  const server = http.createServer((req, res) => {
    counts.stray++
    res.writeHead(403, { 'content-length': '0' }).end()
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  server.on('connect', (req, socket, head) => {
    socket.on('error', () => socket.destroy())
    if (req.url !== allow) {
      counts.stray++
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n')
      return
    }
    counts.connects++
    const up = net.connect(upstream, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length > 0) up.write(head)
      socket.pipe(up).pipe(socket)
    })
    sockets.add(up)
    up.on('close', () => {
      sockets.delete(up)
      socket.destroy()
    })
    up.on('error', () => socket.destroy())
    socket.on('close', () => up.destroy())
  })
  const port = await listen(server)
  return { port, url: `http://127.0.0.1:${port}`, counts, close: closer(server, sockets) }
}
