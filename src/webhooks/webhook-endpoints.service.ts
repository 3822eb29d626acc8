import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { AppError } from '../common/errors/app-error.js';
import { SecretBox } from '../common/crypto/secret-box.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { BreakerState } from './domain/circuit-breaker.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { resolveWebhookTarget, WebhookTargetError } from './webhook-target.js';

/** Endpoints per organisation: enough for any integration, small enough that fan-out stays cheap. */
export const MAX_ENDPOINTS_PER_ORGANISATION = 20;

export interface WebhookEndpointView {
  id: string;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
  disabledAt: Date | null;
  circuitBreaker: CircuitBreakerView;
}

export interface CircuitBreakerView {
  /** `open`: deliveries are paused after repeated failures; `half_open`: one probe delivery is under way. */
  state: BreakerState;
  openedAt: Date | null;
  consecutiveFailures: number;
}

export interface WebhookEndpointWithSecret extends WebhookEndpointView {
  /** Shown once, at creation and rotation. */
  secret: string;
}

export interface EndpointChanges {
  url?: string;
  description?: string;
  events?: string[];
  enabled?: boolean;
}

export function viewOfEndpoint(row: WebhookEndpoint): WebhookEndpointView {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.eventTypes,
    enabled: row.enabled,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    disabledAt: row.disabledAt,
    circuitBreaker: { state: row.breakerState, openedAt: row.breakerOpenedAt, consecutiveFailures: row.consecutiveFailures },
  };
}

/** A Standard Webhooks secret: `whsec_` + base64 of 32 random bytes. */
function generateSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

@Injectable()
export class WebhookEndpointsService {
  private readonly secrets: SecretBox;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.secrets = new SecretBox(config.secretsKey);
  }

  async create(organisationId: string, input: { url: string; description?: string; events?: string[] }): Promise<WebhookEndpointWithSecret> {
    await this.checkUrl(input.url);
    return this.db.transaction(async (tx) => {
      // Serialises creations per organisation so the cap holds under concurrent requests.
      await tx.query(`SELECT 1 FROM organisation WHERE id = $1 FOR UPDATE`, [organisationId]);
      const count = await tx.getRepository(WebhookEndpoint).countBy({ organisationId, deletedAt: IsNull() });
      if (count >= MAX_ENDPOINTS_PER_ORGANISATION) {
        throw new AppError('WEBHOOK_ENDPOINT_LIMIT_REACHED', `An organisation can have at most ${MAX_ENDPOINTS_PER_ORGANISATION} webhook endpoints`);
      }
      const secret = generateSecret();
      const now = new Date();
      const repository = tx.getRepository(WebhookEndpoint);
      const row = await repository.save(
        repository.create({
          organisationId,
          url: input.url,
          description: input.description ?? '',
          eventTypes: input.events ?? [],
          secretSealed: this.secrets.seal(secret),
          enabled: true,
          createdAt: now,
          updatedAt: now,
          disabledAt: null,
          deletedAt: null,
          breakerState: 'closed',
          breakerOpenedAt: null,
          consecutiveFailures: 0,
        }),
      );
      return { ...viewOfEndpoint(row), secret };
    });
  }

  async list(organisationId: string): Promise<WebhookEndpointView[]> {
    const rows = await this.db.getRepository(WebhookEndpoint).find({ where: { organisationId, deletedAt: IsNull() }, order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(viewOfEndpoint);
  }

  async get(organisationId: string, id: string): Promise<WebhookEndpointView> {
    return viewOfEndpoint(await this.find(organisationId, id));
  }

  async update(organisationId: string, id: string, changes: EndpointChanges): Promise<WebhookEndpointView> {
    const row = await this.find(organisationId, id);
    if (changes.url !== undefined && changes.url !== row.url) {
      await this.checkUrl(changes.url);
      row.url = changes.url;
    }
    if (changes.description !== undefined) row.description = changes.description;
    if (changes.events !== undefined) row.eventTypes = changes.events;
    if (changes.enabled !== undefined && changes.enabled !== row.enabled) {
      row.enabled = changes.enabled;
      row.disabledAt = changes.enabled ? null : new Date();
    }
    row.updatedAt = new Date();
    await this.db.getRepository(WebhookEndpoint).update(
      { id, organisationId, deletedAt: IsNull() },
      { url: row.url, description: row.description, eventTypes: row.eventTypes, enabled: row.enabled, disabledAt: row.disabledAt, updatedAt: row.updatedAt },
    );
    return viewOfEndpoint(row);
  }

  /** Deletes the endpoint: no more deliveries, its secret is wiped, its delivery history stays readable. */
  async remove(organisationId: string, id: string): Promise<WebhookEndpointView> {
    const row = await this.find(organisationId, id);
    const now = new Date();
    await this.db.getRepository(WebhookEndpoint).update(
      { id, organisationId, deletedAt: IsNull() },
      { deletedAt: now, secretSealed: null, enabled: false, disabledAt: row.disabledAt ?? now, updatedAt: now },
    );
    return viewOfEndpoint({ ...row, enabled: false, disabledAt: row.disabledAt ?? now, updatedAt: now });
  }

  /** A new secret, effective at once for every later attempt (including retries of pending deliveries). */
  async rotateSecret(organisationId: string, id: string): Promise<WebhookEndpointWithSecret> {
    const row = await this.find(organisationId, id);
    const secret = generateSecret();
    row.updatedAt = new Date();
    await this.db.getRepository(WebhookEndpoint).update({ id, organisationId, deletedAt: IsNull() }, { secretSealed: this.secrets.seal(secret), updatedAt: row.updatedAt });
    return { ...viewOfEndpoint(row), secret };
  }

  /** The signing secret of an endpoint, for the delivery worker. */
  openSecret(row: WebhookEndpoint): string {
    if (!row.secretSealed) throw new Error(`Webhook endpoint ${row.id} has no secret`);
    return this.secrets.open(row.secretSealed);
  }

  private async find(organisationId: string, id: string): Promise<WebhookEndpoint> {
    const row = await this.db.getRepository(WebhookEndpoint).findOneBy({ id, organisationId, deletedAt: IsNull() });
    if (!row) throw new AppError('WEBHOOK_ENDPOINT_NOT_FOUND', `Webhook endpoint ${id} not found`);
    return row;
  }

  private async checkUrl(url: string): Promise<void> {
    try {
      await resolveWebhookTarget(url, { allowPrivate: this.config.WEBHOOKS_ALLOW_PRIVATE });
    } catch (error) {
      if (!(error instanceof WebhookTargetError)) throw error;
      const code = error.reason === 'invalid-url' ? 'WEBHOOK_URL_INVALID' : error.reason === 'unresolvable' ? 'WEBHOOK_URL_UNRESOLVABLE' : 'WEBHOOK_URL_FORBIDDEN';
      throw new AppError(code, error.message, error.addressClass ? { addressClass: error.addressClass } : undefined);
    }
  }
}
