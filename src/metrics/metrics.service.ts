import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';

/** The pg-boss schema the job queues live in (see JobsService). */
const JOB_SCHEMA = 'pgboss';

/** Seconds: from a quick API answer to a slow provider call or a large verification. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

/**
 * Prometheus metrics of this instance. Features call the small typed methods below (one line at the place
 * where the thing happens); what the database already knows (rounds by outcome, job queues) is read when
 * Prometheus scrapes, so it is right across instances and restarts and needs no hook at all.
 */
@Injectable()
export class MetricsService {
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly providerDuration: Histogram<'endpoint' | 'code'>;
  private readonly providerErrors: Counter<'endpoint' | 'code'>;
  private readonly webhookDeliveries: Counter<'outcome'>;
  private readonly verificationDuration: Histogram<'match'>;

  constructor(
    @Inject(METRICS_REGISTRY) readonly registry: Registry,
    @InjectDataSource() private readonly db: DataSource,
  ) {
    this.httpDuration = new Histogram({
      name: 'kezek_http_request_duration_seconds',
      help: 'HTTP requests by route pattern and status, and how long they took',
      labelNames: ['method', 'route', 'status'],
      buckets: DURATION_BUCKETS,
      registers: [registry],
    });
    this.providerDuration = new Histogram({
      name: 'kezek_provider_call_duration_seconds',
      help: 'Cloud EDS calls (each attempt) by endpoint and answer: HTTP status, or timeout / network',
      labelNames: ['endpoint', 'code'],
      buckets: DURATION_BUCKETS,
      registers: [registry],
    });
    this.providerErrors = new Counter({
      name: 'kezek_provider_call_errors_total',
      help: 'Cloud EDS calls (each attempt) that failed, by endpoint and code',
      labelNames: ['endpoint', 'code'],
      registers: [registry],
    });
    this.webhookDeliveries = new Counter({
      name: 'kezek_webhook_deliveries_total',
      help: 'Outbound webhook delivery attempts by outcome: delivered, retrying, failed (given up)',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.verificationDuration = new Histogram({
      name: 'kezek_verification_duration_seconds',
      help: 'Public verification requests by what the file matched, and how long they took',
      labelNames: ['match'],
      buckets: DURATION_BUCKETS,
      registers: [registry],
    });
    this.registerDatabaseGauges();
  }

  httpRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }

  /** `code`: the HTTP status the provider answered, or `timeout` / `network` when it did not. */
  providerCall(endpoint: string, code: string, seconds: number, failed: boolean): void {
    this.providerDuration.observe({ endpoint, code }, seconds);
    if (failed) this.providerErrors.inc({ endpoint, code });
  }

  webhookDelivery(outcome: 'delivered' | 'retrying' | 'failed'): void {
    this.webhookDeliveries.inc({ outcome });
  }

  verification(match: string, seconds: number): void {
    this.verificationDuration.observe({ match }, seconds);
  }

  /** Express middleware timing every request, labelled with the matched route pattern (never the raw URL). */
  httpMiddleware(): (req: Request, res: Response, next: () => void) => void {
    return (req, res, next) => {
      const started = process.hrtime.bigint();
      res.once('finish', () => {
        const route = (req.route as { path?: string } | undefined)?.path;
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        this.httpRequest(req.method, route ? `${req.baseUrl}${route}` : 'unmatched', res.statusCode, seconds);
      });
      next();
    };
  }

  /** The text Prometheus scrapes. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private registerDatabaseGauges(): void {
    const db = this.db;
    new Gauge({
      name: 'kezek_rounds',
      help:
        'Signing rounds (provider sessions) ever started, by outcome: live, finished (signature accepted), rejected ' +
        '(signature refused by Kezek, reason), canceled (provider reason); all instances together, from the database',
      labelNames: ['outcome', 'reason'],
      registers: [this.registry],
      async collect() {
        const rows = (await db.query(
          `SELECT CASE WHEN rejection_reason IS NOT NULL THEN 'rejected' WHEN status = 'FINISHED' THEN 'finished'
                       WHEN status = 'CANCELED' THEN 'canceled' ELSE 'live' END AS outcome,
                  COALESCE(rejection_reason, failure_reason, '') AS reason, count(*)::int AS count
             FROM signing_round GROUP BY 1, 2`,
        )) as { outcome: string; reason: string; count: number }[];
        this.reset();
        for (const row of rows) this.set({ outcome: row.outcome, reason: row.reason }, row.count);
      },
    });
    const queues = (): Promise<{ queue: string; state: string; count: number; oldest_seconds: number }[]> =>
      db.query(
        `SELECT name AS queue, state::text AS state, count(*)::int AS count,
                COALESCE(EXTRACT(epoch FROM now() - min(created_on)), 0)::float8 AS oldest_seconds
           FROM ${JOB_SCHEMA}.job WHERE state IN ('created', 'retry', 'active') GROUP BY 1, 2`,
      );
    new Gauge({
      name: 'kezek_job_queue_depth',
      help: 'Background jobs waiting (created, retry) or running (active), by queue',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const row of await queues()) this.set({ queue: row.queue, state: row.state }, row.count);
      },
    });
    new Gauge({
      name: 'kezek_job_queue_oldest_age_seconds',
      help: 'Age of the oldest job waiting or running, by queue (0 when the queue is empty)',
      labelNames: ['queue'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const oldest = new Map<string, number>();
        for (const row of await queues()) oldest.set(row.queue, Math.max(oldest.get(row.queue) ?? 0, row.oldest_seconds));
        for (const [queue, seconds] of oldest) this.set({ queue }, seconds);
      },
    });
  }
}

/** A registry per app instance (tests start several in one process), with Node's process metrics. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  // The event loop delay is sampled every 100 ms, not every 10 ms (the default): each sample wakes an idle
  // process, and a stall long enough to matter is caught either way.
  collectDefaultMetrics({ register: registry, prefix: 'kezek_', eventLoopMonitoringPrecision: 100 });
  return registry;
}
