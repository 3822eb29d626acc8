import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobsService } from '../jobs/jobs.service.js';
import { SigningService } from '../signing-rounds/signing.service.js';
import { ROUND_CHECK_QUEUE, type RoundCheckJob } from '../signing-rounds/round-check-job.js';
import { ENVELOPE_EXPIRE_QUEUE, type EnvelopeExpireJob } from './envelope-jobs.js';
import { EnvelopesService } from './envelopes.service.js';

/** Registers the envelope's background work: expiry at its deadline, and round checks. */
@Injectable()
export class EnvelopeJobHandlers implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly envelopes: EnvelopesService,
    private readonly signing: SigningService,
  ) {}

  onModuleInit(): void {
    this.jobs.register<EnvelopeExpireJob>({ name: ENVELOPE_EXPIRE_QUEUE, retryLimit: 10, retryDelaySeconds: 5 }, ({ organisationId, envelopeId }) =>
      this.envelopes.expire(organisationId, envelopeId),
    );
    this.jobs.register<RoundCheckJob>({ name: ROUND_CHECK_QUEUE, retryLimit: 10, retryDelaySeconds: 2, concurrency: 4 }, (job) => this.signing.checkRound(job));
  }
}
