import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type RoundArchiveStatus = 'PENDING' | 'STORED' | 'REFUSED';

/**
 * The provider's archive of one FINISHED round (GET result/download): PENDING while it is being fetched,
 * STORED once unpacked into archive_file rows, REFUSED when it was not safe to unpack (the bytes are kept).
 */
@Entity('round_archive')
export class RoundArchive {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'round_id' }) roundId: string;
  @Column('uuid', { name: 'organisation_id' }) organisationId: string;
  @Column('uuid', { name: 'envelope_id' }) envelopeId: string;
  @Column('text', { name: 'session_id' }) sessionId: string;
  @Column('text', { name: 'check_id' }) checkId: string;
  /** Public pages find a session by the hash of its check_id, never by comparing the check_id itself. */
  @Column('text', { name: 'check_id_sha256' }) checkIdSha256: string;
  @Column('text') status: RoundArchiveStatus;
  @Column('bytea', { nullable: true, select: false }) zip: Buffer | null;
  @Column('text', { nullable: true }) sha256: string | null;
  @Column('int', { nullable: true }) size: number | null;
  @Column('text', { nullable: true }) refusal: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'stored_at', nullable: true }) storedAt: Date | null;
}
