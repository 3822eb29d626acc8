import { createServer, type Server } from 'node:http';
import request from 'supertest';
import { WebhooksService } from '../src/webhooks/webhooks.service.js';
import type { WebhookEventType } from '../src/webhooks/domain/webhook-event-types.js';
import { createOrganisation, startTestApp, type TestApp } from './support/app.js';

/** Polls until `check` holds; the bound is generous and only there so a broken run ends. */
async function until<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, tries = 1200): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** The value of one sample of the Prometheus exposition text (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const found = Object.fromEntries([...line.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

interface Hit {
  path: string;
  eventId: string;
  status: number;
}

/**
 * A receiver on loopback: paths under /silent/ are read and never answered (the sender gives up at its
 * timeout); /switch answers 503 while `down`, else 204; anything else answers 204. It counts the requests
 * open at once, for all silent paths together and per path.
 */
class Receiver {
  readonly hits: Hit[] = [];
  down = true;
  open = 0;
  maxOpen = 0;
  readonly openByPath = new Map<string, number>();
  maxOpenOnOnePath = 0;
  /** The silent requests still open. */
  readonly openHits = new Set<Hit>();
  private server: Server;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const path = req.url ?? '/';
      const eventId = String(req.headers['webhook-id']);
      req.resume();
      if (path.startsWith('/silent/')) {
        const hit = { path, eventId, status: 0 };
        this.openHits.add(hit);
        this.open++;
        this.maxOpen = Math.max(this.maxOpen, this.open);
        const onPath = (this.openByPath.get(path) ?? 0) + 1;
        this.openByPath.set(path, onPath);
        this.maxOpenOnOnePath = Math.max(this.maxOpenOnOnePath, onPath);
        this.hits.push(hit);
        res.on('close', () => {
          this.open--;
          this.openByPath.set(path, this.openByPath.get(path)! - 1);
          this.openHits.delete(hit);
        });
        return;
      }
      const status = path === '/switch' && this.down ? 503 : 204;
      this.hits.push({ path, eventId, status });
      res.writeHead(status).end();
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function emitter(t: TestApp) {
  const webhooks = t.app.get(WebhooksService);
  return async (organisationId: string, type: WebhookEventType, data: object) => {
    const emitted = await t.db.transaction((manager) => webhooks.emit(manager, organisationId, type, data));
    webhooks.wakeDeliveries();
    return emitted;
  };
}

const TIMEOUT_MS = 1000;

/** A test app (webhooks to loopback allowed, attempts time out after TIMEOUT_MS) and a receiver, for one describe block. */
function withReceiver(env: Record<string, string>): { t: TestApp; receiver: Receiver } {
  const context = { t: undefined as unknown as TestApp, receiver: new Receiver() };
  beforeAll(async () => {
    await context.receiver.start();
    context.t = await startTestApp({ WEBHOOKS_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS), ...env });
  });
  afterAll(async () => {
    await context.t.close();
    await context.receiver.stop();
  });
  return context;
}

describe('fair webhook delivery: one organisation cannot hold up another', () => {
  const context = withReceiver({
    WEBHOOK_RETRY_LIMIT: '0',
    WEBHOOK_WORKERS: '8',
    WEBHOOK_ORGANISATION_CONCURRENCY: '4',
    WEBHOOK_ENDPOINT_CONCURRENCY: '1',
    // This test is about fairness: the endpoints that never answer are not paused here.
    WEBHOOK_BREAKER_THRESHOLD: '1000',
  });

  it("delivers B's event within one attempt timeout while A's 20 endpoints never answer, with A limited to 4 calls at once", async () => {
    const { t, receiver } = context;
    const http = () => request(t.app.getHttpServer());
    const metricsBefore = (await http().get('/metrics').expect(200)).text;
    const a = await createOrganisation(t, 'A');
    const b = await createOrganisation(t, 'B');
    for (let i = 0; i < 20; i++) {
      await http().post('/v1/webhook-endpoints').set({ Authorization: `Bearer ${a.key}` }).send({ url: receiver.url(`/silent/${i}`) }).expect(201);
    }
    await http().post('/v1/webhook-endpoints').set({ Authorization: `Bearer ${b.key}` }).send({ url: receiver.url('/b') }).expect(201);
    const emit = emitter(t);

    // 40 deliveries that each hold a connection for the whole timeout: one FIFO of 4 workers needed 10 s for them.
    for (let n = 0; n < 2; n++) expect((await emit(a.id, 'envelope.sent', { n })).deliveryIds).toHaveLength(20);
    await until(() => receiver.open >= 4, "A's first calls");

    // While A's calls hang, their delivery rows are not locked: each was claimed in a transaction that ended
    // before the POST, and its outcome is recorded in another after the answer (here: the timeout). Sending
    // inside a transaction holding the row would make this lock fail. Checked on calls still open afterwards.
    const lockedWhileOpen = await until(async () => {
      const hanging = [...receiver.openHits];
      const ids = await Promise.all(
        hanging.map(async (hit) => {
          const [row] = await t.db.query(`SELECT d.id FROM webhook_delivery d JOIN webhook_endpoint e ON e.id = d.endpoint_id WHERE d.event_id = $1 AND e.url = $2`, [hit.eventId, receiver.url(hit.path)]);
          return row.id as string;
        }),
      );
      const locked = await t.db
        .transaction(async (manager) => {
          await manager.query(`SELECT id FROM webhook_delivery WHERE id = ANY($1::uuid[]) FOR UPDATE NOWAIT`, [ids]);
          return false;
        })
        .catch((error: { code?: string }) => {
          if (error.code !== '55P03') throw error;
          return true;
        });
      return hanging.length === 4 && hanging.every((hit) => receiver.openHits.has(hit)) ? { locked, count: hanging.length } : undefined;
    }, 'a lock attempt while the calls stay open');
    expect(lockedWhileOpen).toEqual({ locked: false, count: 4 });

    const sentAt = performance.now();
    const { eventId } = await emit(b.id, 'signer.activated', { link: 'https://kezek.example/s/x' });
    await until(() => receiver.hits.some((hit) => hit.path === '/b' && hit.eventId === eventId), "B's delivery");
    const delay = performance.now() - sentAt;
    // The bound is one attempt timeout; the slack covers scheduling on a busy machine (a FIFO needed ~9 s here).
    expect(delay).toBeLessThan(TIMEOUT_MS + 2000);

    // Every A delivery is attempted once (and fails: no retries configured), never more than 4 at once, one per endpoint.
    await until(async () => {
      const [{ settled }] = await t.db.query(`SELECT count(*)::int AS settled FROM webhook_delivery WHERE organisation_id = $1 AND status = 'failed'`, [a.id]);
      return settled === 40;
    }, "A's deliveries to fail");
    expect(receiver.hits.filter((hit) => hit.path.startsWith('/silent/'))).toHaveLength(40);
    expect(receiver.maxOpen).toBe(4);
    expect(receiver.maxOpenOnOnePath).toBe(1);

    // The delivery metric counts each attempt by outcome.
    const metricsAfter = (await http().get('/metrics').expect(200)).text;
    const counted = (outcome: string) => sample(metricsAfter, 'kezek_webhook_deliveries_total', { outcome }) - sample(metricsBefore, 'kezek_webhook_deliveries_total', { outcome });
    expect([counted('delivered'), counted('failed'), counted('retrying')]).toEqual([1, 40, 0]);
  });
});

describe('webhook endpoint circuit breaker', () => {
  const context = withReceiver({
    WEBHOOK_RETRY_LIMIT: '10',
    WEBHOOK_RETRY_DELAY_SECONDS: '1',
    WEBHOOK_ENDPOINT_CONCURRENCY: '1',
    WEBHOOK_BREAKER_THRESHOLD: '2',
    WEBHOOK_BREAKER_COOLDOWN_SECONDS: '1',
  });

  it('pauses an endpoint after repeated failures, probes it with the oldest delivery, and sends what it held in order once it answers', async () => {
    const { t, receiver } = context;
    const org = await createOrganisation(t, 'Breaker');
    const as = { Authorization: `Bearer ${org.key}` };
    const http = () => request(t.app.getHttpServer());
    const endpoint = (await http().post('/v1/webhook-endpoints').set(as).send({ url: receiver.url('/switch') }).expect(201)).body as { id: string; circuitBreaker: object };
    expect(endpoint.circuitBreaker).toEqual({ state: 'closed', openedAt: null, consecutiveFailures: 0 });
    const breaker = async () => (await http().get(`/v1/webhook-endpoints/${endpoint.id}`).set(as).expect(200)).body.circuitBreaker as { state: string; openedAt: string | null; consecutiveFailures: number };
    const emit = emitter(t);

    // Two failed attempts of the first event open the breaker.
    const first = await emit(org.id, 'envelope.sent', { n: 1 });
    const opened = await until(async () => {
      const state = await breaker();
      return state.state === 'open' ? state : undefined;
    }, 'the breaker to open');
    expect(opened).toMatchObject({ consecutiveFailures: 2, openedAt: expect.any(String) });
    const listed = (await http().get('/v1/webhook-endpoints').set(as).expect(200)).body as { circuitBreaker: { state: string } }[];
    expect(listed[0].circuitBreaker.state).not.toBe('closed');

    // Held while paused: later events wait, and each probe (after the cool-down) sends the oldest delivery only.
    const held = [];
    for (let n = 2; n <= 4; n++) held.push((await emit(org.id, 'envelope.sent', { n })).eventId);
    await until(() => receiver.hits.length >= 3, 'a probe');
    const failedProbe = await until(async () => {
      const state = await breaker();
      return state.consecutiveFailures >= 3 && state.state === 'open' ? state : undefined;
    }, 'the probe to fail and pause the endpoint again');
    expect(Date.parse(failedProbe.openedAt!)).toBeGreaterThan(Date.parse(opened.openedAt!));
    expect(new Set(receiver.hits.map((hit) => hit.eventId))).toEqual(new Set([first.eventId]));

    // The endpoint answers again: the next probe closes the breaker and the held events follow, oldest first.
    receiver.down = false;
    await until(() => receiver.hits.filter((hit) => hit.status === 204).length === 4, 'every event to be delivered');
    expect(receiver.hits.filter((hit) => hit.status === 204).map((hit) => hit.eventId)).toEqual([first.eventId, ...held]);
    expect(await breaker()).toEqual({ state: 'closed', openedAt: null, consecutiveFailures: 0 });
    // Nothing held was attempted while the endpoint was paused.
    for (const eventId of held) expect(receiver.hits.filter((hit) => hit.eventId === eventId)).toHaveLength(1);
    const [{ pending }] = await t.db.query(`SELECT count(*)::int AS pending FROM webhook_delivery WHERE organisation_id = $1 AND status <> 'delivered'`, [org.id]);
    expect(pending).toBe(0);
  });

  it('documents the circuit breaker on the endpoint', async () => {
    const doc = (await request(context.t.app.getHttpServer()).get('/docs/openapi.json').expect(200)).body;
    expect(doc.components.schemas.WebhookEndpointDto.properties.circuitBreaker).toBeDefined();
    expect(doc.components.schemas.CircuitBreakerDto.properties.state.enum).toEqual(['closed', 'open', 'half_open']);
  });
});
