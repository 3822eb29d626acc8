import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { hasSession, SigningRound } from '../signing-rounds/signing-round.entity.js';
import type { EnvelopeViewDto } from './dto/envelope-view.dto.js';
import { DocumentSignature } from './entities/document-signature.entity.js';
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
  ) {}

  async view(envelope: Envelope): Promise<EnvelopeViewDto> {
    const [documents, signers, rounds, signed] = await Promise.all([
      this.db.getRepository(EnvelopeDocument).find({ where: { envelopeId: envelope.id }, order: { position: 'ASC' } }),
      this.db.getRepository(Signer).find({ where: { envelopeId: envelope.id }, order: { position: 'ASC' } }),
      // Rounds with a provider session: a reservation shows once its session is recorded.
      this.db.getRepository(SigningRound).find({ where: { envelopeId: envelope.id }, order: { createdAt: 'ASC' } }).then((rows) => rows.filter(hasSession)),
      this.db
        .getRepository(DocumentSignature)
        .createQueryBuilder('d')
        .select('DISTINCT d.document_id', 'documentId')
        .innerJoin(EnvelopeDocument, 'doc', 'doc.id = d.document_id')
        .where('doc.envelope_id = :id', { id: envelope.id })
        .getRawMany<{ documentId: string }>(),
    ]);
    const signedIds = new Set(signed.map((row) => row.documentId));
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
      })),
    };
  }
}
