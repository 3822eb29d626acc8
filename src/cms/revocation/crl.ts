import { verifySignature } from '../algorithms.js';
import { publicKeyOf, readAlgorithmIdentifier, type ParsedCertificate } from '../certificate.js';
import { asBuffer, bitStringBytes, children, contentOf, encodingOf, expectTag, fail, readOid, readTime, readTlv, startReading, TAG } from '../der/der-reader.js';
import { revocationReason } from './revocation-reasons.js';

/**
 * A CRL (RFC 5280 §5) read with the core's zero-copy DER reader (a national CA's CRL holds hundreds of
 * thousands of entries: no object per entry beyond a map key) and its signature checked with the issuer's
 * key. Only direct CRLs: the CRL's issuer is the certificate's issuer.
 */
export interface CrlEntry {
  revokedAt: Date;
  reason: string | null;
}

export interface ParsedCrl {
  thisUpdate: Date;
  nextUpdate: Date | null;
  /** Revoked serials (lowercase hex without sign padding). */
  revoked: Map<string, CrlEntry>;
}

const REASON_CODE = '2.5.29.21';
/** Most entries read from one CRL (beyond that the CRL is refused rather than half read). */
const MAX_ENTRIES = 2_000_000;

/** Throws CmsFormatError when `bytes` is not a CRL signed by `issuer`. */
export function readCrl(bytes: Uint8Array, issuer: ParsedCertificate): ParsedCrl {
  const buf = asBuffer(bytes);
  startReading(buf);
  const root = readTlv(buf, 0, buf.length);
  const [tbsTlv, algTlv, sigTlv] = children(buf, expectTag(root, TAG.SEQUENCE, 'CertificateList'), 3);
  const algorithm = readAlgorithmIdentifier(buf, algTlv ?? fail('CRL without signatureAlgorithm'));
  const signature = bitStringBytes(buf, expectTag(sigTlv, TAG.BIT_STRING, 'CRL signature')).bytes;
  const fields = children(buf, expectTag(tbsTlv, TAG.SEQUENCE, 'TBSCertList'), 7);
  let i = fields[0]?.tag === TAG.INTEGER ? 1 : 0;
  i++; // the inner signature algorithm
  const issuerName = expectTag(fields[i++], TAG.SEQUENCE, 'CRL issuer');
  if (!asBuffer(encodingOf(buf, issuerName)).equals(asBuffer(issuer.subject.der))) fail('the CRL was issued by another CA');
  const check = verifySignature(algorithm, null, publicKeyOf(issuer), issuer.publicKeyAlgorithm.oid, encodingOf(buf, tbsTlv), signature);
  if (check.status !== 'valid') fail(check.status === 'unsupported' ? `the CRL signature cannot be checked: ${check.reason}` : "the CRL's signature does not verify with the issuer's key");
  const thisUpdate = readTime(buf, fields[i++] ?? fail('CRL without thisUpdate'));
  let nextUpdate: Date | null = null;
  if (fields[i] && (fields[i].tag === TAG.UTC_TIME || fields[i].tag === TAG.GENERALIZED_TIME)) nextUpdate = readTime(buf, fields[i++]);
  const revoked = new Map<string, CrlEntry>();
  if (fields[i]?.tag === TAG.SEQUENCE) {
    for (const entry of children(buf, fields[i], MAX_ENTRIES)) {
      const [serial, date, extensions] = children(buf, expectTag(entry, TAG.SEQUENCE, 'CRL entry'), 3);
      const serialBytes = contentOf(buf, expectTag(serial, TAG.INTEGER, 'CRL entry serial'));
      let start = 0;
      while (start < serialBytes.length - 1 && serialBytes[start] === 0) start++;
      let reason: string | null = null;
      for (const extension of extensions ? children(buf, expectTag(extensions, TAG.SEQUENCE, 'CRL entry extensions'), 16) : []) {
        const parts = children(buf, expectTag(extension, TAG.SEQUENCE, 'extension'), 3);
        if (readOid(buf, parts[0]) !== REASON_CODE) continue;
        const value = parts[parts.length - 1];
        const enumerated = readTlv(buf, value.contentStart, value.contentEnd);
        if (enumerated.tag === 0x0a) reason = revocationReason(buf[enumerated.contentStart]);
      }
      revoked.set(asBuffer(serialBytes).toString('hex', start), { revokedAt: readTime(buf, date), reason });
    }
  }
  return { thisUpdate, nextUpdate, revoked };
}
