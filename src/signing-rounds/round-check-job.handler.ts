import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobsService } from '../jobs/jobs.service.js';
import { ROUND_CHECK_QUEUE, type RoundCheckJob } from './round-check-job.js';
import { CheckRoundService } from './check-round.service.js';

/** Registers the round checks: polling a live session, its deadline, and webhook or return-page hints. */
@Injectable()
export class RoundCheckJobHandler implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly checks: CheckRoundService,
  ) {}

  onModuleInit(): void {
    this.jobs.register<RoundCheckJob>({ name: ROUND_CHECK_QUEUE, retryLimit: 10, retryDelaySeconds: 2, concurrency: 4 }, async (job) => {
      await this.checks.checkRound(job);
    });
  }
}
