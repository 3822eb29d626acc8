import { setTimeout as sleep } from 'node:timers/promises';
import { CloudEdsError } from './cloud-eds.errors.js';
import {
  FAILURE_REASONS,
  SESSION_STATUSES,
  type ArchiveDocument,
  type CreatedSession,
  type CreateSessionRequest,
  type FailureReason,
  type SessionResult,
  type SessionStatus,
  type SessionStatusResult,
  type SignRedirectOutcome,
  type SignUrlRequest,
  type UploadDocumentRequest,
  type UploadedDocument,
} from './cloud-eds.types.js';

/** Where calls go: the provider's documented hosts, or the sandbox. */
export const CLOUD_EDS_PATHS = {
  create: '/api/v1/session/create/',
  upload: '/api/v1/session/documents/upload/',
  uploadBase64: '/api/v1/session/documents/upload/base64/',
  result: '/api/v1/session/result/',
  download: '/api/v1/session/result/download/',
  status: '/api/v1/session/status/',
} as const;

export interface CloudEdsRetryOptions {
  /** Attempts in all (1 = no retry). */
  attempts: number;
  /** First backoff delay; it doubles at each retry (with jitter). */
  baseDelayMs: number;
}

/** Log hook: receives the operation, status and attempt only; never the API key, never document bytes. */
export interface CloudEdsLogger {
  debug?(message: string, context: Record<string, unknown>): void;
  warn?(message: string, context: Record<string, unknown>): void;
}

export interface CloudEdsClientOptions {
  /** API base, e.g. https://dev.b-key.kz, https://api.b-key.kz or http://localhost:3000/sandbox. */
  baseUrl: string;
  /** Sign page, e.g. https://dev.b-key.kz/sign, https://remote.b-key.kz/sign or http://localhost:3000/sandbox/sign. */
  signUrl: string;
  apiKey: string;
  /** Per attempt, including reading the answer. Default 15 s. */
  timeoutMs?: number;
  retry?: CloudEdsRetryOptions;
  fetch?: typeof fetch;
  logger?: CloudEdsLogger;
  /** Told of every attempt: the operation, the HTTP status (or `timeout` / `network`), its duration (metrics). */
  onCall?: (call: CloudEdsCallRecord) => void;
}

export interface CloudEdsCallRecord {
  operation: string;
  code: string;
  seconds: number;
  failed: boolean;
}

type RetryPolicy = 'safe' | 'unavailable-only';

interface Call {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  body?: string | FormData;
  json?: boolean;
  /** GET may be retried on any transient failure; POST only on 503 "Digital service signature is not available". */
  retry: RetryPolicy;
}

function base64ToBytes(value: string): Uint8Array {
  return new Uint8Array(Buffer.from(value, 'base64'));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The provider's error text from an error body: `detail`, `message`, `error`, a FastAPI list, or plain text. */
export function providerMessageOf(body: string): string | undefined {
  const trimmed = body.trim();
  if (!trimmed) return undefined;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (typeof parsed === 'string') return parsed;
    if (isRecord(parsed)) {
      for (const key of ['detail', 'message', 'error', 'msg', 'description']) {
        const value = parsed[key];
        if (typeof value === 'string') return value;
        if (Array.isArray(value) && value.length) {
          return value.map((item) => (isRecord(item) ? (text(item.msg) ?? JSON.stringify(item)) : String(item))).join('; ');
        }
        if (isRecord(value) && typeof value.message === 'string') return value.message;
      }
    }
  } catch {
    // not JSON: use the text itself
  }
  return trimmed.length > 500 ? `${trimmed.slice(0, 500)}…` : trimmed;
}

/** Reads `status`/`reason` from the URL the sign page sent the person back to. */
export function parseSignRedirect(url: string | URL): SignRedirectOutcome | undefined {
  const params = new URL(url).searchParams;
  const status = params.get('status');
  if (status === null) return undefined;
  const success = status.toLowerCase() === 'true';
  const reason = params.get('reason');
  return { success, reason: reason === null || reason === 'None' ? null : reason };
}

/**
 * Typed client of the Cloud EDS API (provider guide 003): every endpoint, typed errors for every row of the
 * error table, a timeout on every call, and retries with backoff only where safe (GET, and POST answered
 * 503 "Digital service signature is not available"). One instance per provider API key.
 */
export class CloudEdsClient {
  readonly baseUrl: string;
  readonly signPageUrl: string;
  readonly timeoutMs: number;
  readonly retry: CloudEdsRetryOptions;
  // A private field: the key does not show in logs, util.inspect or JSON.stringify of the client.
  readonly #apiKey: string;
  readonly #fetch: typeof fetch;
  readonly #logger?: CloudEdsLogger;
  readonly #onCall?: (call: CloudEdsCallRecord) => void;

