import type { ContentKind } from './content-type.js';
import type { SignerIdentity } from './identity.js';

/**
 * The verification report shared by the API, the CLI and the public page, modelled on EU DSS (ETSI EN 319
 * 102-1): an indication per signature and overall (the worst of them), a sub-indication saying why.
 */
export type Indication = 'TOTAL_PASSED' | 'TOTAL_FAILED' | 'INDETERMINATE';

export type SubIndication =
  // TOTAL_FAILED
  | 'FORMAT_FAILURE'
  | 'HASH_FAILURE'
  | 'SIG_CRYPTO_FAILURE'
  // INDETERMINATE
  | 'NO_SIGNING_CERTIFICATE_FOUND'
  | 'NO_CERTIFICATE_CHAIN_FOUND'
  | 'OUT_OF_BOUNDS_NO_POE'
  | 'SIGNED_DATA_NOT_FOUND'
  | 'UNSUPPORTED_ALGORITHM'
  /** The signing certificate's keyUsage does not allow signing (digitalSignature or nonRepudiation). */
  | 'CHAIN_CONSTRAINTS_FAILURE'
  /** Verification stopped short: the work it may do (signature checks, bytes hashed) ran out. */
  | 'GENERIC';

/** One check's outcome; `not-checked` when a previous failure or a missing input made it impossible. */
export type CheckStatus = 'passed' | 'failed' | 'unsupported' | 'not-checked';

export interface SignatureChecks {
  /** messageDigest attribute against the content (or the content itself when there are no attributes). */
  messageDigest: CheckStatus;
  signature: CheckStatus;
  /** Signing certificate valid at the signing time. */
  validity: CheckStatus;
  keyUsage: CheckStatus;
  /** Path to a trust anchor; `not-checked` when no anchors were given (the signature is then INDETERMINATE). */
  chain: CheckStatus;
}

export interface CertificateSummary {
  /** Lowercase hex. */
  serialNumber: string;
  issuer: string;
  subject: string;
  /** ISO 8601. */
  notBefore: string;
  notAfter: string;
  /** SHA-256 of the certificate's DER, hex. */
  sha256: string;
}

export interface SignatureReport {
  /** 1 = the innermost SignedData (over the document), 2 = the CMS that signed that one, … */
  depth: number;
  /** Position of the signerInfo in its SignedData (co-signers side by side: 0, 1, …). */
  index: number;
  signer: SignerIdentity | null;
  certificate: CertificateSummary | null;
  /** The signingTime attribute (ISO 8601), as claimed by the signer. */
  signingTime: string | null;
  digestAlgorithm: string;
  signatureAlgorithm: string;
  indication: Indication;
  subIndication?: SubIndication;
  message: string;
  checks: SignatureChecks;
}

export interface ContentSummary {
  /** SHA-256 of the innermost content, hex; null when the content was neither attached nor supplied. */
  sha256: string | null;
  type: ContentKind;
  /** The innermost content came from outside the CMS (detached signature). */
  detached: boolean;
  size: number | null;
}

export interface VerificationReport {
  indication: Indication;
  subIndication?: SubIndication;
  /** Signing order: innermost (first signer) first; within one SignedData in signerInfo order. */
  signatures: SignatureReport[];
  content: ContentSummary;
  /** Number of nested SignedData layers (0 when the input could not be read). */
  depth: number;
  message: string;
  /** Whether trust anchors were given, so that chains were checked (without them nothing passes). */
  chainChecked: boolean;
}

const RANK: Record<Indication, number> = { TOTAL_PASSED: 0, INDETERMINATE: 1, TOTAL_FAILED: 2 };

export function worse(a: Indication, b: Indication): boolean {
  return RANK[a] > RANK[b];
}

/** Exit codes of `kezek verify` (and anything else that maps a report to a process status). */
export const EXIT_CODE: Record<Indication, number> = { TOTAL_PASSED: 0, TOTAL_FAILED: 1, INDETERMINATE: 2 };
