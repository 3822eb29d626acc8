import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The provider's signed PDF report of one technology of an identity attempt (kept for the evidence pack). */
@Entity('identity_report')
export class IdentityReport {
  @PrimaryColumn('uuid', { name: 'check_id' }) checkId: string;
  /** LDHP, LDD2, LDD, LDPM or F2F. */
  @PrimaryColumn('text') technology: string;
  @Column('uuid', { name: 'envelope_id' }) envelopeId: string;
  @Column('bytea', { select: false }) pdf: Buffer;
  @Column('text') sha256: string;
  @Column('timestamptz', { name: 'received_at', default: () => 'now()' }) receivedAt: Date;
}
