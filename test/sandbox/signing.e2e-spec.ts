/**
 * Real signatures of the sandbox: every CMS it returns verifies with OpenSSL against the downloadable CA,
 * through chains of signers nested one inside the next or co-signed side by side, attached or detached.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudEdsClient } from '../../src/cloud-eds/cloud-eds.client.js';
import { unwrapCms } from '../../src/sandbox/domain/cms-unwrap.js';
import type { TestApp } from '../support/app.js';
import { freshIin, makePdf, opensslVerifyOutput, PHONE, sandboxClient, sandboxOrganisation, startSandboxApp, workDir, XML } from './support.js';

describe('sandbox signatures (verified with openssl)', () => {
  let t: TestApp;
  let caPem: string;
  const dir = workDir();

  beforeAll(async () => {
    t = await startSandboxApp();
    const res = await fetch(`${t.baseUrl}/sandbox/ca.pem`);
    expect(res.headers.get('content-type')).toMatch(/pem/);
    caPem = await res.text();
  });
  afterAll(() => t.close());

  async function complete(apiKey: string, sessionId: string, body: Record<string, unknown> = { outcome: 'sign' }): Promise<void> {
    const res = await fetch(`${t.baseUrl}/sandbox/automation/sessions/${sessionId}/complete`, { method: 'POST', headers: { 'x-api-key': apiKey, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
  }

  /** One signing round as Kezek runs it: the original for signer 1, the previous CMS for the next ones. */
  async function round(client: CloudEdsClient, apiKey: string, input: Uint8Array, iin: string, extra: Record<string, unknown> = {}, documentType: 'pdf' | 'xml' = 'pdf'): Promise<Buffer> {
    const session = await client.createSession({ iin, phone: PHONE, documentType });
    await client.uploadDocument({ sessionId: session.sessionId, name: `contract.${documentType}`, file: input });
    await complete(apiKey, session.sessionId, { outcome: 'sign', ...extra });
    return Buffer.from((await client.getResult(session.sessionId)).docs[0].sign!, 'base64');
  }

  it('serves a CA certificate that is a CA, and the same one after use', async () => {
    writeFileSync(join(dir, 'ca-check.pem'), caPem);
    const text = execFileSync('openssl', ['x509', '-in', join(dir, 'ca-check.pem'), '-noout', '-subject', '-ext', 'basicConstraints'], { encoding: 'utf8' });
    expect(text).toMatch(/Kezek Sandbox/);
    expect(text).toMatch(/CA:TRUE/);
    expect(await (await fetch(`${t.baseUrl}/sandbox/ca.pem`)).text()).toBe(caPem);
  });

  it('nests: three signers, each CMS wraps the previous one; every level verifies', async () => {
    const org = await sandboxOrganisation(t, { mode: 'nest' });
    const client = sandboxClient(t, org.apiKey);
    const pdf = await makePdf('Nested');
    const signers = [freshIin(true), freshIin(false), freshIin(true)];
    let input: Uint8Array = pdf;
    const chain: Buffer[] = [];
    for (const iin of signers) {
      const cms = await round(client, org.apiKey, input, iin);
      expect(opensslVerifyOutput(dir, cms, caPem)).toBe('CMS Verification successful');
      chain.push(cms);
      input = cms;
    }
    const last = unwrapCms(chain[2]);
    expect(last.levels).toBe(3);
    expect(last.signers.map((s) => s.iin)).toEqual([...signers].reverse());
    expect(Buffer.from(last.content!)).toEqual(Buffer.from(pdf));
    // The content of each level is exactly the previous CMS.
    writeFileSync(join(dir, 'outer.der'), chain[2]);
    execFileSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'outer.der'), '-CAfile', join(dir, 'ca-check.pem'), '-out', join(dir, 'inner.der')], { stdio: 'pipe' });
    expect(readFileSync(join(dir, 'inner.der'))).toEqual(chain[1]);
  });

  it('co-signs: signerInfos side by side over the original; openssl verifies all of them', async () => {
    const org = await sandboxOrganisation(t, { mode: 'cosign' });
    const client = sandboxClient(t, org.apiKey);
    const pdf = await makePdf('Co-signed');
    const signers = [freshIin(), freshIin(false), freshIin()];
    let input: Uint8Array = pdf;
    let cms: Buffer = Buffer.alloc(0);
    for (const iin of signers) {
      cms = await round(client, org.apiKey, input, iin);
      expect(opensslVerifyOutput(dir, cms, caPem)).toBe('CMS Verification successful');
      input = cms;
    }
    const parsed = unwrapCms(cms);
    expect(parsed.levels).toBe(1);
    expect(parsed.signers.map((s) => s.iin)).toEqual(signers);
    expect(Buffer.from(parsed.content!)).toEqual(Buffer.from(pdf));
  });

  it('signs XML the same way', async () => {
    const org = await sandboxOrganisation(t);
    const client = sandboxClient(t, org.apiKey);
    const first = await round(client, org.apiKey, XML, freshIin(), {}, 'xml');
    const second = await round(client, org.apiKey, first, freshIin(), {}, 'xml');
    for (const cms of [first, second]) expect(opensslVerifyOutput(dir, cms, caPem)).toBe('CMS Verification successful');
    expect(Buffer.from(unwrapCms(second).content!)).toEqual(XML);
  });

  it('signs detached when the organisation asks: openssl verifies with the content supplied', async () => {
    const org = await sandboxOrganisation(t, { detached: true });
    const client = sandboxClient(t, org.apiKey);
    const pdf = await makePdf('Detached');
    const cms = await round(client, org.apiKey, pdf, freshIin());
    expect(unwrapCms(cms).content).toBeUndefined();
    writeFileSync(join(dir, 'detached.pdf'), pdf);
    expect(() => opensslVerifyOutput(dir, cms, caPem)).toThrow();
    writeFileSync(join(dir, 'detached.der'), cms);
    const out = execFileSync('sh', ['-c', `openssl cms -verify -binary -inform DER -in ${join(dir, 'detached.der')} -content ${join(dir, 'detached.pdf')} -CAfile ${join(dir, 'ca-check.pem')} -out /dev/null 2>&1`], { encoding: 'utf8' });
    expect(out.trim()).toBe('CMS Verification successful');
  });

  it("signs with another IIN's certificate on request (impersonation test), and with a registered name", async () => {
    const org = await sandboxOrganisation(t);
    const client = sandboxClient(t, org.apiKey);
    const expected = freshIin();
    const impostor = freshIin(false);
    const res = await fetch(`${t.baseUrl}/sandbox/automation/persons/${impostor}`, {
      method: 'PUT',
      headers: { 'x-api-key': org.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ surname: 'Сейітова', givenName: 'Әйгерім', patronymic: 'Ерланқызы' }),
    });
    expect(res.status).toBe(200);
    const cms = await round(client, org.apiKey, await makePdf('Impersonation'), expected, { signAsIin: impostor });
    expect(opensslVerifyOutput(dir, cms, caPem)).toBe('CMS Verification successful');
    const [signer] = unwrapCms(cms).signers;
    expect(signer).toMatchObject({ iin: impostor, commonName: 'СЕЙІТОВА ӘЙГЕРІМ', surname: 'СЕЙІТОВА', givenName: 'ЕРЛАНҚЫЗЫ' });
  });

  it('reuses the certificate of an IIN across sessions', async () => {
    const org = await sandboxOrganisation(t);
    const client = sandboxClient(t, org.apiKey);
    const iin = freshIin();
    const certOf = (cms: Buffer) => {
      writeFileSync(join(dir, 'certs.der'), cms);
      return execFileSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', join(dir, 'certs.der')], { encoding: 'utf8' }).match(/serialNumber: (.+)/)?.[1];
    };
    const a = await round(client, org.apiKey, await makePdf('A'), iin);
    const b = await round(client, org.apiKey, await makePdf('B'), iin);
    expect(certOf(a)).toBeDefined();
    expect(certOf(a)).toBe(certOf(b));
  });
});
