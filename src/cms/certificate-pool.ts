import { createHash } from 'node:crypto';
import { parseCertificate, type ParsedCertificate } from './certificate.js';
import { CmsFormatError } from './cms.errors.js';
import { asBuffer } from './der/der-reader.js';

/** A name compared the way RFC 5280 allows: decoded, whitespace collapsed, case folded. */
export function normalisedName(attributes: { oid: string; value: string }[]): string {
  return attributes.map((a) => `${a.oid}=${a.value.trim().replace(/\s+/g, ' ').toLowerCase()}`).join(',');
}

/** Hex of an INTEGER's content octets without sign padding. */
export function serialKey(serial: Uint8Array): string {
  let i = 0;
  while (i < serial.length - 1 && serial[i] === 0) i++;
  return asBuffer(serial).toString('hex', i, serial.length);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The certificates one verification may use (the CMS's, the caller's, the anchors), indexed so that every
 * lookup is a map access: a hostile CMS with thousands of certificates costs their parsing, not a
 * quadratic search for every signer and every chain link.
 */
export class CertificatePool {
  readonly all: ParsedCertificate[] = [];
  private readonly byBytes = new Map<string, ParsedCertificate[]>();
  private readonly bySerial = new Map<string, ParsedCertificate[]>();
  private readonly bySubject = new Map<string, ParsedCertificate[]>();
  private byNormalisedSubject: Map<string, ParsedCertificate[]> | null = null;
  private byKeyId: Map<string, ParsedCertificate[]> | null = null;

  /** Adds a certificate, or returns the one already there with the same bytes. */
  add(cert: ParsedCertificate): ParsedCertificate {
    const key = this.bytesKey(cert.der);
    const same = this.byBytes.get(key)?.find((c) => c === cert || c.der.equals(cert.der));
    if (same) return same;
    push(this.byBytes, key, cert);
    push(this.bySerial, cert.serialHex, cert);
    push(this.bySubject, asBuffer(cert.subject.der).toString('latin1'), cert);
    this.all.push(cert);
    this.byNormalisedSubject = null;
    this.byKeyId = null;
    return cert;
  }

  /** Parses and adds a certificate found in a CMS; null when it cannot be read (it cannot be a signer's). */
  addDer(der: Uint8Array): ParsedCertificate | null {
    const same = this.byBytes.get(this.bytesKey(der))?.find((c) => c.der.equals(der));
    if (same) return same;
    try {
      return this.add(parseCertificate(der));
    } catch (error) {
      if (error instanceof CmsFormatError) return null;
      throw error;
    }
  }

  withSerial(serial: Uint8Array): ParsedCertificate[] {
    return this.bySerial.get(serialKey(serial)) ?? [];
  }

  /**
   * Certificates whose SubjectKeyIdentifier extension is `keyId` (Kazakhstan certificates do not derive it
   * from the key), or, for certificates without the extension, whose key's SHA-1 is (RFC 5280 method 1).
   */
  withKeyId(keyId: Uint8Array): ParsedCertificate[] {
    if (!this.byKeyId) {
      this.byKeyId = new Map();
      for (const c of this.all) {
        const id = c.subjectKeyIdentifier ? asBuffer(c.subjectKeyIdentifier) : createHash('sha1').update(c.publicKeyBits).digest();
        push(this.byKeyId, id.toString('hex'), c);
      }
    }
    return this.byKeyId.get(asBuffer(keyId).toString('hex')) ?? [];
  }

  /** Certificates whose subject is `name` (exactly, or else equal once normalised). */
  withSubject(name: { der: Uint8Array; attributes: { oid: string; value: string }[] }): ParsedCertificate[] {
    const exact = this.bySubject.get(asBuffer(name.der).toString('latin1'));
    if (exact) return exact;
    if (!this.byNormalisedSubject) {
      this.byNormalisedSubject = new Map();
      for (const c of this.all) push(this.byNormalisedSubject, normalisedName(c.subject.attributes), c);
    }
    return this.byNormalisedSubject.get(normalisedName(name.attributes)) ?? [];
  }

  private bytesKey(der: Uint8Array): string {
    // Length and the last bytes (signature bits): distinct certificates practically never share both.
    return `${der.length}:${asBuffer(der).toString('hex', Math.max(0, der.length - 16), der.length)}`;
  }
}
