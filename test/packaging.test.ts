/**
 * The package as users get it: build, `npm pack`, install the tarball into a scratch
 * project, then run a Logout against the emulator from the *installed* package as native
 * ESM and as CommonJS, and type-check the same code as a TypeScript consumer under
 * `moduleResolution: NodeNext` (ESM and CJS files) and `bundler` (and the legacy `node10`,
 * through `typesVersions`).
 *
 * Installs with `--prefer-offline`: fp-ts, io-ts, monocle-ts and axios come from the npm
 * cache when they are there, from the registry otherwise (a fresh CI machine).
 */
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const repo = path.resolve(__dirname, '..')
const tsc = path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc')
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs a command to completion; never rejects, so a failure shows its output in the assertion. */
const run = (file: string, args: ReadonlyArray<string>, cwd: string): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      file,
      [...args],
      {
        cwd,
        maxBuffer: 64 * 1024 * 1024,
        // npm lifecycle variables of an enclosing `npm test` must not leak into the nested npm.
        env: Object.fromEntries(
          Object.entries(process.env).filter(([k]) => !/^npm_(lifecycle|package|config_(prefix|global|local))/i.test(k))
        ),
        shell: process.platform === 'win32'
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1
        resolve({ code, stdout: String(stdout), stderr: String(stderr) })
      }
    )
  })

const ok = (r: Run, what: string): Run => {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code})\n${r.stdout}\n${r.stderr}`)
  return r
}

// -------------------------------------------------------------------------------------
// the consumer
// -------------------------------------------------------------------------------------

/** Runs against the installed package; prints one JSON line describing what happened. */
const esmSnippet = `import { pipe } from 'fp-ts/lib/function.js'
import { newEnv, send, VERSION } from 'fp-aws'
import { Logout, newLogout } from 'fp-aws/sso'
import { startEmulator } from 'fp-aws/emulator'
import { reveal, sensitive } from 'fp-aws/core/Sensitive'
import { CreateToken, newCreateToken } from 'fp-aws/sso-oidc'
import { encodeCreateToken } from 'fp-aws/sso-oidc/CreateToken'

const started = await startEmulator({ tokens: { 'tok-1': {} } })()
if (started._tag !== 'Right') throw new Error('emulator did not start: ' + started.left.message)
const emu = started.right
try {
  const env = newEnv({ endpoint: emu.url })
  const r = await pipe(newLogout('tok-1'), send(Logout))(env)()
  const r2 = await pipe(newLogout('tok-1'), send(Logout))(env)()
  console.log(JSON.stringify({
    resolved: import.meta.resolve('fp-aws'),
    version: VERSION,
    first: r,
    second: { _tag: r2._tag, errorTag: r2.left?._tag, code: r2.left?.code, status: r2.left?.status },
    sensitive: String(sensitive('s3cr3t')) + '/' + reveal(sensitive('ok')),
    oidc: CreateToken.operation + ' ' + JSON.stringify(encodeCreateToken(newCreateToken('id', 'client-s3cr3t', 'refresh_token')).right.body)
  }))
} finally {
  await emu.close()
}
`

const cjsSnippet = `const { pipe } = require('fp-ts/lib/function.js')
const { newEnv, send, VERSION } = require('fp-aws')
const { Logout, newLogout } = require('fp-aws/sso')
const { startEmulator } = require('fp-aws/emulator')
const { reveal, sensitive } = require('fp-aws/core/Sensitive')
const { CreateToken, newCreateToken } = require('fp-aws/sso-oidc')
const { encodeCreateToken } = require('fp-aws/sso-oidc/CreateToken')

