import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ArchiveFile } from '../archives/archive-file.entity.js';
import { readCopyIdentity } from '../archives/domain/document-id.js';
import { RoundArchive } from '../archives/round-archive.entity.js';
import { verifyCms, type VerificationReport, type VerifyCmsOptions } from '../cms/index.js';
import { sha256Hex } from '../common/crypto/sha256.js';
import { AppError } from '../common/errors/app-error.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DocumentSignature } from '../envelopes/entities/document-signature.entity.js';
import { EnvelopeDocument } from '../envelopes/entities/envelope-document.entity.js';
import { Envelope } from '../envelopes/entities/envelope.entity.js';
import { RoundDocument } from '../signing-rounds/round-document.entity.js';
import { SigningRound } from '../signing-rounds/signing-round.entity.js';
import { RevocationService } from '../trust/revocation.service.js';
import { TrustAnchorsService } from '../trust/trust-anchors.service.js';
import { publicCmsLimits } from './domain/public-limits.js';
import { maskPublicAnswer, maskReport, publicSigners, type PublicSession, type PublicVerification } from './domain/public-report.js';
import { sniffUpload } from './domain/upload-kind.js';

/** check_ids are the provider's (UUIDs on the sandbox); anything else is not looked up at all. */
const CHECK_ID = /^[A-Za-z0-9._~-]{1,128}$/;

/** A CMS carries the document plus certificates and signatures: that much room above MAX_DOCUMENT_BYTES. */
const CMS_MARGIN_BYTES = 1024 * 1024;

/**
 * Public verification: anyone holding a file learns what Kezek knows about exactly that file, and anyone
 * holding a check_id sees that session. Nothing is said about anything else: an unknown file gets "no
 * record" and its own bytes' facts only; an unknown check_id is a plain 404.
 */
