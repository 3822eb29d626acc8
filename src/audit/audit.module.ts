import { Module } from '@nestjs/common';
import { AuditService } from './audit.service.js';

/** The append-only, hash-chained audit trail of envelopes. Features append with AuditService in their transactions. */
@Module({
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
