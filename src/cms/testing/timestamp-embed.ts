import { children, encodingOf, readTlv, startReading } from '../der/der-reader.js';
import { encodeOid, tlv } from '../der/der-writer.js';
import { OID } from '../oids.js';

/**
 * Adds id-aa-signatureTimeStampToken unsigned attributes to one signerInfo of a DER CMS's outermost
 * SignedData (what a CAdES-T signer does; OpenSSL's cms command cannot). The signature stays valid: unsigned
 * attributes are outside what it covers.
 */
export function embedSignatureTimestamps(cms: Uint8Array, signerIndex: number, tokens: Uint8Array[], extraAttribute?: Uint8Array): Buffer {
  const buf = Buffer.from(cms);
  startReading(buf);
  const root = readTlv(buf, 0);
  const [type, explicit] = children(buf, root);
  const signedData = children(buf, explicit)[0];
  const fields = children(buf, signedData);
  const signerInfos = fields[fields.length - 1];
  const infos = children(buf, signerInfos).map((info, i) => {
    if (i !== signerIndex) return encodingOf(buf, info);
    const parts = children(buf, info).map((part) => encodingOf(buf, part));
    const attribute = tlv(0x30, encodeOid(OID.signatureTimeStampToken), tlv(0x31, ...tokens));
    return tlv(0x30, ...parts, extraAttribute ?? tlv(0xa1, attribute));
  });
  const newSignedData = tlv(0x30, ...fields.slice(0, -1).map((f) => encodingOf(buf, f)), tlv(0x31, ...infos));
  return tlv(0x30, encodingOf(buf, type), tlv(0xa0, newSignedData));
}
