import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppError } from '../common/errors/app-error.js';
import { uuidParam } from '../common/http/params.js';
import { Public } from '../common/http/public.decorator.js';
import { validateBody } from '../common/http/validation.js';
import type { ConsoleIdentity } from '../users/users.service.js';
import { CreateWebhookEndpointDto } from '../webhooks/dto/webhook-endpoint.dto.js';
import { WebhookEndpointsService } from '../webhooks/webhook-endpoints.service.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { ConsoleSessionGuard, CurrentUser, MinRole } from './console-auth.js';
import { sendPage } from '../web/html-response.js';
import { ConsoleExceptionFilter, consoleLanguage } from './console-http.js';
import { webhookEndpointPage, webhooksPage } from './console-settings.view.js';
import { consoleText } from './console-text.js';

type Form = Record<string, unknown>;

/** Deliveries listed per page of the endpoint's log. */
const DELIVERIES_PER_PAGE = 25;

/**
 * Settings → webhook endpoints (admins): list, add (the signing secret shown once), delete, and each
 * endpoint's delivery log with a redeliver button. Everything goes through the webhooks feature's own
 * services, scoped by the user's organisation.
 */
@Public()
@ApiExcludeController()
@UseGuards(ConsoleSessionGuard)
@UseFilters(ConsoleExceptionFilter)
@Controller('console/settings/webhooks')
export class ConsoleWebhooksController {
  constructor(
    private readonly endpoints: WebhookEndpointsService,
    private readonly webhooks: WebhooksService,
  ) {}

  @Get()
  @MinRole('admin')
  async list(@CurrentUser() user: ConsoleIdentity, @Req() request: Request, @Res() response: Response): Promise<void> {
    sendPage(response, 'console', 200, webhooksPage(consoleLanguage(request, response), user, { endpoints: await this.endpoints.list(user.organisationId) }));
  }

  @Post()
  @MinRole('admin')
  async create(@CurrentUser() user: ConsoleIdentity, @Body() body: Form, @Req() request: Request, @Res() response: Response): Promise<void> {
    const language = consoleLanguage(request);
    const events = (Array.isArray(body.events) ? body.events : body.events === undefined ? [] : [body.events]).slice(0, 100);
    try {
      const dto = await validateBody(CreateWebhookEndpointDto, {
        url: typeof body.url === 'string' ? body.url.trim() : '',
        ...(typeof body.description === 'string' && body.description.trim() ? { description: body.description.trim() } : {}),
        events,
      });
      const created = await this.endpoints.create(user.organisationId, dto);
      sendPage(response, 'console', 201, webhooksPage(language, user, { endpoints: await this.endpoints.list(user.organisationId), created: { id: created.id, secret: created.secret } }));
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500 || error.status === 403) throw error;
      sendPage(response, 'console', error.status, webhooksPage(language, user, { endpoints: await this.endpoints.list(user.organisationId), error: error.message }));
    }
  }

  @Post(':id/delete')
  @MinRole('admin')
  async remove(@CurrentUser() user: ConsoleIdentity, @Param('id', uuidParam()) id: string, @Res() response: Response): Promise<void> {
    await this.endpoints.remove(user.organisationId, id);
    response.redirect(303, '/console/settings/webhooks');
  }

  @Get(':id')
  @MinRole('admin')
  async deliveries(
    @CurrentUser() user: ConsoleIdentity,
    @Param('id', uuidParam()) id: string,
    @Query('cursor') cursor: string | undefined,
    @Query('redelivered') redelivered: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const language = consoleLanguage(request, response);
    const [endpoint, page] = await Promise.all([
      this.endpoints.get(user.organisationId, id),
      this.webhooks.listDeliveries(user.organisationId, id, { limit: DELIVERIES_PER_PAGE, cursor: typeof cursor === 'string' && cursor ? cursor : undefined }),
    ]);
    sendPage(response, 'console', 200, webhookEndpointPage(language, user, endpoint, page, redelivered === '1' ? consoleText(language).redelivered : undefined));
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @MinRole('admin')
  async redeliver(@CurrentUser() user: ConsoleIdentity, @Param('id', uuidParam()) id: string, @Param('deliveryId', uuidParam('deliveryId')) deliveryId: string, @Res() response: Response): Promise<void> {
    const delivery = await this.webhooks.getDelivery(user.organisationId, deliveryId);
    if (delivery.endpointId !== id) throw new AppError('WEBHOOK_DELIVERY_NOT_FOUND', `Webhook delivery ${deliveryId} not found for this endpoint`);
    await this.webhooks.redeliver(user.organisationId, deliveryId);
    response.redirect(303, `/console/settings/webhooks/${id}?redelivered=1`);
  }
}
