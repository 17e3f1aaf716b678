import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from '@correio/db';
import { PG_POOL } from '../../database/database.module.js';
import type { MessageRow } from '../mailbox-store.types.js';
import { MESSAGE_COLUMNS } from './message-columns.js';

type Queryable = Pick<PoolClient, 'query'>;

/** findRawMany's memory across the batches of one reader: whether text is worth trying. */
export interface RawReadHint {
  tryText: boolean;
}

/** Keyset position: (internal_date, id) of the last row of the previous page. */
export interface ListCursor {
  internalDate: Date;
  id: string;
}

/** The only code that touches messages and expunged. Every query is scoped by account_id. */
@Injectable()
export class MessageRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Newest first; keyset pagination on (internal_date, id) so pages are stable under inserts. */
  async list(accountId: string, mailboxId: string, limit: number, cursor?: ListCursor): Promise<MessageRow[]> {
    const params: unknown[] = [accountId, mailboxId, limit];
    let where = 'm.account_id = $1 AND m.mailbox_id = $2';
    if (cursor) {
      params.push(cursor.internalDate, cursor.id);
      where += ' AND (m.internal_date, m.id) < ($4, $5)';
    }
    const { rows } = await this.pool.query<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE ${where} ORDER BY m.internal_date DESC, m.id DESC LIMIT $3`,
      params,
    );
    return rows;
  }

  async find(accountId: string, id: string, q: Queryable = this.pool, lock = false): Promise<MessageRow | undefined> {
    const { rows } = await q.query<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.account_id = $1 AND m.id = $2${lock ? ' FOR UPDATE' : ''}`,
      [accountId, id],
    );
    return rows[0];
  }

  /** Every message of a mailbox as (id, uid, size), in UID order: a POP3 maildrop (RFC 1939 §4). */
  async listSizes(accountId: string, mailboxId: string): Promise<{ id: string; uid: number; size: number }[]> {
    const { rows } = await this.pool.query<{ id: string; uid: number; size: number }>(
      'SELECT m.id, m.uid, m.size FROM messages m WHERE m.account_id = $1 AND m.mailbox_id = $2 ORDER BY m.uid',
      [accountId, mailboxId],
    );
    return rows;
  }

  /**
   * The stored bytes of the messages among `ids` that still exist (row joined to its blob), in no
   * particular order, in one round trip (two when some are not UTF-8): POP3 reads a maildrop ahead
   * of the client with it. A blob
   * row of the PostgreSQL BlobStore (the mail store owns both tables); the service only calls this
   * when that is the BlobStore in use.
   */
  async findRawMany(accountId: string, ids: string[], hint: RawReadHint = { tryText: true }): Promise<{ id: string; data: Buffer }[]> {
    // Bytes as text when they are UTF-8 (most mail is 7-bit ASCII): PostgreSQL only verifies them
    // (~0.1 ms per 100 KiB) where bytea's hex output costs ~0.45 ms and base64 ~0.3 ms, and Node
    // gets a string of the same size back into the same bytes (valid UTF-8 round-trips exactly;
    // the length is checked too). A batch holding anything else (8-bit, NUL: 22021) is read again
    // as base64, still one query for many messages, and far cheaper to decode in Node than hex.
    const from = `FROM messages m JOIN blobs b ON b.account_id = m.account_id AND b.id = m.blob_id
        WHERE m.account_id = $1 AND m.id = ANY($2::bigint[])`;
    if (hint.tryText) {
      try {
        const { rows } = await this.pool.query<{ id: string; text: string; n: number }>(
          `SELECT m.id, convert_from(b.data, 'UTF8') AS text, octet_length(b.data) AS n ${from}`,
          [accountId, ids],
        );
        const out = rows.map((r) => ({ id: r.id, data: Buffer.from(r.text, 'utf8'), n: r.n }));
        if (out.every((r) => r.data.length === r.n)) return out.map(({ id, data }) => ({ id, data }));
        hint.tryText = false;
      } catch (err) {
        if ((err as { code?: string }).code !== '22021') throw err;
        // This maildrop has 8-bit mail: its next batches go straight to base64 (and PostgreSQL's
        // log does not get an error per batch).
        hint.tryText = false;
      }
    }
    const { rows } = await this.pool.query<{ id: string; data: string }>(
      `SELECT m.id, encode(b.data, 'base64') AS data ${from}`,
      [accountId, ids],
    );
    return rows.map((r) => ({ id: r.id, data: Buffer.from(r.data, 'base64') }));
  }

  /** The rows among `ids` that still exist, locked in ascending id order (the LOCK ORDER). */
  async lockMany(tx: Queryable, accountId: string, ids: string[]): Promise<MessageRow[]> {
    const { rows } = await tx.query<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.account_id = $1 AND m.id = ANY($2::bigint[]) ORDER BY m.id FOR UPDATE`,
      [accountId, ids],
    );
    return rows;
  }

  async updateFlags(tx: Queryable, accountId: string, id: string, flags: { seen?: boolean; flagged?: boolean }, modseq: string): Promise<void> {
    await tx.query(
      `UPDATE messages SET seen = COALESCE($3, seen), flagged = COALESCE($4, flagged), modseq = $5
        WHERE account_id = $1 AND id = $2`,
      [accountId, id, flags.seen ?? null, flags.flagged ?? null, modseq],
    );
  }

  /** Removes the row and leaves a tombstone for CONDSTORE/QRESYNC resync (RFC 7162 §3.2.5.1). */
  async expunge(tx: Queryable, row: Pick<MessageRow, 'accountId' | 'mailboxId' | 'id' | 'uid'>, modseq: string): Promise<void> {
    await tx.query('DELETE FROM messages WHERE account_id = $1 AND id = $2', [row.accountId, row.id]);
    await this.addTombstone(tx, row, modseq);
  }

  async addTombstone(tx: Queryable, row: Pick<MessageRow, 'accountId' | 'mailboxId' | 'uid'>, modseq: string): Promise<void> {
    await tx.query(
      `INSERT INTO expunged (account_id, mailbox_id, uid, modseq) VALUES ($1, $2, $3, $4)
       ON CONFLICT (account_id, mailbox_id, uid) DO UPDATE SET modseq = EXCLUDED.modseq`,
      [row.accountId, row.mailboxId, row.uid, modseq],
    );
  }

  /** Re-homes a message row into another mailbox under a new UID (RFC 6851 MOVE semantics). */
  async relocate(tx: Queryable, accountId: string, id: string, mailboxId: string, uid: number, modseq: string): Promise<void> {
    await tx.query('UPDATE messages SET mailbox_id = $3, uid = $4, modseq = $5 WHERE account_id = $1 AND id = $2', [
      accountId, id, mailboxId, uid, modseq,
    ]);
  }

  /** Every message and tombstone of the account (the account is being removed). */
  async deleteAccount(tx: Queryable, accountId: string): Promise<void> {
    await tx.query('DELETE FROM messages WHERE account_id = $1', [accountId]);
    await tx.query('DELETE FROM expunged WHERE account_id = $1', [accountId]);
  }

  async countBlobReferences(tx: Queryable, accountId: string, blobId: string): Promise<number> {
    const { rows } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM messages WHERE account_id = $1 AND blob_id = $2', [
      accountId, blobId,
    ]);
    return rows[0]?.n ?? 0;
  }
}
