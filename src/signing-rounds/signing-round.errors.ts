import { registerErrorCodes } from '../common/errors/error-codes.js';

/** Error codes of signer links, provider sessions and provider webhooks (spread into the error table). */
export const SIGNING_ROUND_ERRORS = registerErrorCodes({
  SIGNER_LINK_NOT_FOUND: 404,
  SIGNER_NOT_ACTIVE: 409,
  SESSION_STILL_OPEN: 409,
  PROVIDER_UNAVAILABLE: 503,
  PROVIDER_REJECTED: 502,
  PROVIDER_WEBHOOK_SIGNATURE_INVALID: 401,
  PROVIDER_WEBHOOK_STALE: 401,
});

type SigningRoundErrorCodes = typeof SIGNING_ROUND_ERRORS;

declare module '../common/errors/error-codes.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface FeatureErrorCodes extends SigningRoundErrorCodes {}
}
