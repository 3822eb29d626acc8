import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { uuidParam } from '../common/http/params.js';
import { CurrentOrganisation } from '../common/http/current-organisation.decorator.js';
import { ApiKeyDto, CreateApiKeyDto, IssuedApiKeyDto, OrganisationDto } from './dto/api-key.dto.js';
import type { Organisation } from './organisation.entity.js';
import { OrganisationsService } from './organisations.service.js';


@ApiTags('organisation')
@ApiBearerAuth()
@Controller('v1')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Get('organisation')
  @ApiOperation({ summary: 'The organisation the API key belongs to' })
  @ApiOkResponse({ type: OrganisationDto })
  me(@CurrentOrganisation() organisation: Organisation): Organisation {
    return organisation;
  }

  @Get('api-keys')
  @ApiOperation({ summary: "List the organisation's API keys (prefix only)" })
  @ApiOkResponse({ type: [ApiKeyDto] })
  list(@CurrentOrganisation() organisation: Organisation) {
    return this.organisations.listApiKeys(organisation.id);
  }

  @Post('api-keys')
  @ApiOperation({ summary: 'Create an API key; the full key is in this answer only' })
  @ApiCreatedResponse({ type: IssuedApiKeyDto })
  create(@CurrentOrganisation() organisation: Organisation, @Body() body: CreateApiKeyDto) {
    // IsOptional lets an explicit null through: the same as no label.
    return this.organisations.createApiKey(organisation.id, body.label ?? undefined);
  }

  @Delete('api-keys/:id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke an API key; requests with it are refused from now on' })
  @ApiOkResponse({ type: ApiKeyDto })
  revoke(@CurrentOrganisation() organisation: Organisation, @Param('id', uuidParam()) id: string) {
    return this.organisations.revokeApiKey(organisation.id, id);
  }
}
