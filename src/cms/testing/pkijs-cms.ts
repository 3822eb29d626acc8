import * as asn1js from 'asn1js';
import { webcrypto } from 'node:crypto';
import * as pkijs from 'pkijs';

/**
 * CMS made with pkijs the way the sandbox signs: attached content (id-data), SHA-256 with RSA, signed
 * attributes contentType, messageDigest and signingTime, the signer certificate included, the signer
 * identified by issuer and serial number. Nesting signs the whole previous CMS as id-data content;
 * co-signing adds a signerInfo to an existing SignedData.
 */
const engine = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'] });
type CryptoKey = webcrypto.CryptoKey;

export interface PkijsSigner {
  certPem: string;
  keyPem: string;
}

function pemBody(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

async function importKey(keyPem: string): Promise<CryptoKey> {
  return engine.importKey('pkcs8', toArrayBuffer(pemBody(keyPem)), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
}

async function signerInfoFor(cert: pkijs.Certificate, content: Uint8Array, signingTime: Date): Promise<pkijs.SignerInfo> {
  const digest = await engine.digest({ name: 'SHA-256' }, toArrayBuffer(content));
  return new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({
      type: 0,
      attributes: [
        new pkijs.Attribute({ type: '1.2.840.113549.1.9.3', values: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.7.1' })] }),
        new pkijs.Attribute({ type: '1.2.840.113549.1.9.5', values: [new asn1js.UTCTime({ valueDate: signingTime })] }),
        new pkijs.Attribute({ type: '1.2.840.113549.1.9.4', values: [new asn1js.OctetString({ valueHex: digest })] }),
      ],
    }),
  });
}

function encode(signedData: pkijs.SignedData): Buffer {
  const contentInfo = new pkijs.ContentInfo({ contentType: pkijs.ContentInfo.SIGNED_DATA, content: signedData.toSchema(true) });
  return Buffer.from(contentInfo.toSchema().toBER(false));
}

/** A new attached SignedData over `content` (which may be a previous CMS: nesting). */
export async function pkijsSign(content: Uint8Array, signer: PkijsSigner, signingTime = new Date()): Promise<Buffer> {
  const cert = pkijs.Certificate.fromBER(pemBody(signer.certPem));
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: '1.2.840.113549.1.7.1', eContent: new asn1js.OctetString({ valueHex: toArrayBuffer(content) }) }),
    signerInfos: [await signerInfoFor(cert, content, signingTime)],
    certificates: [cert],
  });
  await signedData.sign(await importKey(signer.keyPem), 0, 'SHA-256', undefined, engine);
  return encode(signedData);
}

/** Adds a co-signer (another signerInfo) to an attached SignedData. */
export async function pkijsCosign(cms: Uint8Array, signer: PkijsSigner, signingTime = new Date()): Promise<Buffer> {
  const contentInfo = pkijs.ContentInfo.fromBER(cms);
  const signedData = new pkijs.SignedData({ schema: contentInfo.content });
  const eContent = signedData.encapContentInfo.eContent;
  if (!eContent) throw new Error('co-signing needs attached content');
  const content = eContent.idBlock.isConstructed
    ? Buffer.concat(eContent.valueBlock.value.map((piece) => Buffer.from((piece as asn1js.OctetString).valueBlock.valueHexView)))
    : Buffer.from(eContent.valueBlock.valueHexView);
  const cert = pkijs.Certificate.fromBER(pemBody(signer.certPem));
  signedData.signerInfos.push(await signerInfoFor(cert, content, signingTime));
  signedData.certificates = [...(signedData.certificates ?? []), cert];
  await signedData.sign(await importKey(signer.keyPem), signedData.signerInfos.length - 1, 'SHA-256', undefined, engine);
  return encode(signedData);
}

/** An RSA SubjectPublicKeyInfo with a random modulus of `bits` and a random exponent of `exponentBits`. */
export function hostileRsaSpki(bits: number, exponentBits: number): Buffer {
  const number = (size: number) => {
    const bytes = webcrypto.getRandomValues(new Uint8Array(Math.ceil(size / 8)));
    bytes[0] |= 0x80;
    bytes[bytes.length - 1] |= 1;
    return new asn1js.Integer({ valueHex: toArrayBuffer(Buffer.concat([Buffer.alloc(1), bytes])) });
  };
  const rsaKey = new asn1js.Sequence({ value: [number(bits), number(exponentBits)] });
  const spki = new pkijs.PublicKeyInfo({
    algorithm: new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.113549.1.1.1', algorithmParams: new asn1js.Null() }),
    subjectPublicKey: new asn1js.BitString({ valueHex: rsaKey.toBER(false) }),
  });
  return Buffer.from(spki.toSchema().toBER(false));
}

/**
 * A CMS made to cost a verifier as much as possible: `signers` signerInfos by the same signer over the
 * content, and `decoyCas` certificates that copy the issuing CA's name and key identifier but carry costly
 * RSA keys (a 3072-bit exponent, or a 16384-bit modulus), so a verifier without limits checks every decoy
 * for every signer's chain. Each signer signs at a different second, so a chain cache keyed by time misses.
 */
export async function pkijsCmsBomb(content: Uint8Array, signer: PkijsSigner, caCertPem: string, options: { signers: number; decoyCas: number }): Promise<Buffer> {
  const cert = pkijs.Certificate.fromBER(pemBody(signer.certPem));
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: '1.2.840.113549.1.7.1', eContent: new asn1js.OctetString({ valueHex: toArrayBuffer(content) }) }),
    signerInfos: [],
    certificates: [cert],
  });
  const key = await importKey(signer.keyPem);
  for (let i = 0; i < options.signers; i++) {
    signedData.signerInfos.push(await signerInfoFor(cert, content, new Date(Date.now() + i * 1000)));
    await signedData.sign(key, i, 'SHA-256', undefined, engine);
  }
  for (let i = 0; i < options.decoyCas; i++) {
    const decoy = pkijs.Certificate.fromBER(pemBody(caCertPem));
    decoy.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(i % 2 === 0 ? hostileRsaSpki(3072, 3072) : hostileRsaSpki(16384, 20));
    decoy.serialNumber = new asn1js.Integer({ value: 1000 + i });
    signedData.certificates!.push(pkijs.Certificate.fromBER(decoy.toSchema(true).toBER(false)));
  }
  return encode(signedData);
}
