import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '@correio/db';
import { PG_POOL } from '../../database/database.module.js';

/**
 * The overview's read-only aggregates over other modules' tables (accounts, domains, the outbound
 * queue), like the metrics module's queue gauges: they touch the accounts table (one row per
 * account) and the queue's partial due index, never the messages table (admin-overview.int.test.ts
 * checks the plans).
 */
@Injectable()
export class OverviewRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  static readonly STORAGE_SQL = `SELECT d.name AS domain, count(a.id)::int AS accounts, coalesce(sum(a.used_bytes), 0)::text AS "usedBytes"
       FROM domains d LEFT JOIN accounts a ON a.domain_id = d.id
      GROUP BY d.name ORDER BY sum(a.used_bytes) DESC NULLS LAST, d.name LIMIT 100`;

  /** Accounts using 90% of their quota or more, fullest first. */
  static readonly NEAR_QUOTA_SQL = `SELECT address, used_bytes::text AS "usedBytes", quota_bytes::text AS "quotaBytes"
       FROM accounts WHERE quota_bytes > 0 AND used_bytes * 10 >= quota_bytes * 9 AND delete_requested_at IS NULL
      ORDER BY used_bytes::float8 / quota_bytes DESC, address LIMIT 20`;

  /** Recipients due for more than 5 minutes: the delivery worker is not keeping up (or not running). */
  static readonly OVERDUE_SQL = `SELECT count(*)::int AS overdue FROM outbound_recipients
      WHERE state IN ('queued', 'deferred') AND next_attempt_at < now() - interval '5 minutes'`;

  async storage(): Promise<{ domain: string; accounts: number; usedBytes: string }[]> {
    return (await this.pool.query(OverviewRepository.STORAGE_SQL)).rows;
  }

  async nearQuota(): Promise<{ address: string; usedBytes: string; quotaBytes: string }[]> {
    return (await this.pool.query(OverviewRepository.NEAR_QUOTA_SQL)).rows;
  }

  async overdue(): Promise<number> {
    return (await this.pool.query<{ overdue: number }>(OverviewRepository.OVERDUE_SQL)).rows[0]!.overdue;
  }

  /** Round-trip time of a trivial query, in ms. */
  async ping(): Promise<number> {
    const t = performance.now();
    await this.pool.query('SELECT 1');
    return performance.now() - t;
  }
}
