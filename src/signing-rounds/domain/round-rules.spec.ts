import { checkBackoffSeconds, DEADLINE_GRACE_MS, isFinal, isLive, isOpen, isPastDeadline, PROVIDER_SESSION_MS, providerFailureReason, reservationDeadline, START_BUDGET_MS } from './round-rules.js';

describe('round rules', () => {
  const now = Date.UTC(2026, 0, 1, 12);

  it('backs off from a provider that keeps failing: 2, 4, 8 … seconds, never more than 5 minutes', () => {
    expect([1, 2, 3, 8, 9, 30].map(checkBackoffSeconds)).toEqual([2, 4, 8, 256, 300, 300]);
  });

  it.each([
    ['STARTING', false, false],
    ['RELEASED', false, true],
    ['STARTED', true, false],
    ['PROCESS', true, false],
    ['FINISHED', false, true],
    ['CANCELED', false, true],
  ] as const)('%s: open %s, final %s', (status, open, final) => {
    expect(isOpen(status)).toBe(open);
    expect(isFinal(status)).toBe(final);
  });

  it('a round is live while open and within its 30 minutes', () => {
    expect(isLive({ status: 'STARTED', expiresAt: new Date(now + 1) }, now)).toBe(true);
    expect(isLive({ status: 'PROCESS', expiresAt: new Date(now) }, now)).toBe(false);
    expect(isLive({ status: 'FINISHED', expiresAt: new Date(now + PROVIDER_SESSION_MS) }, now)).toBe(false);
  });

  it('a reservation without a known session blocks for the start budget plus 30 minutes', () => {
    expect(reservationDeadline(now).getTime()).toBe(now + START_BUDGET_MS + PROVIDER_SESSION_MS);
  });

  it('the deadline passes only after the grace', () => {
    expect(isPastDeadline(new Date(now - DEADLINE_GRACE_MS), now)).toBe(false);
    expect(isPastDeadline(new Date(now - DEADLINE_GRACE_MS - 1), now)).toBe(true);
  });

  it("reads the provider's failure reasons, anything else as OTHER", () => {
    expect(providerFailureReason('LIVENESS')).toBe('LIVENESS');
    expect(providerFailureReason('something new')).toBe('OTHER');
    expect(providerFailureReason(null)).toBe('OTHER');
  });
});
