import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { FailureReason, SessionStatus } from './domain/session-rules.js';

/** The sandbox's tables live in their own PostgreSQL schema, apart from Kezek's. */
const schema = 'sandbox';

@Entity({ name: 'session', schema })
export class SandboxSession {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'organisation_id' }) organisationId: string;
  @Column('char', { length: 12 }) iin: string;
  @Column('text') phone: string;
  @Column('text', { name: 'document_type' }) documentType: 'pdf' | 'xml';
  @Column('uuid', { name: 'check_id' }) checkId: string;
  @Column('text') status: SessionStatus;
  @Column('text', { name: 'failure_reason', nullable: true }) failureReason: FailureReason | null;
  @Column('text', { name: 'redirect_reason', nullable: true }) redirectReason: string | null;
  @Column('text', { name: 'redirect_url', nullable: true }) redirectUrl: string | null;
  @Column('text', { nullable: true }) language: string | null;
  @Column('char', { name: 'signed_as_iin', length: 12, nullable: true }) signedAsIin: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @Column('timestamptz', { name: 'opened_at', nullable: true }) openedAt: Date | null;
  @Column('timestamptz', { name: 'ended_at', nullable: true }) endedAt: Date | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
