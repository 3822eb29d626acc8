/**
 * An endpoint's circuit breaker. `closed`: deliveries go out. `open`: the endpoint failed
 * `threshold` attempts in a row, so its deliveries are held (kept pending, not attempted) until the
 * cool-down has passed; then one probe delivery is let through (`half_open`). The probe's success closes
 * the breaker and releases what was held; its failure opens it again for another cool-down.
 */
export const BREAKER_STATES = ['closed', 'open', 'half_open'] as const;
export type BreakerState = (typeof BREAKER_STATES)[number];

export interface Breaker {
  state: BreakerState;
  /** When the breaker last opened, or when the current probe started. */
  openedAt: Date | null;
  consecutiveFailures: number;
}

export interface BreakerSettings {
  threshold: number;
  cooldownMs: number;
}

/** Whether ordinary deliveries may go out now (a paused endpoint's wait only for the probe). */
export function admitsDeliveries(breaker: Breaker): boolean {
  return breaker.state === 'closed';
}

/** When a probe may start: the end of the cool-down, or null while closed. */
export function probeDueAt(breaker: Breaker, { cooldownMs }: BreakerSettings): Date | null {
  if (breaker.state === 'closed') return null;
  return new Date((breaker.openedAt?.getTime() ?? 0) + cooldownMs);
}

/**
 * A probe starts. A `half_open` breaker whose probe started a whole cool-down ago lost that probe (its
 * worker stopped), so it may start another one.
 */
export function startProbe(breaker: Breaker, settings: BreakerSettings, now: Date): Breaker | null {
  const due = probeDueAt(breaker, settings);
  if (!due || due.getTime() > now.getTime()) return null;
  return { ...breaker, state: 'half_open', openedAt: now };
}

export interface BreakerChange {
  next: Breaker;
  /** The endpoint was just paused: a probe is due at `next.openedAt` + cool-down. */
  opened: boolean;
  /** The endpoint was paused and is resumed: what it held may go out. */
  closed: boolean;
}

/** The breaker after one attempt's outcome. Any success shows the endpoint answers, so it closes the breaker. */
export function afterAttempt(breaker: Breaker, ok: boolean, { threshold }: BreakerSettings, now: Date): BreakerChange {
  if (ok) {
    return { next: { state: 'closed', openedAt: null, consecutiveFailures: 0 }, opened: false, closed: breaker.state !== 'closed' };
  }
  const consecutiveFailures = breaker.consecutiveFailures + 1;
  const reopen = breaker.state === 'half_open' || (breaker.state === 'closed' && consecutiveFailures >= threshold);
  if (reopen) return { next: { state: 'open', openedAt: now, consecutiveFailures }, opened: true, closed: false };
  // Closed below the threshold, or an attempt that started before the breaker opened: the count only.
  return { next: { ...breaker, consecutiveFailures }, opened: false, closed: false };
}
