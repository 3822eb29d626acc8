import { constants, inflateSync } from 'node:zlib';
import { sniffContentType, type ContentKind } from '../../cms/content-type.js';

/**
 * The provider's document id an archive copy carries: for a PDF, the `DocumentId` entry of its document
 * information dictionary (the provider guide: "the DocumentId metadata"); for an XML copy of the sandbox,
 * the `DocumentId` attribute of its `<?kezek-archive …?>` processing instruction.
 */
export interface CopyIdentity {
  type: ContentKind;
  documentId: string | null;
}

/**
 * Caps of one PDF scan. Files come from strangers (the public verification) and from the provider's zip:
 * the scan does at most this much work whatever the file says.
 */
export interface PdfScanLimits {
  /** Object streams decoded in search of the Info dictionary. */
  maxObjectStreams: number;
  /** Bytes all decoding together may produce (a stream deflated twice to 512 MB stops here). */
  maxDecodedBytes: number;
  /** Filters applied to one stream (`[/FlateDecode /FlateDecode]` is 2). */
  maxFilters: number;
}

export const PDF_SCAN_LIMITS: PdfScanLimits = { maxObjectStreams: 32, maxDecodedBytes: 4 * 1024 * 1024, maxFilters: 2 };

/** What a scan spent: tests check the caps hold. */
export interface PdfScanStats {
  objectStreams: number;
  decodedBytes: number;
  /** True when a cap stopped the scan before it looked everywhere. */
  capped: boolean;
}

const MAX_ID_LENGTH = 256;
const SAFE_ID = /^[\x21-\x7e]{1,256}$/;
/** How far an object's dictionary may run before the scan stops looking inside it. */
const MAX_DICT_CHARS = 16 * 1024;

function clean(value: string | undefined | null): string | null {
  const trimmed = value?.trim();
  return trimmed && SAFE_ID.test(trimmed) ? trimmed : null;
}

/**
 * A PDF string token at `at` (`(literal)` with escapes and balanced parentheses, or `<hex>`), decoded to
 * text (UTF-16BE with a byte-order mark, else one byte per character). Null when it is not a string or
 * runs past MAX_ID_LENGTH*4 characters.
 */
function readPdfString(text: string, at: number): string | null {
  const limit = Math.min(text.length, at + MAX_ID_LENGTH * 4 + 2);
  const bytes: number[] = [];
  if (text[at] === '<') {
    const end = text.indexOf('>', at + 1);
    if (end < 0 || end > limit) return null;
    const hex = text.slice(at + 1, end).replace(/\s+/g, '');
    if (!/^[0-9A-Fa-f]*$/.test(hex)) return null;
    for (let i = 0; i < hex.length; i += 2) bytes.push(parseInt(hex.slice(i, i + 2).padEnd(2, '0'), 16));
  } else if (text[at] === '(') {
    let depth = 1;
    let i = at + 1;
    for (; i < limit && depth > 0; i++) {
      const c = text[i];
      if (c === '\\') {
        const next = text[++i];
        const octal = /^[0-7]{1,3}/.exec(text.slice(i, i + 3));
        if (octal) {
          bytes.push(parseInt(octal[0], 8) & 0xff);
          i += octal[0].length - 1;
        } else if (next !== '\n' && next !== '\r') {
          bytes.push(({ n: 10, r: 13, t: 9, b: 8, f: 12 } as Record<string, number>)[next] ?? next.charCodeAt(0));
        }
      } else {
        if (c === '(') depth++;
        if (c === ')' && --depth === 0) break;
        bytes.push(c.charCodeAt(0));
      }
    }
    if (depth !== 0) return null;
  } else {
    return null;
  }
  const buffer = Buffer.from(bytes);
  if (buffer[0] === 0xfe && buffer[1] === 0xff) return buffer.subarray(2).swap16().toString('utf16le');
  return buffer.toString('latin1');
}

/** The `/DocumentId` value inside one object's text (its dictionary), or null. */
function documentIdIn(objectText: string): string | null {
  const key = /\/DocumentId\s*/g;
  let found: string | null = null;
  for (let match = key.exec(objectText); match; match = key.exec(objectText)) {
    found = clean(readPdfString(objectText, match.index + match[0].length)) ?? found;
  }
  return found;
}

