import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '@correio/db';
import type { SearchKey } from '@correio/imap-protocol';
import { PG_POOL } from '../../database/database.module.js';
import { compileSearch } from '../search/search-sql.js';
import { extractFullText } from '../search/full-text.js';

/** True when a key needs message_text (TEXT, BODY, HEADER other than a non-empty SUBJECT). */
function usesText(key: SearchKey): boolean {
  switch (key.type) {
    case 'and':
      return key.keys.some(usesText);
    case 'or':
      return usesText(key.left) || usesText(key.right);
    case 'not':
      return usesText(key.key);
    case 'text':
    case 'body':
      return true;
    case 'header':
      return !(key.field.toLowerCase() === 'subject' && key.value !== '');
    default:
      return false;
  }
}

/** Incomplete pending rows completed per statement batch (each reads its blob). */
const COMPLETE_BATCH = 50;

/** SEARCH (RFC 9051 §6.4.4) as one SQL statement over messages (+ message_text), every value bound. */
@Injectable()
export class ImapSearchRepository {
  /** Mailboxes whose every message is known to have its text row (this process checked once). */
  private readonly indexed = new Set<string>();

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async search(accountId: string, mailboxId: string, key: SearchKey, scopeUids?: number[]): Promise<number[]> {
    if (scopeUids?.length === 0) return [];
    if (usesText(key)) {
      await this.ensureIndexed(accountId, mailboxId);
      // The account's rows still pending with a quick text that may be short (delivered in the last
      // moments, before the indexer came by): completed now, so BODY/TEXT see the whole message.
      while ((await this.completePending(COMPLETE_BATCH, accountId)) === COMPLETE_BATCH);
    }
    const params: unknown[] = [accountId, mailboxId];
    const ctes: string[] = [];
    const condition = compileSearch(key, params, ctes);
    const scope = scopeUids ? ` AND m.uid = ANY($${params.push(scopeUids)}::int[])` : '';
    const { rows } = await this.pool.query<{ uid: number }>(
      `${ctes.length > 0 ? `WITH ${ctes.join(', ')} ` : ''}SELECT m.uid FROM messages m
        WHERE m.account_id = $1 AND m.mailbox_id = $2${scope} AND (${condition}) ORDER BY m.uid`,
      params,
    );
    return rows.map((r) => r.uid);
  }

  /**
   * Replaces up to `limit` incomplete rows of message_text_pending (of one account, or any) with the
   * complete text extracted from their blob (full-text.ts); resolves to how many were looked at.
   * No lock is held while extracting: two runs on one row write the same text, and the UPDATE
   * (one statement for the batch) only touches a row still incomplete.
   */
  async completePending(limit: number, accountId?: string): Promise<number> {
    const { rows } = await this.pool.query<{ accountId: string; blobId: string }>(
      `SELECT p.account_id AS "accountId", p.blob_id AS "blobId" FROM message_text_pending p
        WHERE NOT p.complete AND ($1::bigint IS NULL OR p.account_id = $1) LIMIT $2`,
      [accountId ?? null, limit],
    );
    // One blob in memory at a time (a message may be tens of MiB; the batch's texts are at most 1 Mi characters each).
    const texts: ({ headerLength: number; content: string } | undefined)[] = [];
    for (const r of rows) {
      const { rows: blob } = await this.pool.query<{ data: Buffer }>('SELECT data FROM blobs WHERE account_id = $1 AND id = $2', [
        r.accountId,
        r.blobId,
      ]);
      try {
        texts.push(blob[0] ? extractFullText(blob[0].data) : undefined);
      } catch {
        texts.push(undefined); // A message the extractor cannot read keeps its quick text (still searchable), once.
      }
    }
    // One statement for the batch (one WAL flush, not one per row).
    if (rows.length > 0)
      await this.pool.query(
        `UPDATE message_text_pending p SET header_length = COALESCE(x.header_length, p.header_length),
                content = COALESCE(x.content, p.content), complete = true
           FROM unnest($1::bigint[], $2::bigint[], $3::int[], $4::text[]) AS x(account_id, blob_id, header_length, content)
          WHERE p.account_id = x.account_id AND p.blob_id = x.blob_id AND NOT p.complete`,
        [
          rows.map((r) => r.accountId),
          rows.map((r) => r.blobId),
          texts.map((t) => t?.headerLength ?? null),
          texts.map((t) => t?.content ?? null),
        ],
      );
    return rows.length;
  }

