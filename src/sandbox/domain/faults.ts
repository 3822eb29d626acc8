import type { ProviderErrorKind } from '../../cloud-eds/provider-errors.js';

/** Sandbox API endpoints a forced error can target. */
export const SANDBOX_ENDPOINTS = ['create', 'upload', 'result', 'status', 'download'] as const;
export type SandboxEndpoint = (typeof SANDBOX_ENDPOINTS)[number];

/**
 * Faults a sandbox organisation asked for, for reliability tests: a share of calls answered 503
 * "Digital service signature is not available", added latency, a share of dropped connections, and
 * "answer the next N calls (of one endpoint) with this row of the error table".
 */
export interface SandboxFaults {
  unavailableRate?: number;
  latencyMs?: number;
  dropRate?: number;
  failNext?: { error: ProviderErrorKind; count: number; endpoint?: SandboxEndpoint } | null;
}

export type FaultDecision = { kind: 'none' } | { kind: 'drop' } | { kind: 'unavailable' };

/** Decides the random faults of one call; `random` is injectable so the rule can be tested. */
export function decideFault(faults: Required<Pick<SandboxFaults, 'unavailableRate' | 'dropRate'>>, random: () => number = Math.random): FaultDecision {
  if (faults.dropRate > 0 && random() < faults.dropRate) return { kind: 'drop' };
  if (faults.unavailableRate > 0 && random() < faults.unavailableRate) return { kind: 'unavailable' };
  return { kind: 'none' };
}
