import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { WebhookTarget } from './webhook-target.js';

export interface WebhookPost {
  target: WebhookTarget;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** The most of the response body that is read (and kept as an excerpt). */
  maxResponseBytes: number;
}

export interface WebhookPostResult {
  /** Absent when no response arrived (connection error, timeout). */
  statusCode?: number;
  responseExcerpt?: string;
  error?: string;
  durationMs: number;
}

/**
 * One POST to a webhook endpoint. Connects only to the addresses that were checked (a fixed `lookup`), so a
 * second DNS answer cannot swap in a private address; TLS still verifies the certificate against the hostname.
 * Redirects are not followed (a 3xx is a failed attempt), and the whole exchange is bounded by the timeout.
 */
export function postWebhook({ target, headers, body, timeoutMs, maxResponseBytes }: WebhookPost): Promise<WebhookPostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  // Answers the socket's own lookup with the checked addresses (all of them for happy eyeballs).
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) (callback as unknown as (e: null, a: WebhookTarget['addresses']) => void)(null, target.addresses);
    else callback(null, target.addresses[0].address, target.addresses[0].family);
  };
  const client = target.url.protocol === 'https:' ? https : http;

  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<WebhookPostResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: elapsed() });
      request.destroy();
    };
    const request = client.request(target.url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup: pinned,
      agent: false,
    });
    const timer = setTimeout(() => finish({ error: `no answer within ${timeoutMs} ms` }), timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => finish({ error: error.code ? `${error.code}: ${error.message}` : error.message }));
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        const excerpt = Buffer.concat(chunks).subarray(0, maxResponseBytes).toString('utf8').replaceAll('\u0000', ''); // PostgreSQL text cannot hold NUL
        finish({ statusCode: response.statusCode, responseExcerpt: excerpt });
      };
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= maxResponseBytes) done();
      });
      response.on('end', done);
      response.on('error', done);
    });
    request.end(body);
  });
}
