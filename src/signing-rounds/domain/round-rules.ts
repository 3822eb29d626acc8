import type { VerificationReport } from '../../cms/index.js';
import { FAILURE_REASONS, type FailureReason } from '../../cloud-eds/cloud-eds.types.js';
import type { RoundStatus } from './signing-round.machine.js';

/** The provider's session lifetime (guide: "The session lifetime is 30 minutes"). */
export const PROVIDER_SESSION_MS = 30 * 60 * 1000;

/**
 * How long after a session's 30 minutes Kezek waits before calling it expired itself: the provider's own
 * answer (a signature made in minute 29, say) gets that long to arrive.
 */
export const DEADLINE_GRACE_MS = 60_000;

/**
 * The longest a start (session create and uploads) may take; past it the starter gives up before handing
 * the session out. Generous against the provider client's timeouts and retries.
 */
export const START_BUDGET_MS = 5 * 60 * 1000;

/**
 * Until when a reservation blocks a new session for its signer while no session of it is known: any session
 * its starter made was made within the start budget and is dead 30 minutes later.
 */
export function reservationDeadline(reservedAt: number): Date {
  return new Date(reservedAt + START_BUDGET_MS + PROVIDER_SESSION_MS);
}

/** A round whose provider session may still be signed in (handed out, and the provider has not ended it). */
export function isOpen(status: RoundStatus): boolean {
  return status === 'STARTED' || status === 'PROCESS';
}

/** A round that is over: the provider ended it, or it was a reservation released without a session. */
export function isFinal(status: RoundStatus): boolean {
  return status === 'FINISHED' || status === 'CANCELED' || status === 'RELEASED';
}

/** Open and within its 30 minutes: the signer can be sent to its sign page. */
export function isLive(round: { status: RoundStatus; expiresAt: Date }, now: number): boolean {
  return isOpen(round.status) && round.expiresAt.getTime() > now;
}

/** Most seconds between checks of a round the provider keeps failing to answer about. */
export const MAX_CHECK_BACKOFF_SECONDS = 300;

/** How long after its `failures`-th provider failure in a row a round is asked about again: 2, 4, 8 … 300 s. */
export function checkBackoffSeconds(failures: number): number {
  return Math.min(2 ** failures, MAX_CHECK_BACKOFF_SECONDS);
}

/** Past its 30 minutes and the grace: Kezek may call the session expired if the provider has not ended it. */
export function isPastDeadline(expiresAt: Date, now: number): boolean {
  return now > expiresAt.getTime() + DEADLINE_GRACE_MS;
}

/** The provider's failure reason, with anything outside the guide's table read as OTHER. */
export function providerFailureReason(value: string | null | undefined): FailureReason {
  return FAILURE_REASONS.includes(value as FailureReason) ? (value as FailureReason) : 'OTHER';
}

/** What is kept of one returned document besides its CMS: the newest signature's signer and certificate. */
export function roundDocumentFacts(report: VerificationReport) {
  const signature = report.signatures.at(-1);
  return {
    signerIin: signature?.signer?.iin ?? null,
    signerName: signature?.signer?.commonName ?? null,
    certificateSerial: signature?.certificate?.serialNumber ?? null,
    certificateIssuer: signature?.certificate?.issuer ?? null,
    signingTime: signature?.signingTime ? new Date(signature.signingTime) : null,
  };
}
