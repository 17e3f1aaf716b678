import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from '@correio/db';
import { PG_POOL } from '../database/database.module.js';

export interface IdempotencyRow {
  fingerprint: string;
  state: 'running' | 'done';
  statusCode: number | null;
  response: unknown;
  /** The running claim's lease has run out (its process died or hangs). */
  isAbandoned: boolean;
}

/** The only code that touches idempotency_keys. Every statement is scoped by account. */
@Injectable()
export class IdempotencyRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * Claims the key: true when this request now owns it (a new row, or one older than `lifetimeMs`
   * taken over in the same statement). The primary key makes concurrent claims exclusive: exactly
   * one INSERT wins, the others see the winner's row.
   */
  async claim(accountId: string, key: string, fingerprint: string, leaseMs: number, lifetimeMs: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO idempotency_keys (account_id, key, fingerprint, state, locked_until)
       VALUES ($1, $2, $3, 'running', now() + make_interval(secs => $4::float8 / 1000))
       ON CONFLICT (account_id, key) DO UPDATE
         SET fingerprint = EXCLUDED.fingerprint, state = 'running', status_code = NULL, response = NULL,
             locked_until = EXCLUDED.locked_until, created_at = now()
         WHERE idempotency_keys.created_at < now() - make_interval(secs => $5::float8 / 1000)`,
      [accountId, key, fingerprint, leaseMs, lifetimeMs],
    );
    return rowCount === 1;
  }

  async find(accountId: string, key: string): Promise<IdempotencyRow | undefined> {
    const { rows } = await this.pool.query<IdempotencyRow>(
      `SELECT fingerprint, state, status_code AS "statusCode", response, locked_until < now() AS "isAbandoned"
         FROM idempotency_keys WHERE account_id = $1 AND key = $2`,
      [accountId, key],
    );
    return rows[0];
  }

  /** Takes over an abandoned running claim (lease expired); true when this request got it. */
  async takeOver(accountId: string, key: string, leaseMs: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE idempotency_keys SET locked_until = now() + make_interval(secs => $3::float8 / 1000)
        WHERE account_id = $1 AND key = $2 AND state = 'running' AND locked_until < now()`,
      [accountId, key, leaseMs],
    );
    return rowCount === 1;
  }

  /** Records the answer; `tx` writes it inside the caller's transaction (it commits with the work). */
  async complete(accountId: string, key: string, statusCode: number, response: unknown, tx: Pick<PoolClient, 'query'> = this.pool): Promise<void> {
    await tx.query(
      `UPDATE idempotency_keys SET state = 'done', status_code = $3, response = $4::jsonb WHERE account_id = $1 AND key = $2`,
      [accountId, key, statusCode, JSON.stringify(response ?? null)],
    );
  }

  async release(accountId: string, key: string): Promise<void> {
    await this.pool.query(`DELETE FROM idempotency_keys WHERE account_id = $1 AND key = $2 AND state = 'running'`, [accountId, key]);
  }

  /** Deletes up to `limit` rows older than `lifetimeMs`; returns how many. */
  async deleteOlderThan(lifetimeMs: number, limit: number): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM idempotency_keys WHERE (account_id, key) IN (
         SELECT account_id, key FROM idempotency_keys WHERE created_at < now() - make_interval(secs => $1::float8 / 1000) LIMIT $2)`,
      [lifetimeMs, limit],
    );
    return rowCount ?? 0;
  }
}
