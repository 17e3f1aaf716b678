import { SharedCopyReader } from '@correio/db';
import { createTestDatabase, type TestDatabase, testServerUrl } from '@correio/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The reader behind MailboxStoreService.readRawInto (POP3 read-ahead), on its own table, against the
// server of the test run (TEST_DATABASE_URL / DATABASE_URL), else an embedded PGlite.
const server = testServerUrl();
let db: TestDatabase;
let url = '';
let sql: pg.Client;
let reader: SharedCopyReader;

const BLOBS = new Map<string, Buffer>([
  ['1', Buffer.from('From: a@b\r\n\r\nhello\r\n')],
  ['2', Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7) & 0xff))], // 8-bit, NULs, > 64 KiB
  ['3', Buffer.alloc(0)],
  ['4', Buffer.from('does not fit its place')],
]);

beforeAll(async () => {
  db = await createTestDatabase();
  url = db.url;
  sql = new pg.Client({ connectionString: url });
  await sql.connect();
  await sql.query('CREATE TABLE blobs (id bigint PRIMARY KEY, data bytea NOT NULL)');
  for (const [id, data] of BLOBS) await sql.query('INSERT INTO blobs (id, data) VALUES ($1, $2)', [id, data]);
  reader = new SharedCopyReader(url, 'copy-reader-test');
});

afterAll(async () => {
  await reader?.close();
  await sql?.end();
  await db?.drop();
});

const COPY = (ids: string) => `COPY (SELECT id, data FROM blobs WHERE id = ANY('{${ids}}'::bigint[])) TO STDOUT (FORMAT binary)`;

describe('SharedCopyReader (binary COPY on a worker thread into shared memory)', () => {
  it('writes each row into its place, byte for byte, and reports every row with its length', async () => {
    const shared = new SharedArrayBuffer(300_000);
    const view = Buffer.from(shared).fill(0x2a);
    const found = await reader.read(COPY('1,2,3,4,99'), shared, [
      ['1', 0, 100],
      ['2', 100, 200_000],
      ['3', 200_100, 10],
      ['4', 200_200, 5], // too small: not written
    ]);
    expect(found).toEqual(new Map([['1', BLOBS.get('1')!.length], ['2', 200_000], ['3', 0], ['4', BLOBS.get('4')!.length]]));
    expect(view.subarray(0, found.get('1')!)).toEqual(BLOBS.get('1'));
    expect(view.subarray(100, 200_100)).toEqual(BLOBS.get('2'));
    expect(view.subarray(200_200, 200_205)).toEqual(Buffer.alloc(5, 0x2a)); // untouched
  });

  it('rejects a failing statement with its SQLSTATE and keeps working', async () => {
    const shared = new SharedArrayBuffer(100);
    await expect(reader.read('COPY (SELECT id, data FROM no_such_table) TO STDOUT (FORMAT binary)', shared, [])).rejects.toMatchObject({ code: '42P01' });
    expect(await reader.read(COPY('1'), shared, [['1', 0, 100]])).toEqual(new Map([['1', BLOBS.get('1')!.length]]));
  });

  it.skipIf(!server)('opens a new connection after the old one is killed', async () => {
    const shared = new SharedArrayBuffer(100);
    await reader.read(COPY('1'), shared, [['1', 0, 100]]);
    const killed = await sql.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'copy-reader-test'`);
    expect(killed.rowCount).toBe(1);
    // The request that meets the dead connection may fail; the one after it opens a new one.
    await reader.read(COPY('1'), shared, [['1', 0, 100]]).catch(() => undefined);
    expect(await reader.read(COPY('1'), shared, [['1', 0, 100]])).toEqual(new Map([['1', BLOBS.get('1')!.length]]));
  });

  it('fails what is pending when closed, and everything after', async () => {
    const other = new SharedCopyReader(url, 'copy-reader-test-2');
    const shared = new SharedArrayBuffer(100);
    const pending = expect(other.read(COPY('1'), shared, [['1', 0, 100]])).rejects.toThrow(/closed/);
    await other.close();
    await pending;
    await expect(other.read(COPY('1'), shared, [])).rejects.toThrow(/closed/);
  });
});
