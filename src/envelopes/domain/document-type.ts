import { XMLValidator } from 'fast-xml-parser';

export type DetectedType = 'pdf' | 'xml';

const PDF_MAGIC = Buffer.from('%PDF-');
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * What a file is, judged by its content and never by its name: a PDF starts with `%PDF-` (within the first
 * 1 KB, as readers allow), XML must be well-formed. Anything else is undefined.
 */
export function detectDocumentType(bytes: Uint8Array): DetectedType | undefined {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const head = buffer.subarray(0, 1024);
  if (head.indexOf(PDF_MAGIC) !== -1 && buffer.includes('%%EOF', Math.max(0, buffer.length - 2048))) return 'pdf';
  const text = (buffer.subarray(0, 3).equals(UTF8_BOM) ? buffer.subarray(3) : buffer).toString('utf8');
  if (text.trimStart().startsWith('<') && XMLValidator.validate(text) === true) return 'xml';
  return undefined;
}
