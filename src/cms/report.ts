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
  | 'GENERIC'
  /** A signature timestamp is present but could not be verified (malformed, wrong imprint, untrusted TSA). */
  | 'TIMESTAMP_FAILURE'
  /** The signing certificate was revoked after the claimed signing time, which nothing proves (no timestamp). */
  | 'REVOKED_NO_POE'
  /** Revocation status could not be learnt and the policy (REVOCATION=hard) requires it. */
  | 'TRY_LATER'
  // TOTAL_FAILED
  /** The signing certificate was revoked before the time the signature is judged at. */
  | 'REVOKED';

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

/**
 * The time the signing certificate's validity (and revocation) is judged at, and what proves it: a verified
 * RFC 3161 timestamp, the signingTime the signer claims, or, with neither, the time of verification.
 */
export interface ValidityTime {
  /** ISO 8601. */
  time: string;
  source: 'timestamp' | 'signingTime' | 'verificationTime';
}

/** A signature timestamp (id-aa-signatureTimeStampToken) found on the signature. */
export interface TimestampSummary {
  /** `passed`: the token verifies (signature, imprint of this signature, TSA chain and purpose); otherwise `failed`. */
  status: 'passed' | 'failed';
  /** ISO 8601; null when the token could not be read. */
  genTime: string | null;
  /** The token's serial number, lowercase hex. */
  serialNumber: string | null;
  /** The TSA: the token's tsa name, else its certificate's subject. */
  tsa: string | null;
  policy: string | null;
  message: string;
}

export interface RevocationSummary {
  status: 'good' | 'revoked' | 'unknown' | 'not-checked';
  /** Where the answer came from. */
  source: 'ocsp' | 'crl' | null;
  url: string | null;
  /** ISO 8601: when the answer was issued (OCSP thisUpdate / CRL thisUpdate). */
  thisUpdate: string | null;
  revokedAt: string | null;
  reason: string | null;
  message: string;
}

export const REVOCATION_NOT_CHECKED: RevocationSummary = {
  status: 'not-checked',
  source: null,
  url: null,
  thisUpdate: null,
  revokedAt: null,
  reason: null,
  message: 'revocation was not checked (REVOCATION=off)',
};

export interface SignatureReport {
  /** 1 = the innermost SignedData (over the document), 2 = the CMS that signed that one, … */
  depth: number;
  /** Position of the signerInfo in its SignedData (co-signers side by side: 0, 1, …). */
  index: number;
  signer: SignerIdentity | null;
  certificate: CertificateSummary | null;
  /** The signingTime attribute (ISO 8601), as claimed by the signer. */
  signingTime: string | null;
  /** The time validity was judged at and its proof (a timestamp's genTime beats the claimed signingTime). */
  validityTime: ValidityTime;
  /** The signature timestamp, when the signature carries one. */
  timestamp: TimestampSummary | null;
  revocation: RevocationSummary;
  /** What a relying party should know that does not change the indication (e.g. revocation unknown under REVOCATION=soft). */
  warnings: string[];
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
  /** Every signature's warnings, prefixed with the signature they belong to. */
  warnings: string[];
}

const RANK: Record<Indication, number> = { TOTAL_PASSED: 0, INDETERMINATE: 1, TOTAL_FAILED: 2 };

export function worse(a: Indication, b: Indication): boolean {
  return RANK[a] > RANK[b];
}

/** Exit codes of `kezek verify` (and anything else that maps a report to a process status). */
export const EXIT_CODE: Record<Indication, number> = { TOTAL_PASSED: 0, TOTAL_FAILED: 1, INDETERMINATE: 2 };
