import { strToU8, unzipSync, zipSync } from 'fflate';
import { PDFDocument } from 'pdf-lib';
import { chainHash, GENESIS_HASH, type AuditEventContent, type ChainedAuditEvent, type JsonValue } from '../../audit/domain/audit-chain.js';
import { verifyCms } from '../../cms/index.js';
import { certificatePem, createSandboxCa, importPrivateKey, issuePersonCertificate } from '../../sandbox/domain/certificates.js';
import { signContent } from '../../sandbox/domain/cms-sign.js';
import { certificateKeywords } from './certificate-of-completion.js';
import { checkEvidencePack } from './check-evidence-pack.js';
import { AuditTrailFileWriter, buildEvidencePack, sha256Hex, type EvidenceInput } from './evidence-pack.js';

/** A pack as the service builds it, from real signatures of a throwaway CA (no database, no server). */
interface Fixture {
  zip: Uint8Array;
  caPem: string;
  otherCaPem: string;
}

const ENVELOPE = '6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e';
const SIGNERS = [
  { id: 's-1', position: 0, fullName: 'Әлиев Нұрлан', iin: '900101300126', routingOrder: 1, status: 'SIGNED', signedAt: '2026-05-01T10:01:00.000Z' },
  { id: 's-2', position: 1, fullName: 'Иванова Анна', iin: '850215400567', routingOrder: 2, status: 'SIGNED', signedAt: '2026-05-01T10:02:00.000Z' },
];

function chain(events: Omit<AuditEventContent, 'envelopeId' | 'seq' | 'actor' | 'ip' | 'userAgent'>[]): ChainedAuditEvent[] {
  let prevHash = GENESIS_HASH;
  return events.map((e, i) => {
    const content: AuditEventContent = { envelopeId: ENVELOPE, seq: i + 1, actor: { kind: 'system' }, ip: null, userAgent: null, ...e };
    const hash = chainHash(prevHash, content);
    const chained = { ...content, prevHash, hash };
    prevHash = hash;
    return chained;
  });
}

/** The trail file as the service writes it: two pages. */
function auditFile(envelopeId: string, headHash: string | null, events: ChainedAuditEvent[]) {
  const writer = new AuditTrailFileWriter(envelopeId, headHash);
  writer.add(events.slice(0, 1));
  writer.add(events.slice(1));
  return writer.finish();
}

async function buildFixture(): Promise<Fixture> {
  const now = new Date('2026-05-01T09:00:00.000Z');
  const ca = await createSandboxCa(now);
  const otherCa = await createSandboxCa(now);
  const original = strToU8('%PDF-1.4\n% a contract\n%%EOF\n');
  let cms: Uint8Array = original;
  for (const [i, s] of SIGNERS.entries()) {
    const person = await issuePersonCertificate(ca, s.iin, { surname: 'ТЕСТ', givenName: `ҚОЛ ҚОЮШЫ ${i + 1}`, patronymic: '' }, now);
    cms = await signContent(cms, { certificateDer: person.certificateDer, privateKey: await importPrivateKey(person.privateKeyPkcs8) }, { signingTime: new Date(Date.parse('2026-05-01T10:00:00Z') + (i + 1) * 60_000) });
  }
  const report = await verifyCms(cms, { trustAnchors: [certificatePem(ca.certificateDer)] });
  const archive = zipSync({ 'contract.pdf': strToU8('%PDF-1.4 signed copy with a signature page') });
  const events = chain([
    {
      type: 'envelope.created',
      data: { title: 'Contract', documents: [{ name: 'contract.pdf', size: original.length, sha256: sha256Hex(original) }], signers: SIGNERS.map((s) => ({ id: s.id, fullName: s.fullName, iin: s.iin, routingOrder: s.routingOrder })) } as { [key: string]: JsonValue },
      createdAt: '2026-05-01T09:59:00.000Z',
    },
    {
      type: 'round.archive_stored',
      data: { roundId: 'r-2', sha256: sha256Hex(archive), files: [{ name: 'contract.pdf', sha256: sha256Hex(unzipSync(archive)['contract.pdf']) }] },
      createdAt: '2026-05-01T10:02:30.000Z',
    },
  ]);
  const headHash = events.at(-1)!.hash;
  const certificate = await PDFDocument.create();
  certificate.addPage();
  certificate.setKeywords(certificateKeywords(ENVELOPE, headHash));
  const input: EvidenceInput = {
    generatedAt: '2026-05-01T11:00:00.000Z',
    envelope: { id: ENVELOPE, title: 'Contract', status: 'COMPLETED', statusReason: null, documentType: 'pdf', organisation: { id: 'o-1', name: 'Acme' }, createdAt: '2026-05-01T09:59:00.000Z', sentAt: null, finishedAt: null },
    documents: [{ id: 'd-1', position: 0, name: 'contract.pdf', sha256: sha256Hex(original), content: original, finalCms: cms, report }],
    signers: SIGNERS,
    rounds: [
      { id: 'r-1', signerId: 's-1', attempt: 1, sessionId: 'sess-1', checkId: 'chk-1', status: 'CANCELED', finishedAt: null, archive: null },
      { id: 'r-2', signerId: 's-2', attempt: 1, sessionId: 'sess-2', checkId: 'chk-2', status: 'FINISHED', finishedAt: null, archive: { status: 'STORED', zip: archive } },
    ],
    audit: auditFile(ENVELOPE, headHash, events),
    certificate: await certificate.save(),
  };
  return { zip: (await buildEvidencePack(input)).zip, caPem: certificatePem(ca.certificateDer), otherCaPem: certificatePem(otherCa.certificateDer) };
}

