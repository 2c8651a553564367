// The SDK's Logout-only entry as CommonJS.
const { LogoutCommand, SSOClient } = require('@aws-sdk/client-sso')

exports.logout = (endpoint, accessToken) =>
  new SSOClient({ region: 'us-east-1', endpoint }).send(new LogoutCommand({ accessToken }))
