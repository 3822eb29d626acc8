import fc from 'fast-check';
import { createOrganisation, startTestApp, type TestApp } from '../support/app.js';
import { IINS, makePdf } from '../support/documents.js';
import { fuzzOptions, hostileBytes } from './fuzz-settings.js';

/**
 * The HTTP parsers in front of the services, fed random and mutated requests over the real stack:
 * multipart uploads to the public verification, and JSON bodies to every DTO that takes one. Each answer
 * is a 2xx or a 4xx with a code, never a 5xx. Fixed seed; more inputs with `npm run fuzz`.
 */
describe('fuzz: HTTP bodies', () => {
  let t: TestApp;
  let key: string;
  let pdf: Buffer;

  beforeAll(async () => {
    t = await startTestApp({ VERIFY_RATE_LIMIT_PER_MINUTE: '10000', MAX_DOCUMENT_BYTES: String(256 * 1024) });
    ({ key } = await createOrganisation(t, 'Fuzz'));
    pdf = await makePdf('Fuzz');
  });
  afterAll(() => t?.close());

  const expectHandled = async (response: Response) => {
    const body = await response.text();
    expect(response.status).toBeLessThan(500);
    if (response.status >= 400) expect(JSON.parse(body)).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  };

  it('POST /v1/verify: any file, name and part headers', async () => {
    await fc.assert(
      fc.asyncProperty(hostileBytes([pdf]), fc.string({ maxLength: 300 }), fc.constantFrom('file', 'files', 'FILE', ''), async (bytes, name, field) => {
        const form = new FormData();
        form.append(field, new Blob([bytes]), name);
        await expectHandled(await fetch(`${t.baseUrl}/v1/verify`, { method: 'POST', body: form }));
      }),
      fuzzOptions(40),
    );
  });

  it('POST /v1/verify: malformed multipart bodies', async () => {
    const good = Buffer.from('--b\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 x\r\n--b--\r\n');
    await fc.assert(
      fc.asyncProperty(hostileBytes([good]), fc.constantFrom('multipart/form-data; boundary=b', 'multipart/form-data', 'multipart/form-data; boundary=', 'application/pdf'), async (body, type) => {
        await expectHandled(await fetch(`${t.baseUrl}/v1/verify`, { method: 'POST', headers: { 'content-type': type }, body }));
      }),
      fuzzOptions(40),
    );
  });

  const validEnvelope = () => ({
    title: 'Fuzz contract',
    documents: [{ name: 'a.pdf', contentBase64: pdf.toString('base64') }],
    signers: [{ fullName: 'Әлиев Нұрлан', iin: IINS[0], phone: '+7 701 100 10 20' }],
  });

  /** Any JSON value, or the valid body with one field replaced by any JSON value. */
  const jsonBodies = (valid: Record<string, unknown>) =>
    fc.oneof(
      fc.jsonValue(),
      fc.tuple(fc.constantFrom(...Object.keys(valid)), fc.jsonValue()).map(([field, value]) => ({ ...valid, [field]: value })),
      fc.tuple(fc.string({ maxLength: 20 }), fc.jsonValue()).map(([field, value]) => ({ ...valid, [field]: value })),
    );

  it.each([
    ['POST', '/v1/envelopes', () => validEnvelope()],
    ['POST', '/v1/webhook-endpoints', () => ({ url: 'https://example.com/hook', events: ['envelope.completed'] })],
    ['POST', '/v1/api-keys', () => ({ label: 'fuzz' })],
  ] as const)('%s %s: any JSON body', async (method, path, valid) => {
    await fc.assert(
      fc.asyncProperty(jsonBodies(valid()), async (body) => {
        await expectHandled(await fetch(`${t.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }));
      }),
      fuzzOptions(40),
    );
  });

  it('malformed JSON text is a 400', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (text) => {
        await expectHandled(await fetch(`${t.baseUrl}/v1/webhook-endpoints`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: `{${text}` }));
      }),
      fuzzOptions(40),
    );
  });
});
