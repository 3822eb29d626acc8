import { unzipSync } from 'fflate';
import request from 'supertest';
import { verifyCms } from '../src/cms/index.js';
import { freePort, LocalTsa } from '../src/cms/testing/local-pki.js';
import { OpensslWorkspace } from '../src/cms/testing/openssl-vectors.js';
import { checkEvidencePack } from '../src/evidence/domain/check-evidence-pack.js';
import type { EvidenceManifest } from '../src/evidence/domain/evidence-pack.js';
import { RoundDocument } from '../src/signing-rounds/round-document.entity.js';
import { createOrganisation, startTestApp, type TestApp } from './support/app.js';
import { IINS, makePdf } from './support/documents.js';
import { signers, SigningDriver, type EnvelopeView } from './support/signing.js';
import { binaryParser, signAll, verifyFile, waitForArchives } from './support/verification.js';

/**
 * TSA_URL: Kezek timestamps each accepted signature and the evidence seal at a real RFC 3161 TSA
 * (`openssl ts -reply` behind a loopback HTTP server), keeps the tokens with the rounds, and puts them in
 * the evidence pack. The TSA's CA is not one of Kezek's anchors here (the sandbox CA is), so reports name
 * the token and say it proves nothing rather than trusting it; with its CA as an anchor it passes.
 */
describe('TSA_URL: timestamps of accepted signatures and of the evidence seal', () => {
  let ws: OpensslWorkspace;
  let tsa: LocalTsa;
  let tsaCa: ReturnType<OpensslWorkspace['createCa']>;
  let t: TestApp;
  let drive: SigningDriver;
  let envelope: EnvelopeView;

  beforeAll(async () => {
    ws = new OpensslWorkspace();
    tsaCa = ws.createCa('ca', 'Kezek Test TSA CA');
    tsa = new LocalTsa(ws, tsaCa);
    const tsaUrl = await tsa.serve(await freePort());
    t = await startTestApp({ SANDBOX_ENABLED: 'true', ROUND_POLL_SECONDS: '2', ARCHIVE_RETRY_DELAY_SECONDS: '1', VERIFY_RATE_LIMIT_PER_MINUTE: '10000', TSA_URL: tsaUrl });
    drive = new SigningDriver(t, await createOrganisation(t, 'Acme'));
    const created = await drive.create({
      title: 'Supply contract No. 18',
      documents: [{ name: 'contract.pdf', contentBase64: (await makePdf('Supply contract No. 18 (timestamps)')).toString('base64') }],
      signers: signers(IINS.slice(0, 2)),
      send: true,
    });
    envelope = await signAll(drive, created.id, 2);
    await waitForArchives(drive, envelope.id, 2);
  });

  afterAll(async () => {
    await t?.close();
    await tsa?.stop();
    ws?.cleanup();
  });

  it('keeps a token over each accepted signature, which verifies once its TSA is trusted', async () => {
    const rows = await t.db.getRepository(RoundDocument).find({ where: { accepted: true } });
    expect(rows).toHaveLength(2);
    const sandboxCa = (await drive.http.get('/sandbox/ca.pem').expect(200)).text;
    for (const row of rows) {
      expect(row.timestampToken).not.toBeNull();
      const trusted = await verifyCms(row.cms, { trustAnchors: [sandboxCa, tsaCa.certPem], timestampTokens: [row.timestampToken!] });
      expect(trusted.indication).toBe('TOTAL_PASSED');
      const stamped = trusted.signatures.filter((s) => s.timestamp);
      expect(stamped).toHaveLength(1);
      expect(stamped[0]).toMatchObject({ validityTime: { source: 'timestamp' }, timestamp: { status: 'passed', tsa: expect.stringContaining('Kezek Test TSA') } });
      expect(stamped[0].signer?.iin).toBe(row.signerIin);
    }
  });

  it('reports the token on the public verification without trusting a TSA outside the anchors', async () => {
    const final = await t.db.getRepository(RoundDocument).findOneOrFail({ where: { accepted: true }, order: { signingTime: 'DESC' } });
    const res = await verifyFile(t, final.cms, 'contract.pdf.p7s').expect(200);
    expect(res.body.report.indication).toBe('TOTAL_PASSED');
    expect(res.body.report.warnings.join(' ')).toContain('the signature timestamp does not verify');
    expect(res.body.report.signatures.every((s: { validityTime: { source: string } }) => s.validityTime.source === 'signingTime')).toBe(true);
  });

  it('puts the round tokens and the seal timestamp in the evidence pack, listed and checked', async () => {
    const res = await drive.http.get(`/v1/envelopes/${envelope.id}/evidence.zip`).set(drive.auth()).buffer(true).parse(binaryParser).expect(200);
    const files = unzipSync(res.body as Buffer);
    const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as EvidenceManifest;
    const stamped = manifest.rounds.flatMap((r) => r.timestamps ?? []);
    expect(stamped).toHaveLength(2);
    for (const entry of stamped) expect(manifest.files.map((f) => f.path)).toContain(entry.file);
    expect(files['manifest.json.p7s.tsr']).toBeDefined();
    const seal = await request(t.baseUrl).get('/v1/evidence/seal-certificate.pem').expect(200);
    const sandboxCa = (await drive.http.get('/sandbox/ca.pem').expect(200)).text;
    const check = await checkEvidencePack(res.body as Buffer, { trustAnchors: [sandboxCa], seal: [seal.text] });
    expect(check.passed.join('\n')).toMatch(/manifest\.json\.p7s\.tsr: the seal existed at /);
    expect(check.problems).toEqual([]);
  });
});
