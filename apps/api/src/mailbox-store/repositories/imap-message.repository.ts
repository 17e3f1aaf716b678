import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '@correio/db';
import { MESSAGE_STRUCTURE_VERSION } from '@correio/imap-protocol';
import { DB_FEATURES, type DbFeatures, PG_GENERIC_POOL, PG_POOL } from '../../database/database.module.js';
import type { FlagState } from '../imap-flags.js';
import type { FetchLines, FetchLinesRequest, FetchNeeds, ImapMailbox, ImapSortFields } from '../imap-store.types.js';
import { fetchBodiesSql, fetchLinesSql } from './imap-fetch-lines.sql.js';
import { preparedQuery } from './imap-prepared.js';
import { MAILBOX_COLUMNS, type MailboxDbRow, toImapMailbox } from './imap-mailbox.repository.js';
import { FLAG_COLUMNS } from './message-columns.js';
import { seqsByUid } from './seqs-by-uid.js';
import { decodeUidBytes32, uidBytesOfOrdered } from './uid-bytes.js';

export interface SnapshotRow {
  mailbox: ImapMailbox;
  uids: Uint32Array;
  unseen: number;
  firstUnseenUid: number | null;
  keywords: string[];
}

export interface MetaRow extends Partial<FlagState> {
  uid: number;
  modseq: string;
  blobId: string;
  internalDate?: Date;
  size?: number;
  version?: number | null;
  structure?: unknown;
  envelope?: unknown;
  /** The row has no current envelope text yet (messages.envelope_imap): fill it in. */
  noEnvelopeWire?: boolean | null;
  /** The kept structure has no BODY/BODYSTRUCTURE text yet (kept before the columns existed): fill it in. */
  noBodyWire?: boolean | null;
}

/** SELECT's statement (ImapMessageRepository.snapshot): $1 account, $2 mailbox. */
const SNAPSHOT_SQL = `SELECT ${MAILBOX_COLUMNS}, ${uidBytesOfOrdered('SELECT m.uid FROM messages m WHERE m.account_id = $1 AND m.mailbox_id = $2 ORDER BY m.uid')} AS uids,
              b.unseen_count AS unseen,
              (SELECT min(m.uid) FROM messages m WHERE m.account_id = $1 AND m.mailbox_id = $2 AND NOT m.seen) AS "firstUnseenUid",
              COALESCE((SELECT array_agg(DISTINCT k) FROM messages m CROSS JOIN unnest(m.keywords) k
                         WHERE m.account_id = $1 AND m.mailbox_id = $2 AND cardinality(m.keywords) > 0), '{}') AS keywords
         FROM mailboxes b WHERE b.account_id = $1 AND b.id = $2`;

/**
 * The messages and expunged rows as IMAP reads them (SELECT, FETCH, QRESYNC, SORT/THREAD, QUOTA),
 * in the module that owns those tables (beside MessageRepository, the webmail's view). Scoped by
 * account. The blobs IMAP reads: ImapBlobsRepository; the rows IMAP's writes lock and change:
 * ImapRowWritesRepository.
 */
