import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, StreamableFile, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditService } from '../audit/audit.service.js';
import { AuditTrailDto, AuditTrailQueryDto } from '../audit/dto/audit-trail.dto.js';
import { AppError } from '../common/errors/app-error.js';
import { requestActor } from '../common/http/actor.js';
import { uuidParam } from '../common/http/params.js';
import { validateBody } from '../common/http/validation.js';
import { IdempotencyInterceptor } from '../common/idempotency/idempotency.interceptor.js';
import { CurrentOrganisation } from '../common/http/current-organisation.decorator.js';
import type { Organisation } from '../organisations/organisation.entity.js';
import { CancelEnvelopeDto, CreateEnvelopeDto, EnvelopeFieldsDto, ListEnvelopesQueryDto } from './dto/create-envelope.dto.js';
import { EnvelopePageDto, EnvelopeViewDto } from './dto/envelope-view.dto.js';
import { EnvelopePresenter } from './envelope.presenter.js';
import { EnvelopesService, type IncomingDocument } from './envelopes.service.js';

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description: 'Retry safely: the same key and body replay the first answer; the same key with another body is 422; while the first runs, 409',
};

@ApiTags('envelopes')
@ApiBearerAuth()
@Controller('v1/envelopes')
export class EnvelopesController {
  constructor(
    private readonly envelopes: EnvelopesService,
    private readonly presenter: EnvelopePresenter,
    private readonly audit: AuditService,
  ) {}

  @Post()
  @UseInterceptors(FilesInterceptor('files'), IdempotencyInterceptor)
  @ApiOperation({
    summary: 'Create an envelope (DRAFT, or sent at once with send: true)',
    description:
      'JSON with base64 documents, or multipart/form-data with the files as `files` parts (their file names become the document names) and the rest of the body, as JSON, in an `envelope` field.',
  })
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({ type: CreateEnvelopeDto })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({ type: EnvelopeViewDto })
  async create(@CurrentOrganisation() organisation: Organisation, @Req() request: Request, @Body() body: unknown, @UploadedFiles() files: Express.Multer.File[] | undefined) {
    const actor = requestActor('api', request, organisation.id);
    let envelope;
    if (request.is('multipart/form-data')) {
      const raw = (body as { envelope?: unknown } | undefined)?.envelope;
      if (typeof raw !== 'string') throw new AppError('VALIDATION_FAILED', 'envelope: a multipart request carries the envelope as JSON in an `envelope` field');
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        throw new AppError('VALIDATION_FAILED', 'envelope: not valid JSON');
      }
      const fields = await validateBody(EnvelopeFieldsDto, parsed);
      const documents: IncomingDocument[] = (files ?? []).map((file, index) => ({ name: documentName(file.originalname, index), bytes: file.buffer }));
      envelope = await this.envelopes.create(organisation.id, fields, documents, actor);
    } else {
      const dto = await validateBody(CreateEnvelopeDto, body);
      const documents = dto.documents.map((d, i) => this.envelopes.decodeBase64Document(d.name, d.contentBase64, i));
      envelope = await this.envelopes.create(organisation.id, dto, documents, actor);
    }
    return this.presenter.view(envelope);
  }

  @Get()
  @ApiOperation({ summary: 'List envelopes, newest first, by status if asked; cursor pagination' })
  @ApiOkResponse({ type: EnvelopePageDto })
  async list(@CurrentOrganisation() organisation: Organisation, @Query() query: ListEnvelopesQueryDto) {
    const page = await this.envelopes.list(organisation.id, query);
    return {
      items: page.items.map((e) => ({ id: e.id, title: e.title, status: e.status, createdAt: e.createdAt.toISOString(), expiresAt: e.expiresAt.toISOString(), metadata: e.metadata })),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id')
  @ApiOperation({ summary: 'An envelope: status, documents, signers with their links, attempts and provider rounds' })
  @ApiOkResponse({ type: EnvelopeViewDto })
  async get(@CurrentOrganisation() organisation: Organisation, @Param('id', uuidParam()) id: string) {
    return this.presenter.view(await this.envelopes.get(organisation.id, id));
  }

  @Post(':id/send')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a DRAFT: the first routing group becomes active' })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOkResponse({ type: EnvelopeViewDto })
  async send(@CurrentOrganisation() organisation: Organisation, @Param('id', uuidParam()) id: string, @Req() request: Request) {
    return this.presenter.view(await this.envelopes.send(organisation.id, id, requestActor('api', request, organisation.id)));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel an envelope that is not finished; live provider sessions are left to expire' })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOkResponse({ type: EnvelopeViewDto })
  async cancel(@CurrentOrganisation() organisation: Organisation, @Param('id', uuidParam()) id: string, @Body() body: CancelEnvelopeDto, @Req() request: Request) {
    return this.presenter.view(await this.envelopes.cancel(organisation.id, id, body.reason, requestActor('api', request, organisation.id)));
  }

  @Get(':id/documents/:documentId/signed')
  @ApiOperation({ summary: 'The latest CMS of a document (DER, .p7s): every signer so far, verifiable with `kezek verify`' })
  @ApiProduces('application/pkcs7-signature')
  async signed(
    @CurrentOrganisation() organisation: Organisation,
    @Param('id', uuidParam()) id: string,
    @Param('documentId', uuidParam('documentId')) documentId: string,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { name, cms } = await this.envelopes.signedDocument(organisation.id, id, documentId);
    response.setHeader('Content-Type', 'application/pkcs7-signature');
    response.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`${name}.p7s`)}`);
    return new StreamableFile(cms);
  }

  @Get(':id/audit')
  @ApiOperation({
    summary: 'The envelope’s append-only, hash-chained audit trail, a page at a time, with the result of checking the chain',
    description:
      'Oldest first, `limit` events per page (default 500, at most 1000). Without `cursor` the answer is the first page; ' +
      'pass `nextCursor` as `cursor` for the next one, until `nextCursor` is null. `chainValid` covers the events of the ' +
      'page and their link to the event before it, so paging through the whole trail checks the whole chain; ' +
      '`headHash` is always the newest event’s hash.',
  })
  @ApiOkResponse({ type: AuditTrailDto })
  async auditTrail(@CurrentOrganisation() organisation: Organisation, @Param('id', uuidParam()) id: string, @Query() query: AuditTrailQueryDto) {
    // Every envelope has events from its creation on; the trail is scoped by organisation like the envelope.
    return this.audit.list(organisation.id, id, query);
  }
}

/**
 * A multipart file name as the document's display name: multipart parsers read names as latin1, so UTF-8
 * names (Cyrillic, Kazakh) are decoded again; 1 to 200 characters like JSON document names.
 */
function documentName(raw: string, index: number): string {
  const utf8 = Buffer.from(raw, 'latin1').toString('utf8');
  const name = (utf8.includes('\uFFFD') ? raw : utf8).trim();
  if (name.length < 1 || name.length > 200) {
    throw new AppError('VALIDATION_FAILED', `files[${index}]: the file name must be 1 to 200 characters`);
  }
  return name;
}
