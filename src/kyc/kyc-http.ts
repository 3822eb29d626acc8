import { setTimeout as sleep } from 'node:timers/promises';
import { providerMessageOf } from '../cloud-eds/cloud-eds.client.js';
import { KycError } from './kyc.errors.js';

export interface KycRetryOptions {
  /** Attempts in all (1 = no retry). */
  attempts: number;
  /** First backoff delay; it doubles at each retry (with jitter). */
  baseDelayMs: number;
}

/** Log hook: the operation, status and attempt only; never a key, an IIN, a phone or a photo. */
export interface KycLogger {
  debug?(message: string, context: Record<string, unknown>): void;
  warn?(message: string, context: Record<string, unknown>): void;
}

export interface KycHttpOptions {
  /** API host, e.g. https://kyc.biometric.kz or http://localhost:3000/sandbox/kyc. */
  baseUrl: string;
  /** Per attempt, including reading the answer. Default 15 s. */
  timeoutMs?: number;
  retry?: KycRetryOptions;
  fetch?: typeof fetch;
  logger?: KycLogger;
}

export interface KycCall {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  /** Sent as JSON. */
  body?: Record<string, unknown>;
  /**
   * `safe`: repeating the call changes nothing (GET, report and file generation): retried on any transient
   * failure. `never`: the call has an effect a repeat would double (a new session, an SMS, a one-time code).
   */
  retry: 'safe' | 'never';
  /** Names the call in errors and logs without the keys in its query, e.g. "GET flows/session/result". */
  operation: string;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The HTTP side shared by the Flow and E-Document clients: a timeout on every attempt, typed errors from
 * status and text, and retries with backoff only for calls marked safe. The provider's keys travel in
 * bodies and query strings (as the guides say), so URLs are never logged.
 */
export class KycHttp {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly retry: KycRetryOptions;
  readonly #fetch: typeof fetch;
  readonly #logger?: KycLogger;

  constructor(options: KycHttpOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.retry = options.retry ?? { attempts: 3, baseDelayMs: 300 };
    this.#fetch = options.fetch ?? fetch;
    this.#logger = options.logger;
  }

  async json(call: KycCall): Promise<unknown> {
    const { bytes } = await this.send(call, 'application/json');
    try {
      return JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
    } catch {
      throw KycError.unexpected(call.operation, 'the body is not JSON');
    }
  }

  bytes(call: KycCall): Promise<{ bytes: Uint8Array; contentType: string }> {
    return this.send(call, '*/*');
  }

  private async send(call: KycCall, accept: string): Promise<{ bytes: Uint8Array; contentType: string }> {
    const attempts = call.retry === 'safe' ? Math.max(1, this.retry.attempts) : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(call, accept);
      } catch (error) {
        const retry = error instanceof KycError && error.retryable && attempt < attempts;
        this.#logger?.warn?.('KYC call failed', { operation: call.operation, attempt, kind: (error as KycError).kind, status: (error as KycError).status, retry });
        if (!retry) throw error;
        const ceiling = this.retry.baseDelayMs * 2 ** (attempt - 1);
        await sleep(Math.round(ceiling / 2 + Math.random() * (ceiling / 2)));
      }
    }
  }

  private async once(call: KycCall, accept: string): Promise<{ bytes: Uint8Array; contentType: string }> {
    const url = new URL(`${this.baseUrl}${call.path}`);
    for (const [key, value] of Object.entries(call.query ?? {})) url.searchParams.set(key, value);
    const headers: Record<string, string> = { accept };
    if (call.body) headers['content-type'] = 'application/json';
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    const started = Date.now();
    try {
      const response = await this.#fetch(url, { method: call.method, headers, body: call.body ? JSON.stringify(call.body) : undefined, signal: controller.signal });
      const bytes = new Uint8Array(await response.arrayBuffer());
      this.#logger?.debug?.('KYC call', { operation: call.operation, status: response.status, ms: Date.now() - started });
      if (!response.ok) throw KycError.fromResponse(call.operation, response.status, providerMessageOf(Buffer.from(bytes).toString('utf8')));
      return { bytes, contentType: response.headers.get('content-type') ?? '' };
    } catch (error) {
      if (error instanceof KycError) throw error;
      if (controller.signal.aborted) throw KycError.timeout(call.operation, this.timeoutMs);
      throw KycError.network(call.operation, error);
    } finally {
      clearTimeout(timer);
    }
  }
}
