import { admitsDeliveries, afterAttempt, type Breaker, probeDueAt, startProbe } from './circuit-breaker.js';

const settings = { threshold: 3, cooldownMs: 60_000 };
const t0 = new Date('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const closed = (consecutiveFailures = 0): Breaker => ({ state: 'closed', openedAt: null, consecutiveFailures });
const open = (openedAt = t0, consecutiveFailures = 3): Breaker => ({ state: 'open', openedAt, consecutiveFailures });
const halfOpen = (openedAt = t0): Breaker => ({ state: 'half_open', openedAt, consecutiveFailures: 3 });

describe('webhook endpoint circuit breaker', () => {
  it.each([
    ['closed, success', closed(2), true, { state: 'closed', openedAt: null, consecutiveFailures: 0 }, false, false],
    ['closed, failure below the threshold', closed(1), false, { state: 'closed', openedAt: null, consecutiveFailures: 2 }, false, false],
    ['closed, failure reaching the threshold', closed(2), false, { state: 'open', openedAt: at(5), consecutiveFailures: 3 }, true, false],
    ['open, a late success', open(), true, { state: 'closed', openedAt: null, consecutiveFailures: 0 }, false, true],
    ['open, a late failure', open(), false, { state: 'open', openedAt: t0, consecutiveFailures: 4 }, false, false],
    ['half open, probe succeeds', halfOpen(), true, { state: 'closed', openedAt: null, consecutiveFailures: 0 }, false, true],
    ['half open, probe fails', halfOpen(), false, { state: 'open', openedAt: at(5), consecutiveFailures: 4 }, true, false],
  ] as const)('%s', (_name, before, ok, next, opened, closedNow) => {
    expect(afterAttempt(before, ok, settings, at(5))).toEqual({ next, opened, closed: closedNow });
  });

  it('holds deliveries unless closed', () => {
    expect(admitsDeliveries(closed(2))).toBe(true);
    expect(admitsDeliveries(open())).toBe(false);
    expect(admitsDeliveries(halfOpen())).toBe(false);
  });

  it('lets one probe through after the cool-down, and another only after a further cool-down', () => {
    expect(probeDueAt(closed(), settings)).toBeNull();
    expect(probeDueAt(open(), settings)).toEqual(at(60_000));
    expect(startProbe(closed(), settings, at(120_000))).toBeNull();
    expect(startProbe(open(), settings, at(59_999))).toBeNull();
    const probing = startProbe(open(), settings, at(60_000));
    expect(probing).toEqual({ state: 'half_open', openedAt: at(60_000), consecutiveFailures: 3 });
    expect(startProbe(probing!, settings, at(60_001))).toBeNull();
    expect(startProbe(probing!, settings, at(120_000))).toEqual({ state: 'half_open', openedAt: at(120_000), consecutiveFailures: 3 });
  });
});
