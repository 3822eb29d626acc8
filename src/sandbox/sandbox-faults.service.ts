import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { decideFault, type SandboxEndpoint } from './domain/faults.js';
import { ConnectionDropped, ProviderApiError } from './sandbox.errors.js';
import type { SandboxOrganisation } from './sandbox.entities.js';
import { SandboxOrganisationsService } from './sandbox-organisations.service.js';
import type { ProviderErrorKind } from '../cloud-eds/provider-errors.js';

/** Applies an organisation's faults to one provider API call: latency, dropped connection, 503, forced error. */
@Injectable()
export class SandboxFaultsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly organisations: SandboxOrganisationsService,
  ) {}

  async apply(organisation: SandboxOrganisation, endpoint: SandboxEndpoint, request: Request): Promise<void> {
    const faults = this.organisations.effectiveFaults(organisation);
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    const decision = decideFault(faults);
    if (decision.kind === 'drop') {
      request.socket.destroy();
      throw new ConnectionDropped();
    }
    if (decision.kind === 'unavailable') throw ProviderApiError.of('SERVICE_UNAVAILABLE');
    const next = faults.failNext;
    if (next && next.count > 0 && (!next.endpoint || next.endpoint === endpoint)) {
      // Take one forced error atomically, so concurrent calls never use more than `count`.
      const rows = (await this.db.query(
        `UPDATE sandbox.organisation
         SET faults = jsonb_set(faults, '{failNext,count}', to_jsonb((faults->'failNext'->>'count')::int - 1))
         WHERE id = $1 AND (faults->'failNext'->>'count')::int > 0 RETURNING faults->'failNext'->>'error' AS error`,
        [organisation.id],
      )) as [{ error: ProviderErrorKind }[], number];
      if (rows[0][0]) throw ProviderApiError.of(rows[0][0].error);
    }
  }
}
