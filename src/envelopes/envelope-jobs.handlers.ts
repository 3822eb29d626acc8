import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobsService } from '../jobs/jobs.service.js';
import { ENVELOPE_EXPIRE_QUEUE, type EnvelopeExpireJob } from './envelope-jobs.js';
import { EnvelopesService } from './envelopes.service.js';

/** Registers the envelope's own background work: expiry at its deadline. */
@Injectable()
export class EnvelopeJobHandlers implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly envelopes: EnvelopesService,
  ) {}

  onModuleInit(): void {
    this.jobs.register<EnvelopeExpireJob>({ name: ENVELOPE_EXPIRE_QUEUE, retryLimit: 10, retryDelaySeconds: 5 }, ({ organisationId, envelopeId }) =>
      this.envelopes.expire(organisationId, envelopeId),
    );
  }
}
