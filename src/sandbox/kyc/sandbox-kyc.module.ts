import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import express from 'express';
import { SandboxModule } from '../sandbox.module.js';
import { SandboxEDocumentService } from './sandbox-edocument.service.js';
import { SandboxFlowPageController } from './sandbox-flow-page.controller.js';
import { SandboxFlowSessionsService } from './sandbox-flow-sessions.service.js';
import { SandboxKycAccountsService } from './sandbox-kyc-accounts.service.js';
import { SandboxKycApiController } from './sandbox-kyc-api.controller.js';
import { SandboxKycAutomationController } from './sandbox-kyc-automation.controller.js';
import { SandboxKycProvisioner } from './sandbox-kyc-provisioner.js';
import { KYC_ACCOUNT_PROVISIONER } from '../../kyc/kyc-account-provisioner.js';

/** photo1 (5 MB) in base64 and the rest of a session-create body. */
const TEXT_BODY_LIMIT = 8 * 1024 * 1024;

/**
 * The sandbox's identity products beside its Cloud EDS part: the API host under /sandbox/kyc (Flow Remote,
 * E-Document), the person's pages under /sandbox/remote, and automation endpoints. State in schema `sandbox`;
 * the CA (for signed reports), the people register and the clock come from the Cloud EDS sandbox module.
 */
@Module({
  imports: [SandboxModule],
  controllers: [SandboxKycApiController, SandboxFlowPageController, SandboxKycAutomationController],
  providers: [SandboxKycAccountsService, SandboxFlowSessionsService, SandboxEDocumentService, SandboxKycProvisioner, { provide: KYC_ACCOUNT_PROVISIONER, useExisting: SandboxKycProvisioner }],
  exports: [SandboxKycAccountsService, KYC_ACCOUNT_PROVISIONER],
})
export class SandboxKycModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // A body sent without Content-Type arrives as text/plain (fetch's label for a string body): keep it as text
    // and let the controller read it as JSON, as the real host does for the guide's own example.
    consumer.apply(express.text({ type: ['text/plain', ''], limit: TEXT_BODY_LIMIT })).forRoutes('sandbox/kyc/*path', 'sandbox/automation/flows/*path', 'sandbox/automation/edocument/*path');
  }
}
