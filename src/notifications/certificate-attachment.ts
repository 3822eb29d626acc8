import { unzipSync } from 'fflate';
import { AppError } from '../common/errors/app-error.js';

/** The certificate of completion out of an evidence pack (the pack is the one place it is rendered). */
export function certificateFromEvidencePack(zip: Uint8Array): Buffer {
  const files = unzipSync(zip, { filter: (file) => file.name === 'certificate-of-completion.pdf' });
  const pdf = files['certificate-of-completion.pdf'];
  if (!pdf) throw new AppError('EVIDENCE_NOT_AVAILABLE', 'The evidence pack has no certificate of completion');
  return Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
}
