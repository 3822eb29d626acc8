import { createOrganisation, startTestApp, type TestApp } from './support/app.js';
import { dropFile, launchBrowser, type TestBrowser } from './support/browser.js';
import { IINS, makePdf } from './support/documents.js';
import { readQrCode } from './support/qr.js';
import { signers, SigningDriver, type EnvelopeView } from './support/signing.js';
import { CHROMIUM, describeWithTools, pdfToPngs, PDFTOPPM } from './support/system-tools.js';
import { providerArchive, signAll, verifyFile, waitForArchives } from './support/verification.js';

/**
 * The public verification pages in a real browser (Debian's Chromium through playwright-core): a person
 * drops an archive copy on /verify and sees the signers, drops a copy with one byte changed and is told it
 * was altered, and follows the QR code printed on a copy to that session's page.
 */
describeWithTools([CHROMIUM, PDFTOPPM], 'verification pages in Chromium', () => {
  let t: TestApp;
  let drive: SigningDriver;
  let browser: TestBrowser;
  let envelope: EnvelopeView;
  let copies: Uint8Array[];

  beforeAll(async () => {
    t = await startTestApp({ SANDBOX_ENABLED: 'true', ROUND_POLL_SECONDS: '2', VERIFY_RATE_LIMIT_PER_MINUTE: '10000' });
    drive = new SigningDriver(t, await createOrganisation(t, 'Acme'));
    const created = await drive.create({
      title: 'Supply contract No. 17',
      documents: [{ name: 'contract.pdf', contentBase64: (await makePdf('Supply contract No. 17 (browser)')).toString('base64') }],
      signers: signers(IINS.slice(0, 3)),
      send: true,
    });
    envelope = await signAll(drive, created.id, 3);
    await waitForArchives(drive, envelope.id, 3);
    // The copy each signer's session produced, as the provider's archive serves it.
    copies = [];
    for (const signer of envelope.signers) copies.push(Object.values(await providerArchive(t, drive, signer.rounds[0].sessionId))[0]);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const pdf = (bytes: Uint8Array) => ({ name: 'contract-signed.pdf', mimeType: 'application/pdf', bytes });

  it('shows the signers of a dropped archive copy, in order, with signing time, issuer and masked IIN', async () => {
    const { page, errors } = await browser.page();
    await page.goto(`${t.baseUrl}/verify?lang=en`);
    await dropFile(page, '#drop', pdf(copies[2]));
    const result = page.locator('#result[data-verdict="intact"]');
    await result.waitFor();
    expect(await result.locator('[data-verdict-title]').textContent()).toContain('Intact');
    expect(await result.locator('[data-envelope-status]').getAttribute('data-envelope-status')).toBe('COMPLETED');

    const expected = (await verifyFile(t, copies[2]).expect(200)).body.signers as { iin: string; signingTime: string; name: string }[];
    const rows = result.locator('tr[data-signer]');
    expect(await rows.count()).toBe(3);
    for (let i = 0; i < 3; i++) {
      const row = rows.nth(i);
      expect(await row.getAttribute('data-iin')).toBe(`********${IINS[i].slice(-4)}`);
      expect(await row.locator('[data-signing-time]').getAttribute('data-signing-time')).toBe(expected[i].signingTime);
      expect(await row.locator('[data-signing-time]').textContent()).toBe(`${expected[i].signingTime.slice(0, 19).replace('T', ' ')} UTC`);
      expect(await row.locator('[data-name]').textContent()).toBe(expected[i].name);
      expect(await row.textContent()).toContain('Kezek Sandbox NCA');
    }
    expect(await page.content()).not.toContain(IINS[0]);
    expect(errors).toEqual([]);
  });

  it('calls the same copy with one byte changed altered', async () => {
    const { page, errors } = await browser.page();
    await page.goto(`${t.baseUrl}/verify?lang=en`);
    const altered = new Uint8Array(copies[2]);
    altered[12] ^= 0x01;
    await dropFile(page, '#drop', pdf(altered));
    const result = page.locator('#result[data-verdict="altered"]');
    await result.waitFor();
    expect(await result.locator('[data-verdict-title]').textContent()).toContain('ALTERED');
    expect(await result.locator('.card').getAttribute('class')).toContain('bad');
    expect(errors).toEqual([]);
  });

  it('says nothing about a file it does not know', async () => {
    const { page } = await browser.page();
    await page.goto(`${t.baseUrl}/verify?lang=ru`);
    await dropFile(page, '#drop', pdf(await makePdf('Unrelated')));
    const result = page.locator('#result[data-verdict="unknown"]');
    await result.waitFor();
    expect(await result.locator('tr[data-signer]').count()).toBe(0);
    expect(await result.locator('[data-envelope-status]').count()).toBe(0);
    expect(await result.textContent()).toContain('Не найден');
  });

  it('opens the session page from the QR code of an archive copy, and compares a dropped copy with it', async () => {
    const [lastPage] = (await pdfToPngs(copies[2], 150)).slice(-1);
    const url = readQrCode(lastPage);
    const checkId = envelope.signers[2].rounds[0].checkId;
    expect(url).toBe(`${t.config.publicBaseUrl}/verify/${checkId}`);

    const { page, errors } = await browser.page();
    await page.goto(`${url}?lang=en`);
    const session = page.locator('[data-session]');
    expect(await session.getAttribute('data-check-id')).toBe(checkId);
    expect(await page.locator('[data-envelope-status]').getAttribute('data-envelope-status')).toBe('COMPLETED');
    expect(await page.locator('[data-document] tr[data-signer]').count()).toBe(3);
    expect(await page.locator('[data-copy]').count()).toBe(1);

    // The copy of this session: the same one; the first signer's copy: another session's.
    await page.locator('#file').setInputFiles({ name: 'mine.pdf', mimeType: 'application/pdf', buffer: Buffer.from(copies[2]) });
    await page.locator('#result[data-verdict="intact"] [data-session-match="same"]').waitFor();
    await dropFile(page, '#drop', pdf(copies[0]));
    await page.locator('#result[data-verdict="intact"] [data-session-match="other"]').waitFor();
    expect(await page.locator('#result tr[data-signer]').count()).toBe(1);
    expect(errors).toEqual([]);
  });

  it('shows a bare not-found page for an unknown check_id', async () => {
    const { page } = await browser.page();
    const response = await page.goto(`${t.baseUrl}/verify/3f0c3a51-0000-4000-8000-000000000000?lang=en`);
    expect(response?.status()).toBe(404);
    expect(await page.locator('[data-error="notFound"]').textContent()).toBe('Not found.');
  });
});
