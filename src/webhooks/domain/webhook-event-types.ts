/** Every event an organisation's webhook endpoints can receive. */
export const WEBHOOK_EVENT_TYPES = [
  'envelope.sent',
  'envelope.completed',
  'envelope.declined',
  'envelope.canceled',
  'envelope.expired',
  'envelope.failed',
  /** The signer's turn has come; carries the signing link so the organisation can notify the person. */
  'signer.activated',
  'signer.link_opened',
  'signer.signed',
  'signer.declined',
  'signer.failed',
  /** The signer passed the identity checks the envelope asks for (liveness, face match, E-Document). */
  'signer.identity_verified',
  /** An identity attempt failed; carries the reason, the attempts used and left. */
  'signer.identity_failed',
  'round.canceled',
  'round.rejected',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** `envelope.*`, `signer.*`, `round.*`: every event of a group, including ones added later. */
export const WEBHOOK_EVENT_WILDCARDS = [...new Set(WEBHOOK_EVENT_TYPES.map((type) => `${type.split('.')[0]}.*`))];

/** What an endpoint's `events` filter may list. */
export const WEBHOOK_EVENT_FILTERS: readonly string[] = [...WEBHOOK_EVENT_TYPES, ...WEBHOOK_EVENT_WILDCARDS];

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

/** Whether an endpoint with this filter receives the event: an empty filter means every event. */
export function endpointWantsEvent(filter: readonly string[], type: WebhookEventType): boolean {
  if (filter.length === 0) return true;
  const group = `${type.split('.')[0]}.*`;
  return filter.includes(type) || filter.includes(group);
}
