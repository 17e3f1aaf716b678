import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { TrafficRollupRepository } from './traffic-rollup.repository.js';

const INTERVAL_MS = 60_000;

/** Rolls traffic up into admin_traffic_hourly once a minute (every process may; one does at a time). */
@Injectable()
export class TrafficRollupWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('TrafficRollupWorker');
  private timer?: NodeJS.Timeout;
  private running?: Promise<boolean>;

  constructor(private readonly repo: TrafficRollupRepository) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.run().catch((e: unknown) => this.log.error(e)), INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  run(): Promise<boolean> {
    this.running ??= this.repo.rollUp().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }
}
