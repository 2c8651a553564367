/**
 * "Never throws" holds for JavaScript callers, who can pass anything. Every function that a
 * public entry point of the package exports (enumerated from package.json "exports", not
 * listed by hand) is called with hostile arguments: `fc.anything()`, objects whose getters
 * throw, proxies whose every trap throws, revoked proxies, null-prototype objects, symbols,
 * huge strings, and the shapes seen in the field (`{ homedir: undefined }`, `{ env: undefined }`,
 * `hooks: [undefined]`, `null`). The call must not throw and must not return a rejecting
 * promise; what it returns is followed: a function (a curried argument list, a `Task`) is
 * called again with hostile arguments, a promise is awaited, an async iterable is read.
 *
 * The property runs in a temporary working directory, and no generated string is an
 * absolute path, a home path (`~`) or holds `..`: functions that write or delete files get
 * only relative paths inside it. An emulator started by `startEmulator` is closed.
 *
 * Exclusions are listed below, each with its reason.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import axios from 'axios'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = path.resolve(__dirname, '..', '..')
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  readonly exports: Readonly<Record<string, unknown>>
}

/** The source of an export: where its build lands, `./dist/esm/services/sso/*.js` -> `src/services/sso/*.ts`. */
const sourceOf = (key: string): string => {
  const target = (pkg.exports[key] as { readonly import?: { readonly default?: string } }).import?.default ?? ''
  return path.join(root, 'src', target.replace(/^\.\/dist\/esm\//, '').replace(/\.js$/, '.ts'))
}

/** The source module of every public import path: `.` → src/index.ts, `./core/*` → src/core/<each>.ts, … */
const publicModules = (): ReadonlyArray<readonly [string, string]> =>
  Object.keys(pkg.exports)
    .filter((k) => k !== './package.json')
    .flatMap((key): ReadonlyArray<readonly [string, string]> => {
      const sub = key === '.' ? 'index' : key.slice(2)
      if (!sub.endsWith('*')) return [[key === '.' ? 'fp-aws' : `fp-aws/${sub}`, sourceOf(key)]]
      const dir = path.dirname(sourceOf(key))
      return fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.ts'))
        .map((f) => [`fp-aws/${sub.slice(0, -1)}${f.slice(0, -3)}`, path.join(dir, f)] as const)
    })

/**
 * Functions not held to the property, and why. The property holds for every entry point a
 * caller hands options, input or I/O to (everything that returns an `Either`, a `Task`, a
 * `TaskEither`, a promise or an async iterable, and the constructors); what is left out are
 * pure steps over values the library itself builds and validates first, each group with its
 * reason. Each is a decision, not a failure hidden.
 */
const EXCLUDED: ReadonlyMap<string, string> = new Map(
  (
    [
      [['realSleep'], 'waits as long as it is told (days, for a large number); its bounds and abort are tested in test/core/Env.test.ts'],
      [
        ['readDescriptor'],
        "reads the open descriptor it is given, as fs.readSync does: a small integer is one of the test runner's own pipes, which it would read from (or wait on); its bounds are tested in test/core/File.test.ts, and it never throws"
      ],
      [
        ['memoizeCredentials'],
        "a combinator over the caller's own TaskEither: its Left is the provider's error type, so there is no typed Left to give for a provider that is not one"
      ],
      [
        ['totalEncoder'],
        "a combinator over an operation module's own synchronous encoder: it turns the encoder's throw into a ValidationError (tested through every operation's encoder above), and what an encoder that is not one returns is that encoder's"
      ],
      [
        ['nodeHttpAdapter', 'fetchAdapter'],
        "axios adapters: axios's adapter contract is to reject with an AxiosError (they do, never with anything else, and never throw; fromAxios turns that into a TransportError)"
      ],
      [
        ['classify', 'onSuccess', 'backoffDelay', 'decide'],
        'steps of the retry algorithm over the RetryPolicy, RetryQuota and AWSError that send builds; validatePolicy is the entry point that checks a policy'
      ],
      [
        ['pathAndQuery', 'revealHeaders', 'percentEncode', 'partition'],
        "wire helpers over the HttpRequest an operation's encoder built (and the region send has validated)"
      ],
      [
        ['reveal', 'matchError', 'formatTimestamp'],
        'destructors of values the library produced (a Sensitive, an AWSError, a Date): nothing to answer for a value that is not one (an empty secret, a made-up branch or timestamp would be worse than the TypeError)'
      ],
      [
        ['optionFromNullable', 'arrayFromNullable', 'mapFromNullable', 'structureCodec', 'withDefault', 'optional', 'decodeWith', 'describeErrors'],
        "io-ts codec combinators: they take codecs (and io-ts's own combinators throw the same way on a non-codec)"
      ],
      [
        [
          'tokenCacheDir', 'credentialCacheDir', 'tokenCacheFile', 'credentialCacheFile', 'sha1Hex', 'tokenCacheKey',
          'credentialCacheKey', 'credentialCacheKeyCandidates', 'pythonJsonDumps', 'sessionCacheId'
        ],
        'cache path and key computations over typed values: logoutAll, logoutSession and fromSSO call them only after checking their options, and a made-up path for a home that is not a string would be worse than the TypeError'
      ],
      [
        ['cliCacheJson', 'formatCliTimestamp', 'registrationCacheKey', 'cliTokenText', 'codeChallenge', 'authorizeUrl'],
        'cache formats, keys and PKCE steps over the typed values login builds after checking its options: a made-up file, key or URL for a value that is not one would be worse than the TypeError'
      ],
      [
        [
          'makeState', 'encodePageToken', 'faultKind', 'statusResponse', 'targets', 'takeFault'
        ],
        "the emulator's internal steps over seeds, page offsets and faults it has validated, exported for its own tests: startEmulator and inject validate them first (makeState throws on a seed it cannot read, which startEmulator turns into an EmulatorError)"
      ],
      [['commandUsage', 'usage'], "the command line's help over its own command table; main is the entry point, and it is held to the property"],
      [
        [
          'invalidAccessToken', 'queryValue', 'invalidQueryValue', 'accountId', 'roleName', 'nextToken', 'maxResults',
          'invalidMaxResults', 'accessKeyId', 'secretAccessKey', 'sessionToken', 'expiration', 'accountName',
          'emailAddress', 'logout', 'logoutResponse', 'getRoleCredentials', 'roleCredentials',
          'getRoleCredentialsResponse', 'listAccounts', 'accountInfo', 'listAccountsResponse', 'listAccountRoles',
          'roleInfo', 'listAccountRolesResponse', 'seed', 'accessToken'
        ],
        "fast-check arbitrary builders (fp-aws/arbitrary), for tests: a bad option fails the test loudly, as fast-check's own builders do"
      ]
    ] as ReadonlyArray<readonly [ReadonlyArray<string>, string]>
  ).flatMap(([names, why]) => names.map((n) => [n, why] as const))
)

// -------------------------------------------------------------------------------------
// hostile values
// -------------------------------------------------------------------------------------

const boom = (): never => {
  throw new Error('hostile getter')
}

/** A proxy whose every trap throws. */
const trapProxy = (): object =>
  new Proxy(
    {},
    {
      get: boom,
      has: boom,
      ownKeys: boom,
      getOwnPropertyDescriptor: boom,
      getPrototypeOf: boom,
      set: boom,
      defineProperty: boom,
      deleteProperty: boom,
      apply: boom,
      construct: boom,
      isExtensible: boom,
      preventExtensions: boom,
      setPrototypeOf: boom
    }
  )

/** A function-shaped proxy whose every trap (calling it included) throws. */
const trapFunction = (): object => new Proxy(() => undefined, { get: boom, apply: boom, has: boom, ownKeys: boom })

const revoked = (): object => {
  const r = Proxy.revocable({}, {})
  r.revoke()
  return r.proxy
}

/** An object whose usual option members are getters that throw. */
const throwingGetters = (): object => {
  const o = {}
  for (const k of ['env', 'homedir', 'hooks', 'region', 'endpoint', 'profile', 'readFile', 'http', 'signal', 'options', 'token', 'now', 'length', 'then', '_tag']) {
    Object.defineProperty(o, k, { get: boom, enumerable: true })
  }
  return o
}

const HUGE = 'h'.repeat(1024 * 1024)

/** No string anywhere in a (plain) value is absolute, a home path or climbs with `..`. */
const safePaths = (v: unknown, depth = 0): boolean => {
  if (typeof v === 'string') return !/^[/\\~]/.test(v) && !v.includes('..') && !/^[A-Za-z]:/.test(v)
  if (depth > 6 || typeof v !== 'object' || v === null) return true
  try {
    return Object.values(v).every((x) => safePaths(x, depth + 1)) && Object.keys(v).every((k) => safePaths(k, depth + 1))
  } catch {
    return true
  }
}

/** A rejected promise (handled, so that it is no unhandled rejection of the test's own). */
const handledRejection = (): Promise<never> => {
  const p = Promise.reject(new Error('hostile promise'))
  p.catch(() => undefined)
  return p
}

const specials = (): ReadonlyArray<unknown> => [
  undefined,
  null,
  trapProxy(),
  trapFunction(),
  revoked(),
  throwingGetters(),
  Object.create(null),
  Symbol('hostile'),
  HUGE,
  [undefined],
  { homedir: undefined },
  { env: undefined },
  { env: null, homedir: null },
  { hooks: [undefined] },
  { hooks: [null, trapProxy()] },
  { homedir: 'home', env: trapProxy() },
  { homedir: 'home', env: { AWS_CONFIG_FILE: 'cfg', AWS_PROFILE: Symbol('p') } },
  NaN,
  -1,
  2 ** 53,
  Infinity,
  10n,
  () => undefined,
  () => {
    throw new Error('hostile callback')
  },
  async () => Promise.reject(new Error('hostile async callback')),
  handledRejection()
]

/** Stands for `specials()[i]`, made fresh at call time (fast-check must not touch a trap). */
class Special {
  constructor(readonly i: number) {}
  toString(): string {
    return `special #${this.i}`
  }
}

const SPECIALS = specials().length

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.anything({ maxDepth: 3 }).filter((v) => safePaths(v)) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: SPECIALS - 1 }).map((i) => new Special(i)) }
)

