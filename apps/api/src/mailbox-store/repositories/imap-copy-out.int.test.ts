import { createPool, type Pool, type PoolClient } from '@correio/db';
import { createTestDatabase, type TestDatabase } from '@correio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joined } from './byte-segments.js';
import { type SegmentRow, streamCopyOut } from './imap-copy-out.js';

// streamCopyOut reads a binary COPY off the connection's socket itself (imap-copy-out.ts): the rows
// must be the stored bytes whatever their size and content, and after the COPY — finished, failed
// or cut off — node-postgres's client must be in step with its connection again.

/** Every byte value, then a pseudo-random run: bytea as PostgreSQL stores it, compared byte for byte in JS. */
function bytesOf(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = i < 256 ? i : x >>> 24;
  }
  return b;
}

/** Rows of (n int, data bytea) made by the server from literals: tiny, empty, NULL, 8-bit, 300 KB. */
const SIZES = [0, 1, 5, 256, 1000, 16_000, 70_000, 300_000, 3, 65_531, 65_536, 200, 1_100_000];

async function collect(client: PoolClient, sql: string): Promise<{ rows: SegmentRow[]; err?: Error }> {
  const rows: SegmentRow[] = [];
  const copy = streamCopyOut(client, sql);
  try {
    for await (const group of copy) rows.push(...group);
  } catch (err) {
    return { rows, err: err as Error };
  }
  expect(await copy.settled).toBeUndefined();
  return { rows };
}

describe('streamCopyOut (binary COPY read off the socket)', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = createPool({ url: db.url, max: 2 });
    await pool.query('CREATE TABLE copy_rows (n int PRIMARY KEY, data bytea)');
    for (const [i, size] of SIZES.entries()) {
      await pool.query('INSERT INTO copy_rows VALUES ($1, $2)', [i, i === 2 ? null : bytesOf(size, i)]);
    }
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  const inOrder = 'SELECT n, data, n * 2 AS twice FROM copy_rows ORDER BY n';

  it('hands out every row with the stored bytes, 8-bit and binary, tiny to 1 MB, and the connection stays usable', async () => {
    const client = await pool.connect();
    try {
      const { rows, err } = await collect(client, inOrder);
      expect(err).toBeUndefined();
      expect(rows.map((r) => joined(r[0] as Buffer[]).readInt32BE(0))).toEqual(SIZES.map((_, i) => i));
      for (const [i, size] of SIZES.entries()) {
        const r = rows[i] as SegmentRow;
        if (i === 2) expect(r[1]).toBeNull();
        else expect(Buffer.concat(r[1] as Buffer[]).equals(bytesOf(size, i))).toBe(true);
        expect(joined(r[2] as Buffer[]).readInt32BE(0)).toBe(i * 2);
      }
      // Read off the socket, not node-postgres's buffer: a 300 KB field comes as several views of its reads.
      expect((rows[SIZES.indexOf(300_000)] as SegmentRow)[1]?.length).toBeGreaterThan(1);
      expect((await client.query('SELECT 41 + 1 AS v')).rows[0].v).toBe(42);
    } finally {
      client.release();
    }
  });

  it('gives the same bytes when node-postgres keeps the socket (another data listener: no takeover)', async () => {
    const client = await pool.connect();
    const stream = (client as unknown as { connection: { stream: NodeJS.EventEmitter } }).connection.stream;
    const other = () => {};
    stream.on('data', other);
    try {
      const { rows, err } = await collect(client, inOrder);
      expect(err).toBeUndefined();
      for (const [i, size] of SIZES.entries()) {
        if (i !== 2) expect(Buffer.concat(rows[i]?.[1] as Buffer[]).equals(bytesOf(size, i))).toBe(true);
      }
      expect((await client.query('SELECT 1 AS v')).rows[0].v).toBe(1);
    } finally {
      stream.off('data', other);
      client.release();
    }
  });

  it('a statement failing mid-COPY: the rows before it, then its error; the client answers the next query', async () => {
    const client = await pool.connect();
    try {
      // Division by zero at n = 9, after large rows have gone out.
      const { rows, err } = await collect(client, 'SELECT n, data, 10 / (n - 9) AS twice FROM copy_rows ORDER BY n');
      expect(err?.message).toMatch(/division by zero/);
      expect(rows.length).toBeLessThanOrEqual(9);
      expect((await client.query('SELECT 7 AS v')).rows[0].v).toBe(7);
      // And a COPY after it works as the first did.
      expect((await collect(client, inOrder)).rows).toHaveLength(SIZES.length);
    } finally {
      client.release();
    }
  });

  it('a reader that stops early: the COPY still runs to its end and the connection is idle after', async () => {
    const client = await pool.connect();
    try {
      const copy = streamCopyOut(client, inOrder);
      for await (const _ of copy) break;
      expect(await copy.settled).toBeUndefined();
      expect((await client.query('SELECT 3 AS v')).rows[0].v).toBe(3);
    } finally {
      client.release();
    }
  });

  it('a connection lost mid-COPY rejects the reader; nothing crashes', async () => {
    if (db.kind === 'pglite') return; // one shared session: no backend to terminate
    const client = await pool.connect();
    client.on('error', () => {}); // the pool only listens on idle clients
    try {
      const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
      const copy = streamCopyOut(client, 'SELECT n, data, pg_sleep(0.05)::text FROM copy_rows, generate_series(1, 20) ORDER BY n');
      const killed = new Promise((r) => setTimeout(r, 100)).then(() => pool.query('SELECT pg_terminate_backend($1)', [pid]));
      let failure: unknown;
      try {
        for await (const _ of copy) {
        }
      } catch (err) {
        failure = err;
      }
      await killed;
      expect(failure).toBeInstanceOf(Error);
      expect(await copy.settled).toBeInstanceOf(Error);
    } finally {
      client.release(true);
    }
    expect((await pool.query('SELECT 5 AS v')).rows[0].v).toBe(5);
  });
});
