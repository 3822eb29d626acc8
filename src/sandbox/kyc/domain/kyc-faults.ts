import { EDOCUMENT_ERROR_KINDS, type EDocumentErrorKind } from '../../../kyc/kyc-errors.js';

/** E-Document endpoints a forced error can target. */
export const KYC_FAULT_ENDPOINTS = ['request', 'approve', 'generate-files'] as const;
export type KycFaultEndpoint = (typeof KYC_FAULT_ENDPOINTS)[number];

/**
 * Faults a sandbox identity client asked for: "answer the next N E-Document calls (of one endpoint) with this
 * row of 004's error table", so every row can be provoked per client, like the Cloud EDS faults.
 */
export interface KycFaults {
  failNext?: { error: EDocumentErrorKind; count: number; endpoint?: KycFaultEndpoint } | null;
}

/** What is wrong with a requested fault, or undefined when it is acceptable. */
export function kycFaultProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'expected {"error": "<kind>", "count": n, "endpoint"?: "request|approve|generate-files"}';
  const { error, count, endpoint } = value as Record<string, unknown>;
  if (!EDOCUMENT_ERROR_KINDS.includes(error as EDocumentErrorKind)) return `error: one of ${EDOCUMENT_ERROR_KINDS.join(', ')}`;
  if (count !== undefined && !(Number.isInteger(count) && (count as number) >= 0 && (count as number) <= 1000)) return 'count: a whole number 0..1000';
  if (endpoint !== undefined && !KYC_FAULT_ENDPOINTS.includes(endpoint as KycFaultEndpoint)) return `endpoint: one of ${KYC_FAULT_ENDPOINTS.join(', ')}`;
  return undefined;
}
