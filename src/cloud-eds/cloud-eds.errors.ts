import { PROVIDER_ERRORS, providerErrorKindOf, type ProviderErrorKind } from './provider-errors.js';

export { PROVIDER_ERRORS, type ProviderErrorKind } from './provider-errors.js';

/**
 * What went wrong with a Cloud EDS call. One kind per row of the guide's error table, plus what the table
 * does not cover: timeouts, dropped connections, refused input, unexpected answers.
 */
export type CloudEdsErrorKind =
  | ProviderErrorKind
  /** 400/422: the provider refused the request (missing field, wrong file type …). */
  | 'BAD_REQUEST'
  /** 413: the file is larger than allowed (30 KB on the dev host). */
  | 'FILE_TOO_LARGE'
  /** 401/403 other than "Verification not passed". */
  | 'UNAUTHORIZED'
  /** Another 404/409 whose text is not in the table. */
  | 'NOT_FOUND'
  | 'CONFLICT'
  /** Another 5xx (502, 504, a 503 with another text …). */
  | 'SERVER_ERROR'
  | 'TIMEOUT'
  /** The connection failed or was dropped before an answer. */
  | 'NETWORK'
  /** A 2xx whose body is not what the guide describes. */
  | 'UNEXPECTED_RESPONSE'
  | 'HTTP_ERROR';

export class CloudEdsError extends Error {
  constructor(
    readonly kind: CloudEdsErrorKind,
    message: string,
    /** HTTP status, or undefined when no answer came (TIMEOUT, NETWORK). */
    readonly status: number | undefined,
    /** The provider's error text as received (never the API key, never document bytes). */
    readonly providerMessage: string | undefined,
    /** True when trying again later may succeed: 503 and other 5xx, timeouts, dropped connections. */
    readonly retryable: boolean,
    /** Which call failed, e.g. "GET /api/v1/session/status/". */
    readonly operation: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CloudEdsError';
  }

  /** The error of an HTTP answer: the row of the table it matches by status and text, else a generic kind. */
  static fromResponse(operation: string, status: number, providerMessage: string | undefined): CloudEdsError {
    const row = providerErrorKindOf(status, providerMessage);
    const kind: CloudEdsErrorKind = row ?? genericKind(status);
    const text = providerMessage ?? `HTTP ${status}`;
    return new CloudEdsError(kind, `Cloud EDS ${operation} failed: ${status} ${text}`, status, providerMessage, status >= 500 || status === 429, operation);
  }

  static timeout(operation: string, timeoutMs: number): CloudEdsError {
    return new CloudEdsError('TIMEOUT', `Cloud EDS ${operation} did not answer within ${timeoutMs} ms`, undefined, undefined, true, operation);
  }

  static network(operation: string, cause: unknown): CloudEdsError {
    const detail = cause instanceof Error ? ((cause.cause as Error | undefined)?.message ?? cause.message) : String(cause);
    return new CloudEdsError('NETWORK', `Cloud EDS ${operation}: connection failed (${detail})`, undefined, undefined, true, operation, { cause });
  }

  static unexpected(operation: string, status: number, what: string): CloudEdsError {
    return new CloudEdsError('UNEXPECTED_RESPONSE', `Cloud EDS ${operation}: unexpected answer (${what})`, status, undefined, false, operation);
  }

  /** True for the answer the guide calls "DS service not available". */
  get isServiceUnavailable(): boolean {
    return this.kind === 'SERVICE_UNAVAILABLE';
  }
}

function genericKind(status: number): CloudEdsErrorKind {
  if (status === 400 || status === 422) return 'BAD_REQUEST';
  if (status === 413) return 'FILE_TOO_LARGE';
  if (status === 401 || status === 403) return 'UNAUTHORIZED';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status >= 500) return 'SERVER_ERROR';
  return 'HTTP_ERROR';
}

export function isCloudEdsError(error: unknown, kind?: CloudEdsErrorKind): error is CloudEdsError {
  return error instanceof CloudEdsError && (kind === undefined || error.kind === kind);
}

/** The guide's exact texts, for callers that show them. */
export const CLOUD_EDS_ERROR_TEXTS: Record<ProviderErrorKind, string> = Object.fromEntries(
  Object.entries(PROVIDER_ERRORS).map(([kind, row]) => [kind, row.text]),
) as Record<ProviderErrorKind, string>;
