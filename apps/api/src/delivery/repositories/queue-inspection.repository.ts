import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '@correio/db';
import { PG_POOL } from '../../database/database.module.js';

export interface QueueFilter {
  state?: string;
  domain?: string;
  /** '' is the null sender. */
  sender?: string;
  beforeId?: string;
  limit: number;
}

export interface QueueEntryRow {
  id: string;
  accountId: string;
  envelopeFrom: string;
  size: number;
  blobId: string;
  dsnRet: string | null;
  dsnEnvid: string | null;
  createdAt: Date;
  notBefore: Date;
  expiresAt: Date;
  recipients: number;
  queued: number;
  deferred: number;
  delivered: number;
  bounced: number;
  held: number;
  nextAttemptAt: Date | null;
}

export interface QueueRecipientRow {
  id: string;
  address: string;
  domain: string;
  state: 'queued' | 'deferred' | 'delivered' | 'bounced' | 'held' | 'cancelled';
  attempts: number;
  nextAttemptAt: Date;
  lastReply: string | null;
  inProgress: boolean;
  dsnNotify: string | null;
  failureNotifiedAt: Date | null;
  delayNotifiedAt: Date | null;
}

export interface QueueAttemptRow {
  attemptedAt: Date;
  result: QueueRecipientRow['state'];
  reply: string;
  remoteHost: string | null;
}

// Per-entry counts come from a LATERAL subquery over the page's entries only, so listing a large
// queue reads one page of entries and their recipients, not every recipient in the queue.
const ENTRY_SELECT = `SELECT m.id, m.account_id AS "accountId", m.envelope_from AS "envelopeFrom", m.size, m.blob_id AS "blobId",
    m.dsn_ret AS "dsnRet", m.dsn_envid AS "dsnEnvid", m.created_at AS "createdAt", m.not_before AS "notBefore",
    m.expires_at AS "expiresAt", c.*
  FROM (%ENTRIES%) m
  CROSS JOIN LATERAL (
    SELECT count(*)::int AS recipients,
           (count(*) FILTER (WHERE r.state = 'queued'))::int AS queued, (count(*) FILTER (WHERE r.state = 'deferred'))::int AS deferred,
           (count(*) FILTER (WHERE r.state = 'delivered'))::int AS delivered, (count(*) FILTER (WHERE r.state = 'bounced'))::int AS bounced,
           (count(*) FILTER (WHERE r.state = 'held'))::int AS held,
           min(r.next_attempt_at) FILTER (WHERE r.state IN ('queued', 'deferred')) AS "nextAttemptAt"
      FROM outbound_recipients r WHERE r.account_id = m.account_id AND r.message_id = m.id) c
  ORDER BY m.id DESC`;

/**
 * Read side of the outbound queue for the admin API. Admin views span accounts, so entries are
 * found by their (globally unique) id; every join still carries account_id (invariant 4).
 */
@Injectable()
export class QueueInspectionRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async list(f: QueueFilter): Promise<QueueEntryRow[]> {
    const { rows } = await this.pool.query<QueueEntryRow>(
      ENTRY_SELECT.replace(
        '%ENTRIES%',
        `SELECT * FROM outbound_messages m
          WHERE ($1::bigint IS NULL OR m.id < $1)
            AND ($2::text IS NULL OR lower(m.envelope_from) = lower($2))
            AND ($3::queue_state IS NULL OR EXISTS (SELECT 1 FROM outbound_recipients x
                  WHERE x.account_id = m.account_id AND x.message_id = m.id AND x.state = $3))
            AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM outbound_recipients x
                  WHERE x.account_id = m.account_id AND x.message_id = m.id AND x.domain = lower($4)))
          ORDER BY m.id DESC
          LIMIT $5`,
      ),
      [f.beforeId ?? null, f.sender ?? null, f.state ?? null, f.domain ?? null, f.limit],
    );
    return rows;
  }

  async find(id: string): Promise<QueueEntryRow | undefined> {
    const { rows } = await this.pool.query<QueueEntryRow>(
      ENTRY_SELECT.replace('%ENTRIES%', 'SELECT * FROM outbound_messages WHERE id = $1'),
      [id],
    );
    return rows[0];
  }

  async recipients(accountId: string, messageId: string, recipientId?: string): Promise<QueueRecipientRow[]> {
    const { rows } = await this.pool.query<QueueRecipientRow>(
      `SELECT id, address, domain, state, attempts, next_attempt_at AS "nextAttemptAt", last_reply AS "lastReply",
              (lease_until IS NOT NULL AND lease_until >= now()) AS "inProgress", dsn_notify AS "dsnNotify",
              failure_notified_at AS "failureNotifiedAt", delay_notified_at AS "delayNotifiedAt"
         FROM outbound_recipients
        WHERE account_id = $1 AND message_id = $2 AND ($3::bigint IS NULL OR id = $3)
        ORDER BY id`,
      [accountId, messageId, recipientId ?? null],
    );
    return rows;
  }

  async attempts(accountId: string, recipientId: string): Promise<QueueAttemptRow[]> {
    const { rows } = await this.pool.query<QueueAttemptRow>(
      `SELECT attempted_at AS "attemptedAt", result, reply, remote_host AS "remoteHost"
         FROM outbound_attempts WHERE account_id = $1 AND recipient_id = $2 ORDER BY id`,
      [accountId, recipientId],
    );
    return rows;
  }
}
