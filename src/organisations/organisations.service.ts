import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { AppError } from '../common/errors/app-error.js';
import { ApiKey } from './api-key.entity.js';
import { apiKeyMatches, apiKeyPrefix, generateApiKey } from './domain/api-key-format.js';
import { Organisation } from './organisation.entity.js';

export interface ApiKeySummary {
  id: string;
  label: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface IssuedApiKey extends ApiKeySummary {
  /** The full key: shown once, never stored. */
  key: string;
}

function summarise(row: ApiKey): ApiKeySummary {
  const { id, label, prefix, createdAt, lastUsedAt, revokedAt } = row;
  return { id, label, prefix, createdAt, lastUsedAt, revokedAt };
}

@Injectable()
export class OrganisationsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async createOrganisation(name: string): Promise<{ organisation: Organisation; apiKey: IssuedApiKey }> {
    return this.db.transaction(async (tx) => {
      const organisation = await tx.getRepository(Organisation).save(tx.getRepository(Organisation).create({ name }));
      const apiKey = await this.issueKey(tx.getRepository(ApiKey), organisation.id, 'initial');
      return { organisation, apiKey };
    });
  }

  listOrganisations(): Promise<Organisation[]> {
    return this.db.getRepository(Organisation).find({ order: { createdAt: 'ASC' } });
  }

  async getOrganisation(id: string): Promise<Organisation> {
    const organisation = await this.db.getRepository(Organisation).findOneBy({ id });
    if (!organisation) throw new AppError('ORGANISATION_NOT_FOUND', `Organisation ${id} not found`);
    return organisation;
  }

  async createApiKey(organisationId: string, label = ''): Promise<IssuedApiKey> {
    await this.getOrganisation(organisationId);
    return this.issueKey(this.db.getRepository(ApiKey), organisationId, label);
  }

  async listApiKeys(organisationId: string): Promise<ApiKeySummary[]> {
    const rows = await this.db.getRepository(ApiKey).find({ where: { organisationId }, order: { createdAt: 'ASC' } });
    return rows.map(summarise);
  }

  /** Revokes a key of this organisation, found by id or prefix; another organisation's key is "not found". */
  async revokeApiKey(organisationId: string, idOrPrefix: string): Promise<ApiKeySummary> {
    const repository = this.db.getRepository(ApiKey);
    const isUuid = /^[0-9a-f-]{36}$/i.test(idOrPrefix);
    const row = await repository.findOneBy(isUuid ? { id: idOrPrefix, organisationId } : { prefix: idOrPrefix, organisationId });
    if (!row) throw new AppError('API_KEY_NOT_FOUND', `API key ${idOrPrefix} not found`);
    if (!row.revokedAt) {
      row.revokedAt = new Date();
      await repository.update({ id: row.id, organisationId, revokedAt: IsNull() }, { revokedAt: row.revokedAt });
    }
    return summarise(row);
  }

  /** Resolves a presented key to its organisation, or undefined for unknown, malformed or revoked keys. */
  async authenticate(key: string): Promise<Organisation | undefined> {
    return (await this.authenticateKey(key))?.organisation;
  }

  /** The key's organisation and the key's id (the audit trail names the key that made an API call). */
  async authenticateKey(key: string): Promise<{ organisation: Organisation; apiKeyId: string } | undefined> {
    const prefix = apiKeyPrefix(key);
    if (!prefix) return undefined;
    // The key and its organisation in one query: every API request asks.
    const row = (await this.db
      .getRepository(ApiKey)
      .createQueryBuilder('k')
      .innerJoinAndMapOne('k.organisation', Organisation, 'o', 'o.id = k.organisation_id')
      .where('k.prefix = :prefix', { prefix })
      .getOne()) as (ApiKey & { organisation: Organisation }) | null;
    if (!row || row.revokedAt || !apiKeyMatches(key, row.secretHash)) return undefined;
    // Last use is informative only: one write a minute per key at most.
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
      await this.db.getRepository(ApiKey).update({ id: row.id }, { lastUsedAt: new Date() });
    }
    return { organisation: row.organisation, apiKeyId: row.id };
  }

  private async issueKey(repository: ReturnType<DataSource['getRepository']>, organisationId: string, label: string): Promise<IssuedApiKey> {
    const { key, prefix, secretHash } = generateApiKey();
    const row = (await repository.save(repository.create({ organisationId, label, prefix, secretHash }))) as ApiKey;
    return { ...summarise(row), key };
  }
}
