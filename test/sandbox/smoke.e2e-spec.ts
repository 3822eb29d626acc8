import { startSandboxApp, sandboxOrganisation, sandboxClient, freshIin, PHONE, makePdf, workDir, opensslVerifyOutput } from './support.js';
import type { TestApp } from '../support/app.js';

describe('smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startSandboxApp();
  });
  afterAll(() => t.close());

  it('runs a session', async () => {
    const org = await sandboxOrganisation(t);
    const client = sandboxClient(t, org.apiKey);
    const s = await client.createSession({ iin: freshIin(), phone: PHONE });
    const doc = await client.uploadDocument({ sessionId: s.sessionId, name: 'a.pdf', file: await makePdf() });
    expect(doc.sign).toBeNull();
    const res = await fetch(`${t.baseUrl}/sandbox/automation/sessions/${s.sessionId}/complete`, { method: 'POST', headers: { 'x-api-key': org.apiKey, 'content-type': 'application/json' }, body: JSON.stringify({ outcome: 'sign', redirectUrl: 'https://example.com/back?x=1' }) });
    const body = await res.json();
    expect(body).toMatchObject({ status: 'FINISHED' });
    const result = await client.getResult(s.sessionId);
    const ca = await (await fetch(`${t.baseUrl}/sandbox/ca.pem`)).text();
    expect(opensslVerifyOutput(workDir(), Buffer.from(result.docs[0].sign!, 'base64'), ca)).toMatch(/Verification successful/);
    const zip = await client.downloadArchive(s.sessionId);
    expect(zip.length).toBeGreaterThan(100);
  });
});
