import { escapeHtml } from '../../web/html.js';
import { REDIRECT_REASONS } from '../domain/session-rules.js';
import { TEXTS, type Language } from './sign-page.i18n.js';

/* Server-rendered pages of the sandbox sign page: plain HTML, no script, every value escaped. */

export interface PageContext {
  language: Language;
  /** theme=1 renders dark, anything else light. */
  dark: boolean;
}

function layout(context: PageContext, body: string): string {
  const t = TEXTS[context.language];
  const colors = context.dark
    ? '--bg:#15171c;--fg:#e8e8ea;--muted:#9a9ca5;--card:#1f2229;--line:#30343d;--accent:#4f8cff;--danger:#ff6b6b'
    : '--bg:#f4f5f7;--fg:#1b1d22;--muted:#5d6170;--card:#fff;--line:#dfe1e6;--accent:#1d5fd6;--danger:#c62828';
  return `<!doctype html>
<html lang="${t.htmlLang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t.title)} · Kezek Sandbox</title>
<style>
:root{${colors}}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
main{max-width:720px;margin:0 auto;padding:24px 16px}
.banner{background:#fff3cd;color:#5c4400;border:1px solid #e8d28a;border-radius:8px;padding:10px 14px;font-size:14px}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:20px;margin-top:16px}
h1{font-size:24px;margin:16px 0 0}
h2{font-size:17px;margin:0 0 10px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dt{color:var(--muted)}
ul{padding-left:20px;margin:6px 0}
.muted{color:var(--muted);font-size:14px}
button,.button{display:inline-block;border:0;border-radius:8px;padding:12px 20px;font-size:16px;cursor:pointer;background:var(--accent);color:#fff;text-decoration:none}
button.secondary{background:transparent;color:var(--danger);border:1px solid var(--danger)}
select,input[type=text]{width:100%;padding:10px;border-radius:8px;border:1px solid var(--line);background:var(--bg);color:var(--fg);font-size:15px;margin:8px 0 12px}
details{margin-top:12px}
a{color:var(--accent)}
.langs{float:right;font-size:14px}
.langs a{margin-left:8px}
</style>
</head>
<body><main>
<div class="banner" role="note">${escapeHtml(t.banner)}</div>
${body}
</main></body></html>`;
}

export interface SignPageModel {
  sessionId: string;
  redirectUrl: string | null;
  theme: string | null;
  signerName: string;
  maskedIin: string;
  maskedPhone: string;
  documents: { id: string; name: string; size: number }[];
  languageLinks: { language: Language; href: string }[];
}

export function renderSignPage(context: PageContext, model: SignPageModel): string {
  const t = TEXTS[context.language];
  const hidden = [
    ['session', model.sessionId],
    ['redirect_url', model.redirectUrl ?? ''],
    ['language', context.language],
    ['theme', model.theme ?? ''],
  ]
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
    .join('');
  const documents = model.documents.length
    ? `<ul>${model.documents
        .map(
          (d) =>
            `<li>${escapeHtml(d.name)} <span class="muted">(${Math.max(1, Math.round(d.size / 1024))} KB)</span> · <a href="sign/documents/${encodeURIComponent(d.id)}?session=${encodeURIComponent(model.sessionId)}" target="_blank" rel="noopener">${escapeHtml(t.view)}</a></li>`,
        )
        .join('')}</ul>`
    : `<p class="muted">${escapeHtml(t.noDocuments)}</p>`;
  const reasons = REDIRECT_REASONS.map((r) => `<option value="${r}"${r === 'closed' ? ' selected' : ''}>${escapeHtml(t.reasons[r])} (${r})</option>`).join('');
  const langs = model.languageLinks.map((l) => `<a href="${escapeHtml(l.href)}" lang="${TEXTS[l.language].htmlLang}">${l.language.toUpperCase()}</a>`).join('');
  return layout(
    context,
    `<h1>${escapeHtml(t.title)}<span class="langs">${langs}</span></h1>
<section class="card">
<h2>${escapeHtml(t.signer)}</h2>
<dl><dt>${escapeHtml(t.signer)}</dt><dd>${escapeHtml(model.signerName)}</dd><dt>${escapeHtml(t.iin)}</dt><dd>${escapeHtml(model.maskedIin)}</dd><dt>${escapeHtml(t.phone)}</dt><dd>${escapeHtml(model.maskedPhone)}</dd></dl>
</section>
<section class="card">
<h2>${escapeHtml(t.documents)}</h2>
${documents}
<ol class="muted">${t.steps.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ol>
<form method="post" action="sign">${hidden}<input type="hidden" name="action" value="sign">
<button type="submit"${model.documents.length ? '' : ' disabled'}>${escapeHtml(t.sign)}</button>
<details><summary class="muted">${escapeHtml(t.testing)}</summary>
<label class="muted" for="sign_as_iin">${escapeHtml(t.signAs)}</label>
<input type="text" id="sign_as_iin" name="sign_as_iin" inputmode="numeric" pattern="\\d{12}" maxlength="12" autocomplete="off">
</details>
</form>
</section>
<section class="card">
<h2>${escapeHtml(t.endTitle)}</h2>
<p class="muted">${escapeHtml(t.endHint)}</p>
<form method="post" action="sign">${hidden}<input type="hidden" name="action" value="cancel">
<select name="reason" aria-label="${escapeHtml(t.endTitle)}">${reasons}</select>
<button type="submit" class="secondary">${escapeHtml(t.end)}</button>
</form>
</section>`,
  );
}

/** A page with one message and, when known, a link back to the site. */
export function renderMessagePage(context: PageContext, title: string, message: string, backHref: string | null): string {
  const t = TEXTS[context.language];
  const back = backHref ? `<p><a class="button" href="${escapeHtml(backHref)}">${escapeHtml(t.back)}</a></p>` : `<p class="muted">${escapeHtml(t.noRedirect)}</p>`;
  return layout(context, `<h1>${escapeHtml(title)}</h1><section class="card"><p>${escapeHtml(message)}</p>${back}</section>`);
}
