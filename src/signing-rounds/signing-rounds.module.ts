import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { EnvelopesModule } from '../envelopes/envelopes.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { IdentityPagesController } from './identity-pages.controller.js';
import { CheckRoundService } from './check-round.service.js';
import { ObserveRoundService } from './observe-round.service.js';
import { ProviderFailures } from './provider-failures.service.js';
import { ProviderWebhooksController } from './provider-webhooks.controller.js';
import { ProviderWebhooksService } from './provider-webhooks.service.js';
import { RoundCheckJobHandler } from './round-check-job.handler.js';
import { RoundOutcomeService } from './round-outcome.service.js';
import { RoundSweepService } from './round-sweep.service.js';
import { RoundStartLocks } from './round-start-locks.js';
import { SignerLinksService } from './signer-links.service.js';
import { StartRoundService } from './start-round.service.js';
import { SignerAssetsController } from './signer-assets.controller.js';
import { SignerDocumentsController } from './signer-documents.controller.js';
import { SignerDocumentsService } from './signer-documents.service.js';
import { SignerPagesController } from './signer-pages.controller.js';
import './signing-round.errors.js';

/**
 * Signing rounds: one provider session per signer attempt. The signer link pages, starting a round,
 * checking it (polling, deadline, provider webhooks, the return page) and carrying out its outcome on the
 * envelope.
 */
@Module({
  imports: [AuditModule, WebhooksModule, OrganisationsModule, EnvelopesModule, IdentityModule],
  controllers: [SignerPagesController, IdentityPagesController, SignerDocumentsController, SignerAssetsController, ProviderWebhooksController],
  providers: [
    SignerLinksService,
    SignerDocumentsService,
    StartRoundService,
    CheckRoundService,
    ObserveRoundService,
    RoundOutcomeService,
    ProviderFailures,
    RoundStartLocks,
    ProviderWebhooksService,
    RoundCheckJobHandler,
    RoundSweepService,
  ],
  exports: [SignerLinksService, SignerDocumentsService, CheckRoundService],
})
export class SigningRoundsModule {}
