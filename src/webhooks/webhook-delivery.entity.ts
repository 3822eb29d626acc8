import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** One event for one endpoint, delivered at least once: retried with backoff until a 2xx or the retry limit. */
@Entity('webhook_delivery')
export class WebhookDelivery {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organisation_id' })
  organisationId: string;

  @Column('uuid', { name: 'endpoint_id' })
  endpointId: string;

  /** The envelope the event is about, when there is one: attempts are then recorded in its audit trail. */
  @Column('uuid', { name: 'envelope_id', nullable: true })
  envelopeId: string | null;

  /** The Standard Webhooks `webhook-id`: the same across retries, so receivers can deduplicate. */
  @Column('text', { name: 'event_id' })
  eventId: string;

  @Column('text', { name: 'event_type' })
  eventType: string;

  /** The body sent: `{type, timestamp, data}`. */
  @Column('jsonb')
  payload: { type: string; timestamp: string; data: object };

  @Column('text')
  status: WebhookDeliveryStatus;

  @Column('integer')
  attempts: number;

  /** Earliest time of the next attempt while pending (the queue adds jitter). */
  @Column('timestamptz', { name: 'next_attempt_at', nullable: true })
  nextAttemptAt: Date | null;

  @Column('integer', { name: 'last_status_code', nullable: true })
  lastStatusCode: number | null;

  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;

  /** Set by the application at millisecond precision, which keeps pagination cursors exact. */
  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  /** Set while one worker makes an attempt (short transactions before and after it; none during the HTTP call). */
  @Column('uuid', { name: 'claim_token', nullable: true })
  claimToken: string | null;

  /** The claim lapses then, should its worker stop mid-attempt. */
  @Column('timestamptz', { name: 'claimed_until', nullable: true })
  claimedUntil: Date | null;

  @Column('timestamptz', { name: 'delivered_at', nullable: true })
  deliveredAt: Date | null;
}
