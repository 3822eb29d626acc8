import { createOrganisation, startTestApp, type TestApp } from './support/app.js';
import { IINS, makePdf } from './support/documents.js';
import { signers, SigningDriver } from './support/signing.js';
import { binaryParser, signAll, waitForArchives } from './support/verification.js';

describe("the signer's link page shows what is signed, and hands out the signed copy (real app, real sandbox)", () => {
  let t: TestApp;
  let drive: SigningDriver;

  beforeAll(async () => {
    t = await startTestApp({ SANDBOX_ENABLED: 'true', ROUND_POLL_SECONDS: '2' });
    drive = new SigningDriver(t, await createOrganisation(t, 'Acme'));
  });
  afterAll(() => t?.close());

  const download = (path: string) => drive.http.get(path).buffer(true).parse(binaryParser);

  it('a PDF: the page draws it with pdf.js under a CSP, and the original downloads byte for byte through the link only', async () => {
    const pdf = await makePdf('Preview me');
    const created = await drive.create({ title: 'Lease', documents: [{ name: 'lease.pdf', contentBase64: pdf.toString('base64') }], signers: signers([IINS[0]]), options: { language: 'en' }, send: true });
    const link = drive.path(created.signers[0].link!);
    const page = await drive.http.get(link).expect(200);
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline\'; script');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const documentId = created.documents[0].id;
    // The preview box, the module script and the download come before the Sign button.
    const previewAt = page.text.indexOf(`data-pdf-url="${link}/documents/${documentId}"`);
    expect(previewAt).toBeGreaterThan(0);
    expect(page.text).toContain('<script type="module" src="/assets/signer.js"></script>');
    expect(page.text.indexOf(`data-download="${documentId}"`)).toBeGreaterThan(previewAt);
    expect(page.text.indexOf('id="sign"')).toBeGreaterThan(previewAt);
    expect(page.text).not.toMatch(/<script>(?!<\/script>)/);

    const file = await download(`${link}/documents/${documentId}`).expect(200);
    expect(Buffer.compare(file.body as Buffer, pdf)).toBe(0);
    expect(file.headers['content-type']).toMatch(/^application\/pdf/);
    expect(file.headers['content-disposition']).toBe("attachment; filename*=UTF-8''lease.pdf");
    expect(file.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(file.headers['x-content-type-options']).toBe('nosniff');

    // Another envelope's document through this link, an unknown token, a malformed id: nothing.
    const other = await drive.create({ title: 'Other', documents: [{ name: 'o.pdf', contentBase64: (await makePdf('other')).toString('base64') }], signers: signers([IINS[1]]), send: true });
    const foreign = await drive.http.get(`${link}/documents/${other.documents[0].id}`).expect(404);
    expect(foreign.text).not.toContain('%PDF');
    await drive.http.get(`/s/${'A'.repeat(43)}/documents/${documentId}`).expect(404);
    await drive.http.get(`${link}/documents/not-a-uuid`).expect(400);
    // No signed copy before everyone has signed.
    await drive.http.get(`${link}/documents/${documentId}/signed.p7s`).expect(409);
    await drive.http.get(`${link}/archive.zip`).expect(409);
  });

  it('serves pdf.js from the package itself, and nothing else from its folders', async () => {
    const lib = await drive.http.get('/assets/pdfjs/pdf.min.mjs').expect(200);
    expect(lib.headers['content-type']).toMatch(/^text\/javascript/);
    expect(lib.text.length).toBeGreaterThan(100_000);
    await drive.http.get('/assets/pdfjs/pdf.worker.min.mjs').expect(200);
    await drive.http.get('/assets/pdfjs/standard_fonts/LiberationSans-Regular.ttf').expect(200);
    const wasm = await drive.http.get('/assets/pdfjs/wasm/openjpeg.wasm').expect(200);
    expect(wasm.headers['content-type']).toBe('application/wasm');
    await drive.http.get('/assets/pdfjs/wasm/quickjs-eval.wasm').expect(404);
    await drive.http.get('/assets/pdfjs/package.json').expect(404);
    await drive.http.get('/assets/pdfjs/build/pdf.mjs').expect(404);
    await drive.http.get('/assets/pdfjs/..%2Fpackage.json').expect(404);
    await drive.http.get('/assets/pdfjs/cmaps/..%2F..%2Fpackage.json').expect(404);
    const script = await drive.http.get('/assets/signer.js').expect(200);
    expect(script.text).toContain("import('/assets/pdfjs/pdf.min.mjs')");
    expect(script.text).toContain('isEvalSupported: false');
  });

  it('an XML: readable, escaped text in the page', async () => {
    const xml = Buffer.from('<?xml version="1.0" encoding="UTF-8"?><contract number="17"><party>ТОО «Қазақ» &lt;script&gt;</party><sum currency="KZT">1000</sum></contract>');
    const created = await drive.create({ title: 'Act', documents: [{ name: 'act.xml', contentBase64: xml.toString('base64') }], signers: signers([IINS[2]]), options: { language: 'ru' }, send: true });
    const link = drive.path(created.signers[0].link!);
    const page = await drive.http.get(link).expect(200);
    expect(page.text).toContain('data-xml-preview>');
    expect(page.text).toContain('&lt;contract number=&quot;17&quot;&gt;\n  &lt;party&gt;ТОО «Қазақ» &amp;lt;script&amp;gt;&lt;/party&gt;');
    expect(page.text).not.toContain('<party>');
    expect(page.text).not.toContain('data-pdf-url');
    const file = await download(`${link}/documents/${created.documents[0].id}`).expect(200);
    expect(Buffer.compare(file.body as Buffer, xml)).toBe(0);
    expect(file.headers['content-type']).toMatch(/^application\/xml/);
  });

  it('after the envelope completes, each signer downloads the signed CMS and the archive copy', async () => {
    const created = await drive.create({ title: 'Supply', documents: [{ name: 'supply.pdf', contentBase64: (await makePdf('supply')).toString('base64') }], signers: signers(IINS.slice(3, 5)), options: { language: 'en' }, send: true });
    await signAll(drive, created.id, 2);
    await waitForArchives(drive, created.id, 2);
    const documentId = created.documents[0].id;
    for (const signer of created.signers) {
      const link = drive.path(signer.link!);
      const page = await drive.http.get(link).expect(200);
      expect(page.text).toContain('data-signed-copy');
      expect(page.text).toContain('data-envelope-status="COMPLETED"');
      expect(page.text).toContain('Every signer has signed');
      expect(page.text).not.toContain('id="sign"');
      const cms = await download(`${link}/documents/${documentId}/signed.p7s`).expect(200);
      expect(Buffer.compare(cms.body as Buffer, await drive.signedCms(created.id, documentId))).toBe(0);
      expect(cms.headers['content-type']).toMatch(/^application\/pkcs7-signature/);
      const zip = await download(`${link}/archive.zip`).expect(200);
      expect((zip.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    }
  });

  it.each([
    ['canceled', 'The sender canceled this envelope', 'CANCELED'],
    ['declined', 'You declined to sign', 'DECLINED'],
  ])('a clear page once %s', async (how, sentence, status) => {
    const created = await drive.create({ title: `End ${how}`, documents: [{ name: 'e.pdf', contentBase64: (await makePdf(how)).toString('base64') }], signers: signers(IINS.slice(5, 7)), options: { language: 'en' }, send: true });
    if (how === 'canceled') await drive.http.post(`/v1/envelopes/${created.id}/cancel`).set(drive.auth()).send({ reason: 'Replaced' }).expect(200);
    else await drive.http.post(`${drive.path(created.signers[0].link!)}/decline`).type('form').send({ reason: 'Wrong amount' }).expect(200);
    const page = await drive.http.get(drive.path(created.signers[0].link!)).expect(200);
    expect(page.text).toContain(sentence);
    expect(page.text).not.toContain('id="sign"');
    const second = await drive.http.get(drive.path(created.signers[1].link!)).expect(200);
    expect(second.text).toContain(`data-envelope-status="${status}"`);
    expect(second.text).not.toContain('id="sign"');
    expect(second.text).not.toContain('data-signed-copy');
  });
});
