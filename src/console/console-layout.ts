import { escapeHtml, page } from '../web/html.js';
import { htmlLang, LANGUAGES, type Language } from '../web/language.js';
import { hasRole } from '../users/domain/roles.js';
import type { ConsoleIdentity } from '../users/users.service.js';
import { consoleText, type ConsoleText } from './console-text.js';

const STYLES = `
  body { max-width: 72rem; margin: 0 auto 3rem; }
  header.top { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: center; padding: .75rem 0; border-bottom: 1px solid #d8dde6; margin-bottom: 1rem; }
  header.top .brand { font-weight: 700; margin-right: auto; }
  header.top a { color: #1d2433; }
  header.top a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 2px; }
  header.top form { display: inline; }
  button.link { background: none; border: 0; color: #1f4fd1; padding: 0; text-decoration: underline; }
  a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
  label { display: block; font-size: .9rem; color: #37404f; margin-bottom: .15rem; }
  input, select { font: inherit; padding: .4rem .5rem; border: 1px solid #aab2c0; border-radius: 6px; max-width: 100%; box-sizing: border-box; }
  .filters { display: flex; flex-wrap: wrap; gap: .75rem; align-items: flex-end; }
  .tabs { display: flex; flex-wrap: wrap; gap: .25rem; margin: .5rem 0 1rem; padding: 0; list-style: none; }
  .tabs a { display: inline-block; padding: .3rem .7rem; border: 1px solid #d8dde6; border-radius: 999px; text-decoration: none; color: #1d2433; }
  .tabs a[aria-current="page"] { background: #1f4fd1; border-color: #1f4fd1; color: #fff; }
  .status { display: inline-block; padding: .05rem .5rem; border-radius: 999px; font-size: .85rem; background: #eceff4; }
  .status.COMPLETED, .status.SIGNED { background: #e3f2e4; color: #1b5e20; }
  .status.DECLINED, .status.FAILED, .status.CANCELED, .status.EXPIRED { background: #fdecea; color: #8e1c1c; }
  .status.IN_PROGRESS, .status.ACTIVE { background: #fff4d6; color: #6b4f00; }
  .flag { color: #8e1c1c; font-weight: 600; }
  .scroll { overflow-x: auto; }
  .grid a.card { text-decoration: none; color: inherit; margin: 0; }
  .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: 1rem; }
  .secret { font-family: ui-monospace, monospace; background: #fffaf0; border: 1px dashed #b28704; padding: .5rem; word-break: break-all; }
  .row { display: flex; flex-wrap: wrap; gap: .75rem; align-items: flex-end; margin-bottom: .5rem; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  .checks { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: .25rem .75rem; }
  label.check { display: flex; gap: .4rem; align-items: center; color: inherit; }
  fieldset { border: 1px solid #d8dde6; border-radius: 8px; }
  @media (max-width: 40rem) { td, th { padding: .3rem; font-size: .9rem; } .hide-narrow { display: none; } }
`;

export interface ConsolePageOptions {
  language: Language;
  title: string;
  body: string;
  /** The signed-in user; absent on the login and invitation pages. */
  user?: ConsoleIdentity;
  /** Which top link is the current page. */
  section?: 'dashboard' | 'envelopes' | 'new' | 'settings' | 'account' | 'mailbox';
  /** This page's path and query without `lang`, for the language links. */
  path: string;
}

/** A hidden CSRF field for a console form. */
export function csrfField(user: Pick<ConsoleIdentity, 'csrfToken'>): string {
  return `<input type="hidden" name="_csrf" value="${escapeHtml(user.csrfToken)}">`;
}

export function formatTime(value: Date | string | null | undefined, t: ConsoleText): string {
  if (!value) return t.none;
  const iso = typeof value === 'string' ? value : value.toISOString();
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(iso.slice(0, 16).replace('T', ' '))} UTC</time>`;
}

export function statusBadge(status: string, t: ConsoleText): string {
  const label = (t as unknown as Record<string, string>)[status] ?? status;
  return `<span class="status ${escapeHtml(status)}" data-status="${escapeHtml(status)}">${escapeHtml(label)}</span>`;
}

function withLang(path: string, language: Language): string {
  return `${path}${path.includes('?') ? '&' : '?'}lang=${language}`;
}

export function consolePage(options: ConsolePageOptions): string {
  const t = consoleText(options.language);
  const link = (href: string, label: string, section: ConsolePageOptions['section']) =>
    `<a href="${href}"${options.section === section ? ' aria-current="page"' : ''}>${escapeHtml(label)}</a>`;
  const user = options.user;
  const nav = user
    ? [
        link('/console', t.dashboard, 'dashboard'),
        link('/console/envelopes', t.envelopes, 'envelopes'),
        hasRole(user.role, 'member') ? link('/console/envelopes/new', t.newEnvelope, 'new') : '',
        hasRole(user.role, 'member') ? link('/console/mailbox', t.mail, 'mailbox') : '',
        hasRole(user.role, 'admin') ? link('/console/settings', t.settings, 'settings') : '',
        link('/console/account/password', t.account, 'account'),
        `<span class="muted">${escapeHtml(user.email)} · ${escapeHtml(user.role)} · ${escapeHtml(user.organisationName)}</span>`,
        `<form method="post" action="/console/logout">${csrfField(user)}<button type="submit" class="link">${escapeHtml(t.signOut)}</button></form>`,
      ].join('')
    : '';
  const languages = `<nav class="lang" aria-label="${escapeHtml(t.language)}">${LANGUAGES.map(
    (l) => `<a href="${escapeHtml(withLang(options.path, l))}" lang="${htmlLang(l)}"${l === options.language ? ' aria-current="true"' : ''}>${l.toUpperCase()}</a>`,
  ).join('')}</nav>`;
  const body = `<header class="top"><span class="brand">Kezek · ${escapeHtml(t.console)}</span><nav aria-label="${escapeHtml(t.console)}" class="row">${nav}</nav>${languages}</header>
<main id="main">
${options.body}
</main>`;
  return page({ lang: htmlLang(options.language), title: `${options.title} · Kezek`, body, styles: STYLES, scripts: ['/console/assets/console.js'] });
}
