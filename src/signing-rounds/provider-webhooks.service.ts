import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { AppError } from '../common/errors/app-error.js';
import { isOpen } from './domain/round-rules.js';
import { CheckRoundService } from './check-round.service.js';
import { ProviderCredentialsService } from '../organisations/provider-credentials.service.js';
import { checkWebhookSignature } from '../cloud-eds/webhook-signature.js';
import type { RoundStatus } from './domain/signing-round.machine.js';
import { sha256Hex } from '../common/crypto/sha256.js';

export interface IncomingProviderWebhook {
  organisationId: string;
  webhookId?: string;
  timestamp?: string;
  signature?: string;
  rawBody: Buffer;
  ip?: string;
}

/**
 * Receives the provider's session webhooks: signature checked in constant time with the organisation's
 * secret, stale timestamps refused, each delivery id processed once. The only effect is a status check of
 * the round through the provider API; the body itself is never taken as the state.
 */
@Injectable()
export class ProviderWebhooksService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly providers: ProviderCredentialsService,
    private readonly checks: CheckRoundService,
    private readonly audit: AuditService,
  ) {}

  async receive(webhook: IncomingProviderWebhook): Promise<{ result: 'accepted' | 'duplicate' | 'unknown-session' }> {
    const secret = await this.providers.webhookSecret(webhook.organisationId);
    const check = secret ? checkWebhookSignature({ secret, timestamp: webhook.timestamp, signature: webhook.signature, rawBody: webhook.rawBody }) : 'invalid';
    if (check === 'invalid') throw new AppError('PROVIDER_WEBHOOK_SIGNATURE_INVALID', 'Webhook signature missing or invalid');
    if (check === 'stale') throw new AppError('PROVIDER_WEBHOOK_STALE', 'Webhook timestamp is too far from the current time');

    let sessionId: unknown;
    try {
      sessionId = (JSON.parse(webhook.rawBody.toString('utf8')) as { session_id?: unknown }).session_id;
    } catch {
      throw new AppError('VALIDATION_FAILED', 'Webhook body is not JSON');
    }
    if (typeof sessionId !== 'string' || sessionId.length > 200) throw new AppError('VALIDATION_FAILED', 'session_id: required');
    // Processed once per body: X-Webhook-Id is not covered by the signature, so a replayed body under a
    // fresh id must still count as a duplicate. The id is kept for the audit trail.
    const receiptKey = sha256Hex(webhook.rawBody);
    const webhookId = webhook.webhookId?.slice(0, 200) ?? null;

    const result = await this.record(webhook, sessionId, receiptKey, webhookId);
    if (typeof result === 'string') return { result };
    // Asked after the answer, not before: the provider is not kept waiting on Kezek's own calls to it. If this
    // instance dies first, the round sweep asks within ROUND_POLL_SECONDS; nothing depends on a queued job.
    this.checks.checkInBackground({ roundId: result.roundId, trigger: 'webhook' });
    return { result: 'accepted' };
  }

  /**
   * The receipt, and the delivery in the audit trail of the session's round's envelope: one statement, so a
   * receipt never exists without its event. Answers what is left to do.
   */
  private async record(webhook: IncomingProviderWebhook, sessionId: string, receiptKey: string, webhookId: string | null): Promise<'duplicate' | 'unknown-session' | 'accepted' | { roundId: string }> {
    const [round] = (await this.db.query(
      `SELECT id, envelope_id AS "envelopeId", status FROM signing_round WHERE session_id = $1 AND organisation_id = $2`,
      [sessionId, webhook.organisationId],
    )) as { id: string; envelopeId: string; status: RoundStatus }[];
    const receipt = (from: number) =>
      `receipt AS (INSERT INTO provider_webhook_receipt (organisation_id, webhook_id, session_id) VALUES ($${from}, $${from + 1}, $${from + 2}) ON CONFLICT DO NOTHING RETURNING webhook_id)`;
    const receiptParams = [webhook.organisationId, receiptKey, sessionId];
    if (!round) {
      const [{ fresh }] = (await this.db.query(`WITH ${receipt(1)} SELECT EXISTS (SELECT 1 FROM receipt) AS fresh`, receiptParams)) as { fresh: boolean }[];
      return fresh ? 'unknown-session' : 'duplicate';
    }
    const { fresh } = await this.audit.appendWithChange<{ fresh: boolean }>(
      [
        {
          organisationId: webhook.organisationId,
          envelopeId: round.envelopeId,
          type: 'provider.webhook_received',
          actor: { kind: 'provider', id: sessionId },
          ip: webhook.ip,
          data: { webhookId, roundId: round.id, body: safeJson(webhook.rawBody) },
        },
      ],
      { ctes: receipt(5), decidedBy: 'receipt', select: 'EXISTS (SELECT 1 FROM receipt) AS fresh', params: receiptParams },
    );
    if (!fresh) return 'duplicate';
    // A round already over (usually the return page learned it first) has nothing left to ask about.
    return isOpen(round.status) ? { roundId: round.id } : 'accepted';
  }
}

function safeJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return null;
  }
}
