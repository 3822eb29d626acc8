/**
 * Webhooks: when a session ends, the organisation's URL gets a JSON event signed with HMAC-SHA256 over
 * "<timestamp>.<body>"; failures are retried with backoff; pending deliveries and sessions survive a restart.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import { configureApp } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config/app-config.js';
import { checkWebhookSignature } from '../../src/cloud-eds/webhook-signature.js';
import { CloudEdsClient } from '../../src/cloud-eds/cloud-eds.client.js';
import { type TestApp, TEST_SECRETS_KEY } from '../support/app.js';
import { freshIin, makePdf, PHONE, sandboxClient, sandboxOrganisation, startSandboxApp } from './support.js';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A local receiver that answers `failFirst` requests with 500, then 200. */
async function receiver(failFirst = 0): Promise<{ url: string; received: Received[]; next: () => Promise<Received>; close: () => Promise<void> }> {
  const received: Received[] = [];
  const waiting: ((r: Received) => void)[] = [];
  let failures = failFirst;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(entry);
      waiting.shift()?.(entry);
      res.statusCode = failures-- > 0 ? 500 : 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let seen = 0;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks?src=sandbox`,
    received,
    next: () => (seen < received.length ? Promise.resolve(received[seen++]) : new Promise((resolve) => waiting.push((r) => (seen++, resolve(r))))),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('sandbox webhooks', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startSandboxApp();
  });
  afterAll(() => t.close());

  async function complete(apiKey: string, sessionId: string, body: Record<string, unknown>) {
    const res = await fetch(`${t.baseUrl}/sandbox/automation/sessions/${sessionId}/complete`, { method: 'POST', headers: { 'x-api-key': apiKey, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
  }

  it('posts a signed session.finished event; the signature verifies with the secret', async () => {
    const hooks = await receiver();
    const org = await sandboxOrganisation(t, { webhookUrl: hooks.url });
    const client = sandboxClient(t, org.apiKey);
    const session = await client.createSession({ iin: freshIin(), phone: PHONE });
    await client.uploadDocument({ sessionId: session.sessionId, name: 'a.pdf', file: await makePdf() });
    await complete(org.apiKey, session.sessionId, { outcome: 'sign' });
    const hit = await hooks.next();
    const body = JSON.parse(hit.body);
    expect(body).toEqual({ event: 'session.finished', session_id: session.sessionId, status: 'FINISHED', failure_reason: null, check_id: session.checkId, time: expect.any(String) });
    expect(hit.headers['content-type']).toBe('application/json');
    expect(hit.headers['x-webhook-id']).toMatch(/^[0-9a-f-]{36}$/);
    const signed = { timestamp: hit.headers['x-webhook-timestamp'] as string, signature: hit.headers['x-webhook-signature'] as string, rawBody: Buffer.from(hit.body) };
    expect(checkWebhookSignature({ secret: org.webhookSecret, ...signed })).toBe('valid');
    expect(checkWebhookSignature({ secret: 'whsec_wrong', ...signed })).toBe('invalid');
    await hooks.close();
  });

  it('retries a failed delivery with the same X-Webhook-Id; a canceled session carries its failure_reason', async () => {
    const hooks = await receiver(2);
    const org = await sandboxOrganisation(t, { webhookUrl: hooks.url });
    const client = sandboxClient(t, org.apiKey);
    const session = await client.createSession({ iin: freshIin(), phone: PHONE });
    await complete(org.apiKey, session.sessionId, { outcome: 'cancel', reason: 'f2f' });
    const attempts = [await hooks.next(), await hooks.next(), await hooks.next()];
    expect(new Set(attempts.map((a) => a.headers['x-webhook-id'])).size).toBe(1);
    expect(JSON.parse(attempts[2].body)).toMatchObject({ event: 'session.canceled', status: 'CANCELED', failure_reason: 'FACE2FACE' });
    let deliveries: { state: string; attempts: number }[] = [];
    for (let i = 0; i < 100 && deliveries[0]?.state !== 'delivered'; i++) {
      deliveries = (await (await fetch(`${t.baseUrl}/sandbox/automation/webhook-deliveries`, { headers: { 'x-api-key': org.apiKey } })).json()) as typeof deliveries;
      if (deliveries[0]?.state !== 'delivered') await new Promise((r) => setTimeout(r, 50));
    }
    expect(deliveries[0]).toMatchObject({ state: 'delivered', attempts: 3 });
    await hooks.close();
  });

  it('a restart loses neither a session nor a pending delivery', async () => {
    const hooks = await receiver();
    const org = await sandboxOrganisation(t, { webhookUrl: hooks.url });
    const client = sandboxClient(t, org.apiKey);
    const session = await client.createSession({ iin: freshIin(), phone: PHONE });
    await client.uploadDocument({ sessionId: session.sessionId, name: 'a.pdf', file: await makePdf() });
    // Queue a delivery far in the future, then stop the app with it still pending.
    await complete(org.apiKey, session.sessionId, { outcome: 'sign' });
    await hooks.next();
    const pending = await client.createSession({ iin: freshIin(), phone: PHONE });
    await t.db.query(`UPDATE sandbox.organisation SET webhook_url = 'http://127.0.0.1:9/unreachable' WHERE id = $1`, [org.id]);
    await complete(org.apiKey, pending.sessionId, { outcome: 'cancel', reason: 'otp' });
    await t.db.query(`UPDATE sandbox.webhook_delivery SET url = $2, next_attempt_at = now() + interval '1 hour' WHERE session_id = $1`, [pending.sessionId, hooks.url]);
    await t.app.close();

    // A second app on the same database: the session is there, and the delivery goes out once due.
    const config = loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test', PORT: '0', SECRETS_KEY: TEST_SECRETS_KEY, DATABASE_URL: t.database.url, MIGRATIONS_RUN: 'false', SANDBOX_ENABLED: 'true', SANDBOX_POLL_INTERVAL_MS: '50' });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.register({ config, databaseUrl: t.database.url })] }).compile();
    const app = moduleRef.createNestApplication({ bufferLogs: true });
    configureApp(app, config);
    await app.listen(0, '127.0.0.1');
    const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    // From here on the test app is the restarted one (the first is closed already).
    t.app = app;
    t.baseUrl = baseUrl;
    t.db = app.get(DataSource);
    t.close = async () => {
      await app.close();
      await t.database.drop();
    };
    const restarted = new CloudEdsClient({ baseUrl: `${baseUrl}/sandbox`, signUrl: `${baseUrl}/sandbox/sign`, apiKey: org.apiKey });
    await expect(restarted.getStatus(session.sessionId)).resolves.toMatchObject({ status: 'FINISHED' });
    expect((await restarted.getResult(session.sessionId)).docs[0].sign).toEqual(expect.any(String));
    await t.db.query(`UPDATE sandbox.webhook_delivery SET next_attempt_at = now() WHERE session_id = $1`, [pending.sessionId]);
    const hit = await hooks.next();
    expect(JSON.parse(hit.body)).toMatchObject({ session_id: pending.sessionId, status: 'CANCELED', failure_reason: 'OTHER' });
    await hooks.close();
  });
});
