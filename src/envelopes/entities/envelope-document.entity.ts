import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('envelope_document')
export class EnvelopeDocument {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'envelope_id' }) envelopeId: string;
  @Column('uuid', { name: 'organisation_id' }) organisationId: string;
  @Column('int') position: number;
  /** Display name, shown to signers and sent to the provider. */
  @Column('text') name: string;
  @Column('int') size: number;
  /** SHA-256 (hex) of the original bytes: every CMS must lead back to it. */
  @Column('text') sha256: string;
  @Column('bytea', { select: false }) content: Buffer;
}
