import type { PoolClient } from '@correio/db';

/**
 * Takes up to `limit` candidates off released_blobs (written by IMAP EXPUNGE's statement,
 * imap-write-statements.ts) and says of each whether a message still refers to it. The caller
 * deletes the unreferenced ones in the same transaction (a failure puts the candidates back).
 *
 * Why the answer is safe to act on: a candidate is visible only once its EXPUNGE committed, so this
 * statement's snapshot is later than that commit. A new reference to a blob is only ever made from
 * a row that refers to it (COPY copies a row it holds FOR UPDATE; MOVE keeps the row; a delivery
 * shares a blob it inserted in its own transaction). If that row was one of the expunged ones, the
 * EXPUNGE's DELETE waited for the COPY's lock, so the copy committed first and is seen here; if it
 * is another row, that row is still seen here (or its own expunge released the blob again). SKIP
 * LOCKED: reapers in several processes share the work instead of waiting for each other. The claim
 * is a MATERIALIZED step, run once: as an IN (subquery) a plan that rescans it would skip the rows
 * this statement already deleted and lock the next ones, claiming more than `limit`.
 */
const CLAIM_SQL = `
WITH taken AS MATERIALIZED (
  SELECT account_id, blob_id FROM released_blobs ORDER BY released_at LIMIT $1 FOR UPDATE SKIP LOCKED
), claimed AS (
  DELETE FROM released_blobs r USING taken t
   WHERE r.account_id = t.account_id AND r.blob_id = t.blob_id
  RETURNING r.account_id, r.blob_id
)
SELECT c.account_id::text AS "accountId", c.blob_id::text AS "blobId",
       EXISTS (SELECT 1 FROM messages m WHERE m.account_id = c.account_id AND m.blob_id = c.blob_id) AS referenced
  FROM claimed c`;

export interface ReleasedBlobs {
  /** Candidates taken off the table (referenced ones included). */
  claimed: number;
  /** Per account, the blobs no message refers to: to delete. */
  unreferenced: Map<string, string[]>;
}

export async function claimReleasedBlobs(tx: Pick<PoolClient, 'query'>, limit: number): Promise<ReleasedBlobs> {
  const { rows } = await tx.query<{ accountId: string; blobId: string; referenced: boolean }>(CLAIM_SQL, [limit]);
  const unreferenced = new Map<string, string[]>();
  for (const r of rows) {
    if (r.referenced) continue;
    const ids = unreferenced.get(r.accountId);
    if (ids) ids.push(r.blobId);
    else unreferenced.set(r.accountId, [r.blobId]);
  }
  return { claimed: rows.length, unreferenced };
}
