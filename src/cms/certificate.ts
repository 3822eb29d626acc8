import { createPublicKey, type KeyObject } from 'node:crypto';
import { CmsCertificateError, CmsFormatError } from './cms.errors.js';
import {
  asBuffer,
  bitStringBytes,
  children,
  contentOf,
  encodingOf,
  expectTag,
  fail,
  integerHex,
  readOid,
  readString,
  readTime,
  readTlv,
  smallInteger,
  startReading,
  TAG,
  type Tlv,
} from './der/der-reader.js';
import { KZ_GOST_OID, KzGostKey, readKzGostKey } from './gost/kz-gost.js';
import { OID } from './oids.js';
import { sha256Hex } from '../common/crypto/sha256.js';

/**
 * An X.509 certificate read with the zero-copy DER reader: every field a verification needs, with views
 * into the certificate's bytes. asn1js takes ~0.4 ms to parse one certificate on these machines; this takes
 * a few microseconds, which is most of what makes verification fast.
 */
export interface AlgorithmIdentifier {
  oid: string;
  /** The encoding of the parameters element, if any. */
  params: Uint8Array | null;
}

export interface NameAttribute {
  oid: string;
  /** Short name (CN, SURNAME, SERIALNUMBER, …) or the OID. */
  type: string;
  value: string;
}

export interface DistinguishedName {
  /** The Name's encoding, for exact comparison. */
  der: Uint8Array;
  attributes: NameAttribute[];
  /** `CN=…, O=…` in encoding order. */
  text: string;
}

export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

const KEY_USAGE_BITS: KeyUsageName[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

export interface ParsedCertificate {
  der: Buffer;
  /** SHA-256 of the DER, hex (computed on first use). */
  readonly sha256: string;
  version: number;
  /** The serial's content octets as encoded (for exact comparison). */
  serial: Uint8Array;
  /** Serial number as lowercase hex without sign padding. */
  serialHex: string;
  issuer: DistinguishedName;
  subject: DistinguishedName;
  notBefore: Date;
  notAfter: Date;
  tbs: Uint8Array;
  signatureAlgorithm: AlgorithmIdentifier;
  signatureValue: Uint8Array;
  /** SubjectPublicKeyInfo encoding. */
  spki: Uint8Array;
  publicKeyAlgorithm: AlgorithmIdentifier;
  /** The subjectPublicKey BIT STRING contents. */
  publicKeyBits: Uint8Array;
  /** Null when the certificate has no keyUsage extension (any use allowed). */
  keyUsage: Set<KeyUsageName> | null;
  basicConstraints: { ca: boolean; pathLength: number | null } | null;
  subjectKeyIdentifier: Uint8Array | null;
  authorityKeyIdentifier: Uint8Array | null;
}

const NAME_TYPES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SURNAME',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'T',
  '2.5.4.42': 'GIVENNAME',
  '2.5.4.43': 'INITIALS',
  '2.5.4.97': 'ORGANIZATIONIDENTIFIER',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'E',
};

