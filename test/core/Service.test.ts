import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { parseRestJsonError, sanitizeErrorCode } from '../../src/core/Service.js'

const enc = (s: string) => new TextEncoder().encode(s)
const res = (status: number, headers: Record<string, string>, body: string) => ({ status, headers, body: enc(body) })

describe('restJson1 error parsing', () => {
  it.each([
    // [case, headers, body, code, message]
    ['header wins over body', { 'x-amzn-errortype': 'UnauthorizedException' }, '{"code":"Other","__type":"Third","message":"m"}', 'UnauthorizedException', 'm'],
    ['header with namespace and : suffix', { 'x-amzn-errortype': 'com.amazonaws.switchboard.portal#UnauthorizedException:http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/' }, '{}', 'UnauthorizedException', 'HTTP 401'],
    ['header with : suffix only', { 'x-amzn-errortype': 'TooManyRequestsException:http://internal' }, '', 'TooManyRequestsException', 'HTTP 401'],
    ['body code when no header', {}, '{"code":"InvalidRequestException","message":"bad"}', 'InvalidRequestException', 'bad'],
    ['body code before __type', {}, '{"code":"A","__type":"B"}', 'A', 'HTTP 401'],
    ['body __type with namespace', {}, '{"__type":"com.amazonaws.switchboard.portal#UnauthorizedException","message":"Session token not found or invalid"}', 'UnauthorizedException', 'Session token not found or invalid'],
    ['__type with namespace and suffix', {}, '{"__type":"aws.protocoltests#FooError:http://x"}', 'FooError', 'HTTP 401'],
    ['Message with capital M', {}, '{"__type":"X","Message":"capital"}', 'X', 'capital'],
    ['message wins over Message', {}, '{"__type":"X","message":"lower","Message":"capital"}', 'X', 'lower'],
    ['case of the code is kept', {}, '{"__type":"unauthorizedexception"}', 'unauthorizedexception', 'HTTP 401'],
    ['empty header falls back to body', { 'x-amzn-errortype': '' }, '{"__type":"B"}', 'B', 'HTTP 401'],
    ['no code anywhere', {}, '{"message":"just a message"}', 'UnknownError', 'just a message'],
    ['malformed JSON', {}, '{not json', 'UnknownError', 'HTTP 401'],
    ['non-object JSON', {}, '[1,2,3]', 'UnknownError', 'HTTP 401'],
    ['non-string code ignored', {}, '{"code":7,"__type":"T"}', 'T', 'HTTP 401'],
    ['empty body', {}, '', 'UnknownError', 'HTTP 401']
  ])('%s', (_name, headers, body, code, message) => {
    const e = parseRestJsonError(res(401, headers, body))
    expect(e._tag).toBe('ServiceError')
    expect(e.code).toBe(code)
    expect(e.message).toBe(message)
    expect(e.status).toBe(401)
  })

  // OAuth 2.0 error responses (RFC 6749 §5.2, RFC 8628 §3.5, RFC 7591 §3.2.2): `error` and
  // `error_description`, as SSO OIDC sends them (its real answers also carry x-amzn-errortype)
  it.each([
    // [case, status, headers, body, code, message]
    ['OAuth error alone', 400, {}, '{"error":"slow_down","error_description":"Client is polling too quickly"}', 'SlowDownException', 'Client is polling too quickly'],
    ['OAuth error, two words', 400, {}, '{"error":"authorization_pending","error_description":"pending"}', 'AuthorizationPendingException', 'pending'],
    ['OAuth error, three words', 400, {}, '{"error":"unsupported_grant_type"}', 'UnsupportedGrantTypeException', 'HTTP 400'],
    ['OAuth error, one word', 400, {}, '{"error":"invalid_client_metadata","error_description":"d"}', 'InvalidClientMetadataException', 'd'],
    ['server_error is InternalServerException', 500, {}, '{"error":"server_error","error_description":"boom"}', 'InternalServerException', 'boom'],
    ['header wins over OAuth error', 400, { 'x-amzn-errortype': 'AuthorizationPendingException:http://internal.amazon.com/coral/com.amazonaws.ssooidc/' }, '{"error":"slow_down","error_description":"d"}', 'AuthorizationPendingException', 'd'],
    ['code wins over OAuth error', 400, {}, '{"code":"A","error":"slow_down"}', 'A', 'HTTP 400'],
    ['__type wins over OAuth error', 400, {}, '{"__type":"ns#B","error":"slow_down"}', 'B', 'HTTP 400'],
    ['message wins over error_description', 400, {}, '{"error":"slow_down","message":"m","error_description":"d"}', 'SlowDownException', 'm'],
    ['Message wins over error_description', 400, {}, '{"error":"slow_down","Message":"M","error_description":"d"}', 'SlowDownException', 'M'],
    ['error_description without error', 400, {}, '{"error_description":"d"}', 'UnknownError', 'd'],
    ['OAuth error not snake_case', 400, {}, '{"error":"Slow Down!"}', 'UnknownError', 'HTTP 400'],
    ['OAuth error with a namespace', 400, {}, '{"error":"ns#slow_down"}', 'UnknownError', 'HTTP 400'],
    ['OAuth error empty', 400, {}, '{"error":""}', 'UnknownError', 'HTTP 400'],
    ['OAuth error not a string', 400, {}, '{"error":{"code":"x"},"error_description":7}', 'UnknownError', 'HTTP 400']
  ])('%s', (_name, status, headers, body, code, message) => {
    const e = parseRestJsonError(res(status, headers, body))
    expect(e.code).toBe(code)
    expect(e.message).toBe(message)
    expect(e.status).toBe(status)
  })

  it('reads the request id and redacts secret headers', () => {
    const e = parseRestJsonError(res(400, { 'x-amzn-requestid': 'abc', 'set-cookie': 's=1', 'x-amz-sso_bearer_token': 'leak' }, '{}'))
    expect(e.requestId).toBe('abc')
    expect(e.headers['set-cookie']).toBe('<redacted>')
    expect(e.headers['x-amz-sso_bearer_token']).toBe('<redacted>')
    expect(e.requestId === undefined || typeof e.requestId === 'string').toBe(true)
    expect(parseRestJsonError(res(400, {}, '{}')).requestId).toBeUndefined()
  })

  it('sanitizeErrorCode keeps what is before ":" and after the last "#"', () => {
    expect(sanitizeErrorCode('a.b#c#D:e#f')).toBe('D')
    expect(sanitizeErrorCode('Plain')).toBe('Plain')
  })

  it('never throws, whatever the body and headers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), fc.dictionary(fc.string(), fc.string()), fc.uint8Array(), (status, headers, body) => {
        const e = parseRestJsonError({ status, headers, body })
        expect(e._tag).toBe('ServiceError')
      })
    )
    fc.assert(fc.property(fc.jsonValue(), (json) => parseRestJsonError(res(500, {}, JSON.stringify(json)))._tag === 'ServiceError'))
  })
})
