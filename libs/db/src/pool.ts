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
  /** Settings every session of the pool starts with (the startup packet's `-c name=value` options). */
  settings?: Record<string, string>;
}

export function createPool(options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'correio',
    connectionTimeoutMillis: options.checkoutTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    ...(options.settings
      ? {
          options: Object.entries(options.settings)
            .map(([k, v]) => `-c ${k}=${v}`)
            .join(' '),
        }
      : {}),
  });
  // An idle client losing its connection (database restart) must not crash the process: the pool
  // discards it and the next checkout opens a fresh one.
  pool.on('error', () => {});
  // Nor a checked-out one: node-postgres emits 'error' on a client whose connection ends
  // unexpectedly, besides failing its query, and the pool listens only while the client is idle.
  // Code that checks a client out handles the failed query (and withTransaction/releaseClient
  // discard the connection); this listener only keeps the event from being an uncaught exception
  // (CI saw one from a COPY cut mid-FETCH, fetch-bodies.int.test.ts). A dead client is not pooled
  // again: pg-pool drops a released client that is no longer queryable.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/**
 * SQLSTATEs after which the client's record of the session's statements and portals (node-postgres
 * keeps which named statements it has parsed, per connection) may disagree with the server's:
 * 42P05 duplicate prepared statement, 26000 no such prepared statement, 34000 no such portal,
 * 42P03 duplicate portal; and class 08, connection exceptions, among them 08P01 protocol violation
 * ("bind message supplies 7 parameters, but prepared statement "" requires 4"). PostgreSQL
 * Appendix A, "PostgreSQL Error Codes".
 */
const OUT_OF_STEP = new Set(['42P05', '26000', '34000', '42P03']);

/**
 * Whether a checked-out client must be destroyed rather than pooled again: after an error that
 * says its session is not what the client believes, or when its last ReadyForQuery did not report
 * it idle (status 'I'; PostgreSQL "Message Formats"): a failed ROLLBACK leaves 'E' or 'T'. Such a
 * connection would fail, or worse answer wrongly, whoever checks it out next; a new connection
 * costs one handshake.
 */
export function mustDiscard(client: pg.ClientBase, err?: unknown): boolean {
  const code = (err as { code?: unknown } | null | undefined)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && (code.startsWith('08') || OUT_OF_STEP.has(code))) return true;
  // The session's status is only consulted after a failure (a ROLLBACK that failed leaves 'E' or
  // 'T'): over PGlite every socket connection shares ONE session, so after a successful COMMIT the
  // status can describe another connection's transaction, and destroying the client for it made
  // the POP3 read-ahead's second connection hang (PGlite CI run, session 7).
  if (err === undefined) return false;
  return client.getTransactionStatus() !== 'I';
}

/** Returns a checked-out client to the pool, or destroys it when mustDiscard says so. */
export function releaseClient(client: pg.PoolClient, err?: unknown): void {
  if (!mustDiscard(client, err)) {
    client.release();
    return;
  }
  client.release(err instanceof Error ? err : new Error('connection not reusable'));
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
  let failure: unknown;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    failure = err;
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.off('error', onError);
    // A broken connection, or one whose statements are out of step with its session, is destroyed,
    // not returned to the pool.
    releaseClient(client, broken ?? failure);
  }
}
