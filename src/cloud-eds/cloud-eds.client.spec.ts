import { inspect } from 'node:util';
import { CloudEdsClient, parseSignRedirect, providerMessageOf } from './cloud-eds.client.js';
import { CloudEdsError } from './cloud-eds.errors.js';
import { PROVIDER_ERRORS, PROVIDER_ERROR_KINDS, providerErrorKindOf } from './provider-errors.js';

/** A scripted provider: each call takes the next answer (a Response, or an Error to throw). */
function scripted(answers: (Response | Error | (() => Promise<Response>))[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchFn = (async (url: URL | string, init: RequestInit = {}) => {
    calls.push({ url: String(url), init });
    const next = answers.shift();
    if (!next) throw new Error('no more scripted answers');
    if (next instanceof Error) throw next;
    if (typeof next === 'function') return next();
    return next;
  }) as typeof fetch;
  return { fetchFn, calls };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const KEY = 'secret-provider-key-123';

function client(fetchFn: typeof fetch, options: Partial<ConstructorParameters<typeof CloudEdsClient>[0]> = {}) {
  return new CloudEdsClient({ baseUrl: 'https://dev.b-key.kz/', signUrl: 'https://dev.b-key.kz/sign', apiKey: KEY, retry: { attempts: 3, baseDelayMs: 1 }, fetch: fetchFn, ...options });
}

async function failure(promise: Promise<unknown>): Promise<CloudEdsError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CloudEdsError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('CloudEdsClient', () => {
  it('creates a session at the guide path with x-api-key and the documented body', async () => {
    const { fetchFn, calls } = scripted([json(200, { session_id: 's1', created_at: '2024-01-01T00:00', check_id: 'c1' })]);
    await expect(client(fetchFn).createSession({ iin: '900101300123', phone: '77011234567', documentType: 'xml' })).resolves.toEqual({
      sessionId: 's1',
      createdAt: '2024-01-01T00:00',
      checkId: 'c1',
    });
    expect(calls[0].url).toBe('https://dev.b-key.kz/api/v1/session/create/');
    expect(calls[0].init.method).toBe('POST');
    expect((calls[0].init.headers as Record<string, string>)['x-api-key']).toBe(KEY);
    expect(JSON.parse(calls[0].init.body as string)).toEqual({ iin: '900101300123', phone: '77011234567', document_type: 'xml' });
  });

  it('uploads as multipart with session_id, name and file', async () => {
    const { fetchFn, calls } = scripted([json(200, { id: 'd1', name: 'a.pdf', sign: null, created_at: 'x', updated_at: 'y' })]);
    await client(fetchFn).uploadDocument({ sessionId: 's1', name: 'a.pdf', file: new Uint8Array([1, 2, 3]) });
    const form = calls[0].init.body as FormData;
    expect(form.get('session_id')).toBe('s1');
    expect(form.get('name')).toBe('a.pdf');
    expect(Buffer.from(await (form.get('file') as Blob).arrayBuffer())).toEqual(Buffer.from([1, 2, 3]));
  });

  it.each(PROVIDER_ERROR_KINDS)('maps the table row %s by status and text', async (kind) => {
    const row = PROVIDER_ERRORS[kind];
    const { fetchFn } = scripted([json(row.status, { detail: row.text }), json(row.status, { detail: row.text }), json(row.status, { detail: row.text })]);
    const error = await failure(client(fetchFn, { retry: { attempts: 1, baseDelayMs: 1 } }).getStatus('s1'));
    expect([error.kind, error.status, error.providerMessage, error.retryable]).toEqual([kind, row.status, row.text, row.status === 503]);
  });

  it('tells "Document file(s) not found" from "… on server", in any body shape', () => {
    expect(providerErrorKindOf(404, 'Document file(s) not found')).toBe('DOCUMENTS_NOT_FOUND');
    expect(providerErrorKindOf(404, 'Document file(s) not found on server')).toBe('DOCUMENT_FILES_NOT_FOUND_ON_SERVER');
    expect(providerErrorKindOf(404, 'session not found.')).toBe('SESSION_NOT_FOUND');
    expect(providerErrorKindOf(409, 'Session not found')).toBeUndefined();
    expect(providerMessageOf('{"message":"Session not found"}')).toBe('Session not found');
    expect(providerMessageOf('{"detail":[{"msg":"field required"}]}')).toBe('field required');
    expect(providerMessageOf('Session not found')).toBe('Session not found');
  });

  it('retries a GET on 503 and on dropped connections, then succeeds', async () => {
    const { fetchFn, calls } = scripted([
      json(503, { detail: 'Digital service signature is not available' }),
      new TypeError('fetch failed'),
      json(200, { session_id: 's1', status: 'PROCESS', failure_reason: null }),
    ]);
    await expect(client(fetchFn).getStatus('s1')).resolves.toEqual({ sessionId: 's1', status: 'PROCESS', failureReason: null });
    expect(calls).toHaveLength(3);
    expect(calls[0].url).toBe('https://dev.b-key.kz/api/v1/session/status/?session_id=s1');
  });

  it('retries a POST only on 503 "Digital service signature is not available"', async () => {
    const unavailable = scripted([json(503, { detail: 'Digital service signature is not available' }), json(200, { session_id: 's', check_id: 'c', created_at: 't' })]);
    await expect(client(unavailable.fetchFn).createSession({ iin: '1', phone: '7' })).resolves.toMatchObject({ sessionId: 's' });
    expect(unavailable.calls).toHaveLength(2);
    const dropped = scripted([new TypeError('fetch failed'), json(200, {})]);
    expect((await failure(client(dropped.fetchFn).createSession({ iin: '1', phone: '7' }))).kind).toBe('NETWORK');
    expect(dropped.calls).toHaveLength(1);
    const gateway = scripted([json(502, { detail: 'Bad gateway' }), json(200, {})]);
    expect((await failure(client(gateway.fetchFn).createSession({ iin: '1', phone: '7' }))).kind).toBe('SERVER_ERROR');
    expect(gateway.calls).toHaveLength(1);
  });

  it('gives up after the configured attempts', async () => {
    const { fetchFn, calls } = scripted([new TypeError('x'), new TypeError('x'), new TypeError('x'), json(200, {})]);
    expect((await failure(client(fetchFn).getResult('s1'))).kind).toBe('NETWORK');
    expect(calls).toHaveLength(3);
  });

  it('times out a call that does not answer', async () => {
    const hanging = (async (_url: URL | string, init: RequestInit = {}) =>
      new Promise<Response>((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))) as typeof fetch;
    const error = await failure(client(hanging, { timeoutMs: 20, retry: { attempts: 1, baseDelayMs: 1 } }).getStatus('s1'));
    expect([error.kind, error.retryable]).toEqual(['TIMEOUT', true]);
  });

  it('refuses answers that are not what the guide describes', async () => {
    const { fetchFn } = scripted([json(200, { status: 'WEIRD' }), new Response('<html>', { status: 200 }), new Response('{}', { status: 200 })]);
    const c = client(fetchFn, { retry: { attempts: 1, baseDelayMs: 1 } });
    expect((await failure(c.getStatus('s1'))).kind).toBe('UNEXPECTED_RESPONSE');
    expect((await failure(c.getResult('s1'))).kind).toBe('UNEXPECTED_RESPONSE');
    expect((await failure(c.downloadArchive('s1'))).kind).toBe('UNEXPECTED_RESPONSE');
  });

  it('reads the base64 archive in the shapes a provider may use', async () => {
    const content = Buffer.from('%PDF-1.4').toString('base64');
    const { fetchFn, calls } = scripted([json(200, { docs: [{ id: 'd1', name: 'a.pdf', base64_file: content }] }), json(200, [{ id: 'd2', name: 'b.pdf', file: content }])]);
    const c = client(fetchFn);
    expect(await c.downloadArchiveBase64('s1')).toEqual([{ id: 'd1', name: 'a.pdf', content: new Uint8Array(Buffer.from('%PDF-1.4')) }]);
    expect((await c.downloadArchiveBase64('s1'))[0].id).toBe('d2');
    expect(calls[0].url).toBe('https://dev.b-key.kz/api/v1/session/result/download/?session_id=s1&in_base64=true');
  });

  it('builds sign URLs for dev and prod hosts and reads the redirect back', () => {
    const dev = client(scripted([]).fetchFn).signUrl({ sessionId: 's1', redirectUrl: 'https://google.com?test=test', language: 'kz' });
    expect(dev).toBe('https://dev.b-key.kz/sign?session=s1&redirect_url=https%3A%2F%2Fgoogle.com%3Ftest%3Dtest&language=kz&theme=0');
    const prod = client(scripted([]).fetchFn, { signUrl: 'https://remote.b-key.kz/sign' }).signUrl({ sessionId: 's1', redirectUrl: 'https://x.kz', language: 'en', theme: 1 });
    expect(prod.startsWith('https://remote.b-key.kz/sign?session=s1&')).toBe(true);
    expect(parseSignRedirect('https://x.kz/back?status=true&reason=None')).toEqual({ success: true, reason: null });
    expect(parseSignRedirect('https://x.kz/back?status=False&reason=otp')).toEqual({ success: false, reason: 'otp' });
    expect(parseSignRedirect('https://x.kz/back')).toBeUndefined();
  });

  it('never shows the API key: not in inspect, JSON or error messages', async () => {
    const { fetchFn } = scripted([json(404, { detail: 'organization api-key not found' })]);
    const c = client(fetchFn, { retry: { attempts: 1, baseDelayMs: 1 } });
    expect(inspect(c, { depth: 5 })).not.toContain(KEY);
    expect(JSON.stringify(c)).not.toContain(KEY);
    const error = await failure(c.getStatus('s1'));
    expect(`${error.message} ${inspect(error)}`).not.toContain(KEY);
  });
});
