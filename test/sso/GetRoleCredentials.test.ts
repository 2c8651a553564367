import * as util from 'node:util'
import fc from 'fast-check'
import { pipe } from 'fp-ts/lib/function.js'
import * as N from 'fp-ts/lib/number.js'
import * as O from 'fp-ts/lib/Option.js'
import * as S from 'fp-ts/lib/string.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as A from '../../src/arbitrary/index.js'
import { newEnv, send } from '../../src/index.js'
import { pathAndQuery } from '../../src/core/Request.js'
import { reveal } from '../../src/core/Sensitive.js'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import {
  encodeGetRoleCredentials,
  GetRoleCredentials,
  getRoleCredentials_accessToken,
  getRoleCredentials_accountId,
  getRoleCredentials_roleName,
  GetRoleCredentialsCodec,
  GetRoleCredentialsEq,
  getRoleCredentialsResponse_roleCredentials,
  GetRoleCredentialsResponseCodec,
  GetRoleCredentialsResponseEq,
  GetRoleCredentialsResponseShow,
  GetRoleCredentialsShow,
  newGetRoleCredentials,
  newGetRoleCredentialsResponse,
  newRoleCredentials,
  roleCredentials_accessKeyId,
  roleCredentials_expiration,
  roleCredentials_secretAccessKey,
  roleCredentials_sessionToken,
  RoleCredentialsCodec,
  RoleCredentialsEq,
  RoleCredentialsShow,
  type GetRoleCredentialsResponse,
  type RoleCredentials
} from '../../src/services/sso/index.js'
import { codecLaws, lensLaws } from '../laws.js'
import { awsEncode, envFor, useScriptedServers } from '../util/harness.js'

// -------------------------------------------------------------------------------------
// arbitraries
// -------------------------------------------------------------------------------------

const validToken = A.accessToken({ maxLength: 256 })
const anyString = fc.string({ unit: 'binary', maxLength: 64 })
/** Non-empty, well-formed strings, reserved characters and unicode included. */
const roleNameValue = A.roleName({ kind: 'any' })
const accountIdValue = A.accountId({ kind: 'any' })
const optString = fc.option(anyString, { nil: undefined }).map(O.fromNullable)

/** Records with any strings at all in them (the constructors are total). */
const request = A.getRoleCredentials({ roleName: anyString, accountId: anyString, accessToken: anyString })
const roleCredentials: fc.Arbitrary<RoleCredentials> = A.roleCredentials({
  accessKeyId: anyString,
  secretAccessKey: anyString,
  sessionToken: anyString,
  expiration: fc.maxSafeInteger()
})
const response: fc.Arbitrary<GetRoleCredentialsResponse> = A.getRoleCredentialsResponse({ roleCredentials })


// -------------------------------------------------------------------------------------
// servers
// -------------------------------------------------------------------------------------

const serve = useScriptedServers()

const TOKEN = 'aoaAAAAAGg-test-token-0123456789'
const ACCOUNT = '111122223333'

let emu: Emulator
beforeAll(async () => {
  const r = await startEmulator({
    tokens: {
      [TOKEN]: {
        accounts: [
          { accountId: ACCOUNT, accountName: 'Dev', emailAddress: 'dev@example.com', roles: ['ReadOnly', 'Admin'] },
          { accountId: '444455556666', accountName: 'Prod', emailAddress: 'prod@example.com', roles: ['ReadOnly'] }
        ]
      },
      'other-token': {}
    }
  })()
  if (r._tag === 'Left') throw new Error(r.left.message)
  emu = r.right
})
afterAll(() => emu.close())

// -------------------------------------------------------------------------------------
// tests
// -------------------------------------------------------------------------------------

