import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { EDocumentClient } from './edocument/edocument.client.js';
import { FlowClient } from './flows/flow.client.js';
import type { KycHttpOptions } from './kyc-http.js';

/** Builds identity clients for one key, with hosts, timeout and retries from configuration read at call time. */
@Injectable()
export class KycClientsFactory {
  private readonly logger = new Logger('Kyc');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private http(): KycHttpOptions {
    return {
      baseUrl: this.config.kycBaseUrl,
      timeoutMs: this.config.KYC_TIMEOUT_MS,
      retry: { attempts: this.config.KYC_RETRY_ATTEMPTS, baseDelayMs: 300 },
      logger: { debug: (message, context) => this.logger.debug(context, message), warn: (message, context) => this.logger.warn(context, message) },
    };
  }

  flow(apiKey: string): FlowClient {
    return new FlowClient({ ...this.http(), flowUrl: this.config.kycFlowUrl, apiKey });
  }

  edocument(backendApiKey: string): EDocumentClient {
    return new EDocumentClient({ ...this.http(), backendApiKey });
  }
}
