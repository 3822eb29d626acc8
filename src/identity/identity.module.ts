import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { EnvelopesModule } from '../envelopes/envelopes.module.js';
import { KycModule } from '../kyc/kyc.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { IdentityCheckJobHandler } from './identity-check-job.handler.js';
import { IdentityStepService } from './identity-step.service.js';
import { KycWebhooksController } from './kyc-webhooks.controller.js';

/**
 * Identity before signing: the provider's flow (liveness, face match, E-Document) a signer passes before
 * their Cloud EDS round, its outcome from the result API, attempts, audit events and outbound webhooks.
 */
@Module({
  imports: [AuditModule, WebhooksModule, EnvelopesModule, KycModule],
  controllers: [KycWebhooksController],
  providers: [IdentityStepService, IdentityCheckJobHandler],
  exports: [IdentityStepService],
})
export class IdentityModule {}
