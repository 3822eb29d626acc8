import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/app-config.js';
import { addSigner, signContent } from './domain/cms-sign.js';
import type { DocumentType } from '../common/domain/document-type.js';
import { checkContent } from './domain/file-type.js';
import { isIinFormat, isValidIin } from '../cms/iin.js';
import {
  isExpired,
  isOpen,
  redirectTarget,
  SESSION_LIFETIME_MS,
  transition,
  type RedirectReason,
  type SessionOutcome,
  type SessionTransition,
} from './domain/session-rules.js';
import { ProviderApiError, SANDBOX_TEXTS } from './sandbox.errors.js';
import { SandboxDocument, SandboxOrganisation, SandboxSession } from './sandbox.entities.js';
import { SandboxClock } from './sandbox-clock.js';
import { SandboxPeopleService } from './sandbox-people.service.js';
import { SandboxWebhooksService } from './sandbox-webhooks.service.js';
import { sandboxMaxFileBytes } from './sandbox-upload.interceptor.js';
import { sha256 } from '../common/crypto/sha256.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_DOCUMENTS = 50;

export interface CreateSessionInput {
  iin?: unknown;
  phone?: unknown;
  document_type?: unknown;
}

export interface SessionCompletion {
  session: SandboxSession;
  /** Where the sign page sends the person, when a redirect_url is known. */
  redirectUrl: string | null;
  /** False when the session had already ended (nothing changed). */
  changed: boolean;
}

function badRequest(detail: string): ProviderApiError {
  return new ProviderApiError(400, detail);
}

/** `.pdf`, `PDF`, `pdf` all mean pdf; the default is pdf. */
export function parseDocumentType(value: unknown): DocumentType | undefined {
  if (value === undefined || value === null || value === '') return 'pdf';
  if (typeof value !== 'string') return undefined;
  const type = value.trim().toLowerCase().replace(/^\./, '');
  return type === 'pdf' || type === 'xml' ? type : undefined;
}

/**
 * Sessions of the sandbox provider: the rules of the guide (30-minute lifetime, one use, type by content,
 * dev size cap, STARTED → PROCESS → FINISHED | CANCELED) and real signing at the end.
 */
