import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { uuidParam } from '../common/http/params.js';
import type { Organisation } from '../organisations/organisation.entity.js';
import { CurrentOrganisation } from '../common/http/current-organisation.decorator.js';
import { ListDeliveriesQueryDto, WebhookDeliveryDetailDto, WebhookDeliveryPageDto } from './dto/webhook-delivery.dto.js';
import { CreateWebhookEndpointDto, UpdateWebhookEndpointDto, WebhookEndpointDto, WebhookEndpointWithSecretDto } from './dto/webhook-endpoint.dto.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';
import { WebhooksService } from './webhooks.service.js';

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('v1')
export class WebhooksController {
  constructor(
    private readonly endpoints: WebhookEndpointsService,
    private readonly webhooks: WebhooksService,
  ) {}

  @Post('webhook-endpoints')
  @ApiOperation({
    summary: 'Register an endpoint for events',
    description:
      'Deliveries are signed per Standard Webhooks with the returned secret (shown only here and on rotation), ' +
      'retried with exponential backoff until a 2xx, and listed with every attempt.',
  })
  @ApiCreatedResponse({ type: WebhookEndpointWithSecretDto })
  @ApiUnprocessableEntityResponse({ description: 'The host does not resolve, or resolves to a private, loopback or link-local address' })
  create(@CurrentOrganisation() organisation: Organisation, @Body() body: CreateWebhookEndpointDto) {
    return this.endpoints.create(organisation.id, body);
  }

  @Get('webhook-endpoints')
  @ApiOperation({ summary: "The organisation's webhook endpoints (without secrets)" })
  @ApiOkResponse({ type: [WebhookEndpointDto] })
  list(@CurrentOrganisation() organisation: Organisation) {
    return this.endpoints.list(organisation.id);
  }

  @Get('webhook-endpoints/:id')
  @ApiOperation({ summary: 'One webhook endpoint (without its secret)' })
  @ApiOkResponse({ type: WebhookEndpointDto })
  @ApiNotFoundResponse({ description: 'No such endpoint in your organisation' })
  get(@CurrentOrganisation() organisation: Organisation, @Param('id', uuidParam()) id: string) {
    return this.endpoints.get(organisation.id, id);
  }

  @Patch('webhook-endpoints/:id')
  @ApiOperation({ summary: 'Change the URL, description, event filter, or enable/disable the endpoint' })
  @ApiOkResponse({ type: WebhookEndpointDto })
  @ApiNotFoundResponse({ description: 'No such endpoint in your organisation' })
  update(@CurrentOrganisation() organisation: Organisation, @Param('id', uuidParam()) id: string, @Body() body: UpdateWebhookEndpointDto) {
    return this.endpoints.update(organisation.id, id, body);
  }

  @Delete('webhook-endpoints/:id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete the endpoint: no further deliveries; past deliveries stay readable by id' })
  @ApiOkResponse({ type: WebhookEndpointDto })
  @ApiNotFoundResponse({ description: 'No such endpoint in your organisation' })
  remove(@CurrentOrganisation() organisation: Organisation, @Param('id', uuidParam()) id: string) {
    return this.endpoints.remove(organisation.id, id);
  }

  @Post('webhook-endpoints/:id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'Replace the signing secret; the new one is shown only in this answer and signs every later attempt' })
  @ApiOkResponse({ type: WebhookEndpointWithSecretDto })
  @ApiNotFoundResponse({ description: 'No such endpoint in your organisation' })
  rotateSecret(@CurrentOrganisation() organisation: Organisation, @Param('id', uuidParam()) id: string) {
    return this.endpoints.rotateSecret(organisation.id, id);
  }

  @Get('webhook-endpoints/:id/deliveries')
  @ApiOperation({ summary: "The endpoint's deliveries, newest first, a page at a time" })
  @ApiOkResponse({ type: WebhookDeliveryPageDto })
  @ApiNotFoundResponse({ description: 'No such endpoint in your organisation' })
  deliveries(@CurrentOrganisation() organisation: Organisation, @Param('id', uuidParam()) id: string, @Query() query: ListDeliveriesQueryDto) {
    return this.webhooks.listDeliveries(organisation.id, id, query);
  }

  @Get('webhook-deliveries/:id')
  @ApiOperation({ summary: 'One delivery with its payload and every attempt' })
  @ApiOkResponse({ type: WebhookDeliveryDetailDto })
  @ApiNotFoundResponse({ description: 'No such delivery in your organisation' })
  delivery(@CurrentOrganisation() organisation: Organisation, @Param('id', uuidParam()) id: string) {
    return this.webhooks.getDelivery(organisation.id, id);
  }
}
