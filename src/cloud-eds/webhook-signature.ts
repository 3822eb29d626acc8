import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The provider's session webhooks as Kezek assumes them (the guide does not document a format; see the
 * README): `X-Webhook-Timestamp: <unix seconds>` and
 * `X-Webhook-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`. The sandbox signs with
 * this module and Kezek's receiver checks with it, so the two cannot drift apart.
 */

/** How far a webhook's timestamp may be from our clock before it is refused as stale (or replayed). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

export type SignatureCheck = 'valid' | 'stale' | 'invalid';

/**
 * Checks `X-Webhook-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>` in constant time,
 * and that `X-Webhook-Timestamp` (unix seconds) is within the tolerance.
 */
export function checkWebhookSignature(input: { secret: string; timestamp?: string; signature?: string; rawBody: Buffer; now?: number }): SignatureCheck {
  if (!input.timestamp || !/^\d{1,12}$/.test(input.timestamp) || !input.signature) return 'invalid';
  const expected = createHmac('sha256', input.secret).update(`${input.timestamp}.`).update(input.rawBody).digest();
  const presented = /^sha256=([0-9a-f]{64})$/i.exec(input.signature.trim());
  if (!presented) return 'invalid';
  const given = Buffer.from(presented[1], 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
  const now = Math.floor((input.now ?? Date.now()) / 1000);
  return Math.abs(now - Number(input.timestamp)) > WEBHOOK_TOLERANCE_SECONDS ? 'stale' : 'valid';
}

export function signWebhook(secret: string, timestamp: string | number, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

/** The body the provider (and the sandbox) sends when a session ends. */
export interface ProviderWebhookEvent {
  event: 'session.finished' | 'session.canceled';
  session_id: string;
  status: 'FINISHED' | 'CANCELED';
  failure_reason: string | null;
  check_id: string;
  time: string;
}
