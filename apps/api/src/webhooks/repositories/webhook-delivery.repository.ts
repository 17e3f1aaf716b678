import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '@correio/db';
import { PG_POOL } from '../../database/database.module.js';
import { OUTBOX_HORIZON } from '../../events/account-events.repository.js';

export interface ClaimedDelivery {
  id: string;
  webhookId: string;
  accountId: string;
  eventId: string;
  attemptCount: number;
  retryUntil: Date;
  url: string;
  secret: string;
  eventType: string;
  payload: Record<string, unknown>;
  eventCreatedAt: Date;
}

export interface AttemptRecord {
  at: string;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
}

export interface AttemptOutcome {
  id: string;
  state: 'pending' | 'succeeded' | 'failed';
  nextAttemptAt: Date | null;
  attempt: AttemptRecord;
}

export interface DeliveryRow {
  id: string;
  eventId: string;
  eventType: string | null;
  state: 'pending' | 'succeeded' | 'failed';
  attemptCount: number;
  nextAttemptAt: Date;
  lastStatusCode: number | null;
  createdAt: Date;
  attempts: AttemptRecord[];
}

/** Attempts kept per delivery (the list endpoint shows them); the count goes on. */
const MAX_ATTEMPTS_KEPT = 50;

/** The horizon of account_events (see events/account-events.repository.ts). */
const HORIZON = OUTBOX_HORIZON;

