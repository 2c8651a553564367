// Finishes the module pages docs-ts writes (docs/modules/**/*.ts.md), in place:
//
// - Re-exports. docs-ts documents only what a module declares: a page omits every name that
//   comes in through `export * from`, and renders `export { x } from` / `export type { T } from`
//   as `const` whatever `x` is. Here each page lists every name its module exports (asked of
//   the TypeScript checker), and a re-exported name shows the entry of the module that
//   declares it (its heading, description, signature and version, so a type is a type),
//   without the examples, plus a link to that module's page.
// - `{@link X}`, `{@link X text}` and `{@link X | text}` become markdown links to the page
//   and anchor where `X` is documented (the same page first), or `X` as code when it is not
//   a documented export.
// - The table of contents of each page is rebuilt from its final headings.
//
// Anchors are GitHub's (lower case, punctuation but `-` and `_` dropped, spaces to `-`, a
// repeated heading gets `-1`, `-2`, …), as in the tables of contents docs-ts writes.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

const TOC_TITLE = '<h2 class="text-delta">Table of contents</h2>'

/** GitHub's heading anchor, without the de-duplicating suffix. */
export const slug = (heading) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-')

const walk = (dir, suffix) =>
  readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name)
    return statSync(p).isDirectory() ? walk(p, suffix) : p.endsWith(suffix) ? [p] : []
  })

/** The exported names of every module of src/, each with the file that declares it. */
export const exportsOf = (root) => {
  const ts = createRequire(path.join(root, 'package.json'))('typescript')
  const src = path.join(root, 'src')
  const files = walk(src, '.ts')
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    noEmit: true
  })
  const checker = program.getTypeChecker()
  const out = new Map()
  for (const file of files) {
    const sf = program.getSourceFile(file)
    const moduleSymbol = sf === undefined ? undefined : checker.getSymbolAtLocation(sf)
    if (moduleSymbol === undefined) continue
    const names = checker.getExportsOfModule(moduleSymbol).map((s) => {
      const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s
      const decl = (target.declarations ?? [])[0]
      const from = decl === undefined ? file : path.normalize(decl.getSourceFile().fileName)
      // a name with no value meaning (an interface, a type alias) is a type
      const isType = (target.flags & ts.SymbolFlags.Value) === 0
      return { name: s.name, originName: target.name, from: path.relative(src, from), isType }
    })
    out.set(path.relative(src, file), names)
  }
  return out
}

