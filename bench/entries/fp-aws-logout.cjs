// The Logout-only entry as CommonJS (start-up time of the `require` build).
const { send } = require('fp-aws/core/AWSRequest')
const { newEnv } = require('fp-aws/core/EnvCore')
const { Logout, newLogout } = require('fp-aws/sso/Logout')

exports.logout = (endpoint, accessToken) => send(Logout)(newLogout(accessToken))(newEnv({ endpoint }))()
