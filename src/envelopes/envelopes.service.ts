import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { SecretBox } from '../common/crypto/secret-box.js';
import { startMachine } from '../common/domain/machine-step.js';
import { AppError } from '../common/errors/app-error.js';
import { decodeKeysetCursor, encodeKeysetCursor, keysetPage, type KeysetPage } from '../common/http/keyset-page.js';
import type { Actor } from '../common/http/actor.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { JobsService } from '../jobs/jobs.service.js';
import { ProviderCredentialsService } from '../organisations/provider-credentials.service.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { type EnvelopeContext, ENVELOPE_MACHINE_VERSION, envelopeMachine } from './domain/envelope.machine.js';
import { detectDocumentType } from '../common/domain/document-type.js';
import { generateLinkToken, hashLinkToken } from './domain/link-token.js';
import { ENVELOPE_LIMITS, type EnvelopeFieldsDto } from './dto/create-envelope.dto.js';
import { DocumentSignature } from './entities/document-signature.entity.js';
import { EnvelopeDocument } from './entities/envelope-document.entity.js';
import { Envelope } from './entities/envelope.entity.js';
import { Signer } from './entities/signer.entity.js';
import { envelopeSummary, EnvelopeTransitionsService } from './envelope-transitions.service.js';
import { ENVELOPE_EXPIRE_QUEUE } from './envelope-jobs.js';
import { KycFlowKeysService } from '../kyc/kyc-flow-keys.service.js';
import { decodePhoto, technologiesOf } from './domain/identity-requirement.js';
import { SignerIdentity } from './entities/signer-identity.entity.js';
import { sha256Hex } from '../common/crypto/sha256.js';

export interface IncomingDocument {
  name: string;
  bytes: Buffer;
}

const DAY = 24 * 60 * 60 * 1000;

