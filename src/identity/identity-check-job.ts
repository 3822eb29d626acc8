/** Identity checks: ask the provider how a flow session ended (polling with backoff, its deadline, hints). */
export const IDENTITY_CHECK_QUEUE = 'identity-check';

export interface IdentityCheckJob {
  checkId: string;
  trigger: 'poll' | 'deadline' | 'webhook' | 'return' | 'reports' | 'media' | 'media-retention';
  /** Polls so far, for backoff. */
  polls?: number;
  /** trigger 'reports': the technologies whose signed PDF reports to fetch (codes the result API named). */
  technologies?: string[];
}
