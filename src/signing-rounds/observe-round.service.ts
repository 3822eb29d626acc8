import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CloudEdsClient } from '../cloud-eds/cloud-eds.client.js';
import { verifyCms, type VerificationReport } from '../cms/index.js';
import { EnvelopeDocument } from '../envelopes/entities/envelope-document.entity.js';
import { Signer } from '../envelopes/entities/signer.entity.js';
import { ProviderCredentialsService } from '../organisations/provider-credentials.service.js';
import { type DocumentCheck, roundVerdict } from './domain/round-verdict.js';
import { isPastDeadline, providerFailureReason } from './domain/round-rules.js';
import type { RoundEvent } from './domain/signing-round.machine.js';
import { previousGroupCms } from './round-inputs.js';
import type { RoundWithSession } from './signing-round.entity.js';
import { RevocationService } from '../trust/revocation.service.js';
import { stampAcceptedSignatures } from '../trust/stamp-accepted-signatures.js';
import { TimestampsService } from '../trust/timestamps.service.js';
import { TrustAnchorsService } from '../trust/trust-anchors.service.js';

/** What the provider said about a round, as a machine event, with the verified documents of a FINISHED one. */
export interface Observation {
  event?: RoundEvent;
  documents?: { documentId: string; providerDocumentId: string; cms: Buffer; report: VerificationReport; timestampToken?: Buffer | null }[];
}

/**
 * Reads a round's status (and, when FINISHED, its result) from the provider and verifies every returned
 * signature: the round's verdict. No database writes.
 */
@Injectable()
export class ObserveRoundService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly providers: ProviderCredentialsService,
    private readonly trust: TrustAnchorsService,
    private readonly revocation: RevocationService,
    private readonly timestamps: TimestampsService,
  ) {}

  async observe(round: RoundWithSession): Promise<Observation> {
    const client = await this.providers.clientFor(round.organisationId);
    const status = await client.getStatus(round.sessionId);
    const pastDeadline = isPastDeadline(round.expiresAt, Date.now());
    switch (status.status) {
      case 'FINISHED':
        return this.verifyResult(client, round);
      case 'CANCELED':
        return { event: { type: 'PROVIDER_CANCELED', failureReason: providerFailureReason(status.failureReason) } };
      case 'PROCESS':
        return { event: pastDeadline ? { type: 'DEADLINE_PASSED' } : { type: 'SIGN_PAGE_OPENED' } };
      default:
        return { event: pastDeadline ? { type: 'DEADLINE_PASSED' } : undefined };
    }
  }

  private async verifyResult(client: CloudEdsClient, round: RoundWithSession): Promise<Observation> {
    const result = await client.getResult(round.sessionId);
    const signer = await this.db.getRepository(Signer).findOneByOrFail({ id: round.signerId });
    const documents = await this.db.getRepository(EnvelopeDocument).find({ where: { envelopeId: round.envelopeId }, order: { position: 'ASC' } });
    const verifyOptions = { trustAnchors: await this.trust.anchors(), revocation: this.revocation.options() };
    const checks: DocumentCheck[] = [];
    const observed: NonNullable<Observation['documents']> = [];
    for (const document of documents) {
      const upload = round.uploads.find((u) => u.documentId === document.id);
      const returned = result.docs.find((d) => d.id === upload?.providerDocumentId) ?? result.docs.find((d) => d.name === document.name);
      const cms = Buffer.from(returned?.sign ?? '', 'base64');
      const output = await verifyCms(cms, verifyOptions);
      const previous = await previousGroupCms(this.db.manager, document.id, round.routingOrder);
      const input = previous ? await verifyCms(previous, verifyOptions) : undefined;
      checks.push({ documentName: document.name, originalSha256: document.sha256, expectedIin: signer.iin, input, output });
      if (returned) observed.push({ documentId: document.id, providerDocumentId: returned.id, cms, report: output });
    }
    const verdict = roundVerdict(checks);
    if (verdict.accepted) await stampAcceptedSignatures(observed, signer.iin, this.timestamps);
    return { event: { type: 'PROVIDER_FINISHED', verdict }, documents: observed };
  }
}
