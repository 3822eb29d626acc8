import { CmsFormatError } from './cms.errors.js';
import {
  asBuffer,
  children,
  contentOf,
  encodingOf,
  expectTag,
  fail,
  octetStringSegments,
  readOid,
  readTime,
  readTlv,
  smallInteger,
  startReading,
  TAG,
  type Tlv,
} from './der/der-reader.js';
import { readAlgorithmIdentifier, type AlgorithmIdentifier } from './certificate.js';
import { OID } from './oids.js';

/**
 * The CMS structure as far as verification needs it, read with the zero-copy DER reader: content octets
 * are located (as views, never copied or parsed), the signed parts and certificates are kept as views.
 */
export interface CmsLimits {
  /** Largest input accepted, in bytes (default 64 MiB). */
  maxInputBytes: number;
  /** Deepest nesting of SignedData inside SignedData (default 32). */
  maxDepth: number;
  /** Most signerInfos in one SignedData (default 64) and in all layers together (4x that). */
  maxSignersPerLayer: number;
  /** Most certificates in one SignedData (default 256). */
  maxCertificatesPerLayer: number;
}

export const DEFAULT_LIMITS: CmsLimits = {
  maxInputBytes: 64 * 1024 * 1024,
  maxDepth: 32,
  maxSignersPerLayer: 64,
  maxCertificatesPerLayer: 256,
};

export type SignerId = { kind: 'issuerAndSerial'; issuer: Uint8Array; serial: Uint8Array } | { kind: 'subjectKeyIdentifier'; keyId: Uint8Array };

export interface SignedAttributes {
  /** The bytes the signature covers: the attributes re-tagged as a DER SET (RFC 5652 §5.4). */
  signedBytes: Buffer;
  contentType: string | null;
  messageDigest: Uint8Array | null;
  signingTime: Date | null;
  /** Problems that make the signer malformed (missing or repeated mandatory attributes). */
  problems: string[];
}

export interface RawSignerInfo {
  index: number;
  /** The signerInfo's own encoding (for merging). */
  encoding: Uint8Array;
  version: number;
  sid: SignerId;
  digestAlgorithm: AlgorithmIdentifier;
  signedAttrs: SignedAttributes | null;
  signatureAlgorithm: AlgorithmIdentifier;
  signature: Uint8Array;
  /**
   * The values of id-aa-signatureTimeStampToken unsigned attributes (RFC 3161 appendix A), each the
   * encoding of a timestamp token (a ContentInfo), in order. Empty when there are none.
   */
  timestampTokens: Uint8Array[];
  /** Why the unsigned attributes could not be read (the signature itself is unaffected: they are unsigned). */
  unsignedAttrsProblem: string | null;
}

export interface ContentRef {
  /** The content octets, in order, as views into the input (BER may split them into chunks). */
  segments: Uint8Array[];
  size: number;
}

export interface SignedDataLayer {
  version: number;
  eContentType: string;
  /** The encapsulated content, or null for a detached signature. */
  content: ContentRef | null;
  certificates: Uint8Array[];
  /** Encodings of the CRL choices, carried over when merging. */
  crls: Uint8Array[];
  signerInfos: RawSignerInfo[];
}

const SIGNED_DATA_OID = Buffer.from('06092a864886f70d010702', 'hex');

/** Joins content segments into one view (a copy only when BER split them). */
export function contentBytes(content: ContentRef): Buffer {
  return content.segments.length === 1 ? asBuffer(content.segments[0]) : Buffer.concat(content.segments);
}

/**
 * Whether `bytes` is, as a whole, a ContentInfo of type SignedData: the test for "the content is itself a
 * CMS" (the next signer signed the previous CMS). Cheap: reads three headers.
 */
export function isSignedDataContentInfo(bytes: Uint8Array): boolean {
  if (bytes.length < 15 || bytes[0] !== TAG.SEQUENCE) return false;
  try {
    const root = readTlv(bytes, 0, bytes.length);
    if (root.end !== bytes.length) return false;
    const oid = readTlv(bytes, root.contentStart, root.contentEnd);
    if (oid.tag !== TAG.OID || !asBuffer(encodingOf(bytes, oid)).equals(SIGNED_DATA_OID)) return false;
    return readTlv(bytes, oid.end, root.contentEnd).tag === 0xa0;
  } catch {
    return false;
  }
}

