import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { EnvelopesModule } from '../envelopes/envelopes.module.js';
import { ArchiveIntakeService } from './archive-intake.service.js';

/** The provider's archive of each FINISHED round: downloaded, unpacked safely, kept file by file. */
@Module({
  imports: [AuditModule, EnvelopesModule],
  providers: [ArchiveIntakeService],
  exports: [ArchiveIntakeService],
})
export class ArchivesModule {}
