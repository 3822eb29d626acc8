import { Module } from '@nestjs/common';
import { ArchivesModule } from '../archives/archives.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { EnvelopesModule } from '../envelopes/envelopes.module.js';
import { EvidenceController } from './evidence.controller.js';
import { EvidencePackService } from './evidence-pack.service.js';
import { EvidenceSealController } from './evidence-seal.controller.js';
import { EvidenceSealService } from './evidence-seal.service.js';

/** GET /v1/envelopes/{id}/evidence.zip: everything that proves who signed what and when, checkable offline. */
@Module({
  imports: [AuditModule, EnvelopesModule, ArchivesModule],
  controllers: [EvidenceController, EvidenceSealController],
  providers: [EvidencePackService, EvidenceSealService],
  exports: [EvidencePackService],
})
export class EvidenceModule {}
