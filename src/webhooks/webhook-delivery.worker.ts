import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Webhook } from 'standardwebhooks';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { JobsService, type JobContext } from '../jobs/jobs.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { postWebhook, type WebhookPostResult } from './webhook-http.client.js';
import { WebhookDeliveryAttempt } from './webhook-delivery-attempt.entity.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';
import { resolveWebhookTarget, WebhookTargetError } from './webhook-target.js';
import { WEBHOOK_DELIVERY_QUEUE } from './webhooks.service.js';

const MAX_RESPONSE_BYTES = 1024;
const MAX_ERROR_LENGTH = 500;

/** Thrown after a failed attempt was recorded, so that the queue retries the job with backoff. */
export class WebhookAttemptFailedError extends Error {
  constructor(deliveryId: string, attempt: number, reason: string) {
    super(`Webhook delivery ${deliveryId} attempt ${attempt} failed: ${reason}`);
    this.name = 'WebhookAttemptFailedError';
  }
}

type Outcome = { retry: false } | { retry: true; attempt: number; reason: string };

/**
 * Runs `webhook-deliver` jobs: one signed POST per run. The delivery row is locked for the attempt, so two
 * runs of one job never send at once, and a delivery that is no longer pending is never sent again.
 * A failed attempt is committed first and then thrown, and pg-boss retries with exponential backoff
 * (WEBHOOK_RETRY_LIMIT, WEBHOOK_RETRY_DELAY_SECONDS); the last failed attempt marks the delivery failed.
 */
@Injectable()
export class WebhookDeliveryWorker implements OnModuleInit {
  private readonly logger = new Logger('Webhooks');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobsService,
    private readonly endpoints: WebhookEndpointsService,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    this.jobs.register<{ deliveryId: string }>(
      {
        name: WEBHOOK_DELIVERY_QUEUE,
        retryLimit: this.config.WEBHOOK_RETRY_LIMIT,
        retryDelaySeconds: this.config.WEBHOOK_RETRY_DELAY_SECONDS,
        // Well past one attempt (DNS + timeout), so a slow attempt is not run twice.
        expireInSeconds: Math.ceil(this.config.WEBHOOK_TIMEOUT_MS / 1000) * 2 + 60,
        concurrency: 4,
      },
      ({ deliveryId }, job) => this.deliver(deliveryId, job),
    );
  }

  async deliver(deliveryId: string, job: JobContext): Promise<void> {
    const outcome = await this.db.transaction((tx) => this.attempt(tx, deliveryId, job));
    if (outcome.retry) throw new WebhookAttemptFailedError(deliveryId, outcome.attempt, outcome.reason);
  }

  private async attempt(tx: EntityManager, deliveryId: string, job: JobContext): Promise<Outcome> {
    const delivery = await tx.getRepository(WebhookDelivery).findOne({ where: { id: deliveryId }, lock: { mode: 'pessimistic_write' } });
    if (!delivery || delivery.status !== 'pending') return { retry: false };
    const endpoint = await tx.getRepository(WebhookEndpoint).findOneBy({ id: delivery.endpointId, organisationId: delivery.organisationId });
    if (!endpoint || endpoint.deletedAt || !endpoint.enabled) {
      const reason = endpoint?.deletedAt || !endpoint ? 'endpoint deleted' : 'endpoint disabled';
      await this.giveUp(tx, delivery, reason);
      return { retry: false };
    }

    const attempt = delivery.attempts + 1;
    const startedAt = new Date();
    const result = await this.send(endpoint, delivery, startedAt);
    const ok = result.statusCode !== undefined && result.statusCode >= 200 && result.statusCode < 300;
    const final = !ok && (attempt >= this.config.WEBHOOK_RETRY_LIMIT + 1 || job.retryCount >= this.config.WEBHOOK_RETRY_LIMIT);
    const error = ok ? null : (result.error ?? `HTTP ${result.statusCode}`).slice(0, MAX_ERROR_LENGTH);
    this.metrics.webhookDelivery(ok ? 'delivered' : final ? 'failed' : 'retrying');

    await tx.getRepository(WebhookDeliveryAttempt).insert({
      deliveryId,
      attempt,
      startedAt,
      durationMs: result.durationMs,
      statusCode: result.statusCode ?? null,
      error,
      responseExcerpt: result.responseExcerpt || null,
    });
    // pg-boss waits between delay·2^n and delay·2^(n+1) seconds before retry n+1: record the earliest.
    const nextAttemptAt = ok || final ? null : new Date(Date.now() + this.config.WEBHOOK_RETRY_DELAY_SECONDS * 1000 * 2 ** job.retryCount);
    await tx.getRepository(WebhookDelivery).update(
      { id: deliveryId },
      {
        attempts: attempt,
        status: ok ? 'delivered' : final ? 'failed' : 'pending',
        lastStatusCode: result.statusCode ?? null,
        lastError: error,
        nextAttemptAt,
        deliveredAt: ok ? new Date() : null,
      },
    );
    if (delivery.envelopeId) {
      const common = { deliveryId, endpointId: endpoint.id, eventId: delivery.eventId, eventType: delivery.eventType, attempt, statusCode: result.statusCode ?? null };
      await this.audit.append(tx, {
        organisationId: delivery.organisationId,
        envelopeId: delivery.envelopeId,
        type: ok ? 'webhook.delivered' : 'webhook.failed',
        actor: { kind: 'system' },
        data: ok ? common : { ...common, error, willRetry: !final },
      });
    }
    if (ok) return { retry: false };
    this.logger.warn(
      { deliveryId, endpointId: endpoint.id, attempt, statusCode: result.statusCode, willRetry: !final },
      final ? 'webhook delivery failed for good' : 'webhook delivery attempt failed',
    );
    return final ? { retry: false } : { retry: true, attempt, reason: error ?? 'failed' };
  }

  /** Resolves and checks the host again (it may have been rebound since registration), signs, POSTs. */
  private async send(endpoint: WebhookEndpoint, delivery: WebhookDelivery, now: Date): Promise<WebhookPostResult> {
    const started = performance.now();
    let target;
    try {
      target = await resolveWebhookTarget(endpoint.url, { allowPrivate: this.config.WEBHOOKS_ALLOW_PRIVATE });
    } catch (error) {
      if (!(error instanceof WebhookTargetError)) throw error;
      return { error: error.message, durationMs: Math.round(performance.now() - started) };
    }
    const { type, timestamp, data } = delivery.payload;
    const body = JSON.stringify({ type, timestamp, data });
    const signature = new Webhook(this.endpoints.openSecret(endpoint)).sign(delivery.eventId, now, body);
    return postWebhook({
      target,
      body,
      timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
      maxResponseBytes: MAX_RESPONSE_BYTES,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Kezek-Webhooks/1',
        'webhook-id': delivery.eventId,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signature,
      },
    });
  }

  private async giveUp(tx: EntityManager, delivery: WebhookDelivery, reason: string): Promise<void> {
    await tx.getRepository(WebhookDelivery).update({ id: delivery.id }, { status: 'failed', lastError: reason, nextAttemptAt: null });
    if (delivery.envelopeId) {
      await this.audit.append(tx, {
        organisationId: delivery.organisationId,
        envelopeId: delivery.envelopeId,
        type: 'webhook.failed',
        actor: { kind: 'system' },
        data: { deliveryId: delivery.id, endpointId: delivery.endpointId, eventId: delivery.eventId, eventType: delivery.eventType, error: reason, willRetry: false },
      });
    }
  }
}
