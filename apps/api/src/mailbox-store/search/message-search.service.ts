import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '@correio/db';
import type { SearchNode } from '@correio/search-query';
import { AppError } from '../../common/app-error.js';
import { PG_POOL } from '../../database/database.module.js';
import type { MessageRow } from '../mailbox-store.types.js';
import { MESSAGE_COLUMNS } from '../repositories/message-columns.js';
import type { ListCursor } from '../repositories/message.repository.js';
import { ImapSearchRepository } from '../repositories/imap-search.repository.js';
import { compileApiSearch, mentionsTrashOrJunk, usesText } from './api-search-sql.js';

const MAX_BIGINT = 9_223_372_036_854_775_807n;
const isId = (id: string) => /^[1-9]\d{0,18}$/.test(id) && BigInt(id) <= MAX_BIGINT;

/** Incomplete pending text rows completed per batch before a text search (as IMAP SEARCH does). */
const COMPLETE_BATCH = 50;

export interface MessageSearch {
  accountId: string;
  query: SearchNode;
  /** Only this mailbox; Trash and Junk are then not left out. */
  mailboxId?: string;
  limit: number;
  cursor?: ListCursor;
}

/**
 * The webmail's and the REST API's search (GET /api/v1/messages?q=): one statement over the
 * account's messages, newest first, keyset-paged on (internal_date, id) — never OFFSET, so page N
 * costs what page 1 does. Every value is a bind parameter (api-search-sql.ts).
 */
@Injectable()
export class MessageSearchService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly imapSearch: ImapSearchRepository,
  ) {}

  async search(s: MessageSearch): Promise<MessageRow[]> {
    const { sql, params } = this.statement(s);
    if (usesText(s.query)) {
      // Rows delivered moments ago with a quick text that may be short of the message (HTML, several
      // parts): completed now, so the search sees the whole message (the IMAP search does the same).
      while ((await this.imapSearch.completePending(COMPLETE_BATCH, s.accountId)) === COMPLETE_BATCH);
    }
    const { rows } = await this.pool.query<MessageRow>(sql, params);
    return rows;
  }

  /** The statement and its parameters (EXPLAIN in the bench and tests runs exactly this). */
  statement(s: MessageSearch): { sql: string; params: unknown[] } {
    if (s.mailboxId !== undefined && !isId(s.mailboxId)) throw AppError.notFound('mailbox not found');
    const params: unknown[] = [s.accountId];
    const where = ['m.account_id = $1'];
    if (s.mailboxId !== undefined) where.push(`m.mailbox_id = $${params.push(s.mailboxId)}`);
    else if (!mentionsTrashOrJunk(s.query)) {
      // Gmail: Trash and Spam are searched only when the query asks for them (in:trash, in:anywhere).
      where.push(`m.mailbox_id NOT IN (SELECT b.id FROM mailboxes b WHERE b.account_id = $1 AND b.special_use IN ('trash', 'junk'))`);
    }
    const condition = compileApiSearch(s.query, params);
    if (condition !== 'TRUE') where.push(condition);
    if (s.cursor) where.push(`(m.internal_date, m.id) < ($${params.push(s.cursor.internalDate)}, $${params.push(s.cursor.id)})`);
    const sql = `SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE ${where.join(' AND ')}
      ORDER BY m.internal_date DESC, m.id DESC LIMIT $${params.push(s.limit)}`;
    return { sql, params };
  }
}
