import { FAILURE_REASON_OF, REDIRECT_REASONS, redirectTarget, SESSION_STATUSES, transition, isExpired, type SessionOutcome, type SessionStatus } from './session-rules.js';

describe('session rules', () => {
  const outcomes: SessionOutcome[] = [{ kind: 'open' }, { kind: 'sign' }, { kind: 'cancel', reason: 'otp' }, { kind: 'expire' }];
  const expected: Record<SessionStatus, (string | undefined)[]> = {
    STARTED: ['PROCESS', 'FINISHED', 'CANCELED/OTHER', 'CANCELED/EXPIRED'],
    PROCESS: ['PROCESS', 'FINISHED', 'CANCELED/OTHER', 'CANCELED/EXPIRED'],
    FINISHED: [undefined, undefined, undefined, undefined],
    CANCELED: [undefined, undefined, undefined, undefined],
  };
  it.each(SESSION_STATUSES.flatMap((status) => outcomes.map((outcome, i) => [status, outcome.kind, expected[status][i]] as const)))('%s + %s → %s', (status, kind, result) => {
    const next = transition(status, outcomes.find((o) => o.kind === kind)!);
    expect(next ? [next.status, next.failureReason].filter(Boolean).join('/') : undefined).toBe(result);
  });

  it('maps every redirect reason of the guide to a failure_reason', () => {
    expect(REDIRECT_REASONS).toHaveLength(14);
    for (const reason of REDIRECT_REASONS) expect(FAILURE_REASON_OF[reason]).toMatch(/^(LIVENESS|FACE2FACE|EDOCUMENT|OTHER)$/);
  });

  it('expires at 30 minutes, only open sessions', () => {
    const created = new Date('2026-01-01T10:00:00Z');
    const session = { status: 'STARTED' as SessionStatus, expiresAt: new Date(created.getTime() + 30 * 60_000) };
    expect(isExpired(session, new Date(created.getTime() + 29 * 60_000))).toBe(false);
    expect(isExpired(session, new Date(created.getTime() + 30 * 60_000))).toBe(true);
    expect(isExpired({ ...session, status: 'FINISHED' }, new Date(created.getTime() + 60 * 60_000))).toBe(false);
  });

  it('writes the redirect as the guide spells it, keeping existing parameters', () => {
    expect(redirectTarget('https://google.com?test=test', { status: 'FINISHED' })).toBe('https://google.com/?test=test&status=true&reason=None');
    expect(redirectTarget('https://x.kz/back', { status: 'CANCELED', reason: 'lv-unavailable' })).toBe('https://x.kz/back?status=False&reason=lv-unavailable');
    expect(redirectTarget('https://x.kz/back?status=old', { status: 'FINISHED' })).toBe('https://x.kz/back?status=true&reason=None');
  });
});
