import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * One start at a time per signer, without holding any row lock: a PostgreSQL advisory lock on a connection
 * of its own, held while the provider is called. A concurrent press waits (up to lock_timeout, then 503) and
 * then finds the session; the lock dies with a crashed process's connection, so whoever takes it next and
 * finds a round still STARTING knows its starter is gone.
 */
@Injectable()
export class RoundStartLocks {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Runs `work` holding the signer's start lock, with a manager on the lock's connection for all its queries. */
  async holding<T>(signerId: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    const key = `kezek:round-start:${signerId}`;
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
}
