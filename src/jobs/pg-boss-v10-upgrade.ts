import type { PgBoss } from 'pg-boss';
import pg from 'pg';

/**
 * pg-boss 11 rewrote its schema and does not migrate one made by pg-boss 10 (schema version 24); pg-boss 12
 * refuses to start on it. An install that ran Kezek on pg-boss 10 still has its queued jobs (expiry timers,
 * round checks, archive downloads, webhook deliveries) there. So, once:
 * 1. before pg-boss starts, the old schema is renamed out of the way (`setAsideV10Schema`);
 * 2. after the queues exist, its pending jobs are queued again in the new schema with their data, start time,
 *    singleton key and retry settings, and the old schema is dropped (`importV10Jobs`).
 * Both steps run under one advisory lock, so instances starting together do it once. Attempts start afresh:
 * handlers are idempotent, and a job that was running when the old version stopped simply runs again.
 */
const UPGRADE_LOCK = 7_345_012;
const V10_SCHEMA_VERSION = 24;
const ASIDE_SUFFIX = '_v10';

async function withLock<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [UPGRADE_LOCK]);
    return await work(client);
  } finally {
    await client.end();
  }
}

async function schemaVersion(client: pg.Client, schema: string): Promise<number | null> {
  const table = await client.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [`${schema}.version`]);
  if (!table.rows[0].exists) return null;
  const { rows } = await client.query<{ version: number }>(`SELECT version FROM "${schema}".version`);
  return rows[0]?.version ?? null;
}

/** Renames a pg-boss 10 schema to `<schema>_v10`; true when there is one to import from. */
export async function setAsideV10Schema(databaseUrl: string, schema: string): Promise<boolean> {
  return withLock(databaseUrl, async (client) => {
    const version = await schemaVersion(client, schema);
    if (version !== null && version <= V10_SCHEMA_VERSION) {
      await client.query(`ALTER SCHEMA "${schema}" RENAME TO "${schema}${ASIDE_SUFFIX}"`);
    }
    return (await schemaVersion(client, `${schema}${ASIDE_SUFFIX}`)) !== null;
  });
}

interface V10Job {
  id: string;
  name: string;
  data: object | null;
  priority: number;
  retry_limit: number;
  retry_delay: number;
  retry_backoff: boolean;
  start_after: Date;
  singleton_key: string | null;
  expire_seconds: number;
}

/**
 * Queues the set-aside schema's pending jobs of `queues` again, then drops it. Returns how many moved, and how
 * many were left behind because no queue of that name exists any more.
 */
export async function importV10Jobs(databaseUrl: string, schema: string, boss: PgBoss, queues: string[]): Promise<{ moved: number; dropped: number }> {
  return withLock(databaseUrl, async (client) => {
    const aside = `${schema}${ASIDE_SUFFIX}`;
    if ((await schemaVersion(client, aside)) === null) return { moved: 0, dropped: 0 };
    const { rows } = await client.query<V10Job>(
      `SELECT id, name, data, priority, retry_limit, retry_delay, retry_backoff, start_after, singleton_key,
              EXTRACT(epoch FROM expire_in)::int AS expire_seconds
         FROM "${aside}".job WHERE state IN ('created', 'retry', 'active') ORDER BY created_on`,
    );
    await client.query('BEGIN');
    try {
      const db = { executeSql: async (text: string, values?: unknown[]) => client.query(text, values) };
      for (const queue of queues) {
        const jobs = rows.filter((job) => job.name === queue);
        if (!jobs.length) continue;
        await boss.insert(
          queue,
          jobs.map((job) => ({
            id: job.id,
            data: job.data ?? {},
            priority: job.priority,
            retryLimit: job.retry_limit,
            retryDelay: job.retry_delay,
            retryBackoff: job.retry_backoff,
            startAfter: job.start_after,
            singletonKey: job.singleton_key ?? undefined,
            expireInSeconds: job.expire_seconds,
          })),
          { db },
        );
      }
      await client.query(`DROP SCHEMA "${aside}" CASCADE`);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
    const moved = rows.filter((job) => queues.includes(job.name)).length;
    return { moved, dropped: rows.length - moved };
  });
}
