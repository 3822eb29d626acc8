import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The sandbox's tables live in their own PostgreSQL schema, apart from Kezek's. */
const schema = 'sandbox';

/** The sandbox CA (one row), generated on first use. Its PKCS#8 key (base64) is sealed with SECRETS_KEY (SecretBox). */
@Entity({ name: 'ca', schema })
export class SandboxCa {
  @PrimaryColumn('smallint') id: number;
  @Column('bytea', { name: 'certificate_der' }) certificateDer: Buffer;
  @Column('text', { name: 'private_key_sealed' }) privateKeySealed: string;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
}
