import type { AuditTrail } from '../audit/audit.service.js';
import { describeIdentityResults, type IdentityFailure, type IdentityResults } from '../identity/domain/identity-outcome.js';
import type { SignerIdentityViewDto } from '../envelopes/dto/envelope-view.dto.js';
import { EDOCUMENT_TYPE_NAMES, EDOCUMENT_TYPES } from '../kyc/edocument/edocument.types.js';
import { escapeHtml } from '../web/html.js';
import type { ErrorPageOptions } from '../web/html-response.js';
import { htmlLang, type Language } from '../web/language.js';
import { hasRole } from '../users/domain/roles.js';
import type { ConsoleIdentity, UserSummary } from '../users/users.service.js';
import type { ApiKeySummary } from '../organisations/organisations.service.js';
import type { Notification } from '../notifications/notification.entity.js';
import type { Dashboard, EnvelopeDetail, EnvelopeRow } from './console-envelopes.service.js';
import { consolePage, csrfField, formatTime, statusBadge } from './console-layout.js';
import type { ProviderStatus } from './console-settings.service.js';
import { providerSection } from './console-settings.view.js';
import { consoleText } from './console-text.js';
import { filterQuery, SORTS, STATUS_TABS, type EnvelopeFilter } from './domain/envelope-filter.js';

const e = escapeHtml;

export function loginPage(language: Language, csrf: string, options: { error?: string; email?: string; next?: string } = {}): string {
  const t = consoleText(language);
  return consolePage({
    language,
    title: t.signIn,
    path: '/console/login',
    body: `<h1>${e(t.signIn)}</h1>
${options.error ? `<div class="card bad" role="alert" data-error>${e(options.error)}</div>` : ''}
<form method="post" action="/console/login" class="card">
<input type="hidden" name="_csrf" value="${e(csrf)}">
${options.next ? `<input type="hidden" name="next" value="${e(options.next)}">` : ''}
<p><label for="email">${e(t.email)}</label><input id="email" name="email" type="email" autocomplete="username" required value="${e(options.email ?? '')}" autofocus></p>
<p><label for="password">${e(t.password)}</label><input id="password" name="password" type="password" autocomplete="current-password" required></p>
<button type="submit">${e(t.signIn)}</button>
</form>`,
  });
}

/** A console error page: titled by the status, in the console's layout (with the navigation when signed in). */
export function errorPageOptions(language: Language, status: number, user?: ConsoleIdentity): ErrorPageOptions {
  const t = consoleText(language);
  const title = status === 404 ? t.notFound : status === 403 ? t.forbidden : t.error;
  return {
    lang: htmlLang(language),
    title,
    heading: title,
    after: `<p><a href="/console/envelopes">${e(t.back)}</a></p>`,
    layout: ({ body }) => consolePage({ language, title, user, path: '/console', body }),
  };
}

