import { AuditEvent } from '../audit/audit-event.entity.js';
import { ApiKey } from '../organisations/api-key.entity.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { WebhookDeliveryAttempt } from '../webhooks/webhook-delivery-attempt.entity.js';
import { WebhookDelivery } from '../webhooks/webhook-delivery.entity.js';
import { WebhookEndpoint } from '../webhooks/webhook-endpoint.entity.js';

/** Every TypeORM entity; a feature adds its entities here. */
export const entities = [Organisation, ApiKey, AuditEvent, WebhookEndpoint, WebhookDelivery, WebhookDeliveryAttempt];
