import type { SignatureReport, VerificationReport } from '../../cms/index.js';
import type { Verdict } from './signing-round.machine.js';

/**
 * Kezek's check of one document a signer returned, before anything moves on:
 * every signature verifies, the content leads back to the original, the earlier signers are all still there,
 * and exactly one signature is new and made with a certificate carrying the signer's IIN.
 */
export interface DocumentCheck {
  documentName: string;
  originalSha256: string;
  expectedIin: string;
  /** The report of what was uploaded (undefined for the first group, which uploads the original). */
  input?: VerificationReport;
  /** Instead of `input`: the fingerprints of the signatures in what was uploaded, kept at upload. */
  inputSignatures?: string[];
  output: VerificationReport;
}

/**
 * Identifies a signature across nesting levels (its depth changes when the next signer wraps it, its index
 * when a parallel group is merged): the signing certificate and the claimed signing time.
 */
export function signatureFingerprint(signature: SignatureReport): string {
  return [signature.certificate?.sha256 ?? '', signature.signingTime ?? '', signature.digestAlgorithm].join('|');
}


export function checkDocument(check: DocumentCheck): Verdict {
  const { output, documentName } = check;
  if (output.indication === 'TOTAL_FAILED' && output.subIndication === 'FORMAT_FAILURE') {
    return { accepted: false, reason: 'SIGNATURE_INVALID', message: `${documentName}: the returned signature is not a readable CMS (${output.message ?? 'format failure'})` };
  }
  // Fail closed: only TOTAL_PASSED is accepted (a chain that could not be checked is not a pass).
  const broken = output.signatures.find((s) => s.indication !== 'TOTAL_PASSED');
  if (broken || output.signatures.length === 0) {
    return {
      accepted: false,
      reason: 'SIGNATURE_INVALID',
      message: `${documentName}: ${broken ? `signature ${broken.index} at depth ${broken.depth} is ${broken.indication}${broken.subIndication ? `/${broken.subIndication}` : ''}` : 'no signature found'}`,
    };
  }
  if (output.content.sha256 !== check.originalSha256) {
    return { accepted: false, reason: 'CONTENT_MISMATCH', message: `${documentName}: the signed content is not the original document (SHA-256 ${output.content.sha256})` };
  }
  const before = new Set(check.inputSignatures ?? (check.input?.signatures ?? []).map(signatureFingerprint));
  const after = new Set(output.signatures.map(signatureFingerprint));
  if ([...before].some((fingerprint) => !after.has(fingerprint))) {
    return { accepted: false, reason: 'CONTENT_MISMATCH', message: `${documentName}: earlier signers' signatures are missing from the returned CMS` };
  }
  const added = output.signatures.filter((s) => !before.has(signatureFingerprint(s)));
  if (added.length !== 1) {
    return { accepted: false, reason: 'IDENTITY_MISMATCH', message: `${documentName}: expected exactly one new signature, found ${added.length}` };
  }
  const iin = added[0].signer?.iin;
  if (iin !== check.expectedIin) {
    return {
      accepted: false,
      reason: 'IDENTITY_MISMATCH',
      message: `${documentName}: signed with a certificate of ${iin ? `IIN ending ${iin.slice(-4)}` : 'no IIN'}, not the expected signer's`,
    };
  }
  return { accepted: true };
}

/** The verdict of a round: the first document that fails decides; all must pass. */
export function roundVerdict(checks: DocumentCheck[]): Verdict {
  for (const check of checks) {
    const verdict = checkDocument(check);
    if (!verdict.accepted) return verdict;
  }
  return { accepted: true };
}
