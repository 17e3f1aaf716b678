import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '@correio/db';
import { PG_POOL } from '../../database/database.module.js';

export interface ContactRow {
  name: string;
  address: string;
  sent: number;
  received: number;
  lastAt: Date;
}

/** The stored rank of a contact (see the contacts_rank migration): log2(weight) + epoch(last) / 30 days. */
export function rankKeySql(sent: string, received: string, lastAt: string): string {
  return `(ln(greatest(3 * (${sent}) + (${received}), 1)) / ln(2) + extract(epoch FROM ${lastAt}) / 2592000)`;
}

/**
 * Folds messages stored since the watermark into contacts, in ONE statement (so the MX's per-message
 * path gains no query): To/Cc of Sent copies count as "sent to", From of other mail (not Drafts or
 * Junk) as "received from"; the account's own address is skipped. Rows younger than the lag stop
 * the batch: ids come from a sequence, and a transaction holding a lower id may commit after a
 * higher one, so the watermark only passes rows old enough that their writers have committed.
 * (A message dated more than a minute ahead, e.g. an IMAP APPEND with a future date, is not
 * "young": it must not hold the watermark back until that date.) The state row is locked, so
 * concurrent indexers (several http processes) take turns.
 * $1 lag in ms, $2 batch size. Returns how many messages were folded.
 *
 * Ownership note: this reads messages and mailboxes (the mail store's tables) read-only, inside
 * the one statement the design asks for; nothing here writes them (ARCHITECTURE.md "Decisions").
 */
export const FOLD_SQL = `WITH state AS (
         SELECT last_message_id AS w FROM contacts_index_state WHERE id = 1 FOR UPDATE
       ), young AS (
         SELECT min(y.id) AS id FROM messages y
          WHERE y.id > (SELECT w FROM state) AND y.internal_date > now() - make_interval(secs => $1::double precision / 1000)
            AND y.internal_date < now() + interval '60 seconds'
       ), batch AS (
         SELECT m.id, m.account_id, m.from_address, m.from_name, m.to_addresses, m.cc_addresses, m.internal_date, b.special_use
           FROM messages m JOIN mailboxes b ON b.account_id = m.account_id AND b.id = m.mailbox_id
          WHERE m.id > (SELECT w FROM state) AND ((SELECT id FROM young) IS NULL OR m.id < (SELECT id FROM young))
          ORDER BY m.id LIMIT $2
       ), people AS (
         SELECT x.account_id, lower(p->>'address') AS address, COALESCE(p->>'name', '') AS name, 1 AS sent, 0 AS received, x.internal_date AS at, x.id
           FROM batch x CROSS JOIN LATERAL jsonb_array_elements(x.to_addresses || x.cc_addresses) p
          WHERE x.special_use = 'sent' AND jsonb_typeof(x.to_addresses) = 'array' AND jsonb_typeof(x.cc_addresses) = 'array'
         UNION ALL
         SELECT x.account_id, lower(x.from_address), x.from_name, 0, 1, x.internal_date, x.id
           FROM batch x WHERE x.special_use IS NULL OR x.special_use NOT IN ('sent', 'drafts', 'junk')
       ), folded AS (
         SELECT p.account_id, p.address,
                COALESCE((array_agg(p.name ORDER BY p.id DESC) FILTER (WHERE p.name <> ''))[1], '') AS name,
                sum(p.sent)::int AS sent, sum(p.received)::int AS received, least(max(p.at), now()) AS at
           FROM people p JOIN accounts a ON a.id = p.account_id
          WHERE p.address LIKE '_%@_%' AND length(p.address) <= 320 AND p.address <> a.address
          GROUP BY p.account_id, p.address
       ), upsert AS (
         INSERT INTO contacts (account_id, address, name, sent_count, received_count, last_at, rank_key)
         SELECT account_id, address, left(name, 300), sent, received, at, ${rankKeySql('sent', 'received', 'at')} FROM folded
         ON CONFLICT (account_id, address) DO UPDATE SET
           name = CASE WHEN EXCLUDED.name <> '' THEN EXCLUDED.name ELSE contacts.name END,
           sent_count = contacts.sent_count + EXCLUDED.sent_count,
           received_count = contacts.received_count + EXCLUDED.received_count,
           last_at = GREATEST(contacts.last_at, EXCLUDED.last_at),
           rank_key = ${rankKeySql(
             'contacts.sent_count + EXCLUDED.sent_count',
             'contacts.received_count + EXCLUDED.received_count',
             'GREATEST(contacts.last_at, EXCLUDED.last_at)',
           )}
       )
       UPDATE contacts_index_state SET last_message_id = COALESCE((SELECT max(id) FROM batch), last_message_id), updated_at = now()
        WHERE id = 1
       RETURNING (SELECT count(*)::int FROM batch) AS folded`;

/**
 * Suggestions: address prefix (btree, text_pattern_ops) OR every typed word a prefix of a word of
 * the name (GIN on to_tsvector('simple', name)); ranked by frequency (a message sent to someone
 * counts 3, one received 1) halving every 30 days without mail: the stored rank_key, indexed, so
 * a broad prefix reads the best rows in order while a narrow one combines the prefix indexes.
 */
const RANK = 'c.rank_key DESC, c.address';
const SELECT = `SELECT c.name, c.address, c.sent_count AS sent, c.received_count AS received, c.last_at AS "lastAt" FROM contacts c`;

export function suggestSql(withWords: boolean): string {
  return withWords
    ? `${SELECT} WHERE c.account_id = $1 AND (c.address LIKE $2 OR to_tsvector('simple', c.name) @@ to_tsquery('simple', $3)) ORDER BY ${RANK} LIMIT $4`
    : `${SELECT} WHERE c.account_id = $1 AND c.address LIKE $2 ORDER BY ${RANK} LIMIT $3`;
}

/** The only code that touches contacts and contacts_index_state. */
@Injectable()
export class ContactRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async fold(lagMs: number, batch: number): Promise<number> {
    const { rows } = await this.pool.query<{ folded: number }>(FOLD_SQL, [lagMs, batch]);
    return rows[0]?.folded ?? 0;
  }

  /** `addressPattern`: a LIKE prefix pattern (escaped); `tsquery`: '' when the query has no words. */
  async suggest(accountId: string, addressPattern: string, tsquery: string, limit: number): Promise<ContactRow[]> {
    const { rows } = await this.pool.query<ContactRow>(
      suggestSql(tsquery !== ''),
      tsquery ? [accountId, addressPattern, tsquery, limit] : [accountId, addressPattern, limit],
    );
    return rows;
  }

  /** The most frequent correspondents (an empty query: the compose window's first suggestions). */
  async top(accountId: string, limit: number): Promise<ContactRow[]> {
    const { rows } = await this.pool.query<ContactRow>(`${SELECT} WHERE c.account_id = $1 ORDER BY ${RANK} LIMIT $2`, [accountId, limit]);
    return rows;
  }
}
