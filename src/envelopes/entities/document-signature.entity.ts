import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The CMS a routing group produced for a document (merged when the group signed in parallel): the next group's input. */
@Entity('document_signature')
export class DocumentSignature {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'document_id' }) documentId: string;
  @Column('uuid', { name: 'organisation_id' }) organisationId: string;
  @Column('int', { name: 'routing_order' }) routingOrder: number;
  @Column('bytea') cms: Buffer;
  @Column('text', { name: 'cms_sha256' }) cmsSha256: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
