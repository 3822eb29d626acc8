import { registerErrorCodes } from '../common/errors/error-codes.js';

/** Error codes of reminders and messages (spread into the error table). */
export const NOTIFICATION_ERRORS = registerErrorCodes({
  SIGNER_NOT_FOUND: 404,
  REMINDER_NOT_POSSIBLE: 409,
  REMINDER_NO_CHANNEL: 422,
  REMINDER_TOO_SOON: 429,
});

type NotificationErrorCodes = typeof NOTIFICATION_ERRORS;

declare module '../common/errors/error-codes.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface FeatureErrorCodes extends NotificationErrorCodes {}
}
