import { registerErrorCodes } from '../common/errors/error-codes.js';

/** Error codes of organisation users and console sessions, with their HTTP statuses. */
export const USER_ERRORS = registerErrorCodes({
  USER_NOT_FOUND: 404,
  /** Another account already uses this e-mail address. */
  USER_EMAIL_TAKEN: 409,
  /** Wrong e-mail or password (deliberately the same answer for both). */
  LOGIN_FAILED: 401,
  /** Too many wrong passwords in a row: the account waits a few minutes. */
  ACCOUNT_LOCKED: 429,
  /** No session, or it ended. */
  SESSION_REQUIRED: 401,
  /** The form's CSRF token is missing or does not match the session. */
  CSRF_FAILED: 403,
  INVITATION_NOT_FOUND: 404,
  /** An owner cannot remove or demote the organisation's last owner. */
  LAST_OWNER: 409,
});

type UserErrorCodes = typeof USER_ERRORS;

declare module '../common/errors/error-codes.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface FeatureErrorCodes extends UserErrorCodes {}
}
