import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A small real PDF (well under the provider's 30 KB dev limit) with the given text. */
export async function makePdf(text = 'Supply contract No. 17'): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  page.drawText(text, { x: 50, y: 780, size: 16, font: await pdf.embedFont(StandardFonts.Helvetica) });
  pdf.setTitle(text);
  return Buffer.from(await pdf.save());
}

export function makeXml(sum = 1000): Buffer {
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<contract number="17"><party>ТОО «Қазақ»</party><sum currency="KZT">${sum}</sum></contract>\n`);
}

/** IINs with valid check digits (born 1990-01-01.., male/female). */
export const IINS = ['900101300126', '850215400567', '920730300010', '880512400241', '950101300026', '010203500018', '771211300455', '990303400781'] as const;
