import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppError } from '../common/errors/app-error.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Public } from '../common/http/public.decorator.js';
import { bearerTokenMatches } from './metrics-access.js';
import { MetricsService } from './metrics.service.js';

/**
 * GET /metrics for Prometheus on the API port. With METRICS_PORT it is served on that port instead (and is
 * not found here); with METRICS_TOKEN a scrape must send `Authorization: Bearer <token>`.
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async scrape(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (this.config.METRICS_PORT !== undefined) throw new AppError('ROUTE_NOT_FOUND', `Metrics are served on port ${this.config.METRICS_PORT}`);
    if (this.config.METRICS_TOKEN && !bearerTokenMatches(req.headers.authorization, this.config.METRICS_TOKEN)) {
      throw new AppError('UNAUTHENTICATED', 'Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>"');
    }
    const { contentType, body } = await this.metrics.scrape();
    res.type(contentType).send(body);
  }
}
