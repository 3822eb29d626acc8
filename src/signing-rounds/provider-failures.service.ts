import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { CloudEdsError } from '../cloud-eds/cloud-eds.errors.js';
import { AppError } from '../common/errors/app-error.js';
import './signing-round.errors.js';

/** Who a provider call was made for: enough to record its failure in the envelope's audit trail. */
export interface ProviderCallScope {
  organisationId: string;
  envelopeId: string;
}

/** A provider call that failed; carries what the audit trail records and answers the signer in plain words. */
export class ProviderCallError extends AppError {
  constructor(
    readonly scope: ProviderCallScope,
    readonly operation: string,
    readonly providerError: CloudEdsError,
  ) {
    super(
      providerError.retryable ? 'PROVIDER_UNAVAILABLE' : 'PROVIDER_REJECTED',
      providerError.retryable
        ? 'The signing provider is not available right now; please try again in a minute'
        : `The signing provider refused the request (${providerError.providerMessage ?? providerError.kind})`,
    );
  }
}

/** Provider calls made for a round, and the audit record of the ones that fail. */
@Injectable()
export class ProviderFailures {
  private readonly logger = new Logger('Signing');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Runs `call`; a provider failure is logged and thrown as a ProviderCallError. */
  async call<T>(scope: ProviderCallScope, operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof CloudEdsError)) throw error;
      this.logger.warn({ envelopeId: scope.envelopeId, operation, kind: error.kind, status: error.status }, 'provider call failed');
      throw new ProviderCallError(scope, operation, error);
    }
  }

  /** A failed provider call goes into the audit trail in a transaction of its own (the caller's may roll back). */
  async record(scope: ProviderCallScope, operation: string, error: CloudEdsError, data: Record<string, unknown> = {}): Promise<void> {
    await this.db.transaction((manager) =>
      this.audit.append(manager, {
        organisationId: scope.organisationId,
        envelopeId: scope.envelopeId,
        type: 'provider.call_failed',
        actor: { kind: 'system' },
        data: { operation, kind: error.kind, status: error.status ?? null, retryable: error.retryable, ...data },
      }),
    );
  }
}
