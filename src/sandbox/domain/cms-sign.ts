import { webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { encapsulatedContent, OID_DATA, OID_SIGNED_DATA, parseSignedData } from './cms-unwrap.js';
import { LRUCache } from 'lru-cache';
import { sha256, sha256Hex } from '../../common/crypto/sha256.js';

pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as never }));

type CryptoKey = webcrypto.CryptoKey;

const OID_SHA256 = '2.16.840.1.101.3.4.2.1';
const OID_CONTENT_TYPE = '1.2.840.113549.1.9.3';
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const OID_SIGNING_TIME = '1.2.840.113549.1.9.5';

export interface Signer {
  certificateDer: Uint8Array;
  privateKey: CryptoKey;
}

export interface SignOptions {
  /** Leave the content out of the SignedData (the verifier must supply it). */
  detached?: boolean;
  signingTime: Date;
}

function toBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/**
 * A person's certificate signs every session of theirs: parsed once (pkijs builds it field by field) and kept
 * by its SHA-256. The parsed certificate is only read, by the SignedData that lists it.
 */
const parsedCertificates = new LRUCache<string, pkijs.Certificate>({ max: 1024 });
function parseCertificate(der: Uint8Array): pkijs.Certificate {
  const key = sha256Hex(der);
  let parsed = parsedCertificates.get(key);
  if (!parsed) parsedCertificates.set(key, (parsed = pkijs.Certificate.fromBER(toBuffer(der))));
  return parsed;
}

/** signedAttrs: contentType, messageDigest (SHA-256 of the content) and signingTime. */
function newSignerInfo(certificate: pkijs.Certificate, content: Uint8Array, signingTime: Date): pkijs.SignerInfo {
  const digest = sha256(content);
  // UTCTime covers 1950–2049; GeneralizedTime after that (RFC 5652 §11.3).
  const time = signingTime.getUTCFullYear() < 2050 ? new asn1js.UTCTime({ valueDate: signingTime }) : new asn1js.GeneralizedTime({ valueDate: signingTime });
  return new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID_SHA256, algorithmParams: new asn1js.Null() }),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({
      type: 0,
      attributes: [
        new pkijs.Attribute({ type: OID_CONTENT_TYPE, values: [new asn1js.ObjectIdentifier({ value: OID_DATA })] }),
        new pkijs.Attribute({ type: OID_SIGNING_TIME, values: [time] }),
        new pkijs.Attribute({ type: OID_MESSAGE_DIGEST, values: [new asn1js.OctetString({ valueHex: toBuffer(digest) })] }),
      ],
    }),
  });
}

function encode(signedData: pkijs.SignedData): Uint8Array {
  const contentInfo = new pkijs.ContentInfo({ contentType: OID_SIGNED_DATA, content: signedData.toSchema(true) });
  return new Uint8Array(contentInfo.toSchema().toBER(false));
}

/**
 * A new SignedData over `content` with one signer: attached by default. Nesting is this function applied to
 * the DER of an earlier CMS: its bytes become the new encapsulated content.
 */
export async function signContent(content: Uint8Array, signer: Signer, options: SignOptions): Promise<Uint8Array> {
  const certificate = parseCertificate(signer.certificateDer);
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: OID_DATA,
      ...(options.detached ? {} : { eContent: new asn1js.OctetString({ valueHex: toBuffer(content) }) }),
    }),
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: OID_SHA256, algorithmParams: new asn1js.Null() })],
    signerInfos: [newSignerInfo(certificate, content, options.signingTime)],
    certificates: [certificate],
  });
  await signedData.sign(signer.privateKey as never, 0, 'SHA-256', options.detached ? toBuffer(content) : undefined);
  return encode(signedData);
}

/**
 * Co-signing: adds a signerInfo (and its certificate) beside the existing ones, over the same encapsulated
 * content. A detached CMS needs its content in `detachedContent`.
 */
export async function addSigner(cms: Uint8Array, signer: Signer, options: { signingTime: Date; detachedContent?: Uint8Array }): Promise<Uint8Array> {
  const signedData = parseSignedData(cms);
  if (!signedData) throw new Error('not a CMS SignedData');
  const attached = encapsulatedContent(signedData);
  const content = attached ?? options.detachedContent;
  if (!content) throw new Error('the CMS is detached and no content was given');
  const certificate = parseCertificate(signer.certificateDer);
  const certificates = signedData.certificates ?? [];
  const known = certificates.some((c) => c instanceof pkijs.Certificate && c.issuer.isEqual(certificate.issuer) && c.serialNumber.isEqual(certificate.serialNumber));
  if (!known) certificates.push(certificate);
  signedData.certificates = certificates;
  if (!signedData.digestAlgorithms.some((a) => a.algorithmId === OID_SHA256)) {
    signedData.digestAlgorithms.push(new pkijs.AlgorithmIdentifier({ algorithmId: OID_SHA256, algorithmParams: new asn1js.Null() }));
  }
  signedData.signerInfos.push(newSignerInfo(certificate, content, options.signingTime));
  await signedData.sign(signer.privateKey as never, signedData.signerInfos.length - 1, 'SHA-256', attached ? undefined : toBuffer(content));
  return encode(signedData);
}
