/**
 * Contract of the Cloud EDS API (provider guide 003), driven through CloudEdsClient.
 * Runs against the sandbox always, and against the real provider's dev host when CLOUD_EDS_BASE_URL and
 * CLOUD_EDS_API_KEY point there (with CLOUD_EDS_TEST_IIN / CLOUD_EDS_TEST_PHONE for a real test subject).
 * Parts that need a person to sign (no automation exists on the real host) run against the sandbox only.
 */
import { unzipSync } from 'fflate';
import { CloudEdsClient } from '../src/cloud-eds/cloud-eds.client.js';
import { CloudEdsError } from '../src/cloud-eds/cloud-eds.errors.js';
import { PROVIDER_ERRORS, PROVIDER_ERROR_KINDS } from '../src/cloud-eds/provider-errors.js';
import { SandboxClock } from '../src/sandbox/sandbox-clock.js';
import { SandboxOrganisationsService } from '../src/sandbox/sandbox-organisations.service.js';
import type { TestApp } from './support/app.js';
import { freshIin, makePdf, opensslVerifyOutput, PHONE, sandboxClient, sandboxOrganisation, startSandboxApp, workDir, XML } from './sandbox/support.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The error texts exactly as the guide's table writes them (kept literal here, apart from the code under test). */
const GUIDE_ERROR_TABLE: [number, string][] = [
  [403, 'Verification not passed'],
  [404, 'Organization not found'],
  [404, 'organization api-key not found'],
  [404, 'Session not found'],
  [404, 'Liveness session not found'],
  [404, 'F2F session not found'],
  [404, 'Subject not found in MCDB'],
  [404, 'Certificate not found'],
  [404, 'Document file(s) not found'],
  [404, 'Document file(s) not found on server'],
  [409, "You don't have access to these session actions"],
  [409, 'Could not send request to edocument service'],
  [503, 'Digital service signature is not available'],
];

async function failure(promise: Promise<unknown>): Promise<CloudEdsError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CloudEdsError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

interface Target {
  client: CloudEdsClient;
  /** A client with a key the provider does not know. */
  unknownKeyClient: CloudEdsClient;
  iin(): string;
  phone: string;
  /** A random session id nobody created. */
  unknownSessionId: string;
}

/** The part of the contract every provider host must honour, without anyone signing. */
function commonContract(target: () => Target): void {
  it('creates a session: session_id, created_at, check_id; status STARTED', async () => {
    const { client, iin, phone } = target();
    const session = await client.createSession({ iin: iin(), phone, documentType: 'pdf' });
    expect(session.sessionId).toMatch(UUID);
    expect(session.checkId).toMatch(UUID);
    expect(Number.isNaN(Date.parse(session.createdAt))).toBe(false);
    await expect(client.getStatus(session.sessionId)).resolves.toMatchObject({ status: 'STARTED', failureReason: null });
  });

  it('uploads as form-data and as base64: id, name, sign null, created_at, updated_at; result lists both unsigned', async () => {
    const { client, iin, phone } = target();
    const session = await client.createSession({ iin: iin(), phone });
    const pdf = await makePdf('Contract');
    const multipart = await client.uploadDocument({ sessionId: session.sessionId, name: 'contract.pdf', file: pdf });
    const base64 = await client.uploadDocumentBase64({ sessionId: session.sessionId, name: 'annex.pdf', file: pdf });
    for (const [doc, name] of [[multipart, 'contract.pdf'], [base64, 'annex.pdf']] as const) {
      expect(doc).toMatchObject({ id: expect.stringMatching(UUID), name, sign: null });
      expect(Number.isNaN(Date.parse(doc.createdAt))).toBe(false);
      expect(Number.isNaN(Date.parse(doc.updatedAt))).toBe(false);
    }
    const result = await client.getResult(session.sessionId);
    expect(result.sessionId).toBe(session.sessionId);
    expect(result.docs).toEqual([
      { id: multipart.id, name: 'contract.pdf', sign: null },
      { id: base64.id, name: 'annex.pdf', sign: null },
    ]);
  });

  it('creates an xml session and takes well-formed XML', async () => {
    const { client, iin, phone } = target();
    const session = await client.createSession({ iin: iin(), phone, documentType: 'xml' });
    await expect(client.uploadDocument({ sessionId: session.sessionId, name: 'data.xml', file: XML })).resolves.toMatchObject({ sign: null });
  });

  it('answers an unknown session with 404 "Session not found" (status, result, upload)', async () => {
    const { client, unknownSessionId } = target();
    for (const call of [client.getStatus(unknownSessionId), client.getResult(unknownSessionId)]) {
      const error = await failure(call);
      expect([error.kind, error.status, error.providerMessage]).toEqual(['SESSION_NOT_FOUND', 404, 'Session not found']);
      expect(error.retryable).toBe(false);
    }
    const upload = await failure(target().client.uploadDocument({ sessionId: unknownSessionId, name: 'a.pdf', file: await makePdf() }));
    expect(upload.kind).toBe('SESSION_NOT_FOUND');
  });

  it('answers an unknown API key with 404 "organization api-key not found"', async () => {
    const { unknownKeyClient, iin, phone } = target();
    const error = await failure(unknownKeyClient.createSession({ iin: iin(), phone }));
    expect([error.kind, error.status, error.providerMessage]).toEqual(['API_KEY_NOT_FOUND', 404, 'organization api-key not found']);
  });

  it('builds the sign page URL with session, redirect_url, language and theme', () => {
    const { client } = target();
    const url = new URL(client.signUrl({ sessionId: 'abc', redirectUrl: 'https://google.com?test=test', language: 'kz', theme: 0 }));
    expect(url.pathname.endsWith('/sign')).toBe(true);
    expect(Object.fromEntries(url.searchParams)).toEqual({ session: 'abc', redirect_url: 'https://google.com?test=test', language: 'kz', theme: '0' });
  });
}

