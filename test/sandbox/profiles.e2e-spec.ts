import { startTestApp, type TestApp } from '../support/app.js';
import { freshIin, makePdf, PHONE, sandboxClient, sandboxOrganisation, startSandboxApp } from './support.js';

describe('sandbox profiles and placement', () => {
  let prod: TestApp;
  let off: TestApp;
  beforeAll(async () => {
    prod = await startSandboxApp({ SANDBOX_PROFILE: 'prod' });
    off = await startTestApp();
  });
  afterAll(async () => {
    await prod.close();
    await off.close();
  });

  it('the prod profile has no 30 KB cap', async () => {
    const org = await sandboxOrganisation(prod);
    const client = sandboxClient(prod, org.apiKey);
    const session = await client.createSession({ iin: freshIin(), phone: PHONE });
    const big = Buffer.concat([Buffer.from(await makePdf()), Buffer.alloc(200 * 1024, 0x20)]);
    await expect(client.uploadDocument({ sessionId: session.sessionId, name: 'big.pdf', file: big })).resolves.toMatchObject({ sign: null });
    await expect(client.uploadDocumentBase64({ sessionId: session.sessionId, name: 'big2.pdf', file: big })).resolves.toMatchObject({ sign: null });
  });

  it('documents the sandbox API and automation in /docs, apart from the sign page', async () => {
    const doc = (await (await fetch(`${prod.baseUrl}/docs/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/sandbox/api/v1/session/create', '/sandbox/automation/sessions/{sessionId}/complete', '/sandbox/automation/faults', '/sandbox/ca.pem']));
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/sandbox/sign'))).toBe(false);
  });

  it('is absent when SANDBOX_ENABLED is off (the default with DATABASE_URL)', async () => {
    expect(off.config.sandboxEnabled).toBe(false);
    expect((await fetch(`${off.baseUrl}/sandbox/ca.pem`)).status).toBe(404);
    expect(off.config.cloudEdsBaseUrl).toBe('https://dev.b-key.kz');
  });
});
