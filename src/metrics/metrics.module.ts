import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller.js';
import { MetricsServer } from './metrics-server.js';
import { createMetricsRegistry, METRICS_REGISTRY, MetricsService } from './metrics.service.js';

/** Prometheus metrics: the registry, the typed MetricsService features report to, and GET /metrics. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [{ provide: METRICS_REGISTRY, useFactory: createMetricsRegistry }, MetricsService, MetricsServer],
  exports: [MetricsService],
})
export class MetricsModule {}
