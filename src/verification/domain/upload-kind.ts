import { sniffContentType } from '../../cms/content-type.js';
import { decodeCmsInput } from '../../cms/input.js';
import type { FileKind } from './public-report.js';

/** DER of the signedData OID (1.2.840.113549.1.7.2) as it follows the ContentInfo's SEQUENCE header. */
const SIGNED_DATA_OID = Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]);

/**
 * What an uploaded file is, judged by its content: a CMS (DER, PEM or base64 text whose ContentInfo is
 * signedData), a PDF, XML, or unknown.
 */
export function sniffUpload(bytes: Uint8Array, maxBytes: number): FileKind {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 64));
  if (bytes[0] === 0x30) return head.includes(SIGNED_DATA_OID) ? 'cms' : 'unknown';
  const type = sniffContentType(bytes.subarray(0, 1024));
  if (type !== 'unknown') return type;
  try {
    const der = decodeCmsInput(bytes, maxBytes);
    return der.subarray(0, 64).includes(SIGNED_DATA_OID) ? 'cms' : 'unknown';
  } catch {
    return 'unknown';
  }
}
