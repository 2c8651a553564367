/**
 * `fromSSOToken` in its own process or worker thread, for the tests where many refresh at
 * once: bundled with esbuild and run as `node refresher.cjs <home> <oidc endpoint> <clock
 * offset ms>` (prints `ready`, waits for a line on stdin), or as a worker with `workerData`
 * `{ home, url, offset }` (posts `ready`, waits for a message). Then it gets the token of
 * profile `dev` with the clock moved by the offset, and answers `ok <sha256 of the token>`
 * (never the token), or `error <tag> <reason>` (a process then exits 1).
 */
import { createHash } from 'node:crypto'
import { isMainThread, parentPort, workerData } from 'node:worker_threads'
import { reveal } from '../../../src/core/Sensitive.js'
import { fromSSOToken } from '../../../src/auth/sso/index.js'

const run = async (home: string, url: string, offset: number): Promise<string> => {
  const r = await fromSSOToken({ profile: 'dev' }, { homedir: home, env: { AWS_ENDPOINT_URL_SSO_OIDC: url }, now: () => Date.now() + offset })()
  return r._tag === 'Right'
    ? `ok ${createHash('sha256').update(reveal(r.right)).digest('hex')}`
    : `error ${r.left._tag} ${'reason' in r.left ? r.left.reason : ''}`
}

if (isMainThread) {
  const [home, url, offset] = process.argv.slice(2)
  if (home === undefined || url === undefined || offset === undefined) throw new Error('usage: refresher <home> <endpoint> <offset>')
  process.stdout.write('ready\n')
  process.stdin.once('data', () => {
    process.stdin.destroy()
    void run(home, url, Number(offset)).then((line) => {
      process.stdout.write(`${line}\n`)
      if (!line.startsWith('ok ')) process.exitCode = 1
    })
  })
} else {
  const { home, url, offset } = workerData as { home: string; url: string; offset: number }
  parentPort?.postMessage('ready')
  parentPort?.once('message', () => {
    void run(home, url, offset).then((line) => parentPort?.postMessage(line))
  })
}
