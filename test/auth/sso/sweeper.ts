/**
 * A sweep in its own process, for the tests that run several at once: bundled with esbuild
 * and run as `node sweeper.cjs <home> <endpoint>`. Prints `ready`, waits for a line on
 * stdin, runs `logoutAll`, prints `listed` when it reads its first token (both caches are
 * listed by then), pauses 5 ms at each token (so that sweeps overlap, and sign-ins land while
 * they run however fast the sweep itself is), and ends with `report <JSON>`.
 */
import { newEnv } from '../../../src/index.js'
import { logoutAll } from '../../../src/auth/sso/index.js'

const [home, url] = process.argv.slice(2)
if (home === undefined || url === undefined) throw new Error('usage: sweeper <home> <endpoint>')
const pause = new Int32Array(new SharedArrayBuffer(4))
let listed = false
process.stdout.write('ready\n')
process.stdin.once('data', () => {
  process.stdin.destroy()
  void logoutAll({
    homedir: home,
    envForRegion: (region) => {
      if (!listed) {
        listed = true
        process.stdout.write('listed\n')
      }
      Atomics.wait(pause, 0, 0, 5)
      return newEnv({ region, endpoint: url, maxAttempts: 1 })
    }
  })().then((report) => process.stdout.write(`report ${JSON.stringify(report)}\n`))
})
