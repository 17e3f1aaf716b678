import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '@correio/db';
import { PG_POOL } from '../../database/database.module.js';

export interface ScheduledEntryRow {
  id: string;
  sentMessageId: string | null;
  notBefore: Date;
  recipients: string[];
}

export interface SentRecipientRow {
  address: string;
  state: 'queued' | 'deferred' | 'delivered' | 'bounced' | 'held' | 'cancelled';
  attempts: number;
  lastReply: string | null;
  nextAttemptAt: Date;
  lastAttemptAt: Date | null;
  /** Set on a local alias's external forward: the alias the sender wrote (the row's address is not theirs to see). */
  forwardedFor: string | null;
}

/** The outbound queue as its sender sees it (webmail): scheduled sends, per-recipient status. */
@Injectable()
export class SenderQueueRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** The account's entries waiting for their time (scheduled, undo window) with nothing started. */
  async scheduled(accountId: string): Promise<ScheduledEntryRow[]> {
    const { rows } = await this.pool.query<ScheduledEntryRow>(
      `SELECT m.id, m.sent_message_id AS "sentMessageId", m.not_before AS "notBefore",
              array_agg(COALESCE(r.forwarded_for, r.address) ORDER BY r.id) AS recipients
         FROM outbound_messages m JOIN outbound_recipients r ON r.account_id = m.account_id AND r.message_id = m.id
        WHERE m.account_id = $1 AND m.not_before > now()
        GROUP BY m.id
       HAVING bool_and(r.attempts = 0 AND r.state IN ('queued', 'held') AND (r.lease_until IS NULL OR r.lease_until < now()))
        ORDER BY m.not_before, m.id
        LIMIT 500`,
      [accountId],
    );
    return rows;
  }

  /** The newest entry queued for this Sent copy, or undefined. */
  async entryOfSent(accountId: string, sentMessageId: string): Promise<{ id: string; notBefore: Date } | undefined> {
    const { rows } = await this.pool.query<{ id: string; notBefore: Date }>(
      `SELECT id, not_before AS "notBefore" FROM outbound_messages
        WHERE account_id = $1 AND sent_message_id = $2 ORDER BY id DESC LIMIT 1`,
      [accountId, sentMessageId],
    );
    return rows[0];
  }

  /** The account's entry with the Sent copy it was queued for (null: none), or undefined. */
  async entry(accountId: string, queueId: string): Promise<{ sentMessageId: string | null } | undefined> {
    const { rows } = await this.pool.query<{ sentMessageId: string | null }>(
      'SELECT sent_message_id AS "sentMessageId" FROM outbound_messages WHERE account_id = $1 AND id = $2',
      [accountId, queueId],
    );
    return rows[0];
  }

  /** Points the entry at the Sent copy's replacement (a cancelled send's draft rewritten with its Bcc). */
  async relinkSent(accountId: string, queueId: string, sentMessageId: string): Promise<void> {
    await this.pool.query('UPDATE outbound_messages SET sent_message_id = $3 WHERE account_id = $1 AND id = $2', [accountId, queueId, sentMessageId]);
  }

  /** Each recipient of an entry with its last attempt (outbound_attempts). */
  async recipients(accountId: string, queueId: string): Promise<SentRecipientRow[]> {
    const { rows } = await this.pool.query<SentRecipientRow>(
      `SELECT r.address, r.state, r.attempts, r.last_reply AS "lastReply", r.next_attempt_at AS "nextAttemptAt", r.forwarded_for AS "forwardedFor",
              (SELECT max(a.attempted_at) FROM outbound_attempts a WHERE a.account_id = r.account_id AND a.recipient_id = r.id) AS "lastAttemptAt"
         FROM outbound_recipients r
        WHERE r.account_id = $1 AND r.message_id = $2
        ORDER BY r.id`,
      [accountId, queueId],
    );
    return rows;
  }
}
