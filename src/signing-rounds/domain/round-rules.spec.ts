import { DEADLINE_GRACE_MS, isFinal, isLive, isOpen, isPastDeadline, PROVIDER_SESSION_MS, providerFailureReason } from './round-rules.js';

describe('round rules', () => {
  const now = Date.UTC(2026, 0, 1, 12);

  it.each([
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
