import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { DataSource, In, IsNull, Not } from 'typeorm';
import { ArchiveIntakeService } from '../archives/archive-intake.service.js';
import { RoundArchive } from '../archives/round-archive.entity.js';
import { AuditService } from '../audit/audit.service.js';
import { outermostSignatureValues, verifyCms, type VerificationReport } from '../cms/index.js';
import { AppError } from '../common/errors/app-error.js';
import type { Actor } from '../common/http/actor.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DocumentSignature } from '../envelopes/entities/document-signature.entity.js';
import { EnvelopeDocument } from '../envelopes/entities/envelope-document.entity.js';
import { Signer } from '../envelopes/entities/signer.entity.js';
import { EnvelopesService } from '../envelopes/envelopes.service.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { RoundDocument } from '../signing-rounds/round-document.entity.js';
import { hasSession, SigningRound } from '../signing-rounds/signing-round.entity.js';
import { RevocationService } from '../trust/revocation.service.js';
import { TimestampsService } from '../trust/timestamps.service.js';
import { TrustAnchorsService } from '../trust/trust-anchors.service.js';
import { maskIin } from '../common/domain/pii-mask.js';
import { renderCertificateOfCompletion, type CertificateFonts, type CertificateModel } from './domain/certificate-of-completion.js';
import { EvidenceSealService } from './evidence-seal.service.js';
import { SignerIdentity } from '../envelopes/entities/signer-identity.entity.js';
import { describeIdentityResults } from '../identity/domain/identity-outcome.js';
import { IdentityCheckRow } from '../identity/identity-check.entity.js';
import { IdentityReport } from '../identity/identity-report.entity.js';
import { AuditTrailFileWriter, buildEvidencePack, sha256Hex, type EvidenceInput } from './domain/evidence-pack.js';

/** Link opens listed per signer on the certificate; the audit trail in the pack has them all. */
const CERTIFICATE_LINK_OPENS = 10;

function loadFonts(): CertificateFonts {
  const require = createRequire(import.meta.url);
  return {
    regular: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    bold: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
  };
}

