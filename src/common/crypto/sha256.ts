import { createHash } from 'node:crypto';

/** SHA-256 as lowercase hex: how Kezek names every document, copy, archive and CMS. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** SHA-256 as bytes: for constant-time comparisons of secrets (equal lengths) and for signatures. */
export function sha256(bytes: Uint8Array | string): Buffer {
  return createHash('sha256').update(bytes).digest();
}
