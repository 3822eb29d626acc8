import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { verifyCmsSync } from '../cms/index.js';
import { sha256Hex } from '../common/crypto/sha256.js';
import { AppError } from '../common/errors/app-error.js';
import type { Actor } from '../common/http/actor.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { EnvelopeContext } from '../envelopes/domain/envelope.machine.js';
import { EnvelopeDocument } from '../envelopes/entities/envelope-document.entity.js';
import { Envelope } from '../envelopes/entities/envelope.entity.js';
import type { SignerIdentity } from '../envelopes/entities/signer-identity.entity.js';
import { Signer } from '../envelopes/entities/signer.entity.js';
import { EnvelopeTransitionsService } from '../envelopes/envelope-transitions.service.js';
import { ProviderCredentialsService } from '../organisations/provider-credentials.service.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { IdentityStepService } from '../identity/identity-step.service.js';
import { CheckRoundService } from './check-round.service.js';
import { isLive, isPastDeadline, PROVIDER_SESSION_MS, reservationDeadline, START_BUDGET_MS } from './domain/round-rules.js';
import { signatureFingerprint } from './domain/round-verdict.js';
import { ProviderCallError, ProviderFailures } from './provider-failures.service.js';
import { previousGroupCmsCondition, type RoundInput, roundInputs } from './round-inputs.js';
import { RoundStartLocks } from './round-start-locks.js';
import { newReservation, reservationInsert, reserveRound, roundStepChange, stepRound } from './round-state.js';
import { SignerLinksService } from './signer-links.service.js';
import { hasSession, SigningRound } from './signing-round.entity.js';

/**
 * The signer may sign: the envelope in progress, and the signer ACTIVE in its machine's snapshot (read with the
 * envelope's row lock). The fields used from the signer's own row, read before the lock (IIN, phone, routing
 * order), never change.
 */
function assertMaySign(envelope: Pick<Envelope, 'id' | 'status'>, signers: EnvelopeContext['signers'], signerId: string): void {
  const status = signers.find((slot) => slot.id === signerId)?.status;
  if (!status) throw new Error(`Signer ${signerId} is missing from envelope ${envelope.id}'s machine`);
  if (envelope.status !== 'IN_PROGRESS') throw new AppError('ENVELOPE_FINISHED', `This envelope is ${envelope.status.toLowerCase().replace('_', ' ')}; there is nothing to sign`);
  if (status !== 'ACTIVE') throw new AppError('SIGNER_NOT_ACTIVE', status === 'WAITING' ? 'It is not your turn to sign yet' : `You have already ${status.toLowerCase()}`);
}

/**
 * What the first transaction decided: hand out a live session, finish an orphaned reservation, start one, or
 * first ask the provider how a session past its 30 minutes ended.
 */
type Plan = {
  kind: 'live' | 'resume' | 'reserved' | 'stale';
  round: SigningRound;
  envelope: Pick<Envelope, 'id' | 'organisationId' | 'documentType' | 'language'>;
  signer: Signer;
  /** A reservation's inputs, when the statement that made it read them. */
  inputs?: RoundInput[];
};

const STILL_OPEN = 'Your previous signing session is still being closed by the provider; please try again in a minute';

/**
 * The signer presses Sign: reuse their live provider session or create one (uploading the original for the
 * first group, else the previous group's CMS), and answer the provider's sign page URL.
 *
 * The provider is never called while a row lock is held:
 * 1. one statement locks the envelope, checks the signer and reserves the round: a STARTING row, which the
 *    partial unique index counts as the signer's one live session (when the signer has an open round, a short
 *    transaction holding the envelope lock decides what to do with it);
 * 2. then the session is created (and recorded at once) and each document uploaded; the uploads are written
 *    to the reservation together once all are in;
 * 3. one more statement (no transaction, no envelope lock) marks the round STARTED together with its
 *    `round.started` event; only then is its sign page handed to the signer.
 *
 * Presses of one signer are serialised by RoundStartLocks (an advisory lock, no row lock): a concurrent press
 * waits, then finds the session. The lock dies with a crashed process, so a press that takes it and finds a
 * reservation still STARTING knows its starter is gone. The guide (003) gives no way to find or close a
 * session whose id was never recorded, so such a reservation is resolved without making a second session
 * while one of it may be live:
 * - session and every upload recorded (a crash right after the provider answered): completed, and that
 *   session is handed out;
 * - anything less: any session it made was never handed out and is dead 30 minutes after it was made
 *   (expires_at of the reservation); until then the press is refused (SESSION_STILL_OPEN), then the
 *   reservation is RELEASED (not an attempt) and a fresh one made.
 * A provider failure while the starter is alive undoes the reservation, as a rolled-back start did.
 */