const materialize = (list: ReadonlyArray<unknown>): ReadonlyArray<unknown> => {
  const fresh = specials()
  return list.map((v) => (v instanceof Special ? fresh[v.i] : v))
}

const args = fc.array(hostile, { minLength: 0, maxLength: 3 })

// -------------------------------------------------------------------------------------
// calling
// -------------------------------------------------------------------------------------

/** Runs `f` against an emulator that knows one token, `a-token`, and closes it. */
const withEmulator = async (f: (emu: import('../../src/emulator/index.js').Emulator) => Promise<void>): Promise<void> => {
  const { startEmulator } = await import('../../src/emulator/index.js')
  const started = await startEmulator({ tokens: { 'a-token': {} } })()
  if (started._tag === 'Left') throw new Error(started.left.message)
  try {
    await f(started.right)
  } finally {
    await started.right.close()
  }
}

const TIMEOUT_MS = 5_000

type Outcome = { readonly ok: true } | { readonly ok: false; readonly why: string }

const describeError = (e: unknown): string => {
  try {
    return e instanceof Error ? `${e.name}: ${e.message.slice(0, 200)}` : typeof e
  } catch {
    return 'unprintable'
  }
}

const isThenable = (v: unknown): v is PromiseLike<unknown> => {
  try {
    return (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { then?: unknown }).then === 'function'
  } catch {
    return false
  }
}

