import { registerErrorCodes } from '../common/errors/error-codes.js';

/** Error codes of organisations, their API keys and provider credentials (spread into the error table). */
export const ORGANISATION_ERRORS = registerErrorCodes({
  ORGANISATION_NOT_FOUND: 404,
  API_KEY_NOT_FOUND: 404,
  PROVIDER_NOT_CONFIGURED: 409,
});

type OrganisationErrorCodes = typeof ORGANISATION_ERRORS;

declare module '../common/errors/error-codes.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface FeatureErrorCodes extends OrganisationErrorCodes {}
}
