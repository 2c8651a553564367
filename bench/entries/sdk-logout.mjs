// The same Logout-only entry written with @aws-sdk/client-sso.
import { LogoutCommand, SSOClient } from '@aws-sdk/client-sso'

export const logout = (endpoint, accessToken) =>
  new SSOClient({ region: 'us-east-1', endpoint }).send(new LogoutCommand({ accessToken }))
