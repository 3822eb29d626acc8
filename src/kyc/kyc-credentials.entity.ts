import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One flow of the organisation's personal cabinet: its technologies and its API KEY (sealed). */
export interface StoredFlowKey {
  /** Sorted technology codes, e.g. ["F2F", "LD"]. */
  technologies: string[];
  apiKeySealed: string;
}

/** An organisation's keys for the provider's identity products, sealed with SECRETS_KEY. */
@Entity('kyc_credentials')
export class KycCredentials {
  @PrimaryColumn('uuid', { name: 'organisation_id' }) organisationId: string;
  /** The E-Document "Backend Api Key". */
  @Column('text', { name: 'backend_api_key_sealed', nullable: true }) backendApiKeySealed: string | null;
  @Column('jsonb', { default: () => `'[]'::jsonb` }) flows: StoredFlowKey[];
  /** Keep the provider's identity media (liveness video, state ID face photo), sealed, this many days; null: never kept. */
  @Column('int', { name: 'media_retention_days', nullable: true }) mediaRetentionDays: number | null;
  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' }) updatedAt: Date;
}
