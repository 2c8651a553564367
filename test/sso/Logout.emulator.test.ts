import fc from 'fast-check'
import { pipe } from 'fp-ts/lib/function.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newEnv, send } from '../../src/index.js'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import { Logout, logout_accessToken, newLogout } from '../../src/services/sso/index.js'

let emu: Emulator
const tokens = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`seeded-token-${i}`, {}]))
beforeAll(async () => {
  const r = await startEmulator({ tokens })()
  if (r._tag === 'Left') throw new Error(r.left.message)
  emu = r.right
})
afterAll(() => emu.close())

describe('Logout against the emulator', () => {
  it('logs a seeded token out; the same token is then refused with 401 UnauthorizedException', async () => {
    const env = newEnv({ endpoint: emu.url })
    const first = await pipe(newLogout('seeded-token-0'), send(Logout))(env)()
    expect(first).toStrictEqual({ _tag: 'Right', right: { _tag: 'LogoutResponse' } })
    expect(emu.isLoggedOut('seeded-token-0')).toBe(true)
    const again = await pipe(newLogout('seeded-token-0'), send(Logout))(env)()
    expect(again._tag).toBe('Left')
    if (again._tag === 'Left' && again.left._tag === 'ServiceError') {
      expect(again.left.code).toBe('UnauthorizedException')
      expect(again.left.status).toBe(401)
      expect(again.left.message).toBe('Session token not found or invalid')
      expect(again.left.requestId).toMatch(/^[0-9a-f-]{36}$/)
    } else expect.fail('expected a ServiceError')
    // a 401 is final: it was sent once, not retried
    expect(emu.logoutCount('seeded-token-0')).toBe(2)
  })

  it('an unknown token is refused', async () => {
    const r = await pipe(newLogout('never-issued'), send(Logout))(newEnv({ endpoint: emu.url }))()
    expect(r._tag === 'Left' && r.left._tag === 'ServiceError' && r.left.code).toBe('UnauthorizedException')
  })

  it('composes with the lens in a pipe', async () => {
    const r = await pipe(newLogout('placeholder'), logout_accessToken.set('seeded-token-1'), send(Logout))(newEnv({ endpoint: emu.url }))()
    expect(r._tag).toBe('Right')
  })

  it('the request the emulator receives is exactly the encoded one, for every seeded token', async () => {
    const env = newEnv({ endpoint: emu.url })
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 49 }), async (i) => {
        const tok = `seeded-token-${i}`
        const before = emu.logoutCount(tok)
        const r = await pipe(newLogout(tok), send(Logout))(env)()
        expect(emu.logoutCount(tok)).toBe(before + 1)
        expect(r._tag).toBe(before === 0 ? 'Right' : 'Left')
      }),
      { numRuns: 60 }
    )
  })
})
