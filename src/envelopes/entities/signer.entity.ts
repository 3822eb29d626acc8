import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { SignerStatus } from '../domain/envelope.machine.js';

@Entity('signer')
export class Signer {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'envelope_id' }) envelopeId: string;
  @Column('uuid', { name: 'organisation_id' }) organisationId: string;
  @Column('int') position: number;
  @Column('text', { name: 'full_name' }) fullName: string;
  @Column('text') iin: string;
  @Column('text') phone: string;
  /** Where Kezek mails the signer when it is their turn (optional). */
  @Column('text', { nullable: true }) email: string | null;
  @Column('int', { name: 'routing_order' }) routingOrder: number;
  /** Mirrors the envelope machine's context. */
  @Column('text') status: SignerStatus;
  @Column('int') attempts: number;
  /** SHA-256 of the link token: how an opened link finds its signer. */
  @Column('bytea', { name: 'link_token_hash' }) linkTokenHash: Buffer;
  /** The token itself, sealed, so the API can show the link again. */
  @Column('text', { name: 'link_token_sealed' }) linkTokenSealed: string;
  @Column('timestamptz', { name: 'activated_at', nullable: true }) activatedAt: Date | null;
  @Column('timestamptz', { name: 'signed_at', nullable: true }) signedAt: Date | null;
  @Column('timestamptz', { name: 'declined_at', nullable: true }) declinedAt: Date | null;
  @Column('text', { name: 'decline_reason', nullable: true }) declineReason: string | null;
  @Column('timestamptz', { name: 'failed_at', nullable: true }) failedAt: Date | null;
  @Column('timestamptz', { name: 'last_opened_at', nullable: true }) lastOpenedAt: Date | null;
}
