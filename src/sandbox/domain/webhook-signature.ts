import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures of the sandbox (Kezek's assumption; the provider does not document its format):
 * `X-Webhook-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>` with
 * `X-Webhook-Timestamp: <unix seconds>`.
 */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function verifyWebhookSignature(secret: string, timestamp: number, body: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(webhookSignature(secret, timestamp, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Delay before attempt `attempt + 1` (attempt counts from 1): base, 2×base, 4×base … capped at one hour. */
export function webhookRetryDelayMs(attempt: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 3600_000);
}

export interface WebhookEvent {
  event: 'session.finished' | 'session.canceled';
  session_id: string;
  status: 'FINISHED' | 'CANCELED';
  failure_reason: string | null;
  check_id: string;
  time: string;
}
