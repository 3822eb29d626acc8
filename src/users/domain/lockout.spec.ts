import { afterFailure, isLocked, LOCKOUT } from './lockout.js';

describe('login lockout', () => {
  const now = new Date('2026-01-01T10:00:00Z');

  it('locks after the fifth wrong password in a row, for fifteen minutes', () => {
    let state = { failedLogins: 0, lockedUntil: null as Date | null };
    for (let i = 1; i < LOCKOUT.maxFailedLogins; i++) {
      state = afterFailure(state, now);
      expect(state).toEqual({ failedLogins: i, lockedUntil: null });
      expect(isLocked(state, now)).toBe(false);
    }
    state = afterFailure(state, now);
    expect(state.lockedUntil).toEqual(new Date('2026-01-01T10:15:00Z'));
    expect(isLocked(state, now)).toBe(true);
    expect(isLocked(state, new Date('2026-01-01T10:14:59Z'))).toBe(true);
    expect(isLocked(state, new Date('2026-01-01T10:15:00Z'))).toBe(false);
  });
});