@Injectable()
export class VerificationService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly trust: TrustAnchorsService,
    private readonly revocation: RevocationService,
  ) {}

  /**
   * Everything a verification here is judged with: the anchors, revocation (the public upload route asks
   * about fewer certificates), and the timestamps Kezek obtained over the document's accepted signatures.
   */
  private async verifyOptions(documentId: string | null | undefined, scope: 'service' | 'public' = 'service'): Promise<VerifyCmsOptions> {
    const tokens = documentId
      ? ((await this.db.query(`SELECT timestamp_token FROM round_document WHERE document_id = $1 AND accepted AND timestamp_token IS NOT NULL LIMIT 64`, [documentId])) as { timestamp_token: Buffer }[])
      : [];
    return { trustAnchors: await this.trust.anchors(), revocation: this.revocation.options(scope), timestampTokens: tokens.map((t) => t.timestamp_token) };
  }

  get maxUploadBytes(): number {
    return this.config.MAX_DOCUMENT_BYTES + CMS_MARGIN_BYTES;
  }

  verifyUrl(checkId?: string): string {
    return this.config.verifyPageUrl(checkId);
  }

  async verifyFile(bytes: Uint8Array): Promise<PublicVerification> {
    return maskPublicAnswer(await this.match(bytes));
  }

  /** The session page behind a check_id; NOT_FOUND with no detail for anything unknown. */
  async session(checkId: string): Promise<PublicSession> {
    return maskPublicAnswer(await this.sessionUnmasked(checkId));
  }

  private async match(bytes: Uint8Array): Promise<PublicVerification> {
    if (bytes.length === 0) throw new AppError('VERIFY_FILE_EMPTY', 'The file is empty');
    if (bytes.length > this.maxUploadBytes) throw new AppError('VERIFY_FILE_TOO_LARGE', `The file is larger than ${this.maxUploadBytes} bytes`);
    const sha256 = sha256Hex(bytes);
    const type = sniffUpload(bytes, this.maxUploadBytes);
    const file: PublicVerification['file'] = { sha256, size: bytes.length, type, documentId: null };

    if (type === 'cms') return this.cmsAnswer(bytes, file);

    const original = await this.originalBySha256(sha256);
    if (original) {
      const report = await this.verifyLatest(original.id);
      const envelope = await this.envelopeSummary(original.envelopeId, original.id);
      return {
        match: 'original',
        intact: true,
        message: report
          ? `This is the original document “${original.name}”, as it was signed. Envelope status: ${envelope.status}.`
          : `This is the original document “${original.name}”; nobody has signed it yet. Envelope status: ${envelope.status}.`,
        file,
        report,
        signers: publicSigners(report),
        envelope,
        session: null,
      };
    }

    const copy = await this.db.getRepository(ArchiveFile).findOne({ where: { sha256 }, order: { name: 'ASC' } });
    if (copy) return this.copyAnswer(copy, file, true);

    if (type === 'pdf' || type === 'xml') {
      file.documentId = readCopyIdentity(bytes).documentId;
      if (file.documentId) {
        const claimed = await this.db.getRepository(ArchiveFile).findOne({ where: { providerDocumentId: file.documentId }, order: { name: 'ASC' } });
        if (claimed) return this.copyAnswer(claimed, file, false);
      }
    }
    return {
      match: 'none',
      intact: null,
      message: 'No signed document, signed copy or signature known here matches this file.',
      file,
      report: null,
      signers: [],
      envelope: null,
      session: null,
    };
  }

  private async sessionUnmasked(checkId: string): Promise<PublicSession> {
    const notFound = new AppError('VERIFICATION_SESSION_NOT_FOUND', 'Not found');
    if (!CHECK_ID.test(checkId)) throw notFound;
    // Looked up by the hash of the check_id: the secret itself is never compared byte by byte.
    const archive = await this.db.getRepository(RoundArchive).findOne({ where: { checkIdSha256: sha256Hex(checkId) }, order: { createdAt: 'DESC' } });
    if (!archive) throw notFound;
    const round = await this.db.getRepository(SigningRound).findOneBy({ id: archive.roundId });
    const envelope = await this.db.getRepository(Envelope).findOneBy({ id: archive.envelopeId });
    if (!round || !envelope || round.status !== 'FINISHED') throw notFound;
    const [documents, roundDocuments, files] = await Promise.all([
      this.db.getRepository(EnvelopeDocument).find({ where: { envelopeId: envelope.id }, order: { position: 'ASC' } }),
      this.db.getRepository(RoundDocument).find({ where: { roundId: round.id } }),
      this.db.getRepository(ArchiveFile).find({ where: { archiveId: archive.id }, order: { name: 'ASC' } }),
    ]);
    const options = await this.verifyOptions(null);
    const listed = new Set<string>();
    const sessionDocuments: PublicSession['documents'] = [];
    for (const document of documents) {
      const signed = roundDocuments.find((r) => r.documentId === document.id);
      if (!signed) continue;
      const report = maskReport(await verifyCms(signed.cms, { ...options, timestampTokens: signed.timestampToken ? [signed.timestampToken] : [] }));
      const copies = files.filter((f) => f.documentId === document.id);
      copies.forEach((f) => listed.add(f.id));
      sessionDocuments.push({
        name: document.name,
        sha256: document.sha256,
        copies: copies.map((f) => ({ name: f.name, sha256: f.sha256, size: f.size, documentId: f.providerDocumentId })),
        report,
        signers: publicSigners(report),
      });
    }
    return {
      checkId,
      finishedAt: round.finishedAt?.toISOString() ?? null,
      envelope: { status: envelope.status },
      rejected: round.rejectionReason !== null,
      archive: archive.status,
      documents: sessionDocuments,
      otherFiles: files.filter((f) => !listed.has(f.id)).map((f) => ({ name: f.name, sha256: f.sha256, size: f.size, documentId: f.providerDocumentId })),
    };
  }

  private async cmsAnswer(bytes: Uint8Array, file: PublicVerification['file']): Promise<PublicVerification> {
    // A stranger's CMS: verified under the public route's lower limits and work budget.
    // Kezek's own timestamps apply when the CMS is one it stored; the content hash alone is a stranger's claim.
    const known = await this.storedDocumentOfCms(file.sha256);
    const report = maskReport(await verifyCms(bytes, { ...(await this.verifyOptions(known, 'public')), ...publicCmsLimits(this.maxUploadBytes) }));
    const document = await this.documentOfCms(file.sha256, report.content.sha256);
    const envelope = document ? await this.envelopeSummary(document.envelopeId, document.id) : null;
    const verdict = { TOTAL_PASSED: 'Every signature verifies.', TOTAL_FAILED: 'The signature does NOT verify.', INDETERMINATE: 'The signature could not be fully verified.' }[report.indication];
    return {
      match: 'cms',
      intact: report.indication === 'TOTAL_PASSED',
      message: `${verdict} ${report.message}${envelope ? ` It belongs to a signing envelope with status ${envelope.status}.` : ''}`,
      file,
      report,
      signers: publicSigners(report),
      envelope,
      session: null,
    };
  }

  private async copyAnswer(copy: ArchiveFile, file: PublicVerification['file'], intact: boolean): Promise<PublicVerification> {
    const roundDocument = await this.db.getRepository(RoundDocument).findOne({
      where: copy.documentId ? { roundId: copy.roundId, documentId: copy.documentId } : { roundId: copy.roundId },
    });
    const report = roundDocument ? maskReport(await verifyCms(roundDocument.cms, await this.verifyOptions(roundDocument.documentId))) : null;
    const envelope = await this.envelopeSummary(copy.envelopeId, copy.documentId);
    const round = await this.db.getRepository(SigningRound).findOneBy({ id: copy.roundId });
    const rejected = round?.rejectionReason ? ` Kezek REJECTED the signature of that session (${round.rejectionReason}): it is not part of the envelope.` : '';
    return {
      match: 'archive-copy',
      intact,
      message: intact
        ? `This is a signed copy the signing provider issued in verification session ${copy.checkId}, unchanged. Envelope status: ${envelope.status}.${rejected}`
        : `ALTERED: this file carries the DocumentId of a signed copy issued in verification session ${copy.checkId}, but its content differs from that copy. Do not rely on it; the signers below are those of the genuine copy.`,
      file: { ...file, documentId: copy.providerDocumentId ?? file.documentId },
      report,
      signers: publicSigners(report),
      envelope,
      session: { checkId: copy.checkId, verifyUrl: this.verifyUrl(copy.checkId) },
    };
  }

  /** An envelope document with these bytes: the most recent one that has been signed, else the most recent. */
  private async originalBySha256(sha256: string): Promise<EnvelopeDocument | null> {
    const [row] = (await this.db.query(
      `SELECT d.id FROM envelope_document d JOIN envelope e ON e.id = d.envelope_id
        WHERE d.sha256 = $1 AND e.status <> 'DRAFT'
        ORDER BY EXISTS (SELECT 1 FROM document_signature s WHERE s.document_id = d.id) DESC, e.created_at DESC
        LIMIT 1`,
      [sha256],
    )) as { id: string }[];
    return row ? this.db.getRepository(EnvelopeDocument).findOneBy({ id: row.id }) : null;
  }

  /** The id of the envelope document whose CMS Kezek stored with exactly these bytes, if any. */
  private async storedDocumentOfCms(cmsSha256: string): Promise<string | null> {
    const signature = await this.db.getRepository(DocumentSignature).findOneBy({ cmsSha256 });
    const roundDocument = signature ? null : await this.db.getRepository(RoundDocument).findOneBy({ cmsSha256 });
    return signature?.documentId ?? roundDocument?.documentId ?? null;
  }

  /** The envelope document a CMS belongs to: one Kezek stored, else the original its content leads back to. */
  private async documentOfCms(cmsSha256: string, contentSha256: string | null): Promise<EnvelopeDocument | null> {
    const documentId = await this.storedDocumentOfCms(cmsSha256);
    if (documentId) return this.db.getRepository(EnvelopeDocument).findOneBy({ id: documentId });
    return contentSha256 ? this.originalBySha256(contentSha256) : null;
  }

  private async verifyLatest(documentId: string): Promise<VerificationReport | null> {
    const latest = await this.db.getRepository(DocumentSignature).findOne({ where: { documentId }, order: { routingOrder: 'DESC' } });
    return latest ? maskReport(await verifyCms(latest.cms, await this.verifyOptions(documentId))) : null;
  }

  /**
   * The envelope's status and the one document the holder proved they have: nothing about the envelope's
   * other documents (the holder of one contract learns nothing of the others).
   */
  private async envelopeSummary(envelopeId: string, documentId: string | null | undefined): Promise<NonNullable<PublicVerification['envelope']>> {
    const envelope = await this.db.getRepository(Envelope).findOneByOrFail({ id: envelopeId });
    const document = documentId ? await this.db.getRepository(EnvelopeDocument).findOneBy({ id: documentId, envelopeId }) : null;
    return { status: envelope.status, documents: document ? [{ name: document.name, sha256: document.sha256 }] : [] };
  }
}
