import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { SandboxFaults } from './domain/faults.js';

/** The sandbox's tables live in their own PostgreSQL schema, apart from Kezek's. */
const schema = 'sandbox';

/** An organisation of the sandbox provider: what the real provider's manager would issue an API key to. */
@Entity({ name: 'organisation', schema })
export class SandboxOrganisation {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text', { name: 'api_key_prefix' }) apiKeyPrefix: string;
  /** SHA-256 of the whole key; the key itself is shown once. */
  @Column('bytea', { name: 'api_key_hash' }) apiKeyHash: Buffer;
  /** Kept in clear: every webhook delivery is signed with it. */
  @Column('text', { name: 'webhook_secret' }) webhookSecret: string;
  @Column('text', { name: 'webhook_url', nullable: true }) webhookUrl: string | null;
  /** How a CMS upload is signed: `nest` wraps it in a new SignedData, `cosign` adds a signerInfo beside the others. */
  @Column('text') mode: 'nest' | 'cosign';
  /** Return detached CMS (without the content) instead of attached. */
  @Column('boolean') detached: boolean;
  @Column('boolean') active: boolean;
  @Column('jsonb', { nullable: true }) faults: SandboxFaults | null;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' }) updatedAt: Date;
}
