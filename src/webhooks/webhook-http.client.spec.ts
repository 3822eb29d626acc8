import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { postWebhook, type WebhookPost } from './webhook-http.client.js';

describe('postWebhook (against a loopback server)', () => {
  let server: Server;
  let port: number;
  let handler: (req: IncomingMessage, res: ServerResponse) => void;
  const seen: { host?: string; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ host: req.headers.host, body: Buffer.concat(chunks).toString() });
        handler(req, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const post = (path: string, overrides: Partial<WebhookPost> = {}) =>
    postWebhook({
      // A name that resolves nowhere: reaching the server proves the connection used the checked address.
      target: { url: new URL(`http://pinned.invalid:${port}${path}`), hostname: 'pinned.invalid', addresses: [{ address: '127.0.0.1', family: 4 }] },
      headers: { 'content-type': 'application/json' },
      body: '{"type":"envelope.sent"}',
      timeoutMs: 5000,
      maxResponseBytes: 1024,
      ...overrides,
    });

  it('connects to the checked address, keeps the host name, and reports the status', async () => {
    handler = (_req, res) => res.writeHead(202).end('accepted');
    const result = await post('/a');
    expect(result).toMatchObject({ statusCode: 202, responseExcerpt: 'accepted' });
    expect(result.error).toBeUndefined();
    expect(seen.at(-1)).toEqual({ host: `pinned.invalid:${port}`, body: '{"type":"envelope.sent"}' });
  });

  it('keeps at most maxResponseBytes of the answer', async () => {
    handler = (_req, res) => res.writeHead(500).end('y'.repeat(100_000));
    const result = await post('/big');
    expect(result.statusCode).toBe(500);
    expect(result.responseExcerpt).toBe('y'.repeat(1024));
  });

  it('does not follow a redirect', async () => {
    handler = (_req, res) => res.writeHead(307, { location: '/elsewhere' }).end();
    const before = seen.length;
    expect((await post('/moved')).statusCode).toBe(307);
    expect(seen.length).toBe(before + 1);
  });

  it('gives up on an endpoint that does not answer in time', async () => {
    handler = () => undefined;
    const result = await post('/silent', { timeoutMs: 300 });
    expect(result.statusCode).toBeUndefined();
    expect(result.error).toMatch(/no answer within 300 ms/);
  });

  it('reports a refused connection', async () => {
    const result = await post('/x', { target: { url: new URL('http://pinned.invalid:1/x'), hostname: 'pinned.invalid', addresses: [{ address: '127.0.0.1', family: 4 }] } });
    expect(result.error).toMatch(/ECONNREFUSED/);
  });
});
