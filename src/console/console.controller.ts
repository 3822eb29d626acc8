import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res, UploadedFiles, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppError } from '../common/errors/app-error.js';
import { requestActor, type Actor } from '../common/http/actor.js';
import { uuidParam } from '../common/http/params.js';
import { validateBody } from '../common/http/validation.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { EnvelopeFieldsDto } from '../envelopes/dto/create-envelope.dto.js';
import { EnvelopesService } from '../envelopes/envelopes.service.js';
import { EvidencePackService } from '../evidence/evidence-pack.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { Public } from '../common/http/public.decorator.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import { hasRole } from '../users/domain/roles.js';
import { UsersService, type ConsoleIdentity } from '../users/users.service.js';
import { ConsoleSessionGuard, CurrentSessionId, CurrentUser, MinRole, MultipartCsrfCheck, MultipartForm, setSessionCookie } from './console-auth.js';
import { ConsoleEnvelopesService, CSV_MAX_ROWS } from './console-envelopes.service.js';
import { ConsoleSettingsService } from './console-settings.service.js';
import { sendPage, setPageHeaders } from '../web/html-response.js';
import { ConsoleExceptionFilter, consoleLanguage } from './console-http.js';
import { dashboardPage, envelopeDetailPage, mailboxPage, envelopesPage, newEnvelopePage, passwordPage, settingsPage } from './console-pages.view.js';
import { consoleText } from './console-text.js';
import { csvCell, parseFilter } from './domain/envelope-filter.js';
import { formToEnvelope } from './domain/envelope-form.js';

type Form = Record<string, unknown>;

function userActor(request: Request, user: ConsoleIdentity): Actor {
  return requestActor('user', request, user.userId);
}

