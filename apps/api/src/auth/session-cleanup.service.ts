import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { LoginChallengeRepository } from './repositories/login-challenge.repository.js';
import { SessionRepository } from './repositories/session.repository.js';

// Expired sessions are already refused at validation; this only keeps the table small.
const EVERY_MS = 60 * 60_000;

/** Deletes expired web sessions and login challenges hourly (and once shortly after start). */
@Injectable()
export class SessionCleanupService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('sessions');
  private timer?: NodeJS.Timeout;
  private first?: NodeJS.Timeout;

  constructor(
    private readonly sessions: SessionRepository,
    private readonly challenges: LoginChallengeRepository,
  ) {}

  onModuleInit(): void {
    const run = () => {
      this.sessions.deleteExpired().then(
        (n) => n > 0 && this.logger.log(`deleted ${n} expired session(s)`),
        (err: Error) => this.logger.warn(`cleanup failed: ${err.message}`),
      );
      this.challenges.deleteExpired().catch((err: Error) => this.logger.warn(`login challenge cleanup failed: ${err.message}`));
    };
    this.first = setTimeout(run, 60_000).unref();
    this.timer = setInterval(run, EVERY_MS).unref();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.first);
    clearInterval(this.timer);
  }
}
