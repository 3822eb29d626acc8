import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Patch } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppError } from '../common/errors/app-error.js';
import { uuidParam } from '../common/http/params.js';
import { Public } from '../common/http/public.decorator.js';
import { isIinFormat } from '../cms/iin.js';
import { isFailureReason, isRedirectReason, REDIRECT_REASON_OF, type RedirectReason } from './domain/session-rules.js';
import { CompletedSessionDto, CompleteSessionDto, FaultsDto, OrganisationSettingsDto, PersonDto, PersonViewDto } from './dto/automation.dto.js';
import type { SandboxOrganisation } from './sandbox.entities.js';
import { SandboxOrganisationsService } from './sandbox-organisations.service.js';
import { SandboxPeopleService } from './sandbox-people.service.js';
import { SandboxSessionsService } from './sandbox-sessions.service.js';
import { SandboxWebhooksService } from './sandbox-webhooks.service.js';

/**
 * Automation of the sandbox, for tests, benchmarks and demos: NOT part of the provider's API.
 * Authenticated with the sandbox organisation's `x-api-key`; errors in Kezek's format.
 */
@ApiTags('sandbox: automation (not the provider API)')
@ApiHeader({ name: 'x-api-key', description: 'A sandbox organisation key', required: true })
@Public()
@Controller('sandbox/automation')
export class SandboxAutomationController {
  constructor(
    private readonly organisations: SandboxOrganisationsService,
    private readonly sessions: SandboxSessionsService,
    private readonly people: SandboxPeopleService,
    private readonly webhooks: SandboxWebhooksService,
  ) {}

  private async caller(apiKey: string | undefined): Promise<SandboxOrganisation> {
    const auth = await this.organisations.authenticate(apiKey);
    if (!auth.ok) throw new AppError('UNAUTHENTICATED', 'Send a sandbox organisation key as x-api-key');
    return auth.organisation;
  }

