import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '@correio/db';
import { PG_POOL } from '../../database/database.module.js';

/** What a bulk action needs to know of each selected message. */
export interface SelectedRow {
  id: string;
  mailboxId: string;
  uid: number;
  seen: boolean;
  flagged: boolean;
  keywords: string[];
}

export interface MailboxRef {
  id: string;
  specialUse: string | null;
}

const COLUMNS = 'm.id, m.mailbox_id AS "mailboxId", m.uid, m.seen, m.flagged, m.keywords';

/**
 * Read-only look-ups over the mail store's tables for bulk actions: which messages a selection names
 * and where they are now. The writes go through the store's services (bulk.service.ts).
 */
@Injectable()
export class BulkSelectionRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** The account's messages among `ids` (another account's ids simply match nothing). */
  async byIds(accountId: string, ids: string[]): Promise<SelectedRow[]> {
    const { rows } = await this.pool.query<SelectedRow>(
      `SELECT ${COLUMNS} FROM messages m WHERE m.account_id = $1 AND m.id = ANY($2::bigint[]) ORDER BY m.id`,
      [accountId, ids],
    );
    return rows;
  }

  /** The messages of these threads, outside `hidden` mailboxes (Trash/Junk unless viewed). */
  async byThreads(accountId: string, threadIds: string[], hidden: string[]): Promise<SelectedRow[]> {
    const { rows } = await this.pool.query<SelectedRow>(
      `SELECT ${COLUMNS} FROM messages m
        WHERE m.account_id = $1 AND m.thread_id = ANY($2::bigint[]) AND m.mailbox_id <> ALL($3::bigint[]) ORDER BY m.id`,
      [accountId, threadIds, hidden],
    );
    return rows;
  }

  async mailboxes(accountId: string): Promise<MailboxRef[]> {
    const { rows } = await this.pool.query<MailboxRef>(
      'SELECT id, special_use AS "specialUse" FROM mailboxes WHERE account_id = $1 ORDER BY id',
      [accountId],
    );
    return rows;
  }
}
