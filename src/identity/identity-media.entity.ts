import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Provider media of an identity attempt, kept only on the organisation's opt-in: sealed, deleted after retention. */
@Entity('identity_media')
export class IdentityMedia {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'check_id' }) checkId: string;
  @Column('uuid', { name: 'organisation_id' }) organisationId: string;
  @Column('uuid', { name: 'envelope_id' }) envelopeId: string;
  @Column('text') kind: 'liveness_video' | 'edocument_face_photo';
  @Column('text', { name: 'content_type' }) contentType: string;
  /** Base64 of the bytes, sealed with SECRETS_KEY (faces and videos are personal data). */
  @Column('text', { select: false }) sealed: string;
  @Column('text') sha256: string;
  @Column('int') size: number;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'delete_after' }) deleteAfter: Date;
}
