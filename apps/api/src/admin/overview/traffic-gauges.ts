import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { eventRegistry } from '../../metrics/metrics.js';
import { TrafficRollupRepository } from './traffic-rollup.repository.js';

const NAME = 'correio_traffic_messages';

/**
 * The overview's traffic figures on /metrics too, read from the same rollup table the charts read
 * (so a dashboard and Prometheus never disagree): messages received, sent, deferred and bounced over
 * the last 24 hours and 30 days. Registered in the process's event registry, which /metrics exposes.
 */
@Injectable()
export class TrafficGauges implements OnModuleInit, OnModuleDestroy {
  private gauge?: Gauge;

  constructor(private readonly traffic: TrafficRollupRepository) {}

  onModuleInit(): void {
    // One application per process in production; tests start several, the last one answers.
    eventRegistry.removeSingleMetric(NAME);
    const traffic = this.traffic;
    this.gauge = new Gauge({
      name: NAME,
      help: 'Messages received, sent, deferred and bounced over the last 24 h and 30 days (the admin overview rollup, up to 2 minutes behind)',
      labelNames: ['kind', 'window'] as const,
      registers: [eventRegistry],
      async collect() {
        const now = Date.now();
        const rows = await traffic.hours(new Date(now - 30 * 86_400_000));
        for (const kind of ['received', 'sent', 'deferred', 'bounced'] as const) {
          let day = 0;
          let month = 0;
          for (const r of rows) {
            month += r[kind];
            if (new Date(r.hour).getTime() >= now - 86_400_000) day += r[kind];
          }
          this.set({ kind, window: '24h' }, day);
          this.set({ kind, window: '30d' }, month);
        }
      },
    });
  }

  onModuleDestroy(): void {
    // Only our own: another application of the same process may have registered it since.
    if (this.gauge && eventRegistry.getSingleMetric(NAME) === this.gauge) eventRegistry.removeSingleMetric(NAME);
  }
}
