/**
 * Contract of the identity APIs (guides 001 Flow Remote and 004 E-Document), driven through FlowClient and
 * EDocumentClient. Runs against the sandbox always, and against the real hosts when KYC_BASE_URL and
 * KYC_FLOW_API_KEY are set (KYC_FLOW_URL for the pages; KYC_BACKEND_API_KEY with KYC_TEST_IIN and
 * KYC_TEST_PHONE for E-Document, which sends a real SMS). What needs a person (passing the flow, reading the
 * OTP) runs against the sandbox only, through its automation endpoints.
 */
import { EDocumentClient } from '../src/kyc/edocument/edocument.client.js';
import { FlowClient } from '../src/kyc/flows/flow.client.js';
import { KycError } from '../src/kyc/kyc.errors.js';
import { EDOCUMENT_ERRORS, EDOCUMENT_ERROR_KINDS } from '../src/kyc/kyc-errors.js';
import { KYC_HOSTS } from '../src/config/app-config.js';
import type { TestApp } from './support/app.js';
import { freshIin, PHONE, startSandboxApp } from './sandbox/support.js';
import { completeFlow, edocumentClient, flowClient, otpOf, sandboxFlow } from './kyc/support.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** 004's error table exactly as the guide writes it (kept literal here, apart from the code under test). */
const GUIDE_ERROR_TABLE: [number, string][] = [
  [404, 'Subject not found in CMDB'],
  [503, 'Can`t connect to e-document service'],
  [503, 'EDocument service is not available now'],
  [504, 'Could not send request to e-document service'],
  [424, 'Government service error'],
  [404, 'Profile is not found'],
  [400, 'Invalid IIN'],
  [400, 'EDocument for this session has already been received'],
  [400, 'Client does not have access to E-Document technology'],
  [400, 'You have already requested a document for this session'],
  [400, 'You have not sent a request for access to an e-document'],
  [400, 'Subscription has not started'],
  [400, 'No active or future subscription for technology'],
  [400, 'Client does not have subscription'],
];

async function failure(promise: Promise<unknown>): Promise<KycError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KycError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

interface Target {
  flow: FlowClient;
  /** Technologies the flow's key was made for, as the API returns them, when known. */
  technologies?: string[];
  edocument?: EDocumentClient;
  iin(): string;
  phone: string;
}

/** What every host must honour without a person passing anything. */
function commonContract(target: () => Target): void {
  it('creates a session (with and without metadata): a UUID session_id and an ordered list of technologies', async () => {
    const { flow, technologies, iin } = target();
    const plain = await flow.createSession();
    expect(plain.sessionId).toMatch(UUID);
    expect(plain.technologies.length).toBeGreaterThan(0);
    if (technologies) expect(plain.technologies).toEqual(technologies);
    const withMetadata = await flow.createSession({ extra: { iin: iin() }, general: { interchangeableTech: [] } });
    expect(withMetadata.sessionId).toMatch(UUID);
    expect(withMetadata.sessionId).not.toBe(plain.sessionId);
  });

  it('answers the result of an unfinished session as {} (null)', async () => {
    const { flow } = target();
    const { sessionId } = await flow.createSession();
    await expect(flow.getResult(sessionId)).resolves.toBeNull();
  });

  it('refuses a report of a session nobody passed with a 4xx, never a 5xx', async () => {
    const { flow, iin } = target();
    const { sessionId } = await flow.createSession({ extra: { iin: iin() } });
    const error = await failure(flow.getReport(sessionId, 'F2F'));
    expect(error.status).toBeGreaterThanOrEqual(400);
    expect(error.status).toBeLessThan(500);
  });

  it('refuses an unknown flow key with a 4xx', async () => {
    const { flow } = target();
    const stranger = new FlowClient({ baseUrl: flow.baseUrl, flowUrl: flow.flowUrl, apiKey: `flw_0000000000_${'A'.repeat(43)}`, retry: { attempts: 1, baseDelayMs: 10 } });
    const error = await failure(stranger.createSession());
    expect(error.status).toBeGreaterThanOrEqual(400);
    expect(error.status).toBeLessThan(500);
  });

  it('E-Document: an IIN with a wrong check digit is "Invalid IIN"', async () => {
    const { edocument, phone } = target();
    if (!edocument) return;
    const error = await failure(edocument.request('identity_card', { iin: '123456789012', phone }));
    expect([error.kind, error.status, error.providerMessage]).toEqual(['INVALID_IIN', 400, 'Invalid IIN']);
  });
}

