import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { WebhookDeliveryClaims } from './webhook-delivery-claims.js';
import { WebhookDeliveryWorker } from './webhook-delivery.worker.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksService } from './webhooks.service.js';

/** Outbound webhooks to organisations: endpoints, signed deliveries with retries, fair per-organisation limits, circuit breakers, the delivery log. */
@Module({
  imports: [AuditModule],
  controllers: [WebhooksController],
  providers: [WebhooksService, WebhookEndpointsService, WebhookDeliveryClaims, WebhookDeliveryWorker],
  exports: [WebhooksService, WebhookEndpointsService],
})
export class WebhooksModule {}
