import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from './embedded.js';
import { createPool, withTransaction } from './pool.js';

interface TestDatabase {
  url: string;
  kind: 'postgres' | 'pglite';
  drop(): Promise<void>;
}

/** As @correio/testing's createTestDatabase (which depends on this package): a throwaway database. */
async function createTestDatabase(): Promise<TestDatabase> {
  const server = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (!server) {
    const embedded = await startEmbeddedPostgres({});
    return { url: embedded.url, kind: 'pglite', drop: () => embedded.stop() };
  }
  const name = `correio_test_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: server });
    await c.connect();
    await c.query(sql).finally(() => c.end());
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.toString(), kind: 'postgres', drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

// A connection whose named statements are out of step with its session must not go back to the
// pool: the compose system test's API log showed one client failing every draft save with
// 'prepared statement "correio-insert-copy" already exists', transaction after transaction, because
// withTransaction pooled it again after each failure (pool.query already drops a client on error).
// The state is made here the way it arises: the session holds a statement the client never parsed
// (PREPARE in SQL), then the client parses a statement of that name.
describe('withTransaction and connections out of step', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  /** The error each release passed to the pool (pg-pool destroys a client released with one). */
  const releases: (Error | undefined)[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  beforeEach(() => {
    pool = createPool({ url: db.url, max: 1 });
    releases.length = 0;
    pool.on('release', (err: Error | undefined) => releases.push(err));
  });
  afterEach(async () => {
    await pool.end();
    // PGlite is one session for every connection: what one prepared, the next one would see.
    if (db.kind === 'pglite') {
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      await c.query('DEALLOCATE ALL').finally(() => c.end());
    }
  });
  afterAll(async () => {
    await db?.drop();
  });

  const named = { name: 'correio-test-named', text: 'SELECT $1::int + 1 AS n', values: [41] };

  it('destroys the client after "prepared statement ... already exists" instead of pooling it again', async () => {
    const failed = await withTransaction(pool, async (tx) => {
      await tx.query(`PREPARE "${named.name}" (int) AS SELECT $1 + 1 AS n`);
      return tx.query(named);
    }).catch((err: { code?: string; message: string }) => err);
    expect(failed).toMatchObject({ code: '42P05', message: `prepared statement "${named.name}" already exists` });
    expect(releases).toEqual([failed]);
    expect(pool.totalCount).toBe(0);
    if (db.kind === 'postgres') {
      // A fresh session: the named statement is parsed and runs.
      const { rows } = await withTransaction(pool, (tx) => tx.query(named));
      expect(rows).toEqual([{ n: 42 }]);
    }
  });

  it('keeps the client after an ordinary SQL error (it is idle again after ROLLBACK)', async () => {
    await withTransaction(pool, (tx) => tx.query(named));
    const failed = await withTransaction(pool, (tx) => tx.query('SELECT 1 / 0')).catch((err: { code?: string }) => err);
    expect(failed).toMatchObject({ code: '22012' });
    expect(releases).toEqual([undefined, undefined]);
    expect(pool.totalCount).toBe(1);
    // The same connection, which still knows its parsed statement (no second Parse).
    const { rows } = await withTransaction(pool, (tx) => tx.query(named));
    expect(rows).toEqual([{ n: 42 }]);
  });

  it('destroys the client when it is not idle when released (a ROLLBACK that could not run)', async () => {
    const failed = await withTransaction(pool, async (tx) => {
      // The connection's transaction is left open and the ROLLBACK fails: as when the socket
      // stalls under load and the caller gives up on it.
      const query = tx.query.bind(tx) as (text: string) => Promise<unknown>;
      (tx as unknown as { query: (text: string) => Promise<unknown> }).query = (text) =>
        text === 'ROLLBACK' ? Promise.reject(new Error('ROLLBACK not sent')) : query(text);
      throw new Error('caller failed');
    }).catch((err: Error) => err);
    expect(failed).toMatchObject({ message: 'caller failed' });
    expect(releases).toEqual([failed]);
    expect(pool.totalCount).toBe(0);
  });
});

// A checked-out client whose connection ends (the database restarted, a proxy cut it) gets an
// 'error' event from node-postgres besides its failed query, and pg-pool listens only on idle
// clients: the event was an uncaught exception (CI: a COPY cut mid-FETCH in fetch-bodies.int.test.ts),
// which in the API process would end it. Real PostgreSQL only: PGlite's sessions cannot be terminated.
describe('a checked-out client losing its connection', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('fails its query, raises nothing uncaught, and is not pooled again', async () => {
    if (db.kind === 'pglite') return;
    const pool = createPool({ url: db.url, max: 2 });
    try {
      const client = await pool.connect();
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
      await pool.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      await ended;
      await expect(client.query('SELECT 1')).rejects.toThrow();
      client.release();
      const again = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      expect(again.rows[0]!.pid).not.toBe(rows[0]!.pid);
    } finally {
      await pool.end();
    }
  });
});
