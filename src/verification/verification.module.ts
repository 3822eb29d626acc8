import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { RateLimitService, VerifyRateLimitGuard } from './rate-limit.service.js';
import { VerificationPagesController } from './verification-pages.controller.js';
import { VerificationController } from './verification.controller.js';
import { VerificationService } from './verification.service.js';

/** Public verification: POST /v1/verify and the /verify pages, without an API key, rate-limited per IP. */
@Module({
  imports: [
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      // A CMS of the largest document is a little larger than the document: 1 MiB of room (see VerificationService).
      useFactory: (config: AppConfig) => ({ storage: memoryStorage(), limits: { fileSize: config.MAX_DOCUMENT_BYTES + 1024 * 1024, files: 1, fields: 4, fieldSize: 1024 } }),
    }),
  ],
  controllers: [VerificationController, VerificationPagesController],
  providers: [VerificationService, RateLimitService, VerifyRateLimitGuard],
  exports: [VerificationService],
})
export class VerificationModule {}