const realBaseUrl = process.env.KYC_BASE_URL;
const realFlowKey = process.env.KYC_FLOW_API_KEY;
const realConfigured = Boolean(realBaseUrl && realFlowKey);
if (!realConfigured) {
  process.stdout.write('Identity contract: the run against the real hosts is SKIPPED (set KYC_BASE_URL and KYC_FLOW_API_KEY to run it)\n');
}

(realConfigured ? describe : describe.skip)(
  realConfigured ? `Identity contract against the real hosts (${realBaseUrl})` : 'Identity contract against the real hosts: SKIPPED (KYC_BASE_URL and KYC_FLOW_API_KEY not set)',
  () => {
    const options = { baseUrl: realBaseUrl ?? '', timeoutMs: 30_000, retry: { attempts: 3, baseDelayMs: 500 } };
    const backend = process.env.KYC_BACKEND_API_KEY;
    const withEDocument = Boolean(backend && process.env.KYC_TEST_IIN && process.env.KYC_TEST_PHONE);
    commonContract(() => ({
      flow: new FlowClient({ ...options, flowUrl: process.env.KYC_FLOW_URL ?? KYC_HOSTS.flowUrl, apiKey: realFlowKey ?? '' }),
      edocument: withEDocument ? new EDocumentClient({ ...options, backendApiKey: backend ?? '' }) : undefined,
      iin: () => process.env.KYC_TEST_IIN ?? freshIin(),
      phone: process.env.KYC_TEST_PHONE ?? PHONE,
    }));
  },
);

describe('Identity contract against the sandbox', () => {
  let t: TestApp;
  let target: Target;
  let keys: { apiKey: string; backendApiKey: string };
  beforeAll(async () => {
    t = await startSandboxApp();
    keys = await sandboxFlow(t, 'LD,ED,F2F');
    target = { flow: flowClient(t, keys.apiKey), technologies: ['LDHP', 'ED', 'F2F'], edocument: edocumentClient(t, keys.backendApiKey), iin: () => freshIin(), phone: PHONE };
  });
  afterAll(() => t.close());

  commonContract(() => target);

  it('the shared table is the guide\'s table, row for row', () => {
    expect(EDOCUMENT_ERROR_KINDS.map((kind) => [EDOCUMENT_ERRORS[kind].status, EDOCUMENT_ERRORS[kind].text])).toEqual(GUIDE_ERROR_TABLE);
  });

  it('a passed flow: result with every technology, the E-Document owner, reports for LDHP and F2F, the video', async () => {
    const iin = freshIin();
    const { sessionId } = await target.flow.createSession({ edocument: { iin: { value: iin, changeable: false }, phone: { value: PHONE, changeable: false }, skipInput: true }, extra: { iin } });
    expect((await completeFlow(t, keys.apiKey, sessionId, { outcome: 'pass' })).status).toBe(200);
    const result = await target.flow.waitForResult(sessionId, { timeoutMs: 5_000, firstDelayMs: 50 });
    expect(result).toMatchObject({ passed: true, liveness: { result: true }, face2face: { result: true }, edocument: { documentType: 'identity_card', owner: { iin } } });
    expect((await target.flow.getReport(sessionId, 'LDHP')).length).toBeGreaterThan(1000);
    expect((await target.flow.downloadLivenessVideo(sessionId)).bytes.length).toBeGreaterThan(1000);
  }, 120_000);

  it('E-Document: request, OTP, approve; then "already received"', async () => {
    const edocument = target.edocument!;
    const { backendSessionId } = await edocument.request('birth_certificate', { iin: freshIin(), phone: PHONE });
    const code = await otpOf(t, keys.backendApiKey, backendSessionId);
    await expect(edocument.approve({ backendSessionId, code, file: false, fileType: 'pdf' })).resolves.toMatchObject({ documentType: 'birth_certificate', documentPdf: null });
    expect((await failure(edocument.approve({ backendSessionId, code, file: false, fileType: 'pdf' }))).kind).toBe('ALREADY_RECEIVED');
  });
});
