import type { PkiHttpPort } from '../cms/index.js';

/** Why a PKI fetch failed, in words for the report (never the response body). */
export class PkiHttpError extends Error {}

/**
 * The HTTP side of revocation and timestamping (PkiHttpPort): plain http/https only, each request bounded
 * by a timeout that covers the whole exchange, and the body read chunk by chunk up to a cap (a hostile or
 * broken server cannot make Kezek buffer more). No redirects: a responder that moved is reported, not followed.
 */
export class PkiHttp implements PkiHttpPort {
  constructor(private readonly timeoutMs: number) {}

  get(url: string, maxBytes: number): Promise<Uint8Array> {
    return this.exchange(url, { method: 'GET' }, maxBytes);
  }

  post(url: string, contentType: string, body: Uint8Array, maxBytes: number): Promise<Uint8Array> {
    return this.exchange(url, { method: 'POST', headers: { 'content-type': contentType }, body: Buffer.from(body) }, maxBytes);
  }

  private async exchange(url: string, init: RequestInit, maxBytes: number): Promise<Uint8Array> {
    if (!/^https?:\/\//i.test(url)) throw new PkiHttpError(`not an http(s) URL: ${url.slice(0, 100)}`);
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const response = await fetch(url, { ...init, redirect: 'manual', signal });
      if (!response.ok) {
        await response.body?.cancel();
        throw new PkiHttpError(`HTTP ${response.status}`);
      }
      const declared = Number(response.headers.get('content-length') ?? 'NaN');
      if (declared > maxBytes) {
        await response.body?.cancel();
        throw new PkiHttpError(`answer of ${declared} bytes is over the ${maxBytes}-byte limit`);
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of response.body ?? []) {
        size += chunk.length;
        if (size > maxBytes) {
          await response.body?.cancel().catch(() => undefined);
          throw new PkiHttpError(`answer is over the ${maxBytes}-byte limit`);
        }
        chunks.push(chunk);
      }
      return Buffer.concat(chunks);
    } catch (error) {
      if (error instanceof PkiHttpError) throw error;
      if (signal.aborted) throw new PkiHttpError(`no answer within ${this.timeoutMs} ms`);
      throw new PkiHttpError(`cannot reach the server (${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message})`);
    }
  }
}
