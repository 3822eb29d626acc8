import type { SignatureCheck } from '../algorithms.js';
import type { AlgorithmIdentifier, ParsedCertificate } from '../certificate.js';
import { CmsFormatError } from '../cms.errors.js';
import { children, contentOf, expectTag, readOid, readTlv, TAG } from '../der/der-reader.js';
import { algorithmName } from '../oids.js';
import { bytesToBigIntLE, GOST_CURVES, gostPublicKey, gostVerify, type GostCurve, type GostPublicKey } from './gost3410.js';
import { streebog, type StreebogSize } from './streebog.js';

/**
 * GOST signatures as Kazakhstan's NCA issues them and Kalkan makes them (OIDs under 1.2.398.3.10).
 *
 * Byte order, established on Kalkan's own signatures (a CMS signer and the certificate its CA signed) and
 * checked by the tests against them:
 * - public key: an OCTET STRING holding x then y, each little-endian (as RFC 4491 for GOST R 34.10);
 * - digest: the Streebog output, as bytes in memory order, read as a little-endian integer (as RFC 4491);
 * - signature value: r then s, each little-endian (the byte-reverse of RFC 4491's s then r, big-endian).
 */
export const KZ_GOST_OID = {
  key2004: '1.2.398.3.10.1.1.1.1',
  signature2004: '1.2.398.3.10.1.1.1.2',
  key256: '1.2.398.3.10.1.1.2.1',
  key512: '1.2.398.3.10.1.1.2.2',
  signature256: '1.2.398.3.10.1.1.2.3.1',
  signature512: '1.2.398.3.10.1.1.2.3.2',
  digest2004: '1.2.398.3.10.1.3.1',
  digest256: '1.2.398.3.10.1.3.2',
  digest512: '1.2.398.3.10.1.3.3',
} as const;

/**
 * NCA's parameter-set OIDs and the published curves they name, as Kalkan's named-curve table maps them.
 * 1.2.398.3.10.1.1.2.2.1 is confirmed by Kalkan's signatures (the keys lie on the curve and verify);
 * the 256-bit set has no Kalkan signature to check it against here.
 */
const PARAMETER_SETS: Record<string, GostCurve> = {
  '1.2.398.3.10.1.1.2.1.1': GOST_CURVES.tc26_256_A,
  '1.2.398.3.10.1.1.2.2.1': GOST_CURVES.tc26_512_A,
  '1.2.398.3.10.1.1.1.1.1': GOST_CURVES.cryptoProA,
};

/** Streebog digests by OID, in the names digestSegments knows. */
export const STREEBOG_DIGESTS: Record<string, 'streebog256' | 'streebog512'> = {
  [KZ_GOST_OID.digest256]: 'streebog256',
  [KZ_GOST_OID.digest512]: 'streebog512',
};

export function streebogSize(name: string): StreebogSize | null {
  return name === 'streebog256' ? 256 : name === 'streebog512' ? 512 : null;
}

const KEY_SIZES: Record<string, 32 | 64> = { [KZ_GOST_OID.key256]: 32, [KZ_GOST_OID.key512]: 64 };
const SIGNATURE_SIZES: Record<string, 32 | 64> = { [KZ_GOST_OID.signature256]: 32, [KZ_GOST_OID.signature512]: 64 };
const DIGEST_SIZES: Record<string, 32 | 64> = { [KZ_GOST_OID.digest256]: 32, [KZ_GOST_OID.digest512]: 64 };

/** A certificate's GOST key, or why it cannot be used (read once per certificate, like node's keys). */
export class KzGostKey {
  private constructor(
    readonly keyOid: string,
    readonly key: GostPublicKey | null,
    /** Why `key` is null. */
    readonly problem: string | null,
  ) {}

  static usable(keyOid: string, key: GostPublicKey): KzGostKey {
    return new KzGostKey(keyOid, key, null);
  }

  static unusable(keyOid: string, problem: string): KzGostKey {
    return new KzGostKey(keyOid, null, problem);
  }
}

