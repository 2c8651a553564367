// Time to the first Logout, CommonJS: `node first.cjs <entry> <url> <token>`.
const [entry, url, token] = process.argv.slice(2)
const { logout } = require(entry)
logout(url, token).then(
  (r) => done(r === undefined || r === null || typeof r !== 'object' || !('_tag' in r) || r._tag === 'Right'),
  () => done(false)
)
function done(ok) {
  process.stdout.write(JSON.stringify({ ms: performance.now(), ok }) + '\n')
  process.exit(0)
}