function attachment(response: Response, type: string, fileName: string): void {
  setPageHeaders(response, 'console');
  response.setHeader('Content-Type', type);
  response.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`);
}

/**
 * The console for an organisation's people, under /console. Every route needs a session; what it may do
 * follows the user's role; every query is scoped by the user's organisation (another organisation's
 * envelope is "not found").
 */
@Public()
@ApiExcludeController()
@UseGuards(ConsoleSessionGuard)
@UseFilters(ConsoleExceptionFilter)
@Controller('console')
export class ConsoleController {
  constructor(
    private readonly consoleEnvelopes: ConsoleEnvelopesService,
    private readonly envelopes: EnvelopesService,
    private readonly evidence: EvidencePackService,
    private readonly users: UsersService,
    private readonly organisations: OrganisationsService,
    private readonly notifications: NotificationsService,
    private readonly settingsReads: ConsoleSettingsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async dashboard(@CurrentUser() user: ConsoleIdentity, @Req() request: Request, @Res() response: Response): Promise<void> {
    sendPage(response, 'console', 200, dashboardPage(consoleLanguage(request, response), user, await this.consoleEnvelopes.dashboard(user.organisationId)));
  }

  @Post('logout')
  async logout(@CurrentSessionId() sessionId: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.users.logout(sessionId);
    setSessionCookie(request, response, null);
    response.redirect(303, '/console/login');
  }

  @Get('account/password')
  passwordForm(@CurrentUser() user: ConsoleIdentity, @Req() request: Request, @Res() response: Response): void {
    sendPage(response, 'console', 200, passwordPage(consoleLanguage(request, response), user, undefined));
  }

  @Post('account/password')
  async changePassword(@CurrentUser() user: ConsoleIdentity, @CurrentSessionId() sessionId: string, @Body() body: Form, @Req() request: Request, @Res() response: Response): Promise<void> {
    const language = consoleLanguage(request);
    try {
      await this.users.changePassword(user.userId, String(body.current ?? ''), String(body.next ?? ''), sessionId);
      sendPage(response, 'console', 200, passwordPage(language, user, { ok: true, text: consoleText(language).passwordChanged }));
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'VALIDATION_FAILED') throw error;
      sendPage(response, 'console', 400, passwordPage(language, user, { ok: false, text: error.message }));
    }
  }

  @Get('envelopes')
  async list(@CurrentUser() user: ConsoleIdentity, @Query() query: Record<string, unknown>, @Req() request: Request, @Res() response: Response): Promise<void> {
    const language = consoleLanguage(request, response);
    const filter = parseFilter(query);
    const [result, senders] = await Promise.all([this.consoleEnvelopes.list(user.organisationId, filter), this.users.actorNames(user.organisationId)]);
    sendPage(response, 'console', 200, envelopesPage(language, user, filter, result, senders));
  }

  @Get('envelopes.csv')
  async csv(@CurrentUser() user: ConsoleIdentity, @Query() query: Record<string, unknown>, @Res() response: Response): Promise<void> {
    const filter = { ...parseFilter(query), cursor: null };
    const [result, senders] = await Promise.all([this.consoleEnvelopes.list(user.organisationId, filter, CSV_MAX_ROWS), this.users.actorNames(user.organisationId)]);
    const lines = [['id', 'title', 'status', 'created_at', 'updated_at', 'finished_at', 'sender', 'signers'].join(',')];
    for (const row of result.items) {
      lines.push(
        [
          row.id,
          row.title,
          row.status,
          row.createdAt.toISOString(),
          row.updatedAt.toISOString(),
          row.finishedAt?.toISOString() ?? '',
          row.senderId ? (senders.get(row.senderId) ?? row.senderId) : '',
          row.signers.map((s) => `${s.fullName} (${s.status})`).join('; '),
        ]
          .map(csvCell)
          .join(','),
      );
    }
    attachment(response, 'text/csv; charset=utf-8', `envelopes-${new Date().toISOString().slice(0, 10)}.csv`);
    // A BOM so spreadsheet programs read the Cyrillic and Kazakh names as UTF-8.
    response.status(200).send(`\uFEFF${lines.join('\r\n')}\r\n`);
  }

  @Get('envelopes/new')
  @MinRole('member')
  newForm(@CurrentUser() user: ConsoleIdentity, @Req() request: Request, @Res() response: Response): void {
    sendPage(response, 'console', 200, newEnvelopePage(consoleLanguage(request, response), user));
  }

  @Post('envelopes')
  @MinRole('member')
  @MultipartForm()
  @UseInterceptors(FilesInterceptor('files'), MultipartCsrfCheck)
  async create(@CurrentUser() user: ConsoleIdentity, @Body() body: Form, @UploadedFiles() files: Express.Multer.File[] | undefined, @Req() request: Request, @Res() response: Response): Promise<void> {
    const language = consoleLanguage(request);
    try {
      const { fields, documents } = formToEnvelope(body, files ?? []);
      const dto = await validateBody(EnvelopeFieldsDto, fields);
      const envelope = await this.envelopes.create(user.organisationId, dto, documents, userActor(request, user));
      response.redirect(303, `/console/envelopes/${envelope.id}`);
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500 || error.status === 403) throw error;
      sendPage(response, 'console', error.status, newEnvelopePage(language, user, error.message));
    }
  }

  @Get('envelopes/:id')
  async detail(@CurrentUser() user: ConsoleIdentity, @Param('id', uuidParam()) id: string, @Query('reminded') reminded: string | undefined, @Req() request: Request, @Res() response: Response): Promise<void> {
    const language = consoleLanguage(request, response);
    const notice = reminded === '1' ? consoleText(language).reminderSent : undefined;
    sendPage(response, 'console', 200, envelopeDetailPage(language, user, await this.consoleEnvelopes.detail(user.organisationId, id), notice));
  }

  @Post('envelopes/:id/signers/:signerId/remind')
  @MinRole('member')
  async remind(
    @CurrentUser() user: ConsoleIdentity,
    @Param('id', uuidParam()) id: string,
    @Param('signerId', uuidParam('signerId')) signerId: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    try {
      await this.notifications.remind(user.organisationId, id, signerId, userActor(request, user));
      response.redirect(303, `/console/envelopes/${id}?reminded=1`);
    } catch (error) {
      // Too soon, not their turn, no address: the envelope page again, saying why.
      if (!(error instanceof AppError) || !['REMINDER_TOO_SOON', 'REMINDER_NOT_POSSIBLE', 'REMINDER_NO_CHANNEL'].includes(error.code)) throw error;
      const language = consoleLanguage(request);
      sendPage(response, 'console', error.status, envelopeDetailPage(language, user, await this.consoleEnvelopes.detail(user.organisationId, id), undefined, error.message));
    }
  }

  @Post('envelopes/:id/send')
  @MinRole('member')
  async send(@CurrentUser() user: ConsoleIdentity, @Param('id', uuidParam()) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.envelopes.send(user.organisationId, id, userActor(request, user));
    response.redirect(303, `/console/envelopes/${id}`);
  }

  @Post('envelopes/:id/cancel')
  @MinRole('member')
  async cancel(@CurrentUser() user: ConsoleIdentity, @Param('id', uuidParam()) id: string, @Body() body: Form, @Req() request: Request, @Res() response: Response): Promise<void> {
    const reason = typeof body.reason === 'string' ? body.reason.trim().slice(0, 500) : '';
    if (!reason) throw new AppError('VALIDATION_FAILED', 'reason: say why the envelope is canceled');
    await this.envelopes.cancel(user.organisationId, id, reason, userActor(request, user));
    response.redirect(303, `/console/envelopes/${id}`);
  }

  @Get('envelopes/:id/documents/:documentId/signed')
  async signed(@CurrentUser() user: ConsoleIdentity, @Param('id', uuidParam()) id: string, @Param('documentId', uuidParam('documentId')) documentId: string, @Res() response: Response): Promise<void> {
    const { name, cms } = await this.envelopes.signedDocument(user.organisationId, id, documentId);
    attachment(response, 'application/pkcs7-signature', `${name}.p7s`);
    response.status(200).send(cms);
  }

  @Get('envelopes/:id/evidence.zip')
  async evidencePack(@CurrentUser() user: ConsoleIdentity, @Param('id', uuidParam()) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { zip, fileName } = await this.evidence.build(user.organisationId, id, userActor(request, user));
    attachment(response, 'application/zip', fileName);
    response.status(200).send(Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength));
  }

  @Get('envelopes/:id/certificate.pdf')
  async certificate(@CurrentUser() user: ConsoleIdentity, @Param('id', uuidParam()) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const pdf = await this.consoleEnvelopes.certificateOfCompletion(user.organisationId, id, userActor(request, user));
    attachment(response, 'application/pdf', `certificate-of-completion-${id}.pdf`);
    response.status(200).send(pdf);
  }

  @Get('envelopes/:id/archives/:archiveId.zip')
  async archive(@CurrentUser() user: ConsoleIdentity, @Param('id', uuidParam()) id: string, @Param('archiveId', uuidParam('archiveId')) archiveId: string, @Res() response: Response): Promise<void> {
    const { zip, fileName } = await this.consoleEnvelopes.archiveZip(user.organisationId, id, archiveId);
    attachment(response, 'application/zip', fileName);
    response.status(200).send(zip);
  }

  @Get('mailbox')
  @MinRole('member')
  async mailbox(@CurrentUser() user: ConsoleIdentity, @Req() request: Request, @Res() response: Response): Promise<void> {
    // Messages carry signers' links: members and above, who may copy those links anyway.
    sendPage(response, 'console', 200, mailboxPage(consoleLanguage(request, response), user, await this.notifications.latest(user.organisationId), this.notifications.transportKind));
  }

  @Get('settings')
  @MinRole('admin')
  async settings(@CurrentUser() user: ConsoleIdentity, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.renderSettings(user, request, response, 200, {});
  }

  @Post('settings/api-keys')
  @MinRole('admin')
  async createKey(@CurrentUser() user: ConsoleIdentity, @Body() body: Form, @Req() request: Request, @Res() response: Response): Promise<void> {
    const label = typeof body.label === 'string' ? body.label.trim().slice(0, 100) : '';
    const key = await this.organisations.createApiKey(user.organisationId, label);
    await this.renderSettings(user, request, response, 201, { newKey: key.key });
  }

  @Post('settings/api-keys/:keyId/revoke')
  @MinRole('admin')
  async revokeKey(@CurrentUser() user: ConsoleIdentity, @Param('keyId', uuidParam('keyId')) keyId: string, @Res() response: Response): Promise<void> {
    await this.organisations.revokeApiKey(user.organisationId, keyId);
    response.redirect(303, '/console/settings');
  }

  @Post('settings/users')
  @MinRole('owner')
  async invite(@CurrentUser() user: ConsoleIdentity, @Body() body: Form, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { token } = await this.users.invite(user.organisationId, String(body.email ?? '').slice(0, 254), String(body.role ?? ''));
    // The configured public URL, never the request's Host header (a forged Host would forge the link).
    await this.renderSettings(user, request, response, 201, { invitationUrl: this.config.publicUrl(`/console/invitations/${token}`) });
  }

  @Post('settings/users/:userId/role')
  @MinRole('owner')
  async setRole(@CurrentUser() user: ConsoleIdentity, @Param('userId', uuidParam('userId')) userId: string, @Body() body: Form, @Res() response: Response): Promise<void> {
    await this.users.setRole(user.organisationId, userId, String(body.role ?? ''));
    response.redirect(303, '/console/settings');
  }

  private async renderSettings(user: ConsoleIdentity, request: Request, response: Response, status: number, extra: { newKey?: string; invitationUrl?: string }): Promise<void> {
    const [keys, users, provider] = await Promise.all([
      this.organisations.listApiKeys(user.organisationId),
      hasRole(user.role, 'owner') ? this.users.listUsers(user.organisationId) : null,
      this.settingsReads.providerStatus(user.organisationId),
    ]);
    sendPage(response, 'console', status, settingsPage(consoleLanguage(request, response), user, { keys, users, provider, smsConfigured: this.notifications.smsConfigured, ...extra }));
  }
}

