import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb } from 'pdf-lib';

/** The `document_pdf` of an E-Document: one page listing the document's fields (flattened result_json) and the face photo. */
export async function eDocumentPdf(title: string, resultJson: Record<string, unknown>, facePng: Uint8Array, fontBytes: Uint8Array): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const font = await pdf.embedFont(fontBytes, { subset: true });
  const page = pdf.addPage([595, 842]);
  page.drawText(title, { x: 56, y: 780, size: 16, font });
  page.drawText('Kezek Sandbox · электронный документ (без юридической силы)', { x: 56, y: 760, size: 9, font, color: rgb(0.4, 0.4, 0.45) });
  const photo = await pdf.embedPng(facePng);
  page.drawImage(photo, { x: 440, y: 600, width: 100, height: 125 });
  let y = 730;
  const walk = (value: unknown, path: string) => {
    if (y < 60) return;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) walk(inner, path ? `${path}.${key}` : key);
      return;
    }
    const text = `${path}: ${Array.isArray(value) ? JSON.stringify(value) : String(value)}`;
    page.drawText(text.length > 70 ? `${text.slice(0, 69)}…` : text, { x: 56, y, size: 9, font });
    y -= 13;
  };
  walk(resultJson, '');
  pdf.setTitle(title);
  pdf.setProducer('Kezek Sandbox');
  return pdf.save();
}