  @Post('sessions/:sessionId/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'End a session as the sign page would (sign, or cancel with a reason) and get the redirect it would make' })
  @ApiOkResponse({ type: CompletedSessionDto })
  async complete(@Headers('x-api-key') apiKey: string | undefined, @Param('sessionId', uuidParam('sessionId')) sessionId: string, @Body() body: CompleteSessionDto): Promise<CompletedSessionDto> {
    const organisation = await this.caller(apiKey);
    const session = await this.sessions.findSession(sessionId);
    if (!session || session.organisationId !== organisation.id) throw new AppError('SANDBOX_SESSION_NOT_FOUND', `Session ${sessionId} not found`);
    let result;
    if (body.outcome === 'sign') {
      if ((await this.sessions.documentsOf(session.id)).length === 0) throw new AppError('SANDBOX_NO_DOCUMENTS', 'Document file(s) not found: upload a document first');
      if (body.signAsIin && !isIinFormat(body.signAsIin)) throw new AppError('VALIDATION_FAILED', 'signAsIin: 12 digits');
      result = await this.sessions.end(session.id, { kind: 'sign' }, { signAsIin: body.signAsIin, redirectUrl: body.redirectUrl });
    } else {
      const given = body.reason ?? 'closed';
      const reason: RedirectReason = isRedirectReason(given) ? given : isFailureReason(given) && given !== 'EXPIRED' ? REDIRECT_REASON_OF[given] : 'closed';
      result = await this.sessions.end(session.id, { kind: 'cancel', reason }, { redirectUrl: body.redirectUrl });
    }
    return { session_id: result.session.id, status: result.session.status, failure_reason: result.session.failureReason, redirect_url: result.redirectUrl, changed: result.changed };
  }

  @Post('sessions/:sessionId/expire')
  @HttpCode(200)
  @ApiOperation({ summary: 'End an open session now as if its 30 minutes were over (status CANCELED, failure_reason EXPIRED)' })
  @ApiOkResponse({ type: CompletedSessionDto })
  async expire(@Headers('x-api-key') apiKey: string | undefined, @Param('sessionId', uuidParam('sessionId')) sessionId: string): Promise<CompletedSessionDto> {
    const organisation = await this.caller(apiKey);
    const session = await this.sessions.findSession(sessionId);
    if (!session || session.organisationId !== organisation.id) throw new AppError('SANDBOX_SESSION_NOT_FOUND', `Session ${sessionId} not found`);
    const result = await this.sessions.end(session.id, { kind: 'expire' });
    return { session_id: result.session.id, status: result.session.status, failure_reason: result.session.failureReason, redirect_url: result.redirectUrl, changed: result.changed };
  }

  @Get('faults')
  @ApiOperation({ summary: "The organisation's faults in force (its own, else the configured defaults)" })
  @ApiOkResponse({ type: FaultsDto })
  async faults(@Headers('x-api-key') apiKey: string | undefined) {
    return this.organisations.effectiveFaults(await this.caller(apiKey));
  }

  @Put('faults')
  @ApiOperation({ summary: 'Set faults at runtime: 503 share, latency, dropped connections, forced errors of the table' })
  @ApiOkResponse({ type: FaultsDto })
  async setFaults(@Headers('x-api-key') apiKey: string | undefined, @Body() body: FaultsDto) {
    const organisation = await this.caller(apiKey);
    const faults = {
      ...(body.unavailableRate !== undefined ? { unavailableRate: body.unavailableRate } : {}),
      ...(body.latencyMs !== undefined ? { latencyMs: body.latencyMs } : {}),
      ...(body.dropRate !== undefined ? { dropRate: body.dropRate } : {}),
      ...(body.failNext ? { failNext: { error: body.failNext.error, count: body.failNext.count ?? 1, ...(body.failNext.endpoint ? { endpoint: body.failNext.endpoint } : {}) } } : {}),
    };
    await this.organisations.update(organisation.id, { faults });
    return this.organisations.effectiveFaults({ ...organisation, faults });
  }

  @Patch('organisation')
  @ApiOperation({ summary: "Change the organisation's webhook URL, signing mode (nest|cosign) or detached output" })
  async settings(@Headers('x-api-key') apiKey: string | undefined, @Body() body: OrganisationSettingsDto) {
    const organisation = await this.caller(apiKey);
    return this.organisations.update(organisation.id, body);
  }

  @Get('persons/:iin')
  @ApiOperation({ summary: 'The name the sandbox knows for an IIN (registered, or derived from the IIN)' })
  @ApiOkResponse({ type: PersonViewDto })
  async person(@Headers('x-api-key') apiKey: string | undefined, @Param('iin') iin: string): Promise<PersonViewDto> {
    await this.caller(apiKey);
    if (!isIinFormat(iin)) throw new AppError('VALIDATION_FAILED', 'iin: 12 digits');
    const name = await this.people.nameOf(iin);
    return { iin, ...name };
  }

  @Put('persons/:iin')
  @ApiOperation({ summary: 'Register the name of an IIN (used in its certificate from the next signature on)' })
  @ApiOkResponse({ type: PersonViewDto })
  async registerPerson(@Headers('x-api-key') apiKey: string | undefined, @Param('iin') iin: string, @Body() body: PersonDto): Promise<PersonViewDto> {
    await this.caller(apiKey);
    if (!isIinFormat(iin)) throw new AppError('VALIDATION_FAILED', 'iin: 12 digits');
    const name = await this.people.register(iin, { surname: body.surname, givenName: body.givenName, patronymic: body.patronymic ?? '' });
    return { iin, ...name, registered: true };
  }

  @Get('webhook-deliveries')
  @ApiOperation({ summary: "The organisation's latest webhook deliveries and their state" })
  async deliveries(@Headers('x-api-key') apiKey: string | undefined) {
    const organisation = await this.caller(apiKey);
    return this.webhooks.deliveriesOf(organisation.id);
  }
}
