import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobsService } from '../jobs/jobs.service.js';
import { IDENTITY_CHECK_QUEUE, type IdentityCheckJob } from './identity-check-job.js';
import { IdentityStepService } from './identity-step.service.js';

/** Registers the identity checks: polling an open flow session with backoff, its deadline, webhook hints. */
@Injectable()
export class IdentityCheckJobHandler implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly identity: IdentityStepService,
  ) {}

  onModuleInit(): void {
    this.jobs.register<IdentityCheckJob>({ name: IDENTITY_CHECK_QUEUE, retryLimit: 5, retryDelaySeconds: 5, concurrency: 2 }, (job) => this.identity.checkById(job));
  }
}
