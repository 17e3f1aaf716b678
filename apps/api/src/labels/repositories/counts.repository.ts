import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '@correio/db';
import { PG_POOL } from '../../database/database.module.js';

export interface CountRow {
  key: string;
  total: number;
  unread: number;
}

/**
 * Unread and total counts per label for the sidebar, read from the counts the mail store keeps per
 * (mailbox, keyword) in statement-level triggers (migration 20261214200000_label_counts): a read of
 * O(mailboxes × labels) rows, however many messages are labelled.
 */
@Injectable()
export class CountsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Per keyword (lower-cased): labelled messages outside Trash and Junk and how many are unread. */
  async byKeyword(accountId: string): Promise<CountRow[]> {
    const { rows } = await this.pool.query<CountRow>(
      `SELECT c.keyword AS key, sum(c.total)::int AS total, sum(c.unseen)::int AS unread
         FROM mailbox_keyword_counts c
         JOIN mailboxes b ON b.account_id = c.account_id AND b.id = c.mailbox_id
        WHERE c.account_id = $1 AND (b.special_use IS NULL OR b.special_use NOT IN ('trash', 'junk'))
        GROUP BY 1`,
      [accountId],
    );
    return rows;
  }
}
