import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppError } from '../common/errors/app-error.js';
import { PROVIDER_ERROR_KINDS } from '../cloud-eds/provider-errors.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/app-config.js';
import { SANDBOX_ENDPOINTS, type SandboxFaults } from './domain/faults.js';
import { generateSandboxApiKey, generateWebhookSecret, sandboxApiKeyMatches, sandboxApiKeyPrefix } from './domain/sandbox-keys.js';
import { SandboxOrganisation } from './sandbox.entities.js';

export type SigningMode = 'nest' | 'cosign';

export interface CreateSandboxOrganisation {
  name: string;
  webhookUrl?: string | null;
  mode?: SigningMode;
  detached?: boolean;
}

export interface UpdateSandboxOrganisation {
  name?: string;
  webhookUrl?: string | null;
  mode?: SigningMode;
  detached?: boolean;
  active?: boolean;
  /** Replaces the organisation's faults; null goes back to the configured defaults. */
  faults?: SandboxFaults | null;
}

export interface IssuedSandboxOrganisation {
  id: string;
  name: string;
  /** The provider API key (`x-api-key`): shown once, stored hashed. */
  apiKey: string;
  /** The webhook signing secret (stored in clear in the sandbox schema: every delivery is signed with it). */
  webhookSecret: string;
  webhookUrl: string | null;
  mode: SigningMode;
  detached: boolean;
}

export interface SandboxOrganisationView {
  id: string;
  name: string;
  webhookUrl: string | null;
  mode: SigningMode;
  detached: boolean;
  active: boolean;
  faults: SandboxFaults | null;
  createdAt: Date;
}

export type SandboxAuthentication = { ok: true; organisation: SandboxOrganisation } | { ok: false; reason: 'unknown-key' | 'inactive' };

function view(row: SandboxOrganisation): SandboxOrganisationView {
  const { id, name, webhookUrl, mode, detached, active, faults, createdAt } = row;
  return { id, name, webhookUrl, mode, detached, active, faults, createdAt };
}