/** Gathers an envelope's evidence from the database and builds the pack (see domain/evidence-pack.ts). */
@Injectable()
export class EvidencePackService {
  private fonts?: CertificateFonts;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly envelopes: EnvelopesService,
    private readonly audit: AuditService,
    private readonly trust: TrustAnchorsService,
    private readonly archives: ArchiveIntakeService,
    private readonly seal: EvidenceSealService,
    private readonly revocation: RevocationService,
    private readonly timestamps: TimestampsService,
  ) {}

  async build(organisationId: string, envelopeId: string, actor: Actor): Promise<{ zip: Uint8Array; fileName: string }> {
    const envelope = await this.envelopes.get(organisationId, envelopeId);
    if (envelope.status === 'DRAFT') throw new AppError('EVIDENCE_NOT_AVAILABLE', 'A draft has no signatures to prove: send the envelope first');
    // The export is itself recorded, before the trail is read, so the pack's chain includes it.
    await this.db.transaction((manager) =>
      this.audit.append(manager, { organisationId, envelopeId, type: 'evidence.exported', actor: { kind: actor.kind, id: actor.id }, ip: actor.ip, userAgent: actor.userAgent }),
    );
    // A FINISHED round whose archive is not kept yet is fetched again (the pack says it is pending).
    await this.archives.queueMissing(envelopeId);

    const generatedAt = new Date().toISOString();
    const [organisation, documents, signers, rounds, archives, trail, anchors, identities, identityChecks, identityReports] = await Promise.all([
      this.db.getRepository(Organisation).findOneByOrFail({ id: organisationId }),
      this.db.getRepository(EnvelopeDocument).find({
        where: { envelopeId, organisationId },
        order: { position: 'ASC' },
        select: { id: true, envelopeId: true, position: true, name: true, size: true, sha256: true, content: true },
      }),
      this.db.getRepository(Signer).find({ where: { envelopeId, organisationId }, order: { position: 'ASC' } }),
      // Rounds with a provider session: a reservation still starting (or released without one) proves nothing.
      this.db.getRepository(SigningRound).find({ where: { envelopeId, organisationId }, order: { createdAt: 'ASC' } }).then((rows) => rows.filter(hasSession)),
      this.db.getRepository(RoundArchive).createQueryBuilder('a').addSelect('a.zip').where('a.envelope_id = :envelopeId', { envelopeId }).getMany(),
      this.auditTrail(organisationId, envelopeId),
      this.trust.anchors(),
      this.db.getRepository(SignerIdentity).findBy({ envelopeId, organisationId }),
      this.db.getRepository(IdentityCheckRow).find({ where: { envelopeId, organisationId }, order: { attempt: 'ASC' } }),
      this.db.getRepository(IdentityReport).createQueryBuilder('r').addSelect('r.pdf').where('r.envelope_id = :envelopeId', { envelopeId }).orderBy('r.technology').getMany(),
    ]);
    // Finished attempts only: an open flow session has nothing to prove yet.
    const attempts = identityChecks.filter((c) => c.status !== 'STARTED');

    // Kezek's timestamps over accepted signatures (TSA_URL): used in the reports and kept in the pack.
    const roundTokens = await this.db.getRepository(RoundDocument).find({
      where: { organisationId, roundId: In(rounds.map((r) => r.id)), accepted: true, timestampToken: Not(IsNull()) },
      select: { id: true, roundId: true, documentId: true, timestampToken: true },
    });
    const finals = new Map<string, { cms: Buffer; report: VerificationReport }>();
    for (const document of documents) {
      const latest = await this.db.getRepository(DocumentSignature).findOne({ where: { documentId: document.id }, order: { routingOrder: 'DESC' } });
      if (!latest) continue;
      const timestampTokens = roundTokens.filter((t) => t.documentId === document.id).map((t) => t.timestampToken!);
      finals.set(document.id, { cms: latest.cms, report: await verifyCms(latest.cms, { trustAnchors: anchors, revocation: this.revocation.options(), timestampTokens }) });
    }

    const iso = (date: Date | null) => (date ? date.toISOString() : null);
    const envelopeSummary = {
      id: envelope.id,
      title: envelope.title,
      status: envelope.status,
      statusReason: envelope.statusReason,
      documentType: envelope.documentType,
      organisation: { id: organisation.id, name: organisation.name },
      createdAt: envelope.createdAt.toISOString(),
      sentAt: iso(envelope.sentAt),
      finishedAt: iso(envelope.finishedAt),
    };

    const accepted = rounds.filter((r) => r.status === 'FINISHED' && !r.rejectionReason);
    const lastAccepted = accepted.at(-1);
    const certificateModel: CertificateModel = {
      envelope: { ...envelopeSummary, organisation: organisation.name },
      documents: documents.map((d) => ({ name: d.name, size: d.size, sha256: d.sha256, finalCmsSha256: finals.has(d.id) ? sha256Hex(finals.get(d.id)!.cms) : null })),
      signers: signers.map((s) => {
        const opens = trail.linkOpens.get(s.id) ?? { first: [], count: 0 };
        return {
          position: s.position + 1,
          fullName: s.fullName,
          iin: maskIin(s.iin)!,
          routingOrder: s.routingOrder,
          status: s.status,
          signatures: documents.flatMap((d) => {
            const signature = finals.get(d.id)?.report.signatures.filter((sig) => sig.signer?.iin === s.iin).at(-1);
            return signature
              ? [{ documentName: d.name, certificateName: signature.signer?.commonName ?? null, serialNumber: signature.certificate?.serialNumber ?? null, issuer: signature.certificate?.issuer ?? null, signingTime: signature.signingTime }]
              : [];
          }),
          sessionIds: accepted.filter((r) => r.signerId === s.id).map((r) => r.sessionId),
          linkOpens: opens.first,
          linkOpensOmitted: opens.count - opens.first.length,
          ...(identities.some((i) => i.signerId === s.id)
            ? {
                identity: {
                  checks: identities.find((i) => i.signerId === s.id)!.checks,
                  attempts: attempts
                    .filter((c) => c.signerId === s.id)
                    .map((c) => ({ attempt: c.attempt, status: c.status, summary: describeIdentityResults(c.results, c.failureReason), at: (c.finishedAt ?? c.createdAt).toISOString(), sessionId: c.sessionId })),
                },
              }
            : {}),
        };
      }),
      audit: { headHash: trail.file.headHash, events: trail.file.events },
      verifyUrl: this.config.verifyPageUrl(lastAccepted?.checkId),
      generatedAt,
    };
    this.fonts ??= loadFonts();
    const certificate = await renderCertificateOfCompletion(certificateModel, this.fonts);

    const input: EvidenceInput = {
      generatedAt,
      envelope: envelopeSummary,
      documents: documents.map((d) => ({ id: d.id, position: d.position, name: d.name, sha256: d.sha256, content: d.content, finalCms: finals.get(d.id)?.cms ?? null, report: finals.get(d.id)?.report ?? null })),
      signers: signers.map((s) => ({ id: s.id, position: s.position, fullName: s.fullName, iin: s.iin, routingOrder: s.routingOrder, status: s.status, signedAt: iso(s.signedAt) })),
      rounds: rounds.map((r) => {
        const archive = archives.find((a) => a.roundId === r.id);
        return {
          id: r.id,
          signerId: r.signerId,
          attempt: r.attempt,
          sessionId: r.sessionId,
          checkId: r.checkId,
          status: r.status,
          finishedAt: iso(r.finishedAt),
          archive: r.status === 'FINISHED' ? { status: archive?.status ?? 'PENDING', zip: archive?.status === 'PENDING' ? null : (archive?.zip ?? null) } : null,
          timestamps: roundTokens.filter((t) => t.roundId === r.id).map((t) => ({ documentId: t.documentId, token: t.timestampToken! })),
        };
      }),
      identity: attempts.map((c) => ({
        signerId: c.signerId,
        signerPosition: signers.find((s) => s.id === c.signerId)?.position ?? 0,
        attempt: c.attempt,
        sessionId: c.sessionId,
        status: c.status,
        failureReason: c.failureReason,
        // PII-minimised: verdicts and scores only (no IIN, names, phone, photos or document data).
        result: {
          sessionId: c.sessionId,
          technologies: c.technologies,
          status: c.status,
          failureReason: c.failureReason,
          startedAt: c.createdAt.toISOString(),
          finishedAt: iso(c.finishedAt),
          results: c.results,
        },
        reports: identityReports.filter((r) => r.checkId === c.id).map((r) => ({ technology: r.technology, pdf: r.pdf })),
      })),
      audit: trail.file,
      certificate,
    };
    const { zip } = await buildEvidencePack(
      input,
      (manifest) => this.seal.sealManifest(manifest),
      async (seal) => {
        const [signature] = outermostSignatureValues(seal);
        return signature ? this.timestamps.stamp(signature, 'evidence seal') : null;
      },
    );
    return { zip, fileName: `evidence-${envelope.id}.zip` };
  }

  /**
   * The trail up to its head when the export began, read a page at a time: written straight into the pack's
   * file, keeping only what the certificate lists (each signer's first link opens and their count).
   */
  private async auditTrail(organisationId: string, envelopeId: string) {
    const head = await this.audit.head(organisationId, envelopeId);
    const writer = new AuditTrailFileWriter(envelopeId, head?.hash ?? null);
    const linkOpens = new Map<string, { first: { at: string; ip: string | null; userAgent: string | null }[]; count: number }>();
    for await (const page of head ? this.audit.pages(organisationId, envelopeId, { toSeq: head.seq }) : []) {
      writer.add(page);
      for (const event of page) {
        if (event.type !== 'signer.link_opened' || !event.actor.id) continue;
        const opens = linkOpens.get(event.actor.id) ?? { first: [], count: 0 };
        if (opens.first.length < CERTIFICATE_LINK_OPENS) opens.first.push({ at: event.createdAt, ip: event.ip, userAgent: event.userAgent });
        opens.count++;
        linkOpens.set(event.actor.id, opens);
      }
    }
    return { file: writer.finish(), linkOpens };
  }
}
