// A Logout-only entry: what an application that only logs sessions out imports. Bundled
// for the browser and for Node by bench/bundle.mjs, and run as is (ESM) for start-up time.
import { send } from 'fp-aws/core/AWSRequest'
import { newEnv } from 'fp-aws/core/EnvCore'
import { Logout, newLogout } from 'fp-aws/sso/Logout'

export const logout = (endpoint, accessToken) => send(Logout)(newLogout(accessToken))(newEnv({ endpoint }))()
