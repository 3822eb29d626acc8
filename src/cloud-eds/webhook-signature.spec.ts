import { checkWebhookSignature, signWebhook } from './webhook-signature.js';

describe('provider webhook signature', () => {
  const secret = 'whsecret';
  const body = Buffer.from('{"session_id":"s","status":"FINISHED"}');
  const now = 1_800_000_000_000;
  const ts = String(now / 1000);

  it('accepts a fresh, correctly signed body', () => {
    expect(checkWebhookSignature({ secret, timestamp: ts, signature: signWebhook(secret, ts, body), rawBody: body, now })).toBe('valid');
  });
  it('refuses a changed body, a wrong secret, a missing or malformed signature', () => {
    const signature = signWebhook(secret, ts, body);
    expect(checkWebhookSignature({ secret, timestamp: ts, signature, rawBody: Buffer.from('{}'), now })).toBe('invalid');
    expect(checkWebhookSignature({ secret: 'other', timestamp: ts, signature, rawBody: body, now })).toBe('invalid');
    expect(checkWebhookSignature({ secret, timestamp: ts, signature: undefined, rawBody: body, now })).toBe('invalid');
    expect(checkWebhookSignature({ secret, timestamp: ts, signature: 'sha256=zz', rawBody: body, now })).toBe('invalid');
  });
  it('refuses a signature whose timestamp was swapped', () => {
    const signature = signWebhook(secret, ts, body);
    expect(checkWebhookSignature({ secret, timestamp: String(Number(ts) + 1), signature, rawBody: body, now })).toBe('invalid');
  });
  it('calls a correctly signed but old webhook stale', () => {
    const old = String(now / 1000 - 301);
    expect(checkWebhookSignature({ secret, timestamp: old, signature: signWebhook(secret, old, body), rawBody: body, now })).toBe('stale');
  });
});
