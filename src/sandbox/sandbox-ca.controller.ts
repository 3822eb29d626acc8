import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../organisations/auth.js';
import { SandboxPeopleService } from './sandbox-people.service.js';

@ApiTags('sandbox: automation (not the provider API)')
@Public()
@Controller('sandbox')
export class SandboxCaController {
  constructor(private readonly people: SandboxPeopleService) {}

  @Get('ca.pem')
  @ApiOperation({ summary: 'The sandbox CA certificate (PEM): the trust anchor of every sandbox signature' })
  @ApiOkResponse({ description: 'PEM certificate', content: { 'application/x-pem-file': {} } })
  async ca(@Res() response: Response): Promise<void> {
    response.status(200).type('application/x-pem-file').setHeader('content-disposition', 'inline; filename="kezek-sandbox-ca.pem"').send(await this.people.caPem());
  }
}
