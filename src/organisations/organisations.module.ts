import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CloudEdsModule } from '../cloud-eds/cloud-eds.module.js';
import { ApiKeyGuard } from './auth.js';
import './organisation.errors.js';
import { OrganisationsController } from './organisations.controller.js';
import { OrganisationsService } from './organisations.service.js';
import { ProviderCredentialsService } from './provider-credentials.service.js';

/**
 * Organisations (tenants), their API keys and the guard that checks them, and their provider credentials.
 * ProviderCredentialsService needs PROVIDER_ACCOUNT_PROVISIONER, bound once at the wiring point.
 */
@Module({
  imports: [CloudEdsModule],
  controllers: [OrganisationsController],
  providers: [OrganisationsService, ProviderCredentialsService, { provide: APP_GUARD, useClass: ApiKeyGuard }],
  exports: [OrganisationsService, ProviderCredentialsService],
})
export class OrganisationsModule {}
