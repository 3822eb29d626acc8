/**
 * The whole signer chain inside a mobile app's WebView, in a real browser (Debian's Chromium through
 * playwright-core, a phone viewport with touch): Kezek's link page with `?web_view=true` → the identity flow
 * (liveness failed once, then liveness and a face match against the integrator's photo) → the Cloud EDS sign
 * page → Kezek's return, ending at the one fixed URL an app catches: `/finished`.
 */
import { facePhotoPng } from '../../src/sandbox/kyc/domain/images.js';
import { createOrganisation, startTestApp, type TestApp } from '../support/app.js';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import { CHROMIUM, describeWithTools } from '../support/system-tools.js';
import { IdentityDriver } from './support.js';

describeWithTools([CHROMIUM], 'the signer chain in a WebView (Chromium, phone viewport)', () => {
  let t: TestApp;
  let browser: TestBrowser;
  let drive: IdentityDriver;

  beforeAll(async () => {
    t = await startTestApp({ SANDBOX_ENABLED: 'true', ROUND_POLL_SECONDS: '2', IDENTITY_POLL_SECONDS: '600' });
    drive = new IdentityDriver(t, await createOrganisation(t, 'Mobile bank'));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('link → identity flow (a retry) → Cloud EDS → /finished, without leaving the WebView', async () => {
    const created = await drive.envelope({ checks: ['liveness', 'face2face'], photoBase64: facePhotoPng('900101300126').toString('base64') });
    const link = created.signers[0].link!;
    const { page, errors } = await browser.page();
    // Each click submits a form and waits for the next page; a loaded machine may take a while.
    page.setDefaultTimeout(60_000);
    await page.setViewportSize({ width: 390, height: 844 });
    const visited: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) visited.push(new URL(frame.url()).pathname);
    });

    await page.goto(`${link}?web_view=true`);
    expect(await page.textContent('[data-identity="needed"]')).toContain('проверка «живости», сравнение лица');
    await page.click('#sign');

    // The provider's flow page (the sandbox's), in Russian; liveness fails the first time.
    expect(new URL(page.url()).pathname).toMatch(/^\/sandbox\/remote\/flow\//);
    // Not web_view=true on the flow: the provider would end it at its own /finished instead of coming back.
    expect(new URL(page.url()).searchParams.get('web_view')).toBeNull();
    expect(await page.textContent('h2')).toBe('Проверка живости (Liveness)');
    await page.selectOption('#reason', 'EYES_CLOSED');
    await page.click('button:text-is("Не пройти")');

    // Back at Kezek: the reason, and the way on (still inside the WebView chain).
    expect(new URL(page.url()).pathname).toBe(`${new URL(link).pathname}/identity`);
    expect(await page.textContent('[data-identity="failed"]')).toContain('не пройдена проверка «живости» (Liveness). Осталось попыток: 2.');
    expect(await page.getAttribute('form[action$="/sign?web_view=true"]', 'method')).toBe('post');
    await page.click('#sign');

    expect(await page.textContent('h2')).toBe('Проверка живости (Liveness)');
    await page.click('button:text-is("Пройти")');
    expect(await page.textContent('h2')).toBe('Сравнение лиц (Face2Face)');
    await page.click('button:text-is("Пройти")');

    // The identity passed: Kezek opened the Cloud EDS sign page straight away.
    expect(new URL(page.url()).pathname).toBe('/sandbox/sign');
    await page.click('form:has(input[name="action"][value="sign"]) button[type="submit"]');

    // The end of the chain: one fixed URL the app catches.
    const end = new URL(page.url());
    expect(end.pathname).toBe('/finished');
    expect(end.searchParams.get('status')).toBe('signed');
    expect(await page.getAttribute('[data-finished]', 'data-finished')).toBe('true');
    expect(errors).toEqual([]);
    expect(visited).toContain('/sandbox/sign');

    const view = await drive.view(created.id);
    expect(view.status).toBe('COMPLETED');
    expect(view.signers[0].identity!.attempts.map((a) => a.status)).toEqual(['FAILED', 'PASSED']);
  }, 240_000);
});
