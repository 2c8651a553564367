// Checks what docs-ts does not: every export of src/ carries a JSDoc block with both
// `@category` and `@since`, every `@example` imports fp-aws only through a subpath
// that package.json `exports` publishes and fp-ts / io-ts / monocle-ts through a path native
// ESM resolves (docs-ts rewrites any `fp-aws/<x>` import to
// `src/<x>`, so an example could otherwise pass against a path users cannot import).
// Exits non-zero with one line per problem.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const ts = createRequire(path.join(root, 'package.json'))('typescript')
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))

const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name)
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : []
  })

const problems = []
const lineOf = (sf, pos) => sf.getLineAndCharacterOfPosition(pos).line + 1

/** The last `/** … *\/` block in the leading comments at `pos`, if any. */
const jsDocAt = (text, pos) => {
  const ranges = ts.getLeadingCommentRanges(text, pos) ?? []
  const docs = ranges.map((r) => text.slice(r.pos, r.end)).filter((c) => c.startsWith('/**'))
  return docs[docs.length - 1]
}

const checkTags = (sf, node, name, doc) => {
  const where = `${path.relative(root, sf.fileName)}:${lineOf(sf, node.getStart(sf))}`
  if (doc === undefined) return problems.push(`${where} ${name}: no JSDoc block`)
  if (!/@since\s+\S/.test(doc)) problems.push(`${where} ${name}: no @since`)
  if (!/@category\s+\S/.test(doc)) problems.push(`${where} ${name}: no @category`)
}

const isExported = (node) => (ts.getModifiers?.(node) ?? node.modifiers ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)

// Public subpaths: "." → "fp-aws", "./sso" → "fp-aws/sso", "./core/*" → "fp-aws/core/<module in src/core>".
const isPublic = (specifier) => {
  const sub = specifier === 'fp-aws' ? '.' : `.${specifier.slice('fp-aws'.length)}`
  return Object.keys(pkg.exports ?? {}).some((key) => {
    if (!key.includes('*')) return key === sub
    const [pre, post] = key.split('*')
    if (!sub.startsWith(pre) || !sub.endsWith(post)) return false
    const star = sub.slice(pre.length, sub.length - post.length)
    return !star.includes('/') && statSync(path.join(root, 'src', pre.slice(2), `${star}.ts`), { throwIfNoEntry: false }) !== undefined
  })
}

for (const file of walk(path.join(root, 'src'))) {
  const text = readFileSync(file, 'utf8')
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  for (const st of sf.statements) {
    if (ts.isExportDeclaration(st)) {
      if (st.exportClause && ts.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) checkTags(sf, el, el.name.text, jsDocAt(text, el.pos))
      }
      continue
    }
    if (!isExported(st)) continue
    const names = ts.isVariableStatement(st)
      ? st.declarationList.declarations.map((d) => d.name.getText(sf))
      : [st.name?.getText(sf) ?? '<default>']
    checkTags(sf, st, names.join(', '), jsDocAt(text, st.pos))
  }
  // `@example` imports: only lines inside JSDoc blocks (` * import … from 'fp-aws…'`).
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/^\s*\*.*\bfrom\s+(['"])(fp-aws(?:\/[^'"]*)?)\1/g)) {
      if (!isPublic(m[2])) {
        problems.push(`${path.relative(root, file)}:${i + 1} example imports '${m[2]}', which package.json "exports" does not publish`)
      }
    }
    // fp-ts, io-ts and monocle-ts publish no `exports` map: under native ESM only a full file
    // path resolves (`fp-ts/lib/function.js`), not `fp-ts/function` or `fp-ts/lib/function`.
    for (const m of line.matchAll(/^\s*\*.*\bfrom\s+(['"])((?:fp-ts|io-ts|monocle-ts)\/[^'"]*)\1/g)) {
      if (!/^(?:fp-ts|io-ts|monocle-ts)\/lib\/[A-Za-z]+\.js$/.test(m[2])) {
        problems.push(`${path.relative(root, file)}:${i + 1} example imports '${m[2]}', which native ESM cannot resolve: use '<package>/lib/<Module>.js'`)
      }
    }
  })
}

if (problems.length > 0) {
  console.error(`check-docs: ${problems.length} problem(s)\n${problems.join('\n')}`)
  process.exit(1)
}
console.log('check-docs: every export has @category and @since; every example imports public, ESM-resolvable paths')
