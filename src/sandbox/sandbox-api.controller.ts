import { Body, Controller, Get, Headers, HttpCode, Inject, Post, Query, Req, Res, UseFilters, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/app-config.js';
import { Public } from '../common/http/public.decorator.js';
import type { SandboxEndpoint } from './domain/faults.js';
import { ProviderApiError, SANDBOX_TEXTS } from './sandbox.errors.js';
import type { SandboxDocument, SandboxOrganisation, SandboxSession } from './sandbox.entities.js';
import { SandboxArchiveService } from './sandbox-archive.service.js';
import { SandboxExceptionFilter } from './sandbox-exception.filter.js';
import { SandboxFaultsService } from './sandbox-faults.service.js';
import { SandboxOrganisationsService } from './sandbox-organisations.service.js';
import { SandboxSessionsService } from './sandbox-sessions.service.js';
import { formFile, formValue, sandboxMaxFileBytes, SandboxUploadInterceptor } from './sandbox-upload.interceptor.js';

/** Answers of the provider API in its own format: its field names, ISO times. */
function documentJson(document: SandboxDocument) {
  return {
    id: document.id,
    name: document.name,
    sign: document.sign ? document.sign.toString('base64') : null,
    created_at: document.createdAt.toISOString(),
    updated_at: document.updatedAt.toISOString(),
  };
}

function sessionJson(session: SandboxSession) {
  return { session_id: session.id, created_at: session.createdAt.toISOString(), check_id: session.checkId };
}

function truthy(value: unknown): boolean {
  return typeof value === 'string' && ['true', '1', 'yes'].includes(value.toLowerCase());
}

/**
 * The sandbox's Cloud EDS API, at the guide's paths under /sandbox (with or without the trailing slash),
 * authenticated with a sandbox organisation's `x-api-key`. Errors come as `{"detail": "<text of the guide>"}`.
 */
@ApiTags('sandbox: Cloud EDS API')
@ApiHeader({ name: 'x-api-key', description: 'A sandbox organisation key (`kezek sandbox org create`)', required: true })
@Public()
@Controller('sandbox/api/v1/session')
@UseFilters(SandboxExceptionFilter)
export class SandboxApiController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly organisations: SandboxOrganisationsService,
    private readonly sessions: SandboxSessionsService,
    private readonly faults: SandboxFaultsService,
    private readonly archive: SandboxArchiveService,
  ) {}

  private async caller(apiKey: string | undefined, endpoint: SandboxEndpoint, request: Request): Promise<SandboxOrganisation> {
    const auth = await this.organisations.authenticate(apiKey);
    if (!auth.ok) throw ProviderApiError.of(auth.reason === 'inactive' ? 'ORGANIZATION_NOT_FOUND' : 'API_KEY_NOT_FOUND');
    await this.faults.apply(auth.organisation, endpoint, request);
    return auth.organisation;
  }

  @Post('create')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a session (iin, phone, document_type pdf|xml)' })
  async create(@Headers('x-api-key') apiKey: string | undefined, @Body() body: Record<string, unknown> | undefined, @Req() request: Request) {
    const organisation = await this.caller(apiKey, 'create', request);
    return sessionJson(await this.sessions.create(organisation, body ?? {}));
  }

  @Post('documents/upload')
  @HttpCode(200)
  @UseInterceptors(SandboxUploadInterceptor)
  @ApiOperation({ summary: 'Upload a document as form-data (session_id, name, file)' })
  async upload(@Headers('x-api-key') apiKey: string | undefined, @Req() request: Request) {
    const organisation = await this.caller(apiKey, 'upload', request);
    const document = await this.sessions.upload(organisation, {
      sessionId: formValue(request, 'session_id'),
      name: formValue(request, 'name'),
      file: formFile(request, 'file'),
    });
    return documentJson(document);
  }

  @Post('documents/upload/base64')
  @HttpCode(200)
  @ApiOperation({ summary: 'Upload a document as base64 JSON (session_id, name, base64_file)' })
  async uploadBase64(@Headers('x-api-key') apiKey: string | undefined, @Body() body: Record<string, unknown> | undefined, @Req() request: Request) {
    const organisation = await this.caller(apiKey, 'upload', request);
    const encoded = body?.base64_file;
    if (typeof encoded !== 'string' || encoded.length === 0) throw new ProviderApiError(400, 'base64_file: field required');
    const cleaned = encoded.replace(/^data:[^,]*,/, '').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(cleaned)) throw new ProviderApiError(400, 'base64_file: not valid base64');
    const limit = sandboxMaxFileBytes(this.config);
    if (Math.floor((cleaned.length * 3) / 4) > limit + 3) throw new ProviderApiError(413, SANDBOX_TEXTS.fileTooLarge(limit));
    const file = new Uint8Array(Buffer.from(cleaned, 'base64'));
    const document = await this.sessions.upload(organisation, { sessionId: body?.session_id, name: body?.name, file });
    return documentJson(document);
  }

  @Get('result')
  @ApiOperation({ summary: 'The documents of a session with their CMS (`sign`, base64 DER) once signed' })
  async result(@Headers('x-api-key') apiKey: string | undefined, @Query('session_id') sessionId: unknown, @Req() request: Request) {
    const organisation = await this.caller(apiKey, 'result', request);
    const { session, documents } = await this.sessions.result(organisation, sessionId);
    return { session_id: session.id, docs: documents.map((d) => ({ id: d.id, name: d.name, sign: d.sign ? d.sign.toString('base64') : null })) };
  }

  @Get('result/download')
  @ApiOperation({ summary: 'Zip of document copies with a signature page (in_base64=true: JSON with base64 copies)' })
  async download(
    @Headers('x-api-key') apiKey: string | undefined,
    @Query('session_id') sessionId: unknown,
    @Query('in_base64') inBase64: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const organisation = await this.caller(apiKey, 'download', request);
    const { session, documents } = await this.sessions.signedDocuments(organisation, sessionId);
    const copies = await this.archive.copies(session, documents);
    if (truthy(inBase64)) {
      response.status(200).json({
        session_id: session.id,
        docs: copies.map((c) => ({ id: c.id, name: c.name, base64_file: Buffer.from(c.bytes).toString('base64') })),
      });
      return;
    }
    const zip = this.archive.zip(copies);
    response
      .status(200)
      .type('application/zip')
      .setHeader('content-disposition', `attachment; filename="documents.zip"`)
      .send(Buffer.from(zip));
  }

  @Get('status')
  @ApiOperation({ summary: 'Session status STARTED|PROCESS|FINISHED|CANCELED and failure_reason' })
  async status(@Headers('x-api-key') apiKey: string | undefined, @Query('session_id') sessionId: unknown, @Req() request: Request) {
    const organisation = await this.caller(apiKey, 'status', request);
    const session = await this.sessions.sessionFor(organisation, sessionId);
    return { session_id: session.id, status: session.status, failure_reason: session.failureReason };
  }
}
