/**
 * HTTP proxies, as the AWS CLI understands `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY`:
 * which proxy (if any) a URL goes through, and a proxy URL shown without its credentials.
 * Pure functions over explicit values: nothing here reads the environment (the Node
 * `fromEnvironment` fills {@link ProxyOptions} from its environment map), and nothing
 * imports a Node built-in.
 *
 * @since 0.2.0
 */

/**
 * Which proxies the default client goes through. An `https:` URL goes through `https`
 * (a `CONNECT` tunnel, TLS end to end with the service), an `http:` URL through `http`
 * (the request sent to the proxy with its absolute URL), unless its host matches
 * `noProxy`. A proxy URL may carry `user:password@` (sent as `Proxy-Authorization:
 * Basic`, never printed) and may be `http:` or `https:`; without a scheme it is `http:`.
 *
 * @category model
 * @since 0.2.0
 */
export interface ProxyOptions {
  /** The proxy for `https:` URLs, like `HTTPS_PROXY`. */
  readonly https?: string | undefined
  /** The proxy for `http:` URLs, like `HTTP_PROXY`. */
  readonly http?: string | undefined
  /**
   * Hosts reached directly, like `NO_PROXY`: comma- or space-separated host names,
   * each matching itself and its sub-domains (a leading `.` or `*.` is ignored), an
   * optional `:port`, IP addresses as written; `*` alone bypasses every proxy.
   */
  readonly noProxy?: string | undefined
}

/**
 * Whether proxy options name any proxy (an `https` or `http` URL that is not empty). Never
 * throws.
 *
 * @example
 * import { hasProxy } from 'fp-aws/core/Proxy'
 *
 * assert.strictEqual(hasProxy({ https: 'http://proxy.corp:3128' }), true)
 * assert.strictEqual(hasProxy({ noProxy: '*' }), false)
 * assert.strictEqual(hasProxy(undefined), false)
 *
 * @category destructors
 * @since 0.2.0
 */
export const hasProxy = (options: ProxyOptions | null | undefined): options is ProxyOptions => {
  try {
    return typeof options === 'object' && options !== null && ((options.https ?? '') !== '' || (options.http ?? '') !== '')
  } catch {
    return false
  }
}

/**
 * A proxy URL made whole: `http://` added when there is no scheme; `undefined` when it
 * is not an `http:` or `https:` URL with a host (or has a path other than `/`, a query or
 * a fragment).
 *
 * @example
 * import { normalizeProxyUrl } from 'fp-aws/core/Proxy'
 *
 * assert.strictEqual(normalizeProxyUrl('proxy.corp:3128'), 'http://proxy.corp:3128/')
 * assert.strictEqual(normalizeProxyUrl('https://u:p@proxy.corp'), 'https://u:p@proxy.corp/')
 * assert.strictEqual(normalizeProxyUrl('socks5://proxy.corp:1080'), undefined)
 *
 * @category constructors
 * @since 0.2.0
 */
export const normalizeProxyUrl = (raw: string): string | undefined => {
  if (typeof raw !== 'string') return undefined
  const s = raw.trim()
  if (s === '') return undefined
  const withScheme = /^[a-z][a-z\d+\-.]*:\/\//i.test(s) ? s : `http://${s}`
  if (!URL.canParse(withScheme)) return undefined
  const u = new URL(withScheme)
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.hostname === '') return undefined
  if ((u.pathname !== '/' && u.pathname !== '') || u.search !== '' || u.hash !== '') return undefined
  return u.href
}

/**
 * A proxy URL as it may be shown: user name and password replaced by `<redacted>`.
 *
 * @example
 * import { redactProxyUrl } from 'fp-aws/core/Proxy'
 *
 * assert.strictEqual(redactProxyUrl('http://ana:s3cret@proxy.corp:3128'), 'http://<redacted>@proxy.corp:3128/')
 * assert.strictEqual(redactProxyUrl('http://proxy.corp:3128'), 'http://proxy.corp:3128/')
 *
 * @category destructors
 * @since 0.2.0
 */
