import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '@correio/db';
import { createTestDatabase, testServerUrl } from '@correio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { openDatabase } from './open-database.js';

// test/system/compose.e2e.test.ts, run without DATABASE_URL, got a PGlite database from
// createTestDatabase and handed its URL to the API without DATABASE_IS_PGLITE. The API then used it
// as a PostgreSQL server's: a pool of 10 and named statements. PGlite is one session behind every
// socket connection, so the second pooled connection to parse "correio-insert-copy" (a draft save)
// or "correio-lookup-address" (RCPT TO → 451) was told it "already exists", and pglite-socket ran
// one connection's Bind against another's Parse ("bind message supplies 7 parameters, but prepared
// statement "" requires 4", an upload). The server is now asked what it is.
describe('openDatabase', () => {
  let embedded: EmbeddedPostgres;
  let dataDir: string;
  beforeAll(async () => {
    embedded = await startEmbeddedPostgres({});
    dataDir = await mkdtemp(path.join(tmpdir(), 'correio-open-db-'));
  });
  afterAll(async () => {
    await embedded?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const config = (url: string) => loadConfig({ DATABASE_URL: url, CORREIO_DATA_DIR: dataDir, CORREIO_ADMIN_PASSWORD: 'admin-password' });
  const lookup = { name: 'correio-lookup-address', text: 'SELECT $1::text AS address', values: ['ana@ifsc.edu'] };

  it('recognises PGlite behind DATABASE_URL without DATABASE_IS_PGLITE: one connection, no statement collides', async () => {
    const db = await openDatabase(config(embedded.url), { allowShared: false, applicationName: 'correio-test' });
    try {
      // Two requests at once, each with the same named statement, as two RCPTs or two draft saves:
      // with one connection the second waits for the first instead of opening a session-sharing
      // twin (which PGlite would tell 'prepared statement "correio-lookup-address" already exists').
      const first = await db.pool.connect();
      await first.query(lookup);
      const second = db.pool.query(lookup);
      first.release();
      expect((await second).rows).toEqual([{ address: 'ana@ifsc.edu' }]);
      expect(db.isPglite).toBe(true); // so the API also leaves named statements and LISTEN/NOTIFY off
      expect(db.pool.options.max).toBe(1);
    } finally {
      await db.close();
    }
  });

  it.runIf(testServerUrl())('keeps the configured pool on a PostgreSQL server', async () => {
    const testDb = await createTestDatabase();
    try {
      const db = await openDatabase(
        loadConfig({
          DATABASE_URL: testDb.url,
          DATABASE_POOL_MAX: '7',
          CORREIO_DATA_DIR: dataDir,
          CORREIO_ADMIN_PASSWORD: 'admin-password',
        }),
        {
          allowShared: false,
          applicationName: 'correio-test',
        },
      );
      try {
        expect(db.isPglite).toBe(false);
        expect(db.pool.options.max).toBe(7);
      } finally {
        await db.close();
      }
    } finally {
      await testDb.drop();
    }
  });
});
