import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PgBoss } from 'pg-boss';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DATABASE_URL } from '../database/database-url.js';
import { importV10Jobs, setAsideV10Schema } from './pg-boss-v10-upgrade.js';

/** The PostgreSQL schema of the job tables (`job`: one row per job, `state` and `singleton_key` among its columns). */
export const JOB_SCHEMA = 'pgboss';

/**
 * Idle workers look for due jobs this often. Jobs sent by this instance are started at once by `wake()`,
 * so the interval only bounds how late delayed jobs and other instances' jobs start.
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
  /**
   * Most active jobs of one group (SendOptions.group) across all instances. pg-boss checks it when it hands
   * out jobs, without serialising concurrent fetches: it spares workers from jobs that would have to wait,
   * and a handler that needs an exact limit enforces it itself.
   */
  groupConcurrency?: number;
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
  /** The group the job counts against for QueueDefinition.groupConcurrency (e.g. an organisation). */
  group?: string;
}

/**
 * Background jobs on the same PostgreSQL (pg-boss). Features register queues at module init; side effects of
 * a state change are sent with the transaction's EntityManager, so the job exists if and only if the change
 * committed (outbox). Handlers must be idempotent: a job may run twice.
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly boss: PgBoss;
  private readonly queues = new Map<string, { definition: QueueDefinition; handler: JobHandler<unknown> }>();
  private readonly workers = new Map<string, string[]>();
  /** Jobs this instance sent, due now, that no wake has announced yet (per queue). */
  private readonly unannounced = new Map<string, number>();
  /** Where the next wake of each queue starts, so wakes spread over its workers. */
  private readonly nextWorker = new Map<string, number>();
  private started = false;

  constructor(
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.boss = new PgBoss({
      connectionString: databaseUrl,
      schema: JOB_SCHEMA,
      max: 8,
      application_name: `${config.DATABASE_APPLICATION_NAME}-jobs`,
      // Kezek reads no instance registry, and registering samples the event loop every 20 ms for its vitals:
      // 50 wake-ups a second of an otherwise idle process.
      registerInstance: false,
    });
    this.boss.on('error', (error) => this.logger.error({ err: error }, 'job queue error'));
  }

  register<T>(definition: QueueDefinition, handler: JobHandler<T>): void {
    if (this.started) throw new Error(`Queue ${definition.name} registered after start`);
    this.queues.set(definition.name, { definition, handler: handler as JobHandler<unknown> });
  }

  /**
   * Queues a job. With `manager` (inside a transaction) the job is written by that transaction; call
   * `wake(queue)` after the commit so it runs without waiting for the next poll.
   */
  async send<T extends object>(manager: EntityManager | undefined, queue: string, data: T, options: SendOptions = {}): Promise<string | null> {
    const db = manager ? { executeSql: async (text: string, values: unknown[]) => ({ rows: await manager.query(text, values) }) } : undefined;
    const id = await this.boss.send(queue, data, { startAfter: options.startAfter, singletonKey: options.singletonKey, group: options.group ? { id: options.group } : undefined, db });
    if (!options.startAfter || options.startAfter.getTime() <= Date.now()) this.unannounced.set(queue, (this.unannounced.get(queue) ?? 0) + 1);
    return id;
  }

  /**
   * Lets this instance's workers of `queue` fetch at once instead of at their next poll: one worker per job
   * sent since the last wake, none when nothing was sent. Each woken worker runs one fetch query, so waking
   * every worker for every commit (or waking a queue nothing was sent to) would cost queries finding nothing.
   * A job sent by a transaction that then rolled back costs at most one empty fetch.
   */
  wake(queue: string): void {
    const sent = this.unannounced.get(queue) ?? 0;
    const ids = this.workers.get(queue) ?? [];
    if (sent === 0 || ids.length === 0) return;
    this.unannounced.delete(queue);
    const first = this.nextWorker.get(queue) ?? 0;
    for (let i = 0; i < Math.min(sent, ids.length); i++) this.boss.notifyWorker(ids[(first + i) % ids.length]);
    this.nextWorker.set(queue, (first + Math.min(sent, ids.length)) % ids.length);
  }

  async onApplicationBootstrap(): Promise<void> {
    const upgradeFromV10 = await setAsideV10Schema(this.databaseUrl, JOB_SCHEMA);
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
        const self: { id?: string } = {};
        self.id = await this.boss.work(definition.name, { batchSize: 1, pollingIntervalSeconds: POLLING_INTERVAL_SECONDS, includeMetadata: true, groupConcurrency: definition.groupConcurrency }, async (jobs) => {
          try {
            for (const job of jobs) await handler(job.data, { id: job.id, retryCount: job.retryCount });
          } finally {
            // A worker that found a job looks for the next one at once: pg-boss would otherwise wait out the
            // rest of its polling interval, so a backlog would drain at one job per worker per interval.
            // The fetch that finds nothing is the one that waits.
            if (self.id) this.boss.notifyWorker(self.id);
          }
        });
        ids.push(self.id);
      }
      this.workers.set(definition.name, ids);
    }
    if (upgradeFromV10) {
      const { moved, dropped } = await importV10Jobs(this.databaseUrl, JOB_SCHEMA, this.boss, [...this.queues.keys()]);
      this.logger.log({ moved, dropped }, 'jobs queued by the previous job queue version moved to the current one');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.started) await this.boss.stop({ graceful: true, timeout: 5000 });
  }
}
