import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, type EntitySubscriberInterface, In, IsNull, type QueryRunner, type TransactionCommitEvent, type TransactionRollbackEvent } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { AppError } from '../common/errors/app-error.js';
import { JobsService } from '../jobs/jobs.service.js';
import { endpointWantsEvent, isWebhookEventType, type WebhookEventType } from './domain/webhook-event-types.js';
import { WebhookDeliveryAttempt } from './webhook-delivery-attempt.entity.js';
import { WebhookDelivery, type WebhookDeliveryStatus } from './webhook-delivery.entity.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { decodeKeysetCursor, encodeKeysetCursor, keysetPage } from '../common/http/keyset-page.js';

export const WEBHOOK_DELIVERY_QUEUE = 'webhook-deliver';
/** One job per paused endpoint, due at the end of its cool-down: sends the probe delivery. */
export const WEBHOOK_PROBE_QUEUE = 'webhook-probe';

/** The largest `data` an event may carry; events describe changes, documents are fetched through the API. */
const MAX_EVENT_DATA_BYTES = 64 * 1024;

export interface EmitOptions {
  /** The envelope the event is about: the queued delivery and each attempt are then recorded in its audit trail. */
  envelopeId?: string;
  /**
   * The signer the event is about, as the emitter holds it, for observers in this process (never sent, never
   * stored): a notification needs no second read of the row.
   */
  signer?: { id: string; fullName: string; email: string | null; phone: string };
}

export interface EmittedWebhookEvent {
  /** The webhook-id every receiving endpoint sees for this event. */
  eventId: string;
  /** One per enabled endpoint subscribed to the type; empty when none is. */
  deliveryIds: string[];
}