describe('GetRoleCredentials request', () => {
  it('every request lens obeys the lens laws', () => {
    lensLaws(getRoleCredentials_roleName, request, anyString, GetRoleCredentialsEq, S.Eq)
    lensLaws(getRoleCredentials_accountId, request, anyString, GetRoleCredentialsEq, S.Eq)
    lensLaws(getRoleCredentials_accessToken, request, anyString, GetRoleCredentialsEq, S.Eq)
  })

  it('newGetRoleCredentials is total and keeps the token Sensitive', () => {
    fc.assert(
      fc.property(anyString, anyString, anyString, (r, a, t) => {
        const rq = newGetRoleCredentials(r, a, t)
        expect(rq.roleName).toBe(r)
        expect(rq.accountId).toBe(a)
        expect(reveal(rq.accessToken)).toBe(t)
        expect(rq.accessToken._tag).toBe('Sensitive')
      })
    )
  })

  it('the request codec round-trips and rejects wrong shapes', () => {
    codecLaws(GetRoleCredentialsCodec, request, GetRoleCredentialsEq)
    expect(GetRoleCredentialsCodec.decode({ roleName: 'r', accountId: 1, accessToken: 't' })._tag).toBe('Left')
    expect(GetRoleCredentialsCodec.decode({ roleName: 'r', accessToken: 't' })._tag).toBe('Left')
    expect(GetRoleCredentialsCodec.decode(null)._tag).toBe('Left')
  })

  it('encodes every valid request as exactly GET /federation/credentials + query + bearer header + no body', () => {
    fc.assert(
      fc.property(roleNameValue, accountIdValue, validToken, (roleName, accountId, tok) => {
        const r = encodeGetRoleCredentials(newGetRoleCredentials(roleName, accountId, tok))
        expect(r._tag).toBe('Right')
        if (r._tag !== 'Right') return
        expect(r.right.method).toBe('GET')
        expect(r.right.path).toBe('/federation/credentials')
        expect(r.right.query).toStrictEqual([
          ['role_name', roleName],
          ['account_id', accountId]
        ])
        expect(r.right.body).toBeUndefined()
        expect(Object.keys(r.right.headers)).toStrictEqual(['x-amz-sso_bearer_token'])
        expect(reveal(r.right.headers['x-amz-sso_bearer_token'] as never)).toBe(tok)
        expect(pathAndQuery(r.right)).toBe(
          `/federation/credentials?role_name=${awsEncode(roleName)}&account_id=${awsEncode(accountId)}`
        )
      })
    )
  })

  it("percent-encodes reserved characters !'()* and unicode like the AWS SDKs", () => {
    const r = encodeGetRoleCredentials(newGetRoleCredentials("a b!'()*é😀", '1/2&3=4', 't'))
    expect(r._tag === 'Right' && pathAndQuery(r.right)).toBe(
      '/federation/credentials?role_name=a%20b%21%27%28%29%2A%C3%A9%F0%9F%98%80&account_id=1%2F2%263%3D4'
    )
  })

  it('refuses an empty roleName or accountId, a lone surrogate and a bad token, naming the field and never the value', () => {
    const cases: ReadonlyArray<readonly [string, string, string, string]> = [
      ['', ACCOUNT, TOKEN, 'roleName'],
      ['ReadOnly', '', TOKEN, 'accountId'],
      ['Read\uD800Only', ACCOUNT, TOKEN, 'roleName'],
      ['ReadOnly', '\uDC00', TOKEN, 'accountId'],
      ['ReadOnly', ACCOUNT, '', 'accessToken'],
      ['ReadOnly', ACCOUNT, 'bad\r\nX-Injected: 1', 'accessToken'],
      ['', '', '', 'accessToken']
    ]
    for (const [roleName, accountId, tok, field] of cases) {
      const r = encodeGetRoleCredentials(newGetRoleCredentials(roleName, accountId, tok))
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ValidationError', operation: 'GetRoleCredentials', field } })
      if (tok !== '') expect(JSON.stringify(r)).not.toContain(tok)
    }
  })

  it('Show, JSON and util.inspect of a request never show the token', () => {
    const rq = newGetRoleCredentials('ReadOnly', ACCOUNT, 'super-secret-token-value')
    for (const out of [GetRoleCredentialsShow.show(rq), JSON.stringify(rq), util.inspect(rq, { depth: 10, showHidden: true })]) {
      expect(out).not.toContain('super-secret-token-value')
    }
    expect(GetRoleCredentialsShow.show(rq)).toBe(
      'GetRoleCredentials { roleName: "ReadOnly", accountId: "111122223333", accessToken: <redacted> }'
    )
  })

  it('the dictionary names the operation and its modelled errors', () => {
    expect(GetRoleCredentials.operation).toBe('GetRoleCredentials')
    expect(GetRoleCredentials.service.endpointPrefix).toBe('portal.sso')
    expect([...GetRoleCredentials.errorCodes].sort()).toStrictEqual([
      'InvalidRequestException',
      'ResourceNotFoundException',
      'TooManyRequestsException',
      'UnauthorizedException'
    ])
  })
})

