import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The sandbox's tables live in their own PostgreSQL schema, apart from Kezek's. */
const schema = 'sandbox';

/** The sandbox CA (one row), generated on first use. Its key is a sandbox key, kept in clear. */
@Entity({ name: 'ca', schema })
export class SandboxCa {
  @PrimaryColumn('smallint') id: number;
  @Column('bytea', { name: 'certificate_der' }) certificateDer: Buffer;
  @Column('bytea', { name: 'private_key_pkcs8' }) privateKeyPkcs8: Buffer;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
}