export function envelopesPage(
  language: Language,
  user: ConsoleIdentity,
  filter: EnvelopeFilter,
  result: { items: EnvelopeRow[]; nextCursor: string | null },
  senders: Map<string, string>,
): string {
  const t = consoleText(language);
  const tabLabel = (tab: string) => (tab === 'all' ? t.all : (t as unknown as Record<string, string>)[tab]);
  const tabs = `<ul class="tabs" aria-label="${e(t.status)}">${STATUS_TABS.map((tab) => {
    const query = filterQuery({ ...filter, status: tab, cursor: null });
    return `<li><a href="/console/envelopes${query ? `?${query}` : ''}"${filter.status === tab ? ' aria-current="page"' : ''} data-tab="${tab}">${e(tabLabel(tab))}</a></li>`;
  }).join('')}</ul>`;
  const sortLabels: Record<string, string> = { created_desc: t.newestFirst, created_asc: t.oldestFirst, updated_desc: t.recentlyChanged };
  const form = `<form method="get" action="/console/envelopes" class="filters card" role="search">
${filter.status !== 'all' ? `<input type="hidden" name="status" value="${e(filter.status)}">` : ''}
<div><label for="q">${e(t.search)}</label><input id="q" name="q" type="search" value="${e(filter.q)}" placeholder="${e(t.searchHint)}" size="28"></div>
<div><label for="from">${e(t.from)}</label><input id="from" name="from" type="date" value="${e(filter.from ?? '')}"></div>
<div><label for="to">${e(t.to)}</label><input id="to" name="to" type="date" value="${e(filter.to ?? '')}"></div>
<div><label for="sender">${e(t.sender)}</label><select id="sender" name="sender"><option value="">${e(t.anySender)}</option>${[...senders]
    .map(([id, name]) => `<option value="${e(id)}"${filter.sender === id ? ' selected' : ''}>${e(name)}</option>`)
    .join('')}</select></div>
<div><label for="sort">${e(t.sort)}</label><select id="sort" name="sort">${SORTS.map((s) => `<option value="${s}"${filter.sort === s ? ' selected' : ''}>${e(sortLabels[s])}</option>`).join('')}</select></div>
<div><button type="submit">${e(t.apply)}</button></div>
</form>`;
  const rows = result.items
    .map(
      (row) => `<tr data-envelope-id="${e(row.id)}">
<td><a href="/console/envelopes/${e(row.id)}">${e(row.title)}</a></td>
<td>${statusBadge(row.status, t)}</td>
<td>${row.signers.map((s) => `<span data-signer-status="${e(s.status)}">${e(s.fullName)}</span>`).join(', ')}</td>
<td class="hide-narrow">${e(row.senderId ? (senders.get(row.senderId) ?? row.senderId.slice(0, 8)) : t.none)}</td>
<td>${formatTime(row.createdAt, t)}</td>
<td class="hide-narrow">${formatTime(row.updatedAt, t)}</td>
</tr>`,
    )
    .join('\n');
  const table = result.items.length
    ? `<div class="scroll"><table><caption class="muted" style="text-align:left">${e(t.envelopes)}</caption><thead><tr><th scope="col">${e(t.title)}</th><th scope="col">${e(t.status)}</th><th scope="col">${e(t.signers)}</th><th scope="col" class="hide-narrow">${e(t.sender)}</th><th scope="col">${e(t.created)}</th><th scope="col" class="hide-narrow">${e(t.updated)}</th></tr></thead><tbody>${rows}</tbody></table></div>`
    : `<p class="card" data-empty>${e(t.nothing)}</p>`;
  const query = filterQuery({ ...filter, cursor: null });
  const paging = `<p class="row">${filter.cursor ? `<a href="/console/envelopes${query ? `?${query}` : ''}">${e(t.first)}</a>` : ''}${
    result.nextCursor ? `<a href="/console/envelopes?${filterQuery(filter, { cursor: result.nextCursor })}" rel="next" data-next>${e(t.next)}</a>` : ''
  }<a href="/console/envelopes.csv${query ? `?${query}` : ''}" download data-csv>${e(t.exportCsv)}</a></p>`;
  return consolePage({ language, user, section: 'envelopes', title: t.envelopes, path: `/console/envelopes${query ? `?${query}` : ''}`, body: `<h1>${e(t.envelopes)}</h1>${tabs}${form}${table}${paging}` });
}

function actorName(actor: { kind: string; id?: string }, names: Map<string, string>): string {
  if (actor.kind === 'user' || actor.kind === 'api') return names.get(actor.id ?? '') ?? `${actor.kind} ${actor.id ?? ''}`;
  return actor.id ? `${actor.kind} ${actor.id.slice(0, 8)}` : actor.kind;
}

