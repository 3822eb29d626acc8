import { Injectable } from '@nestjs/common';

/**
 * The sandbox's notion of "now" (session lifetime, signing time). Injectable so tests can move it forward
 * instead of waiting 30 minutes; in normal use it is the system clock.
 */
@Injectable()
export class SandboxClock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Moves this process's sandbox clock forward (tests). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
