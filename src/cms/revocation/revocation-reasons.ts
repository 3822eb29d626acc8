/** CRLReason (RFC 5280 §5.3.1) names, by code. */
const REASONS: Record<number, string> = {
  0: 'unspecified',
  1: 'keyCompromise',
  2: 'cACompromise',
  3: 'affiliationChanged',
  4: 'superseded',
  5: 'cessationOfOperation',
  6: 'certificateHold',
  8: 'removeFromCRL',
  9: 'privilegeWithdrawn',
  10: 'aACompromise',
};

export function revocationReason(code: number): string {
  return REASONS[code] ?? `reason ${code}`;
}
