import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { SecretBox } from '../src/common/crypto/secret-box.js';
import { ConfigError, loadConfig } from '../src/config/app-config.js';
import { WebhookDeliveryWorker } from '../src/webhooks/webhook-delivery.worker.js';
import { WebhookEndpoint } from '../src/webhooks/webhook-endpoint.entity.js';
import { WebhooksService, type EmitOptions } from '../src/webhooks/webhooks.service.js';
import type { WebhookEventType } from '../src/webhooks/domain/webhook-event-types.js';
import { createOrganisation, startTestApp, type TestApp } from './support/app.js';

/** Polls until `check` holds; the bound is generous and only there so a broken run ends. */
async function until<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on loopback whose answer depends on the path. */
class Receiver {
  readonly received: Received[] = [];
  private server: Server;
  private flakyFailures = 2;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        this.received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        if (path === '/ok') return void res.writeHead(204).end();
        if (path === '/flaky') {
          if (this.flakyFailures-- > 0) return void res.writeHead(500).end('not yet');
          return void res.writeHead(200).end('thanks');
        }
        if (path === '/moved') return void res.writeHead(302, { location: '/ok?from=moved' }).end();
        res.writeHead(503, { 'content-type': 'text/plain' }).end('x'.repeat(5000));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function emitter(t: TestApp) {
  const webhooks = t.app.get(WebhooksService);
  return async (organisationId: string, type: WebhookEventType, data: object, options?: EmitOptions) => {
    const emitted = await t.db.transaction((manager) => webhooks.emit(manager, organisationId, type, data, options));
    webhooks.wakeDeliveries();
    return emitted;
  };
}

describe('webhook endpoints with production settings', () => {
  let t: TestApp;
  let acme: { id: string; key: string };
  let globex: { id: string; key: string };

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_RETRY_LIMIT: '0' });
    acme = await createOrganisation(t, 'Acme');
    globex = await createOrganisation(t, 'Globex');
  });
  afterAll(() => t.close());

  const http = () => request(t.app.getHttpServer());
  const as = (org: { key: string }) => ({ Authorization: `Bearer ${org.key}` });
  const register = (body: object, org = acme) => http().post('/v1/webhook-endpoints').set(as(org)).send(body);

  it('registers an https endpoint and shows its secret only once', async () => {
    const created = await register({ url: 'https://93.184.215.14/kezek', description: 'billing', events: ['envelope.completed', 'signer.*'] }).expect(201);
    expect(created.body).toMatchObject({ url: 'https://93.184.215.14/kezek', description: 'billing', events: ['envelope.completed', 'signer.*'], enabled: true, disabledAt: null });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(() => new Webhook(created.body.secret)).not.toThrow();

    const got = await http().get(`/v1/webhook-endpoints/${created.body.id}`).set(as(acme)).expect(200);
    expect(got.body.secret).toBeUndefined();
    const listed = await http().get('/v1/webhook-endpoints').set(as(acme)).expect(200);
    expect(listed.body.map((e: { id: string }) => e.id)).toContain(created.body.id);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');

    // Stored sealed, not in clear.
    const [row] = await t.db.query(`SELECT secret_sealed FROM webhook_endpoint WHERE id = $1`, [created.body.id]);
    expect(row.secret_sealed).toMatch(/^v1\./);
    expect(row.secret_sealed).not.toContain(created.body.secret.slice(6));
  });

  it.each([
    ['http://127.0.0.1/hook', 'WEBHOOK_URL_INVALID', /https/],
    ['http://169.254.169.254/latest/meta-data', 'WEBHOOK_URL_INVALID', /https/],
    ['http://10.0.0.1/hook', 'WEBHOOK_URL_INVALID', /https/],
    ['https://127.0.0.1/hook', 'WEBHOOK_URL_FORBIDDEN', /loopback/],
    ['https://169.254.169.254/latest/meta-data', 'WEBHOOK_URL_FORBIDDEN', /link-local/],
    ['https://10.0.0.1/hook', 'WEBHOOK_URL_FORBIDDEN', /private/],
    ['https://172.20.1.1/hook', 'WEBHOOK_URL_FORBIDDEN', /private/],
    ['https://192.168.1.10/hook', 'WEBHOOK_URL_FORBIDDEN', /private/],
    ['https://100.64.0.1/hook', 'WEBHOOK_URL_FORBIDDEN', /cgnat/],
    ['https://0.0.0.0/hook', 'WEBHOOK_URL_FORBIDDEN', /unspecified/],
    ['https://[::1]/hook', 'WEBHOOK_URL_FORBIDDEN', /loopback/],
    ['https://[::ffff:127.0.0.1]/hook', 'WEBHOOK_URL_FORBIDDEN', /loopback/],
    ['https://[fe80::1]/hook', 'WEBHOOK_URL_FORBIDDEN', /link-local/],
    ['https://[fd00::1]/hook', 'WEBHOOK_URL_FORBIDDEN', /unique-local/],
    ['https://2130706433/hook', 'WEBHOOK_URL_FORBIDDEN', /loopback/],
    ['https://localhost/hook', 'WEBHOOK_URL_FORBIDDEN', /localhost resolves to .* loopback/],
    ['https://user:secret@93.184.215.14/hook', 'WEBHOOK_URL_INVALID', /credentials/],
    ['https://no-such-host.invalid/hook', 'WEBHOOK_URL_UNRESOLVABLE', /does not resolve/],
    ['not a url', 'WEBHOOK_URL_INVALID', /absolute/],
  ])('refuses %s', async (url, code, message) => {
    const res = await register({ url }).expect(code === 'WEBHOOK_URL_INVALID' ? 400 : 422);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(message);
  });

  it('refuses unknown event types and fields with a 400 naming them', async () => {
    const unknownEvent = await register({ url: 'https://93.184.215.14/a', events: ['envelope.opened'] }).expect(400);
    expect(unknownEvent.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('events') });
    const unknownField = await register({ url: 'https://93.184.215.14/a', secret: 'mine' }).expect(400);
    expect(unknownField.body.error.message).toMatch(/secret/);
    await register({}).expect(400);
  });

  it('updates, disables, rotates the secret of and deletes an endpoint', async () => {
    const created = await register({ url: 'https://93.184.215.14/first' }).expect(201);
    const id = created.body.id as string;
    const refused = await http().patch(`/v1/webhook-endpoints/${id}`).set(as(acme)).send({ url: 'https://10.1.2.3/' }).expect(422);
    expect(refused.body.error.code).toBe('WEBHOOK_URL_FORBIDDEN');

    const patched = await http().patch(`/v1/webhook-endpoints/${id}`).set(as(acme)).send({ url: 'https://93.184.215.14/second', events: ['round.*'], enabled: false }).expect(200);
    expect(patched.body).toMatchObject({ url: 'https://93.184.215.14/second', events: ['round.*'], enabled: false, disabledAt: expect.any(String) });
    const enabled = await http().patch(`/v1/webhook-endpoints/${id}`).set(as(acme)).send({ enabled: true }).expect(200);
    expect(enabled.body).toMatchObject({ enabled: true, disabledAt: null });

    const rotated = await http().post(`/v1/webhook-endpoints/${id}/rotate-secret`).set(as(acme)).expect(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.body.secret);

    await http().delete(`/v1/webhook-endpoints/${id}`).set(as(acme)).expect(200);
    const gone = await http().get(`/v1/webhook-endpoints/${id}`).set(as(acme)).expect(404);
    expect(gone.body.error.code).toBe('WEBHOOK_ENDPOINT_NOT_FOUND');
    const listed = await http().get('/v1/webhook-endpoints').set(as(acme)).expect(200);
    expect(listed.body.map((e: { id: string }) => e.id)).not.toContain(id);
    const [row] = await t.db.query(`SELECT secret_sealed FROM webhook_endpoint WHERE id = $1`, [id]);
    expect(row.secret_sealed).toBeNull();
  });

  it("answers 404 for another organisation's endpoint and delivery", async () => {
    const created = await register({ url: 'https://93.184.215.14/acme' }).expect(201);
    const id = created.body.id as string;
    for (const call of [
      http().get(`/v1/webhook-endpoints/${id}`),
      http().patch(`/v1/webhook-endpoints/${id}`).send({ enabled: false }),
      http().delete(`/v1/webhook-endpoints/${id}`),
      http().post(`/v1/webhook-endpoints/${id}/rotate-secret`),
      http().get(`/v1/webhook-endpoints/${id}/deliveries`),
    ]) {
      const res = await call.set(as(globex)).expect(404);
      expect(res.body.error.code).toBe('WEBHOOK_ENDPOINT_NOT_FOUND');
    }
    const own = await http().get(`/v1/webhook-endpoints/${id}`).set(as(acme)).expect(200);
    expect(own.body.enabled).toBe(true);
    const globexList = await http().get('/v1/webhook-endpoints').set(as(globex)).expect(200);
    expect(globexList.body).toEqual([]);
  });

  it('checks the address again at delivery time and refuses a host that now resolves to loopback', async () => {
    // Its own organisation: the other endpoints here point at a public address and must never be sent to.
    const org = await createOrganisation(t, 'Rebound');
    // An endpoint row as it would look after its DNS name was re-pointed to a private address.
    const now = new Date();
    const endpoint = await t.db.getRepository(WebhookEndpoint).save({
      organisationId: org.id,
      url: 'https://localhost:9/rebound',
      description: '',
      eventTypes: [],
      secretSealed: new SecretBox(t.config.secretsKey).seal(`whsec_${randomBytes(32).toString('base64')}`),
      enabled: true,
      createdAt: now,
      updatedAt: now,
      disabledAt: null,
      deletedAt: null,
    });
    const { deliveryIds } = await emitter(t)(org.id, 'envelope.expired', { reason: 'deadline' });
    expect(deliveryIds).toHaveLength(1);
    const delivery = await until(async () => {
      const res = await http().get(`/v1/webhook-deliveries/${deliveryIds[0]}`).set(as(org)).expect(200);
      return res.body.status === 'failed' ? res.body : undefined;
    }, 'the delivery to the rebound host to fail');
    expect(delivery.endpointId).toBe(endpoint.id);
    expect(delivery.attempts).toHaveLength(1);
    expect(delivery.attempts[0]).toMatchObject({ statusCode: null, error: expect.stringMatching(/localhost resolves to .* loopback/) });
    const foreign = await http().get(`/v1/webhook-deliveries/${deliveryIds[0]}`).set(as(globex)).expect(404);
    expect(foreign.body.error.code).toBe('WEBHOOK_DELIVERY_NOT_FOUND');
  });

  it('documents the endpoints and shows that the secret is shown once', async () => {
    const res = await http().get('/docs/openapi.json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/v1/webhook-endpoints', '/v1/webhook-endpoints/{id}', '/v1/webhook-endpoints/{id}/rotate-secret', '/v1/webhook-endpoints/{id}/deliveries', '/v1/webhook-deliveries/{id}', '/v1/envelopes/{id}/audit']),
    );
    expect(res.body.components.schemas.WebhookEndpointWithSecretDto.properties.secret.description).toMatch(/Shown once/);
    expect(res.body.paths['/v1/webhook-endpoints'].post.security).toEqual([{ bearer: [] }]);
  });

  it('refuses the development switch in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', WEBHOOKS_ALLOW_PRIVATE: 'true', DATABASE_URL: 'postgres://x/y', SECRETS_KEY: randomBytes(32).toString('base64'), TRUST_ANCHORS_FILE: 'nca.pem' })).toThrow(ConfigError);
  });
});