const realBaseUrl = process.env.CLOUD_EDS_BASE_URL;
const realApiKey = process.env.CLOUD_EDS_API_KEY;
const realConfigured = Boolean(realBaseUrl && realApiKey);
if (!realConfigured) {
  process.stdout.write('Cloud EDS contract: the run against the real provider dev host is SKIPPED (set CLOUD_EDS_BASE_URL and CLOUD_EDS_API_KEY to run it)\n');
}

(realConfigured ? describe : describe.skip)(
  realConfigured ? `Cloud EDS contract against the real provider (${realBaseUrl})` : 'Cloud EDS contract against the real provider dev host: SKIPPED (CLOUD_EDS_BASE_URL and CLOUD_EDS_API_KEY not set)',
  () => {
    const signUrl = process.env.CLOUD_EDS_SIGN_URL ?? 'https://dev.b-key.kz/sign';
    const options = { baseUrl: realBaseUrl ?? '', signUrl, timeoutMs: 30_000, retry: { attempts: 3, baseDelayMs: 500 } };
    commonContract(() => ({
      client: new CloudEdsClient({ ...options, apiKey: realApiKey ?? '' }),
      unknownKeyClient: new CloudEdsClient({ ...options, apiKey: 'kezek-contract-unknown-key' }),
      iin: () => process.env.CLOUD_EDS_TEST_IIN ?? freshIin(),
      phone: process.env.CLOUD_EDS_TEST_PHONE ?? PHONE,
      unknownSessionId: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
    }));
  },
);

