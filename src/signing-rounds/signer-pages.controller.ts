import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppError } from '../common/errors/app-error.js';
import { requestActor } from '../common/http/actor.js';
import { Public } from '../common/http/public.decorator.js';
import { languageOf, type Language } from '../web/language.js';
import { SignerDocumentsService } from './signer-documents.service.js';
import { sendErrorPage, sendPage, setPageHeaders } from '../web/html-response.js';
import type { DocumentsExtras } from './signer-documents.view.js';
import { errorPageOptions, linkPage, returnPage } from './signer-pages.view.js';
import { SignerLinksService, type LinkView } from './signer-links.service.js';
import { StartRoundService } from './start-round.service.js';


/** The signer's pages behind a durable link `/s/{token}`: see, sign, decline, and come back from the provider. */
@Public()
@ApiExcludeController()
@Controller('s')
export class SignerPagesController {
  constructor(
    private readonly links: SignerLinksService,
    private readonly rounds: StartRoundService,
    private readonly documents: SignerDocumentsService,
  ) {}

  @Get(':token')
  async open(@Param('token') token: string, @Query('lang') lang: string | undefined, @Query('web_view') webView: string | undefined, @Req() request: Request, @Res() response: Response) {
    await this.render(response, lang, async (fallback) => {
      await this.links.recordOpen(token, requestActor('signer', request));
      const view = { ...(await this.links.view(token)), webView: webView === 'true' };
      return { status: 200, html: linkPage(view, token, this.language(lang, view.envelope.language ?? fallback), await this.documentsExtras(view)) };
    });
  }

  @Post(':token/sign')
  async sign(@Param('token') token: string, @Query('lang') lang: string | undefined, @Query('web_view') webView: string | undefined, @Req() request: Request, @Res() response: Response) {
    try {
      const url = await this.rounds.startSigning(token, requestActor('signer', request), { webView: webView === 'true' });
      response.redirect(303, url);
    } catch (error) {
      if (!(error instanceof AppError) || error.code === 'SIGNER_LINK_NOT_FOUND') throw error;
      await this.render(response, lang, async () => {
        const view = await this.links.view(token);
        return { status: error.status, html: linkPage(view, token, this.language(lang, view.envelope.language), await this.documentsExtras(view), error.message) };
      });
    }
  }

  @Post(':token/decline')
  async decline(@Param('token') token: string, @Body() body: Record<string, unknown>, @Req() request: Request, @Res() response: Response) {
    const reason = typeof body?.reason === 'string' ? body.reason.trim().slice(0, 500) : '';
    await this.render(response, undefined, async () => {
      if (!reason) throw new AppError('VALIDATION_FAILED', 'Please say why you decline');
      await this.links.decline(token, reason, requestActor('signer', request));
      const view = await this.links.view(token);
      return { status: 200, html: linkPage(view, token, view.envelope.language, await this.documentsExtras(view)) };
    });
  }

  @Get(':token/return')
  async returned(
    @Param('token') token: string,
    @Query('status') status: string | undefined,
    @Query('reason') reason: string | undefined,
    @Query('lang') lang: string | undefined,
    @Query('web_view') webView: string | undefined,
    @Res() response: Response,
  ) {
    await this.render(response, lang, async () => {
      const view = await this.links.returned(token, status, reason);
      // Inside a WebView the chain ends at one fixed URL the app catches, once the outcome is known.
      if (webView === 'true' && view.signer.status !== 'ACTIVE') return { status: 303, html: '', location: `/finished?status=${encodeURIComponent(view.signer.status.toLowerCase())}` };
      return { status: 200, html: returnPage(view, token, this.language(lang, view.envelope.language), view.envelope.redirectUrl) };
    });
  }

  /** What the documents part of the link page needs beyond the view: the XML documents' text. */
  private async documentsExtras(view: LinkView): Promise<DocumentsExtras> {
    return { xml: await this.documents.xmlPreviews(view) };
  }

  private language(requested: string | undefined, fallback: Language): Language {
    return languageOf(requested, fallback);
  }

  /** Public pages answer errors as pages, not JSON. */
  private async render(response: Response, lang: string | undefined, build: (fallback: Language) => Promise<{ status: number; html: string; location?: string }>): Promise<void> {
    const language = this.language(lang, 'ru');
    // Redirects too: the token is in the path, and no Referer may carry it to another site.
    setPageHeaders(response, 'signer');
    try {
      const { status, html, location } = await build(language);
      if (location) return response.redirect(status, location);
      sendPage(response, 'signer', status, html);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      sendErrorPage(response, 'signer', error, errorPageOptions(language));
    }
  }
}
