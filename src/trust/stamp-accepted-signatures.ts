import { CmsFormatError, outermostSignatureValues, type VerificationReport } from '../cms/index.js';
import type { TimestampsService } from './timestamps.service.js';

/**
 * With TSA_URL, each accepted round's new signature is timestamped before the round is recorded (outside
 * its transaction): the token proves the signature existed then, so it can be judged at that time later,
 * after the certificate expires. The new signature is the outermost signerInfo of the expected signer.
 */
export async function stampAcceptedSignatures(
  documents: { cms: Buffer; report: VerificationReport; timestampToken?: Buffer | null }[],
  signerIin: string,
  timestamps: TimestampsService,
): Promise<void> {
  if (!timestamps.enabled) return;
  for (const document of documents) {
    const signature = document.report.signatures.filter((s) => s.depth === document.report.depth && s.signer?.iin === signerIin).at(-1);
    if (!signature) continue;
    let values: Uint8Array[];
    try {
      values = outermostSignatureValues(document.cms);
    } catch (error) {
      if (error instanceof CmsFormatError) continue;
      throw error;
    }
    const value = values[signature.index];
    if (value) document.timestampToken = await timestamps.stamp(value, 'accepted signature');
  }
}
