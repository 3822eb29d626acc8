import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { ArchiveIntakeService } from './archive-intake.service.js';

/** The provider's archive of each FINISHED round: downloaded, unpacked safely, kept file by file. */
@Module({
  imports: [AuditModule, OrganisationsModule],
  providers: [ArchiveIntakeService],
  exports: [ArchiveIntakeService],
})
export class ArchivesModule {}
