import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { pdfArchiveCopy, xmlArchiveCopy } from '../../sandbox/domain/signature-sheet.js';
import { createInflate, deflateSync } from 'node:zlib';
import { PDF_SCAN_LIMITS, readCopyIdentity, scanPdfDocumentId } from './document-id.js';
import { pdfBomb, zerosStream } from '../testing/pdf-bomb.js';

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
    expect(Buffer.from(copy).includes('/DocumentId')).toBe(false); // not in plain text: the object stream must be read
    expect(readCopyIdentity(copy)).toEqual({ type: 'pdf', documentId: input.documentId });
  });

  it('reads an uncompressed DocumentId from a PDF pdf-lib cannot open', async () => {
    const broken = Buffer.from(`%PDF-1.4\n1 0 obj\n<< /DocumentId (abc-123) >>\nendobj\ngarbage\n%%EOF`);
    expect(readCopyIdentity(broken)).toEqual({ type: 'pdf', documentId: 'abc-123' });
  });

  it('reads the DocumentId of an XML copy and gives none for plain files', async () => {
    const copy = xmlArchiveCopy(Buffer.from('<?xml version="1.0" encoding="UTF-8"?><act n="1"/>'), input);
    expect(readCopyIdentity(copy)).toEqual({ type: 'xml', documentId: input.documentId });
    expect(readCopyIdentity(await pdf())).toEqual({ type: 'pdf', documentId: null });
    expect(readCopyIdentity(Buffer.from('plain text'))).toEqual({ type: 'unknown', documentId: null });
  });

  it('reads literal escapes, hex strings and UTF-16 from an uncompressed Info dictionary', () => {
    const pdf = (info: string) => Buffer.from(`%PDF-1.7\n7 0 obj\n<< /Producer (x) ${info} >>\nendobj\ntrailer\n<< /Info 7 0 R /Size 8 >>\n%%EOF`);
    expect(scanPdfDocumentId(pdf('/DocumentId (a\\(b\\)\\055c)')).documentId).toBe('a(b)-c');
    expect(scanPdfDocumentId(pdf('/DocumentId <6162 63>')).documentId).toBe('abc');
    expect(scanPdfDocumentId(pdf('/DocumentId <FEFF00690064>')).documentId).toBe('id');
    expect(scanPdfDocumentId(pdf('/DocumentId (has space)')).documentId).toBeNull();
  });

  it('builds a real bomb: its stream inflates to the size asked (checked at 32 MiB; the bomb asks 512)', async () => {
    let total = 0;
    const inflate = createInflate();
    inflate.on('data', (chunk: Buffer) => (total += chunk.length));
    await new Promise((resolve, reject) => inflate.on('end', resolve).on('error', reject).end(zerosStream(32 * 1024 * 1024)));
    expect(total).toBe(32 * 1024 * 1024);
  });

  it('stops a stream deflated twice to 512 MB at its decoding budget', () => {
    const bomb = pdfBomb(512 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(64 * 1024);
    const { documentId, stats } = scanPdfDocumentId(bomb);
    expect(documentId).toBeNull();
    expect(stats.capped).toBe(true);
    expect(stats.decodedBytes).toBeLessThanOrEqual(PDF_SCAN_LIMITS.maxDecodedBytes);
  });

  it('reads only a bounded number of object streams', () => {
    const stream = deflateSync(Buffer.from('1 0 << /A 1 >>'));
    const objects = Array.from({ length: 200 }, (_, i) => `${i + 10} 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${stream.length} >>\nstream\n${stream.toString('latin1')}\nendstream\nendobj\n`);
    const pdf = Buffer.from(`%PDF-1.7\n${objects.join('')}trailer\n<< /Info 3 0 R >>\n%%EOF`, 'latin1');
    const { documentId, stats } = scanPdfDocumentId(pdf);
    expect(documentId).toBeNull();
    expect(stats.objectStreams).toBe(PDF_SCAN_LIMITS.maxObjectStreams);
    expect(stats.capped).toBe(true);
  });
});
