// fp-aws as the README imports it, as CommonJS.
const { newEnv, send } = require('fp-aws')
const { Logout, newLogout } = require('fp-aws/sso')

exports.logout = (endpoint, accessToken) => send(Logout)(newLogout(accessToken))(newEnv({ endpoint }))()
