import { FAILURE_REASONS, REDIRECT_REASONS, type FailureReason, type RedirectReason, type SessionStatus } from '../../cloud-eds/cloud-eds.types.js';
/**
 * Session rules of the Cloud EDS guide: a session lives 30 minutes, is used once, and moves
 * STARTED → PROCESS (the sign page was opened) → FINISHED | CANCELED. A canceled session carries a
 * failure_reason (status API) and the sign page's redirect carries a reason code (redirect table).
 */
export const SESSION_LIFETIME_MS = 30 * 60 * 1000;

// The provider's vocabulary, as Kezek's client reads it: one definition for both sides of the API.
export { FAILURE_REASONS, REDIRECT_REASONS, SESSION_STATUSES, type FailureReason, type RedirectReason, type SessionStatus } from '../../cloud-eds/cloud-eds.types.js';

/**
 * The guide gives no mapping from redirect reasons to failure_reason; this is the sandbox's: the liveness
 * and face-to-face steps map to LIVENESS and FACE2FACE, the E-Document request to EDOCUMENT, the rest to OTHER.
 */
export const FAILURE_REASON_OF: Record<RedirectReason, FailureReason> = {
  refresh: 'OTHER',
  f2f: 'FACE2FACE',
  lv: 'LIVENESS',
  closed: 'LIVENESS',
  'lv-unavailable': 'OTHER',
  password: 'OTHER',
  otp: 'OTHER',
  request: 'EDOCUMENT',
  reissue: 'OTHER',
  certificate: 'OTHER',
  'password-otp': 'OTHER',
  'accept-certificate': 'OTHER',
  'sign-doc': 'OTHER',
  video: 'OTHER',
};

/** A representative redirect reason for a failure_reason given to the automation endpoint. */
export const REDIRECT_REASON_OF: Record<Exclude<FailureReason, 'EXPIRED'>, RedirectReason> = {
  LIVENESS: 'lv',
  FACE2FACE: 'f2f',
  EDOCUMENT: 'request',
  OTHER: 'sign-doc',
};

export function isRedirectReason(value: string): value is RedirectReason {
  return (REDIRECT_REASONS as readonly string[]).includes(value);
}

export function isFailureReason(value: string): value is FailureReason {
  return (FAILURE_REASONS as readonly string[]).includes(value);
}

export function isOpen(status: SessionStatus): boolean {
  return status === 'STARTED' || status === 'PROCESS';
}

export function isExpired(session: { status: SessionStatus; expiresAt: Date }, now: Date): boolean {
  return isOpen(session.status) && now.getTime() >= session.expiresAt.getTime();
}

/** What the person did (or what happened) on the sign page. */
export type SessionOutcome =
  | { kind: 'open' }
  | { kind: 'sign' }
  | { kind: 'cancel'; reason: RedirectReason }
  | { kind: 'expire' };

export interface SessionTransition {
  status: SessionStatus;
  failureReason: FailureReason | null;
  redirectReason: RedirectReason | null;
}

/**
 * The next state of a session for an outcome, or undefined when the outcome is not allowed from `status`
 * (a session is used once: nothing leaves FINISHED or CANCELED).
 */
export function transition(status: SessionStatus, outcome: SessionOutcome): SessionTransition | undefined {
  switch (outcome.kind) {
    case 'open':
      return status === 'STARTED' || status === 'PROCESS' ? { status: 'PROCESS', failureReason: null, redirectReason: null } : undefined;
    case 'sign':
      return isOpen(status) ? { status: 'FINISHED', failureReason: null, redirectReason: null } : undefined;
    case 'cancel':
      return isOpen(status) ? { status: 'CANCELED', failureReason: FAILURE_REASON_OF[outcome.reason], redirectReason: outcome.reason } : undefined;
    case 'expire':
      return isOpen(status) ? { status: 'CANCELED', failureReason: 'EXPIRED', redirectReason: 'refresh' } : undefined;
  }
}

/**
 * The URL the sign page sends the person back to: `redirect_url` with `status=true&reason=None` on success,
 * `status=False&reason=<code>` otherwise (the spellings of the guide). Existing query parameters are kept.
 */
export function redirectTarget(redirectUrl: string, outcome: { status: 'FINISHED' } | { status: 'CANCELED'; reason: RedirectReason }): string {
  const url = new URL(redirectUrl);
  url.searchParams.delete('status');
  url.searchParams.delete('reason');
  const query = outcome.status === 'FINISHED' ? 'status=true&reason=None' : `status=False&reason=${encodeURIComponent(outcome.reason)}`;
  url.search = url.search ? `${url.search}&${query}` : `?${query}`;
  return url.toString();
}

/** Only http(s) redirect targets are followed (never javascript:, data: and the like). */
export function isAcceptableRedirectUrl(value: string | undefined): value is string {
  if (!value) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
