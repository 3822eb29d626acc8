import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/app-config.js';
import type { SessionTransition } from './domain/session-rules.js';
import { type ProviderWebhookEvent, signWebhook } from '../cloud-eds/webhook-signature.js';
import { webhookRetryDelayMs } from './domain/webhook-delivery.js';
import { SandboxOrganisation, type SandboxSession, type SandboxWebhookDelivery } from './sandbox.entities.js';

const DELIVERY_TIMEOUT_MS = 10_000;
/** A claimed delivery is not picked again for this long (covers a process dying mid-delivery). */
const CLAIM_MS = 60_000;

interface ClaimedDelivery {
  id: string;
  organisation_id: string;
  url: string;
  body: string;
  attempts: number;
}

/**
 * Webhooks of the sandbox: when a session ends, a delivery row is written in the same transaction;
 * a poller (each instance, rows claimed with SKIP LOCKED) posts it, signed, and retries with backoff.
 */
@Injectable()
export class SandboxWebhooksService {
  private readonly logger = new Logger('SandboxWebhooks');
  private kickHandler?: () => void;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async enqueue(tx: EntityManager, session: SandboxSession, next: SessionTransition, now: Date): Promise<void> {
    const organisation = await tx.getRepository(SandboxOrganisation).findOneByOrFail({ id: session.organisationId });
    if (!organisation.webhookUrl) return;
    const event: ProviderWebhookEvent = {
      event: next.status === 'FINISHED' ? 'session.finished' : 'session.canceled',
      session_id: session.id,
      status: next.status as ProviderWebhookEvent['status'],
      failure_reason: next.failureReason,
      check_id: session.checkId,
      time: now.toISOString(),
    };
    await tx.query(`INSERT INTO sandbox.webhook_delivery (id, organisation_id, session_id, url, body) VALUES ($1, $2, $3, $4, $5)`, [
      randomUUID(),
      organisation.id,
      session.id,
      organisation.webhookUrl,
      JSON.stringify(event),
    ]);
  }

  /** Called by the poller to be woken early when a delivery was just queued. */
  onKick(handler: () => void): void {
    this.kickHandler = handler;
  }

  kick(): void {
    this.kickHandler?.();
  }

  /** Claims and sends the due deliveries; returns how many were attempted. */
  async deliverDue(limit = 20): Promise<number> {
    const claimed = (await this.db.query(
      `UPDATE sandbox.webhook_delivery SET attempts = attempts + 1, next_attempt_at = now() + ($2 || ' milliseconds')::interval
       WHERE id IN (SELECT id FROM sandbox.webhook_delivery WHERE state = 'pending' AND next_attempt_at <= now()
                    ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING id, organisation_id, url, body, attempts`,
      [limit, String(CLAIM_MS)],
    )) as [ClaimedDelivery[], number];
    await Promise.all(claimed[0].map((delivery) => this.attempt(delivery)));
    return claimed[0].length;
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const organisation = await this.db.getRepository(SandboxOrganisation).findOneBy({ id: delivery.organisation_id });
    let status: number | null = null;
    let error: string | null = null;
    if (organisation) {
      const timestamp = Math.floor(Date.now() / 1000);
      try {
        const response = await fetch(delivery.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Kezek-Sandbox-Webhook/1',
            'x-webhook-id': delivery.id,
            'x-webhook-timestamp': String(timestamp),
            'x-webhook-signature': signWebhook(organisation.webhookSecret, timestamp, delivery.body),
          },
          body: delivery.body,
          redirect: 'manual',
          signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        });
        status = response.status;
        await response.arrayBuffer().catch(() => undefined);
        if (status < 200 || status >= 300) error = `HTTP ${status}`;
      } catch (cause) {
        error = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
      }
    } else {
      error = 'organisation removed';
    }
    if (!error) {
      await this.db.query(`UPDATE sandbox.webhook_delivery SET state = 'delivered', delivered_at = now(), last_status = $2, last_error = NULL WHERE id = $1`, [
        delivery.id,
        status,
      ]);
      return;
    }
    const givingUp = delivery.attempts >= this.config.SANDBOX_WEBHOOK_MAX_ATTEMPTS || !organisation;
    const delay = webhookRetryDelayMs(delivery.attempts, this.config.SANDBOX_WEBHOOK_RETRY_BASE_MS);
    await this.db.query(
      `UPDATE sandbox.webhook_delivery SET state = $2, last_status = $3, last_error = $4, next_attempt_at = now() + ($5 || ' milliseconds')::interval WHERE id = $1`,
      [delivery.id, givingUp ? 'failed' : 'pending', status, error.slice(0, 500), String(delay)],
    );
    this.logger.warn({ deliveryId: delivery.id, attempt: delivery.attempts, status, error, givingUp }, 'sandbox webhook delivery failed');
  }

  async deliveriesOf(organisationId: string, limit = 50): Promise<SandboxWebhookDelivery[]> {
    return this.db.query(
      `SELECT id, session_id AS "sessionId", url, body, state, attempts, next_attempt_at AS "nextAttemptAt", last_status AS "lastStatus",
              last_error AS "lastError", created_at AS "createdAt", delivered_at AS "deliveredAt"
       FROM sandbox.webhook_delivery WHERE organisation_id = $1 ORDER BY created_at DESC LIMIT $2`,
      [organisationId, limit],
    );
  }
}
