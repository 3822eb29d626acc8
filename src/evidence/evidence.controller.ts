import { Controller, Get, Param, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { requestActor } from '../common/http/actor.js';
import { uuidParam } from '../common/http/params.js';
import { CurrentOrganisation } from '../common/http/current-organisation.decorator.js';
import type { Organisation } from '../organisations/organisation.entity.js';
import { EvidencePackService } from './evidence-pack.service.js';

@ApiTags('envelopes')
@ApiBearerAuth()
@Controller('v1/envelopes')
export class EvidenceController {
  constructor(private readonly evidence: EvidencePackService) {}

  @Get(':id/evidence.zip')
  @ApiOperation({
    summary: 'The evidence pack: originals, final CMS, provider archives, audit trail, reports and a certificate of completion',
    description:
      'A zip with manifest.json (SHA-256 of every file), documents/, signatures/ (final CMS), reports/ (verification reports), archives/ (each round’s provider archive), audit/audit-trail.json (hash chain) and certificate-of-completion.pdf. Check it offline with `kezek verify-evidence <file> --trust <ca.pem>`. The export is recorded in the audit trail.',
  })
  @ApiProduces('application/zip')
  @ApiOkResponse({ description: 'The zip', schema: { type: 'string', format: 'binary' } })
  async pack(@CurrentOrganisation() organisation: Organisation, @Param('id', uuidParam()) id: string, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const { zip, fileName } = await this.evidence.build(organisation.id, id, requestActor('api', request, organisation.id));
    response.setHeader('Content-Type', 'application/zip');
    response.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    response.setHeader('Cache-Control', 'no-store');
    return new StreamableFile(Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength));
  }
}
