/**
 * What a signer must pass before signing (identity products of the provider), and the checks on an
 * integrator's reference photo. Pure: no Nest, no database.
 */

export const IDENTITY_CHECKS = ['liveness', 'face2face', 'edocument'] as const;
export type IdentityCheck = (typeof IDENTITY_CHECKS)[number];

/** The flow technology (personal cabinet code) behind each check. */
const TECHNOLOGY: Record<IdentityCheck, string> = { liveness: 'LD', face2face: 'F2F', edocument: 'ED' };

/** Decoded size cap of the integrator's face photo (a face needs far less; the provider's flows take a few MB). */
export const IDENTITY_PHOTO_MAX_BYTES = 2 * 1024 * 1024;

/** The technologies of the flow a signer's checks need, sorted (how organisations' flow keys are looked up). */
export function technologiesOf(checks: readonly IdentityCheck[]): string[] {
  return [...new Set(checks.map((c) => TECHNOLOGY[c]))].sort();
}

/** JPEG or PNG judged by content (magic bytes), never by a name or a declared type. */
export function photoKind(bytes: Uint8Array): 'jpeg' | 'png' | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= png.length && png.every((b, i) => bytes[i] === b)) return 'png';
  return null;
}

export type PhotoProblem = { code: 'IDENTITY_PHOTO_INVALID' | 'IDENTITY_PHOTO_TOO_LARGE'; message: string };

/** Decodes a base64 photo (a data: URL prefix allowed); a problem says what to fix. */
export function decodePhoto(base64: string, field: string): { bytes: Buffer } | { problem: PhotoProblem } {
  const compact = base64.replace(/^data:[^,]{0,100},/, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) return { problem: { code: 'IDENTITY_PHOTO_INVALID', message: `${field}: not valid base64` } };
  if ((compact.length / 4) * 3 > IDENTITY_PHOTO_MAX_BYTES + 2) {
    return { problem: { code: 'IDENTITY_PHOTO_TOO_LARGE', message: `${field}: larger than ${IDENTITY_PHOTO_MAX_BYTES / 1024 / 1024} MB; send a smaller JPEG or PNG of the face` } };
  }
  const bytes = Buffer.from(compact, 'base64');
  if (!photoKind(bytes)) return { problem: { code: 'IDENTITY_PHOTO_INVALID', message: `${field}: expected a JPEG or PNG image (judged by its content)` } };
  return { bytes };
}
