import { Inject, Injectable } from '@nestjs/common';
import { type Pool, withTransaction } from '@correio/db';
import type { TrafficCounts } from '@correio/contracts';
import { PG_POOL } from '../../database/database.module.js';

/** Ids read per source and run: a run stays short; a backlog is caught up over several runs. */
const MAX_IDS_PER_RUN = 200_000;

/**
 * The overview's traffic counts per hour (admin_traffic_hourly, owned here), rolled up from rows
 * that already exist — account_events 'message.received' (written by the MX's delivery statement)
 * and outbound_attempts (written by the delivery worker) — read-only, by primary-key range after
 * the last id counted. No write is added to any per-message path, and neither table is scanned.
 *
 * Ids are taken in one order and committed in another, so a run counts only ids the previous run
 * had already seen (seen_id); a row whose transaction spans a whole run interval could still be
 * missed, which the charts accept (they are not the mail store's truth).
 */
@Injectable()
export class TrafficRollupRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** One run; false when another process holds the rollup (it will do the same work). */
  async rollUp(): Promise<boolean> {
    return withTransaction(this.pool, async (c) => {
      const { rows } = await c.query<{ ok: boolean }>(`SELECT pg_try_advisory_xact_lock(hashtext('admin_traffic_rollup')) AS ok`);
      if (!rows[0]?.ok) return false;
      await this.source(c, 'account_events', `SELECT coalesce(max(id), 0) AS hi FROM account_events`, (lo, hi) => [
        `SELECT date_trunc('hour', created_at) AS hour, count(*)::int AS received, 0 AS sent, 0 AS deferred, 0 AS bounced
           FROM account_events
          WHERE id > $1 AND id <= $2 AND type = 'message.received' AND created_at >= now() - interval '31 days'
          GROUP BY 1`,
        [lo, hi],
      ]);
      await this.source(c, 'outbound_attempts', `SELECT coalesce(max(id), 0) AS hi FROM outbound_attempts`, (lo, hi) => [
        `SELECT date_trunc('hour', attempted_at) AS hour, 0 AS received,
                count(*) FILTER (WHERE result = 'delivered')::int AS sent,
                count(*) FILTER (WHERE result = 'deferred')::int AS deferred,
                count(*) FILTER (WHERE result = 'bounced')::int AS bounced
           FROM outbound_attempts
          WHERE id > $1 AND id <= $2 AND attempted_at >= now() - interval '31 days'
          GROUP BY 1`,
        [lo, hi],
      ]);
      await c.query(`DELETE FROM admin_traffic_hourly WHERE hour < now() - interval '32 days'`);
      return true;
    });
  }

  private async source(
    c: { query: Pool['query'] },
    name: string,
    maxSql: string,
    countSql: (lo: string, hi: string) => [string, string[]],
  ): Promise<void> {
    const cur = await c.query<{ last_id: string; seen_id: string }>(
      `SELECT last_id::text, seen_id::text FROM admin_rollup_cursor WHERE source = $1`,
      [name],
    );
    const max = (await c.query<{ hi: string }>(maxSql)).rows[0]!.hi;
    const last = BigInt(cur.rows[0]?.last_id ?? '0');
    const seen = BigInt(cur.rows[0]?.seen_id ?? '0');
    const hi = seen - last > BigInt(MAX_IDS_PER_RUN) ? last + BigInt(MAX_IDS_PER_RUN) : seen;
    if (hi > last) {
      const [sql, params] = countSql(String(last), String(hi));
      await c.query(
        `INSERT INTO admin_traffic_hourly (hour, received, sent, deferred, bounced)
         SELECT * FROM (${sql}) t
         ON CONFLICT (hour) DO UPDATE SET received = admin_traffic_hourly.received + excluded.received,
           sent = admin_traffic_hourly.sent + excluded.sent, deferred = admin_traffic_hourly.deferred + excluded.deferred,
           bounced = admin_traffic_hourly.bounced + excluded.bounced`,
        params,
      );
    }
    // What is seen now is counted next run (or later, when a backlog is being caught up).
    await c.query(
      `INSERT INTO admin_rollup_cursor (source, last_id, seen_id) VALUES ($1, $2, $3)
       ON CONFLICT (source) DO UPDATE SET last_id = excluded.last_id, seen_id = excluded.seen_id`,
      [name, String(hi > last ? hi : last), max],
    );
  }

  /** Hourly buckets since `since` (at most 32 days of hours: a primary-key range read). */
  async hours(since: Date): Promise<(TrafficCounts & { hour: Date })[]> {
    const { rows } = await this.pool.query<TrafficCounts & { hour: Date }>(
      `SELECT hour, received, sent, deferred, bounced FROM admin_traffic_hourly WHERE hour >= $1 ORDER BY hour`,
      [since],
    );
    return rows;
  }
}
