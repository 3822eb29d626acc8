import { readAlgorithmIdentifier, readName } from './certificate.js';
import { asBuffer, children, contentOf, expectTag, fail, integerHex, readOid, readTime, readTlv, startReading, TAG } from './der/der-reader.js';

/**
 * RFC 3161 TSTInfo, the content a time-stamping authority signs:
 *
 *   TSTInfo ::= SEQUENCE { version INTEGER, policy OID, messageImprint MessageImprint, serialNumber INTEGER,
 *     genTime GeneralizedTime, accuracy Accuracy OPTIONAL, ordering BOOLEAN DEFAULT FALSE,
 *     nonce INTEGER OPTIONAL, tsa [0] GeneralName OPTIONAL, extensions [1] IMPLICIT Extensions OPTIONAL }
 *
 * Read with the core's zero-copy DER reader rather than pkijs's TSTInfo class: verification stays synchronous
 * and never loads pkijs (see sign-detached.ts). Kezek's TSA client, which is not on the verification path,
 * uses pkijs's TimeStampReq/TimeStampResp.
 */
export interface TstInfo {
  policy: string;
  hashAlgorithm: string;
  hashedMessage: Uint8Array;
  /** Lowercase hex without sign padding. */
  serialHex: string;
  genTime: Date;
  /** The tsa field when it is a directoryName, as `CN=…, O=…`. */
  tsaName: string | null;
  nonceHex: string | null;
}

/** Throws CmsFormatError when `bytes` is not a TSTInfo. */
export function readTstInfo(bytes: Uint8Array): TstInfo {
  const buf = asBuffer(bytes);
  startReading(buf);
  const root = readTlv(buf, 0, buf.length);
  if (root.end !== buf.length) fail('trailing bytes after TSTInfo');
  const fields = children(buf, expectTag(root, TAG.SEQUENCE, 'TSTInfo'), 10);
  if (fields.length < 5) fail('TSTInfo lacks mandatory fields');
  const [version, policy, imprint, serial, genTime] = fields;
  expectTag(version, TAG.INTEGER, 'TSTInfo version');
  const [algorithm, hashed] = children(buf, expectTag(imprint, TAG.SEQUENCE, 'messageImprint'), 2);
  const info: TstInfo = {
    policy: readOid(buf, expectTag(policy, TAG.OID, 'TSTInfo policy')),
    hashAlgorithm: readAlgorithmIdentifier(buf, algorithm ?? fail('messageImprint without algorithm')).oid,
    hashedMessage: contentOf(buf, expectTag(hashed, TAG.OCTET_STRING, 'hashedMessage')),
    serialHex: integerHex(buf, expectTag(serial, TAG.INTEGER, 'TSTInfo serialNumber')),
    genTime: readTime(buf, expectTag(genTime, TAG.GENERALIZED_TIME, 'genTime')),
    tsaName: null,
    nonceHex: null,
  };
  for (const field of fields.slice(5)) {
    if (field.tag === TAG.INTEGER) info.nonceHex = integerHex(buf, field);
    else if (field.tag === 0xa0) {
      // tsa [0] EXPLICIT GeneralName; directoryName is [4] EXPLICIT Name.
      const general = children(buf, field, 1)[0];
      if (general?.tag === 0xa4) info.tsaName = readName(buf, children(buf, general, 1)[0] ?? fail('empty tsa name')).text;
    }
  }
  return info;
}
