/** Retry schedule of the sandbox's webhook deliveries. */
/** Delay before attempt `attempt + 1` (attempt counts from 1): base, 2×base, 4×base … capped at one hour. */
export function webhookRetryDelayMs(attempt: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 3600_000);
}