  constructor(options: CloudEdsClientOptions) {
    if (!options.apiKey) throw new Error('CloudEdsClient: apiKey is required');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.signPageUrl = options.signUrl;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.retry = options.retry ?? { attempts: 3, baseDelayMs: 300 };
    this.#apiKey = options.apiKey;
    this.#fetch = options.fetch ?? fetch;
    this.#logger = options.logger;
    this.#onCall = options.onCall;
  }

  /** POST create/: a session for one person; its file type is fixed here (default pdf). */
  async createSession(request: CreateSessionRequest): Promise<CreatedSession> {
    const body = JSON.stringify({ iin: request.iin, phone: request.phone, document_type: request.documentType ?? 'pdf' });
    const json = await this.callJson({ method: 'POST', path: CLOUD_EDS_PATHS.create, body, json: true, retry: 'unavailable-only' });
    if (!isRecord(json) || typeof json.session_id !== 'string' || typeof json.check_id !== 'string') {
      throw CloudEdsError.unexpected('POST create', 200, 'no session_id/check_id');
    }
    return { sessionId: json.session_id, checkId: json.check_id, createdAt: text(json.created_at) ?? '' };
  }

  /** POST documents/upload/ as multipart form-data (session_id, name, file). */
  async uploadDocument(request: UploadDocumentRequest): Promise<UploadedDocument> {
    const form = new FormData();
    form.append('session_id', request.sessionId);
    form.append('name', request.name);
    form.append('file', new Blob([request.file]), request.name);
    const json = await this.callJson({ method: 'POST', path: CLOUD_EDS_PATHS.upload, body: form, retry: 'unavailable-only' });
    return this.uploaded(json, 'POST documents/upload');
  }

  /** POST documents/upload/base64/ as JSON (session_id, name, base64_file). */
  async uploadDocumentBase64(request: UploadDocumentRequest): Promise<UploadedDocument> {
    const body = JSON.stringify({ session_id: request.sessionId, name: request.name, base64_file: Buffer.from(request.file).toString('base64') });
    const json = await this.callJson({ method: 'POST', path: CLOUD_EDS_PATHS.uploadBase64, body, json: true, retry: 'unavailable-only' });
    return this.uploaded(json, 'POST documents/upload/base64');
  }

  /** The sign page URL to send the person to: `/sign?session=…&redirect_url=…&language=…&theme=…`. */
  signUrl(request: SignUrlRequest): string {
    const url = new URL(this.signPageUrl);
    url.searchParams.set('session', request.sessionId);
    url.searchParams.set('redirect_url', request.redirectUrl);
    url.searchParams.set('language', request.language);
    url.searchParams.set('theme', String(request.theme ?? 0));
    return url.toString();
  }

  /** GET result/: each document with its CMS (`sign`, base64 DER) once signed. */
  async getResult(sessionId: string): Promise<SessionResult> {
    const json = await this.callJson({ method: 'GET', path: CLOUD_EDS_PATHS.result, query: { session_id: sessionId }, retry: 'safe' });
    if (!isRecord(json) || !Array.isArray(json.docs)) throw CloudEdsError.unexpected('GET result', 200, 'no docs list');
    return {
      sessionId: text(json.session_id) ?? sessionId,
      docs: json.docs.map((doc) => {
        if (!isRecord(doc) || typeof doc.id !== 'string') throw CloudEdsError.unexpected('GET result', 200, 'a document without id');
        return { id: doc.id, name: text(doc.name) ?? '', sign: typeof doc.sign === 'string' && doc.sign.length > 0 ? doc.sign : null };
      }),
    };
  }

  /** GET status/: STARTED | PROCESS | FINISHED | CANCELED and failure_reason. */
  async getStatus(sessionId: string): Promise<SessionStatusResult> {
    const json = await this.callJson({ method: 'GET', path: CLOUD_EDS_PATHS.status, query: { session_id: sessionId }, retry: 'safe' });
    const status = isRecord(json) ? text(json.status)?.toUpperCase() : undefined;
    if (!status || !SESSION_STATUSES.includes(status as SessionStatus)) throw CloudEdsError.unexpected('GET status', 200, `status ${String(status)}`);
    const reason = isRecord(json) ? text(json.failure_reason)?.toUpperCase() : undefined;
    const failureReason = reason && FAILURE_REASONS.includes(reason as FailureReason) ? (reason as FailureReason) : reason ? 'OTHER' : null;
    return { sessionId: (isRecord(json) && text(json.session_id)) || sessionId, status: status as SessionStatus, failureReason };
  }

