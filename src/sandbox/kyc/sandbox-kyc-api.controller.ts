import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../common/http/public.decorator.js';
import { SandboxExceptionFilter } from '../sandbox-exception.filter.js';
import { ProviderApiError } from '../sandbox.errors.js';
import { LIVENESS_VIDEO_TYPE } from './domain/liveness-video.js';
import { SandboxEDocumentService } from './sandbox-edocument.service.js';
import { SandboxFlowSessionsService } from './sandbox-flow-sessions.service.js';
import { SandboxKycAccountsService } from './sandbox-kyc-accounts.service.js';

/**
 * A JSON body, also when it came without a Content-Type (the guide's own session-create example sends
 * `JSON.stringify(...)` bare, which fetch labels text/plain): the text parser leaves it a string.
 */
export function jsonBody(body: unknown): Record<string, unknown> {
  if (typeof body === 'string') {
    if (body.trim() === '') return {};
    try {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // answered below
    }
    throw new ProviderApiError(400, 'JSON parse error: the body must be a JSON object');
  }
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/**
 * The sandbox's identity API host (`<base>/sandbox/kyc`): Flow Remote (001) and E-Document (004) at the guides'
 * paths, keys in bodies and query strings as the guides put them, errors as `{"detail": "<text>"}`.
 */
@ApiTags('sandbox: identity API (Flow Remote, E-Document)')
@Public()
@Controller('sandbox/kyc/api/v1')
@UseFilters(SandboxExceptionFilter)
export class SandboxKycApiController {
  constructor(
    private readonly accounts: SandboxKycAccountsService,
    private readonly sessions: SandboxFlowSessionsService,
    private readonly edocuments: SandboxEDocumentService,
  ) {}

  @Post('flows/session/create')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a flow session (api_key, metadata) → session_id, technologies' })
  async create(@Body() raw: unknown) {
    const body = jsonBody(raw);
    const flow = await this.accounts.flowByKey(body.api_key);
    return this.sessions.create(flow, body.metadata);
  }

  @Get('flows/session/result')
  @ApiOperation({ summary: 'The result of a flow session ({} until it is over)' })
  async result(@Query('session_id') sessionId: unknown, @Query('flow_api_key') apiKey: unknown) {
    const flow = await this.accounts.flowByKey(apiKey);
    return this.sessions.result(flow, sessionId);
  }

  @Get('liveness/video/download')
  @ApiOperation({ summary: 'The liveness video of a session' })
  async video(@Query('session_id') sessionId: unknown, @Query('flow_api_key') apiKey: unknown, @Res() response: Response): Promise<void> {
    const flow = await this.accounts.flowByKey(apiKey);
    const video = await this.sessions.video(flow, sessionId);
    response.status(200).type(LIVENESS_VIDEO_TYPE).setHeader('content-disposition', 'attachment; filename="liveness.y4m"').send(video);
  }

  @Post('flows/session/:sessionId/report')
  @HttpCode(200)
  @ApiOperation({ summary: 'Signed PDF report of one technology (needs extra.iin) → {pdf}' })
  async report(@Param('sessionId') sessionId: string, @Query('technology') technology: unknown, @Body() raw: unknown) {
    const body = jsonBody(raw);
    const flow = await this.accounts.flowByKey(body.api_key);
    return this.sessions.report(flow, sessionId, technology);
  }

  @Post('backend/e-document/online-access/request/:documentType')
  @HttpCode(200)
  @ApiOperation({ summary: 'Request a state document (api_key, iin, phone) → backend_session_id; the OTP comes from 1414' })
  async request(@Param('documentType') documentType: string, @Body() raw: unknown) {
    const body = jsonBody(raw);
    const client = await this.accounts.clientByBackendKey(body.api_key);
    const request = await this.edocuments.request(client, documentType, body);
    return { backend_session_id: request.id };
  }

  @Post('backend/e-document/online-access/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve with the OTP (backend_session_id, code, file, file_type) → the document' })
  async approve(@Body() raw: unknown) {
    return (await this.edocuments.approve(jsonBody(raw))).answer;
  }

  @Post('e-document/generate-files')
  @HttpCode(200)
  @ApiOperation({ summary: 'Generate document_pdf and document_image again (session_id, api_key)' })
  async generateFiles(@Body() raw: unknown) {
    const body = jsonBody(raw);
    const client = await this.accounts.clientByBackendKey(body.api_key);
    return this.edocuments.generateFiles(client, body.session_id);
  }
}
