import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { holdingAdvisoryLock } from '../database/advisory-lock.js';

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
    return holdingAdvisoryLock(this.db, `kezek:round-start:${signerId}`, work);
  }
}
