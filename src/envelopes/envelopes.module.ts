import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import { AuditModule } from '../audit/audit.module.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { IdempotencyInterceptor } from '../common/idempotency/idempotency.interceptor.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { ENVELOPE_LIMITS } from './dto/create-envelope.dto.js';
import { EnvelopeJobHandlers } from './envelope-jobs.handlers.js';
import './envelope.errors.js';
import { EnvelopePresenter } from './envelope.presenter.js';
import { EnvelopeTransitionsService } from './envelope-transitions.service.js';
import { KycModule } from '../kyc/kyc.module.js';
import { EnvelopesController } from './envelopes.controller.js';
import { EnvelopesService } from './envelopes.service.js';

/** Envelopes: the integrators' API, the envelope state machine and its transitions, expiry. */
@Module({
  imports: [
    AuditModule,
    WebhooksModule,
    OrganisationsModule,
    KycModule,
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        storage: memoryStorage(),
        limits: { fileSize: config.MAX_DOCUMENT_BYTES, files: ENVELOPE_LIMITS.documents, fields: 5, fieldSize: 256 * 1024 },
      }),
    }),
  ],
  controllers: [EnvelopesController],
  providers: [EnvelopesService, EnvelopeTransitionsService, EnvelopePresenter, EnvelopeJobHandlers, IdempotencyInterceptor],
  exports: [EnvelopesService, EnvelopeTransitionsService, EnvelopePresenter],
})
export class EnvelopesModule {}
