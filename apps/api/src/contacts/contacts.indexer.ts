import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { MailEventsService } from '../events/mail-events.service.js';
import { ContactRepository } from './repositories/contact.repository.js';

/** How often the indexer looks for new messages without being nudged. */
const EVERY_MS = 5_000;
/** Messages younger than this wait for the next run (see FOLD_SQL: ids commit out of order). */
export const FOLD_LAG_MS = 2_000;
const BATCH = 2_000;

/**
 * Keeps contacts up to date from stored messages, off the delivery path: every few seconds, and a
 * little after the in-process change bus says mail arrived, it folds new messages rows into
 * contacts (ContactRepository.fold: one statement per batch). Runs in processes with the http role.
 */
@Injectable()
export class ContactsIndexer implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('contacts');
  private timer?: NodeJS.Timeout;
  private nudge?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(
    private readonly repo: ContactRepository,
    private readonly events: MailEventsService,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => this.runInBackground(), EVERY_MS).unref();
    this.unsubscribe = this.events.subscribe((change) => {
      if (change.kind !== 'exists' || this.nudge) return;
      this.nudge = setTimeout(() => {
        this.nudge = undefined;
        this.runInBackground();
      }, FOLD_LAG_MS + 100).unref();
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.nudge);
    this.unsubscribe?.();
    await this.running?.catch(() => undefined);
  }

  /** Folds everything older than `lagMs` now (tests pass 0); resolves to the messages folded. */
  async foldAll(lagMs = FOLD_LAG_MS): Promise<number> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = this.drain(lagMs);
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }

  private async drain(lagMs: number): Promise<number> {
    let total = 0;
    for (let n = BATCH; n === BATCH && !this.stopped; total += n) n = await this.repo.fold(lagMs, BATCH);
    return total;
  }

  private runInBackground(): void {
    if (this.running || this.stopped) return;
    this.foldAll().catch((err: Error) => this.logger.warn(`contacts indexing failed: ${err.message}`));
  }
}
