import { createSandboxOrganisationCommand } from '../../src/sandbox/sandbox.cli.js';
import type { TestApp } from '../support/app.js';
import { freshIin, PHONE, sandboxClient, startSandboxApp } from './support.js';

describe('kezek sandbox org create', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startSandboxApp();
  });
  afterAll(() => t.close());

  it('prints a working API key and the webhook secret', async () => {
    const { text } = await createSandboxOrganisationCommand(t.db, { name: 'Demo Co', webhookUrl: 'https://hooks.example/kezek', mode: 'cosign' });
    const key = /API key \(shown once, store it now\): (\S+)/.exec(text)?.[1];
    expect(text).toMatch(/Webhook secret: whsec_\S{43}/);
    expect(text).toContain('signing mode: cosign');
    await expect(sandboxClient(t, key!).createSession({ iin: freshIin(), phone: PHONE })).resolves.toMatchObject({ sessionId: expect.any(String) });
    const stored = (await t.db.query(`SELECT api_key_hash, webhook_secret FROM sandbox.organisation WHERE name = 'Demo Co'`)) as { api_key_hash: Buffer; webhook_secret: string }[];
    expect(stored[0].api_key_hash.toString('utf8')).not.toContain(key!.slice(15));
    await expect(createSandboxOrganisationCommand(t.db, { name: 'Bad', mode: 'sideways' })).rejects.toThrow(/nest or cosign/);
  });
});
