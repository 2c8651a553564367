// One measured process of the paging and decoding phase (phases/api.mjs):
//
//   node bench/api-client.mjs <fp-aws|sdk|raw> <list|grc> <json options>
//
// Loads only the client under test, against api-server.mjs, warms it up, prints
// `{"ready":true}`, then runs one measured round each time its parent writes a line on stdin
// (printing `{"value":…}` after it), so that the parent can interleave the rounds of several
// warm processes finely; when stdin closes it prints a summary line and exits.
// - `list`: a round walks every page of ListAccounts (page size 100) `walks` times, reading
//   every item's accountId; its value is the milliseconds a walk.
// - `grc`: a round makes `calls` GetRoleCredentials calls with `inflight` outstanding,
//   reading the secret of each answer; its value is the calls a second.
const [impl, scenario, raw] = process.argv.slice(2)
const o = JSON.parse(raw)

/** The two clients, made the same way a user makes them. */
const clients = {
  'fp-aws': async () => {
    const { newEnv, send } = await import('fp-aws')
    const sso = await import('fp-aws/sso')
    const { isSome, some } = await import('fp-ts/lib/Option.js')
    const { reveal } = await import('fp-aws/core/Sensitive')
    const env = newEnv({ endpoint: o.url })
    const rq = sso.listAccounts_maxResults.set(some(100))(sso.newListAccounts(o.token))
    const grc = send(sso.GetRoleCredentials)
    const grcRq = sso.newGetRoleCredentials('ReadOnly', '111122223333', o.token)
    return {
      list: async () => {
        let n = 0
        for await (const page of sso.paginateListAccounts(rq)(env)) {
          if (page._tag === 'Left') throw new Error(`ListAccounts failed: ${page.left._tag}`)
          for (const a of page.right.accountList) if (isSome(a.accountId)) n += a.accountId.value.length
        }
        return n
      },
      grc: async () => {
        const r = await grc(grcRq)(env)()
        if (r._tag === 'Left') throw new Error(`GetRoleCredentials failed: ${r.left._tag}`)
        const c = r.right.roleCredentials
        return isSome(c) && isSome(c.value.secretAccessKey) ? reveal(c.value.secretAccessKey.value).length : 0
      }
    }
  },
  // the floor: node:http with a keep-alive agent, JSON.parse of the body, no validation
  raw: async () => {
    const http = await import('node:http')
    const { hostname, port } = new URL(o.url)
    const agent = new http.Agent({ keepAlive: true, maxSockets: 256 })
    const headers = { 'x-amz-sso_bearer_token': o.token }
    const get = (path) =>
      new Promise((resolve, reject) => {
        const req = http.request({ hostname, port, path, method: 'GET', agent, headers }, (res) => {
          const chunks = []
          res.on('data', (d) => chunks.push(d))
          res.on('end', () =>
            res.statusCode === 200
              ? resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')))
              : reject(new Error(`HTTP ${res.statusCode}`))
          )
          res.on('error', reject)
        })
        req.on('error', reject)
        req.end()
      })
    return {
      list: async () => {
        let n = 0
        let token
        do {
          const page = await get(
            `/assignment/accounts?max_result=100${
              token === undefined ? '' : `&next_token=${encodeURIComponent(token)}`
            }`
          )
          for (const a of page.accountList ?? []) if (typeof a.accountId === 'string') n += a.accountId.length
          token = page.nextToken
        } while (typeof token === 'string')
        return n
      },
      grc: async () => {
        const r = await get('/federation/credentials?role_name=ReadOnly&account_id=111122223333')
        return r.roleCredentials?.secretAccessKey?.length ?? 0
      }
    }
  },
  sdk: async () => {
    const http = await import('node:http')
    const { SSOClient, GetRoleCredentialsCommand, paginateListAccounts } = await import('@aws-sdk/client-sso')
    const client = new SSOClient({
      region: 'us-east-1',
      endpoint: o.url,
      requestHandler: { httpAgent: new http.Agent({ keepAlive: true, maxSockets: 256 }) }
    })
    return {
      list: async () => {
        let n = 0
        for await (const page of paginateListAccounts({ client, pageSize: 100 }, { accessToken: o.token }))
          for (const a of page.accountList ?? []) if (a.accountId !== undefined) n += a.accountId.length
        return n
      },
      grc: async () => {
        const r = await client.send(
          new GetRoleCredentialsCommand({ roleName: 'ReadOnly', accountId: '111122223333', accessToken: o.token })
        )
        return r.roleCredentials?.secretAccessKey?.length ?? 0
      }
    }
  }
}

const c = await clients[impl]()
let sink = 0

/** Runs `total` GetRoleCredentials calls, `inflight` at a time. */
const burst = async (inflight, total) => {
  let started = 0
  const worker = async () => {
    while (started < total) {
      started++
      sink += await c.grc()
    }
  }
  await Promise.all(Array.from({ length: Math.min(inflight, total) }, worker))
}

/** One measured round: milliseconds a walk (`list`) or calls a second (`grc`). */
const round =
  scenario === 'list'
    ? async () => {
        const t0 = performance.now()
        for (let i = 0; i < o.walks; i++) {
          const n = await c.list()
          if (n !== o.expect) throw new Error(`walked ${n} id characters, expected ${o.expect}`)
        }
        return (performance.now() - t0) / o.walks
      }
    : async () => {
        const t0 = performance.now()
        await burst(o.inflight, o.calls)
        return o.calls / ((performance.now() - t0) / 1000)
      }
const work = scenario === 'list' ? o.walks : o.calls

// warm-up: JIT, sockets, lazily loaded modules
if (scenario === 'list') for (let i = 0; i < o.warmup; i++) sink += await c.list()
else await burst(o.inflight, o.warmupCalls)

// then one round each time the parent writes a line, until it closes stdin
const say = (x) => process.stdout.write(JSON.stringify(x) + '\n')
say({ ready: true })
const values = []
let cpu = 0
let pending = ''
let queue = Promise.resolve()
process.stdin.setEncoding('utf8')
process.stdin.on('data', (d) => {
  pending += d
  let i
  while ((i = pending.indexOf('\n')) >= 0) {
    pending = pending.slice(i + 1)
    queue = queue.then(async () => {
      const cpu0 = process.cpuUsage()
      const v = await round()
      const used = process.cpuUsage(cpu0)
      cpu += used.user + used.system
      values.push(v)
      say({ value: v })
    })
  }
})
process.stdin.on('end', () =>
  queue.then(() => {
    say({ impl, scenario, values, cpuUsPerUnit: cpu / Math.max(1, values.length * work), sink: sink > 0 })
    process.exit(0)
  })
)
