import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { SessionRepository } from './repositories/session.repository.js';

// Expired sessions are already refused at validation; this only keeps the table small.
const EVERY_MS = 60 * 60_000;

/** Deletes expired web sessions hourly (and once shortly after start). */
@Injectable()
export class SessionCleanupService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('sessions');
  private timer?: NodeJS.Timeout;
  private first?: NodeJS.Timeout;

  constructor(private readonly sessions: SessionRepository) {}

  onModuleInit(): void {
    const run = () => {
      this.sessions.deleteExpired().then(
        (n) => n > 0 && this.logger.log(`deleted ${n} expired session(s)`),
        (err: Error) => this.logger.warn(`cleanup failed: ${err.message}`),
      );
    };
    this.first = setTimeout(run, 60_000).unref();
    this.timer = setInterval(run, EVERY_MS).unref();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.first);
    clearInterval(this.timer);
  }
}
