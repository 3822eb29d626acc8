import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { CloudEdsClientFactory } from '../cloud-eds/cloud-eds-client.factory.js';
import type { CloudEdsClient } from '../cloud-eds/cloud-eds.client.js';
import { SecretBox } from '../common/crypto/secret-box.js';
import { AppError } from '../common/errors/app-error.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import './organisation.errors.js';
import { Organisation } from './organisation.entity.js';
import { PROVIDER_ACCOUNT_PROVISIONER, type ProviderAccountProvisioner } from './provider-account-provisioner.js';

const CACHE_MS = 30_000;

/**
 * Each organisation signs through its own Cloud EDS account: its API key and the secret the provider signs
 * webhooks with, both sealed at rest. Where a provisioner is bound (the local sandbox), an organisation without
 * credentials gets an account on first use, whose webhooks come back to this service.
 */
@Injectable()
export class ProviderCredentialsService {
  private readonly box: SecretBox;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clients: CloudEdsClientFactory,
    @Inject(PROVIDER_ACCOUNT_PROVISIONER) private readonly provisioner: ProviderAccountProvisioner,
  ) {
    this.box = new SecretBox(config.secretsKey);
  }

  /** Makes sure the organisation can create provider sessions (provisioning an account if possible). */
  async ensureConfigured(organisationId: string): Promise<void> {
    if (await this.sealed(organisationId)) return;
    const account = await this.provisioner.provision({
      name: `Kezek organisation ${organisationId}`,
      webhookUrl: this.webhookUrl(organisationId),
    });
    if (!account) {
      throw new AppError('PROVIDER_NOT_CONFIGURED', 'This organisation has no Cloud EDS credentials: set them with `kezek org provider set`');
    }
    await this.db.getRepository(Organisation).update(
      { id: organisationId, providerApiKeySealed: IsNull() },
      { providerApiKeySealed: this.box.seal(account.apiKey), providerWebhookSecretSealed: this.box.seal(account.webhookSecret) },
    );
  }

  async clientFor(organisationId: string): Promise<CloudEdsClient> {
    const sealed = await this.sealed(organisationId);
    if (!sealed) throw new AppError('PROVIDER_NOT_CONFIGURED', 'This organisation has no Cloud EDS credentials: set them with `kezek org provider set`');
    return this.clients.forApiKey(this.box.open(sealed.apiKey));
  }

  async webhookSecret(organisationId: string): Promise<string | undefined> {
    const sealed = await this.sealed(organisationId);
    return sealed?.webhookSecret ? this.box.open(sealed.webhookSecret) : undefined;
  }

  /** Where the provider should send this organisation's webhooks. */
  webhookUrl(organisationId: string): string {
    return this.config.publicUrl(`/v1/provider-webhooks/cloud-eds/${organisationId}`);
  }

  /**
   * Credentials change rarely (the CLI sets them) and are read on every provider call: kept for a short
   * while per instance, so a change takes effect within CACHE_MS.
   */
  private readonly cache = new Map<string, { value: { apiKey: string; webhookSecret: string | null }; until: number }>();

  private async sealed(organisationId: string): Promise<{ apiKey: string; webhookSecret: string | null } | undefined> {
    const cached = this.cache.get(organisationId);
    if (cached && cached.until > Date.now()) return cached.value;
    const value = await this.load(organisationId);
    if (value) this.cache.set(organisationId, { value, until: Date.now() + CACHE_MS });
    return value;
  }

  private async load(organisationId: string): Promise<{ apiKey: string; webhookSecret: string | null } | undefined> {
    const row = await this.db
      .getRepository(Organisation)
      .createQueryBuilder('o')
      .select(['o.id', 'o.providerApiKeySealed', 'o.providerWebhookSecretSealed'])
      .where('o.id = :organisationId', { organisationId })
      .getOne();
    if (!row?.providerApiKeySealed) return undefined;
    return { apiKey: row.providerApiKeySealed, webhookSecret: row.providerWebhookSecretSealed };
  }
}
