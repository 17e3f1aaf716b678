import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from '@correio/db';
import { DB_FEATURES, type DbFeatures, PG_POOL } from '../../database/database.module.js';
import type { ImapMailbox } from '../imap-store.types.js';
import type { SpecialUse } from '../mailbox-store.types.js';
import { preparedQuery } from './imap-prepared.js';

type Queryable = Pick<PoolClient, 'query'>;

/** A mailboxes row as pg returns it: BIGINT as text. */
export type MailboxDbRow = Omit<ImapMailbox, 'highestModseq'> & { highestModseq: string };

export const MAILBOX_COLUMNS = `b.id, b.name, b.special_use AS "specialUse", b.subscribed, b.uid_validity AS "uidValidity",
  b.uid_next AS "uidNext", b.highest_modseq AS "highestModseq"`;

export function toImapMailbox(r: MailboxDbRow): ImapMailbox {
  return { ...r, highestModseq: BigInt(r.highestModseq) };
}

export interface MailboxCounts {
  id: string;
  messages: number;
  unseen: number;
  deleted: number;
  size: number;
}

/**
 * The mailboxes table as IMAP sees it (names, hierarchy, subscriptions, counts). Lives beside
 * MailboxRepository (the webmail's view) in the module that owns the table; every query is scoped by
 * account_id. UID/modseq allocation stays in MailboxRepository.allocate.
 */
