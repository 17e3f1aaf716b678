import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from '@correio/db';
import { PG_POOL } from '../database/database.module.js';

type Queryable = Pick<PoolClient, 'query'>;

/**
 * A reader's place in account_events: events come in (xid, id) order, xid being the writing
 * transaction's id. Ids are taken from a sequence before COMMIT, so they commit out of order and
 * "id > last id" could skip an event that committed late; a reader instead only reads events whose
 * transaction is older than the oldest one still running (OUTBOX_HORIZON), and every later event
 * then sorts after its position. Both parts are decimal strings (bigints).
 */
export interface EventPosition {
  xid: string;
  id: string;
}

export interface AccountEventRow {
  id: string;
  xid: string;
  accountId: string;
  type: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

const MAX_ID = '9223372036854775807';

/**
 * The outbox horizon, as a SQL expression: every transaction with a lower id has finished (committed
 * or not), so events below it are final and a reader may pass them. It is the oldest transaction the
 * statement's snapshot sees running (pg_snapshot_xip), leaving out those that pg_stat_activity shows
 * running in ANOTHER database of the cluster (they cannot write our events; without this, a long
 * transaction of any neighbour would hold every event back), or the snapshot's xmax when none is
 * left. Conservative where it cannot know: a transaction that finished between the snapshot and the
 * pg_stat_activity read, or whose backend the database role may not see (no pg_read_all_stats),
 * still counts as ours.
 */
export const OUTBOX_HORIZON = `(SELECT COALESCE(
       (SELECT min(x) FROM pg_snapshot_xip(s.snap) AS x
         WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a
                            WHERE a.backend_xid = x::xid AND a.datname IS NOT NULL AND a.datname <> current_database())),
       pg_snapshot_xmax(s.snap))::text::bigint
     FROM (SELECT pg_current_snapshot() AS snap) s)`;
const HORIZON = OUTBOX_HORIZON;

/**
 * The only code that reads and prunes account_events (the events module owns the table). Rows are
 * written where the change is made, in its statement or transaction: the mail store's delivery
 * statement (message.received), the outbound queue's outcome statement (delivery.*) and
 * insertWithin (message.sent).
 */
@Injectable()
export class AccountEventsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async insertWithin(q: Queryable, accountId: string, type: string, payload: Record<string, unknown>): Promise<void> {
    await q.query('INSERT INTO account_events (account_id, type, payload) VALUES ($1, $2, $3)', [accountId, type, JSON.stringify(payload)]);
  }

  /** The account's final events after `after`, in order (at most `limit`). */
  async listAfter(accountId: string, after: EventPosition, limit: number): Promise<AccountEventRow[]> {
    const { rows } = await this.pool.query<AccountEventRow>(
      `SELECT id, xid, account_id AS "accountId", type, payload, created_at AS "createdAt" FROM account_events
        WHERE account_id = $1 AND (xid, id) > ($2::bigint, $3::bigint) AND xid < ${HORIZON}
        ORDER BY xid, id LIMIT $4`,
      [accountId, after.xid, after.id, limit],
    );
    return rows;
  }

  /** "From now on": every event not final yet, and every later one, sorts after this position. */
  async currentPosition(): Promise<EventPosition> {
    const { rows } = await this.pool.query<{ xid: string }>(`SELECT (${HORIZON} - 1)::text AS xid`);
    return { xid: rows[0]!.xid, id: MAX_ID };
  }

  /**
   * The position right after the account's event `eventId` (a Last-Event-ID). An id that is no
   * longer kept (pruned) resumes just before the oldest kept event after it; unknown → undefined.
   */
  async positionAfter(accountId: string, eventId: string): Promise<EventPosition | undefined> {
    const { rows } = await this.pool.query<{ xid: string; id: string; exact: boolean }>(
      `(SELECT xid::text, id::text, true AS exact FROM account_events WHERE account_id = $1 AND id = $2)
       UNION ALL
       (SELECT (xid - 1)::text, '${MAX_ID}', false FROM account_events WHERE account_id = $1 AND id > $2 ORDER BY id LIMIT 1)`,
      [accountId, eventId],
    );
    const row = rows.find((r) => r.exact) ?? rows[0];
    return row ? { xid: row.xid, id: row.id } : undefined;
  }

  /**
   * Removes events older than `keepMs`, oldest first, at most `limit`: walks the primary key from
   * the lowest id (ids grow with time), so no index on created_at is needed. Returns how many went.
   */
  async prune(keepMs: number, limit: number): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM account_events WHERE id IN (
         SELECT id FROM (SELECT id, created_at FROM account_events ORDER BY id LIMIT $2) oldest
          WHERE created_at < now() - make_interval(secs => $1::double precision / 1000))`,
      [keepMs, limit],
    );
    return rowCount ?? 0;
  }
}
