import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../common/http/public.decorator.js';
import { checkContent } from './domain/file-type.js';
import { fullName } from './domain/kazakh-names.js';
import { isIinFormat } from '../cms/iin.js';
import { isAcceptableRedirectUrl, isOpen, isRedirectReason, redirectTarget } from './domain/session-rules.js';
import { TEXTS, LANGUAGES, languageOf, type Language } from './sign-page/sign-page.i18n.js';
import { renderMessagePage, renderSignPage, type PageContext } from './sign-page/sign-page.view.js';
import type { SandboxSession } from './sandbox.entities.js';
import { SandboxPeopleService } from './sandbox-people.service.js';
import { SandboxSessionsService } from './sandbox-sessions.service.js';
import { maskIin, maskPhone } from '../common/domain/pii-mask.js';

interface SignQuery {
  session?: string;
  redirect_url?: string;
  language?: string;
  theme?: string;
}



/**
 * The sandbox's sign page, the counterpart of the provider's `/sign?session=…&redirect_url=…&language=…&theme=…`.
 * Opening it moves the session to PROCESS; the person signs or ends the session with one of the guide's reasons,
 * and is sent back to redirect_url with `status=true&reason=None` or `status=False&reason=<code>`.
 */
@ApiExcludeController()
@Public()
@Controller('sandbox/sign')
export class SandboxSignPageController {
  constructor(
    private readonly sessions: SandboxSessionsService,
    private readonly people: SandboxPeopleService,
  ) {}

  private send(response: Response, status: number, html: string): void {
    response
      .status(status)
      .setHeader('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:; frame-ancestors 'none'")
      .setHeader('referrer-policy', 'no-referrer')
      .setHeader('cache-control', 'no-store')
      .type('html')
      .send(html);
  }

  @Get()
  async page(@Query() query: SignQuery, @Res() response: Response): Promise<void> {
    const context: PageContext = { language: languageOf(query.language), dark: query.theme === '1' };
    const t = TEXTS[context.language];
    const redirectUrl = isAcceptableRedirectUrl(query.redirect_url) ? query.redirect_url : null;
    const session = await this.sessions.findSession(query.session);
    if (!session) {
      const back = redirectUrl ? redirectTarget(redirectUrl, { status: 'CANCELED', reason: 'refresh' }) : null;
      return this.send(response, 404, renderMessagePage(context, t.canceledTitle, t.notFound, back));
    }
    if (!isOpen(session.status)) return this.send(response, 410, this.endedPage(context, session, redirectUrl));
    const opened = await this.sessions.open(session, redirectUrl, query.language ?? null);
    const documents = await this.sessions.documentsOf(opened.id);
    const name = await this.people.nameOf(opened.iin);
    const languageLinks = LANGUAGES.filter((l) => l !== context.language).map((language: Language) => {
      const params = new URLSearchParams({ session: opened.id, ...(redirectUrl ? { redirect_url: redirectUrl } : {}), language, ...(query.theme ? { theme: query.theme } : {}) });
      return { language, href: `sign?${params.toString()}` };
    });
    this.send(
      response,
      200,
      renderSignPage(context, {
        sessionId: opened.id,
        redirectUrl,
        theme: query.theme ?? null,
        signerName: fullName(name),
        maskedIin: maskIin(opened.iin),
        maskedPhone: maskPhone(opened.phone),
        documents: documents.map((d) => ({ id: d.id, name: d.name, size: d.content.length })),
        languageLinks,
      }),
    );
  }

  @Post()
  async act(@Body() body: Record<string, unknown>, @Res() response: Response): Promise<void> {
    const language = languageOf(body.language);
    const context: PageContext = { language, dark: body.theme === '1' };
    const t = TEXTS[language];
    const redirectUrl = typeof body.redirect_url === 'string' && isAcceptableRedirectUrl(body.redirect_url) ? body.redirect_url : undefined;
    const session = await this.sessions.findSession(body.session);
    if (!session) {
      const back = redirectUrl ? redirectTarget(redirectUrl, { status: 'CANCELED', reason: 'refresh' }) : null;
      return this.send(response, 404, renderMessagePage(context, t.canceledTitle, t.notFound, back));
    }
    if (!isOpen(session.status)) return this.send(response, 410, this.endedPage(context, session, redirectUrl ?? null));
    let outcome;
    if (body.action === 'sign') {
      const documents = await this.sessions.documentsOf(session.id);
      if (documents.length === 0) return this.send(response, 409, renderMessagePage(context, t.title, t.noDocuments, null));
      const signAs = typeof body.sign_as_iin === 'string' && isIinFormat(body.sign_as_iin.trim()) ? body.sign_as_iin.trim() : undefined;
      outcome = await this.sessions.end(session.id, { kind: 'sign' }, { signAsIin: signAs, redirectUrl });
    } else {
      const reason = typeof body.reason === 'string' && isRedirectReason(body.reason) ? body.reason : 'closed';
      outcome = await this.sessions.end(session.id, { kind: 'cancel', reason }, { redirectUrl });
    }
    if (outcome.redirectUrl) {
      response.redirect(303, outcome.redirectUrl);
      return;
    }
    const ended = outcome.session;
    const html = !outcome.changed
      ? this.endedPage(context, ended, null)
      : ended.status === 'FINISHED'
        ? renderMessagePage(context, t.signedTitle, t.signedDone, null)
        : renderMessagePage(context, t.canceledTitle, ended.redirectReason && isRedirectReason(ended.redirectReason) ? t.reasons[ended.redirectReason] : t.alreadyCanceled, null);
    this.send(response, 200, html);
  }

  /** Serves a document of an open session for reading (the innermost PDF/XML of an uploaded chain). */
  @Get('documents/:documentId')
  async document(@Param('documentId') documentId: string, @Query('session') sessionId: string, @Res() response: Response): Promise<void> {
    const session = await this.sessions.findSession(sessionId);
    const document = session ? (await this.sessions.documentsOf(session.id)).find((d) => d.id === documentId) : undefined;
    if (!session || !document) {
      response.status(404).type('text/plain').send('Document not found');
      return;
    }
    const check = checkContent(document.content, session.documentType);
    const bytes = check.ok ? check.innermost : document.content;
    response
      .status(200)
      .type(session.documentType === 'pdf' ? 'application/pdf' : 'text/plain; charset=utf-8')
      .setHeader('content-disposition', 'inline')
      .setHeader('x-content-type-options', 'nosniff')
      .setHeader('content-security-policy', "sandbox; default-src 'none'")
      .send(Buffer.from(bytes));
  }

  private endedPage(context: PageContext, session: SandboxSession, redirectUrl: string | null): string {
    const t = TEXTS[context.language];
    const back = this.sessions.redirectFor(session, redirectUrl ?? undefined);
    if (session.status === 'FINISHED') return renderMessagePage(context, t.signedTitle, t.alreadyFinished, back);
    const message = session.failureReason === 'EXPIRED' ? t.expired : t.alreadyCanceled;
    return renderMessagePage(context, t.canceledTitle, message, back);
  }
}
