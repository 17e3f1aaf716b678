import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { Gauge, Registry } from 'prom-client';
import { eventRegistry, httpRequests } from './metrics.js';
import { QueueMetricsRepository } from './queue-metrics.repository.js';

/** Builds the /metrics exposition: the process's event counters plus gauges read on scrape. */
@Injectable()
export class MetricsService implements OnModuleInit {
  private readonly gauges = new Registry();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    queue: QueueMetricsRepository,
  ) {
    let last: Promise<{ depth: number; oldest: Date | null }> | undefined;
    // One query per scrape serves both gauges (prom-client calls each collect() in the same scrape).
    const read = () => {
      last ??= queue.waiting().finally(() => setImmediate(() => (last = undefined)));
      return last;
    };
    new Gauge({
      name: 'correio_queue_depth',
      help: 'Outbound recipients waiting for delivery (queued or deferred)',
      registers: [this.gauges],
      async collect() {
        this.set((await read()).depth);
      },
    });
    new Gauge({
      name: 'correio_queue_oldest_age_seconds',
      help: 'Age of the oldest message with a recipient waiting for delivery (0 when none)',
      registers: [this.gauges],
      async collect() {
        const { oldest } = await read();
        this.set(oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0);
      },
    });
  }

  /** Counts every HTTP answer (404s and guard refusals included) where Fastify sends it. */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    fastify?.addHook('onResponse', async (req, reply) => {
      httpRequests.inc({ method: req.method, status: `${Math.floor(reply.statusCode / 100)}xx` });
    });
  }

  get contentType(): string {
    return eventRegistry.contentType;
  }

  async exposition(): Promise<string> {
    return Registry.merge([eventRegistry, this.gauges]).metrics();
  }
}
