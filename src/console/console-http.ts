import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from '../common/errors/app-error.js';
import { GlobalExceptionFilter } from '../common/errors/global-exception.filter.js';
import { requestIdOf } from '../common/logging/logger.js';
import { languageOf, type Language } from '../web/language.js';
import { cookiesOf, LANGUAGE_COOKIE, setCookie, type ConsoleRequest } from './console-auth.js';
import { sendErrorPage, setPageHeaders } from '../web/html-response.js';
import { errorPageOptions } from './console-pages.view.js';

/** The page language: `?lang=` (remembered in a cookie), else the remembered one, else Russian. */
export function consoleLanguage(request: Request, response?: Response): Language {
  const asked = typeof request.query.lang === 'string' ? request.query.lang : undefined;
  if (asked && languageOf(asked, 'ru') === asked) {
    if (response) setCookie(request, response, LANGUAGE_COOKIE, asked, 365 * 24 * 3600, false);
    return asked as Language;
  }
  return languageOf(cookiesOf(request)[LANGUAGE_COOKIE], 'ru');
}

/** Console failures as pages: sign-in needed → the login form; anything else → a page with the status and message. */
@Catch()
export class ConsoleExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Console');
  private readonly describer = new GlobalExceptionFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<ConsoleRequest & { id?: string }>();
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    if (exception instanceof AppError && exception.code === 'SESSION_REQUIRED' && request.method === 'GET') {
      setPageHeaders(response, 'console');
      response.redirect(303, `/console/login?next=${encodeURIComponent(request.originalUrl.slice(0, 1000))}`);
      return;
    }
    const requestId = String(request.id ?? requestIdOf(request, response));
    const { status, body } = this.describer.describe(exception, requestId, request);
    if (status >= 500) this.logger.error({ err: exception, requestId, path: request.path }, 'unhandled console error');
    sendErrorPage(response, 'console', { status, code: body.error.code, message: body.error.message }, errorPageOptions(consoleLanguage(request), status, request.consoleUser));
  }
}
