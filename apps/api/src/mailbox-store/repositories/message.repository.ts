import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type Pool, type PoolClient, SharedCopyReader } from '@correio/db';
import { DB_FEATURES, type DbFeatures, PG_POOL } from '../../database/database.module.js';
import type { MessageFlags, MessageRow } from '../mailbox-store.types.js';
import { MESSAGE_COLUMNS } from './message-columns.js';

type Queryable = Pick<PoolClient, 'query'>;

/**
 * The rows readRawInto copies: messages by primary key whatever the statistics say. `account_id + 0`
 * still scopes the rows to the account but is no index condition, so a table not yet analyzed (a
 * fresh import) cannot lead the planner to scan all of the account's messages for each batch
 * (measured on a fresh account: every batch read all 1,000 rows and tested each against the 128 ids).
 * `ids`: validated bigints, comma-separated.
 */
export function readAheadSelect(accountId: string, ids: string): string {
  return `SELECT m.id, b.data FROM messages m JOIN blobs b ON b.account_id = m.account_id AND b.id = m.blob_id
      WHERE m.id = ANY('{${ids}}'::bigint[]) AND m.account_id + 0 = ${accountId}`;
}

/** Ids as written into a COPY statement: digits only. */
const DIGITS = /^\d{1,19}$/;

/** Keyset position: (internal_date, id) of the last row of the previous page. */
export interface ListCursor {
  internalDate: Date;
  id: string;
}

