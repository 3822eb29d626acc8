import { constants, createHash, type KeyObject, verify as cryptoVerify } from 'node:crypto';
import { children, readTlv, smallInteger, TAG } from './der/der-reader.js';
import { readAlgorithmIdentifier, type AlgorithmIdentifier, type CertificateKey } from './certificate.js';
import { CmsFormatError } from './cms.errors.js';
import { KzGostKey, STREEBOG_DIGESTS, streebogSize, verifyGostSignature } from './gost/kz-gost.js';
import { streebog } from './gost/streebog.js';
import { algorithmName, isGostOid, OID } from './oids.js';

/** Digests node:crypto computes, by OID. */
const DIGESTS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** Signature algorithms that fix their hash, by OID. */
const SIGNATURES: Record<string, { kind: 'rsa' | 'ecdsa'; hash: string }> = {
  '1.2.840.113549.1.1.5': { kind: 'rsa', hash: 'sha1' },
  '1.2.840.113549.1.1.14': { kind: 'rsa', hash: 'sha224' },
  '1.2.840.113549.1.1.11': { kind: 'rsa', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { kind: 'rsa', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { kind: 'rsa', hash: 'sha512' },
  '1.2.840.10045.4.1': { kind: 'ecdsa', hash: 'sha1' },
  '1.2.840.10045.4.3.1': { kind: 'ecdsa', hash: 'sha224' },
  '1.2.840.10045.4.3.2': { kind: 'ecdsa', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { kind: 'ecdsa', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { kind: 'ecdsa', hash: 'sha512' },
};

/** The node:crypto name of a digest OID, or null when it cannot be computed here (GOST, unknown). */
export function nodeDigest(oid: string): string | null {
  return DIGESTS[oid] ?? null;
}

/** The name of a digest the CMS core computes over content (node:crypto's and Streebog), or null. */
export function contentDigest(oid: string): string | null {
  return DIGESTS[oid] ?? STREEBOG_DIGESTS[oid] ?? null;
}

/** `hash`: a name from contentDigest. */
export function digestSegments(hash: string, segments: readonly Uint8Array[]): Buffer {
  const streebogBits = streebogSize(hash);
  if (streebogBits) return streebog(streebogBits, ...segments);
  const h = createHash(hash);
  for (const segment of segments) h.update(segment);
  return h.digest();
}

export type SignatureCheck =
  | { status: 'valid' }
  | { status: 'invalid' }
  | { status: 'unsupported'; reason: string };

const KEY_KINDS: Record<string, string> = { rsa: 'rsa', 'rsa-pss': 'rsa', ec: 'ecdsa', ed25519: 'ed25519' };

function pssParameters(params: Uint8Array | null): { hash: string; saltLength: number } | string {
  let hash = 'sha1';
  let mgfHash = 'sha1';
  let saltLength = 20;
  if (params) {
    const seq = readTlv(params, 0);
    if (seq.tag !== TAG.SEQUENCE) return 'malformed RSASSA-PSS parameters';
    for (const field of children(params, seq, 4)) {
      const inner = readTlv(params, field.contentStart, field.contentEnd);
      if (field.tag === 0xa0) {
        const name = nodeDigest(readAlgorithmIdentifier(params, inner).oid);
        if (!name) return 'unsupported RSASSA-PSS hash';
        hash = name;
      } else if (field.tag === 0xa1) {
        const mgf = readAlgorithmIdentifier(params, inner);
        if (mgf.oid !== OID.mgf1 || !mgf.params) return 'unsupported RSASSA-PSS mask generation';
        const name = nodeDigest(readAlgorithmIdentifier(mgf.params, readTlv(mgf.params, 0)).oid);
        if (!name) return 'unsupported MGF1 hash';
        mgfHash = name;
      } else if (field.tag === 0xa2) {
        saltLength = smallInteger(params, inner);
      }
    }
  }
  // node:crypto uses the signature hash for MGF1 as well.
  if (mgfHash !== hash) return 'RSASSA-PSS with a different MGF1 hash';
  return { hash, saltLength };
}

/** RSA keys accepted: at most this many bits, public exponent 65537 (what NCA and every CA issue). */
export const MAX_RSA_BITS = 4096;
const RSA_EXPONENT = 65537n;

/**
 * Why an RSA key is refused, or null. A verification costs more the larger the modulus and, above all, the
 * exponent (a 3072-bit exponent makes a verify as slow as a signature): a stranger's CMS could otherwise
 * buy seconds of CPU per certificate.
 */
export function rsaKeyProblem(key: KeyObject): string | null {
  if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'rsa-pss') return null;
  const { modulusLength, publicExponent } = key.asymmetricKeyDetails ?? {};
  if (modulusLength === undefined || modulusLength > MAX_RSA_BITS) return `RSA key of ${modulusLength ?? 'unknown'} bits is not accepted (at most ${MAX_RSA_BITS})`;
  if (publicExponent !== RSA_EXPONENT) return `RSA public exponent ${publicExponent !== undefined && publicExponent < 1n << 32n ? publicExponent : 'of more than 32 bits'} is not accepted (only 65537)`;
  return null;
}

/**
 * Verifies `signature` over `data` with `key`. `digestOid` is the SignerInfo's digestAlgorithm, used by
 * algorithms that do not name their hash (rsaEncryption, id-ecPublicKey); pass null for certificates.
 * Kazakhstan GOST 34.10-2015 is checked in ./gost; other algorithms that cannot be checked here (GOST
 * 34.310-2004, Russian GOST, …) come back `unsupported`, never valid.
 */
export function verifySignature(
  algorithm: AlgorithmIdentifier,
  digestOid: string | null,
  certificateKey: CertificateKey | null,
  keyAlgorithmOid: string,
  data: Uint8Array,
  signature: Uint8Array,
): SignatureCheck {
  const { oid } = algorithm;
  if (isGostOid(oid) || isGostOid(keyAlgorithmOid)) {
    return verifyGostSignature(algorithm, digestOid, certificateKey instanceof KzGostKey ? certificateKey : null, keyAlgorithmOid, data, signature);
  }
  const key = certificateKey instanceof KzGostKey ? null : certificateKey;
  if (!key) return { status: 'unsupported', reason: `public key algorithm ${algorithmName(keyAlgorithmOid)} is not supported` };
  const keyKind = KEY_KINDS[key.asymmetricKeyType ?? ''] ?? 'other';
  const unsupported = (reason: string): SignatureCheck => ({ status: 'unsupported', reason });
  const rsaProblem = rsaKeyProblem(key);
  if (rsaProblem) return unsupported(rsaProblem);
  try {
    let ok: boolean;
    const fixed = SIGNATURES[oid];
    if (fixed) {
      if (fixed.kind !== keyKind) return unsupported(`${algorithmName(oid)} does not match the certificate's ${algorithmName(keyAlgorithmOid)} key`);
      ok = cryptoVerify(fixed.hash, data, key, signature);
    } else if (oid === OID.rsaEncryption || oid === OID.ecPublicKey) {
      const hash = digestOid ? nodeDigest(digestOid) : null;
      if (!hash) return unsupported(`digest ${digestOid ? algorithmName(digestOid) : 'unknown'} is not supported`);
      if ((oid === OID.rsaEncryption ? 'rsa' : 'ecdsa') !== keyKind) return unsupported(`${algorithmName(oid)} does not match the certificate key`);
      ok = cryptoVerify(hash, data, key, signature);
    } else if (oid === OID.rsaPss) {
      if (keyKind !== 'rsa') return unsupported('RSASSA-PSS needs an RSA key');
      const params = pssParameters(algorithm.params);
      if (typeof params === 'string') return unsupported(params);
      ok = cryptoVerify(params.hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: params.saltLength }, signature);
    } else if (oid === OID.ed25519) {
      if (keyKind !== 'ed25519') return unsupported('Ed25519 signature with another key type');
      ok = cryptoVerify(null, data, key, signature);
    } else {
      return unsupported(`signature algorithm ${algorithmName(oid)} is not supported`);
    }
    return ok ? { status: 'valid' } : { status: 'invalid' };
  } catch (error) {
    if (error instanceof CmsFormatError) return unsupported(error.message);
    // node:crypto throws on signatures it cannot even decode (wrong length, bad ECDSA DER): not valid.
    return { status: 'invalid' };
  }
}
