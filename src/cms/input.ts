import { CmsFormatError } from './cms.errors.js';
import { asBuffer } from './der/der-reader.js';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 #]+)-----([\s\S]*?)-----END \1-----/;
const CMS_PEM_LABELS = new Set(['CMS', 'PKCS7', 'PKCS #7 SIGNED DATA']);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

/**
 * The DER/BER bytes of a CMS given as DER, PEM, or base64 (as a string or as bytes holding the text).
 * Refuses, before decoding anything, input larger than `maxBytes` (base64 counted at its decoded size).
 */
export function decodeCmsInput(input: Uint8Array | string, maxBytes: number): Buffer {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) throw new CmsFormatError('input must be bytes or a string');
  if (input.length === 0) throw new CmsFormatError('empty input');
  if (typeof input !== 'string') {
    if (input.length > maxBytes) throw new CmsFormatError(`input is larger than ${maxBytes} bytes`);
    if (input[0] === 0x30) return asBuffer(input);
    // Text in bytes: PEM or base64. Binary that is neither is refused below.
    if (input.length > maxTextLength(maxBytes)) throw new CmsFormatError(`input is larger than ${maxBytes} bytes`);
    return decodeText(asBuffer(input).toString('latin1'), maxBytes);
  }
  if (input.length > maxTextLength(maxBytes)) throw new CmsFormatError(`input is larger than ${maxBytes} bytes`);
  return decodeText(input, maxBytes);
}

/** Base64 is 4/3 of the bytes, plus line breaks (PEM: one per 64 characters) and headers. */
function maxTextLength(maxBytes: number): number {
  return Math.ceil(maxBytes * 1.4) + 4096;
}

function decodeText(text: string, maxBytes: number): Buffer {
  let body = text;
  const pem = PEM_BLOCK.exec(text);
  if (pem) {
    if (!CMS_PEM_LABELS.has(pem[1])) throw new CmsFormatError(`PEM block "${pem[1]}" is not a CMS`);
    // Headers such as "Content-Type:" are not base64; keep the base64 lines only.
    body = pem[2]
      .split(/\r?\n/)
      .filter((line) => !line.includes(':'))
      .join('');
  }
  body = body.replace(/\s+/g, '');
  let bytes: Buffer;
  if (BASE64.test(body)) bytes = Buffer.from(body, 'base64');
  else if (BASE64URL.test(body)) bytes = Buffer.from(body, 'base64url');
  else throw new CmsFormatError('input is neither DER, PEM nor base64');
  if (bytes.length === 0) throw new CmsFormatError('empty input');
  if (bytes.length > maxBytes) throw new CmsFormatError(`input is larger than ${maxBytes} bytes`);
  if (bytes[0] !== 0x30) throw new CmsFormatError('decoded input is not an ASN.1 SEQUENCE');
  return bytes;
}
