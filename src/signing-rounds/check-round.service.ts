import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { CloudEdsError } from '../cloud-eds/cloud-eds.errors.js';
import { sha256Hex } from '../common/crypto/sha256.js';
import { AppError } from '../common/errors/app-error.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { Envelope } from '../envelopes/entities/envelope.entity.js';
import { EnvelopeTransitionsService } from '../envelopes/envelope-transitions.service.js';
import { JobsService } from '../jobs/jobs.service.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { checkBackoffSeconds, isOpen, roundDocumentFacts } from './domain/round-rules.js';
import { type Observation, ObserveRoundService } from './observe-round.service.js';
import { ProviderFailures } from './provider-failures.service.js';
import { ROUND_CHECK_QUEUE, type RoundCheckJob } from './round-check-job.js';
import type { RoundEvent } from './domain/signing-round.machine.js';
import { RoundOutcomeService } from './round-outcome.service.js';
import { roundStepChange } from './round-state.js';
import { hasSession, SigningRound } from './signing-round.entity.js';
import { Signer } from '../envelopes/entities/signer.entity.js';

/** How long after a failed check (other than the provider being down) its retry runs. */
const RETRY_AFTER_MS = 5000;

/**
 * Learns how a round stands from the provider's status/result API and applies it: webhooks, the return page
 * and polling are only reasons to ask. Observe (provider, no locks), then in one transaction with the
 * envelope locked: step the round machine, keep the verified documents, carry out the effects.
 */