describe('GetRoleCredentials response', () => {
  it('every response lens obeys the lens laws', () => {
    lensLaws(getRoleCredentialsResponse_roleCredentials, response, fc.option(roleCredentials, { nil: undefined }).map(O.fromNullable), GetRoleCredentialsResponseEq, O.getEq(RoleCredentialsEq))
    lensLaws(roleCredentials_accessKeyId, roleCredentials, optString, RoleCredentialsEq, O.getEq(S.Eq))
    lensLaws(roleCredentials_secretAccessKey, roleCredentials, optString, RoleCredentialsEq, O.getEq(S.Eq))
    lensLaws(roleCredentials_sessionToken, roleCredentials, optString, RoleCredentialsEq, O.getEq(S.Eq))
    lensLaws(roleCredentials_expiration, roleCredentials, fc.maxSafeInteger(), RoleCredentialsEq, N.Eq)
  })

  it('the secret lenses keep the values Sensitive in the record', () => {
    const rc = pipe(
      newRoleCredentials(),
      roleCredentials_secretAccessKey.set(O.some('SECRET-KEY')),
      roleCredentials_sessionToken.set(O.some('SESSION-TOKEN'))
    )
    expect(O.isSome(rc.secretAccessKey) && rc.secretAccessKey.value._tag).toBe('Sensitive')
    expect(O.isSome(rc.sessionToken) && rc.sessionToken.value._tag).toBe('Sensitive')
    expect(JSON.stringify(rc)).not.toMatch(/SECRET-KEY|SESSION-TOKEN/)
  })

  it('codecs round-trip', () => {
    codecLaws(RoleCredentialsCodec, roleCredentials, RoleCredentialsEq)
    codecLaws(GetRoleCredentialsResponseCodec, response, GetRoleCredentialsResponseEq)
    // and encode ∘ decode = id on the wire form
    fc.assert(
      fc.property(response, (rs) => {
        const wire = GetRoleCredentialsResponseCodec.encode(rs)
        const again = GetRoleCredentialsResponseCodec.decode(JSON.parse(JSON.stringify(wire)))
        expect(again._tag === 'Right' && GetRoleCredentialsResponseCodec.encode(again.right)).toStrictEqual(wire)
      })
    )
  })

  it('decodes the wire: null is absent, expiration defaults to 0, unknown members are ignored', () => {
    expect(GetRoleCredentialsResponseCodec.decode({})).toStrictEqual({ _tag: 'Right', right: newGetRoleCredentialsResponse() })
    expect(GetRoleCredentialsResponseCodec.decode({ roleCredentials: null, extra: [1] })).toStrictEqual({
      _tag: 'Right',
      right: newGetRoleCredentialsResponse()
    })
    const r = GetRoleCredentialsResponseCodec.decode({
      roleCredentials: { accessKeyId: 'ASIA', secretAccessKey: null, sessionToken: 'tok', unknown: true }
    })
    expect(r._tag).toBe('Right')
    if (r._tag === 'Right' && O.isSome(r.right.roleCredentials)) {
      const rc = r.right.roleCredentials.value
      expect(Object.keys(rc).sort()).toStrictEqual(['accessKeyId', 'expiration', 'secretAccessKey', 'sessionToken'])
      expect(rc.accessKeyId).toStrictEqual(O.some('ASIA'))
      expect(rc.secretAccessKey).toStrictEqual(O.none)
      expect(roleCredentials_sessionToken.get(rc)).toStrictEqual(O.some('tok'))
      expect(rc.expiration).toBe(0)
    } else expect.fail('expected credentials')
    for (const bad of [null, [], 'x', { roleCredentials: 3 }, { roleCredentials: { expiration: 'soon' } }, { roleCredentials: { expiration: 1.5 } }, { roleCredentials: { accessKeyId: 5 } }]) {
      expect(GetRoleCredentialsResponseCodec.decode(bad)._tag).toBe('Left')
    }
  })

  it('Show, JSON.stringify and util.inspect of a response never show the secrets', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/'.split('')), minLength: 12, maxLength: 64 }),
        fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789+/'.split('')), minLength: 12, maxLength: 64 }),
        (secret, session) => {
          const rs = pipe(
            newRoleCredentials(),
            roleCredentials_accessKeyId.set(O.some('ASIAVISIBLE')),
            roleCredentials_secretAccessKey.set(O.some(`sk-${secret}`)),
            roleCredentials_sessionToken.set(O.some(`st-${session}`)),
            (rc) => getRoleCredentialsResponse_roleCredentials.set(O.some(rc))(newGetRoleCredentialsResponse())
          )
          const outputs = [
            GetRoleCredentialsResponseShow.show(rs),
            JSON.stringify(rs),
            util.inspect(rs, { depth: 20, showHidden: true }),
            String(rs.roleCredentials)
          ]
          for (const out of outputs) {
            expect(out).not.toContain(`sk-${secret}`)
            expect(out).not.toContain(`st-${session}`)
          }
          expect(GetRoleCredentialsResponseShow.show(rs)).toContain('ASIAVISIBLE')
        }
      )
    )
    expect(RoleCredentialsShow.show(newRoleCredentials())).toBe(
      'RoleCredentials { accessKeyId: none, secretAccessKey: none, sessionToken: none, expiration: 0 }'
    )
  })
})

