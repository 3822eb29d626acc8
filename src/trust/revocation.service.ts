import { Inject, Injectable } from '@nestjs/common';
import { RevocationChecker, type RevocationOptions } from '../cms/index.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { PkiHttp } from './pki-http.js';

/** Certificates asked about per verification: Kezek's own rounds and reports, and a stranger's upload. */
const MAX_CHECKS = { service: 16, public: 4 } as const;

/**
 * Revocation under the REVOCATION policy, with one cache per process shared by every verification: an
 * answer is fetched once per certificate until its nextUpdate. The public route asks about fewer
 * certificates per request, and only about certificates a trusted CA issued (the CMS core never fetches
 * for a chain that did not pass), so a stranger can neither choose the URLs nor make Kezek fetch many.
 */
@Injectable()
export class RevocationService {
  private readonly checker: RevocationChecker;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.checker = new RevocationChecker({
      http: new PkiHttp(config.REVOCATION_TIMEOUT_MS),
      ocspUrl: config.REVOCATION_OCSP_URL,
      crlUrl: config.REVOCATION_CRL_URL,
      maxCrlBytes: config.REVOCATION_MAX_CRL_BYTES,
    });
  }

  get policy(): RevocationOptions['policy'] {
    return this.config.revocation;
  }

  /** For verifyCms's `revocation` option; `public` for the public verification route. */
  options(scope: 'service' | 'public' = 'service'): RevocationOptions | undefined {
    if (this.config.revocation === 'off') return undefined;
    return { policy: this.config.revocation, checker: this.checker, maxCertificates: MAX_CHECKS[scope] };
  }
}
