import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '@correio/db';
import { PG_POOL } from '../../database/database.module.js';

/** login_failures_hourly (owned by the directory): failed logins per hour, from every process. */
@Injectable()
export class LoginFailuresRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Adds counts to their hours: one statement for the whole tally. */
  async add(tally: Map<number, number>): Promise<void> {
    if (tally.size === 0) return;
    await this.pool.query(
      `INSERT INTO login_failures_hourly (hour, failures)
       SELECT to_timestamp(h / 1000.0), n FROM unnest($1::float8[], $2::bigint[]) AS t(h, n)
       ON CONFLICT (hour) DO UPDATE SET failures = login_failures_hourly.failures + EXCLUDED.failures`,
      [[...tally.keys()], [...tally.values()]],
    );
  }

  /** Failed logins written for hours starting at or after `since`. */
  async countSince(since: Date): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(`SELECT coalesce(sum(failures), 0)::text AS n FROM login_failures_hourly WHERE hour >= $1`, [since]);
    return Number(rows[0]!.n);
  }

  /** Hours older than the overview shows are dropped. */
  async prune(before: Date): Promise<void> {
    await this.pool.query(`DELETE FROM login_failures_hourly WHERE hour < $1`, [before]);
  }
}
