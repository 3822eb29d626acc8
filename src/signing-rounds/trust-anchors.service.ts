import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { SandboxPeopleService } from '../sandbox/sandbox-people.service.js';

/** Certificates signer chains must lead to: TRUST_ANCHORS_FILE, plus the local sandbox CA when it runs. */
@Injectable()
export class TrustAnchorsService {
  private readonly logger = new Logger('TrustAnchors');
  private readonly configured: string[];

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Optional() private readonly sandboxCa?: SandboxPeopleService,
  ) {
    this.configured = config.TRUST_ANCHORS_FILE ? splitPem(readFileSync(config.TRUST_ANCHORS_FILE, 'utf8')) : [];
    if (!config.TRUST_ANCHORS_FILE && !sandboxCa) {
      this.logger.warn('No TRUST_ANCHORS_FILE: signer certificate chains are not checked');
    }
  }

  async anchors(): Promise<string[]> {
    return this.sandboxCa ? [...this.configured, await this.sandboxCa.caPem()] : this.configured;
  }
}

function splitPem(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}
