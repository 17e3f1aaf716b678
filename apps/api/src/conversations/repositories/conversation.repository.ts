import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '@correio/db';
import { DB_FEATURES, type DbFeatures, PG_POOL } from '../../database/database.module.js';
import type { KeysetCursor } from '../conversation-cursor.js';
import { WEBMAIL_MESSAGE_COLUMNS, type WebmailMessageRow } from './webmail-message-columns.js';

/** Which conversations a list shows: those with a message in a mailbox, or carrying a keyword. */
export type ConversationView = { mailboxId: string } | { keyword: string };

export interface ConversationRow {
  threadId: string;
  latestId: string;
  latestAt: Date;
  subject: string;
  snippet: string;
  fromName: string;
  fromAddress: string;
  messageCount: number;
  unreadCount: number;
  starred: boolean;
  hasAttachments: boolean;
  mailboxIds: string[];
  keywords: string[] | null;
  participants: { name: string; address: string }[];
}

/**
 * Mailboxes hidden from conversations: Trash and Junk, unless the view itself is one of them
 * ($2 is the viewed mailbox id, or NULL for a label view).
 */
const HIDDEN = `SELECT h.id FROM mailboxes h WHERE h.account_id = $1 AND h.special_use IN ('trash', 'junk')
   AND NOT EXISTS (SELECT 1 FROM mailboxes v WHERE v.account_id = $1 AND v.id = $2::bigint AND v.special_use IN ('trash', 'junk'))`;

/** The message (alias given) is in the view: $2 mailbox id, or $4 keyword (case-insensitive, RFC 9051 §2.3.2). */
function inView(view: ConversationView, a: string): string {
  return 'mailboxId' in view
    ? `${a}.mailbox_id = $2`
    : `cardinality(${a}.keywords) > 0 AND EXISTS (SELECT 1 FROM unnest(${a}.keywords) k WHERE lower(k) = lower($4))
       AND ${a}.mailbox_id NOT IN (SELECT id FROM hidden)`;
}

/**
 * Read-only statements over the mail store's messages for the webmail's conversation view (like
 * the contacts indexer's fold, ARCHITECTURE.md), each one statement, each scoped by account_id.
 */
