import { jest } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FlowClient } from '../../src/kyc/flows/flow.client.js';
import { KycCredentialsService } from '../../src/kyc/kyc-credentials.service.js';
import { SandboxKycAccountsService } from '../../src/sandbox/kyc/sandbox-kyc-accounts.service.js';
import { SandboxClock } from '../../src/sandbox/sandbox-clock.js';
import { SecretBox } from '../../src/common/crypto/secret-box.js';
import { sha256Hex } from '../../src/common/crypto/sha256.js';
import { IdentityStepService } from '../../src/identity/identity-step.service.js';
import { facePhotoPng } from '../../src/sandbox/kyc/domain/images.js';
import { createOrganisation, startTestApp, type TestApp } from '../support/app.js';
import { makePdf } from '../support/documents.js';
import { consoleAgent, createConsoleUser } from '../support/console.js';
import { until } from '../support/signing.js';
import { IdentityDriver } from './support.js';

// Each test walks a signer through the provider flow, Cloud EDS and background jobs over HTTP: minutes on a
// loaded shared machine, not the default 60 s.
jest.setTimeout(240_000);

const ALL = ['ED', 'F2F', 'LD'];

/**
 * Identity before signing, end to end over HTTP: real PostgreSQL, the real job queue, the identity sandbox
 * (flow sessions, E-Document with its OTP and per-organisation faults, signed reports) and the Cloud EDS
 * sandbox signing with real keys. The signer acts through their link; the sandbox's automation endpoint or
 * its flow pages stand in for the person. Polling is set to 10 minutes here, so an outcome comes only from
 * what each test does (the return to the link, or a webhook).
 */
