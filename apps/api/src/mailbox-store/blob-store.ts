import { createHash } from 'node:crypto';
import type { PoolClient } from '@correio/db';

/**
 * Where raw message bytes live. PostgreSQL (bytea) today; an S3-compatible implementation can
 * replace it at scale (DESIGN "Growing past one machine"). Writes take the caller's transaction so a
 * message and its bytes commit together (invariant 2).
 */
export interface BlobStore {
  put(tx: PoolClient, accountId: string, data: Buffer): Promise<{ id: string; sha256: string }>;
  get(tx: Pick<PoolClient, 'query'>, accountId: string, id: string): Promise<Buffer | undefined>;
  delete(tx: PoolClient, accountId: string, id: string): Promise<void>;
  /** Several blobs of one account at once (the IMAP blob reaper's batches). */
  deleteMany(tx: PoolClient, accountId: string, ids: string[]): Promise<void>;
  /** Every blob of the account (the account is being removed). */
  deleteAccount(tx: Pick<PoolClient, 'query'>, accountId: string): Promise<void>;
  /** Up to `limit` blobs of an account being removed, in short steps (issue 14); how many went. */
  deleteAccountPart(tx: Pick<PoolClient, 'query'>, accountId: string, limit: number): Promise<number>;
  /** Whether the account has a blob left, once the transaction holding its first one is done. */
  anyAccountRowLeft(tx: Pick<PoolClient, 'query'>, accountId: string): Promise<boolean>;
}

export class PostgresBlobStore implements BlobStore {
  async put(tx: PoolClient, accountId: string, data: Buffer): Promise<{ id: string; sha256: string }> {
    const sha256 = createHash('sha256').update(data).digest('hex');
    const { rows } = await tx.query<{ id: string }>(
      'INSERT INTO blobs (account_id, sha256, size, data) VALUES ($1, $2, $3, $4) RETURNING id',
      [accountId, sha256, data.length, data],
    );
    return { id: rows[0]!.id, sha256 };
  }

  async get(tx: Pick<PoolClient, 'query'>, accountId: string, id: string): Promise<Buffer | undefined> {
    const { rows } = await tx.query<{ data: Buffer }>('SELECT data FROM blobs WHERE account_id = $1 AND id = $2', [accountId, id]);
    return rows[0]?.data;
  }

  async delete(tx: PoolClient, accountId: string, id: string): Promise<void> {
    await tx.query('DELETE FROM blobs WHERE account_id = $1 AND id = $2', [accountId, id]);
  }

  async deleteMany(tx: PoolClient, accountId: string, ids: string[]): Promise<void> {
    await tx.query('DELETE FROM blobs WHERE account_id = $1 AND id = ANY($2::bigint[])', [accountId, ids]);
  }

  async deleteAccount(tx: Pick<PoolClient, 'query'>, accountId: string): Promise<void> {
    await tx.query('DELETE FROM blobs WHERE account_id = $1', [accountId]);
  }

  async deleteAccountPart(tx: Pick<PoolClient, 'query'>, accountId: string, limit: number): Promise<number> {
    const { rowCount } = await tx.query(
      // The claim is MATERIALIZED, run once: as an IN (subquery) the planner may rescan it per row,
      // each rescan skipping the rows this statement already deleted and locking the next ones.
      `WITH claimed AS MATERIALIZED (SELECT id FROM blobs WHERE account_id = $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
       DELETE FROM blobs WHERE account_id = $1 AND id IN (SELECT id FROM claimed)`,
      [accountId, limit],
    );
    return rowCount ?? 0;
  }

  async anyAccountRowLeft(tx: Pick<PoolClient, 'query'>, accountId: string): Promise<boolean> {
    const { rows } = await tx.query('SELECT id FROM blobs WHERE account_id = $1 LIMIT 1 FOR UPDATE', [accountId]);
    return rows.length > 0;
  }
}
