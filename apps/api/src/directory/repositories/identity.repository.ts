import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '@correio/db';
import { PG_POOL } from '../../database/database.module.js';

/** Signatures, the undo-send setting and the aliases an account sends as (directory tables). */
@Injectable()
export class IdentityRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** The account's address, display name and undo window, with the aliases that deliver to it. */
  async find(accountId: string): Promise<{ address: string; displayName: string; undoSendSeconds: number; aliases: string[] } | undefined> {
    const { rows } = await this.pool.query<{ address: string; displayName: string; undoSendSeconds: number; aliases: string[] }>(
      `SELECT a.address, a.display_name AS "displayName", a.undo_send_seconds AS "undoSendSeconds",
              COALESCE((SELECT array_agg(DISTINCT l.address ORDER BY l.address) FROM aliases l WHERE l.destination = a.address), '{}') AS aliases
         FROM accounts a WHERE a.id = $1 AND NOT a.disabled`,
      [accountId],
    );
    return rows[0];
  }

  async signatures(accountId: string): Promise<Map<string, string>> {
    const { rows } = await this.pool.query<{ address: string; html: string }>('SELECT address, html FROM signatures WHERE account_id = $1', [accountId]);
    return new Map(rows.map((r) => [r.address, r.html]));
  }

  async setSignature(accountId: string, address: string, html: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO signatures (account_id, address, html) VALUES ($1, $2, $3)
       ON CONFLICT (account_id, address) DO UPDATE SET html = EXCLUDED.html, updated_at = now()`,
      [accountId, address, html],
    );
  }

  async setUndoSendSeconds(accountId: string, seconds: number): Promise<void> {
    await this.pool.query('UPDATE accounts SET undo_send_seconds = $2 WHERE id = $1', [accountId, seconds]);
  }
}
