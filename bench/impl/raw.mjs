// The floor: node:http with a keep-alive agent, the response read to its end.
import * as http from 'node:http'

export const make = ({ url, token }) => {
  const { hostname, port } = new URL(url)
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 })
  const headers = { 'x-amz-sso_bearer_token': token, 'content-length': '0' }
  return () =>
    new Promise((resolve) => {
      const req = http.request({ hostname, port, path: '/logout', method: 'POST', agent, headers }, (res) => {
        res.on('data', () => undefined)
        res.on('end', () => resolve(res.statusCode === 200))
        res.on('error', () => resolve(false))
      })
      req.on('error', () => resolve(false))
      req.end()
    })
}
