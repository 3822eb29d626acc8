import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { TrustAnchorSource } from '../trust/trust-anchor-source.js';
import { SandboxPeopleService } from './sandbox-people.service.js';

/**
 * The sandbox CA as a trust anchor, only while Kezek's Cloud EDS provider is this very sandbox: when Kezek
 * talks to the real provider, a certificate the sandbox issued (for any IIN, on request) must never pass.
 */
@Injectable()
export class SandboxTrustAnchors implements TrustAnchorSource {
  readonly name = 'the sandbox CA';

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly people: SandboxPeopleService,
  ) {}

  async anchorsPem(): Promise<string[]> {
    return sandboxIsTheProvider(this.config) ? [await this.people.caPem()] : [];
  }
}

/** Kezek's Cloud EDS base URL is this instance's /sandbox (read each time: tests set publicBaseUrl after boot). */
export function sandboxIsTheProvider(config: AppConfig): boolean {
  return config.sandboxEnabled && config.cloudEdsBaseUrl === config.publicUrl('/sandbox');
}
