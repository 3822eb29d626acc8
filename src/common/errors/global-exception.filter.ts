import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from './app-error.js';
import { codeForStatus } from './error-codes.js';
import { requestIdOf } from '../logging/logger.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
  requestId: string;
}

/** One answer shape for every failure; anything unexpected is a logged 500 that carries the request id. */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: string }>();
    const response = http.getResponse<Response>();
    // Body-parser failures happen before the request logger has given the request its id.
    const requestId = String(request.id ?? requestIdOf(request, response));
    const { status, body } = this.describe(exception, requestId, request);
    if (status >= 500) {
      this.logger.error({ err: exception, requestId, path: request.path }, 'unhandled error');
    }
    if (response.headersSent) return;
    response.status(status).json(body);
  }

  /** The status and JSON answer for `exception` (the console renders the same as a page). */
  describe(exception: unknown, requestId: string, request: Request): { status: number; body: ErrorBody } {
    if (exception instanceof AppError) {
      return {
        status: exception.status,
        body: { error: { code: exception.code, message: exception.message, details: exception.details }, requestId },
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = codeForStatus(status);
      const message =
        code === 'ROUTE_NOT_FOUND'
          ? `No route ${request.method} ${request.path}`
          : status >= 500
            ? 'Internal error'
            : messageOf(exception.getResponse()) ?? exception.message;
      return { status, body: { error: { code, message }, requestId } };
    }
    // Lock waits past lock_timeout, deadlocks, serialisation failures: the same request may succeed again.
    const sqlState = (exception as { driverError?: { code?: string } })?.driverError?.code;
    if (sqlState === '55P03' || sqlState === '40P01' || sqlState === '40001') {
      return { status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE', message: 'The resource is busy; retry in a moment' }, requestId } };
    }
    // Errors thrown by body parsers and multer carry an HTTP status of their own.
    const status = statusOf(exception);
    if (status && status >= 400 && status < 500) {
      const code = codeForStatus(status);
      const message =
        code === 'PAYLOAD_TOO_LARGE'
          ? 'The request body is larger than allowed'
          : code === 'MALFORMED_REQUEST'
            ? 'The request body could not be parsed: send well-formed JSON or multipart form data'
            : (exception as Error).message;
      return { status, body: { error: { code, message }, requestId } };
    }
    return {
      status: 500,
      body: { error: { code: 'INTERNAL', message: `Internal error; quote request id ${requestId} when reporting it` }, requestId },
    };
  }
}

function messageOf(response: string | object): string | undefined {
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : undefined;
}

function statusOf(exception: unknown): number | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const candidate = (exception as { status?: unknown; statusCode?: unknown }).status ?? (exception as { statusCode?: unknown }).statusCode;
  if (typeof candidate === 'number') return candidate;
  if ((exception as { code?: unknown }).code === 'LIMIT_FILE_SIZE') return 413;
  if (typeof (exception as { code?: unknown }).code === 'string' && String((exception as { code: string }).code).startsWith('LIMIT_')) return 400;
  return undefined;
}