@Injectable()
export class ImapMessageRepository {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(DB_FEATURES) private readonly features: DbFeatures,
    /** SELECT's and FETCH lines' named statements run here, planned generically from the first (PG_GENERIC_POOL). */
    @Inject(PG_GENERIC_POOL) private readonly generic: Pool,
  ) {}

  /**
   * Everything SELECT needs, in ONE statement so it is one consistent view of the mailbox: the UIDs
   * present and the UIDNEXT/HIGHESTMODSEQ they go with. Undefined when there is no such mailbox.
   * The unseen count is the mailbox row's (kept by the messages_counts_* triggers in the same
   * transactions as the rows, so it agrees with the UIDs): one pass over the mailbox fewer.
   */
  async snapshot(accountId: string, mailboxId: string): Promise<SnapshotRow | undefined> {
    const { rows } = await this.generic.query<Omit<SnapshotRow, 'mailbox' | 'uids'> & MailboxDbRow & { uids: Buffer | null }>({
      ...preparedQuery(
        this.features,
        SNAPSHOT_SQL,
      ),
      values: [accountId, mailboxId],
    });
    const r = rows[0];
    return r && { mailbox: toImapMailbox(r), uids: decodeUidBytes32(r.uids), unseen: r.unseen, firstUnseenUid: r.firstUnseenUid, keywords: r.keywords };
  }

  /** Only the columns FETCH asked for (FetchNeeds); the kept structure is joined when wanted. */
  async fetchMeta(accountId: string, mailboxId: string, uids: number[], needs: FetchNeeds): Promise<MetaRow[]> {
    const cols = ['m.uid', 'm.modseq', 'm.blob_id AS "blobId"'];
    if (needs.flags) cols.push(FLAG_COLUMNS);
    if (needs.internalDate) cols.push('m.internal_date AS "internalDate"');
    if (needs.size) cols.push('m.size');
    const withStructure = needs.structure || needs.envelope;
    if (withStructure) {
      cols.push('s.version', needs.structure ? 's.structure' : `s.structure -> 'envelope' AS envelope`);
      cols.push(
        `m.envelope_imap IS NULL OR m.envelope_imap_version IS NULL OR m.envelope_imap_version < ${Number(MESSAGE_STRUCTURE_VERSION)} AS "noEnvelopeWire"`,
      );
      if (needs.structure) cols.push('s.body_imap IS NULL AS "noBodyWire"');
    }
    const join = withStructure ? 'LEFT JOIN message_structures s ON s.account_id = m.account_id AND s.blob_id = m.blob_id' : '';
    const { rows } = await this.pool.query<MetaRow>(
      `SELECT ${cols.join(', ')} FROM messages m ${join}
        WHERE m.account_id = $1 AND m.mailbox_id = $2 AND m.uid = ANY($3::int[]) ORDER BY m.uid`,
      [accountId, mailboxId, uids],
    );
    return rows;
  }

  /** FETCH's fast path: a batch's responses, built in the statement (imap-fetch-lines.sql.ts). `uids` ascending. */
  async fetchLines(accountId: string, mailboxId: string, uids: number[], seqs: number[], request: FetchLinesRequest): Promise<FetchLines> {
    const { lo, hi, text } = seqsByUid(uids, seqs);
    const changedSince = request.changedSince !== undefined;
    const params: unknown[] = [accountId, mailboxId, lo, hi, text];
    if (changedSince) params.push(String(request.changedSince));
    const { rows } = await this.generic.query<FetchLines>({
      ...preparedQuery(this.features, fetchLinesSql(request.items, { utf8: request.utf8, changedSince, wholeRange: request.wholeRange })),
      values: params,
    });
    const r = rows[0];
    return r ? { ...r, text: r.text ?? '' } : { text: '', found: 0, sent: 0, missing: 0 };
  }

  /**
   * Opens `connections` connections of each pool at once and has each plan and run the statements
   * it serves against no rows (account 0): SELECT's and FETCH lines' on the generic-plan pool,
   * FETCH's bodies and metadata on the main one. A new PostgreSQL backend pays for loading the
   * catalog entries of every table, index and function a statement touches on its first use, and a
   * new connection for its start-up: without this the first sync after a restart paid all of that.
   */
  async warmUp(connections: number): Promise<void> {
    const open = (pool: Pool, n: number) => Promise.all(Array.from({ length: n }, () => pool.connect()));
    const generic = this.generic !== this.pool ? await open(this.generic, Math.min(connections, 3)) : [];
    const main = await open(this.pool, connections);
    try {
      await Promise.all([
        ...generic.map(async (c) => {
          // SELECT's own named statement, so the first SELECT finds it parsed and planned.
          await c.query({ ...preparedQuery(this.features, SNAPSHOT_SQL), values: ['0', '0'] });
          await c.query(fetchLinesSql(['UID', 'FLAGS', 'ENVELOPE', 'BODYSTRUCTURE', 'MODSEQ'], { utf8: false, changedSince: true }), [
            '0',
            '0',
            1,
            1,
            [1],
            '0',
          ]);
        }),
        ...main.map(async (c) => {
          await c.query(
            fetchBodiesSql(['UID'], ['MODSEQ'], {
              utf8: false,
              accountId: '0',
              mailboxId: '0',
              lo: 1,
              hi: 1,
              seqsLiteral: '{1}',
              inlineMax: 1,
              batchMax: 1,
            }),
          );
          await c.query(
            `SELECT ${FLAG_COLUMNS}, m.size, m.internal_date, s.structure, b.size FROM messages m
               LEFT JOIN message_structures s ON s.account_id = m.account_id AND s.blob_id = m.blob_id
               JOIN blobs b ON b.account_id = m.account_id AND b.id = m.blob_id
               JOIN mailboxes x ON x.account_id = m.account_id AND x.id = m.mailbox_id
               LEFT JOIN expunged e ON e.account_id = m.account_id AND e.mailbox_id = m.mailbox_id AND e.uid = m.uid
              WHERE m.account_id = 0 AND NOT m.seen`,
          );
        }),
      ]);
    } finally {
      for (const c of [...generic, ...main]) c.release();
    }
  }

  /**
   * Messages changed after `modseq` (with their flags) and UIDs expunged after it (tombstones), in
   * ONE statement, so both come from one snapshot: a MOVE or EXPUNGE committing in between cannot
   * show a message in neither list (or in both) — what QRESYNC and FETCH (CHANGEDSINCE … VANISHED)
   * rely on (RFC 7162 §3.2.5).
   */
  async changesSince(
    accountId: string,
    mailboxId: string,
    modseq: bigint,
  ): Promise<{ changed: (FlagState & { uid: number; modseq: string })[]; vanished: number[] }> {
    const { rows } = await this.pool.query<FlagState & { uid: number; modseq: string; gone: boolean }>(
      `SELECT m.uid, m.modseq, ${FLAG_COLUMNS}, false AS gone FROM messages m
        WHERE m.account_id = $1 AND m.mailbox_id = $2 AND m.modseq > $3
       UNION ALL
       SELECT e.uid, e.modseq, false, false, false, false, false, '{}'::text[], true FROM expunged e
        WHERE e.account_id = $1 AND e.mailbox_id = $2 AND e.modseq > $3
       ORDER BY gone, uid`,
      [accountId, mailboxId, modseq.toString()],
    );
    const changed: (FlagState & { uid: number; modseq: string })[] = [];
    const vanished: number[] = [];
    for (const { gone, ...r } of rows) {
      if (gone) vanished.push(r.uid);
      else changed.push(r);
    }
    return { changed, vanished };
  }

  async quota(accountId: string): Promise<{ usedBytes: number; limitBytes: number; messages: number }> {
    const { rows } = await this.pool.query<{ usedBytes: string; limitBytes: string; messages: number }>(
      `SELECT a.used_bytes AS "usedBytes", a.quota_bytes AS "limitBytes",
              (SELECT count(*)::int FROM messages m WHERE m.account_id = a.id) AS messages
         FROM accounts a WHERE a.id = $1`,
      [accountId],
    );
    const r = rows[0];
    return r
      ? { usedBytes: Number(r.usedBytes), limitBytes: Number(r.limitBytes), messages: r.messages }
      : { usedBytes: 0, limitBytes: 0, messages: 0 };
  }

  /** RFC 5256 sort and thread inputs. */
  async sortFields(accountId: string, mailboxId: string, uids: number[]): Promise<ImapSortFields[]> {
    const { rows } = await this.pool.query<ImapSortFields>(
      `SELECT m.uid, m.internal_date AS "internalDate", m.sent_date AS "sentDate", m.size, m.subject,
              m.from_address AS "fromAddress", m.from_name AS "fromName",
              COALESCE(m.to_addresses -> 0 ->> 'address', '') AS "toAddress", COALESCE(m.to_addresses -> 0 ->> 'name', '') AS "toName",
              COALESCE(m.cc_addresses -> 0 ->> 'address', '') AS "ccAddress",
              m.message_id_hdr AS "messageId", m.in_reply_to AS "inReplyTo", m."references"
         FROM messages m WHERE m.account_id = $1 AND m.mailbox_id = $2 AND m.uid = ANY($3::int[]) ORDER BY m.uid`,
      [accountId, mailboxId, uids],
    );
    return rows;
  }
}
