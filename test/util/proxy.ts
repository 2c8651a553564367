/**
 * A corporate network on loopback: a throwaway CA made at test time, and an HTTP proxy on
 * 127.0.0.1 that answers `CONNECT` by terminating TLS itself (with a leaf certificate of
 * that CA for the requested host) and passing the clear text on to a local server (the
 * emulator), and forwards absolute-URL requests. It records what it was asked. The keys
 * come from node:crypto; node-forge only writes and signs the certificates.
 */
import * as crypto from 'node:crypto'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as net from 'node:net'
import * as tls from 'node:tls'
import forge from 'node-forge'

export interface Pem {
  readonly cert: string
  readonly key: string
}

const keyPair = (): { readonly privateKey: forge.pki.rsa.PrivateKey; readonly publicKey: forge.pki.rsa.PublicKey; readonly pem: string } => {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  return {
    privateKey: forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey,
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()) as forge.pki.rsa.PublicKey,
    pem
  }
}

const serial = (): string => `00${crypto.randomBytes(8).toString('hex')}`

const validity = (c: forge.pki.Certificate): void => {
  c.validity.notBefore = new Date(Date.now() - 60 * 60 * 1000)
  c.validity.notAfter = new Date(Date.now() + 24 * 60 * 60 * 1000)
}

export interface TestCa {
  readonly cert: string
  /** A leaf certificate for `hosts`, signed by this CA. */
  readonly leaf: (hosts: ReadonlyArray<string>) => Pem
}

/** A fresh CA: nothing outside this test run trusts it. */
export const makeCa = (name = 'fp-aws test CA'): TestCa => {
  const k = keyPair()
  const ca = forge.pki.createCertificate()
  ca.publicKey = k.publicKey
  ca.serialNumber = serial()
  validity(ca)
  const subject = [{ name: 'commonName', value: name }]
  ca.setSubject(subject)
  ca.setIssuer(subject)
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' }
  ])
  ca.sign(k.privateKey, forge.md.sha256.create())
  return {
    cert: forge.pki.certificateToPem(ca),
    leaf: (hosts) => {
      const l = keyPair()
      const c = forge.pki.createCertificate()
      c.publicKey = l.publicKey
      c.serialNumber = serial()
      validity(c)
      c.setSubject([{ name: 'commonName', value: hosts[0] ?? 'localhost' }])
      c.setIssuer(ca.subject.attributes)
      c.setExtensions([
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames: hosts.map((value) => ({ type: 2, value })) },
        { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() }
      ])
      c.sign(k.privateKey, forge.md.sha256.create())
      return { cert: forge.pki.certificateToPem(c), key: l.pem }
    }
  }
}

export interface Seen {
  readonly method: string
  /** The `CONNECT` target (`host:port`) or the absolute URL of a forwarded request. */
  readonly target: string
  readonly proxyAuthorization: string | undefined
}

export interface TestProxy {
  /** `http://127.0.0.1:PORT` (no credentials). */
  readonly url: string
  readonly port: number
  readonly seen: Array<Seen>
  readonly close: () => Promise<void>
}

export interface TestProxyOptions {
  /** Where every tunnel and forwarded request really goes: `http://127.0.0.1:PORT`. */
  readonly upstream: string
  /** The certificate shown to the client inside each tunnel. */
  readonly leaf: Pem
  /** `user:password` the proxy requires (`407` otherwise). */
  readonly credentials?: string
}

/** The proxy: `CONNECT` terminated with `leaf`, passed on in clear to `upstream`. */
export const startProxy = async (options: TestProxyOptions): Promise<TestProxy> => {
  const seen: Array<Seen> = []
  const up = new URL(options.upstream)
  const upPort = Number(up.port)
  const expected = options.credentials === undefined ? undefined : `Basic ${Buffer.from(options.credentials).toString('base64')}`
  const authorized = (h: string | undefined): boolean => expected === undefined || h === expected
  const sockets = new Set<net.Socket>()
  const context = tls.createSecureContext({ cert: options.leaf.cert, key: options.leaf.key })
  const server = http.createServer((req, res) => {
    // a forwarded request: `GET http://host/path`
    const auth = req.headers['proxy-authorization']
    seen.push({ method: req.method ?? '', target: req.url ?? '', proxyAuthorization: auth })
    if (!authorized(auth)) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="corp"', 'content-type': 'text/html' })
      return res.end('<html>proxy authentication required</html>')
    }
    const target = new URL(req.url ?? '/', 'http://invalid')
    const headers = { ...req.headers }
    delete headers['proxy-authorization']
    delete headers['proxy-connection']
    const out = http.request(
      { hostname: up.hostname, port: upPort, path: target.pathname + target.search, method: req.method, headers, agent: false },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers)
        r.pipe(res)
      }
    )
    out.on('error', () => res.destroy())
    req.pipe(out)
  })
  server.on('connection', (s: net.Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  server.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    const auth = req.headers['proxy-authorization']
    seen.push({ method: 'CONNECT', target: req.url ?? '', proxyAuthorization: auth })
    socket.on('error', () => socket.destroy())
    if (!authorized(auth)) {
      socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\nContent-Length: 0\r\n\r\n')
      return
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n', () => {
      if (head.length > 0) socket.unshift(head)
      const secure = new tls.TLSSocket(socket, { isServer: true, secureContext: context })
      secure.on('error', () => socket.destroy())
      const upstream = net.connect(upPort, up.hostname)
      sockets.add(upstream)
      upstream.on('close', () => {
        sockets.delete(upstream)
        secure.destroy()
      })
      upstream.on('error', () => secure.destroy())
      secure.on('close', () => upstream.destroy())
      secure.pipe(upstream).pipe(secure)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
