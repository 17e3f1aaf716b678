import { randomBytes } from 'node:crypto';
import { startEmbeddedPostgres } from '@correio/db';
import pg from 'pg';
import { migratedPgliteTemplate } from './pglite-template';

export interface TestDatabase {
  url: string;
  /** 'postgres' when on a real server, 'pglite' when embedded. */
  kind: 'postgres' | 'pglite';
  drop(): Promise<void>;
}

/** The server tests run against: TEST_DATABASE_URL, else DATABASE_URL, else none (→ PGlite). */
export function testServerUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.TEST_DATABASE_URL || env.DATABASE_URL || undefined;
}

/**
 * A fresh, empty database for one test file: `correio_test_<random>` on the configured PostgreSQL
 * (dropped afterwards), or an in-memory PGlite served on a local port when no server is configured.
 * Either way the code under test connects with a plain postgresql:// URL.
 *
 * options.migrated: on PGlite, start from the migrated template instead (the code under test then
 * finds every migration applied); a real server's database is made empty either way and migrated
 * by the code under test, which costs little there.
 */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const server = testServerUrl();
  if (!server) {
    const embedded = await startEmbeddedPostgres(options.migrated ? { loadDataDir: await migratedPgliteTemplate() } : {});
    return { url: embedded.url, kind: 'pglite', drop: () => embedded.stop() };
  }
  const name = `correio_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: 'postgres',
    async drop() {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
