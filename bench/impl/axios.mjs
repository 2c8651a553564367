// Plain axios: an instance with a keep-alive agent, no redirects, every status as data.
import * as http from 'node:http'
import axios from 'axios'

export const make = ({ url, token }) => {
  const instance = axios.create({
    httpAgent: new http.Agent({ keepAlive: true, maxSockets: 256 }),
    maxRedirects: 0,
    validateStatus: () => true
  })
  const headers = { 'x-amz-sso_bearer_token': token }
  return () =>
    instance.post(`${url}/logout`, undefined, { headers }).then(
      (r) => r.status === 200,
      () => false
    )
}
