import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { AuditActor, JsonValue } from './domain/audit-chain.js';

/**
 * One entry of an envelope's audit trail. Rows are only ever inserted (a database trigger refuses UPDATE,
 * DELETE and TRUNCATE); `hash` chains each row to the previous one of the same envelope (see audit-chain.ts).
 */
@Entity('audit_event')
@Unique('audit_event_envelope_seq_key', ['envelopeId', 'seq'])
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organisation_id' })
  organisationId: string;

  @Column('uuid', { name: 'envelope_id' })
  envelopeId: string;

  @Column('integer')
  seq: number;

  @Column('text')
  type: string;

  @Column('jsonb')
  actor: AuditActor;

  @Column('text', { nullable: true })
  ip: string | null;

  @Column('text', { name: 'user_agent', nullable: true })
  userAgent: string | null;

  @Column('jsonb')
  data: { [key: string]: JsonValue };

  /** Set by the application (millisecond precision) so that the hashed ISO time reads back identically. */
  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('text', { name: 'prev_hash' })
  prevHash: string;

  @Column('text')
  hash: string;
}
