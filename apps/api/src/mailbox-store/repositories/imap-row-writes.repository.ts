import { Inject, Injectable } from '@nestjs/common';
import type { PoolClient } from '@correio/db';
import { DB_FEATURES, type DbFeatures } from '../../database/database.module.js';
import type { FlagState } from '../imap-flags.js';
import { preparedQuery } from './imap-prepared.js';
import { FLAG_COLUMNS } from './message-columns.js';

type Queryable = Pick<PoolClient, 'query'>;

/** A message row as IMAP's writes need it (locked). */
export interface ImapRow extends FlagState {
  id: string;
  uid: number;
  modseq: string;
  size: number;
  blobId: string;
}

const ROW_COLUMNS = `m.id, m.uid, m.modseq, ${FLAG_COLUMNS}, m.size, m.blob_id AS "blobId"`;

/** Every column a copy takes from its original, besides mailbox, UID and modseq (COPY keeps flags, RFC 9051 §6.4.7). */
const COPIED_COLUMNS = `seen, flagged, answered, draft, deleted, keywords, internal_date, size, blob_id, message_id_hdr, in_reply_to,
  "references", subject, from_name, from_address, to_addresses, cc_addresses, sent_date, snippet, has_attachments, attachments,
  thread_id, envelope_from, auth_results, dsn, sent_day, envelope_imap, envelope_imap_utf8, envelope_imap_version`;

/**
 * The statements of IMAP's writes that take several (COPY, MOVE, DELETE of a mailbox, APPEND's
 * further flags), each in the caller's transaction: lock the rows, change them, leave tombstones,
 * charge usage, find the blobs left without a message. STORE and EXPUNGE are one statement each
 * (imap-write-statements.ts).
 */
@Injectable()
export class ImapRowWritesRepository {
  constructor(@Inject(DB_FEATURES) private readonly features: DbFeatures) {}

  /** The rows among `uids` that exist, locked in ascending id order (the LOCK ORDER). `deletedOnly`: EXPUNGE. */
  async lockByUids(
    tx: Queryable,
    accountId: string,
    mailboxId: string,
    uids: number[] | undefined,
    deletedOnly = false,
  ): Promise<ImapRow[]> {
    const { rows } = await tx.query<ImapRow>(
      `SELECT ${ROW_COLUMNS} FROM messages m
        WHERE m.account_id = $1 AND m.mailbox_id = $2 AND ($3::int[] IS NULL OR m.uid = ANY($3::int[]))${deletedOnly ? ' AND m.deleted' : ''}
        ORDER BY m.id FOR UPDATE`,
      [accountId, mailboxId, uids ?? null],
    );
    return rows;
  }

  /** Sets the flags of locked rows, all to one new modseq (RFC 7162 §3.1: one per change, above every earlier one). */
  async setFlags(tx: Queryable, accountId: string, updates: (FlagState & { id: string })[], modseq: string): Promise<void> {
    await tx.query(
      `UPDATE messages m SET seen = u.seen, answered = u.answered, flagged = u.flagged, deleted = u.deleted, draft = u.draft,
              keywords = u.keywords, modseq = $3
         FROM jsonb_to_recordset($2::jsonb) AS u(id bigint, seen boolean, answered boolean, flagged boolean, deleted boolean, draft boolean, keywords text[])
        WHERE m.account_id = $1 AND m.id = u.id`,
      [
        accountId,
        JSON.stringify(
          updates.map(({ id, seen, answered, flagged, deleted, draft, keywords }) => ({
            id,
            seen,
            answered,
            flagged,
            deleted,
            draft,
            keywords,
          })),
        ),
        modseq,
      ],
    );
  }

  /** New rows in `toMailboxId` for the rows `ids`, UIDs from firstUid on in the order given (COPY). */
  async insertCopies(
    tx: Queryable,
    accountId: string,
    ids: string[],
    toMailboxId: string,
    firstUid: number,
    modseq: string,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO messages (account_id, mailbox_id, uid, modseq, ${COPIED_COLUMNS})
       SELECT $1, $3, $4 + s.n - 1, $5, ${COPIED_COLUMNS.split(',')
         .map((c) => `m.${c.trim()}`)
         .join(', ')}
         FROM unnest($2::bigint[]) WITH ORDINALITY AS s(id, n) JOIN messages m ON m.account_id = $1 AND m.id = s.id
        ORDER BY s.n`,
      [accountId, ids, toMailboxId, firstUid, modseq],
    );
  }

  /** Re-homes rows into `toMailboxId` under UIDs from firstUid on, in the order given (MOVE, RFC 6851). */
  async relocateMany(
    tx: Queryable,
    accountId: string,
    ids: string[],
    toMailboxId: string,
    firstUid: number,
    modseq: string,
  ): Promise<void> {
    await tx.query(
      `UPDATE messages m SET mailbox_id = $3, uid = $4 + s.n - 1, modseq = $5
         FROM unnest($2::bigint[]) WITH ORDINALITY AS s(id, n) WHERE m.account_id = $1 AND m.id = s.id`,
      [accountId, ids, toMailboxId, firstUid, modseq],
    );
  }

  /** Tombstones for UIDs leaving a mailbox (RFC 7162 §3.2.5.1 VANISHED). */
  async addTombstones(tx: Queryable, accountId: string, mailboxId: string, uids: number[], modseq: string): Promise<void> {
    await tx.query(
      `INSERT INTO expunged (account_id, mailbox_id, uid, modseq) SELECT $1, $2, u, $4 FROM unnest($3::int[]) AS u
       ON CONFLICT (account_id, mailbox_id, uid) DO UPDATE SET modseq = EXCLUDED.modseq`,
      [accountId, mailboxId, uids, modseq],
    );
  }

  /** Deletes every row of a mailbox (DELETE of the mailbox), returning what was removed. */
  async deleteMailboxRows(
    tx: Queryable,
    accountId: string,
    mailboxId: string,
  ): Promise<{ id: string; uid: number; size: number; blobId: string }[]> {
    const { rows } = await tx.query<{ id: string; uid: number; size: number; blobId: string }>(
      'DELETE FROM messages WHERE account_id = $1 AND mailbox_id = $2 RETURNING id, uid, size, blob_id AS "blobId"',
      [accountId, mailboxId],
    );
    return rows;
  }

  /** Every row of a mailbox, locked (DELETE of the mailbox), as (id, size, blob). */
  async lockAll(tx: Queryable, accountId: string, mailboxId: string): Promise<ImapRow[]> {
    return this.lockByUids(tx, accountId, mailboxId, undefined);
  }

  /** The blobs among `blobIds` no message row of the account refers to any more. */
  async unreferencedBlobs(tx: Queryable, accountId: string, blobIds: string[]): Promise<string[]> {
    const { rows } = await tx.query<{ id: string }>({
      ...preparedQuery(
        this.features,
        `SELECT b.id FROM unnest($2::bigint[]) AS b(id)
          WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.account_id = $1 AND m.blob_id = b.id)`,
      ),
      values: [accountId, [...new Set(blobIds)]],
    });
    return rows.map((r) => r.id);
  }

  /** Charges copies to the account's usage within its quota; false when over quota (nothing charged). */
  async chargeUsage(tx: Queryable, accountId: string, bytes: number): Promise<boolean> {
    const { rowCount } = await tx.query(
      'UPDATE accounts SET used_bytes = used_bytes + $2 WHERE id = $1 AND (quota_bytes = 0 OR used_bytes + $2 <= quota_bytes)',
      [accountId, bytes],
    );
    return (rowCount ?? 0) > 0;
  }
}
