/** Identity checks: ask the provider how a flow session ended (polling with backoff, its deadline, hints). */
export const IDENTITY_CHECK_QUEUE = 'identity-check';

export interface IdentityCheckJob {
  checkId: string;
  trigger: 'poll' | 'deadline' | 'webhook' | 'return';
  /** Polls so far, for backoff. */
  polls?: number;
}