function timeline(trail: AuditTrail | null, names: Map<string, string>, signerNames: Map<string, string>, language: Language): string {
  const t = consoleText(language);
  if (!trail) return '';
  const who = (actor: { kind: string; id?: string }) => (actor.kind === 'signer' && actor.id && signerNames.has(actor.id) ? `${t.signer}: ${signerNames.get(actor.id)}` : actorName(actor, names));
  const rows = trail.events
    .map(
      (event) => `<tr data-event="${e(event.type)}"><td>${formatTime(event.createdAt, t)}</td><td><code>${e(event.type)}</code>${
        typeof event.data.reason === 'string' ? ` — ${e(event.data.reason)}` : ''
      }${eventDetails(event.data, signerNames)}</td><td>${e(who(event.actor))}</td><td>${e(event.ip ?? '')}</td><td class="hide-narrow"><small>${e(event.userAgent ?? '')}</small></td></tr>`,
    )
    .join('\n');
  return `<section aria-labelledby="timeline"><h2 id="timeline">${e(t.timeline)}</h2>
<p class="card ${trail.chainValid ? 'ok' : 'bad'}" data-chain-valid="${trail.chainValid}">${e(trail.chainValid ? t.chainValid : t.chainBroken)}${trail.headHash ? ` · <code>${e(trail.headHash)}</code>` : ''}</p>
<div class="scroll"><table><thead><tr><th scope="col">${e(t.when)}</th><th scope="col">${e(t.what)}</th><th scope="col">${e(t.who)}</th><th scope="col">${e(t.ip)}</th><th scope="col" class="hide-narrow">${e(t.userAgent)}</th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
}

/** What a message or reminder event says in the timeline: channel, to whom, and why it failed. */
function eventDetails(data: Record<string, unknown>, signerNames: Map<string, string>): string {
  const parts: string[] = [];
  if (typeof data.signerId === 'string' && signerNames.has(data.signerId)) parts.push(signerNames.get(data.signerId)!);
  if (typeof data.channel === 'string') parts.push(data.channel);
  if (Array.isArray(data.channels)) parts.push(data.channels.join(', '));
  if (typeof data.recipient === 'string') parts.push(data.recipient);
  const error = typeof data.error === 'string' ? `<br><small class="flag" data-event-error>${e(data.error)}</small>` : '';
  return parts.length || error ? ` <small class="muted">${e(parts.join(' · '))}</small>${error}` : '';
}

/** A signer's identity checks: what is asked, how it stands, and each attempt's verdicts and scores (no personal data). */
function identityCell(identity: SignerIdentityViewDto, t: ReturnType<typeof consoleText>): string {
  const status = t.identityStatus[identity.status as keyof typeof t.identityStatus] ?? identity.status;
  const attempts = identity.attempts
    .map((a) => {
      const summary = describeIdentityResults((a.results ?? null) as IdentityResults | null, a.failureReason as IdentityFailure | null);
      return `<li data-identity-attempt="${e(a.attempt)}">${e(t.attempt)} ${e(a.attempt)}: ${e(summary)} <small class="muted">${e(a.sessionId)}</small></li>`;
    })
    .join('');
  return `<div data-identity-status="${e(identity.status)}"><small>${e(t.identityChecks)} (${e(identity.checks.join(', '))}): ${e(status)}</small>${attempts ? `<ul>${attempts}</ul>` : ''}</div>`;
}

export function envelopeDetailPage(language: Language, user: ConsoleIdentity, detail: EnvelopeDetail, notice?: string, error?: string): string {
  const t = consoleText(language);
  const { view } = detail;
  const base = `/console/envelopes/${e(view.id)}`;
  const canManage = hasRole(user.role, 'member');
  const documents = view.documents
    .map(
      (d) =>
        `<tr><td>${e(d.name)}</td><td>${e(d.size)}</td><td><code data-sha256>${e(d.sha256)}</code></td><td>${d.signed ? `<a href="${base}/documents/${e(d.id)}/signed" download>${e(t.signedCms)}</a>` : e(t.none)}</td></tr>`,
    )
    .join('');
  const signers = view.signers
    .map((s) => {
      const certs = detail.certificates.get(s.iin) ?? [];
      const certNames = [...new Set(certs.map((c) => c.commonName ?? ''))].filter(Boolean);
      const differs = certs.some((c) => c.commonName && !sameName(s.fullName, c.commonName, c.patronymic));
      const times = [
        s.activatedAt ? `${t.activated}: ${formatTime(s.activatedAt, t)}` : '',
        s.lastOpenedAt ? `${t.opened}: ${formatTime(s.lastOpenedAt, t)}` : '',
        s.signedAt ? `${t.signed}: ${formatTime(s.signedAt, t)}` : '',
        s.declinedAt ? `${t.declined}: ${formatTime(s.declinedAt, t)}${s.declineReason ? ` — ${e(s.declineReason)}` : ''}` : '',
        s.failedAt ? `${t.failed}: ${formatTime(s.failedAt, t)}` : '',
      ]
        .filter(Boolean)
        .join('<br>');
      const linkControls =
        canManage && s.link && (s.status === 'ACTIVE' || s.status === 'WAITING')
          ? `<div class="row"><label class="muted" for="link-${e(s.id)}">${e(t.link)}</label><input id="link-${e(s.id)}" readonly value="${e(s.link)}" size="24" data-link><button type="button" class="secondary-copy" data-copy="link-${e(s.id)}" data-copied="${e(t.copied)}">${e(t.copyLink)}</button></div>`
          : '';
      const remindControl =
        canManage && view.status === 'IN_PROGRESS' && s.status === 'ACTIVE'
          ? `<form method="post" action="${base}/signers/${e(s.id)}/remind">${csrfField(user)}<button type="submit" data-action="remind" aria-label="${e(`${t.remind}: ${s.fullName}`)}">${e(t.remind)}</button></form>`
          : '';
      return `<tr data-signer-id="${e(s.id)}" data-signer-status="${e(s.status)}">
<td>${e(s.routingOrder)}</td>
<td><span data-typed-name>${e(s.fullName)}</span><br><small>${e(t.iin)} ${e(s.iin)}</small>${linkControls}${remindControl}</td>
<td>${certNames.length ? `<span data-certificate-name>${e(certNames.join(', '))}</span><br><small>${e(t.iin)} ${e(certs[0].iin ?? '')}</small>${differs ? ` <span class="flag" data-name-differs>⚠ ${e(t.nameDiffers)}</span>` : ''}` : e(t.none)}</td>
<td>${statusBadge(s.status, t)}${s.identity ? identityCell(s.identity, t) : ''}</td>
<td>${e(s.attempts)}</td>
<td><small>${times || e(t.none)}</small></td>
</tr>`;
    })
    .join('\n');
  const signerNames = new Map(view.signers.map((s) => [s.id, s.fullName]));
  const archives = detail.archives
    .filter((a) => a.status === 'STORED')
    .map((a) => `<li><a href="${base}/archives/${e(a.id)}.zip" download>${e(t.archiveCopy)} · ${e(a.sessionId.slice(0, 8))}</a> <small><code>${e(a.sha256 ?? '')}</code></small></li>`)
    .join('');
  const downloads =
    view.status === 'DRAFT'
      ? ''
      : `<section aria-labelledby="downloads"><h2 id="downloads">${e(t.downloads)}</h2><ul>
<li><a href="${base}/evidence.zip" download data-evidence>${e(t.evidencePack)}</a></li>
<li><a href="${base}/certificate.pdf" download>${e(t.certificate)}</a></li>
${archives}</ul></section>`;
  const open = view.status === 'DRAFT' || view.status === 'IN_PROGRESS';
  const actions = canManage && open
    ? `<section aria-labelledby="actions"><h2 id="actions">${e(t.actions)}</h2><div class="row">
${view.status === 'DRAFT' ? `<form method="post" action="${base}/send">${csrfField(user)}<button type="submit" data-action="send">${e(t.send)}</button></form>` : ''}
<form method="post" action="${base}/cancel" class="row">${csrfField(user)}<div><label for="cancel-reason">${e(t.reason)}</label><input id="cancel-reason" name="reason" required maxlength="500"></div><button type="submit" class="secondary" data-action="cancel">${e(t.cancel)}</button></form>
</div></section>`
    : '';
  return consolePage({
    language,
    user,
    section: 'envelopes',
    title: view.title,
    path: `/console/envelopes/${view.id}`,
    body: `<p><a href="/console/envelopes">← ${e(t.back)}</a></p>
<h1>${e(view.title)}</h1>
${notice ? `<p class="card ok" role="status" data-notice>${e(notice)}</p>` : ''}
${error ? `<div class="card bad" role="alert" data-error>${e(error)}</div>` : ''}
<p>${statusBadge(view.status, t)} ${view.statusReason ? `<span class="muted">${e(view.statusReason)}</span>` : ''} · ${e(t.created)} ${formatTime(view.createdAt, t)} · ${e(t.expires)} ${formatTime(view.expiresAt, t)}</p>
<section aria-labelledby="documents"><h2 id="documents">${e(t.documents)}</h2><div class="scroll"><table><thead><tr><th scope="col">${e(t.name)}</th><th scope="col">${e(t.size)}</th><th scope="col">${e(t.sha256)}</th><th scope="col">${e(t.signedCms)}</th></tr></thead><tbody>${documents}</tbody></table></div></section>
<section aria-labelledby="signers"><h2 id="signers">${e(t.signers)}</h2><div class="scroll"><table><thead><tr><th scope="col">${e(t.order)}</th><th scope="col">${e(t.typedName)}</th><th scope="col">${e(t.certificateName)}</th><th scope="col">${e(t.status)}</th><th scope="col">${e(t.attempts)}</th><th scope="col">${e(t.times)}</th></tr></thead><tbody>${signers}</tbody></table></div></section>
${actions}
${downloads}
${timeline(detail.trail, detail.names, signerNames, language)}`,
  });
}

/**
 * Whether the name the sender typed is the certificate's, as people read names: case, spacing, word order
 * and Ё/Е do not count; the patronymic may be given or left out (NCA certificates keep it apart from CN).
 */
export function sameName(typed: string, commonName: string, patronymic: string | null): boolean {
  const norm = (v: string) => v.toLocaleLowerCase('kk').replace(/ё/g, 'е').split(/\s+/).filter(Boolean).sort().join(' ');
  return norm(typed) === norm(commonName) || (!!patronymic && norm(typed) === norm(`${commonName} ${patronymic}`));
}

/** Identity checks a console user can ask for (no photo upload here: a face match is against the E-Document photo). */
const IDENTITY_CHOICES = ['', 'liveness', 'edocument', 'liveness,edocument', 'liveness,edocument,face2face'];

export function newEnvelopePage(language: Language, user: ConsoleIdentity, error?: string): string {
  const t = consoleText(language);
  const signerRows = [0, 1, 2, 3, 4]
    .map(
      (i) => `<fieldset class="row"><legend>${e(t.signer)} ${i + 1}</legend>
<div><label for="s${i}-name">${e(t.fullName)}</label><input id="s${i}-name" name="signerName" maxlength="200"></div>
<div><label for="s${i}-iin">${e(t.iin)}</label><input id="s${i}-iin" name="signerIin" inputmode="numeric" pattern="\\d{12}" maxlength="12" size="14"></div>
<div><label for="s${i}-phone">${e(t.phone)}</label><input id="s${i}-phone" name="signerPhone" inputmode="tel" maxlength="20" size="14"></div>
<div><label for="s${i}-email">${e(t.email)}</label><input id="s${i}-email" name="signerEmail" type="email" maxlength="254" size="20"></div>
<div><label for="s${i}-order">${e(t.routingOrder)}</label><input id="s${i}-order" name="signerOrder" type="number" min="1" max="100" value="${i + 1}" size="4"></div>
<div><label for="s${i}-identity">${e(t.identityChecks)}</label><select id="s${i}-identity" name="signerIdentity">${IDENTITY_CHOICES.map((c) => `<option value="${e(c)}">${e(c ? c.split(',').map((check) => t.identityCheckNames[check as keyof typeof t.identityCheckNames]).join(' + ') : t.identityNone)}</option>`).join('')}</select></div>
<div><label for="s${i}-doctype">${e(t.edocumentType)}</label><select id="s${i}-doctype" name="signerEdocumentType">${EDOCUMENT_TYPE_NAMES.map((type) => `<option value="${e(type)}">${e(EDOCUMENT_TYPES[type])}</option>`).join('')}</select></div>
</fieldset>`,
    )
    .join('\n');
  const tomorrow = new Date(Date.now() + 30 * 24 * 3600_000).toISOString().slice(0, 10);
  return consolePage({
    language,
    user,
    section: 'new',
    title: t.newEnvelope,
    path: '/console/envelopes/new',
    body: `<h1>${e(t.newEnvelope)}</h1>
${error ? `<div class="card bad" role="alert" data-error>${e(error)}</div>` : ''}
<form method="post" action="/console/envelopes" enctype="multipart/form-data" class="card">
${csrfField(user)}
<p><label for="title">${e(t.title)}</label><input id="title" name="title" required maxlength="200" size="50"></p>
<p><label for="files">${e(t.files)}</label><input id="files" name="files" type="file" accept=".pdf,.xml,application/pdf,text/xml,application/xml" multiple required></p>
<p class="muted">${e(t.addSignerHint)}</p>
${signerRows}
<div class="row">
<div><label for="expires">${e(t.expires)}</label><input id="expires" name="expiresOn" type="date" value="${tomorrow}"></div>
<div><label for="language">${e(t.language)}</label><select id="language" name="language"><option value="ru">Русский</option><option value="kz">Қазақша</option><option value="en">English</option></select></div>
<div><label for="redirect">${e(t.redirectUrl)}</label><input id="redirect" name="redirectUrl" type="url" maxlength="2000" size="30"></div>
<div><label for="reminder-days">${e(t.remindEvery)}</label><select id="reminder-days" name="reminderIntervalDays"><option value="">${e(t.noReminders)}</option>${[1, 2, 3, 5, 7, 14].map((d) => `<option value="${d}">${d}</option>`).join('')}</select></div>
<div><label for="sender-email">${e(t.senderEmail)}</label><input id="sender-email" name="senderEmail" type="email" maxlength="254" size="24" placeholder="${e(user.email)}"></div>
</div>
<div class="row"><button type="submit" name="send" value="true" data-action="create-send">${e(t.createAndSend)}</button><button type="submit" name="send" value="false" class="secondary" data-action="create-draft">${e(t.create)}</button></div>
</form>`,
  });
}

export function passwordPage(language: Language, user: ConsoleIdentity, message?: { ok: boolean; text: string }): string {
  const t = consoleText(language);
  return consolePage({
    language,
    user,
    section: 'account',
    title: t.changePassword,
    path: '/console/account/password',
    body: `<h1>${e(t.changePassword)}</h1>
${message ? `<div class="card ${message.ok ? 'ok' : 'bad'}" role="${message.ok ? 'status' : 'alert'}">${e(message.text)}</div>` : ''}
<form method="post" action="/console/account/password" class="card">${csrfField(user)}
<p><label for="current">${e(t.currentPassword)}</label><input id="current" name="current" type="password" autocomplete="current-password" required></p>
<p><label for="next">${e(t.newPassword)}</label><input id="next" name="next" type="password" autocomplete="new-password" minlength="10" required></p>
<button type="submit">${e(t.save)}</button></form>`,
  });
}

export function settingsPage(
  language: Language,
  user: ConsoleIdentity,
  data: { keys: ApiKeySummary[]; users: UserSummary[] | null; provider: ProviderStatus; smsConfigured: boolean; newKey?: string; invitationUrl?: string; error?: string },
): string {
  const t = consoleText(language);
  const keys = data.keys
    .map(
      (k) => `<tr data-key-id="${e(k.id)}"><td><code>${e(k.prefix)}</code></td><td>${e(k.label)}</td><td>${formatTime(k.createdAt, t)}</td><td>${formatTime(k.lastUsedAt, t)}</td><td>${
        k.revokedAt
          ? `${e(t.revoked)} ${formatTime(k.revokedAt, t)}`
          : `<form method="post" action="/console/settings/api-keys/${e(k.id)}/revoke">${csrfField(user)}<button type="submit" class="secondary">${e(t.revoke)}</button></form>`
      }</td></tr>`,
    )
    .join('');
  const roles = ['viewer', 'member', 'admin', 'owner'];
  const users = data.users
    ? `<section aria-labelledby="users"><h2 id="users">${e(t.users)}</h2>
${data.invitationUrl ? `<p>${e(t.invitationLink)}</p><p class="secret" data-invitation>${e(data.invitationUrl)}</p>` : ''}
<div class="scroll"><table><thead><tr><th scope="col">${e(t.email)}</th><th scope="col">${e(t.role)}</th><th scope="col">${e(t.status)}</th><th scope="col">${e(t.lastUsed)}</th></tr></thead><tbody>${data.users
        .map(
          (u) => `<tr data-user-id="${e(u.id)}"><td>${e(u.email)}</td><td><form method="post" action="/console/settings/users/${e(u.id)}/role" class="row">${csrfField(user)}<label class="muted" for="role-${e(u.id)}">${e(t.role)}</label><select id="role-${e(u.id)}" name="role">${roles
            .map((r) => `<option${r === u.role ? ' selected' : ''}>${r}</option>`)
            .join('')}</select><button type="submit">${e(t.save)}</button></form></td><td>${e(u.status)}</td><td>${formatTime(u.lastLoginAt, t)}</td></tr>`,
        )
        .join('')}</tbody></table></div>
<form method="post" action="/console/settings/users" class="card row">${csrfField(user)}
<div><label for="invite-email">${e(t.email)}</label><input id="invite-email" name="email" type="email" required></div>
<div><label for="invite-role">${e(t.role)}</label><select id="invite-role" name="role">${roles.map((r) => `<option>${r}</option>`).join('')}</select></div>
<button type="submit">${e(t.invite)}</button></form></section>`
    : '';
  return consolePage({
    language,
    user,
    section: 'settings',
    title: t.settings,
    path: '/console/settings',
    body: `<h1>${e(t.settings)}</h1>
${data.error ? `<div class="card bad" role="alert">${e(data.error)}</div>` : ''}
<section aria-labelledby="keys"><h2 id="keys">${e(t.apiKeys)}</h2>
${data.newKey ? `<p>${e(t.newKey)}</p><p class="secret" data-new-key>${e(data.newKey)}</p>` : ''}
<div class="scroll"><table><thead><tr><th scope="col">${e(t.prefix)}</th><th scope="col">${e(t.label)}</th><th scope="col">${e(t.created)}</th><th scope="col">${e(t.lastUsed)}</th><th scope="col">${e(t.status)}</th></tr></thead><tbody>${keys}</tbody></table></div>
<form method="post" action="/console/settings/api-keys" class="card row">${csrfField(user)}<div><label for="key-label">${e(t.label)}</label><input id="key-label" name="label" maxlength="100"></div><button type="submit">${e(t.newKey.split(' (')[0])}</button></form>
</section>
<section aria-labelledby="webhooks"><h2 id="webhooks">${e(t.webhooks)}</h2><p><a href="/console/settings/webhooks" data-webhooks-link>${e(t.webhooks)} · ${e(t.deliveries)} →</a></p></section>
${providerSection(t, data.provider, data.smsConfigured)}
${users}`
  });
}

export function invitationPage(language: Language, token: string, csrf: string, invitation: { email: string; organisationName: string }, error?: string): string {
  const t = consoleText(language);
  return consolePage({
    language,
    title: t.acceptInvitation,
    path: `/console/invitations/${token}`,
    body: `<h1>${e(t.acceptInvitation)}</h1><p>${e(invitation.email)} · ${e(invitation.organisationName)}</p>
${error ? `<div class="card bad" role="alert">${e(error)}</div>` : ''}
<form method="post" action="/console/invitations/${e(token)}" class="card"><input type="hidden" name="_csrf" value="${e(csrf)}">
<p><label for="next">${e(t.newPassword)}</label><input id="next" name="password" type="password" autocomplete="new-password" minlength="10" required></p>
<button type="submit">${e(t.save)}</button></form>`,
  });
}

function duration(seconds: number): string {
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))} min`;
  if (seconds < 48 * 3600) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}

