import { escapeHtml } from '../web/html.js';
import type { Language } from '../web/language.js';
import type { ConsoleIdentity } from '../users/users.service.js';
import { WEBHOOK_EVENT_FILTERS } from '../webhooks/domain/webhook-event-types.js';
import type { WebhookEndpointView } from '../webhooks/webhook-endpoints.service.js';
import type { DeliveryPage } from '../webhooks/webhooks.service.js';
import { consolePage, csrfField, formatTime } from './console-layout.js';
import type { ProviderStatus } from './console-settings.service.js';
import { consoleText, type ConsoleText } from './console-text.js';

const e = escapeHtml;

/** Settings → provider: which Cloud EDS host, whether the organisation's account is set up, the last failed call. */
export function providerSection(t: ConsoleText, status: ProviderStatus, smsConfigured: boolean): string {
  const account = status.accountConfigured ? t.accountConfigured : status.provisionedOnFirstUse ? t.accountOnFirstUse : t.accountMissing;
  const error = status.lastError
    ? `${formatTime(status.lastError.at, t)} · <code>${e(status.lastError.operation)}</code> · ${e(status.lastError.kind)}${status.lastError.status ? ` (HTTP ${e(status.lastError.status)})` : ''} · <a href="/console/envelopes/${e(status.lastError.envelopeId)}">${e(t.envelopes)}</a>`
    : e(t.none);
  return `<section aria-labelledby="provider"><h2 id="provider">${e(t.provider)}</h2>
<table data-provider-status><tbody>
<tr><th scope="row">${e(t.providerHost)}</th><td><code>${e(status.host)}</code></td></tr>
<tr><th scope="row">${e(t.providerEnvironment)}</th><td data-provider-environment="${e(status.environment)}">${e(t[`env_${status.environment}`])}</td></tr>
<tr><th scope="row">${e(t.providerAccount)}</th><td data-provider-account="${status.accountConfigured ? 'configured' : status.provisionedOnFirstUse ? 'on-first-use' : 'missing'}" class="${status.accountConfigured || status.provisionedOnFirstUse ? '' : 'flag'}">${e(account)}</td></tr>
<tr><th scope="row">${e(t.providerWebhookSecret)}</th><td>${e(status.webhookSecretConfigured ? t.yes : t.no)}</td></tr>
<tr><th scope="row">${e(t.lastProviderError)}</th><td data-provider-last-error>${error}</td></tr>
<tr><th scope="row">${e(t.smsGateway)}</th><td>${e(smsConfigured ? t.configured : t.notConfigured)}</td></tr>
</tbody></table></section>`;
}

/** Settings → webhook endpoints: the list, a form to add one (its secret shown once), delete. */
export function webhooksPage(language: Language, user: ConsoleIdentity, data: { endpoints: WebhookEndpointView[]; created?: { id: string; secret: string }; error?: string }): string {
  const t = consoleText(language);
  const rows = data.endpoints
    .map(
      (endpoint) => `<tr data-endpoint-id="${e(endpoint.id)}"><td><a href="/console/settings/webhooks/${e(endpoint.id)}">${e(endpoint.url)}</a>${endpoint.description ? `<br><small>${e(endpoint.description)}</small>` : ''}</td>
<td><small>${endpoint.events.length ? e(endpoint.events.join(', ')) : e(t.all)}</small></td>
<td>${e(endpoint.enabled ? t.enabled : t.disabled)}</td>
<td class="hide-narrow">${formatTime(endpoint.createdAt, t)}</td>
<td><form method="post" action="/console/settings/webhooks/${e(endpoint.id)}/delete">${csrfField(user)}<button type="submit" class="secondary" data-action="delete-endpoint" aria-label="${e(`${t.deleteEndpoint}: ${endpoint.url}`)}">${e(t.deleteEndpoint)}</button></form></td></tr>`,
    )
    .join('\n');
  const checkboxes = WEBHOOK_EVENT_FILTERS.map(
    (filter, i) => `<label class="check"><input type="checkbox" name="events" value="${e(filter)}" id="event-${i}"> <code>${e(filter)}</code></label>`,
  ).join('');
  return consolePage({
    language,
    user,
    section: 'settings',
    title: t.webhooks,
    path: '/console/settings/webhooks',
    body: `<p><a href="/console/settings">← ${e(t.settings)}</a></p><h1>${e(t.webhooks)}</h1>
${data.error ? `<div class="card bad" role="alert" data-error>${e(data.error)}</div>` : ''}
${data.created ? `<div class="card ok" role="status"><p>${e(t.newSecret)}</p><p class="secret" data-new-secret>${e(data.created.secret)}</p><p><a href="/console/settings/webhooks/${e(data.created.id)}">${e(t.deliveries)}</a></p></div>` : ''}
<div class="scroll"><table><thead><tr><th scope="col">${e(t.url)}</th><th scope="col">${e(t.events)}</th><th scope="col">${e(t.status)}</th><th scope="col" class="hide-narrow">${e(t.created)}</th><th scope="col"><span class="visually-hidden">${e(t.actions)}</span></th></tr></thead><tbody>${rows || `<tr><td colspan="5" class="muted">${e(t.none)}</td></tr>`}</tbody></table></div>
<form method="post" action="/console/settings/webhooks" class="card">${csrfField(user)}
<h2>${e(t.addEndpoint)}</h2>
<p><label for="endpoint-url">${e(t.url)}</label><input id="endpoint-url" name="url" type="url" required maxlength="2000" size="50" placeholder="https://hooks.example.kz/kezek"></p>
<p><label for="endpoint-description">${e(t.description)}</label><input id="endpoint-description" name="description" maxlength="500" size="50"></p>
<fieldset><legend>${e(t.events)} <small class="muted">(${e(t.eventsHint)})</small></legend><div class="checks">${checkboxes}</div></fieldset>
<p><button type="submit" data-action="add-endpoint">${e(t.addEndpoint)}</button></p></form>`,
  });
}

