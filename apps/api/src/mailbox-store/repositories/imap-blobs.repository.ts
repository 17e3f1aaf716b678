import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '@correio/db';
import { PG_POOL } from '../../database/database.module.js';

/** The blobs rows as IMAP reads them: sizes, whole values, slices. Scoped by account. */
@Injectable()
export class ImapBlobsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Bytes [start, start + length) of a blob; a slice of the bytea, never the whole value on the wire. */
  async readSlice(accountId: string, blobId: string, start: number, length: number): Promise<Buffer | undefined> {
    const { rows } = await this.pool.query<{ data: Buffer }>(
      'SELECT substring(b.data FROM $3 FOR $4) AS data FROM blobs b WHERE b.account_id = $1 AND b.id = $2',
      [accountId, blobId, start + 1, length],
    );
    return rows[0]?.data;
  }

  /** Sizes of blobs (no bytes read), to plan batched reads. */
  async blobSizes(accountId: string, blobIds: string[]): Promise<{ id: string; size: number }[]> {
    const { rows } = await this.pool.query<{ id: string; size: number }>(
      'SELECT b.id, b.size FROM blobs b WHERE b.account_id = $1 AND b.id = ANY($2::bigint[])',
      [accountId, blobIds],
    );
    return rows;
  }

  /** Whole blobs, in one statement (the caller bounds how many bytes that is). */
  async readMany(accountId: string, blobIds: string[]): Promise<Map<string, Buffer>> {
    const { rows } = await this.pool.query<{ id: string; data: Buffer }>(
      'SELECT b.id, b.data FROM blobs b WHERE b.account_id = $1 AND b.id = ANY($2::bigint[])',
      [accountId, blobIds],
    );
    return new Map(rows.map((r) => [r.id, r.data]));
  }
}
