import { Inject, Injectable, Logger } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { CmsCertificateError, readCertificates, type ParsedCertificate } from '../cms/index.js';
import type { AppConfig } from '../config/app-config.js';
import { ConfigError } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { TRUST_ANCHOR_SOURCES, type TrustAnchorSource } from './trust-anchor-source.js';

/**
 * The certificates signer chains must lead to. TRUST_ANCHORS_FILE when configured, and then nothing else:
 * a contributed development anchor (the sandbox CA) never sits beside real ones. Without either, the list is
 * empty and every chain check fails closed (INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND).
 */
@Injectable()
export class TrustAnchorsService {
  private readonly logger = new Logger('TrustAnchors');
  private readonly configured: ParsedCertificate[] | null;
  /** Contributed anchors parsed once per PEM text (the sandbox CA does not change while it runs). */
  private readonly parsed = new Map<string, ParsedCertificate[]>();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(TRUST_ANCHOR_SOURCES) private readonly sources: TrustAnchorSource[],
  ) {
    this.configured = config.TRUST_ANCHORS_FILE ? readAnchorsFile(config.TRUST_ANCHORS_FILE) : null;
    if (this.configured && sources.length > 0) {
      this.logger.warn(`TRUST_ANCHORS_FILE is set: ${sources.map((s) => s.name).join(', ')} not trusted`);
    } else if (!this.configured && sources.length === 0) {
      this.logger.warn('No TRUST_ANCHORS_FILE: no signature can pass (chains fail closed)');
    }
  }

  async anchors(): Promise<ParsedCertificate[]> {
    if (this.configured) return this.configured;
    const found: ParsedCertificate[] = [];
    for (const source of this.sources) {
      for (const pem of await source.anchorsPem()) {
        let certificates = this.parsed.get(pem);
        if (!certificates) this.parsed.set(pem, (certificates = readCertificates(pem, source.name)));
        found.push(...certificates);
      }
    }
    return found;
  }
}

/** Reads the anchors file at boot, refusing a missing, unreadable or empty one with a message naming the setting. */
export function readAnchorsFile(path: string): ParsedCertificate[] {
  let text: Buffer;
  try {
    text = readFileSync(path);
  } catch (error) {
    throw new ConfigError([`TRUST_ANCHORS_FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`]);
  }
  try {
    const certificates = readCertificates(text, 'TRUST_ANCHORS_FILE');
    if (certificates.length === 0) throw new CmsCertificateError('no certificate found');
    return certificates;
  } catch (error) {
    if (error instanceof CmsCertificateError) throw new ConfigError([`TRUST_ANCHORS_FILE: ${path} holds no readable certificate (${error.message})`]);
    throw error;
  }
}
