import { Inject, Injectable } from '@nestjs/common';
import type { PoolClient } from '@correio/db';
import type { EnvelopeForms } from '@correio/imap-protocol';
import type { MessageSummaryFields } from '@correio/mime';
import { DB_FEATURES, type DbFeatures } from '../../database/database.module.js';
import type { SearchText } from '../search/search-text.js';

type Queryable = Pick<PoolClient, 'query'>;

export interface CopyParams {
  accountId: string;
  /** The mailbox by id, or by special use (resolved inside the statement). */
  mailboxId: string | null;
  specialUse: string | null;
  size: number;
  /** The account's blob from an earlier copy of the same delivery, or the bytes to store now. */
  blobId: string | null;
  blobData: Buffer | null;
  blobSha256: string | null;
  threadId: string | null;
  related: string[];
  internalDate: Date;
  envelopeFrom: string;
  summary: MessageSummaryFields;
  authResults: unknown;
  dsn: unknown;
  seen: boolean;
  /** \Flagged and keywords a mail rule set on this copy (issue 15). */
  flagged: boolean;
  keywords: string[];
  draft: boolean;
  /** The search index row, stored with the blob (so only with blobData). */
  searchText: SearchText | null;
  /** Mail arriving for the account: the statement also writes its message.received event (issue 13). */
  incoming: boolean;
  /**
   * IMAP's ENVELOPE text (rawEnvelopeForms), kept on the row so the first FETCH of it serves it as
   * is instead of filling every row with an UPDATE; null leaves that to the first FETCH.
   */
  envelopeForms: EnvelopeForms | null;
  /** MESSAGE_STRUCTURE_VERSION the envelope text was computed with. */
  envelopeVersion: number;
}

export interface CopyRow {
  id: string;
  mailboxId: string;
  uid: number;
  modseq: string;
  blobId: string;
  threadId: string;
}

/** The one-statement copy insert (exported for the query-plan test). */
export const INSERT_COPY_SQL = `WITH target AS (
         SELECT b.id FROM mailboxes b
          WHERE b.account_id = $1 AND (b.id = $2::bigint OR ($2::bigint IS NULL AND b.special_use = $3::special_use))
          ORDER BY b.id LIMIT 1
       ), kept AS MATERIALIZED (
         -- The mailbox counts are kept by box below, and a copy without keywords changes no keyword
         -- count: the count triggers skip this statement (migration 20261216100000). Read in box's
         -- WHERE, so a box that counted has always set the marker.
         SELECT set_config('correio.mailbox_counts_kept', 'INSERT', true) AS m,
                set_config('correio.keyword_counts_kept', CASE WHEN cardinality($34::text[]) = 0 THEN 'INSERT' ELSE '' END, true) AS k
       ), charge AS (
         UPDATE accounts SET used_bytes = used_bytes + $4
          WHERE id = $1 AND (quota_bytes = 0 OR used_bytes + $4 <= quota_bytes) AND EXISTS (SELECT 1 FROM target)
          RETURNING id
       ), box AS (
         UPDATE mailboxes SET uid_next = uid_next + 1, highest_modseq = highest_modseq + 1,
                message_count = message_count + 1, unseen_count = unseen_count + CASE WHEN $10::boolean THEN 0 ELSE 1 END
          WHERE account_id = $1 AND id = (SELECT id FROM target) AND EXISTS (SELECT 1 FROM charge) AND (SELECT m FROM kept) IS NOT NULL
          RETURNING id, name, uid_next - 1 AS uid, highest_modseq AS modseq
       ), blob AS (
         INSERT INTO blobs (account_id, sha256, size, data)
         SELECT $1, $7, $4, $6 WHERE $5::bigint IS NULL AND EXISTS (SELECT 1 FROM box)
         RETURNING id
       ), text AS (
         -- The search text (IMAP SEARCH), with the blob: copies in the account share both. Into the
         -- unindexed pending table: the message text indexer moves it under the trigram index later.
         INSERT INTO message_text_pending (account_id, blob_id, header_length, content, complete)
         SELECT $1, blob.id, $28, $29, $30 FROM blob WHERE $29::text IS NOT NULL
       ), thread AS (
         -- "m.id + 0": ordering by the bare id lets the planner walk the primary key backwards
         -- and filter, which reads EVERY message of the account when nothing matches (most
         -- deliveries); this way it must use the (account_id, message_id_hdr) index. A message
         -- that refers to nothing skips the lookup altogether.
         SELECT m.thread_id FROM messages m
          WHERE cardinality($9::text[]) > 0 AND m.account_id = $1 AND m.message_id_hdr = ANY($9::text[])
          ORDER BY m.id + 0 DESC LIMIT 1
       ), msg AS (
         INSERT INTO messages (account_id, mailbox_id, uid, modseq, seen, draft, internal_date, size, blob_id,
           message_id_hdr, in_reply_to, "references", subject, from_name, from_address, to_addresses, cc_addresses,
           sent_date, snippet, has_attachments, attachments, thread_id, envelope_from, auth_results, dsn, sent_day, flagged, keywords,
           envelope_imap, envelope_imap_utf8, envelope_imap_version)
         SELECT $1, box.id, box.uid, box.modseq, $10, $11, $12, $4, COALESCE($5::bigint, (SELECT id FROM blob)),
           $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24,
           COALESCE($8::bigint, (SELECT thread_id FROM thread), nextval('thread_id_seq')), $25, $26, $27, $31::date, $33, $34::text[],
           $35::text, $36::text, CASE WHEN $35::text IS NOT NULL THEN $37::smallint END
           FROM box
         RETURNING id, mailbox_id, uid, modseq, blob_id, thread_id
       ), event AS (
         -- Issue 13: mail arriving for the account (MX, local delivery, a DSN; not Sent copies, drafts,
         -- APPEND or imports: $32 false) writes its message.received outbox row in this same statement,
         -- so it commits with the message and costs no extra round trip (webhooks/, GET /api/v1/events).
         INSERT INTO account_events (account_id, type, payload)
         SELECT $1, 'message.received', jsonb_build_object(
                  'mailbox', jsonb_build_object('id', box.id::text, 'name', box.name),
                  'messageId', msg.id::text, 'uid', msg.uid, 'threadId', msg.thread_id::text,
                  'from', jsonb_build_object('name', $17::text, 'address', $18::text), 'subject', $16::text,
                  'messageIdHeader', $13::text, 'size', $4::int, 'receivedAt', $12::timestamptz)
           FROM msg, box WHERE $32::boolean
       )
       SELECT id, mailbox_id AS "mailboxId", uid, modseq, blob_id AS "blobId", thread_id AS "threadId" FROM msg`;

