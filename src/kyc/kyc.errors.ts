import { kycErrorKindOf, type KycTableErrorKind } from './kyc-errors.js';

/**
 * What went wrong with a call to the provider's identity APIs (Flow Remote, E-Document): a row of 004's error
 * table, an answer Kezek assumes (kyc-errors.ts), or what no table covers: timeouts, dropped connections,
 * refused input, unexpected answers.
 */
export type KycErrorKind =
  | KycTableErrorKind
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'NOT_FOUND'
  | 'SERVER_ERROR'
  | 'TIMEOUT'
  | 'NETWORK'
  | 'UNEXPECTED_RESPONSE'
  | 'HTTP_ERROR';

export class KycError extends Error {
  constructor(
    readonly kind: KycErrorKind,
    message: string,
    /** HTTP status, or undefined when no answer came. */
    readonly status: number | undefined,
    /** The provider's text as received (never a key, never personal data of the request). */
    readonly providerMessage: string | undefined,
    /** True when trying again later may succeed (5xx, 424, timeouts, dropped connections). */
    readonly retryable: boolean,
    readonly operation: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'KycError';
  }

  static fromResponse(operation: string, status: number, providerMessage: string | undefined): KycError {
    const kind: KycErrorKind = kycErrorKindOf(status, providerMessage) ?? genericKind(status);
    return new KycError(kind, `KYC ${operation} failed: ${status} ${providerMessage ?? `HTTP ${status}`}`, status, providerMessage, status >= 500 || status === 429 || status === 424, operation);
  }

  static timeout(operation: string, timeoutMs: number): KycError {
    return new KycError('TIMEOUT', `KYC ${operation} did not answer within ${timeoutMs} ms`, undefined, undefined, true, operation);
  }

  static network(operation: string, cause: unknown): KycError {
    const detail = cause instanceof Error ? ((cause.cause as Error | undefined)?.message ?? cause.message) : String(cause);
    return new KycError('NETWORK', `KYC ${operation}: connection failed (${detail})`, undefined, undefined, true, operation, { cause });
  }

  static unexpected(operation: string, what: string): KycError {
    return new KycError('UNEXPECTED_RESPONSE', `KYC ${operation}: unexpected answer (${what})`, 200, undefined, false, operation);
  }
}

function genericKind(status: number): KycErrorKind {
  if (status === 400 || status === 422) return 'BAD_REQUEST';
  if (status === 401 || status === 403) return 'UNAUTHORIZED';
  if (status === 404) return 'NOT_FOUND';
  if (status >= 500) return 'SERVER_ERROR';
  return 'HTTP_ERROR';
}

export function isKycError(error: unknown, kind?: KycErrorKind): error is KycError {
  return error instanceof KycError && (kind === undefined || error.kind === kind);
}
