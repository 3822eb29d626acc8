import fontkit from '@pdf-lib/fontkit';
import {
  fill,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFString,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  rgb,
  setFillingRgbColor,
  type PDFFont,
  type PDFOperator,
  type PDFPage,
} from 'pdf-lib';
import QRCode from 'qrcode';
import { LRUCache } from 'lru-cache';
import { maskIin } from '../../common/domain/pii-mask.js';

/**
 * Archive copies of the sandbox, as the guide describes the provider's: each copy carries the signers
 * (full name, signing date) and a QR code to the verification page with the check_id on its last page,
 * and a `DocumentId` metadata entry with the id of the uploaded document.
 */
export interface SheetSigner {
  fullName: string;
  iin?: string;
  signingTime?: Date;
}

export interface CopyInput {
  documentId: string;
  documentName: string;
  checkId: string;
  verifyUrl: string;
  signers: SheetSigner[];
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 50;

export function formatSigningTime(date: Date | undefined): string {
  return date ? `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC` : '—';
}


/**
 * A string's width as the sum of its characters' advance widths, each measured once per font. Measuring
 * whole strings runs the font's full shaping each time, and fitting or wrapping measures one string per
 * character; kerning, which the sum leaves out, changes nothing that matters for where a line is cut.
 */
const charWidths = new Map<string, Map<string, number>>();
function textWidth(text: string, font: PDFFont, size: number): number {
  // By the font's name: each copy embeds the font anew (a new PDFFont), with the same widths.
  let widths = charWidths.get(font.name);
  if (!widths) charWidths.set(font.name, (widths = new Map()));
  let total = 0;
  for (const char of text) {
    let width = widths.get(char);
    if (width === undefined) widths.set(char, (width = font.widthOfTextAtSize(char, 1000)));
    total += width;
  }
  return (total * size) / 1000;
}

/** Shortens text to fit a width, with an ellipsis. */
function fit(text: string, font: PDFFont, size: number, width: number): string {
  if (textWidth(text, font, size) <= width) return text;
  let cut = text;
  while (cut.length > 1 && textWidth(`${cut}…`, font, size) > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Breaks text (a URL) into lines that fit a width, cutting anywhere. */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const char of text) {
    if (current && textWidth(current + char, font, size) > width) {
      lines.push(current);
      current = '';
    }
    current += char;
  }
  if (current) lines.push(current);
  return lines.slice(0, 4);
}

/** Sets the `DocumentId` entry of the document information dictionary. */
export function setDocumentId(pdf: PDFDocument, documentId: string): void {
  pdf.setProducer(pdf.getProducer() ?? 'Kezek Sandbox');
  const info = pdf.context.lookup(pdf.context.trailerInfo.Info, PDFDict);
  info.set(PDFName.of('DocumentId'), PDFString.of(documentId));
}

/**
 * The QR code as vector squares (each row's runs of dark modules, quiet zone of 2) on a white square: sharp at
 * any zoom, and no PNG to encode and then decode again for embedding. The runs go to the page as rectangle
 * operators filled at once, not as an SVG path that pdf-lib would parse back into the same operators.
 */
function drawQrCode(page: PDFPage, text: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const quiet = 2;
  const cell = size / (modules.size + 2 * quiet);
  const runs: PDFOperator[] = [];
  for (let row = 0; row < modules.size; row++) {
    // PDF's y axis points up: row 0 is the top one.
    const rowY = y + size - (row + quiet + 1) * cell;
    for (let column = 0; column < modules.size; ) {
      if (!modules.get(row, column)) {
        column++;
        continue;
      }
      const start = column;
      while (column < modules.size && modules.get(row, column)) column++;
      runs.push(rectangle(x + (start + quiet) * cell, rowY, (column - start) * cell, cell));
    }
  }
  page.drawRectangle({ x, y, width: size, height: size, color: rgb(1, 1, 1) });
  page.pushOperators(pushGraphicsState(), setFillingRgbColor(0, 0, 0), ...runs, fill(), popGraphicsState());
}

async function addSheet(pdf: PDFDocument, input: CopyInput, font: PDFFont): Promise<void> {
  const dark = rgb(0.1, 0.1, 0.12);
  const grey = rgb(0.4, 0.4, 0.45);
  const width = A4.width - 2 * MARGIN;
  const perPage = 22;
  const pages = Math.max(1, Math.ceil(input.signers.length / perPage));
  for (let p = 0; p < pages; p++) {
    const page: PDFPage = pdf.addPage([A4.width, A4.height]);
    let y = A4.height - MARGIN;
    const line = (text: string, size: number, color = dark, x = MARGIN) => {
      page.drawText(fit(text, font, size, width - (x - MARGIN)), { x, y, size, font, color });
    };
    line('Қол қою парағы · Лист подписания · Signature sheet', 15);
    y -= 24;
    line(`Құжат / Документ / Document: ${input.documentName}`, 10);
    y -= 15;
    line(`DocumentId: ${input.documentId}`, 9, grey);
    y -= 13;
    line(`check_id: ${input.checkId}`, 9, grey);
    y -= 26;
    line('№', 10, grey);
    line('Қол қоюшы / Подписант / Signer', 9, grey, MARGIN + 25);
    line('ЖСН / ИИН / IIN', 9, grey, MARGIN + 250);
    line('Күні / Дата / Signed at', 9, grey, MARGIN + 335);
    y -= 6;
    page.drawLine({ start: { x: MARGIN, y }, end: { x: A4.width - MARGIN, y }, thickness: 0.5, color: grey });
    y -= 16;
    input.signers.slice(p * perPage, (p + 1) * perPage).forEach((signer, i) => {
      line(String(p * perPage + i + 1), 10);
      page.drawText(fit(signer.fullName, font, 9.5, 220), { x: MARGIN + 25, y, size: 9.5, font, color: dark });
      line(maskIin(signer.iin) ?? '', 9.5, dark, MARGIN + 250);
      line(formatSigningTime(signer.signingTime), 9.5, dark, MARGIN + 335);
      y -= 18;
    });
    if (p === pages - 1) {
      const size = 130;
      const qrY = Math.max(MARGIN, y - 24 - size);
      drawQrCode(page, input.verifyUrl, MARGIN, qrY, size);
      const textWidth = width - size - 15;
      const lines = [
        'Түпнұсқалықты тексеру · Проверка подлинности · Verify:',
        ...wrap(input.verifyUrl, font, 8.5, textWidth),
        '',
        'Kezek Sandbox: құмсалғыш қолтаңбалары заңды күші жоқ.',
        'Подписи песочницы Kezek не имеют юридической силы.',
        'Kezek Sandbox signatures have no legal effect.',
      ];
      let textY = qrY + size - 12;
      for (const text of lines) {
        page.drawText(fit(text, font, 8.5, textWidth), { x: MARGIN + size + 15, y: textY, size: 8.5, font, color: grey });
        textY -= 12;
      }
    }
  }
}

/**
 * fontkit parses a whole font file (DejaVu Sans: ~750 KB of tables) each time pdf-lib embeds it, once per
 * copy. The parsed font is only read (each embedding makes its own subset), so one parse per font file
 * serves every copy.
 */
type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];
type Font = ReturnType<Fontkit['create']>;
const parsedFonts = new WeakMap<Uint8Array, Font>();
const sharedFontkit: Fontkit = {
  create(bytes: Uint8Array, postscriptName?: string): Font {
    if (postscriptName) return fontkit.create(bytes, postscriptName);
    let parsed = parsedFonts.get(bytes);
    if (!parsed) parsedFonts.set(bytes, (parsed = withRememberedLayouts(fontkit.create(bytes))));
    return parsed;
  },
};

