/**
 * Every error code Kezek answers with, and its HTTP status. A code that is not listed does not type-check.
 * Foundations are listed here; a feature keeps its own table in its `*.errors.ts`, spreads it in with
 * `registerErrorCodes` and adds its codes to `FeatureErrorCodes` (declaration merging), so this file never
 * imports a feature.
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
  /** The same Idempotency-Key was sent with a different request. */
  IDEMPOTENCY_KEY_REUSED: 422,
  IDEMPOTENCY_IN_PROGRESS: 409,
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

const CORE_ERRORS = {
  ...COMMON_ERRORS,
  ...AUDIT_ERRORS,
  ...WEBHOOK_ERRORS,
  ...SANDBOX_ERRORS,
  ...VERIFICATION_ERRORS,
} as const satisfies Record<string, number>;

/** Codes of feature tables, added by each feature's errors file (`declare module` + `registerErrorCodes`). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface FeatureErrorCodes {}

export type ErrorCode = keyof typeof CORE_ERRORS | keyof FeatureErrorCodes;

const statuses = new Map<string, number>(Object.entries(CORE_ERRORS));

/** Spreads a feature's code table in; a code listed twice with two statuses is a programming error. */
export function registerErrorCodes<const T extends Record<string, number>>(table: T): T {
  for (const [code, status] of Object.entries(table)) {
    const known = statuses.get(code);
    if (known !== undefined && known !== status) throw new Error(`Error code ${code} registered with ${known} and ${status}`);
    statuses.set(code, status);
  }
  return table;
}

/** The HTTP status of a code; a code whose feature table was never loaded answers 500 (a wiring bug). */
export function statusOfErrorCode(code: ErrorCode): number {
  return statuses.get(code) ?? 500;
}

/** Every registered code and its status (for the exhaustiveness test). */
export function registeredErrorCodes(): ReadonlyMap<string, number> {
  return statuses;
}

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
