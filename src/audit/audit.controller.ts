import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { uuidParam } from '../common/http/params.js';
import type { Organisation } from '../organisations/organisation.entity.js';
import { CurrentOrganisation } from '../organisations/auth.js';
import { AuditService, type AuditTrail } from './audit.service.js';
import { AuditTrailDto } from './dto/audit-trail.dto.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('envelopes/:envelopeId/audit')
  @ApiOperation({ summary: "An envelope's audit trail, oldest first, with the hash chain verified" })
  @ApiOkResponse({ type: AuditTrailDto })
  @ApiNotFoundResponse({ description: 'No audit trail for this envelope in your organisation' })
  trail(@CurrentOrganisation() organisation: Organisation, @Param('envelopeId', uuidParam('envelopeId')) envelopeId: string): Promise<AuditTrail> {
    return this.audit.list(organisation.id, envelopeId);
  }
}
