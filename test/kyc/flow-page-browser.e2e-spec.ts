/**
 * The identity sandbox's flow page in a real browser (Debian's Chromium through playwright-core, phone
 * viewport): a person passes liveness, receives the E-Document code from 1414 in the sandbox inbox, types a
 * wrong code then the right one, passes the face match against the E-Document photo and, inside a WebView
 * (`web_view=true`), ends at /sandbox/remote/finished; another fails liveness and is sent to the redirect.
 */
import { FlowClient } from '../../src/kyc/flows/flow.client.js';
import type { TestApp } from '../support/app.js';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import { CHROMIUM, describeWithTools } from '../support/system-tools.js';
import { freshIin, PHONE, startSandboxApp } from '../sandbox/support.js';
import { flowClient, sandboxFlow } from './support.js';

describeWithTools([CHROMIUM], 'identity flow page in Chromium', () => {
  let t: TestApp;
  let browser: TestBrowser;
  beforeAll(async () => {
    t = await startSandboxApp();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('LD, E-Document with the code from the inbox, Face2Face against the document photo; web_view ends at /finished (ru)', async () => {
    const flow = await sandboxFlow(t, 'LD,ED,F2F');
    const client: FlowClient = flowClient(t, flow.apiKey);
    const iin = freshIin();
    const { sessionId } = await client.createSession({ edocument: { iin: { value: iin, changeable: false }, phone: { value: PHONE } }, extra: { iin } });
    const { page, errors } = await browser.page();
    // Each click submits a form and waits for the next page; a loaded machine may take a while.
    page.setDefaultTimeout(60_000);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(client.personUrl(sessionId, { locale: 'ru', webView: true }));
    expect(await page.textContent('body')).toContain('Песочница не использует камеру');
    expect(await page.textContent('h2')).toBe('Проверка живости (Liveness)');
    await page.click('button:text-is("Пройти")');

    expect(await page.textContent('h2')).toBe('Электронный документ (E-Document)');
    expect(await page.inputValue('#iin')).toBe(iin);
    expect(await page.getAttribute('#iin', 'readonly')).not.toBeNull();
    expect(await page.inputValue('#phone')).toBe(PHONE);
    await page.click('button:text-is("Получить код от 1414")');
    expect(await page.textContent('body')).toContain('Код отправлен с номера 1414');

    const inbox = await browser.page();
    await inbox.page.goto(`${t.baseUrl}/sandbox/remote/inbox?phone=${PHONE}`);
    const sms = (await inbox.page.textContent('.sms')) ?? '';
    const code = /(\d{6})/.exec(sms)![1]!;
    await inbox.page.close();

    await page.fill('#code', code === '000000' ? '111111' : '000000');
    await page.click('button:text-is("Подтвердить")');
    expect(await page.textContent('[role=alert]')).toBe('Invalid OTP code');
    await page.fill('#code', code);
    await page.click('button:text-is("Подтвердить")');

    expect(await page.textContent('h2')).toBe('Сравнение лиц (Face2Face)');
    expect(await page.textContent('body')).toContain('Эталон: фото из электронного документа.');
    await page.click('button:text-is("Пройти")');
    expect(new URL(page.url()).pathname).toBe('/sandbox/remote/finished');
    expect(errors).toEqual([]);

    const result = await client.getResult(sessionId);
    expect(result).toMatchObject({ passed: true, edocument: { owner: { iin } }, face2face: { result: true } });
    expect(result!.raw.face2face_result).toBeDefined();
  }, 240_000);

  it('failing liveness with a reason ends the flow at the redirect (en)', async () => {
    const flow = await sandboxFlow(t, 'LD,F2F');
    const client = flowClient(t, flow.apiKey);
    const { sessionId } = await client.createSession();
    const { page, errors } = await browser.page();
    // Each click submits a form and waits for the next page; a loaded machine may take a while.
    page.setDefaultTimeout(60_000);
    await page.setViewportSize({ width: 390, height: 844 });
    const redirect = `${t.baseUrl}/sandbox/remote/finished?locale=en&from=redirect`;
    await page.goto(client.personUrl(sessionId, { locale: 'en', redirect }));
    expect(await page.textContent('body')).toContain('The sandbox uses no camera');
    await page.selectOption('#reason', 'SPOOFING');
    await page.click('button:text-is("Fail")');
    expect(page.url()).toBe(redirect);
    expect(errors).toEqual([]);
    await expect(client.getResult(sessionId)).resolves.toMatchObject({ passed: false, failureReasons: ['LIVENESS'], liveness: { result: false, failureReason: { type: 'SPOOFING' } } });
  }, 120_000);
});
