import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { CheckRoundService } from './check-round.service.js';
import { DEADLINE_GRACE_MS, MAX_CHECK_BACKOFF_SECONDS } from './domain/round-rules.js';

/** Most rounds one sweep claims; the rest are the oldest-checked of the next sweep. */
const SWEEP_BATCH = 200;
/** Checks of one sweep run at once (each is a few provider calls and one short transaction). */
const SWEEP_CONCURRENCY = 4;

/**
 * The backstop that asks the provider about live rounds nobody else asked about: every ROUND_POLL_SECONDS,
 * the rounds with a session, still open, not checked for that long (or past their deadline) are checked.
 *
 * It replaces a poll job and a deadline job per round: a round the provider's webhook or the return page
 * concludes within the interval (nearly all of them) costs the sweep nothing, where two queued jobs cost
 * their insert, fetch and completion each. The state it works from is the round rows themselves, so a
 * crash loses nothing: the next sweep of any instance finds the same rounds. Instances do not check the
 * same round twice: a sweep claims its rounds by stamping last_checked_at, skipping rows another holds.
 * A round whose checks the provider failed to answer is asked again after 2, 4, 8 … 300 s (never sooner
 * than ROUND_POLL_SECONDS), where the round's own provider failures are recorded.
 */
@Injectable()
export class RoundSweepService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Signing');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly checks: CheckRoundService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.JOBS_WORKERS_ENABLED) return;
    this.timer = setInterval(() => {
      // One sweep at a time per instance; a slow one delays the next rather than piling up.
      this.running ??= this.sweep()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.warn({ err: error }, 'round sweep failed; the next one retries'))
        .finally(() => (this.running = undefined));
    }, this.config.ROUND_POLL_SECONDS * 1000);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Claims the rounds due for a check and checks them; answers how many were checked. */
  async sweep(): Promise<number> {
    const claimed = (await this.db.query(
      `UPDATE signing_round SET last_checked_at = now()
        WHERE id IN (
          SELECT id FROM signing_round
           WHERE status IN ('STARTED', 'PROCESS') AND session_id IS NOT NULL
             AND (COALESCE(last_checked_at, created_at) <= now() - make_interval(secs => GREATEST($1, LEAST(power(2, check_failures), $4)))
                  OR (check_failures = 0 AND expires_at <= now() - make_interval(secs => $2)))
           ORDER BY COALESCE(last_checked_at, created_at)
           LIMIT $3
           FOR UPDATE SKIP LOCKED)
        RETURNING id, expires_at`,
      [this.config.ROUND_POLL_SECONDS, DEADLINE_GRACE_MS / 1000, SWEEP_BATCH, MAX_CHECK_BACKOFF_SECONDS],
    )) as [{ id: string; expires_at: Date }[], number];
    const due = claimed[0];
    for (let next = 0; next < due.length; ) {
      const batch = due.slice(next, (next += SWEEP_CONCURRENCY));
      await Promise.all(
        batch.map(({ id, expires_at: expiresAt }) =>
          this.checks
            .checkRound({ roundId: id, trigger: expiresAt.getTime() + DEADLINE_GRACE_MS <= Date.now() ? 'deadline' : 'poll' })
            .catch((error: unknown) => this.logger.warn({ roundId: id, err: error }, 'round check from the sweep failed; the next sweep retries')),
        ),
      );
    }
    return due.length;
  }
}
