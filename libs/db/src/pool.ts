import pg from 'pg';

// node-postgres returns BIGINT (int8) as a string by default to avoid precision loss. Our ids,
// modseqs and byte counts are BIGINT; they stay strings in SQL results and become JS bigint only
// where Prisma hands them over. Dates and JSON keep pg's defaults.

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export interface PoolOptions {
  url: string;
  max?: number;
  /** Name shown in pg_stat_activity. */
  applicationName?: string;
  /** How long a query waits for a free connection before failing (ms). */
  checkoutTimeoutMs?: number;
}

export function createPool(options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'correio',
    connectionTimeoutMillis: options.checkoutTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection (database restart) must not crash the process: the pool
  // discards it and the next checkout opens a fresh one.
  pool.on('error', () => {});
  return pool;
}

/** Runs fn inside BEGIN/COMMIT on one client; rolls back and rethrows on any error. */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A connection that dies while checked out emits 'error' on the client, and the pool listens only
  // on idle clients: without this listener the process would crash. The failing query rejects too,
  // which is how the caller learns of it.
  let broken: Error | undefined;
  const onError = (err: Error) => {
    broken = err;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.off('error', onError);
    // A broken connection is destroyed, not returned to the pool.
    client.release(broken ?? undefined);
  }
}
