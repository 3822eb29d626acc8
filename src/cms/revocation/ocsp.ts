import { createHash, randomBytes } from 'node:crypto';
import { verifySignature } from '../algorithms.js';
import { parseCertificate, publicKeyOf, readAlgorithmIdentifier, type ParsedCertificate } from '../certificate.js';
import { CmsFormatError } from '../cms.errors.js';
import { asBuffer, bitStringBytes, children, contentOf, encodingOf, expectTag, fail, readOid, readTime, readTlv, startReading, TAG, type Tlv } from '../der/der-reader.js';
import { encodeOid, tlv } from '../der/der-writer.js';
import { OID } from '../oids.js';
import { revocationReason } from './revocation-reasons.js';

/**
 * OCSP (RFC 6960) as a client: the request for one certificate, and the responder's answer read and
 * checked (signed by the issuer or by a responder the issuer delegated with id-kp-OCSPSigning, about this
 * very certificate, fresh, echoing our nonce when it echoes one). Read with the core's DER reader so that
 * the responder's signature is checked by the same code as every other (RSA, ECDSA, Kazakhstan GOST).
 */
const SHA1 = '1.3.14.3.2.26';
const NONCE = '1.3.6.1.5.5.7.48.1.2';
const BASIC = '1.3.6.1.5.5.7.48.1.1';
/** Clock difference allowed between Kezek and a responder. */
const SKEW_MS = 5 * 60_000;

const RESPONSE_STATUS = ['successful', 'malformedRequest', 'internalError', 'tryLater', '(unused)', 'sigRequired', 'unauthorized'];

export interface OcspRequest {
  der: Buffer;
  nonce: Buffer;
}

export function buildOcspRequest(cert: ParsedCertificate, issuer: ParsedCertificate): OcspRequest {
  const nonce = randomBytes(16);
  const certId = tlv(
    0x30,
    tlv(0x30, encodeOid(SHA1), Uint8Array.of(0x05, 0x00)),
    tlv(0x04, createHash('sha1').update(issuer.subject.der).digest()),
    tlv(0x04, createHash('sha1').update(issuer.publicKeyBits).digest()),
    tlv(0x02, cert.serial),
  );
  const nonceExtension = tlv(0x30, encodeOid(NONCE), tlv(0x04, tlv(0x04, nonce)));
  const tbsRequest = tlv(0x30, tlv(0x30, tlv(0x30, certId)), tlv(0xa2, tlv(0x30, nonceExtension)));
  return { der: tlv(0x30, tbsRequest), nonce };
}

export interface OcspAnswer {
  status: 'good' | 'revoked' | 'unknown';
  thisUpdate: Date;
  nextUpdate: Date | null;
  revokedAt: Date | null;
  reason: string | null;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return asBuffer(a).equals(asBuffer(b));
}

function serialOf(buf: Uint8Array, integer: Tlv): string {
  // Compare serials by value: strip sign padding.
  const bytes = contentOf(buf, expectTag(integer, TAG.INTEGER, 'serialNumber'));
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return asBuffer(bytes).toString('hex', i);
}

/** The responder that signed: the issuer itself, or a certificate the issuer issued for OCSP signing. */
function responderSigned(tbs: Uint8Array, algorithm: ReturnType<typeof readAlgorithmIdentifier>, signature: Uint8Array, issuer: ParsedCertificate, certs: ParsedCertificate[], at: Date): string | null {
  const signedBy = (key: ParsedCertificate) => verifySignature(algorithm, null, publicKeyOf(key), key.publicKeyAlgorithm.oid, tbs, signature).status === 'valid';
  if (signedBy(issuer)) return null;
  for (const delegate of certs.slice(0, 4)) {
    if (!sameBytes(delegate.issuer.der, issuer.subject.der)) continue;
    const issued = verifySignature(delegate.signatureAlgorithm, null, publicKeyOf(issuer), issuer.publicKeyAlgorithm.oid, delegate.tbs, delegate.signatureValue).status === 'valid';
    if (!issued || !delegate.extendedKeyUsage?.has(OID.ocspSigning)) continue;
    if (delegate.notBefore.getTime() > at.getTime() + SKEW_MS || delegate.notAfter.getTime() < at.getTime() - SKEW_MS) return 'the OCSP responder certificate is not valid now';
    if (signedBy(delegate)) return null;
  }
  return 'the OCSP answer is not signed by the issuer or a responder it delegated';
}

