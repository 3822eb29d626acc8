import { DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyInterceptor } from './common/idempotency/idempotency.interceptor.js';
import { AuditModule } from './audit/audit.module.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { loggerModule } from './common/logging/logger.js';
import { DATABASE_URL } from './database/database-url.js';
import { typeormOptions } from './database/typeorm-options.js';
import { HealthModule } from './health/health.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { OrganisationsModule } from './organisations/organisations.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';
import { EnvelopesModule } from './envelopes/envelopes.module.js';
import { CloudEdsModule } from './cloud-eds/cloud-eds.module.js';
import { SandboxModule } from './sandbox/sandbox.module.js';
import { ArchivesModule } from './archives/archives.module.js';
import { VerificationModule } from './verification/verification.module.js';
import { EvidenceModule } from './evidence/evidence.module.js';

export interface AppModuleOptions {
  config: AppConfig;
  /** The resolved PostgreSQL URL (DATABASE_URL, or the embedded server's). */
  databaseUrl: string;
}

@Module({})
export class AppModule {
  static register({ config, databaseUrl }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      providers: [{ provide: DATABASE_URL, useValue: databaseUrl }, { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor }],
      exports: [DATABASE_URL],
      global: true,
      imports: [
        ConfigModule.forRoot(config),
        loggerModule(config),
        MetricsModule,
        TypeOrmModule.forRoot(typeormOptions(databaseUrl, config.runMigrations, config.DATABASE_APPLICATION_NAME)),
        JobsModule,
        OrganisationsModule,
        AuditModule,
        WebhooksModule,
        EnvelopesModule,
        HealthModule,
        CloudEdsModule,
        ArchivesModule,
        VerificationModule,
        EvidenceModule,
        // The local Cloud EDS provider under /sandbox (default: on with the embedded database).
        ...(config.sandboxEnabled ? [SandboxModule] : []),
      ],
    };
  }
}
