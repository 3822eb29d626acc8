import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('organisation')
export class Organisation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** The organisation's Cloud EDS API key, sealed (SecretBox); null until configured. */
  @Column('text', { name: 'provider_api_key_sealed', nullable: true, select: false })
  providerApiKeySealed: string | null;

  /** The secret the provider signs its webhooks with, sealed. */
  @Column('text', { name: 'provider_webhook_secret_sealed', nullable: true, select: false })
  providerWebhookSecretSealed: string | null;
}