/**
 * Stores one copy of a message in ONE statement: charge the account's usage (only within quota),
 * allocate the mailbox's next UID and modseq and count the message in the mailbox's counts, store the
 * bytes, find or start the thread, insert the message row (and, with the blob, its search text). A
 * statement is atomic on its own, so a one-recipient delivery needs no BEGIN/COMMIT and costs one
 * round trip and one WAL flush; several copies run it inside one transaction.
 *
 * Each step is gated on the previous one (EXISTS on its CTE), which also fixes the lock order the
 * store promises: the account row, then the mailbox row. When quota or mailbox fail, nothing at all
 * is written and no row comes back; the caller asks why (copyFailureReason).
 *
 * Ownership note: the charge to accounts.used_bytes is the one write to a directory table outside
 * the directory module; it is inlined here because usage must move in the same statement as the
 * message (ARCHITECTURE.md "Decisions").
 */
@Injectable()
export class DeliveryRepository {
  constructor(@Inject(DB_FEATURES) private readonly features: DbFeatures) {}

  async insertCopy(q: Queryable, p: CopyParams): Promise<CopyRow | undefined> {
    const s = p.summary;
    const { rows } = await q.query<CopyRow>({
      name: this.features.preparedStatements ? 'correio-insert-copy' : undefined,
      text: INSERT_COPY_SQL,
      values: [
        p.accountId, p.mailboxId, p.specialUse, p.size, p.blobId, p.blobData, p.blobSha256, p.threadId, p.related,
        p.seen, p.draft, p.internalDate,
        s.messageId, s.inReplyTo, s.references, s.subject, s.from.name, s.from.address || p.envelopeFrom.toLowerCase(),
        JSON.stringify(s.to), JSON.stringify(s.cc), s.sentDate, s.snippet, s.attachments.length > 0, JSON.stringify(s.attachments),
        p.envelopeFrom,
        p.authResults === undefined ? null : JSON.stringify(p.authResults),
        p.dsn === undefined ? null : JSON.stringify(p.dsn),
        p.searchText?.headerLength ?? 0, p.blobData ? (p.searchText?.content ?? null) : null,
        p.searchText?.complete ?? true,
        s.sentDate ? (p.searchText?.sentDay ?? null) : null,
        p.incoming,
        p.flagged, p.keywords,
        p.envelopeForms?.envelope ?? null, p.envelopeForms?.envelopeUtf8 ?? null, p.envelopeVersion,
      ],
    });
    return rows[0];
  }

  /** Why insertCopy wrote nothing: no such mailbox for the account, or the quota. */
  async copyFailureReason(q: Queryable, p: Pick<CopyParams, 'accountId' | 'mailboxId' | 'specialUse'>): Promise<'mailbox' | 'quota'> {
    const { rows } = await q.query(
      `SELECT 1 FROM mailboxes b
        WHERE b.account_id = $1 AND (b.id = $2::bigint OR ($2::bigint IS NULL AND b.special_use = $3::special_use)) LIMIT 1`,
      [p.accountId, p.mailboxId, p.specialUse],
    );
    return rows.length === 0 ? 'mailbox' : 'quota';
  }
}