function readSignedAttributes(buf: Uint8Array, tlv: Tlv): SignedAttributes {
  const problems: string[] = [];
  let contentType: string | null = null;
  let messageDigest: Uint8Array | null = null;
  let signingTime: Date | null = null;
  const seen = new Set<string>();
  const attributes = children(buf, tlv, 256);
  for (const attribute of attributes) {
    const [typeTlv, valuesTlv] = children(buf, expectTag(attribute, TAG.SEQUENCE, 'attribute'), 2);
    const type = readOid(buf, typeTlv);
    const values = children(buf, expectTag(valuesTlv, TAG.SET, 'attribute values'), 64);
    if (seen.has(type) && (type === OID.contentType || type === OID.messageDigest || type === OID.signingTime)) {
      problems.push(`attribute ${type} appears twice`);
    }
    seen.add(type);
    if (type === OID.contentType || type === OID.messageDigest || type === OID.signingTime) {
      if (values.length !== 1) {
        problems.push(`attribute ${type} must have exactly one value`);
        continue;
      }
      const value = values[0];
      if (type === OID.contentType) contentType = readOid(buf, value);
      else if (type === OID.messageDigest) messageDigest = contentOf(buf, expectTag(value, TAG.OCTET_STRING, 'messageDigest'));
      else signingTime = readTime(buf, value);
    }
  }
  if (!contentType) problems.push('signed attributes lack contentType');
  if (!messageDigest) problems.push('signed attributes lack messageDigest');
  // The signature covers the DER SET: the same bytes with the SET tag (a definite length re-encoded if the
  // input used BER's indefinite form).
  let signedBytes: Buffer;
  if (tlv.indefinite) {
    const parts = attributes.map((a) => encodingOf(buf, a));
    const length = parts.reduce((sum, p) => sum + p.length, 0);
    const header = length < 0x80 ? [0x31, length] : [0x31, 0x84, (length >>> 24) & 0xff, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff];
    signedBytes = Buffer.concat([Uint8Array.from(header), ...parts]);
  } else {
    signedBytes = Buffer.from(encodingOf(buf, tlv));
    signedBytes[0] = TAG.SET;
  }
  return { signedBytes, contentType, messageDigest, signingTime, problems };
}

function readSignerInfo(buf: Uint8Array, tlv: Tlv, index: number): RawSignerInfo {
  const fields = children(buf, expectTag(tlv, TAG.SEQUENCE, 'signerInfo'), 7);
  let i = 0;
  const version = smallInteger(buf, fields[i++]);
  const sidTlv = fields[i++];
  if (!sidTlv) fail('signerInfo without sid');
  let sid: SignerId;
  if (sidTlv.tag === TAG.SEQUENCE) {
    const [issuer, serial] = children(buf, sidTlv, 2);
    sid = { kind: 'issuerAndSerial', issuer: encodingOf(buf, expectTag(issuer, TAG.SEQUENCE, 'sid issuer')), serial: contentOf(buf, expectTag(serial, TAG.INTEGER, 'sid serial')) };
  } else if (sidTlv.tag === 0x80) {
    sid = { kind: 'subjectKeyIdentifier', keyId: contentOf(buf, sidTlv) };
  } else {
    fail(`unknown signer identifier at offset ${sidTlv.start}`);
  }
  const digestAlgorithm = readAlgorithmIdentifier(buf, fields[i++] ?? fail('signerInfo without digestAlgorithm'));
  let signedAttrs: SignedAttributes | null = null;
  if (fields[i]?.tag === 0xa0) signedAttrs = readSignedAttributes(buf, fields[i++]);
  const signatureAlgorithm = readAlgorithmIdentifier(buf, fields[i++] ?? fail('signerInfo without signatureAlgorithm'));
  const signature = contentOf(buf, expectTag(fields[i++], TAG.OCTET_STRING, 'signature'));
  const timestampTokens: Uint8Array[] = [];
  let unsignedAttrsProblem: string | null = null;
  if (fields[i]?.tag === 0xa1) {
    try {
      timestampTokens.push(...readTimestampTokens(buf, fields[i]));
    } catch (error) {
      // Unsigned attributes are not covered by the signature: a broken one costs the timestamp, not the signature.
      if (!(error instanceof CmsFormatError)) throw error;
      unsignedAttrsProblem = error.message;
    }
  }
  return { index, encoding: encodingOf(buf, tlv), version, sid, digestAlgorithm, signedAttrs, signatureAlgorithm, signature, timestampTokens, unsignedAttrsProblem };
}

/** Most timestamp tokens read from one signerInfo (a signer has one; a few allow for renewals). */
const MAX_TIMESTAMP_TOKENS = 4;

function readTimestampTokens(buf: Uint8Array, tlv: Tlv): Uint8Array[] {
  const tokens: Uint8Array[] = [];
  for (const attribute of children(buf, tlv, 64)) {
    const [typeTlv, valuesTlv] = children(buf, expectTag(attribute, TAG.SEQUENCE, 'unsigned attribute'), 2);
    if (readOid(buf, typeTlv) !== OID.signatureTimeStampToken) continue;
    for (const value of children(buf, expectTag(valuesTlv, TAG.SET, 'unsigned attribute values'), MAX_TIMESTAMP_TOKENS)) {
      if (tokens.length >= MAX_TIMESTAMP_TOKENS) fail(`more than ${MAX_TIMESTAMP_TOKENS} signature timestamps`);
      tokens.push(encodingOf(buf, expectTag(value, TAG.SEQUENCE, 'timestamp token')));
    }
  }
  return tokens;
}

