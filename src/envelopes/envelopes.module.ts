import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { MulterModule } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { CloudEdsModule } from '../cloud-eds/cloud-eds.module.js';
import { ProviderCredentialsService } from '../organisations/provider-credentials.service.js';
import { ProviderWebhooksController } from '../signing-rounds/provider-webhooks.controller.js';
import { ProviderWebhooksService } from '../signing-rounds/provider-webhooks.service.js';
import { SignerPagesController } from '../signing-rounds/signer-pages.controller.js';
import { SigningService } from '../signing-rounds/signing.service.js';
import { TrustAnchorsService } from '../signing-rounds/trust-anchors.service.js';
import { IdempotencyInterceptor } from '../common/idempotency/idempotency.interceptor.js';
import { ENVELOPE_LIMITS } from './dto/create-envelope.dto.js';
import { EnvelopeJobHandlers } from './envelope-jobs.handlers.js';
import { EnvelopePresenter } from './envelope.presenter.js';
import { EnvelopeTransitionsService } from './envelope-transitions.service.js';
import { EnvelopesController } from './envelopes.controller.js';
import { EnvelopesService } from './envelopes.service.js';

@Module({
  imports: [
    AuditModule,
    WebhooksModule,
    CloudEdsModule,
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        storage: memoryStorage(),
        limits: { fileSize: config.MAX_DOCUMENT_BYTES, files: ENVELOPE_LIMITS.documents, fields: 5, fieldSize: 256 * 1024 },
      }),
    }),
  ],
  controllers: [EnvelopesController, SignerPagesController, ProviderWebhooksController],
  providers: [
    EnvelopesService,
    EnvelopeTransitionsService,
    EnvelopePresenter,
    EnvelopeJobHandlers,
    SigningService,
    ProviderWebhooksService,
    ProviderCredentialsService,
    TrustAnchorsService,
    IdempotencyInterceptor,
  ],
  exports: [EnvelopesService, EnvelopeTransitionsService, EnvelopePresenter, ProviderCredentialsService, TrustAnchorsService],
})
export class EnvelopesModule {}
