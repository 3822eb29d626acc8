import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, UseFilters } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/http/public.decorator.js';
import { SandboxExceptionFilter } from '../sandbox-exception.filter.js';
import { ProviderApiError } from '../sandbox.errors.js';
import { SandboxEDocumentService } from './sandbox-edocument.service.js';
import { SandboxFlowSessionsService } from './sandbox-flow-sessions.service.js';
import { SandboxKycAccountsService } from './sandbox-kyc-accounts.service.js';
import { jsonBody } from './sandbox-kyc-api.controller.js';

/** Automation of the identity sandbox for tests, benchmarks and demos: what a person would do on the pages. */
@ApiTags('sandbox: automation')
@Public()
@Controller('sandbox/automation')
@UseFilters(SandboxExceptionFilter)
export class SandboxKycAutomationController {
  constructor(
    private readonly accounts: SandboxKycAccountsService,
    private readonly sessions: SandboxFlowSessionsService,
    private readonly edocuments: SandboxEDocumentService,
  ) {}

  @Post('flows/:sessionId/complete')
  @HttpCode(200)
  @ApiHeader({ name: 'x-api-key', description: 'The flow API KEY the session was created with', required: true })
  @ApiOperation({ summary: 'Finish a flow session: {"outcome": "pass"} or {"outcome": "fail", "technology": "LD", "reason"?: "…"}; "documentOwnerIin"?: the E-Document belongs to another person → its result' })
  async complete(@Param('sessionId') sessionId: string, @Headers('x-api-key') apiKey: string | undefined, @Body() raw: unknown) {
    const flow = await this.accounts.flowByKey(apiKey);
    const body = jsonBody(raw);
    return this.sessions.complete(flow, sessionId, body.outcome, body.technology, body.reason, body.documentOwnerIin);
  }

  @Get('edocument/otp')
  @ApiHeader({ name: 'x-api-key', description: 'The Backend Api Key', required: true })
  @ApiOperation({ summary: 'The OTP "sent from 1414" for an E-Document request → {"code": "…"}' })
  async otp(@Query('backend_session_id') backendSessionId: unknown, @Headers('x-api-key') apiKey: string | undefined) {
    const client = await this.accounts.clientByBackendKey(apiKey);
    return { code: await this.edocuments.otp(client, backendSessionId) };
  }

  @Post('edocument/faults')
  @HttpCode(200)
  @ApiHeader({ name: 'x-api-key', description: 'The Backend Api Key', required: true })
  @ApiOperation({ summary: 'Answer the next E-Document calls with a row of the error table: {"error": "NO_SUBSCRIPTION", "count"?: 1, "endpoint"?: "request|approve|generate-files"}' })
  async faults(@Headers('x-api-key') apiKey: string | undefined, @Body() raw: unknown) {
    const client = await this.accounts.clientByBackendKey(apiKey);
    try {
      return await this.accounts.setFault(client.id, jsonBody(raw));
    } catch (error) {
      throw new ProviderApiError(400, error instanceof Error ? error.message : String(error));
    }
  }
}
