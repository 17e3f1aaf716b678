import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppError, ErrorCode } from '../../common/app-error.js';
import type { AppConfig } from '../../config/config.schema.js';
import { APP_CONFIG } from '../../config/load-config.js';
import { DirectoryService } from '../../directory/directory.service.js';
import { MailboxStoreService } from '../../mailbox-store/mailbox-store.service.js';

/** Messages (then blobs) deleted per transaction before the account's final, small purge. */
const CHUNK = 2_000;

/**
 * Deletes accounts an admin removed (DELETE /api/v1/admin/accounts/:address marks and disables
 * them), with all their mail, outside the request: one account at a time, oldest request first.
 * Every CORREIO_ACCOUNT_PURGE_INTERVAL ("off": only when purgePending() is called).
 * Several processes may run it on the same account at once: their chunks take disjoint rows
 * (purgeAccountPart claims with SKIP LOCKED), and removeAccount locks the account row, so the loser
 * sees not-found.
 */
@Injectable()
export class AccountPurgeWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('AccountPurgeWorker');
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly directory: DirectoryService,
    private readonly store: MailboxStoreService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const { intervalMs } = this.config.accountPurge;
    if (intervalMs === 0) return;
    this.timer = setInterval(() => void this.purgePending().catch((e: unknown) => this.log.error(e)), intervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Purges every account waiting for removal; returns how many it removed. One run at a time. */
  purgePending(): Promise<number> {
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async drain(): Promise<number> {
    let removed = 0;
    for (
      let address = await this.directory.nextAccountPendingRemoval();
      address;
      address = await this.directory.nextAccountPendingRemoval()
    ) {
      try {
        await this.purgeMailInChunks(address);
        await this.directory.removeAccount(address);
        removed++;
        this.log.log(`removed account ${address} and its mail`);
      } catch (e) {
        // Another process removed it first: move on.
        if (!(e instanceof AppError && e.code === ErrorCode.NotFound)) throw e;
      }
    }
    return removed;
  }

  /**
   * The bulk of the mail goes in transactions of CHUNK rows (a mailbox of a million messages must
   * not be one transaction holding locks and WAL for minutes); removeAccount() then deletes the rest
   * and the account in one. Only while the account is still marked for removal.
   */
  private async purgeMailInChunks(address: string): Promise<void> {
    for (;;) {
      const account = await this.directory.findAccount(address);
      if (!account?.deletePending) return;
      if ((await this.store.purgeAccountPart(account.id, CHUNK)) === 0) return;
    }
  }
}
