import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { proxyFromEnv } from '../../src/core/Env.js'
import { bypassesProxy, normalizeProxyUrl, proxyFor, redactProxyUrl } from '../../src/core/Proxy.js'

describe('proxyFromEnv', () => {
  it('reads HTTPS_PROXY, HTTP_PROXY and NO_PROXY in either case, lower case first; empty is unset', () => {
    expect(proxyFromEnv({ HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:1' })).toStrictEqual({
      _tag: 'Right',
      right: { https: 'http://lower:1' }
    })
    expect(proxyFromEnv({ HTTPS_PROXY: 'http://upper:1', https_proxy: '' })).toStrictEqual({ _tag: 'Right', right: { https: 'http://upper:1' } })
    expect(proxyFromEnv({ HTTP_PROXY: 'proxy:3128', no_proxy: 'localhost', NO_PROXY: 'other' })).toStrictEqual({
      _tag: 'Right',
      right: { http: 'proxy:3128', noProxy: 'localhost' }
    })
    expect(proxyFromEnv({ NO_PROXY: '*' })).toStrictEqual({ _tag: 'Right', right: undefined })
  })

  it('a proxy URL that is not http(s) is a ConfigError naming the variable, never quoting the value', () => {
    for (const [name, value] of [
      ['HTTPS_PROXY', 'socks5://ana:pw-secret@proxy:1080'],
      ['http_proxy', 'http://ana:pw-secret@proxy:3128/path?x=pw-secret'],
      ['HTTPS_PROXY', 'http://']
    ] as const) {
      const r = proxyFromEnv({ [name]: value })
      expect(r._tag === 'Left' && r.left.source).toBe(name)
      expect(JSON.stringify(r)).not.toContain('pw-secret')
    }
  })
})

describe('proxy selection', () => {
  it('NO_PROXY as the AWS CLI reads it', () => {
    const cases: ReadonlyArray<readonly [string, string, number, boolean]> = [
      ['*', 'anything.example', 443, true],
      ['example.com', 'example.com', 443, true],
      ['example.com', 'sso.example.com', 443, true],
      ['.example.com', 'sso.example.com', 443, true],
      ['*.example.com', 'sso.example.com', 443, true],
      ['example.com', 'notexample.com', 443, false],
      ['example.com:8443', 'example.com', 443, false],
      ['example.com:443', 'example.com', 443, true],
      ['EXAMPLE.com', 'Example.COM', 443, true],
      ['localhost, 127.0.0.1', '127.0.0.1', 80, true],
      ['[::1]', '::1', 80, true],
      ['::1', '::1', 443, true],
      ['[::1]:8080', '::1', 80, false],
      ['a.com b.com', 'b.com', 80, true],
      ['', 'example.com', 443, false]
    ]
    for (const [noProxy, host, port, expected] of cases) expect(bypassesProxy(noProxy, host, port), `${noProxy} ${host}:${port}`).toBe(expected)
  })

  it('https URLs use the https proxy, http URLs the http one', () => {
    const o = { https: 'https-proxy:1', http: 'http://http-proxy:2', noProxy: '.internal' }
    expect(proxyFor(o, 'https://portal.sso.eu-west-1.amazonaws.com/logout')).toBe('http://https-proxy:1/')
    expect(proxyFor(o, 'http://127.0.0.1:4566/logout')).toBe('http://http-proxy:2/')
    expect(proxyFor(o, 'https://sso.internal/logout')).toBeUndefined()
    expect(proxyFor({}, 'https://x/')).toBeUndefined()
  })

  it('redaction never shows the credentials; normalization refuses what is not a proxy URL', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9]{4,12}$/), fc.stringMatching(/^[A-Za-z0-9]{8,16}$/), (user, pass) => {
        const shown = redactProxyUrl(`http://${user}:${pass}@proxy.corp:3128`)
        expect(shown).toBe('http://<redacted>@proxy.corp:3128/')
      })
    )
    for (const bad of ['', 'ftp://proxy', 'socks5://proxy:1080', 'http://proxy/some/path', 'http://proxy/?q', 'http://'])
      expect(normalizeProxyUrl(bad), bad).toBeUndefined()
  })
})
