import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One document of a FINISHED round: the provider's CMS and Kezek's verification of it. */
@Entity('round_document')
export class RoundDocument {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'round_id' }) roundId: string;
  @Column('uuid', { name: 'document_id' }) documentId: string;
  @Column('uuid', { name: 'organisation_id' }) organisationId: string;
  @Column('text', { name: 'provider_document_id' }) providerDocumentId: string;
  @Column('bytea') cms: Buffer;
  @Column('text', { name: 'cms_sha256' }) cmsSha256: string;
  @Column('jsonb') report: unknown;
  @Column('boolean') accepted: boolean;
  @Column('text', { name: 'signer_iin', nullable: true }) signerIin: string | null;
  @Column('text', { name: 'signer_name', nullable: true }) signerName: string | null;
  @Column('text', { name: 'certificate_serial', nullable: true }) certificateSerial: string | null;
  @Column('text', { name: 'certificate_issuer', nullable: true }) certificateIssuer: string | null;
  @Column('timestamptz', { name: 'signing_time', nullable: true }) signingTime: Date | null;
  /** Kezek's RFC 3161 token over the accepted signature's value (TSA_URL), when one was obtained. */
  @Column('bytea', { name: 'timestamp_token', nullable: true }) timestampToken: Buffer | null;
}
