import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
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

const MAX_ID_LENGTH = 256;
const SAFE_ID = /^[\x21-\x7e]{1,256}$/;

function clean(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed && SAFE_ID.test(trimmed) ? trimmed : null;
}

/**
 * Reads the Info dictionary with pdf-lib (it may sit in a compressed object stream). Strict by default:
 * pdf-lib's lenient mode writes a console warning per damaged object, which public uploads must not cause.
 */
async function pdfDocumentId(bytes: Uint8Array, lenient: boolean): Promise<string | null> {
  try {
    const pdf = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: !lenient });
    const infoRef = pdf.context.trailerInfo.Info;
    if (!infoRef) return rawPdfDocumentId(bytes);
    const info = pdf.context.lookup(infoRef);
    if (!(info instanceof PDFDict)) return rawPdfDocumentId(bytes);
    const value = info.get(PDFName.of('DocumentId'));
    if (value instanceof PDFString || value instanceof PDFHexString) return clean(value.decodeText());
    return rawPdfDocumentId(bytes);
  } catch {
    // A copy damaged enough that pdf-lib gives up may still show its Info dictionary in plain text.
    return rawPdfDocumentId(bytes);
  }
}

/** `/DocumentId (…)` or `/DocumentId <hex>` written uncompressed; the last one wins, as with incremental updates. */
function rawPdfDocumentId(bytes: Uint8Array): string | null {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const literal = [...text.matchAll(/\/DocumentId\s*\(([^()\\]{1,256})\)/g)].at(-1)?.[1];
  if (literal) return clean(literal);
  const hex = [...text.matchAll(/\/DocumentId\s*<([0-9A-Fa-f\s]{2,1024})>/g)].at(-1)?.[1];
  if (hex) return clean(Buffer.from(hex.replace(/\s+/g, ''), 'hex').toString('latin1'));
  return null;
}

function xmlDocumentId(bytes: Uint8Array): string | null {
  // The instruction follows the root element, at the end of the copy.
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).subarray(Math.max(0, bytes.byteLength - 8192)).toString('utf8');
  const instruction = [...tail.matchAll(/<\?kezek-archive\s([^?]*)\?>/g)].at(-1)?.[1];
  const value = instruction ? /(?:^|\s)DocumentId="([^"]{1,1024})"/.exec(instruction)?.[1] : undefined;
  if (!value) return null;
  return clean(value.replace(/&(amp|quot|lt|gt);/g, (_m, entity: string) => ({ amp: '&', quot: '"', lt: '<', gt: '>' })[entity]!).slice(0, MAX_ID_LENGTH));
}

/** `lenient`: also read PDFs with damaged objects (the provider's own archive; not for public uploads). */
export async function readCopyIdentity(bytes: Uint8Array, options: { lenient?: boolean } = {}): Promise<CopyIdentity> {
  const type = sniffContentType(bytes.subarray(0, 1024));
  if (type === 'pdf') return { type, documentId: (await pdfDocumentId(bytes, false)) ?? (options.lenient ? await pdfDocumentId(bytes, true) : null) };
  if (type === 'xml') return { type, documentId: xmlDocumentId(bytes) };
  return { type, documentId: null };
}