describe('identity before signing', () => {
  let t: TestApp;
  let drive: IdentityDriver;

  beforeAll(async () => {
    t = await startTestApp({ SANDBOX_ENABLED: 'true', ROUND_POLL_SECONDS: '2', IDENTITY_POLL_SECONDS: '600', WEBHOOKS_ALLOW_PRIVATE: 'true' });
    drive = new IdentityDriver(t, await createOrganisation(t, 'Bank'));
    // An endpoint that receives every event, so each emitted webhook is a delivery row to look at.
    await drive.http.post('/v1/webhook-endpoints').set(drive.auth()).send({ url: 'http://127.0.0.1:9/hooks' }).expect(201);
  });
  afterAll(() => t.close());

  it('pass: liveness, E-Document and a face match against its photo, then Cloud EDS signing', async () => {
    const created = await drive.envelope({ checks: ['liveness', 'face2face', 'edocument'] });
    const link = created.signers[0].link!;
    const page = await drive.http.get(drive.path(link)).expect(200);
    expect(page.text).toContain('data-identity="needed"');

    const flow = await drive.pressSign(link);
    expect(flow.sessionId).not.toBeNull();
    const url = new URL(flow.location);
    expect(url.pathname).toBe(`/sandbox/remote/flow/${flow.sessionId}`);
    expect(url.searchParams.get('redirect')).toBe(`${link}/identity`);
    expect(url.searchParams.get('locale')).toBe('ru');

    // The session was made with IIN and phone locked and extra.iin set (the sandbox keeps its metadata).
    const [session] = (await t.db.query(`SELECT metadata FROM sandbox.kyc_flow_session WHERE id = $1`, [flow.sessionId])) as { metadata: Record<string, unknown> }[];
    expect(session.metadata.edocument).toMatchObject({ iin: { value: '900101300126', changeable: false }, phone: { value: '77011234567', changeable: false }, skip_input: true, document_type: 'identity_card' });
    expect(session.metadata.extra).toEqual({ iin: '900101300126' });

    await drive.finishFlow(ALL, flow.sessionId!, { outcome: 'pass' });
    const back = await drive.comeBack(flow.location);
    // Passed: the return opens Cloud EDS signing at once.
    expect(back.status).toBe(303);
    const signUrl = new URL(back.headers.location as string);
    expect(signUrl.pathname).toBe('/sandbox/sign');
    const redirect = await drive.complete(signUrl.searchParams.get('session')!, { outcome: 'sign' }, signUrl.searchParams.get('redirect_url')!);
    expect((await drive.http.get(drive.path(redirect)).expect(200)).text).toContain('data-outcome="signed"');

    const done = await drive.waitForStatus(created.id, 'COMPLETED');
    const identity = (done as Awaited<ReturnType<typeof drive.view>>).signers[0].identity!;
    expect(identity).toMatchObject({ checks: ['liveness', 'face2face', 'edocument'], status: 'PASSED', failedAttempts: 0, referencePhoto: false });
    expect(identity.attempts).toHaveLength(1);
    const [attempt] = identity.attempts;
    expect(attempt).toMatchObject({ attempt: 1, sessionId: flow.sessionId, technologies: ALL, status: 'PASSED', failureReason: null });
    expect(attempt.results).toMatchObject({
      passed: true,
      liveness: { passed: true, score: 0.991 },
      face2face: { passed: true, similarityPercent: 97.3, reference: 'edocument' },
      edocument: { passed: true, documentType: 'identity_card', ownerIinMatches: true },
    });
    // The state database's name for this IIN is not the one the integrator typed: reported, not fatal.
    expect(typeof attempt.results!.edocument.namesMatch).toBe('boolean');
    // No personal data in what is kept of the result.
    expect(JSON.stringify(attempt.results)).not.toContain('900101300126');

    expect(await drive.auditTypes(created.id)).toEqual(expect.arrayContaining(['identity.started', 'identity.verified', 'round.started']));
    const verified = (await drive.webhookEvents(created.id)).find((e) => e.type === 'signer.identity_verified');
    expect(verified?.data.identity).toMatchObject({ attempt: 1, sessionId: flow.sessionId, status: 'PASSED', results: { face2face: { similarityPercent: 97.3 } } });
    expect(JSON.stringify(verified)).not.toContain('77011234567');
    // Without the organisation's opt-in, no provider media (video, face photo) is kept.
    expect((await t.db.query(`SELECT count(*)::int AS n FROM identity_media WHERE envelope_id = $1`, [created.id]))[0].n).toBe(0);
  });

  it('keeps the provider’s media only on the organisation’s opt-in: sealed, deleted after its retention with an audit event', async () => {
    const organisation = await createOrganisation(t, 'Archive-minded bank');
    await t.app.get(KycCredentialsService).set(organisation.id, { mediaRetentionDays: 30 });
    const archiving = new IdentityDriver(t, organisation);
    const created = await archiving.envelope({ checks: ['liveness', 'face2face', 'edocument'] });
    const flow = await archiving.pressSign(created.signers[0].link!);
    await archiving.finishFlow(ALL, flow.sessionId!, { outcome: 'pass' });
    expect((await archiving.comeBack(flow.location)).status).toBe(303);
    const count = async () => ((await t.db.query(`SELECT count(*)::int AS n FROM identity_media WHERE envelope_id = $1`, [created.id])) as { n: number }[])[0].n;
    await until(async () => (await count()) === 2, 'two media items kept', 120_000);
    const rows = (await t.db.query(`SELECT kind, sealed, sha256, delete_after FROM identity_media WHERE envelope_id = $1 ORDER BY kind`, [created.id])) as { kind: string; sealed: string; sha256: string; delete_after: Date }[];
    expect(rows.map((r) => r.kind)).toEqual(['edocument_face_photo', 'liveness_video']);
    const face = facePhotoPng('900101300126');
    const box = new SecretBox(t.config.secretsKey);
    // Sealed at rest: the stored text is not the photo; opened, it is the photo the provider holds.
    expect(rows[0].sealed).not.toContain(face.toString('base64').slice(0, 40));
    expect(Buffer.from(box.open(rows[0].sealed), 'base64').equals(face)).toBe(true);
    expect(rows[0].sha256).toBe(sha256Hex(face));
    const days = (rows[0].delete_after.getTime() - Date.now()) / (24 * 60 * 60_000);
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    expect((await archiving.auditTypes(created.id)).filter((type) => type === 'identity.media_kept')).toHaveLength(2);

    // Before the retention is over nothing goes; after it, each item is deleted and the deletion is in the chain.
    const identity = t.app.get(IdentityStepService);
    await identity.deleteExpiredMedia(new Date(Date.now() + 29 * 24 * 60 * 60_000));
    expect(await count()).toBe(2);
    await identity.deleteExpiredMedia(new Date(Date.now() + 31 * 24 * 60 * 60_000));
    expect(await count()).toBe(0);
    const audit = await archiving.http.get(`/v1/envelopes/${created.id}/audit`).set(archiving.auth()).expect(200);
    expect(audit.body.chainValid).toBe(true);
    const deletions = audit.body.events.filter((e: { type: string }) => e.type === 'identity.media_deleted');
    expect(deletions.map((e: { data: { kind: string; sha256: string } }) => e.data.kind).sort()).toEqual(['edocument_face_photo', 'liveness_video']);
    expect(deletions.find((e: { data: { kind: string } }) => e.data.kind === 'edocument_face_photo').data.sha256).toBe(sha256Hex(face));
  });

  it('a console member asks for identity checks in the new-envelope form', async () => {
    await createConsoleUser(t, drive.organisation.id, 'clerk@bank.kz', 'member');
    const member = await consoleAgent(t, 'clerk@bank.kz');
    const form = await member.agent.get('/console/envelopes/new?lang=en').expect(200);
    expect(form.text).toContain('<option value="liveness,edocument,face2face">liveness + E-Document + face match</option>');
    const res = await member.agent
      .post('/console/envelopes')
      .field('_csrf', member.csrf)
      .field('title', 'Loan agreement from the console')
      .field('signerName', 'Әлиев Нұрлан')
      .field('signerIin', '900101300126')
      .field('signerPhone', '+7 701 123 45 67')
      .field('signerOrder', '1')
      .field('signerIdentity', 'liveness,edocument,face2face')
      .field('signerEdocumentType', 'passport')
      .field('send', 'true')
      .attach('files', await makePdf('Loan agreement'), 'loan.pdf')
      .expect(303);
    const id = /\/console\/envelopes\/([0-9a-f-]{36})/.exec(res.headers.location)![1];
    const view = await drive.view(id);
    expect(view.signers[0].identity).toMatchObject({ checks: ['liveness', 'edocument', 'face2face'], edocumentType: 'passport', referencePhoto: false, status: 'PENDING' });
  });

  it('liveness failed, then passed on retry; the reason is shown in the signer’s language', async () => {
    const created = await drive.envelope({ checks: ['liveness', 'face2face'], photoBase64: facePhotoPng('900101300126').toString('base64') });
    const link = created.signers[0].link!;
    const first = await drive.pressSign(link);
    await drive.finishFlow(['F2F', 'LD'], first.sessionId!, { outcome: 'fail', technology: 'LD', reason: 'SPOOFING' });
    const back = await drive.comeBack(first.location);
    expect(back.status).toBe(200);
    expect(back.text).toContain('data-reason="LIVENESS_FAILED"');
    expect(back.text).toContain('Осталось попыток: 2');
    const en = await drive.http.get(`${drive.path(link)}?lang=en`).expect(200);
    expect(en.text).toContain('Identity check failed: the liveness check did not pass. Attempts left: 2.');
    const kz = await drive.http.get(`${drive.path(link)}?lang=kz`).expect(200);
    expect(kz.text).toContain('Liveness тексерісінен өтпеді');

    const second = await drive.pressSign(link);
    expect(second.sessionId).not.toBe(first.sessionId);
    await drive.finishFlow(['F2F', 'LD'], second.sessionId!, { outcome: 'pass' });
    expect((await drive.comeBack(second.location)).status).toBe(303);

    const view = await drive.view(created.id);
    const identity = view.signers[0].identity!;
    expect(identity).toMatchObject({ status: 'PASSED', failedAttempts: 1, referencePhoto: true });
    expect(identity.attempts.map((a) => [a.attempt, a.status, a.failureReason])).toEqual([
      [1, 'FAILED', 'LIVENESS_FAILED'],
      [2, 'PASSED', null],
    ]);
    expect(identity.attempts[0].results).toMatchObject({ liveness: { passed: false, failure: 'SPOOFING' } });
    expect(identity.attempts[1].results).toMatchObject({ face2face: { passed: true, reference: 'photo' } });
    expect(view.signers[0].status).toBe('ACTIVE');
    const failed = (await drive.webhookEvents(created.id)).find((e) => e.type === 'signer.identity_failed');
    expect(failed?.data.identity).toMatchObject({ attempt: 1, failureReason: 'LIVENESS_FAILED', attemptsLeft: 2 });

    // The legal team sees the same on the envelope's console page: the checks, their status, each attempt.
    await createConsoleUser(t, drive.organisation.id, 'legal@bank.kz', 'viewer');
    const { agent } = await consoleAgent(t, 'legal@bank.kz');
    const page = await agent.get(`/console/envelopes/${created.id}?lang=en`).expect(200);
    expect(page.text).toContain('data-identity-status="PASSED"');
    expect(page.text).toContain('Identity checks (liveness, face2face): passed');
    expect(page.text).toMatch(/data-identity-attempt="1">attempt 1: liveness failed \(SPOOFING\)/);
    expect(page.text).toMatch(/data-identity-attempt="2">attempt 2: [^<]*face match[^<]* passed against the photo given/);
    expect(page.text).toContain(second.sessionId!);
  });

  it('face mismatch is a failed attempt with its own reason', async () => {
    const created = await drive.envelope({ checks: ['face2face', 'edocument'] });
    const flow = await drive.pressSign(created.signers[0].link!);
    await drive.finishFlow(['ED', 'F2F'], flow.sessionId!, { outcome: 'fail', technology: 'F2F', reason: 'FACE_MISMATCH' });
    const back = await drive.comeBack(flow.location);
    expect(back.text).toContain('data-reason="FACE_MISMATCH"');
    const attempt = (await drive.view(created.id)).signers[0].identity!.attempts[0];
    expect(attempt).toMatchObject({ status: 'FAILED', failureReason: 'FACE_MISMATCH', results: { face2face: { passed: false, similarityPercent: 21.4 }, edocument: { passed: true } } });
  });

  it('an E-Document that belongs to another person fails with its own reason', async () => {
    const created = await drive.envelope({ checks: ['edocument'] });
    const flow = await drive.pressSign(created.signers[0].link!);
    await drive.finishFlow(['ED'], flow.sessionId!, { outcome: 'pass', documentOwnerIin: '850215400567' });
    const back = await drive.comeBack(flow.location);
    expect(back.status).toBe(200);
    expect(back.text).toContain('data-reason="EDOCUMENT_OWNER_MISMATCH"');
    const attempt = (await drive.view(created.id)).signers[0].identity!.attempts[0];
    expect(attempt).toMatchObject({ status: 'FAILED', failureReason: 'EDOCUMENT_OWNER_MISMATCH', results: { edocument: { passed: false, ownerIinMatches: false } } });
  });

  it('honours the E-Document type asked for', async () => {
    const created = await drive.envelope({ checks: ['edocument'], edocumentType: 'passport' });
    const flow = await drive.pressSign(created.signers[0].link!);
    await drive.finishFlow(['ED'], flow.sessionId!, { outcome: 'pass' });
    expect((await drive.comeBack(flow.location)).status).toBe(303);
    expect((await drive.view(created.id)).signers[0].identity!.attempts[0].results).toMatchObject({ edocument: { passed: true, documentType: 'passport' } });
  });

  describe('E-Document on the flow page, with the sandbox provoking eGov errors for this organisation', () => {
    /** The E-Document step of the flow page: opening it sends the request (IIN and phone are locked). */
    async function openEDocumentStep(flowUrl: string) {
      const url = new URL(flowUrl);
      return drive.http.get(`${url.pathname}${url.search}`);
    }

    async function post(flowUrl: string, form: Record<string, string>) {
      const url = new URL(flowUrl);
      return drive.http.post(url.pathname).type('form').send({ ...Object.fromEntries(url.searchParams), ...form });
    }

    async function fault(error: string) {
      await drive.http.post('/sandbox/automation/edocument/faults').set('x-api-key', await drive.backendKey()).send({ error, count: 1, endpoint: 'request' }).expect(200);
    }

    async function inboxCode(): Promise<string> {
      const inbox = await drive.http.get('/sandbox/remote/inbox?phone=77011234567').expect(200);
      const code = /\b(\d{6})\b/.exec(inbox.text)?.[1];
      if (!code) throw new Error('no code in the inbox');
      return code;
    }

    it('a wrong OTP is refused, the right one passes', async () => {
      const created = await drive.envelope({ checks: ['edocument'] });
      const flow = await drive.pressSign(created.signers[0].link!);
      expect((await openEDocumentStep(flow.location)).status).toBe(200);
      const wrong = await post(flow.location, { technology: 'ED', action: 'approve', code: '000000' });
      expect(wrong.status).toBe(400);
      expect(wrong.text).toContain('Invalid OTP code');
      const right = await post(flow.location, { technology: 'ED', action: 'approve', code: await inboxCode() });
      expect(right.status).toBe(303);
      expect(right.headers.location).toBe(`${created.signers[0].link}/identity`);
      expect((await drive.comeBack(flow.location)).status).toBe(303);
    });

    it.each([
      ['SUBJECT_NOT_FOUND', 404, 'Subject not found in CMDB'],
      ['NO_SUBSCRIPTION', 400, 'Client does not have subscription'],
    ])('%s: the person cannot get the document; the attempt fails as EDOCUMENT_FAILED', async (error, status, text) => {
      const created = await drive.envelope({ checks: ['liveness', 'edocument'] });
      const flow = await drive.pressSign(created.signers[0].link!);
      await fault(error);
      expect((await post(flow.location, { technology: 'LDHP', action: 'pass' })).status).toBe(303);
      const step = await openEDocumentStep(flow.location);
      expect(step.status).toBe(status);
      expect(step.text).toContain(text);
      const gaveUp = await post(flow.location, { technology: 'ED', action: 'fail', reason: 'DOCUMENT_NOT_FOUND' });
      expect(gaveUp.headers.location).toBe(`${created.signers[0].link}/identity`);
      expect((await drive.comeBack(flow.location)).text).toContain('data-reason="EDOCUMENT_FAILED"');
      const attempt = (await drive.view(created.id)).signers[0].identity!.attempts[0];
      expect(attempt).toMatchObject({ status: 'FAILED', failureReason: 'EDOCUMENT_FAILED', results: { liveness: { passed: true }, edocument: { passed: false } } });
    });

    it.each([
      ['EDOCUMENT_UNAVAILABLE', 503, 'EDocument service is not available now'],
      ['EDOCUMENT_TIMEOUT', 504, 'Could not send request to e-document service'],
    ])('eGov %s (%i) once: the person tries again on the page and passes', async (error, status, text) => {
      const created = await drive.envelope({ checks: ['edocument'] });
      const flow = await drive.pressSign(created.signers[0].link!);
      await fault(error);
      const failed = await openEDocumentStep(flow.location);
      expect(failed.status).toBe(status);
      expect(failed.text).toContain(text);
      expect((await openEDocumentStep(flow.location)).status).toBe(200);
      expect((await post(flow.location, { technology: 'ED', action: 'approve', code: await inboxCode() })).status).toBe(303);
      expect((await drive.comeBack(flow.location)).status).toBe(303);
      expect((await drive.view(created.id)).signers[0].identity).toMatchObject({ status: 'PASSED', failedAttempts: 0 });
    });
  });

  it('a flow session expires after 10 minutes (sandbox clock moved): not an attempt, a new session is made', async () => {
    const clock = t.app.get(SandboxClock);
    const created = await drive.envelope({ checks: ['liveness'] });
    const link = created.signers[0].link!;
    const first = await drive.pressSign(link);
    try {
      clock.advance(10 * 60_000 + 1000);
      const url = new URL(first.location);
      expect((await drive.http.get(`${url.pathname}${url.search}`)).status).toBe(410);
      const second = await drive.pressSign(link);
      expect(second.sessionId).not.toBe(first.sessionId);
      const identity = (await drive.view(created.id)).signers[0].identity!;
      expect(identity.attempts.map((a) => [a.status, a.failureReason])).toEqual([
        ['EXPIRED', 'SESSION_EXPIRED'],
        ['STARTED', null],
      ]);
      expect(identity).toMatchObject({ status: 'IN_PROGRESS', failedAttempts: 0 });
      expect(await drive.auditTypes(created.id)).toContain('identity.expired');
    } finally {
      clock.reset();
    }
  });

  it('the outcome from the provider’s webhook alone (no return to the link, no polling)', async () => {
    const created = await drive.envelope({ checks: ['liveness'] });
    const flow = await drive.pressSign(created.signers[0].link!);
    // The person finishes the flow and never comes back; the sandbox's flow (opened by Kezek with Kezek's
    // webhook URL) sends technology.end, and Kezek asks the result API.
    await drive.finishFlow(['LD'], flow.sessionId!, { outcome: 'pass' });
    const view = await drive.waitForIdentity(created.id, 'PASSED');
    expect(view.signers[0].identity!.attempts[0].status).toBe('PASSED');
    const audit = await drive.http.get(`/v1/envelopes/${created.id}/audit`).set(drive.auth()).expect(200);
    expect(audit.body.events.find((e: { type: string }) => e.type === 'identity.verified').data.trigger).toBe('webhook');
  });

  it('a webhook for an unknown session is answered the same and changes nothing', async () => {
    const before = (await t.db.query(`SELECT count(*)::int AS n FROM identity_check WHERE status <> 'STARTED'`)) as { n: number }[];
    await drive.http.post('/v1/kyc-webhooks/flows').send({ id: 'w0', event: 'technology.end', session_id: '00000000-0000-4000-8000-000000000000', success: true }).expect(202);
    await drive.http.post('/v1/kyc-webhooks/flows').send('not json').expect(202);
    const after = (await t.db.query(`SELECT count(*)::int AS n FROM identity_check WHERE status <> 'STARTED'`)) as { n: number }[];
    expect(after[0].n).toBe(before[0].n);
  });

  it('a webhook body that claims a pass is not trusted: the result API decides', async () => {
    const created = await drive.envelope({ checks: ['liveness'] });
    const flow = await drive.pressSign(created.signers[0].link!);
    await drive.finishFlow(['LD'], flow.sessionId!, { outcome: 'fail', technology: 'LD' });
    await drive.http.post('/v1/kyc-webhooks/flows').send({ id: 'w2', event: 'technology.end', session_id: flow.sessionId, success: true }).expect(202);
    const view = await drive.waitForIdentity(created.id, 'PENDING');
    expect(view.signers[0].identity!.attempts[0]).toMatchObject({ status: 'FAILED', failureReason: 'LIVENESS_FAILED' });
  });

  it('maximum attempts used up: the signer and the envelope are FAILED', async () => {
    const created = await drive.envelope({ checks: ['liveness'], maxAttempts: 2 });
    const link = created.signers[0].link!;
    for (let i = 0; i < 2; i++) {
      const flow = await drive.pressSign(link);
      await drive.finishFlow(['LD'], flow.sessionId!, { outcome: 'fail', technology: 'LD', reason: 'EYES_CLOSED' });
      await drive.comeBack(flow.location);
    }
    const view = await drive.view(created.id);
    expect(view.status).toBe('FAILED');
    expect(view.statusReason).toContain('LIVENESS_FAILED');
    expect(view.signers[0].status).toBe('FAILED');
    expect(view.signers[0].identity).toMatchObject({ status: 'FAILED', failedAttempts: 2, maxAttempts: 2 });
    const page = await drive.http.get(drive.path(link)).expect(200);
    expect(page.text).toContain('data-state="finished"');
    const sign = await drive.http.post(`${drive.path(link)}/sign`);
    expect(sign.status).toBe(409);
    const events = (await drive.webhookEvents(created.id)).map((e) => e.type);
    expect(events.filter((e) => e === 'signer.identity_failed')).toHaveLength(2);
    expect(events).toEqual(expect.arrayContaining(['signer.failed', 'envelope.failed']));
    // No Cloud EDS session was ever made for this signer.
    expect(view.signers[0].rounds).toEqual([]);
  });

  describe('bad input: a 4xx with a code, nothing written', () => {
    async function attempt(identity: unknown) {
      const before = (await t.db.query(`SELECT count(*)::int AS n FROM envelope`)) as { n: number }[];
      const res = await drive.http
        .post('/v1/envelopes')
        .set(drive.auth())
        .send({
          title: 'Bad',
          documents: [{ name: 'a.pdf', contentBase64: (await makePdf()).toString('base64') }],
          signers: [{ fullName: 'Әлиев Нұрлан', iin: '900101300126', phone: '77011234567', identity }],
          send: true,
        });
      const after = (await t.db.query(`SELECT count(*)::int AS n FROM envelope`)) as { n: number }[];
      expect(after[0].n).toBe(before[0].n);
      return res;
    }

    it.each([
      ['an unknown check', { checks: ['liveness', 'retina'] }, 400, 'VALIDATION_FAILED', /checks: each must be one of liveness, face2face, edocument/],
      ['no checks', { checks: [] }, 400, 'VALIDATION_FAILED', /checks/],
      ['an unknown document type', { checks: ['edocument'], edocumentType: 'library_card' }, 400, 'VALIDATION_FAILED', /edocumentType: one of identity_card/],
      ['face2face with no reference', { checks: ['liveness', 'face2face'] }, 422, 'IDENTITY_REFERENCE_MISSING', /face2face needs a reference face/],
      ['a photo that is not an image', { checks: ['face2face'], photoBase64: Buffer.from('%PDF-1.7 not a face').toString('base64') }, 415, 'IDENTITY_PHOTO_INVALID', /JPEG or PNG/],
      ['a photo that is not base64', { checks: ['face2face'], photoBase64: '***' }, 415, 'IDENTITY_PHOTO_INVALID', /base64/],
      ['a photo over the cap', { checks: ['face2face'], photoBase64: Buffer.alloc(2 * 1024 * 1024 + 10, 0xff).toString('base64') }, 413, 'IDENTITY_PHOTO_TOO_LARGE', /larger than 2 MB/],
      ['a document type without the edocument check', { checks: ['liveness'], edocumentType: 'passport' }, 422, 'IDENTITY_INVALID', /only used with the "edocument" check/],
    ])('%s', async (_label, identity, status, code, message) => {
      const res = await attempt(identity);
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(res.body.error.message).toMatch(message);
    });
  });
});

