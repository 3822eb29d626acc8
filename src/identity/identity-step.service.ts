import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, LessThanOrEqual } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { SecretBox } from '../common/crypto/secret-box.js';
import { AppError } from '../common/errors/app-error.js';
import { registerErrorCodes } from '../common/errors/error-codes.js';
import type { Actor } from '../common/http/actor.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { technologiesOf } from '../envelopes/domain/identity-requirement.js';
import { Envelope } from '../envelopes/entities/envelope.entity.js';
import { SignerIdentity } from '../envelopes/entities/signer-identity.entity.js';
import { Signer } from '../envelopes/entities/signer.entity.js';
import { envelopeSummary, EnvelopeTransitionsService } from '../envelopes/envelope-transitions.service.js';
import { JobsService } from '../jobs/jobs.service.js';
import type { FlowClient } from '../kyc/flows/flow.client.js';
import type { FlowSessionMetadata, FlowSessionResult } from '../kyc/flows/flow.types.js';
import { KycFlowKeysService } from '../kyc/kyc-flow-keys.service.js';
import { isKycError } from '../kyc/kyc.errors.js';
import type { Language } from '../web/language.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { judgeIdentity, type IdentityVerdict } from './domain/identity-outcome.js';
import { IDENTITY_CHECK_QUEUE, type IdentityCheckJob } from './identity-check-job.js';
import { IdentityCheckRow } from './identity-check.entity.js';
import { IdentityReport } from './identity-report.entity.js';
import { IdentityMedia } from './identity-media.entity.js';
import { KycCredentialsService } from '../kyc/kyc-credentials.service.js';
import { sha256Hex } from '../common/crypto/sha256.js';
import { REPORT_TECHNOLOGIES, type ReportTechnology } from '../kyc/flows/flow.types.js';
import type { IdentityLinkState } from './identity-texts.js';
import { holdingAdvisoryLock } from '../database/advisory-lock.js';

export const IDENTITY_ERRORS = registerErrorCodes({ IDENTITY_ATTEMPTS_EXHAUSTED: 409, IDENTITY_PROVIDER_UNAVAILABLE: 503 });
type IdentityErrorCodes = typeof IDENTITY_ERRORS;
declare module '../common/errors/error-codes.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface FeatureErrorCodes extends IdentityErrorCodes {}
}

const isReportTechnology = (code: string): code is ReportTechnology => (REPORT_TECHNOLOGIES as readonly string[]).includes(code);

/** Technologies of a finished session that have a signed report: those the result shows were run. */
function reportTechnologies(result: FlowSessionResult): string[] {
  const codes = result.technologies.map((t) => t.code ?? '').filter(isReportTechnology);
  return codes.filter((code) => (code === 'F2F' ? result.face2face !== null : result.liveness !== null));
}

/** A flow session lives at most 10 minutes (guide 002). */
export const FLOW_SESSION_MS = 10 * 60_000;
/** After its 10 minutes a session's result is asked once more; an answer still empty then is an expiry. */
const DEADLINE_GRACE_MS = 60_000;
/** The largest media item kept on opt-in (a liveness recording is seconds long). */
const MAX_MEDIA_BYTES = 20 * 1024 * 1024;
/** How long the return page waits for the result API to stop answering `{}` (it may for a few seconds). */
const RETURN_WAIT_MS = 8_000;

export interface DetourOptions {
  /** Where the flow sends the person back (the link's identity return). */
  returnUrl: string;
  /** The envelope's language; read only when the signer has an identity step (most have none). */
  language: () => Promise<Language>;
  /** Whether the signer is in a Cloud EDS session already (then the identity step was passed); asked likewise. */
  inSigningSession: () => Promise<boolean>;
  actor: Actor;
  /** The signer's requirement when the caller read it already (null: none); read here when left out. */
  requirement?: SignerIdentity | null;
}

/**
 * The identity step before a signer's Cloud EDS round: a provider flow session (liveness, face match,
 * E-Document) whose outcome is learned from the result API only (the redirect back and the provider's
 * webhooks are hints that make Kezek ask), judged against what the envelope asks of the signer, counted as
 * attempts, and recorded with audit events and outbound webhooks.
 *
 * Starts of one signer are serialised by an advisory lock (no row lock is held while the provider is called).
 */