/** Reads and checks an OCSP answer about `cert`; throws CmsFormatError with what is wrong. */
export function readOcspResponse(bytes: Uint8Array, cert: ParsedCertificate, issuer: ParsedCertificate, nonce: Uint8Array | null, now: Date): OcspAnswer {
  const buf = asBuffer(bytes);
  startReading(buf);
  const root = readTlv(buf, 0, buf.length);
  const [statusTlv, responseBytes] = children(buf, expectTag(root, TAG.SEQUENCE, 'OCSPResponse'), 2);
  const status = statusTlv?.tag === 0x0a && statusTlv.contentEnd - statusTlv.contentStart === 1 ? buf[statusTlv.contentStart] : fail('OCSPResponse without a status');
  if (status !== 0) fail(`the responder answered "${RESPONSE_STATUS[status] ?? status}"`);
  const [typeTlv, octets] = children(buf, expectTag(children(buf, expectTag(responseBytes, 0xa0, 'responseBytes'), 1)[0], TAG.SEQUENCE, 'ResponseBytes'), 2);
  if (readOid(buf, typeTlv) !== BASIC) fail('not a basic OCSP response');
  const basicTlv = readTlv(buf, expectTag(octets, TAG.OCTET_STRING, 'response').contentStart, octets.contentEnd);
  const [tbsTlv, algTlv, sigTlv, certsTlv] = children(buf, expectTag(basicTlv, TAG.SEQUENCE, 'BasicOCSPResponse'), 4);
  const algorithm = readAlgorithmIdentifier(buf, algTlv ?? fail('BasicOCSPResponse without signatureAlgorithm'));
  const signature = bitStringBytes(buf, expectTag(sigTlv, TAG.BIT_STRING, 'OCSP signature')).bytes;
  const certs: ParsedCertificate[] = [];
  if (certsTlv?.tag === 0xa0) {
    for (const c of children(buf, expectTag(children(buf, certsTlv, 1)[0], TAG.SEQUENCE, 'certs'), 8)) certs.push(parseCertificate(encodingOf(buf, c)));
  }

  const fields = children(buf, expectTag(tbsTlv, TAG.SEQUENCE, 'ResponseData'), 5);
  let i = fields[0]?.tag === 0xa0 ? 1 : 0;
  i++; // responderID: the signature check below decides who answered
  const producedAt = readTime(buf, expectTag(fields[i++], TAG.GENERALIZED_TIME, 'producedAt'));
  const responses = children(buf, expectTag(fields[i++], TAG.SEQUENCE, 'responses'), 64);
  const extensions = fields[i]?.tag === 0xa1 ? children(buf, expectTag(children(buf, fields[i], 1)[0], TAG.SEQUENCE, 'responseExtensions'), 16) : [];

  const unsigned = responderSigned(encodingOf(buf, tbsTlv), algorithm, signature, issuer, certs, producedAt);
  if (unsigned) fail(unsigned);

  for (const extension of extensions) {
    const parts = children(buf, expectTag(extension, TAG.SEQUENCE, 'extension'), 3);
    if (readOid(buf, parts[0]) !== NONCE || !nonce) continue;
    const value = contentOf(buf, expectTag(parts[parts.length - 1], TAG.OCTET_STRING, 'nonce'));
    // RFC 8954: the nonce is an OCTET STRING inside extnValue; some responders send the bare bytes.
    const inner = value[0] === TAG.OCTET_STRING ? contentOf(value, readTlv(value, 0)) : value;
    if (!sameBytes(inner, nonce)) fail('the OCSP answer does not echo our nonce (a replayed answer?)');
  }

  const issuerNameHash = createHash('sha1').update(issuer.subject.der).digest();
  const issuerKeyHash = createHash('sha1').update(issuer.publicKeyBits).digest();
  for (const single of responses) {
    const [certIdTlv, statusChoice, thisUpdateTlv, ...rest] = children(buf, expectTag(single, TAG.SEQUENCE, 'SingleResponse'), 5);
    const [hashAlg, nameHash, keyHash, serial] = children(buf, expectTag(certIdTlv, TAG.SEQUENCE, 'CertID'), 4);
    if (serialOf(buf, serial) !== cert.serialHex) continue;
    const hashOid = readAlgorithmIdentifier(buf, hashAlg).oid;
    const names = hashOid === SHA1 ? [issuerNameHash, issuerKeyHash] : null;
    if (names && (!sameBytes(contentOf(buf, nameHash), names[0]) || !sameBytes(contentOf(buf, keyHash), names[1]))) continue;
    const thisUpdate = readTime(buf, expectTag(thisUpdateTlv, TAG.GENERALIZED_TIME, 'thisUpdate'));
    const next = rest.find((t) => t.tag === 0xa0);
    const nextUpdate = next ? readTime(buf, children(buf, next, 1)[0] ?? fail('empty nextUpdate')) : null;
    if (thisUpdate.getTime() > now.getTime() + SKEW_MS) fail(`the OCSP answer is dated in the future (${thisUpdate.toISOString()})`);
    if (nextUpdate && nextUpdate.getTime() < now.getTime() - SKEW_MS) fail(`the OCSP answer is stale (next update was due ${nextUpdate.toISOString()})`);
    if (statusChoice?.tag === 0x80) return { status: 'good', thisUpdate, nextUpdate, revokedAt: null, reason: null };
    if (statusChoice?.tag === 0x82) return { status: 'unknown', thisUpdate, nextUpdate, revokedAt: null, reason: null };
    if (statusChoice?.tag === 0xa1) {
      const [timeTlv, reasonTlv] = children(buf, statusChoice, 2);
      const revokedAt = readTime(buf, expectTag(timeTlv, TAG.GENERALIZED_TIME, 'revocationTime'));
      const code = reasonTlv ? children(buf, reasonTlv, 1)[0] : undefined;
      return { status: 'revoked', thisUpdate, nextUpdate, revokedAt, reason: code ? revocationReason(buf[code.contentStart]) : null };
    }
    fail('unknown OCSP certStatus');
  }
  throw new CmsFormatError('the OCSP answer does not speak of this certificate');
}