/** A look at the first bytes only, so that large content is never joined just to be ruled out. */
function startsLikeSignedData(first: Uint8Array): boolean {
  if (first[0] !== TAG.SEQUENCE || first.length < 2) return false;
  const header = first[1] <= 0x80 ? 2 : 2 + (first[1] & 0x7f);
  if (first.length < header + SIGNED_DATA_OID.length) return true; // too short to tell: let the full check decide
  return asBuffer(first.subarray(header, header + SIGNED_DATA_OID.length)).equals(SIGNED_DATA_OID);
}

/** Reads one ContentInfo holding a SignedData (the whole of `bytes`). */
export function readSignedDataLayer(input: Uint8Array, limits: CmsLimits = DEFAULT_LIMITS): SignedDataLayer {
  const buf = asBuffer(input);
  startReading(buf);
  const root = readTlv(buf, 0, buf.length);
  if (root.end !== buf.length) {
    // Trailing zero padding is common after BER (some tools pad to a block); anything else is not ours.
    for (let k = root.end; k < buf.length; k++) if (buf[k] !== 0) fail('trailing bytes after the CMS structure');
  }
  const [typeTlv, explicit] = children(buf, expectTag(root, TAG.SEQUENCE, 'ContentInfo'), 2);
  const contentType = readOid(buf, typeTlv ?? fail('empty ContentInfo'));
  if (contentType !== OID.signedData) fail(`not a SignedData (content type ${contentType})`);
  const signedData = children(buf, expectTag(explicit, 0xa0, 'ContentInfo content'), 1)[0];
  const fields = children(buf, expectTag(signedData, TAG.SEQUENCE, 'SignedData'), 6);
  let i = 0;
  const version = smallInteger(buf, fields[i++]);
  expectTag(fields[i++], TAG.SET, 'digestAlgorithms');
  const encap = children(buf, expectTag(fields[i++], TAG.SEQUENCE, 'encapContentInfo'), 2);
  const eContentType = readOid(buf, encap[0] ?? fail('encapContentInfo without type'));
  let content: ContentRef | null = null;
  if (encap[1]) {
    const inner = children(buf, expectTag(encap[1], 0xa0, 'eContent'), 1)[0];
    if (!inner) fail('empty eContent');
    const segments = octetStringSegments(buf, inner);
    content = { segments, size: segments.reduce((sum, s) => sum + s.length, 0) };
  }
  const certificates: Uint8Array[] = [];
  if (fields[i]?.tag === 0xa0) {
    for (const choice of children(buf, fields[i++], limits.maxCertificatesPerLayer)) {
      // Only plain X.509 certificates; attribute and other certificate formats cannot sign.
      if (choice.tag === TAG.SEQUENCE) certificates.push(encodingOf(buf, choice));
    }
  }
  const crls: Uint8Array[] = [];
  // CRLs are kept for merging only: revocation checking is out of scope here.
  if (fields[i]?.tag === 0xa1) for (const crl of children(buf, fields[i++], limits.maxCertificatesPerLayer)) crls.push(encodingOf(buf, crl));
  const signerInfosTlv = expectTag(fields[i++], TAG.SET, 'signerInfos');
  const signerInfos = children(buf, signerInfosTlv, limits.maxSignersPerLayer).map((tlv, index) => readSignerInfo(buf, tlv, index));
  if (i !== fields.length) fail('unexpected fields after signerInfos');
  return { version, eContentType, content, certificates, crls, signerInfos };
}

export interface ParsedCms {
  /** Outermost first. */
  layers: SignedDataLayer[];
  /** The innermost content (null when detached and not supplied). */
  content: ContentRef | null;
  /** Whether the innermost content came from outside the CMS. */
  detached: boolean;
}

/**
 * Reads a CMS and every CMS nested in its content, outermost first. A layer without eContent takes
 * `detachedContent` (once); content that is itself a SignedData ContentInfo is read as the next layer.
 */
export function readNestedCms(bytes: Uint8Array, detachedContent: Uint8Array | undefined, limits: CmsLimits = DEFAULT_LIMITS): ParsedCms {
  const layers: SignedDataLayer[] = [];
  let current: Uint8Array = bytes;
  let detachedUsed = false;
  let signers = 0;
  for (;;) {
    if (layers.length >= limits.maxDepth) throw new CmsFormatError(`CMS nested deeper than ${limits.maxDepth} levels`);
    const layer = readSignedDataLayer(current, limits);
    signers += layer.signerInfos.length;
    if (signers > limits.maxSignersPerLayer * 4) throw new CmsFormatError(`more than ${limits.maxSignersPerLayer * 4} signatures`);
    if (!layer.content && detachedContent && !detachedUsed) {
      layer.content = { segments: [detachedContent], size: detachedContent.length };
      detachedUsed = true;
    }
    layers.push(layer);
    if (!layer.content) return { layers, content: null, detached: true };
    const first = layer.content.segments.find((s) => s.length > 0);
    if (!first || !startsLikeSignedData(first)) return { layers, content: layer.content, detached: detachedUsed };
    const inner = contentBytes(layer.content);
    if (!isSignedDataContentInfo(inner)) return { layers, content: layer.content, detached: detachedUsed };
    current = inner;
  }
}