@Injectable()
export class CheckRoundService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Signing');
  /** The check of each round running in this instance, so the next one waits for it (see checkRound). */
  private readonly running = new Map<string, Promise<CheckedRound | undefined>>();
  /** Told of each round a check here saw FINISHED, once that has committed. */
  private readonly finishedListeners: ((roundId: string) => void)[] = [];

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly transitions: EnvelopeTransitionsService,
    private readonly observer: ObserveRoundService,
    private readonly outcome: RoundOutcomeService,
    private readonly failures: ProviderFailures,
    private readonly jobs: JobsService,
    private readonly audit: AuditService,
    private readonly webhooks: WebhooksService,
  ) {}

  /**
   * Checks a round without the caller waiting; a failure is logged and retried by a job shortly after (and
   * the round sweep remains behind both). Shutdown waits for the checks under way.
   */
  checkInBackground(job: RoundCheckJob): void {
    this.checkRound(job).catch(async (error: unknown) => {
      this.logger.warn({ roundId: job.roundId, trigger: job.trigger, err: error }, 'round check failed; retried shortly');
      await this.retrySoon(job.roundId).catch((sendError: unknown) => this.logger.warn({ roundId: job.roundId, err: sendError }, 'round check retry not queued; the sweep will ask'));
    });
  }

  /** Queues a retry of a check that failed, a few seconds on (the round sweep stands behind it too). */
  async retrySoon(roundId: string): Promise<void> {
    await this.jobs.send<RoundCheckJob>(undefined, ROUND_CHECK_QUEUE, { roundId, trigger: 'retry' }, { startAfter: new Date(Date.now() + RETRY_AFTER_MS) });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }

  /**
   * `listener` hears of each round this instance's checks saw FINISHED, right after the commit (archive intake
   * starts there). A hint, not a guarantee: a crash in between is for the listener's own sweep to cover.
   */
  onRoundFinished(listener: (roundId: string) => void): void {
    this.finishedListeners.push(listener);
  }

  /**
   * Idempotent: a round not open (already final, or a reservation not yet handed out), or an answer that
   * changes nothing, is a no-op. Provider trouble is retried with backoff, never given up on while the
   * round is live.
   */
  async checkRound(job: RoundCheckJob, known?: KnownRound): Promise<CheckedRound | undefined> {
    // The webhook, the return page and a poll usually ask about a round within milliseconds of each other.
    // Checked one after the other here, the first learns the outcome (provider calls, CMS verification) and
    // the rest take that outcome when it closed the round (no read), or read the round again; across
    // instances the envelope lock keeps them correct.
    const previous = this.running.get(job.roundId);
    // `known`: the round as the caller just read it, worth nothing once another check ran before this one.
    const current = (previous ?? Promise.resolve(undefined))
      .catch(() => undefined)
      .then((before) => (before && !isOpen(before.round.status) ? before : this.check(job, previous ? undefined : known)));
    this.running.set(job.roundId, current);
    try {
      return await current;
    } finally {
      if (this.running.get(job.roundId) === current) this.running.delete(job.roundId);
    }
  }

  /** Answers the envelope and the round as this check's transaction left them; undefined when it ran none. */
  private async check(job: RoundCheckJob, known?: KnownRound): Promise<CheckedRound | undefined> {
    const found = known ?? (await this.roundWithSignerIin(job.roundId));
    if (!found) return;
    const { round, signerIin } = found;
    if (!isOpen(round.status) || !hasSession(round)) return;
    let observation: Observation;
    try {
      observation = await this.observer.observe(round, signerIin);
    } catch (error) {
      if (!(error instanceof CloudEdsError)) throw error;
      if (error.retryable) {
        // The round sweep asks again, later with each failure in a row (check_failures on the round).
        const failures = round.checkFailures + 1;
        const retryInSeconds = Math.max(this.config.ROUND_POLL_SECONDS, checkBackoffSeconds(failures));
        await this.db.getRepository(SigningRound).update({ id: round.id }, { checkFailures: failures, lastCheckedAt: new Date() });
        this.logger.warn({ roundId: round.id, kind: error.kind, failures }, 'provider unavailable; the round sweep asks again');
        await this.failures.record(round, 'session.status', error, { roundId: round.id, failures, retryInSeconds });
        return;
      }
      await this.failures.record(round, 'session.status', error, { roundId: round.id });
      throw new AppError('PROVIDER_REJECTED', `The signing provider refused the status request (${error.providerMessage ?? error.kind})`);
    }

    const { event } = observation;
    // The events this transaction records (the round's, the envelope's, a merged group's) are written together.
    const { finished, checked: outcome } = await this.db.transaction((manager) => this.audit.batch(manager, async (): Promise<{ finished: boolean; checked?: CheckedRound }> => {
      const envelope = await this.transitions.lock(manager, round.organisationId, round.envelopeId);
      if (!event) {
        await manager.getRepository(SigningRound).update({ id: round.id, status: round.status }, { lastCheckedAt: new Date(), checkFailures: 0 });
        return { finished: false };
      }
      const checked = { lastCheckedAt: new Date(), checkFailures: 0 };
      // Written only if the round is still as read (an open round's snapshot changes only with its status), so
      // the usual check reads it once. Nothing written: another check moved it first.
      let from = round.status;
      let step = await this.stepWithDocuments(manager, round, event, observation.documents ?? [], from, checked);
      if (!step) {
        // It closed the round (nothing left to do here), or took it from STARTED to PROCESS, which this
        // observation still concludes: stepped from the round as it is now.
        const current = await manager.getRepository(SigningRound).findOneByOrFail({ id: round.id });
        if (!isOpen(current.status)) return { finished: false };
        from = current.status;
        step = await this.stepWithDocuments(manager, current, event, observation.documents ?? [], from, checked);
        if (!step) return { finished: false };
        Object.assign(round, current);
      }
      const status = round.status;
      await this.audit.append(manager, {
        organisationId: round.organisationId,
        envelopeId: round.envelopeId,
        type: 'round.status',
        actor: { kind: 'provider', id: round.sessionId },
        data: {
          roundId: round.id,
          trigger: job.trigger,
          from,
          to: status,
          failureReason: step.state.context.failureReason,
          rejection: step.state.context.rejection,
        },
      });
      const accepted = new Map((observation.documents ?? []).map((document) => [document.documentId, new Uint8Array(document.cms)]));
      for (const effect of step.effects) await this.outcome.carryOut(manager, envelope, round, effect, accepted);
      return { finished: status === 'FINISHED', checked: { envelope, round } };
    }));
    this.webhooks.wakeDeliveries();
    // The provider's archive of the signed copies is fetched and kept once the round has committed.
    if (finished) for (const listener of this.finishedListeners) listener(round.id);
    return outcome;
  }

  /**
   * Steps the round with the observation's event, only if it is still `from`, and keeps each returned
   * document with Kezek's verification of it, in one statement. Null when nothing was written: another check
   * moved the round first.
   */
  private async stepWithDocuments(
    manager: EntityManager,
    round: SigningRound,
    event: RoundEvent,
    documents: NonNullable<Observation['documents']>,
    from: SigningRound['status'],
    checked: Pick<SigningRound, 'lastCheckedAt' | 'checkFailures'>,
  ) {
    const change = roundStepChange(round, event, from, 1, checked);
    const accepted = change.step.state.context.rejection === null;
    const next = change.params.length + 1;
    const cms = documents.map((_, i) => `$${next + 3 + i}::bytea`);
    const tokens = documents.map((_, i) => `$${next + 3 + documents.length + i}::bytea`);
    const [{ stepped }] = (await manager.query(
      `WITH ${change.cte},
       kept AS (
         INSERT INTO round_document (round_id, document_id, organisation_id, provider_document_id, cms, cms_sha256, report, accepted,
                                     signer_iin, signer_name, certificate_serial, certificate_issuer, signing_time, timestamp_token)
         SELECT stepped.id, d.document_id, $${next}, d.provider_document_id, c.cms, d.cms_sha256, d.report, $${next + 1},
                d.signer_iin, d.signer_name, d.certificate_serial, d.certificate_issuer, d.signing_time, c.timestamp_token
           FROM stepped,
                ROWS FROM (jsonb_to_recordset($${next + 2}::jsonb) AS (document_id uuid, provider_document_id text, cms_sha256 text, report jsonb,
                  signer_iin text, signer_name text, certificate_serial text, certificate_issuer text, signing_time timestamptz)) WITH ORDINALITY
                  AS d(document_id, provider_document_id, cms_sha256, report, signer_iin, signer_name, certificate_serial, certificate_issuer, signing_time, n)
           JOIN unnest(ARRAY[${cms.join(', ')}]::bytea[], ARRAY[${tokens.join(', ')}]::bytea[]) WITH ORDINALITY AS c(cms, timestamp_token, n) USING (n)
         RETURNING id)
       SELECT EXISTS (SELECT 1 FROM stepped) AS stepped, (SELECT count(*) FROM kept) AS kept`,
      [
        ...change.params,
        round.organisationId,
        accepted,
        JSON.stringify(
          documents.map((document) => {
            const facts = roundDocumentFacts(document.report);
            return {
              document_id: document.documentId,
              provider_document_id: document.providerDocumentId,
              cms_sha256: sha256Hex(document.cms),
              report: document.report,
              signer_iin: facts.signerIin,
              signer_name: facts.signerName,
              certificate_serial: facts.certificateSerial,
              certificate_issuer: facts.certificateIssuer,
              signing_time: facts.signingTime,
            };
          }),
        ),
        ...documents.map((document) => Buffer.from(document.cms)),
        ...documents.map((document) => (document.timestampToken ? Buffer.from(document.timestampToken) : null)),
      ],
    )) as { stepped: boolean }[];
    if (!stepped) return null;
    change.written();
    return change.step;
  }

  /** The round with its signer's IIN (what the returned certificates must name), in one statement. */
  private async roundWithSignerIin(roundId: string): Promise<KnownRound | null> {
    const { entities, raw } = await this.db
      .getRepository(SigningRound)
      .createQueryBuilder('r')
      .innerJoin(Signer, 's', 's.id = r.signer_id')
      .addSelect('s.iin', 'signer_iin')
      .where('r.id = :roundId', { roundId })
      .getRawAndEntities<{ signer_iin: string }>();
    return entities[0] ? { round: entities[0], signerIin: raw[0].signer_iin } : null;
  }
}

/** A round stepped by a check, and its envelope, as the check's transaction left them. */
export interface CheckedRound {
  envelope: Envelope;
  round: SigningRound;
}

/** A round as its caller just read it, with its signer's IIN. */
export interface KnownRound {
  round: SigningRound;
  signerIin: string;
}