describe('GetRoleCredentials over a real loopback server', () => {
  it('sends exactly the encoded request: GET, query, bearer header, no body', async () => {
    const s = await serve([{ status: 200, body: JSON.stringify({ roleCredentials: { accessKeyId: 'ASIA', expiration: 42 } }) }])
    const r = await pipe(newGetRoleCredentials("Role!'()*é", ACCOUNT, TOKEN), send(GetRoleCredentials))(envFor(s.url))()
    expect(r._tag).toBe('Right')
    if (r._tag === 'Right') {
      expect(pipe(r.right.roleCredentials, O.map(roleCredentials_expiration.get))).toStrictEqual(O.some(42))
    }
    expect(s.requests).toHaveLength(1)
    const req = s.requests[0]!
    expect(req.method).toBe('GET')
    expect(req.url).toBe(`/federation/credentials?role_name=Role%21%27%28%29%2A%C3%A9&account_id=${ACCOUNT}`)
    expect(req.headers['x-amz-sso_bearer_token']).toBe(TOKEN)
    expect(req.headers['authorization']).toBeUndefined()
    expect(req.body).toBe('')
  })

  it('sends nothing for invalid input', async () => {
    const s = await serve([{ status: 200, body: '{}' }])
    const env = envFor(s.url)
    for (const rq of [
      newGetRoleCredentials('', ACCOUNT, TOKEN),
      newGetRoleCredentials('r', '', TOKEN),
      newGetRoleCredentials('r', ACCOUNT, ''),
      newGetRoleCredentials('r\uD83D', ACCOUNT, TOKEN)
    ]) {
      const r = await pipe(rq, send(GetRoleCredentials))(env)()
      expect(r._tag === 'Left' && r.left._tag).toBe('ValidationError')
    }
    expect(s.requests).toHaveLength(0)
  })

  it.each([
    ['not json at all'],
    [''],
    ['null'],
    ['[]'],
    ['"string"'],
    ['{"roleCredentials":3}'],
    ['{"roleCredentials":{"expiration":"tomorrow"}}'],
    ['{"roleCredentials":{"accessKeyId":["x"]}}'],
    ['{"roleCredentials":{"accessKeyId":"AS'] // truncated
  ])('a 2xx with a malformed body %j is a SerializeError, not a throw', async (body) => {
    const s = await serve([{ status: 200, body }])
    const r = await pipe(newGetRoleCredentials('r', ACCOUNT, TOKEN), send(GetRoleCredentials))(envFor(s.url))()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'SerializeError', status: 200 } })
    expect(s.requests).toHaveLength(1)
  })

  it('a SerializeError never quotes the body, so secrets in a malformed body stay out of it', async () => {
    const s = await serve([
      { status: 200, body: JSON.stringify({ roleCredentials: { secretAccessKey: 'LEAKED-SECRET', sessionToken: 'LEAKED-SESSION', expiration: 'x' } }) }
    ])
    const r = await pipe(newGetRoleCredentials('r', ACCOUNT, TOKEN), send(GetRoleCredentials))(envFor(s.url))()
    expect(r._tag === 'Left' && r.left._tag).toBe('SerializeError')
    expect(JSON.stringify(r)).not.toMatch(/LEAKED/)
    expect(util.inspect(r, { depth: 10 })).not.toMatch(/LEAKED/)
  })

  it('a 2xx with null members and unknown members decodes', async () => {
    const s = await serve([
      { status: 200, body: '{"roleCredentials":{"accessKeyId":null,"secretAccessKey":"s","sessionToken":null,"expiration":null,"new":1},"more":{}}' }
    ])
    const r = await pipe(newGetRoleCredentials('r', ACCOUNT, TOKEN), send(GetRoleCredentials))(envFor(s.url))()
    const expected = pipe(newRoleCredentials(), roleCredentials_secretAccessKey.set(O.some('s')))
    expect(r._tag === 'Right' && GetRoleCredentialsResponseEq.equals(r.right, { roleCredentials: O.some(expected) })).toBe(true)
  })

  it('a 403 ForbiddenException is a ServiceError, not retried', async () => {
    const s = await serve([
      {
        status: 403,
        headers: { 'x-amzn-RequestId': 'req-403' },
        body: JSON.stringify({ message: 'No access', __type: 'com.amazonaws.switchboard.portal#ForbiddenException' })
      }
    ])
    const r = await pipe(newGetRoleCredentials('r', ACCOUNT, TOKEN), send(GetRoleCredentials))(envFor(s.url))()
    expect(r).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'ServiceError', code: 'ForbiddenException', status: 403, message: 'No access', requestId: 'req-403' }
    })
    expect(s.requests).toHaveLength(1)
  })
})

