import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { SigningRoundsModule } from '../signing-rounds/signing-rounds.module.js';
import { ArchiveIntakeService } from './archive-intake.service.js';
import { SignerArchiveController } from './signer-archive.controller.js';

/** The provider's archive of each FINISHED round: downloaded, unpacked safely, kept file by file. */
@Module({
  imports: [AuditModule, OrganisationsModule, SigningRoundsModule],
  controllers: [SignerArchiveController],
  providers: [ArchiveIntakeService],
  exports: [ArchiveIntakeService],
})
export class ArchivesModule {}
