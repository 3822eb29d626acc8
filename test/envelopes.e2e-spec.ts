import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli/program.js';
import { verifyCms } from '../src/cms/index.js';
import { fingerprint } from '../src/common/idempotency/idempotency.interceptor.js';
import { createOrganisation, startTestApp, type TestApp } from './support/app.js';
import { IINS, makePdf, makeXml } from './support/documents.js';
import { signers, SigningDriver, until } from './support/signing.js';

/**
 * Envelopes end to end through HTTP: real PostgreSQL, the real sandbox signing with real keys, the real
 * job queue. Signers act through their links; the sandbox automation endpoint plays the person on the
 * provider's sign page.
 */
describe('envelopes: multi-signer orchestration', () => {
  let t: TestApp;
  let drive: SigningDriver;
  let caPem: string;

  beforeAll(async () => {
    t = await startTestApp({ SANDBOX_ENABLED: 'true', ROUND_POLL_SECONDS: '2' });
    drive = new SigningDriver(t, await createOrganisation(t, 'Acme'));
    caPem = (await drive.http.get('/sandbox/ca.pem').expect(200)).text;
  });
  afterAll(() => t.close());

  async function pdfBody(iins: readonly string[], orders?: number[], extra: object = {}) {
    return {
      title: 'Supply contract No. 17',
      documents: [{ name: 'contract.pdf', contentBase64: (await makePdf()).toString('base64') }],
      signers: signers(iins, orders),
      send: true,
      ...extra,
    };
  }

  /** The final CMS verifies against the sandbox CA and lists the expected signers, first signer first. */
  async function expectFinalCms(envelopeId: string, expectedIins: string[]) {
    const view = await drive.get(envelopeId);
    for (const document of view.documents) {
      const cms = await drive.signedCms(envelopeId, document.id);
      const report = await verifyCms(cms, { trustAnchors: [caPem] });
      expect(report.indication).toBe('TOTAL_PASSED');
      expect(report.content.sha256).toBe(document.sha256);
      expect(report.signatures.map((s) => s.signer?.iin)).toEqual(expectedIins);
    }
  }

  it('three sequential signers on a PDF', async () => {
    const created = await drive.create(await pdfBody(IINS.slice(0, 3)));
    expect(created.status).toBe('IN_PROGRESS');
    expect(created.signers.map((s) => s.status)).toEqual(['ACTIVE', 'WAITING', 'WAITING']);
    for (let i = 0; i < 3; i++) {
      const { returnPage } = await drive.round(created.id, i);
      expect(returnPage).toContain('data-outcome="signed"');
    }
    const done = await drive.waitForStatus(created.id, 'COMPLETED');
    expect(done.signers.map((s) => s.status)).toEqual(['SIGNED', 'SIGNED', 'SIGNED']);
    await expectFinalCms(created.id, [...IINS.slice(0, 3)]);

    // The signed document passes `kezek verify` with the sandbox CA as trust anchor, signers in order.
    const dir = mkdtempSync(join(tmpdir(), 'kezek-verify-'));
    writeFileSync(join(dir, 'contract.pdf.p7s'), await drive.signedCms(created.id, done.documents[0].id));
    writeFileSync(join(dir, 'ca.pem'), caPem);
    const output: string[] = [];
    const io = { out: (text: string) => output.push(text), err: (text: string) => output.push(text) };
    const code = await runCli(['node', 'kezek', 'verify', join(dir, 'contract.pdf.p7s'), '--trust', join(dir, 'ca.pem'), '--json'], io);
    expect(code).toBe(0);
    const cliReport = JSON.parse(output.join(''));
    expect(cliReport.indication).toBe('TOTAL_PASSED');
    expect(cliReport.signatures.map((s: { signer: { iin: string } }) => s.signer.iin)).toEqual([...IINS.slice(0, 3)]);

    const audit = await drive.http.get(`/v1/envelopes/${created.id}/audit`).set(drive.auth()).expect(200);
    expect(audit.body.chainValid).toBe(true);
    expect(audit.body.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['envelope.created', 'signer.link_opened', 'round.started', 'round.status', 'group.completed']));
  });

  it('several documents: a parallel pair, then one more signer; each document is chained and kept on its own', async () => {
    const created = await drive.create({
      ...(await pdfBody(IINS.slice(0, 3), [1, 1, 2])),
      documents: await Promise.all(['Contract', 'Annex 1', 'Annex 2'].map(async (text, i) => ({ name: `part-${i + 1}.pdf`, contentBase64: (await makePdf(text)).toString('base64') }))),
    });
    for (const i of [1, 0, 2]) await drive.round(created.id, i);
    const done = await drive.waitForStatus(created.id, 'COMPLETED');
    expect(done.documents.map((d) => d.name)).toEqual(['part-1.pdf', 'part-2.pdf', 'part-3.pdf']);
    // The pair (the second signed first) merged in the group's signer order, then the third over their CMS.
    await expectFinalCms(created.id, [IINS[0], IINS[1], IINS[2]]);
    // Each round kept every document's CMS with its verification, in document order of the uploads.
    const kept = (await t.db.query(
      `SELECT r.signer_id, count(rd.id)::int AS documents, count(DISTINCT rd.cms_sha256)::int AS distinct_cms, bool_and(rd.accepted) AS accepted
         FROM signing_round r JOIN round_document rd ON rd.round_id = r.id WHERE r.envelope_id = $1 GROUP BY r.signer_id`,
      [created.id],
    )) as { documents: number; distinct_cms: number; accepted: boolean }[];
    expect(kept).toHaveLength(3);
    for (const round of kept) expect(round).toMatchObject({ documents: 3, distinct_cms: 3, accepted: true });
    // Each round's provider archive is kept with a copy of every document, each named by its document.
    const files = await until(async () => {
      const rows = (await t.db.query(`SELECT round_id, document_id FROM archive_file WHERE envelope_id = $1`, [created.id])) as { round_id: string; document_id: string }[];
      return rows.length >= 9 ? rows : undefined;
    }, 'the three archives');
    expect(new Set(files.map((f) => `${f.round_id}/${f.document_id}`)).size).toBe(9);
    expect(new Set(files.map((f) => f.document_id))).toEqual(new Set(done.documents.map((d) => d.id)));
  });

  it('three sequential signers on XML', async () => {
    const created = await drive.create({
      title: 'XML act',
      documents: [{ name: 'act.xml', contentBase64: makeXml().toString('base64') }],
      signers: signers(IINS.slice(0, 3)),
      send: true,
    });
    for (let i = 0; i < 3; i++) await drive.round(created.id, i);
    await drive.waitForStatus(created.id, 'COMPLETED');
    await expectFinalCms(created.id, [...IINS.slice(0, 3)]);
  });

  it('a parallel pair, then one more signer: the pair is merged into one CMS', async () => {
    const created = await drive.create(await pdfBody(IINS.slice(0, 3), [1, 1, 2]));
    expect(created.signers.map((s) => s.status)).toEqual(['ACTIVE', 'ACTIVE', 'WAITING']);
    await drive.round(created.id, 1);
    expect((await drive.get(created.id)).signers.map((s) => s.status)).toEqual(['ACTIVE', 'SIGNED', 'WAITING']);
    await drive.round(created.id, 0);
    expect((await drive.get(created.id)).signers[2].status).toBe('ACTIVE');
    await drive.round(created.id, 2);
    await drive.waitForStatus(created.id, 'COMPLETED');
    const view = await drive.get(created.id);
    const report = await verifyCms(await drive.signedCms(created.id, view.documents[0].id), { trustAnchors: [caPem] });
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(new Set(report.signatures.map((s) => s.signer?.iin))).toEqual(new Set(IINS.slice(0, 3)));
    expect(report.signatures.at(-1)?.signer?.iin).toBe(IINS[2]);
  });

  it('a signer declines from the link page: DECLINED', async () => {
    const created = await drive.create(await pdfBody(IINS.slice(0, 2)));
    const link = drive.path(created.signers[0].link!);
    const page = await drive.http.post(`${link}/decline`).type('form').send({ reason: 'The amount is wrong' }).expect(200);
    expect(page.text).toContain('data-state="declined"');
    const view = await drive.get(created.id);
    expect(view.status).toBe('DECLINED');
    expect(view.statusReason).toBe('The amount is wrong');
    expect(view.signers[0].status).toBe('DECLINED');
  });

  it('an envelope is canceled by its organisation; signing is refused afterwards', async () => {
    const created = await drive.create(await pdfBody(IINS.slice(0, 2)));
    const res = await drive.http.post(`/v1/envelopes/${created.id}/cancel`).set(drive.auth()).send({ reason: 'Replaced by v2' }).expect(200);
    expect(res.body.status).toBe('CANCELED');
    await drive.http.post(`${drive.path(created.signers[0].link!)}/sign`).expect(409);
    const again = await drive.http.post(`/v1/envelopes/${created.id}/cancel`).set(drive.auth()).send({ reason: 'again' }).expect(200);
    expect(again.body.statusReason).toBe('Replaced by v2');
  });

  it('a liveness failure counts as an attempt; the second attempt succeeds', async () => {
    const created = await drive.create(await pdfBody(IINS.slice(0, 1)));
    const failed = await drive.round(created.id, 0, { outcome: 'cancel', reason: 'lv' });
    expect(failed.returnPage).toContain('data-outcome="canceled"');
    let view = await drive.get(created.id);
    expect(view.status).toBe('IN_PROGRESS');
    expect(view.signers[0]).toMatchObject({ status: 'ACTIVE', attempts: 1 });
    // What the redirect said is kept on the round, a hint beside the provider's answer.
    expect(view.signers[0].rounds[0]).toMatchObject({ status: 'CANCELED', failureReason: 'LIVENESS', redirectStatus: 'False' });
    await drive.round(created.id, 0);
    view = await drive.waitForStatus(created.id, 'COMPLETED');
    expect(view.signers[0].rounds.map((r) => r.status)).toEqual(['CANCELED', 'FINISHED']);
  });

  it('impersonation: a signature with another IIN is rejected, then the right signer succeeds', async () => {
    const created = await drive.create(await pdfBody(IINS.slice(0, 2)));
    const rejected = await drive.round(created.id, 0, { outcome: 'sign', signAsIin: IINS[5] });
    expect(rejected.returnPage).toContain('data-outcome="rejected"');
    let view = await drive.get(created.id);
    expect(view.signers[0]).toMatchObject({ status: 'ACTIVE', attempts: 1 });
    expect(view.signers[0].rounds[0]).toMatchObject({ status: 'FINISHED', rejectionReason: 'IDENTITY_MISMATCH' });
    expect(view.signers[1].status).toBe('WAITING');
    await drive.http.get(`/v1/envelopes/${created.id}/documents/${view.documents[0].id}/signed`).set(drive.auth()).expect(409);
    await drive.round(created.id, 0);
    await drive.round(created.id, 1);
    view = await drive.waitForStatus(created.id, 'COMPLETED');
    expect(view.signers[0].rounds.map((r) => r.status)).toEqual(['FINISHED', 'FINISHED']);
    await expectFinalCms(created.id, [IINS[0], IINS[1]]);
  });

  it('fails the signer and the envelope after the maximum attempts', async () => {
    const created = await drive.create(await pdfBody(IINS.slice(0, 2), undefined, { options: { maxAttempts: 2 } }));
    await drive.round(created.id, 0, { outcome: 'cancel', reason: 'otp' });
    await drive.round(created.id, 0, { outcome: 'sign', signAsIin: IINS[4] });
    const view = await drive.get(created.id);
    expect(view.status).toBe('FAILED');
    expect(view.signers[0]).toMatchObject({ status: 'FAILED', attempts: 2 });
  });

  it('the link opened twice at once creates one provider session', async () => {
    const created = await drive.create(await pdfBody(IINS.slice(0, 1)));
    const link = drive.path(created.signers[0].link!);
    const [a, b] = await Promise.all([drive.http.post(`${link}/sign`), drive.http.post(`${link}/sign`)]);
    expect([a.status, b.status]).toEqual([303, 303]);
    expect(a.headers.location).toBe(b.headers.location);
    const view = await drive.get(created.id);
    expect(view.signers[0].rounds).toHaveLength(1);
    // Both presses let go of the signer's start lock before their connections went back to the pool (waited
    // for: the job queue takes short advisory locks of its own now and then).
    await until(async () => {
      const [{ held }] = await t.db.query(`SELECT count(*)::int AS held FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
      return held === 0;
    }, 'no advisory lock held', 5_000);
  });

  it('refuses bad input with a coded 4xx and writes nothing', async () => {
    const count = async () => Number((await t.db.query('SELECT count(*) FROM envelope'))[0].count);
    const before = await count();
    const base = await pdfBody(IINS.slice(0, 1));
    const cases: [object, number, string][] = [
      [{ ...base, signers: [{ ...base.signers[0], iin: '900101300127' }] }, 400, 'iin'],
      [{ ...base, signers: [{ ...base.signers[0], phone: '+1 555 0100' }] }, 400, 'phone'],
      [{ ...base, documents: [{ name: 'x.pdf', contentBase64: Buffer.from('not a pdf').toString('base64') }] }, 415, 'DOCUMENT_TYPE_UNSUPPORTED'],
      [{ ...base, documents: [{ name: 'x.pdf', contentBase64: 'JVBE*Rg==' }] }, 400, 'INVALID_BASE64'],
      [{ ...base, documents: [...base.documents, { name: 'a.xml', contentBase64: makeXml().toString('base64') }] }, 422, 'DOCUMENT_TYPES_MIXED'],
      [{ ...base, signers: [base.signers[0], { ...base.signers[0] }] }, 422, 'DUPLICATE_SIGNER'],
      [{ ...base, colour: 'red' }, 400, 'colour'],
    ];
    for (const [body, status, mention] of cases) {
      const res = await drive.http.post('/v1/envelopes').set(drive.auth()).send(body);
      expect({ mention, status: res.status, error: res.body.error }).toEqual({ mention, status, error: expect.objectContaining({ message: expect.any(String) }) });
      expect(JSON.stringify(res.body.error)).toContain(mention);
    }
    expect(await count()).toBe(before);
  });

  it('accepts multipart uploads', async () => {
    const res = await drive.http
      .post('/v1/envelopes')
      .set(drive.auth())
      .field('envelope', JSON.stringify({ title: 'Multipart', signers: signers(IINS.slice(0, 1)) }))
      .attach('files', await makePdf('Multipart'), 'multipart.pdf')
      .expect(201);
    expect(res.body).toMatchObject({ status: 'DRAFT', documents: [{ name: 'multipart.pdf' }] });
    expect(res.body.signers[0].link).toBeNull();
    const sent = await drive.http.post(`/v1/envelopes/${res.body.id}/send`).set(drive.auth()).expect(200);
    expect(sent.body.signers[0].link).toMatch(/\/s\//);
  });

  it('replays POSTs with the same Idempotency-Key and refuses a reused key', async () => {
    const body = await pdfBody(IINS.slice(0, 1), undefined, { send: false });
    const first = await drive.http.post('/v1/envelopes').set(drive.auth()).set('Idempotency-Key', 'create-1').send(body).expect(201);
    const replay = await drive.http.post('/v1/envelopes').set(drive.auth()).set('Idempotency-Key', 'create-1').send(body).expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(first.body.id);
    const reused = await drive.http.post('/v1/envelopes').set(drive.auth()).set('Idempotency-Key', 'create-1').send({ ...body, title: 'Other' }).expect(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');

    // Every POST: sending twice with one key answers the first result again instead of a 409.
    const sent = await drive.http.post(`/v1/envelopes/${first.body.id}/send`).set(drive.auth()).set('Idempotency-Key', 'send-1').expect(200);
    const resent = await drive.http.post(`/v1/envelopes/${first.body.id}/send`).set(drive.auth()).set('Idempotency-Key', 'send-1').expect(200);
    expect(resent.headers['idempotent-replayed']).toBe('true');
    expect(resent.body.sentAt).toBe(sent.body.sentAt);
    await drive.http.post(`/v1/envelopes/${first.body.id}/send`).set(drive.auth()).set('Idempotency-Key', 'send-2').expect(409);
    // The stored answer carries signer links (capabilities): sealed at rest.
    const [stored] = await t.db.query(`SELECT response_body::text AS body FROM idempotency_key WHERE key = 'send-1'`);
    expect(stored.body).not.toContain('/s/');
    expect(sent.body.signers[0].link).toContain('/s/');

    // A request still running under the key (another instance, say) makes a retry wait: 409.
    const running = fingerprint({ method: 'POST', path: '/v1/api-keys', body: { label: 'x' } });
    await t.db.query(`INSERT INTO idempotency_key (organisation_id, key, request_hash, state) VALUES ($1, 'busy-1', $2, 'running')`, [drive.organisation.id, running]);
    const busy = await drive.http.post('/v1/api-keys').set(drive.auth()).set('Idempotency-Key', 'busy-1').send({ label: 'x' }).expect(409);
    expect(busy.body.error.code).toBe('IDEMPOTENCY_IN_PROGRESS');
  });

  it('pages through envelopes created inside one millisecond without skipping any', async () => {
    const org = new SigningDriver(t, await createOrganisation(t, 'Initech'));
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await org.create(await pdfBody(IINS.slice(0, 1), undefined, { send: false }))).id);
    // As if all five were created inside one millisecond: distinct microseconds, the same millisecond.
    await t.db.query(
      `UPDATE envelope SET created_at = timestamptz '2026-01-01 00:00:00.123Z' + make_interval(secs => u.n / 1000000.0)
       FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, n) WHERE envelope.id = u.id`,
      [ids],
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await org.http.get(`/v1/envelopes?limit=2${cursor ? `&cursor=${cursor}` : ''}`).set(org.auth()).expect(200);
      const page = res.body as { items: { id: string }[]; nextCursor: string | null };
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...ids].sort());
  });

  it("lists the organisation's envelopes with cursor pagination and hides other organisations'", async () => {
    const other = new SigningDriver(t, await createOrganisation(t, 'Globex'));
    const mine = await drive.create(await pdfBody(IINS.slice(0, 1), undefined, { send: false }));
    await other.http.get(`/v1/envelopes/${mine.id}`).set(other.auth()).expect(404);
    await other.http.post(`/v1/envelopes/${mine.id}/cancel`).set(other.auth()).send({ reason: 'x' }).expect(404);
    const firstPage = await drive.http.get('/v1/envelopes?limit=2').set(drive.auth()).expect(200);
    expect(firstPage.body.items).toHaveLength(2);
    const second = await drive.http.get(`/v1/envelopes?limit=2&cursor=${firstPage.body.nextCursor}`).set(drive.auth()).expect(200);
    const ids = [...firstPage.body.items, ...second.body.items].map((e: { id: string }) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const drafts = await drive.http.get('/v1/envelopes?status=DRAFT').set(drive.auth()).expect(200);
    expect(drafts.body.items.every((e: { status: string }) => e.status === 'DRAFT')).toBe(true);
    expect((await other.http.get('/v1/envelopes').set(other.auth()).expect(200)).body.items).toHaveLength(0);
  });
});
