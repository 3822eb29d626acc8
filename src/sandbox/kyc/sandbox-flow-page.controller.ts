import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../common/http/public.decorator.js';
import { isAcceptableRedirectUrl } from '../domain/session-rules.js';
import { ProviderApiError } from '../sandbox.errors.js';
import { escapeHtml } from '../../web/html.js';
import { FAILURE_REASONS } from './domain/flow-steps.js';
import { FLOW_TEXTS, flowLocaleOf, type FlowLocale } from './pages/flow-page.i18n.js';
import { renderFlowMessage, renderFlowPage, renderInbox } from './pages/flow-page.view.js';
import { SandboxEDocumentService } from './sandbox-edocument.service.js';
import { skipsInput, SandboxFlowSessionsService, type StepAction } from './sandbox-flow-sessions.service.js';
import { maskPhone } from '../../common/domain/pii-mask.js';

interface FlowQuery {
  redirect?: string;
  locale?: string;
  web_view?: string;
}

interface StepForm extends FlowQuery {
  technology?: string;
  action?: string;
  reason?: string;
  iin?: string;
  phone?: string;
  code?: string;
}


/**
 * The person's pages of the identity sandbox (`<base>/sandbox/remote`, the counterpart of remote.biometric.kz):
 * `flow/<session_id>?redirect=…&locale=ru|en[&web_view=true]` runs the flow's technologies in order; when it is
 * over the person goes to `redirect`, or with `web_view=true` to `finished` (000), the URL an app catches.
 */
@ApiExcludeController()
@Public()
@Controller('sandbox/remote')
export class SandboxFlowPageController {
  constructor(
    private readonly sessions: SandboxFlowSessionsService,
    private readonly edocuments: SandboxEDocumentService,
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

  private carry(query: FlowQuery): Record<string, string> {
    const carry: Record<string, string> = { locale: flowLocaleOf(query.locale) };
    if (isAcceptableRedirectUrl(query.redirect)) carry.redirect = query.redirect!;
    if (query.web_view === 'true') carry.web_view = 'true';
    return carry;
  }

  @Get('flow/:sessionId')
  async page(@Param('sessionId') sessionId: string, @Query() query: FlowQuery, @Res() response: Response): Promise<void> {
    await this.render(response, sessionId, query, null, 200);
  }

  @Post('flow/:sessionId')
  async step(@Param('sessionId') sessionId: string, @Body() form: StepForm, @Res() response: Response): Promise<void> {
    const locale = flowLocaleOf(form.locale);
    try {
      const technology = String(form.technology ?? '');
      if (form.action === 'request') await this.sessions.requestEDocument(sessionId, String(form.iin ?? '').trim(), String(form.phone ?? '').trim());
      else if (form.action === 'approve') await this.sessions.approveEDocument(sessionId, String(form.code ?? '').trim());
      else if (form.action === 'pass' || form.action === 'fail') {
        const action: StepAction = form.action === 'pass' ? { kind: 'pass' } : { kind: 'fail', reason: String(form.reason ?? FAILURE_REASONS[technology]?.[0] ?? '') };
        await this.sessions.act(sessionId, technology, action);
      } else throw new ProviderApiError(400, 'action: pass, fail, request or approve');
    } catch (error) {
      if (!(error instanceof ProviderApiError)) throw error;
      return this.render(response, sessionId, form, error.detail, error.status);
    }
    const session = await this.sessions.find(sessionId);
    if (session?.status === 'FINISHED') return this.end(response, form, locale);
    const params = new URLSearchParams(this.carry(form));
    response.redirect(303, `${encodeURIComponent(sessionId)}?${params.toString()}`);
  }

  /** The flow is over: to `finished` inside a WebView, else to `redirect`, else the finished page here. */
  private end(response: Response, query: FlowQuery, locale: FlowLocale): void {
    if (query.web_view === 'true') return response.redirect(303, `../finished?locale=${locale}`);
    if (isAcceptableRedirectUrl(query.redirect)) return response.redirect(303, query.redirect!);
    return response.redirect(303, `../finished?locale=${locale}`);
  }

  private async render(response: Response, sessionId: string, query: FlowQuery, error: string | null, status: number): Promise<void> {
    const locale = flowLocaleOf(query.locale);
    const t = FLOW_TEXTS[locale];
    const session = await this.sessions.find(sessionId);
    if (!session) return this.send(response, 404, renderFlowMessage(locale, t.title, t.notFound));
    const view = await this.sessions.view(session);
    if (view.expired) return this.send(response, 410, renderFlowMessage(locale, t.title, t.expired));
    if (!view.current) {
      const failed = session.results.find((r) => !r.passed);
      const message = failed ? `${t.failedAt} ${t.technologies[failed.code] ?? failed.code} (${t.reasons[failed.failureReason?.type ?? ''] ?? failed.failureReason?.type ?? ''})` : t.passedAll;
      const back = isAcceptableRedirectUrl(query.redirect) ? `<p><a href="${escapeHtml(query.redirect!)}">${escapeHtml(t.backToService)}</a></p>` : '';
      return this.send(response, 200, renderFlowMessage(locale, t.finished, message, back));
    }
    const ed = session.metadata.edocument as { iin?: { value: string | null; changeable: boolean }; phone?: { value: string | null; changeable: boolean } } | undefined;
    const request = view.edocumentRequest;
    // With skip_input (values given and locked) the person goes straight to the code: the request is sent on opening.
    if (view.current === 'ED' && !request && skipsInput(session.metadata) && !error) {
      try {
        await this.sessions.requestEDocument(session.id, ed!.iin!.value!, ed!.phone!.value!);
        return this.render(response, sessionId, query, null, status);
      } catch (caught) {
        if (!(caught instanceof ProviderApiError)) throw caught;
        return this.render(response, sessionId, query, caught.detail, caught.status);
      }
    }
    this.send(
      response,
      status,
      renderFlowPage({
        locale,
        carry: this.carry(query),
        sessionId: session.id,
        technologies: session.technologies,
        step: session.step,
        current: view.current,
        reference: view.reference,
        edocument:
          view.current === 'ED'
            ? {
                iin: { value: request?.iin ?? ed?.iin?.value ?? '', locked: ed?.iin?.changeable === false && Boolean(ed.iin.value) },
                phone: { value: request?.phone ?? ed?.phone?.value ?? '', locked: ed?.phone?.changeable === false && Boolean(ed.phone.value) },
                codeSentTo: request ? maskPhone(request.phone) : null,
                inboxHref: `../inbox?${new URLSearchParams({ phone: request?.phone ?? '', locale }).toString()}`,
              }
            : undefined,
        error,
      }),
    );
  }

  @Get('finished')
  finished(@Query('locale') localeValue: string | undefined, @Res() response: Response): void {
    const locale = flowLocaleOf(localeValue);
    this.send(response, 200, renderFlowMessage(locale, FLOW_TEXTS[locale].finished, FLOW_TEXTS[locale].finished));
  }

  @Get('inbox')
  async inbox(@Query('phone') phone: string | undefined, @Query('locale') localeValue: string | undefined, @Res() response: Response): Promise<void> {
    const locale = flowLocaleOf(localeValue);
    const value = typeof phone === 'string' ? phone.trim() : '';
    this.send(response, 200, renderInbox(locale, value, await this.edocuments.inbox(value)));
  }
}