/** The only code that touches messages and expunged. Every query is scoped by account_id. */
@Injectable()
export class MessageRepository implements OnApplicationShutdown {
  /** Made on first use (a worker thread and its connection): only POP3 read-ahead needs it. */
  private copyReader: SharedCopyReader | undefined;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(DB_FEATURES) private readonly features: DbFeatures,
  ) {}

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

  /**
   * A message and its raw bytes in one prepared statement, for the PostgreSQL BlobStore: opening a
   * message in the webmail (GET /messages/:id) waited for two round trips one after the other, the
   * row and then its blob. Absent when either is (a blob is never deleted before its message).
   */
  async findWithRaw(accountId: string, id: string): Promise<{ row: MessageRow; raw: Buffer } | undefined> {
    const { rows } = await this.pool.query<MessageRow & { raw: Buffer }>({
      name: this.features.preparedStatements ? 'correio-message-with-raw' : undefined,
      text: `SELECT ${MESSAGE_COLUMNS}, b.data AS raw
               FROM messages m JOIN blobs b ON b.account_id = m.account_id AND b.id = m.blob_id
              WHERE m.account_id = $1 AND m.id = $2`,
      values: [accountId, id],
    });
    const found = rows[0];
    if (!found) return undefined;
    const { raw, ...row } = found;
    return { row, raw };
  }

  /** The message at a UID of a mailbox (REST import answers with the id the APPEND path stored). */
  async findByUid(accountId: string, mailboxId: string, uid: number): Promise<MessageRow | undefined> {
    const { rows } = await this.pool.query<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.account_id = $1 AND m.mailbox_id = $2 AND m.uid = $3`,
      [accountId, mailboxId, uid],
    );
    return rows[0];
  }

  async listSizes(accountId: string, mailboxId: string): Promise<{ id: string; uid: number; size: number }[]> {
    const { rows } = await this.pool.query<{ id: string; uid: number; size: number }>(
      'SELECT m.id, m.uid, m.size FROM messages m WHERE m.account_id = $1 AND m.mailbox_id = $2 ORDER BY m.uid',
      [accountId, mailboxId],
    );
    return rows;
  }

  /**
   * Reads the stored bytes of the messages among `requests` that still exist (row joined to its
   * blob) into `into`, each at its offset when it fits its capacity, in one statement: POP3 reads
   * a maildrop ahead of the client with it. Resolves to id -> length of every message found. A blob
   * row of the PostgreSQL BlobStore (the mail store owns both tables); the service only calls this
   * when that is the BlobStore in use.
   *
   * A binary COPY run by a worker thread that writes into the shared memory (SharedCopyReader):
   * the blobs never become strings or Buffers on the main thread. COPY takes no parameters, so the
   * ids, validated bigints (the service's isId), are written into the statement, digits only.
   */
  async readRawInto(accountId: string, requests: { id: string; offset: number; capacity: number }[], into: SharedArrayBuffer): Promise<Map<string, number>> {
    if (!DIGITS.test(accountId) || !requests.every((r) => DIGITS.test(r.id))) throw new Error('readRawInto: ids must be bigints');
    const ids = requests.map((r) => r.id).join(',');
    const sql = `COPY (${readAheadSelect(accountId, ids)}) TO STDOUT (FORMAT binary)`;
    return this.reader().read(sql, into, requests.map((r) => [r.id, r.offset, r.capacity]));
  }

  /** Starts readRawInto's worker thread and connection now (a POP3 server about to serve). */
  prepareRawReads(): void {
    this.reader().prepare();
  }

  private reader(): SharedCopyReader {
    this.copyReader ??= new SharedCopyReader(this.pool.options.connectionString ?? '', 'correio-read-ahead');
    return this.copyReader;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.copyReader?.close();
  }

  /** The rows among `ids` that still exist, locked in ascending id order (the LOCK ORDER). */
  async lockMany(tx: Queryable, accountId: string, ids: string[]): Promise<MessageRow[]> {
    const { rows } = await tx.query<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.account_id = $1 AND m.id = ANY($2::bigint[]) ORDER BY m.id FOR UPDATE`,
      [accountId, ids],
    );
    return rows;
  }

  async updateFlags(tx: Queryable, accountId: string, id: string, flags: MessageFlags, modseq: string): Promise<void> {
    await tx.query(
      `UPDATE messages SET seen = COALESCE($3, seen), flagged = COALESCE($4, flagged), answered = COALESCE($6, answered),
              draft = COALESCE($7, draft), modseq = $5
        WHERE account_id = $1 AND id = $2`,
      [accountId, id, flags.seen ?? null, flags.flagged ?? null, modseq, flags.answered ?? null, flags.draft ?? null],
    );
  }

  /** The account's messages with one of these Message-IDs not yet \Answered, locked in id order. */
  async lockUnansweredByMessageId(tx: Queryable, accountId: string, messageIds: string[]): Promise<MessageRow[]> {
    const { rows } = await tx.query<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m
        WHERE m.account_id = $1 AND m.message_id_hdr = ANY($2::text[]) AND NOT m.answered ORDER BY m.id FOR UPDATE`,
      [accountId, messageIds],
    );
    return rows;
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

  /**
   * Up to `limit` messages of an account being removed (a purge in short transactions, issue 14),
   * of those no other transaction holds (SKIP LOCKED: two purgers take disjoint rows, and each
   * counts only what it deleted). 0 while rows remain that others hold: see anyAccountRowLeft().
   */
  async deleteAccountPart(tx: Queryable, accountId: string, limit: number): Promise<number> {
    const { rowCount } = await tx.query(
      // The claim is MATERIALIZED, run once: as an IN (subquery) the planner may rescan it per row,
      // each rescan skipping the rows this statement already deleted and locking the next ones.
      `WITH claimed AS MATERIALIZED (SELECT id FROM messages WHERE account_id = $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
       DELETE FROM messages WHERE account_id = $1 AND id IN (SELECT id FROM claimed)`,
      [accountId, limit],
    );
    return rowCount ?? 0;
  }

  /**
   * Whether the account has a message left, after waiting for the transaction (another purger)
   * holding the first one: its rows are gone once it commits. Locks one row at most, only for the
   * statement, so it cannot deadlock with the holder.
   */
  async anyAccountRowLeft(tx: Queryable, accountId: string): Promise<boolean> {
    const { rows } = await tx.query('SELECT id FROM messages WHERE account_id = $1 LIMIT 1 FOR UPDATE', [accountId]);
    return rows.length > 0;
  }

  async countBlobReferences(tx: Queryable, accountId: string, blobId: string): Promise<number> {
    const { rows } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM messages WHERE account_id = $1 AND blob_id = $2', [
      accountId, blobId,
    ]);
    return rows[0]?.n ?? 0;
  }
}