/** Object numbers the trailer (or cross-reference stream) names as the Info dictionary, newest first. */
function infoObjectNumbers(text: string): number[] {
  const numbers = [...text.matchAll(/\/Info\s+(\d{1,10})\s+\d{1,5}\s+R/g)].map((m) => Number(m[1]));
  return [...new Set(numbers.reverse())];
}

/** The text of uncompressed object `n` (the last definition wins, as with incremental updates). */
function plainObject(text: string, n: number): string | null {
  const header = new RegExp(`(?:^|[^0-9])${n}\\s+\\d{1,5}\\s+obj\\b`, 'g');
  let start = -1;
  for (let match = header.exec(text); match; match = header.exec(text)) start = match.index + match[0].length;
  if (start < 0) return null;
  const end = text.indexOf('endobj', start);
  return text.slice(start, Math.min(end < 0 ? text.length : end, start + MAX_DICT_CHARS));
}

interface ObjectStream {
  dict: string;
  dataStart: number;
  dataEnd: number;
}

/** Object streams (`/Type /ObjStm`), newest (last in the file) first. */
function objectStreams(text: string, max: number, stats: PdfScanStats): ObjectStream[] {
  const found: ObjectStream[] = [];
  for (let at = text.lastIndexOf('/ObjStm'); at >= 0; at = at === 0 ? -1 : text.lastIndexOf('/ObjStm', at - 1)) {
    if (found.length === max) {
      stats.capped = true;
      break;
    }
    const dictStart = text.lastIndexOf('<<', at);
    const streamKeyword = text.indexOf('stream', at);
    if (dictStart < 0 || streamKeyword < 0 || at - dictStart > MAX_DICT_CHARS || streamKeyword - at > MAX_DICT_CHARS) continue;
    let dataStart = streamKeyword + 'stream'.length;
    if (text[dataStart] === '\r') dataStart++;
    if (text[dataStart] === '\n') dataStart++;
    const dict = text.slice(dictStart, streamKeyword);
    const length = /\/Length\s+(\d{1,10})(?!\s+\d+\s+R)/.exec(dict);
    const declaredEnd = length ? dataStart + Number(length[1]) : -1;
    const dataEnd = declaredEnd > dataStart && declaredEnd <= text.length ? declaredEnd : text.indexOf('endstream', dataStart);
    if (dataEnd > dataStart) found.push({ dict, dataStart, dataEnd });
  }
  return found;
}

/**
 * Applies the stream's filters, each inflation capped by what is left of the scan's budget (zlib stops
 * producing output at `maxOutputLength`, so a bomb costs at most the budget). Null for anything else.
 */
function decodeStream(bytes: Uint8Array, stream: ObjectStream, limits: PdfScanLimits, stats: PdfScanStats): Buffer | null {
  const filters = /\/Filter\s*(\[[^\]]{0,256}\]|\/\w+)/.exec(stream.dict)?.[1].match(/\/\w+/g) ?? [];
  if (filters.length > limits.maxFilters || filters.some((f) => f !== '/FlateDecode' && f !== '/Fl')) return null;
  if (/\/DecodeParms/.test(stream.dict)) return null; // predictors are for images and xref streams, not object streams
  let data = Buffer.from(bytes.buffer, bytes.byteOffset + stream.dataStart, stream.dataEnd - stream.dataStart);
  for (const _filter of filters) {
    const room = limits.maxDecodedBytes - stats.decodedBytes;
    if (room <= 0) {
      stats.capped = true;
      return null;
    }
    try {
      // Z_SYNC_FLUSH: a stream cut short still yields what it holds.
      data = inflateSync(data, { maxOutputLength: room, finishFlush: constants.Z_SYNC_FLUSH });
    } catch (error) {
      // Over the budget: the budget is spent. Not deflate at all: this stream is simply not read.
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        stats.decodedBytes = limits.maxDecodedBytes;
        stats.capped = true;
      }
      return null;
    }
    stats.decodedBytes += data.length;
  }
  return data;
}

