import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { JobsService } from '../jobs/jobs.service.js';
import { admitsDeliveries, afterAttempt, type Breaker, type BreakerSettings, probeDueAt, startProbe } from './domain/circuit-breaker.js';
import type { WebhookPostResult } from './webhook-http.client.js';
import { WebhookDeliveryAttempt } from './webhook-delivery-attempt.entity.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { WEBHOOK_DELIVERY_QUEUE, WEBHOOK_PROBE_QUEUE } from './webhooks.service.js';

const MAX_ERROR_LENGTH = 500;
/** A job that found its organisation or endpoint at its limit tries again this much later. */
const BUSY_RETRY_MS = 1000;

/** One delivery taken by one worker for one attempt. */
export interface DeliveryClaim {
  token: string;
  delivery: WebhookDelivery;
  endpoint: WebhookEndpoint;
  /** The attempt is the probe of a paused endpoint. */
  probe: boolean;
}

export type AttemptOutcome = 'delivered' | 'retrying' | 'failed';

/**
 * The endpoint row is locked to move its breaker, never its key: FOR NO KEY UPDATE, which leaves the KEY SHARE
 * lock that inserting a delivery for the endpoint takes (its foreign key) free. With FOR UPDATE, a transition
 * queueing a delivery (envelope locked, audit row written) and an attempt being recorded (endpoint locked,
 * appending to the same envelope's audit trail) waited for each other: a deadlock that failed the transition.
 */
const ENDPOINT_LOCK = 'for_no_key_update' as const;

function breakerOf(endpoint: WebhookEndpoint): Breaker {
  return { state: endpoint.breakerState, openedAt: endpoint.breakerOpenedAt, consecutiveFailures: endpoint.consecutiveFailures };
}

/**
 * The database side of delivering webhooks, in short transactions around the HTTP call (which runs with no
 * transaction open and no row locked).
 *
 * A `webhook-deliver` job is a turn of its delivery's endpoint: it claims the endpoint's oldest due delivery
 * (usually its own), so an endpoint's deliveries go out oldest first, also when a paused endpoint resumes.
 * Claims of one organisation are serialised by an advisory lock held only for the claim, which makes the
 * in-flight counts exact across instances: at most WEBHOOK_ORGANISATION_CONCURRENCY attempts per
 * organisation and WEBHOOK_ENDPOINT_CONCURRENCY per endpoint. A job over a limit is queued again a moment
 * later instead of waiting in a worker, so workers stay free for other organisations.
 *
 * Every pending delivery keeps a job: its own, a retry job (after a failed attempt), or the job queued when
 * its endpoint resumes (for deliveries held while it was paused).
 */
