// @aws-sdk/client-sso, with a keep-alive agent as large as fp-aws's (256 sockets), so that
// neither side is held back by its pool at 64 calls in flight.
import * as http from 'node:http'
import { LogoutCommand, SSOClient } from '@aws-sdk/client-sso'

export const make = ({ url, token }) => {
  const client = new SSOClient({
    region: 'us-east-1',
    endpoint: url,
    requestHandler: { httpAgent: new http.Agent({ keepAlive: true, maxSockets: 256 }) }
  })
  return () =>
    client.send(new LogoutCommand({ accessToken: token })).then(
      () => true,
      () => false
    )
}
