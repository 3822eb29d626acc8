/**
 * Upgrading from pg-boss 10 (the job queue before Node 24): pg-boss 12 cannot migrate its schema, so Kezek sets
 * it aside at start, queues its pending jobs again and drops it. The old schema here is made by the real
 * pg-boss 10 (installed for this test as `pg-boss-v10`), with jobs sent through its own API.
 */
import { Injectable, OnModuleInit } from '@nestjs/common';
import pg from 'pg';
import PgBossV10 from 'pg-boss-v10';
import { JobsService } from '../src/jobs/jobs.service.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createTestDatabase } from './support/database.js';

const QUEUE = 'test-upgrade';

@Injectable()
class Recorder implements OnModuleInit {
  readonly seen: string[] = [];
  constructor(private readonly jobs: JobsService) {}
  onModuleInit() {
    this.jobs.register<{ tag: string }>({ name: QUEUE, retryLimit: 2, retryDelaySeconds: 1 }, async ({ tag }) => {
      this.seen.push(tag);
    });
  }
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!check()) throw new Error(`gave up waiting for ${what}`);
}

describe('jobs: upgrade from a pg-boss 10 schema', () => {
  let t: TestApp | undefined;
  afterAll(() => t?.close());

  it('runs the jobs pg-boss 10 had queued, keeps a delayed one delayed, and drops the old schema', async () => {
    const database = await createTestDatabase();
    const old = new PgBossV10({ connectionString: database.url, schema: 'pgboss' });
    old.on('error', () => undefined);
    await old.start();
    await old.createQueue(QUEUE);
    await old.createQueue('a-queue-kezek-no-longer-has');
    await old.send(QUEUE, { tag: 'due' });
    const later = new Date(Date.now() + 3600_000);
    await old.send(QUEUE, { tag: 'later' }, { startAfter: later, singletonKey: 'later-key' });
    await old.send('a-queue-kezek-no-longer-has', { tag: 'orphan' });
    await old.stop({ graceful: false, wait: true });

    t = await startTestApp({}, { providers: [Recorder], database });
    const jobs = t.app.get(JobsService);
    jobs.wake(QUEUE);
    await until(() => t!.app.get(Recorder).seen.includes('due'), 'the job pg-boss 10 had queued');
    expect(t.app.get(Recorder).seen).toEqual(['due']);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const schemas = await client.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'pgboss%' ORDER BY 1`);
      expect(schemas.rows.map((r) => r.nspname)).toEqual(['pgboss']);
      const version = await client.query<{ version: number }>('SELECT version FROM pgboss.version');
      expect(version.rows[0].version).toBeGreaterThan(24);
      const waiting = await client.query<{ data: { tag: string }; start_after: Date; singleton_key: string }>(
        `SELECT data, start_after, singleton_key FROM pgboss.job WHERE name = $1 AND state = 'created'`,
        [QUEUE],
      );
      expect(waiting.rows).toHaveLength(1);
      expect(waiting.rows[0].data).toEqual({ tag: 'later' });
      expect(waiting.rows[0].singleton_key).toBe('later-key');
      expect(Math.abs(waiting.rows[0].start_after.getTime() - later.getTime())).toBeLessThan(1000);
    } finally {
      await client.end();
    }
  });

  it('starts as usual on a database pg-boss 12 already set up (nothing to import)', async () => {
    const database = await createTestDatabase();
    const first = await startTestApp({}, { providers: [Recorder], database });
    await first.stop();
    const second = await startTestApp({}, { providers: [Recorder], database });
    try {
      await second.app.get(JobsService).send(undefined, QUEUE, { tag: 'after-restart' });
      second.app.get(JobsService).wake(QUEUE);
      await until(() => second.app.get(Recorder).seen.includes('after-restart'), 'a job after a restart');
    } finally {
      await second.close();
    }
  });
});
