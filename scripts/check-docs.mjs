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

const walkMd = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name)
    return name === 'examples' ? [] : statSync(p).isDirectory() ? walkMd(p) : p.endsWith('.md') ? [p] : []
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
    // the source of `./sso/*` is where its build lands: `./dist/esm/services/sso/*.js` -> `src/services/sso/*.ts`
    const target = pkg.exports[key]?.import?.default ?? ''
    const dir = path.dirname(target.replace(/^\.\/dist\/esm\//, ''))
    return !star.includes('/') && statSync(path.join(root, 'src', dir, `${star}.ts`), { throwIfNoEntry: false }) !== undefined
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

if (process.argv.includes('--site')) {
  // The generated site (after scripts/docs-site.mjs): no JSDoc tag left raw, every page lists
  // every name its module exports (the `fp-aws` page above all), the landing page links the
  // guides and the API reference.
  const docs = path.join(root, 'docs')
  const pages = walkMd(docs)
  for (const page of pages) {
    readFileSync(page, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (/\{@(link|linkcode|linkplain|origin)\b/.test(line)) problems.push(`${path.relative(root, page)}:${i + 1} raw JSDoc tag: ${line.trim()}`)
      })
  }
  const { exportsOf, slug } = await import('./docs-site.mjs')
  for (const [module, names] of exportsOf(root)) {
    const page = path.join(docs, 'modules', `${module}.md`)
    if (statSync(page, { throwIfNoEntry: false }) === undefined) {
      problems.push(`${path.relative(root, page)} is missing (src/${module} has no page)`)
      continue
    }
    const text = readFileSync(page, 'utf8')
    const headings = new Set(
      text
        .split('\n')
        .filter((l) => l.startsWith('## '))
        .map((l) => l.slice(3).replace(/ \((interface|type alias|class)\)$/, '').trim())
    )
    const typeHeadings = new Set(
      text
        .split('\n')
        .filter((l) => / \((interface|type alias)\)$/.test(l) && l.startsWith('## '))
        .map((l) => l.slice(3).replace(/ \((interface|type alias)\)$/, '').trim())
    )
    for (const { name, isType } of names) {
      if (!headings.has(name)) problems.push(`${path.relative(root, page)} does not document '${name}', which src/${module} exports`)
      else if (isType && !typeHeadings.has(name)) problems.push(`${path.relative(root, page)} documents the type '${name}' as a value`)
    }
  }
  // Every relative link of the site (and of the README) leads to a page that exists, and to
  // a heading on it.
  const anchorsOf = new Map()
  const anchors = (page) => {
    if (!anchorsOf.has(page)) {
      const seen = new Map()
      const out = new Set()
      let inFence = false
      for (const line of readFileSync(page, 'utf8').split('\n')) {
        if (/^```/.test(line)) inFence = !inFence
        const m = inFence ? null : /^#{1,6} (.*)$/.exec(line)
        if (m === null) continue
        const base = slug(m[1])
        const n = seen.get(base) ?? 0
        seen.set(base, n + 1)
        out.add(n === 0 ? base : `${base}-${n}`)
      }
      anchorsOf.set(page, out)
    }
    return anchorsOf.get(page)
  }
  for (const page of [...pages, path.join(root, 'README.md')]) {
    let inFence = false
    readFileSync(page, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (/^```/.test(line)) inFence = !inFence
        if (inFence) return
        for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) {
          const href = m[1]
          if (/^[a-z]+:/i.test(href)) continue
          const [file, anchor] = href.split('#')
          const target = file === '' ? page : path.resolve(path.dirname(page), file)
          const where = `${path.relative(root, page)}:${i + 1}`
          if (statSync(target, { throwIfNoEntry: false }) === undefined) problems.push(`${where} links to a missing page: ${href}`)
          else if (anchor !== undefined && target.endsWith('.md') && !anchors(target).has(anchor)) {
            problems.push(`${where} links to a missing heading: ${href}`)
          }
        }
      })
  }

  const home = readFileSync(path.join(docs, 'index.md'), 'utf8')
  const guides = (statSync(path.join(docs, 'guides'), { throwIfNoEntry: false }) === undefined ? [] : readdirSync(path.join(docs, 'guides')))
    .filter((f) => f.endsWith('.md') && f !== 'index.md')
  for (const link of ['modules/index.ts.md', 'modules/services/sso/index.ts.md', ...guides.map((g) => `guides/${g}`)]) {
    if (!home.includes(`](${link}`)) problems.push(`docs/index.md does not link ${link}`)
  }
}

if (problems.length > 0) {
  console.error(`check-docs: ${problems.length} problem(s)\n${problems.join('\n')}`)
  process.exit(1)
}
console.log(
  process.argv.includes('--site')
    ? 'check-docs: no raw {@link} left in docs/, every module page lists every export, every link leads somewhere, the home page links the guides'
    : 'check-docs: every export has @category and @since; every example imports public, ESM-resolvable paths'
)