/** The only code that writes webhook_deliveries (and the webhooks' fan-out cursors). */
@Injectable()
export class WebhookDeliveryRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * The fan-out, crash-safe in ONE statement: for each enabled webhook with final events past its
   * cursor, creates a delivery per event of a type it wants and moves its cursor past every event
   * read (wanted or not), in the same transaction. Webhooks being fanned out by another worker are
   * skipped (SKIP LOCKED); the unique (webhook, event) key makes a repeat a no-op anyway.
   * Returns how many deliveries were created, and whether committed events wait for the horizon
   * (an older transaction still runs): then the caller looks again very soon.
   */
  async fanOut(perWebhook: number, retryForMs: number): Promise<{ created: number; pending: boolean }> {
    const { rows } = await this.pool.query<{ created: number; pending: boolean }>(
      `WITH h AS (SELECT ${HORIZON} AS xmin),
       w AS (
         SELECT wh.id, wh.account_id, wh.events, wh.cursor_xid, wh.cursor_id FROM webhooks wh
          WHERE wh.enabled AND EXISTS (
                  SELECT 1 FROM account_events e
                   WHERE e.account_id = wh.account_id AND (e.xid, e.id) > (wh.cursor_xid, wh.cursor_id) AND e.xid < (SELECT xmin FROM h))
          ORDER BY wh.id
          FOR UPDATE OF wh SKIP LOCKED
       ), e AS (
         SELECT w.id AS webhook_id, w.account_id, w.events, ev.id AS event_id, ev.xid, ev.type
           FROM w CROSS JOIN LATERAL (
                  SELECT id, xid, type FROM account_events ev
                   WHERE ev.account_id = w.account_id AND (ev.xid, ev.id) > (w.cursor_xid, w.cursor_id) AND ev.xid < (SELECT xmin FROM h)
                   ORDER BY ev.xid, ev.id LIMIT $1) ev
       ), ins AS (
         INSERT INTO webhook_deliveries (webhook_id, account_id, event_id, retry_until)
         SELECT webhook_id, account_id, event_id, now() + make_interval(secs => $2::double precision / 1000)
           FROM e WHERE type = ANY(events) ORDER BY xid, event_id
         ON CONFLICT (webhook_id, event_id) DO NOTHING
         RETURNING 1
       ), last AS (
         SELECT DISTINCT ON (webhook_id) webhook_id, xid, event_id FROM e ORDER BY webhook_id, xid DESC, event_id DESC
       ), moved AS (
         UPDATE webhooks wh SET cursor_xid = last.xid, cursor_id = last.event_id FROM last WHERE wh.id = last.webhook_id RETURNING 1
       )
       SELECT (SELECT count(*) FROM ins)::int AS created, (SELECT count(*) FROM moved)::int AS moved,
              EXISTS (SELECT 1 FROM webhooks wh JOIN account_events ev ON ev.account_id = wh.account_id
                       WHERE wh.enabled AND (ev.xid, ev.id) > (wh.cursor_xid, wh.cursor_id) AND ev.xid >= (SELECT xmin FROM h)) AS pending`,
      [perWebhook, retryForMs],
    );
    return rows[0]!;
  }

  /**
   * Claims due deliveries of enabled webhooks for this worker, like the outbound queue: SKIP LOCKED
   * so concurrent workers never take the same rows, and a lease, so a worker that dies loses its
   * claim when the lease runs out and another one sends again (same webhook-id: a duplicate the
   * receiver can recognize).
   */
  async claimDue(owner: string, leaseMs: number, limit: number): Promise<ClaimedDelivery[]> {
    const { rows } = await this.pool.query<ClaimedDelivery>(
      `WITH due AS (
         SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
          WHERE d.state = 'pending' AND d.next_attempt_at <= now() AND (d.lease_until IS NULL OR d.lease_until < now()) AND w.enabled
          ORDER BY d.next_attempt_at
          LIMIT $3
          FOR UPDATE OF d SKIP LOCKED)
       UPDATE webhook_deliveries d
          SET lease_owner = $1, lease_until = now() + make_interval(secs => $2::double precision / 1000), updated_at = now()
         FROM due, webhooks w, account_events e
        WHERE d.id = due.id AND w.id = d.webhook_id AND e.account_id = d.account_id AND e.id = d.event_id
       RETURNING d.id, d.webhook_id AS "webhookId", d.account_id AS "accountId", d.event_id AS "eventId", d.attempt_count AS "attemptCount",
                 d.retry_until AS "retryUntil", w.url, w.secret, e.type AS "eventType", e.payload, e.created_at AS "eventCreatedAt"`,
      [owner, leaseMs, limit],
    );
    return rows;
  }

  /**
   * Records attempts of deliveries this worker still holds, in ONE statement (concurrent outcomes
   * share it): succeeded (2xx: never sent again), pending with its next time, or failed. A delivery
   * whose lease another worker took over is not touched. Returns the ids recorded.
   */
  async recordAttempts(owner: string, outcomes: AttemptOutcome[]): Promise<Set<string>> {
    if (outcomes.length === 0) return new Set();
    const { rows } = await this.pool.query<{ id: string }>(
      `UPDATE webhook_deliveries d
          SET state = o.state::webhook_delivery_state, attempt_count = d.attempt_count + 1, next_attempt_at = COALESCE(o.next_at, d.next_attempt_at),
              lease_owner = NULL, lease_until = NULL, last_status_code = o.status_code, updated_at = now(),
              attempts = CASE WHEN jsonb_array_length(d.attempts) >= ${MAX_ATTEMPTS_KEPT}
                              THEN (d.attempts - 0) || jsonb_build_array(o.attempt) ELSE d.attempts || jsonb_build_array(o.attempt) END
         FROM unnest($2::bigint[], $3::text[], $4::timestamptz[], $5::int[], $6::jsonb[]) AS o(id, state, next_at, status_code, attempt)
        WHERE d.id = o.id AND d.lease_owner = $1
       RETURNING d.id`,
      [
        owner,
        outcomes.map((o) => o.id),
        outcomes.map((o) => o.state),
        outcomes.map((o) => o.nextAttemptAt),
        outcomes.map((o) => o.attempt.statusCode),
        outcomes.map((o) => JSON.stringify(o.attempt)),
      ],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** A webhook's deliveries, newest first, with their attempts (keyset paging by id). */
  async list(accountId: string, webhookId: string, limit: number, beforeId?: string): Promise<DeliveryRow[]> {
    const { rows } = await this.pool.query<DeliveryRow>(
      `SELECT d.id, d.event_id AS "eventId", e.type AS "eventType", d.state, d.attempt_count AS "attemptCount",
              d.next_attempt_at AS "nextAttemptAt", d.last_status_code AS "lastStatusCode", d.created_at AS "createdAt", d.attempts
         FROM webhook_deliveries d LEFT JOIN account_events e ON e.account_id = d.account_id AND e.id = d.event_id
        WHERE d.account_id = $1 AND d.webhook_id = $2 AND ($3::bigint IS NULL OR d.id < $3)
        ORDER BY d.id DESC LIMIT $4`,
      [accountId, webhookId, beforeId ?? null, limit],
    );
    return rows;
  }

  async find(accountId: string, webhookId: string, id: string): Promise<DeliveryRow | undefined> {
    const { rows } = await this.pool.query<DeliveryRow>(
      `SELECT d.id, d.event_id AS "eventId", e.type AS "eventType", d.state, d.attempt_count AS "attemptCount",
              d.next_attempt_at AS "nextAttemptAt", d.last_status_code AS "lastStatusCode", d.created_at AS "createdAt", d.attempts
         FROM webhook_deliveries d LEFT JOIN account_events e ON e.account_id = d.account_id AND e.id = d.event_id
        WHERE d.account_id = $1 AND d.webhook_id = $2 AND d.id = $3`,
      [accountId, webhookId, id],
    );
    return rows[0];
  }

  /**
   * Sends a delivery again now (whatever its state), with a fresh retry window; its event must still
   * be kept. A delivery being sent right now (leased) keeps its lease: it is only made due again.
   */
  async redeliver(accountId: string, webhookId: string, id: string, retryForMs: number): Promise<'ok' | 'missing' | 'gone'> {
    const { rows } = await this.pool.query<{ kept: boolean }>(
      `UPDATE webhook_deliveries d
          SET state = 'pending', next_attempt_at = now(), retry_until = now() + make_interval(secs => $4::double precision / 1000), updated_at = now()
        WHERE d.account_id = $1 AND d.webhook_id = $2 AND d.id = $3
       RETURNING EXISTS (SELECT 1 FROM account_events e WHERE e.account_id = d.account_id AND e.id = d.event_id) AS kept`,
      [accountId, webhookId, id, retryForMs],
    );
    if (!rows[0]) return 'missing';
    return rows[0].kept ? 'ok' : 'gone';
  }

  /** Removes finished deliveries (and pending ones whose event is gone) older than keepMs, oldest first. */
  async prune(keepMs: number, limit: number): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM webhook_deliveries WHERE id IN (
         SELECT id FROM (SELECT id, created_at, state FROM webhook_deliveries ORDER BY id LIMIT $2) oldest
          WHERE created_at < now() - make_interval(secs => $1::double precision / 1000))`,
      [keepMs, limit],
    );
    return rowCount ?? 0;
  }
}