describe('GetRoleCredentials against the emulator', () => {
  it('returns credentials expiring in about an hour, in epoch milliseconds', async () => {
    const before = Date.now()
    const r = await pipe(newGetRoleCredentials('ReadOnly', ACCOUNT, TOKEN), send(GetRoleCredentials))(newEnv({ endpoint: emu.url }))()
    const after = Date.now()
    expect(r._tag).toBe('Right')
    if (r._tag !== 'Right' || O.isNone(r.right.roleCredentials)) return expect.fail('expected credentials')
    const rc = r.right.roleCredentials.value
    expect(rc.accessKeyId).toMatchObject({ _tag: 'Some', value: expect.stringMatching(/^ASIA[A-Z2-7]{16}$/) })
    const secret = roleCredentials_secretAccessKey.get(rc)
    const session = roleCredentials_sessionToken.get(rc)
    expect(O.isSome(secret) && secret.value.length).toBeGreaterThan(20)
    expect(O.isSome(session) && session.value.length).toBeGreaterThan(100)
    expect(rc.expiration).toBeGreaterThanOrEqual(before + 3600_000)
    expect(rc.expiration).toBeLessThanOrEqual(after + 3600_000)
    // secrets never show
    const shown = [
      GetRoleCredentialsResponseShow.show(r.right),
      JSON.stringify(r),
      util.inspect(r, { depth: 20, showHidden: true }),
      RoleCredentialsShow.show(rc)
    ]
    for (const out of shown) {
      if (O.isSome(secret)) expect(out).not.toContain(secret.value)
      if (O.isSome(session)) expect(out).not.toContain(session.value)
    }
  })

  it('works for every assigned role', async () => {
    const env = newEnv({ endpoint: emu.url })
    for (const [role, account] of [
      ['ReadOnly', ACCOUNT],
      ['Admin', ACCOUNT],
      ['ReadOnly', '444455556666']
    ] as const) {
      const r = await pipe(newGetRoleCredentials(role, account, TOKEN), send(GetRoleCredentials))(env)()
      expect(r._tag === 'Right' && O.isSome(r.right.roleCredentials)).toBe(true)
    }
  })

  it('a role or account not assigned is a 403 ForbiddenException ServiceError', async () => {
    const env = newEnv({ endpoint: emu.url })
    for (const [role, account] of [
      ['Admin', '444455556666'],
      ['ReadOnly', '999999999999']
    ] as const) {
      const r = await pipe(newGetRoleCredentials(role, account, TOKEN), send(GetRoleCredentials))(env)()
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ServiceError', code: 'ForbiddenException', status: 403 } })
    }
  })

  it('an unknown token is a 401 UnauthorizedException', async () => {
    const r = await pipe(newGetRoleCredentials('ReadOnly', ACCOUNT, 'never-issued'), send(GetRoleCredentials))(
      newEnv({ endpoint: emu.url })
    )()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ServiceError', code: 'UnauthorizedException', status: 401 } })
  })

  it('composes with the lenses in a pipe', async () => {
    const r = await pipe(
      newGetRoleCredentials('placeholder', 'placeholder', 'placeholder'),
      getRoleCredentials_roleName.set('Admin'),
      getRoleCredentials_accountId.set(ACCOUNT),
      getRoleCredentials_accessToken.set(TOKEN),
      send(GetRoleCredentials)
    )(newEnv({ endpoint: emu.url }))()
    expect(r._tag).toBe('Right')
  })
})
