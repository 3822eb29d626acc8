import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { SecretBox } from '../../common/crypto/secret-box.js';
import { AppError } from '../../common/errors/app-error.js';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { KYC_ASSUMED_ERRORS } from '../../kyc/kyc-errors.js';
import { parseTechnologies } from '../../kyc/kyc-credentials.service.js';
import { ProviderApiError } from '../sandbox.errors.js';
import { kycFaultProblem, type KycFaultEndpoint, type KycFaults } from './domain/kyc-faults.js';
import { generateKycKey, kycKeyMatches, kycKeyPrefix } from './domain/kyc-keys.js';
import { SandboxKycClient, SandboxKycFlow } from './sandbox-kyc.entities.js';
import { apiCodes } from './domain/flow-steps.js';
import { EDOCUMENT_ERRORS, type EDocumentErrorKind } from '../../kyc/kyc-errors.js';

export interface CreatedSandboxFlow {
  /** The flow's API KEY (shown once, stored hashed). */
  apiKey: string;
  /** As the cabinet lists them, e.g. ["LD", "F2F"]. */
  technologies: string[];
  /** The client's Backend Api Key (E-Document). */
  backendApiKey: string;
  flowId: string;
  clientId: string;
}

export function assumedError(kind: keyof typeof KYC_ASSUMED_ERRORS): ProviderApiError {
  return new ProviderApiError(KYC_ASSUMED_ERRORS[kind].status, KYC_ASSUMED_ERRORS[kind].text);
}

export function eDocumentError(kind: EDocumentErrorKind): ProviderApiError {
  return new ProviderApiError(EDOCUMENT_ERRORS[kind].status, EDOCUMENT_ERRORS[kind].text);
}

/**
 * The sandbox's personal cabinet for the identity products: clients with their Backend Api Key, flows with
 * their technologies and API KEY, key checks, and per-client faults. Plain constructor so the CLI can use it.
 */
@Injectable()
export class SandboxKycAccountsService {
  private readonly box: SecretBox;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'secretsKey'>,
  ) {
    this.box = new SecretBox(config.secretsKey);
  }

  /** Creates a flow (and, without `clientId`, a new client for it), as the cabinet does. */
  async createFlow(input: { name: string; technologies: string; clientId?: string; webhookUrl?: string }): Promise<CreatedSandboxFlow> {
    const name = input.name?.trim();
    if (!name || name.length > 200) throw new AppError('VALIDATION_FAILED', 'name: 1 to 200 characters');
    if (input.webhookUrl !== undefined && !isHttpUrl(input.webhookUrl)) throw new AppError('VALIDATION_FAILED', 'webhook URL: an http(s) URL of at most 2000 characters');
    const technologies = orderTechnologies(parseTechnologies(input.technologies));
    return this.db.transaction(async (manager) => {
      let client: SandboxKycClient | null;
      let backendApiKey: string;
      if (input.clientId) {
        client = await manager.getRepository(SandboxKycClient).findOneBy({ id: input.clientId });
        if (!client) throw new AppError('SANDBOX_ORGANISATION_NOT_FOUND', `Sandbox identity client ${input.clientId} not found`);
        backendApiKey = this.box.open(client.backendKeySealed);
      } else {
        const backend = generateKycKey('bck');
        backendApiKey = backend.key;
        client = await manager.getRepository(SandboxKycClient).save(
          manager.getRepository(SandboxKycClient).create({ name, backendKeyPrefix: backend.prefix, backendKeyHash: backend.hash, backendKeySealed: this.box.seal(backend.key), faults: null }),
        );
      }
      const key = generateKycKey('flw');
      const flow = await manager.getRepository(SandboxKycFlow).save(
        manager.getRepository(SandboxKycFlow).create({ clientId: client.id, name, technologies, apiKeyPrefix: key.prefix, apiKeyHash: key.hash, webhookUrl: input.webhookUrl ?? null }),
      );
      return { apiKey: key.key, technologies, backendApiKey, flowId: flow.id, clientId: client.id };
    });
  }

  async flowByKey(apiKey: unknown): Promise<SandboxKycFlow> {
    const prefix = kycKeyPrefix(apiKey, 'flw');
    const flow = prefix ? await this.db.getRepository(SandboxKycFlow).findOneBy({ apiKeyPrefix: prefix }) : null;
    if (!flow || !kycKeyMatches(apiKey as string, flow.apiKeyHash)) throw assumedError('FLOW_NOT_FOUND');
    return flow;
  }

  async clientByBackendKey(apiKey: unknown): Promise<SandboxKycClient> {
    const prefix = kycKeyPrefix(apiKey, 'bck');
    const client = prefix ? await this.db.getRepository(SandboxKycClient).findOneBy({ backendKeyPrefix: prefix }) : null;
    if (!client || !kycKeyMatches(apiKey as string, client.backendKeyHash)) throw assumedError('API_KEY_NOT_FOUND');
    return client;
  }

  async flowById(id: string, manager?: EntityManager): Promise<SandboxKycFlow> {
    return (manager ?? this.db.manager).getRepository(SandboxKycFlow).findOneByOrFail({ id });
  }

  async client(id: string): Promise<SandboxKycClient> {
    return this.db.getRepository(SandboxKycClient).findOneByOrFail({ id });
  }

  /** Answer the next `count` E-Document calls of the client (of one endpoint, or any) with one row of 004's table. */
  async setFault(clientId: string, fault: unknown): Promise<KycFaults> {
    const problem = kycFaultProblem(fault);
    if (problem) throw new AppError('VALIDATION_FAILED', problem);
    const { error, count, endpoint } = fault as { error: EDocumentErrorKind; count?: number; endpoint?: KycFaultEndpoint };
    const faults: KycFaults = { failNext: { error, count: count ?? 1, ...(endpoint ? { endpoint } : {}) } };
    await this.db.getRepository(SandboxKycClient).update({ id: clientId }, { faults });
    return faults;
  }

  /** Takes one forced error for this call, atomically (concurrent calls never use more than `count`). */
  async applyFault(clientId: string, endpoint: KycFaultEndpoint): Promise<void> {
    const rows = (await this.db.query(
      `UPDATE sandbox.kyc_client
       SET faults = jsonb_set(faults, '{failNext,count}', to_jsonb((faults->'failNext'->>'count')::int - 1))
       WHERE id = $1 AND (faults->'failNext'->>'count')::int > 0
         AND (faults->'failNext'->>'endpoint' IS NULL OR faults->'failNext'->>'endpoint' = $2)
       RETURNING faults->'failNext'->>'error' AS error`,
      [clientId, endpoint],
    )) as [{ error: EDocumentErrorKind }[], number];
    const error = rows[0][0]?.error;
    if (error && Object.hasOwn(EDOCUMENT_ERRORS, error)) throw eDocumentError(error);
  }
}

function isHttpUrl(value: string): boolean {
  if (value.length > 2000) return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** The cabinet's order: liveness first, then the document steps, Face2Face last (it may need the E-Document photo). */
export function orderTechnologies(technologies: string[]): string[] {
  const order = ['LD', 'ED', 'DR', 'F2F'];
  return [...technologies].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

export { apiCodes };
