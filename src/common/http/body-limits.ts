import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { WEBHOOK_TOLERANCE_SECONDS } from '../../cloud-eds/webhook-signature.js';
import { requestIdOf } from '../logging/logger.js';

/** JSON routes that take no document: a page of fields, nothing more. */
export const SMALL_JSON_LIMIT_BYTES = 64 * 1024;

/**
 * Requests that may carry documents as base64 JSON: envelope creation, and the local sandbox's uploads.
 * The public verification takes its file as multipart, capped by its own interceptor.
 */
function takesDocuments(request: Request): boolean {
  return (request.method === 'POST' && request.path === '/v1/envelopes') || request.path.startsWith('/sandbox/');
}

/**
 * Where a request authenticated before its body was read keeps what `authenticate` answered, with the key it
 * was for: the API key guard takes it instead of asking again.
 */
export const AUTHENTICATED_BEFORE_BODY = Symbol('authenticatedBeforeBody');

/** Requests authenticated by an API key before a document-sized body is read. */
function needsKeyFirst(request: Request): boolean {
  return request.method === 'POST' && request.path === '/v1/envelopes';
}

function refuse(request: Request, response: Response, status: number, code: string, message: string): void {
  const requestId = String((request as { id?: unknown }).id ?? requestIdOf(request, response));
  response.status(status).json({ error: { code, message }, requestId });
}

/** Keeps the raw bytes (provider webhooks are signed over them), as Nest's `rawBody: true` does. */
function keepRaw(request: Request, _response: Response, buffer: Buffer): void {
  (request as Request & { rawBody?: Buffer }).rawBody = buffer;
}

/**
 * Body parsing per route: the document limit only where documents are accepted, a small limit everywhere
 * else, and what can be checked without the body checked first, so a stranger cannot make Kezek buffer
 * megabytes: the API key of a document route, and the provider webhook's signature headers and timestamp
 * (the HMAC itself covers the body, so it is checked after the small read).
 */
export function installBodyParsers(app: NestExpressApplication, options: { maxDocumentBytes: number; authenticate: (key: string) => Promise<object | undefined> }): void {
  const documentJson = express.json({ limit: Math.ceil(options.maxDocumentBytes * 1.4) + 64 * 1024, verify: keepRaw });
  const smallJson = express.json({ limit: SMALL_JSON_LIMIT_BYTES, verify: keepRaw });
  const smallForm = express.urlencoded({ limit: SMALL_JSON_LIMIT_BYTES, extended: true, verify: keepRaw });
  const documentForm = express.urlencoded({ limit: Math.ceil(options.maxDocumentBytes * 1.4) + 64 * 1024, extended: true, verify: keepRaw });

  const answerParserError = (request: Request, response: Response, next: NextFunction) => (error?: unknown) => {
    if (!error) return next();
    const status = (error as { status?: number }).status;
    if (status === 413) return refuse(request, response, 413, 'PAYLOAD_TOO_LARGE', 'The request body is larger than allowed for this route');
    if (status && status >= 400 && status < 500) return refuse(request, response, 400, 'MALFORMED_REQUEST', 'The request body could not be read as JSON');
    next(error);
  };

  // Named as Nest names its parsers, so Nest does not add its own (with its ~100 KB/unbounded defaults).
  app.use(async function jsonParser(request: Request, response: Response, next: NextFunction) {
    if (needsKeyFirst(request)) {
      const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
      if (!match) return refuse(request, response, 401, 'UNAUTHENTICATED', 'Send your API key as "Authorization: Bearer <key>"');
      const authenticated = await options.authenticate(match[1]).catch(() => undefined);
      if (!authenticated) return refuse(request, response, 401, 'UNAUTHENTICATED', 'The API key is unknown or revoked');
      (request as Request & { [AUTHENTICATED_BEFORE_BODY]?: unknown })[AUTHENTICATED_BEFORE_BODY] = { key: match[1], authenticated };
    }
    if (request.method === 'POST' && request.path.startsWith('/v1/provider-webhooks/')) {
      const timestamp = request.headers['x-webhook-timestamp'];
      const signature = request.headers['x-webhook-signature'];
      if (typeof signature !== 'string' || !/^sha256=[0-9a-f]{64}$/i.test(signature.trim()) || typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) {
        return refuse(request, response, 401, 'PROVIDER_WEBHOOK_SIGNATURE_INVALID', 'Webhook signature missing or invalid');
      }
      if (Math.abs(Date.now() / 1000 - Number(timestamp)) > WEBHOOK_TOLERANCE_SECONDS) {
        return refuse(request, response, 401, 'PROVIDER_WEBHOOK_STALE', 'Webhook timestamp is too far from the current time');
      }
    }
    (takesDocuments(request) ? documentJson : smallJson)(request, response, answerParserError(request, response, next));
  });
  app.use(function urlencodedParser(request: Request, response: Response, next: NextFunction) {
    (takesDocuments(request) ? documentForm : smallForm)(request, response, answerParserError(request, response, next));
  });
}
