import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The sandbox's tables live in their own PostgreSQL schema, apart from Kezek's. */
const schema = 'sandbox';

/** A signer's certificate and key, issued by the sandbox CA once per IIN and name and reused. */
@Entity({ name: 'certificate', schema })
export class SandboxCertificate {
  @PrimaryColumn('char', { length: 12 }) iin: string;
  /** The name the certificate was issued to; a changed name gets a new certificate. */
  @Column('text', { name: 'subject_key' }) subjectKey: string;
  @Column('bytea', { name: 'certificate_der' }) certificateDer: Buffer;
  @Column('bytea', { name: 'private_key_pkcs8' }) privateKeyPkcs8: Buffer;
  @Column('timestamptz', { name: 'not_after' }) notAfter: Date;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
}