export interface WebhookDeliveryView {
  id: string;
  endpointId: string;
  envelopeId: string | null;
  eventId: string;
  eventType: string;
  status: WebhookDeliveryStatus;
  attemptCount: number;
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

export interface WebhookDeliveryAttemptView {
  attempt: number;
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseExcerpt: string | null;
}

export interface WebhookDeliveryDetail extends WebhookDeliveryView {
  payload: object;
  attempts: WebhookDeliveryAttemptView[];
}

export interface DeliveryPage {
  items: WebhookDeliveryView[];
  nextCursor: string | null;
}

function viewOfDelivery(row: WebhookDelivery): WebhookDeliveryView {
  return {
    id: row.id,
    endpointId: row.endpointId,
    envelopeId: row.envelopeId,
    eventId: row.eventId,
    eventType: row.eventType,
    status: row.status,
    attemptCount: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    createdAt: row.createdAt,
    deliveredAt: row.deliveredAt,
  };
}


/**
 * Outbound webhooks as other features see them: `emit` inside the transaction that made the change (outbox:
 * the deliveries and their jobs exist if and only if it commits), then `wakeDeliveries` after the commit.
 */
export type WebhookEventObserver = (manager: EntityManager, organisationId: string, type: WebhookEventType, data: object, options: EmitOptions) => Promise<void>;

@Injectable()
export class WebhooksService implements EntitySubscriberInterface {
  /**
   * The organisation's subscribed endpoints as first read by each open transaction: one state change emits
   * several events (signer signed, next signer activated, envelope completed), all of one moment.
   */
  private readonly endpointsByTransaction = new WeakMap<QueryRunner, Map<string, Pick<WebhookEndpoint, 'id' | 'eventTypes'>[]>>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobsService,
    private readonly audit: AuditService,
  ) {
    db.subscribers.push(this);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (!event.queryRunner.isTransactionActive) this.endpointsByTransaction.delete(event.queryRunner);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) this.endpointsByTransaction.delete(event.queryRunner);
  }

  /**
   * The enabled endpoints of the organisation in `organisationColumn`, as a SELECT-list subquery (a JSON array):
   * for a statement a transaction that will emit runs anyway (EnvelopeTransitionsService.lock), so that the
   * transaction reads them with it. Hand the value to `knownEndpoints`.
   */
  endpointsColumn(organisationColumn: string): string {
    return `(SELECT COALESCE(json_agg(json_build_object('id', w.id, 'eventTypes', w.event_types) ORDER BY w.created_at, w.id), '[]')
               FROM webhook_endpoint w WHERE w.organisation_id = ${organisationColumn} AND w.enabled AND w.deleted_at IS NULL)`;
  }

  /** The endpoints an `endpointsColumn` read in this transaction: the ones its events go to. */
  knownEndpoints(manager: EntityManager, organisationId: string, endpoints: Pick<WebhookEndpoint, 'id' | 'eventTypes'>[]): void {
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) return;
    const known = this.endpointsByTransaction.get(runner) ?? new Map<string, Pick<WebhookEndpoint, 'id' | 'eventTypes'>[]>();
    this.endpointsByTransaction.set(runner, known);
    if (!known.has(organisationId)) known.set(organisationId, endpoints);
  }

  private async enabledEndpoints(manager: EntityManager, organisationId: string): Promise<Pick<WebhookEndpoint, 'id' | 'eventTypes'>[]> {
    const runner = manager.queryRunner!;
    const known = this.endpointsByTransaction.get(runner) ?? new Map<string, Pick<WebhookEndpoint, 'id' | 'eventTypes'>[]>();
    this.endpointsByTransaction.set(runner, known);
    let endpoints = known.get(organisationId);
    if (!endpoints) {
      endpoints = await manager.getRepository(WebhookEndpoint).find({
        select: { id: true, eventTypes: true },
        where: { organisationId, enabled: true, deletedAt: IsNull() },
        order: { createdAt: 'ASC', id: 'ASC' },
      });
      known.set(organisationId, endpoints);
    }
    return endpoints;
  }

  /**
   * Queues `type` with `data` for every enabled endpoint of the organisation subscribed to it: one delivery row
   * and one job each, written with the caller's transaction. With `envelopeId`, each queued delivery is also
   * appended to the envelope's audit trail (`webhook.queued`) in that transaction.
   */
  /** Features that act on the same events in the same transaction (notifications queue their mail here). */
  private readonly observers: WebhookEventObserver[] = [];

  observe(observer: WebhookEventObserver): void {
    this.observers.push(observer);
  }

  async emit(manager: EntityManager, organisationId: string, type: WebhookEventType, data: object, options: EmitOptions = {}): Promise<EmittedWebhookEvent> {
    if (!isWebhookEventType(type)) throw new Error(`Unknown webhook event type ${String(type)}`);
    if (!manager.queryRunner?.isTransactionActive) throw new Error('WebhooksService.emit must be called with the EntityManager of an open transaction');
    for (const observer of this.observers) await observer(manager, organisationId, type, data, options);
    const dataText = JSON.stringify(data);
    if (Buffer.byteLength(dataText) > MAX_EVENT_DATA_BYTES) throw new Error(`Webhook event data is larger than ${MAX_EVENT_DATA_BYTES} bytes`);

    const eventId = `msg_${randomUUID().replaceAll('-', '')}`;
    const endpoints = await this.enabledEndpoints(manager, organisationId);
    const subscribed = endpoints.filter((endpoint) => endpointWantsEvent(endpoint.eventTypes, type));
    const createdAt = new Date();
    const payload = { type, timestamp: createdAt.toISOString(), data: JSON.parse(dataText) as object };
    const repository = manager.getRepository(WebhookDelivery);
    const deliveryIds: string[] = [];
    for (const endpoint of subscribed) {
      const delivery = await repository.save(
        repository.create({
          organisationId,
          endpointId: endpoint.id,
          envelopeId: options.envelopeId ?? null,
          eventId,
          eventType: type,
          payload,
          status: 'pending',
          attempts: 0,
          nextAttemptAt: createdAt,
          lastStatusCode: null,
          lastError: null,
          createdAt,
          deliveredAt: null,
          claimToken: null,
          claimedUntil: null,
        }),
      );
      await this.jobs.send(manager, WEBHOOK_DELIVERY_QUEUE, { deliveryId: delivery.id }, { group: organisationId });
      if (options.envelopeId) {
        await this.audit.append(manager, {
          organisationId,
          envelopeId: options.envelopeId,
          type: 'webhook.queued',
          actor: { kind: 'system' },
          data: { deliveryId: delivery.id, endpointId: endpoint.id, eventId, eventType: type },
        });
      }
      deliveryIds.push(delivery.id);
    }
    return { eventId, deliveryIds };
  }

  /** After the emitting transaction commits: lets this instance's delivery workers start at once. */
  wakeDeliveries(): void {
    this.jobs.wake(WEBHOOK_DELIVERY_QUEUE);
  }

  /** An endpoint's deliveries, newest first. Deleted endpoints' history stays listable by delivery id only. */
  async listDeliveries(organisationId: string, endpointId: string, query: { limit?: number; cursor?: string; status?: WebhookDeliveryStatus }): Promise<DeliveryPage> {
    const endpoint = await this.db.getRepository(WebhookEndpoint).findOneBy({ id: endpointId, organisationId, deletedAt: IsNull() });
    if (!endpoint) throw new AppError('WEBHOOK_ENDPOINT_NOT_FOUND', `Webhook endpoint ${endpointId} not found`);
    const limit = query.limit ?? 20;
    const builder = this.db
      .getRepository(WebhookDelivery)
      .createQueryBuilder('d')
      .where('d.organisation_id = :organisationId AND d.endpoint_id = :endpointId', { organisationId, endpointId })
      .orderBy('d.created_at', 'DESC')
      .addOrderBy('d.id', 'DESC')
      .limit(limit + 1);
    if (query.status) builder.andWhere('d.status = :status', { status: query.status });
    if (query.cursor) {
      const after = decodeKeysetCursor(query.cursor);
      builder.andWhere('(d.created_at, d.id) < (CAST(:cursorAt AS timestamptz), CAST(:cursorId AS uuid))', { cursorAt: after.at, cursorId: after.id });
    }
    // created_at is written from a Date (milliseconds), so the entity's Date is the exact sort key.
    const page = keysetPage(await builder.getMany(), limit, (last) => encodeKeysetCursor({ at: last.createdAt, id: last.id }));
    return { items: page.items.map(viewOfDelivery), nextCursor: page.nextCursor };
  }

  /**
   * Sends a finished delivery (delivered or failed) again: the same row goes back to pending with a new job,
   * so its attempts continue in one history and the receiver sees the same webhook-id (it can deduplicate).
   * A delivery still pending is refused: its own retries are under way.
   */
  async redeliver(organisationId: string, deliveryId: string): Promise<WebhookDeliveryView> {
    const view = await this.db.transaction(async (manager) => {
      const repository = manager.getRepository(WebhookDelivery);
      const delivery = await repository.findOneBy({ id: deliveryId, organisationId });
      if (!delivery) throw new AppError('WEBHOOK_DELIVERY_NOT_FOUND', `Webhook delivery ${deliveryId} not found`);
      const endpoint = await manager.getRepository(WebhookEndpoint).findOneBy({ id: delivery.endpointId, organisationId, deletedAt: IsNull() });
      if (!endpoint) throw new AppError('WEBHOOK_ENDPOINT_NOT_FOUND', `Webhook endpoint ${delivery.endpointId} not found (deleted)`);
      const now = new Date();
      const changed = await repository.update({ id: delivery.id, organisationId, status: In(['delivered', 'failed']) }, { status: 'pending', nextAttemptAt: now });
      if (!changed.affected) throw new AppError('CONFLICT', 'This delivery is still being attempted; redeliver it once it is delivered or failed');
      await this.jobs.send(manager, WEBHOOK_DELIVERY_QUEUE, { deliveryId: delivery.id });
      if (delivery.envelopeId) {
        await this.audit.append(manager, {
          organisationId,
          envelopeId: delivery.envelopeId,
          type: 'webhook.queued',
          actor: { kind: 'system' },
          data: { deliveryId: delivery.id, endpointId: endpoint.id, eventId: delivery.eventId, eventType: delivery.eventType, redelivery: true },
        });
      }
      return viewOfDelivery({ ...delivery, status: 'pending', nextAttemptAt: now });
    });
    this.wakeDeliveries();
    return view;
  }

  async getDelivery(organisationId: string, id: string): Promise<WebhookDeliveryDetail> {
    const row = await this.db.getRepository(WebhookDelivery).findOneBy({ id, organisationId });
    if (!row) throw new AppError('WEBHOOK_DELIVERY_NOT_FOUND', `Webhook delivery ${id} not found`);
    const attempts = await this.db.getRepository(WebhookDeliveryAttempt).find({ where: { deliveryId: id }, order: { attempt: 'ASC' } });
    return {
      ...viewOfDelivery(row),
      payload: row.payload,
      attempts: attempts.map(({ attempt, startedAt, durationMs, statusCode, error, responseExcerpt }) => ({ attempt, startedAt, durationMs, statusCode, error, responseExcerpt })),
    };
  }
}
