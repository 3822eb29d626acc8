import { Controller, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { uuidParam } from '../common/http/params.js';
import { Public } from '../common/http/public.decorator.js';
import { ProviderWebhooksService } from './provider-webhooks.service.js';

/**
 * Where the provider tells us a session ended. The body is only a hint: it triggers a status check through
 * the provider API. Signature: see docs/sandbox.md (HMAC-SHA256 over "<timestamp>.<body>").
 */
@ApiTags('provider')
@Public()
@Controller('v1/provider-webhooks')
export class ProviderWebhooksController {
  constructor(private readonly webhooks: ProviderWebhooksService) {}

  @Post('cloud-eds/:organisationId')
  @HttpCode(202)
  @ApiExcludeEndpoint()
  async receive(
    @Param('organisationId', uuidParam('organisationId')) organisationId: string,
    @Headers('x-webhook-id') webhookId: string | undefined,
    @Headers('x-webhook-timestamp') timestamp: string | undefined,
    @Headers('x-webhook-signature') signature: string | undefined,
    @Req() request: Request & { rawBody?: Buffer },
  ) {
    return this.webhooks.receive({ organisationId, webhookId, timestamp, signature, rawBody: request.rawBody ?? Buffer.alloc(0), ip: request.ip });
  }
}