/** One endpoint's deliveries, newest first, each with a redeliver button. */
export function webhookEndpointPage(language: Language, user: ConsoleIdentity, endpoint: WebhookEndpointView, page: DeliveryPage, notice?: string): string {
  const t = consoleText(language);
  const base = `/console/settings/webhooks/${e(endpoint.id)}`;
  const rows = page.items
    .map(
      (d) => `<tr data-delivery-id="${e(d.id)}" data-delivery-status="${e(d.status)}"><td>${formatTime(d.createdAt, t)}</td><td><code>${e(d.eventType)}</code>${d.envelopeId ? `<br><small><a href="/console/envelopes/${e(d.envelopeId)}">${e(t.envelopes)}</a></small>` : ''}</td>
<td><span class="status ${d.status === 'delivered' ? 'COMPLETED' : d.status === 'failed' ? 'FAILED' : 'IN_PROGRESS'}">${e(d.status)}</span></td><td>${e(d.attemptCount)}</td>
<td><small>${d.lastStatusCode ? `HTTP ${e(d.lastStatusCode)}` : ''}${d.lastError ? ` ${e(d.lastError)}` : ''}</small></td><td class="hide-narrow">${formatTime(d.deliveredAt, t)}</td>
<td><form method="post" action="${base}/deliveries/${e(d.id)}/redeliver">${csrfField(user)}<button type="submit" data-action="redeliver" aria-label="${e(`${t.redeliver}: ${d.eventType} ${d.createdAt.toISOString()}`)}">${e(t.redeliver)}</button></form></td></tr>`,
    )
    .join('\n');
  return consolePage({
    language,
    user,
    section: 'settings',
    title: `${t.deliveries} · ${endpoint.url}`,
    path: base,
    body: `<p><a href="/console/settings/webhooks">← ${e(t.webhooks)}</a></p><h1>${e(t.deliveries)}</h1>
<p><code>${e(endpoint.url)}</code> · ${e(endpoint.enabled ? t.enabled : t.disabled)}${endpoint.description ? ` · ${e(endpoint.description)}` : ''}</p>
${notice ? `<p class="card ok" role="status" data-notice>${e(notice)}</p>` : ''}
<div class="scroll"><table><thead><tr><th scope="col">${e(t.created)}</th><th scope="col">${e(t.event)}</th><th scope="col">${e(t.status)}</th><th scope="col">${e(t.attempts)}</th><th scope="col">${e(t.lastAnswer)}</th><th scope="col" class="hide-narrow">${e(t.delivered)}</th><th scope="col"><span class="visually-hidden">${e(t.actions)}</span></th></tr></thead><tbody>${rows || `<tr><td colspan="7" class="muted" data-empty>${e(t.none)}</td></tr>`}</tbody></table></div>
${page.nextCursor ? `<p><a href="${base}?cursor=${encodeURIComponent(page.nextCursor)}" rel="next" data-next>${e(t.older)}</a></p>` : ''}`,
  });
}
