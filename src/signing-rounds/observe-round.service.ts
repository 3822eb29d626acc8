import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CloudEdsClient } from '../cloud-eds/cloud-eds.client.js';
import { verifyCms, type VerificationReport } from '../cms/index.js';
import { EnvelopeDocument } from '../envelopes/entities/envelope-document.entity.js';
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

  /** `expectedIin`: the signer's, which every returned signing certificate must name. */
  async observe(round: RoundWithSession, expectedIin: string): Promise<Observation> {
    const client = await this.providers.clientFor(round.organisationId);
    const status = await client.getStatus(round.sessionId);
    const pastDeadline = isPastDeadline(round.expiresAt, Date.now());
    switch (status.status) {
      case 'FINISHED':
        return this.verifyResult(client, round, expectedIin);
      case 'CANCELED':
        return { event: { type: 'PROVIDER_CANCELED', failureReason: providerFailureReason(status.failureReason) } };
      case 'PROCESS':
        return { event: pastDeadline ? { type: 'DEADLINE_PASSED' } : { type: 'SIGN_PAGE_OPENED' } };
      default:
        return { event: pastDeadline ? { type: 'DEADLINE_PASSED' } : undefined };
    }
  }

  private async verifyResult(client: CloudEdsClient, round: RoundWithSession, expectedIin: string): Promise<Observation> {
    const result = await client.getResult(round.sessionId);
    const verifyOptions = { trustAnchors: await this.trust.anchors(), revocation: this.revocation.options() };
    const checks: DocumentCheck[] = [];
    const observed: NonNullable<Observation['documents']> = [];
    for (const upload of await this.uploadedDocuments(round)) {
      const returned = result.docs.find((d) => d.id === upload.providerDocumentId) ?? result.docs.find((d) => d.name === upload.name);
      const cms = Buffer.from(returned?.sign ?? '', 'base64');
      const output = await verifyCms(cms, verifyOptions);
      const input = upload.inputSignatures ? undefined : await this.previousReport(upload.documentId, round.routingOrder, verifyOptions);
      checks.push({ documentName: upload.name, originalSha256: upload.originalSha256, expectedIin, input, inputSignatures: upload.inputSignatures, output });
      if (returned) observed.push({ documentId: upload.documentId, providerDocumentId: returned.id, cms, report: output });
    }
    const verdict = roundVerdict(checks);
    if (verdict.accepted) await stampAcceptedSignatures(observed, expectedIin, this.timestamps);
    return { event: { type: 'PROVIDER_FINISHED', verdict }, documents: observed };
  }

  /**
   * Each envelope document with what checking its result needs, in the envelope's order: from the round's
   * uploads, or (a round started before the uploads kept it) from the documents.
   */
  private async uploadedDocuments(round: RoundWithSession): Promise<{ documentId: string; providerDocumentId?: string; name: string; originalSha256: string; inputSignatures?: string[] }[]> {
    if (round.uploads.length > 0 && round.uploads.every((u) => u.name !== undefined && u.originalSha256 !== undefined && u.inputSignatures !== undefined)) {
      return round.uploads.map((u) => ({ documentId: u.documentId, providerDocumentId: u.providerDocumentId, name: u.name!, originalSha256: u.originalSha256!, inputSignatures: u.inputSignatures }));
    }
    const documents = await this.db.getRepository(EnvelopeDocument).find({ where: { envelopeId: round.envelopeId }, order: { position: 'ASC' } });
    return documents.map((d) => ({ documentId: d.id, providerDocumentId: round.uploads.find((u) => u.documentId === d.id)?.providerDocumentId, name: d.name, originalSha256: d.sha256 }));
  }

  /** The report of what a round of `routingOrder` was given to sign: the previous group's CMS, if any. */
  private async previousReport(documentId: string, routingOrder: number, options: Parameters<typeof verifyCms>[1]): Promise<VerificationReport | undefined> {
    const previous = await previousGroupCms(this.db.manager, documentId, routingOrder);
    return previous ? verifyCms(previous, options) : undefined;
  }
}
