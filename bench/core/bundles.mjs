// Phase `bundles`: esbuild bundles of a Logout-only entry (bench/entries/fp-aws-logout.mjs
// against bench/entries/sdk-logout.mjs), minified ESM, for the browser and for Node; gzip
// level 9. A bundle's size cannot vary from run to run, so each figure is measured once and
// says so (`deterministic`). The fp-aws browser bundle is also checked to hold no Node
// built-in import and none of the Node-only modules.
//
//   node bench/core/bundles.mjs [--smoke] [--runs N]   (both accepted and ignored)
import { build as esbuild } from 'esbuild'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { emit, figure, fmt, phaseArgs, table } from '../lib/paired.mjs'
import { benchDir, runPhase } from '../lib/proc.mjs'

phaseArgs()

/** esbuild's options for an entry: `fp-ts/lib` and `monocle-ts/lib` mapped to their ES builds. */
const esbuildOptions = (entry, platform) => ({
  entryPoints: [entry],
  bundle: true,
  write: false,
  metafile: true,
  minify: true,
  format: 'esm',
  platform,
  target: 'es2022',
  logLevel: 'silent',
  // the ES module builds, which a bundler can tree-shake (io-ts's `module` field already
  // points at its ES build)
  alias: { 'fp-ts/lib': 'fp-ts/es6', 'monocle-ts/lib': 'monocle-ts/es6' }
})

/** Modules that must never be in a Logout-only bundle. */
const FORBIDDEN = [
  /\/core\/Config\.js$/,
  /\/core\/Env\.js$/,
  /\/emulator\//,
  /\/auth\//,
  /\/cli\//,
  /axios\/lib\/adapters\/http\.js$/
]

const measure = async (entry, platform, own) => {
  const r = await esbuild(esbuildOptions(path.join(benchDir, 'entries', entry), platform))
  const code = r.outputFiles[0].contents
  const inputs = Object.keys(r.metafile.inputs)
  const text = Buffer.from(code).toString('utf8')
  const nodeImports = [
    ...text.matchAll(
      /(?:from\s*|require\(\s*|import\(\s*)["'](?:node:)?(http|https|http2|net|fs|os|path|zlib|stream)(?:\/[a-z]+)?["']/g
    )
  ].map((m) => m[1])
  return {
    bytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    inputs: inputs.length,
    forbidden: own ? inputs.filter((i) => FORBIDDEN.some((re) => re.test(i))) : [],
    nodeImports: [...new Set(nodeImports)]
  }
}

const main = async () => {
  const sizes = {}
  for (const platform of ['browser', 'node']) {
    sizes[`fp-aws-${platform}`] = await measure('fp-aws-logout.mjs', platform, true)
    sizes[`sdk-${platform}`] = await measure('sdk-logout.mjs', platform, false)
  }
  const browser = sizes['fp-aws-browser']
  const figures = [
    figure({
      id: 'bundle-browser-gzip',
      title: 'Logout-only browser bundle, min + gzip, fp-aws ÷ SDK',
      samples: [browser.gzipBytes / sizes['sdk-browser'].gzipBytes],
      target: { op: '<=', value: 0.5 },
      deterministic: true
    }),
    figure({
      id: 'bundle-node-min',
      title: 'Logout-only Node bundle, min, fp-aws ÷ SDK',
      samples: [sizes['fp-aws-node'].bytes / sizes['sdk-node'].bytes],
      target: { op: '<=', value: 1 },
      deterministic: true
    }),
    figure({
      id: 'bundle-browser-node-free',
      title: 'Node built-in imports and Node-only modules in the fp-aws browser bundle',
      samples: [browser.forbidden.length + browser.nodeImports.length],
      target: { op: '<=', value: 0 },
      unit: 'modules',
      deterministic: true
    })
  ]
  const kib = (n) => fmt(n / 1024, 'KiB').replace(' KiB', '')
  const rows = ['browser', 'node'].flatMap((p) =>
    ['fp-aws', 'sdk'].map((id) => {
      const s = sizes[`${id}-${p}`]
      const sdk = sizes[`sdk-${p}`]
      return [
        `${id === 'fp-aws' ? 'fp-aws' : '@aws-sdk/client-sso'}, ${p}`,
        kib(s.bytes),
        kib(s.gzipBytes),
        fmt(s.gzipBytes / sdk.gzipBytes),
        fmt(s.bytes / sdk.bytes),
        String(s.inputs)
      ]
    })
  )
  const markdown = `## Bundle size of a Logout-only entry

esbuild, \`--bundle --minify --format=esm\`, \`fp-ts/lib\` → \`fp-ts/es6\` and
\`monocle-ts/lib\` → \`monocle-ts/es6\` aliased (\`bench/core/bundles.mjs\`); gzip level 9.
Deterministic: measured once.

${table(['bundle', 'min KiB', 'min + gzip KiB', '÷ SDK (gzip)', '÷ SDK (min)', 'modules'], rows)}

The fp-aws browser bundle: Node built-in imports ${JSON.stringify(
    browser.nodeImports
  )}, Node-only modules ${JSON.stringify(browser.forbidden)}.
`
  emit('bundles', 'Bundle size', figures, markdown)
}

runPhase(main)
