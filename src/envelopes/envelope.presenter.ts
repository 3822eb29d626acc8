import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { hasSession, SigningRound } from '../signing-rounds/signing-round.entity.js';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { IdentityCheckRow } from '../identity/identity-check.entity.js';
import type { EnvelopeViewDto, SignerIdentityViewDto } from './dto/envelope-view.dto.js';
import { SignerIdentity } from './entities/signer-identity.entity.js';
import { EnvelopeDocument } from './entities/envelope-document.entity.js';
import type { Envelope } from './entities/envelope.entity.js';
import { Signer } from './entities/signer.entity.js';
import { EnvelopeTransitionsService } from './envelope-transitions.service.js';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** Builds the API's view of an envelope: documents, signers with their links and rounds. */
@Injectable()
export class EnvelopePresenter {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly transitions: EnvelopeTransitionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A signer's identity requirement and attempts, without personal data (the photo is only said to exist). */
  private identityView(requirement: SignerIdentity | undefined, attempts: IdentityCheckRow[]): SignerIdentityViewDto | null {
    if (!requirement) return null;
    const failed = attempts.filter((a) => a.status === 'FAILED').length;
    const last = attempts.at(-1);
    const validUntil = last?.status === 'PASSED' && last.finishedAt ? new Date(last.finishedAt.getTime() + this.config.IDENTITY_VALID_MINUTES * 60_000) : null;
    let status = 'PENDING';
    if (failed >= requirement.maxAttempts) status = 'FAILED';
    else if (last?.status === 'STARTED') status = 'IN_PROGRESS';
    else if (validUntil && validUntil.getTime() > Date.now()) status = 'PASSED';
    return {
      checks: requirement.checks,
      edocumentType: requirement.edocumentType,
      referencePhoto: requirement.photoSealed !== null,
      status,
      maxAttempts: requirement.maxAttempts,
      failedAttempts: failed,
      validUntil: iso(validUntil),
      attempts: attempts.map((a) => ({
        attempt: a.attempt,
        sessionId: a.sessionId,
        technologies: a.technologies,
        status: a.status,
        failureReason: a.failureReason,
        results: a.results as Record<string, unknown> | null,
        startedAt: a.createdAt.toISOString(),
        finishedAt: iso(a.finishedAt),
      })),
    };
  }

  async view(envelope: Envelope): Promise<EnvelopeViewDto> {
    type SignerWithIdentity = Signer & { identity: SignerIdentity | null };
    const [documentRows, signers, rounds, identityChecks] = await Promise.all([
      // Each document with whether a signature of it is kept yet.
      this.db
        .getRepository(EnvelopeDocument)
        .createQueryBuilder('d')
        .addSelect('EXISTS (SELECT 1 FROM document_signature ds WHERE ds.document_id = d.id)', 'signed')
        .where('d.envelope_id = :id', { id: envelope.id })
        .orderBy('d.position', 'ASC')
        .getRawAndEntities<{ d_id: string; signed: boolean }>(),
      // Each signer with their identity requirement (its photo only said to exist).
      this.db
        .getRepository(Signer)
        .createQueryBuilder('s')
        .leftJoinAndMapOne('s.identity', SignerIdentity, 'i', 'i.signer_id = s.id')
        .addSelect('i.photoSealed')
        .where('s.envelope_id = :id', { id: envelope.id })
        .orderBy('s.position', 'ASC')
        .getMany() as Promise<SignerWithIdentity[]>,
      // Rounds with a provider session: a reservation shows once its session is recorded.
      this.db.getRepository(SigningRound).find({ where: { envelopeId: envelope.id }, order: { createdAt: 'ASC' } }).then((rows) => rows.filter(hasSession)),
      this.db.getRepository(IdentityCheckRow).find({ where: { envelopeId: envelope.id }, order: { attempt: 'ASC' } }),
    ]);
    const documents = documentRows.entities;
    const signedIds = new Set(documentRows.raw.filter((row) => row.signed).map((row) => row.d_id));
    return {
      id: envelope.id,
      title: envelope.title,
      status: envelope.status,
      statusReason: envelope.statusReason,
      documentType: envelope.documentType,
      language: envelope.language,
      redirectUrl: envelope.redirectUrl,
      maxAttempts: envelope.maxAttempts,
      reminderIntervalDays: envelope.reminderIntervalDays,
      senderEmail: envelope.senderEmail,
      metadata: envelope.metadata,
      expiresAt: envelope.expiresAt.toISOString(),
      createdAt: envelope.createdAt.toISOString(),
      sentAt: iso(envelope.sentAt),
      finishedAt: iso(envelope.finishedAt),
      documents: documents.map((d) => ({ id: d.id, name: d.name, size: d.size, sha256: d.sha256, signed: signedIds.has(d.id) })),
      signers: signers.map((s) => ({
        id: s.id,
        fullName: s.fullName,
        iin: s.iin,
        phone: s.phone,
        routingOrder: s.routingOrder,
        status: s.status,
        attempts: s.attempts,
        link: envelope.status === 'DRAFT' ? null : this.transitions.signerLink(s),
        activatedAt: iso(s.activatedAt),
        signedAt: iso(s.signedAt),
        declinedAt: iso(s.declinedAt),
        declineReason: s.declineReason,
        failedAt: iso(s.failedAt),
        lastOpenedAt: iso(s.lastOpenedAt),
        rounds: rounds
          .filter((r) => r.signerId === s.id)
          .map((r) => ({
            id: r.id,
            attempt: r.attempt,
            sessionId: r.sessionId,
            checkId: r.checkId,
            status: r.status,
            failureReason: r.failureReason,
            rejectionReason: r.rejectionReason,
            rejectionMessage: r.rejectionMessage,
            redirectStatus: r.redirectStatus,
            redirectReason: r.redirectReason,
            createdAt: r.createdAt.toISOString(),
            expiresAt: r.expiresAt.toISOString(),
            finishedAt: iso(r.finishedAt),
          })),
        identity: this.identityView(
          s.identity ?? undefined,
          identityChecks.filter((c) => c.signerId === s.id),
        ),
      })),
    };
  }
}
