import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, type EntityManager, In, LessThan } from 'typeorm';
import { ROUND_ARCHIVE_QUEUE, type RoundArchiveJob } from '../archives/archive-jobs.js';
import { AuditService } from '../audit/audit.service.js';
import { verifyCms, type VerificationReport } from '../cms/index.js';
import { CloudEdsError } from '../cloud-eds/cloud-eds.errors.js';
import type { CloudEdsClient } from '../cloud-eds/cloud-eds.client.js';
import { startMachine, stepMachine } from '../common/domain/machine-step.js';
import { AppError } from '../common/errors/app-error.js';
import type { Actor } from '../common/http/actor.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { hashLinkToken, isWellFormedLinkToken } from '../envelopes/domain/link-token.js';
import { DocumentSignature } from '../envelopes/entities/document-signature.entity.js';
import { EnvelopeDocument } from '../envelopes/entities/envelope-document.entity.js';
import { Envelope } from '../envelopes/entities/envelope.entity.js';
import { Signer } from '../envelopes/entities/signer.entity.js';
import { type RoundCheckJob, ROUND_CHECK_QUEUE } from './round-check-job.js';
import { envelopeSummary, EnvelopeTransitionsService } from '../envelopes/envelope-transitions.service.js';
import { JobsService } from '../jobs/jobs.service.js';
import { ProviderCredentialsService } from '../organisations/provider-credentials.service.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { type DocumentCheck, roundVerdict } from './domain/round-verdict.js';
import {
  type ProviderFailureReason,
  type RoundContext,
  type RoundEffect,
  type RoundEvent,
  roundStatusOf,
  SIGNING_ROUND_MACHINE_VERSION,
  signingRoundMachine,
} from './domain/signing-round.machine.js';
import { RoundDocument } from './round-document.entity.js';
import { SigningRound } from './signing-round.entity.js';
import { TrustAnchorsService } from '../trust/trust-anchors.service.js';

/** The provider's session lifetime (guide: "The session lifetime is 30 minutes"). */
export const PROVIDER_SESSION_MS = 30 * 60 * 1000;
const FAILURE_REASONS: ProviderFailureReason[] = ['EXPIRED', 'LIVENESS', 'FACE2FACE', 'EDOCUMENT', 'OTHER'];

export interface LinkView {
  envelope: Envelope;
  signer: Signer;
  documents: EnvelopeDocument[];
  liveRound: SigningRound | null;
  rounds: SigningRound[];
}

interface Observation {
  event?: RoundEvent;
  documents?: { documentId: string; providerDocumentId: string; cms: Buffer; report: VerificationReport }[];
}

/**
 * A signer's side of an envelope: the durable link, provider sessions (one live at most per signer), and
 * learning each session's outcome from the provider's status/result API (webhooks, the return page and
 * polling are only reasons to ask).
 */