@Injectable()
export class WebhookDeliveryClaims {
  private readonly logger = new Logger('Webhooks');
  private readonly breaker: BreakerSettings;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobsService,
    private readonly audit: AuditService,
  ) {
    this.breaker = { threshold: config.WEBHOOK_BREAKER_THRESHOLD, cooldownMs: config.WEBHOOK_BREAKER_COOLDOWN_SECONDS * 1000 };
  }

  /** The claim lasts well past one attempt (DNS + timeout), and ends before the queue would run the job again. */
  private get leaseMs(): number {
    return this.config.WEBHOOK_TIMEOUT_MS + 60_000;
  }

  /** The turn of `deliveryId`'s endpoint: a claim to attempt now, or null when there is nothing to do now. */
  async claimTurn(deliveryId: string, now: Date): Promise<DeliveryClaim | null> {
    return this.db.transaction(async (tx) => {
      const found = await tx.getRepository(WebhookDelivery).findOne({ select: { id: true, organisationId: true }, where: { id: deliveryId } });
      if (!found) return null;
      await this.lockOrganisation(tx, found.organisationId);
      const own = (await tx.getRepository(WebhookDelivery).findOneBy({ id: deliveryId }))!;
      if (own.status !== 'pending') return null;
      const endpoint = await tx.getRepository(WebhookEndpoint).findOneBy({ id: own.endpointId, organisationId: own.organisationId });
      if (!endpoint || endpoint.deletedAt || !endpoint.enabled) {
        await this.giveUp(tx, own, !endpoint || endpoint.deletedAt ? 'endpoint deleted' : 'endpoint disabled');
        return null;
      }
      // Held while the endpoint is paused: the job queued when it resumes sends it.
      if (!admitsDeliveries(breakerOf(endpoint))) return null;
      if (own.claimToken && own.claimedUntil && own.claimedUntil > now) {
        // Another worker is attempting it; should that worker stop, the claim lapses and this job takes over.
        await this.requeue(tx, own, own.claimedUntil);
        return null;
      }
      // Not due: a retry job for it is queued at nextAttemptAt.
      if (own.nextAttemptAt && own.nextAttemptAt > now) return null;
      if (!(await this.hasCapacity(tx, own.organisationId, own.endpointId, now))) {
        await this.requeue(tx, own, new Date(now.getTime() + BUSY_RETRY_MS));
        return null;
      }
      const next = await this.oldestPending(tx, own.endpointId, now, { dueOnly: true });
      // `own` is due and unclaimed, so there is at least one.
      const claim = await this.claim(tx, next ?? own, endpoint, now, false);
      // An older delivery went first: this one gets its turn again at once.
      if (claim.delivery.id !== own.id) await this.requeue(tx, own, now);
      return claim;
    });
  }

  /** The probe of a paused endpoint, after its cool-down: its oldest held delivery, or null. */
  async claimProbe(endpointId: string, now: Date): Promise<DeliveryClaim | null> {
    return this.db.transaction(async (tx) => {
      const found = await tx.getRepository(WebhookEndpoint).findOne({ select: { id: true, organisationId: true }, where: { id: endpointId } });
      if (!found) return null;
      await this.lockOrganisation(tx, found.organisationId);
      const endpoint = (await tx.getRepository(WebhookEndpoint).findOne({ where: { id: endpointId }, lock: { mode: ENDPOINT_LOCK } }))!;
      if (endpoint.deletedAt || !endpoint.enabled) {
        const held = await tx.getRepository(WebhookDelivery).find({ where: { endpointId, status: 'pending' }, order: { createdAt: 'ASC', id: 'ASC' } });
        for (const delivery of held) await this.giveUp(tx, delivery, endpoint.deletedAt ? 'endpoint deleted' : 'endpoint disabled');
        return null;
      }
      const breaker = breakerOf(endpoint);
      const probing = startProbe(breaker, this.breaker, now);
      if (!probing) {
        const due = probeDueAt(breaker, this.breaker);
        if (due) await this.queueProbe(tx, endpoint, due);
        return null;
      }
      if (!(await this.hasCapacity(tx, endpoint.organisationId, endpoint.id, now, { probe: true }))) {
        await this.queueProbe(tx, endpoint, new Date(now.getTime() + BUSY_RETRY_MS));
        return null;
      }
      const next = await this.oldestPending(tx, endpoint.id, now, { dueOnly: false });
      if (!next) {
        // Nothing to probe with: resume, keeping the failure count, so the next failed attempt pauses it again.
        await this.saveBreaker(tx, endpoint, { ...breaker, state: 'closed', openedAt: null });
        return null;
      }
      await this.saveBreaker(tx, endpoint, probing);
      return this.claim(tx, next, endpoint, now, true);
    });
  }

  /**
   * Records an attempt's result, releases the claim, moves the endpoint's breaker and queues what follows
   * (the retry, the probe of a paused endpoint, or the deliveries held until it resumed), in one transaction.
   * Null when the claim had lapsed and another worker took the delivery over (nothing is recorded then).
   */
  async record(claim: DeliveryClaim, result: WebhookPostResult, startedAt: Date): Promise<AttemptOutcome | null> {
    const { delivery, token } = claim;
    return this.db.transaction(async (tx) => {
      const endpoint = await tx.getRepository(WebhookEndpoint).findOne({ where: { id: delivery.endpointId }, lock: { mode: ENDPOINT_LOCK } });
      const current = await tx.getRepository(WebhookDelivery).findOne({ where: { id: delivery.id }, lock: { mode: 'pessimistic_write' } });
      if (!endpoint || !current || current.claimToken !== token || current.status !== 'pending') return null;

      const now = new Date();
      const attempt = current.attempts + 1;
      const ok = result.statusCode !== undefined && result.statusCode >= 200 && result.statusCode < 300;
      const final = !ok && attempt >= this.config.WEBHOOK_RETRY_LIMIT + 1;
      const error = ok ? null : (result.error ?? `HTTP ${result.statusCode}`).slice(0, MAX_ERROR_LENGTH);
      const nextAttemptAt = ok || final ? null : new Date(now.getTime() + this.config.WEBHOOK_RETRY_DELAY_SECONDS * 1000 * 2 ** (attempt - 1));

      await tx.getRepository(WebhookDeliveryAttempt).insert({
        deliveryId: delivery.id,
        attempt,
        startedAt,
        durationMs: result.durationMs,
        statusCode: result.statusCode ?? null,
        error,
        responseExcerpt: result.responseExcerpt || null,
      });
      await tx.getRepository(WebhookDelivery).update(
        { id: delivery.id },
        {
          attempts: attempt,
          status: ok ? 'delivered' : final ? 'failed' : 'pending',
          lastStatusCode: result.statusCode ?? null,
          lastError: error,
          nextAttemptAt,
          deliveredAt: ok ? now : null,
          claimToken: null,
          claimedUntil: null,
        },
      );
      if (nextAttemptAt) await this.requeue(tx, current, nextAttemptAt);

      const change = afterAttempt(breakerOf(endpoint), ok, this.breaker, now);
      await this.saveBreaker(tx, endpoint, change.next);
      if (change.opened) {
        await this.queueProbe(tx, endpoint, probeDueAt(change.next, this.breaker)!);
        this.logger.warn({ endpointId: endpoint.id, consecutiveFailures: change.next.consecutiveFailures, probe: claim.probe }, 'webhook endpoint paused after repeated failures');
      }
      if (change.closed) {
        const released = await this.release(tx, endpoint, now);
        this.logger.log({ endpointId: endpoint.id, released }, 'webhook endpoint resumed');
      }

      if (current.envelopeId) {
        const common = { deliveryId: delivery.id, endpointId: endpoint.id, eventId: current.eventId, eventType: current.eventType, attempt, statusCode: result.statusCode ?? null };
        await this.audit.append(tx, {
          organisationId: current.organisationId,
          envelopeId: current.envelopeId,
          type: ok ? 'webhook.delivered' : 'webhook.failed',
          actor: { kind: 'system' },
          data: ok ? common : { ...common, error, willRetry: !final },
        });
      }
      if (!ok) {
        this.logger.warn(
          { deliveryId: delivery.id, endpointId: endpoint.id, attempt, statusCode: result.statusCode, willRetry: !final },
          final ? 'webhook delivery failed for good' : 'webhook delivery attempt failed',
        );
      }
      return ok ? 'delivered' : final ? 'failed' : 'retrying';
    });
  }

  /** Held only for the claim's transaction: claims of one organisation one at a time, so the counts are exact. */
  private async lockOrganisation(tx: EntityManager, organisationId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('webhook_claims:' || $1::text, 0))`, [organisationId]);
  }

  private async hasCapacity(tx: EntityManager, organisationId: string, endpointId: string, now: Date, { probe = false } = {}): Promise<boolean> {
    const [counts] = (await tx.query(
      `SELECT count(*)::int AS organisation, (count(*) FILTER (WHERE endpoint_id = $2))::int AS endpoint
         FROM webhook_delivery
        WHERE organisation_id = $1 AND claim_token IS NOT NULL AND claimed_until > $3`,
      [organisationId, endpointId, now],
    )) as { organisation: number; endpoint: number }[];
    // A probe is the endpoint's only attempt: one delivery, and its answer decides.
    const endpointLimit = probe ? 1 : this.config.WEBHOOK_ENDPOINT_CONCURRENCY;
    return counts.organisation < this.config.WEBHOOK_ORGANISATION_CONCURRENCY && counts.endpoint < endpointLimit;
  }

  private async oldestPending(tx: EntityManager, endpointId: string, now: Date, { dueOnly }: { dueOnly: boolean }): Promise<WebhookDelivery | null> {
    const builder = tx
      .getRepository(WebhookDelivery)
      .createQueryBuilder('d')
      .where(`d.endpoint_id = :endpointId AND d.status = 'pending'`, { endpointId })
      .andWhere('(d.claim_token IS NULL OR d.claimed_until <= :now)', { now })
      .orderBy('d.created_at', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .limit(1);
    if (dueOnly) builder.andWhere('(d.next_attempt_at IS NULL OR d.next_attempt_at <= :now)', { now });
    return builder.getOne();
  }

  private async claim(tx: EntityManager, delivery: WebhookDelivery, endpoint: WebhookEndpoint, now: Date, probe: boolean): Promise<DeliveryClaim> {
    const token = randomUUID();
    const claimedUntil = new Date(now.getTime() + this.leaseMs);
    await tx.getRepository(WebhookDelivery).update({ id: delivery.id }, { claimToken: token, claimedUntil });
    return { token, delivery: { ...delivery, claimToken: token, claimedUntil }, endpoint, probe };
  }

  /** Queues a job for every pending delivery of a resumed endpoint (oldest first; each job sends the oldest due). */
  private async release(tx: EntityManager, endpoint: WebhookEndpoint, now: Date): Promise<number> {
    const held = await tx
      .getRepository(WebhookDelivery)
      .createQueryBuilder('d')
      .select(['d.id', 'd.organisationId', 'd.nextAttemptAt'])
      .where(`d.endpoint_id = :endpointId AND d.status = 'pending' AND d.claim_token IS NULL`, { endpointId: endpoint.id })
      .orderBy('d.created_at', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .getMany();
    for (const delivery of held) await this.requeue(tx, delivery, delivery.nextAttemptAt && delivery.nextAttemptAt > now ? delivery.nextAttemptAt : now);
    return held.length;
  }

  private requeue(tx: EntityManager, delivery: Pick<WebhookDelivery, 'id' | 'organisationId'>, startAfter: Date): Promise<unknown> {
    return this.jobs.send(tx, WEBHOOK_DELIVERY_QUEUE, { deliveryId: delivery.id }, { startAfter, group: delivery.organisationId });
  }

  private queueProbe(tx: EntityManager, endpoint: WebhookEndpoint, startAfter: Date): Promise<unknown> {
    return this.jobs.send(tx, WEBHOOK_PROBE_QUEUE, { endpointId: endpoint.id }, { startAfter });
  }

  private async saveBreaker(tx: EntityManager, endpoint: WebhookEndpoint, breaker: Breaker): Promise<void> {
    await tx
      .getRepository(WebhookEndpoint)
      .update({ id: endpoint.id }, { breakerState: breaker.state, breakerOpenedAt: breaker.openedAt, consecutiveFailures: breaker.consecutiveFailures });
  }

  private async giveUp(tx: EntityManager, delivery: WebhookDelivery, reason: string): Promise<void> {
    await tx.getRepository(WebhookDelivery).update({ id: delivery.id }, { status: 'failed', lastError: reason, nextAttemptAt: null, claimToken: null, claimedUntil: null });
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
