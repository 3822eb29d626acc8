import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import { createHash } from 'node:crypto';
import { catchError, from, mergeMap, type Observable, of } from 'rxjs';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { SecretBox } from '../crypto/secret-box.js';
import { AppError } from '../errors/app-error.js';
import type { ErrorCode } from '../errors/error-codes.js';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** A request that has been "running" this long died with its process; its key may be used again. */
const ABANDONED_AFTER_MS = 5 * 60 * 1000;

interface StoredError {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/**
 * `Idempotency-Key` on POST: the first answer to a key is stored; the same key with the same request replays
 * it, with another request is a 422, and while the first is still running a 409. Server errors are not
 * stored, so a retry after a 5xx runs again. Keys are per organisation. Applies to every authenticated POST
 * (registered globally); a multipart route registers it once more after its file interceptor.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly box: SecretBox;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.box = new SecretBox(config.secretsKey);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request & { organisation?: { id: string }; files?: unknown; idempotencyHandled?: boolean }>();
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined || !request.organisation || request.idempotencyHandled) return next.handle();
    // Registered globally and again after a route's file parser: a multipart body is only complete there.
    if (request.is('multipart/form-data') && request.files === undefined) return next.handle();
    request.idempotencyHandled = true;
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      throw new AppError('VALIDATION_FAILED', 'Idempotency-Key: 1 to 255 visible ASCII characters');
    }
    const organisationId = request.organisation.id;
    const requestHash = fingerprint(request);
    const response = context.switchToHttp().getResponse<{ setHeader(name: string, value: string): void }>();

    return from(this.begin(organisationId, key, requestHash)).pipe(
      mergeMap((stored) => {
        if (stored) {
          response.setHeader('Idempotent-Replayed', 'true');
          if (stored.status >= 400) {
            const { error } = stored.body as StoredError;
            throw new AppError(error.code, error.message, error.details);
          }
          return of(stored.body);
        }
        return next.handle().pipe(
          mergeMap(async (body) => {
            await this.finish(organisationId, key, context.switchToHttp().getResponse<{ statusCode: number }>().statusCode, body);
            return body;
          }),
          catchError(async (error: unknown) => {
            if (error instanceof AppError && error.status < 500) {
              await this.finish(organisationId, key, error.status, { error: { code: error.code, message: error.message, details: error.details } });
            } else {
              await this.db.query(`DELETE FROM idempotency_key WHERE organisation_id = $1 AND key = $2 AND state = 'running'`, [organisationId, key]);
            }
            throw error;
          }),
        );
      }),
    );
  }

  /** Claims the key, or answers what was stored for it. */
  private async begin(organisationId: string, key: string, requestHash: string): Promise<{ status: number; body: unknown } | undefined> {
    const claimed = await this.db.query(
      `INSERT INTO idempotency_key (organisation_id, key, request_hash, state) VALUES ($1, $2, $3, 'running')
       ON CONFLICT (organisation_id, key) DO NOTHING RETURNING key`,
      [organisationId, key, requestHash],
    );
    if (claimed.length) return undefined;
    const [row] = await this.db.query(
      `SELECT request_hash, state, response_status, response_body, created_at FROM idempotency_key WHERE organisation_id = $1 AND key = $2`,
      [organisationId, key],
    );
    if (!row) return this.begin(organisationId, key, requestHash);
    if (row.request_hash !== requestHash) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different request; use a new key for a new request');
    }
    if (row.state === 'running') {
      const abandoned = Date.now() - new Date(row.created_at).getTime() > ABANDONED_AFTER_MS;
      if (abandoned) {
        const retaken = await this.db.query(
          `UPDATE idempotency_key SET created_at = now() WHERE organisation_id = $1 AND key = $2 AND state = 'running' AND created_at = $3 RETURNING key`,
          [organisationId, key, row.created_at],
        );
        if (Number(retaken[1]) > 0) return undefined;
      }
      throw new AppError('IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed; retry shortly');
    }
    return { status: row.response_status, body: JSON.parse(this.box.open((row.response_body as { sealed: string }).sealed)) };
  }

  private async finish(organisationId: string, key: string, status: number, body: unknown): Promise<void> {
    await this.db.query(
      `UPDATE idempotency_key SET state = 'done', response_status = $3, response_body = $4 WHERE organisation_id = $1 AND key = $2`,
      // Sealed: answers carry signer links, which are capabilities.
      [organisationId, key, status, JSON.stringify({ sealed: this.box.seal(JSON.stringify(body ?? null)) })],
    );
  }
}

/** Same method, path, body and files → same fingerprint. */
export function fingerprint(request: Pick<Request, 'method' | 'path' | 'body'> & { files?: unknown }): string {
  const hash = createHash('sha256').update(`${request.method} ${request.path}\n`).update(JSON.stringify(request.body ?? null));
  const files = Array.isArray(request.files) ? (request.files as { fieldname: string; originalname: string; buffer: Buffer }[]) : [];
  for (const file of files) hash.update(`\n${file.fieldname}:${file.originalname}:`).update(file.buffer);
  return hash.digest('hex');
}
