import { SaxesParser } from 'saxes';
import { unwrapCms } from './cms-unwrap.js';

export type DocumentType = 'pdf' | 'xml';

/** A PDF starts with the `%PDF-` header (the sandbox is strict: no junk before it). */
export function isPdf(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && Buffer.from(bytes.subarray(0, 5)).toString('latin1') === '%PDF-';
}

/** Well-formed XML (one root element, balanced, well-formed per XML 1.0), decoded as UTF-8. */
export function isWellFormedXml(bytes: Uint8Array): boolean {
  let text = Buffer.from(bytes).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!text.trimStart().startsWith('<')) return false;
  const parser = new SaxesParser({ xmlns: false });
  let failed = false;
  let roots = 0;
  let depth = 0;
  parser.on('error', () => {
    failed = true;
  });
  parser.on('opentag', () => {
    if (depth === 0) roots += 1;
    depth += 1;
  });
  parser.on('closetag', () => {
    depth -= 1;
  });
  try {
    parser.write(text).close();
  } catch {
    return false;
  }
  return !failed && roots === 1 && depth === 0;
}

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
