import { escapeHtml } from '../../../web/html.js';
import { FAILURE_REASONS } from '../domain/flow-steps.js';
import { FLOW_TEXTS, type FlowLocale } from './flow-page.i18n.js';

/** Server-rendered pages of the sandbox's flow (`/sandbox/remote/…`): plain HTML and forms, no script. */

function layout(locale: FlowLocale, body: string): string {
  const t = FLOW_TEXTS[locale];
  return `<!doctype html>
<html lang="${t.htmlLang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t.title)} · Kezek Sandbox</title>
<style>
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#1b1d22}
main{max-width:640px;margin:0 auto;padding:20px 14px}
.banner{background:#fff3cd;color:#5c4400;border:1px solid #e8d28a;border-radius:8px;padding:10px 14px;font-size:14px}
.card{background:#fff;border:1px solid #dfe1e6;border-radius:12px;padding:18px;margin-top:14px}
h1{font-size:22px;margin:14px 0 0}
h2{font-size:17px;margin:0 0 8px}
.muted{color:#5d6170;font-size:14px}
.error{color:#c62828;font-weight:600}
button{border:0;border-radius:8px;padding:12px 18px;font-size:16px;cursor:pointer;background:#1d5fd6;color:#fff;margin:4px 0}
button.secondary{background:transparent;color:#c62828;border:1px solid #c62828}
select,input[type=text]{width:100%;padding:10px;border-radius:8px;border:1px solid #dfe1e6;font-size:15px;margin:6px 0 10px}
label{display:block;font-size:14px;color:#5d6170}
a{color:#1d5fd6}
</style>
</head>
<body><main>
<div class="banner" role="note">${escapeHtml(t.banner)}</div>
${body}
</main></body></html>`;
}

export interface FlowPageModel {
  locale: FlowLocale;
  /** redirect, locale, web_view as hidden fields, so every form keeps them. */
  carry: Record<string, string>;
  sessionId: string;
  technologies: string[];
  step: number;
  current: string;
  reference: 'photo1' | 'edocument' | null;
  edocument?: {
    iin: { value: string; locked: boolean };
    phone: { value: string; locked: boolean };
    /** An OTP was sent: show the code form. */
    codeSentTo: string | null;
    inboxHref: string;
  };
  error: string | null;
}

function hidden(carry: Record<string, string>): string {
  return Object.entries(carry)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
}

function failForm(model: FlowPageModel): string {
  const t = FLOW_TEXTS[model.locale];
  const options = (FAILURE_REASONS[model.current] ?? []).map((r) => `<option value="${r}">${escapeHtml(t.reasons[r] ?? r)}</option>`).join('');
  return `<form method="post" class="fail">${hidden(model.carry)}<input type="hidden" name="technology" value="${escapeHtml(model.current)}"><input type="hidden" name="action" value="fail">
<label for="reason">${escapeHtml(t.reason)}</label><select id="reason" name="reason">${options}</select>
<button type="submit" class="secondary">${escapeHtml(t.fail)}</button></form>`;
}

export function renderFlowPage(model: FlowPageModel): string {
  const t = FLOW_TEXTS[model.locale];
  const title = t.technologies[model.current] ?? model.current;
  const error = model.error ? `<p class="error" role="alert">${escapeHtml(model.error)}</p>` : '';
  const action = (name: string, label: string, extra = '') =>
    `<form method="post">${hidden(model.carry)}<input type="hidden" name="technology" value="${escapeHtml(model.current)}"><input type="hidden" name="action" value="${name}">${extra}<button type="submit">${escapeHtml(label)}</button></form>`;
  let body: string;
  if (model.current === 'ED' && model.edocument) {
    const ed = model.edocument;
    const input = (name: 'iin' | 'phone', label: string) =>
      `<label for="${name}">${escapeHtml(label)}${ed[name].locked ? ` (${escapeHtml(t.locked)})` : ''}</label><input type="text" id="${name}" name="${name}" value="${escapeHtml(ed[name].value)}"${ed[name].locked ? ' readonly' : ''} inputmode="numeric" autocomplete="off">`;
    body = ed.codeSentTo
      ? `<p>${escapeHtml(t.codeSent(ed.codeSentTo))} <a href="${escapeHtml(ed.inboxHref)}" target="_blank" rel="noopener">${escapeHtml(t.inbox)}</a></p>${action('approve', t.confirm, `<label for="code">${escapeHtml(t.code)}</label><input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code">`)}`
      : action('request', t.sendCode, `${input('iin', t.iin)}${input('phone', t.phone)}`);
  } else {
    const reference = model.current === 'F2F' ? `<p class="muted">${escapeHtml(t.reference[model.reference ?? 'none'])}</p>` : '';
    const canPass = model.current !== 'F2F' || model.reference !== null;
    body = `${reference}${canPass ? action('pass', t.pass) : ''}`;
  }
  return layout(
    model.locale,
    `<h1>${escapeHtml(t.title)}</h1>
<div class="card"><p class="muted">${escapeHtml(t.step(model.step + 1, model.technologies.length))}</p><h2>${escapeHtml(title)}</h2>
<p class="muted">${escapeHtml(t.noCamera)}</p>${error}${body}${failForm(model)}</div>`,
  );
}

export function renderFlowMessage(locale: FlowLocale, title: string, message: string, extra = ''): string {
  return layout(locale, `<h1>${escapeHtml(title)}</h1><div class="card"><p>${escapeHtml(message)}</p>${extra}</div>`);
}

export function renderInbox(locale: FlowLocale, phone: string, messages: { text: string; at: Date }[]): string {
  const t = FLOW_TEXTS[locale];
  const list = messages.length
    ? `<ul>${messages.map((m) => `<li><strong>1414</strong> · <span class="muted">${escapeHtml(m.at.toISOString())}</span><br><span class="sms">${escapeHtml(m.text)}</span></li>`).join('')}</ul>`
    : `<p class="muted">${escapeHtml(t.inboxEmpty)}</p>`;
  return layout(
    locale,
    `<h1>${escapeHtml(t.inboxTitle)}</h1><div class="card"><form method="get"><input type="hidden" name="locale" value="${locale}"><label for="phone">${escapeHtml(t.inboxPhone)}</label><input type="text" id="phone" name="phone" value="${escapeHtml(phone)}"><button type="submit">${escapeHtml(t.show)}</button></form>${list}</div>`,
  );
}
