/** Round checks: ask the provider how a session stands (polling, deadline, webhook or return-page hints). */
export const ROUND_CHECK_QUEUE = 'round-check';

/** Why a round is being checked: polling while live, its deadline, or a hint (webhook, return page). */
export interface RoundCheckJob {
  roundId: string;
  trigger: 'poll' | 'deadline' | 'webhook' | 'return' | 'retry';
  /** Consecutive provider failures so far, for backoff. */
  failures?: number;
}
