import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { CloudEdsError } from '../cloud-eds/cloud-eds.errors.js';
import { sha256Hex } from '../common/crypto/sha256.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { JOB_SCHEMA, JobsService } from '../jobs/jobs.service.js';
import { ProviderCredentialsService } from '../organisations/provider-credentials.service.js';
import { CheckRoundService } from '../signing-rounds/check-round.service.js';
import type { RoundWithSession } from '../signing-rounds/signing-round.entity.js';
import { ROUND_ARCHIVE_QUEUE, type RoundArchiveJob } from '../signing-rounds/round-archive-job.js';
import { readCopyIdentity } from './domain/document-id.js';
import { safeUnzip, UnsafeArchiveError, type UnzipLimits } from './domain/safe-unzip.js';

interface IdentifiedFile {
  name: string;
  bytes: Uint8Array;
  type: string;
  providerDocumentId: string | null;
  documentId: string | null;
  sha256: string;
}

/** A FINISHED round always has its provider session (the query selects only those). */
type IntakeRound = Pick<RoundWithSession, 'id' | 'organisationId' | 'envelopeId' | 'sessionId' | 'checkId' | 'uploads'>;

/** $1 the round. Its intake fields when FINISHED, with its archive row (inserted PENDING when it had none). */
const INTAKE_SQL = `
  WITH round AS (
    SELECT id, organisation_id, envelope_id, session_id, check_id, uploads FROM signing_round
     WHERE id = $1 AND status = 'FINISHED' AND session_id IS NOT NULL AND check_id IS NOT NULL
  ), inserted AS (
    INSERT INTO round_archive (round_id, organisation_id, envelope_id, session_id, check_id, check_id_sha256, status)
    SELECT id, organisation_id, envelope_id, session_id, check_id, encode(sha256(convert_to(check_id, 'UTF8')), 'hex'), 'PENDING' FROM round
    ON CONFLICT (round_id) DO NOTHING
    RETURNING id, status
  )
  SELECT r.organisation_id AS "organisationId", r.envelope_id AS "envelopeId", r.session_id AS "sessionId", r.check_id AS "checkId", r.uploads,
         COALESCE(i.id, a.id) AS archive_id, COALESCE(i.status, a.status) AS archive_status
    FROM round r LEFT JOIN inserted i ON true LEFT JOIN round_archive a ON a.round_id = r.id`;

/**
 * The archive kept: $5 status, $6 zip, $7 its SHA-256, $8 its size, $9 the refusal, $10 the archive row (the
 * round's archive files then take $11 to $15, their contents from KEPT_PARAMS on).
 */
const KEPT_CTES = `
  stored AS (
    UPDATE round_archive SET status = $5, zip = $6, sha256 = $7, size = $8, refusal = $9, stored_at = now()
     WHERE id = $10 AND status = 'PENDING'
    RETURNING id)`;
const KEPT_PARAMS = 16;

/** Most files listed one by one in the audit event (the event's data is capped); the archive's hash covers them all. */
const AUDITED_FILES = 100;

/**
 * How often archives still missing are looked for, and how long ago a FINISHED round must have finished to
 * count as missing one: over a minute (the intake after its check had its chance), within a day.
 */
const MISSING_SWEEP_MS = 60_000;
const MISSING_AFTER_SECONDS = 60;
const MISSING_WITHIN_SECONDS = 24 * 3600;
/** Intakes run straight after a check, per instance; the job queue's workers for the round-archive queue are as many. */
const INLINE_INTAKES = 2;
/** Rounds waiting in memory for an inline intake; past that they go to the job queue. */
const INLINE_WAITING = 100;

/**
 * Archive intake: after each FINISHED round, downloads the provider's archive (a zip of signed copies),
 * unpacks it safely, and keeps the zip and each file with its DocumentId, SHA-256, size and the round's
 * check_id. It starts as soon as the round's check commits, in the instance that checked it; provider
 * trouble then queues a job that retries with backoff. What a crash left behind is queued again at start
 * and by a sweep every minute (any FINISHED round a minute old without a kept archive). Idempotent: a second
 * run finds the archive kept and stops.
 */
