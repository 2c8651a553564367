// Time to the first Logout, ESM: `node first.mjs <entry> <url> <token>`. Prints the time
// since the process started (performance.now(), whose origin is the process start) when
// the first Logout has been answered, then exits at once.
const [entry, url, token] = process.argv.slice(2)
const { logout } = await import(entry)
let ok = true
try {
  const r = await logout(url, token)
  ok = r === undefined || r === null || typeof r !== 'object' || !('_tag' in r) || r._tag === 'Right'
} catch {
  ok = false
}
process.stdout.write(JSON.stringify({ ms: performance.now(), ok }) + '\n')
process.exit(0)
