import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppError } from '../common/errors/app-error.js';
import { requestActor } from '../common/http/actor.js';
import { Public } from '../common/http/public.decorator.js';
import { IdentityStepService } from '../identity/identity-step.service.js';
import { identityPendingText } from '../identity/identity-texts.js';
import { escapeHtml, page } from '../web/html.js';
import { htmlLang, languageOf } from '../web/language.js';
import { sendErrorPage, sendPage, setPageHeaders } from '../web/html-response.js';
import { errorPageOptions, linkPage } from './signer-pages.view.js';
import { SignerDocumentsService } from './signer-documents.service.js';
import { SignerLinksService } from './signer-links.service.js';
import { StartRoundService } from './start-round.service.js';

const FINISHED = {
  en: { title: 'Done', text: 'You can close this window and return to the app.' },
  ru: { title: 'Готово', text: 'Можно закрыть это окно и вернуться в приложение.' },
  kz: { title: 'Дайын', text: 'Бұл терезені жауып, қосымшаға оралуға болады.' },
} as const;

/**
 * Where the identity flow sends the signer back (`/s/{token}/identity`): Kezek asks the result API (the
 * redirect itself proves nothing); a pass opens Cloud EDS signing at once, anything else shows the link page
 * with the reason. `/finished` is the one fixed URL a mobile app's WebView catches at the end of the chain.
 */
@Public()
@ApiExcludeController()
@Controller()
export class IdentityPagesController {
  constructor(
    private readonly links: SignerLinksService,
    private readonly identity: IdentityStepService,
    private readonly rounds: StartRoundService,
    private readonly documents: SignerDocumentsService,
  ) {}

  @Get('s/:token/identity')
  async returned(@Param('token') token: string, @Query('lang') lang: string | undefined, @Query('web_view') webViewValue: string | undefined, @Req() request: Request, @Res() response: Response) {
    const webView = webViewValue === 'true';
    // Redirects too: the token is in the path, and no Referer may carry it to another site.
    setPageHeaders(response, 'signer');
    try {
      const signer = await this.links.signerByToken(token);
      const check = await this.identity.afterReturn(signer.id);
      const view = { ...(await this.links.view(token)), webView };
      const language = languageOf(lang, view.envelope.language);
      if (check?.status === 'PASSED' && view.signer.status === 'ACTIVE' && view.envelope.status === 'IN_PROGRESS') {
        return response.redirect(303, await this.rounds.startSigning(token, requestActor('signer', request), { webView }));
      }
      if (check?.status === 'STARTED') {
        const body = `<div class="card wait" data-identity="pending">${escapeHtml(identityPendingText(language))}</div><meta http-equiv="refresh" content="4">`;
        return sendPage(response, 'signer', 200, page({ lang: htmlLang(language), title: view.envelope.title, body }));
      }
      if (webView && view.signer.status !== 'ACTIVE') return response.redirect(303, `/finished?status=${encodeURIComponent(view.signer.status.toLowerCase())}`);
      sendPage(response, 'signer', 200, linkPage(view, token, language, { xml: await this.documents.xmlPreviews(view) }));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      sendErrorPage(response, 'signer', error, errorPageOptions(languageOf(lang, 'ru')));
    }
  }

  /** The end of the chain inside a WebView: the app closes its WebView when it sees this URL (like the provider's `/finished`). */
  @Get('finished')
  finished(@Query('lang') lang: string | undefined, @Res() response: Response) {
    const language = languageOf(lang, 'ru');
    const t = FINISHED[language];
    sendPage(response, 'signer', 200, page({ lang: htmlLang(language), title: t.title, body: `<h1>${escapeHtml(t.title)}</h1><p data-finished="true">${escapeHtml(t.text)}</p>` }));
  }
}
