/**
 * Queued round checks: the retry of a check that failed other than by the provider being down (the round
 * sweep polls, and backs off from provider outages itself). Jobs an earlier version queued (polls, deadlines)
 * run the same way.
 */
export const ROUND_CHECK_QUEUE = 'round-check';

/** Why a round is being checked: the sweep (polling while live, or its deadline), a hint (webhook, return page), a retry. */
export interface RoundCheckJob {
  roundId: string;
  trigger: 'poll' | 'deadline' | 'webhook' | 'return' | 'retry';
}
