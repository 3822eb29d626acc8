import { contentDigest, digestSegments } from './algorithms.js';
import { CmsFormatError, CmsMergeError } from './cms.errors.js';
import { asBuffer } from './der/der-reader.js';
import { encodeOid, encodeSmallInteger, tlv } from './der/der-writer.js';
import { decodeCmsInput } from './input.js';
import { OID } from './oids.js';
import { contentBytes, DEFAULT_LIMITS, readSignedDataLayer, type CmsLimits, type SignedDataLayer } from './signed-data.js';
import { sha256Hex as sha256 } from '../common/crypto/sha256.js';

export interface MergeOptions {
  /** The content all signed, for inputs that are all detached (otherwise taken from the attached ones). */
  content?: Uint8Array;
  limits?: Partial<CmsLimits>;
}


/**
 * Combines CMS that signed the same content (a parallel signing group) into one SignedData carrying all
 * their signerInfos and certificates: a co-signed CMS, DER, that OpenSSL and `verifyCms` verify.
 *
 * Only the outer SignedData of each input is merged (an input whose content is an earlier CMS keeps that
 * CMS as content). Refuses with CmsMergeError: an empty list, input that is not SignedData, different
 * content types, different content, and detached inputs whose content cannot be shown to be the same.
 * "Same content" means: every attached content byte-identical, and every signer's messageDigest equal to
 * the digest of that content. SignerInfos and certificates are copied byte for byte (their signatures
 * stay valid); duplicates are dropped; signing order is kept.
 */
export function mergeSignedData(cmsList: Uint8Array[], options: MergeOptions = {}): Uint8Array {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  if (!Array.isArray(cmsList) || cmsList.length === 0) throw new CmsMergeError('EMPTY', 'nothing to merge');
  const layers: SignedDataLayer[] = cmsList.map((cms, i) => {
    try {
      return readSignedDataLayer(decodeCmsInput(cms, limits.maxInputBytes), limits);
    } catch (error) {
      if (error instanceof CmsFormatError) throw new CmsMergeError('NOT_SIGNED_DATA', `CMS ${i + 1}: ${error.message}`);
      throw error;
    }
  });

  const eContentType = layers[0].eContentType;
  const other = layers.findIndex((l) => l.eContentType !== eContentType);
  if (other >= 0) throw new CmsMergeError('CONTENT_TYPE_MISMATCH', `CMS ${other + 1} signs content of type ${layers[other].eContentType}, CMS 1 of type ${eContentType}`);

  // The content: the attached ones must be identical, and equal to the supplied one if any.
  let content: Buffer | null = options.content ? asBuffer(options.content) : null;
  let contentHash = content ? sha256(content) : null;
  layers.forEach((layer, i) => {
    if (!layer.content) return;
    const hash = digestSegments('sha256', layer.content.segments).toString('hex');
    if (contentHash === null) {
      content = contentBytes(layer.content);
      contentHash = hash;
    } else if (hash !== contentHash) {
      throw new CmsMergeError('CONTENT_MISMATCH', `CMS ${i + 1} carries different content`);
    }
  });
  const attached = layers.some((l) => l.content);

  // Every signer must have signed that content.
  const detachedDigests = new Map<string, string>();
  layers.forEach((layer, i) => {
    for (const signer of layer.signerInfos) {
      const hash = contentDigest(signer.digestAlgorithm.oid);
      const claimed = signer.signedAttrs?.messageDigest ? asBuffer(signer.signedAttrs.messageDigest) : null;
      if (content && hash && claimed) {
        if (!digestSegments(hash, [content]).equals(claimed)) {
          throw new CmsMergeError('CONTENT_MISMATCH', `signer ${signer.index + 1} of CMS ${i + 1} signed different content`);
        }
      } else if (!content && hash && claimed) {
        const seen = detachedDigests.get(hash);
        if (seen !== undefined && seen !== claimed.toString('hex')) {
          throw new CmsMergeError('CONTENT_MISMATCH', `signer ${signer.index + 1} of CMS ${i + 1} signed different content`);
        }
        detachedDigests.set(hash, claimed.toString('hex'));
      } else if (!layer.content) {
        // Detached, and no digest we can compare: nothing shows it signed the same content.
        throw new CmsMergeError('CONTENT_UNKNOWN', `signer ${signer.index + 1} of CMS ${i + 1} is detached and its digest cannot be compared`);
      }
    }
  });
  if (!content && detachedDigests.size > 1) {
    throw new CmsMergeError('CONTENT_UNKNOWN', 'detached signatures with different digest algorithms: pass the content to compare them');
  }

  const unique = (items: Uint8Array[]) => {
    const seen = new Set<string>();
    return items.filter((item) => {
      const key = sha256(item);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  };
  const signerInfos = unique(layers.flatMap((l) => l.signerInfos.map((s) => s.encoding)));
  if (signerInfos.length > limits.maxSignersPerLayer) throw new CmsMergeError('TOO_MANY_SIGNERS', `more than ${limits.maxSignersPerLayer} signers`);
  const certificates = unique(layers.flatMap((l) => l.certificates));
  const crls = unique(layers.flatMap((l) => l.crls));
  const digestAlgorithms = [...new Set(layers.flatMap((l) => l.signerInfos.map((s) => s.digestAlgorithm.oid)))].map((oid) => {
    const signer = layers.flatMap((l) => l.signerInfos).find((s) => s.digestAlgorithm.oid === oid)!;
    return tlv(0x30, encodeOid(oid), ...(signer.digestAlgorithm.params ? [signer.digestAlgorithm.params] : []));
  });

  // RFC 5652 §5.1: version 3 when a signer uses a key identifier or the content is not id-data.
  const needsV3 = eContentType !== OID.data || layers.some((l) => l.signerInfos.some((s) => s.version === 3));
  const version = Math.max(needsV3 ? 3 : 1, ...layers.map((l) => l.version));

  const encap = tlv(0x30, encodeOid(eContentType), ...(attached && content ? [tlv(0xa0, tlv(0x04, content))] : []));
  const signedData = tlv(
    0x30,
    encodeSmallInteger(version),
    tlv(0x31, ...digestAlgorithms),
    encap,
    ...(certificates.length ? [tlv(0xa0, ...certificates)] : []),
    ...(crls.length ? [tlv(0xa1, ...crls)] : []),
    tlv(0x31, ...signerInfos),
  );
  return tlv(0x30, encodeOid(OID.signedData), tlv(0xa0, signedData));
}
