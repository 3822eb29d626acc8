import { ENVELOPE_ERRORS } from '../../envelopes/envelope.errors.js';
import { USER_ERRORS } from '../../users/users.errors.js';

/**
 * Every error code Kezek answers with, and its HTTP status. The table is exhaustive: a code that is not
 * listed does not type-check. Features keep their own table and spread it in here.
 */
const COMMON_ERRORS = {
  VALIDATION_FAILED: 400,
  MALFORMED_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

const ORGANISATION_ERRORS = {
  ORGANISATION_NOT_FOUND: 404,
  API_KEY_NOT_FOUND: 404,
} as const;

const AUDIT_ERRORS = {
  AUDIT_TRAIL_NOT_FOUND: 404,
} as const;

const WEBHOOK_ERRORS = {
  WEBHOOK_ENDPOINT_NOT_FOUND: 404,
  WEBHOOK_DELIVERY_NOT_FOUND: 404,
  /** Not an https URL (http only in development), or it carries credentials or a fragment. */
  WEBHOOK_URL_INVALID: 400,
  /** The host does not resolve. */
  WEBHOOK_URL_UNRESOLVABLE: 422,
  /** The host resolves to a loopback, private, link-local, CGNAT, multicast or reserved address. */
  WEBHOOK_URL_FORBIDDEN: 422,
  WEBHOOK_ENDPOINT_LIMIT_REACHED: 409,
} as const;

/** The sandbox's own (Kezek-format) answers: automation endpoints and organisation management. */
const SANDBOX_ERRORS = {
  SANDBOX_ORGANISATION_NOT_FOUND: 404,
  SANDBOX_SESSION_NOT_FOUND: 404,
  SANDBOX_NO_DOCUMENTS: 409,
} as const;

/** Public verification (`POST /v1/verify`, `/verify` pages) and evidence packs. */
const VERIFICATION_ERRORS = {
  /** No `file` part in the multipart upload. */
  VERIFY_FILE_MISSING: 400,
  VERIFY_FILE_EMPTY: 400,
  /** Larger than MAX_DOCUMENT_BYTES plus 1 MiB (room for a CMS around the largest document). */
  VERIFY_FILE_TOO_LARGE: 413,
  /** Unknown, malformed or unfinished check_id: deliberately the same answer for all three. */
  VERIFICATION_SESSION_NOT_FOUND: 404,
  /** A DRAFT envelope has nothing to prove yet. */
  EVIDENCE_NOT_AVAILABLE: 409,
} as const;

export const ERROR_STATUS = {
  ...COMMON_ERRORS,
  ...ORGANISATION_ERRORS,
  ...ENVELOPE_ERRORS,
  ...AUDIT_ERRORS,
  ...WEBHOOK_ERRORS,
  ...SANDBOX_ERRORS,
  ...VERIFICATION_ERRORS,
  ...USER_ERRORS,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The code to answer with when something other than an AppError produced an HTTP status. */
export function codeForStatus(status: number): ErrorCode {
  const byStatus: Record<number, ErrorCode> = {
    400: 'MALFORMED_REQUEST',
    401: 'UNAUTHENTICATED',
    403: 'FORBIDDEN',
    404: 'ROUTE_NOT_FOUND',
    405: 'METHOD_NOT_ALLOWED',
    409: 'CONFLICT',
    413: 'PAYLOAD_TOO_LARGE',
    415: 'UNSUPPORTED_MEDIA_TYPE',
    422: 'UNPROCESSABLE',
    429: 'RATE_LIMITED',
    503: 'SERVICE_UNAVAILABLE',
  };
  return byStatus[status] ?? (status >= 500 ? 'INTERNAL' : 'MALFORMED_REQUEST');
}