const withTimeout = async (p: PromiseLike<unknown>): Promise<{ readonly value: unknown } | 'rejected' | 'hung'> => {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      Promise.resolve(p).then(
        (value) => ({ value }),
        () => 'rejected' as const
      ),
      new Promise<'hung'>((resolve) => {
        timer = setTimeout(() => resolve('hung'), TIMEOUT_MS)
      })
    ])
  } finally {
    clearTimeout(timer)
  }
}

/** Closes what a call may have started (an emulator). */
const cleanUp = async (v: unknown): Promise<void> => {
  try {
    const right = (v as { _tag?: unknown; right?: { close?: unknown } })._tag === 'Right' ? (v as { right: { close?: unknown } }).right : undefined
    if (right !== undefined && typeof right.close === 'function') await (right.close as () => Promise<void>)()
  } catch {
    // not an emulator
  }
}

/**
 * Calls `f` with `argLists[0]`, and follows what it returns with the next argument lists:
 * a function is called again, a promise awaited, an async iterable read (three items).
 */
const follow = async (f: unknown, argLists: ReadonlyArray<ReadonlyArray<unknown>>, depth = 0): Promise<Outcome> => {
  if (typeof f !== 'function' || depth >= argLists.length) return { ok: true }
  let r: unknown
  try {
    r = (f as (...a: ReadonlyArray<unknown>) => unknown)(...materialize(argLists[depth] ?? []))
  } catch (e) {
    return { ok: false, why: `call ${depth + 1} threw ${describeError(e)}` }
  }
  if (isThenable(r)) {
    const settled = await withTimeout(r)
    if (settled === 'rejected') return { ok: false, why: `call ${depth + 1} returned a promise that rejected` }
    if (settled === 'hung') return { ok: false, why: `call ${depth + 1} returned a promise still pending after ${TIMEOUT_MS} ms` }
    await cleanUp(settled.value)
    return { ok: true }
  }
  let iterator: unknown
  try {
    iterator = typeof r === 'object' && r !== null && Symbol.asyncIterator in r ? (r as AsyncIterable<unknown>)[Symbol.asyncIterator]() : undefined
  } catch (e) {
    return { ok: false, why: `call ${depth + 1}: its async iterator threw ${describeError(e)}` }
  }
  if (iterator !== undefined) {
    for (let i = 0; i < 3; i++) {
      let next: unknown
      try {
        next = (iterator as AsyncIterator<unknown>).next()
      } catch (e) {
        return { ok: false, why: `call ${depth + 1}: next() threw ${describeError(e)}` }
      }
      const settled = await withTimeout(next as Promise<unknown>)
      if (settled === 'rejected') return { ok: false, why: `call ${depth + 1}: next() rejected` }
      if (settled === 'hung') return { ok: false, why: `call ${depth + 1}: next() pending after ${TIMEOUT_MS} ms` }
      if ((settled.value as IteratorResult<unknown>).done === true) break
    }
    return { ok: true }
  }
  return follow(r, argLists, depth + 1)
}

