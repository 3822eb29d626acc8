/**
 * The identity sandbox (Flow Remote, E-Document) through the typed clients, over real HTTP and PostgreSQL:
 * sessions with metadata, the result ({} until the flow is over), automation, the 10-minute lifetime, the
 * liveness video, signed PDF reports (checked with poppler's pdfsig against the sandbox CA), and E-Document
 * with its OTP and every row of the guide's error table.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EDOCUMENT_TYPE_NAMES } from '../../src/kyc/edocument/edocument.types.js';
import { KycError } from '../../src/kyc/kyc.errors.js';
import { EDOCUMENT_ERRORS, EDOCUMENT_ERROR_KINDS } from '../../src/kyc/kyc-errors.js';
import { facePhotoPng } from '../../src/sandbox/kyc/domain/images.js';
import { SandboxClock } from '../../src/sandbox/sandbox-clock.js';
import { SandboxPeopleService } from '../../src/sandbox/sandbox-people.service.js';
import type { TestApp } from '../support/app.js';
import { freshIin, PHONE, startSandboxApp, workDir } from '../sandbox/support.js';
import { completeFlow, edocumentClient, flowClient, otpOf, sandboxFlow } from './support.js';

const run = promisify(execFile);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function failure(promise: Promise<unknown>): Promise<KycError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KycError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('identity sandbox: Flow Remote and E-Document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startSandboxApp();
  });
  afterAll(() => t.close());

  it('creates a session with metadata; the result is {} until the flow is over, then carries every technology', async () => {
    const flow = await sandboxFlow(t, 'LD,F2F');
    expect(flow.technologies).toEqual(['LD', 'F2F']);
    expect(flow.apiKey.length).toBeGreaterThanOrEqual(47);
    const client = flowClient(t, flow.apiKey);
    const iin = freshIin();
    const created = await client.createSession({ face2face: { photo1: facePhotoPng(iin).toString('base64') }, extra: { iin } });
    expect(created.sessionId).toMatch(UUID);
    expect(created.technologies).toEqual(['LDHP', 'F2F']);
    expect(client.personUrl(created.sessionId, { redirect: 'https://example.com/back', locale: 'ru', webView: true })).toBe(
      `${t.baseUrl}/sandbox/remote/flow/${created.sessionId}?redirect=https%3A%2F%2Fexample.com%2Fback&locale=ru&web_view=true`,
    );
    await expect(client.getResult(created.sessionId)).resolves.toBeNull();

    const completed = await completeFlow(t, flow.apiKey, created.sessionId, { outcome: 'pass' });
    expect(completed.status).toBe(200);
    const result = await client.waitForResult(created.sessionId, { timeoutMs: 2_000, firstDelayMs: 50 });
    expect(result).toMatchObject({
      id: created.sessionId,
      passed: true,
      failureReasons: [],
      liveness: { result: true, failureReason: null },
      face2face: { result: true, predictionPercent: 97.3 },
    });
    expect(result!.technologies.map((x) => x.code)).toEqual(['LDHP', 'F2F']);
  });

  it('fails the chosen technology with its reason; the steps before it pass', async () => {
    const flow = await sandboxFlow(t, 'LD,F2F');
    const client = flowClient(t, flow.apiKey);
    const { sessionId } = await client.createSession();
    const response = await completeFlow(t, flow.apiKey, sessionId, { outcome: 'fail', technology: 'F2F', reason: 'FACE_MISMATCH' });
    expect(response.status).toBe(200);
    const result = await client.getResult(sessionId);
    expect(result).toMatchObject({ passed: false, failureReasons: ['FACE2FACE'], liveness: { result: true }, face2face: { result: false } });
    // Finished sessions cannot be completed again.
    expect((await completeFlow(t, flow.apiKey, sessionId, { outcome: 'pass' })).status).toBe(400);
  });

  it('answers the liveness video and a PAdES-signed report per technology that pdfsig reads and trusts via the sandbox CA', async () => {
    const flow = await sandboxFlow(t, 'LD,F2F');
    const client = flowClient(t, flow.apiKey);
    const iin = freshIin();
    const { sessionId } = await client.createSession({ face2face: { photo1: facePhotoPng(iin).toString('base64') }, extra: { iin } });
    expect((await failure(client.getReport(sessionId, 'LDHP'))).kind).toBe('REPORT_NOT_AVAILABLE');
    await completeFlow(t, flow.apiKey, sessionId, { outcome: 'pass' });

    const video = await client.downloadLivenessVideo(sessionId);
    expect(video.contentType).toContain('video/x-yuv4mpeg');
    expect(Buffer.from(video.bytes.subarray(0, 10)).toString('ascii')).toBe('YUV4MPEG2 ');

    const dir = workDir();
    const nss = join(dir, 'nss');
    await run('mkdir', ['-p', nss]);
    writeFileSync(join(dir, 'ca.pem'), await t.app.get(SandboxPeopleService).caPem());
    await run('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']).catch(() => undefined);
    const trusted = await run('certutil', ['-A', '-d', `sql:${nss}`, '-n', 'sandbox-ca', '-t', 'CT,C,C', '-i', join(dir, 'ca.pem')]).then(
      () => true,
      () => false,
    );
    for (const technology of ['LDHP', 'F2F'] as const) {
      const pdf = await client.getReport(sessionId, technology);
      const file = join(dir, `${technology}.pdf`);
      writeFileSync(file, pdf);
      const { stdout } = await run('pdfsig', trusted ? ['-nssdir', `sql:${nss}`, file] : [file]);
      expect(stdout).toContain('Signature #1');
      expect(stdout).toContain('Kezek Sandbox KYC reports');
      expect(stdout).toContain('ETSI.CAdES.detached');
      expect(stdout).toContain('Signature is Valid');
      expect(stdout).toContain('Total document signed');
      if (trusted) expect(stdout).toContain('Certificate is Trusted');
    }
    expect((await failure(client.getReport(sessionId, 'LDD'))).kind).toBe('REPORT_NOT_AVAILABLE');
  });

  it('refuses a report without extra.iin, and unknown keys and sessions', async () => {
    const flow = await sandboxFlow(t, 'LD');
    const client = flowClient(t, flow.apiKey);
    const { sessionId } = await client.createSession();
    await completeFlow(t, flow.apiKey, sessionId, { outcome: 'pass' });
    const missing = await failure(client.getReport(sessionId, 'LDHP'));
    expect([missing.kind, missing.status, missing.providerMessage]).toEqual(['REPORT_IIN_MISSING', 400, 'IIN was not passed in session metadata']);
    expect((await failure(flowClient(t, `flw_0123456789_${'x'.repeat(43)}`).createSession())).kind).toBe('FLOW_NOT_FOUND');
    const other = await sandboxFlow(t, 'LD');
    expect((await failure(flowClient(t, other.apiKey).getResult(sessionId))).kind).toBe('FLOW_SESSION_NOT_FOUND');
  });

  it('refuses photo1 that is not a JPEG/PNG or over the cap, and a bad extra.iin, with 400 and nothing created', async () => {
    const flow = await sandboxFlow(t, 'LD,F2F');
    const post = (metadata: unknown) =>
      fetch(`${t.baseUrl}/sandbox/kyc/api/v1/flows/session/create/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ api_key: flow.apiKey, metadata }) });
    const count = async () => Number((await t.db.query(`SELECT count(*) AS n FROM sandbox.kyc_flow_session`))[0].n);
    const before = await count();
    const notImage = await post({ face2face: { photo1: Buffer.from('%PDF-1.7 not a photo').toString('base64') } });
    expect(notImage.status).toBe(400);
    expect(await notImage.json()).toEqual({ detail: 'metadata.face2face.photo1: expected a JPEG or PNG image' });
    const big = await post({ face2face: { photo1: Buffer.alloc(6 * 1024 * 1024, 0xff).toString('base64') } });
    expect(big.status).toBe(400);
    expect((await post({ extra: { iin: '123' } })).status).toBe(400);
    expect(await count()).toBe(before);
  });

  it('a flow session lives 10 minutes: then the page says so, steps are refused and the result says EXPIRED', async () => {
    const flow = await sandboxFlow(t, 'LD,F2F');
    const client = flowClient(t, flow.apiKey);
    const { sessionId } = await client.createSession();
    const clock = t.app.get(SandboxClock);
    clock.advance(9 * 60_000);
    expect((await fetch(client.personUrl(sessionId))).status).toBe(200);
    clock.advance(60_000 + 1_000);
    try {
      const page = await fetch(client.personUrl(sessionId, { locale: 'en' }));
      expect(page.status).toBe(410);
      expect(await page.text()).toContain('The session has expired (10 minutes at most)');
      expect((await completeFlow(t, flow.apiKey, sessionId, { outcome: 'pass' })).status).toBe(400);
      await expect(client.getResult(sessionId)).resolves.toMatchObject({ passed: false, failureReasons: ['EXPIRED'] });
    } finally {
      clock.reset();
    }
  });

  it('E-Document: the request "sends" an OTP from 1414; approve checks it once and answers the document with its PDF', async () => {
    const flow = await sandboxFlow(t, 'LD,ED,F2F');
    const client = edocumentClient(t, flow.backendApiKey);
    const iin = freshIin(false);
    const { backendSessionId } = await client.request('identity_card', { iin, phone: PHONE });
    expect(backendSessionId).toMatch(UUID);
    const inbox = await (await fetch(`${t.baseUrl}/sandbox/remote/inbox?phone=${PHONE}&locale=en`)).text();
    const code = await otpOf(t, flow.backendApiKey, backendSessionId);
    expect(code).toMatch(/^\d{6}$/);
    expect(inbox).toContain(code);
    expect(inbox).toContain('1414');

    const wrong = await failure(client.approve({ backendSessionId, code: code === '000000' ? '111111' : '000000', file: true, fileType: 'pdf' }));
    expect([wrong.kind, wrong.status]).toEqual(['INVALID_CODE', 400]);
    const document = await client.approve({ backendSessionId, code, file: true, fileType: 'pdf' });
    expect(document.documentType).toBe('identity_card');
    expect(document.gender).toBe('female');
    expect(document.resultJson).toMatchObject({ common: { docOwner: { iin } } });
    expect(Buffer.from(document.documentPdf!, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(document.documentImage).toBeNull();
    expect(Buffer.from(document.facePhoto!, 'base64').subarray(1, 4).toString('latin1')).toBe('PNG');
    const again = await failure(client.approve({ backendSessionId, code, file: false, fileType: 'pdf' }));
    expect([again.kind, again.status, again.providerMessage]).toEqual(['ALREADY_RECEIVED', 400, EDOCUMENT_ERRORS.ALREADY_RECEIVED.text]);
    const files = await client.generateFiles(backendSessionId);
    expect(Buffer.from(files.documentPdf!, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(Buffer.from(files.documentImage!, 'base64').subarray(1, 4).toString('latin1')).toBe('PNG');
  }, 120_000);

  it('E-Document: natural errors (not requested, invalid IIN, subject not in MCDB, unknown type)', async () => {
    const flow = await sandboxFlow(t, 'ED');
    const client = edocumentClient(t, flow.backendApiKey);
    const notRequested = await failure(client.approve({ backendSessionId: '3fa85f64-5717-4562-b3fc-2c963f66afa6', code: '123456', file: false, fileType: 'pdf' }));
    expect(notRequested.kind).toBe('NOT_REQUESTED');
    expect((await failure(client.request('identity_card', { iin: '123456789012', phone: PHONE }))).kind).toBe('INVALID_IIN');
    const mcdb = await failure(client.request('identity_card', { iin: freshIin(), phone: '7011234567' }));
    expect([mcdb.kind, mcdb.status]).toEqual(['SUBJECT_NOT_FOUND', 404]);
    const unknownType = await fetch(`${t.baseUrl}/sandbox/kyc/api/v1/backend/e-document/online-access/request/selfie/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ api_key: flow.backendApiKey, iin: freshIin(), phone: PHONE }),
    });
    expect(unknownType.status).toBe(400);
  });

  it('every row of the E-Document error table can be provoked per client, with its status and exact text', async () => {
    const flow = await sandboxFlow(t, 'ED');
    const other = await sandboxFlow(t, 'ED');
    const client = edocumentClient(t, flow.backendApiKey);
    for (const kind of EDOCUMENT_ERROR_KINDS) {
      const set = await fetch(`${t.baseUrl}/sandbox/automation/edocument/faults`, {
        method: 'POST',
        headers: { 'x-api-key': flow.backendApiKey, 'content-type': 'application/json' },
        body: JSON.stringify({ error: kind, count: 1, endpoint: 'request' }),
      });
      expect(set.status).toBe(200);
      const error = await failure(client.request('identity_card', { iin: freshIin(), phone: PHONE }));
      expect([error.kind, error.status, error.providerMessage]).toEqual([kind, EDOCUMENT_ERRORS[kind].status, EDOCUMENT_ERRORS[kind].text]);
    }
    // Used up, and never another client's.
    await expect(client.request('identity_card', { iin: freshIin(), phone: PHONE })).resolves.toMatchObject({ backendSessionId: expect.stringMatching(UUID) });
    await expect(edocumentClient(t, other.backendApiKey).request('identity_card', { iin: freshIin(), phone: PHONE })).resolves.toBeDefined();
  });

  it('document types over HTTP answer a realistic document with the owner and its own part (all 24: edocument-data.spec)', async () => {
    const flow = await sandboxFlow(t, 'ED');
    const client = edocumentClient(t, flow.backendApiKey);
    expect(EDOCUMENT_TYPE_NAMES).toHaveLength(24);
    const iin = freshIin();
    for (const type of ['driver_license', 'tech_passport', 'attorney'] as const) {
      const { backendSessionId } = await client.request(type, { iin, phone: PHONE });
      // Files are checked in the test above (each takes a rendered PDF or picture); here the JSON of every type.
      const document = await client.approve({ backendSessionId, code: await otpOf(t, flow.backendApiKey, backendSessionId), file: false, fileType: 'pdf' });
      expect(document.documentType).toBe(type);
      expect(document.resultJson).toMatchObject({ common: { docOwner: { iin } }, document: { type: { code: type }, number: expect.stringMatching(/^\d+$/) } });
      expect(document.resultJson[type]).toEqual(expect.any(Object));
      expect(document.documentPdf).toBeNull();
    }
  }, 120_000);
});