export const redactProxyUrl = (url: string): string => {
  const n = normalizeProxyUrl(url)
  if (n === undefined) return '<invalid proxy URL>'
  const u = new URL(n)
  if (u.username === '' && u.password === '') return u.href
  return `${u.protocol}//<redacted>@${u.host}${u.pathname}`
}

const defaultPort = (protocol: string): number => (protocol === 'https:' ? 443 : 80)

/**
 * Whether a host (and port) is to be reached directly under a `NO_PROXY` value, with the
 * AWS CLI's (Python's) rules: `*` matches everything; each entry, its leading `.` or `*.`
 * removed, matches the host itself and every sub-domain; an entry with `:port` matches
 * that port only. Case-insensitive. A `noProxy` or `hostname` that is not a string is `false`.
 *
 * @example
 * import { bypassesProxy } from 'fp-aws/core/Proxy'
 *
 * assert.strictEqual(bypassesProxy('localhost,.corp.example', 'sso.corp.example', 443), true)
 * assert.strictEqual(bypassesProxy('corp.example:8443', 'corp.example', 443), false)
 * assert.strictEqual(bypassesProxy('example.com', 'notexample.com', 443), false)
 *
 * @category destructors
 * @since 0.2.0
 */
export const bypassesProxy = (noProxy: string | undefined, hostname: string, port: number): boolean => {
  if (typeof noProxy !== 'string' || typeof hostname !== 'string') return false
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '')
  for (const raw of noProxy.toLowerCase().split(/[,\s]+/)) {
    if (raw === '') continue
    if (raw === '*') return true
    // `[v6]:port`, `[v6]`, a bare IPv6 address (more than one colon), or `name[:port]`
    const m = raw.startsWith('[')
      ? /^\[([^\]]*)\](?::(\d+))?$/.exec(raw)
      : raw.indexOf(':') !== raw.lastIndexOf(':')
        ? [raw, raw, undefined]
        : /^([^:]*)(?::(\d+))?$/.exec(raw)
    const name = (m?.[1] ?? raw).replace(/^\*?\./, '').replace(/\.$/, '')
    const entryPort = m?.[2]
    if (name === '' || (entryPort !== undefined && Number(entryPort) !== port)) continue
    if (host === name || host.endsWith(`.${name}`)) return true
  }
  return false
}

/**
 * The proxy a URL goes through under `options` (normalized, credentials included: for the
 * wire only), or `undefined` for a direct connection (and for options that cannot be read).
 *
 * @example
 * import { proxyFor } from 'fp-aws/core/Proxy'
 *
 * const options = { https: 'proxy.corp:3128', noProxy: 'localhost' }
 * assert.strictEqual(proxyFor(options, 'https://portal.sso.us-east-1.amazonaws.com/logout'), 'http://proxy.corp:3128/')
 * assert.strictEqual(proxyFor(options, 'https://localhost:4566/logout'), undefined)
 * assert.strictEqual(proxyFor(options, 'http://example.com/'), undefined)
 *
 * @category destructors
 * @since 0.2.0
 */
export const proxyFor = (options: ProxyOptions | undefined, url: string): string | undefined => {
  if (options === undefined || options === null) return undefined
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return undefined
  }
  let raw: unknown
  let noProxy: unknown
  try {
    raw = u.protocol === 'https:' ? options.https : u.protocol === 'http:' ? options.http : undefined
    noProxy = options.noProxy
  } catch {
    return undefined
  }
  if (typeof raw !== 'string' || raw === '') return undefined
  const port = u.port === '' ? defaultPort(u.protocol) : Number(u.port)
  if (typeof noProxy === 'string' && bypassesProxy(noProxy, u.hostname, port)) return undefined
  return normalizeProxyUrl(raw)
}
