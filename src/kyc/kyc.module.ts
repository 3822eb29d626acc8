import { Module } from '@nestjs/common';
import { KycClientsFactory } from './kyc-clients.factory.js';
import { KycCredentialsService } from './kyc-credentials.service.js';

/** The provider's identity products (Flow Remote / WebView, E-Document): clients and each organisation's keys. */
@Module({ providers: [KycClientsFactory, KycCredentialsService], exports: [KycClientsFactory, KycCredentialsService] })
export class KycModule {}
