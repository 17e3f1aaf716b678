import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '@correio/db';
import { PG_POOL } from '../../database/database.module.js';

export interface CountRow {
  key: string;
  total: number;
  unread: number;
}

/**
 * Unread and total counts for the sidebar, read-only over the mail store's messages (like the
 * contacts indexer's fold, ARCHITECTURE.md: aggregate statements, never per message), each answered
 * from an index made for it (migration 20261211100000_webmail).
 */
@Injectable()
export class CountsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * Per keyword (lower-cased): labelled messages outside Trash and Junk and how many are unread.
   * One pass over the account's messages that have keywords (partial index messages_keyworded_idx).
   */
  async byKeyword(accountId: string): Promise<CountRow[]> {
    const { rows } = await this.pool.query<CountRow>(
      `SELECT lower(k) AS key, count(*)::int AS total, (count(*) FILTER (WHERE NOT m.seen))::int AS unread
         FROM messages m CROSS JOIN LATERAL unnest(m.keywords) k
        WHERE m.account_id = $1 AND cardinality(m.keywords) > 0
          AND m.mailbox_id NOT IN (SELECT b.id FROM mailboxes b WHERE b.account_id = $1 AND b.special_use IN ('trash', 'junk'))
        GROUP BY 1`,
      [accountId],
    );
    return rows;
  }
}
