import { CmsFormatError } from './cms.errors.js';
import { sniffContentType, type ContentKind } from './content-type.js';
import { decodeCmsInput } from './input.js';
import { contentBytes, DEFAULT_LIMITS, readNestedCms, type CmsLimits } from './signed-data.js';
import { sha256Hex } from '../common/crypto/sha256.js';

export interface ExtractedContent {
  /** The innermost content (a view into the input when it was stored in one piece). */
  content: Uint8Array;
  /** SHA-256 of the content, hex. */
  sha256: string;
  type: ContentKind;
  /** Number of nested SignedData layers. */
  depth: number;
}

/**
 * The innermost content of a (possibly nested) CMS, without verifying anything. Throws CmsFormatError on
 * garbage, and when the innermost SignedData is detached and no `detachedContent` is given.
 */
export function extractContent(input: Uint8Array | string, options: { detachedContent?: Uint8Array; limits?: Partial<CmsLimits> } = {}): ExtractedContent {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const parsed = readNestedCms(decodeCmsInput(input, limits.maxInputBytes), options.detachedContent, limits);
  if (!parsed.content) throw new CmsFormatError('the innermost SignedData is detached: its content is not in the CMS');
  const content = contentBytes(parsed.content);
  return {
    content,
    sha256: sha256Hex(content),
    type: content.length === 0 ? 'unknown' : sniffContentType(content),
    depth: parsed.layers.length,
  };
}
