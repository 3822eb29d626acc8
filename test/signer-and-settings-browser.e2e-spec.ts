import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createOrganisation, startTestApp, type TestApp } from './support/app.js';
import { launchBrowser, signInToConsole, type TestBrowser } from './support/browser.js';
import { createConsoleUser, PASSWORD } from './support/console.js';
import { IINS, makePdf } from './support/documents.js';
import { signers, SigningDriver, until } from './support/signing.js';
import { CHROMIUM, describeWithTools } from './support/system-tools.js';

/** Screenshots for people to look at (1280 px and 390 px wide); not compared by the test. */
const SIGNER_SCREENSHOTS = join(process.cwd(), 'test-output', 'signer');
const CONSOLE_SCREENSHOTS = join(process.cwd(), 'test-output', 'console');

async function screenshots(page: Page, folder: string, name: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: join(folder, `${name}-1280.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(folder, `${name}-390.png`), fullPage: true });
}

/** Pixels of a canvas that are not white: a drawn page has text on it. */
function inkOf(page: Page, selector: string): Promise<number> {
  return page.locator(selector).first().evaluate((canvas) => {
    const c = canvas as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200) ink++;
    return ink;
  });
}

/**
 * The signer's link page and the new console pages in a real browser (Debian's Chromium through
 * playwright-core): the PDF drawn by pdf.js under the page's CSP, the XML as text, the end page with the
 * signed copy; reminding a signer; a webhook endpoint created in settings and a delivery redelivered.
 */
describeWithTools([CHROMIUM], 'signer page and console settings in Chromium', () => {
  let t: TestApp;
  let browser: TestBrowser;
  let drive: SigningDriver;
  let receiver: Server;
  let receiverUrl: string;
  let received = 0;

  beforeAll(async () => {
    mkdirSync(SIGNER_SCREENSHOTS, { recursive: true });
    mkdirSync(CONSOLE_SCREENSHOTS, { recursive: true });
    receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received++;
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
    t = await startTestApp({ SANDBOX_ENABLED: 'true', ROUND_POLL_SECONDS: '2', CONSOLE_LOGIN_RATE_LIMIT_PER_MINUTE: '1000', WEBHOOKS_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_LIMIT: '0' });
    const acme = await createOrganisation(t, 'Acme');
    drive = new SigningDriver(t, acme);
    await createConsoleUser(t, acme.id, 'admin@acme.kz', 'admin');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  const signIn = (email: string) => signInToConsole(browser, t.baseUrl, email, PASSWORD);

  it('the link page draws the PDF before the Sign button, offers the original, and after completion the signed copy', async () => {
    const created = await drive.create({
      title: 'Lease of office 12',
      documents: [{ name: 'lease.pdf', contentBase64: (await makePdf('Lease of office 12: rent 450 000 KZT')).toString('base64') }],
      signers: signers([IINS[0]]),
      options: { language: 'en' },
      send: true,
    });
    const { page, errors } = await browser.page();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(created.signers[0].link!);
    const preview = page.locator('[data-pdf-url]');
    await preview.and(page.locator('[data-preview="rendered"]')).waitFor({ timeout: 30_000 });
    expect(await preview.getAttribute('data-pages')).toBe('1');
    expect(await page.getByRole('img', { name: 'Page 1 of 1' }).count()).toBe(1);
    expect(await inkOf(page, '[data-pdf-url] canvas')).toBeGreaterThan(100);
    // The document comes first, then the Sign button.
    const previewBox = (await preview.boundingBox())!;
    const signBox = (await page.getByRole('button', { name: 'Sign with Cloud EDS' }).boundingBox())!;
    expect(signBox.y).toBeGreaterThan(previewBox.y + previewBox.height - 1);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the original' }).click()]);
    expect(download.suggestedFilename()).toBe('lease.pdf');
    await screenshots(page, SIGNER_SCREENSHOTS, 'link-pdf');
    expect(errors).toEqual([]);

    await drive.round(created.id, 0);
    await drive.waitForStatus(created.id, 'COMPLETED');
    await page.goto(created.signers[0].link!);
    expect(await page.locator('[data-envelope-status="COMPLETED"]').textContent()).toContain('Every signer has signed');
    expect(await page.getByRole('button', { name: 'Sign with Cloud EDS' }).count()).toBe(0);
    const [cms] = await Promise.all([page.waitForEvent('download'), page.locator('[data-signed-cms]').click()]);
    expect(cms.suggestedFilename()).toBe('lease.pdf.p7s');
    await screenshots(page, SIGNER_SCREENSHOTS, 'link-completed');
    expect(errors).toEqual([]);
  }, 120_000);

  it('an XML document reads as text on the link page', async () => {
    const xml = '<?xml version="1.0" encoding="UTF-8"?><act number="5"><party>ТОО «Қазақ»</party><sum currency="KZT">1000</sum></act>';
    const created = await drive.create({ title: 'Act 5', documents: [{ name: 'act.xml', contentBase64: Buffer.from(xml).toString('base64') }], signers: signers([IINS[1]]), options: { language: 'kz' }, send: true });
    const { page, errors } = await browser.page();
    await page.goto(created.signers[0].link!);
    const text = await page.locator('[data-xml-preview]').textContent();
    expect(text).toContain('<act number="5">\n  <party>ТОО «Қазақ»</party>');
    await screenshots(page, SIGNER_SCREENSHOTS, 'link-xml');
    expect(errors).toEqual([]);
  });

  it('an admin reminds a signer, adds a webhook endpoint and redelivers a delivery', async () => {
    const created = await drive.create({ title: 'Remind in the browser', documents: [{ name: 'r.pdf', contentBase64: (await makePdf('remind')).toString('base64') }], signers: [{ ...signers([IINS[2]])[0], email: 'r@example.kz' }], options: { language: 'en' }, send: true });
    const { page, errors } = await signIn('admin@acme.kz');
    await page.goto(`${t.baseUrl}/console/envelopes/${created.id}`);
    await page.getByRole('button', { name: `Remind: ${created.signers[0].fullName}` }).click();
    await page.waitForURL(/reminded=1$/);
    expect(await page.locator('[data-notice]').textContent()).toBe('Reminder sent');
    await page.getByRole('button', { name: `Remind: ${created.signers[0].fullName}` }).click();
    expect(await page.locator('[data-error]').textContent()).toContain('the next reminder is possible after');
    await screenshots(page, CONSOLE_SCREENSHOTS, 'remind');

    await page.getByRole('link', { name: 'Settings' }).click();
    expect(await page.locator('[data-provider-environment]').getAttribute('data-provider-environment')).toBe('sandbox');
    await screenshots(page, CONSOLE_SCREENSHOTS, 'settings');
    await page.locator('[data-webhooks-link]').click();
    await page.getByLabel('URL').fill(receiverUrl);
    await page.getByLabel('Description').fill('ERP');
    await page.getByLabel('envelope.*').check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    expect(await page.locator('[data-new-secret]').textContent()).toMatch(/^whsec_/);
    await screenshots(page, CONSOLE_SCREENSHOTS, 'webhooks');

    await drive.create({ title: 'Hook me', documents: [{ name: 'h.pdf', contentBase64: (await makePdf('hook')).toString('base64') }], signers: signers([IINS[3]]), send: true });
    await until(async () => received >= 1, 'the first delivery');
    await page.getByRole('link', { name: 'Delivery log' }).click();
    await until(async () => {
      await page.reload();
      return (await page.locator('[data-delivery-status="delivered"]').count()) === 1;
    }, 'the delivered row');
    await page.getByRole('button', { name: /^Redeliver: envelope\.sent/ }).click();
    await page.waitForURL(/redelivered=1$/);
    expect(await page.locator('[data-notice]').textContent()).toBe('Sent again: one more attempt');
    await until(async () => received >= 2, 'the redelivery');
    await until(async () => {
      await page.reload();
      return (await page.locator('tr[data-delivery-status="delivered"] td').nth(3).textContent()) === '2';
    }, 'two attempts on the row');
    await screenshots(page, CONSOLE_SCREENSHOTS, 'webhook-deliveries');
    expect(errors).toEqual([]);
  }, 120_000);
});