@Injectable()
export class EnvelopesService {
  private readonly box: SecretBox;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly transitions: EnvelopeTransitionsService,
    private readonly audit: AuditService,
    private readonly webhooks: WebhooksService,
    private readonly jobs: JobsService,
    private readonly providers: ProviderCredentialsService,
    private readonly kycFlows: KycFlowKeysService,
  ) {
    this.box = new SecretBox(config.secretsKey);
  }

  /**
   * Each signer's identity requirement, checked whole before anything is written: known checks, a reference
   * for face2face, a JPEG/PNG photo within the cap. The photo is sealed (a face is personal data).
   */
  private identityRequirements(fields: EnvelopeFieldsDto): Map<number, Omit<SignerIdentity, 'signerId' | 'organisationId' | 'envelopeId' | 'createdAt'>> {
    const requirements = new Map<number, Omit<SignerIdentity, 'signerId' | 'organisationId' | 'envelopeId' | 'createdAt'>>();
    fields.signers.forEach((signer, index) => {
      const identity = signer.identity;
      if (!identity) return;
      const at = `signers[${index}].identity`;
      const checks = identity.checks;
      if (identity.edocumentType && !checks.includes('edocument')) throw new AppError('IDENTITY_INVALID', `${at}.edocumentType: only used with the "edocument" check; add it to checks or drop edocumentType`);
      if (identity.photoBase64 !== undefined && !checks.includes('face2face')) throw new AppError('IDENTITY_INVALID', `${at}.photoBase64: only used by the "face2face" check; add it to checks or drop the photo`);
      if (checks.includes('face2face') && !checks.includes('edocument') && identity.photoBase64 === undefined) {
        throw new AppError('IDENTITY_REFERENCE_MISSING', `${at}: face2face needs a reference face: add "edocument" to checks (the state ID photo) or give photoBase64`);
      }
      let photoSealed: string | null = null;
      if (identity.photoBase64 !== undefined) {
        const photo = decodePhoto(identity.photoBase64, `${at}.photoBase64`);
        if ('problem' in photo) throw new AppError(photo.problem.code, photo.problem.message);
        photoSealed = this.box.seal(photo.bytes.toString('base64'));
      }
      requirements.set(index, {
        checks: [...checks],
        edocumentType: checks.includes('edocument') ? (identity.edocumentType ?? 'identity_card') : null,
        photoSealed,
        maxAttempts: identity.maxAttempts ?? this.config.IDENTITY_MAX_ATTEMPTS,
      });
    });
    return requirements;
  }

  /** Decodes a base64 document strictly: a typo in the payload is a 400, not a corrupt contract. */
  decodeBase64Document(name: string, base64: string, index: number): IncomingDocument {
    const compact = base64.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
      throw new AppError('INVALID_BASE64', `documents[${index}].contentBase64: not valid base64`);
    }
    return { name, bytes: Buffer.from(compact, 'base64') };
  }

  async create(organisationId: string, fields: EnvelopeFieldsDto, documents: IncomingDocument[], actor: Actor): Promise<Envelope> {
    const documentType = this.checkDocuments(documents);
    const now = new Date();
    const expiresAt = this.expiryOf(fields.options?.expiresAt, now);
    const iins = new Set<string>();
    fields.signers.forEach((signer, index) => {
      if (iins.has(signer.iin)) throw new AppError('DUPLICATE_SIGNER', `signers[${index}].iin: this IIN is already a signer of the envelope`);
      iins.add(signer.iin);
    });
    const identities = this.identityRequirements(fields);
    if (fields.send) await this.providers.ensureConfigured(organisationId);
    // The organisation must be able to run each set of checks asked for (a flow per technology set).
    for (const technologies of new Set([...identities.values()].map((r) => technologiesOf(r.checks).join(',')))) {
      await this.kycFlows.ensure(organisationId, technologies.split(','));
    }

    const signers = fields.signers.map((input, index) => {
      const token = generateLinkToken();
      return {
        id: randomUUID(),
        organisationId,
        position: index,
        fullName: input.fullName.trim(),
        iin: input.iin,
        phone: input.phone,
        email: input.email?.trim().toLowerCase() ?? null,
        routingOrder: input.routingOrder ?? index + 1,
        status: 'WAITING' as const,
        attempts: 0,
        linkTokenHash: hashLinkToken(token),
        linkTokenSealed: this.box.seal(token),
      };
    });
    const maxAttempts = fields.options?.maxAttempts ?? 3;
    const start = startMachine<EnvelopeContext>(envelopeMachine, {
      signers: signers.map((s) => ({ id: s.id, routingOrder: s.routingOrder })),
      maxAttempts,
    });

    // Its events (created, and sent with `send`) are written together.
    const envelopeId = await this.db.transaction((manager) => this.audit.batch(manager, async () => {
      const envelope = await manager.getRepository(Envelope).save(
        manager.getRepository(Envelope).create({
          organisationId,
          title: fields.title.trim(),
          documentType,
          status: 'DRAFT',
          statusReason: null,
          machineState: start.state,
          machineVersion: ENVELOPE_MACHINE_VERSION,
          language: fields.options?.language ?? 'ru',
          redirectUrl: fields.options?.redirectUrl ?? null,
          maxAttempts,
          expiresAt,
          metadata: fields.options?.metadata ?? {},
          reminderIntervalDays: fields.options?.reminderIntervalDays ?? null,
          senderEmail: fields.options?.senderEmail ?? null,
        }),
      );
      await manager.getRepository(EnvelopeDocument).insert(
        documents.map((document, position) => ({
          envelopeId: envelope.id,
          organisationId,
          position,
          name: document.name,
          size: document.bytes.length,
          sha256: sha256Hex(document.bytes),
          content: document.bytes,
        })),
      );
      await manager.getRepository(Signer).insert(signers.map((s) => ({ ...s, envelopeId: envelope.id })));
      if (identities.size > 0) {
        await manager.getRepository(SignerIdentity).insert([...identities].map(([index, requirement]) => ({ ...requirement, signerId: signers[index].id, organisationId, envelopeId: envelope.id })));
      }
      await this.audit.append(manager, {
        organisationId,
        envelopeId: envelope.id,
        type: 'envelope.created',
        actor: { kind: actor.kind, id: actor.id },
        ip: actor.ip,
        userAgent: actor.userAgent,
        data: {
          title: envelope.title,
          documentType,
          documents: documents.map((d) => ({ name: d.name, size: d.bytes.length, sha256: sha256Hex(d.bytes) })),
          signers: signers.map((s, index) => ({
            id: s.id,
            fullName: s.fullName,
            iin: s.iin,
            routingOrder: s.routingOrder,
            ...(identities.has(index) ? { identity: { checks: identities.get(index)!.checks, edocumentType: identities.get(index)!.edocumentType, photo: identities.get(index)!.photoSealed !== null } } : {}),
          })),
          expiresAt: expiresAt.toISOString(),
        },
      });
      if (fields.send) await this.sendLocked(manager, envelope, actor);
      return envelope.id;
    }));
    this.afterCommit();
    return this.get(organisationId, envelopeId);
  }

  async send(organisationId: string, envelopeId: string, actor: Actor): Promise<Envelope> {
    await this.providers.ensureConfigured(organisationId);
    await this.db.transaction(async (manager) => {
      const envelope = await this.transitions.lock(manager, organisationId, envelopeId);
      if (envelope.status !== 'DRAFT') {
        throw new AppError('ENVELOPE_NOT_SENDABLE', `Envelope ${envelopeId} is ${envelope.status}; only a DRAFT can be sent`);
      }
      await this.sendLocked(manager, envelope, actor);
    });
    this.afterCommit();
    return this.get(organisationId, envelopeId);
  }

  private async sendLocked(manager: EntityManager, envelope: Envelope, actor: Actor): Promise<void> {
    if (envelope.expiresAt.getTime() <= Date.now()) {
      throw new AppError('INVALID_EXPIRY', 'The envelope expired before it was sent; create it again with a later expiry');
    }
    await this.transitions.apply(manager, envelope, { type: 'SEND' }, actor);
    await this.webhooksEmitSent(manager, envelope);
    await this.jobs.send(manager, ENVELOPE_EXPIRE_QUEUE, { envelopeId: envelope.id, organisationId: envelope.organisationId }, { startAfter: envelope.expiresAt });
  }

  private async webhooksEmitSent(manager: EntityManager, envelope: Envelope): Promise<void> {
    await this.webhooks.emit(manager, envelope.organisationId, 'envelope.sent', {
      envelope: envelopeSummary(envelope),
    }, { envelopeId: envelope.id });
  }

  async cancel(organisationId: string, envelopeId: string, reason: string, actor: Actor): Promise<Envelope> {
    await this.db.transaction(async (manager) => {
      const envelope = await this.transitions.lock(manager, organisationId, envelopeId);
      const changed = await this.transitions.apply(manager, envelope, { type: 'CANCEL', reason }, actor);
      if (!changed && envelope.status !== 'CANCELED') {
        throw new AppError('ENVELOPE_FINISHED', `Envelope ${envelopeId} is already ${envelope.status} and cannot be canceled`);
      }
    });
    this.afterCommit();
    return this.get(organisationId, envelopeId);
  }

  /** The envelope expiry job: EXPIRED, live provider sessions left to die on their own. */
  async expire(organisationId: string, envelopeId: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const envelope = await this.transitions.lock(manager, organisationId, envelopeId);
      if (envelope.expiresAt.getTime() > Date.now()) return; // the job ran early (clock skew): a later one follows
      await this.transitions.apply(manager, envelope, { type: 'EXPIRE' }, { kind: 'system' });
    });
    this.afterCommit();
  }

  async get(organisationId: string, envelopeId: string): Promise<Envelope> {
    const envelope = await this.db.getRepository(Envelope).findOneBy({ id: envelopeId, organisationId });
    if (!envelope) throw new AppError('ENVELOPE_NOT_FOUND', `Envelope ${envelopeId} not found`);
    return envelope;
  }

  /** Newest first. `created_at` is timestamptz(3), so the entity's Date is the exact sort key for the cursor. */
  async list(organisationId: string, query: { status?: string; cursor?: string; limit?: number }): Promise<KeysetPage<Envelope>> {
    const limit = query.limit ?? 20;
    const qb = this.db
      .getRepository(Envelope)
      .createQueryBuilder('e')
      .where('e.organisation_id = :organisationId', { organisationId })
      .orderBy('e.created_at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(limit + 1);
    if (query.status) qb.andWhere('e.status = :status', { status: query.status });
    if (query.cursor) {
      const after = decodeKeysetCursor(query.cursor);
      qb.andWhere('(e.created_at, e.id) < (CAST(:cursorAt AS timestamptz), CAST(:cursorId AS uuid))', { cursorAt: after.at, cursorId: after.id });
    }
    return keysetPage(await qb.getMany(), limit, (last) => encodeKeysetCursor({ at: last.createdAt, id: last.id }));
  }

  /** The latest CMS of a document: the last routing group's (merged) signature. */
  async signedDocument(organisationId: string, envelopeId: string, documentId: string): Promise<{ name: string; cms: Buffer }> {
    await this.get(organisationId, envelopeId);
    const document = await this.db.getRepository(EnvelopeDocument).findOneBy({ id: documentId, envelopeId, organisationId });
    if (!document) throw new AppError('DOCUMENT_NOT_FOUND', `Document ${documentId} not found in envelope ${envelopeId}`);
    const latest = await this.db.getRepository(DocumentSignature).findOne({ where: { documentId, organisationId }, order: { routingOrder: 'DESC' } });
    if (!latest) throw new AppError('NOT_SIGNED_YET', `No signer has signed ${document.name} yet`);
    return { name: document.name, cms: latest.cms };
  }

  /** Queued jobs and webhooks run at once rather than at their next poll. */
  afterCommit(): void {
    this.jobs.wake(ENVELOPE_EXPIRE_QUEUE);
    this.webhooks.wakeDeliveries();
  }

  private checkDocuments(documents: IncomingDocument[]): 'pdf' | 'xml' {
    if (documents.length === 0) throw new AppError('VALIDATION_FAILED', 'documents: at least one document is required');
    if (documents.length > ENVELOPE_LIMITS.documents) {
      throw new AppError('VALIDATION_FAILED', `documents: at most ${ENVELOPE_LIMITS.documents} documents per envelope`);
    }
    const types = documents.map((document, index) => {
      if (document.bytes.length === 0) throw new AppError('DOCUMENT_TYPE_UNSUPPORTED', `documents[${index}] (${document.name}): the file is empty`);
      if (document.bytes.length > this.config.MAX_DOCUMENT_BYTES) {
        throw new AppError('DOCUMENT_TOO_LARGE', `documents[${index}] (${document.name}): ${document.bytes.length} bytes; the limit is ${this.config.MAX_DOCUMENT_BYTES}`);
      }
      const type = detectDocumentType(document.bytes);
      if (!type) throw new AppError('DOCUMENT_TYPE_UNSUPPORTED', `documents[${index}] (${document.name}): not a PDF or well-formed XML file`);
      return type;
    });
    if (new Set(types).size > 1) {
      throw new AppError('DOCUMENT_TYPES_MIXED', `documents: all documents must be PDF or all XML (got ${types.join(', ')}); the provider fixes the type per session`);
    }
    return types[0];
  }

  private expiryOf(requested: string | undefined, now: Date): Date {
    if (!requested) return new Date(now.getTime() + ENVELOPE_LIMITS.defaultExpiryDays * DAY);
    const expiresAt = new Date(requested);
    if (expiresAt.getTime() < now.getTime() + 60 * 60 * 1000) {
      throw new AppError('INVALID_EXPIRY', 'options.expiresAt: must be at least one hour from now');
    }
    if (expiresAt.getTime() > now.getTime() + ENVELOPE_LIMITS.maxExpiryDays * DAY) {
      throw new AppError('INVALID_EXPIRY', `options.expiresAt: must be within ${ENVELOPE_LIMITS.maxExpiryDays} days`);
    }
    return expiresAt;
  }
}

