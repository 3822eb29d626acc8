/**
 * The work one verification may do, whatever the CMS says: signature operations (signer signatures and
 * certificate links) and bytes hashed (content digests and the data each signature covers). Parsing is
 * bounded by CmsLimits; this bounds the cryptography. A signature the budget cannot pay for is reported
 * INDETERMINATE, never valid.
 */
export interface VerificationBudget {
  maxSignatureChecks: number;
  maxHashedBytes: number;
}

/** For Kezek's own rounds and offline checks: far above any real envelope (64 signers, nested 32 deep). */
export const DEFAULT_BUDGET: VerificationBudget = { maxSignatureChecks: 4096, maxHashedBytes: 4 * 1024 * 1024 * 1024 };

export class BudgetMeter {
  signatureChecks = 0;
  hashedBytes = 0;
  /** Set once the budget ran out: the message every unpaid check reports. */
  exhausted: string | null = null;

  constructor(private readonly budget: VerificationBudget) {}

  /** Pays for one signature check over `bytes` bytes; false (and exhausted set) when over budget. */
  signature(bytes: number): boolean {
    if (this.signatureChecks + 1 > this.budget.maxSignatureChecks) {
      this.exhausted ??= `verification stopped after ${this.budget.maxSignatureChecks} signature checks (the limit of this verification)`;
      return false;
    }
    if (!this.hash(bytes)) return false;
    this.signatureChecks++;
    return true;
  }

  hash(bytes: number): boolean {
    if (this.hashedBytes + bytes > this.budget.maxHashedBytes) {
      this.exhausted ??= `verification stopped after hashing ${this.budget.maxHashedBytes} bytes (the limit of this verification)`;
      return false;
    }
    this.hashedBytes += bytes;
    return true;
  }
}
