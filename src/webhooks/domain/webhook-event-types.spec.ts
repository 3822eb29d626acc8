import { endpointWantsEvent, isWebhookEventType, WEBHOOK_EVENT_FILTERS, WEBHOOK_EVENT_TYPES, WEBHOOK_EVENT_WILDCARDS } from './webhook-event-types.js';

describe('webhook event types', () => {
  it('lists the events of the envelope issue and of identity before signing', () => {
    expect(WEBHOOK_EVENT_TYPES).toEqual([
      'envelope.sent',
      'envelope.completed',
      'envelope.declined',
      'envelope.canceled',
      'envelope.expired',
      'envelope.failed',
      'signer.activated',
      'signer.link_opened',
      'signer.signed',
      'signer.declined',
      'signer.failed',
      'signer.identity_verified',
      'signer.identity_failed',
      'round.canceled',
      'round.rejected',
    ]);
    expect(WEBHOOK_EVENT_WILDCARDS).toEqual(['envelope.*', 'signer.*', 'round.*']);
    expect(WEBHOOK_EVENT_FILTERS).toHaveLength(18);
  });

  it.each([
    ['signer.signed', true],
    ['signer.*', false],
    ['envelope.opened', false],
    ['', false],
  ])('isWebhookEventType(%j) is %s', (value, expected) => {
    expect(isWebhookEventType(value)).toBe(expected);
  });
});

describe('endpointWantsEvent', () => {
  it.each<[string[], (typeof WEBHOOK_EVENT_TYPES)[number], boolean]>([
    [[], 'envelope.sent', true],
    [[], 'round.rejected', true],
    [['envelope.completed'], 'envelope.completed', true],
    [['envelope.completed'], 'envelope.sent', false],
    [['envelope.completed', 'signer.activated'], 'signer.activated', true],
    [['envelope.*'], 'envelope.expired', true],
    [['envelope.*'], 'signer.signed', false],
    [['signer.*', 'round.canceled'], 'round.canceled', true],
    [['signer.*', 'round.canceled'], 'round.rejected', false],
  ])('filter %j, event %s → %s', (filter, type, expected) => {
    expect(endpointWantsEvent(filter, type)).toBe(expected);
  });
});