// -------------------------------------------------------------------------------------
// the property
// -------------------------------------------------------------------------------------

let cwd: string
let work: string
beforeAll(() => {
  cwd = process.cwd()
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-hostile-'))
  process.chdir(work)
})
afterAll(() => {
  process.chdir(cwd)
  fs.rmSync(work, { recursive: true, force: true })
})

interface Entry {
  readonly where: string
  readonly name: string
  readonly fn: unknown
}

/** Every function exported by a public entry point, once (a re-export is the same function). */
const allFunctions = async (): Promise<ReadonlyArray<Entry>> => {
  const seen = new Set<unknown>()
  const out: Array<Entry> = []
  for (const [where, file] of publicModules()) {
    const m = (await import(file)) as Record<string, unknown>
    for (const [name, fn] of Object.entries(m)) {
      if (typeof fn !== 'function' || seen.has(fn)) continue
      seen.add(fn)
      out.push({ where, name, fn })
    }
  }
  return out
}

const entries = async (): Promise<ReadonlyArray<Entry>> => (await allFunctions()).filter((e) => !EXCLUDED.has(e.name))

describe('hostile arguments', () => {
  it('the public entry points are enumerated from package.json', async () => {
    const all = (await allFunctions()).map((e) => e.name)
    const held = (await entries()).map((e) => e.name)
    // the functions of the issue are held to the property
    for (const n of ['logoutAll', 'logoutSession', 'fromSSO', 'newEnv', 'fromEnvironment', 'send', 'collectItems', 'main', 'startEmulator', 'endpointResolver', 'validateCustomEndpoint']) {
      expect(held).toContain(n)
    }
    // every exclusion names a function that exists (the list cannot go stale)
    for (const n of EXCLUDED.keys()) expect(all).toContain(n)
    expect(all.length).toBeGreaterThan(150)
    expect(held.length).toBeGreaterThan(80)
  })

  it('no public function throws or rejects, whatever it is given', async () => {
    const all = await entries()
    const failures = new Map<string, string>()
    for (const e of all) {
      // every special value, as every argument of every call: deterministic, whatever the seed
      for (let i = 0; i < SPECIALS; i++) {
        const one = [new Special(i)]
        const three = [new Special(i), new Special(i), new Special(i)]
        for (const lists of [[one, one, one, one], [three, three, three, three]]) {
          const outcome = await follow(e.fn, lists)
          if (!outcome.ok && !failures.has(`${e.where} ${e.name}`)) failures.set(`${e.where} ${e.name}`, `${outcome.why} (special #${i})`)
        }
      }
      await fc.assert(
        fc.asyncProperty(fc.array(args, { minLength: 4, maxLength: 4 }), async (argLists) => {
          const outcome = await follow(e.fn, argLists)
          if (!outcome.ok && !failures.has(`${e.where} ${e.name}`)) failures.set(`${e.where} ${e.name}`, outcome.why)
          return true
        }),
        { numRuns: 30 }
      )
    }
    expect([...failures].map(([k, v]) => `${k}: ${v}`)).toEqual([])
  }, 120_000)
})

