import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';
import { QueueMetricsRepository } from './queue-metrics.repository.js';

/** GET /metrics for Prometheus (prom-client). Counters in metrics.ts, queue gauges read on scrape. */
@Module({ controllers: [MetricsController], providers: [MetricsService, QueueMetricsRepository] })
export class MetricsModule {}
