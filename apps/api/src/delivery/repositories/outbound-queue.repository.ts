import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from '@correio/db';
import { PG_POOL } from '../../database/database.module.js';

type Queryable = Pick<PoolClient, 'query'>;

export interface NewOutboundMessage {
  accountId: string;
  blobId: string;
  size: number;
  envelopeFrom: string;
  dsnRet: string | null;
  dsnEnvid: string | null;
  notBefore: Date;
  expiresAt: Date;
  /** Recipients start 'held' (not claimed until released) instead of 'queued'. */
  held: boolean;
  sentMessageId: string | null;
  recipients: { address: string; domain: string; dsnNotify: string | null; dsnOrcpt: string | null; forwardedFor: string | null }[];
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
  /** Bytes of the queued message (decides whether the batch prefetches them). */
  size: number;
  expiresAt: Date;
  notBefore: Date;
  createdAt: Date;
  dsnRet: string | null;
  dsnEnvid: string | null;
  dsnNotify: string | null;
  dsnOrcpt: string | null;
  delayNotifiedAt: Date | null;
}

/** The outcome of one attempt at one recipient, with the notices issued for it in the same transaction. */
export interface AttemptOutcome {
  id: string;
  state: 'delivered' | 'deferred' | 'bounced';
  reply: string;
  remoteHost: string | null;
  nextAttemptAt: Date | null;
  failureNotified: boolean;
  delayNotified: boolean;
}

/** One entry, with the account it belongs to (every statement filters by it, invariant 4). */
export type QueueScope = { messageId: string; accountId: string };

