import { Module } from '@nestjs/common';
import { CloudEdsClientFactory } from './cloud-eds-client.factory.js';

/** The Cloud EDS client factory; base URLs come from configuration, the API key from each caller. */
@Module({ providers: [CloudEdsClientFactory], exports: [CloudEdsClientFactory] })
export class CloudEdsModule {}
