import express from 'express';
import request from 'supertest';
import { page } from './html.js';
import { errorPage, PAGE_CSP, type PageKind, sendErrorPage, sendPage } from './html-response.js';

/** A bare Express app that answers through the helpers, so the headers are the ones a browser receives. */
function appSending(send: (response: express.Response) => void) {
  const app = express();
  app.get('/', (_request, response) => send(response));
  return request(app).get('/');
}

const HOSTILE = `<script>alert("x")</script> & 'quotes'`;

describe('HTML pages and error pages', () => {
  it.each<[PageKind, string]>([
    ['signer', 'no-referrer'],
    ['verify', 'no-referrer'],
    ['console', 'same-origin'],
  ])('a %s page carries its CSP, no-store, nosniff, no framing and its referrer policy', async (kind, referrer) => {
    const res = await appSending((response) => sendPage(response, kind, 200, page({ lang: 'en', title: 'T', body: '<p>hi</p>' }))).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toBe(PAGE_CSP[kind]);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe(referrer);
    expect(res.text).toContain('<p>hi</p>');
  });

  it('keeps each kind of page as strict as it needs: no inline script, no framing; only signer pages may post to the provider', () => {
    for (const csp of Object.values(PAGE_CSP)) {
      expect(csp).toMatch(/^default-src 'none';/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    }
    // The Sign form's POST is answered with a redirect to the provider: form-action would block it.
    expect(PAGE_CSP.signer).not.toContain('form-action');
    expect(PAGE_CSP.verify).toContain("form-action 'none'");
    expect(PAGE_CSP.console).toContain("form-action 'self'");
  });

  it('sends an error page with the status, the code and the message escaped, in the page layout', async () => {
    const res = await appSending((response) =>
      sendErrorPage(response, 'signer', { status: 409, code: 'NOT_SIGNED_YET', message: HOSTILE }, { lang: 'kk', title: 'Kezek', heading: 'Oops' }),
    ).expect(409);
    expect(res.headers['content-security-policy']).toBe(PAGE_CSP.signer);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.text).toMatch(/^<!doctype html>/);
    expect(res.text).toContain('<html lang="kk">');
    expect(res.text).toContain('<h1>Oops</h1>');
    expect(res.text).toContain('<div class="card bad" role="alert" data-http-status="409" data-error-code="NOT_SIGNED_YET" data-error="NOT_SIGNED_YET">');
    expect(res.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;');
    expect(res.text).not.toContain('<script>alert');
  });

  it('escapes the marker and the code too, and wraps the body in the layout it is given', () => {
    const html = errorPage(
      { status: 400, code: 'A"B', message: 'm' },
      { lang: 'en', title: 't', marker: '"><img src=x>', after: '<p>back</p>', layout: ({ title, body }) => `<main data-title="${title}">${body}</main>` },
    );
    expect(html).toBe(
      '<main data-title="t"><div class="card bad" role="alert" data-http-status="400" data-error-code="A&quot;B" data-error="&quot;&gt;&lt;img src=x&gt;">m</div><p>back</p></main>',
    );
  });
});
