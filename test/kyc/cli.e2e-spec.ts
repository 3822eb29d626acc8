import { KycCredentialsService } from '../../src/kyc/kyc-credentials.service.js';
import { createSandboxFlowCommand } from '../../src/sandbox/kyc/sandbox-kyc.cli.js';
import { createOrganisation, TEST_SECRETS_KEY, type TestApp } from '../support/app.js';
import { startSandboxApp } from '../sandbox/support.js';
import { flowClient } from './support.js';

describe('kezek sandbox flow create / kezek org kyc set', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startSandboxApp();
  });
  afterAll(() => t.close());

  it('flow create prints exactly apiKey, technologies and backendApiKey; the key works; --client keeps the backend key', async () => {
    const secretsKey = Buffer.from(TEST_SECRETS_KEY, 'base64');
    const { value, text } = await createSandboxFlowCommand(t.db, secretsKey, { name: 'Flow for individuals', technologies: 'f2f,LD,ED' });
    expect(Object.keys(value)).toEqual(['apiKey', 'technologies', 'backendApiKey']);
    expect(value.technologies).toEqual(['LD', 'ED', 'F2F']);
    expect(text).toContain(value.apiKey);
    await expect(flowClient(t, value.apiKey).createSession()).resolves.toMatchObject({ technologies: ['LDHP', 'ED', 'F2F'] });
    const clientId = /--client (\S+)/.exec(text)![1]!;
    const second = await createSandboxFlowCommand(t.db, secretsKey, { name: 'Flow for everyone', technologies: 'LD,F2F', client: clientId });
    expect(second.value.backendApiKey).toBe(value.backendApiKey);
    expect(second.value.apiKey).not.toBe(value.apiKey);
    await expect(createSandboxFlowCommand(t.db, secretsKey, { name: 'Bad', technologies: 'LD,XX' })).rejects.toThrow(/unknown: XX/);
    const stored = (await t.db.query(`SELECT backend_key_sealed FROM sandbox.kyc_client WHERE id = $1`, [clientId])) as { backend_key_sealed: string }[];
    expect(stored[0]!.backend_key_sealed).not.toContain(value.backendApiKey.slice(15));
  });

  it('org kyc set stores flow keys by technologies and the backend key, sealed', async () => {
    const organisation = await createOrganisation(t, 'Identity Co');
    const store = t.app.get(KycCredentialsService);
    const flowKey = `flw_0123456789_${'k'.repeat(43)}`;
    const backendKey = `bck_0123456789_${'b'.repeat(43)}`;
    await expect(store.set(organisation.id, { backendApiKey: backendKey, flows: [{ technologies: ['F2F', 'LD'], apiKey: flowKey }] })).resolves.toEqual({
      organisationId: organisation.id,
      hasBackendApiKey: true,
      flows: [{ technologies: ['F2F', 'LD'] }],
      mediaRetentionDays: null,
    });
    await expect(store.flowKey(organisation.id, ['LD', 'F2F'])).resolves.toBe(flowKey);
    await expect(store.flowKey(organisation.id, ['LD'])).resolves.toBeUndefined();
    await expect(store.backendApiKey(organisation.id)).resolves.toBe(backendKey);
    const raw = JSON.stringify(await t.db.query(`SELECT * FROM kyc_credentials WHERE organisation_id = $1`, [organisation.id]));
    expect(raw).not.toContain('kkkkkkkk');
    expect(raw).not.toContain('bbbbbbbb');
    await expect(store.set('00000000-0000-4000-8000-000000000000', { backendApiKey: backendKey })).rejects.toThrow(/not found/);
    await expect(store.set(organisation.id, { flows: [{ technologies: ['LD'], apiKey: 'short' }] })).rejects.toThrow(/at least 16/);
    // Keeping the provider's identity media is an opt-in, in days.
    await expect(store.set(organisation.id, { mediaRetentionDays: 0 })).rejects.toThrow(/1 to 3650/);
    await expect(store.set(organisation.id, { mediaRetentionDays: 30 })).resolves.toMatchObject({ mediaRetentionDays: 30, flows: [{ technologies: ['F2F', 'LD'] }] });
    await expect(store.mediaRetentionDays(organisation.id)).resolves.toBe(30);
  });
});
