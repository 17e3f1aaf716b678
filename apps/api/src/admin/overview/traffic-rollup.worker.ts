import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { TrafficRollupRepository } from './traffic-rollup.repository.js';

const INTERVAL_MS = 60_000;
/** The first run soon after start, so a fresh process has figures within seconds, not a minute. */
const FIRST_RUN_MS = 5_000;

/** Rolls traffic up into admin_traffic_hourly once a minute (every process may; one does at a time). */
@Injectable()
export class TrafficRollupWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('TrafficRollupWorker');
  private timer?: NodeJS.Timeout;
  private first?: NodeJS.Timeout;
  private running?: Promise<boolean>;

  constructor(private readonly repo: TrafficRollupRepository) {}

  onApplicationBootstrap(): void {
    const tick = () => void this.run().catch((e: unknown) => this.log.error(e));
    this.first = setTimeout(tick, FIRST_RUN_MS);
    this.first.unref();
    this.timer = setInterval(tick, INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.first);
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
