import { Body, Controller, Get, Header, Inject, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { auditContextOf } from '../audit/audit-request.js';
import { AppError } from '../common/errors/app-error.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Public } from '../common/http/public.decorator.js';
import { UsersService } from '../users/users.service.js';
import { RateLimitService } from '../verification/rate-limit.service.js';
import { cookiesOf, LOGIN_CSRF_COOKIE, sessionIdOf, setCookie, setSessionCookie, tokensMatch } from './console-auth.js';
import { sendPage } from '../web/html-response.js';
import { ConsoleExceptionFilter, consoleLanguage } from './console-http.js';
import { invitationPage, loginPage } from './console-pages.view.js';
import { CONSOLE_SCRIPT } from './console.script.js';

type Form = Record<string, unknown>;
const field = (body: Form | undefined, name: string, max = 1024) => (typeof body?.[name] === 'string' ? (body[name] as string).slice(0, max) : '');

/** Only a console path of this origin: never `//evil`, `/\evil` or an absolute URL. */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/console(?:[/?#]|$)/.test(value) && !/[\\\s]/.test(value) ? value : '/console';
}

/**
 * The console pages that need no session: sign-in, accepting an invitation, and the page script. Their forms
 * carry a CSRF token bound to a short-lived cookie (double submit), since there is no session yet.
 */
@Public()
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console')
export class ConsoleLoginController {
  constructor(
    private readonly users: UsersService,
    private readonly limiter: RateLimitService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('assets/console.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=300')
  @Header('X-Content-Type-Options', 'nosniff')
  script(): string {
    return CONSOLE_SCRIPT;
  }

  @Get('login')
  async loginForm(@Query('next') next: unknown, @Req() request: Request, @Res() response: Response): Promise<void> {
    const language = consoleLanguage(request, response);
    const sessionId = sessionIdOf(request);
    if (sessionId && (await this.users.resolveSession(sessionId))) {
      response.redirect(303, safeNext(next));
      return;
    }
    sendPage(response, 'console', 200, loginPage(language, this.issueFormToken(request, response), { next: safeNext(next) }));
  }

  @Post('login')
  async login(@Body() body: Form | undefined, @Req() request: Request, @Res() response: Response): Promise<void> {
    const language = consoleLanguage(request);
    this.checkFormToken(request, body);
    await this.limiter.consume(request, response, 'console-login', this.config.CONSOLE_LOGIN_RATE_LIMIT_PER_MINUTE);
    const email = field(body, 'email', 254);
    try {
      const { sessionId } = await this.users.login(email, field(body, 'password'), auditContextOf(request));
      setSessionCookie(request, response, sessionId);
      setCookie(request, response, LOGIN_CSRF_COOKIE, '', 0);
      response.redirect(303, safeNext(body?.next));
    } catch (error) {
      if (!(error instanceof AppError) || !['LOGIN_FAILED', 'ACCOUNT_LOCKED'].includes(error.code)) throw error;
      sendPage(response, 'console', error.status, loginPage(language, this.issueFormToken(request, response), { error: error.message, email, next: safeNext(body?.next) }));
    }
  }

  @Get('invitations/:token')
  async invitation(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const language = consoleLanguage(request, response);
    const invitation = await this.users.invitation(token);
    sendPage(response, 'console', 200, invitationPage(language, token, this.issueFormToken(request, response), invitation));
  }

  @Post('invitations/:token')
  async acceptInvitation(@Param('token') token: string, @Body() body: Form | undefined, @Req() request: Request, @Res() response: Response): Promise<void> {
    const language = consoleLanguage(request);
    this.checkFormToken(request, body);
    await this.limiter.consume(request, response, 'console-login', this.config.CONSOLE_LOGIN_RATE_LIMIT_PER_MINUTE);
    try {
      await this.users.acceptInvitation(token, field(body, 'password'));
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'VALIDATION_FAILED') throw error;
      sendPage(response, 'console', 400, invitationPage(language, token, this.issueFormToken(request, response), await this.users.invitation(token), error.message));
      return;
    }
    response.redirect(303, '/console/login');
  }

  private issueFormToken(request: Request, response: Response): string {
    const token = randomBytes(24).toString('base64url');
    setCookie(request, response, LOGIN_CSRF_COOKIE, token, 3600);
    return token;
  }

  private checkFormToken(request: Request, body: Form | undefined): void {
    if (!tokensMatch(body?._csrf, cookiesOf(request)[LOGIN_CSRF_COOKIE])) {
      throw new AppError('CSRF_FAILED', 'The form has expired or did not come from the console: reload the page and try again');
    }
  }
}
