import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { PkiHttp } from './pki-http.js';
import { TimestampAuthority } from './timestamp-authority.js';

/**
 * Kezek's own timestamps (TSA_URL): accepted signatures and evidence seals. A TSA that is down or answers
 * badly costs the timestamp, never the round or the pack: the failure is logged and null returned.
 */
@Injectable()
export class TimestampsService {
  private readonly logger = new Logger('Timestamps');
  private readonly tsa: TimestampAuthority | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.tsa = config.TSA_URL ? new TimestampAuthority(config.TSA_URL, new PkiHttp(config.TSA_TIMEOUT_MS)) : null;
  }

  get enabled(): boolean {
    return this.tsa !== null;
  }

  /** A token over `signatureValue`, or null (no TSA configured, or it failed: logged). */
  async stamp(signatureValue: Uint8Array, what: string): Promise<Buffer | null> {
    if (!this.tsa) return null;
    try {
      return Buffer.from(await this.tsa.stamp(signatureValue));
    } catch (error) {
      this.logger.warn({ tsa: this.tsa.url, what, error: (error as Error).message }, 'timestamp not obtained');
      return null;
    }
  }
}
