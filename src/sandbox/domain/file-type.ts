import { type DocumentType, isPdf, isWellFormedXml } from '../../common/domain/document-type.js';
import { unwrapCms } from './cms-unwrap.js';

export type ContentCheck =
  | { ok: true; innermost: Uint8Array; cmsLevels: number }
  | { ok: false; problem: 'wrong-type' | 'detached-cms' };

/**
 * "The file type given at creation is enforced by content": a pdf session takes a PDF, or a CMS whose
 * innermost content (through any nesting) is a PDF; an xml session the same with well-formed XML.
 */
export function checkContent(bytes: Uint8Array, type: DocumentType): ContentCheck {
  let unwrapped;
  try {
    unwrapped = unwrapCms(bytes);
  } catch {
    return { ok: false, problem: 'wrong-type' };
  }
  if (!unwrapped.content) return { ok: false, problem: 'detached-cms' };
  const matches = type === 'pdf' ? isPdf(unwrapped.content) : isWellFormedXml(unwrapped.content);
  return matches ? { ok: true, innermost: unwrapped.content, cmsLevels: unwrapped.levels } : { ok: false, problem: 'wrong-type' };
}
