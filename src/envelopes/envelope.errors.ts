import { registerErrorCodes } from '../common/errors/error-codes.js';

/** Error codes of envelopes, with their HTTP statuses (spread into the error table). */
export const ENVELOPE_ERRORS = registerErrorCodes({
  ENVELOPE_NOT_FOUND: 404,
  DOCUMENT_NOT_FOUND: 404,
  INVALID_BASE64: 400,
  DOCUMENT_TOO_LARGE: 413,
  DOCUMENT_TYPE_UNSUPPORTED: 415,
  DOCUMENT_TYPES_MIXED: 422,
  DUPLICATE_SIGNER: 422,
  INVALID_EXPIRY: 422,
  ENVELOPE_NOT_EDITABLE: 409,
  ENVELOPE_NOT_SENDABLE: 409,
  ENVELOPE_FINISHED: 409,
  NOT_SIGNED_YET: 409,
  IDENTITY_REFERENCE_MISSING: 422,
  IDENTITY_INVALID: 422,
  IDENTITY_PHOTO_INVALID: 415,
  IDENTITY_PHOTO_TOO_LARGE: 413,
});

type EnvelopeErrorCodes = typeof ENVELOPE_ERRORS;

declare module '../common/errors/error-codes.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface FeatureErrorCodes extends EnvelopeErrorCodes {}
}
