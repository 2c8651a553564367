// fp-aws as the README imports it: the root module and the whole `fp-aws/sso`.
import { newEnv, send } from 'fp-aws'
import { Logout, newLogout } from 'fp-aws/sso'

export const logout = (endpoint, accessToken) => send(Logout)(newLogout(accessToken))(newEnv({ endpoint }))()