@Injectable()
export class ArchiveIntakeService implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ArchiveIntake');
  private readonly running = new Set<Promise<void>>();
  private readonly waiting: string[] = [];
  private sweep?: NodeJS.Timeout;
  private closing = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobsService,
    private readonly providers: ProviderCredentialsService,
    private readonly audit: AuditService,
    private readonly checks: CheckRoundService,
  ) {}

  onModuleInit(): void {
    this.jobs.register<RoundArchiveJob>(
      { name: ROUND_ARCHIVE_QUEUE, retryLimit: this.config.ARCHIVE_RETRY_LIMIT, retryDelaySeconds: this.config.ARCHIVE_RETRY_DELAY_SECONDS, concurrency: INLINE_INTAKES, expireInSeconds: 600 },
      ({ roundId }) => this.intake(roundId),
    );
    this.checks.onRoundFinished((roundId) => this.intakeInBackground(roundId));
  }

  /**
   * Whatever a crash or an exhausted retry left behind is queued again at start; what a crash of another
   * instance leaves is found by the sweep every minute (rounds of the last day: older ones had their retries).
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.queueMissing();
    if (!this.config.JOBS_WORKERS_ENABLED) return;
    this.sweep = setInterval(() => {
      this.queueMissing(undefined, { finishedBetweenSeconds: [MISSING_AFTER_SECONDS, MISSING_WITHIN_SECONDS] }).catch((error: unknown) =>
        this.logger.warn({ err: error }, 'missing archives not looked for; next sweep tries again'),
      );
    }, MISSING_SWEEP_MS);
    this.sweep.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    clearInterval(this.sweep);
    // What waits in memory goes to the job queue, for whichever instance runs next.
    await Promise.allSettled(this.waiting.splice(0).map((roundId) => this.queueIntake(roundId)));
    await Promise.allSettled([...this.running]);
  }

  /**
   * Intake without the caller waiting; a failure queues the job that retries it. At most INLINE_INTAKES run
   * so at once in an instance, so a burst of completions never crowds out the signers' own requests; the next
   * ones wait in memory (no statement to queue them), at most INLINE_WAITING, and past that go to the job
   * queue. What waits in memory when the process dies is found again at the next start or by the sweep.
   */
  intakeInBackground(roundId: string): void {
    // Stopping: the next start (or another instance's sweep) takes it; nothing may start on a closing pool.
    if (this.closing) return;
    if (this.config.JOBS_WORKERS_ENABLED && this.running.size < INLINE_INTAKES) return this.startInline(roundId);
    if (this.config.JOBS_WORKERS_ENABLED && this.waiting.length < INLINE_WAITING) {
      this.waiting.push(roundId);
      return;
    }
    // An API-only instance (JOBS_WORKERS_ENABLED=false) leaves the work to the job workers.
    this.queueIntake(roundId)
      .then(() => this.jobs.wake(ROUND_ARCHIVE_QUEUE))
      .catch((error: unknown) => this.logger.warn({ roundId, err: error }, 'archive intake not queued; the sweep will find the round'));
  }

  private startInline(roundId: string): void {
    const run = this.intake(roundId)
      .catch(async (error: unknown) => {
        if (!(error instanceof CloudEdsError)) this.logger.warn({ roundId, err: error }, 'provider archive not kept; the job will retry');
        await this.queueIntake(roundId, new Date(Date.now() + this.config.ARCHIVE_RETRY_DELAY_SECONDS * 1000));
      })
      .catch((error: unknown) => this.logger.warn({ roundId, err: error }, 'archive retry not queued; the sweep will find the round'))
      .finally(() => {
        this.running.delete(run);
        const next = this.waiting.shift();
        if (next && !this.closing) this.startInline(next);
      });
    this.running.add(run);
  }

  /**
   * Queues the intake of FINISHED rounds (of one envelope, or all) whose archive is not kept yet; with
   * `finishedBetweenSeconds` [a, b], only rounds that finished between b and a seconds ago.
   */
  async queueMissing(envelopeId?: string, options: { finishedBetweenSeconds?: [number, number] } = {}): Promise<number> {
    const [after, within] = options.finishedBetweenSeconds ?? [null, null];
    const rows = (await this.db.query(
      `SELECT r.id FROM signing_round r LEFT JOIN round_archive a ON a.round_id = r.id
        WHERE r.status = 'FINISHED' AND (a.id IS NULL OR a.status = 'PENDING') AND ($1::uuid IS NULL OR r.envelope_id = $1::uuid)
          AND ($2::int IS NULL OR r.finished_at BETWEEN now() - make_interval(secs => $3::int) AND now() - make_interval(secs => $2::int))
          -- A round with an intake job still to run or running (retries included) has it in hand.
          AND NOT EXISTS (SELECT 1 FROM ${JOB_SCHEMA}.job j WHERE j.name = '${ROUND_ARCHIVE_QUEUE}' AND j.singleton_key = r.id::text AND j.state IN ('created', 'retry', 'active'))
        ORDER BY r.finished_at LIMIT 1000`,
      [envelopeId ?? null, after, within],
    )) as { id: string }[];
    // Rounds waiting here for an inline intake are in hand too.
    const missing = rows.filter((row) => !this.waiting.includes(row.id));
    for (const row of missing) await this.queueIntake(row.id);
    if (missing.length) {
      this.jobs.wake(ROUND_ARCHIVE_QUEUE);
      this.logger.log({ count: missing.length, envelopeId }, 'provider archives queued');
    }
    return missing.length;
  }

  /** The round's intake as a job (keyed by the round), due now or at `startAfter`. */
  private async queueIntake(roundId: string, startAfter?: Date): Promise<void> {
    await this.jobs.send<RoundArchiveJob>(undefined, ROUND_ARCHIVE_QUEUE, { roundId }, { singletonKey: roundId, startAfter });
  }

  get limits(): Partial<UnzipLimits> {
    return { maxEntries: this.config.ARCHIVE_MAX_ENTRIES, maxTotalBytes: this.config.ARCHIVE_MAX_UNPACKED_BYTES, maxRatio: this.config.ARCHIVE_MAX_RATIO };
  }

  async intake(roundId: string): Promise<void> {
    // One statement: the round (lean: only what intake needs) and its archive row, made PENDING if new.
    const [found] = (await this.db.query(INTAKE_SQL, [roundId])) as (Omit<IntakeRound, 'id'> & { archive_id: string | null; archive_status: string | null })[];
    // No archive row back: another run inserted it after this statement's snapshot and carries on with it.
    if (!found || found.archive_status !== 'PENDING') return;
    const round: IntakeRound = { id: roundId, organisationId: found.organisationId, envelopeId: found.envelopeId, sessionId: found.sessionId, checkId: found.checkId, uploads: found.uploads };
    const pending = { id: found.archive_id! };

    const client = await this.providers.clientFor(round.organisationId);
    let zip: Uint8Array;
    try {
      zip = await client.downloadArchive(round.sessionId);
    } catch (error) {
      if (error instanceof CloudEdsError) {
        this.logger.warn({ roundId, kind: error.kind, status: error.status, retryable: error.retryable }, 'provider archive not downloaded; the job will retry');
      }
      throw error;
    }

    let files: IdentifiedFile[] = [];
    let refusal: string | null = null;
    try {
      files = await this.identify(round, safeUnzip(zip, this.limits));
    } catch (error) {
      if (!(error instanceof UnsafeArchiveError)) throw error;
      refusal = error.message;
      this.logger.warn({ roundId, reason: error.reason }, 'provider archive refused as unsafe to unpack; its bytes are kept');
    }

    const digest = sha256Hex(zip);
    // The archive, its files and the audit event (the archive's hash joins the chain: an evidence pack's
    // archives are checked against it) in one statement, all or nothing. Nothing written when another run
    // kept the archive first: the UPDATE re-checks PENDING under its row lock.
    const contents = files.map((_, i) => `$${KEPT_PARAMS + i}::bytea`);
    await this.audit.appendWithChange(
      [
        {
          organisationId: round.organisationId,
          envelopeId: round.envelopeId,
          type: refusal ? 'round.archive_refused' : 'round.archive_stored',
          actor: { kind: 'provider', id: round.sessionId },
          data: {
            roundId: round.id,
            sessionId: round.sessionId,
            checkId: round.checkId,
            sha256: digest,
            size: zip.length,
            ...(refusal ? { refusal } : {}),
            fileCount: files.length,
            files: files.slice(0, AUDITED_FILES).map((f) => ({ name: f.name, sha256: f.sha256, size: f.bytes.length, documentId: f.documentId, providerDocumentId: f.providerDocumentId })),
          },
        },
      ],
      {
        ctes: `${KEPT_CTES},
          contents AS (SELECT * FROM unnest(ARRAY[${contents.join(', ')}]::bytea[]) WITH ORDINALITY AS c(content, n)),
          files AS (
            INSERT INTO archive_file (archive_id, round_id, organisation_id, envelope_id, document_id, check_id, name, type, provider_document_id, sha256, size, content)
            SELECT stored.id, $11, $12, $13, f.document_id, $14, f.name, f.type, f.provider_document_id, f.sha256, octet_length(c.content), c.content
              FROM stored, ROWS FROM (jsonb_to_recordset($15::jsonb) AS (document_id uuid, name text, type text, provider_document_id text, sha256 text)) WITH ORDINALITY AS f(document_id, name, type, provider_document_id, sha256, n)
              JOIN contents c USING (n)
            RETURNING id)`,
        decidedBy: 'stored',
        select: '(SELECT count(*) FROM files) AS files',
        params: [
          refusal ? 'REFUSED' : 'STORED',
          Buffer.from(zip),
          digest,
          zip.length,
          refusal,
          pending.id,
          round.id,
          round.organisationId,
          round.envelopeId,
          round.checkId,
          JSON.stringify(files.map((f) => ({ document_id: f.documentId, name: f.name, type: f.type, provider_document_id: f.providerDocumentId, sha256: f.sha256 }))),
          ...files.map((f) => Buffer.from(f.bytes)),
        ],
      },
    );
    this.logger.log({ roundId, files: files.length, refused: refusal !== null }, 'provider archive kept');
  }

  private async identify(round: IntakeRound, entries: { name: string; bytes: Uint8Array }[]): Promise<IdentifiedFile[]> {
    const files: IdentifiedFile[] = [];
    for (const entry of entries) {
      const { type, documentId: providerDocumentId } = readCopyIdentity(entry.bytes);
      const upload = providerDocumentId ? round.uploads.find((u) => u.providerDocumentId === providerDocumentId) : undefined;
      files.push({ name: entry.name, bytes: entry.bytes, type, providerDocumentId, documentId: upload?.documentId ?? null, sha256: sha256Hex(entry.bytes) });
    }
    return files;
  }
}
