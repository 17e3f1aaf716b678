import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { type Pool, withTransaction } from '@correio/db';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { PG_POOL } from '../database/database.module.js';
import { BLOB_STORE } from './blob-store.token.js';
import type { BlobStore } from './blob-store.js';
import { claimReleasedBlobs } from './repositories/imap-released-blobs.js';

/** Wait after an expunge before reaping: the expunges of the next moments go in the same batch. */
const NUDGE_MS = 200;
/** Candidates left by a crash, a failed round or another process's expunges: looked at this often. */
const EVERY_MS = 30_000;
const BATCH = 500;

/**
 * Deletes the blobs IMAP EXPUNGE released (released_blobs, migration 20261215200000) once no message
 * refers to them, a moment after the expunge: EXPUNGE is then one autocommitted statement instead of
 * BEGIN, expunge, "still referenced?", delete, COMMIT (issue 11: five round trips were the largest
 * gap to Dovecot in the one-session mixed load). Why asking later is correct: see
 * repositories/imap-released-blobs.ts. Each round is one transaction that commits synchronously
 * (the default), which also flushes the WAL of the asynchronously committed expunges before it
 * (ARCHITECTURE.md "IMAP flag changes and expunges"), so a crash cannot keep a blob's deletion and
 * forget the expunge that released it. Runs in processes with the imap role; several may run it at
 * once (SKIP LOCKED). Other removals (a mailbox's DELETE, the webmail's) still delete their blobs
 * in their own transaction.
 */
@Injectable()
export class ImapBlobReaper implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('imap');
  private timer?: NodeJS.Timeout;
  private nudge?: NodeJS.Timeout;
  private running: Promise<number> | undefined;
  /** Released while a round ran (its claim may have come before): another round after it. */
  private again = false;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  onModuleInit(): void {
    if (!this.config.roles.includes('imap')) return;
    this.timer = setInterval(() => this.runInBackground(), EVERY_MS).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.nudge);
    await this.running?.catch(() => undefined);
  }

  /** An expunge released blobs: reap a moment from now (one round for the expunges until then). */
  released(): void {
    if (this.nudge || this.stopped) return;
    this.nudge = setTimeout(() => {
      this.nudge = undefined;
      this.runInBackground();
    }, NUDGE_MS).unref();
  }

  /** Reaps everything released until now; resolves to the blobs deleted (tests call it). */
  async reapAll(): Promise<number> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = this.drain();
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }

  private async drain(): Promise<number> {
    let deleted = 0;
    for (let claimed = BATCH; claimed === BATCH && !this.stopped; ) {
      const round = await withTransaction(this.pool, async (tx) => {
        const found = await claimReleasedBlobs(tx, BATCH);
        let n = 0;
        for (const [accountId, ids] of found.unreferenced) {
          await this.blobs.deleteMany(tx, accountId, ids);
          n += ids.length;
        }
        return { claimed: found.claimed, deleted: n };
      });
      claimed = round.claimed;
      deleted += round.deleted;
    }
    return deleted;
  }

  private runInBackground(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.reapAll()
      .catch((err: Error) => this.logger.warn(`blob reaper failed: ${err.message}`))
      .finally(() => {
        if (!this.again) return;
        this.again = false;
        this.released();
      });
  }
}
