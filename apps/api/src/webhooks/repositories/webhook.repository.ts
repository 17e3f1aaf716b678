import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '@correio/db';
import { PG_POOL } from '../../database/database.module.js';
import { OUTBOX_HORIZON } from '../../events/account-events.repository.js';

export interface WebhookRow {
  id: string;
  accountId: string;
  url: string;
  events: string[];
  enabled: boolean;
  createdAt: Date;
}

const COLUMNS = `id, account_id AS "accountId", url, events, enabled, created_at AS "createdAt"`;

/** The only code that writes webhooks (every statement filters by account: another's is "not found"). */
@Injectable()
export class WebhookRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * A new endpoint starts at "now" in the account's events: its cursor is just below the oldest
   * transaction still running, so it gets every event not yet final and nothing older.
   */
  async create(accountId: string, url: string, events: string[], secret: string): Promise<WebhookRow> {
    const { rows } = await this.pool.query<WebhookRow>(
      `INSERT INTO webhooks (account_id, url, events, secret, cursor_xid, cursor_id)
       VALUES ($1, $2, $3, $4, ${OUTBOX_HORIZON} - 1, 9223372036854775807)
       RETURNING ${COLUMNS}`,
      [accountId, url, events, secret],
    );
    return rows[0]!;
  }

  async list(accountId: string): Promise<WebhookRow[]> {
    const { rows } = await this.pool.query<WebhookRow>(`SELECT ${COLUMNS} FROM webhooks WHERE account_id = $1 ORDER BY id`, [accountId]);
    return rows;
  }

  async find(accountId: string, id: string): Promise<WebhookRow | undefined> {
    const { rows } = await this.pool.query<WebhookRow>(`SELECT ${COLUMNS} FROM webhooks WHERE account_id = $1 AND id = $2`, [accountId, id]);
    return rows[0];
  }

  async update(accountId: string, id: string, change: { url?: string; events?: string[]; enabled?: boolean }): Promise<WebhookRow | undefined> {
    const { rows } = await this.pool.query<WebhookRow>(
      `UPDATE webhooks SET url = COALESCE($3, url), events = COALESCE($4, events), enabled = COALESCE($5, enabled), updated_at = now()
        WHERE account_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [accountId, id, change.url ?? null, change.events ?? null, change.enabled ?? null],
    );
    return rows[0];
  }

  /** Deletes the endpoint and (cascade) its deliveries; false when it is not the account's. */
  async delete(accountId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM webhooks WHERE account_id = $1 AND id = $2', [accountId, id]);
    return (rowCount ?? 0) > 0;
  }
}
