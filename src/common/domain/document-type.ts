import { SaxesParser } from 'saxes';

export type DocumentType = 'pdf' | 'xml';

/** A PDF starts with the `%PDF-` header; like the provider, no junk before it is accepted. */
export function isPdf(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && Buffer.from(bytes.buffer, bytes.byteOffset, 5).toString('latin1') === '%PDF-';
}

/** A PDF whose end-of-file marker is there: not cut short in transit. */
export function isCompletePdf(bytes: Uint8Array): boolean {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return isPdf(buffer) && buffer.includes('%%EOF', Math.max(0, buffer.length - 2048));
}

/** Well-formed XML 1.0 (one root element, balanced), decoded as UTF-8 with or without a BOM. */
export function isWellFormedXml(bytes: Uint8Array): boolean {
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!text.trimStart().startsWith('<')) return false;
  const parser = new SaxesParser({ xmlns: false });
  let failed = false;
  let roots = 0;
  let depth = 0;
  parser.on('error', () => {
    failed = true;
  });
  parser.on('opentag', () => {
    if (depth === 0) roots += 1;
    depth += 1;
  });
  parser.on('closetag', () => {
    depth -= 1;
  });
  try {
    parser.write(text).close();
  } catch {
    return false;
  }
  return !failed && roots === 1 && depth === 0;
}

/** What a document is, judged by its content and never by its name; undefined for anything else. */
export function detectDocumentType(bytes: Uint8Array): DocumentType | undefined {
  if (isCompletePdf(bytes)) return 'pdf';
  if (isWellFormedXml(bytes)) return 'xml';
  return undefined;
}