@Injectable()
export class ConversationRepository {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(DB_FEATURES) private readonly features: DbFeatures,
  ) {}

  /**
   * One page of conversations, newest first. A conversation is listed at its newest message in the
   * view (the "representative": no newer message of its thread is in the view), so the walk is the
   * mailbox's own (account, mailbox, date, id) index (or the keyworded-messages index for a label)
   * with one probe of messages_thread_idx per row, and the cursor is that message's (date, id):
   * keyset, never OFFSET. Counts, flags, mailboxes, keywords and participants are then aggregated
   * over the page's threads only (messages_thread_idx), Trash and Junk left out unless viewed.
   */
  async list(accountId: string, view: ConversationView, limit: number, cursor?: KeysetCursor): Promise<ConversationRow[]> {
    const params: unknown[] = [accountId, 'mailboxId' in view ? view.mailboxId : null, limit];
    if ('keyword' in view) params.push(view.keyword);
    const after = cursor ? `AND (m.internal_date, m.id) < ($${params.push(cursor.internalDate)}, $${params.push(cursor.id)}::bigint)` : '';
    const { rows } = await this.pool.query<ConversationRow>(
      `WITH hidden AS (${HIDDEN}),
       page AS (
         SELECT m.thread_id, m.id, m.internal_date, m.subject, m.snippet, m.from_name, m.from_address
           FROM messages m
          WHERE m.account_id = $1 AND ${inView(view, 'm')} ${after}
            AND NOT EXISTS (SELECT 1 FROM messages n
                             WHERE n.account_id = $1 AND n.thread_id = m.thread_id
                               AND (n.internal_date, n.id) > (m.internal_date, m.id) AND ${inView(view, 'n')})
          ORDER BY m.internal_date DESC, m.id DESC
          LIMIT $3),
       -- ANY(ARRAY(…)), not IN (SELECT …): the planner then probes messages_thread_idx per thread
       -- instead of hashing the page and scanning the account's messages (measured: a seq scan).
       members AS MATERIALIZED (
         SELECT x.thread_id, x.mailbox_id, x.seen, x.flagged, x.has_attachments, x.keywords, x.from_name, x.from_address, x.internal_date
           FROM messages x
          WHERE x.account_id = $1 AND x.thread_id = ANY (ARRAY(SELECT thread_id FROM page))
            AND x.mailbox_id NOT IN (SELECT id FROM hidden)),
       agg AS (
         SELECT thread_id, count(*)::int AS message_count, (count(*) FILTER (WHERE NOT seen))::int AS unread_count,
                bool_or(flagged) AS starred, bool_or(has_attachments) AS has_attachments,
                array_agg(DISTINCT mailbox_id::text) AS mailbox_ids
           FROM members GROUP BY thread_id),
       kw AS (
         SELECT thread_id, array_agg(DISTINCT lower(k)) AS keywords
           FROM members CROSS JOIN LATERAL unnest(keywords) k WHERE cardinality(keywords) > 0 GROUP BY thread_id),
       people AS (
         SELECT thread_id, address, (array_agg(from_name ORDER BY internal_date DESC))[1] AS name, min(internal_date) AS first,
                row_number() OVER (PARTITION BY thread_id ORDER BY min(internal_date)) AS n
           FROM (SELECT thread_id, lower(from_address) AS address, from_name, internal_date FROM members) f GROUP BY thread_id, address)
       SELECT p.thread_id AS "threadId", p.id AS "latestId", p.internal_date AS "latestAt", p.subject, p.snippet,
              p.from_name AS "fromName", p.from_address AS "fromAddress",
              COALESCE(a.message_count, 1) AS "messageCount", COALESCE(a.unread_count, 0) AS "unreadCount",
              COALESCE(a.starred, false) AS starred, COALESCE(a.has_attachments, false) AS "hasAttachments",
              COALESCE(a.mailbox_ids, '{}') AS "mailboxIds", kw.keywords,
              COALESCE((SELECT json_agg(json_build_object('name', pp.name, 'address', pp.address) ORDER BY pp.first)
                          FROM people pp WHERE pp.thread_id = p.thread_id AND pp.n <= 10), '[]') AS participants
         FROM page p LEFT JOIN agg a ON a.thread_id = p.thread_id LEFT JOIN kw ON kw.thread_id = p.thread_id
        ORDER BY p.internal_date DESC, p.id DESC`,
      params,
    );
    return rows;
  }

  /** The thread's messages, oldest first (the newest `limit` when longer), Trash/Junk as the view says. */
  async thread(accountId: string, threadId: string, viewMailboxId: string | null, limit: number): Promise<WebmailMessageRow[]> {
    const { rows } = await this.pool.query<WebmailMessageRow>(
      `WITH hidden AS (${HIDDEN})
       SELECT * FROM (
         SELECT ${WEBMAIL_MESSAGE_COLUMNS} FROM messages m
          WHERE m.account_id = $1 AND m.thread_id = $3 AND m.mailbox_id NOT IN (SELECT id FROM hidden)
          ORDER BY m.internal_date DESC, m.id DESC LIMIT $4) t
       ORDER BY "internalDate", id`,
      [accountId, viewMailboxId, threadId, limit],
    );
    return rows;
  }

  /**
   * A mailbox's messages, newest first, keyset-paged (the flat list with labels). Two prepared
   * statements (first page, later pages): the webmail's hottest read (issue 12's p99 < 30 ms at 10
   * clients), which PostgreSQL otherwise parses and plans on every request on the same two cores.
   */
  async page(accountId: string, mailboxId: string, limit: number, cursor?: KeysetCursor): Promise<WebmailMessageRow[]> {
    const isNamed = this.features.preparedStatements;
    const { rows } = await this.pool.query<WebmailMessageRow>(
      cursor
        ? {
            name: isNamed ? 'correio-webmail-page-after' : undefined,
            text: `SELECT ${WEBMAIL_MESSAGE_COLUMNS} FROM messages m WHERE m.account_id = $1 AND m.mailbox_id = $2
                     AND (m.internal_date, m.id) < ($4, $5::bigint) ORDER BY m.internal_date DESC, m.id DESC LIMIT $3`,
            values: [accountId, mailboxId, limit, cursor.internalDate, cursor.id],
          }
        : {
            name: isNamed ? 'correio-webmail-page' : undefined,
            text: `SELECT ${WEBMAIL_MESSAGE_COLUMNS} FROM messages m WHERE m.account_id = $1 AND m.mailbox_id = $2
                     ORDER BY m.internal_date DESC, m.id DESC LIMIT $3`,
            values: [accountId, mailboxId, limit],
          },
    );
    return rows;
  }

  /** The mailbox's special use, or undefined when the account has no such mailbox (404). */
  async mailbox(accountId: string, mailboxId: string): Promise<{ specialUse: string | null } | undefined> {
    const { rows } = await this.pool.query<{ specialUse: string | null }>(
      'SELECT special_use AS "specialUse" FROM mailboxes WHERE account_id = $1 AND id = $2',
      [accountId, mailboxId],
    );
    return rows[0];
  }

  async inboxId(accountId: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ id: string }>(
      "SELECT id FROM mailboxes WHERE account_id = $1 AND special_use = 'inbox' ORDER BY id LIMIT 1",
      [accountId],
    );
    return rows[0]?.id;
  }
}
