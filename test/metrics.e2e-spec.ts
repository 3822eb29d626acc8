import request from 'supertest';
import { JobsService } from '../src/jobs/jobs.service.js';
import { MetricsServer } from '../src/metrics/metrics-server.js';
import { WEBHOOK_DELIVERY_QUEUE } from '../src/webhooks/webhooks.service.js';
import { createOrganisation, startTestApp, type TestApp } from './support/app.js';
import { IINS, makePdf } from './support/documents.js';
import { signers, SigningDriver } from './support/signing.js';
import { signAll, verifyFile } from './support/verification.js';

/** The value of one sample of the exposition text, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelText = line.slice(name.length + 1, line.lastIndexOf('}'));
    const found = Object.fromEntries([...labelText.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('metrics: GET /metrics for Prometheus', () => {
  let t: TestApp;
  afterAll(() => t?.close());

  it('counts requests by route pattern, rounds by outcome, provider calls, verifications and waiting jobs', async () => {
    t = await startTestApp({ SANDBOX_ENABLED: 'true', ROUND_POLL_SECONDS: '2' });
    const drive = new SigningDriver(t, await createOrganisation(t, 'Metrics'));
    const pdf = await makePdf('Metrics contract');
    const created = await drive.create({ title: 'Metrics', documents: [{ name: 'contract.pdf', contentBase64: pdf.toString('base64') }], signers: signers(IINS.slice(0, 1)), send: true });
    await signAll(drive, created.id, 1);
    await verifyFile(t, pdf).expect(200);
    await t.app.get(JobsService).send(undefined, WEBHOOK_DELIVERY_QUEUE, { deliveryId: '00000000-0000-4000-8000-000000000000' }, { startAfter: new Date(Date.now() + 3600_000) });

    const res = await request(t.app.getHttpServer()).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.text;
    expect(sample(text, 'kezek_http_request_duration_seconds_count', { method: 'POST', route: '/v1/envelopes', status: '201' })).toBe(1);
    expect(sample(text, 'kezek_http_request_duration_seconds_count', { method: 'GET', route: '/v1/envelopes/:id', status: '200' })).toBeGreaterThanOrEqual(1);
    // Patterns only: no envelope id, token or query string ever becomes a label.
    expect(text).not.toContain(created.id);
    expect(sample(text, 'kezek_rounds', { outcome: 'finished', reason: '' })).toBe(1);
    const createCalls = text.split('\n').filter((l) => l.startsWith('kezek_provider_call_duration_seconds_count{') && l.includes('code="200"') && /endpoint="POST [^"]*create/.test(l));
    expect(createCalls).toHaveLength(1);
    expect(Number(createCalls[0].split(' ').at(-1))).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'kezek_verification_duration_seconds_count', { match: 'original' })).toBe(1);
    expect(sample(text, 'kezek_job_queue_depth', { queue: WEBHOOK_DELIVERY_QUEUE, state: 'created' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'kezek_job_queue_oldest_age_seconds', { queue: WEBHOOK_DELIVERY_QUEUE })).toBeGreaterThanOrEqual(0);
    expect(text).toMatch(/^kezek_process_cpu_seconds_total /m);
  });

  it('with METRICS_PORT serves them on that port only, and with METRICS_TOKEN only to its bearer', async () => {
    const token = 'a-metrics-token-of-some-length';
    const other = await startTestApp({ METRICS_PORT: '0', METRICS_TOKEN: token });
    try {
      await request(other.app.getHttpServer()).get('/metrics').expect(404);
      const port = other.app.get(MetricsServer).port();
      expect(port).toBeGreaterThan(0);
      const url = `http://127.0.0.1:${port}/metrics`;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer wrong-token-of-the-same-size' } })).status).toBe(401);
      const ok = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('# TYPE kezek_http_request_duration_seconds histogram');
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    } finally {
      await other.close();
    }
  });

  it('asks for the token on the API port when METRICS_TOKEN is set', async () => {
    const token = 'another-metrics-token-123';
    const other = await startTestApp({ METRICS_TOKEN: token });
    try {
      const refused = await request(other.app.getHttpServer()).get('/metrics').expect(401);
      expect(refused.body.error.code).toBe('UNAUTHENTICATED');
      await request(other.app.getHttpServer()).get('/metrics').set('authorization', `Bearer ${token}`).expect(200);
    } finally {
      await other.close();
    }
  });
});