@Injectable()
export class ImapMailboxRepository {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(DB_FEATURES) private readonly features: DbFeatures,
  ) {}

  async list(accountId: string): Promise<ImapMailbox[]> {
    // Named (imap-prepared.ts), as find/status/state below: LIST, STATUS and NOOP are what clients
    // poll with, and an unnamed statement is parsed and planned on every command.
    const { rows } = await this.pool.query<MailboxDbRow>({
      ...preparedQuery(this.features, `SELECT ${MAILBOX_COLUMNS} FROM mailboxes b WHERE b.account_id = $1 ORDER BY b.name`),
      values: [accountId],
    });
    return rows.map(toImapMailbox);
  }

  async find(accountId: string, name: string, q: Queryable = this.pool, lock = false): Promise<ImapMailbox | undefined> {
    const { rows } = await q.query<MailboxDbRow>({
      ...preparedQuery(
        this.features,
        `SELECT ${MAILBOX_COLUMNS} FROM mailboxes b WHERE b.account_id = $1 AND b.name = $2${lock ? ' FOR UPDATE' : ''}`,
      ),
      values: [accountId, name],
    });
    return rows[0] && toImapMailbox(rows[0]);
  }

  async findById(accountId: string, id: string, q: Queryable = this.pool): Promise<ImapMailbox | undefined> {
    const { rows } = await q.query<MailboxDbRow>(`SELECT ${MAILBOX_COLUMNS} FROM mailboxes b WHERE b.account_id = $1 AND b.id = $2`, [
      accountId,
      id,
    ]);
    return rows[0] && toImapMailbox(rows[0]);
  }

  /**
   * The mailboxes among `ids` with their counts (STATUS, RFC 9051 §6.3.11; SIZE: RFC 8438).
   * MESSAGES and UNSEEN come from the mailbox row (message_count, unseen_count: kept by the
   * messages_counts_* triggers in the same transactions as the rows, migration
   * 20261213600000_mailbox_counts), so the STATUS a client polls every folder with reads one row per
   * mailbox instead of every message of it. DELETED and SIZE are not kept: `counts: 'scan'` counts
   * the messages for them (and takes the other two from the same pass).
   */
  async status(accountId: string, ids: string[], counts: 'none' | 'kept' | 'scan'): Promise<(ImapMailbox & MailboxCounts)[]> {
    const sql = {
      none: 'SELECT 0 AS messages, 0 AS unseen, 0 AS deleted, 0::bigint AS size',
      kept: 'SELECT b.message_count AS messages, b.unseen_count AS unseen, 0 AS deleted, 0::bigint AS size',
      scan: `SELECT count(*)::int AS messages, count(*) FILTER (WHERE NOT m.seen)::int AS unseen,
                count(*) FILTER (WHERE m.deleted)::int AS deleted, COALESCE(sum(m.size), 0)::bigint AS size
           FROM messages m WHERE m.account_id = b.account_id AND m.mailbox_id = b.id`,
    }[counts];
    const { rows } = await this.pool.query<MailboxDbRow & { messages: number; unseen: number; deleted: number; size: string }>({
      ...preparedQuery(
        this.features,
        `SELECT ${MAILBOX_COLUMNS}, c.messages, c.unseen, c.deleted, c.size
           FROM mailboxes b CROSS JOIN LATERAL (${sql}) c
          WHERE b.account_id = $1 AND b.id = ANY($2::bigint[]) ORDER BY b.name`,
      ),
      values: [accountId, ids],
    });
    return rows.map((r) => ({ ...toImapMailbox(r), messages: r.messages, unseen: r.unseen, deleted: r.deleted, size: Number(r.size) }));
  }

  /**
   * The mailbox's counters and message count in one statement (ImapStore.mailboxState: NOOP, IDLE and
   * the periodic re-check). The count is the row's kept message_count (see status()): one row read,
   * whatever the mailbox's size.
   */
  async state(accountId: string, id: string): Promise<{ uidNext: number; highestModseq: string; exists: number } | undefined> {
    const { rows } = await this.pool.query<{ uidNext: number; highestModseq: string; exists: number }>({
      ...preparedQuery(
        this.features,
        `SELECT b.uid_next AS "uidNext", b.highest_modseq AS "highestModseq", b.message_count AS "exists"
           FROM mailboxes b WHERE b.account_id = $1 AND b.id = $2`,
      ),
      values: [accountId, id],
    });
    return rows[0];
  }

  /**
   * Creates a mailbox unless the name exists (undefined then). UIDVALIDITY comes from a sequence kept
   * ahead of the clock: always above every value it gave before and above now in seconds, so a
   * mailbox re-created under a name, even within the same second, gets a new one (RFC 9051 §2.3.1.1)
   * and never one of the standard mailboxes' (created with the clock's seconds).
   */
  async create(
    tx: Queryable,
    accountId: string,
    name: string,
    specialUse: SpecialUse | null,
    subscribed: boolean,
  ): Promise<ImapMailbox | undefined> {
    const { rows } = await tx.query<MailboxDbRow>(
      `INSERT INTO mailboxes (account_id, name, special_use, subscribed, uid_validity)
       VALUES ($1, $2, $3, $4, setval('mailbox_uid_validity_seq',
               GREATEST(nextval('mailbox_uid_validity_seq'), extract(epoch FROM clock_timestamp())::bigint + 1)))
       ON CONFLICT (account_id, name) DO NOTHING
       RETURNING id, name, special_use AS "specialUse", subscribed, uid_validity AS "uidValidity",
                 uid_next AS "uidNext", highest_modseq AS "highestModseq"`,
      [accountId, name, specialUse, subscribed],
    );
    return rows[0] && toImapMailbox(rows[0]);
  }

  async hasOtherWithSpecialUse(accountId: string, specialUse: SpecialUse, exceptId: string): Promise<boolean> {
    const { rows } = await this.pool.query('SELECT 1 FROM mailboxes WHERE account_id = $1 AND special_use = $2 AND id <> $3 LIMIT 1', [
      accountId,
      specialUse,
      exceptId,
    ]);
    return rows.length > 0;
  }

  async delete(tx: Queryable, accountId: string, id: string): Promise<void> {
    await tx.query('DELETE FROM expunged WHERE account_id = $1 AND mailbox_id = $2', [accountId, id]);
    await tx.query('DELETE FROM mailboxes WHERE account_id = $1 AND id = $2', [accountId, id]);
  }

  /** The mailbox `from` and its children ("from/…"), locked, ascending id (the LOCK ORDER). */
  async lockSubtree(tx: Queryable, accountId: string, from: string): Promise<ImapMailbox[]> {
    const { rows } = await tx.query<MailboxDbRow>(
      `SELECT ${MAILBOX_COLUMNS} FROM mailboxes b
        WHERE b.account_id = $1 AND (b.name = $2 OR left(b.name, length($2) + 1) = $2 || '/') ORDER BY b.id FOR UPDATE`,
      [accountId, from],
    );
    return rows.map(toImapMailbox);
  }

  /** Whether any of `names` exists (a rename's targets). */
  async anyExists(tx: Queryable, accountId: string, names: string[]): Promise<boolean> {
    const { rows } = await tx.query('SELECT 1 FROM mailboxes WHERE account_id = $1 AND name = ANY($2::text[]) LIMIT 1', [accountId, names]);
    return rows.length > 0;
  }

  async rename(tx: Queryable, accountId: string, renames: { id: string; name: string }[]): Promise<void> {
    await tx.query(
      `UPDATE mailboxes b SET name = r.name FROM unnest($2::bigint[], $3::text[]) AS r(id, name)
        WHERE b.account_id = $1 AND b.id = r.id`,
      [accountId, renames.map((r) => r.id), renames.map((r) => r.name)],
    );
  }

  async setSubscribed(accountId: string, name: string, subscribed: boolean): Promise<boolean> {
    const { rowCount } = await this.pool.query('UPDATE mailboxes SET subscribed = $3 WHERE account_id = $1 AND name = $2', [
      accountId,
      name,
      subscribed,
    ]);
    return (rowCount ?? 0) > 0;
  }
}
