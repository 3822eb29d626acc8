import { type DynamicModule, Module, type ModuleMetadata, type Type } from '@nestjs/common';
import { TRUST_ANCHOR_SOURCES, type TrustAnchorSource } from './trust-anchor-source.js';
import { RevocationService } from './revocation.service.js';
import { TimestampsService } from './timestamps.service.js';
import { TrustAnchorsService } from './trust-anchors.service.js';

export interface TrustModuleOptions {
  /** Modules that provide the sources below. */
  imports?: ModuleMetadata['imports'];
  /** Optional parts' contributions (the sandbox CA); production code never names them. */
  sources?: Type<TrustAnchorSource>[];
}

/**
 * Trust beside the CMS core: the anchors signer chains must lead to, revocation (REVOCATION) and Kezek's own
 * timestamps (TSA_URL). Registered once, by the composition
 * root, with whatever optional parts contribute; every feature that verifies signatures injects
 * TrustAnchorsService.
 */
@Module({})
export class TrustModule {
  static forRoot(options: TrustModuleOptions = {}): DynamicModule {
    const sources = options.sources ?? [];
    return {
      module: TrustModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        TrustAnchorsService,
        RevocationService,
        TimestampsService,
        { provide: TRUST_ANCHOR_SOURCES, useFactory: (...found: TrustAnchorSource[]) => found, inject: sources },
      ],
      exports: [TrustAnchorsService, RevocationService, TimestampsService],
    };
  }
}
