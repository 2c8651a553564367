// Preloaded into the ts-node that runs the @example blocks (scripts/docs.mjs). docs-ts
// rewrites `fp-aws/<subpath>` to `../../src/<subpath>`, but a service's subpath
// (`fp-aws/sso`, `fp-aws/sso-oidc/CreateToken`) is built from `src/services/<service>/`: a
// path under `src/<service>` that does not exist is looked up under `src/services/<service>`.
// (tsconfig.docs.json's `rootDirs` does the same for the type check.)
const Module = require('node:module')
const fs = require('node:fs')
const path = require('node:path')

const src = path.resolve(__dirname, '..', 'src')

/** `../../src/sso/Logout` from docs/examples -> the absolute path under `src/services/sso`. */
const rewrite = (request, parent) => {
  if (typeof request !== 'string' || !request.startsWith('.') || !parent || typeof parent.filename !== 'string') return request
  const rel = path.relative(src, path.resolve(path.dirname(parent.filename), request))
  const first = rel.split(path.sep)[0]
  if (rel.startsWith('..') || first === '' || fs.existsSync(path.join(src, first))) return request
  return fs.existsSync(path.join(src, 'services', first)) ? path.join(src, 'services', rel) : request
}

// ts-node's resolver replaces `Module._resolveFilename` without calling the one before it:
// whichever function is installed, the request is rewritten first.
const base = Module._resolveFilename
let current = base
let inside = false
const wrapped = function (request, parent, ...rest) {
  // ts-node's function may call back the one it replaced: that is Node's own
  if (inside) return base.call(this, request, parent, ...rest)
  inside = true
  try {
    return current.call(this, rewrite(request, parent), parent, ...rest)
  } finally {
    inside = false
  }
}
Object.defineProperty(Module, '_resolveFilename', {
  configurable: true,
  get: () => wrapped,
  set: (fn) => {
    current = fn
  }
})
