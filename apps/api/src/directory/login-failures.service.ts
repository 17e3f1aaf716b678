import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { pendingLoginFailuresSince, returnLoginFailures, takeLoginFailures } from './login-failure-tally.js';
import { LoginFailuresRepository } from './repositories/login-failures.repository.js';

const HOUR = 3_600_000;
/** How often a process writes its tally: the most another process's overview lags behind. */
const FLUSH_MS = 30_000;
/** Kept a little longer than the overview's 24 hours. */
const KEEP_MS = 48 * HOUR;

/**
 * Failed logins per hour across processes and restarts (the admin overview's figure). Every process
 * that logs anyone in (webmail, IMAP, POP3, submission) has this service through the directory
 * module, and writes its in-memory tally (login-failure-tally.ts) every FLUSH_MS and at shutdown.
 */
@Injectable()
export class LoginFailuresService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('LoginFailures');
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(private readonly repo: LoginFailuresRepository) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush().catch((e: unknown) => this.log.warn(`not written: ${(e as Error).message}`)), FLUSH_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush().catch(() => undefined);
  }

  /** Writes this process's tally; on failure it stays in memory for the next try. */
  flush(): Promise<void> {
    this.flushing ??= (async () => {
      const tally = takeLoginFailures();
      try {
        await this.repo.add(tally);
        await this.repo.prune(new Date(Date.now() - KEEP_MS));
      } catch (err) {
        returnLoginFailures(tally);
        throw err;
      }
    })().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /** Failed logins in the current hour and the 23 before it: every process's written tally and this one's pending. */
  async last24h(now = Date.now()): Promise<number> {
    const since = Math.floor(now / HOUR) * HOUR - 23 * HOUR;
    return (await this.repo.countSince(new Date(since))) + pendingLoginFailuresSince(since);
  }
}
