import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer from 'multer';
import type { Observable } from 'rxjs';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/app-config.js';

/** Largest file the profile accepts: 30 KB on dev, MAX_DOCUMENT_BYTES on prod. */
export function sandboxMaxFileBytes(config: AppConfig): number {
  return config.SANDBOX_PROFILE === 'dev' ? 30 * 1024 : config.MAX_DOCUMENT_BYTES;
}

/**
 * Parses the multipart upload in memory, capped at the profile's size. Accepts every part name: the guide's
 * Python example sends `session_id` and `name` as file parts, its JavaScript example as plain fields.
 */
@Injectable()
export class SandboxUploadInterceptor implements NestInterceptor {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const upload = multer({
      storage: multer.memoryStorage(),
      limits: { fileSize: sandboxMaxFileBytes(this.config), files: 5, fields: 20, parts: 25, fieldSize: 64 * 1024 },
    }).any();
    await new Promise<void>((resolve, reject) => upload(request, response, (error: unknown) => (error ? reject(error) : resolve())));
    return next.handle();
  }
}

/** A form value sent either as a field or as a (small) file part. */
export function formValue(request: Request, name: string): string | undefined {
  const field = (request.body as Record<string, unknown> | undefined)?.[name];
  if (typeof field === 'string') return field;
  const part = (request.files as Express.Multer.File[] | undefined)?.find((f) => f.fieldname === name);
  return part ? part.buffer.toString('utf8') : undefined;
}

export function formFile(request: Request, name: string): Uint8Array | undefined {
  const part = (request.files as Express.Multer.File[] | undefined)?.find((f) => f.fieldname === name);
  return part ? new Uint8Array(part.buffer) : undefined;
}
