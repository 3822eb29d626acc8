import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One file of a round's provider archive: a signed copy, found again by its SHA-256 or its DocumentId. */
@Entity('archive_file')
export class ArchiveFile {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'archive_id' }) archiveId: string;
  @Column('uuid', { name: 'round_id' }) roundId: string;
  @Column('uuid', { name: 'organisation_id' }) organisationId: string;
  @Column('uuid', { name: 'envelope_id' }) envelopeId: string;
  /** The envelope document this is a copy of (its DocumentId is one of the round's uploads), when known. */
  @Column('uuid', { name: 'document_id', nullable: true }) documentId: string | null;
  @Column('text', { name: 'check_id' }) checkId: string;
  /** The entry's path in the zip. */
  @Column('text') name: string;
  /** pdf | xml | unknown, judged by content. */
  @Column('text') type: string;
  /** The provider's document id, from the copy's DocumentId metadata. */
  @Column('text', { name: 'provider_document_id', nullable: true }) providerDocumentId: string | null;
  @Column('text') sha256: string;
  @Column('int') size: number;
  @Column('bytea', { select: false }) content: Buffer;
}