const NEEDS_ESCAPE = /[,+"\\<>;=]|^[ #]| $/;

function escapeDnValue(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/([,+"\\<>;=])/g, '\\$1').replace(/^([ #])/, '\\$1').replace(/ $/, '\\ ');
}

export function readAlgorithmIdentifier(buf: Uint8Array, tlv: Tlv): AlgorithmIdentifier {
  expectTag(tlv, TAG.SEQUENCE, 'algorithm identifier');
  const [oid, params] = children(buf, tlv, 2);
  return { oid: readOid(buf, expectTag(oid, TAG.OID, 'algorithm OID')), params: params && params.tag !== TAG.NULL ? encodingOf(buf, params) : null };
}

/** Reads a Name lazily: the bytes are kept, the attributes and text decoded on first use. */
export function readName(buf: Uint8Array, tlv: Tlv): DistinguishedName {
  expectTag(tlv, TAG.SEQUENCE, 'name');
  return new LazyName(buf, tlv);
}

class LazyName implements DistinguishedName {
  readonly der: Uint8Array;
  private decoded: { attributes: NameAttribute[]; text: string } | null = null;

  constructor(
    private readonly buf: Uint8Array,
    private readonly tlv: Tlv,
  ) {
    this.der = encodingOf(buf, tlv);
    // Structure errors must surface while parsing, not later in a getter.
    for (const rdn of children(buf, tlv, 64)) {
      for (const atv of children(buf, expectTag(rdn, TAG.SET, 'relative distinguished name'), 16)) {
        if (children(buf, expectTag(atv, TAG.SEQUENCE, 'name attribute'), 2).length !== 2) {
          throw new CmsFormatError(`name attribute without a value at offset ${atv.start}`);
        }
      }
    }
  }

  get attributes(): NameAttribute[] {
    return this.decode().attributes;
  }

  get text(): string {
    return this.decode().text;
  }

  toJSON(): string {
    return this.text;
  }

  private decode(): { attributes: NameAttribute[]; text: string } {
    if (this.decoded) return this.decoded;
    const { buf } = this;
    const attributes: NameAttribute[] = [];
    const parts: string[] = [];
    for (const rdn of children(buf, this.tlv, 64)) {
      const values: string[] = [];
      for (const atv of children(buf, rdn, 16)) {
        const [type, value] = children(buf, atv, 2);
        const oid = readOid(buf, type);
        const text = value.constructed ? `#${asBuffer(encodingOf(buf, value)).toString('hex')}` : readString(buf, value);
        const short = NAME_TYPES[oid] ?? oid;
        attributes.push({ oid, type: short, value: text });
        values.push(`${short}=${escapeDnValue(text)}`);
      }
      parts.push(values.join('+'));
    }
    this.decoded = { attributes, text: parts.join(', ') };
    return this.decoded;
  }
}

function readExtensions(buf: Uint8Array, tlv: Tlv, cert: X509): void {
  const list = children(buf, tlv, 1)[0];
  for (const extension of children(buf, expectTag(list, TAG.SEQUENCE, 'extensions'), 128)) {
    const parts = children(buf, expectTag(extension, TAG.SEQUENCE, 'extension'), 3);
    const oid = readOid(buf, parts[0]);
    const valueTlv = expectTag(parts[parts.length - 1], TAG.OCTET_STRING, 'extension value');
    const inner = readTlv(buf, valueTlv.contentStart, valueTlv.contentEnd);
    switch (oid) {
      case OID.keyUsage: {
        const { bytes, unusedBits } = bitStringBytes(buf, inner);
        const usage = new Set<KeyUsageName>();
        const bitCount = bytes.length * 8 - unusedBits;
        KEY_USAGE_BITS.forEach((name, bit) => {
          if (bit < bitCount && bytes[bit >> 3] & (0x80 >> (bit & 7))) usage.add(name);
        });
        cert.keyUsage = usage;
        break;
      }
      case OID.basicConstraints: {
        let ca = false;
        let pathLength: number | null = null;
        for (const item of children(buf, expectTag(inner, TAG.SEQUENCE, 'basic constraints'), 2)) {
          if (item.tag === TAG.BOOLEAN) ca = buf[item.contentStart] !== 0;
          else if (item.tag === TAG.INTEGER) pathLength = Number.parseInt(integerHex(buf, item), 16);
        }
        cert.basicConstraints = { ca, pathLength };
        break;
      }
      case OID.subjectKeyIdentifier:
        cert.subjectKeyIdentifier = contentOf(buf, expectTag(inner, TAG.OCTET_STRING, 'subject key identifier'));
        break;
      case OID.authorityKeyIdentifier: {
        const keyId = children(buf, expectTag(inner, TAG.SEQUENCE, 'authority key identifier'), 3).find((item) => item.tag === 0x80);
        cert.authorityKeyIdentifier = keyId ? contentOf(buf, keyId) : null;
        break;
      }
      default:
        break;
    }
  }
}

/** Parses one DER certificate; throws CmsFormatError if it is not one. */
export function parseCertificate(input: Uint8Array): ParsedCertificate {
  return new X509(asBuffer(input));
}

class X509 implements ParsedCertificate {
  readonly version: number = 1;
  readonly serial: Uint8Array;
  readonly serialHex: string;
  readonly issuer: DistinguishedName;
  readonly subject: DistinguishedName;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly tbs: Uint8Array;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly signatureValue: Uint8Array;
  readonly spki: Uint8Array;
  readonly publicKeyAlgorithm: AlgorithmIdentifier;
  readonly publicKeyBits: Uint8Array;
  keyUsage: Set<KeyUsageName> | null = null;
  basicConstraints: { ca: boolean; pathLength: number | null } | null = null;
  subjectKeyIdentifier: Uint8Array | null = null;
  authorityKeyIdentifier: Uint8Array | null = null;
  private digest: string | null = null;

  constructor(readonly der: Buffer) {
    const buf = der;
    startReading(buf);
    const root = readTlv(buf, 0, buf.length);
    if (root.end !== buf.length) throw new CmsFormatError('trailing bytes after the certificate');
    const [tbsTlv, sigAlgTlv, sigTlv] = children(buf, expectTag(root, TAG.SEQUENCE, 'certificate'), 3);
    const fields = children(buf, expectTag(tbsTlv, TAG.SEQUENCE, 'tbsCertificate'), 10);
    let i = 0;
    if (fields[0]?.tag === 0xa0) {
      this.version = smallInteger(buf, children(buf, fields[0], 1)[0]) + 1;
      i++;
    }
    const serialTlv = expectTag(fields[i++], TAG.INTEGER, 'serial number');
    i++; // the inner signature algorithm, repeated outside
    this.issuer = readName(buf, fields[i++] ?? fail('certificate without issuer'));
    const validity = children(buf, expectTag(fields[i++], TAG.SEQUENCE, 'validity'), 2);
    if (validity.length !== 2) throw new CmsFormatError('validity needs notBefore and notAfter');
    this.subject = readName(buf, fields[i++] ?? fail('certificate without subject'));
    const spkiTlv = expectTag(fields[i++], TAG.SEQUENCE, 'subject public key info');
    const [keyAlgTlv, keyBitsTlv] = children(buf, spkiTlv, 2);
    this.serial = contentOf(buf, serialTlv);
    this.serialHex = integerHex(buf, serialTlv);
    this.notBefore = readTime(buf, validity[0]);
    this.notAfter = readTime(buf, validity[1]);
    this.tbs = encodingOf(buf, tbsTlv);
    this.signatureAlgorithm = readAlgorithmIdentifier(buf, sigAlgTlv ?? fail('certificate without signature algorithm'));
    this.signatureValue = bitStringBytes(buf, expectTag(sigTlv, TAG.BIT_STRING, 'certificate signature')).bytes;
    this.spki = encodingOf(buf, spkiTlv);
    this.publicKeyAlgorithm = readAlgorithmIdentifier(buf, keyAlgTlv ?? fail('public key without algorithm'));
    this.publicKeyBits = bitStringBytes(buf, expectTag(keyBitsTlv, TAG.BIT_STRING, 'subject public key')).bytes;
    for (; i < fields.length; i++) {
      if (fields[i].tag === 0xa3) readExtensions(buf, fields[i], this);
    }
  }

  get sha256(): string {
    return (this.digest ??= sha256Hex(this.der));
  }
}

const PEM_CERTIFICATE = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END (?:X509 |TRUSTED )?CERTIFICATE-----/g;

/**
 * Certificates from PEM text (any number of blocks), DER bytes, or bytes holding PEM text. Throws
 * CmsCertificateError when nothing usable is there.
 */
export function readCertificates(input: string | Uint8Array, what = 'certificate'): ParsedCertificate[] {
  const text = typeof input === 'string' ? input : input[0] === 0x30 ? null : asBuffer(input).toString('latin1');
  try {
    if (text === null) return [parseCertificate(input as Uint8Array)];
    const blocks = [...text.matchAll(PEM_CERTIFICATE)].map((m) => Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
    if (blocks.length === 0) {
      const compact = text.replace(/\s+/g, '');
      if (compact && /^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return [parseCertificate(Buffer.from(compact, 'base64'))];
      throw new CmsFormatError('no certificate found (expected PEM or DER)');
    }
    return blocks.map((block) => parseCertificate(block));
  } catch (error) {
    if (error instanceof CmsFormatError) throw new CmsCertificateError(`${what}: ${error.message}`);
    throw error;
  }
}

function base64url(bytes: Uint8Array): string {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return asBuffer(bytes.subarray(start)).toString('base64url');
}

const EC_CURVES: Record<string, { crv: string; size: number }> = {
  '1.2.840.10045.3.1.7': { crv: 'P-256', size: 32 },
  '1.3.132.0.34': { crv: 'P-384', size: 48 },
  '1.3.132.0.35': { crv: 'P-521', size: 66 },
  '1.3.132.0.10': { crv: 'secp256k1', size: 32 },
};

/** A certificate's public key as verification uses it: node's key object, or a Kazakhstan GOST key. */
export type CertificateKey = KeyObject | KzGostKey;

const keyCache = new WeakMap<ParsedCertificate, CertificateKey | null>();

/**
 * Public keys already imported, by their SubjectPublicKeyInfo bytes (least recently used dropped first).
 * A key object is only a decoded form of those bytes, so reusing it skips no check: every signature is
 * still verified every time. It saves the import and OpenSSL's per-key Montgomery set-up (~20 µs for an
 * RSA-2048 key here), which the same signer's and the same CA's keys would otherwise pay on every call.
 */
const importedKeys = new Map<string, CertificateKey | null>();
let importedKeysMax = 1024;

/** Sets how many imported public keys are kept (0 turns the reuse off). */
export function configureKeyReuse(options: { maxEntries: number }): void {
  importedKeysMax = Math.max(0, Math.floor(options.maxEntries));
  importedKeys.clear();
}

/**
 * The certificate's public key for node:crypto (for Kazakhstan GOST: for ./gost), or null when it cannot be
 * used (other unknown algorithms). RSA, EC and Ed25519 keys are imported as JWK: OpenSSL 3 decodes SPKI DER
 * through its slow decoder framework (~130 µs a key here) while a JWK import takes ~4 µs.
 */
export function publicKeyOf(cert: ParsedCertificate): CertificateKey | null {
  if (keyCache.has(cert)) return keyCache.get(cert) ?? null;
  const id = importedKeysMax > 0 ? asBuffer(cert.spki).toString('latin1') : '';
  if (importedKeysMax > 0 && importedKeys.has(id)) {
    const known = importedKeys.get(id) ?? null;
    importedKeys.delete(id);
    importedKeys.set(id, known);
    keyCache.set(cert, known);
    return known;
  }
  const key = importKey(cert);
  keyCache.set(cert, key);
  if (importedKeysMax > 0) {
    importedKeys.set(id, key);
    if (importedKeys.size > importedKeysMax) importedKeys.delete(importedKeys.keys().next().value as string);
  }
  return key;
}

function importKey(cert: ParsedCertificate): CertificateKey | null {
  try {
    const buf = cert.publicKeyBits;
    switch (cert.publicKeyAlgorithm.oid) {
      case OID.rsaEncryption:
      case OID.rsaPss: {
        const [n, e] = children(buf, expectTag(readTlv(buf, 0), TAG.SEQUENCE, 'RSA public key'), 2);
        return createPublicKey({
          key: { kty: 'RSA', n: base64url(contentOf(buf, expectTag(n, TAG.INTEGER, 'modulus'))), e: base64url(contentOf(buf, expectTag(e, TAG.INTEGER, 'exponent'))) },
          format: 'jwk',
        });
      }
      case OID.ecPublicKey: {
        const params = cert.publicKeyAlgorithm.params;
        const curve = params && params[0] === TAG.OID ? EC_CURVES[readOid(params, readTlv(params, 0))] : undefined;
        if (curve && buf[0] === 0x04 && buf.length === 1 + 2 * curve.size) {
          return createPublicKey({
            key: { kty: 'EC', crv: curve.crv, x: asBuffer(buf.subarray(1, 1 + curve.size)).toString('base64url'), y: asBuffer(buf.subarray(1 + curve.size)).toString('base64url') },
            format: 'jwk',
          });
        }
        return createPublicKey({ key: asBuffer(cert.spki), format: 'der', type: 'spki' });
      }
      case OID.ed25519:
        return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: asBuffer(buf).toString('base64url') }, format: 'jwk' });
      case KZ_GOST_OID.key256:
      case KZ_GOST_OID.key512:
      case KZ_GOST_OID.key2004:
        return readKzGostKey(cert);
      default:
        return null;
    }
  } catch {
    return null;
  }
}
