import { Controller, Get, Header, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppError } from '../common/errors/app-error.js';
import { Public } from '../common/http/public.decorator.js';
import { RateLimitService } from './rate-limit.service.js';
import { type Language, languageOf } from '../web/language.js';
import { messagePage, sessionPage, verifyPage } from './verification-pages.view.js';
import { VerificationService } from './verification.service.js';
import { VERIFY_PAGE_SCRIPT } from './verify-page.script.js';

/** Scripts only from this origin (the page script is a file), no framing, no referrer with the check_id. */
const PAGE_CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

/** The public verification pages: drop a file on /verify; /verify/{checkId} is what the QR code opens. */
@Public()
@ApiExcludeController()
@Controller()
export class VerificationPagesController {
  constructor(
    private readonly verification: VerificationService,
    private readonly limiter: RateLimitService,
  ) {}

  @Get('assets/verify.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=300')
  @Header('X-Content-Type-Options', 'nosniff')
  script(): string {
    return VERIFY_PAGE_SCRIPT;
  }

  @Get('verify')
  async verify(@Query('lang') lang: string | undefined, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.render(request, response, languageOf(lang), async (language) => verifyPage(language, this.verification.maxUploadBytes));
  }

  @Get('verify/:checkId')
  async session(@Param('checkId') checkId: string, @Query('lang') lang: string | undefined, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.render(request, response, languageOf(lang), async (language) => sessionPage(await this.verification.session(checkId), language, this.verification.maxUploadBytes));
  }

  private async render(request: Request, response: Response, language: Language, build: (language: Language) => Promise<string>): Promise<void> {
    response.setHeader('Content-Security-Policy', PAGE_CSP);
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    try {
      await this.limiter.consume(request, response);
      response.status(200).type('html').send(await build(language));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const kind = error.code === 'RATE_LIMITED' ? 'rateLimited' : error.status === 404 ? 'notFound' : 'error';
      response.status(error.status).type('html').send(messagePage(language, kind, error.message));
    }
  }
}
