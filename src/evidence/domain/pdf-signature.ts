/**
 * The last signature of a PDF (PAdES / adbe.pkcs7.detached): the CMS in /Contents and the bytes /ByteRange
 * says it covers. Hand-written because it is a few lines over the file's bytes: loading an untrusted PDF with
 * pdf-lib decodes every object stream without bounds (see the stack notes), and no small library only reads this.
 */
export interface PdfSignature {
  cms: Uint8Array;
  signedContent: Uint8Array;
  /** The byte ranges reach the end of the file: nothing was appended after signing. */
  coversWholeFile: boolean;
}

/** The DER length of a SEQUENCE at the start of `bytes` (the CMS), so the zero padding of /Contents is dropped. */
function derLength(bytes: Uint8Array): number | null {
  if (bytes.length < 2 || bytes[0] !== 0x30) return null;
  const first = bytes[1];
  if (first < 0x80) return 2 + first;
  const count = first & 0x7f;
  if (count === 0 || count > 4 || bytes.length < 2 + count) return null;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + bytes[2 + i];
  return 2 + count + length;
}

export function extractPdfSignature(pdf: Uint8Array): PdfSignature | null {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const matches = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  const last = matches.at(-1);
  if (!last) return null;
  const [a, b, c, d] = last.slice(1, 5).map(Number);
  if (a !== 0 || b <= 0 || c <= b || d < 0 || c + d > pdf.length) return null;
  const gap = text.slice(b, c).trim();
  if (!/^<[0-9a-fA-F\s]*>$/.test(gap)) return null;
  const der = Buffer.from(gap.slice(1, -1).replace(/\s+/g, ''), 'hex');
  const length = derLength(der);
  if (length === null || length > der.length) return null;
  const signedContent = new Uint8Array(b + d);
  signedContent.set(pdf.subarray(0, b), 0);
  signedContent.set(pdf.subarray(c, c + d), b);
  return { cms: new Uint8Array(der.subarray(0, length)), signedContent, coversWholeFile: c + d === pdf.length };
}