function rezip(zip: Uint8Array, change: (files: Record<string, Uint8Array>) => void): Uint8Array {
  const files: Record<string, Uint8Array> = unzipSync(zip);
  change(files);
  return zipSync(files);
}

function flip(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[Math.floor(copy.length / 2)] ^= 0x01;
  return copy;
}

describe('audit trail file written by pages', () => {
  it.each([0, 1, 3])('is the same JSON text as the whole trail stringified at once (%i events)', (count) => {
    const events = chain(Array.from({ length: count }, (_, i) => ({ type: 'note', data: { i, text: 'line one\nline "two"' }, createdAt: `2026-01-01T00:00:0${i}.000Z` })));
    const headHash = events.at(-1)?.hash ?? null;
    const file = auditFile(ENVELOPE, headHash, events);
    expect(new TextDecoder().decode(file.file)).toBe(`${JSON.stringify({ envelopeId: ENVELOPE, headHash, events }, null, 2)}\n`);
    expect(file.events).toBe(count);
  });
});

describe('checkEvidencePack', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await buildFixture();
  });

  it('passes an untouched pack only with the right anchors (fail closed without them)', async () => {
    const trusted = await checkEvidencePack(fx.zip, { trustAnchors: [fx.caPem] });
    expect(trusted.problems).toEqual([]);
    expect(trusted.ok).toBe(true);
    expect(trusted.envelope).toEqual({ id: ENVELOPE, title: 'Contract', status: 'COMPLETED' });
    expect(trusted.passed.join('\n')).toContain('certificate chains trusted');

    const untrusted = await checkEvidencePack(fx.zip);
    expect(untrusted.ok).toBe(false);
    expect(untrusted.problems).toEqual([{ file: 'signatures/1-contract.pdf.p7s', message: expect.stringContaining('no signature can pass: pass --trust') }]);

    const wrongCa = await checkEvidencePack(fx.zip, { trustAnchors: [fx.otherCaPem] });
    expect(wrongCa.ok).toBe(false);
    expect(wrongCa.problems).toEqual([{ file: 'signatures/1-contract.pdf.p7s', message: expect.stringContaining('NO_CERTIFICATE_CHAIN_FOUND') }]);
  });

  it.each(['documents/1-contract.pdf', 'signatures/1-contract.pdf.p7s', 'reports/1-contract.pdf.report.json', 'archives/round-2-sess-2.zip', 'audit/audit-trail.json', 'certificate-of-completion.pdf'])(
    'names %s when its bytes are changed',
    async (name) => {
      const result = await checkEvidencePack(rezip(fx.zip, (f) => (f[name] = flip(f[name]))), { trustAnchors: [fx.caPem] });
      expect(result.ok).toBe(false);
      expect(result.problems.map((p) => p.file)).toContain(name);
    },
  );

  it('blames the altered file only, not the files checked against it', async () => {
    const result = await checkEvidencePack(rezip(fx.zip, (f) => (f['documents/1-contract.pdf'] = flip(f['documents/1-contract.pdf']))), { trustAnchors: [fx.caPem] });
    expect(new Set(result.problems.map((p) => p.file))).toEqual(new Set(['documents/1-contract.pdf']));
  });

  it('catches a truncated audit trail and a document swapped together with its manifest entries', async () => {
    const truncated = rezip(fx.zip, (f) => {
      const trail = JSON.parse(new TextDecoder().decode(f['audit/audit-trail.json']));
      trail.events.pop();
      trail.headHash = trail.events.at(-1).hash;
      f['audit/audit-trail.json'] = strToU8(JSON.stringify(trail));
    });
    const cut = await checkEvidencePack(truncated);
    expect(cut.problems.filter((p) => p.file === 'audit/audit-trail.json').map((p) => p.message)).toEqual(expect.arrayContaining([expect.stringMatching(/head hash/)]));

    const forged = strToU8('%PDF-1.4\n% another contract\n%%EOF\n');
    const swapped = rezip(fx.zip, (f) => {
      f['documents/1-contract.pdf'] = forged;
      const manifest = JSON.parse(new TextDecoder().decode(f['manifest.json']));
      manifest.documents[0].sha256 = sha256Hex(forged);
      manifest.files.find((e: { path: string }) => e.path === 'documents/1-contract.pdf').sha256 = sha256Hex(forged);
      f['manifest.json'] = strToU8(JSON.stringify(manifest));
    });
    const result = await checkEvidencePack(swapped, { trustAnchors: [fx.caPem] });
    expect(result.problems.map((p) => p.file)).toEqual(expect.arrayContaining(['documents/1-contract.pdf', 'signatures/1-contract.pdf.p7s']));
    expect(result.problems.find((p) => p.file === 'documents/1-contract.pdf')?.message).toMatch(/recorded when the envelope was created/);
  });

  it('refuses what is not a pack', async () => {
    expect((await checkEvidencePack(strToU8('not a zip'))).problems).toEqual([{ file: 'evidence.zip', message: expect.stringContaining('not a zip') }]);
    expect((await checkEvidencePack(zipSync({ 'a.txt': strToU8('a') }))).problems).toEqual([{ file: 'manifest.json', message: expect.stringContaining('missing') }]);
    const escaping = zipSync({ '../manifest.json': strToU8('{}') });
    expect((await checkEvidencePack(escaping)).problems[0]).toMatchObject({ file: '../manifest.json', message: expect.stringContaining('outside') });
  });
});