const main = async () => {
  const started = await startEmulator({ tokens: { 'tok-1': {} } })()
  if (started._tag !== 'Right') throw new Error('emulator did not start: ' + started.left.message)
  const emu = started.right
  try {
    const env = newEnv({ endpoint: emu.url })
    const r = await pipe(newLogout('tok-1'), send(Logout))(env)()
    const r2 = await pipe(newLogout('tok-1'), send(Logout))(env)()
    console.log(JSON.stringify({
      resolved: require.resolve('fp-aws'),
      version: VERSION,
      first: r,
      second: { _tag: r2._tag, errorTag: r2.left?._tag, code: r2.left?.code, status: r2.left?.status },
      sensitive: String(sensitive('s3cr3t')) + '/' + reveal(sensitive('ok')),
      oidc: CreateToken.operation + ' ' + JSON.stringify(encodeCreateToken(newCreateToken('id', 'client-s3cr3t', 'refresh_token')).right.body)
    }))
  } finally {
    await emu.close()
  }
}
main().catch((e) => {
  console.error(e)
  process.exit(1)
})
`

/** Every public subpath (each module of a `*` pattern): `import` and `require` give the same values, from dist/node. */
const subpathsSnippet = `import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
const require = createRequire(import.meta.url)
const root = path.dirname(require.resolve('fp-aws/package.json'))
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))
const out = { ok: 0, bad: [] }
for (const [k, v] of Object.entries(pkg.exports)) {
  if (k === './package.json') continue
  const subs = k.includes('*')
    ? readdirSync(path.join(root, path.dirname(v.import.default))).filter((f) => f.endsWith('.js')).map((f) => k.replace('*', f.slice(0, -3)))
    : [k]
  for (const s of subs) {
    const spec = 'fp-aws' + s.slice(1)
    if (spec.endsWith('cli/bin')) continue
    try {
      const e = await import(spec)
      const c = require(spec)
      const rs = require.resolve(spec)
      const diff = Object.keys(e).filter((n) => e[n] !== c[n])
      if (diff.length) out.bad.push(spec + ' differs ' + diff.slice(0, 3))
      else if (!k.startsWith('./cli') && !rs.includes('/dist/node/')) out.bad.push(spec + ' resolves ' + rs)
      else out.ok++
    } catch (err) { out.bad.push(spec + ' ' + err.message.split('\\n')[0]) }
  }
}
console.log(JSON.stringify(out))
`

/** Deep paths outside the exports map, and the subpaths that moved out of `fp-aws/sso`, must stay closed. */
const closedSnippet = `const tries = ['fp-aws/dist/cjs/index.js', 'fp-aws/src/index.ts', 'fp-aws/core/Nope', 'fp-aws/sso/cache', 'fp-aws/sso/fromSSO', 'fp-aws/sso/emulator', 'fp-aws/sso/emulator/operations']
const out = []
for (const s of tries) {
  try { await import(s); out.push(s + ': open') } catch (e) { out.push(s + ': ' + e.code) }
}
const { createRequire } = await import('node:module')
out.push('fp-aws/package.json: ' + createRequire(import.meta.url)('fp-aws/package.json').name)
console.log(JSON.stringify(out))
`

/** Loads every module of both builds (but the executable) from the installed package. */
const loadAllSnippet = `import { readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
const require = createRequire(import.meta.url)
const dist = path.join(path.dirname(require.resolve('fp-aws/package.json')), 'dist')
const walk = (d) => readdirSync(d).flatMap((n) => {
  const p = path.join(d, n)
  return statSync(p).isDirectory() ? walk(p) : p.endsWith('.js') && !p.endsWith(path.join('cli', 'bin.js')) ? [p] : []
})
const loaded = { esm: 0, cjs: 0, node: 0 }
for (const f of walk(path.join(dist, 'esm'))) { await import(f); loaded.esm += 1 }
for (const f of walk(path.join(dist, 'cjs'))) { require(f); loaded.cjs += 1 }
// dist/node: the same names as dist/esm; \`import\` and \`require\` give the same values (the
// bundled build, or dist/cjs for the command line's modules)
const differ = []
for (const f of walk(path.join(dist, 'node'))) {
  const n = await import(f)
  const rel = path.relative(path.join(dist, 'node'), f)
  const esm = await import(path.join(dist, 'esm', rel))
  const cjs = rel.startsWith('cli') ? require(path.join(dist, 'cjs', rel)) : require(f.replace(/\\.js$/, '.cjs'))
  const names = Object.keys(n).sort()
  if (names.join() !== Object.keys(esm).sort().join() || names.some((k) => n[k] !== cjs[k])) differ.push(rel)
  loaded.node += 1
}
loaded.differ = differ
console.log(JSON.stringify(loaded))
`

/**
 * fp-aws's values composed with the consumer's own fp-ts, io-ts and monocle-ts, as ESM and
 * as CommonJS (the same text, with the imports written both ways).
 */
const composeBody = `const out = {}
// fp-aws's codecs inside the consumer's io-ts combinators
const Envelope = t.type({ id: t.number, request: LogoutCodec })
out.decoded = pipe(
  Envelope.decode({ id: 1, request: { accessToken: 'tok-1' } }),
  E.map((e) => e.id + ':' + reveal(e.request.accessToken)),
  E.getOrElse(() => 'failed')
)
out.rejected = E.isLeft(Envelope.decode({ id: 1, request: { accessToken: 7 } }))
out.encoded = JSON.stringify(Envelope.encode({ id: 2, request: newLogout('tok-2') }))
const Either2 = t.union([t.exact(t.partial({ id: t.string })), t.array(ListAccountsResponseCodec)])
out.union = pipe(
  Either2.decode([{ accountList: [], nextToken: 'n2' }]),
  E.map((rs) => pipe(rs[0].nextToken, O.getOrElse(() => 'none'))),
  E.getOrElse(() => 'failed')
)
// fp-aws's lens after the consumer's, and the consumer's after fp-aws's
const inEnvelope = pipe(L.id(), L.prop('request'), L.compose(logout_accessToken))
const env1 = { id: 3, request: newLogout('old') }
out.lensGet = inEnvelope.get(env1)
out.lensSet = inEnvelope.get(inEnvelope.set('new')(env1))
out.lensModify = reveal(pipe(inEnvelope, L.modify((s) => s.toUpperCase()))(env1).request.accessToken)
const orZero = L.lens(O.getOrElse(() => 0), (n) => () => (n === 0 ? O.none : O.some(n)))
const pageSize = pipe(listAccounts_maxResults, L.compose(orZero))
const page = pageSize.set(25)(newListAccounts('tok-5'))
out.lensAfter = pageSize.get(newListAccounts('tok-5')) + '/' + pageSize.get(page) + '/' + O.isSome(listAccounts_maxResults.get(page))
const firstAccount = pipe(listAccountsResponse_accountList, L.index(0), Op.prop('accountId'))
out.optional = firstAccount.getOption({ nextToken: O.none, accountList: [] })._tag + '/' +
  pipe(
    firstAccount.getOption({ nextToken: O.none, accountList: [{ accountId: O.some('111'), accountName: O.none, emailAddress: O.none }] }),
    O.flatten,
    O.getOrElse(() => '')
  )
out.isoReverse = String(sensitiveIso().reverseGet('x')) + '/' + pipe(sensitiveIso(), I.reverse).get('y')._tag
// fp-aws's Either, Option and TaskEither with the consumer's fp-ts
out.either = pipe(encodeLogout(newLogout('tok-3')), E.map((r) => r.method + ' ' + r.path), E.getOrElse(() => 'failed'))
out.query = pipe(
  encodeListAccounts(pipe(newListAccounts('tok-6'), listAccounts_maxResults.set(O.some(7)), listAccounts_nextToken.set(O.some('n')))),
  E.map((r) => r.path + ' ' + JSON.stringify(r.query)),
  E.getOrElse(() => 'failed')
)
out.task = await pipe(
  TE.fromEither(encodeLogout(newLogout('tok-4'))),
  TE.map((r) => r.method),
  TE.getOrElse(() => T.of('failed'))
)()
const emu = await pipe(
  startEmulator({ tokens: { 'tok-1': {} } }),
  TE.getOrElse((e) => { throw new Error(e.message) })
)()
const env = newEnv({ endpoint: emu.url })
out.sent = await pipe(
  newLogout('tok-1'),
  send(Logout),
  (call) => call(env),
  TE.chain(() => pipe(newLogout('tok-1'), send(Logout))(env)),
  TE.match((e) => e._tag + ' ' + e.status, () => 'logged out twice')
)()
await emu.close()
// one instance of every module, whichever entry and whichever of import and require reaches it
out.oneInstance = [
  (await import('fp-aws/sso/Logout')).Logout === Logout,
  requireFp('fp-aws/sso').LogoutCodec === LogoutCodec,
  (await import('fp-aws/core/Sensitive')).sensitive === requireFp('fp-aws').sensitive,
  (await import('fp-aws/auth/sso')).logoutAll === requireFp('fp-aws/auth/sso/ClientLogout').logoutAll
].join()
console.log(JSON.stringify(out))
`

const ssoNames = [
  'ListAccountsResponseCodec',
  'LogoutCodec',
  'Logout',
  'encodeListAccounts',
  'encodeLogout',
  'listAccountsResponse_accountList',
  'listAccounts_maxResults',
  'listAccounts_nextToken',
  'logout_accessToken',
  'newListAccounts',
  'newLogout'
].join(', ')

const composeEsm = `import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import * as T from 'fp-ts/lib/Task.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import * as t from 'io-ts'
import * as I from 'monocle-ts/lib/Iso.js'
import * as L from 'monocle-ts/lib/Lens.js'
import * as Op from 'monocle-ts/lib/Optional.js'
import { newEnv, reveal, send, iso as sensitiveIso } from 'fp-aws'
import { ${ssoNames} } from 'fp-aws/sso'
import { startEmulator } from 'fp-aws/emulator'
import { createRequire } from 'node:module'
const requireFp = createRequire(import.meta.url)
${composeBody}`

const composeCjs = `const E = require('fp-ts/lib/Either.js')
const { pipe } = require('fp-ts/lib/function.js')
const T = require('fp-ts/lib/Task.js')
const TE = require('fp-ts/lib/TaskEither.js')
const t = require('io-ts')
const I = require('monocle-ts/lib/Iso.js')
const L = require('monocle-ts/lib/Lens.js')
const Op = require('monocle-ts/lib/Optional.js')
const O = require('fp-ts/lib/Option.js')
const { newEnv, reveal, send, iso: sensitiveIso } = require('fp-aws')
const { ${ssoNames} } = require('fp-aws/sso')
const { startEmulator } = require('fp-aws/emulator')
const requireFp = require
const main = async () => {
${composeBody}}
main().catch((e) => {
  console.error(e)
  process.exit(1)
})
`

/**
 * What the root module loads from node_modules: under Node (ESM and CommonJS), nothing (fp-ts,
 * io-ts and monocle-ts are inlined in dist/node); the plain CommonJS build that bundlers and
 * the command line use loads fp-ts only, neither the optics nor the codec library.
 */
const rootLoadsSnippet = `import { createRequire } from 'node:module'
import path from 'node:path'
const require = createRequire(import.meta.url)
const loaded = () => Object.keys(require.cache).flatMap((f) => {
  const m = /node_modules[\\\\/](fp-ts|io-ts|monocle-ts)[\\\\/]/.exec(f)
  return m === null ? [] : [m[1]]
})
const out = {}
const root = await import('fp-aws')
out.esm = [...new Set(loaded())].sort()
require('fp-aws/sso')
out.cjs = [...new Set(loaded())].sort()
// node:fs/promises waits for the first file read
out.fsPromises = process.moduleLoadList.includes('NativeModule fs/promises')
for (const k of Object.keys(require.cache)) delete require.cache[k]
require(path.join(path.dirname(require.resolve('fp-aws/package.json')), 'dist', 'cjs', 'index.js'))
out.plain = [...new Set(loaded())].sort()
out.send = typeof root.send
console.log(JSON.stringify(out))
`

/** What the command line loads before a command runs: no emulator module (only `sso emulator` loads it). */
const cliLoadsSnippet = `const main = require('fp-aws/cli/main')
const emulator = Object.keys(require.cache).filter((f) => /[\\\\/]emulator[\\\\/](index|oidc|pages|operations|faults)\\.js$/.test(f))
console.log(JSON.stringify({ main: typeof main.main, emulator }))
`

/** The snippet as TypeScript, with type-level checks: wrong uses must be errors. */
const tsBody = `  const started = await startEmulator({ tokens: { 'tok-1': {} } })()
  if (E.isLeft(started)) throw new Error(started.left.message)
  const emu: Emulator = started.right
  const env: Env = newEnv({ endpoint: emu.url })
  const r: E.Either<AWSError<LogoutErrorCode>, LogoutResponse> = await pipe(newLogout('tok-1'), send(Logout))(env)()
  const r2 = await pipe(newLogout('tok-1'), send(Logout))(env)()
  if (E.isLeft(r2) && r2.left._tag === 'ServiceError') {
    const code: 'InvalidRequestException' | 'TooManyRequestsException' | 'UnauthorizedException' | (string & {}) = r2.left.code
    const status: number = r2.left.status
    void code
    void status
  }
  const token: string = logout_accessToken.get(newLogout('t'))
  const secret: Sensitive<string> = sensitive('x')
  // @ts-expect-error a Sensitive is not a string
  const leaked: string = secret
  // @ts-expect-error send(Logout) takes a Logout request
  send(Logout)({ accessToken: 'plain' })
  // @ts-expect-error newEnv has no such option
  newEnv({ nope: 1 })
  void [r, token, leaked, reveal(secret), VERSION.length]
  await emu.close()
`

const tsImports = `import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { newEnv, send, VERSION, type AWSError, type Env } from 'fp-aws'
import { Logout, logout_accessToken, newLogout, type LogoutErrorCode, type LogoutResponse } from 'fp-aws/sso'
import { startEmulator, type Emulator } from 'fp-aws/emulator'
import { reveal, sensitive, type Sensitive } from 'fp-aws/core/Sensitive'
import type { ServiceError } from 'fp-aws/core/Error'
import type { HttpRequest } from 'fp-aws/core/Request'
import type { SensitiveString } from 'fp-aws/sso/Types'
import { Logout as Logout2 } from 'fp-aws/sso/Logout'
import { resolveEndpoint } from 'fp-aws/sso/Endpoint'
import { sso } from 'fp-aws/sso/Service'
import type { TokenSeed } from 'fp-aws/emulator/operations'
import { fromSSO, logoutAll, type FromSSOError } from 'fp-aws/auth/sso'
import { readToken } from 'fp-aws/auth/sso/Token'
import { CreateToken, createToken_refreshToken, type CreateTokenErrorCode } from 'fp-aws/sso-oidc'
import { RegisterClient } from 'fp-aws/sso-oidc/RegisterClient'

export type Extra = [
  typeof CreateToken,
  typeof createToken_refreshToken,
  CreateTokenErrorCode,
  typeof RegisterClient,
  ServiceError,
  HttpRequest,
  typeof SensitiveString,
  typeof Logout2,
  typeof resolveEndpoint,
  typeof sso,
  TokenSeed,
  typeof fromSSO,
  typeof logoutAll,
  FromSSOError,
  typeof readToken
]
`

/** ESM consumer (NodeNext `.mts`, bundler `.ts`): top-level await. */
const tsEsm = `${tsImports}
${tsBody.replace(/^ {2}/gm, '')}`

/** CommonJS consumer (NodeNext `.cts`): `import` compiles to `require`, no top-level await. */
const tsCjs = `${tsImports}
export const main = async (): Promise<void> => {
${tsBody}}
`

const tsconfig = (options: Record<string, unknown>, files: ReadonlyArray<string>): string =>
  JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022'],
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        esModuleInterop: true,
        types: ['node'],
        typeRoots: [path.join(repo, 'node_modules', '@types')],
        ...options
      },
      files
    },
    null,
    2
  )

// -------------------------------------------------------------------------------------
// the test
// -------------------------------------------------------------------------------------

let work: string
let consumer: string
let packed: { readonly filename: string; readonly files: ReadonlyArray<{ readonly path: string }> }
let version: string

beforeAll(async () => {
  version = JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8')).version
  work = await mkdtemp(path.join(tmpdir(), 'fp-aws-packaging-'))
  consumer = path.join(work, 'consumer')
  await mkdir(consumer)

  ok(await run(process.execPath, [path.join(repo, 'scripts', 'build.mjs')], repo), 'npm run build')
  const pack = ok(
    await run(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], repo),
    'npm pack'
  )
  packed = JSON.parse(pack.stdout)[0]

  await writeFile(
    path.join(consumer, 'package.json'),
    JSON.stringify({ name: 'fp-aws-consumer', version: '0.0.0', private: true }, null, 2)
  )
  ok(
    await run(
      npm,
      [
        'install',
        path.join(work, packed.filename),
        // the optional peer dependency of fp-aws/arbitrary, as its users install it
        `fast-check@${(JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies['fast-check']}`,
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--no-package-lock',
        '--ignore-scripts',
        '--loglevel=error'
      ],
      consumer
    ),
    'npm install <tarball>'
  )

  await writeFile(path.join(consumer, 'logout.mjs'), esmSnippet)
  await writeFile(path.join(consumer, 'logout.cjs'), cjsSnippet)
  await writeFile(path.join(consumer, 'closed.mjs'), closedSnippet)
  await writeFile(path.join(consumer, 'subpaths.mjs'), subpathsSnippet)
  await writeFile(path.join(consumer, 'load-all.mjs'), loadAllSnippet)
  await writeFile(path.join(consumer, 'compose.mjs'), composeEsm)
  await writeFile(path.join(consumer, 'root-loads.mjs'), rootLoadsSnippet)
  await writeFile(path.join(consumer, 'cli-loads.cjs'), cliLoadsSnippet)
  await writeFile(path.join(consumer, 'compose.cjs'), composeCjs)
  await writeFile(path.join(consumer, 'check-esm.mts'), tsEsm)
  await writeFile(path.join(consumer, 'check-cjs.cts'), tsCjs)
  await writeFile(path.join(consumer, 'check-bundler.ts'), tsEsm)
  await writeFile(
    path.join(consumer, 'tsconfig.nodenext.json'),
    tsconfig({ module: 'NodeNext', moduleResolution: 'NodeNext' }, ['check-esm.mts', 'check-cjs.cts'])
  )
  await writeFile(path.join(consumer, 'check-node10.ts'), tsCjs)
  await writeFile(
    path.join(consumer, 'tsconfig.node10.json'),
    tsconfig({ module: 'CommonJS', moduleResolution: 'node10' }, ['check-node10.ts'])
  )
  await writeFile(
    path.join(consumer, 'tsconfig.bundler.json'),
    tsconfig({ module: 'ESNext', moduleResolution: 'bundler' }, ['check-bundler.ts'])
  )
})

afterAll(async () => {
  if (work !== undefined) await rm(work, { recursive: true, force: true })
})

const expected = (format: 'esm' | 'cjs') => ({
  resolved: expect.stringMatching(
    format === 'esm' ? /node_modules\/fp-aws\/dist\/node\/index\.js$/ : /node_modules[\\/]fp-aws[\\/]dist[\\/]node[\\/]index\.cjs$/
  ),
  version,
  first: { _tag: 'Right', right: { _tag: 'LogoutResponse' } },
  second: { _tag: 'Left', errorTag: 'ServiceError', code: 'UnauthorizedException', status: 401 },
  sensitive: '<redacted>/ok',
  // the encoded body holds the client secret: it is Sensitive as a whole
  oidc: 'CreateToken "<redacted>"'
})

describe('the packed package', () => {
  it('ships dist (both halves, with their package.json and .d.ts), LICENSE and package.json, and no sources or tests', () => {
    const files = packed.files.map((f) => f.path)
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'LICENSE',
        'dist/cjs/package.json',
        'dist/esm/package.json',
        'dist/cjs/index.js',
        'dist/cjs/index.d.ts',
        'dist/esm/index.js',
        'dist/esm/index.d.ts',
        'dist/node/package.json',
        'dist/node/index.js',
        'dist/node/services/sso/index.js',
        'dist/node/services/sso/index.cjs',
        'dist/node/main.cjs',
        'dist/node/main.cjs.map',
        'dist/node/more.cjs',
        'dist/esm/emulator/index.js',
        'dist/cjs/auth/sso/index.js',
        'dist/cjs/core/Sensitive.d.ts'
      ])
    )
    expect(files.filter((f) => !/^(dist\/|package\.json$|LICENSE$|README\.md$|CHANGELOG\.md$)/.test(f))).toEqual([])
  })

  it('marks dist/cjs as CommonJS and dist/esm and dist/node as ESM', async () => {
    const installed = path.join(consumer, 'node_modules', 'fp-aws', 'dist')
    expect(JSON.parse(await readFile(path.join(installed, 'cjs', 'package.json'), 'utf8'))).toEqual({ type: 'commonjs' })
    expect(JSON.parse(await readFile(path.join(installed, 'esm', 'package.json'), 'utf8'))).toEqual({ type: 'module' })
    expect(JSON.parse(await readFile(path.join(installed, 'node', 'package.json'), 'utf8'))).toEqual({ type: 'module' })
  })

  it("composes fp-aws's codecs, lenses and Eithers with the consumer's own io-ts, monocle-ts and fp-ts", async () => {
    const expectedCompose = {
      decoded: '1:tok-1',
      rejected: true,
      encoded: '{"id":2,"request":{"accessToken":"tok-2"}}',
      union: 'n2',
      lensGet: 'old',
      lensSet: 'new',
      lensModify: 'OLD',
      lensAfter: '0/25/true',
      optional: 'None/111',
      isoReverse: '<redacted>/Sensitive',
      either: 'POST /logout',
      query: '/assignment/accounts [["next_token","n"],["max_result","7"]]',
      task: 'POST',
      sent: 'ServiceError 401',
      oneInstance: 'true,true,true,true'
    }
    for (const file of ['compose.mjs', 'compose.cjs']) {
      const r = ok(await run(process.execPath, [file], consumer), `node ${file}`)
      expect(JSON.parse(r.stdout.trim())).toEqual(expectedCompose)
    }
  })

  it('loads nothing from node_modules under Node, nor node:fs/promises, and only fp-ts for the plain CommonJS root module', async () => {
    const r = ok(await run(process.execPath, ['root-loads.mjs'], consumer), 'node root-loads.mjs')
    expect(JSON.parse(r.stdout.trim())).toEqual({ esm: [], cjs: [], plain: ['fp-ts'], send: 'function', fsPromises: false })
  })

  it('loads no emulator module with the command line (sso logout, login, status, … never start a server)', async () => {
    const r = ok(await run(process.execPath, ['cli-loads.cjs'], consumer), 'node cli-loads.cjs')
    expect(JSON.parse(r.stdout.trim())).toEqual({ main: 'function', emulator: [] })
  })

  it('runs Logout against the emulator as native ESM', async () => {
    const r = ok(await run(process.execPath, ['logout.mjs'], consumer), 'node logout.mjs')
    expect(JSON.parse(r.stdout.trim())).toEqual(expected('esm'))
  })

  it('runs Logout against the emulator as CommonJS', async () => {
    const r = ok(await run(process.execPath, ['logout.cjs'], consumer), 'node logout.cjs')
    expect(JSON.parse(r.stdout.trim())).toEqual(expected('cjs'))
  })

  it('bundles every module but the command line into exactly one of dist/node/main.cjs and more.cjs', async () => {
    const installed = path.join(consumer, 'node_modules', 'fp-aws', 'dist', 'node')
    // a bundle's modules: the dist/esm sources of its source map
    const inBundle = async (file: string) =>
      (JSON.parse(await readFile(path.join(installed, `${file}.map`), 'utf8')) as { readonly sources: ReadonlyArray<string> }).sources
        .flatMap((src) => /^\.\.\/esm\/(.+\.js)$/.exec(src)?.[1] ?? [])
        .sort()
    const main = await inBundle('main.cjs')
    const more = await inBundle('more.cjs')
    const modules = packed.files
      .map((f) => /^dist\/esm\/(.*\.js)$/.exec(f.path)?.[1])
      .filter((m): m is string => m !== undefined && !m.startsWith('cli/'))
      .sort()
    expect(main).toEqual(expect.arrayContaining(['index.js', 'services/sso/index.js', 'core/Sensitive.js']))
    expect(more).toEqual(expect.arrayContaining(['emulator/index.js', 'auth/sso/index.js']))
    expect(main.filter((m) => more.includes(m))).toEqual([])
    expect([...main, ...more].sort()).toEqual(modules)
  })

  it('loads every module of dist/esm and dist/node natively as ESM and every module of dist/cjs with require', async () => {
    const r = ok(await run(process.execPath, ['load-all.mjs'], consumer), 'node load-all.mjs')
    const loaded = JSON.parse(r.stdout.trim())
    const modules = packed.files.filter((f) => /^dist\/esm\/.*\.js$/.test(f.path) && !f.path.endsWith('cli/bin.js')).length
    expect(modules).toBeGreaterThan(10)
    expect(loaded).toEqual({ esm: modules, cjs: modules, node: modules, differ: [] })
  })

  it('serves every subpath of the exports map to import and require under Node from dist/node, with the same values', async () => {
    const r = ok(await run(process.execPath, ['subpaths.mjs'], consumer), 'node subpaths.mjs')
    const modules = packed.files.filter((f) => /^dist\/esm\/(core|services|auth|emulator|arbitrary)\/.*\.js$/.test(f.path)).length
    expect(JSON.parse(r.stdout.trim())).toEqual({ ok: expect.any(Number), bad: [] })
    expect(JSON.parse(r.stdout.trim()).ok).toBeGreaterThan(modules)
  })

  it('keeps paths outside the exports map closed', async () => {
    const r = ok(await run(process.execPath, ['closed.mjs'], consumer), 'node closed.mjs')
    expect(JSON.parse(r.stdout.trim())).toEqual([
      'fp-aws/dist/cjs/index.js: ERR_PACKAGE_PATH_NOT_EXPORTED',
      'fp-aws/src/index.ts: ERR_PACKAGE_PATH_NOT_EXPORTED',
      'fp-aws/core/Nope: ERR_MODULE_NOT_FOUND',
      'fp-aws/sso/cache: ERR_MODULE_NOT_FOUND',
      'fp-aws/sso/fromSSO: ERR_MODULE_NOT_FOUND',
      'fp-aws/sso/emulator: ERR_MODULE_NOT_FOUND',
      'fp-aws/sso/emulator/operations: ERR_MODULE_NOT_FOUND',
      'fp-aws/package.json: fp-aws'
    ])
  })

  it('type-checks for a TypeScript consumer with moduleResolution NodeNext (ESM and CommonJS files)', async () => {
    const r = await run(process.execPath, [tsc, '-p', 'tsconfig.nodenext.json', '--strict', '--noEmit'], consumer)
    expect(r.stdout + r.stderr).toBe('')
    expect(r.code).toBe(0)
  })

  it('type-checks for a TypeScript consumer with moduleResolution bundler', async () => {
    const r = await run(process.execPath, [tsc, '-p', 'tsconfig.bundler.json', '--strict', '--noEmit'], consumer)
    expect(r.stdout + r.stderr).toBe('')
    expect(r.code).toBe(0)
  })

  it('type-checks for a TypeScript consumer with the legacy moduleResolution node10 (typesVersions)', async () => {
    const r = await run(process.execPath, [tsc, '-p', 'tsconfig.node10.json', '--strict', '--noEmit'], consumer)
    expect(r.stdout + r.stderr).toBe('')
    expect(r.code).toBe(0)
  })

  it('installs the fp-aws executable (package.json "bin"), which prints its usage', async () => {
    const pkg = JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8'))
    const target = path.join(consumer, 'node_modules', 'fp-aws', pkg.bin['fp-aws'])
    expect((await readFile(target, 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true)
    const bin = path.join(consumer, 'node_modules', '.bin', process.platform === 'win32' ? 'fp-aws.cmd' : 'fp-aws')
    const r = ok(await run(bin, ['--help'], consumer), 'fp-aws --help')
    expect(r.stdout).toContain('sso emulator')
  })

  it('npm run demo: the whole session on the emulator, from the built dist, without printing a secret', async () => {
    // the demo imports fp-aws by its own name (the built dist), and checks its own output for secrets
    const r = ok(await run(process.execPath, [path.join(repo, 'scripts', 'demo.mjs')], repo), 'node scripts/demo.mjs')
    for (const step of ['1. fp-aws sso login', 'Then enter the code:', 'clicks Allow: approved', 'Successfully logged into Start URL', '2. the accounts', '3. fromSSO', '4. fp-aws sso logout', 'Invalidated the SSO session', '5. the same token', '401 UnauthorizedException']) {
      expect(r.stdout).toContain(step)
    }
    expect(r.stdout.trimEnd().endsWith('The whole session ran on the emulator: logged in, listed, got credentials, logged out.')).toBe(true)
    expect(r.stderr).toBe('')
  })
})
