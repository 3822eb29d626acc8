import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppError } from '../common/errors/app-error.js';
import { CLOUD_EDS_HOSTS, type AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';

export type ProviderEnvironment = 'sandbox' | 'dev' | 'prod' | 'custom';

export interface ProviderStatus {
  host: string;
  environment: ProviderEnvironment;
  /** The organisation has its own Cloud EDS API key (sealed). */
  accountConfigured: boolean;
  webhookSecretConfigured: boolean;
  /** The sandbox makes an account on first use; a real host needs `kezek org provider set`. */
  provisionedOnFirstUse: boolean;
  lastError: { at: Date; envelopeId: string; operation: string; kind: string; status: number | null } | null;
}

/** What the console's settings pages read beside the features' own services. */
@Injectable()
export class ConsoleSettingsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The organisation's Cloud EDS account as Kezek sees it: which host, whether it is set up, the last failed call. */
  async providerStatus(organisationId: string): Promise<ProviderStatus> {
    const [account] = (await this.db.query(
      `SELECT provider_api_key_sealed IS NOT NULL AS has_key, provider_webhook_secret_sealed IS NOT NULL AS has_secret FROM organisation WHERE id = $1`,
      [organisationId],
    )) as { has_key: boolean; has_secret: boolean }[];
    if (!account) throw new AppError('NOT_FOUND', 'Organisation not found');
    // The trail's latest provider failure; the index on (organisation_id, created_at) is read backwards.
    const [failure] = (await this.db.query(
      `SELECT created_at, envelope_id, data FROM audit_event WHERE organisation_id = $1 AND type = 'provider.call_failed' ORDER BY created_at DESC LIMIT 1`,
      [organisationId],
    )) as { created_at: Date; envelope_id: string; data: { operation?: string; kind?: string; status?: number | null } }[];
    const host = this.config.cloudEdsBaseUrl;
    const environment: ProviderEnvironment =
      this.config.sandboxEnabled && host === this.config.publicUrl('/sandbox')
        ? 'sandbox'
        : host === CLOUD_EDS_HOSTS.dev.baseUrl
          ? 'dev'
          : host === CLOUD_EDS_HOSTS.prod.baseUrl
            ? 'prod'
            : 'custom';
    return {
      host,
      environment,
      accountConfigured: account.has_key,
      webhookSecretConfigured: account.has_secret,
      provisionedOnFirstUse: this.config.sandboxEnabled,
      lastError: failure
        ? { at: new Date(failure.created_at), envelopeId: failure.envelope_id, operation: String(failure.data.operation ?? ''), kind: String(failure.data.kind ?? ''), status: failure.data.status ?? null }
        : null,
    };
  }
}
