import { jest } from '@jest/globals';
import { zipSync, unzipSync, type Zippable } from 'fflate';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/program.js';
import type { EvidenceManifest } from '../../src/evidence/domain/evidence-pack.js';
import { sha256Hex } from '../../src/common/crypto/sha256.js';
import { verifyCms } from '../../src/cms/index.js';
import { extractPdfSignature } from '../../src/evidence/domain/pdf-signature.js';
import { createOrganisation, startTestApp, type TestApp } from '../support/app.js';
import { until } from '../support/signing.js';
import { describeWithTools, pdfToText, PDFTOTEXT } from '../support/system-tools.js';
import { binaryParser, waitForArchives } from '../support/verification.js';
import { IdentityDriver } from './support.js';

// Each test walks a signer through the provider flow, Cloud EDS and background jobs over HTTP: minutes on a
// loaded shared machine, not the default 60 s.
jest.setTimeout(240_000);

async function kezek(...args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runCli(['node', 'kezek', ...args], { out: (text) => (out += text), err: (text) => (out += text) });
  return { code, out };
}

/**
 * The identity part of the evidence pack: a signer who failed liveness once, then passed liveness, E-Document
 * and a face match, then signed. The pack carries the provider's signed PDF reports and a PII-minimised result
 * per attempt; `kezek verify-evidence` checks them against the audit chain and their PDF signatures.
 */