@Injectable()
export class SandboxSessionsService {
  private readonly logger = new Logger('SandboxSessions');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: SandboxClock,
    private readonly people: SandboxPeopleService,
    private readonly webhooks: SandboxWebhooksService,
  ) {}

  /** The per-file cap of the profile: 30 KB on dev (as the provider's dev host), MAX_DOCUMENT_BYTES on prod. */
  maxFileBytes(): number {
    return sandboxMaxFileBytes(this.config);
  }

  async create(organisation: SandboxOrganisation, input: CreateSessionInput): Promise<SandboxSession> {
    if (input.iin === undefined || input.iin === null || input.iin === '') throw badRequest('iin: field required');
    if (!isIinFormat(input.iin)) throw badRequest('iin: expected 12 digits');
    if (input.phone === undefined || input.phone === null || input.phone === '') throw badRequest('phone: field required');
    if (typeof input.phone !== 'string' || !/^7\d{10}$/.test(input.phone)) throw badRequest('phone: expected the format 77*********');
    const documentType = parseDocumentType(input.document_type);
    if (!documentType) throw badRequest('document_type: expected pdf or xml');
    // The provider looks the person up in the state database; an IIN that cannot exist is not found there.
    if (!isValidIin(input.iin)) throw ProviderApiError.of('SUBJECT_NOT_FOUND');
    const now = this.clock.now();
    const repository = this.db.getRepository(SandboxSession);
    return repository.save(
      repository.create({
        organisationId: organisation.id,
        iin: input.iin,
        phone: input.phone,
        documentType,
        checkId: randomUUID(),
        status: 'STARTED',
        failureReason: null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + SESSION_LIFETIME_MS),
        updatedAt: now,
      }),
    );
  }

  /** A session of this organisation, with its expiry applied: 404 for unknown ids, 409 for another organisation's. */
  async sessionFor(organisation: SandboxOrganisation, sessionId: unknown): Promise<SandboxSession> {
    if (sessionId === undefined || sessionId === null || sessionId === '') throw badRequest('session_id: field required');
    const session = await this.findSession(sessionId);
    if (!session) throw ProviderApiError.of('SESSION_NOT_FOUND');
    if (session.organisationId !== organisation.id) throw ProviderApiError.of('ACCESS_DENIED');
    return session;
  }

  /** Finds a session by id and applies its expiry; undefined when unknown. */
  async findSession(sessionId: unknown): Promise<SandboxSession | undefined> {
    if (typeof sessionId !== 'string' || !UUID.test(sessionId)) return undefined;
    const session = await this.db.getRepository(SandboxSession).findOneBy({ id: sessionId });
    if (!session) return undefined;
    if (isExpired(session, this.clock.now())) return (await this.end(session.id, { kind: 'expire' })).session;
    return session;
  }

  async upload(organisation: SandboxOrganisation, input: { sessionId: unknown; name: unknown; file: Uint8Array | undefined }): Promise<SandboxDocument> {
    if (typeof input.name !== 'string' || input.name.trim() === '') throw badRequest('name: field required');
    if (input.name.length > 255) throw badRequest('name: at most 255 characters');
    if (!input.file || input.file.length === 0) throw badRequest('file: field required');
    const session = await this.sessionFor(organisation, input.sessionId);
    // A session takes documents only before the person starts; after that it cannot be reused.
    if (session.status !== 'STARTED') throw ProviderApiError.of('ACCESS_DENIED');
    if (input.file.length > this.maxFileBytes()) throw new ProviderApiError(413, SANDBOX_TEXTS.fileTooLarge(this.maxFileBytes()));
    const check = checkContent(input.file, session.documentType);
    if (!check.ok) throw badRequest(check.problem === 'detached-cms' ? SANDBOX_TEXTS.detachedCms : SANDBOX_TEXTS.wrongFileType(session.documentType));
    const now = this.clock.now();
    return this.db.transaction(async (tx) => {
      // Lock the session so concurrent uploads get distinct positions and cannot race the sign page.
      const [locked] = (await tx.query(`SELECT status FROM sandbox.session WHERE id = $1 FOR UPDATE`, [session.id])) as { status: string }[];
      if (locked?.status !== 'STARTED') throw ProviderApiError.of('ACCESS_DENIED');
      const [{ count }] = (await tx.query(`SELECT count(*)::int AS count FROM sandbox.document WHERE session_id = $1`, [session.id])) as { count: number }[];
      if (count >= MAX_DOCUMENTS) throw new ProviderApiError(400, SANDBOX_TEXTS.tooManyDocuments);
      const repository = tx.getRepository(SandboxDocument);
      return repository.save(
        repository.create({
          sessionId: session.id,
          position: count,
          name: (input.name as string).trim(),
          content: Buffer.from(input.file!),
          sha256: sha256(input.file!),
          sign: null,
          createdAt: now,
          updatedAt: now,
        }),
      );
    });
  }

  documentsOf(sessionId: string, manager: EntityManager = this.db.manager): Promise<SandboxDocument[]> {
    return manager.getRepository(SandboxDocument).find({ where: { sessionId }, order: { position: 'ASC' } });
  }

  /** result: the documents with their CMS once signed (null before). */
  async result(organisation: SandboxOrganisation, sessionId: unknown): Promise<{ session: SandboxSession; documents: SandboxDocument[] }> {
    const session = await this.sessionFor(organisation, sessionId);
    if (session.status === 'CANCELED' && (session.failureReason === 'LIVENESS' || session.failureReason === 'FACE2FACE')) {
      throw ProviderApiError.of('VERIFICATION_NOT_PASSED');
    }
    const documents = await this.documentsOf(session.id);
    if (documents.length === 0) throw ProviderApiError.of('DOCUMENTS_NOT_FOUND');
    return { session, documents };
  }

  /** The archive exists for signed sessions only. */
  async signedDocuments(organisation: SandboxOrganisation, sessionId: unknown): Promise<{ session: SandboxSession; documents: SandboxDocument[] }> {
    const session = await this.sessionFor(organisation, sessionId);
    if (session.status === 'CANCELED' && (session.failureReason === 'LIVENESS' || session.failureReason === 'FACE2FACE')) {
      throw ProviderApiError.of('VERIFICATION_NOT_PASSED');
    }
    const documents = await this.documentsOf(session.id);
    if (documents.length === 0) throw ProviderApiError.of('DOCUMENTS_NOT_FOUND');
    if (session.status !== 'FINISHED') throw ProviderApiError.of('ACCESS_DENIED');
    if (documents.some((d) => !d.sign)) throw ProviderApiError.of('DOCUMENT_FILES_NOT_FOUND_ON_SERVER');
    return { session, documents };
  }

  /** The sign page was opened: STARTED → PROCESS, remembering where to send the person back. */
  async open(session: SandboxSession, redirectUrl: string | null, language: string | null): Promise<SandboxSession> {
    if (!isOpen(session.status)) return session;
    const now = this.clock.now();
    await this.db.query(
      `UPDATE sandbox.session SET status = 'PROCESS', opened_at = coalesce(opened_at, $2), redirect_url = coalesce($3, redirect_url),
         language = coalesce($4, language), updated_at = $2
       WHERE id = $1 AND status IN ('STARTED', 'PROCESS')`,
      [session.id, now, redirectUrl, language],
    );
    return this.db.getRepository(SandboxSession).findOneByOrFail({ id: session.id });
  }

  /**
   * Ends a session: signs every document (sign) or records why it failed (cancel/expire), in one
   * conditional update so that only the first of two racing completions wins; the webhook is queued in
   * the same transaction. `signAsIin` signs with another person's certificate (impersonation tests).
   */
  async end(sessionId: string, outcome: SessionOutcome, options: { signAsIin?: string; redirectUrl?: string } = {}): Promise<SessionCompletion> {
    const session = await this.db.getRepository(SandboxSession).findOneByOrFail({ id: sessionId });
    const next = transition(session.status, outcome);
    if (!next) return { session, redirectUrl: this.redirectFor(session, options.redirectUrl), changed: false };
    if (outcome.kind !== 'expire' && isExpired(session, this.clock.now())) return this.end(sessionId, { kind: 'expire' }, options);

    const signatures = outcome.kind === 'sign' ? await this.sign(session, options.signAsIin) : new Map<string, Buffer>();
    const now = this.clock.now();
    const changed = await this.db.transaction(async (tx) => {
      const result = (await tx.query(
        `UPDATE sandbox.session SET status = $2, failure_reason = $3, redirect_reason = $4, ended_at = $5, updated_at = $5,
           opened_at = coalesce(opened_at, $5), signed_as_iin = $6, redirect_url = coalesce($7, redirect_url)
         WHERE id = $1 AND status IN ('STARTED', 'PROCESS') RETURNING id`,
        [sessionId, next.status, next.failureReason, next.redirectReason, now, options.signAsIin ?? null, options.redirectUrl ?? null],
      )) as [unknown[], number];
      if (result[1] === 0) return false;
      for (const [documentId, sign] of signatures) {
        await tx.query(`UPDATE sandbox.document SET sign = $2, updated_at = $3 WHERE id = $1`, [documentId, sign, now]);
      }
      await this.webhooks.enqueue(tx, session, next, now);
      return true;
    });
    const after = await this.db.getRepository(SandboxSession).findOneByOrFail({ id: sessionId });
    if (changed) this.webhooks.kick();
    return { session: after, redirectUrl: this.redirectFor(after, options.redirectUrl), changed };
  }

  /** The redirect the sign page makes for an ended session (null while open or without a redirect_url). */
  redirectFor(session: SandboxSession, override?: string): string | null {
    const url = override ?? session.redirectUrl;
    if (!url || isOpen(session.status)) return null;
    return session.status === 'FINISHED'
      ? redirectTarget(url, { status: 'FINISHED' })
      : redirectTarget(url, { status: 'CANCELED', reason: (session.redirectReason ?? 'refresh') as RedirectReason });
  }

  private async sign(session: SandboxSession, signAsIin?: string): Promise<Map<string, Buffer>> {
    const documents = await this.documentsOf(session.id);
    if (documents.length === 0) throw ProviderApiError.of('DOCUMENTS_NOT_FOUND');
    const organisation = await this.db.getRepository(SandboxOrganisation).findOneByOrFail({ id: session.organisationId });
    const signer = await this.people.signerFor(signAsIin ?? session.iin);
    const signingTime = this.clock.now();
    const signatures = new Map<string, Buffer>();
    for (const document of documents) {
      const check = checkContent(document.content, session.documentType);
      const isChain = check.ok && check.cmsLevels > 0;
      const cms =
        organisation.mode === 'cosign' && isChain
          ? await addSigner(document.content, signer, { signingTime })
          : await signContent(document.content, signer, { signingTime, detached: organisation.detached });
      signatures.set(document.id, Buffer.from(cms));
    }
    return signatures;
  }

  /** Ends every open session whose 30 minutes are over (the poller calls this; reads do it lazily too). */
  async expireDue(limit = 100): Promise<number> {
    const rows = (await this.db.query(
      `SELECT id FROM sandbox.session WHERE status IN ('STARTED', 'PROCESS') AND expires_at <= $1 ORDER BY expires_at LIMIT $2`,
      [this.clock.now(), limit],
    )) as { id: string }[];
    let ended = 0;
    for (const { id } of rows) {
      try {
        if ((await this.end(id, { kind: 'expire' })).changed) ended += 1;
      } catch (error) {
        this.logger.warn({ err: error, sessionId: id }, 'could not expire a sandbox session');
      }
    }
    return ended;
  }
}

export type { SessionTransition };
