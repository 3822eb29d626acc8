import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { SecretBox } from '../common/crypto/secret-box.js';
import { AppError } from '../common/errors/app-error.js';
import { FLOW_TECHNOLOGIES } from './flows/flow.types.js';
import { KycCredentials } from './kyc-credentials.entity.js';

export interface KycCredentialsInput {
  backendApiKey?: string;
  /** Flows to add or replace, by their technologies. */
  flows?: { technologies: string[]; apiKey: string }[];
  /** Days to keep the provider's identity media (sealed); null stops keeping it. */
  mediaRetentionDays?: number | null;
}

export interface KycCredentialsView {
  organisationId: string;
  hasBackendApiKey: boolean;
  flows: { technologies: string[] }[];
  mediaRetentionDays: number | null;
}

/** Parses "LD,F2F" into sorted, known, distinct technology codes. */
export function parseTechnologies(value: string): string[] {
  const codes = value.split(',').map((t) => t.trim().toUpperCase()).filter(Boolean);
  const unknown = codes.filter((t) => !(FLOW_TECHNOLOGIES as readonly string[]).includes(t));
  if (codes.length === 0 || unknown.length > 0) throw new AppError('VALIDATION_FAILED', `technologies: a comma-separated list of ${FLOW_TECHNOLOGIES.join(', ')}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`);
  return [...new Set(codes)].sort();
}

const MIN_KEY = 16;

/**
 * Stores and reads an organisation's identity keys (flow API keys, the E-Document backend key), sealed at rest
 * like the Cloud EDS key. Plain class over a DataSource so the CLI and the app share it.
 */
export class KycCredentialsStore {
  private readonly box: SecretBox;

  constructor(
    private readonly db: DataSource,
    secretsKey: Buffer,
  ) {
    this.box = new SecretBox(secretsKey);
  }

  async set(organisationId: string, input: KycCredentialsInput): Promise<KycCredentialsView> {
    if (input.backendApiKey !== undefined && input.backendApiKey.trim().length < MIN_KEY) throw new AppError('VALIDATION_FAILED', `backend key: at least ${MIN_KEY} characters`);
    for (const flow of input.flows ?? []) {
      if (flow.apiKey.trim().length < MIN_KEY) throw new AppError('VALIDATION_FAILED', `flow key: at least ${MIN_KEY} characters`);
    }
    const days = input.mediaRetentionDays;
    if (days !== undefined && days !== null && !(Number.isInteger(days) && days >= 1 && days <= 3650)) throw new AppError('VALIDATION_FAILED', 'media retention: a whole number of days, 1 to 3650');
    return this.db.transaction(async (manager) => {
      const exists = await manager.query(`SELECT 1 FROM organisation WHERE id = $1`, [organisationId]);
      if ((exists as unknown[]).length === 0) throw new AppError('ORGANISATION_NOT_FOUND', `Organisation ${organisationId} not found`);
      const repository = manager.getRepository(KycCredentials);
      const row = (await repository.findOne({ where: { organisationId }, lock: { mode: 'pessimistic_write' } })) ?? repository.create({ organisationId, backendApiKeySealed: null, flows: [], mediaRetentionDays: null });
      if (input.backendApiKey !== undefined) row.backendApiKeySealed = this.box.seal(input.backendApiKey.trim());
      for (const flow of input.flows ?? []) {
        const technologies = parseTechnologies(flow.technologies.join(','));
        row.flows = [...row.flows.filter((f) => f.technologies.join(',') !== technologies.join(',')), { technologies, apiKeySealed: this.box.seal(flow.apiKey.trim()) }];
      }
      if (days !== undefined) row.mediaRetentionDays = days;
      row.updatedAt = new Date();
      await repository.save(row);
      return { organisationId, hasBackendApiKey: row.backendApiKeySealed !== null, flows: row.flows.map((f) => ({ technologies: f.technologies })), mediaRetentionDays: row.mediaRetentionDays };
    });
  }

  /** The API KEY of the organisation's flow with exactly these technologies, or undefined. */
  async flowKey(organisationId: string, technologies: string[]): Promise<string | undefined> {
    const wanted = [...new Set(technologies.map((t) => t.toUpperCase()))].sort().join(',');
    const row = await this.db.getRepository(KycCredentials).findOneBy({ organisationId });
    const flow = row?.flows.find((f) => f.technologies.join(',') === wanted);
    return flow ? this.box.open(flow.apiKeySealed) : undefined;
  }

  /** Days the organisation keeps the provider's identity media, or null when it keeps none. */
  async mediaRetentionDays(organisationId: string): Promise<number | null> {
    return (await this.db.getRepository(KycCredentials).findOneBy({ organisationId }))?.mediaRetentionDays ?? null;
  }

  async backendApiKey(organisationId: string): Promise<string | undefined> {
    const row = await this.db.getRepository(KycCredentials).findOneBy({ organisationId });
    return row?.backendApiKeySealed ? this.box.open(row.backendApiKeySealed) : undefined;
  }
}

/** The store as a Nest provider. */
@Injectable()
export class KycCredentialsService extends KycCredentialsStore {
  constructor(@InjectDataSource() db: DataSource, @Inject(APP_CONFIG) config: AppConfig) {
    super(db, config.secretsKey);
  }
}
