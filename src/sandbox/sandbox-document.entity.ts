import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The sandbox's tables live in their own PostgreSQL schema, apart from Kezek's. */
const schema = 'sandbox';

@Entity({ name: 'document', schema })
export class SandboxDocument {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'session_id' }) sessionId: string;
  @Column('integer') position: number;
  @Column('text') name: string;
  /** The uploaded bytes, exactly as received (a PDF/XML, or a CMS whose innermost content is one). */
  @Column('bytea') content: Buffer;
  @Column('bytea') sha256: Buffer;
  /** DER CMS SignedData once the session is signed. */
  @Column('bytea', { nullable: true }) sign: Buffer | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
