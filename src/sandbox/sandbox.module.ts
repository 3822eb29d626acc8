import { Module } from '@nestjs/common';
import { PROVIDER_ACCOUNT_PROVISIONER } from '../organisations/provider-account-provisioner.js';
import { SandboxApiController } from './sandbox-api.controller.js';
import { SandboxArchiveService } from './sandbox-archive.service.js';
import { SandboxAutomationController } from './sandbox-automation.controller.js';
import { SandboxCaController } from './sandbox-ca.controller.js';
import { SandboxClock } from './sandbox-clock.js';
import { SandboxExceptionFilter } from './sandbox-exception.filter.js';
import { SandboxFaultsService } from './sandbox-faults.service.js';
import { SandboxOrganisationsService } from './sandbox-organisations.service.js';
import { SandboxPeopleService } from './sandbox-people.service.js';
import { SandboxPollerService } from './sandbox-poller.service.js';
import { SandboxProviderAccounts } from './sandbox-provider-accounts.js';
import { SandboxSessionsService } from './sandbox-sessions.service.js';
import { SandboxTrustAnchors } from './sandbox-trust-anchors.js';
import { SandboxSignPageController } from './sandbox-sign-page.controller.js';
import { SandboxUploadInterceptor } from './sandbox-upload.interceptor.js';
import { SandboxWebhooksService } from './sandbox-webhooks.service.js';

/**
 * A local, faithful implementation of the Cloud EDS provider under /sandbox: its HTTP API, sign page,
 * CA, archive and webhooks, with state in PostgreSQL (schema `sandbox`). For development, demos and tests.
 * It plugs into Kezek through ports Kezek defines (PROVIDER_ACCOUNT_PROVISIONER), bound at the wiring point
 * (app.module.ts) when the sandbox runs.
 */
@Module({
  controllers: [SandboxApiController, SandboxSignPageController, SandboxAutomationController, SandboxCaController],
  providers: [
    SandboxClock,
    SandboxOrganisationsService,
    SandboxPeopleService,
    SandboxSessionsService,
    SandboxWebhooksService,
    SandboxArchiveService,
    SandboxFaultsService,
    SandboxPollerService,
    SandboxExceptionFilter,
    SandboxUploadInterceptor,
    SandboxProviderAccounts,
    { provide: PROVIDER_ACCOUNT_PROVISIONER, useExisting: SandboxProviderAccounts },
    SandboxTrustAnchors,
  ],
  // SandboxTrustAnchors: the trust anchors' port; SandboxPeopleService: the sandbox CA (the identity products'
  // signed reports);
  // SandboxClock: one clock for every sandbox product.
  exports: [PROVIDER_ACCOUNT_PROVISIONER, SandboxPeopleService, SandboxClock, SandboxTrustAnchors],
})
export class SandboxModule {}