/** Reads the GOST 34.10-2015 public key of a certificate whose key algorithm is under 1.2.398.3.10. */
export function readKzGostKey(cert: ParsedCertificate): KzGostKey {
  const { oid, params } = cert.publicKeyAlgorithm;
  if (oid === KZ_GOST_OID.key2004) {
    return KzGostKey.unusable(oid, 'GOST 34.310-2004 keys (signatures with GOST 34.311-95 digests) cannot be verified here');
  }
  const size = KEY_SIZES[oid];
  if (!size) return KzGostKey.unusable(oid, `public key algorithm ${algorithmName(oid)} is not supported`);
  try {
    // GostR3410-2012-PublicKeyParameters: SEQUENCE { publicKeyParamSet OID, digestParamSet OID OPTIONAL }.
    if (!params) return KzGostKey.unusable(oid, 'the GOST public key names no parameter set');
    const seq = expectTag(readTlv(params, 0), TAG.SEQUENCE, 'GOST key parameters');
    const paramSet = readOid(params, expectTag(children(params, seq, 3)[0], TAG.OID, 'GOST parameter set'));
    const curve = PARAMETER_SETS[paramSet];
    if (!curve) return KzGostKey.unusable(oid, `GOST parameter set ${paramSet} is not known`);
    if (curve.size !== size) return KzGostKey.unusable(oid, `GOST parameter set ${paramSet} (${curve.size * 8}-bit) does not fit a ${algorithmName(oid)} key`);
    const bits = cert.publicKeyBits;
    const octets = expectTag(readTlv(bits, 0), TAG.OCTET_STRING, 'GOST public key');
    if (octets.end !== bits.length) return KzGostKey.unusable(oid, 'trailing bytes after the GOST public key');
    const xy = contentOf(bits, octets);
    if (xy.length !== 2 * size) return KzGostKey.unusable(oid, `the GOST public key has ${xy.length} bytes, ${2 * size} expected`);
    const key = gostPublicKey(curve, bytesToBigIntLE(xy.subarray(0, size)), bytesToBigIntLE(xy.subarray(size)));
    if (!key) return KzGostKey.unusable(oid, `the GOST public key is not a point of ${curve.name}`);
    return KzGostKey.usable(oid, key);
  } catch (error) {
    if (error instanceof CmsFormatError) return KzGostKey.unusable(oid, `malformed GOST public key: ${error.message}`);
    throw error;
  }
}

/**
 * Verifies a GOST signature (CMS signerInfo or certificate). `algorithm` is the signature algorithm: a GOST
 * 34.10-2015 signature OID (fixes Streebog of the key's size) or the key OID itself (the digest then comes
 * from `digestOid`). Anything this cannot check (GOST 34.310-2004, Russian GOST, unknown parameter sets,
 * mismatched sizes) is `unsupported` with the reason; a value of the wrong length or out of range is `invalid`.
 */
export function verifyGostSignature(
  algorithm: AlgorithmIdentifier,
  digestOid: string | null,
  key: KzGostKey | null,
  keyAlgorithmOid: string,
  data: Uint8Array,
  signature: Uint8Array,
): SignatureCheck {
  const unsupported = (reason: string): SignatureCheck => ({ status: 'unsupported', reason });
  const { oid } = algorithm;
  if (oid === KZ_GOST_OID.signature2004 || keyAlgorithmOid === KZ_GOST_OID.key2004) {
    return unsupported('GOST 34.310-2004 signatures (with GOST 34.311-95 digests) cannot be verified here');
  }
  let signatureSize: number | undefined = SIGNATURE_SIZES[oid];
  if (!signatureSize && KEY_SIZES[oid]) {
    // The key OID as the signature algorithm: the digest algorithm names the hash, which must fit the key.
    signatureSize = digestOid ? DIGEST_SIZES[digestOid] : undefined;
    if (signatureSize !== KEY_SIZES[oid]) return unsupported(`digest ${digestOid ? algorithmName(digestOid) : 'unknown'} does not fit a ${algorithmName(oid)} signature`);
  }
  if (!signatureSize) return unsupported(`${algorithmName(oid)} cannot be verified here`);
  if (!KEY_SIZES[keyAlgorithmOid]) return unsupported(`${algorithmName(oid)} does not match the certificate's ${algorithmName(keyAlgorithmOid)} key`);
  if (!key) return unsupported(`public key algorithm ${algorithmName(keyAlgorithmOid)} is not supported`);
  if (!key.key) return unsupported(key.problem ?? 'the GOST public key cannot be used');
  const size = key.key.curve.size;
  if (size !== signatureSize) return unsupported(`${algorithmName(oid)} does not match the certificate's ${size * 8}-bit key`);
  if (signature.length !== 2 * size) return { status: 'invalid' };
  const digest = streebog(size === 64 ? 512 : 256, data);
  const r = bytesToBigIntLE(signature.subarray(0, size));
  const s = bytesToBigIntLE(signature.subarray(size));
  return gostVerify(key.key, bytesToBigIntLE(digest), r, s) ? { status: 'valid' } : { status: 'invalid' };
}