/** The lines of `text` with, for each, whether it is inside a fenced code block. */
const withFences = (lines) => {
  let inFence = false
  return lines.map((line) => {
    const fence = /^```/.test(line)
    const inside = inFence || fence
    if (fence) inFence = !inFence
    return { line, inside }
  })
}

/**
 * A docs-ts page: the part above the table of contents, and the entries below it, each
 * `{ category, heading, name, body }` (`body`: the lines after the `## ` heading).
 */
const parsePage = (text) => {
  const lines = text.split('\n')
  const tocAt = lines.indexOf(TOC_TITLE)
  if (tocAt < 0) return { head: text.trimEnd(), entries: [] }
  // After the title: the list, a `---` line, then the content.
  let contentAt = tocAt + 1
  while (contentAt < lines.length && lines[contentAt] !== '---') contentAt += 1
  const head = lines.slice(0, tocAt).join('\n').trimEnd()
  const entries = []
  let category = 'utils'
  let current
  for (const { line, inside } of withFences(lines.slice(contentAt + 1))) {
    if (!inside && /^# /.test(line)) {
      category = line.slice(2).trim()
      current = undefined
    } else if (!inside && /^## /.test(line)) {
      const heading = line.slice(3).trim()
      current = { category, heading, name: heading.replace(/ \((interface|type alias|class)\)$/, '').replace(/^~~|~~$/g, ''), body: [] }
      entries.push(current)
    } else if (current !== undefined) current.body.push(line)
  }
  return { head, entries }
}

/** `body` without its `**Example**` blocks (the title and the fence after it). */
const withoutExamples = (body) => {
  const out = []
  let state = 'text' // 'text' | 'title' (after **Example**) | 'code' (inside its fence)
  for (const line of body) {
    if (state === 'title') {
      if (/^```/.test(line)) state = 'code'
      else if (line.trim() !== '') {
        state = 'text'
        out.push(line)
      }
    } else if (state === 'code') {
      if (/^```\s*$/.test(line)) state = 'text'
    } else if (line === '**Example**') state = 'title'
    else out.push(line)
  }
  return out
}

const trimBlank = (lines) => {
  let a = 0
  let b = lines.length
  while (a < b && lines[a].trim() === '') a += 1
  while (b > a && lines[b - 1].trim() === '') b -= 1
  return lines.slice(a, b)
}

/** Renders a page from its head and entries, with a table of contents and anchors. */
const renderPage = (head, entries) => {
  const byCategory = new Map()
  for (const e of entries) byCategory.set(e.category, [...(byCategory.get(e.category) ?? []), e])
  const categories = [...byCategory.keys()].sort()
  const seen = new Map()
  const anchor = (heading) => {
    const base = slug(heading)
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    return n === 0 ? base : `${base}-${n}`
  }
  // Headings above the table of contents (the overview) take their anchors first.
  for (const { line, inside } of withFences(head.split('\n'))) {
    const m = /^(#{1,6}) (.*)$/.exec(line)
    if (!inside && m !== null) anchor(m[2])
  }
  anchor('Table of contents')
  const toc = []
  const content = []
  const anchors = []
  for (const category of categories) {
    toc.push(`- [${category}](#${anchor(category)})`)
    content.push(`# ${category}`, '')
    const sorted = [...byCategory.get(category)].sort((a, b) => (a.heading < b.heading ? -1 : a.heading > b.heading ? 1 : 0))
    for (const e of sorted) {
      const a = anchor(e.heading)
      anchors.push({ name: e.name, anchor: a, local: e.from === undefined })
      toc.push(`  - [${e.heading}](#${a})`)
      content.push(`## ${e.heading}`, '', ...trimBlank(e.body), '')
    }
  }
  const text =
    entries.length === 0
      ? `${head}\n`
      : [head, '', TOC_TITLE, '', ...toc, '', '---', '', ...content].join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n'
  return { text, anchors }
}

const pageOf = (docs, module) => path.join(docs, 'modules', `${module}.md`)

const relativeLink = (fromPage, toPage, anchor) => {
  const rel = path.relative(path.dirname(fromPage), toPage).split(path.sep).join('/')
  return `${rel === path.basename(toPage) ? `./${rel}` : rel}#${anchor}`
}

/** Rewrites every `{@link …}` of a page. */
const resolveLinks = (text, page, index, docs) => {
  const lookup = (target) => {
    const name = target.split(/[.#]/)[0]
    const places = index.get(name) ?? []
    if (places.length === 0) return undefined
    const here = places.find((p) => p.page === page)
    if (here !== undefined) return here
    const local = places.filter((p) => p.local)
    const near = local.find((p) => path.dirname(p.page) === path.dirname(page))
    return near ?? local[0] ?? places[0]
  }
  const origin = (module, name) => {
    const target = pageOf(docs, module)
    const place = (index.get(name) ?? []).find((p) => p.page === target)
    return `[\`${module}\`](${relativeLink(page, target, place?.anchor ?? '')})`.replace(/#\)$/, ')')
  }
  return withFences(text.split('\n'))
    .map(({ line, inside }) =>
      line.replace(/\{@origin (\S+) (\S+)\}/g, (_, module, name) => origin(module, name)).replace(/\{@link(?:code|plain)?\s+([^\s}|]+)(?:\s*\|\s*|\s+)?([^}]*)\}/g, (_, target, label) => {
        const text = label.trim() === '' ? target : label.trim()
        if (inside) return text
        const place = lookup(target)
        if (place === undefined) return label.trim() === '' ? `\`${target}\`` : text
        const shown = label.trim() === '' ? `\`${target}\`` : text
        return `[${shown}](${relativeLink(page, place.page, place.anchor)})`
      })
    )
    .join('\n')
}

/** Finishes every module page under `<root>/docs/modules`; returns the pages written. */
export const finishSite = (root) => {
  const docs = path.join(root, 'docs')
  const modules = exportsOf(root)
  const parsed = new Map()
  for (const module of modules.keys()) {
    const file = pageOf(docs, module)
    if (statSync(file, { throwIfNoEntry: false }) === undefined) continue
    parsed.set(module, parsePage(readFileSync(file, 'utf8')))
  }

  const rendered = new Map()
  for (const [module, page] of parsed) {
    const exported = modules.get(module) ?? []
    const reexported = exported.filter((x) => x.from !== module)
    const reexportedNames = new Set(reexported.map((x) => x.name))
    const entries = page.entries.filter((e) => !reexportedNames.has(e.name))
    for (const x of reexported) {
      const origin = parsed.get(x.from)
      const found = (origin?.entries ?? []).filter((e) => e.name === x.originName)
      // resolved once every page has its anchors
      const link = `{@origin ${x.from} ${x.originName}}`
      if (found.length === 0) {
        entries.push({ category: 'utils', heading: x.name, name: x.name, from: x.from, body: ['', `Re-exported from ${link}.`] })
        continue
      }
      for (const e of found) {
        const heading = x.name === x.originName ? e.heading : e.heading.replace(x.originName, x.name)
        entries.push({
          ...e,
          heading,
          name: x.name,
          from: x.from,
          body: ['', `Re-exported from ${link}.`, '', ...trimBlank(withoutExamples(e.body))]
        })
      }
    }
    rendered.set(module, renderPage(page.head, entries))
  }

  // Where each name is documented: the page and anchor of its entry.
  const index = new Map()
  for (const [module, { anchors }] of rendered) {
    for (const a of anchors) {
      index.set(a.name, [...(index.get(a.name) ?? []), { page: pageOf(docs, module), anchor: a.anchor, local: a.local }])
    }
  }
  // Prefer an entry's first heading (a value and a type of one name: the first in order).
  for (const [name, places] of index) {
    const firsts = new Map()
    for (const p of places) if (!firsts.has(p.page)) firsts.set(p.page, p)
    index.set(name, [...firsts.values()])
  }

  const written = []
  for (const [module, { text }] of rendered) {
    const file = pageOf(docs, module)
    writeFileSync(file, resolveLinks(text, file, index, docs))
    written.push(file)
  }
  return written
}