/** Object `n` out of a decoded object stream: its header lists `number offset` pairs relative to /First. */
function objectFromStream(stream: ObjectStream, decoded: Buffer, n: number): string | null {
  const count = Number(/\/N\s+(\d{1,7})/.exec(stream.dict)?.[1] ?? NaN);
  const first = Number(/\/First\s+(\d{1,10})/.exec(stream.dict)?.[1] ?? NaN);
  if (!Number.isSafeInteger(count) || !Number.isSafeInteger(first) || first > decoded.length) return null;
  const header = decoded.subarray(0, first).toString('latin1').trim().split(/\s+/).map(Number);
  for (let i = 0; i + 1 < Math.min(header.length, count * 2); i += 2) {
    if (header[i] !== n) continue;
    const start = first + header[i + 1];
    const next = i + 3 < header.length ? first + header[i + 3] : decoded.length;
    if (!(start >= first && start < decoded.length)) return null;
    return decoded.subarray(start, Math.min(Math.max(next, start), start + MAX_DICT_CHARS, decoded.length)).toString('latin1');
  }
  return null;
}

/**
 * A PDF's DocumentId by a bounded scan rather than a parser. Why not pdf-lib (or a worker running it):
 * `PDFDocument.load` decodes every object stream in full and honours nested filters without a cap, so a
 * 1.4 KB file can cost half a gigabyte; a worker would bound that only by killing it. The Info dictionary
 * is found from the trailer's (or cross-reference stream's) `/Info n g R`, which is never compressed: the
 * object is read where it is written in plain text, else from the object streams, each decoded under a
 * shared byte budget. A file without a usable trailer still shows a plain `/DocumentId`.
 */
export function scanPdfDocumentId(bytes: Uint8Array, limits: PdfScanLimits = PDF_SCAN_LIMITS): { documentId: string | null; stats: PdfScanStats } {
  const stats: PdfScanStats = { objectStreams: 0, decodedBytes: 0, capped: false };
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const infos = infoObjectNumbers(text).slice(0, 4);
  for (const n of infos) {
    const plain = plainObject(text, n);
    const id = plain === null ? null : documentIdIn(plain);
    if (id) return { documentId: id, stats };
  }
  if (infos.length > 0) {
    for (const stream of objectStreams(text, limits.maxObjectStreams, stats)) {
      stats.objectStreams++;
      const decoded = decodeStream(bytes, stream, limits, stats);
      if (!decoded) continue;
      for (const n of infos) {
        const object = objectFromStream(stream, decoded, n);
        const id = object === null ? null : documentIdIn(object);
        if (id) return { documentId: id, stats };
      }
      if (stats.decodedBytes >= limits.maxDecodedBytes) break;
    }
  }
  // A copy damaged enough to have no trailer may still show its Info dictionary in plain text.
  return { documentId: documentIdIn(text), stats };
}

function xmlDocumentId(bytes: Uint8Array): string | null {
  // The instruction follows the root element, at the end of the copy.
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).subarray(Math.max(0, bytes.byteLength - 8192)).toString('utf8');
  const instruction = [...tail.matchAll(/<\?kezek-archive\s([^?]*)\?>/g)].at(-1)?.[1];
  const value = instruction ? /(?:^|\s)DocumentId="([^"]{1,1024})"/.exec(instruction)?.[1] : undefined;
  if (!value) return null;
  return clean(value.replace(/&(amp|quot|lt|gt);/g, (_m, entity: string) => ({ amp: '&', quot: '"', lt: '<', gt: '>' })[entity]!).slice(0, MAX_ID_LENGTH));
}

/** The copy's type and DocumentId; bounded work for any input (see scanPdfDocumentId). */
export function readCopyIdentity(bytes: Uint8Array): CopyIdentity {
  const type = sniffContentType(bytes.subarray(0, 1024));
  if (type === 'pdf') return { type, documentId: scanPdfDocumentId(bytes).documentId };
  if (type === 'xml') return { type, documentId: xmlDocumentId(bytes) };
  return { type, documentId: null };
}
