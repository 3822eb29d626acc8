import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { certificateKeywords, renderCertificateOfCompletion, wrapText, type CertificateModel } from './certificate-of-completion.js';

const require = createRequire(import.meta.url);
const fonts = {
  regular: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
  bold: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
};

function model(signerCount: number): CertificateModel {
  const names = ['Әлиев Нұрлан', 'Иванова Анна', 'Сейітқали Дәурен', 'Ғалымов Бауыржан Үмбетұлы', 'Һасенова Өмірзақ'];
  return {
    envelope: { id: '0b7a4c52-7c1e-4f0e-9a57-3b7d9d2f7a10', title: 'Жеткізу шарты № 17', status: 'COMPLETED', statusReason: null, organisation: 'ТОО «Кезек»', documentType: 'pdf', createdAt: '2026-01-01T10:00:00.000Z', sentAt: '2026-01-01T10:00:01.000Z', finishedAt: '2026-01-01T11:00:00.000Z' },
    documents: [{ name: 'contract.pdf', size: 1000, sha256: 'a'.repeat(64), finalCmsSha256: 'b'.repeat(64) }],
    signers: Array.from({ length: signerCount }, (_, i) => ({
      position: i + 1,
      fullName: names[i % names.length],
      iin: '********0126',
      routingOrder: i + 1,
      status: 'SIGNED',
      signatures: [{ documentName: 'contract.pdf', certificateName: names[i % names.length].toLocaleUpperCase('kk-KZ'), serialNumber: '5d4577e1dff78844c17ed8f66b6b1773', issuer: 'CN=Kezek Sandbox NCA, O=Kezek Sandbox, C=KZ', signingTime: `2026-01-01T10:0${i % 10}:00.000Z` }],
      sessionIds: ['4cb4ce6c-3328-4e84-8358-168ff9cd3bcd'],
      linkOpens: [{ at: '2026-01-01T10:00:00.000Z', ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 '.repeat(2) }],
      linkOpensOmitted: i === 0 ? 3 : 0,
    })),
    audit: { headHash: 'c'.repeat(64), events: 42 },
    verifyUrl: 'http://localhost:3000/verify/fc711ff8-80cf-408e-b16b-5c5d89412542',
    generatedAt: '2026-01-01T12:00:00.000Z',
  };
}

describe('certificate of completion', () => {
  it('carries the envelope id and audit head in its metadata', async () => {
    const pdf = await PDFDocument.load(await renderCertificateOfCompletion(model(3), fonts));
    expect(pdf.getKeywords()).toBe(certificateKeywords(model(3).envelope.id, 'c'.repeat(64)).join(' '));
    expect(pdf.getTitle()).toBe('Certificate of completion: Жеткізу шарты № 17');
  });

  it('flows onto more pages as signers are added', async () => {
    const few = (await PDFDocument.load(await renderCertificateOfCompletion(model(2), fonts))).getPageCount();
    const many = (await PDFDocument.load(await renderCertificateOfCompletion(model(20), fonts))).getPageCount();
    expect(many).toBeGreaterThan(few);
  });

  it('wraps long unbroken text to the width', async () => {
    const font = await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica);
    const lines = wrapText(`short words then ${'x'.repeat(300)}`, font, 10, 200);
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(font.widthOfTextAtSize(line, 10)).toBeLessThanOrEqual(200);
    expect(lines.join('').replace(/\s/g, '')).toBe(`shortwordsthen${'x'.repeat(300)}`);
  });
});
