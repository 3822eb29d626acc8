import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../common/http/public.decorator.js';
import { EvidenceSealService } from './evidence-seal.service.js';

@ApiTags('verification')
@Controller('v1/evidence')
export class EvidenceSealController {
  constructor(private readonly seal: EvidenceSealService) {}

  @Public()
  @Get('seal-certificate.pem')
  @ApiOperation({
    summary: 'The certificate evidence packs are sealed with',
    description: 'Keep a copy apart from the packs: `kezek verify-evidence <pack> --seal seal.pem` then fails for any pack whose manifest was rewritten.',
  })
  @ApiProduces('application/x-pem-file')
  @ApiOkResponse({ description: 'PEM', schema: { type: 'string' } })
  async certificate(@Res({ passthrough: true }) response: Response): Promise<string> {
    response.type('application/x-pem-file').setHeader('content-disposition', 'inline; filename="kezek-evidence-seal.pem"');
    return this.seal.certificatePem();
  }
}