@Injectable()
export class IdentityStepService {
  private readonly logger = new Logger('Identity');
  private readonly box: SecretBox;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly flows: KycFlowKeysService,
    private readonly credentials: KycCredentialsService,
    private readonly transitions: EnvelopeTransitionsService,
    private readonly jobs: JobsService,
    private readonly audit: AuditService,
    private readonly webhooks: WebhooksService,
  ) {
    this.box = new SecretBox(config.secretsKey);
  }

  requirement(signerId: string): Promise<SignerIdentity | null> {
    return this.db.getRepository(SignerIdentity).findOneBy({ signerId });
  }

  private checksOf(signerId: string): Promise<IdentityCheckRow[]> {
    return this.db.getRepository(IdentityCheckRow).find({ where: { signerId }, order: { attempt: 'ASC' } });
  }

  private validUntil(check: IdentityCheckRow): number {
    return (check.finishedAt ?? check.createdAt).getTime() + this.config.IDENTITY_VALID_MINUTES * 60_000;
  }

  /** The link page's view of the signer's identity step; null when the envelope asks for none. */
  async linkState(signer: Signer): Promise<IdentityLinkState | null> {
    const requirement = await this.requirement(signer.id);
    if (!requirement) return null;
    const checks = await this.checksOf(signer.id);
    const failed = checks.filter((c) => c.status === 'FAILED');
    const last = checks.at(-1);
    const now = Date.now();
    let status: IdentityLinkState['status'] = 'NEEDED';
    if (last?.status === 'PASSED' && this.validUntil(last) > now) status = 'PASSED';
    else if (last?.status === 'STARTED') status = 'PENDING';
    else if (last?.status === 'FAILED') status = 'FAILED';
    return {
      checks: requirement.checks,
      status,
      lastFailure: last?.status === 'FAILED' || last?.status === 'EXPIRED' ? last.failureReason : null,
      attemptsLeft: Math.max(0, requirement.maxAttempts - failed.length),
    };
  }

  /**
   * Before a Cloud EDS round: null when the signer may sign (no identity asked, or a pass still valid);
   * else the URL of the flow session to send them to (an open one, or a new one).
   */
  async detour(signer: Signer, options: DetourOptions): Promise<string | null> {
    const requirement = options.requirement === undefined ? await this.requirement(signer.id) : options.requirement;
    if (!requirement || (await options.inSigningSession())) return null;
    return this.holding(signer.id, async () => {
      const technologies = technologiesOf(requirement.checks);
      const client = await this.flows.client(signer.organisationId, technologies);
      // Never `web_view=true` on the flow itself, even inside an app's WebView: the provider then ends the flow at
      // its own /finished instead of the redirect, and Kezek's chain (flow → Cloud EDS → Kezek) would stop there.
      // The WebView marker stays on Kezek's own URLs, and the chain ends at Kezek's /finished.
      const language = await options.language();
      const pageOptions = { redirect: options.returnUrl, locale: language === 'en' ? ('en' as const) : ('ru' as const) };
      const open = await this.db.getRepository(IdentityCheckRow).findOneBy({ signerId: signer.id, status: 'STARTED' });
      if (open) {
        const settled = await this.settle(open, 'return', { client });
        if (settled.status === 'STARTED') return client.personUrl(open.sessionId, pageOptions);
      }
      const checks = await this.checksOf(signer.id);
      const last = checks.at(-1);
      if (last?.status === 'PASSED' && this.validUntil(last) > Date.now()) return null;
      const failed = checks.filter((c) => c.status === 'FAILED').length;
      if (failed >= requirement.maxAttempts) throw new AppError('IDENTITY_ATTEMPTS_EXHAUSTED', 'No identity attempts are left; please contact the sender');
      const envelope = await this.db.getRepository(Envelope).findOneByOrFail({ id: signer.envelopeId, organisationId: signer.organisationId });
      const current = await this.db.getRepository(Signer).findOneByOrFail({ id: signer.id });
      if (envelope.status !== 'IN_PROGRESS') throw new AppError('ENVELOPE_FINISHED', `This envelope is ${envelope.status.toLowerCase().replace('_', ' ')}; there is nothing to sign`);
      if (current.status !== 'ACTIVE') throw new AppError('SIGNER_NOT_ACTIVE', current.status === 'WAITING' ? 'It is not your turn to sign yet' : `You have already ${current.status.toLowerCase()}`);

      const sessionId = await this.createSession(client, signer, requirement);
      const startedAt = new Date();
      await this.db.transaction(async (tx) => {
        await this.transitions.lock(tx, signer.organisationId, signer.envelopeId);
        const row = await tx.getRepository(IdentityCheckRow).save(
          tx.getRepository(IdentityCheckRow).create({
            organisationId: signer.organisationId,
            envelopeId: signer.envelopeId,
            signerId: signer.id,
            attempt: checks.length + 1,
            sessionId,
            technologies,
            status: 'STARTED',
            failureReason: null,
            results: null,
            createdAt: startedAt,
            expiresAt: new Date(startedAt.getTime() + FLOW_SESSION_MS),
            finishedAt: null,
          }),
        );
        await this.audit.append(tx, {
          organisationId: signer.organisationId,
          envelopeId: signer.envelopeId,
          type: 'identity.started',
          actor: { kind: 'signer', id: signer.id },
          ip: options.actor.ip,
          userAgent: options.actor.userAgent,
          data: { checkId: row.id, attempt: row.attempt, sessionId, checks: requirement.checks, technologies },
        });
        await this.jobs.send<IdentityCheckJob>(tx, IDENTITY_CHECK_QUEUE, { checkId: row.id, trigger: 'poll', polls: 0 }, { startAfter: new Date(Date.now() + this.config.IDENTITY_POLL_SECONDS * 1000) });
        await this.jobs.send<IdentityCheckJob>(tx, IDENTITY_CHECK_QUEUE, { checkId: row.id, trigger: 'deadline' }, { startAfter: new Date(row.expiresAt.getTime() + DEADLINE_GRACE_MS) });
      });
      this.jobs.wake(IDENTITY_CHECK_QUEUE);
      return client.personUrl(sessionId, pageOptions);
    });
  }

  /** The flow session: IIN and phone prefilled and locked, `extra.iin` so signed reports can be fetched. */
  private async createSession(client: FlowClient, signer: Signer, requirement: SignerIdentity): Promise<string> {
    const withPhoto = await this.db.getRepository(SignerIdentity).createQueryBuilder('i').addSelect('i.photoSealed').where('i.signer_id = :id', { id: signer.id }).getOneOrFail();
    const metadata: FlowSessionMetadata = { extra: { iin: signer.iin } };
    if (requirement.checks.includes('edocument')) {
      metadata.edocument = {
        iin: { value: signer.iin, changeable: false },
        phone: { value: signer.phone, changeable: false },
        skipInput: true,
        ...(requirement.edocumentType ? { documentType: requirement.edocumentType } : {}),
      };
    }
    if (requirement.checks.includes('face2face') && withPhoto.photoSealed) metadata.face2face = { photo1: this.box.open(withPhoto.photoSealed) };
    try {
      return (await client.createSession(metadata)).sessionId;
    } catch (error) {
      if (!isKycError(error)) throw error;
      this.logger.warn({ signerId: signer.id, kind: error.kind, status: error.status }, 'identity flow session could not be created');
      throw new AppError('IDENTITY_PROVIDER_UNAVAILABLE', 'The identity service is not available right now; please try again in a minute');
    }
  }

  /** Waits for the outcome after the flow sent the person back: the result API may answer `{}` for a few seconds. */
  async afterReturn(signerId: string): Promise<IdentityCheckRow | null> {
    const open = await this.db.getRepository(IdentityCheckRow).findOneBy({ signerId, status: 'STARTED' });
    if (!open) return (await this.checksOf(signerId)).at(-1) ?? null;
    return this.settle(open, 'return', { waitMs: RETURN_WAIT_MS });
  }

  /** A job or a webhook asks how a check stands. */
  async checkById(job: IdentityCheckJob): Promise<void> {
    if (job.trigger === 'reports') return this.fetchReports(job.checkId, job.technologies ?? []);
    if (job.trigger === 'media') return this.keepMedia(job.checkId);
    if (job.trigger === 'media-retention') return void (await this.deleteExpiredMedia(new Date()));
    const row = await this.db.getRepository(IdentityCheckRow).findOneBy({ id: job.checkId });
    if (!row || row.status !== 'STARTED') return;
    const settled = await this.settle(row, job.trigger);
    if (settled.status === 'STARTED' && job.trigger === 'poll') {
      // Backoff: 1x, 2x, 4x, 8x the poll interval, while the session may still end.
      const polls = (job.polls ?? 0) + 1;
      const next = Date.now() + this.config.IDENTITY_POLL_SECONDS * 1000 * 2 ** Math.min(polls, 3);
      if (next < row.expiresAt.getTime() + DEADLINE_GRACE_MS) await this.jobs.send<IdentityCheckJob>(undefined, IDENTITY_CHECK_QUEUE, { checkId: row.id, trigger: 'poll', polls }, { startAfter: new Date(next) });
    }
  }

  /** A provider webhook (`technology.end`) names a session: only a hint to ask the result API. */
  async hint(sessionId: string): Promise<boolean> {
    const row = await this.db.getRepository(IdentityCheckRow).findOneBy({ sessionId });
    if (!row) return false;
    if (row.status === 'STARTED') {
      await this.jobs.send<IdentityCheckJob>(undefined, IDENTITY_CHECK_QUEUE, { checkId: row.id, trigger: 'webhook' }, { singletonKey: `hint:${row.id}` });
      this.jobs.wake(IDENTITY_CHECK_QUEUE);
    }
    return true;
  }

  /**
   * Asks the result API and records a finished session. A session past its deadline whose result is still
   * `{}` is recorded as expired. Answers the row as it stands afterwards.
   */
  private async settle(row: IdentityCheckRow, trigger: IdentityCheckJob['trigger'], options: { client?: FlowClient; waitMs?: number } = {}): Promise<IdentityCheckRow> {
    const client = options.client ?? (await this.flows.client(row.organisationId, row.technologies));
    let result: FlowSessionResult | null;
    try {
      result = options.waitMs ? await client.waitForResult(row.sessionId, { timeoutMs: options.waitMs, firstDelayMs: 250 }) : await client.getResult(row.sessionId);
    } catch (error) {
      if (!isKycError(error)) throw error;
      // The result could not be read now: the background polls carry on.
      this.logger.warn({ checkId: row.id, kind: error.kind, status: error.status, trigger }, 'identity result could not be read');
      return row;
    }
    const requirement = await this.db.getRepository(SignerIdentity).createQueryBuilder('i').addSelect('i.photoSealed').where('i.signer_id = :id', { id: row.signerId }).getOneOrFail();
    const signer = await this.db.getRepository(Signer).findOneByOrFail({ id: row.signerId });
    let verdict: IdentityVerdict | null = null;
    if (result) {
      verdict = judgeIdentity({ checks: requirement.checks, edocumentType: requirement.edocumentType, hasPhoto: requirement.photoSealed !== null, signer }, result);
    } else if (Date.now() >= row.expiresAt.getTime() + DEADLINE_GRACE_MS) {
      verdict = { status: 'EXPIRED', failureReason: 'SESSION_EXPIRED', results: { passed: false, providerReasons: ['EXPIRED'] } };
    }
    if (!verdict) return row;
    return this.record(row, verdict, requirement.maxAttempts, trigger, result ? reportTechnologies(result) : []);
  }

  /** Records a verdict once (a conditional update decides who won), with its audit event and webhook. */
  private async record(row: IdentityCheckRow, verdict: IdentityVerdict, maxAttempts: number, trigger: IdentityCheckJob['trigger'], reports: string[]): Promise<IdentityCheckRow> {
    await this.db.transaction(async (tx) => {
      const envelope = await this.transitions.lock(tx, row.organisationId, row.envelopeId);
      const finishedAt = new Date();
      const won = await tx
        .getRepository(IdentityCheckRow)
        .update({ id: row.id, status: 'STARTED' }, { status: verdict.status, failureReason: verdict.failureReason, results: verdict.results, finishedAt });
      if (!won.affected) return;
      const failedSoFar = await tx.getRepository(IdentityCheckRow).countBy({ signerId: row.signerId, status: 'FAILED' });
      const attemptsLeft = Math.max(0, maxAttempts - failedSoFar);
      const data = { checkId: row.id, attempt: row.attempt, sessionId: row.sessionId, status: verdict.status, failureReason: verdict.failureReason, results: verdict.results, trigger };
      const type = verdict.status === 'PASSED' ? 'identity.verified' : verdict.status === 'FAILED' ? 'identity.failed' : 'identity.expired';
      await this.audit.append(tx, { organisationId: row.organisationId, envelopeId: row.envelopeId, type, actor: { kind: 'provider', id: row.sessionId }, data: { ...data, attemptsLeft } });
      if (verdict.status !== 'EXPIRED') {
        await this.webhooks.emit(
          tx,
          row.organisationId,
          verdict.status === 'PASSED' ? 'signer.identity_verified' : 'signer.identity_failed',
          {
            envelope: envelopeSummary(envelope),
            signer: { id: row.signerId },
            identity: {
              attempt: row.attempt,
              sessionId: row.sessionId,
              technologies: row.technologies,
              status: verdict.status,
              failureReason: verdict.failureReason,
              results: verdict.results,
              attemptsLeft,
              ...(verdict.status === 'PASSED' ? { validUntil: new Date(finishedAt.getTime() + this.config.IDENTITY_VALID_MINUTES * 60_000).toISOString() } : {}),
            },
          },
          { envelopeId: row.envelopeId },
        );
      }
      // The signed reports are evidence: fetched after the commit, retried by the queue if the provider is slow.
      if (reports.length > 0) await this.jobs.send<IdentityCheckJob>(tx, IDENTITY_CHECK_QUEUE, { checkId: row.id, trigger: 'reports', technologies: reports });
      // The provider's media only on the organisation's opt-in (docs/kyc.md).
      if (verdict.status !== 'EXPIRED' && (await this.credentials.mediaRetentionDays(row.organisationId))) {
        await this.jobs.send<IdentityCheckJob>(tx, IDENTITY_CHECK_QUEUE, { checkId: row.id, trigger: 'media' });
      }
      if (verdict.status === 'FAILED' && attemptsLeft === 0) {
        await this.transitions.apply(tx, envelope, { type: 'IDENTITY_FAILED', signerId: row.signerId, reason: verdict.failureReason ?? 'CHECK_MISSING' }, { kind: 'system' });
      }
    });
    this.webhooks.wakeDeliveries();
    this.jobs.wake(IDENTITY_CHECK_QUEUE);
    return this.db.getRepository(IdentityCheckRow).findOneByOrFail({ id: row.id });
  }

  /**
   * The provider's signed PDF report of each technology the session ran (available because `extra.iin` was
   * set), kept for the evidence pack; its SHA-256 goes into the audit chain. Idempotent: a job run twice
   * keeps the first copy.
   */
  async fetchReports(checkId: string, technologies: string[]): Promise<void> {
    const row = await this.db.getRepository(IdentityCheckRow).findOneBy({ id: checkId });
    if (!row) return;
    const client = await this.flows.client(row.organisationId, row.technologies);
    for (const technology of technologies.filter(isReportTechnology)) {
      if (await this.db.getRepository(IdentityReport).existsBy({ checkId, technology })) continue;
      const pdf = await client.getReport(row.sessionId, technology);
      const sha256 = sha256Hex(pdf);
      await this.db.transaction(async (tx) => {
        await this.transitions.lock(tx, row.organisationId, row.envelopeId);
        const inserted = await tx.query(`INSERT INTO identity_report (check_id, technology, envelope_id, pdf, sha256) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING check_id`, [
          checkId,
          technology,
          row.envelopeId,
          Buffer.from(pdf),
          sha256,
        ]);
        if ((inserted as unknown[]).length === 0) return;
        await this.audit.append(tx, {
          organisationId: row.organisationId,
          envelopeId: row.envelopeId,
          type: 'identity.report_received',
          actor: { kind: 'provider', id: row.sessionId },
          data: { checkId, attempt: row.attempt, sessionId: row.sessionId, technology, sha256, size: pdf.length },
        });
      });
    }
  }

  /**
   * Keeps the provider's media of an attempt (the liveness video, the state ID's face photo), sealed, when the
   * organisation opted in; each is deleted after the retention period by a job, and the keeping and the
   * deletion are audit events (with the SHA-256, never the content).
   */
  async keepMedia(checkId: string): Promise<void> {
    const row = await this.db.getRepository(IdentityCheckRow).findOneBy({ id: checkId });
    const days = row ? await this.credentials.mediaRetentionDays(row.organisationId) : null;
    if (!row || !days) return;
    const client = await this.flows.client(row.organisationId, row.technologies);
    const media: { kind: IdentityMedia['kind']; contentType: string; bytes: Uint8Array }[] = [];
    if (row.results?.liveness) {
      const video = await client.downloadLivenessVideo(row.sessionId);
      media.push({ kind: 'liveness_video', contentType: video.contentType, bytes: video.bytes });
    }
    if (row.results?.edocument?.passed) {
      const face = (await client.getResult(row.sessionId))?.edocument?.facePhoto;
      if (face) media.push({ kind: 'edocument_face_photo', contentType: 'image/png', bytes: Buffer.from(face, 'base64') });
    }
    const deleteAfter = new Date(Date.now() + days * 24 * 60 * 60_000);
    for (const item of media) {
      if (item.bytes.length > MAX_MEDIA_BYTES) {
        this.logger.warn({ checkId, kind: item.kind, size: item.bytes.length }, 'identity media larger than the cap: not kept');
        continue;
      }
      await this.db.transaction(async (tx) => {
        await this.transitions.lock(tx, row.organisationId, row.envelopeId);
        const sha256 = sha256Hex(item.bytes);
        const inserted = (await tx.query(
          `INSERT INTO identity_media (check_id, organisation_id, envelope_id, kind, content_type, sealed, sha256, size, delete_after)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (check_id, kind) DO NOTHING RETURNING id`,
          [checkId, row.organisationId, row.envelopeId, item.kind, item.contentType.slice(0, 100), this.box.seal(Buffer.from(item.bytes).toString('base64')), sha256, item.bytes.length, deleteAfter],
        )) as { id: string }[];
        if (inserted.length === 0) return;
        await this.audit.append(tx, {
          organisationId: row.organisationId,
          envelopeId: row.envelopeId,
          type: 'identity.media_kept',
          actor: { kind: 'system' },
          data: { checkId, attempt: row.attempt, sessionId: row.sessionId, mediaId: inserted[0].id, kind: item.kind, sha256, size: item.bytes.length, deleteAfter: deleteAfter.toISOString() },
        });
        await this.jobs.send<IdentityCheckJob>(tx, IDENTITY_CHECK_QUEUE, { checkId, trigger: 'media-retention' }, { startAfter: deleteAfter });
      });
    }
  }

  /** Deletes every kept identity media item past its retention (as of `now`), each with an audit event. */
  async deleteExpiredMedia(now: Date): Promise<number> {
    const due = await this.db.getRepository(IdentityMedia).find({ where: { deleteAfter: LessThanOrEqual(now) }, take: 500 });
    for (const item of due) {
      await this.db.transaction(async (tx) => {
        await this.transitions.lock(tx, item.organisationId, item.envelopeId);
        const deleted = await tx.getRepository(IdentityMedia).delete({ id: item.id });
        if (!deleted.affected) return;
        await this.audit.append(tx, {
          organisationId: item.organisationId,
          envelopeId: item.envelopeId,
          type: 'identity.media_deleted',
          actor: { kind: 'system' },
          data: { checkId: item.checkId, mediaId: item.id, kind: item.kind, sha256: item.sha256, keptSince: item.createdAt.toISOString(), reason: 'retention period over' },
        });
      });
    }
    return due.length;
  }

  /** One start at a time per signer: an advisory lock on a connection of its own, no row lock held. */
  private holding<T>(signerId: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return holdingAdvisoryLock(this.db, `kezek:identity-start:${signerId}`, work);
  }
}
