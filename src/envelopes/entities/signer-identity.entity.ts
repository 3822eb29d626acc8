import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { IdentityCheck } from '../domain/identity-requirement.js';

/** What a signer must pass before signing: the checks, the E-Document type, the integrator's reference photo (sealed). */
@Entity('signer_identity')
export class SignerIdentity {
  @PrimaryColumn('uuid', { name: 'signer_id' }) signerId: string;
  @Column('uuid', { name: 'organisation_id' }) organisationId: string;
  @Column('uuid', { name: 'envelope_id' }) envelopeId: string;
  @Column('text', { array: true }) checks: IdentityCheck[];
  @Column('text', { name: 'edocument_type', nullable: true }) edocumentType: string | null;
  /** Base64 of the face photo, sealed with SECRETS_KEY: a face is personal data. */
  @Column('text', { name: 'photo_sealed', nullable: true, select: false }) photoSealed: string | null;
  @Column('int', { name: 'max_attempts' }) maxAttempts: number;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
}
