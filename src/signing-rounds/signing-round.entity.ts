import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { PersistedState } from '../common/domain/machine-step.js';
import type { RoundContext, RoundStatus } from './domain/signing-round.machine.js';

/**
 * One document as uploaded for a round. `name`, `originalSha256` and `inputSignatures` (the fingerprints of
 * the signatures already in the upload, none for the original) are what checking the returned CMS needs;
 * kept at upload, so the check reads neither the document nor the previous group's CMS again. Rounds
 * started before they were kept lack them, and are checked by reading both.
 */
export interface RoundUpload {
  documentId: string;
  providerDocumentId: string;
  inputSha256: string;
  name?: string;
  originalSha256?: string;
  inputSignatures?: string[];
}

@Entity('signing_round')
export class SigningRound {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'organisation_id' }) organisationId: string;
  @Column('uuid', { name: 'envelope_id' }) envelopeId: string;
  @Column('uuid', { name: 'signer_id' }) signerId: string;
  @Column('int') attempt: number;
  @Column('int', { name: 'routing_order' }) routingOrder: number;
  /** Null while the round is a reservation whose provider session is not yet recorded (STARTING). */
  @Column('text', { name: 'session_id', nullable: true }) sessionId: string | null;
  @Column('text', { name: 'check_id', nullable: true }) checkId: string | null;
  /** Which provider document id each envelope document was uploaded as, and what checking the result needs. */
  @Column('jsonb') uploads: RoundUpload[];
  /** Derived from machine_state (round-state.ts writes both). */
  @Column('text') status: RoundStatus;
  @Column('jsonb', { name: 'machine_state' }) machineState: PersistedState<RoundContext>;
  @Column('int', { name: 'machine_version' }) machineVersion: number;
  @Column('text', { name: 'failure_reason', nullable: true }) failureReason: string | null;
  @Column('text', { name: 'rejection_reason', nullable: true }) rejectionReason: string | null;
  @Column('text', { name: 'rejection_message', nullable: true }) rejectionMessage: string | null;
  @Column('text', { name: 'redirect_status', nullable: true }) redirectStatus: string | null;
  @Column('text', { name: 'redirect_reason', nullable: true }) redirectReason: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  /** The provider session's 30 minutes end here. */
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt: Date | null;
  @Column('timestamptz', { name: 'last_checked_at', nullable: true }) lastCheckedAt: Date | null;
  /** Checks in a row the provider did not answer: the round sweep waits longer before the next. */
  @Column('int', { name: 'check_failures', default: 0 }) checkFailures: number;
}

/** A round whose provider session is recorded (every round but a reservation still starting). */
export type RoundWithSession = SigningRound & { sessionId: string; checkId: string };

export function hasSession(round: SigningRound): round is RoundWithSession {
  return round.sessionId !== null && round.checkId !== null;
}
