import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import { AuditModule } from '../audit/audit.module.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ENVELOPE_LIMITS } from '../envelopes/dto/create-envelope.dto.js';
import { EnvelopesModule } from '../envelopes/envelopes.module.js';
import { EvidenceModule } from '../evidence/evidence.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { UsersModule } from '../users/users.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { RateLimitService } from '../verification/rate-limit.service.js';
import { ConsoleSessionGuard, MultipartCsrfCheck } from './console-auth.js';
import { ConsoleEnvelopesService } from './console-envelopes.service.js';
import { ConsoleLoginController } from './console-login.controller.js';
import { ConsoleController } from './console.controller.js';
import { ConsoleSettingsService } from './console-settings.service.js';
import { ConsoleWebhooksController } from './console-webhooks.controller.js';

/** The console under /console: server-rendered pages for an organisation's people (see README, "Console"). */
@Module({
  imports: [
    AuditModule,
    EnvelopesModule,
    EvidenceModule,
    OrganisationsModule,
    NotificationsModule,
    UsersModule,
    WebhooksModule,
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        storage: memoryStorage(),
        // File names as UTF-8 (Cyrillic, Kazakh); the same caps as the API's multipart upload.
        defParamCharset: 'utf8',
        limits: { fileSize: config.MAX_DOCUMENT_BYTES, files: ENVELOPE_LIMITS.documents, fields: 20 + ENVELOPE_LIMITS.signers * 4, fieldSize: 4096, parts: 30 + ENVELOPE_LIMITS.signers * 4 },
      }),
    }),
  ],
  controllers: [ConsoleLoginController, ConsoleController, ConsoleWebhooksController],
  providers: [ConsoleEnvelopesService, ConsoleSettingsService, ConsoleSessionGuard, MultipartCsrfCheck, RateLimitService],
})
export class ConsoleModule {}
