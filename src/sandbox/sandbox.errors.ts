import { PROVIDER_ERRORS, type ProviderErrorKind } from '../cloud-eds/provider-errors.js';

/**
 * An answer of the sandbox's provider API: a status and the provider's error text, sent as `{"detail": text}`.
 * (The guide gives statuses and texts but not the body shape; `detail` is the sandbox's assumption, and the
 * client reads `detail`, `message` or `error` alike.)
 */
export class ProviderApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'ProviderApiError';
  }

  static of(kind: ProviderErrorKind): ProviderApiError {
    return new ProviderApiError(PROVIDER_ERRORS[kind].status, PROVIDER_ERRORS[kind].text);
  }
}

/** Thrown after the socket was destroyed on purpose (fault injection): nothing must be written. */
export class ConnectionDropped extends Error {
  constructor() {
    super('connection dropped on purpose');
    this.name = 'ConnectionDropped';
  }
}

/** Texts of answers the guide does not list (validation of the sandbox's own making). */
export const SANDBOX_TEXTS = {
  fileTooLarge: (limitBytes: number) => `File is too large: the maximum size is ${Math.floor(limitBytes / 1024)} KB`,
  wrongFileType: (type: 'pdf' | 'xml') => `Invalid file type: this session accepts .${type} files`,
  detachedCms: 'Invalid file: a detached CMS carries no document',
  tooManyDocuments: 'Too many documents in the session',
} as const;
