import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '@correio/db';
import { PG_POOL } from '../../database/database.module.js';

export interface UploadRow {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
}

const COLUMNS = 'id, filename, content_type AS "contentType", size, sha256';

/** The only code that touches the uploads table. Every query is scoped by account_id. */
@Injectable()
export class UploadRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * Stores an upload unless the account's uploads would then hold more than `maxTotalBytes`
   * (undefined: refused). One statement: the check and the insert see the same rows.
   */
  async insert(accountId: string, u: Omit<UploadRow, 'id'> & { data: Buffer }, maxTotalBytes: number): Promise<UploadRow | undefined> {
    const { rows } = await this.pool.query<UploadRow>(
      `INSERT INTO uploads (account_id, filename, content_type, size, sha256, data)
       SELECT $1::bigint, $2, $3, $4::int, $5, $6
        WHERE (SELECT COALESCE(sum(size), 0) FROM uploads WHERE account_id = $1::bigint) + $4::int <= $7::bigint
       RETURNING ${COLUMNS}`,
      [accountId, u.filename, u.contentType, u.size, u.sha256, u.data, maxTotalBytes],
    );
    return rows[0];
  }

  /** The account's uploads among `ids`, without their bytes. */
  async find(accountId: string, ids: string[]): Promise<UploadRow[]> {
    const { rows } = await this.pool.query<UploadRow>(`SELECT ${COLUMNS} FROM uploads WHERE account_id = $1 AND id = ANY($2::bigint[])`, [accountId, ids]);
    return rows;
  }

  /** The account's uploads among `ids`, with their bytes. */
  async findWithData(accountId: string, ids: string[]): Promise<(UploadRow & { data: Buffer })[]> {
    const { rows } = await this.pool.query<UploadRow & { data: Buffer }>(
      `SELECT ${COLUMNS}, data FROM uploads WHERE account_id = $1 AND id = ANY($2::bigint[])`,
      [accountId, ids],
    );
    return rows;
  }

  async delete(accountId: string, ids: string[]): Promise<number> {
    const { rowCount } = await this.pool.query('DELETE FROM uploads WHERE account_id = $1 AND id = ANY($2::bigint[])', [accountId, ids]);
    return rowCount ?? 0;
  }

  /** Uploads older than `maxAgeMs` (nobody sent them in time), in batches. */
  async deleteOlderThan(maxAgeMs: number, limit: number): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM uploads WHERE id IN (
         SELECT id FROM uploads WHERE created_at < now() - make_interval(secs => $1::double precision / 1000) ORDER BY created_at LIMIT $2)`,
      [maxAgeMs, limit],
    );
    return rowCount ?? 0;
  }
}