describe('identity evidence', () => {
  let t: TestApp;
  let drive: IdentityDriver;
  let files: Record<string, Uint8Array>;
  let manifest: EvidenceManifest;
  let dir: string;
  let caPath: string;

  beforeAll(async () => {
    t = await startTestApp({ SANDBOX_ENABLED: 'true', ROUND_POLL_SECONDS: '2', IDENTITY_POLL_SECONDS: '600', ARCHIVE_RETRY_DELAY_SECONDS: '1' });
    drive = new IdentityDriver(t, await createOrganisation(t, 'Bank'));
    dir = mkdtempSync(join(tmpdir(), 'kezek-identity-evidence-'));
    caPath = join(dir, 'ca.pem');
    writeFileSync(caPath, (await drive.http.get('/sandbox/ca.pem').expect(200)).text);

    const created = await drive.envelope({ checks: ['liveness', 'face2face', 'edocument'] });
    const link = created.signers[0].link!;
    const first = await drive.pressSign(link);
    await drive.finishFlow(['ED', 'F2F', 'LD'], first.sessionId!, { outcome: 'fail', technology: 'LD', reason: 'SPOOFING' });
    await drive.comeBack(first.location);
    const second = await drive.pressSign(link);
    await drive.finishFlow(['ED', 'F2F', 'LD'], second.sessionId!, { outcome: 'pass' });
    const sign = new URL((await drive.comeBack(second.location)).headers.location as string);
    const back = await drive.complete(sign.searchParams.get('session')!, { outcome: 'sign' }, sign.searchParams.get('redirect_url')!);
    await drive.http.get(drive.path(back)).expect(200);
    await drive.waitForStatus(created.id, 'COMPLETED');
    await waitForArchives(drive, created.id, 1);
    // The reports are fetched in the background after each verdict: liveness of attempt 1, liveness and Face2Face of attempt 2.
    await until(async () => ((await t.db.query(`SELECT count(*)::int AS n FROM identity_report WHERE envelope_id = $1`, [created.id])) as { n: number }[])[0].n === 3, 'three identity reports', 120_000);

    const res = await drive.http.get(`/v1/envelopes/${created.id}/evidence.zip`).set(drive.auth()).buffer(true).parse(binaryParser).expect(200);
    files = unzipSync(res.body as Buffer);
    manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as EvidenceManifest;
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  function repack(change: (files: Record<string, Uint8Array>) => void): string {
    const entries: Record<string, Uint8Array> = {};
    for (const [name, bytes] of Object.entries(files)) entries[name] = bytes.slice();
    change(entries);
    const path = join(dir, `pack-${Object.keys(entries).length}-${Math.random().toString(36).slice(2)}.zip`);
    writeFileSync(path, zipSync(entries as Zippable));
    return path;
  }

  it('holds each attempt’s result and the signed PDF reports under identity/, listed in the manifest', () => {
    expect(Object.keys(files).filter((f) => f.startsWith('identity/')).sort()).toEqual([
      'identity/1-attempt-1-LDHP.pdf',
      'identity/1-attempt-1.result.json',
      'identity/1-attempt-2-F2F.pdf',
      'identity/1-attempt-2-LDHP.pdf',
      'identity/1-attempt-2.result.json',
    ]);
    expect(manifest.identity?.map((a) => [a.attempt, a.status, a.failureReason, a.reports.map((r) => r.technology)])).toEqual([
      [1, 'FAILED', 'LIVENESS_FAILED', ['LDHP']],
      [2, 'PASSED', null, ['F2F', 'LDHP']],
    ]);
    const result = JSON.parse(new TextDecoder().decode(files['identity/1-attempt-2.result.json']));
    expect(result).toMatchObject({ status: 'PASSED', results: { face2face: { similarityPercent: 97.3 }, edocument: { ownerIinMatches: true } } });
    // PII-minimised: no IIN, phone, names or photos.
    const text = new TextDecoder().decode(files['identity/1-attempt-2.result.json']);
    expect(text).not.toMatch(/900101300126|77011234567|Әлиев|face_photo|base64/);
  });

  it('passes kezek verify-evidence, which checks each report against the audit chain and its PDF signature', async () => {
    const { code, out } = await kezek('verify-evidence', repack(() => undefined), '--trust', caPath);
    expect(out).toContain('identity/1-attempt-2-F2F.pdf: F2F report of session');
    expect(out).toMatch(/identity\/1-attempt-1-LDHP\.pdf: LDHP report .*PDF signed by .*certificate chain trusted/);
    expect(code).toBe(0);
  });

  it('catches a report swapped for another one, even with the manifest rewritten to match', async () => {
    const path = repack((entries) => {
      entries['identity/1-attempt-1-LDHP.pdf'] = entries['identity/1-attempt-2-LDHP.pdf'];
      const forged = JSON.parse(new TextDecoder().decode(entries['manifest.json'])) as EvidenceManifest;
      const entry = forged.files.find((f) => f.path === 'identity/1-attempt-1-LDHP.pdf')!;
      entry.sha256 = sha256Hex(entries['identity/1-attempt-1-LDHP.pdf']);
      entries['manifest.json'] = new TextEncoder().encode(JSON.stringify(forged));
      delete entries['manifest.json.p7s'];
    });
    const { code, out } = await kezek('verify-evidence', path, '--trust', caPath);
    expect(code).toBe(1);
    expect(out).toMatch(/identity\/1-attempt-1-LDHP\.pdf.*not the .* recorded in the audit trail/);
  });

  it('catches a report whose signed bytes were edited', async () => {
    const path = repack((entries) => {
      const pdf = Buffer.from(entries['identity/1-attempt-2-F2F.pdf']);
      const at = pdf.indexOf('Face2Face');
      pdf.write('Face3Face', at, 'latin1');
      entries['identity/1-attempt-2-F2F.pdf'] = pdf;
    });
    const { code, out } = await kezek('verify-evidence', path, '--trust', caPath);
    expect(code).toBe(1);
    expect(out).toMatch(/FAIL {2}identity\/1-attempt-2-F2F\.pdf: altered/);
  });

  it('reads the reports’ PDF signatures: a genuine one verifies to the sandbox CA, an edited one does not', async () => {
    const anchors = [readFileSync(caPath, 'utf8')];
    const genuine = extractPdfSignature(files['identity/1-attempt-2-F2F.pdf'])!;
    expect(genuine.coversWholeFile).toBe(true);
    expect((await verifyCms(genuine.cms, { detachedContent: genuine.signedContent, trustAnchors: anchors })).indication).toBe('TOTAL_PASSED');
    const edited = Buffer.from(files['identity/1-attempt-2-F2F.pdf']);
    edited.write('Face3Face', edited.indexOf('Face2Face'), 'latin1');
    const forged = extractPdfSignature(edited)!;
    const report = await verifyCms(forged.cms, { detachedContent: forged.signedContent, trustAnchors: anchors });
    expect(report).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' });
    // Bytes appended after signing are outside the signed ranges.
    expect(extractPdfSignature(Buffer.concat([files['identity/1-attempt-2-F2F.pdf'], Buffer.from('\n% appended\n')]))!.coversWholeFile).toBe(false);
  });

  describeWithTools([PDFTOTEXT], 'the certificate of completion', () => {
    it('shows per signer which checks ran, their results, when, and the provider session ids', async () => {
      const text = (await pdfToText(files['certificate-of-completion.pdf'])).replace(/\s+/g, ' ');
      expect(text).toContain('Identity checks liveness, face2face, edocument');
      expect(text).toContain('Identity attempt 1 FAILED');
      expect(text).toContain('liveness failed (SPOOFING)');
      expect(text).toContain('Identity attempt 2 PASSED');
      expect(text).toContain('face match 97.3 % passed against the E-Document photo');
      expect(text).toContain('E-Document identity_card received, owner IIN matches');
      for (const attempt of manifest.identity!) expect(text).toContain(attempt.sessionId);
    });
  });
});