/**
 * pdf-lib shapes every string it draws or measures with the font's full layout (OpenType substitutions and
 * positioning), and the sheet's headings are the same on every copy: a font's layouts are kept by text (and
 * features), up to LAYOUTS_KEPT of them. pdf-lib reads only the glyphs of a layout, and never changes them.
 */
const LAYOUTS_KEPT = 2000;
function withRememberedLayouts(font: Font): Font {
  const layouts = new LRUCache<string, ReturnType<Font['layout']>>({ max: LAYOUTS_KEPT });
  const layout = font.layout.bind(font);
  font.layout = (text, features) => {
    const key = features === undefined ? text : `${JSON.stringify(features)}\u0000${text}`;
    let known = layouts.get(key);
    if (!known) layouts.set(key, (known = layout(text, features)));
    return known;
  };
  return font;
}

/** The PDF copy: the original PDF with the signature sheet as its last page(s), and DocumentId metadata. */
export async function pdfArchiveCopy(original: Uint8Array, input: CopyInput, fontBytes: Uint8Array): Promise<Uint8Array> {
  const pdf = await PDFDocument.load(original, { updateMetadata: false });
  pdf.registerFontkit(sharedFontkit);
  const font = await pdf.embedFont(fontBytes, { subset: true });
  await addSheet(pdf, input, font);
  setDocumentId(pdf, input.documentId);
  return pdf.save();
}

/** A PDF holding only the signature sheet: used when the original cannot be opened (e.g. it is encrypted). */
export async function standaloneSignatureSheet(input: CopyInput, fontBytes: Uint8Array): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(sharedFontkit);
  const font = await pdf.embedFont(fontBytes, { subset: true });
  await addSheet(pdf, input, font);
  setDocumentId(pdf, input.documentId);
  return pdf.save();
}

/**
 * The XML copy (the sandbox's decision; the guide describes only PDF copies): the original bytes unchanged,
 * followed after the root element by a comment listing the signers and a `<?kezek-archive …?>` processing
 * instruction with DocumentId, check_id and the verification URL. Both are allowed after the root element,
 * so the copy stays well-formed and its root element is untouched. Only UTF-8 (or ASCII) documents are
 * annotated; a document in another encoding is copied unchanged.
 */
export function xmlArchiveCopy(original: Uint8Array, input: CopyInput): Uint8Array {
  const head = Buffer.from(original.subarray(0, 200)).toString('latin1');
  const declared = /encoding\s*=\s*["']([^"']+)["']/i.exec(head)?.[1]?.toLowerCase();
  const utf16Bom = (original[0] === 0xfe && original[1] === 0xff) || (original[0] === 0xff && original[1] === 0xfe);
  if (utf16Bom || (declared && !['utf-8', 'utf8', 'us-ascii', 'ascii'].includes(declared))) return original;
  const safe = (text: string) => text.replace(/--/g, '- -').replace(/-$/, '- ');
  const attr = (text: string) => text.replace(/[&"<>]/g, (c) => ({ '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' })[c]!).replace(/\?>/g, '? >');
  const lines = input.signers.map((s, i) => `  ${i + 1}. ${safe(s.fullName)}, ${formatSigningTime(s.signingTime)}`);
  const annotation = [
    '',
    `<!-- Signers (Kezek Sandbox):\n${lines.join('\n')}\n-->`,
    `<?kezek-archive DocumentId="${attr(input.documentId)}" check_id="${attr(input.checkId)}" verify_url="${attr(input.verifyUrl)}"?>`,
    '',
  ].join('\n');
  return new Uint8Array(Buffer.concat([Buffer.from(original), Buffer.from(annotation, 'utf8')]));
}
