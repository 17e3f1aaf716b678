import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '@correio/db';
import type { SearchNode } from '@correio/search-query';
import { AppError } from '../../common/app-error.js';
import { PG_POOL } from '../../database/database.module.js';
import type { MessageRow } from '../mailbox-store.types.js';
import { MESSAGE_COLUMNS } from '../repositories/message-columns.js';
import type { ListCursor } from '../repositories/message.repository.js';
import { ImapSearchRepository } from '../repositories/imap-search.repository.js';
import {
  compileApiSearch,
  drivingTerm,
  mailboxCondition,
  mentionsTrashOrJunk,
  requiredMailboxTerms,
  textCondition,
  usesText,
} from './api-search-sql.js';

const MAX_BIGINT = 9_223_372_036_854_775_807n;
const isId = (id: string) => /^[1-9]\d{0,18}$/.test(id) && BigInt(id) <= MAX_BIGINT;

/** Incomplete pending text rows completed per batch before a text search (as IMAP SEARCH does). */
const COMPLETE_BATCH = 50;
/**
 * Text rows a driving term may match for the index-driven plan (the candidates are fetched, joined
 * and sorted: ~10 ms for 5,000). Past it the term is common, and walking mail newest first stops
 * sooner: at 5,000 of 100,000 messages, 1 in 20 matches, so a 50-row page is found in ~1,000 rows.
 */
const CANDIDATES_MAX = 5000;
/**
 * Before asking the index, the driving term is tried on SAMPLE_SIZE of the account's messages (by
 * primary key, a few ms): COMMON_AFTER_SAMPLE_HITS or more matches (≥ 0.6%) and walking newest
 * first is the cheaper plan whatever the index would say. It also spares the index plan its worst
 * case: a phrase of two common words, whose trigrams are in most rows, so the bitmap holds most of
 * the account and nearly all of it is read to be rechecked (measured: 1 s for 1.8% matches in 100k).
 */
const SAMPLE_SIZE = 500;
const COMMON_AFTER_SAMPLE_HITS = 3;

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
  /** CANDIDATES_MAX; tests set 0 to run every query through the ordered plan. */
  candidatesMax = CANDIDATES_MAX;
  /** COMMON_AFTER_SAMPLE_HITS; tests set it out of reach to run queries through the index-driven plan. */
  commonAfterSampleHits = COMMON_AFTER_SAMPLE_HITS;

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

  /**
   * The statement and its parameters (the bench's EXPLAIN runs exactly this). ONE statement, two
   * plans, of which PostgreSQL runs one (a one-time filter on a count decides):
   * - RARE: when the query has a driving text term (drivingTerm) that is rare in a sample of the
   *   account's mail and matches at most CANDIDATES_MAX text rows, those rows come from the trigram index (a bitmap scan that stops after the cap), their
   *   messages by (account_id, blob_id), the other conditions checked on them, sorted, paged;
   * - ORDERED: otherwise (a common word, or no text at all), the account's mail is walked newest first
   *   on (account_id, internal_date, id) (migration 20261210200001), every condition checked per row
   *   (text by primary key), stopping at `limit` rows.
   * Paging is by keyset (internal_date, id) < cursor — never OFFSET.
   */
  statement(s: MessageSearch): { sql: string; params: unknown[] } {
    if (s.mailboxId !== undefined && !isId(s.mailboxId)) throw AppError.notFound('mailbox not found');
    const params: unknown[] = [s.accountId];
    const bind = (v: unknown) => `$${params.push(v)}`;
    const limit = bind(s.limit);
    const cursor = s.cursor ? ` AND (m.internal_date, m.id) < (${bind(s.cursor.internalDate)}, ${bind(s.cursor.id)})` : '';
    // Which mailboxes: one, or all but Trash and Junk unless the query asks for them (Gmail).
    const scope =
      s.mailboxId !== undefined
        ? `b.id = ${bind(s.mailboxId)}`
        : mentionsTrashOrJunk(s.query)
          ? 'TRUE'
          : `(b.special_use IS NULL OR b.special_use NOT IN ('trash', 'junk'))`;
    // in: terms every match needs choose the mailboxes walked, instead of filtering every row of all.
    const required = requiredMailboxTerms(s.query);
    const boxes = [scope, ...required.map((n) => mailboxCondition(n, bind))].join(' AND ');
    const settled = new Map<SearchNode, string>(required.map((n) => [n, 'TRUE']));
    const order = 'ORDER BY m.internal_date DESC, m.id DESC';
    const full = compileApiSearch(s.query, params, settled);
    const ordered = (gate: string) =>
      `SELECT ${MESSAGE_COLUMNS} FROM messages m
        WHERE m.account_id = $1${gate} AND m.mailbox_id IN (SELECT b.id FROM mailboxes b WHERE b.account_id = $1 AND ${boxes})
          AND ${full}${cursor} ${order} LIMIT ${limit}`;
    const driver = drivingTerm(s.query);
    if (!driver) return { sql: ordered(''), params };
    const textCond = textCondition(driver, bind);
    const rest = compileApiSearch(s.query, params, new Map([...settled, [driver, 'm.blob_id IN (SELECT c.blob_id FROM candidates c)']]));
    const cap = bind(this.candidatesMax);
    const sampleProbe = compileApiSearch(driver, params);
    const sql = `WITH sample AS MATERIALIZED (
        SELECT count(*) AS hits FROM (SELECT m.blob_id FROM messages m WHERE m.account_id = $1 LIMIT ${bind(SAMPLE_SIZE)}) m
         WHERE ${sampleProbe}),
      candidates AS MATERIALIZED (
        SELECT u.blob_id FROM (
          SELECT t.blob_id FROM message_text t WHERE t.account_id = $1 AND ${textCond}
          UNION ALL SELECT t.blob_id FROM message_text_pending t WHERE t.account_id = $1 AND ${textCond}) u
        LIMIT ${cap}::int + 1),
      plan AS (SELECT CASE WHEN (SELECT hits FROM sample) >= ${bind(this.commonAfterSampleHits)} THEN false
                           ELSE (SELECT count(*) FROM candidates) <= ${cap}::int END AS rare)
      SELECT y.* FROM (
        (SELECT ${MESSAGE_COLUMNS} FROM messages m
          WHERE (SELECT rare FROM plan) AND m.account_id = $1
            AND m.mailbox_id IN (SELECT b.id FROM mailboxes b WHERE b.account_id = $1 AND ${boxes})
            AND ${rest}${cursor} ${order} LIMIT ${limit})
        UNION ALL
        (${ordered(' AND NOT (SELECT rare FROM plan)')})
      ) y ORDER BY y."internalDate" DESC, y.id DESC LIMIT ${limit}`;
    return { sql, params };
  }
}
