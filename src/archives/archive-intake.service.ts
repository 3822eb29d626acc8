import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { CloudEdsError } from '../cloud-eds/cloud-eds.errors.js';
import { sha256Hex } from '../common/crypto/sha256.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { JobsService } from '../jobs/jobs.service.js';
import { ProviderCredentialsService } from '../organisations/provider-credentials.service.js';
import { SigningRound } from '../signing-rounds/signing-round.entity.js';
import { ArchiveFile } from './archive-file.entity.js';
import { ROUND_ARCHIVE_QUEUE, type RoundArchiveJob } from './archive-jobs.js';
import { readCopyIdentity } from './domain/document-id.js';
import { safeUnzip, UnsafeArchiveError, type UnzipLimits } from './domain/safe-unzip.js';
import { RoundArchive } from './round-archive.entity.js';

interface IdentifiedFile {
  name: string;
  bytes: Uint8Array;
  type: string;
  providerDocumentId: string | null;
  documentId: string | null;
  sha256: string;
}

/** Most files listed one by one in the audit event (the event's data is capped); the archive's hash covers them all. */
const AUDITED_FILES = 100;

/**
 * Archive intake: after each FINISHED round, downloads the provider's archive (a zip of signed copies),
 * unpacks it safely, and keeps the zip and each file with its DocumentId, SHA-256, size and the round's
 * check_id. Provider trouble is thrown so that the job is retried; a restart queues again every FINISHED
 * round whose archive is not yet kept. Idempotent: a second run finds the archive kept and stops.
 */
@Injectable()
export class ArchiveIntakeService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('ArchiveIntake');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobsService,
    private readonly providers: ProviderCredentialsService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.jobs.register<RoundArchiveJob>(
      { name: ROUND_ARCHIVE_QUEUE, retryLimit: this.config.ARCHIVE_RETRY_LIMIT, retryDelaySeconds: this.config.ARCHIVE_RETRY_DELAY_SECONDS, concurrency: 2, expireInSeconds: 600 },
      ({ roundId }) => this.intake(roundId),
    );
  }

  /** Whatever a crash or an exhausted retry left behind is queued again at start. */
  async onApplicationBootstrap(): Promise<void> {
    await this.queueMissing();
  }

  async queueMissing(envelopeId?: string): Promise<number> {
    const rows = (await this.db.query(
      `SELECT r.id FROM signing_round r LEFT JOIN round_archive a ON a.round_id = r.id
        WHERE r.status = 'FINISHED' AND (a.id IS NULL OR a.status = 'PENDING') AND ($1::uuid IS NULL OR r.envelope_id = $1::uuid)
        ORDER BY r.finished_at LIMIT 1000`,
      [envelopeId ?? null],
    )) as { id: string }[];
    for (const row of rows) await this.jobs.send<RoundArchiveJob>(undefined, ROUND_ARCHIVE_QUEUE, { roundId: row.id }, { singletonKey: row.id });
    if (rows.length) {
      this.jobs.wake(ROUND_ARCHIVE_QUEUE);
      this.logger.log({ count: rows.length, envelopeId }, 'provider archives queued');
    }
    return rows.length;
  }

  get limits(): Partial<UnzipLimits> {
    return { maxEntries: this.config.ARCHIVE_MAX_ENTRIES, maxTotalBytes: this.config.ARCHIVE_MAX_UNPACKED_BYTES, maxRatio: this.config.ARCHIVE_MAX_RATIO };
  }

  async intake(roundId: string): Promise<void> {
    const round = await this.db.getRepository(SigningRound).findOneBy({ id: roundId });
    if (!round || round.status !== 'FINISHED') return;
    await this.db.query(
      `INSERT INTO round_archive (round_id, organisation_id, envelope_id, session_id, check_id, check_id_sha256, status)
       VALUES ($1, $2, $3, $4, $5, $6, 'PENDING') ON CONFLICT (round_id) DO NOTHING`,
      [round.id, round.organisationId, round.envelopeId, round.sessionId, round.checkId, sha256Hex(round.checkId)],
    );
    const pending = await this.db.getRepository(RoundArchive).findOneByOrFail({ roundId });
    if (pending.status !== 'PENDING') return;

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

    await this.db.transaction(async (manager) => {
      const archive = await manager.getRepository(RoundArchive).createQueryBuilder('a').setLock('pessimistic_write').where('a.id = :id', { id: pending.id }).getOneOrFail();
      if (archive.status !== 'PENDING') return; // another run finished first
      const digest = sha256Hex(zip);
      await manager.getRepository(RoundArchive).update(
        { id: archive.id },
        { status: refusal ? 'REFUSED' : 'STORED', zip: Buffer.from(zip), sha256: digest, size: zip.length, refusal, storedAt: new Date() },
      );
      for (const file of files) {
        await manager.getRepository(ArchiveFile).insert({
          archiveId: archive.id,
          roundId: round.id,
          organisationId: round.organisationId,
          envelopeId: round.envelopeId,
          documentId: file.documentId,
          checkId: round.checkId,
          name: file.name,
          type: file.type,
          providerDocumentId: file.providerDocumentId,
          sha256: file.sha256,
          size: file.bytes.length,
          content: Buffer.from(file.bytes),
        });
      }
      // The archive's hash joins the audit chain: an evidence pack's archives are checked against it.
      await this.audit.append(manager, {
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
      });
    });
    this.logger.log({ roundId, files: files.length, refused: refusal !== null }, 'provider archive kept');
  }

  private async identify(round: SigningRound, entries: { name: string; bytes: Uint8Array }[]): Promise<IdentifiedFile[]> {
    const files: IdentifiedFile[] = [];
    for (const entry of entries) {
      const { type, documentId: providerDocumentId } = readCopyIdentity(entry.bytes);
      const upload = providerDocumentId ? round.uploads.find((u) => u.providerDocumentId === providerDocumentId) : undefined;
      files.push({ name: entry.name, bytes: entry.bytes, type, providerDocumentId, documentId: upload?.documentId ?? null, sha256: sha256Hex(entry.bytes) });
    }
    return files;
  }
}
