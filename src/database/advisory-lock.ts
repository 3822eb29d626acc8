import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs `work` holding a PostgreSQL advisory lock named `key`, on a connection of its own, with a manager on
 * that connection for all its queries. No row lock is held, so provider calls may run inside; a concurrent
 * caller waits (up to lock_timeout); the lock dies with a crashed process's connection.
 */
export async function holdingAdvisoryLock<T>(db: DataSource, key: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(`SELECT pg_advisory_lock(hashtextextended($1, 0))`, [key]);
    try {
      return await work(runner.manager);
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [key]);
    }
  } finally {
    await runner.release();
  }
}
