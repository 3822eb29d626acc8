import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject, Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { AppError } from '../common/errors/app-error.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/app-config.js';
import { sandboxMaxFileBytes } from './sandbox-upload.interceptor.js';
import { ConnectionDropped, ProviderApiError, SANDBOX_TEXTS } from './sandbox.errors.js';

/**
 * Errors of the sandbox's provider API in the provider's shape (`{"detail": "<text>"}`), not Kezek's;
 * used on the provider API controller only.
 */
@Injectable()
@Catch()
export class SandboxExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Sandbox');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (exception instanceof ConnectionDropped) return;
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    const { status, detail } = this.describe(exception);
    if (status >= 500 && !(exception instanceof ProviderApiError)) this.logger.error({ err: exception }, 'sandbox API failure');
    response.status(status).json({ detail });
  }

  private describe(exception: unknown): { status: number; detail: string } {
    if (exception instanceof ProviderApiError) return { status: exception.status, detail: exception.detail };
    if (exception instanceof AppError) return { status: exception.status, detail: exception.message };
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
      return { status: exception.getStatus(), detail: Array.isArray(message) ? message.join('; ') : String(message ?? exception.message) };
    }
    const code = (exception as { code?: unknown } | null)?.code;
    if (code === 'LIMIT_FILE_SIZE') return { status: 413, detail: SANDBOX_TEXTS.fileTooLarge(sandboxMaxFileBytes(this.config)) };
    if (typeof code === 'string' && code.startsWith('LIMIT_')) return { status: 400, detail: 'Too many parts in the form' };
    const status = (exception as { status?: unknown } | null)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return { status, detail: status === 413 ? 'Request body too large' : 'The request body could not be parsed' };
    }
    return { status: 500, detail: 'Internal server error' };
  }
}
