import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8 } from 'fflate';
import { SealSandboxCaKey1795361200000 } from '../migrations/1795361200000-SealSandboxCaKey.js';
import { SecretBox } from '../src/common/crypto/secret-box.js';
import { certificatePem, createSandboxCa, importPrivateKey, issuePersonCertificate } from '../src/sandbox/domain/certificates.js';
import { signContent } from '../src/sandbox/domain/cms-sign.js';
import { SandboxPeopleService } from '../src/sandbox/sandbox-people.service.js';
import { TrustAnchorsService } from '../src/trust/trust-anchors.service.js';
import { startTestApp, TEST_SECRETS_KEY, type TestApp } from './support/app.js';
import { IINS } from './support/documents.js';
import { verifyFile } from './support/verification.js';

/** A CMS signed with a certificate the running sandbox issued for an IIN (as it does for anyone who asks). */
async function sandboxSigned(t: TestApp): Promise<Uint8Array> {
  const signer = await t.app.get(SandboxPeopleService).signerFor(IINS[0]);
  return signContent(strToU8('%PDF-1.4\n% trust\n%%EOF\n'), signer, { signingTime: new Date() });
}

describe('trust anchors: the sandbox CA only while the sandbox is the provider (fail closed)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kezek-trust-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('trusts the sandbox CA while Kezek’s provider is this sandbox: a sandbox signature passes', async () => {
    const t = await startTestApp({ SANDBOX_ENABLED: 'true' });
    try {
      expect((await t.app.get(TrustAnchorsService).anchors()).map((c) => c.subject.text).join()).toContain('Kezek Sandbox');
      const answer = await verifyFile(t, await sandboxSigned(t), 'signed.p7s').expect(200);
      expect(answer.body.report).toMatchObject({ indication: 'TOTAL_PASSED', chainChecked: true });
    } finally {
      await t.close();
    }
  });

  it('does not trust it when the provider is another one (a demo beside the real provider): the same signature is INDETERMINATE', async () => {
    const t = await startTestApp({ SANDBOX_ENABLED: 'true', SANDBOX_ALLOW_OTHER_PROVIDER: 'true', CLOUD_EDS_BASE_URL: 'https://dev.b-key.kz', CLOUD_EDS_SIGN_URL: 'https://dev.b-key.kz/sign' });
    try {
      expect(await t.app.get(TrustAnchorsService).anchors()).toEqual([]);
      const answer = await verifyFile(t, await sandboxSigned(t), 'signed.p7s').expect(200);
      expect(answer.body.intact).toBe(false);
      expect(answer.body.report).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND', chainChecked: false });
    } finally {
      await t.close();
    }
  });

  it('never puts it beside configured anchors: with TRUST_ANCHORS_FILE only the file is trusted', async () => {
    const other = await createSandboxCa(new Date());
    const file = join(dir, 'anchors.pem');
    writeFileSync(file, certificatePem(other.certificateDer));
    const t = await startTestApp({ SANDBOX_ENABLED: 'true', TRUST_ANCHORS_FILE: file });
    try {
      const anchors = await t.app.get(TrustAnchorsService).anchors();
      expect(anchors.map((c) => c.der.toString('base64'))).toEqual([Buffer.from(other.certificateDer).toString('base64')]);
      const answer = await verifyFile(t, await sandboxSigned(t), 'signed.p7s').expect(200);
      expect(answer.body.report).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
      // A signature under the configured anchor passes.
      const person = await issuePersonCertificate(other, IINS[1], { surname: 'ТЕСТ', givenName: 'ТЕСТ', patronymic: '' }, new Date());
      const signed = await signContent(strToU8('%PDF-1.4\n%%EOF\n'), { certificateDer: person.certificateDer, privateKey: await importPrivateKey(person.privateKeyPkcs8) }, { signingTime: new Date() });
      expect((await verifyFile(t, signed, 'other.p7s').expect(200)).body.report.indication).toBe('TOTAL_PASSED');
    } finally {
      await t.close();
    }
  });

  it('refuses to start with an unreadable TRUST_ANCHORS_FILE, naming it', async () => {
    const file = join(dir, 'empty.pem');
    writeFileSync(file, 'no certificates here\n');
    await expect(startTestApp({ TRUST_ANCHORS_FILE: file })).rejects.toThrow(/TRUST_ANCHORS_FILE: .*empty\.pem holds no readable certificate/);
    await expect(startTestApp({ TRUST_ANCHORS_FILE: join(dir, 'missing.pem') })).rejects.toThrow(/TRUST_ANCHORS_FILE: cannot read .*missing\.pem \(ENOENT\)/);
  });

  it('keeps the sandbox CA key sealed at rest, and the migration seals a key stored in clear', async () => {
    const t = await startTestApp({ SANDBOX_ENABLED: 'true' });
    try {
      const people = t.app.get(SandboxPeopleService);
      const ca = await people.ca();
      const [row] = (await t.db.query(`SELECT * FROM sandbox.ca`)) as Record<string, unknown>[];
      expect(Object.keys(row)).not.toContain('private_key_pkcs8');
      expect(String(row.private_key_sealed)).toMatch(/^v1\./);
      expect(String(row.private_key_sealed)).not.toContain(Buffer.from(ca.privateKeyPkcs8).toString('base64').slice(0, 40));

      // A database from before the migration: the key in clear. The migration (with the app's SECRETS_KEY) seals it.
      const migration = new SealSandboxCaKey1795361200000();
      const previousKey = process.env.SECRETS_KEY;
      process.env.SECRETS_KEY = TEST_SECRETS_KEY;
      const runner = t.db.createQueryRunner();
      try {
        await migration.down(runner);
        const [clear] = (await runner.query(`SELECT private_key_pkcs8 FROM sandbox.ca`)) as { private_key_pkcs8: Buffer }[];
        expect(clear.private_key_pkcs8.equals(Buffer.from(ca.privateKeyPkcs8))).toBe(true);
        await migration.up(runner);
        const [sealed] = (await runner.query(`SELECT * FROM sandbox.ca`)) as { private_key_sealed: string; private_key_pkcs8?: Buffer }[];
        expect(sealed.private_key_pkcs8).toBeUndefined();
        expect(Buffer.from(new SecretBox(Buffer.from(TEST_SECRETS_KEY, 'base64')).open(sealed.private_key_sealed), 'base64').equals(Buffer.from(ca.privateKeyPkcs8))).toBe(true);
      } finally {
        await runner.release();
        if (previousKey === undefined) delete process.env.SECRETS_KEY;
        else process.env.SECRETS_KEY = previousKey;
      }
    } finally {
      await t.close();
    }
  });
});