@Injectable()
export class StartRoundService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly links: SignerLinksService,
    private readonly checks: CheckRoundService,
    private readonly transitions: EnvelopeTransitionsService,
    private readonly providers: ProviderCredentialsService,
    private readonly failures: ProviderFailures,
    private readonly locks: RoundStartLocks,
    private readonly audit: AuditService,
    private readonly webhooks: WebhooksService,
    private readonly identity: IdentityStepService,
  ) {}

  async startSigning(token: string, actor: Actor, options: { webView?: boolean } = {}): Promise<string> {
    const redirectUrl = this.config.publicUrl(`/s/${token}/return${options.webView ? '?web_view=true' : ''}`);
    // A signer with no identity step takes the start lock in the read of the signer.
    const first = await this.locks.press(async (manager, lock): Promise<{ signer: Signer; plan: Plan } | { signer: Signer; identityRequirement: SignerIdentity }> => {
      const { signer, identityRequirement } = await this.links.signerForPress(token, { manager, lockUnlessIdentity: lock.sql('s.id') });
      return identityRequirement ? { signer, identityRequirement } : { signer, plan: await this.start(manager, signer, actor) };
    });
    const found = first.signer;
    let plan: Plan;
    if ('plan' in first) plan = first.plan;
    else {
      // Identity first, where the envelope asks for it: a signer already in a Cloud EDS session has passed it.
      // Outside the press's connection: the identity step takes connections and calls a provider of its own.
      const detour = await this.identity.detour(found, {
        returnUrl: this.config.publicUrl(`/s/${token}/identity${options.webView ? '?web_view=true' : ''}`),
        language: async () => (await this.db.getRepository(Envelope).findOneByOrFail({ id: found.envelopeId })).language,
        inSigningSession: () => this.db.getRepository(SigningRound).existsBy({ signerId: found.id, status: In(['STARTING', 'STARTED', 'PROCESS']) }),
        actor,
        requirement: first.identityRequirement,
      });
      if (detour) return detour;
      plan = await this.locks.press(async (manager, lock) => {
        await lock.take(found.id);
        return this.start(manager, found, actor);
      });
    }
    if (!hasSession(plan.round)) throw new Error(`Round ${plan.round.id} was handed out without a session`);
    this.webhooks.wakeDeliveries();
    const client = await this.providers.clientFor(found.organisationId);
    return client.signUrl({ sessionId: plan.round.sessionId, redirectUrl, language: plan.envelope.language });
  }

  /** The press itself, holding the signer's start lock: the live session, or a round reserved, started and handed out. */
  private async start(manager: EntityManager, signer: Signer, actor: Actor): Promise<Plan> {
    let plan = (await this.reserveAtOnce(manager, signer)) ?? (await this.plan(manager, signer));
    if (plan.kind === 'stale') {
      // A session past its 30 minutes: ask the provider how it ended before replacing it; never assume.
      await this.checks.checkRound({ roundId: plan.round.id, trigger: 'deadline' });
      plan = await this.plan(manager, signer, { staleAsked: true });
    }
    if (plan.kind === 'reserved') await this.callProvider(manager, plan);
    if (plan.kind !== 'live') await this.complete(manager, plan.round, actor, plan.kind === 'resume');
    return plan;
  }

  /**
   * The usual press, a signer with no open round: the envelope locked and checked and the round reserved in
   * one statement (its row lock lasts as long as the statement). Null when the signer has an open round (the
   * transaction of `plan` then decides what to do with it), or when the envelope changed while the lock waited.
   */
  private async reserveAtOnce(manager: EntityManager, signer: Signer): Promise<Plan | null> {
    const fields = { organisationId: signer.organisationId, envelopeId: signer.envelopeId, signerId: signer.id, routingOrder: signer.routingOrder, expiresAt: reservationDeadline(Date.now()) };
    const reservation = newReservation(fields);
    // The signer may sign while the envelope is in progress and the envelope machine has them ACTIVE. Once
    // reserved, the round's inputs come too: each document with the previous group's CMS (a row each). The
    // lock may have waited for a transition that changed the envelope: the locked row is then newer than the
    // statement's snapshot, which may lack what that transition wrote (the previous group's CMS). Nothing is
    // reserved then, and the transaction of `plan`, whose statements see it, takes over.
    const rows = (await manager.query(
      `WITH e AS (
         SELECT id, organisation_id, status, document_type, language, machine_state -> 'context' -> 'signers' AS signers, xmin AS version
           FROM envelope WHERE id = $7 AND organisation_id = $8 FOR UPDATE
       ), reserved AS (
         ${reservationInsert(`FROM e WHERE e.status = 'IN_PROGRESS' AND e.signers @> jsonb_build_array(jsonb_build_object('id', $1::text, 'status', 'ACTIVE'))
            AND e.version = (SELECT xmin FROM envelope WHERE id = $7)`)}
       )
       SELECT e.id, e.organisation_id AS "organisationId", e.status, e.document_type AS "documentType", e.language, e.signers,
              r.id AS round_id, r.attempt, r.created_at,
              d.id AS document_id, d.name AS document_name, d.position AS document_position, d.content AS document_content, d.sha256 AS document_sha256,
              p.cms AS previous_cms
         FROM e LEFT JOIN reserved r ON true
         LEFT JOIN envelope_document d ON r.id IS NOT NULL AND d.envelope_id = e.id
         LEFT JOIN document_signature p ON ${previousGroupCmsCondition('p', 'd.id', '$2')}
        ORDER BY d.position`,
      [...reservation.params, signer.envelopeId, signer.organisationId],
    )) as (Pick<Envelope, 'id' | 'organisationId' | 'status' | 'documentType' | 'language'> & {
      signers: EnvelopeContext['signers'];
      round_id: string | null;
      attempt: number;
      created_at: Date;
      document_id: string;
      document_name: string;
      document_position: number;
      document_content: Buffer;
      document_sha256: string;
      previous_cms: Buffer | null;
    })[];
    if (!rows.length) throw new AppError('ENVELOPE_NOT_FOUND', `Envelope ${signer.envelopeId} not found`);
    const { id, organisationId, status, documentType, language, signers, round_id: roundId, attempt, created_at: createdAt } = rows[0];
    const envelope = { id, organisationId, status, documentType, language };
    assertMaySign(envelope, signers, signer.id);
    if (!roundId) return null;
    const inputs = rows
      .filter((row) => row.document_id !== null)
      .map((row) => ({
        document: { id: row.document_id, name: row.document_name, position: row.document_position, content: row.document_content, sha256: row.document_sha256 },
        previous: row.previous_cms ?? undefined,
      }));
    return { kind: 'reserved', round: reservation.round({ id: roundId, attempt, created_at: createdAt }), envelope, signer, inputs };
  }

  /** The first short transaction: checks, then the live round, an orphaned reservation to finish, or a new one. */
  private async plan(manager: EntityManager, signer: Signer, options: { staleAsked?: boolean } = {}): Promise<Plan> {
    return manager.transaction(async (tx) => {
      const envelope = await this.transitions.lock(tx, signer.organisationId, signer.envelopeId);
      assertMaySign(envelope, envelope.machineState.context.signers, signer.id);
      const now = Date.now();
      const reservation = { organisationId: envelope.organisationId, envelopeId: envelope.id, signerId: signer.id, routingOrder: signer.routingOrder };
      // After reserveAtOnce met a transition, the signer may still have no open round.
      const reserved = await reserveRound(tx, { ...reservation, expiresAt: reservationDeadline(now) });
      if (reserved) return { kind: 'reserved', round: reserved, envelope, signer };
      // Refused: an open round (live, stale or an orphaned reservation) is the signer's.
      const open = await tx.getRepository(SigningRound).findOne({ where: { signerId: signer.id, status: In(['STARTING', 'STARTED', 'PROCESS']) } });
      if (!open) throw new Error(`Signer ${signer.id}'s reservation was refused without an open round`);
      if (open.status !== 'STARTING') {
        if (isLive(open, now)) return { kind: 'live', round: open, envelope, signer };
        if (!options.staleAsked) return { kind: 'stale', round: open, envelope, signer };
        // Past its 30 minutes but the provider has not ended it (or could not be asked): a second live
        // session for this signer is never made.
        throw new AppError('SESSION_STILL_OPEN', STILL_OPEN);
      }
      // This press holds the signer's start lock, so whoever reserved the round is gone.
      const documents = await tx.getRepository(EnvelopeDocument).countBy({ envelopeId: envelope.id });
      if (open.sessionId && open.uploads.length === documents && open.expiresAt.getTime() > now) return { kind: 'resume', round: open, envelope, signer };
      if (!isPastDeadline(open.expiresAt, now)) throw new AppError('SESSION_STILL_OPEN', STILL_OPEN);
      await stepRound(tx, open, { type: 'RESERVATION_RELEASED' });
      await this.audit.append(tx, {
        organisationId: envelope.organisationId,
        envelopeId: envelope.id,
        type: 'round.released',
        actor: { kind: 'system' },
        data: { roundId: open.id, attempt: open.attempt, sessionId: open.sessionId },
      });
      const round = await reserveRound(tx, { ...reservation, expiresAt: reservationDeadline(now) });
      if (!round) throw new Error(`Signer ${signer.id}'s reservation was refused after the orphan was released`);
      return { kind: 'reserved', round, envelope, signer };
    });
  }

  /**
   * Creates the session (recorded at once) and uploads each document, no lock held, then writes the uploads
   * to the reservation in one statement. A provider failure (or running past START_BUDGET_MS) undoes the reservation: a session it
   * made was never handed out and dies unseen.
   */
  private async callProvider(manager: EntityManager, { round, envelope, signer, inputs: known }: Plan): Promise<void> {
    const rounds = manager.getRepository(SigningRound);
    const inputs = known ?? (await roundInputs(manager, envelope.id, signer.routingOrder));
    const reservedAt = Date.now();
    const withinBudget = () => {
      if (Date.now() - reservedAt > START_BUDGET_MS) throw new AppError('PROVIDER_UNAVAILABLE', 'The signing provider is too slow right now; please try again in a minute');
    };
    try {
      const client = await this.providers.clientFor(envelope.organisationId);
      const startedAt = Date.now();
      const session = await this.failures.call(round, 'session.create', () =>
        client.createSession({ iin: signer.iin, phone: signer.phone, documentType: envelope.documentType }),
      );
      // From here the session is known: its own 30 minutes replace the reservation's deadline. Recorded at
      // once, so that after a crash the wait ends when this session dies and the trail names it.
      Object.assign(round, { sessionId: session.sessionId, checkId: session.checkId, expiresAt: new Date(startedAt + PROVIDER_SESSION_MS) });
      await rounds.update({ id: round.id }, { sessionId: round.sessionId, checkId: round.checkId, expiresAt: round.expiresAt });
      for (const { document, previous } of inputs) {
        withinBudget();
        const input = previous ?? document.content;
        const uploaded = await this.failures.call(round, 'document.upload', () => client.uploadDocument({ sessionId: session.sessionId, name: document.name, file: input }));
        round.uploads = [
          ...round.uploads,
          {
            documentId: document.id,
            providerDocumentId: uploaded.id,
            inputSha256: sha256Hex(input),
            name: document.name,
            originalSha256: document.sha256,
            // Only which signatures are there counts (not whether they verify): Kezek accepted them already.
            inputSignatures: previous ? verifyCmsSync(previous).signatures.map(signatureFingerprint) : [],
          },
        ];
      }
      withinBudget();
      // The uploads in one write once all are in: a reservation without every upload is never handed out (see
      // above), whether it lacks one or all of them.
      await rounds.update({ id: round.id }, { uploads: round.uploads });
    } catch (error) {
      await rounds.delete({ id: round.id, status: 'STARTING' });
      // Recorded in a transaction of its own: the audit trail keeps the failed call.
      if (error instanceof ProviderCallError) await this.failures.record(error.scope, error.operation, error.providerError);
      throw error;
    }
  }

  /**
   * The second write, one statement on the lock's connection (no transaction, no envelope lock): the
   * reservation becomes STARTED, with its audit event, and its session may be handed out. Only a reservation
   * still STARTING is handed out: nothing but a press holding this signer's start lock moves a STARTING round
   * (checks take open rounds only), and the condition keeps that true should it ever change.
   */
  private async complete(manager: EntityManager, round: SigningRound, actor: Actor, resumed: boolean): Promise<void> {
    const change = roundStepChange(round, { type: 'SESSION_STARTED' }, 'STARTING', 5);
    const { stepped } = await this.audit.appendWithChange<{ stepped: boolean }>(
      [
        {
          organisationId: round.organisationId,
          envelopeId: round.envelopeId,
          type: 'round.started',
          actor: { kind: 'signer', id: round.signerId },
          ip: actor.ip,
          userAgent: actor.userAgent,
          data: {
            roundId: round.id,
            attempt: round.attempt,
            sessionId: round.sessionId,
            checkId: round.checkId,
            uploads: round.uploads.map(({ documentId, providerDocumentId, inputSha256 }) => ({ documentId, providerDocumentId, inputSha256 })),
            ...(resumed ? { resumed: true } : {}),
          },
        },
      ],
      { ctes: change.cte, decidedBy: 'stepped', select: 'EXISTS (SELECT 1 FROM stepped) AS stepped', params: change.params },
      manager,
    );
    if (!stepped) throw new AppError('SESSION_STILL_OPEN', STILL_OPEN);
    change.written();
  }
}