/** Envelopes created per day as an inline SVG bar chart (no script, no external asset). */
function chart(perDay: Dashboard['perDay'], label: string): string {
  const max = Math.max(1, ...perDay.map((d) => d.n));
  const width = 600;
  const height = 120;
  const bar = width / Math.max(1, perDay.length);
  const bars = perDay
    .map((d, i) => {
      const h = Math.round((d.n / max) * (height - 20));
      return `<rect x="${(i * bar + 1).toFixed(1)}" y="${height - h}" width="${(bar - 2).toFixed(1)}" height="${h}" fill="#1f4fd1"><title>${e(d.day)}: ${d.n}</title></rect>`;
    })
    .join('');
  return `<svg role="img" aria-label="${e(label)}" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="none" style="max-width:${width}px;height:${height}px" data-chart>${bars}<line x1="0" y1="${height}" x2="${width}" y2="${height}" stroke="#5c6577"/></svg>`;
}

export function dashboardPage(language: Language, user: ConsoleIdentity, data: Dashboard, now = new Date()): string {
  const t = consoleText(language);
  const statuses = STATUS_TABS.filter((s) => s !== 'all');
  const cards = statuses
    .map((status) => `<a class="card" href="/console/envelopes?status=${status}" data-count="${status}"><strong>${data.byStatus[status] ?? 0}</strong><br>${statusBadge(status, t)}</a>`)
    .join('');
  const waiting = data.waiting.length
    ? `<table><thead><tr><th scope="col">${e(t.signer)}</th><th scope="col">${e(t.title)}</th><th scope="col">${e(t.waitingFor)}</th></tr></thead><tbody>${data.waiting
        .map(
          (w) => `<tr data-waiting><td>${e(w.signer)}</td><td><a href="/console/envelopes/${e(w.envelopeId)}">${e(w.title)}</a></td><td>${w.since ? e(duration((now.getTime() - w.since.getTime()) / 1000)) : e(t.none)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : `<p class="muted">${e(t.none)}</p>`;
  return consolePage({
    language,
    user,
    section: 'dashboard',
    title: t.dashboard,
    path: '/console',
    body: `<h1>${e(t.dashboard)}</h1>
<section aria-labelledby="by-status"><h2 id="by-status">${e(t.byStatus)}</h2><div class="grid">${cards}</div></section>
<section aria-labelledby="median"><h2 id="median">${e(t.medianCompletion)}</h2><p data-median>${data.medianSecondsToComplete === null ? e(t.none) : e(duration(data.medianSecondsToComplete))}</p></section>
<section aria-labelledby="waiting"><h2 id="waiting">${e(t.waitingOn)}</h2><div class="scroll">${waiting}</div></section>
<section aria-labelledby="per-day"><h2 id="per-day">${e(t.perDay)}</h2>${chart(data.perDay, t.perDay)}</section>`,
  });
}

export function mailboxPage(language: Language, user: ConsoleIdentity, messages: Notification[], transport: 'smtp' | 'dev-mailbox'): string {
  const t = consoleText(language);
  const rows = messages
    .map(
      (m) => `<article class="card" data-notification="${e(m.status)}"><p><strong>${e(m.subject)}</strong><br><small>${e(m.recipient)} · ${formatTime(m.createdAt, t)} · ${e(m.status)}${m.transport ? ` · ${e(m.transport)}` : ''}${m.lastError ? ` · ${e(m.lastError)}` : ''}</small></p>
<pre style="white-space:pre-wrap">${e(m.body)}</pre><p><a href="/console/envelopes/${e(m.envelopeId)}">${e(t.envelopes)}</a></p></article>`,
    )
    .join('\n');
  return consolePage({
    language,
    user,
    section: 'mailbox',
    title: t.mailbox,
    path: '/console/mailbox',
    body: `<h1>${e(transport === 'dev-mailbox' ? t.mailbox : t.mail)}</h1>${rows || `<p class="muted">${e(t.none)}</p>`}`,
  });
}