describe('the cases seen in the field', () => {
  it('logoutAll({ homedir: undefined }) (HOME unset) resolves to a report with one error, reading nothing', async () => {
    const { logoutAll } = await import('../../src/auth/sso/index.js')
    const { newEnv } = await import('../../src/index.js')
    const report = await logoutAll({ homedir: undefined, envForRegion: () => newEnv() } as never)()
    expect(report.invalidated).toEqual([])
    expect(report.deleted).toEqual([])
    expect(report.errors).toHaveLength(1)
    expect(report.errors[0]?.message).toContain('homedir')
  })

  it('fromSSO({ homedir: undefined }) and logoutSession({ env: undefined }) are ConfigErrors', async () => {
    const { fromSSO } = await import('../../src/auth/sso/fromSSO.js')
    const { logoutSession } = await import('../../src/auth/sso/index.js')
    const { newEnv } = await import('../../src/index.js')
    const a = await fromSSO({ homedir: undefined, env: {} } as never)()
    expect(a).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', source: 'fromSSO' } })
    const b = await logoutSession({ homedir: work, env: undefined, envForRegion: () => newEnv(), target: { _tag: 'Profile', profile: 'p' } } as never)()
    expect(b).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', source: 'logoutSession' } })
  })

  it('newEnv(null) is newEnv(); options that cannot be read make every call a ValidationError', async () => {
    const { newEnv, send } = await import('../../src/index.js')
    const { Logout, newLogout } = await import('../../src/services/sso/index.js')
    const plain = newEnv()
    const fromNull = newEnv(null as never)
    expect({ ...fromNull, retryQuota: undefined }).toEqual({ ...plain, retryQuota: undefined })
    const broken = newEnv(trapProxy() as never)
    expect(broken.invalidOptions).toContain('newEnv')
    const r = await send(Logout)(newLogout('a-token'))(broken)()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ValidationError', field: 'env' } })
  })

  it('hooks: [undefined] is a ValidationError naming hooks, and nothing is sent', async () => {
    const { newEnv, send } = await import('../../src/index.js')
    const { Logout, newLogout } = await import('../../src/services/sso/index.js')
    await withEmulator(async (emu) => {
      const r = await send(Logout)(newLogout('a-token'))(newEnv({ endpoint: emu.url, hooks: [undefined] as never }))()
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ValidationError', field: 'hooks' } })
      expect(emu.requestCount()).toBe(0)
      const ok = await send(Logout)(newLogout('a-token'))(newEnv({ endpoint: emu.url, hooks: [{}] }))()
      expect(ok._tag).toBe('Right')
    })
  })
})

