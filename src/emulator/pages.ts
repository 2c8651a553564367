/**
 * The HTML pages of the emulator's SSO OIDC side: the approval page shown at the
 * verification URI (device flow) and by `GET /authorize` (authorization code flow), the
 * page asking for a user code, and the short pages that end a decision.
 *
 * Plain HTML, no script: the Allow and Deny buttons are two forms posting back to the
 * emulator (`POST /approval`), each carrying the unguessable id of the pending request (not
 * a secret of the login: no device code, client secret or token is ever put in a page).
 * Everything echoed is HTML-escaped.
 *
 * @since 0.2.0
 */
import type { RawResponse } from './faults.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * What an approval page shows about the pending request.
 *
 * @category model
 * @since 0.2.0
 */
export interface ApprovalView {
  /** The unguessable id of the pending request, posted back by both forms. */
  readonly id: string
  /** The user code shown (device flow), or `undefined` for an authorization request. */
  readonly userCode: string | undefined
  /** The name the client registered with. */
  readonly clientName: string
  /** The scopes asked for. */
  readonly scopes: ReadonlyArray<string>
  /** Seconds between reloads while the request is pending (authorization requests only), else `undefined`. */
  readonly refreshSeconds: number | undefined
}

// -------------------------------------------------------------------------------------
// escaping
// -------------------------------------------------------------------------------------

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;'
}

/**
 * Escapes a string for HTML text and (double- or single-quoted) attribute values.
 *
 * @example
 * import { escapeHtml } from 'fp-aws/emulator/pages'
 *
 * assert.strictEqual(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;')
 *
 * @category escaping
 * @since 0.2.0
 */
export const escapeHtml = (s: string): string =>
  typeof s === 'string' ? s.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c) : ''

// -------------------------------------------------------------------------------------
// pages
// -------------------------------------------------------------------------------------

/** Headers of every page: HTML, never cached, never framed, no script. */
const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  // not 'no-referrer': with it a browser sends `Origin: null` with the Allow and Deny forms,
  // which the approval endpoint refuses as cross-origin; 'same-origin' still sends nothing
  // to the loopback listener the approval redirects to
  'referrer-policy': 'same-origin'
}

const layout = (title: string, body: string, head = ''): string =>
  '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">' +
  `<title>${escapeHtml(title)}</title>${head}` +
  '<style>body{font-family:sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}' +
  '.code{font:bold 2rem monospace;letter-spacing:.2rem}form{display:inline-block;margin-right:1rem}' +
  'button{font-size:1rem;padding:.5rem 1.5rem}</style></head>' +
  `<body><h1>${escapeHtml(title)}</h1>${body}</body></html>\n`

/**
 * An HTML page answer.
 *
 * @example
 * import { page } from 'fp-aws/emulator/pages'
 *
 * const r = page(404, 'Not found', '<p>No such request.</p>')
 * assert.strictEqual(r.status, 404)
 * assert.ok(r.body.includes('<h1>Not found</h1>'))
 *
 * @category pages
 * @since 0.2.0
 */
export const page = (status: number, title: string, bodyHtml: string, head = ''): RawResponse => ({
  status: typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599 ? status : 500,
  headers: PAGE_HEADERS,
  body: layout(textOr(title), textOr(bodyHtml), textOr(head))
})

const textOr = (u: unknown): string => (typeof u === 'string' ? u : '')

/**
 * The approval page: the user code (device flow), the client and scopes, and Allow and Deny
 * forms posting `id` and `decision` to `/approval`.
 *
 * @example
 * import { approvalPage } from 'fp-aws/emulator/pages'
 *
 * const r = approvalPage({ id: 'abc', userCode: 'BCDF-GHJK', clientName: '<me>', scopes: [], refreshSeconds: undefined })
 * assert.ok(r.body.includes('BCDF-GHJK'))
 * assert.ok(r.body.includes('&lt;me&gt;'))
 * assert.ok(r.body.includes('name="decision" value="allow"'))
 *
 * @category pages
 * @since 0.2.0
 */
export const approvalPage = (view: ApprovalView): RawResponse => {
  try {
    return approvalPageOf(view)
  } catch {
    return page(500, 'Internal error', '<p>This request cannot be shown.</p>')
  }
}

const approvalPageOf = (view: ApprovalView): RawResponse => {
  const id = escapeHtml(view.id)
  const form = (decision: 'allow' | 'deny', label: string): string =>
    `<form method="post" action="/approval"><input type="hidden" name="id" value="${id}">` +
    `<input type="hidden" name="decision" value="${decision}"><button type="submit" id="${decision}">${label}</button></form>`
  const code =
    typeof view.userCode !== 'string'
      ? ''
      : `<p>Check that this code matches the one shown by the application:</p><p class="code" id="user-code">${escapeHtml(view.userCode)}</p>`
  const scopes =
    !Array.isArray(view.scopes) || view.scopes.length === 0
      ? ''
      : `<p>Scopes: ${view.scopes.map((s) => `<code>${escapeHtml(s)}</code>`).join(', ')}</p>`
  const head =
    typeof view.refreshSeconds !== 'number' || !Number.isFinite(view.refreshSeconds)
      ? ''
      : `<meta http-equiv="refresh" content="${Math.max(1, Math.floor(view.refreshSeconds))};url=/approval?id=${id}">`
  return page(
    200,
    'Authorize request',
    `${code}<p>Allow <strong id="client-name">${escapeHtml(view.clientName)}</strong> to access your AWS accounts?</p>${scopes}` +
      form('allow', 'Allow') +
      form('deny', 'Deny'),
    head
  )
}

/**
 * The page asking for a user code (the verification URI without `user_code`, or with one
 * that is not pending): a form that GETs `/device?user_code=…`.
 *
 * @example
 * import { userCodePage } from 'fp-aws/emulator/pages'
 *
 * assert.ok(userCodePage('That code is not pending.').body.includes('name="user_code"'))
 *
 * @category pages
 * @since 0.2.0
 */
export const userCodePage = (notice: string | undefined, status = 200): RawResponse =>
  page(
    status,
    'Enter your code',
    (typeof notice !== 'string' ? '' : `<p id="notice">${escapeHtml(notice)}</p>`) +
      '<form method="get" action="/device"><input name="user_code" autocomplete="off" autofocus>' +
      '<button type="submit">Next</button></form>'
  )

/**
 * The page ending a device flow decision.
 *
 * @example
 * import { donePage } from 'fp-aws/emulator/pages'
 *
 * assert.ok(donePage(true).body.includes('Request approved'))
 *
 * @category pages
 * @since 0.2.0
 */
export const donePage = (approved: boolean): RawResponse =>
  approved === true
    ? page(200, 'Request approved', '<p>You may close this window and return to the application.</p>')
    : page(200, 'Request denied', '<p>The application was not given access. You may close this window.</p>')