  /** GET result/download: the zip of document copies (each with the signers' page and QR code). */
  async downloadArchive(sessionId: string): Promise<Uint8Array> {
    const bytes = await this.callBytes({ method: 'GET', path: CLOUD_EDS_PATHS.download, query: { session_id: sessionId }, retry: 'safe' });
    if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) throw CloudEdsError.unexpected('GET result/download', 200, 'not a zip archive');
    return bytes;
  }

  /**
   * GET result/download with in_base64=true: the copies as base64 in JSON. The guide shows no example of
   * this answer; a top-level list or `{docs|documents|files: [...]}` with `base64_file|file|base64|content`
   * are all read.
   */
  async downloadArchiveBase64(sessionId: string): Promise<ArchiveDocument[]> {
    const json = await this.callJson({ method: 'GET', path: CLOUD_EDS_PATHS.download, query: { session_id: sessionId, in_base64: 'true' }, retry: 'safe' });
    const list = Array.isArray(json) ? json : isRecord(json) ? (json.docs ?? json.documents ?? json.files) : undefined;
    if (!Array.isArray(list)) throw CloudEdsError.unexpected('GET result/download?in_base64=true', 200, 'no list of documents');
    return list.map((item) => {
      if (typeof item === 'string') return { id: null, name: '', content: base64ToBytes(item) };
      if (!isRecord(item)) throw CloudEdsError.unexpected('GET result/download?in_base64=true', 200, 'a malformed document');
      const encoded = [item.base64_file, item.file, item.base64, item.content, item.data].find((v) => typeof v === 'string') as string | undefined;
      if (!encoded) throw CloudEdsError.unexpected('GET result/download?in_base64=true', 200, 'a document without content');
      return { id: text(item.id) ?? null, name: text(item.name) ?? '', content: base64ToBytes(encoded) };
    });
  }

  private uploaded(json: unknown, operation: string): UploadedDocument {
    if (!isRecord(json) || typeof json.id !== 'string') throw CloudEdsError.unexpected(operation, 200, 'no document id');
    return {
      id: json.id,
      name: text(json.name) ?? '',
      sign: typeof json.sign === 'string' && json.sign ? json.sign : null,
      createdAt: text(json.created_at) ?? '',
      updatedAt: text(json.updated_at) ?? '',
    };
  }

  private async callJson(call: Call): Promise<unknown> {
    const bytes = await this.call(call, 'application/json');
    const body = Buffer.from(bytes).toString('utf8');
    try {
      return JSON.parse(body) as unknown;
    } catch {
      throw CloudEdsError.unexpected(`${call.method} ${call.path}`, 200, 'the body is not JSON');
    }
  }

  private callBytes(call: Call): Promise<Uint8Array> {
    return this.call(call, 'application/zip, application/octet-stream, */*');
  }

  private async call(call: Call, accept: string): Promise<Uint8Array> {
    const operation = `${call.method} ${call.path}`;
    const attempts = Math.max(1, this.retry.attempts);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(call, accept, operation);
      } catch (error) {
        const retry = error instanceof CloudEdsError && attempt < attempts && this.mayRetry(call.retry, error);
        this.#logger?.warn?.('Cloud EDS call failed', { operation, attempt, kind: (error as CloudEdsError).kind, status: (error as CloudEdsError).status, retry });
        if (!retry) throw error;
        await sleep(this.backoff(attempt));
      }
    }
  }

  private mayRetry(policy: RetryPolicy, error: CloudEdsError): boolean {
    if (policy === 'unavailable-only') return error.kind === 'SERVICE_UNAVAILABLE';
    return error.retryable;
  }

  private backoff(attempt: number): number {
    const ceiling = this.retry.baseDelayMs * 2 ** (attempt - 1);
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }

  private async once(call: Call, accept: string, operation: string): Promise<Uint8Array> {
    const url = new URL(`${this.baseUrl}${call.path}`);
    for (const [key, value] of Object.entries(call.query ?? {})) url.searchParams.set(key, value);
    const headers: Record<string, string> = { 'x-api-key': this.#apiKey, accept };
    if (call.json) headers['content-type'] = 'application/json';
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    const started = Date.now();
    try {
      const response = await this.#fetch(url, { method: call.method, headers, body: call.body, signal: controller.signal, redirect: 'follow' });
      const bytes = new Uint8Array(await response.arrayBuffer());
      this.#logger?.debug?.('Cloud EDS call', { operation, status: response.status, ms: Date.now() - started });
      this.#onCall?.({ operation, code: String(response.status), seconds: (Date.now() - started) / 1000, failed: !response.ok });
      if (!response.ok) throw CloudEdsError.fromResponse(operation, response.status, providerMessageOf(Buffer.from(bytes).toString('utf8')));
      return bytes;
    } catch (error) {
      if (error instanceof CloudEdsError) throw error;
      const code = controller.signal.aborted ? 'timeout' : 'network';
      this.#onCall?.({ operation, code, seconds: (Date.now() - started) / 1000, failed: true });
      if (controller.signal.aborted) throw CloudEdsError.timeout(operation, this.timeoutMs);
      throw CloudEdsError.network(operation, error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Never print the key. */
  toJSON(): Record<string, unknown> {
    return { baseUrl: this.baseUrl, signUrl: this.signPageUrl, timeoutMs: this.timeoutMs };
  }
}
