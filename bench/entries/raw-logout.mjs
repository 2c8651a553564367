// The floor of start-up: one Logout with raw node:http and nothing else loaded.
import * as http from 'node:http'

export const logout = (endpoint, accessToken) =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(endpoint)
    const headers = { 'x-amz-sso_bearer_token': accessToken, 'content-length': '0' }
    const req = http.request({ hostname, port, path: '/logout', method: 'POST', headers }, (res) => {
      res.resume()
      res.on('end', () => (res.statusCode === 200 ? resolve(undefined) : reject(new Error(`HTTP ${res.statusCode}`))))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
