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
import { SigningRoundsModule } from './signing-rounds/signing-rounds.module.js';
import { NO_PROVIDER_ACCOUNTS, PROVIDER_ACCOUNT_PROVISIONER } from './organisations/provider-account-provisioner.js';
import { SandboxKycModule } from './sandbox/kyc/sandbox-kyc.module.js';
import { KycModule } from './kyc/kyc.module.js';
import { KYC_ACCOUNT_PROVISIONER, NO_KYC_ACCOUNTS } from './kyc/kyc-account-provisioner.js';
import { IdentityModule } from './identity/identity.module.js';
import { ArchivesModule } from './archives/archives.module.js';
import { VerificationModule } from './verification/verification.module.js';
import { EvidenceModule } from './evidence/evidence.module.js';
import { TrustModule } from './trust/trust.module.js';
import { SandboxTrustAnchors } from './sandbox/sandbox-trust-anchors.js';
import { UsersModule } from './users/users.module.js';
import { ConsoleModule } from './console/console.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';

export interface AppModuleOptions {
  config: AppConfig;
  /** The resolved PostgreSQL URL (DATABASE_URL, or the embedded server's). */
  databaseUrl: string;
}

@Module({})
export class AppModule {
  static register({ config, databaseUrl }: AppModuleOptions): DynamicModule {
    // The wiring point: optional parts (the sandbox) fill the ports production code defines. Global, so
    // every feature module sees the bindings without importing the sandbox.
    const ports = config.sandboxEnabled
      ? []
      : [
          { provide: PROVIDER_ACCOUNT_PROVISIONER, useValue: NO_PROVIDER_ACCOUNTS },
          { provide: KYC_ACCOUNT_PROVISIONER, useValue: NO_KYC_ACCOUNTS },
        ];
    return {
      module: AppModule,
      providers: [{ provide: DATABASE_URL, useValue: databaseUrl }, { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor }, ...ports],
      exports: [DATABASE_URL, ...(config.sandboxEnabled ? [SandboxModule, SandboxKycModule] : [PROVIDER_ACCOUNT_PROVISIONER, KYC_ACCOUNT_PROVISIONER])],
      global: true,
      imports: [
        ConfigModule.forRoot(config),
        loggerModule(config),
        MetricsModule,
        TypeOrmModule.forRoot(typeormOptions(databaseUrl, config.runMigrations, config.DATABASE_APPLICATION_NAME)),
        JobsModule,
        // Where signer chains must lead; the sandbox contributes its CA (trusted only while it is the provider).
        TrustModule.forRoot(config.sandboxEnabled ? { imports: [SandboxModule], sources: [SandboxTrustAnchors] } : {}),
        OrganisationsModule,
        AuditModule,
        WebhooksModule,
        EnvelopesModule,
        IdentityModule,
        SigningRoundsModule,
        HealthModule,
        CloudEdsModule,
        KycModule,
        ArchivesModule,
        VerificationModule,
        EvidenceModule,
        UsersModule,
        NotificationsModule,
        ConsoleModule,
        // The local provider (Cloud EDS, identity products) under /sandbox (default: on with the embedded database).
        ...(config.sandboxEnabled ? [SandboxModule, SandboxKycModule] : []),
      ],
    };
  }
}
