import { Controller, Get, Header, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppError } from '../common/errors/app-error.js';
import { Public } from '../common/http/public.decorator.js';
import { RateLimitService } from './rate-limit.service.js';
import { type Language, languageOf } from '../web/language.js';
import { sendErrorPage, sendPage, setPageHeaders } from '../web/html-response.js';
import { errorPageOf, sessionPage, verifyPage } from './verification-pages.view.js';
import { VerificationService } from './verification.service.js';
import { VERIFY_PAGE_SCRIPT } from './verify-page.script.js';

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
    setPageHeaders(response, 'verify');
    try {
      await this.limiter.consume(request, response);
      sendPage(response, 'verify', 200, await build(language));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const shown = errorPageOf(language, error);
      sendErrorPage(response, 'verify', shown.error, shown.options);
    }
  }
}
