/**
 * The sign page: a real page in kz/en/ru that moves the session to PROCESS, lets the person sign or end
 * the session, then redirects with the guide's status/reason; status and result agree with the redirect.
 */
import { parseSignRedirect } from '../../src/cloud-eds/cloud-eds.client.js';
import type { TestApp } from '../support/app.js';
import { freshIin, makePdf, PHONE, sandboxClient, sandboxOrganisation, startSandboxApp } from './support.js';

describe('sandbox sign page', () => {
  let t: TestApp;
  let apiKey: string;

  beforeAll(async () => {
    t = await startSandboxApp();
    apiKey = (await sandboxOrganisation(t)).apiKey;
  });
  afterAll(() => t.close());

  async function openSession() {
    const client = sandboxClient(t, apiKey);
    const session = await client.createSession({ iin: freshIin(), phone: PHONE });
    await client.uploadDocument({ sessionId: session.sessionId, name: 'Шарт.pdf', file: await makePdf() });
    return { client, session };
  }

  function submit(fields: Record<string, string>): Promise<Response> {
    return fetch(`${t.baseUrl}/sandbox/sign`, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
  }

  it.each([
    ['kz', 'Құжаттарға қол қою'],
    ['en', 'Document signing'],
    ['ru', 'Подписание документов'],
  ])('renders in %s and moves the session to PROCESS', async (language, title) => {
    const { client, session } = await openSession();
    const page = await fetch(client.signUrl({ sessionId: session.sessionId, redirectUrl: 'https://shop.example/back?order=7', language: language as 'kz', theme: 1 }));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(title);
    expect(html).toContain('Шарт.pdf');
    expect(html).toContain('name="reason"');
    await expect(client.getStatus(session.sessionId)).resolves.toMatchObject({ status: 'PROCESS' });
  });

  it('signing redirects with status=true&reason=None; status and result agree', async () => {
    const { client, session } = await openSession();
    await fetch(client.signUrl({ sessionId: session.sessionId, redirectUrl: 'https://shop.example/back?order=7', language: 'en' }));
    const res = await submit({ session: session.sessionId, action: 'sign', redirect_url: 'https://shop.example/back?order=7', language: 'en' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('https://shop.example/back?order=7&status=true&reason=None');
    expect(parseSignRedirect(res.headers.get('location')!)).toEqual({ success: true, reason: null });
    await expect(client.getStatus(session.sessionId)).resolves.toMatchObject({ status: 'FINISHED', failureReason: null });
    expect((await client.getResult(session.sessionId)).docs[0].sign).toEqual(expect.any(String));
  });

  it.each([
    ['closed', 'LIVENESS'],
    ['otp', 'OTHER'],
    ['password', 'OTHER'],
    ['f2f', 'FACE2FACE'],
    ['request', 'EDOCUMENT'],
  ])('ending with "%s" redirects with status=False&reason=%s-code; status says CANCELED/%s', async (reason, failureReason) => {
    const { client, session } = await openSession();
    await fetch(client.signUrl({ sessionId: session.sessionId, redirectUrl: 'https://shop.example/back', language: 'ru' }));
    const res = await submit({ session: session.sessionId, action: 'cancel', reason, redirect_url: 'https://shop.example/back', language: 'ru' });
    expect(res.headers.get('location')).toBe(`https://shop.example/back?status=False&reason=${reason}`);
    expect(parseSignRedirect(res.headers.get('location')!)).toEqual({ success: false, reason });
    await expect(client.getStatus(session.sessionId)).resolves.toMatchObject({ status: 'CANCELED', failureReason });
    const result = failureReason === 'LIVENESS' || failureReason === 'FACE2FACE' ? null : await client.getResult(session.sessionId);
    if (result) expect(result.docs[0].sign).toBeNull();
  });

  it('a used session cannot be signed again; an unknown one offers the way back with reason=refresh', async () => {
    const { client, session } = await openSession();
    await submit({ session: session.sessionId, action: 'sign', redirect_url: 'https://shop.example/back', language: 'en' });
    const again = await fetch(client.signUrl({ sessionId: session.sessionId, redirectUrl: 'https://shop.example/back', language: 'en' }));
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('cannot be used twice');
    const second = await submit({ session: session.sessionId, action: 'cancel', reason: 'otp', redirect_url: 'https://shop.example/back', language: 'en' });
    expect(second.status).toBe(410);
    await expect(client.getStatus(session.sessionId)).resolves.toMatchObject({ status: 'FINISHED' });
    const unknown = await fetch(`${t.baseUrl}/sandbox/sign?session=3fa85f64-5717-4562-b3fc-2c963f66afa6&redirect_url=${encodeURIComponent('https://shop.example/back')}&language=en`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('https://shop.example/back?status=False&amp;reason=refresh');
  });

  it('never redirects to a non-http(s) URL and escapes what it shows', async () => {
    const { client, session } = await openSession();
    const page = await fetch(client.signUrl({ sessionId: session.sessionId, redirectUrl: 'javascript:alert(1)', language: 'en' }));
    const html = await page.text();
    expect(html).not.toContain('javascript:');
    const res = await submit({ session: session.sessionId, action: 'cancel', reason: 'closed', redirect_url: 'javascript:alert(1)', language: 'en' });
    expect(res.status).toBe(200);
    expect(res.headers.get('location')).toBeNull();
  });

  it('the automation endpoint returns the redirect the page would have made', async () => {
    const { session } = await openSession();
    const res = await fetch(`${t.baseUrl}/sandbox/automation/sessions/${session.sessionId}/complete`, {
      method: 'POST',
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'cancel', reason: 'otp', redirectUrl: 'https://google.com?test=test' }),
    });
    expect(await res.json()).toMatchObject({ status: 'CANCELED', failure_reason: 'OTHER', redirect_url: 'https://google.com/?test=test&status=False&reason=otp' });
    const unauthenticated = await fetch(`${t.baseUrl}/sandbox/automation/sessions/${session.sessionId}/complete`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":"sign"}' });
    expect(unauthenticated.status).toBe(401);
  });
});
