import { createHash } from 'node:crypto';
import request from 'supertest';
import { In } from 'typeorm';
import { ArchiveIntakeService } from '../src/archives/archive-intake.service.js';
import { ArchiveFile } from '../src/archives/archive-file.entity.js';
import { RoundArchive } from '../src/archives/round-archive.entity.js';
import { createOrganisation, startTestApp, type TestApp } from './support/app.js';
import { IINS, makePdf, makeXml } from './support/documents.js';
import { signers, SigningDriver, until, type EnvelopeView } from './support/signing.js';
import { providerArchive, signAll, verifyFile, waitForArchives } from './support/verification.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Archive intake and public verification over HTTP: a real three-signer envelope through the sandbox, the
 * provider archives it returns, and POST /v1/verify / GET /verify/{checkId} as the public uses them.
 */
describe('verification: archive intake and the public verification API', () => {
  let t: TestApp;
  let drive: SigningDriver;
  let envelope: EnvelopeView;
  let original: Buffer;

  beforeAll(async () => {
    t = await startTestApp({ SANDBOX_ENABLED: 'true', ROUND_POLL_SECONDS: '2', VERIFY_RATE_LIMIT_PER_MINUTE: '10000', ARCHIVE_RETRY_DELAY_SECONDS: '1' });
    drive = new SigningDriver(t, await createOrganisation(t, 'Acme'));
    original = await makePdf('Supply contract No. 17 (verification)');
    const created = await drive.create({
      title: 'Supply contract No. 17',
      documents: [{ name: 'contract.pdf', contentBase64: original.toString('base64') }],
      signers: signers(IINS.slice(0, 3)),
      send: true,
    });
    envelope = await signAll(drive, created.id, 3);
    await waitForArchives(drive, envelope.id, 3);
  });
  afterAll(() => t.close());

  const rounds = () => envelope.signers.flatMap((s) => s.rounds.filter((r) => r.status === 'FINISHED'));

  it('keeps each FINISHED round’s archive: files with DocumentId, SHA-256, size and check_id', async () => {
    const archives = await t.db.getRepository(RoundArchive).find({ where: { envelopeId: envelope.id } });
    expect(archives.map((a) => a.status)).toEqual(['STORED', 'STORED', 'STORED']);
    for (const round of rounds()) {
      const files = await t.db.getRepository(ArchiveFile).find({ where: { roundId: round.id }, select: { id: true, name: true, checkId: true, providerDocumentId: true, documentId: true, sha256: true, size: true, content: true } });
      expect(files).toHaveLength(1);
      const [file] = files;
      expect(file.checkId).toBe(round.checkId);
      expect(file.documentId).toBe(envelope.documents[0].id);
      expect(file.providerDocumentId).toMatch(/^[0-9a-f-]{36}$/);
      expect(file.sha256).toBe(sha256(file.content));
      expect(file.size).toBe(file.content.length);
      // What the provider serves is what was kept.
      const served = Object.values(await providerArchive(t, drive, round.sessionId));
      expect(served.map(sha256)).toEqual([file.sha256]);
    }
  });

  it('recognises the original document by SHA-256: signers in order, masked IINs, envelope status', async () => {
    const res = await verifyFile(t, original).expect(200);
    expect(res.body).toMatchObject({ match: 'original', intact: true, envelope: { status: 'COMPLETED' }, report: { indication: 'TOTAL_PASSED' } });
    expect(res.body.signers.map((s: { iin: string }) => s.iin)).toEqual(IINS.slice(0, 3).map((iin) => `********${iin.slice(-4)}`));
    expect(res.body.signers.every((s: { signingTime: string; certificate: { issuer: string } }) => s.signingTime && s.certificate.issuer)).toBe(true);
    expect(JSON.stringify(res.body)).not.toContain(IINS[0]);
  });

  it('recognises an archive copy, and calls a copy with one byte changed altered', async () => {
    const last = rounds().at(-1)!;
    const [copy] = Object.values(await providerArchive(t, drive, last.sessionId));
    const intact = await verifyFile(t, copy).expect(200);
    expect(intact.body).toMatchObject({ match: 'archive-copy', intact: true, session: { checkId: last.checkId } });
    expect(intact.body.signers).toHaveLength(3);

    const altered = Buffer.from(copy);
    altered[12] ^= 0x01; // inside the binary comment after the header: still a readable PDF
    const res = await verifyFile(t, altered).expect(200);
    expect(res.body).toMatchObject({ match: 'archive-copy', intact: false, session: { checkId: last.checkId } });
    expect(res.body.message).toMatch(/^ALTERED/);
  });

  it('verifies a CMS and names its envelope when known', async () => {
    const cms = await drive.signedCms(envelope.id, envelope.documents[0].id);
    const res = await verifyFile(t, cms, 'contract.pdf.p7s').expect(200);
    expect(res.body).toMatchObject({ match: 'cms', intact: true, file: { type: 'cms' }, envelope: { status: 'COMPLETED' } });
    expect(res.body.report.signatures).toHaveLength(3);
    expect(res.body.report.signatures[0].signer.iin).toBe(`********${IINS[0].slice(-4)}`);
    expect(res.body.report.signatures[0].certificate.subject).not.toContain(IINS[0]);
  });

  it('reveals nothing for a file it does not know', async () => {
    const res = await verifyFile(t, await makePdf('Something else')).expect(200);
    expect(res.body).toEqual({
      match: 'none',
      intact: null,
      message: expect.any(String),
      file: { sha256: expect.any(String), size: expect.any(Number), type: 'pdf', documentId: null },
      report: null,
      signers: [],
      envelope: null,
      session: null,
    });
  });

  it('refuses a request without a file, and an empty one', async () => {
    const none = await request(t.app.getHttpServer()).post('/v1/verify').send({}).expect(400);
    expect(none.body.error.code).toBe('VERIFY_FILE_MISSING');
    const empty = await verifyFile(t, new Uint8Array(0)).expect(400);
    expect(empty.body.error.code).toMatch(/VERIFY_FILE_(EMPTY|MISSING)/);
  });

  it('shows a check_id’s session page; an unknown check_id is a bare 404', async () => {
    const last = rounds().at(-1)!;
    const page = await request(t.app.getHttpServer()).get(`/verify/${last.checkId}`).expect(200);
    expect(page.text).toContain(`data-check-id="${last.checkId}"`);
    expect(page.text).toContain('data-envelope-status="COMPLETED"');
    expect(page.text.match(/data-signer /g)).toHaveLength(3);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.text).not.toContain(IINS[0]);
    const unknown = await request(t.app.getHttpServer()).get('/verify/00000000-0000-4000-8000-000000000000').expect(404);
    const malformed = await request(t.app.getHttpServer()).get('/verify/%3Cscript%3E').expect(404);
    expect(unknown.text).toBe(malformed.text);
    expect(unknown.text).not.toContain('Supply contract');
  });

  it('keeps XML archive copies with their DocumentId', async () => {
    const created = await drive.create({ title: 'XML act', documents: [{ name: 'act.xml', contentBase64: makeXml(4242).toString('base64') }], signers: signers(IINS.slice(3, 4)), send: true });
    const done = await signAll(drive, created.id, 1);
    await waitForArchives(drive, done.id, 1);
    const round = done.signers[0].rounds[0];
    const [copy] = Object.values(await providerArchive(t, drive, round.sessionId));
    const res = await verifyFile(t, copy, 'act.xml').expect(200);
    expect(res.body).toMatchObject({ match: 'archive-copy', intact: true, file: { type: 'xml' }, session: { checkId: round.checkId } });
    const altered = Buffer.from(Buffer.from(copy).toString('utf8').replace('4242', '9999'));
    const changed = await verifyFile(t, altered, 'act.xml').expect(200);
    expect(changed.body).toMatchObject({ match: 'archive-copy', intact: false });
  });

  it('keeps the archive of a rejected round and says on its pages that Kezek rejected it', async () => {
    const created = await drive.create({ title: 'Impersonation', documents: [{ name: 'i.pdf', contentBase64: (await makePdf('impersonation')).toString('base64') }], signers: signers(IINS.slice(5, 6)), send: true });
    await drive.round(created.id, 0, { outcome: 'sign', signAsIin: IINS[6] });
    await waitForArchives(drive, created.id, 1);
    const round = (await drive.get(created.id)).signers[0].rounds[0];
    expect(round.rejectionReason).toBe('IDENTITY_MISMATCH');
    const page = await request(t.app.getHttpServer()).get(`/verify/${round.checkId}`).expect(200);
    expect(page.text).toContain('data-rejected');
    const [copy] = Object.values(await providerArchive(t, drive, round.sessionId));
    const res = await verifyFile(t, copy).expect(200);
    expect(res.body).toMatchObject({ match: 'archive-copy', intact: true });
    expect(res.body.message).toContain('REJECTED');
  });

  it('retries the archive while the provider is unavailable, keeps it once, and a second run changes nothing', async () => {
    const created = await drive.create({ title: 'Flaky provider', documents: [{ name: 'f.pdf', contentBase64: (await makePdf('flaky')).toString('base64') }], signers: signers(IINS.slice(4, 5)), send: true });
    // Two whole job runs fail (the client itself tries each call 3 times), the third gets the archive.
    await drive.http.put('/sandbox/automation/faults').set('x-api-key', await drive.providerKey()).send({ failNext: { error: 'SERVICE_UNAVAILABLE', count: 6, endpoint: 'download' } }).expect(200);
    const done = await signAll(drive, created.id, 1);
    await waitForArchives(drive, done.id, 1);
    const round = done.signers[0].rounds[0];
    await t.app.get(ArchiveIntakeService).intake(round.id);
    const trail = await drive.http.get(`/v1/envelopes/${done.id}/audit`).set(drive.auth()).expect(200);
    expect(trail.body.events.filter((e: { type: string }) => e.type === 'round.archive_stored')).toHaveLength(1);
    expect(await t.db.getRepository(ArchiveFile).countBy({ roundId: round.id })).toBe(1);
    const faults = await drive.http.get('/sandbox/automation/faults').set('x-api-key', await drive.providerKey()).expect(200);
    expect(faults.body.failNext?.count ?? 0).toBe(0); // all six failures were met on the way
  });

  it('the sweep for missing archives takes FINISHED rounds without a kept archive that finished between a minute and a day ago', async () => {
    const created = await drive.create({ title: 'Swept', documents: [{ name: 's.pdf', contentBase64: (await makePdf('swept')).toString('base64') }], signers: signers(IINS.slice(7, 8)), send: true });
    const done = await signAll(drive, created.id, 1);
    await waitForArchives(drive, done.id, 1);
    const roundId = done.signers[0].rounds[0].id;
    // As a crash between the round's check and its intake would leave it: no archive row.
    await t.db.query(`DELETE FROM archive_file WHERE round_id = $1`, [roundId]);
    await t.db.query(`DELETE FROM round_archive WHERE round_id = $1`, [roundId]);
    const intake = t.app.get(ArchiveIntakeService);
    const window: [number, number] = [60, 24 * 3600];
    const sweptRounds = async () => {
      const queued = await intake.queueMissing(undefined, { finishedBetweenSeconds: window });
      return { queued, mine: ((await t.db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'round-archive' AND singleton_key = $1`, [roundId])) as { n: number }[])[0].n };
    };
    expect((await sweptRounds()).mine).toBe(0); // finished seconds ago: its own intake's business
    await t.db.query(`UPDATE signing_round SET finished_at = now() - interval '2 minutes' WHERE id = $1`, [roundId]);
    expect((await sweptRounds()).mine).toBe(1);
    await waitForArchives(drive, done.id, 2); // the trail keeps the first one too
    expect(await t.db.getRepository(ArchiveFile).countBy({ roundId })).toBe(1);
    await t.db.query(`UPDATE signing_round SET finished_at = now() - interval '2 days' WHERE id = $1`, [roundId]);
    await t.db.query(`DELETE FROM archive_file WHERE round_id = $1`, [roundId]);
    await t.db.query(`DELETE FROM round_archive WHERE round_id = $1`, [roundId]);
    await t.db.query(`DELETE FROM pgboss.job WHERE name = 'round-archive' AND singleton_key = $1`, [roundId]);
    expect((await sweptRounds()).mine).toBe(0); // older than a day: left to the full look at start
    expect(await intake.queueMissing(done.id)).toBe(1);
    expect(await intake.queueMissing(done.id)).toBe(0); // its job is in hand: not queued twice
    await waitForArchives(drive, done.id, 3);
  });

  it('a burst of finished rounds past the inline intakes waits in memory: every archive kept, none queued as a job', async () => {
    const roundIds = rounds().map((round) => round.id);
    expect(roundIds).toHaveLength(3); // one more than run inline at once
    await t.db.query(`DELETE FROM archive_file WHERE round_id = ANY($1)`, [roundIds]);
    await t.db.query(`DELETE FROM round_archive WHERE round_id = ANY($1)`, [roundIds]);
    const intake = t.app.get(ArchiveIntakeService);
    for (const roundId of roundIds) intake.intakeInBackground(roundId);
    await until(async () => (await t.db.getRepository(RoundArchive).countBy({ roundId: In(roundIds), status: 'STORED' })) === 3, 'the three archives kept again');
    const [{ n }] = (await t.db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'round-archive' AND singleton_key = ANY($1)`, [roundIds])) as { n: number }[];
    expect(n).toBe(0);
  });
});

describe('verification: per-IP rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ VERIFY_RATE_LIMIT_PER_MINUTE: '3', MAX_DOCUMENT_BYTES: '1000' });
  });
  afterAll(() => t.close());

  it('refuses a file larger than MAX_DOCUMENT_BYTES plus the room a CMS needs', async () => {
    const res = await verifyFile(t, Buffer.alloc(1000 + 1024 * 1024 + 1, 0x25)).expect(413);
    expect(res.body.error.code).toBe('VERIFY_FILE_TOO_LARGE');
  });

  it('answers 429 with Retry-After past the limit, for the API and the pages alike', async () => {
    const http = () => request(t.app.getHttpServer());
    // The window is one minute: if it turns during the test, the count restarts and more requests are needed.
    let limited: request.Response | undefined;
    for (let i = 0; i < 8 && !limited; i++) {
      const res = await verifyFile(t, Buffer.from('%PDF-1.4 nothing'));
      if (res.status === 429) limited = res;
      else expect(res.status).toBe(200);
    }
    expect(limited?.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0);
    const page = await http().get('/verify');
    expect([200, 429]).toContain(page.status);
    if (page.status === 429) expect(page.text).toContain('data-error="rateLimited"');
  });
});
