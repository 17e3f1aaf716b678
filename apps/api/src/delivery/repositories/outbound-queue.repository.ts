import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from '@correio/db';
import { PG_POOL } from '../../database/database.module.js';

export interface NewOutboundMessage {
  accountId: string;
  blobId: string;
  size: number;
  envelopeFrom: string;
  dsnRet: string | null;
  dsnEnvid: string | null;
  notBefore: Date;
  expiresAt: Date;
  recipients: { address: string; domain: string; dsnNotify: string | null; dsnOrcpt: string | null }[];
}

export interface ClaimedRecipient {
  id: string;
  accountId: string;
  messageId: string;
  address: string;
  domain: string;
  attempts: number;
  envelopeFrom: string;
  blobId: string;
  expiresAt: Date;
}

/** The only code that touches outbound_messages and outbound_recipients. */
@Injectable()
export class OutboundQueueRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * Claims due recipients for this worker: rows are locked with SKIP LOCKED so concurrent workers
   * never take the same ones, and leased until `leaseMs` from now, so a worker that dies mid-way
   * loses its claim when the lease runs out and another worker takes the recipients again.
   */
  async claimDue(owner: string, leaseMs: number, limit: number): Promise<ClaimedRecipient[]> {
    const { rows } = await this.pool.query<ClaimedRecipient>(
      `WITH due AS (
         SELECT r.id FROM outbound_recipients r
           JOIN outbound_messages m ON m.account_id = r.account_id AND m.id = r.message_id
          WHERE r.state IN ('queued', 'deferred') AND r.next_attempt_at <= now() AND m.not_before <= now()
            AND (r.lease_until IS NULL OR r.lease_until < now())
          ORDER BY r.next_attempt_at
          LIMIT $3
          FOR UPDATE OF r SKIP LOCKED)
       UPDATE outbound_recipients r
          SET lease_owner = $1, lease_until = now() + make_interval(secs => $2::double precision / 1000), updated_at = now()
         FROM due, outbound_messages m
        WHERE r.id = due.id AND m.account_id = r.account_id AND m.id = r.message_id
       RETURNING r.id, r.account_id AS "accountId", r.message_id AS "messageId", r.address, r.domain, r.attempts,
                 m.envelope_from AS "envelopeFrom", m.blob_id AS "blobId", m.expires_at AS "expiresAt"`,
      [owner, leaseMs, limit],
    );
    return rows;
  }

  /** Records one attempt's outcome for a recipient this worker holds, and releases the lease. */
  async recordAttempt(
    owner: string,
    id: string,
    outcome: { state: 'delivered' | 'deferred' | 'bounced'; reply: string; nextAttemptAt?: Date },
  ): Promise<void> {
    await this.pool.query(
      `UPDATE outbound_recipients
          SET state = $3, attempts = attempts + 1, last_reply = left($4, 2000), next_attempt_at = COALESCE($5, next_attempt_at),
              lease_owner = NULL, lease_until = NULL, updated_at = now()
        WHERE id = $1 AND lease_owner = $2`,
      [id, owner, outcome.state, outcome.reply, outcome.nextAttemptAt ?? null],
    );
  }
  async insert(tx: Pick<PoolClient, 'query'>, m: NewOutboundMessage): Promise<string> {
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO outbound_messages (account_id, blob_id, size, envelope_from, dsn_ret, dsn_envid, not_before, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [m.accountId, m.blobId, m.size, m.envelopeFrom, m.dsnRet, m.dsnEnvid, m.notBefore, m.expiresAt],
    );
    const id = rows[0]!.id;
    await tx.query(
      `INSERT INTO outbound_recipients (account_id, message_id, address, domain, dsn_notify, dsn_orcpt, next_attempt_at)
       SELECT $1, $2, r.address, r.domain, r.notify, r.orcpt, $3
         FROM unnest($4::text[], $5::text[], $6::text[], $7::text[]) AS r(address, domain, notify, orcpt)`,
      [
        m.accountId,
        id,
        m.notBefore,
        m.recipients.map((r) => r.address),
        m.recipients.map((r) => r.domain),
        m.recipients.map((r) => r.dsnNotify),
        m.recipients.map((r) => r.dsnOrcpt),
      ],
    );
    return id;
  }
}