describe('webhook deliveries to a local receiver (WEBHOOKS_ALLOW_PRIVATE=true)', () => {
  let t: TestApp;
  let globex: { id: string; key: string };
  /** Each test's own organisation, so that endpoints registered by other tests never receive its events. */
  let acme: { id: string; key: string };
  let orgs = 0;
  const receiver = new Receiver();
  let emit: ReturnType<typeof emitter>;

  beforeAll(async () => {
    await receiver.start();
    t = await startTestApp({ WEBHOOKS_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_LIMIT: '2', WEBHOOK_RETRY_DELAY_SECONDS: '1', WEBHOOK_TIMEOUT_MS: '5000' });
    globex = await createOrganisation(t, 'Globex');
    emit = emitter(t);
  });
  beforeEach(async () => {
    acme = await createOrganisation(t, `Acme ${++orgs}`);
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  const http = () => request(t.app.getHttpServer());
  const as = (org: { key: string }) => ({ Authorization: `Bearer ${org.key}` });
  const register = async (path: string, events: string[], org = acme) =>
    (await http().post('/v1/webhook-endpoints').set(as(org)).send({ url: receiver.url(path), events }).expect(201)).body as { id: string; secret: string };
  const delivery = async (id: string) => (await http().get(`/v1/webhook-deliveries/${id}`).set(as(acme)).expect(200)).body;
  const settled = (id: string) =>
    until(async () => {
      const body = await delivery(id);
      return body.status !== 'pending' ? body : undefined;
    }, `delivery ${id} to settle`);

  it('delivers a signed event that the receiver verifies with the standardwebhooks package, and audits it', async () => {
    const endpoint = await register('/ok', ['envelope.*']);
    const envelopeId = randomUUID();
    const data = { envelopeId, title: 'Lease', status: 'IN_PROGRESS' };
    const { eventId, deliveryIds } = await emit(acme.id, 'envelope.sent', data, { envelopeId });
    expect(deliveryIds).toHaveLength(1);

    const done = await settled(deliveryIds[0]);
    expect(done).toMatchObject({ status: 'delivered', attemptCount: 1, lastStatusCode: 204, eventId, eventType: 'envelope.sent', envelopeId, deliveredAt: expect.any(String) });
    expect(done.attempts).toEqual([expect.objectContaining({ attempt: 1, statusCode: 204, error: null })]);

    const [hit] = receiver.at('/ok').filter((r) => r.headers['webhook-id'] === eventId);
    const verified = new Webhook(endpoint.secret).verify(hit.body, hit.headers as Record<string, string>) as { type: string; timestamp: string; data: object };
    expect(verified).toEqual({ type: 'envelope.sent', timestamp: done.createdAt, data });
    expect(hit.headers['content-type']).toBe('application/json');
    expect(() => new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(hit.body, hit.headers as Record<string, string>)).toThrow(/signature/);

    const trail = await http().get(`/v1/envelopes/${envelopeId}/audit`).set(as(acme)).expect(200);
    expect(trail.body.chainValid).toBe(true);
    expect(trail.body.events.map((e: { type: string }) => e.type)).toEqual(['webhook.queued', 'webhook.delivered']);
    expect(trail.body.events[1].data).toMatchObject({ deliveryId: deliveryIds[0], endpointId: endpoint.id, eventId, attempt: 1, statusCode: 204 });
  });

  it('sends an event only to enabled endpoints subscribed to its type, and nothing when the transaction rolls back', async () => {
    const org = acme;
    const signed = await register('/ok', ['signer.signed'], org);
    const everything = await register('/ok', [], org);
    const disabled = await register('/ok', [], org);
    await http().patch(`/v1/webhook-endpoints/${disabled.id}`).set(as(org)).send({ enabled: false }).expect(200);

    const sent = await emit(org.id, 'envelope.completed', { n: 1 });
    const endpointsOf = async (ids: string[]) =>
      Promise.all(ids.map(async (id) => (await http().get(`/v1/webhook-deliveries/${id}`).set(as(org)).expect(200)).body.endpointId));
    expect(await endpointsOf(sent.deliveryIds)).toEqual([everything.id]);
    const both = await emit(org.id, 'signer.signed', { n: 2 });
    expect((await endpointsOf(both.deliveryIds)).sort()).toEqual([signed.id, everything.id].sort());

    const webhooks = t.app.get(WebhooksService);
    let rolledBackEvent = '';
    await expect(
      t.db.transaction(async (manager) => {
        rolledBackEvent = (await webhooks.emit(manager, org.id, 'signer.signed', { n: 3 })).eventId;
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM webhook_delivery WHERE event_id = $1`, [rolledBackEvent]);
    expect(count).toBe(0);
  });

  it('retries a receiver that fails twice: three attempts listed, delivered once', async () => {
    const endpoint = await register('/flaky', ['signer.activated']);
    const { eventId, deliveryIds } = await emit(acme.id, 'signer.activated', { link: 'https://kezek.example/s/abc' });
    const done = await settled(deliveryIds[0]);
    expect(done).toMatchObject({ status: 'delivered', attemptCount: 3, lastStatusCode: 200, lastError: null });
    expect(done.attempts.map((a: { attempt: number; statusCode: number }) => [a.attempt, a.statusCode])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    expect(done.attempts[0]).toMatchObject({ error: 'HTTP 500', responseExcerpt: 'not yet' });
    const hits = receiver.at('/flaky');
    expect(hits).toHaveLength(3);
    // The same webhook-id every time, so the receiver can deduplicate; each attempt freshly signed.
    expect(new Set(hits.map((h) => h.headers['webhook-id']))).toEqual(new Set([eventId]));
    for (const hit of hits) expect(() => new Webhook(endpoint.secret).verify(hit.body, hit.headers as Record<string, string>)).not.toThrow();

    const page = await http().get(`/v1/webhook-endpoints/${endpoint.id}/deliveries`).set(as(acme)).expect(200);
    expect(page.body).toEqual({ items: [expect.objectContaining({ id: deliveryIds[0], status: 'delivered', attemptCount: 3 })], nextCursor: null });
  });

  it('does not send a delivered delivery again when its job runs twice (endpoint named by host name)', async () => {
    await http().post('/v1/webhook-endpoints').set(as(acme)).send({ url: `http://localhost:${receiver.port}/ok`, events: ['envelope.declined'] }).expect(201);
    const { eventId, deliveryIds } = await emit(acme.id, 'envelope.declined', { reason: 'signer declined' });
    await settled(deliveryIds[0]);
    const before = receiver.at('/ok').filter((r) => r.headers['webhook-id'] === eventId).length;
    await t.app.get(WebhookDeliveryWorker).deliver(deliveryIds[0], { id: randomUUID(), retryCount: 0 });
    expect(receiver.at('/ok').filter((r) => r.headers['webhook-id'] === eventId)).toHaveLength(before);
    expect(before).toBe(1);
    expect((await delivery(deliveryIds[0])).attemptCount).toBe(1);
  });

  it('marks a delivery failed after the retry limit, keeping at most 1 KB of each answer, and audits every attempt', async () => {
    await register('/down', ['envelope.failed']);
    const envelopeId = randomUUID();
    const { deliveryIds } = await emit(acme.id, 'envelope.failed', { envelopeId }, { envelopeId });
    const done = await settled(deliveryIds[0]);
    expect(done).toMatchObject({ status: 'failed', attemptCount: 3, lastStatusCode: 503, lastError: 'HTTP 503', nextAttemptAt: null, deliveredAt: null });
    expect(done.attempts).toHaveLength(3);
    for (const attempt of done.attempts) expect(attempt.responseExcerpt).toBe('x'.repeat(1024));

    const trail = await http().get(`/v1/envelopes/${envelopeId}/audit`).set(as(acme)).expect(200);
    expect(trail.body.chainValid).toBe(true);
    expect(trail.body.events.map((e: { type: string; data: { willRetry?: boolean } }) => [e.type, e.data.willRetry])).toEqual([
      ['webhook.queued', undefined],
      ['webhook.failed', true],
      ['webhook.failed', true],
      ['webhook.failed', false],
    ]);
  });

  it('does not follow redirects', async () => {
    await register('/moved', ['round.rejected']);
    const { deliveryIds } = await emit(acme.id, 'round.rejected', { reason: 'IIN mismatch' });
    const done = await settled(deliveryIds[0]);
    expect(done).toMatchObject({ status: 'failed', lastStatusCode: 302 });
    expect(receiver.received.filter((r) => r.path === '/ok?from=moved')).toEqual([]);
  });

  it('pages through deliveries newest first with a cursor', async () => {
    const endpoint = await register('/ok', ['round.canceled']);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(...(await emit(acme.id, 'round.canceled', { i })).deliveryIds);
    const seen: { id: string; createdAt: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: Record<string, string> = { limit: '2', ...(cursor ? { cursor } : {}) };
      const res = await http().get(`/v1/webhook-endpoints/${endpoint.id}/deliveries`).query(query).set(as(acme)).expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    // Every delivery exactly once, newest first (events emitted within one millisecond tie on time).
    expect(seen.map((d) => d.id).sort()).toEqual([...ids].sort());
    const times = seen.map((d) => Date.parse(d.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const bad = await http().get(`/v1/webhook-endpoints/${endpoint.id}/deliveries`).query({ cursor: 'garbage' }).set(as(acme)).expect(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    await http().get(`/v1/webhook-endpoints/${endpoint.id}/deliveries`).query({ limit: '0' }).set(as(acme)).expect(400);
    const foreign = await http().get(`/v1/webhook-deliveries/${ids[0]}`).set(as(globex)).expect(404);
    expect(foreign.body.error.code).toBe('WEBHOOK_DELIVERY_NOT_FOUND');
  });

  it('accepts http and loopback targets only because of the development switch', async () => {
    const res = await http().post('/v1/webhook-endpoints').set(as(acme)).send({ url: 'http://localhost:1/dev' }).expect(201);
    expect(res.body.url).toBe('http://localhost:1/dev');
    const multicast = await http().post('/v1/webhook-endpoints').set(as(acme)).send({ url: 'http://224.0.0.1/x' }).expect(422);
    expect(multicast.body.error.message).toMatch(/multicast/);
  });
});