export function assertWebhookUrl(url: string | null | undefined): void {
  if (url === null || url === undefined) return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('VALIDATION_FAILED', 'webhookUrl: expected an absolute http(s) URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new AppError('VALIDATION_FAILED', 'webhookUrl: expected an http(s) URL');
}

export function assertFaults(faults: SandboxFaults | null | undefined): void {
  if (!faults) return;
  const rate = (value: number | undefined, name: string) => {
    if (value !== undefined && !(typeof value === 'number' && value >= 0 && value <= 1)) throw new AppError('VALIDATION_FAILED', `${name}: expected a number between 0 and 1`);
  };
  rate(faults.unavailableRate, 'unavailableRate');
  rate(faults.dropRate, 'dropRate');
  if (faults.latencyMs !== undefined && !(Number.isInteger(faults.latencyMs) && faults.latencyMs >= 0 && faults.latencyMs <= 120_000)) {
    throw new AppError('VALIDATION_FAILED', 'latencyMs: expected whole milliseconds between 0 and 120000');
  }
  const next = faults.failNext;
  if (next) {
    if (!PROVIDER_ERROR_KINDS.includes(next.error)) throw new AppError('VALIDATION_FAILED', `failNext.error: one of ${PROVIDER_ERROR_KINDS.join(', ')}`);
    if (!(Number.isInteger(next.count) && next.count >= 0 && next.count <= 1000)) throw new AppError('VALIDATION_FAILED', 'failNext.count: a whole number 0..1000');
    if (next.endpoint !== undefined && !SANDBOX_ENDPOINTS.includes(next.endpoint)) {
      throw new AppError('VALIDATION_FAILED', `failNext.endpoint: one of ${SANDBOX_ENDPOINTS.join(', ')}`);
    }
  }
}

/**
 * Organisations of the sandbox provider. The sandbox is not Kezek: these are the "companies" the provider
 * would issue API keys to. Kezek's envelope service provisions one per Kezek organisation in the embedded setup.
 */
@Injectable()
export class SandboxOrganisationsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Optional() @Inject(APP_CONFIG) private readonly config?: AppConfig,
  ) {}

  async create(input: CreateSandboxOrganisation): Promise<IssuedSandboxOrganisation> {
    const name = input.name?.trim();
    if (!name || name.length > 200) throw new AppError('VALIDATION_FAILED', 'name: 1 to 200 characters');
    assertWebhookUrl(input.webhookUrl);
    const mode = input.mode ?? 'nest';
    if (mode !== 'nest' && mode !== 'cosign') throw new AppError('VALIDATION_FAILED', 'mode: nest or cosign');
    const { key, prefix, hash } = generateSandboxApiKey();
    const webhookSecret = generateWebhookSecret();
    const repository = this.db.getRepository(SandboxOrganisation);
    const row = await repository.save(
      repository.create({
        name,
        apiKeyPrefix: prefix,
        apiKeyHash: hash,
        webhookSecret,
        webhookUrl: input.webhookUrl ?? null,
        mode,
        detached: input.detached ?? false,
        active: true,
        faults: null,
      }),
    );
    return { id: row.id, name: row.name, apiKey: key, webhookSecret, webhookUrl: row.webhookUrl, mode: row.mode, detached: row.detached };
  }

  async update(id: string, changes: UpdateSandboxOrganisation): Promise<SandboxOrganisationView> {
    const repository = this.db.getRepository(SandboxOrganisation);
    const row = await repository.findOneBy({ id });
    if (!row) throw new AppError('SANDBOX_ORGANISATION_NOT_FOUND', `Sandbox organisation ${id} not found`);
    if (changes.webhookUrl !== undefined) {
      assertWebhookUrl(changes.webhookUrl);
      row.webhookUrl = changes.webhookUrl;
    }
    if (changes.mode !== undefined) {
      if (changes.mode !== 'nest' && changes.mode !== 'cosign') throw new AppError('VALIDATION_FAILED', 'mode: nest or cosign');
      row.mode = changes.mode;
    }
    if (changes.name !== undefined) row.name = changes.name;
    if (changes.detached !== undefined) row.detached = changes.detached;
    if (changes.active !== undefined) row.active = changes.active;
    if (changes.faults !== undefined) {
      assertFaults(changes.faults);
      row.faults = changes.faults;
    }
    row.updatedAt = new Date();
    await repository.save(row);
    return view(row);
  }

  async get(id: string): Promise<SandboxOrganisationView> {
    const row = await this.db.getRepository(SandboxOrganisation).findOneBy({ id });
    if (!row) throw new AppError('SANDBOX_ORGANISATION_NOT_FOUND', `Sandbox organisation ${id} not found`);
    return view(row);
  }

  /** The webhook secret, for whoever verifies deliveries (Kezek's side in the embedded setup). */
  async webhookSecret(id: string): Promise<string> {
    const row = await this.db.getRepository(SandboxOrganisation).findOneBy({ id });
    if (!row) throw new AppError('SANDBOX_ORGANISATION_NOT_FOUND', `Sandbox organisation ${id} not found`);
    return row.webhookSecret;
  }

  async list(): Promise<SandboxOrganisationView[]> {
    const rows = await this.db.getRepository(SandboxOrganisation).find({ order: { createdAt: 'ASC' } });
    return rows.map(view);
  }

  async authenticate(key: string | undefined): Promise<SandboxAuthentication> {
    const prefix = key ? sandboxApiKeyPrefix(key) : undefined;
    if (!key || !prefix) return { ok: false, reason: 'unknown-key' };
    const row = await this.db.getRepository(SandboxOrganisation).findOneBy({ apiKeyPrefix: prefix });
    if (!row || !sandboxApiKeyMatches(key, row.apiKeyHash)) return { ok: false, reason: 'unknown-key' };
    if (!row.active) return { ok: false, reason: 'inactive' };
    return { ok: true, organisation: row };
  }

  /** The organisation's faults with the configured defaults filled in. */
  effectiveFaults(organisation: SandboxOrganisation): Required<Omit<SandboxFaults, 'failNext'>> & Pick<SandboxFaults, 'failNext'> {
    const own = organisation.faults ?? {};
    return {
      unavailableRate: own.unavailableRate ?? this.config?.SANDBOX_FAULT_UNAVAILABLE_RATE ?? 0,
      latencyMs: own.latencyMs ?? this.config?.SANDBOX_FAULT_LATENCY_MS ?? 0,
      dropRate: own.dropRate ?? this.config?.SANDBOX_FAULT_DROP_RATE ?? 0,
      failNext: own.failNext ?? null,
    };
  }
}
