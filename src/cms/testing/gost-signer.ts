import { mod } from '@noble/curves/abstract/modular.js';
import { weierstrass } from '@noble/curves/abstract/weierstrass.js';
import { randomBytes } from 'node:crypto';
import { bytesToBigIntLE, type GostCurve } from '../gost/gost3410.js';
import { KZ_GOST_OID } from '../gost/kz-gost.js';
import { streebog } from '../gost/streebog.js';
import type { ParsedCertificate } from '../certificate.js';
import { encodeOid, tlv } from '../der/der-writer.js';

/**
 * A GOST 34.10 signer for tests only (GOST R 34.10-2012 section 6.1), to make signatures with keys of any
 * parameter set, in NCA's byte order: no library here signs with GOST. Never used by Kezek itself.
 */
const point = (curve: GostCurve) => weierstrass({ p: curve.p, n: curve.q, h: curve.cofactor, a: curve.a, b: curve.b, Gx: curve.x, Gy: curve.y });

const le = (value: bigint, size: number) => Buffer.from(value.toString(16).padStart(2 * size, '0'), 'hex').reverse();

export interface TestGostKey {
  curve: GostCurve;
  d: bigint;
  x: bigint;
  y: bigint;
}

export function testGostKey(curve: GostCurve, d: bigint = mod(BigInt(`0x${randomBytes(curve.size).toString('hex')}`), curve.q - 1n) + 1n): TestGostKey {
  const q = point(curve).BASE.multiply(d).toAffine();
  return { curve, d, x: q.x, y: q.y };
}

/** r and s for the digest integer `alpha`, with `k` fixed (for published examples) or random. */
export function gostSignDigest(key: TestGostKey, alpha: bigint, k?: bigint): { r: bigint; s: bigint } {
  const { q } = key.curve;
  let e = mod(alpha, q);
  if (e === 0n) e = 1n;
  for (;;) {
    const nonce = k ?? mod(BigInt(`0x${randomBytes(key.curve.size).toString('hex')}`), q - 1n) + 1n;
    const r = mod(point(key.curve).BASE.multiply(nonce).toAffine().x, q);
    const s = mod(r * key.d + nonce * e, q);
    if (r !== 0n && s !== 0n) return { r, s };
    if (k !== undefined) throw new Error('fixed k gives r or s = 0');
  }
}

/** A signature over `data` as Kalkan writes it: Streebog of the key's size, then r and s little-endian. */
export function kzGostSign(key: TestGostKey, data: Uint8Array): Buffer {
  const size = key.curve.size;
  const digest = streebog(size === 64 ? 512 : 256, data);
  const { r, s } = gostSignDigest(key, bytesToBigIntLE(digest));
  return Buffer.concat([le(r, size), le(s, size)]);
}

/** The public-key fields of a certificate with this key, as NCA encodes them (enough for readKzGostKey). */
export function kzGostCertificateKey(
  key: TestGostKey,
  options: { keyOid?: string; paramSet?: string; publicKeyBits?: Uint8Array } = {},
): Pick<ParsedCertificate, 'publicKeyAlgorithm' | 'publicKeyBits'> {
  const size = key.curve.size;
  const keyOid = options.keyOid ?? (size === 64 ? KZ_GOST_OID.key512 : KZ_GOST_OID.key256);
  const paramSet = options.paramSet ?? (size === 64 ? '1.2.398.3.10.1.1.2.2.1' : '1.2.398.3.10.1.1.2.1.1');
  const digest = size === 64 ? KZ_GOST_OID.digest512 : KZ_GOST_OID.digest256;
  return {
    publicKeyAlgorithm: { oid: keyOid, params: tlv(0x30, encodeOid(paramSet), encodeOid(digest)) },
    publicKeyBits: options.publicKeyBits ?? tlv(0x04, le(key.x, size), le(key.y, size)),
  };
}
