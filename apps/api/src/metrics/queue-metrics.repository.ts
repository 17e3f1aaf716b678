import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '@correio/db';
import { PG_POOL } from '../database/database.module.js';

/** The queue gauges, read on each scrape. */
@Injectable()
export class QueueMetricsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * Recipients waiting (queued or deferred) and the creation time of the oldest message among
   * them. The predicate is that of the partial index outbound_recipients_due_idx, so the cost
   * follows the queue's size, not the history of delivered mail.
   */
  async waiting(): Promise<{ depth: number; oldest: Date | null }> {
    const { rows } = await this.pool.query<{ depth: number; oldest: Date | null }>(
      `SELECT count(*)::int AS depth, min(m.created_at) AS oldest
         FROM outbound_recipients r JOIN outbound_messages m ON m.account_id = r.account_id AND m.id = r.message_id
        WHERE r.state IN ('queued', 'deferred')`,
    );
    return { depth: rows[0]!.depth, oldest: rows[0]!.oldest ? new Date(rows[0]!.oldest) : null };
  }
}
