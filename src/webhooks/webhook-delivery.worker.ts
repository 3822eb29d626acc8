import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { JobsService, type JobContext } from '../jobs/jobs.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { type DeliveryClaim, WebhookDeliveryClaims } from './webhook-delivery-claims.js';
import { postWebhook, type WebhookPostResult } from './webhook-http.client.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';
import { resolveWebhookTarget, WebhookTargetError } from './webhook-target.js';
import { WEBHOOK_DELIVERY_QUEUE, WEBHOOK_PROBE_QUEUE } from './webhooks.service.js';

const MAX_RESPONSE_BYTES = 1024;

/**
 * Runs `webhook-deliver` jobs (an endpoint's turn) and `webhook-probe` jobs (a paused endpoint's probe): claim
 * a delivery in a short transaction, POST it with no transaction open, record the outcome in another short
 * transaction (WebhookDeliveryClaims). A failed attempt schedules its own retry with exponential backoff
 * (WEBHOOK_RETRY_LIMIT, WEBHOOK_RETRY_DELAY_SECONDS); the queue's own retries only cover a worker that stopped.
 */
@Injectable()
export class WebhookDeliveryWorker implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobsService,
    private readonly claims: WebhookDeliveryClaims,
    private readonly endpoints: WebhookEndpointsService,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    const common = {
      retryLimit: 3,
      retryDelaySeconds: this.config.WEBHOOK_RETRY_DELAY_SECONDS,
      // Well past one attempt (DNS + timeout) and its claim, so a slow attempt is not run twice.
      expireInSeconds: Math.ceil(this.config.WEBHOOK_TIMEOUT_MS / 1000) * 2 + 60,
    };
    this.jobs.register<{ deliveryId: string }>(
      {
        name: WEBHOOK_DELIVERY_QUEUE,
        ...common,
        concurrency: this.config.WEBHOOK_WORKERS,
        groupConcurrency: this.config.WEBHOOK_ORGANISATION_CONCURRENCY,
      },
      ({ deliveryId }, job) => this.deliver(deliveryId, job),
    );
    this.jobs.register<{ endpointId: string }>({ name: WEBHOOK_PROBE_QUEUE, ...common, concurrency: 1 }, ({ endpointId }) => this.probe(endpointId));
  }

  /** The turn of `deliveryId`'s endpoint; running it twice is harmless (a settled delivery is never sent again). */
  async deliver(deliveryId: string, _job?: JobContext): Promise<void> {
    const claim = await this.claims.claimTurn(deliveryId, new Date());
    // The claim may have queued this delivery's next turn (an older one went first): start it now.
    this.jobs.wake(WEBHOOK_DELIVERY_QUEUE);
    if (claim) await this.attempt(claim);
  }

  async probe(endpointId: string): Promise<void> {
    const claim = await this.claims.claimProbe(endpointId, new Date());
    if (claim) await this.attempt(claim);
  }

  private async attempt(claim: DeliveryClaim): Promise<void> {
    const startedAt = new Date();
    const result = await this.send(claim, startedAt);
    const outcome = await this.claims.record(claim, result, startedAt);
    if (outcome) this.metrics.webhookDelivery(outcome);
    // A retry, a probe or the deliveries a resumed endpoint released may have been queued: start what is due.
    this.jobs.wake(WEBHOOK_DELIVERY_QUEUE);
  }

  /** Resolves and checks the host again (it may have been rebound since registration), signs, POSTs. */
  private async send({ endpoint, delivery }: DeliveryClaim, now: Date): Promise<WebhookPostResult> {
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
}
