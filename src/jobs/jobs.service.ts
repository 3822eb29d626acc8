import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import PgBoss from 'pg-boss';
import type { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DATABASE_URL } from '../database/database-url.js';

/**
 * Idle workers look for due jobs this often. Jobs sent by this instance are announced to its workers when they
 * become visible (at the commit), so the interval only bounds how late delayed jobs, retries and other
 * instances' jobs start.
 */
const POLLING_INTERVAL_SECONDS = 2;

export interface QueueDefinition {
  name: string;
  /** Attempts after the first failure, with exponential backoff from retryDelaySeconds. */
  retryLimit: number;
  retryDelaySeconds: number;
  /** How long one run may take before pg-boss considers it failed and retries it. */
  expireInSeconds?: number;
  /** Jobs of this queue processed at once by this instance. */
  concurrency?: number;
}

export interface JobContext {
  id: string;
  /** 0 on the first run. */
  retryCount: number;
}

export type JobHandler<T> = (data: T, job: JobContext) => Promise<void>;

export interface SendOptions {
  /** Not before this time: timers (expiry, polling) are delayed jobs. */
  startAfter?: Date;
  /** At most one queued job per key (and queue) at a time. */
  singletonKey?: string;
}

/**
 * Background jobs on the same PostgreSQL (pg-boss). Features register queues at module init; side effects of
 * a state change are sent with the transaction's EntityManager, so the job exists if and only if the change
 * committed (outbox). Handlers must be idempotent: a job may run twice.
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, OnApplicationShutdown, EntitySubscriberInterface {
  private readonly logger = new Logger('Jobs');
  private readonly boss: PgBoss;
  private readonly queues = new Map<string, { definition: QueueDefinition; handler: JobHandler<unknown> }>();
  private readonly workers = new Map<string, string[]>();
  /** Workers running a job now. */
  private readonly busy = new Set<string>();
  /** Jobs due at once, sent in a transaction not yet committed: announced at its commit. */
  private readonly uncommitted = new WeakMap<QueryRunner, Map<string, number>>();
  /** Jobs due at once, sent through a transaction of another data source (its commit is not seen here). */
  private readonly unannounced = new Map<string, number>();
  private started = false;

  constructor(
    @Inject(DATABASE_URL) databaseUrl: string,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    // No cron schedules are used: `schedule: false` spares the cron queue's worker its poll every 5 s.
    this.boss = new PgBoss({ connectionString: databaseUrl, schema: 'pgboss', max: 8, application_name: `${config.DATABASE_APPLICATION_NAME}-jobs`, schedule: false });
    this.boss.on('error', (error) => this.logger.error({ err: error }, 'job queue error'));
    dataSource.subscribers.push(this);
  }

  register<T>(definition: QueueDefinition, handler: JobHandler<T>): void {
    if (this.started) throw new Error(`Queue ${definition.name} registered after start`);
    this.queues.set(definition.name, { definition, handler: handler as JobHandler<unknown> });
  }

  /**
   * Queues a job. With `manager` (inside a transaction) the job is written by that transaction, and this
   * instance's workers are told when it commits; without, at once.
   */
  async send<T extends object>(manager: EntityManager | undefined, queue: string, data: T, options: SendOptions = {}): Promise<string | null> {
    const db = manager ? { executeSql: async (text: string, values: unknown[]) => ({ rows: await manager.query(text, values) }) } : undefined;
    const id = await this.boss.send(queue, data, { startAfter: options.startAfter, singletonKey: options.singletonKey, db });
    // A delayed job is found by polling when due; a singleton already queued (null id) is not a new job.
    if (id === null || (options.startAfter && options.startAfter.getTime() > Date.now())) return id;
    const runner = manager?.queryRunner;
    if (!runner?.isTransactionActive) this.announce(queue, 1);
    else if (manager!.connection !== this.dataSource) this.unannounced.set(queue, (this.unannounced.get(queue) ?? 0) + 1);
    else {
      const pending = this.uncommitted.get(runner) ?? new Map<string, number>();
      pending.set(queue, (pending.get(queue) ?? 0) + 1);
      this.uncommitted.set(runner, pending);
    }
    return id;
  }

  /**
   * Tells this instance's workers of `queue` about jobs sent through another data source's transaction, after
   * it committed. Jobs sent through this data source (or without a transaction) need no call: they are
   * announced when they become visible, one worker per job.
   */
  wake(queue: string): void {
    const count = this.unannounced.get(queue);
    if (!count) return;
    this.unannounced.delete(queue);
    this.announce(queue, count);
  }

  /** TypeORM calls this after every commit (savepoint releases included: only the outermost one counts). */
  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (event.queryRunner.isTransactionActive) return;
    const pending = this.uncommitted.get(event.queryRunner);
    if (!pending) return;
    this.uncommitted.delete(event.queryRunner);
    for (const [queue, count] of pending) this.announce(queue, count);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) this.uncommitted.delete(event.queryRunner);
  }

  /** Lets `count` workers of `queue` fetch now: idle ones first; a busy one fetches again when its job ends. */
  private announce(queue: string, count: number): void {
    const ids = this.workers.get(queue) ?? [];
    const order = [...ids.filter((id) => !this.busy.has(id)), ...ids.filter((id) => this.busy.has(id))];
    for (const id of order.slice(0, count)) this.tell(id);
  }

  private tell(workerId: string): void {
    this.boss.notifyWorker(workerId);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.boss.start();
    this.started = true;
    for (const { definition, handler } of this.queues.values()) {
      const queue = {
        name: definition.name,
        retryLimit: definition.retryLimit,
        retryDelay: definition.retryDelaySeconds,
        retryBackoff: true,
        expireInSeconds: definition.expireInSeconds ?? 300,
      };
      // createQueue leaves an existing queue as it was: update it so changed retry settings take effect.
      await this.boss.createQueue(definition.name, queue);
      await this.boss.updateQueue(definition.name, queue);
      if (!this.config.JOBS_WORKERS_ENABLED) continue;
      const ids: string[] = [];
      for (let i = 0; i < (definition.concurrency ?? 2); i++) {
        let id = ''; // set before any fetch can answer: the first fetch needs a round trip
        id = await this.boss.work(definition.name, { batchSize: 1, pollingIntervalSeconds: POLLING_INTERVAL_SECONDS, includeMetadata: true }, async (jobs) => {
          this.busy.add(id);
          try {
            for (const job of jobs) {
              const meta = job as unknown as { retryCount?: number; retry_count?: number };
              await handler(job.data, { id: job.id, retryCount: meta.retryCount ?? meta.retry_count ?? 0 });
            }
          } finally {
            this.busy.delete(id);
          }
        });
        ids.push(id);
      }
      this.workers.set(definition.name, ids);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.started) await this.boss.stop({ graceful: true, timeout: 5000, wait: true });
  }
}
