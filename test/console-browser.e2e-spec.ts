import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { createOrganisation, startTestApp, type TestApp } from './support/app.js';
import { launchBrowser, signInToConsole, type TestBrowser } from './support/browser.js';
import { createConsoleUser, PASSWORD } from './support/console.js';
import { IINS, makePdf } from './support/documents.js';
import { signers, SigningDriver, until } from './support/signing.js';
import { CHROMIUM, describeWithTools } from './support/system-tools.js';

/** Screenshots for people to look at (1280 px and 390 px wide); not compared by the test. */
const SCREENSHOTS = join(process.cwd(), 'test-output', 'console');

/**
 * The console in a real browser (Debian's Chromium through playwright-core): a member signs in, creates a
 * three-signer envelope with an upload, finds it by search, watches it move while the signers sign on the
 * sandbox, reads the timeline and downloads the evidence pack; a viewer has no cancel; another
 * organisation's envelope is not found; a form stripped of its CSRF token is refused.
 */
describeWithTools([CHROMIUM], 'console in Chromium', () => {
  let t: TestApp;
  let browser: TestBrowser;
  let drive: SigningDriver;
  let foreignId: string;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await startTestApp({ SANDBOX_ENABLED: 'true', ROUND_POLL_SECONDS: '2', CONSOLE_LOGIN_RATE_LIMIT_PER_MINUTE: '1000' });
    const acme = await createOrganisation(t, 'Acme');
    const other = await createOrganisation(t, 'Other');
    drive = new SigningDriver(t, acme);
    await createConsoleUser(t, acme.id, 'member@acme.kz', 'member');
    await createConsoleUser(t, acme.id, 'viewer@acme.kz', 'viewer');
    foreignId = (await new SigningDriver(t, other).create({ title: 'Foreign', documents: [{ name: 'f.pdf', contentBase64: (await makePdf('f')).toString('base64') }], signers: signers([IINS[5]]) })).id;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const signIn = (email: string) => signInToConsole(browser, t.baseUrl, email, PASSWORD);

  it('a member creates a three-signer envelope, finds it, watches it complete, reads the timeline and downloads the evidence pack', async () => {
    const { page, errors } = await signIn('member@acme.kz');
    await page.getByRole('link', { name: 'New envelope' }).click();
    await page.getByLabel('Title').fill('Browser supply contract');
    await page.getByLabel('Documents (PDF or XML)').setInputFiles({ name: 'contract.pdf', mimeType: 'application/pdf', buffer: await makePdf('Browser supply contract') });
    const people = signers(IINS.slice(0, 3));
    for (let i = 0; i < 3; i++) {
      await page.locator(`#s${i}-name`).fill(people[i].fullName);
      await page.locator(`#s${i}-iin`).fill(people[i].iin);
      await page.locator(`#s${i}-phone`).fill(people[i].phone);
    }
    await page.getByRole('combobox', { name: 'Language' }).selectOption('en');
    await page.screenshot({ path: join(SCREENSHOTS, 'new-envelope-1280.png'), fullPage: true });
    await page.getByRole('button', { name: 'Create and send' }).click();
    await page.waitForURL(/\/console\/envelopes\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').at(-1)!;
    expect(await page.locator('[data-status]').first().getAttribute('data-status')).toBe('IN_PROGRESS');

    await page.getByRole('link', { name: /Back to envelopes/ }).click();
    await page.getByLabel('Search').fill(IINS[2]);
    await page.getByRole('button', { name: 'Apply' }).click();
    const row = page.locator(`tr[data-envelope-id="${id}"]`);
    await row.waitFor();
    expect(await page.locator('tr[data-envelope-id]').count()).toBe(1);

    await row.getByRole('link').click();
    await page.waitForURL(new RegExp(`/console/envelopes/${id}$`));
    for (let i = 0; i < 3; i++) {
      await drive.round(id, i);
      const expected = i === 2 ? 'COMPLETED' : 'IN_PROGRESS';
      await until(async () => {
        await page.reload();
        const statuses = await page.locator('tr[data-signer-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-signer-status')));
        return statuses.filter((s) => s === 'SIGNED').length === i + 1 && (await page.locator('p > [data-status]').getAttribute('data-status')) === expected;
      }, `signer ${i + 1} signed on the page`);
    }
    await page.locator('#timeline').scrollIntoViewIfNeeded();
    expect(await page.locator('tr[data-event="envelope.created"]').textContent()).toContain('member@acme.kz');
    expect(await page.locator('tr[data-event="signer.link_opened"]').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('[data-chain-valid]').getAttribute('data-chain-valid')).toBe('true');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: join(SCREENSHOTS, 'envelope-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(SCREENSHOTS, 'envelope-390.png'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-evidence]').click()]);
    const files = unzipSync(readFileSync((await download.path())!));
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['manifest.json', 'certificate-of-completion.pdf', 'audit/audit-trail.json']));

    await page.getByRole('link', { name: 'Dashboard' }).click();
    expect(await page.locator('[data-count="COMPLETED"] strong').textContent()).toBe('1');
    expect(await page.locator('[data-median]').textContent()).toMatch(/\d+(\.\d)? (min|h|d)/);
    expect(await page.locator('[data-chart] rect').count()).toBe(30);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-390.png'), fullPage: true });

    await page.goto(`${t.baseUrl}/console/envelopes`);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: join(SCREENSHOTS, 'envelopes-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(SCREENSHOTS, 'envelopes-390.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 240_000);

  it('shows a viewer no cancel button and refuses their cancel; another organisation’s envelope is not found', async () => {
    const created = await drive.create({ title: 'Viewer check', documents: [{ name: 'v.pdf', contentBase64: (await makePdf('v')).toString('base64') }], signers: signers([IINS[4]]), send: true });
    const { page } = await signIn('viewer@acme.kz');
    await page.goto(`${t.baseUrl}/console/envelopes/${created.id}`);
    expect(await page.locator('[data-action="cancel"]').count()).toBe(0);
    // The same form a member sees, posted by the viewer's own session with a valid token.
    const token = await page.locator('input[name="_csrf"]').first().inputValue();
    const status = await page.evaluate(
      async ({ id, token }) => (await fetch(`/console/envelopes/${id}/cancel`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: token, reason: 'viewer' }) })).status,
      { id: created.id, token },
    );
    expect(status).toBe(403);
    expect((await drive.get(created.id)).status).toBe('IN_PROGRESS');
    const foreign = await page.goto(`${t.baseUrl}/console/envelopes/${foreignId}`);
    expect(foreign?.status()).toBe(404);
    expect(await page.locator('[data-http-status]').getAttribute('data-http-status')).toBe('404');
  });

  it('refuses a cancel form whose CSRF token was removed', async () => {
    const created = await drive.create({ title: 'CSRF check', documents: [{ name: 'c.pdf', contentBase64: (await makePdf('c')).toString('base64') }], signers: signers([IINS[6]]), send: true });
    const { page } = await signIn('member@acme.kz');
    await page.goto(`${t.baseUrl}/console/envelopes/${created.id}`);
    await page.locator('form[action$="/cancel"] input[name="_csrf"]').evaluate((input) => input.remove());
    await page.getByLabel('Reason').fill('forged');
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/cancel')), page.getByRole('button', { name: 'Cancel envelope' }).click()]);
    expect(response.status()).toBe(403);
    expect((await drive.get(created.id)).status).toBe('IN_PROGRESS');
  });
});
