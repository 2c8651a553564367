// fp-aws from its built ESM dist (the package's own exports map), as the README shows it.
import { newEnv, send } from 'fp-aws'
import { Logout, newLogout } from 'fp-aws/sso'

export const make = ({ url, token }) => {
  const env = newEnv({ endpoint: url })
  const logout = send(Logout)
  return () => logout(newLogout(token))(env)().then((r) => r._tag === 'Right')
}
