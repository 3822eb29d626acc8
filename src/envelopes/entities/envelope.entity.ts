import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { DocumentType } from '../../common/domain/document-type.js';
import type { Language } from '../../common/domain/language.js';
import type { PersistedState } from '../../common/domain/machine-step.js';
import type { EnvelopeContext, EnvelopeStatus } from '../domain/envelope.machine.js';

export type { DocumentType };
export type SignerLanguage = Language;

@Entity('envelope')
export class Envelope {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'organisation_id' }) organisationId: string;
  @Column('text') title: string;
  @Column('text', { name: 'document_type' }) documentType: DocumentType;
  /** Mirrors the machine state, for queries. */
  @Column('text') status: EnvelopeStatus;
  @Column('text', { name: 'status_reason', nullable: true }) statusReason: string | null;
  @Column('jsonb', { name: 'machine_state' }) machineState: PersistedState<EnvelopeContext>;
  @Column('int', { name: 'machine_version' }) machineVersion: number;
  @Column('text') language: SignerLanguage;
  @Column('text', { name: 'redirect_url', nullable: true }) redirectUrl: string | null;
  @Column('int', { name: 'max_attempts' }) maxAttempts: number;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @Column('jsonb') metadata: Record<string, unknown>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @Column('timestamptz', { name: 'sent_at', nullable: true }) sentAt: Date | null;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt: Date | null;
}