describe('identity before signing: the outcome from polling alone', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ SANDBOX_ENABLED: 'true', IDENTITY_POLL_SECONDS: '1' });
  });
  afterAll(() => t.close());

  it('keys set as `kezek org kyc set` does, a flow with no webhook URL, no return: the background poll asks the result API', async () => {
    const organisation = await createOrganisation(t, 'Insurer');
    // The organisation's own flow (made in the sandbox cabinet without a webhook URL), configured by hand.
    const cabinetFlow = await t.app.get(SandboxKycAccountsService).createFlow({ name: 'Liveness', technologies: 'LD' });
    await t.app.get(KycCredentialsService).set(organisation.id, { backendApiKey: cabinetFlow.backendApiKey, flows: [{ technologies: ['LD'], apiKey: cabinetFlow.apiKey }] });
    const drive = new IdentityDriver(t, organisation);
    const created = await drive.envelope({ checks: ['liveness'] });
    const flow = await drive.pressSign(created.signers[0].link!);
    await drive.http.post(`/sandbox/automation/flows/${flow.sessionId}/complete`).set('x-api-key', cabinetFlow.apiKey).send({ outcome: 'fail', technology: 'LD', reason: 'FACE_NOT_FOUND' }).expect(200);
    const view = await drive.waitForIdentity(created.id, 'PENDING');
    expect(view.signers[0].identity).toMatchObject({ failedAttempts: 1 });
    expect(view.signers[0].identity!.attempts[0]).toMatchObject({ status: 'FAILED', failureReason: 'LIVENESS_FAILED' });
    const audit = await drive.http.get(`/v1/envelopes/${created.id}/audit`).set(drive.auth()).expect(200);
    const failed = audit.body.events.find((e: { type: string }) => e.type === 'identity.failed');
    expect(failed.data.trigger).toBe('poll');
  });

  it('the sandbox sends technology.start / technology.end to a flow’s webhook URL, after the state they announce', async () => {
    const received: Record<string, unknown>[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push(JSON.parse(body) as Record<string, unknown>);
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const cabinetFlow = await t.app.get(SandboxKycAccountsService).createFlow({ name: 'Liveness and face', technologies: 'LD,F2F', webhookUrl: `http://127.0.0.1:${port}/hooks` });
      const client = new FlowClient({ baseUrl: `${t.baseUrl}/sandbox/kyc`, flowUrl: `${t.baseUrl}/sandbox/remote`, apiKey: cabinetFlow.apiKey, timeoutMs: 30_000, retry: { attempts: 1, baseDelayMs: 10 } });
      const { sessionId } = await client.createSession({ face2face: { photo1: facePhotoPng('900101300126').toString('base64') } });
      const complete = await fetch(`${t.baseUrl}/sandbox/automation/flows/${sessionId}/complete`, { method: 'POST', headers: { 'x-api-key': cabinetFlow.apiKey, 'content-type': 'application/json' }, body: '{"outcome":"pass"}' });
      expect(complete.status).toBe(200);
      await until(async () => received.length >= 4, 'four flow webhooks', 120_000);
      expect(received.map((r) => [r.event, (r.data as { technology: string }).technology, r.success])).toEqual([
        ['technology.start', 'LDHP', null],
        ['technology.end', 'LDHP', true],
        ['technology.start', 'F2F', null],
        ['technology.end', 'F2F', true],
      ]);
      for (const body of received) {
        expect(body).toMatchObject({ session_id: sessionId, flow_name: 'Liveness and face' });
        expect(Object.keys(body).sort()).toEqual(['created', 'data', 'event', 'flow_name', 'id', 'metadata', 'session_id', 'success']);
        expect(JSON.stringify(body)).not.toContain('photo1');
      }
    } finally {
      server.close();
    }
  });
});
