import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import request from 'supertest';
import { runCli } from '../src/cli/program.js';
import { certificateKeywords, formatUtc } from '../src/evidence/domain/certificate-of-completion.js';
import { chainHash, type ChainedAuditEvent } from '../src/audit/domain/audit-chain.js';
import type { EvidenceManifest } from '../src/evidence/domain/evidence-pack.js';
import { createSealIdentity, importSealKey, sealManifest } from '../src/evidence/domain/evidence-seal.js';
import type { VerificationReport } from '../src/cms/index.js';
import { createOrganisation, startTestApp, type TestApp } from './support/app.js';
import { IINS, makePdf } from './support/documents.js';
import { inkRatio, readQrCode } from './support/qr.js';
import { signers, SigningDriver, type EnvelopeView } from './support/signing.js';
import { describeWithTools, pdfToPngs, pdfToText, PDFTOPPM, PDFTOTEXT } from './support/system-tools.js';
import { binaryParser, signAll, waitForArchives } from './support/verification.js';

async function kezek(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['node', 'kezek', ...args], { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

/**
 * The evidence pack of a real three-signer envelope: its layout, `kezek verify-evidence` on it and on every
 * kind of tampering, and its certificate of completion rendered by poppler.
 */
describe('evidence pack and kezek verify-evidence', () => {
  let t: TestApp;
  let drive: SigningDriver;
  let envelope: EnvelopeView;
  let pack: Buffer;
  let files: Record<string, Uint8Array>;
  let manifest: EvidenceManifest;
  let dir: string;
  let caPath: string;
  let sealPath: string;

  beforeAll(async () => {
    t = await startTestApp({ SANDBOX_ENABLED: 'true', ROUND_POLL_SECONDS: '2', ARCHIVE_RETRY_DELAY_SECONDS: '1' });
    drive = new SigningDriver(t, await createOrganisation(t, 'ТОО «Кезек»'));
    dir = mkdtempSync(join(tmpdir(), 'kezek-evidence-'));
    caPath = join(dir, 'sandbox-ca.pem');
    writeFileSync(caPath, (await drive.http.get('/sandbox/ca.pem').expect(200)).text);
    const created = await drive.create({
      title: 'Жеткізу шарты № 17 / Договор поставки № 17',
      documents: [{ name: 'contract.pdf', contentBase64: (await makePdf('Supply contract No. 17 (evidence)')).toString('base64') }],
      signers: signers(IINS.slice(0, 3)),
      send: true,
    });
    envelope = await signAll(drive, created.id, 3);
    await waitForArchives(drive, envelope.id, 3);
    const res = await drive.http.get(`/v1/envelopes/${envelope.id}/evidence.zip`).set(drive.auth()).buffer(true).parse(binaryParser).expect(200);
    expect(res.headers['content-type']).toBe('application/zip');
    pack = res.body as Buffer;
    files = unzipSync(pack);
    manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as EvidenceManifest;
    // The relying party's copy of the seal certificate, fetched apart from the pack.
    sealPath = join(dir, 'seal.pem');
    const seal = await request(t.baseUrl).get('/v1/evidence/seal-certificate.pem').expect(200);
    expect(seal.headers['content-type']).toContain('application/x-pem-file');
    writeFileSync(sealPath, seal.text);
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  function write(name: string, bytes: Uint8Array): string {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  }

  function repack(change: (files: Record<string, Uint8Array>) => void): Uint8Array {
    const copy: Zippable = {};
    const entries: Record<string, Uint8Array> = {};
    for (const [name, bytes] of Object.entries(files)) entries[name] = bytes.slice();
    change(entries);
    for (const [name, bytes] of Object.entries(entries)) copy[name] = bytes;
    return zipSync(copy);
  }

  it('holds the originals, final CMS, reports, every round’s archive, the audit trail and the certificate', () => {
    expect(Object.keys(files).sort()).toEqual(
      [
        'manifest.json',
        'manifest.json.p7s',
        'documents/1-contract.pdf',
        'signatures/1-contract.pdf.p7s',
        'reports/1-contract.pdf.report.json',
        ...manifest.rounds.map((r, i) => `archives/round-${i + 1}-${r.sessionId}.zip`),
        'audit/audit-trail.json',
        'certificate-of-completion.pdf',
      ].sort(),
    );
    expect(manifest.rounds).toHaveLength(3);
    expect(manifest.rounds.every((r) => r.archive?.status === 'STORED')).toBe(true);
    expect(manifest.envelope).toMatchObject({ id: envelope.id, status: 'COMPLETED' });
    expect(manifest.documents[0].sha256).toBe(envelope.documents[0].sha256);
  });

  it('records the export in the audit chain and names the chain head it was made with', async () => {
    const trail = await drive.http.get(`/v1/envelopes/${envelope.id}/audit`).set(drive.auth()).expect(200);
    expect(trail.body.events.map((e: { type: string }) => e.type)).toContain('evidence.exported');
    expect(manifest.audit.headHash).toBe(trail.body.headHash);
  });

  it('passes kezek verify-evidence with the trust anchors, and fails closed without them', async () => {
    const path = write('evidence.zip', pack);
    const trusted = await kezek('verify-evidence', path, '--trust', caPath);
    expect(trusted.err).toBe('');
    expect(trusted.code).toBe(0);
    expect(trusted.out).toContain('PASSED');
    expect(trusted.out).toContain('certificate chains trusted');
    expect(trusted.out).toMatch(/signatures\/1-contract\.pdf\.p7s: 3 signature\(s\)/);
    const untrusted = await kezek('verify-evidence', path);
    expect(untrusted.code).toBe(1);
    expect(untrusted.out).toContain('no signature can pass: pass --trust');
  });

  it('is sealed by the instance: OpenSSL alone verifies the seal over manifest.json, and so does verify-evidence --seal', async () => {
    write('manifest.json', files['manifest.json']);
    write('manifest.json.p7s', files['manifest.json.p7s']);
    const openssl = await promisify(execFile)('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'manifest.json.p7s'), '-content', join(dir, 'manifest.json'), '-CAfile', sealPath, '-purpose', 'any', '-out', '/dev/null']);
    expect(openssl.stderr).toContain('Verification successful');
    const sealed = await kezek('verify-evidence', write('sealed.zip', pack), '--trust', caPath, '--seal', sealPath);
    expect(sealed.code).toBe(0);
    expect(sealed.out).toContain('ok    manifest.json.p7s: manifest.json sealed by');
    const unsealedCheck = await kezek('verify-evidence', join(dir, 'sealed.zip'), '--trust', caPath);
    expect(unsealedCheck.out).toContain('note  manifest.json.p7s: the instance seal was not checked');
  });

  it('catches a forger who rewrites an audit event’s IP and recomputes the chain, the hashes, the certificate and the manifest', async () => {
    const forged = await forgeIp(files, '198.51.100.23');
    const path = write('forged.zip', zipSync(forged));
    // Checked only against itself, the forgery is consistent: the unsealed check alone passes it.
    const unsealed = await kezek('verify-evidence', path, '--trust', caPath);
    expect(unsealed.out).toContain('PASSED');
    expect(unsealed.code).toBe(0);
    // The seal catches it.
    const sealed = await kezek('verify-evidence', path, '--trust', caPath, '--seal', sealPath);
    expect(sealed.code).toBe(1);
    expect(sealed.out).toContain('FAIL  manifest.json.p7s: the seal does not verify (TOTAL_FAILED/HASH_FAILURE): manifest.json is not the one the instance sealed');
    // Dropping the seal, or sealing the forgery with a key of one's own, fails too.
    const { ['manifest.json.p7s']: _dropped, ...withoutSeal } = forged;
    const dropped = await kezek('verify-evidence', write('unsealed.zip', zipSync(withoutSeal)), '--trust', caPath, '--seal', sealPath);
    expect(dropped.code).toBe(1);
    expect(dropped.out).toContain('FAIL  manifest.json.p7s: missing');
    const own = await ownSeal(forged['manifest.json']);
    const resealed = await kezek('verify-evidence', write('resealed.zip', zipSync({ ...forged, 'manifest.json.p7s': own })), '--trust', caPath, '--seal', sealPath);
    expect(resealed.code).toBe(1);
    expect(resealed.out).toContain('it was not made with the given seal certificate');
  });

  /** Each file altered the way a forger would (unzip, change, zip again): the check fails and names it. */
  const tamperings: [string, (bytes: Uint8Array) => Uint8Array][] = [
    ['documents/1-contract.pdf', flipMiddleByte],
    ['signatures/1-contract.pdf.p7s', flipMiddleByte],
    ['reports/1-contract.pdf.report.json', (b) => editJson(b, (r: VerificationReport) => (r.signatures[1].signingTime = '2020-01-01T00:00:00.000Z'))],
    ['audit/audit-trail.json', (b) => editJson(b, (a: { events: { ip: string | null }[] }) => (a.events[2].ip = '203.0.113.66'))],
    ['certificate-of-completion.pdf', flipMiddleByte],
    ['manifest.json', (b) => editJson(b, (m: EvidenceManifest) => (m.envelope.title = 'Another contract'))],
  ];

  it.each(tamperings)('fails when %s is altered, naming it', async (name, alter) => {
    const path = write('tampered.zip', repack((entries) => (entries[name] = alter(entries[name]))));
    const { code, out } = await kezek('verify-evidence', path, '--trust', caPath);
    expect(code).toBe(1);
    expect(out).toContain('FAILED');
    expect(out).toContain(`FAIL  ${name}:`);
  });

  it('fails when a provider archive is altered, even with the manifest updated to match', async () => {
    const round = manifest.rounds[1];
    const name = round.archive!.file!;
    const inner: Record<string, Uint8Array> = unzipSync(files[name]);
    const [copyName] = Object.keys(inner);
    inner[copyName] = flipMiddleByte(inner[copyName]);
    const forged = zipSync(inner);
    const path = write('tampered-archive.zip', repack((entries) => {
      entries[name] = forged;
      entries['manifest.json'] = editJson(entries['manifest.json'], (m: EvidenceManifest) => {
        const entry = m.files.find((f) => f.path === name)!;
        entry.sha256 = sha256(forged);
        entry.size = forged.length;
      });
    }));
    const { code, out } = await kezek('verify-evidence', path, '--trust', caPath);
    expect(code).toBe(1);
    expect(out).toContain(`FAIL  ${name}: its SHA-256`);
    expect(out).toContain('recorded in the audit trail');
  });

  it('fails when a file is removed or added, or the zip itself is damaged', async () => {
    const removed = await kezek('verify-evidence', write('removed.zip', repack((e) => delete e[manifest.rounds[0].archive!.file!])), '--trust', caPath);
    expect(removed.code).toBe(1);
    expect(removed.out).toContain(`FAIL  ${manifest.rounds[0].archive!.file}: missing`);
    const added = await kezek('verify-evidence', write('added.zip', repack((e) => (e['documents/extra.pdf'] = strToU8('%PDF-1.4')))), '--trust', caPath);
    expect(added.code).toBe(1);
    expect(added.out).toContain('FAIL  documents/extra.pdf: not listed in manifest.json');
    const damaged = Buffer.from(pack);
    const at = damaged.indexOf('audit/audit-trail.json') + 'audit/audit-trail.json'.length + 40;
    damaged[at] ^= 0xff;
    const broken = await kezek('verify-evidence', write('damaged.zip', damaged));
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(/FAIL {2}\S+: /);
  });

  it('answers 409 for a draft and 404 for another organisation’s envelope', async () => {
    const draft = await drive.create({ title: 'Draft', documents: [{ name: 'd.pdf', contentBase64: (await makePdf('draft')).toString('base64') }], signers: signers(IINS.slice(0, 1)) });
    const refused = await drive.http.get(`/v1/envelopes/${draft.id}/evidence.zip`).set(drive.auth()).expect(409);
    expect(refused.body.error.code).toBe('EVIDENCE_NOT_AVAILABLE');
    const other = await createOrganisation(t, 'Globex');
    const hidden = await drive.http.get(`/v1/envelopes/${envelope.id}/evidence.zip`).set('Authorization', `Bearer ${other.key}`).expect(404);
    expect(hidden.body.error.code).toBe('ENVELOPE_NOT_FOUND');
  });

  describeWithTools([PDFTOPPM, PDFTOTEXT], 'certificate of completion, rendered by poppler', () => {
    it('renders every page, shows every signer with the signing time of their CMS, and its QR code opens the verification page', async () => {
      const certificate = files['certificate-of-completion.pdf'];
      const pageCount = (await PDFDocument.load(certificate)).getPageCount();
      const pngs = await pdfToPngs(certificate, 110);
      expect(pngs).toHaveLength(pageCount);
      for (const png of pngs) {
        expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
        expect(inkRatio(png)).toBeGreaterThan(0.005);
      }

      const text = await pdfToText(certificate);
      const report = JSON.parse(new TextDecoder().decode(files['reports/1-contract.pdf.report.json'])) as VerificationReport;
      expect(report.signatures).toHaveLength(3);
      for (const [i, signer] of envelope.signers.entries()) {
        expect(text).toContain(signer.fullName); // Kazakh and Russian names, as entered
        expect(text).toContain(`********${signer.iin.slice(-4)}`);
        expect(text).not.toContain(signer.iin);
        const signature = report.signatures.find((s) => s.signer?.iin === signer.iin)!;
        expect(signature.signingTime).toBeTruthy();
        expect(text).toContain(formatUtc(signature.signingTime));
        expect(text).toContain(signature.certificate!.serialNumber);
        expect(text).toContain(signature.signer!.commonName!); // the certificate holder's name (Kazakh letters)
        expect(text).toContain(envelope.signers[i].rounds.find((r) => r.status === 'FINISHED')!.sessionId);
      }
      expect(text).toContain(manifest.audit.headHash!);
      expect(text).toContain(envelope.documents[0].sha256);
      expect(text).toMatch(/IP 127\.0\.0\.1/);

      const lastCheckId = manifest.rounds.at(-1)!.checkId;
      const qr = readQrCode(pngs.at(-1)!);
      expect(qr).toBe(`${t.config.publicBaseUrl}/verify/${lastCheckId}`);
      // A fresh connection: the synchronous pdftoppm above blocked this process past the keep-alive timeout.
      const opened = await request(t.app.getHttpServer()).get(new URL(qr!).pathname);
      expect(opened.status).toBe(200);
      expect(opened.text).toContain(`data-check-id="${lastCheckId}"`);
    });
  });
});

function flipMiddleByte(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[Math.floor(copy.length / 2)] ^= 0x20;
  return copy;
}

function editJson<T>(bytes: Uint8Array, edit: (value: T) => void): Uint8Array {
  const value = JSON.parse(new TextDecoder().decode(bytes)) as T;
  edit(value);
  return strToU8(JSON.stringify(value, null, 2));
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** What a forger holding only the pack does: change the IP of one event and recompute everything derived from it. */
async function forgeIp(original: Record<string, Uint8Array>, ip: string): Promise<Record<string, Uint8Array>> {
  const files = { ...original };
  const trail = JSON.parse(new TextDecoder().decode(files['audit/audit-trail.json'])) as { envelopeId: string; headHash: string; events: ChainedAuditEvent[] };
  const target = trail.events.findIndex((e) => e.ip !== null);
  expect(target).toBeGreaterThanOrEqual(0);
  trail.events[target].ip = ip;
  let prevHash = target === 0 ? trail.events[0].prevHash : trail.events[target - 1].hash;
  for (const event of trail.events.slice(target)) {
    event.prevHash = prevHash;
    event.hash = chainHash(prevHash, event);
    prevHash = event.hash;
  }
  trail.headHash = prevHash;
  files['audit/audit-trail.json'] = strToU8(`${JSON.stringify(trail, null, 2)}\n`);
  const certificate = await PDFDocument.load(files['certificate-of-completion.pdf']);
  certificate.setKeywords(certificateKeywords(trail.envelopeId, trail.headHash));
  files['certificate-of-completion.pdf'] = await certificate.save();
  files['manifest.json'] = editJson(files['manifest.json'], (m: EvidenceManifest) => {
    m.audit.headHash = trail.headHash;
    for (const entry of m.files) {
      entry.sha256 = sha256(files[entry.path]);
      entry.size = files[entry.path].length;
    }
  });
  return files;
}

/** The forger's own seal over the forged manifest: a valid CMS, by the wrong key. */
async function ownSeal(manifest: Uint8Array): Promise<Uint8Array> {
  const identity = await createSealIdentity('forger.example', new Date());
  return sealManifest(manifest, { certificateDer: identity.certificateDer, privateKey: await importSealKey(identity.privateKeyPkcs8) }, new Date());
}
