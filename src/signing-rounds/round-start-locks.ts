import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/** A press's hold on the signer's start lock (see RoundStartLocks.press). */
export interface StartLock {
  /** The SELECT-list expression that takes the lock of the signer whose id is the SQL expression `signerId`. */
  sql(signerId: string): string;
  /** Takes the lock of `signerId` in a statement of its own. */
  take(signerId: string): Promise<void>;
}

const key = (signerId: string) => `'kezek:round-start:' || ${signerId}::text`;

/**
 * One start at a time per signer, without holding any row lock: a PostgreSQL advisory lock on a connection
 * of its own, held while the provider is called. A concurrent press waits (up to lock_timeout, then 503) and
 * then finds the session; the lock dies with a crashed process's connection, so whoever takes it next and
 * finds a round still STARTING knows its starter is gone.
 */
@Injectable()
export class RoundStartLocks {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Runs `work` on a connection of its own (`manager`, for all its queries), which takes the signer's start
   * lock either in a statement the press sends anyway (`lock.sql`, in the signer's read) or on its own
   * (`lock.take`). Whatever it took is released before the connection goes back to the pool, even when the
   * statement that took it failed.
   */
  async press<T>(work: (manager: EntityManager, lock: StartLock) => Promise<T>): Promise<T> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      return await work(runner.manager, {
        sql: (signerId) => `pg_advisory_lock(hashtextextended(${key(signerId)}, 0))`,
        take: async (signerId) => {
          await runner.query(`SELECT pg_advisory_lock(hashtextextended(${key('$1::uuid')}, 0))`, [signerId]);
        },
      });
    } finally {
      try {
        await runner.query(`SELECT pg_advisory_unlock_all()`);
      } catch {
        // A connection that may still hold a lock never goes back to the pool: closed, its session's locks
        // go with it (the pool drops a closed client when it is released).
        await (runner as unknown as { databaseConnection?: { end(): Promise<void> } }).databaseConnection?.end().catch(() => undefined);
      } finally {
        await runner.release();
      }
    }
  }
}
