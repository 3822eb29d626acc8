import { Module } from '@nestjs/common';
import { KycClientsFactory } from './kyc-clients.factory.js';
import { KycCredentialsService } from './kyc-credentials.service.js';
import { KycFlowKeysService } from './kyc-flow-keys.service.js';

/** The provider's identity products (Flow Remote / WebView, E-Document): clients and each organisation's keys. */
@Module({ providers: [KycClientsFactory, KycCredentialsService, KycFlowKeysService], exports: [KycClientsFactory, KycCredentialsService, KycFlowKeysService] })
export class KycModule {}
