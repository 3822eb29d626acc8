import * as asn1js from 'asn1js';
import { LRUCache } from 'lru-cache';
import { sha256Hex } from '../../common/crypto/sha256.js';
import * as pkijs from 'pkijs';

/**
 * What the sandbox needs to know about a CMS it receives or produced: is it a SignedData, what is the
 * innermost content through any nesting, and who signed at each level. A small helper for the sandbox's
 * own needs (the verification logic of Kezek lives elsewhere); it does not verify signatures.
 */
export const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
export const OID_DATA = '1.2.840.113549.1.7.1';
const OID_SIGNING_TIME = '1.2.840.113549.1.9.5';

/** Bound on nesting: a chain of signers deeper than this is refused rather than walked. */
export const MAX_NESTING = 64;

export interface CmsSigner {
  /** 0 for the outermost SignedData, increasing inwards. */
  depth: number;
  commonName?: string;
  surname?: string;
  /** GIVENNAME in NCA certificates holds the patronymic. */
  givenName?: string;
  /** The IIN from SERIALNUMBER "IIN…", when present. */
  iin?: string;
  signingTime?: Date;
}

export interface UnwrappedCms {
  /** The innermost content (undefined when the innermost SignedData is detached). */
  content?: Uint8Array;
  /** How many SignedData levels were peeled off (0: the input was not a CMS). */
  levels: number;
  signers: CmsSigner[];
}

function toBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** The SignedData in `bytes`, or undefined when the bytes are not a DER/BER ContentInfo of type signedData. */
export function parseSignedData(bytes: Uint8Array): pkijs.SignedData | undefined {
  if (bytes.length < 16 || bytes[0] !== 0x30) return undefined;
  const asn1 = asn1js.fromBER(toBuffer(bytes));
  if (asn1.offset === -1) return undefined;
  try {
    const contentInfo = new pkijs.ContentInfo({ schema: asn1.result });
    if (contentInfo.contentType !== OID_SIGNED_DATA) return undefined;
    return new pkijs.SignedData({ schema: contentInfo.content });
  } catch {
    return undefined;
  }
}

export function isCms(bytes: Uint8Array): boolean {
  return parseSignedData(bytes) !== undefined;
}

/** The encapsulated content of a SignedData (primitive or constructed OCTET STRING), or undefined if detached. */
export function encapsulatedContent(signedData: pkijs.SignedData): Uint8Array | undefined {
  const eContent = signedData.encapContentInfo.eContent;
  if (!eContent) return undefined;
  if (eContent.idBlock.isConstructed) {
    const parts = (eContent.valueBlock.value as asn1js.OctetString[]).map((part) => new Uint8Array(part.valueBlock.valueHexView));
    return new Uint8Array(Buffer.concat(parts));
  }
  return new Uint8Array(eContent.valueBlock.valueHexView);
}

function attributeText(certificate: pkijs.Certificate, oid: string): string | undefined {
  const found = certificate.subject.typesAndValues.find((tv) => tv.type === oid);
  const value = found?.value as { valueBlock?: { value?: unknown } } | undefined;
  return typeof value?.valueBlock?.value === 'string' ? value.valueBlock.value : undefined;
}

function certificateOf(signedData: pkijs.SignedData, signerInfo: pkijs.SignerInfo): pkijs.Certificate | undefined {
  const certificates = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const sid = signerInfo.sid;
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return certificates.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber));
  }
  // SubjectKeyIdentifier: match the certificate's own SKI extension (2.5.29.14).
  const wanted = Buffer.from((sid as asn1js.OctetString).valueBlock.valueHexView);
  return certificates.find((c) => {
    const ski = c.extensions?.find((e) => e.extnID === '2.5.29.14');
    const parsed = ski?.parsedValue as asn1js.OctetString | undefined;
    return parsed ? Buffer.from(parsed.valueBlock.valueHexView).equals(wanted) : false;
  });
}

function signingTimeOf(signerInfo: pkijs.SignerInfo): Date | undefined {
  const attribute = signerInfo.signedAttrs?.attributes.find((a) => a.type === OID_SIGNING_TIME);
  const value = attribute?.values[0] as asn1js.UTCTime | asn1js.GeneralizedTime | undefined;
  return value ? value.toDate() : undefined;
}

export function signersOf(signedData: pkijs.SignedData, depth: number): CmsSigner[] {
  return signedData.signerInfos.map((signerInfo) => {
    const certificate = certificateOf(signedData, signerInfo);
    const serialNumber = certificate ? attributeText(certificate, '2.5.4.5') : undefined;
    return {
      depth,
      commonName: certificate ? attributeText(certificate, '2.5.4.3') : undefined,
      surname: certificate ? attributeText(certificate, '2.5.4.4') : undefined,
      givenName: certificate ? attributeText(certificate, '2.5.4.42') : undefined,
      iin: serialNumber?.startsWith('IIN') ? serialNumber.slice(3) : undefined,
      signingTime: signingTimeOf(signerInfo),
    };
  });
}

/**
 * The same bytes are unwrapped several times in a session's life (checked at upload and again at signing,
 * read for the archive copies), and a parse builds every certificate of every level: results are kept by
 * the bytes' SHA-256, up to UNWRAPPED_CACHE_BYTES of content.
 */
const UNWRAPPED_CACHE_BYTES = 64 * 1024 * 1024;
const unwrapped = new LRUCache<string, UnwrappedCms>({ maxSize: UNWRAPPED_CACHE_BYTES, sizeCalculation: (value) => Math.max(1, value.content?.byteLength ?? 0) });

/** Peels SignedData levels off until the content is not a CMS; collects the signers of every level. */
export function unwrapCms(bytes: Uint8Array): UnwrappedCms {
  const key = sha256Hex(bytes);
  const known = unwrapped.get(key);
  if (known) return known;
  const result = unwrapUncached(bytes);
  if ((result.content?.byteLength ?? 0) <= UNWRAPPED_CACHE_BYTES / 8) unwrapped.set(key, result);
  return result;
}

function unwrapUncached(bytes: Uint8Array): UnwrappedCms {
  let current: Uint8Array | undefined = bytes;
  const signers: CmsSigner[] = [];
  let levels = 0;
  while (current) {
    const signedData = parseSignedData(current);
    if (!signedData) break;
    if (levels >= MAX_NESTING) throw new Error(`CMS nesting deeper than ${MAX_NESTING} levels`);
    signers.push(...signersOf(signedData, levels));
    levels += 1;
    current = encapsulatedContent(signedData);
  }
  return { content: current, levels, signers };
}

/** A signer's full name as it reads on a signature sheet: surname, given name, patronymic. */
export function signerFullName(signer: CmsSigner): string {
  if (signer.commonName) return [signer.commonName, signer.givenName].filter(Boolean).join(' ');
  return signer.iin ? `IIN ${signer.iin}` : 'Unknown signer';
}
