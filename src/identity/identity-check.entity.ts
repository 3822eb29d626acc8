import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { IdentityCheckStatus, IdentityFailure, IdentityResults } from './domain/identity-outcome.js';

/** One identity attempt of a signer: one provider flow session and its PII-minimised outcome. */
@Entity('identity_check')
export class IdentityCheckRow {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'organisation_id' }) organisationId: string;
  @Column('uuid', { name: 'envelope_id' }) envelopeId: string;
  @Column('uuid', { name: 'signer_id' }) signerId: string;
  @Column('int') attempt: number;
  @Column('text', { name: 'session_id' }) sessionId: string;
  @Column('text', { array: true }) technologies: string[];
  @Column('text') status: IdentityCheckStatus;
  @Column('text', { name: 'failure_reason', nullable: true }) failureReason: IdentityFailure | null;
  @Column('jsonb', { nullable: true }) results: IdentityResults | null;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt: Date | null;
}
