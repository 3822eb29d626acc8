/** Queue names of the envelope and signing jobs. */
export const ENVELOPE_EXPIRE_QUEUE = 'envelope-expire';
export const ROUND_CHECK_QUEUE = 'round-check';

export interface EnvelopeExpireJob {
  organisationId: string;
  envelopeId: string;
}

/** Why a round is being checked: polling while live, its deadline, or a hint (webhook, return page). */
export interface RoundCheckJob {
  roundId: string;
  trigger: 'poll' | 'deadline' | 'webhook' | 'return' | 'retry';
  /** Consecutive provider failures so far, for backoff. */
  failures?: number;
}
