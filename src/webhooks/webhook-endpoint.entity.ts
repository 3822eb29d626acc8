import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { BreakerState } from './domain/circuit-breaker.js';

/** Where an organisation wants its events POSTed. The signing secret is sealed (SecretBox): it must be readable to sign. */
@Entity('webhook_endpoint')
export class WebhookEndpoint {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organisation_id' })
  organisationId: string;

  @Column('text')
  url: string;

  @Column('text')
  description: string;

  /** Event types and `group.*` wildcards; empty means every event. */
  @Column('text', { name: 'event_types', array: true })
  eventTypes: string[];

  /** Null once the endpoint is deleted. */
  @Column('text', { name: 'secret_sealed', nullable: true })
  secretSealed: string | null;

  @Column('boolean')
  enabled: boolean;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;

  @Column('timestamptz', { name: 'disabled_at', nullable: true })
  disabledAt: Date | null;

  /** The circuit breaker (see domain/circuit-breaker.ts): `open` pauses deliveries after repeated failures. */
  @Column('text', { name: 'breaker_state' })
  breakerState: BreakerState;

  @Column('timestamptz', { name: 'breaker_opened_at', nullable: true })
  breakerOpenedAt: Date | null;

  @Column('integer', { name: 'consecutive_failures' })
  consecutiveFailures: number;

  /** Deleted endpoints are kept (without their secret) so that their delivery history stays readable. */
  @Column('timestamptz', { name: 'deleted_at', nullable: true })
  deletedAt: Date | null;
}
