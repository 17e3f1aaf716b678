import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from '@correio/db';
import { PG_POOL } from '../../database/database.module.js';
import { type MailboxRow, STANDARD_MAILBOXES, type SpecialUse } from '../mailbox-store.types.js';

type Queryable = Pick<PoolClient, 'query'>;

const MAILBOX_COLUMNS = `b.id, b.name, b.special_use AS "specialUse", b.uid_validity AS "uidValidity",
  b.uid_next AS "uidNext", b.highest_modseq AS "highestModseq"`;

/** The only code that touches the mailboxes table. Every query is scoped by account_id. */
@Injectable()
export class MailboxRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Creates the standard mailboxes; takes the caller's transaction (account creation). */
  async createStandard(tx: Queryable, accountId: string): Promise<void> {
    // UIDVALIDITY must change if a mailbox is ever recreated under the same name (RFC 9051 §2.3.1.1):
    // an account removed and added again within one second must not repeat it, so it comes from the
    // same sequence as IMAP CREATE's (kept ahead of the clock: epoch seconds, never handed out twice).
    for (const m of STANDARD_MAILBOXES) {
      await tx.query(
        `INSERT INTO mailboxes (account_id, name, special_use, uid_validity)
         VALUES ($1, $2, $3, setval('mailbox_uid_validity_seq',
                 GREATEST(nextval('mailbox_uid_validity_seq'), extract(epoch FROM clock_timestamp())::bigint + 1)))
         ON CONFLICT (account_id, name) DO NOTHING`,
        [accountId, m.name, m.specialUse],
      );
    }
  }

  /** Every mailbox of the account (the account is being removed; its messages are gone already). */
  async deleteAccount(tx: Queryable, accountId: string): Promise<void> {
    await tx.query('DELETE FROM mailboxes WHERE account_id = $1', [accountId]);
  }

  async list(accountId: string): Promise<MailboxRow[]> {
    const { rows } = await this.pool.query<MailboxRow>(
      // The counts the messages_counts_* triggers keep (migration 20261213600000_mailbox_counts).
      `SELECT ${MAILBOX_COLUMNS}, b.message_count AS total, b.unseen_count AS unread
         FROM mailboxes b
        WHERE b.account_id = $1
        ORDER BY b.name`,
      [accountId],
    );
    return rows;
  }

  async find(accountId: string, mailboxId: string, q: Queryable = this.pool): Promise<MailboxRow | undefined> {
    const { rows } = await q.query<MailboxRow>(
      `SELECT ${MAILBOX_COLUMNS}, 0 AS total, 0 AS unread FROM mailboxes b WHERE b.account_id = $1 AND b.id = $2`,
      [accountId, mailboxId],
    );
    return rows[0];
  }

  async findBySpecialUse(accountId: string, specialUse: SpecialUse, q: Queryable = this.pool): Promise<string | undefined> {
    const { rows } = await q.query<{ id: string }>(
      'SELECT id FROM mailboxes WHERE account_id = $1 AND special_use = $2 ORDER BY id LIMIT 1',
      [accountId, specialUse],
    );
    return rows[0]?.id;
  }

  /**
   * Reserves `count` UIDs and one new modseq in a mailbox. The row lock this UPDATE takes serializes
   * concurrent writers to the same mailbox until COMMIT, so UIDs are strictly ascending in commit
   * order and never reused (RFC 9051 §2.3.1.1).
   */
  async allocate(tx: Queryable, accountId: string, mailboxId: string, count: number): Promise<{ firstUid: number; modseq: string }> {
    const { rows } = await tx.query<{ firstUid: number; modseq: string }>(
      `UPDATE mailboxes SET uid_next = uid_next + $3, highest_modseq = highest_modseq + 1
        WHERE account_id = $1 AND id = $2
        RETURNING uid_next - $3 AS "firstUid", highest_modseq AS modseq`,
      [accountId, mailboxId, count],
    );
    if (!rows[0]) throw new Error(`mailbox ${mailboxId} of account ${accountId} vanished`);
    return rows[0];
  }
}
