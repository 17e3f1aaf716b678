import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '../../config/config.schema.js';
import { APP_CONFIG } from '../../config/load-config.js';
import { MailEventsService } from '../../events/mail-events.service.js';
import { ImapSearchRepository } from '../repositories/imap-search.repository.js';

/** How often the indexer looks for pending rows without being nudged. */
const EVERY_MS = 2_000;
/** Wait after a delivery before indexing: deliveries of the next moments go in the same batch. */
const NUDGE_MS = 500;
const BATCH = 500;
/** Incomplete rows re-extracted per round (each reads its blob). */
const COMPLETE_BATCH = 50;
/** After startup: messages stored before the search index existed get their text, in the background. */
const BACKFILL_AFTER_MS = 10_000;
const BACKFILL_BATCH = 100;

/**
 * Moves the search text of new messages under the trigram index, off the delivery path: the
 * delivery statement writes message_text_pending (a plain row), this moves batches into
 * message_text (ImapSearchRepository.indexPending: one statement each), a little after the change
 * bus says mail arrived (in this process or, over LISTEN/NOTIFY, another) and every few seconds.
 * Rows the delivery marked incomplete (its quick text may be short of the message's) get the
 * complete text from the blob first (extractFullText), and only complete rows move.
 * Messages are searchable meanwhile (SEARCH reads both tables). Runs in processes with the imap
 * role (IMAP SEARCH is the one reader today; the webmail's search will add the http role); several
 * may run it at once (SKIP LOCKED).
 */
@Injectable()
export class MessageTextIndexer implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('search');
  private timer?: NodeJS.Timeout;
  private nudge?: NodeJS.Timeout;
  private backfillTimer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: ImapSearchRepository,
    private readonly events: MailEventsService,
  ) {}

  onModuleInit(): void {
    if (!this.config.roles.includes('imap')) return;
    this.timer = setInterval(() => this.runInBackground(), EVERY_MS).unref();
    this.backfillTimer = setTimeout(
      () => void this.backfillAll().catch((err: Error) => this.logger.warn(`search backfill failed: ${err.message}`)),
      BACKFILL_AFTER_MS,
    ).unref();
    this.unsubscribe = this.events.subscribe((change) => {
      if (change.kind !== 'exists' || this.nudge) return;
      this.nudge = setTimeout(() => {
        this.nudge = undefined;
        this.runInBackground();
      }, NUDGE_MS).unref();
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.nudge);
    clearTimeout(this.backfillTimer);
    this.unsubscribe?.();
    await this.running?.catch(() => undefined);
  }

  /** Indexes everything pending now; resolves to the rows moved (tests call it). */
  async indexAll(): Promise<number> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = this.drain();
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }

  /**
   * Gives every message stored before the search index existed its text row (an upgrade: SEARCH
   * would otherwise do it for a whole mailbox on its first text search). Once per process start,
   * walking the messages by id (one pass, batches of 100).
   */
  async backfillAll(): Promise<number> {
    let total = 0;
    for (let after: string | undefined = '0'; after !== undefined && !this.stopped; ) {
      const { written, next } = await this.repo.backfill(BACKFILL_BATCH, after);
      total += written;
      after = next;
    }
    return total;
  }

  private async drain(): Promise<number> {
    let total = 0;
    // First the rows whose quick text may be short: their complete text, from the blob (full-text.ts).
    while (!this.stopped && (await this.repo.completePending(COMPLETE_BATCH)) === COMPLETE_BATCH);
    for (let n = BATCH; n === BATCH && !this.stopped; total += n) n = await this.repo.indexPending(BATCH);
    return total;
  }

  private runInBackground(): void {
    if (this.running || this.stopped) return;
    this.indexAll().catch((err: Error) => this.logger.warn(`search indexing failed: ${err.message}`));
  }
}
