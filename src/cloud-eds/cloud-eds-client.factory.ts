import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/app-config.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { CloudEdsClient, type CloudEdsClientOptions } from './cloud-eds.client.js';

/**
 * Builds a CloudEdsClient for one provider API key (each Kezek organisation holds its own), with base URLs,
 * timeout and retries from configuration read at call time (the URLs follow publicBaseUrl with the sandbox).
 */
@Injectable()
export class CloudEdsClientFactory {
  private readonly logger = new Logger('CloudEds');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  forApiKey(apiKey: string, overrides: Partial<Omit<CloudEdsClientOptions, 'apiKey'>> = {}): CloudEdsClient {
    return new CloudEdsClient({
      baseUrl: this.config.cloudEdsBaseUrl,
      signUrl: this.config.cloudEdsSignUrl,
      timeoutMs: this.config.CLOUD_EDS_TIMEOUT_MS,
      retry: { attempts: this.config.CLOUD_EDS_RETRY_ATTEMPTS, baseDelayMs: 300 },
      logger: {
        debug: (message, context) => this.logger.debug(context, message),
        warn: (message, context) => this.logger.warn(context, message),
      },
      onCall: ({ operation, code, seconds, failed }) => this.metrics.providerCall(operation, code, seconds, failed),
      ...overrides,
      apiKey,
    });
  }
}