  /**
   * Moves up to `limit` complete rows of message_text_pending under the trigram index (message_text), in one
   * statement; resolves to how many. Rows are taken with SKIP LOCKED (several processes may run the
   * indexer), and so are their blobs: a blob being deleted is left to its cascade, never waited for
   * (waiting could deadlock with the deleting transaction, which takes the blob first).
   */
  async indexPending(limit: number): Promise<number> {
    const { rowCount } = await this.pool.query(
      `WITH batch AS (
         SELECT p.account_id, p.blob_id FROM message_text_pending p
           JOIN blobs b ON b.account_id = p.account_id AND b.id = p.blob_id
          WHERE p.complete
          LIMIT $1 FOR UPDATE OF p SKIP LOCKED FOR KEY SHARE OF b SKIP LOCKED
       ), moved AS (
         DELETE FROM message_text_pending p USING batch
          WHERE p.account_id = batch.account_id AND p.blob_id = batch.blob_id
          RETURNING p.account_id, p.blob_id, p.header_length, p.content
       )
       INSERT INTO message_text (account_id, blob_id, header_length, content)
       SELECT account_id, blob_id, header_length, content FROM moved
       ON CONFLICT (account_id, blob_id) DO NOTHING`,
      [limit],
    );
    return rowCount ?? 0;
  }

  /**
   * Messages stored before the text index existed (migration 20261207100000_imap) get their row on
   * the first text search of their mailbox (and, in the background, from the message text
   * indexer's backfill); every later message gets it at delivery (the delivery statement writes
   * message_text_pending; copies and moves share the blob), so each mailbox is checked once per
   * process.
   */
  private async ensureIndexed(accountId: string, mailboxId: string): Promise<void> {
    const mark = `${accountId}:${mailboxId}`;
    if (this.indexed.has(mark)) return;
    // One look for a message without its text (none, after an upgrade's backfill: the usual case).
    const { rows } = await this.pool.query(
      `SELECT 1 FROM messages m WHERE m.account_id = $1 AND m.mailbox_id = $2
          AND NOT EXISTS (SELECT 1 FROM message_text t WHERE t.account_id = m.account_id AND t.blob_id = m.blob_id)
          AND NOT EXISTS (SELECT 1 FROM message_text_pending t WHERE t.account_id = m.account_id AND t.blob_id = m.blob_id)
        LIMIT 1`,
      [accountId, mailboxId],
    );
    for (let after = rows.length > 0 ? '0' : undefined; after !== undefined; )
      after = (await this.backfill(500, after, accountId, mailboxId)).next;
    this.indexed.add(mark);
  }

  /**
   * Writes the text rows of stored messages that have none, looking at up to `limit` messages
   * after message id `after` (of one mailbox, or of every account). Resolves to how many rows were
   * written and the id to continue after (undefined: the end).
   */
  async backfill(limit: number, after: string, accountId?: string, mailboxId?: string): Promise<{ written: number; next?: string }> {
    const { rows } = await this.pool.query<{ id: string; accountId: string; blobId: string; missing: boolean }>(
      `SELECT m.id, m.account_id AS "accountId", m.blob_id AS "blobId",
              NOT EXISTS (SELECT 1 FROM message_text t WHERE t.account_id = m.account_id AND t.blob_id = m.blob_id)
          AND NOT EXISTS (SELECT 1 FROM message_text_pending t WHERE t.account_id = m.account_id AND t.blob_id = m.blob_id) AS missing
         FROM messages m
        WHERE m.id > $1 AND ($2::bigint IS NULL OR (m.account_id = $2 AND m.mailbox_id = $3))
        ORDER BY m.id LIMIT $4`,
      [after, accountId ?? null, mailboxId ?? null, limit],
    );
    let written = 0;
    const done = new Set<string>();
    for (const r of rows) {
      if (!r.missing || done.has(`${r.accountId}:${r.blobId}`)) continue;
      done.add(`${r.accountId}:${r.blobId}`);
      const { rows: blob } = await this.pool.query<{ data: Buffer }>('SELECT data FROM blobs WHERE account_id = $1 AND id = $2', [
        r.accountId,
        r.blobId,
      ]);
      if (!blob[0]) continue;
      const text = extractFullText(blob[0].data);
      const { rowCount } = await this.pool.query(
        `INSERT INTO message_text (account_id, blob_id, header_length, content) SELECT $1, b.id, $3, $4 FROM blobs b
          WHERE b.account_id = $1 AND b.id = $2 ON CONFLICT (account_id, blob_id) DO NOTHING`,
        [r.accountId, r.blobId, text.headerLength, text.content],
      );
      written += rowCount ?? 0;
    }
    return { written, next: rows.length === limit ? rows[rows.length - 1]!.id : undefined };
  }
}
