import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { MailEventsService } from '../events/mail-events.service.js';
import type { LabelRow } from './repositories/label.repository.js';

/** Long enough that a busy list is answered from memory, short enough to bound what another process can miss. */
const TTL_MS = 10_000;
/** Accounts kept at most (one small row list each); the oldest entry goes first. */
const MAX_ACCOUNTS = 10_000;

/**
 * The account's label rows for mapping keywords ↔ labels in every list page (GET /conversations,
 * /conversations/:id, /mailboxes/:id/page), kept in memory so a page is one database round trip
 * instead of two (issue 12: the 50-message page at 10 clients).
 *
 * Never stale in this process: LabelsService drops an account's entry on every label write. Across
 * processes, a rename or delete rewrites the keyword on the label's messages through the store,
 * whose flag changes reach every process on the change bus (DESIGN invariant 6) and drop the entry
 * there too; what no message carries cannot show in a list, so a stale row of it shows nothing. The
 * one case the bus does not carry — a label created for a keyword IMAP clients already set — shows
 * in another process's lists within TTL_MS. A bus resync (connection lost) drops everything.
 */
@Injectable()
export class LabelRowsCache implements OnModuleDestroy {
  private readonly entries = new Map<string, { at: number; rows: Promise<LabelRow[]> }>();
  private readonly unsubscribe: (() => void)[];

  constructor(events: MailEventsService) {
    this.unsubscribe = [
      events.subscribe((c) => {
        if (c.kind === 'flags') this.entries.delete(c.accountId);
      }),
      events.onResync(() => this.entries.clear()),
    ];
  }

  onModuleDestroy(): void {
    for (const off of this.unsubscribe) off();
  }

  get(accountId: string, load: () => Promise<LabelRow[]>): Promise<LabelRow[]> {
    const hit = this.entries.get(accountId);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.rows;
    const rows = load();
    // A failed read is not kept: the next page asks the database again.
    rows.catch(() => {
      if (this.entries.get(accountId)?.rows === rows) this.entries.delete(accountId);
    });
    this.entries.delete(accountId);
    this.entries.set(accountId, { at: Date.now(), rows });
    if (this.entries.size > MAX_ACCOUNTS) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return rows;
  }

  /** The account's labels changed here: the next page reads them again. */
  drop(accountId: string): void {
    this.entries.delete(accountId);
  }
}
