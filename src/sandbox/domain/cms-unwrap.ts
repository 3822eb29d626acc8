import * as asn1js from 'asn1js';
import { LRUCache } from 'lru-cache';
import { sha256Hex } from '../../common/crypto/sha256.js';
import * as pkijs from 'pkijs';
import { parseCertificate, type ParsedCertificate } from '../../cms/certificate.js';
import { CmsFormatError } from '../../cms/cms.errors.js';
import { identityFromName } from '../../cms/identity.js';
import { contentBytes, DEFAULT_LIMITS, isSignedDataContentInfo, readSignedDataLayer, type SignedDataLayer, type SignerId } from '../../cms/signed-data.js';

/**
 * What the sandbox needs to know about a CMS it receives or produced: is it a SignedData, what is the
 * innermost content through any nesting, and who signed at each level. A small helper for the sandbox's
 * own needs (the verification logic of Kezek lives elsewhere); it does not verify signatures.
 */
export const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
export const OID_DATA = '1.2.840.113549.1.7.1';

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

/**
 * The same bytes are unwrapped several times in a session's life (checked at upload and again at signing,
 * read for the archive copies): results are kept by the bytes' SHA-256, up to UNWRAPPED_CACHE_BYTES of content.
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

/**
 * Read with Kezek's own DER reader (views into the input, each certificate read once), not pkijs: building
 * pkijs objects for every level and certificate was the largest share of the sandbox's CPU per signed round.
 */
function unwrapUncached(bytes: Uint8Array): UnwrappedCms {
  let current: Uint8Array = bytes;
  const signers: CmsSigner[] = [];
  let levels = 0;
  for (;;) {
    const layer = signedDataLayer(current);
    // The content is copied out, so that a cached result does not hold the whole input.
    if (!layer) return { content: levels === 0 ? current : new Uint8Array(current), levels, signers };
    if (levels >= MAX_NESTING) throw new Error(`CMS nesting deeper than ${MAX_NESTING} levels`);
    signers.push(...layerSigners(layer, levels));
    levels += 1;
    if (!layer.content) return { content: undefined, levels, signers };
    current = contentBytes(layer.content);
  }
}

/** The SignedData that `bytes` is as a whole, or undefined when they are something else (or malformed). */
function signedDataLayer(bytes: Uint8Array): SignedDataLayer | undefined {
  if (!isSignedDataContentInfo(bytes)) return undefined;
  try {
    return readSignedDataLayer(bytes, { ...DEFAULT_LIMITS, maxDepth: MAX_NESTING });
  } catch (error) {
    if (error instanceof CmsFormatError) return undefined;
    throw error;
  }
}

function layerSigners(layer: SignedDataLayer, depth: number): CmsSigner[] {
  const certificates = layer.certificates.flatMap((der) => {
    try {
      return [parseCertificate(der)];
    } catch {
      return []; // a certificate that cannot be read names no one
    }
  });
  return layer.signerInfos.map((signerInfo) => {
    const certificate = certificates.find((candidate) => identifies(signerInfo.sid, candidate));
    const identity = certificate ? identityFromName(certificate.subject) : undefined;
    return {
      depth,
      commonName: identity?.commonName ?? undefined,
      surname: identity?.surname ?? undefined,
      givenName: identity?.givenName ?? undefined,
      iin: identity?.iin ?? undefined,
      signingTime: signerInfo.signedAttrs?.signingTime ?? undefined,
    };
  });
}

function identifies(sid: SignerId, certificate: ParsedCertificate): boolean {
  if (sid.kind === 'issuerAndSerial') return Buffer.compare(certificate.issuer.der, sid.issuer) === 0 && Buffer.compare(certificate.serial, sid.serial) === 0;
  return certificate.subjectKeyIdentifier !== null && Buffer.compare(certificate.subjectKeyIdentifier, sid.keyId) === 0;
}

/** A signer's full name as it reads on a signature sheet: surname, given name, patronymic. */
export function signerFullName(signer: CmsSigner): string {
  if (signer.commonName) return [signer.commonName, signer.givenName].filter(Boolean).join(' ');
  return signer.iin ? `IIN ${signer.iin}` : 'Unknown signer';
}
