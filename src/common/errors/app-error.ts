import { type ErrorCode, statusOfErrorCode } from './error-codes.js';

/**
 * The one error type that reaches HTTP clients with its code and message.
 * Features throw it (or a subclass) with a code from the table in error-codes.ts;
 * the global filter turns it into `{error: {code, message, details?}, requestId}`.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return statusOfErrorCode(this.code);
  }
}