describe('Cloud EDS contract against the sandbox', () => {
  let t: TestApp;
  let org: { id: string; apiKey: string };
  let client: CloudEdsClient;
  let automation: (path: string, method: string, body?: unknown) => Promise<Response>;

  beforeAll(async () => {
    t = await startSandboxApp();
    org = await sandboxOrganisation(t, { name: 'Contract Co' });
    client = sandboxClient(t, org.apiKey);
    automation = (path, method, body) =>
      fetch(`${t.baseUrl}/sandbox/automation${path}`, { method, headers: { 'x-api-key': org.apiKey, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  });
  afterAll(() => t.close());
  afterEach(async () => {
    await automation('/faults', 'PUT', { unavailableRate: 0, latencyMs: 0, dropRate: 0, failNext: null });
    t.app.get(SandboxClock).reset();
  });

  commonContract(() => ({
    client,
    unknownKeyClient: sandboxClient(t, 'sbx_0000000000_' + 'A'.repeat(43)),
    iin: () => freshIin(),
    phone: PHONE,
    unknownSessionId: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  }));

  async function signedSession(documentType: 'pdf' | 'xml' = 'pdf') {
    const session = await client.createSession({ iin: freshIin(), phone: PHONE, documentType });
    const file = documentType === 'pdf' ? await makePdf() : XML;
    await client.uploadDocument({ sessionId: session.sessionId, name: `doc.${documentType}`, file });
    const res = await automation(`/sessions/${session.sessionId}/complete`, 'POST', { outcome: 'sign' });
    expect(res.status).toBe(200);
    return session;
  }

  it('a signed session: FINISHED, each doc has a CMS that openssl verifies, the archive is a zip of copies (and base64)', async () => {
    const session = await signedSession();
    await expect(client.getStatus(session.sessionId)).resolves.toEqual({ sessionId: session.sessionId, status: 'FINISHED', failureReason: null });
    const result = await client.getResult(session.sessionId);
    const ca = await (await fetch(`${t.baseUrl}/sandbox/ca.pem`)).text();
    const sign = Buffer.from(result.docs[0].sign!, 'base64');
    expect(opensslVerifyOutput(workDir(), sign, ca)).toBe('CMS Verification successful');
    const zip = unzipSync(await client.downloadArchive(session.sessionId));
    expect(Object.keys(zip)).toEqual(['doc.pdf']);
    expect(Buffer.from(zip['doc.pdf'].subarray(0, 5)).toString()).toBe('%PDF-');
    const copies = await client.downloadArchiveBase64(session.sessionId);
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatchObject({ id: result.docs[0].id, name: 'doc.pdf' });
    expect(Buffer.from(copies[0].content.subarray(0, 5)).toString()).toBe('%PDF-');
  });

  it('statuses: STARTED → PROCESS when the sign page opens → CANCELED with the failure reason', async () => {
    const session = await client.createSession({ iin: freshIin(), phone: PHONE });
    await client.uploadDocument({ sessionId: session.sessionId, name: 'a.pdf', file: await makePdf() });
    const page = await fetch(client.signUrl({ sessionId: session.sessionId, redirectUrl: 'https://example.com/back', language: 'en' }));
    expect(page.status).toBe(200);
    await expect(client.getStatus(session.sessionId)).resolves.toMatchObject({ status: 'PROCESS' });
    for (const [reason, failureReason] of [['lv', 'LIVENESS'], ['f2f', 'FACE2FACE'], ['request', 'EDOCUMENT'], ['otp', 'OTHER']] as const) {
      const other = await client.createSession({ iin: freshIin(), phone: PHONE });
      const res = await (await automation(`/sessions/${other.sessionId}/complete`, 'POST', { outcome: 'cancel', reason, redirectUrl: 'https://example.com/r' })).json();
      expect(res).toMatchObject({ status: 'CANCELED', failure_reason: failureReason, redirect_url: `https://example.com/r?status=False&reason=${reason}` });
      await expect(client.getStatus(other.sessionId)).resolves.toMatchObject({ status: 'CANCELED', failureReason });
    }
  });

  it('a session lives 30 minutes: then it is CANCELED/EXPIRED and takes no upload', async () => {
    const session = await client.createSession({ iin: freshIin(), phone: PHONE });
    t.app.get(SandboxClock).advance(29 * 60_000);
    await expect(client.getStatus(session.sessionId)).resolves.toMatchObject({ status: 'STARTED' });
    t.app.get(SandboxClock).advance(60_000);
    await expect(client.getStatus(session.sessionId)).resolves.toMatchObject({ status: 'CANCELED', failureReason: 'EXPIRED' });
    const error = await failure(client.uploadDocument({ sessionId: session.sessionId, name: 'a.pdf', file: await makePdf() }));
    expect([error.kind, error.status]).toEqual(['ACCESS_DENIED', 409]);
  });

  it('a session cannot be reused: after FINISHED no upload, no second completion', async () => {
    const session = await signedSession();
    const error = await failure(client.uploadDocument({ sessionId: session.sessionId, name: 'b.pdf', file: await makePdf() }));
    expect([error.kind, error.providerMessage]).toEqual(['ACCESS_DENIED', "You don't have access to these session actions"]);
    const again = await (await automation(`/sessions/${session.sessionId}/complete`, 'POST', { outcome: 'cancel', reason: 'closed' })).json();
    expect(again).toMatchObject({ status: 'FINISHED', changed: false });
  });

  it("another organisation's session: 409 \"You don't have access to these session actions\"", async () => {
    const other = await sandboxOrganisation(t, { name: 'Other Co' });
    const session = await sandboxClient(t, other.apiKey).createSession({ iin: freshIin(), phone: PHONE });
    const error = await failure(client.getStatus(session.sessionId));
    expect([error.kind, error.status]).toEqual(['ACCESS_DENIED', 409]);
  });

  it('the file type of the session is enforced by content; a CMS of the right type is accepted', async () => {
    const pdfSession = await client.createSession({ iin: freshIin(), phone: PHONE, documentType: 'pdf' });
    const wrong = await failure(client.uploadDocument({ sessionId: pdfSession.sessionId, name: 'x.pdf', file: XML }));
    expect([wrong.kind, wrong.status]).toEqual(['BAD_REQUEST', 400]);
    const notXml = await failure(client.uploadDocument({ sessionId: (await client.createSession({ iin: freshIin(), phone: PHONE, documentType: 'xml' })).sessionId, name: 'x.xml', file: Buffer.from('<a><b></a>') }));
    expect(notXml.kind).toBe('BAD_REQUEST');
    const signed = await signedSession();
    const cms = Buffer.from((await client.getResult(signed.sessionId)).docs[0].sign!, 'base64');
    await expect(client.uploadDocument({ sessionId: pdfSession.sessionId, name: 'x.pdf', file: cms })).resolves.toMatchObject({ sign: null });
    const xmlSession = await client.createSession({ iin: freshIin(), phone: PHONE, documentType: 'xml' });
    expect((await failure(client.uploadDocument({ sessionId: xmlSession.sessionId, name: 'x.xml', file: cms }))).kind).toBe('BAD_REQUEST');
  });

  it('the dev profile caps a file at 30 KB (both upload forms)', async () => {
    const session = await client.createSession({ iin: freshIin(), phone: PHONE });
    const big = Buffer.concat([Buffer.from(await makePdf()), Buffer.alloc(31 * 1024, 0x20)]);
    for (const upload of [client.uploadDocument.bind(client), client.uploadDocumentBase64.bind(client)]) {
      const error = await failure(upload({ sessionId: session.sessionId, name: 'big.pdf', file: big }));
      expect([error.kind, error.status]).toEqual(['FILE_TOO_LARGE', 413]);
    }
    const fits = Buffer.concat([Buffer.from(await makePdf()), Buffer.alloc(20 * 1024, 0x20)]);
    await expect(client.uploadDocument({ sessionId: session.sessionId, name: 'ok.pdf', file: fits })).resolves.toMatchObject({ sign: null });
  });

  it.each(GUIDE_ERROR_TABLE)('maps the error row %i "%s" to its typed error', async (status, text) => {
    const kind = PROVIDER_ERROR_KINDS.find((k) => PROVIDER_ERRORS[k].text === text)!;
    expect(PROVIDER_ERRORS[kind].status).toBe(status);
    await automation('/faults', 'PUT', { failNext: { error: kind, count: 1, endpoint: 'status' } });
    const session = await client.createSession({ iin: freshIin(), phone: PHONE });
    const error = await failure(client.getStatus(session.sessionId));
    expect([error.kind, error.status, error.providerMessage, error.retryable]).toEqual([kind, status, text, status === 503]);
    await expect(client.getStatus(session.sessionId)).resolves.toMatchObject({ status: 'STARTED' });
  });

  it('rules that produce table rows by themselves: invalid IIN, inactive organisation, verification failed, no documents', async () => {
    const badIin = await failure(client.createSession({ iin: '123456789012', phone: PHONE }));
    expect(badIin.kind).toBe('SUBJECT_NOT_FOUND');
    const empty = await client.createSession({ iin: freshIin(), phone: PHONE });
    expect((await failure(client.getResult(empty.sessionId))).kind).toBe('DOCUMENTS_NOT_FOUND');
    const failed = await client.createSession({ iin: freshIin(), phone: PHONE });
    await client.uploadDocument({ sessionId: failed.sessionId, name: 'a.pdf', file: await makePdf() });
    await automation(`/sessions/${failed.sessionId}/complete`, 'POST', { outcome: 'cancel', reason: 'LIVENESS' });
    expect((await failure(client.getResult(failed.sessionId))).kind).toBe('VERIFICATION_NOT_PASSED');
    const open = await client.createSession({ iin: freshIin(), phone: PHONE });
    await client.uploadDocument({ sessionId: open.sessionId, name: 'a.pdf', file: await makePdf() });
    expect((await failure(client.downloadArchive(open.sessionId))).kind).toBe('ACCESS_DENIED');
    const inactive = await sandboxOrganisation(t, { name: 'Gone Co' });
    await t.app.get(SandboxOrganisationsService).update(inactive.id, { active: false });
    expect((await failure(sandboxClient(t, inactive.apiKey).createSession({ iin: freshIin(), phone: PHONE }))).kind).toBe('ORGANIZATION_NOT_FOUND');
  });

  it('retries a GET through 503 "Digital service signature is not available" with backoff, and a POST too', async () => {
    const retrying = sandboxClient(t, org.apiKey, { retry: { attempts: 3, baseDelayMs: 5 } });
    const session = await retrying.createSession({ iin: freshIin(), phone: PHONE });
    await automation('/faults', 'PUT', { failNext: { error: 'SERVICE_UNAVAILABLE', count: 2, endpoint: 'status' } });
    await expect(retrying.getStatus(session.sessionId)).resolves.toMatchObject({ status: 'STARTED' });
    await automation('/faults', 'PUT', { failNext: { error: 'SERVICE_UNAVAILABLE', count: 1, endpoint: 'create' } });
    await expect(retrying.createSession({ iin: freshIin(), phone: PHONE })).resolves.toMatchObject({ sessionId: expect.stringMatching(UUID) });
    await automation('/faults', 'PUT', { unavailableRate: 1 });
    const error = await failure(retrying.getStatus(session.sessionId));
    expect([error.kind, error.status, error.retryable]).toEqual(['SERVICE_UNAVAILABLE', 503, true]);
  });

  it('does not retry a POST on other errors, nor on a dropped connection', async () => {
    const retrying = sandboxClient(t, org.apiKey, { retry: { attempts: 3, baseDelayMs: 5 } });
    await automation('/faults', 'PUT', { failNext: { error: 'EDOCUMENT_UNAVAILABLE', count: 1, endpoint: 'create' } });
    expect((await failure(retrying.createSession({ iin: freshIin(), phone: PHONE }))).kind).toBe('EDOCUMENT_UNAVAILABLE');
    const faults = (await (await automation('/faults', 'GET')).json()) as { failNext: { count: number } };
    expect(faults.failNext.count).toBe(0);
    await automation('/faults', 'PUT', { dropRate: 1 });
    const dropped = await failure(retrying.createSession({ iin: freshIin(), phone: PHONE }));
    expect([dropped.kind, dropped.status, dropped.retryable]).toEqual(['NETWORK', undefined, true]);
  });

  it('times out a slow answer (added latency) as TIMEOUT', async () => {
    const impatient = sandboxClient(t, org.apiKey, { timeoutMs: 150, retry: { attempts: 1, baseDelayMs: 5 } });
    const session = await client.createSession({ iin: freshIin(), phone: PHONE });
    await automation('/faults', 'PUT', { latencyMs: 2000 });
    const error = await failure(impatient.getStatus(session.sessionId));
    expect([error.kind, error.retryable]).toEqual(['TIMEOUT', true]);
  });
});
