import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { pdfArchiveCopy, xmlArchiveCopy } from '../../sandbox/domain/signature-sheet.js';
import { readCopyIdentity } from './document-id.js';

async function pdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage().drawText('Contract', { font: await doc.embedFont(StandardFonts.Helvetica) });
  return doc.save();
}

const input = { documentId: '7d3c6a2e-1f0b-4c55-9a1e-3b2f6e0d9c41', documentName: 'contract.pdf', checkId: 'c-1', verifyUrl: 'http://localhost/verify/c-1', signers: [{ fullName: 'Әлиев Нұрлан', signingTime: new Date(0) }] };

describe('readCopyIdentity', () => {
  it('reads the DocumentId of a PDF copy, even from a compressed object stream', async () => {
    const font = readFileSync(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));
    const copy = await pdfArchiveCopy(await pdf(), input, font);
    expect(Buffer.from(copy).includes('/DocumentId')).toBe(false); // not in plain text: pdf-lib must read it
    expect(await readCopyIdentity(copy)).toEqual({ type: 'pdf', documentId: input.documentId });
  });

  it('reads an uncompressed DocumentId from a PDF pdf-lib cannot open', async () => {
    const broken = Buffer.from(`%PDF-1.4\n1 0 obj\n<< /DocumentId (abc-123) >>\nendobj\ngarbage\n%%EOF`);
    expect(await readCopyIdentity(broken)).toEqual({ type: 'pdf', documentId: 'abc-123' });
  });

  it('reads the DocumentId of an XML copy and gives none for plain files', async () => {
    const copy = xmlArchiveCopy(Buffer.from('<?xml version="1.0" encoding="UTF-8"?><act n="1"/>'), input);
    expect(await readCopyIdentity(copy)).toEqual({ type: 'xml', documentId: input.documentId });
    expect(await readCopyIdentity(await pdf())).toEqual({ type: 'pdf', documentId: null });
    expect(await readCopyIdentity(Buffer.from('plain text'))).toEqual({ type: 'unknown', documentId: null });
  });
});
