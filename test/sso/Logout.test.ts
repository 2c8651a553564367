import * as util from 'node:util'
import fc from 'fast-check'
import * as S from 'fp-ts/lib/string.js'
import { describe, expect, it } from 'vitest'
import * as A from '../../src/arbitrary/index.js'
import { reveal } from '../../src/core/Sensitive.js'
import {
  encodeLogout,
  Logout,
  logout_accessToken,
  LogoutCodec,
  LogoutEq,
  LogoutResponseCodec,
  LogoutResponseEq,
  LogoutResponseShow,
  LogoutShow,
  newLogout,
  newLogoutResponse
} from '../../src/services/sso/index.js'
import { codecLaws, lensLaws } from '../laws.js'

/** Tokens that may legally travel in an HTTP header. */
export const validToken = A.accessToken({ maxLength: 512 })

const anyString = fc.string({ unit: 'binary', maxLength: 64 })
/** Requests with any token at all (the constructor is total). */
const anyRequest = A.logout({ accessToken: anyString })

describe('Logout request', () => {
  it('logout_accessToken obeys the lens laws', () => {
    lensLaws(logout_accessToken, anyRequest, anyString, LogoutEq, S.Eq)
  })

  it('newLogout is total and keeps the token Sensitive', () => {
    fc.assert(
      fc.property(anyString, (tok) => {
        const rq = newLogout(tok)
        expect(reveal(rq.accessToken)).toBe(tok)
        expect(rq.accessToken._tag).toBe('Sensitive')
      })
    )
  })

  it('codecs round-trip', () => {
    codecLaws(LogoutCodec, anyRequest, LogoutEq)
    codecLaws(LogoutResponseCodec, A.logoutResponse(), LogoutResponseEq)
    expect(LogoutCodec.decode({ accessToken: 3 })._tag).toBe('Left')
    expect(LogoutCodec.decode(null)._tag).toBe('Left')
  })

  it('encodes every valid token as exactly POST /logout + the bearer header + no body', () => {
    fc.assert(
      fc.property(validToken.filter((t) => !/^[\t ]|[\t ]$/.test(t)), (tok) => {
        const r = encodeLogout(newLogout(tok))
        expect(r._tag).toBe('Right')
        if (r._tag === 'Right') {
          expect(r.right.method).toBe('POST')
          expect(r.right.path).toBe('/logout')
          expect(r.right.query).toStrictEqual([])
          expect(r.right.body).toBeUndefined()
          expect(Object.keys(r.right.headers)).toStrictEqual(['x-amz-sso_bearer_token'])
          expect(reveal(r.right.headers['x-amz-sso_bearer_token'] as never)).toBe(tok)
        }
      })
    )
  })

  it('refuses every token holding a control character, without echoing it', () => {
    const control = fc.constantFrom(...Array.from({ length: 32 }, (_, i) => i).filter((i) => i !== 9).map((i) => String.fromCharCode(i)), '\u007f')
    fc.assert(
      fc.property(validToken, control, validToken, (a, c, b) => {
        const tok = `${a}${c}${b}`
        const r = encodeLogout(newLogout(tok))
        expect(r._tag).toBe('Left')
        expect(JSON.stringify(r)).not.toContain(tok)
      })
    )
  })

  it('Show, String, JSON and util.inspect never show the token', () => {
    const rq = newLogout('super-secret-token-value')
    for (const out of [LogoutShow.show(rq), String(rq.accessToken), `${rq.accessToken}`, JSON.stringify(rq), util.inspect(rq, { depth: 10, showHidden: true })]) {
      expect(out).not.toContain('super-secret-token-value')
    }
    expect(LogoutResponseShow.show(newLogoutResponse())).toBe('LogoutResponse {}')
  })

  it('the dictionary names the operation and its modelled errors', () => {
    expect(Logout.operation).toBe('Logout')
    expect(Logout.service.endpointPrefix).toBe('portal.sso')
    expect([...Logout.errorCodes].sort()).toStrictEqual(['InvalidRequestException', 'TooManyRequestsException', 'UnauthorizedException'])
  })
})