/** The only code that writes outbound_messages, outbound_recipients and outbound_attempts. */
@Injectable()
export class OutboundQueueRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * Claims due recipients for this worker: rows are locked with SKIP LOCKED so concurrent workers
   * never take the same ones, and leased until `leaseMs` from now, so a worker that dies mid-way
   * loses its claim when the lease runs out and another worker takes the recipients again.
   * skipDomains: destinations this worker has no free connection slot for right now.
   */
  async claimDue(owner: string, leaseMs: number, limit: number, skipDomains: string[] = []): Promise<ClaimedRecipient[]> {
    const { rows } = await this.pool.query<ClaimedRecipient>(
      `WITH due AS (
         SELECT r.id FROM outbound_recipients r
           JOIN outbound_messages m ON m.account_id = r.account_id AND m.id = r.message_id
          WHERE r.state IN ('queued', 'deferred') AND r.next_attempt_at <= now() AND m.not_before <= now()
            AND (r.lease_until IS NULL OR r.lease_until < now()) AND r.domain <> ALL($4::text[])
          ORDER BY r.next_attempt_at
          LIMIT $3
          FOR UPDATE OF r SKIP LOCKED)
       UPDATE outbound_recipients r
          SET lease_owner = $1, lease_until = now() + make_interval(secs => $2::double precision / 1000), updated_at = now()
         FROM due, outbound_messages m
        WHERE r.id = due.id AND m.account_id = r.account_id AND m.id = r.message_id
       RETURNING r.id, r.account_id AS "accountId", r.message_id AS "messageId", r.address, r.domain, r.attempts,
                 m.envelope_from AS "envelopeFrom", m.blob_id AS "blobId", m.size::int AS size, m.expires_at AS "expiresAt",
                 m.not_before AS "notBefore", m.created_at AS "createdAt", m.dsn_ret AS "dsnRet", m.dsn_envid AS "dsnEnvid",
                 r.dsn_notify AS "dsnNotify", r.dsn_orcpt AS "dsnOrcpt", r.delay_notified_at AS "delayNotifiedAt"`,
      [owner, leaseMs, limit, skipDomains],
    );
    return rows;
  }

  /**
   * Renews this worker's lease on `ids` and returns those it still holds: right before sending, so a
   * group that waited past its lease (another worker may have claimed it since) is not sent twice.
   */
  async renewLease(owner: string, leaseMs: number, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const { rows } = await this.pool.query<{ id: string }>(
      `UPDATE outbound_recipients SET lease_until = now() + make_interval(secs => $3::double precision / 1000)
        WHERE id = ANY($1::bigint[]) AND lease_owner = $2
          AND state IN ('queued', 'deferred')
       RETURNING id`,
      [ids, owner, leaseMs],
    );
    return new Set(rows.map((r) => r.id));
  }

  /**
   * Records attempts of recipients this worker still holds (lease owner), releases them and writes
   * one outbound_attempts row each, in ONE statement. Returns the ids it recorded: a recipient whose
   * lease another worker took over meanwhile is not touched, and gets no notice from us.
   */
  async recordOutcomes(q: Queryable, owner: string, outcomes: AttemptOutcome[]): Promise<Set<string>> {
    if (outcomes.length === 0) return new Set();
    const { rows } = await q.query<{ id: string }>(
      `WITH o AS (
         SELECT * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::boolean[], $8::boolean[])
           AS o(id, state, reply, remote_host, next_at, failure_notified, delay_notified)),
       u AS (
         UPDATE outbound_recipients r
            SET state = o.state::queue_state, attempts = r.attempts + 1, last_reply = left(o.reply, 2000),
                next_attempt_at = COALESCE(o.next_at, r.next_attempt_at), lease_owner = NULL, lease_until = NULL, updated_at = now(),
                failure_notified_at = CASE WHEN o.failure_notified THEN now() ELSE r.failure_notified_at END,
                delay_notified_at = CASE WHEN o.delay_notified THEN now() ELSE r.delay_notified_at END
           FROM o
          WHERE r.id = o.id AND r.lease_owner = $1
         RETURNING r.id, r.account_id, r.message_id, o.state, o.reply, o.remote_host, r.address, r.attempts, o.next_at, r.forwarded_for),
       a AS (
         INSERT INTO outbound_attempts (account_id, message_id, recipient_id, result, reply, remote_host)
         SELECT account_id, message_id, id, state::queue_state, left(reply, 2000), remote_host FROM u),
       ev AS (
         -- Issue 13: the sender's delivery.delivered/deferred/bounced events (webhooks, GET /api/v1/events),
         -- in this same statement. Not for mail no account sent (alias forwards from the MX, account 0)
         -- nor for an alias's external forward, which the sender never sees.
         INSERT INTO account_events (account_id, type, payload)
         SELECT u.account_id, 'delivery.' || u.state, jsonb_build_object(
                  'queueId', u.message_id::text, 'recipient', u.address, 'status', u.state, 'reply', left(u.reply, 2000),
                  'remoteHost', u.remote_host, 'attempts', u.attempts, 'nextAttemptAt', u.next_at,
                  'sentMessageId', m.sent_message_id::text)
           FROM u LEFT JOIN outbound_messages m ON m.account_id = u.account_id AND m.id = u.message_id
          WHERE u.account_id <> 0 AND u.forwarded_for IS NULL)
       SELECT id FROM u`,
      [
        owner,
        outcomes.map((o) => o.id),
        outcomes.map((o) => o.state),
        outcomes.map((o) => o.reply),
        outcomes.map((o) => o.remoteHost),
        outcomes.map((o) => o.nextAttemptAt),
        outcomes.map((o) => o.failureNotified),
        outcomes.map((o) => o.delayNotified),
      ],
    );
    return new Set(rows.map((r) => r.id));
  }

  /**
   * Removes up to `limit` entries whose every recipient is done (delivered or bounced) since at
   * least `keepMs`; returns their blobs for the caller to delete in the same transaction.
   */
  async purgeFinished(tx: Queryable, keepMs: number, limit: number): Promise<{ accountId: string; blobId: string }[]> {
    const { rows } = await tx.query<{ accountId: string; blobId: string }>(
      `DELETE FROM outbound_messages m
        USING (SELECT x.account_id, x.id FROM outbound_messages x
                WHERE NOT EXISTS (SELECT 1 FROM outbound_recipients r
                        WHERE r.account_id = x.account_id AND r.message_id = x.id
                          AND (r.state NOT IN ('delivered', 'bounced', 'cancelled') OR r.updated_at > now() - make_interval(secs => $1::double precision / 1000)))
                  AND x.created_at < now() - make_interval(secs => $1::double precision / 1000)
                ORDER BY x.id LIMIT $2
                FOR UPDATE SKIP LOCKED) done
        WHERE m.account_id = done.account_id AND m.id = done.id
       RETURNING m.account_id AS "accountId", m.blob_id AS "blobId"`,
      [keepMs, limit],
    );
    return rows;
  }

  async insert(tx: Queryable, m: NewOutboundMessage): Promise<string> {
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO outbound_messages (account_id, blob_id, size, envelope_from, dsn_ret, dsn_envid, not_before, expires_at, sent_message_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [m.accountId, m.blobId, m.size, m.envelopeFrom, m.dsnRet, m.dsnEnvid, m.notBefore, m.expiresAt, m.sentMessageId],
    );
    const id = rows[0]!.id;
    await tx.query(
      `INSERT INTO outbound_recipients (account_id, message_id, address, domain, dsn_notify, dsn_orcpt, forwarded_for, next_attempt_at, state)
       SELECT $1, $2, r.address, r.domain, r.notify, r.orcpt, r.forwarded_for, $3, $8::queue_state
         FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $9::text[]) AS r(address, domain, notify, orcpt, forwarded_for)`,
      [
        m.accountId,
        id,
        m.notBefore,
        m.recipients.map((r) => r.address),
        m.recipients.map((r) => r.domain),
        m.recipients.map((r) => r.dsnNotify),
        m.recipients.map((r) => r.dsnOrcpt),
        m.held ? 'held' : 'queued',
        m.recipients.map((r) => r.forwardedFor),
      ],
    );
    return id;
  }

  /** The account of an entry (admin: any; webmail: only its own account's), or undefined. */
  async accountOf(messageId: string, onlyAccountId?: string, q: Queryable = this.pool): Promise<string | undefined> {
    const { rows } = await q.query<{ account_id: string }>(
      'SELECT account_id FROM outbound_messages WHERE id = $1 AND ($2::bigint IS NULL OR account_id = $2)',
      [messageId, onlyAccountId ?? null],
    );
    return rows[0]?.account_id;
  }

  /** Held recipients not being delivered right now: queued or deferred become held. */
  async hold(scope: QueueScope, q: Queryable = this.pool): Promise<number> {
    const { rowCount } = await q.query(
      `UPDATE outbound_recipients SET state = 'held', updated_at = now()
        WHERE message_id = $1 AND account_id = $2 AND state IN ('queued', 'deferred')
          AND (lease_until IS NULL OR lease_until < now())`,
      [scope.messageId, scope.accountId],
    );
    return rowCount ?? 0;
  }

  /** Held recipients go back to the queue, due now (deferred when they were tried before). */
  async release(scope: QueueScope, q: Queryable = this.pool): Promise<number> {
    const { rowCount } = await q.query(
      `UPDATE outbound_recipients
          SET state = CASE WHEN attempts > 0 THEN 'deferred'::queue_state ELSE 'queued'::queue_state END,
              next_attempt_at = now(), updated_at = now()
        WHERE message_id = $1 AND account_id = $2 AND state = 'held'`,
      [scope.messageId, scope.accountId],
    );
    return rowCount ?? 0;
  }

  /** Waiting recipients become due now; a scheduled (not-before) entry is released from its wait too. */
  async retryNow(scope: QueueScope, q: Queryable = this.pool): Promise<number> {
    await q.query(
      `UPDATE outbound_messages SET not_before = LEAST(not_before, now()) WHERE id = $1 AND account_id = $2`,
      [scope.messageId, scope.accountId],
    );
    const { rowCount } = await q.query(
      `UPDATE outbound_recipients SET next_attempt_at = now(), updated_at = now()
        WHERE message_id = $1 AND account_id = $2 AND state IN ('queued', 'deferred')`,
      [scope.messageId, scope.accountId],
    );
    return rowCount ?? 0;
  }

  /**
   * Cancels the entry (undo send): every recipient becomes 'cancelled', unless one was tried already
   * or a worker holds a lease on one ('busy'). One statement, so a worker cannot claim in between
   * the check and the change. An entry already cancelled is 'missing' (nothing left to cancel). The
   * entry stays for the sender's delivery status and is purged with finished ones (its blob then).
   */
  async cancel(tx: Queryable, scope: QueueScope): Promise<'cancelled' | 'busy' | 'missing'> {
    const { rows } = await tx.query<{ n: number; busy: boolean }>(
      `WITH entry AS (
         SELECT m.id, m.account_id,
                EXISTS (SELECT 1 FROM outbound_recipients r WHERE r.account_id = m.account_id AND r.message_id = m.id
                         AND ((r.lease_until IS NOT NULL AND r.lease_until >= now()) OR r.attempts > 0 OR r.state NOT IN ('queued', 'held', 'cancelled'))) AS busy
           FROM outbound_messages m WHERE m.id = $1 AND m.account_id = $2 FOR UPDATE
       ), done AS (
         UPDATE outbound_recipients r SET state = 'cancelled', updated_at = now()
           FROM entry WHERE NOT entry.busy AND r.account_id = entry.account_id AND r.message_id = entry.id AND r.state <> 'cancelled'
         RETURNING r.id)
       SELECT (SELECT count(*)::int FROM done) AS n, (SELECT busy FROM entry) AS busy`,
      [scope.messageId, scope.accountId],
    );
    const r = rows[0];
    if (r?.busy) return 'busy';
    return r && r.n > 0 ? 'cancelled' : 'missing';
  }

  /**
   * Deletes the entry (recipients and attempts by cascade) unless a worker holds a
   * lease on one of its recipients; with `unstarted`, also unless any recipient was tried already
   * (cancel: undo send). One statement, so a worker cannot claim in between the check and the delete.
   * Returns the freed blob to delete, or why nothing was deleted: busy (leased or started) or missing.
   */
  async delete(tx: Queryable, scope: QueueScope, unstarted: boolean): Promise<{ blob: { accountId: string; id: string } } | 'busy' | 'missing'> {
    const { rows } = await tx.query<{ id: string; blob_id: string; account_id: string }>(
      `DELETE FROM outbound_messages m
        WHERE m.id = $1 AND m.account_id = $2
          AND NOT EXISTS (
            SELECT 1 FROM outbound_recipients r
             WHERE r.account_id = m.account_id AND r.message_id = m.id
               AND ((r.lease_until IS NOT NULL AND r.lease_until >= now()) OR ($3 AND (r.attempts > 0 OR r.state NOT IN ('queued', 'held')))))
       RETURNING m.id, m.blob_id, m.account_id`,
      [scope.messageId, scope.accountId, unstarted],
    );
    if (rows[0]) return { blob: { accountId: rows[0].account_id, id: rows[0].blob_id } };
    return (await this.accountOf(scope.messageId, scope.accountId, tx)) ? 'busy' : 'missing';
  }
}
