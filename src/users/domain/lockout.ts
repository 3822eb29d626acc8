/**
 * Account lockout after repeated wrong passwords: after MAX_FAILED_LOGINS failures in a row the account is
 * locked for LOCK_MINUTES; a correct password after the lock ends resets the count. Pure, so the rule is
 * tested by table.
 */
export const LOCKOUT = { maxFailedLogins: 5, lockMinutes: 15 } as const;

export interface LoginState {
  failedLogins: number;
  lockedUntil: Date | null;
}

export function isLocked(state: LoginState, now: Date): boolean {
  return state.lockedUntil !== null && state.lockedUntil.getTime() > now.getTime();
}

/** The state after a wrong password. */
export function afterFailure(state: LoginState, now: Date): LoginState {
  const failedLogins = state.failedLogins + 1;
  return failedLogins >= LOCKOUT.maxFailedLogins
    ? { failedLogins: 0, lockedUntil: new Date(now.getTime() + LOCKOUT.lockMinutes * 60_000) }
    : { failedLogins, lockedUntil: state.lockedUntil };
}