@Injectable()
export class SigningService {
  private readonly logger = new Logger('Signing');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly transitions: EnvelopeTransitionsService,
    private readonly providers: ProviderCredentialsService,
    private readonly jobs: JobsService,
    private readonly audit: AuditService,
    private readonly webhooks: WebhooksService,
    private readonly trust: TrustAnchorsService,
  ) {}

  // ---- the link ----------------------------------------------------------------------------------------

  async view(token: string): Promise<LinkView> {
    const signer = await this.signerByToken(token);
    const envelope = await this.db.getRepository(Envelope).findOneByOrFail({ id: signer.envelopeId });
    const documents = await this.db.getRepository(EnvelopeDocument).find({ where: { envelopeId: envelope.id }, order: { position: 'ASC' } });
    const rounds = await this.db.getRepository(SigningRound).find({ where: { signerId: signer.id }, order: { createdAt: 'ASC' } });
    const liveRound = rounds.find((r) => (r.status === 'STARTED' || r.status === 'PROCESS') && r.expiresAt.getTime() > Date.now()) ?? null;
    return { envelope, signer, documents, liveRound, rounds };
  }

  /** Opening the link page: recorded with IP and user agent (audit trail and `signer.link_opened`). */
  async recordOpen(token: string, actor: Actor): Promise<void> {
    const signer = await this.signerByToken(token);
    await this.db.transaction(async (manager) => {
      const envelope = await this.transitions.lock(manager, signer.organisationId, signer.envelopeId);
      await manager.getRepository(Signer).update({ id: signer.id }, { lastOpenedAt: new Date() });
      await this.audit.append(manager, {
        organisationId: envelope.organisationId,
        envelopeId: envelope.id,
        type: 'signer.link_opened',
        actor: { kind: 'signer', id: signer.id },
        ip: actor.ip,
        userAgent: actor.userAgent,
      });
      await this.webhooks.emit(manager, envelope.organisationId, 'signer.link_opened', {
        envelope: envelopeSummary(envelope),
        signer: { id: signer.id },
      }, { envelopeId: envelope.id });
    });
    this.webhooks.wakeDeliveries();
  }

  /**
   * The signer wants to sign: reuse their live provider session or create one (uploading the original for
   * the first group, else the previous group's CMS), and answer the provider sign page URL. Locks the
   * envelope, then the signer (the one lock order everywhere), so concurrent opens on any instance wait for
   * the first, which then finds the live session.
   */
  async startSigning(token: string, actor: Actor): Promise<string> {
    const found = await this.signerByToken(token);
    const redirectUrl = `${this.config.publicBaseUrl}/s/${token}/return`;
    // A session past its 30 minutes: ask the provider how it ended before replacing it; never assume.
    const stale = await this.db.getRepository(SigningRound).findOne({ where: { signerId: found.id, status: In(['STARTED', 'PROCESS']), expiresAt: LessThan(new Date()) } });
    if (stale) await this.checkRound({ roundId: stale.id, trigger: 'deadline' });
    let sessionId: string;
    let language: Envelope['language'];
    try {
      ({ sessionId, language } = await this.db.transaction(async (manager) => {
        const envelope = await this.transitions.lock(manager, found.organisationId, found.envelopeId);
        const signer = await manager.getRepository(Signer).createQueryBuilder('s').setLock('pessimistic_write').where('s.id = :id', { id: found.id }).getOneOrFail();
        if (envelope.status !== 'IN_PROGRESS') throw new AppError('ENVELOPE_FINISHED', `This envelope is ${envelope.status.toLowerCase().replace('_', ' ')}; there is nothing to sign`);
        if (signer.status !== 'ACTIVE') throw new AppError('SIGNER_NOT_ACTIVE', signer.status === 'WAITING' ? 'It is not your turn to sign yet' : `You have already ${signer.status.toLowerCase()}`);
        const live = await manager.getRepository(SigningRound).findOne({ where: { signerId: signer.id, status: In(['STARTED', 'PROCESS']) } });
        if (live && live.expiresAt.getTime() > Date.now()) return { sessionId: live.sessionId, language: envelope.language };
        if (live) {
          // Past its 30 minutes but the provider has not ended it (or could not be asked): a second live
          // session for this signer is never made.
          throw new AppError('SESSION_STILL_OPEN', 'Your previous signing session is still being closed by the provider; please try again in a minute');
        }
        const round = await this.createRound(manager, envelope, signer, actor);
        return { sessionId: round.sessionId, language: envelope.language };
      }));
    } catch (error) {
      // Recorded after the rollback, in a transaction of its own: the audit trail keeps the failed call.
      if (error instanceof ProviderCallError) await this.recordProviderFailure(error.envelope, error.operation, error.providerError);
      throw error;
    }
    this.jobs.wake(ROUND_CHECK_QUEUE);
    this.webhooks.wakeDeliveries();
    const client = await this.providers.clientFor(found.organisationId);
    return client.signUrl({ sessionId, redirectUrl, language });
  }

  private async createRound(manager: EntityManager, envelope: Envelope, signer: Signer, actor: Actor): Promise<SigningRound> {
    const client = await this.providers.clientFor(envelope.organisationId);
    const documents = await manager.getRepository(EnvelopeDocument).find({
      where: { envelopeId: envelope.id },
      order: { position: 'ASC' },
      select: { id: true, name: true, position: true, content: true, sha256: true },
    });
    const inputs = await this.inputsFor(manager, documents, signer.routingOrder);
    const startedAt = Date.now();
    const session = await this.callProvider(envelope, 'session.create', () =>
      client.createSession({ iin: signer.iin, phone: signer.phone, documentType: envelope.documentType }),
    );
    const uploads = [];
    for (const document of documents) {
      const input = inputs.get(document.id)!;
      const uploaded = await this.callProvider(envelope, 'document.upload', () => client.uploadDocument({ sessionId: session.sessionId, name: document.name, file: input }));
      uploads.push({ documentId: document.id, providerDocumentId: uploaded.id, inputSha256: createHash('sha256').update(input).digest('hex') });
    }
    const attempt = (await manager.getRepository(SigningRound).countBy({ signerId: signer.id })) + 1;
    const start = startMachine<RoundContext>(signingRoundMachine, { signerId: signer.id });
    const round = await manager.getRepository(SigningRound).save(
      manager.getRepository(SigningRound).create({
        organisationId: envelope.organisationId,
        envelopeId: envelope.id,
        signerId: signer.id,
        attempt,
        routingOrder: signer.routingOrder,
        sessionId: session.sessionId,
        checkId: session.checkId,
        uploads,
        status: 'STARTED',
        machineState: start.state,
        machineVersion: SIGNING_ROUND_MACHINE_VERSION,
        expiresAt: new Date(startedAt + PROVIDER_SESSION_MS),
      }),
    );
    await this.audit.append(manager, {
      organisationId: envelope.organisationId,
      envelopeId: envelope.id,
      type: 'round.started',
      actor: { kind: 'signer', id: signer.id },
      ip: actor.ip,
      userAgent: actor.userAgent,
      data: { roundId: round.id, attempt, sessionId: round.sessionId, checkId: round.checkId, uploads },
    });
    const poll = this.config.ROUND_POLL_SECONDS * 1000;
    await this.jobs.send<RoundCheckJob>(manager, ROUND_CHECK_QUEUE, { roundId: round.id, trigger: 'poll' }, { startAfter: new Date(Date.now() + poll) });
    await this.jobs.send<RoundCheckJob>(manager, ROUND_CHECK_QUEUE, { roundId: round.id, trigger: 'deadline' }, { startAfter: new Date(round.expiresAt.getTime() + 60_000) });
    return round;
  }

  /** What each document's upload is for a routing order: the last earlier group's CMS, or the original. */
  private async inputsFor(manager: EntityManager, documents: EnvelopeDocument[], routingOrder: number): Promise<Map<string, Buffer>> {
    const inputs = new Map<string, Buffer>();
    for (const document of documents) {
      inputs.set(document.id, (await this.previousCms(manager, document.id, routingOrder)) ?? document.content);
    }
    return inputs;
  }

  private async previousCms(manager: EntityManager, documentId: string, routingOrder: number): Promise<Buffer | undefined> {
    const previous = await manager.getRepository(DocumentSignature).findOne({
      where: { documentId, routingOrder: LessThan(routingOrder) },
      order: { routingOrder: 'DESC' },
    });
    return previous?.cms;
  }

  async decline(token: string, reason: string, actor: Actor): Promise<void> {
    const signer = await this.signerByToken(token);
    await this.db.transaction(async (manager) => {
      const envelope = await this.transitions.lock(manager, signer.organisationId, signer.envelopeId);
      const changed = await this.transitions.apply(manager, envelope, { type: 'SIGNER_DECLINED', signerId: signer.id, reason }, { ...actor, kind: 'signer', id: signer.id });
      if (!changed) throw new AppError('SIGNER_NOT_ACTIVE', `This envelope is ${envelope.status.toLowerCase().replace('_', ' ')}; it can no longer be declined`);
    });
    this.webhooks.wakeDeliveries();
  }

  /**
   * The provider sent the signer back: keep what the redirect said (a hint only) and ask the provider
   * straight away, so the page can show the real outcome.
   */
  async returned(token: string, status: string | undefined, reason: string | undefined): Promise<void> {
    const signer = await this.signerByToken(token);
    const round = await this.db.getRepository(SigningRound).findOne({ where: { signerId: signer.id }, order: { createdAt: 'DESC' } });
    if (!round) return;
    await this.db.getRepository(SigningRound).update({ id: round.id }, { redirectStatus: status?.slice(0, 20) ?? null, redirectReason: reason?.slice(0, 50) ?? null });
    try {
      await this.checkRound({ roundId: round.id, trigger: 'return' });
    } catch (error) {
      // The page says "being confirmed"; the background check carries on.
      this.logger.warn({ roundId: round.id, err: error }, 'round check from the return page failed; left to the background check');
      await this.jobs.send<RoundCheckJob>(undefined, ROUND_CHECK_QUEUE, { roundId: round.id, trigger: 'retry' }, { startAfter: new Date(Date.now() + 5000) });
    }
  }

  // ---- learning a round's outcome ------------------------------------------------------------------------

  /**
   * Asks the provider how a round stands and applies the answer. Idempotent: a round already final, or an
   * answer that changes nothing, is a no-op. Provider trouble is retried with backoff, never given up on
   * while the round is live.
   */
  async checkRound(job: RoundCheckJob): Promise<void> {
    const round = await this.db.getRepository(SigningRound).findOneBy({ id: job.roundId });
    if (!round || round.status === 'FINISHED' || round.status === 'CANCELED') return;
    const envelope = await this.db.getRepository(Envelope).findOneByOrFail({ id: round.envelopeId });
    let observation: Observation;
    try {
      observation = await this.observe(round, envelope);
    } catch (error) {
      if (error instanceof CloudEdsError && error.retryable) {
        const failures = (job.failures ?? 0) + 1;
        const delay = Math.min(2 ** failures, 300) * 1000;
        this.logger.warn({ roundId: round.id, kind: error.kind, failures }, 'provider unavailable; round check rescheduled');
        await this.recordProviderFailure(envelope, 'session.status', error, { roundId: round.id, failures, retryInSeconds: delay / 1000 });
        await this.jobs.send<RoundCheckJob>(undefined, ROUND_CHECK_QUEUE, { roundId: round.id, trigger: 'retry', failures }, { startAfter: new Date(Date.now() + delay) });
        return;
      }
      if (error instanceof CloudEdsError) {
        await this.recordProviderFailure(envelope, 'session.status', error, { roundId: round.id });
        throw new AppError('PROVIDER_REJECTED', `The signing provider refused the status request (${error.providerMessage ?? error.kind})`);
      }
      throw error;
    }

    await this.db.transaction(async (manager) => {
      const locked = await this.transitions.lock(manager, round.organisationId, round.envelopeId);
      const current = await manager.getRepository(SigningRound).findOneByOrFail({ id: round.id });
      if (current.status === 'FINISHED' || current.status === 'CANCELED') return; // another check won the race
      if (!observation.event) {
        await manager.getRepository(SigningRound).update({ id: round.id }, { lastCheckedAt: new Date() });
        return;
      }
      const step = stepMachine<RoundContext>(signingRoundMachine, current.machineState, observation.event);
      const status = roundStatusOf(step.state.value);
      const final = status === 'FINISHED' || status === 'CANCELED';
      await manager.getRepository(SigningRound).update(
        { id: round.id },
        {
          status,
          machineState: step.state as never,
          failureReason: step.state.context.failureReason,
          rejectionReason: step.state.context.rejection?.reason ?? null,
          rejectionMessage: step.state.context.rejection?.message ?? null,
          finishedAt: final ? new Date() : null,
          lastCheckedAt: new Date(),
        },
      );
      for (const document of observation.documents ?? []) {
        const signature = document.report.signatures.at(-1);
        await manager.getRepository(RoundDocument).insert({
          roundId: round.id,
          documentId: document.documentId,
          organisationId: round.organisationId,
          providerDocumentId: document.providerDocumentId,
          cms: document.cms,
          cmsSha256: createHash('sha256').update(document.cms).digest('hex'),
          report: document.report,
          accepted: step.state.context.rejection === null,
          signerIin: signature?.signer?.iin ?? null,
          signerName: signature?.signer?.commonName ?? null,
          certificateSerial: signature?.certificate?.serialNumber ?? null,
          certificateIssuer: signature?.certificate?.issuer ?? null,
          signingTime: signature?.signingTime ? new Date(signature.signingTime) : null,
        });
      }
      await this.audit.append(manager, {
        organisationId: round.organisationId,
        envelopeId: round.envelopeId,
        type: 'round.status',
        actor: { kind: 'provider', id: round.sessionId },
        data: {
          roundId: round.id,
          trigger: job.trigger,
          from: current.status,
          to: status,
          failureReason: step.state.context.failureReason,
          rejection: step.state.context.rejection,
        },
      });
      for (const effect of step.effects as RoundEffect[]) await this.carryOut(manager, locked, round, effect);
      // The provider's archive of the signed copies is fetched and kept once the round has committed.
      if (status === 'FINISHED') await this.jobs.send<RoundArchiveJob>(manager, ROUND_ARCHIVE_QUEUE, { roundId: round.id }, { singletonKey: round.id });
    });
    this.jobs.wake(ROUND_CHECK_QUEUE);
    this.jobs.wake(ROUND_ARCHIVE_QUEUE);
    this.webhooks.wakeDeliveries();

    if (job.trigger === 'poll') await this.schedulePoll(round);
  }

  private async schedulePoll(round: SigningRound): Promise<void> {
    const latest = await this.db.getRepository(SigningRound).findOneBy({ id: round.id });
    if (!latest || latest.status === 'FINISHED' || latest.status === 'CANCELED') return;
    if (Date.now() > latest.expiresAt.getTime() + 60_000) return; // the deadline check takes over
    await this.jobs.send<RoundCheckJob>(undefined, ROUND_CHECK_QUEUE, { roundId: round.id, trigger: 'poll' }, { startAfter: new Date(Date.now() + this.config.ROUND_POLL_SECONDS * 1000) });
  }

  /** Reads status (and, when FINISHED, the result, verified) from the provider. No database writes. */
  private async observe(round: SigningRound, envelope: Envelope): Promise<Observation> {
    const client = await this.providers.clientFor(round.organisationId);
    const status = await client.getStatus(round.sessionId);
    const pastDeadline = Date.now() > round.expiresAt.getTime() + 60_000;
    switch (status.status) {
      case 'FINISHED':
        return this.verifyResult(client, round, envelope);
      case 'CANCELED':
        return { event: { type: 'PROVIDER_CANCELED', failureReason: FAILURE_REASONS.includes(status.failureReason as ProviderFailureReason) ? (status.failureReason as ProviderFailureReason) : 'OTHER' } };
      case 'PROCESS':
        return { event: pastDeadline ? { type: 'DEADLINE_PASSED' } : { type: 'SIGN_PAGE_OPENED' } };
      default:
        return { event: pastDeadline ? { type: 'DEADLINE_PASSED' } : undefined };
    }
  }

  private async verifyResult(client: CloudEdsClient, round: SigningRound, envelope: Envelope): Promise<Observation> {
    const result = await client.getResult(round.sessionId);
    const signer = await this.db.getRepository(Signer).findOneByOrFail({ id: round.signerId });
    const documents = await this.db.getRepository(EnvelopeDocument).find({ where: { envelopeId: envelope.id }, order: { position: 'ASC' } });
    const anchors = await this.trust.anchors();
    const checks: DocumentCheck[] = [];
    const observed: NonNullable<Observation['documents']> = [];
    for (const document of documents) {
      const upload = round.uploads.find((u) => u.documentId === document.id);
      const returned = result.docs.find((d) => d.id === upload?.providerDocumentId) ?? result.docs.find((d) => d.name === document.name);
      const cms = Buffer.from(returned?.sign ?? '', 'base64');
      const output = await verifyCms(cms, { trustAnchors: anchors });
      const previous = await this.previousCms(this.db.manager, document.id, round.routingOrder);
      const input = previous ? await verifyCms(previous, { trustAnchors: anchors }) : undefined;
      checks.push({ documentName: document.name, originalSha256: document.sha256, expectedIin: signer.iin, input, output });
      if (returned) observed.push({ documentId: document.id, providerDocumentId: returned.id, cms, report: output });
    }
    return { event: { type: 'PROVIDER_FINISHED', verdict: roundVerdict(checks) }, documents: observed };
  }

  private async carryOut(manager: EntityManager, envelope: Envelope, round: SigningRound, effect: RoundEffect): Promise<void> {
    const actor: Actor = { kind: 'provider', id: round.sessionId };
    const roundInfo = { id: round.id, attempt: round.attempt, sessionId: round.sessionId, checkId: round.checkId };
    switch (effect.type) {
      case 'roundAccepted':
        await this.transitions.apply(manager, envelope, { type: 'ROUND_ACCEPTED', signerId: effect.params.signerId }, actor);
        return;
      case 'roundRejected':
        await this.webhooks.emit(manager, envelope.organisationId, 'round.rejected', {
          envelope: envelopeSummary(envelope),
          signer: { id: effect.params.signerId },
          round: roundInfo,
          reason: effect.params.reason,
          message: effect.params.message,
        }, { envelopeId: envelope.id });
        await this.transitions.apply(manager, envelope, { type: 'ROUND_UNSUCCESSFUL', signerId: effect.params.signerId, outcome: 'rejected', reason: effect.params.reason }, actor);
        return;
      case 'roundCanceled':
        await this.webhooks.emit(manager, envelope.organisationId, 'round.canceled', {
          envelope: envelopeSummary(envelope),
          signer: { id: effect.params.signerId },
          round: roundInfo,
          failureReason: effect.params.failureReason,
        }, { envelopeId: envelope.id });
        await this.transitions.apply(manager, envelope, { type: 'ROUND_UNSUCCESSFUL', signerId: effect.params.signerId, outcome: 'canceled', reason: effect.params.failureReason }, actor);
        return;
    }
  }

  private async callProvider<T>(envelope: Envelope, operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof CloudEdsError)) throw error;
      this.logger.warn({ envelopeId: envelope.id, operation, kind: error.kind, status: error.status }, 'provider call failed');
      throw new ProviderCallError(envelope, operation, error);
    }
  }

  /** A failed provider call goes into the audit trail in a transaction of its own: the caller's rolls back. */
  private async recordProviderFailure(envelope: Envelope, operation: string, error: CloudEdsError, data: Record<string, unknown> = {}): Promise<void> {
    await this.db.transaction((manager) =>
      this.audit.append(manager, {
        organisationId: envelope.organisationId,
        envelopeId: envelope.id,
        type: 'provider.call_failed',
        actor: { kind: 'system' },
        data: { operation, kind: error.kind, status: error.status ?? null, retryable: error.retryable, ...data },
      }),
    );
  }

  private async signerByToken(token: string): Promise<Signer> {
    const signer = isWellFormedLinkToken(token) ? await this.db.getRepository(Signer).findOneBy({ linkTokenHash: hashLinkToken(token) }) : null;
    if (!signer) throw new AppError('SIGNER_LINK_NOT_FOUND', 'This signing link is not valid');
    return signer;
  }
}

/** A provider call that failed inside a transaction; carries what the audit trail records after the rollback. */
class ProviderCallError extends AppError {
  constructor(
    readonly envelope: Envelope,
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
