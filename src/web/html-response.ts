import type { Response } from 'express';
import { escapeHtml, page } from './html.js';

/**
 * The Content-Security-Policy of each kind of server-rendered page: no inline script anywhere, no framing,
 * no `<base>`. Each kind allows only what its pages use.
 */
export const PAGE_CSP = {
  /**
   * The signer pages: scripts, workers and fetches from this origin only (pdf.js and its worker are served
   * here), WebAssembly for pdf.js's image decoders. No `form-action`: the Sign button's POST is answered with a
   * redirect to the provider's sign page, which that directive would block.
   */
  signer:
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; base-uri 'none'; frame-ancestors 'none'",
  /** The public verification pages: the page script is a file of this origin, and they post no forms. */
  verify: "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'",
  /** The console: scripts from this origin only, forms post to this origin only. */
  console: "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
} as const;

export type PageKind = keyof typeof PAGE_CSP;

/**
 * Public pages carry a capability in their URL (a signer's link token, a check_id): no Referer takes it to
 * another site. The console's own links keep the Referer (same origin only).
 */
const REFERRER_POLICY: Record<PageKind, string> = { signer: 'no-referrer', verify: 'no-referrer', console: 'same-origin' };

/** Headers every page of `kind` carries, errors and redirects included: its CSP, no caching, no sniffing, no framing. */
export function setPageHeaders(response: Response, kind: PageKind): void {
  response.setHeader('Content-Security-Policy', PAGE_CSP[kind]);
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader('X-Content-Type-Options', 'nosniff');
  // For browsers that predate CSP frame-ancestors.
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Referrer-Policy', REFERRER_POLICY[kind]);
}

/** Sends a complete HTML page of `kind` with its headers. */
export function sendPage(response: Response, kind: PageKind, status: number, html: string): void {
  setPageHeaders(response, kind);
  response.status(status).type('html').send(html);
}

/** What an error page tells: the HTTP status, the error code and a message for people. */
export interface PageError {
  status: number;
  code: string;
  message: string;
}

export interface ErrorPageOptions {
  lang: string;
  title: string;
  /** A heading above the message; none by default. */
  heading?: string;
  /** Escaped HTML after the message, e.g. a link back. */
  after?: string;
  /** The `data-error` marker of the message (scripts and tests look for it); the code by default. */
  marker?: string;
  /** The page around the body: the plain page by default (the console adds its navigation). */
  layout?: (content: { lang: string; title: string; body: string }) => string;
}

/** An error page: the message (escaped) in an alert card that names the status and code, in the page layout. */
export function errorPage(error: PageError, options: ErrorPageOptions): string {
  const heading = options.heading ? `<h1>${escapeHtml(options.heading)}</h1>` : '';
  const card = `<div class="card bad" role="alert" data-http-status="${error.status}" data-error-code="${escapeHtml(error.code)}" data-error="${escapeHtml(options.marker ?? error.code)}">${escapeHtml(error.message)}</div>`;
  const layout = options.layout ?? page;
  return layout({ lang: options.lang, title: options.title, body: `${heading}${card}${options.after ?? ''}` });
}

/** Sends an error page of `kind` with its headers and the error's status. */
export function sendErrorPage(response: Response, kind: PageKind, error: PageError, options: ErrorPageOptions): void {
  sendPage(response, kind, error.status, errorPage(error, options));
}
