import { webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { sha256 } from '../common/crypto/sha256.js';

/**
 * Making a detached CMS (the verifier supplies the content) with an RSA WebCrypto key: the instance seal of
 * evidence packs and the sandbox's PAdES reports. pkijs builds it because the keys are WebCrypto keys; kept out
 * of index.ts so that verification never loads pkijs.
 */
pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as never }));

const OID_DATA = '1.2.840.113549.1.7.1';
const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_SHA256 = '2.16.840.1.101.3.4.2.1';
const OID_CONTENT_TYPE = '1.2.840.113549.1.9.3';
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const OID_SIGNING_TIME = '1.2.840.113549.1.9.5';
const OID_SIGNING_CERTIFICATE_V2 = '1.2.840.113549.1.9.16.2.47';

export interface DetachedSigner {
  certificateDer: Uint8Array;
  privateKey: webcrypto.CryptoKey;
}

export interface DetachedSignOptions {
  /** The signingTime attribute; PAdES leaves it out (the signature dictionary carries the time). */
  signingTime?: Date;
  /** The signing-certificate-v2 attribute (SHA-256 of the certificate), as PAdES baseline asks. */
  signingCertificateV2?: boolean;
}

function arrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

const sha256Bytes = (bytes: Uint8Array) => arrayBuffer(sha256(bytes));

/** A detached CMS (DER) over `content`: contentType and messageDigest signed (plus the chosen attributes), the certificate included. */
export async function signDetachedCms(content: Uint8Array, signer: DetachedSigner, options: DetachedSignOptions = {}): Promise<Uint8Array> {
  const certificate = pkijs.Certificate.fromBER(arrayBuffer(signer.certificateDer));
  const attributes = [new pkijs.Attribute({ type: OID_CONTENT_TYPE, values: [new asn1js.ObjectIdentifier({ value: OID_DATA })] })];
  if (options.signingTime) {
    const time = options.signingTime;
    // UTCTime covers 1950–2049; GeneralizedTime after that (RFC 5652 §11.3).
    attributes.push(new pkijs.Attribute({ type: OID_SIGNING_TIME, values: [time.getUTCFullYear() < 2050 ? new asn1js.UTCTime({ valueDate: time }) : new asn1js.GeneralizedTime({ valueDate: time })] }));
  }
  attributes.push(new pkijs.Attribute({ type: OID_MESSAGE_DIGEST, values: [new asn1js.OctetString({ valueHex: sha256Bytes(content) })] }));
  if (options.signingCertificateV2) {
    // SigningCertificateV2 { certs: [ ESSCertIDv2 { certHash } ] } with the default hash (SHA-256).
    const essCertId = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: sha256Bytes(signer.certificateDer) })] });
    attributes.push(new pkijs.Attribute({ type: OID_SIGNING_CERTIFICATE_V2, values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertId] })] })] }));
  }
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID_DATA }),
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: OID_SHA256, algorithmParams: new asn1js.Null() })],
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }),
        digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID_SHA256, algorithmParams: new asn1js.Null() }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes }),
      }),
    ],
    certificates: [certificate],
  });
  await signedData.sign(signer.privateKey as never, 0, 'SHA-256', arrayBuffer(content));
  return new Uint8Array(new pkijs.ContentInfo({ contentType: OID_SIGNED_DATA, content: signedData.toSchema(true) }).toSchema().toBER(false));
}