describe('what a hostile argument is answered with', () => {
  it('a signal that is not an AbortSignal is a ValidationError naming signal, and nothing is sent; null is none', async () => {
    const { newEnv, send } = await import('../../src/index.js')
    const { Logout, newLogout } = await import('../../src/services/sso/index.js')
    await withEmulator(async (emu) => {
      for (const signal of [{}, 'stop', trapProxy(), { aborted: 'no', addEventListener: () => undefined }]) {
        const r = await send(Logout)(newLogout('a-token'))(newEnv({ endpoint: emu.url, signal: signal as never }))()
        expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ValidationError', field: 'signal' } })
      }
      expect(emu.requestCount()).toBe(0)
      const ok = await send(Logout)(newLogout('a-token'))(newEnv({ endpoint: emu.url, signal: null as never }))()
      expect(ok._tag).toBe('Right')
    })
  })

  it('proxyFromEnv and readCaBundle: a ConfigError of their own', async () => {
    const { proxyFromEnv, readCaBundle } = await import('../../src/core/Env.js')
    expect(proxyFromEnv(undefined as never)).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', source: 'proxyFromEnv' } })
    expect(proxyFromEnv(trapProxy() as never)).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', source: 'proxyFromEnv' } })
    expect(proxyFromEnv({ HTTPS_PROXY: 5 } as never)).toMatchObject({ _tag: 'Left', left: { message: expect.stringContaining("'HTTPS_PROXY'") } })
    expect(proxyFromEnv({ https_proxy: 'proxy.corp:3128' })).toEqual({ _tag: 'Right', right: { https: 'proxy.corp:3128' } })
    expect(await readCaBundle(undefined as never, 'AWS_CA_BUNDLE')()).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', source: 'AWS_CA_BUNDLE' } })
    expect(await readCaBundle(trapProxy() as never, trapProxy() as never)()).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', source: 'readCaBundle' } })
  })

  it('the report displays: empty for what is not a report, and a report is still shown', async () => {
    const { emptyLogoutReport, isLogoutSuccessful, showLogoutProblems, showLogoutReport, showLogoutResults } = await import('../../src/auth/sso/index.js')
    for (const v of [undefined, null, {}, trapProxy(), revoked(), { errors: 'none' }]) {
      expect(showLogoutResults(v as never)).toBe('')
      expect(showLogoutReport(v as never)).toBe('')
      expect(isLogoutSuccessful(v as never)).toBe(false)
    }
    expect(showLogoutResults({ invalidated: [trapProxy()], deleted: [], kept: [], errors: [] } as never)).toBe('')
    expect(showLogoutProblems({ kept: [], errors: [trapProxy()] } as never)).toBe('')
    expect(showLogoutReport(emptyLogoutReport())).toBe('No cached SSO token or credentials found.\n')
    expect(isLogoutSuccessful(emptyLogoutReport())).toBe(true)
  })

  it('identityOf and sameIdentity: what is not a bigint stat is the same as nothing, itself included', async () => {
    const { identityOf, sameIdentity } = await import('../../src/auth/sso/index.js')
    const real = identityOf(fs.statSync(work, { bigint: true }))
    expect(sameIdentity(real, identityOf(fs.statSync(work, { bigint: true })))).toBe(true)
    for (const v of [undefined, null, trapProxy(), fs.statSync(work), { dev: 1n, ino: 1n, size: 1n }]) {
      const i = identityOf(v as never)
      expect(sameIdentity(i, i)).toBe(false)
      expect(sameIdentity(i, real)).toBe(false)
    }
    expect(sameIdentity(trapProxy() as never, real)).toBe(false)
    expect(sameIdentity(real, undefined as never)).toBe(false)
  })

  it('resolveSecure and writeFileSecure: a typed Left, and nothing written', async () => {
    const { resolveSecure, writeFileSecure } = await import('../../src/auth/sso/index.js')
    for (const [p, leaf, uid] of [[undefined, undefined, undefined], ['', undefined, undefined], ['x', 'dir', undefined], ['x', undefined, -1], ['x', undefined, trapProxy()]] as const) {
      expect(await resolveSecure(p as never, leaf as never, uid as never)()).toMatchObject({ _tag: 'Left', left: { _tag: 'UnsafeDirectory', reason: 'Unresolvable' } })
    }
    expect(await resolveSecure(work, 'directory', undefined)()).toEqual({ _tag: 'Right', right: { _tag: 'Found', path: work } })
    expect(await writeFileSecure(undefined as never, 'x')()).toMatchObject({ _tag: 'Left', left: { _tag: 'FileError', operation: 'write' } })
    expect(await writeFileSecure('not-written', trapProxy() as never)()).toMatchObject({ _tag: 'Left', left: { _tag: 'FileError', file: 'not-written' } })
    expect(fs.existsSync(path.join(work, 'not-written'))).toBe(false)
  })

  it('isTokenExpired: a token whose expiry cannot be read, or a now that is not a number, is expired', async () => {
    const { isTokenExpired } = await import('../../src/auth/sso/index.js')
    const token = { expiresAt: new Date(1000) }
    expect(isTokenExpired(token as never, 999)).toBe(false)
    expect(isTokenExpired(token as never, NaN)).toBe(true)
    expect(isTokenExpired(token as never, Symbol('now') as never)).toBe(true)
    expect(isTokenExpired({ expiresAt: new Date(NaN) } as never, 0)).toBe(true)
    expect(isTokenExpired(undefined as never, 0)).toBe(true)
    expect(isTokenExpired(trapProxy() as never, 0)).toBe(true)
  })

  it('onAbort waits for nothing on what is not a signal; a signal still works', async () => {
    const { onAbort } = await import('../../src/core/Abort.js')
    let n = 0
    for (const s of [undefined, null, {}, trapProxy(), revoked(), Symbol('s')]) {
      const off = onAbort(s as never, () => n++)
      expect(typeof off).toBe('function')
      off()
    }
    const ac = new AbortController()
    const offNothing = onAbort(ac.signal, undefined as never)
    onAbort(ac.signal, () => n++)
    offNothing()
    ac.abort()
    expect(n).toBe(1)
  })

  it('retryAfterMs and redactHeaders: headers that cannot be read say nothing', async () => {
    const { retryAfterMs } = await import('../../src/core/Retry.js')
    const { redactHeaders } = await import('../../src/core/Request.js')
    const { sensitive } = await import('../../src/core/Sensitive.js')
    for (const h of [undefined, null, 'retry-after: 1', trapProxy(), revoked(), throwingGetters()]) {
      expect(retryAfterMs(h as never, 0)).toBeUndefined()
      expect(redactHeaders(h as never)).toEqual({})
    }
    expect(retryAfterMs({ 'retry-after': '2' }, Symbol('now') as never)).toBe(2000)
    expect(retryAfterMs({ 'retry-after': 'Wed, 21 Oct 2015 07:28:30 GMT' }, Symbol('now') as never)).toBeUndefined()
    expect(redactHeaders({ a: 'b', Authorization: 'Basic x', t: sensitive('x'), n: 5 } as never)).toEqual({ a: 'b', Authorization: '<redacted>', t: '<redacted>' })
  })

  it('bypassesProxy and proxyFor: no proxy decision from what cannot be read', async () => {
    const { bypassesProxy, proxyFor } = await import('../../src/core/Proxy.js')
    expect(bypassesProxy('*', undefined as never, 443)).toBe(false)
    expect(bypassesProxy('*', 'example.com', 443)).toBe(true)
    expect(proxyFor(trapProxy() as never, 'https://example.com/')).toBeUndefined()
    expect(proxyFor({ https: 5, noProxy: 7 } as never, 'https://example.com/')).toBeUndefined()
    expect(proxyFor({ https: 'proxy.corp:3128', noProxy: 7 } as never, 'https://example.com/')).toBe('http://proxy.corp:3128/')
  })

  it('the HTTP clients resolve what is not an HttpCall to a TransportError, and send nothing', async () => {
    const { axiosClient, defaultHttpClient, fromAxios, hasNativeDeadline, toTransportError } = await import('../../src/core/Http.js')
    const { scriptedServer } = await import('../util/scripted.js')
    const server = await scriptedServer([{ status: 200, body: '{}' }])
    try {
      const call = { method: 'POST', url: `${server.url}/logout`, headers: {}, body: undefined, signal: undefined, maxResponseBytes: 1024 }
      const notACall = { _tag: 'Left', left: { _tag: 'TransportError', reason: 'Other', message: expect.stringContaining('not an HttpCall') } }
      const clients = [axiosClient(), axiosClient({ adapter: 'fetch' }), defaultHttpClient, fromAxios(axios.create())]
      for (const client of clients) {
        for (const bad of [undefined, null, 5, trapProxy(), revoked(), throwingGetters(), { ...call, url: 5 }, { ...call, signal: {} }, { ...call, timeoutMs: NaN }]) {
          expect(await client(bad as never)).toMatchObject(notACall)
        }
        // headers that cannot be read: the lean clients say so, axios fails on them
        expect(await client({ ...call, headers: trapProxy() } as never)).toMatchObject({ _tag: 'Left', left: { _tag: 'TransportError', reason: 'Other' } })
        expect((await client(call))._tag).toBe('Right')
      }
      expect(server.requests).toHaveLength(clients.length)
      // options that cannot be used: a client whose every call says so
      for (const options of [trapProxy(), { maxSockets: 'many' }, { proxy: { https: 5 } }, { adapter: 'xhr' }]) {
        expect(await axiosClient(options as never)(call)).toMatchObject({ _tag: 'Left', left: { _tag: 'TransportError', message: expect.stringContaining('axiosClient') } })
      }
      // an instance that is not one, or resolves or rejects with what cannot be read
      for (const instance of [null, trapProxy(), { request: () => Promise.resolve(trapProxy()) }, { request: () => Promise.reject(trapProxy()) }]) {
        expect(await fromAxios(instance as never)(call)).toMatchObject({ _tag: 'Left', left: { _tag: 'TransportError', reason: 'Other' } })
      }
      expect(server.requests).toHaveLength(clients.length)
      expect(toTransportError(trapProxy(), trapProxy() as never)).toMatchObject({ _tag: 'TransportError', reason: 'Other' })
      expect(hasNativeDeadline(trapFunction() as never)).toBe(false)
      expect(hasNativeDeadline(null as never)).toBe(false)
      expect(hasNativeDeadline(defaultHttpClient)).toBe(true)
    } finally {
      await server.close()
    }
  })

  it('the axios adapters reject with an AxiosError only, and never throw', async () => {
    const { nodeHttpAdapter, fetchAdapter } = await import('../../src/core/Http.js')
    const config = { url: 'http://127.0.0.1:9/', method: 'get', headers: {} }
    const rejection = async (p: () => Promise<unknown>): Promise<unknown> => p().then(() => 'resolved', (e: unknown) => e)
    for (const adapter of [nodeHttpAdapter(trapProxy() as never), nodeHttpAdapter({ maxSockets: -1 })]) {
      expect(await rejection(() => adapter(config as never))).toMatchObject({ isAxiosError: true, code: 'ERR_BAD_OPTION_VALUE' })
    }
    for (const adapter of [nodeHttpAdapter(), fetchAdapter()]) {
      for (const bad of [trapProxy(), revoked(), { ...config, signal: {} }, { ...config, validateStatus: 5 }, { ...config, headers: trapProxy() }]) {
        expect(await rejection(() => adapter(bad as never))).toMatchObject({ isAxiosError: true, code: 'ERR_BAD_OPTION_VALUE' })
      }
    }
  })
})
